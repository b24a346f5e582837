// A graphql-ws client for tests: run one operation over a WebSocket and collect its results, or see how
// the server closed the socket.
import { createClient, type Client, type FormattedExecutionResult } from "graphql-ws";
import WebSocket from "ws";

export function wsClient(url: string, token: string | null, onClosed?: (code: number, reason: string) => void): Client {
  return createClient({
    url,
    webSocketImpl: WebSocket,
    lazy: true,
    retryAttempts: 0,
    connectionParams: token ? { authorization: `Bearer ${token}` } : {},
    on: {
      closed: (event) => {
        const e = event as { code: number; reason: string };
        onClosed?.(e.code, e.reason);
      },
    },
  });
}

/** Runs a query or mutation over the socket and resolves with its single result (or rejects with the close). */
export function wsExecute<T = Record<string, unknown>>(client: Client, query: string, variables?: Record<string, unknown>): Promise<FormattedExecutionResult<T, unknown>> {
  return new Promise((resolve, reject) => {
    let result: FormattedExecutionResult<T, unknown> | undefined;
    client.subscribe<T>(
      { query, ...(variables ? { variables } : {}) },
      {
        next: (value) => void (result = value),
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
  /** Lets any stray extra results arrive, then returns them all. */
  settle(ms?: number): Promise<FormattedExecutionResult<T, unknown>[]>;
  unsubscribe(): void;
  /** Resolves when the server ends the subscription (complete or error). */
  ended: Promise<unknown>;
}

/** Starts a subscription and records what arrives. */
export function wsSubscribe<T = Record<string, unknown>>(client: Client, query: string, variables?: Record<string, unknown>): SubscriptionProbe<T> {
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
  const waitFor = async (n: number, timeoutMs = 10_000) => {
    const deadline = Date.now() + timeoutMs;
    while (results.length < n) {
      if (Date.now() > deadline) throw new Error(`expected ${n} results, got ${results.length}: ${JSON.stringify(results)}`);
      await Promise.race([new Promise<void>((resolve) => waiters.push(resolve)), new Promise((r) => setTimeout(r, 50))]);
    }
    return results;
  };
  return {
    results,
    waitFor,
    settle: async (ms = 300) => {
      await new Promise((r) => setTimeout(r, ms));
      return results;
    },
    unsubscribe,
    ended,
  };
}
