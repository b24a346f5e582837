// Who may see a lead, and how its status may move. Pure functions: the same rule serves node lookups,
// lists (as SQL), and every subscription event.
import { and, eq, exists, inArray, or, sql, type SQL } from "drizzle-orm";
import { leadAudienceTable, leadResponseTable, leadTable, type LeadStatus, type LeadVisibility } from "@wz/db";
import type { Viewer } from "../viewer";
import { viewerChamberIds } from "../viewer";

export interface LeadAccessFacts {
  /** Chambers named by a SELECTED_CHAMBERS lead. */
  audienceChamberIds: readonly string[];
  /** Merchants who answered the lead. */
  responderMerchantIds: readonly string[];
  /** Merchants a referral named: they are told of the lead, so they may see it. */
  referredMerchantIds: readonly string[];
}

export interface LeadAccessRow {
  chamberId: string;
  postedByMerchantId: string;
  visibility: LeadVisibility;
}

export function canSeeLead(viewer: Viewer | null, lead: LeadAccessRow, facts: LeadAccessFacts): boolean {
  if (!viewer) return false;
  const me = viewer.merchantId;
  if (me && (lead.postedByMerchantId === me || facts.referredMerchantIds.includes(me) || facts.responderMerchantIds.includes(me))) return true;
  const inChamber = (chamberId: string) => viewer.memberOf.has(chamberId) || viewer.secretaryOf.has(chamberId);
  switch (lead.visibility) {
    case "FEDERATION":
      return true;
    case "CHAMBER":
      return inChamber(lead.chamberId);
    case "SELECTED_CHAMBERS":
      return inChamber(lead.chamberId) || facts.audienceChamberIds.some(inChamber);
  }
}

/** The same rule as `canSeeLead`, as a WHERE condition on leadTable. */
export function visibleLeadsSql(viewer: Viewer): SQL {
  const chambers = viewerChamberIds(viewer);
  const conditions: (SQL | undefined)[] = [eq(leadTable.visibility, "FEDERATION")];
  if (chambers.length > 0) {
    conditions.push(inArray(leadTable.chamberId, chambers));
    conditions.push(
      and(
        eq(leadTable.visibility, "SELECTED_CHAMBERS"),
        exists(
          sql`(select 1 from ${leadAudienceTable} where ${leadAudienceTable.leadChamberId} = ${leadTable.chamberId} and ${leadAudienceTable.leadId} = ${leadTable.id} and ${inArray(leadAudienceTable.chamberId, chambers)})`,
        ),
      ),
    );
  }
  if (viewer.merchantId) {
    conditions.push(eq(leadTable.postedByMerchantId, viewer.merchantId));
    conditions.push(
      exists(
        sql`(select 1 from ${leadResponseTable} where ${leadResponseTable.chamberId} = ${leadTable.chamberId} and ${leadResponseTable.leadId} = ${leadTable.id} and (${leadResponseTable.responderMerchantId} = ${viewer.merchantId} or ${leadResponseTable.referredMerchantId} = ${viewer.merchantId}))`,
      ),
    );
  }
  return or(...conditions)!;
}

/** OPEN leads past their expiry date read as EXPIRED, whether or not any job has run. */
export function effectiveLeadStatus(lead: { status: LeadStatus; expiresOn: string | null }, today: string): LeadStatus {
  return lead.status === "OPEN" && lead.expiresOn !== null && lead.expiresOn < today ? "EXPIRED" : lead.status;
}

export function effectiveLeadStatusSql(today: string): SQL<LeadStatus> {
  return sql<LeadStatus>`(case when ${leadTable.status} = 'OPEN' and ${leadTable.expiresOn} < ${today} then 'EXPIRED'::lead_status else ${leadTable.status} end)`;
}

const transitions: Record<LeadStatus, readonly LeadStatus[]> = {
  OPEN: ["IN_PROGRESS", "CLOSED_WON", "CLOSED_LOST", "WITHDRAWN"],
  IN_PROGRESS: ["OPEN", "CLOSED_WON", "CLOSED_LOST", "WITHDRAWN"],
  // a deal can still close after the lead's listing expired
  EXPIRED: ["CLOSED_WON", "CLOSED_LOST", "WITHDRAWN"],
  CLOSED_WON: [],
  CLOSED_LOST: [],
  WITHDRAWN: [],
};

export function allowedLeadTransitions(from: LeadStatus): readonly LeadStatus[] {
  return transitions[from];
}
