// One reader of the lead event log per server process. A nudge (a pub/sub event, from this process or
// another through Redis) or a periodic poll makes it read every event after the last one it saw, once,
// and hand them to this process's subscribers in sequence order. Pub/sub can drop a message; the log cannot.
import { loadLeadAccessFacts, loadMembershipFacts, type LeadAccessFacts, type MerchantMembershipFacts } from "@wz/core";
import { chamberTable, leadEventTable, leadResponseTable, leadTable, merchantTable, type Database, type LeadEventKind, type LeadRow, type MerchantRow } from "@wz/db";
import { and, asc, eq, gt, inArray, lte, max } from "drizzle-orm";
import type { EventBus } from "../common/event-bus";
import type { Logger } from "../context";

export interface FeedEvent {
  seq: number;
  kind: LeadEventKind;
  lead: LeadRow;
  facts: LeadAccessFacts;
  /** Read once for all subscribers, so that resolving `chamber` and `postedBy` costs no statement per subscriber. */
  chamber: typeof chamberTable.$inferSelect | undefined;
  poster: MerchantRow | undefined;
  posterFacts: MerchantMembershipFacts | undefined;
  /** The lead's answers as they stood when the event was read, oldest first. */
  responses: LeadResponseRow[];
}

type LeadResponseRow = typeof leadResponseTable.$inferSelect;

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
    const rows = await this.db
      .select({ seq: leadEventTable.seq, kind: leadEventTable.kind, lead: leadTable })
      .from(leadEventTable)
      .innerJoin(leadTable, and(eq(leadTable.chamberId, leadEventTable.chamberId), eq(leadTable.id, leadEventTable.leadId)))
      .where(and(gt(leadEventTable.seq, after), lte(leadEventTable.seq, upTo)))
      .orderBy(asc(leadEventTable.seq))
      .limit(limit);
    if (rows.length === 0) return [];
    const facts = await loadLeadAccessFacts(this.db, rows.map((r) => r.lead));
    const chamberIds = [...new Set(rows.map((r) => r.lead.chamberId))];
    const posterIds = [...new Set(rows.map((r) => r.lead.postedByMerchantId))];
    const chambers = new Map((await this.db.select().from(chamberTable).where(inArray(chamberTable.id, chamberIds))).map((c) => [c.id, c]));
    const posters = new Map((await this.db.select().from(merchantTable).where(inArray(merchantTable.id, posterIds))).map((m) => [m.id, m]));
    const posterFacts = await loadMembershipFacts(this.db, posterIds);
    const leadIds = [...new Set(rows.map((r) => r.lead.id))];
    const responses = await this.db.select().from(leadResponseTable).where(inArray(leadResponseTable.leadId, leadIds)).orderBy(asc(leadResponseTable.createdAt), asc(leadResponseTable.id));
    const factsByPoster = new Map(posterIds.map((id, i) => [id, posterFacts[i]]));
    return rows.map((r) => ({
      seq: r.seq,
      kind: r.kind,
      lead: r.lead,
      facts: facts.get(r.lead.id)!,
      chamber: chambers.get(r.lead.chamberId),
      poster: posters.get(r.lead.postedByMerchantId),
      posterFacts: factsByPoster.get(r.lead.postedByMerchantId),
      responses: responses.filter((x) => x.leadId === r.lead.id),
    }));
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
    const [row] = await this.db.select({ last: max(leadEventTable.seq) }).from(leadEventTable);
    this.#lastSeq = Number(row?.last ?? 0);
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
