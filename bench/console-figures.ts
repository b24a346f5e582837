// Benchmark: the console's figures for the closing note, measured in the test browser (headless Chromium) by the
// browser tests themselves, run several times: the first page's bundle (gzip, what the sign-in page loads), time
// to interactive on a cold start (a fresh browser context, empty cache, until the sign-in button is on screen),
// and the live events' time from the action in one browser context to its sight in another (a lead posted, a
// province advanced). Writes bench/results/console-figures.json with each run and the medians.
//   npm run bench -- console-figures [--runs 3]
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const args = process.argv.slice(2);
const runs = Number(args[args.indexOf("--runs") + 1] ?? 3) || 3;
const figuresFile = join(root, "apps/console/test-artifacts/figures.json");
const tests = "loads cold|posts a FEDERATION lead|advance a province";

interface Figures {
  coldTimeToInteractiveMs: number;
  firstPageGzipBytes: number;
  firstPageFiles: string[];
  liveLeadMs: number;
  liveFormationMs: number;
}

const measured: Figures[] = [];
for (let run = 1; run <= runs; run++) {
  const vitest = spawnSync(
    "npx",
    [
      "vitest",
      "run",
      "--config",
      "packages/testkit/vitest.config.ts",
      "apps/console/src/e2e/console.test.ts",
      "-t",
      tests,
    ],
    { cwd: root, stdio: "inherit" },
  );
  if (vitest.status !== 0) throw new Error(`the browser tests failed (run ${run})`);
  const figures = JSON.parse(readFileSync(figuresFile, "utf8")) as Figures;
  console.log(`run ${run}: ${JSON.stringify(figures)}`);
  measured.push(figures);
}
const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : Math.round((sorted[mid - 1]! + sorted[mid]!) / 2);
};
const result = {
  measuredAt: new Date().toISOString(),
  runs,
  browser: "Debian chromium (headless), playwright-core, 1280×860",
  median: {
    firstPageGzipBytes: median(measured.map((f) => f.firstPageGzipBytes)),
    coldTimeToInteractiveMs: median(measured.map((f) => f.coldTimeToInteractiveMs)),
    liveLeadMs: median(measured.map((f) => f.liveLeadMs)),
    liveFormationMs: median(measured.map((f) => f.liveFormationMs)),
  },
  firstPageFiles: measured[0]?.firstPageFiles,
  each: measured,
};
writeFileSync(join(root, "bench/results/console-figures.json"), `${JSON.stringify(result, null, 2)}\n`);
console.log(JSON.stringify(result.median));
