// A private Redis server for a test that must stop and start Redis or keep its channels to itself: the
// machine's redis-server binary on a free loopback port, nothing kept on disk. The machine's own Redis is
// never stopped by a test.
import { spawnSync } from "node:child_process";
import { connect } from "node:net";
import { freePort } from "./ports";
import { type WatchedProcess, watchProcess } from "./process";
import { waitUntil } from "./wait";

/** Whether the machine has a redis-server binary to start. */
export const hasRedisServer = spawnSync("redis-server", ["--version"]).status === 0;

export interface RedisServer {
  port: number;
  url: string;
  /** SIGKILLs the server (an outage, nothing said to clients) and waits for it to exit. */
  kill(): Promise<void>;
  /** Starts it again on the same port and waits until it answers. */
  start(): Promise<void>;
}

/** True once a Redis server answers PING on the port. */
export function redisAnswers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1", () => socket.write("PING\r\n"));
    socket.setTimeout(1000, () => socket.destroy());
    socket.once("data", (data) => {
      resolve(data.toString().startsWith("+PONG"));
      socket.destroy();
    });
    socket.once("error", () => resolve(false));
    socket.once("close", () => resolve(false));
  });
}

/** Starts a Redis server of the test's own; `kill()` it in the test's cleanup. */
export async function startRedisServer(): Promise<RedisServer> {
  const port = await freePort();
  let server: WatchedProcess | undefined;
  const start = async () => {
    server = watchProcess("redis-server", [
      ...["--port", String(port), "--bind", "127.0.0.1"],
      ...["--save", "", "--appendonly", "no"],
    ]);
    await waitUntil(() => redisAnswers(port), { timeoutMs: 10_000, what: `Redis to answer on port ${port}` });
  };
  await start();
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    kill: async () => {
      await server?.kill("SIGKILL");
    },
    start,
  };
}
