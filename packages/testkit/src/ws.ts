// A graphql-ws client for tests: run one operation over a WebSocket and collect its results, or see how
// the server closed the socket.
import { type Client, createClient, type FormattedExecutionResult } from "graphql-ws";
import WebSocket from "ws";

/** `params` adds to the connection's `connectionParams` (e.g. `{ locale: "zh-CN" }`). */
export function wsClient(
  url: string,
  token: string | null,
  onClosed?: (code: number, reason: string) => void,
  params: Record<string, unknown> = {},
): Client {
  return createClient({
    url,
    webSocketImpl: WebSocket,
    lazy: true,
    retryAttempts: 0,
    connectionParams: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...params },
    on: {
      closed: (event) => {
        const e = event as { code: number; reason: string };
        onClosed?.(e.code, e.reason);
      },
    },
  });
}

/** Runs a query or mutation over the socket and resolves with its single result (or rejects with the close). */
export function wsExecute<T = Record<string, unknown>>(
  client: Client,
  query: string,
  variables?: Record<string, unknown>,
): Promise<FormattedExecutionResult<T, unknown>> {
  return new Promise((resolve, reject) => {
    let result: FormattedExecutionResult<T, unknown> | undefined;
    client.subscribe<T>(
      { query, ...(variables ? { variables } : {}) },
      {
        next: (value) => {
          result = value;
        },
        error: (error) => reject(error),
        complete: () => (result ? resolve(result) : reject(new Error("completed without a result"))),
      },
    );
  });
}

export interface SubscriptionProbe<T> {
  /** Every result received so far, in order. */
  results: FormattedExecutionResult<T, unknown>[];
  /** Resolves once at least `n` results have arrived (rejects after `timeoutMs`). */
  waitFor(n: number, timeoutMs?: number): Promise<FormattedExecutionResult<T, unknown>[]>;
  /**
   * Resolves with all results so far once one of them satisfies `accept` (rejects after `timeoutMs`).
   * With an end marker (an event the subscriber may receive, caused after the events under test), this is how
   * a test knows nothing more is coming: events reach each subscriber in log order.
   */
  waitUntil(
    accept: (result: FormattedExecutionResult<T, unknown>) => boolean,
    timeoutMs?: number,
  ): Promise<FormattedExecutionResult<T, unknown>[]>;
  unsubscribe(): void;
  /** Resolves when the server ends the subscription (complete or error). */
  ended: Promise<unknown>;
}

/** Starts a subscription and records what arrives. */
export function wsSubscribe<T = Record<string, unknown>>(
  client: Client,
  query: string,
  variables?: Record<string, unknown>,
): SubscriptionProbe<T> {
  const results: FormattedExecutionResult<T, unknown>[] = [];
  const waiters: (() => void)[] = [];
  let end!: (value: unknown) => void;
  const ended = new Promise((resolve) => (end = resolve));
  const unsubscribe = client.subscribe<T>(
    { query, ...(variables ? { variables } : {}) },
    {
      next: (value) => {
        results.push(value);
        for (const wake of waiters.splice(0)) wake();
      },
      error: (error) => end(error),
      complete: () => end("complete"),
    },
  );
  // Wakes on every result and at the deadline: no polling.
  const until = (done: () => boolean, timeoutMs: number, what: () => string) =>
    new Promise<FormattedExecutionResult<T, unknown>[]>((resolve, reject) => {
      let settled = false;
      const check = () => {
        if (settled || !done()) return settled;
        settled = true;
        clearTimeout(timer);
        resolve(results);
        return true;
      };
      const wait = () => void (check() || waiters.push(wait));
      const timer = setTimeout(() => {
        if (check()) return;
        settled = true;
        reject(new Error(`${what()}, got ${results.length}: ${JSON.stringify(results)}`));
      }, timeoutMs);
      wait();
    });
  return {
    results,
    waitFor: (n, timeoutMs = 10_000) =>
      until(
        () => results.length >= n,
        timeoutMs,
        () => `expected ${n} results`,
      ),
    waitUntil: (accept, timeoutMs = 10_000) =>
      until(
        () => results.some(accept),
        timeoutMs,
        () => `no result accepted within ${timeoutMs} ms`,
      ),
    unsubscribe,
    ended,
  };
}
