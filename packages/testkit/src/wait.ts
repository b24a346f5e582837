// Waiting in tests: for a condition, with a deadline, never for a fixed time.

export interface WaitOptions {
  /** Give up (and throw, naming `what`) after this long. */
  timeoutMs?: number;
  /** What is awaited, for the error. */
  what: string;
  /** How often to look again while the condition is false. */
  intervalMs?: number;
}

/** Resolves with the condition's first truthy value; a throwing condition counts as "not yet". */
export async function waitUntil<T>(condition: () => T | Promise<T>, options: WaitOptions): Promise<NonNullable<T>> {
  const { timeoutMs = 10_000, what, intervalMs = 20 } = options;
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await condition();
      if (value) return value as NonNullable<T>;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) {
      const cause = last instanceof Error ? `: ${last.message}` : "";
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${cause}`);
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
