// Brakes on guessing passwords: failed sign-ins are counted per account and per client address, and past a
// limit every attempt (even the right password) is refused with a coded error that says when to retry.
// The counters live in Redis when the server is given one (so the limit holds across instances), else in
// this process's memory (the embedded database means one process anyway).
import { RateLimitedError } from "@wz/core";
import type { RateLimiterRes } from "rate-limiter-flexible";
import { rateLimiter, type ThrottleRedis } from "./rate-limiter";

export type { ThrottleRedis } from "./rate-limiter";

export interface LoginThrottlePolicy {
  /** Failed attempts one account may have in `windowSeconds` before it is blocked. */
  perAccount: number;
  /** Failed attempts from one address (any accounts) in `windowSeconds`. */
  perAddress: number;
  windowSeconds: number;
  /** How long a blocked account or address stays blocked. */
  blockSeconds: number;
}

// OWASP's guidance: a handful of failures per account, more per address (offices share one), minutes of block.
export const defaultLoginThrottlePolicy: LoginThrottlePolicy = {
  perAccount: 10,
  perAddress: 100,
  windowSeconds: 15 * 60,
  blockSeconds: 15 * 60,
};

export interface LoginThrottle {
  /** Throws RATE_LIMITED when the account or the address is blocked. */
  assertAllowed(account: string, address: string): Promise<void>;
  failed(account: string, address: string): Promise<void>;
  /** A right password clears the account's count (not the address's). */
  succeeded(account: string): Promise<void>;
}

export function createLoginThrottle(
  options: { redis?: ThrottleRedis; policy?: LoginThrottlePolicy; keyPrefix?: string } = {},
): LoginThrottle {
  const policy = options.policy ?? defaultLoginThrottlePolicy;
  const limiter = (name: string, points: number) =>
    rateLimiter({
      keyPrefix: `${options.keyPrefix ?? "wz"}:login:${name}`,
      points,
      durationSeconds: policy.windowSeconds,
      blockSeconds: policy.blockSeconds,
      redis: options.redis,
    });
  const accounts = limiter("account", policy.perAccount);
  const addresses = limiter("address", policy.perAddress);
  const accountKey = (account: string) => account.trim().toLowerCase();
  const waitOf = (res: RateLimiterRes | null, points: number) =>
    res && res.consumedPoints >= points ? res.msBeforeNext : 0;

  return {
    async assertAllowed(account, address) {
      const [byAccount, byAddress] = await Promise.all([accounts.get(accountKey(account)), addresses.get(address)]);
      const waitMs = Math.max(waitOf(byAccount, policy.perAccount), waitOf(byAddress, policy.perAddress));
      if (waitMs > 0) throw new RateLimitedError(waitMs);
    },
    async failed(account, address) {
      // `penalty` adds without refusing (a refusal here would be an exception, not an answer)
      await Promise.all([accounts.penalty(accountKey(account)), addresses.penalty(address)]);
      for (const [l, key, points] of [
        [accounts, accountKey(account), policy.perAccount],
        [addresses, address, policy.perAddress],
      ] as const) {
        const res = await l.get(key);
        if (res && res.consumedPoints >= points) await l.block(key, policy.blockSeconds);
      }
    },
    async succeeded(account) {
      await accounts.delete(accountKey(account));
    },
  };
}
