// Who may see a lead and its answers, who may manage it, and how its status may move. Each visibility rule
// exists twice — in TypeScript for subscription events and in SQL for reads — and
// graphql/src/leads/lead-rules-twins.test.ts runs both over the same rows and requires the same answer.

import {
  type LeadResponseRow,
  type LeadStatus,
  type LeadVisibility,
  leadAudienceTable,
  leadResponseTable,
  leadTable,
} from "@wz/db";
import { type AnyColumn, and, eq, exists, inArray, or, type SQL, sql } from "drizzle-orm";
import type { ChamberSet, Permissions } from "../permissions";

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

/**
 * Leads are for signed-in viewers. Its poster, its responders and the merchants a referral named see a
 * lead; so does everyone for FEDERATION, and for the others whoever holds `lead:read` in the posting
 * chamber (or, for SELECTED_CHAMBERS, in one of the chambers it names).
 */
export function canSeeLead(permissions: Permissions, lead: LeadAccessRow, facts: LeadAccessFacts): boolean {
  if (!permissions.viewer) return false;
  const me = permissions.merchantId;
  const among = (merchantIds: readonly string[]) => me !== null && merchantIds.includes(me);
  if (me === lead.postedByMerchantId || among(facts.referredMerchantIds) || among(facts.responderMerchantIds))
    return true;
  switch (lead.visibility) {
    case "FEDERATION":
      return true;
    case "CHAMBER":
      return permissions.can("lead:read", { chamberId: lead.chamberId });
    case "SELECTED_CHAMBERS":
      return permissions.canIn("lead:read", [lead.chamberId, ...facts.audienceChamberIds]);
  }
}

/** A column's value is in a chamber set (`undefined` for an empty set: no row). */
function inChamberSet(column: AnyColumn, set: ChamberSet): SQL | undefined {
  if (set.all) return sql`true`;
  return set.ids.length > 0 ? inArray(column, [...set.ids]) : undefined;
}

/** The same rule as `canSeeLead`, as a WHERE condition on leadTable. */
export function visibleLeadsSql(permissions: Permissions): SQL {
  if (!permissions.viewer) return sql`false`;
  const readable = permissions.chambersFor("lead:read");
  const conditions: (SQL | undefined)[] = [eq(leadTable.visibility, "FEDERATION")];
  const inPostingChamber = inChamberSet(leadTable.chamberId, readable);
  const inAudienceChamber = inChamberSet(leadAudienceTable.chamberId, readable);
  if (inPostingChamber && inAudienceChamber) {
    conditions.push(inPostingChamber);
    conditions.push(
      and(
        eq(leadTable.visibility, "SELECTED_CHAMBERS"),
        exists(
          sql`(select 1 from ${leadAudienceTable} where ${leadAudienceTable.leadChamberId} = ${leadTable.chamberId}
            and ${leadAudienceTable.leadId} = ${leadTable.id} and ${inAudienceChamber})`,
        ),
      ),
    );
  }
  const me = permissions.merchantId;
  if (me) {
    conditions.push(eq(leadTable.postedByMerchantId, me));
    conditions.push(
      exists(
        sql`(select 1 from ${leadResponseTable} where ${leadResponseTable.chamberId} = ${leadTable.chamberId}
          and ${leadResponseTable.leadId} = ${leadTable.id}
          and (${leadResponseTable.responderMerchantId} = ${me} or ${leadResponseTable.referredMerchantId} = ${me}))`,
      ),
    );
  }
  return or(...conditions)!;
}

/** Who may read an answer: whoever holds `lead:read-responses` in the lead's chamber, the lead's poster,
 * the responder, and the merchant a referral names. */
export function canSeeLeadResponse(
  permissions: Permissions,
  lead: { postedByMerchantId: string },
  response: Pick<LeadResponseRow, "chamberId" | "responderMerchantId" | "referredMerchantId">,
): boolean {
  if (permissions.can("lead:read-responses", { chamberId: response.chamberId })) return true;
  const me = permissions.merchantId;
  if (me === null) return false;
  return me === lead.postedByMerchantId || me === response.responderMerchantId || me === response.referredMerchantId;
}

/** The same rule as `canSeeLeadResponse`, as a WHERE condition on leadResponseTable joined to its lead. */
export function visibleLeadResponsesSql(permissions: Permissions): SQL {
  if (!permissions.viewer) return sql`false`;
  const readable = permissions.chambersFor("lead:read-responses");
  const conditions: (SQL | undefined)[] = [inChamberSet(leadResponseTable.chamberId, readable)];
  const me = permissions.merchantId;
  if (me) {
    conditions.push(eq(leadTable.postedByMerchantId, me));
    conditions.push(eq(leadResponseTable.responderMerchantId, me));
    conditions.push(eq(leadResponseTable.referredMerchantId, me));
  }
  return or(...conditions) ?? sql`false`;
}

/** The lead's poster (ownership) or whoever holds `lead:manage` in its chamber may change its status. */
export function canManageLead(permissions: Permissions, lead: { chamberId: string; postedByMerchantId: string }) {
  if (permissions.merchantId !== null && permissions.merchantId === lead.postedByMerchantId) return true;
  return permissions.can("lead:manage", { chamberId: lead.chamberId });
}

/** OPEN leads past their expiry date read as EXPIRED, whether or not any job has run. */
export function effectiveLeadStatus(lead: { status: LeadStatus; expiresOn: string | null }, today: string): LeadStatus {
  return lead.status === "OPEN" && lead.expiresOn !== null && lead.expiresOn < today ? "EXPIRED" : lead.status;
}

/** The same rule as `effectiveLeadStatus`, as an SQL expression on leadTable. */
export function effectiveLeadStatusSql(today: string): SQL<LeadStatus> {
  return sql<LeadStatus>`(case when ${leadTable.status} = 'OPEN' and ${leadTable.expiresOn} < ${today}
    then 'EXPIRED'::lead_status else ${leadTable.status} end)`;
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
