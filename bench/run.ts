// `npm run bench -- <name> [args]` runs bench/<name>.ts; with no name it lists the benchmarks.
// Each benchmark writes its figures to bench/results/.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";

const dir = fileURLToPath(new URL(".", import.meta.url));
const [name, ...args] = process.argv.slice(2);
const available = readdirSync(dir)
  .filter((f) => f.endsWith(".ts") && !["run.ts"].includes(f) && !f.startsWith("_") && !f.endsWith("-support.ts"))
  .map((f) => f.replace(/\.ts$/, ""));
if (!name || !existsSync(`${dir}/${name}.ts`)) {
  console.log(`Usage: npm run bench -- <name> [args]\nBenchmarks: ${available.join(", ")}`);
  process.exit(name ? 2 : 0);
}
const result = spawnSync(process.execPath, ["--import", "tsx", `${dir}/${name}.ts`, ...args], { stdio: "inherit" });
process.exit(result.status ?? 1);
