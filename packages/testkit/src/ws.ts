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
