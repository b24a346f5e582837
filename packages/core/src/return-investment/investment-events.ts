// The ordered log of project events (a stage changed, capital arrived, a problem opened…) behind the live
// subscription: appended in the change's own transaction, announced after commit, replayed from a cursor.
import { type Executor, type InvestmentEventKind, type InvestmentEventRow, investmentEventTable } from "@wz/db";
import { asc, gt, max, sql } from "drizzle-orm";
import type { ServiceContext } from "../service-context";

/**
 * Appends to the log. The advisory lock makes sequence numbers follow commit order, so a reader that has seen
 * event N never later finds an event below N appear (which would be lost to it).
 */
export async function appendInvestmentEvent(
  tx: Executor,
  projectId: string,
  kind: InvestmentEventKind,
): Promise<{ seq: number; projectId: string; kind: InvestmentEventKind }> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext('investment_event'))`);
  const [event] = await tx
    .insert(investmentEventTable)
    .values({ projectId, kind })
    .returning({ seq: investmentEventTable.seq });
  return { seq: event!.seq, projectId, kind };
}

/** After commit: a nudge for subscribers to read the log (never the data itself). */
export function announceInvestmentEvent(
  ctx: Pick<ServiceContext, "events">,
  event: { seq: number; projectId: string; kind: InvestmentEventKind },
): void {
  ctx.events.publish({ topic: "investment:event", ...event });
}

/** Events after `after`, in order, at most `limit` of them. For no viewer in particular: callers filter. */
export function readInvestmentEvents(db: Executor, after: number, limit: number): Promise<InvestmentEventRow[]> {
  return db
    .select()
    .from(investmentEventTable)
    .where(gt(investmentEventTable.seq, after))
    .orderBy(asc(investmentEventTable.seq))
    .limit(limit);
}

/** The sequence number of the last event in the log (0 for none). */
export async function lastInvestmentEventSeq(db: Executor): Promise<number> {
  const [row] = await db.select({ last: max(investmentEventTable.seq) }).from(investmentEventTable);
  return Number(row?.last ?? 0);
}
