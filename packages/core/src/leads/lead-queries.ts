// Reading leads and their answers for one viewer: every query takes the viewer's permissions and puts the
// visibility rule (lead-rules.ts) in its WHERE, so a lead or answer the viewer may not see is never read.

import {
  type Executor,
  type LeadResponseRow,
  type LeadRow,
  leadAudienceTable,
  leadResponseTable,
  leadTable,
} from "@wz/db";
import { and, asc, count, eq, getTableColumns, inArray, type SQL } from "drizzle-orm";
import { keysetPage, type PageRequest } from "../common/paging";
import { todayIso } from "../dates";
import type { Permissions } from "../permissions";
import { isUuid } from "../validation";
import { type LeadFilter, leadFilterSql } from "./lead-filter";
import { type LeadAccessFacts, visibleLeadResponsesSql, visibleLeadsSql } from "./lead-rules";

/** The viewer's scope for reads; inside a service's transaction `db` is that transaction. */
export interface LeadReadContext {
  db: Executor;
  permissions: Permissions;
}

const responseColumns = getTableColumns(leadResponseTable);
const leadOfResponse = and(
  eq(leadTable.chamberId, leadResponseTable.chamberId),
  eq(leadTable.id, leadResponseTable.leadId),
);

function listCondition(ctx: LeadReadContext, filter: LeadFilter | null | undefined, today: string): SQL | undefined {
  ctx.permissions.requireViewer();
  return and(visibleLeadsSql(ctx.permissions), leadFilterSql(filter, today));
}

/** One page of the leads the viewer may see that match the filter, newest first. Needs a signed-in viewer. */
export async function listLeads(
  ctx: LeadReadContext,
  filter: LeadFilter | null | undefined,
  page: PageRequest,
  today = todayIso(),
): Promise<LeadRow[]> {
  const condition = listCondition(ctx, filter, today);
  const { where, orderBy } = keysetPage(page, leadTable.createdAt, leadTable.id, true);
  return ctx.db
    .select()
    .from(leadTable)
    .where(and(condition, where))
    .orderBy(...orderBy)
    .limit(page.limit);
}

/** How many leads `listLeads` lists across all its pages. */
export async function countLeads(
  ctx: LeadReadContext,
  filter: LeadFilter | null | undefined,
  today = todayIso(),
): Promise<number> {
  const [row] = await ctx.db
    .select({ n: count() })
    .from(leadTable)
    .where(listCondition(ctx, filter, today));
  return row?.n ?? 0;
}

/** The leads among `ids` that the viewer may see (ids that are not UUIDs match nothing), in no order. */
export async function visibleLeadsByIds(ctx: LeadReadContext, ids: readonly string[]): Promise<LeadRow[]> {
  const valid = ids.filter(isUuid);
  if (valid.length === 0) return [];
  return ctx.db
    .select()
    .from(leadTable)
    .where(and(inArray(leadTable.id, valid), visibleLeadsSql(ctx.permissions)));
}

/** The answers among `ids` that the viewer may read, in no order. */
export async function visibleLeadResponsesByIds(
  ctx: LeadReadContext,
  ids: readonly string[],
): Promise<LeadResponseRow[]> {
  const valid = ids.filter(isUuid);
  if (valid.length === 0) return [];
  return ctx.db
    .select(responseColumns)
    .from(leadResponseTable)
    .innerJoin(leadTable, leadOfResponse)
    .where(and(inArray(leadResponseTable.id, valid), visibleLeadResponsesSql(ctx.permissions)));
}

/** For each lead id: the answers to it the viewer may read, oldest first. */
export async function visibleLeadResponsesByLeadIds(
  ctx: LeadReadContext,
  leadIds: readonly string[],
): Promise<LeadResponseRow[][]> {
  const rows =
    leadIds.length === 0
      ? []
      : await ctx.db
          .select(responseColumns)
          .from(leadResponseTable)
          .innerJoin(leadTable, leadOfResponse)
          .where(and(inArray(leadResponseTable.leadId, [...leadIds]), visibleLeadResponsesSql(ctx.permissions)))
          .orderBy(asc(leadResponseTable.createdAt), asc(leadResponseTable.id));
  return leadIds.map((id) => rows.filter((r) => r.leadId === id));
}

/**
 * For each lead id: the other chambers a SELECTED_CHAMBERS lead names. Which chambers a lead names is
 * part of the lead, shown to whoever may see it (callers have read the lead through the visibility rule).
 */
export async function selectedChamberIdsByLeadIds(db: Executor, leadIds: readonly string[]): Promise<string[][]> {
  const rows =
    leadIds.length === 0
      ? []
      : await db
          .select({ leadId: leadAudienceTable.leadId, chamberId: leadAudienceTable.chamberId })
          .from(leadAudienceTable)
          .where(inArray(leadAudienceTable.leadId, [...leadIds]));
  return leadIds.map((id) => rows.filter((r) => r.leadId === id).map((r) => r.chamberId));
}

/** Facts for `canSeeLead`, for many leads in two statements. */
export async function loadLeadAccessFacts(
  db: Executor,
  leads: readonly { chamberId: string; id: string }[],
): Promise<Map<string, LeadAccessFacts>> {
  type Facts = { audienceChamberIds: string[]; responderMerchantIds: string[]; referredMerchantIds: string[] };
  const facts = new Map<string, Facts>();
  for (const lead of leads)
    facts.set(lead.id, { audienceChamberIds: [], responderMerchantIds: [], referredMerchantIds: [] });
  if (leads.length === 0) return facts;
  const ids = leads.map((l) => l.id);
  const audience = await db
    .select({ leadId: leadAudienceTable.leadId, chamberId: leadAudienceTable.chamberId })
    .from(leadAudienceTable)
    .where(inArray(leadAudienceTable.leadId, ids));
  for (const row of audience) facts.get(row.leadId)?.audienceChamberIds.push(row.chamberId);
  const responses = await db
    .select({
      leadId: leadResponseTable.leadId,
      responder: leadResponseTable.responderMerchantId,
      referred: leadResponseTable.referredMerchantId,
    })
    .from(leadResponseTable)
    .where(inArray(leadResponseTable.leadId, ids));
  for (const row of responses) {
    const f = facts.get(row.leadId);
    f?.responderMerchantIds.push(row.responder);
    if (row.referred) f?.referredMerchantIds.push(row.referred);
  }
  return facts;
}
