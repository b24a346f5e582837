// Start failures that say what went wrong in one line, each with its own exit code: the port is checked
// before the database is opened, and the database is retried with backoff for DATABASE_CONNECT_TIMEOUT.

import { createServer } from "node:net";
import { type DatabaseHandle, DataDirInUseError, isConnectionError } from "@wz/db";
import type { Logger } from "pino";

/** Exit codes (sysexits.h where one fits), documented in the README. */
export const exitCodes = {
  usage: 64,
  databaseUnreachable: 69,
  cutAtShutdown: 70,
  portInUse: 71,
  dataDirInUse: 73,
  config: 78,
} as const;

export class StartupError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
    this.name = "StartupError";
  }
}

/** Fails with a StartupError when `port` on `host` cannot be bound (checked before anything else opens). */
export async function assertPortFree(port: number, host: string): Promise<void> {
  if (port === 0) return;
  await new Promise<void>((resolve, reject) => {
    const probe = createServer();
    probe.once("error", (error: NodeJS.ErrnoException) => {
      const why = error.code === "EADDRINUSE" ? "is already in use" : `cannot be used (${error.code ?? error.message})`;
      const message = `Port ${port} on ${host} ${why}: stop the other server or set PORT.`;
      reject(new StartupError(message, exitCodes.portInUse));
    });
    probe.listen({ port, host, exclusive: true }, () => probe.close(() => resolve()));
  });
}

function where(url: string | undefined): string {
  if (!url) return "the embedded database";
  try {
    const parsed = new URL(url);
    return `PostgreSQL at ${parsed.hostname}:${parsed.port || "5432"}`;
  } catch {
    return "PostgreSQL";
  }
}

function cause(error: unknown): string {
  const seen: string[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current; depth++) {
    const { code, message, cause: next } = current as { code?: unknown; message?: unknown; cause?: unknown };
    const text =
      typeof message === "string" && typeof code === "string" && !message.includes(code)
        ? `${code}: ${message}`
        : String(message ?? code ?? "");
    if (text && !seen.some((s) => s.includes(text))) seen.push(text);
    current = next;
  }
  return seen.join(" ← ") || String(error);
}

/**
 * Waits until the database answers, retrying connection failures with backoff (0.5 s doubling to 5 s) for
 * `timeoutSeconds`, logging each retry. Anything else (a wrong password, a missing database) fails at once.
 */
export async function waitForDatabase(
  database: DatabaseHandle,
  url: string | undefined,
  timeoutSeconds: number,
  logger: Logger,
): Promise<void> {
  const deadline = Date.now() + timeoutSeconds * 1000;
  for (let attempt = 1, delay = 500; ; attempt++, delay = Math.min(delay * 2, 5000)) {
    try {
      await database.ping(5000);
      if (attempt > 1) logger.info({ attempt }, `${where(url)} answers`);
      return;
    } catch (error) {
      const retryable = isConnectionError(error);
      const left = deadline - Date.now();
      if (!retryable || left <= 0) {
        await database.close().catch(() => {});
        const gaveUp = retryable ? ` (gave up after ${timeoutSeconds} s, DATABASE_CONNECT_TIMEOUT)` : "";
        throw new StartupError(`Cannot reach ${where(url)}: ${cause(error)}${gaveUp}`, exitCodes.databaseUnreachable);
      }
      const wait = Math.min(delay, left);
      logger.warn(
        { attempt, cause: cause(error), retryInMs: wait, giveUpInS: Math.ceil(left / 1000) },
        `${where(url)} does not answer yet (${cause(error)}); retrying in ${wait} ms`,
      );
      await new Promise((r) => setTimeout(r, wait));
    }
  }
}

/** Turns the known start failures into one line on stderr and their exit code. */
export function exitOnStartupError(error: unknown): never {
  if (error instanceof StartupError) {
    process.stderr.write(`${error.message}\n`);
    process.exit(error.exitCode);
  }
  if (error instanceof DataDirInUseError) {
    process.stderr.write(`${error.message}\n`);
    process.exit(exitCodes.dataDirInUse);
  }
  process.stderr.write(`Failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
}
