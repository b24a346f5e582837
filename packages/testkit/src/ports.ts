// A loopback port for a process a test or bench starts: chosen by the system, free when returned.
import { createServer } from "node:net";

/** A port nobody listens on now (the system picks it; it stays free unless someone else takes it first). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
