// A client that trickles its headers or its body does not hold a connection open: the server cuts it off once
// the headers (or the whole request) take longer than their timeouts.
import { connect, type Socket } from "node:net";
import { startTestServer, type TestServer, testServerDefaults } from "@wz/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ApiServer, createApiServer } from "./server";

let harness: TestServer<ApiServer>;
beforeAll(async () => {
  harness = await startTestServer((db) =>
    createApiServer({ ...testServerDefaults, database: db, headersTimeoutMs: 1_000, requestTimeoutMs: 2_000 }),
  );
});
afterAll(() => harness?.close());

/** Opens a raw connection that writes `chunks` one every 200 ms; resolves when the server ends it. */
function trickle(chunks: string[]): { closedAfterMs: Promise<number>; received: () => string; socket: Socket } {
  const port = Number(new URL(harness.base).port);
  const socket = connect(port, "127.0.0.1");
  const started = Date.now();
  let received = "";
  socket.on("data", (d) => {
    received += d.toString();
  });
  let i = 0;
  const timer = setInterval(() => {
    if (i < chunks.length && !socket.destroyed) socket.write(chunks[i++]!);
  }, 200);
  const closedAfterMs = new Promise<number>((resolve) =>
    socket.on("close", () => {
      clearInterval(timer);
      resolve(Date.now() - started);
    }),
  );
  socket.on("error", () => {});
  return { closedAfterMs, received: () => received, socket };
}

describe("slow clients", () => {
  it("headers trickled a byte at a time are cut off after the headers timeout", async () => {
    const head = "POST /graphql HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\n";
    const slow = trickle([...head]); // ~80 chunks: 16 s if the server waited for them all
    const ms = await slow.closedAfterMs;
    expect(ms).toBeLessThan(8_000);
    expect(slow.received()).toMatch(/^HTTP\/1\.1 408/);
  });

  it("a body sent at a few bytes a second is cut off after the request timeout", async () => {
    const body = JSON.stringify({ query: "{ federation { name } }" });
    const head =
      "POST /graphql HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\n" +
      `content-length: ${body.length}\r\n\r\n`;
    const slow = trickle([head, ...body]); // the body alone would take ~8 s
    const ms = await slow.closedAfterMs;
    expect(ms).toBeLessThan(8_000);
    expect(slow.received()).toMatch(/^HTTP\/1\.1 408/);
  });

  it("an ordinary request still gets through", async () => {
    const response = await fetch(`${harness.base}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query: "{ __typename }" }),
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ data: { __typename: "Query" } });
  });
});
