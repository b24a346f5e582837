// Configuration, read from the environment once at start and validated: every bad value is named with
// what was expected, and the process stops before it listens.
import { z } from "zod";

const port = z.coerce.number().int().min(0).max(65535);
const positiveInt = z.coerce.number().int().positive();

const schema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  HOST: z.string().min(1).default("127.0.0.1"),
  PORT: port.default(4000),
  DATABASE_URL: z
    .string()
    .refine((v) => /^postgres(ql)?:\/\/.+/.test(v), "must be a postgres:// or postgresql:// URL")
    .optional(),
  /** The tables' owner, for migrations only: DATABASE_URL is then the application's role (wz_app, see README). */
  DATABASE_MIGRATION_URL: z
    .string()
    .refine((v) => /^postgres(ql)?:\/\/.+/.test(v), "must be a postgres:// or postgresql:// URL")
    .optional(),
  DATABASE_POOL_SIZE: positiveInt.max(200).default(10),
  DATABASE_CONNECT_TIMEOUT: positiveInt.max(3600).default(30),
  DATABASE_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(0).max(3_600_000).default(30_000),
  DATABASE_POOL_WAIT_MS: positiveInt.max(120_000).default(2000),
  DATABASE_PREPARE: z
    .enum(["true", "false"])
    .default("true")
    .transform((v) => v === "true"),
  DATA_DIR: z.string().min(1).default("./.data"),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  SESSION_TTL_HOURS: positiveInt.max(24 * 365).default(24 * 30),
  INVITE_TTL_HOURS: positiveInt.max(24 * 90).default(24 * 14),
  SHUTDOWN_GRACE_MS: positiveInt.max(120_000).default(10_000),
  WS_MAX_PAYLOAD_BYTES: positiveInt.max(10 * 1024 * 1024).default(64 * 1024),
  WS_MAX_OPERATIONS: positiveInt.max(1000).default(20),
  // Brakes on flooding (0: off): open sockets per signed-in user and per client address, operations per minute.
  WS_MAX_SOCKETS_PER_USER: z.coerce.number().int().min(0).max(10_000).default(16),
  WS_MAX_SOCKETS_PER_ADDRESS: z.coerce.number().int().min(0).max(100_000).default(256),
  OPERATIONS_PER_MINUTE_PER_USER: z.coerce.number().int().min(0).max(1_000_000).default(1200),
  OPERATIONS_PER_MINUTE_PER_ADDRESS: z.coerce.number().int().min(0).max(10_000_000).default(6000),
  LEAD_FEED_POLL_MS: positiveInt.min(50).max(600_000).default(2000),
  // Behind a balancer (deploy/nginx.conf sets X-Forwarded-For): the client address sign-in throttling counts by.
  TRUST_PROXY: z.enum(["true", "false"]).default("false"),
  // Node's HTTP server: time to receive a request's headers, and the whole request (a slow body is cut).
  HTTP_HEADERS_TIMEOUT_MS: positiveInt.max(120_000).default(10_000),
  HTTP_REQUEST_TIMEOUT_MS: positiveInt.max(600_000).default(30_000),
  REDIS_URL: z
    .string()
    .refine((v) => /^rediss?:\/\/.+/.test(v), "must be a redis:// or rediss:// URL")
    .optional(),
  // Mail (invitations, referral notices, dues reminders) goes out over SMTP; unset: written to the log instead.
  SMTP_URL: z
    .string()
    .refine((v) => /^smtps?:\/\/.+/.test(v), "must be an smtp:// or smtps:// URL")
    .optional(),
  MAIL_FROM: z.string().min(3).default("Wenzhou chambers <no-reply@localhost>"),
  // Where the console is, for links in mail (absent: mail names no address).
  PUBLIC_URL: z.url().optional(),
  MAIL_POLL_MS: positiveInt.min(100).max(600_000).default(5000),
  // Retention (README "Personal information"): days each kind of record is kept after it ends; 0 keeps it for ever.
  RETENTION_SESSION_DAYS: z.coerce.number().int().min(0).max(36_500).default(180),
  RETENTION_INVITE_DAYS: z.coerce.number().int().min(0).max(36_500).default(30),
  RETENTION_ACCESS_DAYS: z.coerce.number().int().min(0).max(36_500).default(180),
  RETENTION_AUDIT_DAYS: z.coerce
    .number()
    .int()
    .min(0)
    .max(36_500)
    .default(3 * 365),
  // How often the retention worker purges (the first run is at start).
  RETENTION_INTERVAL_MINUTES: positiveInt.max(7 * 24 * 60).default(60),
  // Repeated documents run compiled by graphql-jit (graphql/common/compiled-execution.ts); off: all on graphql-js.
  COMPILED_EXECUTION: z.enum(["on", "off"]).default("on"),
  // GET /metrics: on outside production; in production only with METRICS=on or a METRICS_TOKEN.
  METRICS: z.enum(["on", "off"]).optional(),
  METRICS_TOKEN: z.string().min(16, "must be at least 16 characters").optional(),
  // Traces: the OTLP exporter reads the rest of OTEL_* itself; these decide whether tracing starts.
  OTEL_SDK_DISABLED: z.enum(["true", "false"]).optional(),
  OTEL_TRACES_EXPORTER: z.string().optional(),
  OTEL_EXPORTER_OTLP_ENDPOINT: z.url().optional(),
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: z.url().optional(),
});

export type Env = z.infer<typeof schema>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

/** Parses the given environment (process.env by default); empty strings count as unset. */
export function readEnv(source: Record<string, string | undefined> = process.env): Env {
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ""));
  const result = schema.safeParse(cleaned);
  if (!result.success) {
    throw new ConfigError(
      result.error.issues.map((issue) => {
        const name = issue.path.join(".");
        return `${name}=${JSON.stringify(cleaned[name] ?? "")}: ${issue.message}`;
      }),
    );
  }
  return result.data;
}
