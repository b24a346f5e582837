// A TCP proxy of our own (node:net) in front of PostgreSQL, so a test can take the database away and give it
// back without touching the machine's server: `cut("reset")` drops every connection and refuses new ones,
// `cut("blackhole")` keeps accepting but forwards nothing (a network partition); `restore()` forwards again.
import { connect, createServer, type Server, type Socket } from "node:net";

export interface TcpProxy {
  port: number;
  cut(mode?: "reset" | "blackhole"): void;
  restore(): void;
  close(): Promise<void>;
}

export async function startTcpProxy(targetHost: string, targetPort: number): Promise<TcpProxy> {
  let mode: "open" | "reset" | "blackhole" = "open";
  const pairs = new Set<[Socket, Socket | null]>();
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
    client.pipe(upstream);
    upstream.pipe(client);
    const done = () => {
      pairs.delete(pair);
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
    close: async () => {
      for (const [client, upstream] of pairs) {
        client.destroy();
        upstream?.destroy();
      }
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
