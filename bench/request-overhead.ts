// What a request costs us beyond the work it needs, side by side in one run on the demo data (PostgreSQL):
//   typename  `{ __typename }`                          ours vs bare createYoga
//   search    `merchants(query: "陈", first: 20)`, anonymous         ours vs bare SQL
//   nested    staff `chambers(first: 5) { members(first: 10) { totalCount … merchant { name } } }`
//                                                      ours vs bare SQL vs PostGraphile 5
// "Bare SQL" is node:http + postgres.js sending the very statements our server sends for that request (captured
// with their parameters from our own execution), one after the other, answering their rows as JSON; "bare SQL + RLS"
// sends them through our database client as the application role, each in the scope it ran in (so the two bare
// sides tell how much of the gap is row-level security and how much the rest of our stack). PostGraphile 5
// (bench/postgraphile, installed there on demand with `npm ci --prefix`, never by the root install) answers the
// same shape from the same database. Each side is its own process; wrk (20 connections, one thread) drives each
// for `--seconds`, sides interleaved and rotated every round, `--rounds` times; medians and min–max per side, the
// ratios of medians, and each server process's CPU time per request.
//   npm run bench -- request-overhead [--rounds 5] [--seconds 5] [--connections 20] [--profile] [--baseline ../main]
// --profile also runs our server once per request under `node --cpu-prof` and writes where its CPU went.
// --baseline <checkout> adds that checkout's server ("ours (baseline)", e.g. main before a change) to the search and
// nested comparisons, on the same database (migrated by this checkout), interleaved with the rest.
// Needs PostgreSQL (BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/postgres) and wrk.

import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { defaultCoreSettings } from "@wz/core";
import { seedDemoData } from "@wz/core/demo";
import * as schema from "@wz/db";
import { createGraphQLApp } from "@wz/graphql";
import { createTestDatabase, freePort, seed, silentLogger, type WatchedProcess, watchProcess } from "@wz/testkit";
import { drizzle } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import { BENCH_REQUESTS, median, round, useBenchDatabase } from "./figures-support";

const { values } = parseArgs({
  options: {
    rounds: { type: "string", default: "5" },
    seconds: { type: "string", default: "5" },
    connections: { type: "string", default: "20" },
    profile: { type: "boolean", default: false },
    baseline: { type: "string" },
  },
});
const ROUNDS = Number(values.rounds);
const SECONDS = Number(values.seconds);
const CONNECTIONS = Number(values.connections);
const root = fileURLToPath(new URL("..", import.meta.url));
const benchDir = join(root, "bench");
useBenchDatabase();
const CLOCK_TICKS = 100; // /proc/<pid>/stat counts CPU time in USER_HZ ticks

const REQUESTS = BENCH_REQUESTS;
type RequestName = keyof typeof REQUESTS;
// PostGraphile's own names for the same shape (its default inflection over our tables)
const POSTGRAPHILE_NESTED = `{ allChambers(first: 5) { nodes { id name
  membershipsByChamberId(first: 10) { totalCount nodes { id level merchantByMerchantId { name } } } } } }`;

const cpuTicks = (pid: number) => {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  return Number(fields[11]) + Number(fields[12]); // utime, stime
};

const processes: WatchedProcess[] = [];
const dir = mkdtempSync(join(tmpdir(), "wz-bench-overhead-"));
const database = await createTestDatabase();
try {
  const started = Date.now();
  const loadAtStart = loadavg();
  await seedDemoData(database.db);
  const staffToken = (await seed(database.db).federationStaff()).token;
  const url = database.url!;

  // Our statements per request, with their parameters, from one execution of our own app.
  // Each with the scope it runs in (the viewer's, or the system's for the session lookup), for the RLS side.
  const captured: [string, unknown[], schema.DatabaseScope][] = [];
  const portable = (scope: schema.DatabaseScope): schema.DatabaseScope =>
    scope.kind === "system"
      ? scope
      : { ...scope, secretariatChambers: [...scope.secretariatChambers], memberChambers: [...scope.memberChambers] };
  const captureClient = postgres(url, { max: 2, onnotice: () => {} });
  const captureDb = drizzle(captureClient, {
    schema,
    logger: { logQuery: (query, params) => void captured.push([query, params, portable(schema.currentScope())]) },
  });
  const app = createGraphQLApp({
    db: captureDb as never,
    logger: silentLogger,
    settings: defaultCoreSettings,
    production: true,
  });
  const plans: Record<string, (typeof captured)[number][]> = {};
  const statementCounts: Record<string, number> = {};
  for (const [name, request] of Object.entries(REQUESTS)) {
    captured.splice(0);
    const response = await app.fetch("http://bench/graphql", {
      method: "POST",
      headers: {
        "content-type": "application/json",
        ...(request.staff ? { authorization: `Bearer ${staffToken}` } : {}),
      },
      body: JSON.stringify({ query: request.query }),
    });
    const body = (await response.json()) as { errors?: unknown };
    if (body.errors) throw new Error(`${name}: ${JSON.stringify(body.errors)}`);
    plans[request.query.slice(0, 40)] = [...captured];
    statementCounts[name] = captured.length;
  }
  await captureClient.end();
  writeFileSync(join(dir, "plans.json"), JSON.stringify(plans));

  // PostGraphile in its own folder, installed on demand from its own lockfile.
  const pgDir = join(benchDir, "postgraphile");
  if (!existsSync(join(pgDir, "node_modules/postgraphile"))) {
    console.log("installing PostGraphile 5 into bench/postgraphile …");
    execFileSync("npm", ["ci", "--prefix", pgDir, "--no-audit", "--no-fund"], { stdio: "inherit" });
  }
  const pgVersion = JSON.parse(readFileSync(join(pgDir, "node_modules/postgraphile/package.json"), "utf8")).version;

  const launch = async (
    name: string,
    argv: (port: number) => string[],
    env: Record<string, string> = {},
    ready = /listening on/,
    cwd = root,
  ) => {
    const port = await freePort();
    const child = watchProcess(process.execPath, argv(port), {
      cwd,
      env: { ...process.env, ...env, PORT: String(port) },
    });
    processes.push(child);
    await child.waitFor(ready, 180_000);
    return { name, port, pid: child.child.pid!, child };
  };
  // no operation throttle: past 6,000 operations a minute from one address it answers RATE_LIMITED, cheaply
  const ourEnv = {
    DATABASE_URL: url,
    NODE_ENV: "production",
    LOG_LEVEL: "info",
    METRICS: "off",
    OPERATIONS_PER_MINUTE_PER_USER: "0",
    OPERATIONS_PER_MINUTE_PER_ADDRESS: "0",
  };
  const oursArgs = (extra: string[]) => (_port: number) => [...extra, "--import", "tsx", "apps/api/src/main.ts"];
  const support = join(benchDir, "request-overhead-support.ts");
  const [ours, yoga, bareSql, bareSqlRls, postgraphile] = await Promise.all([
    launch("ours", oursArgs([]), ourEnv, /Serving GraphQL/),
    launch("bare createYoga", (p) => ["--import", "tsx", support, "yoga", String(p)]),
    launch("bare SQL", (p) => ["--import", "tsx", support, "sql", String(p), join(dir, "plans.json"), url]),
    launch("bare SQL + RLS", (p) => ["--import", "tsx", support, "sql-rls", String(p), join(dir, "plans.json"), url]),
    launch("PostGraphile 5", (p) => [join(pgDir, "server.mjs"), String(p), url]),
  ]);
  const baseline = values.baseline
    ? await launch("ours (baseline)", oursArgs([]), ourEnv, /Serving GraphQL/, values.baseline)
    : undefined;

  type Side = typeof ours;
  const post = async (side: Side, query: string, token: string | null) => {
    const response = await fetch(`http://127.0.0.1:${side.port}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query }),
    });
    const text = await response.text();
    if (response.status !== 200 || text.includes('"errors"')) throw new Error(`${side.name}: ${text.slice(0, 300)}`);
    return text;
  };
  const queryFor = (side: Side, name: RequestName) =>
    side === postgraphile && name === "nested" ? POSTGRAPHILE_NESTED : REQUESTS[name].query;
  const tokenFor = (side: Side, name: RequestName) =>
    side.name.startsWith("ours") && REQUESTS[name].staff ? staffToken : null;

  const withBaseline = baseline ? [baseline] : [];
  const comparisons: Record<RequestName, Side[]> = {
    typename: [ours, yoga],
    search: [ours, bareSql, bareSqlRls, ...withBaseline],
    nested: [ours, bareSql, bareSqlRls, postgraphile, ...withBaseline],
  };
  const answers: Record<string, number> = {};
  for (const [name, sides] of Object.entries(comparisons) as [RequestName, Side[]][])
    for (const side of sides)
      answers[`${name} / ${side.name}`] = (await post(side, queryFor(side, name), tokenFor(side, name))).length;

  const wrk = (side: Side, name: RequestName, seconds = SECONDS) => {
    const query = queryFor(side, name);
    const token = tokenFor(side, name);
    const script = join(dir, `${side.port}-${name}.lua`);
    writeFileSync(
      script,
      [
        'wrk.method = "POST"',
        `wrk.body = [==[${JSON.stringify({ query })}]==]`,
        'wrk.headers["Content-Type"] = "application/json"',
        token ? `wrk.headers["Authorization"] = "Bearer ${token}"` : "",
      ].join("\n"),
    );
    const before = cpuTicks(side.pid);
    const run = spawnSync(
      "wrk",
      ["-t1", `-c${CONNECTIONS}`, `-d${seconds}s`, "-s", script, `http://127.0.0.1:${side.port}/graphql`],
      { encoding: "utf8" },
    );
    const ticks = cpuTicks(side.pid) - before;
    const out = run.stdout;
    const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1] ?? Number.NaN);
    const requests = Number(/(\d+) requests in/.exec(out)?.[1] ?? 0);
    const failed = Number(/Non-2xx or 3xx responses: (\d+)/.exec(out)?.[1] ?? 0);
    if (failed || !requests) throw new Error(`${side.name} ${name}: ${failed} failed\n${out}${run.stderr}`);
    return { rps, cpuMsPerRequest: (ticks / CLOCK_TICKS / requests) * 1000 };
  };

  // warm every side up (JIT, prepared statements, caches) before anything is measured
  for (const [name, sides] of Object.entries(comparisons) as [RequestName, Side[]][])
    for (const side of sides) wrk(side, name, 2);

  const runs: Record<string, { rps: number[]; cpu: number[] }> = {};
  for (let r = 0; r < ROUNDS; r++) {
    for (const [name, sides] of Object.entries(comparisons) as [RequestName, Side[]][]) {
      // rotate the order every round, so no side always runs first (or right after the heaviest)
      const order = sides.map((_, i) => sides[(i + r) % sides.length]!);
      for (const side of order) {
        const key = `${name} / ${side.name}`;
        const result = wrk(side, name);
        runs[key] ??= { rps: [], cpu: [] };
        runs[key].rps.push(round(result.rps));
        runs[key].cpu.push(round(result.cpuMsPerRequest, 2));
        console.log(`round ${r + 1}  ${key}: ${round(result.rps)} rps, ${round(result.cpuMsPerRequest, 2)} ms CPU`);
      }
    }
  }

  // every side still answers rather than refusing (wrk sees only the status, and a refusal is a 200 with errors)
  // (a keep-alive connection the server has just closed fails once: ask again)
  for (const [name, sides] of Object.entries(comparisons) as [RequestName, Side[]][])
    for (const side of sides)
      await post(side, queryFor(side, name), tokenFor(side, name)).catch((error: unknown) =>
        error instanceof TypeError ? post(side, queryFor(side, name), tokenFor(side, name)) : Promise.reject(error),
      );

  const summary = Object.fromEntries(
    Object.entries(runs).map(([key, run]) => [
      key,
      {
        medianRps: median(run.rps),
        minRps: Math.min(...run.rps),
        maxRps: Math.max(...run.rps),
        medianCpuMsPerRequest: median(run.cpu),
        rps: run.rps,
      },
    ]),
  );
  const ratio = (a: string, b: string) => round(summary[a]!.medianRps / summary[b]!.medianRps, 2);
  const ratios = {
    "typename: ours / bare createYoga": { ratio: ratio("typename / ours", "typename / bare createYoga"), target: 0.95 },
    "search: ours / bare SQL": { ratio: ratio("search / ours", "search / bare SQL"), target: 0.6 },
    "nested: ours / bare SQL": { ratio: ratio("nested / ours", "nested / bare SQL"), target: 0.6 },
    "nested: ours / PostGraphile 5": { ratio: ratio("nested / ours", "nested / PostGraphile 5"), target: 0.5 },
    // how much of the gap is row-level security, and how much is the rest of our stack
    "search: bare SQL + RLS / bare SQL": { ratio: ratio("search / bare SQL + RLS", "search / bare SQL") },
    "search: ours / bare SQL + RLS": { ratio: ratio("search / ours", "search / bare SQL + RLS") },
    "nested: bare SQL + RLS / bare SQL": { ratio: ratio("nested / bare SQL + RLS", "nested / bare SQL") },
    "nested: ours / bare SQL + RLS": { ratio: ratio("nested / ours", "nested / bare SQL + RLS") },
    ...(baseline
      ? {
          "search: ours / ours (baseline)": { ratio: ratio("search / ours", "search / ours (baseline)") },
          "search: ours (baseline) / bare SQL": { ratio: ratio("search / ours (baseline)", "search / bare SQL") },
          "nested: ours / ours (baseline)": { ratio: ratio("nested / ours", "nested / ours (baseline)") },
        }
      : {}),
  };

  let profile: Record<string, unknown> | undefined;
  if (values.profile) profile = await profileOurs();

  const result = {
    date: new Date().toISOString(),
    machine: { node: process.version, loadAverageAtStart: loadAtStart.map((l) => round(l, 2)) },
    loadAverageAtEnd: loadavg().map((l) => round(l, 2)),
    settings: {
      rounds: ROUNDS,
      seconds: SECONDS,
      connections: CONNECTIONS,
      wrkThreads: 1,
      postgraphile: pgVersion,
      ...(values.baseline ? { baseline: values.baseline } : {}),
    },
    statementsPerRequest: statementCounts,
    responseBytes: answers,
    ratios,
    sides: summary,
    profile,
    minutes: round((Date.now() - started) / 60_000),
  };
  mkdirSync(join(benchDir, "results"), { recursive: true });
  writeFileSync(join(benchDir, "results/request-overhead.json"), `${JSON.stringify(result, null, 2)}\n`);
  console.log(JSON.stringify({ statementsPerRequest: statementCounts, ratios }, null, 2));

  /** Our server under `node --cpu-prof`, driven by wrk with each request; self time by where the code lives. */
  async function profileOurs() {
    const out: Record<string, unknown> = {};
    for (const name of ["search", "nested"] as RequestName[]) {
      const profDir = join(dir, `prof-${name}`);
      const side = await launch(
        `ours (profiled, ${name})`,
        oursArgs(["--cpu-prof", `--cpu-prof-dir=${profDir}`]),
        ourEnv,
        /Serving/,
      );
      wrk(side, name, 2); // warm-up, left out of the summary below
      wrk(side, name);
      await side.child.kill("SIGTERM");
      const file = readdirSync(profDir).find((f) => f.endsWith(".cpuprofile"));
      if (file) out[name] = summariseProfile(JSON.parse(readFileSync(join(profDir, file), "utf8")), SECONDS);
    }
    return out;
  }
} finally {
  for (const p of processes) await p.kill();
  await database.dispose();
  rmSync(dir, { recursive: true, force: true });
}

interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string } }[];
  samples: number[];
  timeDeltas: number[];
  endTime: number;
  startTime: number;
}

/**
 * Share of samples (self time) per package or part of Node, and the top functions, over the measured run only:
 * the last `seconds` before shutdown (start-up, module loading and the warm-up are left out).
 */
function summariseProfile(profile: CpuProfile, seconds: number) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n.callFrame]));
  const groups = new Map<string, number>();
  const functions = new Map<string, number>();
  let at = profile.startTime;
  const times = profile.timeDeltas.map((d) => (at += d));
  const last = times.findLast((_t, i) => byId.get(profile.samples[i]!)?.functionName !== "(idle)") ?? at;
  const from = last - seconds * 1e6;
  const samples = profile.samples.filter((_, i) => times[i]! >= from && times[i]! <= last);
  for (const id of samples) {
    const frame = byId.get(id)!;
    const u = frame.url;
    const group = !u
      ? frame.functionName.startsWith("(")
        ? frame.functionName
        : "(native)"
      : u.includes("/node_modules/")
        ? u
            .split("/node_modules/")
            .pop()!
            .split("/")
            .slice(0, u.includes("/node_modules/@") ? 2 : 1)
            .join("/")
        : u.startsWith("node:")
          ? `node:${u.slice(5).split("/")[0]}`
          : u.includes("/packages/") || u.includes("/apps/")
            ? `ours: ${u.split(/\/(?:packages|apps)\//)[1]!.split("/")[0]}`
            : u;
    groups.set(group, (groups.get(group) ?? 0) + 1);
    const fn = `${frame.functionName || "(anonymous)"} ${u.split("/").slice(-2).join("/")}`;
    functions.set(fn, (functions.get(fn) ?? 0) + 1);
  }
  const total = samples.length;
  const top = (m: Map<string, number>, n: number) =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([k, v]) => `${round((100 * v) / total)}% ${k}`);
  return { samples: total, byPackage: top(groups, 15), topFunctions: top(functions, 15) };
}
