// Domain events, announced only after the transaction that caused them has committed. The database stays
// the source of truth (leads keep an ordered event log); an event is a nudge to look, never the data itself.
import type { LeadEventKind } from "@wz/db";

export type DomainEvent =
  | { topic: "formation:changed"; provinceCode: string }
  | { topic: "lead:event"; seq: number; leadId: string; chamberId: string; kind: LeadEventKind }
  | { topic: "session:revoked"; sessionId: string };

export type DomainTopic = DomainEvent["topic"];

export interface EventPublisher {
  /** Must not throw: a failed broadcast never undoes or fails a committed change. */
  publish(event: DomainEvent): void;
}

