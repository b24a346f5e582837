// The lead event log as the process's one feed reader sees it: each event with the lead and the rows every
// subscriber's answer needs, read once for all of them. This is a reader for no viewer in particular:
// whoever receives an event is decided per subscriber with `canSeeLead` (lead-rules.ts) on its facts.

import {
  type ChamberRow,
  chamberTable,
  type Executor,
  type LeadEventKind,
  type LeadResponseRow,
  type LeadRow,
  leadEventTable,
  leadResponseTable,
  leadTable,
  type MerchantRow,
  merchantTable,
} from "@wz/db";
import { and, asc, eq, gt, inArray, lte, max } from "drizzle-orm";
import { loadMembershipFacts, type MerchantMembershipFacts } from "../directory/visibility";
import { loadLeadAccessFacts } from "./lead-queries";
import type { LeadAccessFacts } from "./lead-rules";

export interface LeadFeedEvent {
  seq: number;
  kind: LeadEventKind;
  lead: LeadRow;
  facts: LeadAccessFacts;
  /** Read once for all subscribers, so that resolving `chamber` and `postedBy` costs no statement per subscriber. */
  chamber: ChamberRow | undefined;
  poster: MerchantRow | undefined;
  posterFacts: MerchantMembershipFacts | undefined;
  /** All of the lead's answers as they stood when the event was read, oldest first (each reader sees its own). */
  responses: LeadResponseRow[];
}

/** The sequence number of the last event in the log (0 for none). */
export async function lastLeadEventSeq(db: Executor): Promise<number> {
  const [row] = await db.select({ last: max(leadEventTable.seq) }).from(leadEventTable);
  return Number(row?.last ?? 0);
}

/** Events in (after, upTo], in order, at most `limit` of them. */
export async function readLeadFeed(db: Executor, after: number, upTo: number, limit: number): Promise<LeadFeedEvent[]> {
  const rows = await db
    .select({ seq: leadEventTable.seq, kind: leadEventTable.kind, lead: leadTable })
    .from(leadEventTable)
    .innerJoin(
      leadTable,
      and(eq(leadTable.chamberId, leadEventTable.chamberId), eq(leadTable.id, leadEventTable.leadId)),
    )
    .where(and(gt(leadEventTable.seq, after), lte(leadEventTable.seq, upTo)))
    .orderBy(asc(leadEventTable.seq))
    .limit(limit);
  if (rows.length === 0) return [];
  const facts = await loadLeadAccessFacts(
    db,
    rows.map((r) => r.lead),
  );
  const chamberIds = [...new Set(rows.map((r) => r.lead.chamberId))];
  const posterIds = [...new Set(rows.map((r) => r.lead.postedByMerchantId))];
  const chambers = new Map(
    (await db.select().from(chamberTable).where(inArray(chamberTable.id, chamberIds))).map((c) => [c.id, c]),
  );
  const posters = new Map(
    (await db.select().from(merchantTable).where(inArray(merchantTable.id, posterIds))).map((m) => [m.id, m]),
  );
  const posterFacts = await loadMembershipFacts(db, posterIds);
  const leadIds = [...new Set(rows.map((r) => r.lead.id))];
  const responses = await db
    .select()
    .from(leadResponseTable)
    .where(inArray(leadResponseTable.leadId, leadIds))
    .orderBy(asc(leadResponseTable.createdAt), asc(leadResponseTable.id));
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
