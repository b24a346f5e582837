// `npm start`: validate the configuration, open and migrate the database (seeding the embedded one with
// demo data when empty), serve, and shut down gracefully on SIGTERM/SIGINT.
import { createConsoleHandler, ensureConsoleBuilt } from "./console";
import { coreSettingsFrom, openConfiguredDatabase, seedDemoIfEmbeddedAndEmpty } from "./app";
import { ConfigError, readEnv } from "./env";
import { createConfiguredEventBus } from "./event-bus";
import { createLogger } from "./logger";
import { createApiServer } from "./server";

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
  const consoleBuilt = ensureConsoleBuilt(logger); // alongside opening the database
  const database = await openConfiguredDatabase(env, logger);
  await seedDemoIfEmbeddedAndEmpty(database, logger);
  await consoleBuilt;
  const events = createConfiguredEventBus(env.REDIS_URL, logger);
  const server = createApiServer({
    database,
    bus: events.bus,
    leadFeedPollMs: env.LEAD_FEED_POLL_MS,
    maxOperationsPerSocket: env.WS_MAX_OPERATIONS,
    logger,
    settings: coreSettingsFrom(env),
    production: env.NODE_ENV === "production",
    wsMaxPayloadBytes: env.WS_MAX_PAYLOAD_BYTES,
    shutdownGraceMs: env.SHUTDOWN_GRACE_MS,
    console: createConsoleHandler(),
  });
  const address = await server.listen(env.PORT, env.HOST);
  logger.info({ url: `http://${env.HOST}:${address.port}/graphql` }, `Serving GraphQL on http://${env.HOST}:${address.port}/graphql`);

  const shutdown = (signal: string) => {
    logger.info({ signal }, "shutting down");
    server
      .close()
      .then(() => events.close())
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
