// `npm start`: validate the configuration, check the port, open and migrate the database (seeding the
// embedded one with demo data when empty), build the console when stale, serve, and shut down gracefully on
// SIGTERM/SIGINT.

import { coreSettingsFrom, openConfiguredDatabase, seedDemoIfEmbeddedAndEmpty } from "./app";
import { createConsoleHandler, ensureConsoleBuilt } from "./console";
import { ConfigError, readEnv } from "./env";
import { createConfiguredEventBus, createConfiguredThrottles } from "./event-bus";
import { createLogger } from "./logger";
import { createMailTransport, senderDomain } from "./mail";
import { createApiServer } from "./server";
import { assertPortFree, exitCodes, exitOnStartupError } from "./startup";
import { createApiMetrics } from "./telemetry/metrics";
import { startTracing, tracingConfigured } from "./telemetry/tracing";

async function main(): Promise<void> {
  let env: ReturnType<typeof readEnv>;
  try {
    env = readEnv();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(exitCodes.config);
    }
    throw error;
  }
  const logger = createLogger(env.LOG_LEVEL);
  let stop: (() => Promise<number>) | undefined;
  const shutdown = (signal: string) => {
    logger.info({ signal }, "shutting down");
    // A signal during start (opening, migrating, seeding) just ends the process; the data folder lock goes with it.
    if (!stop) process.exit(1);
    stop().then(
      (code) => process.exit(code),
      (err: unknown) => {
        logger.error({ err }, "shutdown failed");
        process.exit(1);
      },
    );
  };
  process.once("SIGTERM", () => shutdown("SIGTERM"));
  process.once("SIGINT", () => shutdown("SIGINT"));
  watchParent(() => shutdown("parent exited"));

  await assertPortFree(env.PORT, env.HOST);
  const consoleBuilt = ensureConsoleBuilt(logger); // alongside opening the database
  // started before the database opens, so that its statements are traced from the first
  const tracing = tracingConfigured(env) ? startTracing() : undefined;
  const database = await openConfiguredDatabase(env, logger, { startFromDemo: true });
  const poolSize = database.engine === "postgres" ? env.DATABASE_POOL_SIZE : 1;
  await seedDemoIfEmbeddedAndEmpty(database, logger);
  await consoleBuilt;
  const events = createConfiguredEventBus(env.REDIS_URL, logger);
  const throttle = createConfiguredThrottles(env.REDIS_URL, {
    perUserPerMinute: env.OPERATIONS_PER_MINUTE_PER_USER,
    perAddressPerMinute: env.OPERATIONS_PER_MINUTE_PER_ADDRESS,
  });
  const production = env.NODE_ENV === "production";
  const metricsOn = env.METRICS === "on" || (env.METRICS !== "off" && (!production || !!env.METRICS_TOKEN));
  const server = createApiServer({
    ...(metricsOn ? { metrics: createApiMetrics({ db: database.db, token: env.METRICS_TOKEN, poolSize }) } : {}),
    ...(tracing ? { plugins: tracing.plugins } : {}),
    ...(env.COMPILED_EXECUTION === "off" ? { compiledExecution: false as const } : {}),
    database,
    bus: events.bus,
    leadFeedPollMs: env.LEAD_FEED_POLL_MS,
    loginThrottle: throttle.throttle,
    trustProxy: env.TRUST_PROXY === "true",
    headersTimeoutMs: env.HTTP_HEADERS_TIMEOUT_MS,
    requestTimeoutMs: env.HTTP_REQUEST_TIMEOUT_MS,
    maxOperationsPerSocket: env.WS_MAX_OPERATIONS,
    operationThrottle: throttle.operations,
    ...(env.WS_MAX_SOCKETS_PER_USER ? { maxSocketsPerUser: env.WS_MAX_SOCKETS_PER_USER } : {}),
    ...(env.WS_MAX_SOCKETS_PER_ADDRESS ? { maxSocketsPerAddress: env.WS_MAX_SOCKETS_PER_ADDRESS } : {}),
    logger,
    settings: coreSettingsFrom(env),
    production: env.NODE_ENV === "production",
    wsMaxPayloadBytes: env.WS_MAX_PAYLOAD_BYTES,
    shutdownGraceMs: env.SHUTDOWN_GRACE_MS,
    console: createConsoleHandler(),
    mail: {
      transport: createMailTransport(
        { smtpUrl: env.SMTP_URL, from: env.MAIL_FROM },
        logger.child({ component: "mail" }),
      ),
      pollMs: env.MAIL_POLL_MS,
      messageIdDomain: senderDomain(env.MAIL_FROM),
      render: { consoleUrl: env.PUBLIC_URL },
    },
    investmentOverdueSweep: {},
    retention: {
      periods: {
        sessionDays: env.RETENTION_SESSION_DAYS,
        inviteDays: env.RETENTION_INVITE_DAYS,
        accessDays: env.RETENTION_ACCESS_DAYS,
        auditDays: env.RETENTION_AUDIT_DAYS,
      },
      intervalMs: env.RETENTION_INTERVAL_MINUTES * 60_000,
    },
  });
  if (!env.SMTP_URL) logger.info({}, "SMTP_URL unset: mail is written to the log instead of sent");
  const address = await server.listen(env.PORT, env.HOST);
  logger.info(
    { url: `http://${env.HOST}:${address.port}/graphql`, readyInMs: Math.round(performance.now()) },
    `Serving GraphQL on http://${env.HOST}:${address.port}/graphql`,
  );
  stop = async () => {
    const report = await server.close();
    await events.close();
    await throttle.close();
    await tracing?.shutdown();
    if (report.cut.length === 0) return 0;
    const cut = report.cut.join(", ");
    process.stderr.write(`Shutdown cut ${report.cut.length} request(s) at the grace deadline: ${cut}\n`);
    return exitCodes.cutAtShutdown;
  };
}

/**
 * Under `npm start` the server is npm's child: npm passes SIGTERM/SIGINT on, but if npm itself is killed
 * outright the server would be left running. When the parent goes away (we are re-parented), shut down.
 */
function watchParent(onGone: () => void): void {
  if (!process.env.npm_lifecycle_event) return;
  const parent = process.ppid;
  const timer = setInterval(() => {
    if (process.ppid !== parent) {
      clearInterval(timer);
      onGone();
    }
  }, 500);
  timer.unref();
}

main().catch(exitOnStartupError);
