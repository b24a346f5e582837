// The Redis event bus keeps every channel it was asked for, whatever state the connection is in when asked:
// a channel first subscribed while the client is still in its connection handshake (as after Redis comes
// back) must still deliver. Runs against a Redis server of its own (its channels are the bus's real ones, so
// it must not publish on the machine's Redis); skipped, with the reason, without a redis-server binary.
import {
  hasRedisServer,
  type RedisServer,
  startRedisServer,
  startTcpProxy,
  type TcpProxy,
  waitUntil,
} from "@wz/testkit";
import { Redis } from "ioredis";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type ConfiguredBus, createConfiguredEventBus } from "./event-bus";
import { createLogger } from "./logger";

describe.skipIf(!hasRedisServer)("the Redis event bus (needs a redis-server binary)", () => {
  let redis: RedisServer;
  beforeAll(async () => {
    redis = await startRedisServer();
  });
  afterAll(() => redis?.kill());
  const cleanups: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function busBehindProxy(): Promise<{ proxy: TcpProxy; events: ConfiguredBus }> {
    const proxy = await startTcpProxy("127.0.0.1", redis.port);
    cleanups.push(() => proxy.close());
    // The server's answers are held: both clients connect, send their handshake, and wait in it.
    proxy.holdReplies();
    const events = createConfiguredEventBus(`redis://127.0.0.1:${proxy.port}`, createLogger("silent"));
    cleanups.push(() => events.close());
    await waitUntil(() => proxy.talking >= 2, { what: "both Redis clients to start their handshake" });
    return { proxy, events };
  }

  /** Publishes on the real Redis (not through the proxy) until `received` settles, bounded. */
  async function publishUntil(channel: string, received: Promise<unknown>): Promise<void> {
    const publisher = new Redis(redis.url);
    cleanups.push(async () => publisher.disconnect());
    let settled = false;
    void received.finally(() => (settled = true));
    await waitUntil(
      async () => {
        await publisher.publish(channel, JSON.stringify({ seq: 1 }));
        return settled;
      },
      { timeoutMs: 15_000, intervalMs: 200, what: `an event on ${channel} to arrive` },
    );
  }

  /** The iterator's next event, publishing on the real Redis until it arrives. */
  async function receive(iterator: AsyncIterator<unknown>, channel: string): Promise<unknown> {
    const next = iterator.next();
    await publishUntil(channel, next);
    return (await next).value;
  }

  it("a channel first subscribed during the connection handshake still delivers (ioredis#2037)", async () => {
    const { proxy, events } = await busBehindProxy();
    const iterator = events.bus.subscribe("lead:event")[Symbol.asyncIterator]();
    const first = iterator.next(); // subscribes now, mid-handshake
    proxy.releaseReplies();
    await publishUntil("lead:event", first);
    // The first can slip through before the failed handshake drops the connection; the next one cannot.
    expect(await receive(iterator, "lead:event")).toEqual({ seq: 1 });
    await iterator.return?.();
  });

  it("after the connection drops and comes back, every channel still wanted delivers again", async () => {
    const { proxy, events } = await busBehindProxy();
    proxy.releaseReplies();
    const iterator = events.bus.subscribe("roles:changed")[Symbol.asyncIterator]();
    expect(await receive(iterator, "roles:changed")).toEqual({ seq: 1 });
    // Redis goes away; while the client is reconnecting (held in its handshake), a second channel is asked for.
    proxy.cut("reset");
    proxy.holdReplies();
    proxy.restore();
    const talkingBefore = proxy.talking;
    await waitUntil(() => proxy.talking >= talkingBefore + 2, { what: "both clients to reconnect" });
    const other = events.bus.subscribe("session:revoked")[Symbol.asyncIterator]();
    const otherFirst = other.next();
    proxy.releaseReplies();
    await publishUntil("session:revoked", otherFirst);
    expect(await receive(other, "session:revoked")).toEqual({ seq: 1 });
    expect(await receive(iterator, "roles:changed")).toEqual({ seq: 1 });
    await other.return?.();
    await iterator.return?.();
  });
});
