// A client that trickles its headers or its body does not hold a connection open: the server cuts it off once
// the headers (or the whole request) take longer than their timeouts. A body over the limit is refused, judged by
// its Content-Length before a byte of it is read, or counted as it comes when it has none (chunked).
import { request } from "node:http";
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

/** POSTs a JSON body to /graphql in `chunks` (Transfer-Encoding: chunked, no Content-Length); the status. */
function postChunked(chunks: Iterable<string | Buffer>): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(`${harness.base}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", "transfer-encoding": "chunked" },
      agent: false, // a connection of its own: one left mid-body is never handed to the next request
    });
    req.on("response", (res) => {
      let body = "";
      res.on("data", (d) => {
        body += d.toString();
      });
      res.on("end", () => {
        resolve({ status: res.statusCode!, body });
        req.destroy(); // nothing more to send once the answer is in
      });
    });
    req.on("error", (error) => (req.destroyed ? undefined : reject(error)));
    void (async () => {
      for (const chunk of chunks) {
        if (req.destroyed) return;
        if (!req.write(chunk)) await new Promise((r) => req.once("drain", r));
      }
      req.end();
    })();
  });
}

describe("oversized bodies", () => {
  it("a Content-Length over 20 MiB is refused (413) at once, before the body is sent", async () => {
    const port = Number(new URL(harness.base).port);
    const socket = connect(port, "127.0.0.1");
    socket.on("error", () => {});
    let received = "";
    const answered = new Promise<void>((resolve) =>
      socket.on("data", (d) => {
        received += d.toString();
        if (received.includes("\r\n\r\n")) resolve();
      }),
    );
    socket.write(
      "POST /graphql HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\n" +
        `content-length: ${30 * 1024 * 1024}\r\n\r\n{"query":`,
    );
    await answered; // no byte more is sent: an answer at all means the header alone decided
    socket.destroy();
    expect(received).toMatch(/^HTTP\/1\.1 413/);
    expect(received).toContain("REQUEST_ENTITY_TOO_LARGE");
  });

  it("a chunked body is counted as it comes: over 20 MiB is refused (413), a small one answered", async () => {
    const filler = Buffer.alloc(1024 * 1024, 0x20); // JSON whitespace, 1 MiB at a time
    const huge = await postChunked(
      (function* () {
        yield '{"query":"{ __typename }"';
        for (let i = 0; i < 21; i++) yield filler;
        yield "}";
      })(),
    );
    expect(huge.status).toBe(413);
    expect(huge.body).toContain("REQUEST_ENTITY_TOO_LARGE");
    const small = await postChunked(['{"query":', '"{ __typename }"}']);
    expect(small.status).toBe(200);
    expect(JSON.parse(small.body)).toEqual({ data: { __typename: "Query" } });
  });
});
