// PostgreSQL availability as the application sees it: statements take one of the pool's connections through
// this gate, wait a bounded time for one, and fail at once with DATABASE_UNAVAILABLE while a probe says the
// server is unreachable; the probe (every 200 ms while down) lets them through again as soon as it answers.
import type { Sql } from "postgres";

/** Statements fail with this while the database cannot be reached, or no pooled connection became free. */
export class DatabaseUnavailableError extends Error {
  readonly code = "DATABASE_UNAVAILABLE";
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "DatabaseUnavailableError";
  }
}

// Network errors, postgres.js's own connection errors, and the server's shutdown / connection-class SQLSTATEs.
const connectionCodes = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EPIPE",
  "ENOTFOUND",
  "EAI_AGAIN",
  "CONNECT_TIMEOUT",
  "CONNECTION_CLOSED",
  "CONNECTION_ENDED",
  "CONNECTION_DESTROYED",
  "57P01",
  "57P02",
  "57P03",
]);

/** True when the error (or one it wraps, as drizzle's DrizzleQueryError does) says the server is unreachable. */
export function isConnectionError(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current && typeof current === "object"; depth++) {
    if (current instanceof DatabaseUnavailableError) return true;
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string" && (connectionCodes.has(code) || code.startsWith("08"))) return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}

/** "ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:5432" — the cause of a connection error, in one line. */
export function describeConnectionError(error: unknown): string {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current && typeof current === "object"; depth++) {
    const { code, message, cause } = current as { code?: unknown; message?: unknown; cause?: unknown };
    if (typeof code === "string" || !cause)
      return typeof code === "string" && typeof message === "string" && !message.includes(code)
        ? `${code}: ${message}`
        : String(message ?? code);
    current = cause;
  }
  return String(error);
}

interface Waiter {
  resolve(): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
}

export interface ConnectionGateOptions {
  /** The pool's size: at most this many statements or transactions hold a connection at once. */
  size: number;
  /** Longest wait for a free connection. */
  waitMs: number;
  /** A single statement not settled by then fails (the server's statement timeout should have fired). */
  statementDeadlineMs?: number | undefined;
  /** A trivial query on a connection of its own, with its own short timeout. */
  probe(): Promise<unknown>;
  /**
   * Called when the server is found unreachable: replace the pool. Its connections may be stuck on a network
   * that lost their packets (TCP would take minutes to notice); ending them fails their statements at once.
   */
  onDown?(): void;
}

export class ConnectionGate {
  up = true;
  private inUse = 0;
  private readonly waiting: Waiter[] = [];
  private probeTimer: NodeJS.Timeout | undefined;
  private probing = false;
  private closed = false;
  private lastCause = "";

  constructor(private readonly options: ConnectionGateOptions) {}

  markUp(): void {
    this.up = true;
    clearTimeout(this.probeTimer);
    this.probeTimer = undefined;
  }

  /** The server is unreachable: fail every waiting and new statement at once, and probe until it answers. */
  markDown(error: unknown): void {
    this.lastCause = describeConnectionError(error);
    if (!this.up || this.closed) return;
    this.up = false;
    this.options.onDown?.();
    for (const waiter of this.waiting.splice(0)) {
      clearTimeout(waiter.timer);
      waiter.reject(this.unavailable());
    }
    this.scheduleProbe(200);
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.probeTimer);
  }

  /** Runs `work` holding one of the pool's connections. */
  async run<T>(work: () => PromiseLike<T>, deadlineMs?: number): Promise<T> {
    await this.acquire();
    const running = Promise.resolve()
      .then(work)
      .finally(() => this.release());
    let timer: NodeJS.Timeout | undefined;
    const deadline =
      deadlineMs === undefined
        ? undefined
        : new Promise<never>((_, reject) => {
            const late = () => reject(new DatabaseUnavailableError(`no answer within ${deadlineMs} ms`));
            timer = setTimeout(late, deadlineMs);
          });
    try {
      return await (deadline ? Promise.race([running, deadline]) : running);
    } catch (error) {
      if (!isConnectionError(error)) throw error;
      this.suspect(error);
      if (error instanceof DatabaseUnavailableError) throw error;
      const message = `The database is unreachable (${describeConnectionError(error)})`;
      throw new DatabaseUnavailableError(message, { cause: error });
    } finally {
      clearTimeout(timer);
    }
  }

  /** The postgres.js client (the current one: onDown may replace it) with every statement going through the gate. */
  wrap(current: () => Sql): Sql {
    const gate = this;
    const deadline = this.options.statementDeadlineMs;
    return new Proxy(current(), {
      get(_, property) {
        const target = current();
        if (property === "unsafe")
          return (...args: Parameters<Sql["unsafe"]>) => {
            // A postgres.js query runs when first awaited: hold that back until the gate lets it through.
            const query = target.unsafe(...args);
            const then = query.then.bind(query);
            // biome-ignore lint/suspicious/noThenProperty: the query must stay a thenable, deferred by the gate
            Object.defineProperty(query, "then", {
              value: (onFulfilled?: (v: unknown) => unknown, onRejected?: (e: unknown) => unknown) =>
                gate.run(() => ({ then }), deadline).then(onFulfilled, onRejected),
            });
            return query;
          };
        // A transaction is several statements: it gets twice a statement's deadline.
        if (property === "begin")
          return (...args: unknown[]) =>
            gate.run(() => (target.begin as (...a: unknown[]) => Promise<unknown>)(...args), deadline && deadline * 2);
        return Reflect.get(target, property, target) as unknown;
      },
    });
  }

  private unavailable(): DatabaseUnavailableError {
    return new DatabaseUnavailableError(`The database is unreachable (${this.lastCause})`);
  }

  /** A connection error on one statement: ask the probe before failing everyone else. */
  private suspect(error: unknown): void {
    if (!this.up || this.probing || this.closed) return;
    this.probing = true;
    this.options.probe().then(
      () => (this.probing = false),
      () => {
        this.probing = false;
        this.markDown(error);
      },
    );
  }

  private scheduleProbe(ms: number): void {
    if (this.closed) return;
    this.probeTimer = setTimeout(() => {
      this.options.probe().then(
        () => this.markUp(),
        (error: unknown) => {
          this.lastCause = describeConnectionError(error);
          if (!this.up) this.scheduleProbe(200);
        },
      );
    }, ms);
    this.probeTimer.unref();
  }

  private acquire(): Promise<void> {
    // Our own handle closed is a programming error, not an outage: it stays an internal (masked) error.
    if (this.closed) return Promise.reject(new Error("The database connection is closed"));
    if (!this.up) return Promise.reject(this.unavailable());
    if (this.inUse < this.options.size) {
      this.inUse++;
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = {
        resolve,
        reject,
        timer: setTimeout(() => {
          this.waiting.splice(this.waiting.indexOf(waiter), 1);
          reject(new DatabaseUnavailableError(`No database connection became free within ${this.options.waitMs} ms`));
        }, this.options.waitMs),
      };
      this.waiting.push(waiter);
    });
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next) {
      clearTimeout(next.timer);
      next.resolve();
    } else this.inUse--;
  }
}
