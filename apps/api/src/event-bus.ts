// The pub/sub behind subscriptions: in-process, or with REDIS_URL shared by every server process through
// Redis. Redis carries only nudges; the lead event log in the database is what subscribers read, so a Redis
// outage delays live delivery but never loses an event (and never fails a mutation).
import { createRedisEventTarget } from "@graphql-yoga/redis-event-target";
import {
  createEventBus,
  createLoginThrottle,
  createOperationThrottle,
  type EventBus,
  type Logger,
  type LoginThrottle,
  type OperationThrottle,
  type OperationThrottlePolicy,
} from "@wz/graphql";
import { Redis } from "ioredis";

export interface ConfiguredBus {
  bus: EventBus;
  close(): Promise<void>;
}

export function createConfiguredEventBus(redisUrl: string | undefined, logger: Logger): ConfiguredBus {
  if (!redisUrl) return { bus: createEventBus(), close: async () => {} };
  const options = {
    // Publishing must fail fast while Redis is down, not queue up in memory; subscribers catch up from the log.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    retryStrategy: (attempt: number) => Math.min(attempt * 200, 2000),
  };
  const publishClient = new Redis(redisUrl, { ...options, connectionName: "wz-publish" });
  // Channels are (re)subscribed by `readySubscriber` below, only once the client is ready.
  const subscribeClient = new Redis(redisUrl, { ...options, autoResubscribe: false, connectionName: "wz-subscribe" });
  let lastWarning = 0;
  const warn = (client: string) => (err: Error) => {
    if (Date.now() - lastWarning < 10_000) return;
    lastWarning = Date.now();
    logger.warn(
      { err: err.message, client },
      "Redis unavailable: live events wait for it, subscribers catch up from the event log",
    );
  };
  publishClient.on("error", warn("publish"));
  subscribeClient.on("error", warn("subscribe"));
  // The event target fires publishes without awaiting them; a rejected one (Redis down) must not become an
  // unhandled rejection that kills the process, so publishing goes through this catching wrapper.
  const publisher = {
    publish: (channel: string, message: string) =>
      publishClient.publish(channel, message).catch((err: Error) => {
        warn("publish")(err);
        return 0;
      }),
  } as unknown as Redis;
  const bus = createEventBus(
    createRedisEventTarget({
      publishClient: publisher,
      subscribeClient: readySubscriber(subscribeClient, warn("subscribe")),
    }),
  );
  logger.info({}, "subscription events travel through Redis");
  return {
    bus,
    close: async () => {
      publishClient.disconnect();
      subscribeClient.disconnect();
    },
  };
}

/**
 * The subscribing side of the event target, as the target uses it (`on`, `subscribe`, `unsubscribe`).
 *
 * ioredis 5 loses a SUBSCRIBE written while a connection is between TCP connect and ready (ioredis#2037: the
 * reply puts the connection in subscriber mode before ioredis's INFO ready check, the check fails, the
 * connection is dropped and the channel is not subscribed again). It happens whenever the first subscriber of
 * a channel arrives while Redis reconnects, and then that channel (the lead feed's nudges, or a session
 * revocation) never arrives again on this process. Fixed in ioredis 6, which yoga's Redis event target does
 * not accept yet. So this process keeps the set of channels it wants, subscribes only on a ready connection,
 * and subscribes the whole set again every time a connection becomes ready.
 */
function readySubscriber(client: Redis, warn: (err: Error) => void): Redis {
  const wanted = new Set<string>();
  const ready = () => client.status === "ready";
  const subscribe = (channels: string[]) => {
    if (channels.length > 0 && ready()) client.subscribe(...channels).catch(warn);
  };
  client.on("ready", () => subscribe([...wanted]));
  return {
    on: (event: string, listener: (channel: string, message: string) => void) => client.on(event, listener),
    subscribe: (channel: string) => {
      wanted.add(channel);
      subscribe([channel]);
    },
    unsubscribe: (channel: string) => {
      wanted.delete(channel);
      if (ready()) client.unsubscribe(channel).catch(warn);
    },
  } as unknown as Redis;
}

/** Sign-in throttling: counted in Redis when there is one (so it holds across instances), else in memory. */
export function createConfiguredThrottles(
  redisUrl: string | undefined,
  operations: OperationThrottlePolicy,
): {
  throttle: LoginThrottle;
  operations: OperationThrottle;
  close(): Promise<void>;
} {
  if (!redisUrl)
    return { throttle: createLoginThrottle(), operations: createOperationThrottle(operations), close: async () => {} };
  const client = new Redis(redisUrl, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectionName: "wz-throttle",
  });
  client.on("error", () => {}); // the event bus already warns about Redis being away
  return {
    throttle: createLoginThrottle({ redis: client }),
    operations: createOperationThrottle(operations, { redis: client }),
    close: async () => {
      client.disconnect();
    },
  };
}
