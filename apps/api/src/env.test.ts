// Configuration is validated at start: every bad value is named, and the server does not start.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { ConfigError, readEnv } from "./env";

describe("readEnv", () => {
  it("gives the documented defaults for an empty environment", () => {
    const env = readEnv({});
    expect(env).toMatchObject({
      HOST: "127.0.0.1",
      PORT: 4000,
      DATA_DIR: "./.data",
      NODE_ENV: "development",
      DATABASE_POOL_SIZE: 10,
    });
    expect(env.DATABASE_URL).toBeUndefined();
  });

  it("names every bad value with what was expected", () => {
    try {
      readEnv({ PORT: "eighty", DATABASE_URL: "mysql://x", LOG_LEVEL: "loud", DATABASE_POOL_SIZE: "0" });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const problems = (error as ConfigError).problems.join("\n");
      expect(problems).toMatch(/PORT="eighty"/);
      expect(problems).toMatch(/DATABASE_URL="mysql:\/\/x": must be a postgres/);
      expect(problems).toMatch(/LOG_LEVEL="loud"/);
      expect(problems).toMatch(/DATABASE_POOL_SIZE="0"/);
    }
  });
});

describe("the server with a bad environment", () => {
  it("exits non-zero with a clear message and never listens", () => {
    const main = fileURLToPath(new URL("./main.ts", import.meta.url));
    const result = spawnSync(process.execPath, ["--import", "tsx", main], {
      env: { ...process.env, PORT: "99999", DATABASE_URL: "", DATA_DIR: "/nonexistent/should-not-be-created" },
      encoding: "utf8",
      timeout: 110_000, // tsx compiles main.ts first: slow on a loaded machine
    });
    expect(result.status).toBe(78);
    expect(result.stderr).toContain("Invalid configuration");
    expect(result.stderr).toContain('PORT="99999"');
    expect(result.stdout).not.toMatch(/Serving/);
  }, 120_000);
});
