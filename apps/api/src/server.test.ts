// The real server on loopback: health and readiness, GraphQL over HTTP and WebSocket with the same auth and
// limits, and graceful shutdown.
import {
  createTestDatabase,
  seed,
  startTestServer,
  type TestServer,
  testServerDefaults,
  wsClient,
  wsExecute,
} from "@wz/testkit";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { type ApiServer, createApiServer } from "./server";

let harness: TestServer<ApiServer> | undefined;

async function start() {
  harness = await startTestServer((database) =>
    createApiServer({ ...testServerDefaults, database, wsMaxPayloadBytes: 16 * 1024, shutdownGraceMs: 5000 }),
  );
  await seed(harness.database.db).federation();
  return { base: harness.base, ws: harness.ws, database: harness.database };
}

// Each test starts its own server on a fresh database. The first database of a process also pays once for
// loading and compiling the database engine, which on a loaded machine can use up a test's whole time: pay it
// here, under the hook's longer timeout.
beforeAll(async () => {
  await (await createTestDatabase()).dispose();
});

afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

describe("health and readiness", () => {
  it("/healthz answers 200; /readyz answers 200 while the database answers and 503 when it does not", async () => {
    const { base, database } = await start();
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
    await database.close();
    expect((await fetch(`${base}/readyz`)).status).toBe(503);
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
  });
});

describe("HTTP", () => {
  it("serves GraphQL with a request id, and GraphiQL to a browser", async () => {
    const { base } = await start();
    const response = await fetch(`${base}/graphql`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        accept: "application/graphql-response+json",
        "x-request-id": "req-123",
      },
      body: JSON.stringify({ query: "{ federation { name } }" }),
    });
    expect(response.headers.get("x-request-id")).toBe("req-123");
    expect(response.headers.get("content-type")).toMatch(/application\/graphql-response\+json/);
    expect(await response.json()).toEqual({ data: { federation: { name: "全国温州商会总会" } } });
    const page = await fetch(`${base}/graphql`, { headers: { accept: "text/html" } });
    expect(page.status).toBe(200);
    expect(await page.text()).toMatch(/graphiql/i);
  });
});

describe("WebSocket (graphql-transport-ws)", () => {
  it("runs operations for a signed-in user, with the viewer from connection_init", async () => {
    const { ws, database } = await start();
    const user = await seed(database.db).federationStaff();
    const client = wsClient(ws, user.token);
    const result = await wsExecute<{ me: { isFederationStaff: boolean } }>(client, "{ me { isFederationStaff } }");
    expect(result).toEqual({ data: { me: { isFederationStaff: true } } });
    await client.dispose();
  });

  it("closes with 4403 for a missing or bad token", async () => {
    const { ws } = await start();
    for (const token of [null, "not-a-real-token"]) {
      let closedWith = 0;
      const client = wsClient(ws, token, (code) => (closedWith = code));
      await expect(wsExecute(client, "{ me { isFederationStaff } }")).rejects.toBeTruthy();
      expect(closedWith).toBe(4403);
      await client.dispose();
    }
  });

  it("applies the same query limits as HTTP", async () => {
    const { ws, database } = await start();
    const user = await seed(database.db).federationStaff();
    const client = wsClient(ws, user.token);
    let selection = "name";
    for (let i = 0; i < 14; i++) selection = `parent { ${selection} }`;
    await expect(wsExecute(client, `{ federation { ${selection} } }`)).rejects.toSatisfy(
      (errors: unknown) => Array.isArray(errors) && /depth/i.test(String((errors[0] as { message: string }).message)),
    );
    await client.dispose();
  });

  it("closes a socket whose message exceeds the payload limit", async () => {
    const { ws, database } = await start();
    const user = await seed(database.db).federationStaff();
    let closedWith = 0;
    const client = wsClient(ws, user.token, (code) => (closedWith = code));
    await wsExecute(client, "{ me { isFederationStaff } }");
    await expect(wsExecute(client, `{ me { isFederationStaff } } # ${"x".repeat(20_000)}`)).rejects.toBeTruthy();
    expect(closedWith).toBe(1009);
    await client.dispose();
  });
});

describe("graceful shutdown", () => {
  it("turns unready, finishes an in-flight request, then refuses new connections and closes the database", async () => {
    const { base, database } = await start();
    let releaseQuery!: () => void;
    const blocked = new Promise<void>((resolve) => (releaseQuery = resolve));
    // Hold the next statement until shutdown has begun, so the request is truly in flight.
    const originalPing = database.ping;
    let reachedPing!: () => void;
    const inPing = new Promise<void>((resolve) => (reachedPing = resolve));
    const inFlight = fetch(`${base}/readyz`);
    database.ping = async () => {
      reachedPing();
      await blocked;
      return originalPing();
    };
    await inPing; // the request is inside the server, held at its database ping
    database.ping = originalPing;
    const closing = harness!.server.close();
    // Draining: a balancer's readiness check sees it at once, so it stops sending new work here.
    expect((await fetch(`${base}/readyz`)).status).toBe(503);
    releaseQuery();
    expect((await inFlight).status).toBe(200);
    await closing;
    await expect(fetch(`${base}/healthz`)).rejects.toBeTruthy();
    await expect(database.ping()).rejects.toBeTruthy();
  });
});
