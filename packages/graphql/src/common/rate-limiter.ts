// One way to make a counter for the brakes (sign-ins, operations): in Redis when the server has one, so a
// limit holds across instances, with this process's memory standing in while Redis is away; else in memory.
import { type RateLimiterAbstract, RateLimiterMemory, RateLimiterRedis } from "rate-limiter-flexible";

/** What rate-limiter-flexible needs of a Redis client (ioredis's `Redis` is one). */
export type ThrottleRedis = ConstructorParameters<typeof RateLimiterRedis>[0]["storeClient"];

export interface LimiterSpec {
  keyPrefix: string;
  /** Points one key may use per `durationSeconds`. */
  points: number;
  durationSeconds: number;
  /** How long a key stays blocked once past its points (0: until the window ends). */
  blockSeconds?: number;
  redis?: ThrottleRedis | undefined;
}

export function rateLimiter(spec: LimiterSpec): RateLimiterAbstract {
  const common = {
    keyPrefix: spec.keyPrefix,
    points: spec.points,
    duration: spec.durationSeconds,
    blockDuration: spec.blockSeconds ?? 0,
  };
  return spec.redis
    ? new RateLimiterRedis({
        ...common,
        storeClient: spec.redis,
        rejectIfRedisNotReady: true,
        insuranceLimiter: new RateLimiterMemory(common),
      })
    : new RateLimiterMemory(common);
}
