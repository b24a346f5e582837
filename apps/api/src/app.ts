// Wires configuration, logger, database and server together; used by main.ts and the CLI commands.
import { type CoreSettings, defaultCoreSettings, refreshChamberSortKeys } from "@wz/core";
import { seedDemoData } from "@wz/core/demo";
import { type DatabaseHandle, holdsCluster, isEmpty, openDatabase } from "@wz/db";
import type { Logger } from "pino";
import { demoTemplatePath, readDemoTemplate, saveDemoTemplate } from "./demo-template";
import type { Env } from "./env";
import { waitForDatabase } from "./startup";

export function coreSettingsFrom(env: Env): CoreSettings {
  return {
    ...defaultCoreSettings,
    sessionTtlMs: env.SESSION_TTL_HOURS * 3600_000,
    inviteTtlMs: env.INVITE_TTL_HOURS * 3600_000,
  };
}

/**
 * `startFromDemo` (npm start only): a new embedded data folder starts from today's demo database when one was
 * kept (demo-template.ts); the CLI commands always start an empty one.
 */
export async function openConfiguredDatabase(
  env: Env,
  logger: Logger,
  options: { startFromDemo?: boolean } = {},
): Promise<DatabaseHandle> {
  const opening = Date.now();
  logger.info(
    env.DATABASE_URL ? { engine: "postgres" } : { engine: "pglite", dataDir: env.DATA_DIR },
    env.DATABASE_URL ? "opening the database" : `opening the embedded database in ${env.DATA_DIR}`,
  );
  const fresh = options.startFromDemo && !env.DATABASE_URL && !holdsCluster(env.DATA_DIR);
  const path = fresh ? demoTemplatePath() : undefined;
  const demo = path ? readDemoTemplate(path) : undefined;
  if (demo) logger.info({ template: path }, "a new data folder: starting from today's demo database");
  const database = await openDatabase({
    url: env.DATABASE_URL,
    migrationUrl: env.DATABASE_MIGRATION_URL,
    dataDir: env.DATA_DIR,
    poolSize: env.DATABASE_POOL_SIZE,
    statementTimeoutMs: env.DATABASE_STATEMENT_TIMEOUT_MS,
    poolWaitMs: env.DATABASE_POOL_WAIT_MS,
    prepare: env.DATABASE_PREPARE,
    startFrom: demo,
  });
  logger.info(
    {
      engine: database.engine,
      ms: Date.now() - opening,
      ...(database.engine === "pglite" ? { dataDir: env.DATA_DIR } : {}),
    },
    "database opened",
  );
  await waitForDatabase(database, env.DATABASE_URL, env.DATABASE_CONNECT_TIMEOUT, logger);
  const migrating = Date.now();
  logger.info({}, "migrating the database");
  await database.migrate();
  // chambers from before migration 0008 get their pinyin sort key
  const sortKeys = await refreshChamberSortKeys(database.db);
  logger.info({ ms: Date.now() - migrating, ...(sortKeys ? { sortKeys } : {}) }, "database migrated");
  return database;
}

/** The embedded default loads demo data into an empty database; PostgreSQL never gets it unless asked. */
export async function seedDemoIfEmbeddedAndEmpty(database: DatabaseHandle, logger: Logger): Promise<void> {
  if (database.engine !== "pglite" || !(await isEmpty(database.db))) return;
  const loading = Date.now();
  logger.info({}, "the database is empty: loading demo data");
  const summary = await seedDemoData(database.db);
  const counts = Object.entries(summary)
    .map(([what, n]) => `${n} ${what}`)
    .join(", ");
  logger.info(
    { ...summary, ms: Date.now() - loading },
    `demo data loaded: ${counts} (accounts use password demo-password)`,
  );
  // kept for the next new data folder today (a read-only cache only costs the next start the same load)
  const keeping = Date.now();
  try {
    if (database.dump) await saveDemoTemplate(await database.dump());
    logger.info({ ms: Date.now() - keeping }, "demo database kept for the next new data folder today");
  } catch (err) {
    logger.warn({ err }, "could not keep the demo database; the next new data folder loads it again");
  }
}
