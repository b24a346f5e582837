// npm start on a new data folder starts from today's kept demo database when there is one (demo-template.ts):
// a second start on another new folder says so, serves the same demo (the admin signs in, the chambers are
// there); a folder the CLI made (db:migrate) is never filled from it, its first npm start loads the demo itself.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type WatchedProcess, watchProcess } from "@wz/testkit";
import { afterAll, describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../../..", import.meta.url));
const script = (name: string) => fileURLToPath(new URL(name, import.meta.url));
const processes: WatchedProcess[] = [];
const folders: string[] = [];

function run(file: string, dataDir: string): WatchedProcess {
  const clean = { ...process.env };
  for (const name of ["DATABASE_URL", "REDIS_URL", "npm_lifecycle_event"]) delete clean[name];
  const watched = watchProcess(process.execPath, ["--import", "tsx", script(file)], {
    cwd: root,
    env: { ...clean, PORT: "0", LOG_LEVEL: "info", NODE_ENV: "test", DATA_DIR: dataDir },
  });
  processes.push(watched);
  return watched;
}

function newFolder(): string {
  const dir = mkdtempSync(join(tmpdir(), "wz-demo-"));
  folders.push(dir);
  return join(dir, "data");
}

afterAll(async () => {
  for (const p of processes) await p.kill();
  for (const dir of folders) rmSync(dir, { recursive: true, force: true });
});

type Answer = { data: { [field: string]: { token: string; totalCount: number } } };
const SERVING = /Serving GraphQL on (http:\/\/127\.0\.0\.1:\d+\/graphql)/;

async function serve(dataDir: string) {
  const server = run("./main.ts", dataDir);
  const [, url] = (await server.waitFor(SERVING, 120_000)) as RegExpMatchArray;
  const post = async (query: string, token?: string) => {
    const response = await fetch(url!, {
      method: "POST",
      headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query }),
    });
    return (await response.json()) as Answer;
  };
  return { server, post };
}

/** What a newcomer sees: the admin signs in and finds the demo's chambers. */
async function demoSeen(post: (query: string, token?: string) => Promise<Answer>) {
  const login = await post(
    `mutation { login(input: { email: "admin@example.org", password: "demo-password" }) { token } }`,
  );
  const token = login.data.login!.token;
  const seen = await post(`{ chambers(first: 1) { totalCount } merchants(first: 1) { totalCount } }`, token);
  return { chambers: seen.data.chambers!.totalCount, merchants: seen.data.merchants!.totalCount };
}

describe("npm start's demo database", () => {
  it("a second new folder starts from the demo database the first one kept, and serves the same demo", async () => {
    const first = await serve(newFolder());
    // either it loaded the demo (and kept it) or an earlier start today had kept one
    expect(first.server.output()).toMatch(/demo database kept for the next new data folder today|starting from/);
    const expected = await demoSeen(first.post);
    expect(expected.chambers).toBeGreaterThan(5);
    await first.server.kill("SIGTERM");

    const second = await serve(newFolder());
    expect(second.server.output()).toContain("a new data folder: starting from today's demo database");
    expect(second.server.output()).not.toContain("loading demo data");
    expect(await demoSeen(second.post)).toEqual(expected);
    await second.server.kill("SIGTERM");
  }, 240_000);

  it("a folder db:migrate made is never filled from it: its first npm start loads the demo itself", async () => {
    const folder = newFolder();
    const migrate = run("./cli/migrate.ts", folder);
    expect(await migrate.exited).toBe(0);
    const started = await serve(folder);
    expect(started.server.output()).toContain("the database is empty: loading demo data");
    expect(started.server.output()).not.toContain("starting from today's demo database");
    await started.server.kill("SIGTERM");
  }, 240_000);
});
