// A fresh PGlite cluster without running initdb: PGlite runs initdb in WebAssembly for every new database, the
// largest single cost of a cold start (and of every test file's database). The cluster initdb makes is the same
// every time for one PGlite version, so it is made once (`npm ci` runs `db:cluster-template`; any later fresh
// database that finds none makes it too) and kept under node_modules/.cache beside PGlite, named by its version;
// a new database is then unpacked from it (PGlite's own loadDataDir). Migrations still run as before.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";

const require = createRequire(import.meta.url);
// PGlite exports no package.json: its folder is the one above the entry point's dist/
const pgliteDir = dirname(dirname(require.resolve("@electric-sql/pglite")));
const pgliteVersion = (JSON.parse(readFileSync(join(pgliteDir, "package.json"), "utf8")) as { version: string })
  .version;

/** Where the template of this PGlite version lives. */
export const clusterTemplatePath = join(
  pgliteDir,
  "..",
  "..",
  ".cache",
  "wz-pglite",
  `cluster-${pgliteVersion}.tar.gz`,
);

export const pgliteExtensions = { pg_trgm };

/** A kept database dump (this template, or npm start's demo database), or undefined when there is none. */
export function readDump(path: string): Blob | undefined {
  if (!existsSync(path)) return undefined;
  const bytes = readFileSync(path);
  return bytes.length > 0 ? new Blob([bytes]) : undefined;
}

/** Keeps a dump at `path`: written aside, then renamed, so no reader sees half of it. */
export async function writeDump(path: string, dump: Blob): Promise<void> {
  mkdirSync(dirname(path), { recursive: true });
  const aside = `${path}.${process.pid}.tmp`;
  writeFileSync(aside, Buffer.from(await dump.arrayBuffer()));
  renameSync(aside, path);
}

/** The template, or undefined when none has been made yet. */
export function readClusterTemplate(): Blob | undefined {
  return readDump(clusterTemplatePath);
}

/** Keeps a fresh cluster's files as the template. */
export async function saveClusterTemplate(fresh: PGlite): Promise<void> {
  await writeDump(clusterTemplatePath, await fresh.dumpDataDir("gzip"));
}

/** Makes the template if there is none yet (initdb once); returns whether it made one. */
export async function ensureClusterTemplate(): Promise<boolean> {
  if (readClusterTemplate()) return false;
  const fresh = await PGlite.create({ extensions: pgliteExtensions });
  try {
    await saveClusterTemplate(fresh);
  } finally {
    await fresh.close();
  }
  return true;
}

/** Whether a data folder already holds a cluster (then it is opened as it is, never overwritten). */
export function holdsCluster(dataDir: string | undefined): boolean {
  return dataDir !== undefined && existsSync(join(dataDir, "PG_VERSION"));
}
