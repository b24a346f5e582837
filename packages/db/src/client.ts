// One database type for the whole code base, whichever engine is underneath: PostgreSQL through
// postgres.js in production, or embedded PGlite (persisted under a data directory, or in memory).
// Against PostgreSQL every statement goes through a gate that fails fast while the server is unreachable
// and bounds the wait for a pooled connection; an embedded data directory is held by one process only.

import { rmSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { PGlite } from "@electric-sql/pglite";
import { type Logger, sql } from "drizzle-orm";
import { type PgDatabase, type PgQueryResultHKT, PgTransaction } from "drizzle-orm/pg-core";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import { migrate as migratePostgres } from "drizzle-orm/postgres-js/migrator";
import postgres from "postgres";
import { ConnectionGate, DatabaseUnavailableError } from "./availability";
import { holdsCluster, pgliteExtensions, readClusterTemplate, saveClusterTemplate } from "./cluster-template";
import { lockDataDir } from "./data-dir-lock";
import * as schema from "./schema/index";
import {
  asSystem,
  currentScope,
  needsScope,
  SET_SCOPE_GENERIC_PLAN_SQL,
  SET_SCOPE_SQL,
  scopeParameters,
  suitsGenericPlan,
} from "./scope";

export { DatabaseUnavailableError, isConnectionError } from "./availability";
export { DataDirInUseError } from "./data-dir-lock";
export * from "./scope";

export type Schema = typeof schema;
export type Database = PgDatabase<PgQueryResultHKT, Schema>;
export type Transaction = PgTransaction<PgQueryResultHKT, Schema>;
/** Anything that runs statements: the database itself or an open transaction. */
export type Executor = Database | Transaction;

export const migrationsFolder = fileURLToPath(new URL("../../../drizzle", import.meta.url));

export interface DatabaseOptions {
  /** postgres:// URL the application connects with (a role that owns nothing, see scope.ts). Absent: PGlite. */
  url?: string | undefined;
  /** postgres:// URL of the tables' owner, for migrations only; absent: migrations use `url`. */
  migrationUrl?: string | undefined;
  /**
   * Benchmarks only (bench/rls-overhead.ts): `false` sends statements as they are, with the connecting user's own
   * rights and no scope — the application's WHERE alone, as before row-level security. Never in the application.
   */
  rowLevelSecurity?: false | undefined;
  /** PGlite data directory; absent (with no url): in memory. */
  dataDir?: string | undefined;
  /** postgres.js pool size. */
  poolSize?: number | undefined;
  /** Called with each SQL statement the application sends (statement counting, debug logging). */
  onQuery?: ((query: string) => void) | undefined;
  /** Seconds one connection attempt may take (postgres.js `connect_timeout`). */
  connectTimeoutSeconds?: number | undefined;
  /** Server-side statement timeout sent at connection start; 0 or absent: none (e.g. set by PgBouncer). */
  statementTimeoutMs?: number | undefined;
  /** Longest wait for a free pooled connection before a statement fails with DATABASE_UNAVAILABLE. */
  poolWaitMs?: number | undefined;
  /** Server-side prepared statements; off behind PgBouncer in transaction mode. */
  prepare?: boolean | undefined;
  /**
   * Embedded only: a new data folder (one that holds no cluster yet) starts from this dump of a database instead
   * of the empty cluster template (npm start's seeded demo database); an existing folder opens as it is.
   */
  startFrom?: Blob | undefined;
}

export interface DatabaseHandle {
  db: Database;
  engine: "postgres" | "pglite";
  /** Throws unless the database answers a trivial query within `timeoutMs` (1 s by default). */
  ping(timeoutMs?: number): Promise<void>;
  /** False while PostgreSQL is known to be unreachable (statements then fail at once). */
  available(): boolean;
  migrate(): Promise<void>;
  /** Embedded only: the whole database as a gzipped dump (`startFrom` opens a new one from it). */
  dump?: () => Promise<Blob>;
  close(): Promise<void>;
}

/** Statements with more parameters than this are left unprepared: their text is one of a list's many lengths. */
const MAX_PREPARED_PARAMETERS = 64;

/**
 * drizzle asks postgres.js for an unnamed statement (parsed, described, planned, and its row description decoded on
 * every execution) unless a query is `.prepare()`d by name. Our statements keep one text for any values (arrays and
 * JSON as one parameter), so each is prepared once per connection (postgres.js keeps them by text), and PostgreSQL
 * plans it once (`plan_cache_mode` auto: after five executions planned for their values, the generic plan when it
 * costs no more), except:
 * - a statement that matches text (LIKE, trigram similarity: scope.ts, `suitsGenericPlan`) is sent unnamed, even a
 *   drizzle `.prepare()`d one, so it is planned for each execution's values: how common a search's characters are
 *   decides its plan;
 * - a statement with a long list of parameters, so that lists of every length do not fill the cache.
 * `prepare: false` (PgBouncer in transaction mode) still turns it off for every statement, and transactions keep
 * drizzle's unnamed statements.
 */
function preparing(
  query: string,
  parameters: readonly unknown[] | undefined,
  queryOptions: object | undefined,
): object | undefined {
  // not even when drizzle asks (a `.prepare()`d query): a named statement may settle on a generic plan
  if (!suitsGenericPlan(query)) return { ...queryOptions, prepare: false };
  return parameters?.length && parameters.length <= MAX_PREPARED_PARAMETERS
    ? { ...queryOptions, prepare: true }
    : queryOptions;
}

/** The pool with statements prepared as `preparing` says, and no scope (`rowLevelSecurity: false`). */
function preparingStatements(client: postgres.Sql): postgres.Sql {
  const unsafe: postgres.Sql["unsafe"] = (query, parameters, queryOptions) =>
    client.unsafe(query, parameters, preparing(query, parameters, queryOptions));
  return new Proxy(client, {
    get: (target, property) => (property === "unsafe" ? unsafe : Reflect.get(target, property, target)),
  });
}

/** A statement as drizzle uses a postgres.js query: awaited once, as rows or (`.values()`) as arrays. */
class ScopedQuery {
  private arrays = false;
  constructor(private readonly run: (arrays: boolean) => Promise<unknown>) {}
  values(): this {
    this.arrays = true;
    return this;
  }
  // biome-ignore lint/suspicious/noThenProperty: drizzle awaits it like the postgres.js query it stands for
  then<T, E>(onFulfilled?: (value: unknown) => T, onRejected?: (error: unknown) => E): Promise<T | E> {
    return this.run(this.arrays).then(onFulfilled, onRejected);
  }
}

/**
 * The pool with every statement in its scope (scope.ts): one statement that names a table under row-level security
 * is sent as begin, the scope, the statement and commit written at once on one reserved connection (pipelined: one
 * round trip); others as they are; a transaction sets the scope as its first statement. A failed statement leaves
 * its transaction aborted, and the commit then ends it.
 */
function scopingStatements(client: postgres.Sql): postgres.Sql {
  const unsafe = (query: string, parameters?: unknown[], queryOptions?: object) => {
    if (!needsScope(query))
      return client.unsafe(query, parameters as never, preparing(query, parameters, queryOptions));
    const scope = currentScope();
    return new ScopedQuery(async (arrays) => {
      const reserved = await client.reserve();
      try {
        const statement = reserved.unsafe(query, parameters as never, preparing(query, parameters, queryOptions));
        const steps = [
          reserved.unsafe("begin").execute(),
          reserved
            .unsafe(suitsGenericPlan(query) ? SET_SCOPE_GENERIC_PLAN_SQL : SET_SCOPE_SQL, scopeParameters(scope), {
              prepare: true,
            })
            .execute(),
          (arrays ? statement.values() : statement).execute(),
          reserved.unsafe("commit").execute(),
        ];
        const settled = await Promise.allSettled(steps);
        for (const step of settled) if (step.status === "rejected") throw step.reason;
        return (settled[2] as PromiseFulfilledResult<unknown>).value;
      } finally {
        reserved.release();
      }
    });
  };
  const begin = (...args: unknown[]) => {
    const scope = currentScope();
    const work = args.pop() as (tx: postgres.TransactionSql) => unknown;
    return (client.begin as (...a: unknown[]) => Promise<unknown>)(...args, async (tx: postgres.TransactionSql) => {
      await tx.unsafe(SET_SCOPE_SQL, scopeParameters(scope));
      return work(tx);
    });
  };
  return new Proxy(client, {
    get: (target, property) =>
      property === "unsafe" ? unsafe : property === "begin" ? begin : Reflect.get(target, property, target),
  });
}

export async function openDatabase(options: DatabaseOptions): Promise<DatabaseHandle> {
  const onQuery = options.onQuery;
  const logger: Logger | undefined = onQuery ? { logQuery: (query) => onQuery(query) } : undefined;

  if (options.url) {
    const settings = {
      onnotice: () => {},
      connect_timeout: options.connectTimeoutSeconds ?? 5,
      // postgres.js waits up to 20 s between reconnection attempts after repeated failures; statements queue
      // behind that wait. A short backoff lets the pool reconnect within moments of the server's return.
      backoff: (attempt: number) => Math.min(0.05 * attempt, 0.25),
      prepare: options.prepare ?? true,
      connection: {
        application_name: "wenzhou-chambers",
        ...(options.statementTimeoutMs ? { statement_timeout: options.statementTimeoutMs } : {}),
        // prepared statements are planned once where their values do not change the plan (`preparing` above; behind
        // PgBouncer nothing is prepared and every execution is planned), and no JIT compilation: it costs our short
        // statements more than it saves (also set on the role wz_app). A statement under row-level security that
        // matches no text runs on its generic plan at once (scope.ts, SET_SCOPE_GENERIC_PLAN_SQL)
        ...((options.prepare ?? true) ? { plan_cache_mode: "auto", jit: "off" } : {}),
      },
    };
    const url = options.url;
    let first: postgres.Sql | undefined;
    const newPool = () => {
      const pool = postgres(url, { ...settings, max: options.poolSize ?? 10 });
      // drizzle sets its parsers and serializers (JSON and dates as text) on the pool it is given; a pool that replaces
      // it after an outage needs them too, or a prepared statement's JSON parameter would be encoded twice
      if (first) {
        Object.assign(pool.options.parsers, first.options.parsers);
        Object.assign(pool.options.serializers, first.options.serializers);
      } else first = pool;
      return options.rowLevelSecurity === false ? preparingStatements(pool) : scopingStatements(pool);
    };
    // Readiness has its own connection so a busy pool never delays the answer; one that timed out may be
    // stuck on a dead network path, so the next probe gets a new one.
    const newProbe = () => postgres(url, { ...settings, max: 1, connect_timeout: 1, idle_timeout: 30 });
    let client = newPool();
    let probe = newProbe();
    const probeOnce = async (timeoutMs: number) => {
      try {
        await withTimeout(probe`select 1`, timeoutMs, `the database did not answer within ${timeoutMs} ms`);
      } catch (error) {
        const stuck = probe;
        probe = newProbe();
        void stuck.end({ timeout: 0 }).catch(() => {});
        throw error;
      }
    };
    const gate = new ConnectionGate({
      size: options.poolSize ?? 10,
      waitMs: options.poolWaitMs ?? 2000,
      statementDeadlineMs: options.statementTimeoutMs ? options.statementTimeoutMs + 2000 : undefined,
      probe: () => probeOnce(1000),
      onDown: () => {
        const stuck = client;
        client = newPool();
        void stuck.end({ timeout: 0 }).catch(() => {});
      },
    });
    const db = drizzlePostgres(
      gate.wrap(() => client),
      { schema, logger },
    ) as unknown as Database;
    return {
      db,
      engine: "postgres",
      ping: async (timeoutMs = 1000) => {
        try {
          await probeOnce(timeoutMs);
          gate.markUp();
        } catch (error) {
          gate.markDown(error);
          throw error;
        }
      },
      available: () => gate.up,
      migrate: async () => {
        // the owner's own short-lived connection: the application's pool never holds the owner's rights
        const owner = postgres(options.migrationUrl ?? url, { ...settings, max: 1 });
        try {
          await migratePostgres(drizzlePostgres(owner, { schema }), { migrationsFolder });
        } finally {
          await owner.end({ timeout: 5 });
        }
      },
      close: async () => {
        gate.close();
        await Promise.all([client.end({ timeout: 5 }), probe.end({ timeout: 1 })]);
      },
    };
  }

  // Two processes writing one PGlite folder corrupt it: the folder is locked for as long as this process lives.
  const lock = options.dataDir ? await lockDataDir(options.dataDir) : undefined;
  let client: PGlite;
  try {
    client = await createPglite(options.dataDir, options.startFrom);
  } catch (error) {
    await lock?.release();
    throw error;
  }
  const db = drizzlePglite(scopingPglite(client), { schema, logger }) as unknown as Database;
  return {
    db,
    engine: "pglite",
    ping: async (timeoutMs = 1000) => {
      await withTimeout(client.query("select 1"), timeoutMs, `the database did not answer within ${timeoutMs} ms`);
    },
    available: () => !client.closed,
    migrate: async () => {
      await migratePglite(drizzlePglite(client, { schema }), { migrationsFolder });
    },
    dump: () => client.dumpDataDir("gzip"),
    close: async () => {
      if (!client.closed) await client.close();
      await lock?.release();
    },
  };
}

/**
 * PGlite is one connection whose user is a superuser (who bypasses RLS): a viewer's statement or transaction runs in
 * a transaction that becomes the application's role and sets the scope first, so the same policies hold here too.
 * The system scope, which every policy lets through, runs as it is.
 */
function scopingPglite(pglite: PGlite): PGlite {
  type PgliteTransaction = Parameters<Parameters<PGlite["transaction"]>[0]>[0];
  const scoped = <T>(work: (tx: PgliteTransaction) => Promise<T>): Promise<T> | undefined => {
    const scope = currentScope();
    if (scope.kind === "system") return undefined;
    return pglite.transaction(async (tx) => {
      await tx.query(SET_SCOPE_SQL, scopeParameters(scope));
      return work(tx);
    });
  };
  const query: PGlite["query"] = (text, parameters, queryOptions) =>
    (needsScope(text) ? scoped((tx) => tx.query(text, parameters, queryOptions)) : undefined) ??
    pglite.query(text, parameters, queryOptions);
  const transaction: PGlite["transaction"] = (work) => scoped(work) ?? pglite.transaction(work);
  return new Proxy(pglite, {
    get(target, property) {
      if (property === "query") return query;
      if (property === "transaction") return transaction;
      const value = Reflect.get(target, property, target) as unknown;
      return typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

/**
 * A new database starts from the cluster template when there is one (see cluster-template.ts), else from
 * initdb, whose fresh cluster then becomes the template; an existing data folder opens as it is.
 */
async function createPglite(dataDir: string | undefined, startFrom: Blob | undefined): Promise<PGlite> {
  if (holdsCluster(dataDir)) return PGlite.create({ dataDir, extensions: pgliteExtensions });
  if (startFrom) {
    try {
      return await PGlite.create({ dataDir, extensions: pgliteExtensions, loadDataDir: startFrom });
    } catch {
      // a damaged dump: start as if there were none
      if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    }
  }
  const template = readClusterTemplate();
  if (template) {
    try {
      return await PGlite.create({ dataDir, extensions: pgliteExtensions, loadDataDir: template });
    } catch {
      // a damaged template: initdb as if there were none, and replace it below
      if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    }
  }
  const client = await PGlite.create({ dataDir, extensions: pgliteExtensions });
  await saveClusterTemplate(client).catch(() => {}); // a read-only node_modules: the next start runs initdb too
  return client;
}

/** True when no chamber exists yet: the embedded default then loads demo data. */
export async function isEmpty(db: Database): Promise<boolean> {
  const rows = await db.select({ id: schema.chamberTable.id }).from(schema.chamberTable).limit(1);
  return rows.length === 0;
}

function withTimeout<T>(promise: PromiseLike<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DatabaseUnavailableError(message)), ms);
  });
  return Promise.race([Promise.resolve(promise), timeout]).finally(() => clearTimeout(timer));
}

/**
 * Runs `work` with `executor`'s statements in the system scope, for the one step of a viewer's change that writes
 * what no viewer reads back — mail for the worker to send, de-duplicated against mail already queued (INSERT … ON
 * CONFLICT reads the table) — or that must reach every chamber's rows (erasure). In a transaction the scope is
 * switched for the step and restored after it; on the database itself each statement runs as the system's.
 */
export async function systemStep<T>(executor: Executor, work: () => Promise<T>): Promise<T> {
  if (!(executor instanceof PgTransaction)) return asSystem(work);
  const [row] = rowsOf<{ previous: string | null }>(
    await executor.execute(
      sql`select current_setting('app.scope', true) as previous, set_config('app.scope', 'system', true)`,
    ),
  );
  const restore = () => executor.execute(sql`select set_config('app.scope', ${row?.previous ?? ""}, true)`);
  let result: T;
  try {
    result = await work();
  } catch (error) {
    // a caller that catches this and goes on in the transaction must not go on as the system; if the
    // transaction is already aborted the restore fails too, and the step's own error is the one that matters
    await restore().catch(() => undefined);
    throw error;
  }
  await restore();
  return result;
}

/** The rows of `execute`'s result, whichever driver ran it (postgres.js gives an array, PGlite `{ rows }`). */
export function rowsOf<T>(result: unknown): T[] {
  return Array.isArray(result) ? (result as T[]) : ((result as { rows?: T[] }).rows ?? []);
}
