// One database type for the whole code base, whichever engine is underneath: PostgreSQL through
// postgres.js in production, or embedded PGlite (persisted under a data directory, or in memory).
import { PGlite } from "@electric-sql/pglite";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import type { Logger } from "drizzle-orm";
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from "drizzle-orm/pg-core";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import { migrate as migratePostgres } from "drizzle-orm/postgres-js/migrator";
import { fileURLToPath } from "node:url";
import postgres from "postgres";
import * as schema from "./schema/index";

export type Schema = typeof schema;
export type Database = PgDatabase<PgQueryResultHKT, Schema>;
export type Transaction = PgTransaction<PgQueryResultHKT, Schema>;
/** Anything that runs statements: the database itself or an open transaction. */
export type Executor = Database | Transaction;

export const migrationsFolder = fileURLToPath(new URL("../../../drizzle", import.meta.url));

export interface DatabaseOptions {
  /** postgres:// URL. Absent: embedded PGlite. */
  url?: string | undefined;
  /** PGlite data directory; absent (with no url): in memory. */
  dataDir?: string | undefined;
  /** postgres.js pool size. */
  poolSize?: number | undefined;
  /** Called with each SQL statement the application sends (statement counting, debug logging). */
  onQuery?: ((query: string) => void) | undefined;
}

export interface DatabaseHandle {
  db: Database;
  engine: "postgres" | "pglite";
  /** Throws unless the database answers a trivial query. */
  ping(): Promise<void>;
  migrate(): Promise<void>;
  close(): Promise<void>;
}

export async function openDatabase(options: DatabaseOptions): Promise<DatabaseHandle> {
  const onQuery = options.onQuery;
  const logger: Logger | undefined = onQuery ? { logQuery: (query) => onQuery(query) } : undefined;

  if (options.url) {
    const client = postgres(options.url, {
      max: options.poolSize ?? 10,
      onnotice: () => {},
      connection: { application_name: "wenzhou-chambers" },
    });
    const db = drizzlePostgres(client, { schema, logger }) as unknown as Database;
    return {
      db,
      engine: "postgres",
      ping: async () => {
        await client`select 1`;
      },
      migrate: async () => {
        await migratePostgres(drizzlePostgres(client, { schema }), { migrationsFolder });
      },
      close: async () => {
        await client.end({ timeout: 5 });
      },
    };
  }

  const client = await PGlite.create({ dataDir: options.dataDir, extensions: { pg_trgm } });
  const db = drizzlePglite(client, { schema, logger }) as unknown as Database;
  return {
    db,
    engine: "pglite",
    ping: async () => {
      await client.query("select 1");
    },
    migrate: async () => {
      await migratePglite(drizzlePglite(client, { schema }), { migrationsFolder });
    },
    close: async () => {
      if (!client.closed) await client.close();
    },
  };
}

/** True when no chamber exists yet: the embedded default then loads demo data. */
export async function isEmpty(db: Database): Promise<boolean> {
  const rows = await db.select({ id: schema.chamberTable.id }).from(schema.chamberTable).limit(1);
  return rows.length === 0;
}
