// Starts that cannot work fail at once, in one line, with their own exit code: a second process on one
// embedded data folder (server and tools alike), a port in use (noticed before the database is touched), an
// unreachable or silent database (retried for DATABASE_CONNECT_TIMEOUT first), admin:create with no password.
// And `npm start` killed by its pid leaves no server behind.

import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type WatchedProcess, watchProcess } from "@wz/testkit";
import { afterAll, describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../../..", import.meta.url));
const script = (name: string) => fileURLToPath(new URL(name, import.meta.url));
const processes: WatchedProcess[] = [];
const folders: string[] = [];
const servers: Server[] = [];

function run(file: string, env: Record<string, string>, args: string[] = []): WatchedProcess {
  const clean = { ...process.env };
  for (const name of ["DATABASE_URL", "REDIS_URL", "ADMIN_PASSWORD", "npm_lifecycle_event"]) delete clean[name];
  const watched = watchProcess(process.execPath, ["--import", "tsx", script(file), ...args], {
    cwd: root,
    env: { ...clean, PORT: "0", LOG_LEVEL: "info", NODE_ENV: "test", ...env },
  });
  processes.push(watched);
  return watched;
}

function tempFolder(): string {
  const dir = mkdtempSync(join(tmpdir(), "wz-start-"));
  folders.push(dir);
  return join(dir, "data");
}

async function listening(
  handler?: (socket: import("node:net").Socket) => void,
): Promise<{ port: number; server: Server }> {
  const server = createServer(handler ?? ((socket) => socket.destroy()));
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { port: (server.address() as { port: number }).port, server };
}

async function closedPort(): Promise<number> {
  const { port, server } = await listening();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function until(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

afterAll(async () => {
  await Promise.all(processes.map((p) => p.kill()));
  for (const server of servers) server.close();
  for (const dir of folders) rmSync(dir, { recursive: true, force: true });
});

// These start real processes on the embedded database only: they run once, in the PGlite pass of the suite.
const reason = process.env.TEST_DATABASE_URL ? " (run in the PGlite pass)" : "";

describe.skipIf(reason)(`one process per embedded data folder${reason}`, () => {
  it("a second server, db:migrate and db:seed refuse the folder, naming it and the holder", async () => {
    const dataDir = tempFolder();
    const first = run("./main.ts", { DATA_DIR: dataDir });
    await first.waitFor(/"database opened"/, 60_000);
    for (const [file, args] of [
      ["./main.ts", []],
      ["./cli/migrate.ts", []],
      ["./cli/seed.ts", ["--demo"]],
    ] as const) {
      const second = run(file, { DATA_DIR: dataDir }, [...args]);
      expect(await second.exited, second.output()).toBe(73);
      expect(second.output()).toContain(`The data folder ${dataDir} is in use by process ${first.child.pid}`);
      expect(second.output()).not.toMatch(/Serving GraphQL/);
    }
    expect(first.child.exitCode).toBeNull();
  }, 120_000);

  it("the lock goes with a holder that is killed: the next start takes the folder over", async () => {
    const dataDir = tempFolder();
    const first = run("./cli/migrate.ts", { DATA_DIR: dataDir });
    await first.exited;
    const holder = run("./main.ts", { DATA_DIR: dataDir });
    await holder.waitFor(/"database opened"/, 60_000);
    await holder.kill("SIGKILL");
    const next = run("./cli/migrate.ts", { DATA_DIR: dataDir });
    expect(await next.exited, next.output()).toBe(0);
    expect(next.output()).toMatch(/migrations applied/);
  }, 120_000);
});

describe.skipIf(reason)(`start failures${reason}`, () => {
  it("a port in use is reported before the database is opened", async () => {
    const { port } = await listening();
    const dataDir = tempFolder();
    const started = run("./main.ts", { PORT: String(port), DATA_DIR: dataDir });
    expect(await started.exited).toBe(71);
    expect(started.output().trim()).toBe(
      `Port ${port} on 127.0.0.1 is already in use: stop the other server or set PORT.`,
    );
    expect(existsSync(dataDir)).toBe(false);
  }, 60_000);

  it("a closed database port is retried with backoff, then one line names host, port and cause (exit 69)", async () => {
    const port = await closedPort();
    const server = run("./main.ts", {
      DATABASE_URL: `postgres://postgres@127.0.0.1:${port}/x`,
      DATABASE_CONNECT_TIMEOUT: "2",
    });
    // timed from the first attempt: compiling and starting the process is not what DATABASE_CONNECT_TIMEOUT bounds
    await server.waitFor(/"opening the database"/, 90_000);
    const started = Date.now();
    expect(await server.exited).toBe(69);
    expect(Date.now() - started).toBeLessThan(20_000);
    const lines = server.output().trim().split("\n");
    expect(lines.filter((l) => l.includes("does not answer yet")).length).toBeGreaterThanOrEqual(2);
    expect(lines.at(-1)).toBe(
      `Cannot reach PostgreSQL at 127.0.0.1:${port}: connect ECONNREFUSED 127.0.0.1:${port} ` +
        "(gave up after 2 s, DATABASE_CONNECT_TIMEOUT)",
    );
    expect(server.output()).not.toMatch(/Failed query|at .*\.js:\d+/);
  }, 120_000);

  const silent = "a database that accepts and never answers";
  it(`${silent} times out within DATABASE_CONNECT_TIMEOUT and a few seconds`, async () => {
    const held: import("node:net").Socket[] = [];
    const { port } = await listening((socket) => void held.push(socket));
    const server = run("./main.ts", {
      DATABASE_URL: `postgres://postgres@127.0.0.1:${port}/x`,
      DATABASE_CONNECT_TIMEOUT: "2",
    });
    await server.waitFor(/"opening the database"/, 90_000);
    const started = Date.now();
    expect(await server.exited).toBe(69);
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(server.output().trim().split("\n").at(-1)).toMatch(
      new RegExp(`^Cannot reach PostgreSQL at 127\\.0\\.0\\.1:${port}: .*(CONNECT_TIMEOUT|within)`),
    );
    for (const socket of held) socket.destroy();
  }, 120_000);

  it("admin:create with no password and no terminal says so and exits 64", async () => {
    const create = run("./cli/create-admin.ts", { DATA_DIR: tempFolder() }, ["--email", "admin@example.org"]);
    expect(await create.exited).toBe(64);
    expect(create.output()).toMatch(/No password given: set ADMIN_PASSWORD/);
  }, 60_000);
});

describe.skipIf(reason)(`npm start${reason}`, () => {
  it("killed by its pid, leaves no server process behind", async () => {
    const dataDir = tempFolder();
    const clean = { ...process.env };
    delete clean.DATABASE_URL;
    const npm = watchProcess("npm", ["start"], {
      cwd: root,
      env: { ...clean, PORT: "0", DATA_DIR: dataDir, LOG_LEVEL: "info" },
    });
    processes.push(npm);
    await npm.waitFor(/"database opened"/, 60_000);
    // The server's pid, from the lock it holds on the data folder.
    const serverPid = (JSON.parse(readFileSync(`${dataDir}.lock.json`, "utf8")) as { pid: number }).pid;
    expect(serverPid).not.toBe(npm.child.pid);
    try {
      npm.child.kill("SIGTERM");
      await npm.exited;
      await until(() => !alive(serverPid), 15_000, `server process ${serverPid} to end after npm did`);
    } finally {
      if (alive(serverPid)) process.kill(serverPid, "SIGKILL");
    }
  }, 90_000);
});
