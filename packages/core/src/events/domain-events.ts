// Domain events, announced only after the transaction that caused them has committed. The database stays
// the source of truth (leads keep an ordered event log); an event is a nudge to look, never the data itself.
import type { InvestmentEventKind, LeadEventKind } from "@wz/db";

export type DomainEvent =
  | { topic: "formation:changed"; provinceCode: string }
  | { topic: "lead:event"; seq: number; leadId: string; chamberId: string; kind: LeadEventKind }
  | { topic: "investment:event"; seq: number; projectId: string; kind: InvestmentEventKind }
  | { topic: "session:revoked"; sessionId: string }
  /** Memberships of these merchants changed: open connections re-read their viewers' roles. */
  | { topic: "roles:changed"; merchantIds: string[] }
  /** Mail was written to the outbox: mail workers look now instead of at their next poll. */
  | { topic: "mail:queued" };

export type DomainTopic = DomainEvent["topic"];

export interface EventPublisher {
  /** Must not throw: a failed broadcast never undoes or fails a committed change. */
  publish(event: DomainEvent): void;
}

/** After a commit that may change what these merchants may do (status, expiry, merge). */
export function announceRolesChanged(ctx: { events: EventPublisher }, merchantIds: readonly string[]): void {
  const unique = [...new Set(merchantIds)];
  if (unique.length > 0) ctx.events.publish({ topic: "roles:changed", merchantIds: unique });
}
