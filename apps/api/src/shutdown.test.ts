// SIGTERM while the event loop is busy: requests already sent — on new connections still in the kernel's
// accept queue, and on idle keep-alive connections — are answered, not reset. Work still running when the
// grace period ends is cut with a 503 and reported. The client is a worker thread, so it keeps sending while
// this thread's event loop is blocked (as it is while an import parses).

import { Worker } from "node:worker_threads";
import { seed, startTestServer, type TestServer, testServerDefaults } from "@wz/testkit";
import { afterEach, describe, expect, it } from "vitest";
import { type ApiServer, createApiServer } from "./server";

let harness: TestServer<ApiServer> | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

// Phase 1: open `keepAlive` connections and get one answer on each. Phase 2 (flagged by the main thread):
// send a second request on each, and a request on `fresh` new connections; count each one sent (in the kernel).
const client = `
const { workerData, parentPort } = require("node:worker_threads");
const net = require("node:net");
const { port, keepAlive, fresh, shared } = workerData;
const flags = new Int32Array(shared);
const body = JSON.stringify({ query: "{ federation { name } }" });
const request = (close) => "POST /graphql HTTP/1.1\\r\\nhost: 127.0.0.1\\r\\ncontent-type: application/json\\r\\n" +
  "content-length: " + Buffer.byteLength(body) + "\\r\\nconnection: " + (close ? "close" : "keep-alive") +
  "\\r\\n\\r\\n" + body;
const results = [];
function track(socket, expected) {
  return new Promise((resolve) => {
    let data = "";
    socket.on("data", (chunk) => {
      data += chunk;
      if ((data.match(/HTTP\\/1\\.1 \\d+/g) || []).length >= expected) resolve(data);
    });
    socket.on("error", (error) => resolve(data + " ERROR " + error.code));
    socket.on("close", () => resolve(data + " CLOSED"));
  });
}
(async () => {
  const sockets = await Promise.all(Array.from({ length: keepAlive }, () => new Promise((resolve) => {
    const socket = net.connect(port, "127.0.0.1", () => resolve(socket));
  })));
  const done = sockets.map((socket) => track(socket, 2));
  let answered = 0;
  for (const socket of sockets) {
    socket.on("data", function first() { answered++; socket.off("data", first); });
    socket.write(request(false));
  }
  while (answered < keepAlive) await new Promise((r) => setTimeout(r, 10));
  Atomics.store(flags, 0, 1); Atomics.notify(flags, 0);
  // wait for the main thread to block its event loop
  while (Atomics.load(flags, 1) === 0) await new Promise((r) => setTimeout(r, 5));
  // counted once written: the write callback runs when the bytes are handed to the kernel
  const sent = () => { Atomics.add(flags, 2, 1); Atomics.notify(flags, 2); };
  for (const socket of sockets) socket.write(request(false), sent);
  for (let i = 0; i < fresh; i++) {
    const socket = net.connect(port, "127.0.0.1", () => socket.write(request(true), sent));
    done.push(track(socket, 1));
  }
  parentPort.postMessage(await Promise.all(done));
})();
`;

/** Blocks this thread until the worker has sent `n` requests (or 10 s pass), as a busy event loop would. */
function blockUntilSent(flags: Int32Array, n: number): void {
  const deadline = Date.now() + 10_000;
  while (Atomics.load(flags, 2) < n && Date.now() < deadline) Atomics.wait(flags, 2, Atomics.load(flags, 2), 50);
}

describe("graceful shutdown with a busy event loop", () => {
  it("answers every request sent before the shutdown began, on new and on keep-alive connections", async () => {
    harness = await startTestServer((database) => createApiServer({ ...testServerDefaults, database }));
    await seed(harness.database.db).federation();
    const port = Number(new URL(harness.base).port);
    const shared = new SharedArrayBuffer(12);
    const flags = new Int32Array(shared);
    const keepAlive = 4;
    const fresh = 8;
    const worker = new Worker(client, { eval: true, workerData: { port, keepAlive, fresh, shared } });
    const answers = new Promise<string[]>((resolve, reject) => {
      worker.once("message", resolve);
      worker.once("error", reject);
    });
    const deadline = Date.now() + 20_000;
    while (Atomics.load(flags, 0) === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    expect(Atomics.load(flags, 0)).toBe(1);

    Atomics.store(flags, 1, 1);
    blockUntilSent(flags, keepAlive + fresh);
    // The signal handler runs as soon as the loop is free: here, still within the blocked turn.
    const closing = harness.server.close();
    const results = await answers;
    await worker.terminate();
    const report = await closing;

    expect(results).toHaveLength(keepAlive + fresh);
    for (const result of results.slice(0, keepAlive)) expect(result.match(/HTTP\/1\.1 200/g), result).toHaveLength(2);
    for (const result of results.slice(keepAlive))
      expect(result, result).toMatch(/^HTTP\/1\.1 200[\s\S]*全国温州商会总会/);
    expect(report.cut).toEqual([]);
  }, 60_000);
});

describe("the grace period running out", () => {
  it("cuts what still runs with a 503, and reports it", async () => {
    harness = await startTestServer((database) =>
      createApiServer({ ...testServerDefaults, database, shutdownGraceMs: 300 }),
    );
    const { database } = harness;
    database.ping = () => new Promise(() => {});
    const arrived = new Promise((resolve) => harness!.server.httpServer.once("request", resolve));
    const stuck = fetch(`${harness.base}/readyz`);
    await arrived;
    const report = await harness.server.close();
    const response = await stuck;
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({
      errors: [{ message: "The server is shutting down; try again.", extensions: { code: "SHUTTING_DOWN" } }],
    });
    expect(report.cut).toHaveLength(1);
    expect(report.cut[0]).toMatch(/^GET \/readyz \(running \d+ ms\)$/);
  }, 30_000);
});
