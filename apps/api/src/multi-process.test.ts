// Two API processes on loopback against one PostgreSQL: events cross between them through Redis, and
// with Redis down posting still succeeds and the subscriber catches up with its cursor afterwards.
// Needs TEST_DATABASE_URL and TEST_REDIS_URL (as .ci/run sets them); skipped, with the reason, otherwise.
import { globalId, seed, wsClient, wsSubscribe, createTestDatabase, type TestDatabase } from "@wz/testkit";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const databaseUrl = process.env["TEST_DATABASE_URL"];
const redisUrl = process.env["TEST_REDIS_URL"];
const hasRedisServer = spawnSync("redis-server", ["--version"]).status === 0;
const main = fileURLToPath(new URL("./main.ts", import.meta.url));
const children: ChildProcess[] = [];

async function startApi(db: string, redis: string, pollMs = 600_000): Promise<{ http: string; ws: string }> {
  const port = 20000 + Math.floor(Math.random() * 20000);
  const child = spawn(process.execPath, ["--import", "tsx", main], {
    env: { ...process.env, DATABASE_URL: db, REDIS_URL: redis, PORT: String(port), LOG_LEVEL: "info", LEAD_FEED_POLL_MS: String(pollMs), NODE_ENV: "test" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  let output = "";
  child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const deadline = Date.now() + 30_000;
  while (!output.includes("Serving GraphQL")) {
    if (Date.now() > deadline || child.exitCode !== null) throw new Error(`API did not start: ${output}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return { http: `http://127.0.0.1:${port}/graphql`, ws: `ws://127.0.0.1:${port}/graphql` };
}

async function post(url: string, token: string, title: string, chamberId: string) {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    body: JSON.stringify({
      query: `mutation ($input: PostLeadInput!) { postLead(input: $input) { lead { id } userErrors { message } } }`,
      variables: { input: { chamberId: globalId("Chamber", chamberId), kind: "PARTNERSHIP", title, description: "跨进程", visibility: "FEDERATION" } },
    }),
  });
  const body = (await response.json()) as { data?: { postLead: { lead: { id: string } | null; userErrors: unknown[] } } };
  return body.data?.postLead;
}

const LEAD_POSTED = `subscription ($after: String) { leadPosted(after: $after) { title eventCursor } }`;
type Posted = { leadPosted: { title: string; eventCursor: string } };

describe.skipIf(!databaseUrl || !redisUrl)("two API processes (needs TEST_DATABASE_URL and TEST_REDIS_URL)", () => {
  let database: TestDatabase;
  let chamberId: string;
  let posterToken: string;
  let subscriberToken: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    const s = seed(database.db);
    const shanghai = await s.chamber({ name: "上海市温州商会", kind: "PROVINCIAL", provinceCode: "31" });
    const xinjiang = await s.chamber({ name: "新疆温州商会", kind: "PROVINCIAL", provinceCode: "65" });
    chamberId = xinjiang.id;
    posterToken = (await xinjiang.member()).user.token;
    subscriberToken = (await shanghai.member()).user.token;
  });
  afterAll(async () => {
    const running = children.filter((c) => c.exitCode === null && c.signalCode === null);
    const exited = running.map((c) => once(c, "exit"));
    for (const child of running) child.kill("SIGTERM");
    await Promise.all(exited);
    await database?.dispose();
  });

  it("a subscriber on one process receives a lead posted through the other, via Redis", async () => {
    const [a, b] = await Promise.all([startApi(database.url!, redisUrl!), startApi(database.url!, redisUrl!)]);
    const client = wsClient(a.ws, subscriberToken);
    const probe = wsSubscribe<Posted>(client, LEAD_POSTED);
    await new Promise((r) => setTimeout(r, 500));
    expect((await post(b.http, posterToken, "新疆的项目", chamberId))?.userErrors).toEqual([]);
    // the feed's poll is set to ten minutes here: arriving within seconds means Redis carried the nudge
    const [event] = await probe.waitFor(1, 5000);
    expect(event!.data!.leadPosted.title).toBe("新疆的项目");
    await client.dispose();
  });

  it.skipIf(!hasRedisServer)("with Redis stopped, posting succeeds and the subscriber catches up with its cursor", async () => {
    const redisPort = 40000 + Math.floor(Math.random() * 20000);
    const startRedis = () => {
      const redis = spawn("redis-server", ["--port", String(redisPort), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], { stdio: "ignore" });
      children.push(redis);
      return redis;
    };
    let redis = startRedis();
    await new Promise((r) => setTimeout(r, 300));
    const privateRedis = `redis://127.0.0.1:${redisPort}`;
    const [a, b] = await Promise.all([startApi(database.url!, privateRedis), startApi(database.url!, privateRedis)]);

    const client = wsClient(a.ws, subscriberToken);
    const probe = wsSubscribe<Posted>(client, LEAD_POSTED);
    await new Promise((r) => setTimeout(r, 500));
    await post(b.http, posterToken, "停机前", chamberId);
    const [before] = await probe.waitFor(1, 5000);
    const cursor = before!.data!.leadPosted.eventCursor;
    await client.dispose();

    redis.kill("SIGKILL");
    await once(redis, "exit");
    const started = Date.now();
    const during = await post(b.http, posterToken, "Redis 停机期间", chamberId);
    expect(during?.userErrors).toEqual([]);
    expect(during?.lead).not.toBeNull();
    expect(Date.now() - started).toBeLessThan(3000);

    redis = startRedis();
    await new Promise((r) => setTimeout(r, 1500));
    const againClient = wsClient(a.ws, subscriberToken);
    const again = wsSubscribe<Posted>(againClient, LEAD_POSTED, { after: cursor });
    const caughtUp = await again.waitFor(1, 5000);
    expect(caughtUp.map((r) => r.data!.leadPosted.title)).toEqual(["Redis 停机期间"]);
    // and live delivery through Redis works again
    await post(b.http, posterToken, "恢复之后", chamberId);
    expect((await again.waitFor(2, 5000)).map((r) => r.data!.leadPosted.title)).toEqual(["Redis 停机期间", "恢复之后"]);
    again.unsubscribe();
    await againClient.dispose();
  });
});
