// Two API instances behind nginx (deploy/nginx.conf) against one instance alone, in one run with the sides
// interleaved (alone, balanced, alone, …) so machine noise falls on both: a closed-loop mixed load, 80 %
// reads (a page of leads with its count) and 20 % writes (postLead), from `--clients` concurrent clients.
// Reports each side's throughput and p50/p99 latency, and the balanced/alone ratios (p99 target ≤ 1.2×); a
// third side, instance A alone behind nginx, tells what the balancer's hop costs apart from the second instance.
//   npm run bench -- scale-out [--clients 16] [--rounds 6] [--seconds 5]
// Needs PostgreSQL (BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/postgres), Redis
// (BENCH_REDIS_URL, default redis://127.0.0.1:6379) and nginx. On a 2-core machine both sides share the same
// two cores with PostgreSQL, nginx and the load generator: the figure is the balancer's cost, not a speed-up.

import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { createTestDatabase, freePort, globalId, seed, type WatchedProcess, watchProcess } from "@wz/testkit";

const { values } = parseArgs({
  options: {
    clients: { type: "string", default: "16" },
    rounds: { type: "string", default: "6" },
    seconds: { type: "string", default: "5" },
  },
});
const CLIENTS = Number(values.clients);
const ROUNDS = Number(values.rounds);
const SECONDS = Number(values.seconds);
const root = fileURLToPath(new URL("..", import.meta.url));
process.env.TEST_DATABASE_URL ??= process.env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const redisUrl = process.env.BENCH_REDIS_URL ?? "redis://127.0.0.1:6379";
const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
const round1 = (x: number) => Math.round(x * 10) / 10;

const processes: WatchedProcess[] = [];
const dir = mkdtempSync(join(tmpdir(), "wz-bench-scale-"));
const database = await createTestDatabase();
try {
  const chamber = await seed(database.db).chamber();
  const token = (await chamber.member()).user.token;
  const chamberId = globalId("Chamber", chamber.id);

  const startInstance = async () => {
    const port = await freePort();
    const instance = watchProcess(process.execPath, ["--import", "tsx", join(root, "apps/api/src/main.ts")], {
      cwd: root,
      env: {
        ...process.env,
        DATABASE_URL: database.url,
        REDIS_URL: redisUrl,
        PORT: String(port),
        NODE_ENV: "production",
        LOG_LEVEL: "info",
        // A load test is one client address sending far more than any office: the flood brakes are off.
        WS_MAX_SOCKETS_PER_ADDRESS: "0",
        OPERATIONS_PER_MINUTE_PER_ADDRESS: "0",
        OPERATIONS_PER_MINUTE_PER_USER: "0",
      },
    });
    processes.push(instance);
    await instance.waitFor(/Serving GraphQL/, 180_000);
    return port;
  };
  const [a, b] = await Promise.all([startInstance(), startInstance()]);
  // The shipped config, and the same with only instance A behind it (to tell the hop from the second instance).
  const startNginx = async (name: string, second: boolean) => {
    const listen = await freePort();
    const prefix = join(dir, name);
    mkdirSync(join(prefix, "logs"), { recursive: true });
    let conf = readFileSync(join(root, "deploy/nginx.conf"), "utf8")
      .replaceAll("/tmp/wz-nginx", prefix)
      .replace("listen 127.0.0.1:4300;", `listen 127.0.0.1:${listen};`)
      .replace("127.0.0.1:4301", `127.0.0.1:${a}`)
      .replace("127.0.0.1:4302", `127.0.0.1:${b}`);
    if (!second) conf = conf.replace(/^\s*server 127\.0\.0\.1:\d+ [^\n]*\n(?=\s*keepalive)/m, "");
    writeFileSync(join(prefix, "nginx.conf"), conf);
    processes.push(
      watchProcess("/usr/sbin/nginx", ["-p", prefix, "-c", join(prefix, "nginx.conf"), "-g", "daemon off;"]),
    );
    for (let i = 0; i < 100 && !(await fetch(`http://127.0.0.1:${listen}/healthz`).catch(() => null))?.ok; i++)
      await new Promise((r) => setTimeout(r, 100));
    return listen;
  };
  const listen = await startNginx("two", true);
  const listenOne = await startNginx("one", false);

  const READ = JSON.stringify({ query: "{ leads(first: 10) { totalCount edges { node { id title } } } }" });
  let written = 0;
  const write = () =>
    JSON.stringify({
      query: "mutation ($input: PostLeadInput!) { postLead(input: $input) { lead { id } userErrors { message } } }",
      variables: {
        input: { chamberId, kind: "SUPPLY", title: `负载 ${written++}`, description: "基准", visibility: "CHAMBER" },
      },
    });
  const headers = { "content-type": "application/json", authorization: `Bearer ${token}` };

  interface Sample {
    ms: number;
    write: boolean;
    ok: boolean;
  }
  /** `CLIENTS` clients in a closed loop against `base` for `seconds`. */
  async function load(base: string, seconds: number): Promise<{ samples: Sample[]; seconds: number }> {
    const samples: Sample[] = [];
    const started = performance.now();
    const end = started + seconds * 1000;
    await Promise.all(
      Array.from({ length: CLIENTS }, async (_, c) => {
        for (let i = 0; performance.now() < end; i++) {
          const isWrite = (i + c) % 5 === 0;
          const t0 = performance.now();
          let ok = false;
          try {
            const response = await fetch(`${base}/graphql`, {
              method: "POST",
              headers,
              body: isWrite ? write() : READ,
            });
            const body = (await response.json()) as { errors?: unknown[] };
            ok = response.ok && !body.errors;
          } catch {
            ok = false;
          }
          samples.push({ ms: performance.now() - t0, write: isWrite, ok });
        }
      }),
    );
    return { samples, seconds: (performance.now() - started) / 1000 };
  }

  const sides = {
    alone: `http://127.0.0.1:${a}`,
    balanced: `http://127.0.0.1:${listen}`,
    oneBehindNginx: `http://127.0.0.1:${listenOne}`,
  } as const;
  type Side = keyof typeof sides;
  const collected: Record<Side, { samples: Sample[]; seconds: number }> = {
    alone: { samples: [], seconds: 0 },
    balanced: { samples: [], seconds: 0 },
    oneBehindNginx: { samples: [], seconds: 0 },
  };
  // warm-up, not counted: JIT and pools on every instance
  await load(sides.balanced, 3);
  await load(sides.alone, 2);
  for (let round = 0; round < ROUNDS; round++) {
    const order: Side[] = ["alone", "balanced", "oneBehindNginx"];
    for (const side of round % 2 === 0 ? order : order.reverse()) {
      const run = await load(sides[side], SECONDS);
      collected[side].samples.push(...run.samples);
      collected[side].seconds += run.seconds;
      process.stderr.write(`round ${round + 1} ${side}: ${run.samples.length} requests\n`);
    }
  }
  const summary = (side: Side) => {
    const { samples, seconds } = collected[side];
    const ok = samples.filter((s) => s.ok);
    const all = ok.map((s) => s.ms).sort((x, y) => x - y);
    const reads = ok
      .filter((s) => !s.write)
      .map((s) => s.ms)
      .sort((x, y) => x - y);
    const writes = ok
      .filter((s) => s.write)
      .map((s) => s.ms)
      .sort((x, y) => x - y);
    return {
      requests: samples.length,
      errors: samples.length - ok.length,
      throughputPerS: round1(ok.length / seconds),
      p50Ms: round1(percentile(all, 50)),
      p99Ms: round1(percentile(all, 99)),
      readP99Ms: round1(percentile(reads, 99)),
      writeP99Ms: round1(percentile(writes, 99)),
    };
  };
  const alone = summary("alone");
  const balanced = summary("balanced");
  const oneBehindNginx = summary("oneBehindNginx");
  const result = {
    benchmark: "scale-out",
    when: new Date().toISOString(),
    machine: { cpus: cpus().length, model: cpus()[0]?.model },
    setup:
      "nginx (deploy/nginx.conf) → 2 API instances vs 1 instance direct; PostgreSQL direct; Redis for events; " +
      `${CLIENTS} closed-loop clients, 80 % reads / 20 % writes; ${ROUNDS} interleaved rounds of ${SECONDS} s per side`,
    alone,
    balanced,
    oneBehindNginx,
    p99Ratio: Math.round((balanced.p99Ms / alone.p99Ms) * 100) / 100,
    throughputRatio: Math.round((balanced.throughputPerS / alone.throughputPerS) * 100) / 100,
    p99Target: "≤ 1.2× (balanced / alone)",
    // the same ratios for one instance behind nginx: what the hop alone costs
    nginxHopP99Ratio: Math.round((oneBehindNginx.p99Ms / alone.p99Ms) * 100) / 100,
    nginxHopThroughputRatio: Math.round((oneBehindNginx.throughputPerS / alone.throughputPerS) * 100) / 100,
  };
  console.log(JSON.stringify(result, null, 2));
  mkdirSync(join(root, "bench/results"), { recursive: true });
  writeFileSync(join(root, "bench/results/scale-out.json"), `${JSON.stringify(result, null, 2)}\n`);
} finally {
  await Promise.all(processes.map((p) => p.kill("SIGTERM")));
  await database.dispose();
  rmSync(dir, { recursive: true, force: true });
}
