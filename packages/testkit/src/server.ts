// A real server on a loopback port over a fresh test database, for tests that go through HTTP and
// WebSocket. The server factory is passed in (apps/api's createApiServer), so testkit never imports upwards.

import type { AddressInfo } from "node:net";
import { defaultCoreSettings } from "@wz/core";
import type { Client } from "graphql-ws";
import { silentLogger } from "./api";
import { createTestDatabase, type TestDatabase } from "./database";
import { wsClient } from "./ws";

/** Options every test server shares; spread them into the server factory's options. */
export const testServerDefaults = {
  logger: silentLogger,
  settings: defaultCoreSettings,
  production: false,
  wsMaxPayloadBytes: 64 * 1024,
  shutdownGraceMs: 2000,
};

export interface ListeningServer {
  listen(port: number, host: string): Promise<AddressInfo>;
  close(): Promise<unknown>;
}

export interface TestServer<S extends ListeningServer> {
  server: S;
  database: TestDatabase;
  /** http://127.0.0.1:<port> */
  base: string;
  /** ws://127.0.0.1:<port>/graphql */
  ws: string;
  /** A graphql-ws client signed in with `token`, disposed by `close()`. */
  connect(
    token: string | null,
    onClosed?: (code: number, reason: string) => void,
    params?: Record<string, unknown>,
  ): Client;
  /** POSTs an operation to /graphql; throws on GraphQL errors. */
  // biome-ignore lint/suspicious/noExplicitAny: tests read answers of every shape; a type per query adds nothing
  graphql(query: string, variables: Record<string, unknown>, token: string): Promise<Record<string, any>>;
  close(): Promise<void>;
}

export async function startTestServer<S extends ListeningServer>(
  create: (database: TestDatabase) => S,
): Promise<TestServer<S>> {
  const database = await createTestDatabase();
  const server = create(database);
  const address = await server.listen(0, "127.0.0.1");
  const base = `http://127.0.0.1:${address.port}`;
  const ws = `ws://127.0.0.1:${address.port}/graphql`;
  const clients: Client[] = [];
  let closed = false;
  return {
    server,
    database,
    base,
    ws,
    connect: (token, onClosed, params) => {
      const client = wsClient(ws, token, onClosed, params);
      clients.push(client);
      return client;
    },
    graphql: async (query, variables, token) => {
      const response = await fetch(`${base}/graphql`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
        body: JSON.stringify({ query, variables }),
      });
      // biome-ignore lint/suspicious/noExplicitAny: as above, the answer's shape is the test's business
      const body = (await response.json()) as { data: Record<string, any>; errors?: unknown[] };
      if (body.errors) throw new Error(JSON.stringify(body.errors));
      return body.data;
    },
    close: async () => {
      if (closed) return;
      closed = true;
      for (const client of clients) await client.dispose();
      await server.close();
      await database.dispose().catch(() => {});
    },
  };
}
