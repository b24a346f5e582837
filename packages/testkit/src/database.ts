// A fresh, migrated database for each test file: in-memory PGlite by default, or — with TEST_DATABASE_URL —
// a new database on that PostgreSQL server, dropped afterwards. Counts the statements the app sends.

import { randomBytes } from "node:crypto";
import { APP_ROLE, type DatabaseHandle, openDatabase } from "@wz/db";
import { sql } from "drizzle-orm";
import postgres from "postgres";

export interface TestDatabase extends DatabaseHandle {
  /** Statements sent since the last reset. */
  statements: string[];
  resetStatements(): void;
  /** Runs a statement only the tables' owner may (DDL): the application's role owns nothing. */
  asOwner(statement: string): Promise<void>;
  /** The owner's connection URL of the test database (PostgreSQL only; the handle itself connects as wz_app). */
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
      // PGlite's one user owns everything; the system scope runs as that user
      asOwner: async (statement: string) => void (await handle.db.execute(sql.raw(statement))),
      dispose: () => handle.close(),
    });
  }
  const name = `wz_test_${process.pid}_${randomBytes(4).toString("hex")}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  // the application's role (drizzle/0018: owns nothing, no superuser, row-level security applies); the server's
  // own user (the owner) migrates
  const appUrl = new URL(url);
  appUrl.username = APP_ROLE;
  appUrl.password = "";
  const handle = await openDatabase({ url: appUrl.toString(), migrationUrl: url.toString(), poolSize: 4, onQuery });
  await handle.migrate();
  return Object.assign(handle, {
    statements,
    url: url.toString(),
    resetStatements: () => void statements.splice(0),
    asOwner: async (statement: string) => {
      const owner = postgres(url.toString(), { max: 1, onnotice: () => {} });
      try {
        await owner.unsafe(statement);
      } finally {
        await owner.end();
      }
    },
    dispose: async () => {
      await handle.close();
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  });
}
