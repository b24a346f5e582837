// One process per embedded data folder: PGlite has no lock of its own, and two processes writing one folder
// corrupt it. proper-lockfile's lock is a directory beside the folder whose mtime the holder keeps fresh; a
// holder that dies stops refreshing it, so its lock goes stale (30 s) and the next process may take it over.
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { hostname } from "node:os";
import { resolve } from "node:path";
import lockfile from "proper-lockfile";

// Long enough that a holder whose event loop PGlite keeps busy (demo data, a big import) on a loaded machine never
// looks dead; a holder that really died (checked by pid first) is waited out at most this long.
const STALE_MS = 30_000;

interface Owner {
  pid: number;
  host: string;
  since: string;
  command: string;
}

export class DataDirInUseError extends Error {
  readonly code = "DATA_DIR_IN_USE";
  constructor(
    readonly dataDir: string,
    readonly owner: Owner | null,
  ) {
    const who = owner
      ? `process ${owner.pid} on ${owner.host} (since ${owner.since}: ${owner.command})`
      : "another process";
    super(`The data folder ${dataDir} is in use by ${who}. Stop that process, or set DATA_DIR to another folder.`);
    this.name = "DataDirInUseError";
  }
}

export interface DataDirLock {
  release(): Promise<void>;
}

function alive(owner: Owner): boolean {
  if (owner.host !== hostname()) return true;
  try {
    process.kill(owner.pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Locks `dataDir` for this process, or throws DataDirInUseError naming the holder. */
export async function lockDataDir(dataDir: string, onCompromised?: (error: Error) => void): Promise<DataDirLock> {
  const folder = resolve(dataDir);
  await mkdir(folder, { recursive: true });
  const lockPath = `${folder}.lock`;
  const ownerPath = `${folder}.lock.json`;
  const readOwner = async (): Promise<Owner | null> => {
    try {
      return JSON.parse(await readFile(ownerPath, "utf8")) as Owner;
    } catch {
      return null;
    }
  };
  const attempt = () =>
    lockfile.lock(folder, {
      lockfilePath: lockPath,
      stale: STALE_MS,
      update: STALE_MS / 4,
      realpath: false,
      onCompromised:
        onCompromised ??
        ((error) => {
          // Another process took the folder over (this one stalled past the stale time): stop before writing.
          process.stderr.write(`The lock on ${folder} was lost (${error.message}); stopping.\n`);
          process.exit(73);
        }),
    });
  let release: () => Promise<void>;
  try {
    release = await attempt();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ELOCKED") throw error;
    const owner = await readOwner();
    // A holder on this machine that is gone left a lock that will soon be stale: wait for it, then take over.
    if (!owner || alive(owner)) throw new DataDirInUseError(folder, owner);
    const deadline = Date.now() + STALE_MS + 2000;
    for (;;) {
      await new Promise((r) => setTimeout(r, 250));
      try {
        release = await attempt();
        break;
      } catch (again) {
        const held = (again as NodeJS.ErrnoException).code === "ELOCKED";
        if (!held || Date.now() > deadline) throw held ? new DataDirInUseError(folder, owner) : again;
      }
    }
  }
  const owner: Owner = {
    pid: process.pid,
    host: hostname(),
    since: new Date().toISOString(),
    command: process.argv.slice(1).join(" ").slice(0, 200),
  };
  await writeFile(ownerPath, JSON.stringify(owner));
  let released = false;
  return {
    release: async () => {
      if (released) return;
      released = true;
      await rm(ownerPath, { force: true });
      await release();
    },
  };
}
