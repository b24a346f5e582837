// The shipped deployment, on real parts: nginx (deploy/nginx.conf) in front of two API processes, PgBouncer
// in transaction mode (deploy/pgbouncer.ini) in front of PostgreSQL, Redis for events. A subscriber connected
// through nginx to instance A receives a lead posted through nginx to instance B; A is killed; the client
// reconnects through nginx with its `after` cursor and misses nothing. Needs TEST_DATABASE_URL, TEST_REDIS_URL
// and the nginx and pgbouncer binaries (.ci/run installs them); skipped, with the reason, otherwise.

import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  createTestDatabase,
  freePort,
  globalId,
  seed,
  type TestDatabase,
  type WatchedProcess,
  watchProcess,
  wsSubscribe,
} from "@wz/testkit";
import { type Client, createClient } from "graphql-ws";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";

const databaseUrl = process.env.TEST_DATABASE_URL;
const redisUrl = process.env.TEST_REDIS_URL;
const has = (binary: string) => spawnSync(binary, ["-V"], { stdio: "ignore" }).error === undefined;
const missing = [
  !databaseUrl && "TEST_DATABASE_URL",
  !redisUrl && "TEST_REDIS_URL",
  !has("/usr/sbin/nginx") && "nginx",
  !has("/usr/sbin/pgbouncer") && "pgbouncer",
].filter(Boolean);
const reason = missing.length ? ` (skipped: needs ${missing.join(", ")})` : "";

const root = fileURLToPath(new URL("../../..", import.meta.url));
const main = fileURLToPath(new URL("./main.ts", import.meta.url));

async function until<T>(probe: () => Promise<T>, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const value = await probe();
      if (value) return value;
    } catch {
      // not yet
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const LEAD_POSTED = `subscription ($after: String) { leadPosted(after: $after) { title eventCursor } }`;
type Posted = { leadPosted: { title: string; eventCursor: string } };

describe.skipIf(reason)(`nginx, two API instances, PgBouncer and Redis${reason}`, () => {
  const processes: WatchedProcess[] = [];
  const clients: Client[] = [];
  let dir: string;
  let database: TestDatabase;
  let balancer: string;
  let instances: { port: number; process: WatchedProcess }[];
  let chamberId: string;
  let posterToken: string;
  let subscriberToken: string;
  let bouncerUrl: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "wz-deploy-"));
    chmodSync(dir, 0o755);
    database = await createTestDatabase();
    const s = seed(database.db);
    const shanghai = await s.chamber({ name: "上海市温州商会", kind: "PROVINCIAL", provinceCode: "31" });
    const xinjiang = await s.chamber({ name: "新疆温州商会", kind: "PROVINCIAL", provinceCode: "65" });
    chamberId = xinjiang.id;
    posterToken = (await xinjiang.member()).user.token;
    subscriberToken = (await shanghai.member()).user.token;

    // PgBouncer, from the shipped file; it will not run as root, so as postgres.
    const target = new URL(database.url!);
    const bouncerPort = await freePort();
    const ini = readFileSync(join(root, "deploy/pgbouncer.ini"), "utf8")
      .replace(/^listen_port = \d+$/m, `listen_port = ${bouncerPort}`)
      .replace(/^auth_file = .*$/m, `auth_file = ${join(root, "deploy/userlist.txt")}`)
      .replace("host=127.0.0.1 port=5432", `host=${target.hostname} port=${target.port || 5432}`);
    writeFileSync(join(dir, "pgbouncer.ini"), ini, { mode: 0o644 });
    const bouncer = watchProcess("/usr/sbin/pgbouncer", ["-u", "postgres", join(dir, "pgbouncer.ini")]);
    processes.push(bouncer);
    await bouncer.waitFor(/listening on 127\.0\.0\.1/, 20_000);
    target.port = String(bouncerPort);
    bouncerUrl = target.toString();

    // Two API instances through PgBouncer; the lead feed's poll is ten minutes, so only Redis carries events.
    const start = async () => {
      const port = await freePort();
      const instance = watchProcess(process.execPath, ["--import", "tsx", main], {
        cwd: root,
        env: {
          ...process.env,
          DATABASE_URL: bouncerUrl,
          DATABASE_PREPARE: "false",
          REDIS_URL: redisUrl,
          PORT: String(port),
          LEAD_FEED_POLL_MS: "600000",
          NODE_ENV: "test",
          LOG_LEVEL: "info",
        },
      });
      processes.push(instance);
      await instance.waitFor(/Serving GraphQL/, 90_000);
      return { port, process: instance };
    };
    instances = await Promise.all([start(), start()]);

    // nginx, from the shipped file.
    const listen = await freePort();
    const conf = readFileSync(join(root, "deploy/nginx.conf"), "utf8")
      .replaceAll("/tmp/wz-nginx", dir)
      .replace("listen 127.0.0.1:4300;", `listen 127.0.0.1:${listen};`)
      .replace("127.0.0.1:4301", `127.0.0.1:${instances[0]!.port}`)
      .replace("127.0.0.1:4302", `127.0.0.1:${instances[1]!.port}`);
    writeFileSync(join(dir, "nginx.conf"), conf);
    mkdirSync(join(dir, "logs"), { recursive: true });
    const nginx = watchProcess("/usr/sbin/nginx", ["-p", dir, "-c", join(dir, "nginx.conf"), "-g", "daemon off;"]);
    processes.push(nginx);
    balancer = `127.0.0.1:${listen}`;
    await until(async () => (await fetch(`http://${balancer}/readyz`)).status === 200, 20_000, "nginx to answer");
  }, 240_000);

  afterAll(async () => {
    for (const client of clients) await client.dispose();
    // nginx and PgBouncer first (SIGTERM: they stop their workers), then the instances.
    await Promise.all(processes.map((p) => p.kill("SIGTERM")));
    await database?.dispose();
    if (dir) rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  async function post(title: string): Promise<string> {
    const response = await fetch(`http://${balancer}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${posterToken}` },
      body: JSON.stringify({
        query: `mutation ($input: PostLeadInput!) { postLead(input: $input) { lead { id } userErrors { message } } }`,
        variables: {
          input: {
            chamberId: globalId("Chamber", chamberId),
            kind: "PARTNERSHIP",
            title,
            description: "经负载均衡",
            visibility: "FEDERATION",
          },
        },
      }),
    });
    const body = (await response.json()) as { data?: { postLead: { lead: { id: string } | null } } };
    expect(body.data?.postLead.lead, JSON.stringify(body)).not.toBeNull();
    return response.headers.get("x-upstream") ?? "";
  }

  /** A graphql-ws client through nginx that records which instance its socket reached. */
  function connect(upstreams: string[]): Client {
    class RecordingSocket extends WebSocket {
      constructor(url: string, protocols?: string | string[]) {
        super(url, protocols);
        this.on("upgrade", (response) => upstreams.push(String(response.headers["x-upstream"] ?? "")));
      }
    }
    const client = createClient({
      url: `ws://${balancer}/graphql`,
      webSocketImpl: RecordingSocket,
      lazy: true,
      retryAttempts: 0,
      connectionParams: { authorization: `Bearer ${subscriberToken}` },
    });
    clients.push(client);
    return client;
  }

  it("PgBouncer applies the statement timeout of its connect_query to the API's server connections", async () => {
    const sql = postgres(bouncerUrl, { max: 1, prepare: false, onnotice: () => {} });
    const [row] = await sql`show statement_timeout`;
    await sql.end();
    expect(row!.statement_timeout).toBe("30s");
  });

  it("sign-in throttling holds across the instances: failures through either count for the account", async () => {
    const email = `throttle-${Date.now()}@example.org`;
    const login = async (password: string) => {
      const response = await fetch(`http://${balancer}/graphql`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          query: `mutation ($i: LoginInput!) { login(input: $i) { token userErrors { code } } }`,
          variables: { i: { email, password } },
        }),
      });
      const body = (await response.json()) as {
        data?: { login: { userErrors: unknown[] } } | null;
        errors?: { extensions?: { code?: string } }[];
      };
      return { body, upstream: response.headers.get("x-upstream") ?? "" };
    };
    const reached = new Set<string>();
    for (let i = 0; i < 10; i++) {
      const { body, upstream } = await login(`wrong password ${i}`);
      expect(body.data?.login.userErrors, `attempt ${i + 1}`).toHaveLength(1);
      reached.add(upstream);
    }
    // nginx spread the ten failures over both instances; each refuses the eleventh attempt.
    expect(reached.size).toBe(2);
    const refusals = new Set<string>();
    for (let i = 0; i < 4; i++) {
      const { body, upstream } = await login("still wrong");
      expect(body.errors?.[0]?.extensions?.code).toBe("RATE_LIMITED");
      refusals.add(upstream);
    }
    expect(refusals.size).toBe(2);
  });

  const resumes = "a subscriber on A gets leads posted through B, and after A dies resumes on B with its cursor";
  it(`${resumes}, missing nothing`, async () => {
    const upstreams: string[] = [];
    const first = connect(upstreams);
    const probe = wsSubscribe<Posted>(first, LEAD_POSTED);
    await until(async () => upstreams.length === 1, 20_000, "the subscription's socket");
    const a = upstreams[0]!;
    const instanceA = instances.find((i) => a.endsWith(`:${i.port}`))!;
    expect(instanceA, `upstream ${a}`).toBeDefined();
    // A subscription registers asynchronously after the socket opens: a first lead shows it is live.
    const titles: string[] = [];
    await until(
      async () => {
        const title = `预热 ${titles.length}`;
        titles.push(title);
        await post(title);
        return probe.results.length > 0;
      },
      20_000,
      "the subscription to go live",
    );

    // Post through nginx until one lands on B (round robin: within a couple of posts).
    let viaB = false;
    for (let i = 0; i < 10 && !viaB; i++) {
      const title = `经 B 发布 ${i}`;
      titles.push(title);
      viaB = !(await post(title)).endsWith(`:${instanceA.port}`);
    }
    expect(viaB).toBe(true);
    // Warm-up leads posted before the subscription went live are not expected; every one after is.
    const from = titles.indexOf(probe.results[0]!.data!.leadPosted.title);
    const received = await probe.waitFor(titles.length - from, 15_000);
    const cursor = received.at(-1)!.data!.leadPosted.eventCursor;
    const seen = received.map((r) => r.data!.leadPosted.title);
    expect(seen).toEqual(titles.slice(from));

    // A dies outright; its socket drops. Leads keep coming through nginx (now only to B).
    await instanceA.process.kill("SIGKILL");
    await probe.ended;
    const whileAway = ["A 停机后 1", "A 停机后 2", "A 停机后 3"];
    for (const title of whileAway) await post(title);

    // The client reconnects through nginx, which reaches B, with the cursor of the last event it had.
    const again: string[] = [];
    const second = connect(again);
    const resumed = wsSubscribe<Posted>(second, LEAD_POSTED, { after: cursor });
    const caughtUp = await resumed.waitFor(whileAway.length, 15_000);
    expect(again[0]).not.toBe(a);
    expect(caughtUp.map((r) => r.data!.leadPosted.title)).toEqual(whileAway);
    // and live delivery continues
    await post("恢复后");
    expect((await resumed.waitFor(whileAway.length + 1, 15_000)).map((r) => r.data!.leadPosted.title)).toEqual([
      ...whileAway,
      "恢复后",
    ]);
    // everything, once each, in order
    expect([...seen, ...resumed.results.map((r) => r.data!.leadPosted.title)]).toEqual([
      ...titles.slice(from),
      ...whileAway,
      "恢复后",
    ]);
  }, 120_000);
});
