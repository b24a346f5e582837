// Our CPU per request, in process: the anonymous directory search and staff's nested chambers read (the requests
// of request-overhead) through the app without HTTP, so neither the database's CPU nor the load generator's blurs
// the figure, this checkout against a baseline checkout (another commit, `npm ci` done there). Each run is a new
// process with a new database (cpu-per-request-support.ts, copied into the baseline as a hidden file for the run);
// the sides alternate, the order flipped every round; medians and min–max of the runs.
//   npm run bench -- cpu-per-request --baseline <checkout> [--runs 8] [--requests 3000]
// Needs PostgreSQL (BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/postgres).
// Writes bench/results/cpu-per-request.json.
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { median, round } from "./figures-support";

const { values } = parseArgs({
  options: {
    baseline: { type: "string" },
    runs: { type: "string", default: "8" },
    requests: { type: "string", default: "3000" },
  },
});
const here = fileURLToPath(new URL(".", import.meta.url));
const worker = join(here, "cpu-per-request-support.ts");
const sides: Record<string, string> = { ours: worker };
const copied = values.baseline ? join(values.baseline, "bench", ".cpu-per-request-worker.ts") : undefined;
if (values.baseline) {
  if (!existsSync(join(values.baseline, "node_modules"))) throw new Error(`${values.baseline}: run npm ci there first`);
  copyFileSync(worker, copied!);
  sides.baseline = copied!;
}

const started = Date.now();
const loadAtStart = loadavg();
const runs: Record<string, Record<string, number[]>> = {};
try {
  for (let round_ = 0; round_ < Number(values.runs); round_++) {
    const order = Object.keys(sides);
    if (round_ % 2 === 1) order.reverse();
    for (const side of order) {
      const file = sides[side]!;
      const out = spawnSync(process.execPath, ["--import", "tsx", file, values.requests!], {
        cwd: join(file, "..", ".."),
        encoding: "utf8",
        env: process.env,
      });
      const line = /^RESULT (.*)$/m.exec(out.stdout)?.[1];
      if (!line) throw new Error(`${side} failed:\n${out.stdout}\n${out.stderr}`);
      for (const [request, ms] of Object.entries(JSON.parse(line) as Record<string, number>)) {
        runs[request] ??= {};
        runs[request][side] ??= [];
        runs[request][side].push(ms);
      }
      console.log(`round ${round_ + 1} ${side}: ${line}`);
    }
  }
} finally {
  if (copied) rmSync(copied, { force: true });
}

const figures: Record<string, unknown> = {};
for (const [request, bySide] of Object.entries(runs)) {
  const summary = Object.fromEntries(
    Object.entries(bySide).map(([side, ms]) => [
      side,
      {
        medianMs: round(median(ms), 3),
        minMs: round(Math.min(...ms), 3),
        maxMs: round(Math.max(...ms), 3),
        runs: ms.map((m) => round(m, 3)),
      },
    ]),
  );
  const ratio = bySide.baseline ? round(median(bySide.ours!) / median(bySide.baseline), 2) : undefined;
  figures[request] = { ...summary, ...(ratio ? { "ours / baseline": ratio } : {}) };
}
const results = {
  date: new Date().toISOString(),
  machine: { node: process.version, loadAverageAtStart: loadAtStart.map((x) => round(x, 2)) },
  loadAverageAtEnd: loadavg().map((x) => round(x, 2)),
  settings: { runs: Number(values.runs), requests: Number(values.requests), baseline: values.baseline ?? null },
  note: "our CPU ms per request (process.cpuUsage), in process, PostgreSQL on the same machine; lower is better",
  figures,
  minutes: round((Date.now() - started) / 60000),
};
mkdirSync(join(here, "results"), { recursive: true });
writeFileSync(join(here, "results", "cpu-per-request.json"), `${JSON.stringify(results, null, 2)}\n`);
console.log(JSON.stringify(figures, null, 2));
