// The lead filter of the `leads` list and the `leadPosted` subscription: in SQL for the list, in TypeScript
// for each subscription event. The twins test (graphql/src/leads/lead-rules-twins.test.ts) holds them equal.

import { type LeadKind, type LeadRow, type LeadStatus, leadTable } from "@wz/db";
import { and, eq, inArray, type SQL, sql } from "drizzle-orm";
import { isUuid } from "../validation";
import { effectiveLeadStatus, effectiveLeadStatusSql } from "./lead-rules";

/** Each list given and not empty narrows the leads to those matching one of its values. */
export interface LeadFilter {
  kinds?: readonly LeadKind[] | null | undefined;
  industries?: readonly string[] | null | undefined;
  provinceCodes?: readonly string[] | null | undefined;
  /** Effective statuses (an OPEN lead past its expiry is EXPIRED). */
  statuses?: readonly LeadStatus[] | null | undefined;
  /** Only leads posted in this chamber (an id that is not a chamber's matches nothing). */
  chamberId?: string | null | undefined;
}

/** The filter as a WHERE condition on leadTable; `undefined` when it narrows nothing. */
export function leadFilterSql(filter: LeadFilter | null | undefined, today: string): SQL | undefined {
  if (!filter) return undefined;
  const conditions: SQL[] = [];
  if (filter.kinds?.length) conditions.push(inArray(leadTable.kind, [...filter.kinds]));
  if (filter.industries?.length) conditions.push(inArray(leadTable.industry, [...filter.industries]));
  if (filter.provinceCodes?.length) conditions.push(inArray(leadTable.provinceCode, [...filter.provinceCodes]));
  if (filter.statuses?.length) conditions.push(inArray(effectiveLeadStatusSql(today), [...filter.statuses]));
  if (filter.chamberId != null)
    conditions.push(isUuid(filter.chamberId) ? eq(leadTable.chamberId, filter.chamberId) : sql`false`);
  return conditions.length ? and(...conditions) : undefined;
}

/** The same filter, for one lead in memory. */
export function leadMatchesFilter(lead: LeadRow, filter: LeadFilter | null | undefined, today: string): boolean {
  if (!filter) return true;
  if (filter.kinds?.length && !filter.kinds.includes(lead.kind)) return false;
  if (filter.industries?.length && !(lead.industry !== null && filter.industries.includes(lead.industry))) return false;
  if (filter.provinceCodes?.length && !(lead.provinceCode !== null && filter.provinceCodes.includes(lead.provinceCode)))
    return false;
  if (filter.statuses?.length && !filter.statuses.includes(effectiveLeadStatus(lead, today))) return false;
  if (filter.chamberId != null && filter.chamberId !== lead.chamberId) return false;
  return true;
}
