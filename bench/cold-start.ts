// Benchmark: `npm start`'s cold start on an empty DATA_DIR (embedded PGlite), from spawning the server to its
// "Serving GraphQL" line, with the time of every log line it writes on the way (migrating, demo data, console).
// By default the console is already built (its own cost is a separate, one-off build); `--console` deletes
// apps/console/dist first so the build is timed too. `--baseline <dir>` also starts the server from another
// checkout (e.g. a worktree of main), alternating run by run, so both see the same machine load.
// Each step is timed by the log line's own `time` (pino writes asynchronously, so arrival lags while PGlite holds
// the event loop). Writes bench/results/cold-start[-<label>].json.
//   npm run bench -- cold-start [--runs 3] [--console] [--baseline /tmp/main] [--label after]
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const args = process.argv.slice(2);
const option = (name: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const runs = Number(option("runs") ?? 3);
const label = option("label");
const withConsole = args.includes("--console");

interface Step {
  atMs: number;
  msg: string;
}

const baseline = option("baseline");

async function coldStart(run: number, cwd: string): Promise<{ readyMs: number; steps: Step[] }> {
  const dataDir = mkdtempSync(join(tmpdir(), "wz-cold-"));
  if (withConsole) rmSync(join(cwd, "apps/console/dist"), { recursive: true, force: true });
  const port = 4700 + run;
  const started = Date.now();
  const child = spawn(process.execPath, ["--import", "tsx", "apps/api/src/main.ts"], {
    cwd,
    env: { ...process.env, DATA_DIR: join(dataDir, "data"), PORT: String(port), LOG_LEVEL: "info" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const steps: Step[] = [];
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  try {
    return await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no "Serving GraphQL" within 120 s: ${stderr}`)), 120_000);
      let buffered = "";
      child.stdout.on("data", (chunk: Buffer) => {
        buffered += chunk.toString();
        const lines = buffered.split("\n");
        buffered = lines.pop() ?? "";
        for (const line of lines) {
          let msg = line;
          let at = Date.now();
          try {
            const entry = JSON.parse(line) as { msg?: string; time?: string | number };
            msg = entry.msg ?? line;
            // ISO time (the server's logger) or epoch milliseconds
            if (entry.time !== undefined) at = typeof entry.time === "string" ? Date.parse(entry.time) : entry.time;
          } catch {
            // not a JSON line: keep it as it is
          }
          const step = { atMs: at - started, msg };
          steps.push(step);
          process.stdout.write(`  run ${run}  ${String(step.atMs).padStart(6)} ms  ${msg}\n`);
          if (msg.startsWith("Serving GraphQL")) {
            clearTimeout(timer);
            resolve({ readyMs: step.atMs, steps });
          }
        }
      });
      child.once("exit", (code) => reject(new Error(`server exited ${code} before ready: ${stderr}`)));
    });
  } finally {
    child.kill("SIGTERM");
    await new Promise((r) => child.once("exit", r));
    rmSync(dataDir, { recursive: true, force: true });
  }
}

type Result = { readyMs: number; steps: Step[] };
const sides: { name: string; cwd: string; results: Result[] }[] = [
  { name: "this checkout", cwd: root, results: [] },
  ...(baseline ? [{ name: `baseline ${baseline}`, cwd: baseline, results: [] }] : []),
];
for (let run = 1; run <= runs; run++)
  for (const side of sides) {
    process.stdout.write(`${side.name}, run ${run}\n`);
    side.results.push(await coldStart(run, side.cwd));
  }
const summary = (results: Result[]) => {
  const ready = results.map((r) => r.readyMs).sort((a, b) => a - b);
  return { readyMs: ready, medianReadyMs: ready[Math.floor(ready.length / 2)] };
};
const figures = {
  when: new Date().toISOString(),
  machine: "2 cores shared with other work (load average at the end in loadAverage)",
  loadAverage: (await import("node:os")).loadavg(),
  consoleBuiltFirst: !withConsole,
  runs,
  sides: sides.map((side) => ({
    name: side.name,
    ...summary(side.results),
    timelines: side.results.map((r) => r.steps),
  })),
};
const file = join(root, "bench/results", `cold-start${label ? `-${label}` : ""}.json`);
writeFileSync(file, `${JSON.stringify(figures, null, 2)}\n`);
for (const side of figures.sides)
  console.log(`${side.name}: ready in ${side.readyMs.join(", ")} ms (median ${side.medianReadyMs} ms)`);
console.log(`→ ${file}`);
