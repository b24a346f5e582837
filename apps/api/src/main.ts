// `npm start`: validate the configuration, open and migrate the database (seeding the embedded one with
// demo data when empty), serve, and shut down gracefully on SIGTERM/SIGINT.
import { coreSettingsFrom, openConfiguredDatabase, seedDemoIfEmbeddedAndEmpty } from "./app";
import { ConfigError, readEnv } from "./env";
import { createConfiguredEventBus } from "./event-bus";
import { createLogger } from "./logger";
import { createApiServer } from "./server";
import { createApiMetrics } from "./telemetry/metrics";
import { startTracing, tracingConfigured } from "./telemetry/tracing";

async function main(): Promise<void> {
  let env;
  try {
    env = readEnv();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    throw error;
  }
  const logger = createLogger(env.LOG_LEVEL);
  // started before the database opens, so that its statements are traced from the first
  const tracing = tracingConfigured(env) ? startTracing() : undefined;
  const database = await openConfiguredDatabase(env, logger);
  const poolSize = database.engine === "postgres" ? env.DATABASE_POOL_SIZE : 1;
  await seedDemoIfEmbeddedAndEmpty(database, logger);
  const events = createConfiguredEventBus(env.REDIS_URL, logger);
  const production = env.NODE_ENV === "production";
  const metricsOn = env.METRICS === "on" || (env.METRICS !== "off" && (!production || !!env.METRICS_TOKEN));
  const server = createApiServer({
    ...(metricsOn ? { metrics: createApiMetrics({ db: database.db, token: env.METRICS_TOKEN, poolSize }) } : {}),
    ...(tracing ? { plugins: tracing.plugins } : {}),
    database,
    bus: events.bus,
    leadFeedPollMs: env.LEAD_FEED_POLL_MS,
    maxOperationsPerSocket: env.WS_MAX_OPERATIONS,
    logger,
    settings: coreSettingsFrom(env),
    production: env.NODE_ENV === "production",
    wsMaxPayloadBytes: env.WS_MAX_PAYLOAD_BYTES,
    shutdownGraceMs: env.SHUTDOWN_GRACE_MS,
  });
  const address = await server.listen(env.PORT, env.HOST);
  logger.info({ url: `http://${env.HOST}:${address.port}/graphql` }, `Serving GraphQL on http://${env.HOST}:${address.port}/graphql`);

  const shutdown = (signal: string) => {
    logger.info({ signal }, "shutting down");
    server
      .close()
      .then(() => events.close())
      .then(() => tracing?.shutdown())
      .then(
      () => process.exit(0),
      (err: unknown) => {
        logger.error({ err }, "shutdown failed");
        process.exit(1);
      },
    );
  };
  process.once("SIGTERM", () => shutdown("SIGTERM"));
  process.once("SIGINT", () => shutdown("SIGINT"));
}

main().catch((error: unknown) => {
  process.stderr.write(`Failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
