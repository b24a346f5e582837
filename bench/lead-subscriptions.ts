// 5,000 graphql-ws subscribers on one API process, one lead posted: how long until the last subscriber has
// it (median and p99 over 20 leads), and server memory per connection — against a bare `ws` broadcast of the
// same payload to the same number of sockets as the yardstick. Server and clients run in separate processes.
//   npm run bench -- lead-subscriptions [--subscribers 5000] [--leads 20] [--query '…' --label name]
// The default selection includes the poster's mobile, which reads the same for every subscriber with the
// same access to the poster: each event is executed and serialised once per such audience. A selection with
// a field that depends on who each subscriber is (`responses`) is executed per subscriber:
//   npm run bench -- lead-subscriptions --label per-subscriber --query \
//     'subscription { leadPosted { id eventCursor title kind status createdAt chamber { id name }
//       postedBy { id name mobile } responses { message } } }'
// Needs the machine's PostgreSQL (BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/postgres).

import { type ChildProcess, spawn } from "node:child_process";
import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { openDatabase } from "@wz/db";
import { globalId, seed } from "@wz/testkit";
import postgres from "postgres";
import WebSocket, { WebSocketServer } from "ws";

const { values } = parseArgs({
  options: {
    subscribers: { type: "string", default: "5000" },
    leads: { type: "string", default: "20" },
    warmup: { type: "string", default: "2" },
    "bare-server": { type: "string" },
    /** Results go to bench/results/lead-subscriptions[-label].json. */
    label: { type: "string" },
    query: {
      type: "string",
      default:
        "subscription { leadPosted { id eventCursor title kind status createdAt chamber { id name } " +
        "postedBy { id name mobile } } }",
    },
  },
});

// Child mode: a bare ws broadcaster. POST /broadcast sends the body to every socket.
if (values["bare-server"]) {
  const { createServer } = await import("node:http");
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString()));
    req.on("end", () => {
      for (const client of wss.clients) client.send(body);
      res.end("ok");
    });
  });
  const wss = new WebSocketServer({ server });
  server.listen(Number(values["bare-server"]), "127.0.0.1", () => console.log("bare ready"));
  await new Promise(() => {});
}

const SUBSCRIBERS = Number(values.subscribers);
const LEADS = Number(values.leads);
/** Events sent first and not counted (JIT, first-use allocations), the same for both servers. */
const WARMUP = Number(values.warmup);
const root = fileURLToPath(new URL("..", import.meta.url));
const baseUrl = process.env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

const rssKiB = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

function startChild(
  args: string[],
  env: Record<string, string>,
  ready: string,
  nodeArgs: string[] = [],
): Promise<ChildProcess> {
  const child = spawn(process.execPath, [...nodeArgs, "--import", "tsx", ...args], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "inherit"],
  });
  return new Promise((resolve, reject) => {
    let out = "";
    child.stdout!.on("data", (c: Buffer) => {
      if (process.env.BENCH_CHILD_STDOUT) appendFileSync(process.env.BENCH_CHILD_STDOUT, c);
      out += c.toString();
      if (out.includes(ready)) resolve(child);
    });
    child.on("exit", (code) => reject(new Error(`child exited ${code}: ${out}`)));
  });
}

/** Opens `n` sockets with at most 200 handshakes in flight; `onOpen` finishes each socket's setup. */
async function openMany(n: number, open: () => Promise<WebSocket>): Promise<WebSocket[]> {
  const sockets: WebSocket[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: 200 }, async () => {
      while (next < n) {
        next++;
        sockets.push(await open());
      }
    }),
  );
  return sockets;
}

async function measure(
  sockets: WebSocket[],
  fire: (i: number) => Promise<void>,
  isEvent: (data: string, i: number) => boolean,
) {
  const lastArrival: number[] = [];
  for (let i = 0; i < WARMUP + LEADS; i++) {
    let received = 0;
    let last = 0;
    const done = new Promise<void>((resolve) => {
      for (const socket of sockets) {
        const listener = (data: WebSocket.RawData) => {
          if (!isEvent(data.toString(), i)) return;
          socket.off("message", listener);
          last = performance.now();
          if (++received === sockets.length) resolve();
        };
        socket.on("message", listener);
      }
    });
    const start = performance.now();
    await fire(i);
    await Promise.race([done, sleep(60_000)]);
    if (received < sockets.length)
      throw new Error(`lead ${i}: only ${received}/${sockets.length} subscribers received it`);
    if (i >= WARMUP) lastArrival.push(last - start);
    await sleep(200);
  }
  const sorted = [...lastArrival].sort((a, b) => a - b);
  return {
    medianMs: Math.round(percentile(sorted, 50) * 10) / 10,
    p99Ms: Math.round(percentile(sorted, 99) * 10) / 10,
    allMs: lastArrival.map((x) => Math.round(x)),
  };
}

// --- the API under test ---
const dbName = `wz_bench_subs_${Date.now()}`;
const admin = postgres(baseUrl, { max: 1, onnotice: () => {} });
await admin.unsafe(`create database ${dbName}`);
const url = new URL(baseUrl);
url.pathname = `/${dbName}`;
const handle = await openDatabase({ url: url.toString() });
await handle.migrate();
const s = seed(handle.db);
const chamber = await s.chamber({ name: "上海市温州商会", kind: "PROVINCIAL", provinceCode: "31" });
const other = await s.chamber({ name: "深圳市温州商会", kind: "MUNICIPAL", provinceCode: "44", city: "深圳" });
// Fellow members see the poster's mobile and the others do not: two audiences for every lead.
const poster = await chamber.member({ name: "陈一新", mobile: "13800000001", mobileVisibility: "CHAMBER" });
// Every subscriber is a different member, half of them in the posting chamber and half in another one.
const subscriberTokens: string[] = [];
for (let i = 0; i < SUBSCRIBERS; i++)
  subscriberTokens.push((await (i % 2 === 0 ? chamber : other).member()).user.token);
await handle.close();

const port = 24000 + Math.floor(Math.random() * 1000);
const api = await startChild(
  ["apps/api/src/main.ts"],
  {
    DATABASE_URL: url.toString(),
    PORT: String(port),
    LOG_LEVEL: "info",
    NODE_ENV: "production",
    LEAD_FEED_POLL_MS: "60000",
    // A load test is one client address sending far more than any office: the flood brakes are off.
    WS_MAX_SOCKETS_PER_ADDRESS: "0",
    OPERATIONS_PER_MINUTE_PER_ADDRESS: "0",
    OPERATIONS_PER_MINUTE_PER_USER: "0",
  },
  "Serving GraphQL",
  // e.g. BENCH_API_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" to profile the server under test, or
  // "--trace-gc" with BENCH_CHILD_STDOUT=/tmp/api.log to keep what it prints
  (process.env.BENCH_API_NODE_ARGS ?? "").split(" ").filter(Boolean),
);
await sleep(100);
for (let i = 0; i < 300; i++) {
  if ((await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => null))?.ok) break;
  await sleep(200);
}
const apiRssBefore = rssKiB(api.pid!);
const query = values.query;
let opened = 0;
const graphqlSockets = await openMany(
  SUBSCRIBERS,
  () =>
    new Promise<WebSocket>((resolve, reject) => {
      const socket = new WebSocket(`ws://127.0.0.1:${port}/graphql`, "graphql-transport-ws");
      socket.on("error", reject);
      socket.on("open", () =>
        socket.send(
          JSON.stringify({
            type: "connection_init",
            payload: { authorization: `Bearer ${subscriberTokens[opened++]}` },
          }),
        ),
      );
      socket.on("message", function onAck(data) {
        if (JSON.parse(data.toString()).type !== "connection_ack") return;
        socket.off("message", onAck);
        socket.send(JSON.stringify({ id: "1", type: "subscribe", payload: { query } }));
        resolve(socket);
      });
    }),
);
await sleep(2000);
const apiRssAfter = rssKiB(api.pid!);
let sampleMessage = "";
const graphqlResult = await measure(
  graphqlSockets,
  async (i) => {
    const response = await fetch(`http://127.0.0.1:${port}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${poster.user.token}` },
      body: JSON.stringify({
        query: `mutation ($input: PostLeadInput!) { postLead(input: $input) { lead { id } userErrors { message } } }`,
        variables: {
          input: {
            chamberId: globalId("Chamber", chamber.id),
            kind: "SUPPLY",
            title: `bench ${i}`,
            description: "bench",
            visibility: "FEDERATION",
          },
        },
      }),
    });
    await response.text();
  },
  (data, i) => {
    if (!data.includes(`"bench ${i}"`)) return false;
    sampleMessage ||= data;
    return true;
  },
);
for (const socket of graphqlSockets) socket.terminate();
api.kill("SIGTERM");

// --- the yardstick: bare ws broadcast of the same payload ---
const barePort = port + 1000;
const bare = await startChild(["bench/lead-subscriptions.ts", "--bare-server", String(barePort)], {}, "bare ready");
const bareRssBefore = rssKiB(bare.pid!);
const bareSockets = await openMany(
  SUBSCRIBERS,
  () =>
    new Promise<WebSocket>((resolve, reject) => {
      const socket = new WebSocket(`ws://127.0.0.1:${barePort}`);
      socket.on("error", reject);
      socket.on("open", () => resolve(socket));
    }),
);
await sleep(2000);
const bareRssAfter = rssKiB(bare.pid!);
const bareResult = await measure(
  bareSockets,
  async (i) => {
    await (
      await fetch(`http://127.0.0.1:${barePort}/broadcast`, {
        method: "POST",
        body: sampleMessage.replace(/bench \d+/, `bench ${i}`),
      })
    ).text();
  },
  (data, i) => data.includes(`"bench ${i}"`),
);
for (const socket of bareSockets) socket.terminate();
bare.kill("SIGTERM");
await sleep(500);
await admin.unsafe(`drop database if exists ${dbName} with (force)`);
await admin.end();

const result = {
  benchmark: "lead-subscriptions",
  date: new Date().toISOString(),
  machine: "2 cores; server and clients in separate processes on loopback",
  subscribers: SUBSCRIBERS,
  subscribersAre: "distinct members, half in the posting chamber and half in another; the lead is FEDERATION-wide",
  query,
  leads: LEADS,
  warmupLeadsNotCounted: WARMUP,
  payloadBytes: Buffer.byteLength(sampleMessage),
  graphqlWs: {
    timeToLastSubscriber: graphqlResult,
    serverRssPerConnectionKiB: Math.round(((apiRssAfter - apiRssBefore) / SUBSCRIBERS) * 10) / 10,
  },
  bareWs: {
    timeToLastSubscriber: bareResult,
    serverRssPerConnectionKiB: Math.round(((bareRssAfter - bareRssBefore) / SUBSCRIBERS) * 10) / 10,
  },
  p99RatioToBare: Math.round((graphqlResult.p99Ms / bareResult.p99Ms) * 100) / 100,
  target: "p99 within 3x of bare ws",
};
mkdirSync(`${root}/bench/results`, { recursive: true });
writeFileSync(
  `${root}/bench/results/lead-subscriptions${values.label ? `-${values.label}` : ""}.json`,
  `${JSON.stringify(result, null, 2)}\n`,
);
console.log(JSON.stringify(result, null, 2));
process.exit(0);
