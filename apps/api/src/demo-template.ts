// `npm start` on an empty data folder serves the demo data. Loading it (about 3,000 statements through the domain
// services) is most of a cold start, and its result is the same for the same code on the same day (the demo's
// dates follow the day it is loaded): so the seeded database is kept once, beside the PGlite cluster template,
// named by a hash of what makes it (migrations, db and core sources, PGlite's version) and by that day, and a new
// data folder starts from it. A change to any of those, or a new day, names another one, made at the next load.
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { todayIso } from "@wz/core";
import { clusterTemplatePath, migrationsFolder, readDump, writeDump } from "@wz/db";

const root = fileURLToPath(new URL("../../..", import.meta.url));
const cacheDir = dirname(clusterTemplatePath);

function sources(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) return sources(path);
      return /\.(ts|sql|json)$/.test(name) && !name.endsWith(".test.ts") ? [path] : [];
    });
}

/** Where the demo database of this code and this day is kept. */
export function demoTemplatePath(): string {
  const hash = createHash("sha256").update(basename(clusterTemplatePath)).update(todayIso());
  for (const dir of [migrationsFolder, join(root, "packages/db/src"), join(root, "packages/core/src")])
    for (const file of sources(dir)) hash.update(file.slice(root.length)).update(readFileSync(file));
  return join(cacheDir, `demo-${hash.digest("hex").slice(0, 20)}.tar.gz`);
}

/** The demo database to start a new data folder from, or undefined when there is none for this code and day. */
export function readDemoTemplate(path = demoTemplatePath()): Blob | undefined {
  return readDump(path);
}

/** Keeps a freshly seeded database's dump; older demo databases are dropped. */
export async function saveDemoTemplate(dump: Blob, path = demoTemplatePath()): Promise<void> {
  await writeDump(path, dump);
  for (const name of readdirSync(cacheDir))
    if (/^demo-[0-9a-f]+\.tar\.gz$/.test(name) && name !== basename(path))
      rmSync(join(cacheDir, name), { force: true });
}
