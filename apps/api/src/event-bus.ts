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
  // The subscriber queues its (re)subscriptions until Redis is back rather than failing them.
  const subscribeClient = new Redis(redisUrl, {
    ...options,
    enableOfflineQueue: true,
    maxRetriesPerRequest: null,
    connectionName: "wz-subscribe",
  });
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
  const bus = createEventBus(createRedisEventTarget({ publishClient: publisher, subscribeClient }));
  logger.info({}, "subscription events travel through Redis");
  return {
    bus,
    close: async () => {
      publishClient.disconnect();
      subscribeClient.disconnect();
    },
  };
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
