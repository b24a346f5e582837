// One reader of the lead event log per server process. A nudge (a pub/sub event, from this process or
// another through Redis) or a periodic poll makes it read every event after the last one it saw, once,
// and hand them to this process's subscribers in sequence order. Pub/sub can drop a message; the log cannot.
import { type LeadFeedEvent, lastLeadEventSeq, readLeadFeed } from "@wz/core";
import { asSystem, type Database } from "@wz/db";
import type { EventBus } from "../common/event-bus";
import type { Logger } from "../context";

/** One event of the log, with the rows every subscriber's answer needs (read once for all of them). */
export type FeedEvent = LeadFeedEvent;

type Listener = (events: FeedEvent[]) => void;

const PAGE = 500;

export class LeadFeed {
  readonly #listeners = new Set<Listener>();
  #lastSeq = 0;
  #started: Promise<void> | undefined;
  #reading: Promise<void> | undefined;
  #readAgain = false;
  #timer: NodeJS.Timeout | undefined;
  #busIterator: AsyncIterator<unknown> | undefined;

  constructor(
    private readonly db: Database,
    private readonly bus: EventBus,
    private readonly logger: Logger,
    private readonly pollMs: number,
  ) {}

  /** Registers a listener; resolves with the last sequence number it will NOT be sent (replay up to it). */
  async listen(listener: Listener): Promise<{ fromSeq: number; stop: () => void }> {
    this.#started ??= this.#start().catch((error: unknown) => {
      this.#started = undefined; // a failed start (database unreachable) is retried by the next subscriber
      throw error;
    });
    await this.#started;
    this.#listeners.add(listener);
    return {
      fromSeq: this.#lastSeq,
      stop: () => {
        this.#listeners.delete(listener);
        if (this.#listeners.size === 0) this.#stop();
      },
    };
  }

  /** Events in (after, upTo], in order, for replay to a reconnecting subscriber. */
  async read(after: number, upTo: number, limit = PAGE): Promise<FeedEvent[]> {
    // one read for every subscriber of this process: each is then shown only what its own rules allow
    return asSystem(() => readLeadFeed(this.db, after, upTo, limit));
  }

  /** Read new events now (coalesced: at most one read in flight, one more queued). */
  nudge(): void {
    if (this.#reading) {
      this.#readAgain = true;
      return;
    }
    this.#reading = this.#readNew()
      .catch((err: unknown) => this.logger.warn({ err }, "lead feed read failed; will retry on the next nudge or poll"))
      .finally(() => {
        this.#reading = undefined;
        if (this.#readAgain) {
          this.#readAgain = false;
          this.nudge();
        }
      });
  }

  async #readNew(): Promise<void> {
    for (;;) {
      const events = await this.read(this.#lastSeq, Number.MAX_SAFE_INTEGER);
      if (events.length === 0) return;
      this.#lastSeq = events[events.length - 1]!.seq;
      for (const listener of this.#listeners) {
        try {
          listener(events);
        } catch (err) {
          this.logger.warn({ err }, "lead subscriber failed");
        }
      }
      if (events.length < PAGE) return;
    }
  }

  async #start(): Promise<void> {
    this.#lastSeq = await asSystem(() => lastLeadEventSeq(this.db));
    const iterator = this.bus.subscribe("lead:event")[Symbol.asyncIterator]();
    this.#busIterator = iterator;
    void (async () => {
      try {
        for (;;) {
          const next = await iterator.next();
          if (next.done) return;
          this.nudge();
        }
      } catch (err) {
        this.logger.warn({ err }, "lead event subscription ended");
      }
    })();
    this.#timer = setInterval(() => this.nudge(), this.pollMs);
    this.#timer.unref();
  }

  #stop(): void {
    clearInterval(this.#timer);
    void this.#busIterator?.return?.();
    this.#busIterator = undefined;
    this.#timer = undefined;
    this.#started = undefined;
  }
}
