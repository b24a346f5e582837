// Brakes on flooding: operations (queries, mutations, subscriptions started; over HTTP and WebSocket alike)
// are counted per signed-in user and per client address, per minute. Past either limit an operation is refused
// before it runs with RATE_LIMITED and `retryAfterSeconds`; the counts live where the sign-in counts do.
import { RateLimitedError } from "@wz/core";
import type { Plugin } from "graphql-yoga";
import { RateLimiterRes } from "rate-limiter-flexible";
import type { GraphQLContext } from "../context";
import { codedError } from "./messages";
import { rateLimiter, type ThrottleRedis } from "./rate-limiter";

export interface OperationThrottlePolicy {
  /** Operations one signed-in user may start per minute (0: no limit). */
  perUserPerMinute: number;
  /** Operations from one client address per minute, signed in or not (0: no limit). Offices share addresses. */
  perAddressPerMinute: number;
}

export interface OperationThrottle {
  /** Counts one operation; throws RATE_LIMITED once the user or the address is past its limit. */
  consume(userId: string | null, address: string): Promise<void>;
}

export function createOperationThrottle(
  policy: OperationThrottlePolicy,
  options: { redis?: ThrottleRedis; keyPrefix?: string } = {},
): OperationThrottle {
  const limiter = (name: string, points: number) =>
    points > 0
      ? rateLimiter({
          keyPrefix: `${options.keyPrefix ?? "wz"}:ops:${name}`,
          points,
          durationSeconds: 60,
          redis: options.redis,
        })
      : null;
  const users = limiter("user", policy.perUserPerMinute);
  const addresses = limiter("address", policy.perAddressPerMinute);
  return {
    async consume(userId, address) {
      const spend = async (l: typeof users, key: string) => {
        if (!l) return 0;
        try {
          await l.consume(key);
          return 0;
        } catch (refusal) {
          // rate-limiter-flexible refuses with its result (how long until a point is free); anything else is an
          // error of the store, which must not let a flood through either: the insurance limiter answered it.
          if (refusal instanceof RateLimiterRes) return refusal.msBeforeNext;
          throw refusal;
        }
      };
      const waits = await Promise.all([userId ? spend(users, userId) : 0, spend(addresses, address)]);
      const waitMs = Math.max(...waits);
      if (waitMs > 0) throw new RateLimitedError(waitMs, "requests");
    },
  };
}

/** Refuses an operation past the limits before any resolver runs, with the same error over HTTP and WebSocket. */
export function useOperationThrottle(throttle: OperationThrottle): Plugin {
  const check = async (context: GraphQLContext) => {
    try {
      await throttle.consume(context.permissions.viewer?.userId ?? null, context.clientAddress);
      return null;
    } catch (error) {
      if (!(error instanceof RateLimitedError)) throw error;
      return {
        errors: [
          codedError(error.said, {
            extensions: { code: error.code, retryAfterSeconds: Math.ceil(error.retryAfterMs / 1000) },
          }),
        ],
      };
    }
  };
  return {
    async onExecute({ args, setResultAndStopExecution }) {
      const refused = await check(args.contextValue as unknown as GraphQLContext);
      if (refused) setResultAndStopExecution(refused);
    },
    async onSubscribe({ args, setResultAndStopExecution }) {
      const refused = await check(args.contextValue as unknown as GraphQLContext);
      if (refused) setResultAndStopExecution(refused);
    },
  };
}
