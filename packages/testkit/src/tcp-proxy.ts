// A TCP proxy of our own (node:net) in front of PostgreSQL, so a test can take the database away and give it
// back without touching the machine's server: `cut("reset")` drops every connection and refuses new ones,
// `cut("blackhole")` keeps accepting but forwards nothing (a network partition); `restore()` forwards again.
// `holdReplies()` forwards what clients send but keeps the server's answers until `releaseReplies()`, so a
// test can act while a client is connected and still waiting for its handshake (in front of Redis, too).
import { connect, createServer, type Server, type Socket } from "node:net";

export interface TcpProxy {
  port: number;
  cut(mode?: "reset" | "blackhole"): void;
  restore(): void;
  holdReplies(): void;
  releaseReplies(): void;
  /** How many connections have sent something so far. */
  readonly talking: number;
  close(): Promise<void>;
}

export async function startTcpProxy(targetHost: string, targetPort: number): Promise<TcpProxy> {
  let mode: "open" | "reset" | "blackhole" = "open";
  const pairs = new Set<[Socket, Socket | null]>();
  let holding = false;
  const held = new Map<Socket, Socket>(); // upstream → client, answers not forwarded yet
  let talking = 0;
  const server: Server = createServer((client) => {
    client.on("error", () => {});
    if (mode === "reset") return void client.resetAndDestroy();
    if (mode === "blackhole") {
      const pair: [Socket, null] = [client, null];
      pairs.add(pair);
      client.on("close", () => pairs.delete(pair));
      return;
    }
    const upstream = connect(targetPort, targetHost);
    upstream.on("error", () => client.destroy());
    const pair: [Socket, Socket] = [client, upstream];
    pairs.add(pair);
    client.once("data", () => talking++);
    client.pipe(upstream);
    if (holding) held.set(upstream, client);
    else upstream.pipe(client);
    const done = () => {
      pairs.delete(pair);
      held.delete(upstream);
      client.destroy();
      upstream.destroy();
    };
    client.on("close", done);
    upstream.on("close", done);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as { port: number }).port;
  return {
    port,
    cut: (how = "reset") => {
      mode = how;
      for (const [client, upstream] of [...pairs]) {
        if (how === "reset") {
          client.resetAndDestroy();
          upstream?.destroy();
        } else {
          // Stop forwarding both ways, as when packets stop arriving.
          client.unpipe();
          upstream?.unpipe();
          client.pause();
          upstream?.pause();
        }
      }
    },
    restore: () => {
      mode = "open";
      // Connections held during a blackhole are dead to their peers by now: drop them so clients reconnect.
      for (const [client, upstream] of [...pairs]) {
        if (!client.isPaused() && upstream) continue;
        client.destroy();
        upstream?.destroy();
      }
    },
    holdReplies: () => {
      holding = true;
      for (const [client, upstream] of pairs) {
        if (!upstream || held.has(upstream)) continue;
        upstream.unpipe(client);
        upstream.pause();
        held.set(upstream, client);
      }
    },
    releaseReplies: () => {
      holding = false;
      for (const [upstream, client] of held) upstream.pipe(client);
      held.clear();
    },
    get talking() {
      return talking;
    },
    close: async () => {
      for (const [client, upstream] of pairs) {
        client.destroy();
        upstream?.destroy();
      }
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
