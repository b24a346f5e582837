// A fresh, migrated database for each test file: in-memory PGlite by default, or — with TEST_DATABASE_URL —
// a new database on that PostgreSQL server, dropped afterwards. Counts the statements the app sends.

import { randomBytes } from "node:crypto";
import { type DatabaseHandle, openDatabase } from "@wz/db";
import postgres from "postgres";

export interface TestDatabase extends DatabaseHandle {
  /** Statements sent since the last reset. */
  statements: string[];
  resetStatements(): void;
  /** The connection URL of the test database (PostgreSQL only). */
  url?: string;
  /** Drops the database (PostgreSQL) or closes PGlite. */
  dispose(): Promise<void>;
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const statements: string[] = [];
  const onQuery = (query: string) => void statements.push(query);
  const serverUrl = process.env.TEST_DATABASE_URL;
  if (!serverUrl) {
    const handle = await openDatabase({ onQuery });
    await handle.migrate();
    return Object.assign(handle, {
      statements,
      resetStatements: () => void statements.splice(0),
      dispose: () => handle.close(),
    });
  }
  const name = `wz_test_${process.pid}_${randomBytes(4).toString("hex")}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const handle = await openDatabase({ url: url.toString(), poolSize: 4, onQuery });
  await handle.migrate();
  return Object.assign(handle, {
    statements,
    url: url.toString(),
    resetStatements: () => void statements.splice(0),
    dispose: async () => {
      await handle.close();
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  });
}
