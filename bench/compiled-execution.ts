// What compiled execution (graphql-jit, graphql/common/compiled-execution.ts) saves: the same two requests as
// request-overhead (the anonymous directory search, staff's nested chambers read) through two apps in one process on
// the demo data (PostgreSQL), one compiling every document, one all on graphql-js. In process, so the figure is our
// CPU per request alone (process.cpuUsage over `--requests`, 10 in flight), not the database's; the two sides
// alternate, the order flipped every round; medians and min–max.
//   npm run bench -- compiled-execution [--rounds 6] [--requests 800]
// Needs PostgreSQL (BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/postgres).

import { mkdirSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { defaultCoreSettings } from "@wz/core";
import { seedDemoData } from "@wz/core/demo";
import { createGraphQLApp } from "@wz/graphql";
import { createTestDatabase, seed, silentLogger } from "@wz/testkit";
import { BENCH_REQUESTS, median, round, useBenchDatabase } from "./figures-support";

const { values } = parseArgs({
  options: { rounds: { type: "string", default: "6" }, requests: { type: "string", default: "800" } },
});
const ROUNDS = Number(values.rounds);
const REQUESTS = Number(values.requests);
const IN_FLIGHT = 10;
useBenchDatabase();
const root = fileURLToPath(new URL("..", import.meta.url));

const round2 = (x: number) => round(x, 2);

const started = Date.now();
const loadAtStart = loadavg();
const database = await createTestDatabase();
try {
  await seedDemoData(database.db);
  const staffToken = (await seed(database.db).federationStaff()).token;
  const app = (compiled: boolean) =>
    createGraphQLApp({
      db: database.db,
      logger: silentLogger,
      settings: defaultCoreSettings,
      production: true,
      compiledExecution: compiled ? { afterExecutions: 1, compilesPerMinute: 100 } : false,
    });
  const sides = { compiled: app(true), "graphql-js": app(false) };
  const requests = {
    search: { query: BENCH_REQUESTS.search.query, token: null },
    nested: { query: BENCH_REQUESTS.nested.query, token: staffToken },
  };

  /** Our CPU milliseconds per request over `count` requests, `IN_FLIGHT` at a time; every answer checked. */
  async function cpuPerRequest(side: keyof typeof sides, request: keyof typeof requests, count: number) {
    const { query, token } = requests[request];
    let next = 0;
    const start = process.cpuUsage();
    await Promise.all(
      Array.from({ length: IN_FLIGHT }, async () => {
        while (next++ < count) {
          const response = await sides[side].fetch("http://bench/graphql", {
            method: "POST",
            headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
            body: JSON.stringify({ query }),
          });
          const text = await response.text();
          if (text.includes('"errors"')) throw new Error(`${side} ${request}: ${text.slice(0, 300)}`);
        }
      }),
    );
    const cpu = process.cpuUsage(start);
    return (cpu.user + cpu.system) / count / 1000;
  }

  const results: Record<string, unknown> = {};
  for (const request of Object.keys(requests) as (keyof typeof requests)[]) {
    for (const side of Object.keys(sides) as (keyof typeof sides)[]) await cpuPerRequest(side, request, 300); // warm up
    const runs: Record<string, number[]> = { compiled: [], "graphql-js": [] };
    for (let r = 0; r < ROUNDS; r++) {
      const order: (keyof typeof sides)[] = r % 2 ? ["compiled", "graphql-js"] : ["graphql-js", "compiled"];
      for (const side of order) {
        const ms = await cpuPerRequest(side, request, REQUESTS);
        runs[side]!.push(round2(ms));
        console.log(`round ${r + 1}  ${request} / ${side}: ${round2(ms)} ms CPU per request`);
      }
    }
    results[request] = {
      compiledOverGraphqlJs: round2(median(runs.compiled!) / median(runs["graphql-js"]!)),
      ...Object.fromEntries(
        Object.entries(runs).map(([side, ms]) => [
          side,
          { medianMsCpu: median(ms), min: Math.min(...ms), max: Math.max(...ms), runs: ms },
        ]),
      ),
    };
  }

  const result = {
    date: new Date().toISOString(),
    machine: { node: process.version, loadAverageAtStart: loadAtStart.map(round2) },
    loadAverageAtEnd: loadavg().map(round2),
    settings: { rounds: ROUNDS, requestsPerRun: REQUESTS, inFlight: IN_FLIGHT },
    cpuPerRequest: results,
    minutes: Math.round((Date.now() - started) / 6000) / 10,
  };
  mkdirSync(join(root, "bench/results"), { recursive: true });
  writeFileSync(join(root, "bench/results/compiled-execution.json"), `${JSON.stringify(result, null, 2)}\n`);
  console.log(JSON.stringify(result, null, 2));
} finally {
  await database.dispose();
}
