// Reading the audit trail (federation staff): the filter it is searched by, and which entries show their
// before/after states. Entries about chambers' private data (memberships, notes, profiles) are listed —
// who, what, when — but their contents stay with the chamber.

import { type AuditRow, auditLogTable } from "@wz/db";
import { and, count, eq, gte, inArray, lt, type SQL } from "drizzle-orm";
import { keysetPage, type PageRequest } from "../common/paging";
import { addDays, isIsoDate } from "../dates";
import { ErrorCollector } from "../errors";
import { msg } from "../messages";
import type { ServiceContext } from "../service-context";
import { isUuid } from "../validation";

export interface AuditLogFilter {
  chamberId?: string | null | undefined;
  entityTypes?: readonly string[] | null | undefined;
  actions?: readonly string[] | null | undefined;
  actorUserId?: string | null | undefined;
  /** Inclusive calendar dates (China time). */
  from?: string | null | undefined;
  to?: string | null | undefined;
}

/** Entity types whose before/after states federation staff may read in the trail. */
export const federationAuditEntityTypes: ReadonlySet<string> = new Set([
  "Chamber",
  "Formation",
  "FormationPlan",
  "ChecklistItem",
]);

/** Asks permission and turns the filter into a condition; an unknown id matches nothing (never an error). */
function auditLogCondition(
  ctx: Pick<ServiceContext, "permissions">,
  filter: AuditLogFilter | null | undefined,
): SQL | undefined {
  ctx.permissions.assertPerformAction("audit:read");
  const errors = new ErrorCollector();
  const conditions: (SQL | undefined)[] = [];
  const nothing = eq(auditLogTable.id, -1);
  if (filter?.chamberId)
    conditions.push(isUuid(filter.chamberId) ? eq(auditLogTable.chamberId, filter.chamberId) : nothing);
  if (filter?.actorUserId)
    conditions.push(isUuid(filter.actorUserId) ? eq(auditLogTable.actorUserId, filter.actorUserId) : nothing);
  if (filter?.entityTypes?.length) conditions.push(inArray(auditLogTable.entityType, [...filter.entityTypes]));
  if (filter?.actions?.length) conditions.push(inArray(auditLogTable.action, [...filter.actions]));
  if (filter?.from) {
    if (!isIsoDate(filter.from)) errors.add(["filter", "from"], msg("audit.fromDate"));
    else conditions.push(gte(auditLogTable.at, new Date(`${filter.from}T00:00:00+08:00`)));
  }
  if (filter?.to) {
    if (!isIsoDate(filter.to)) errors.add(["filter", "to"], msg("audit.toDate"));
    else conditions.push(lt(auditLogTable.at, new Date(`${addDays(filter.to, 1)}T00:00:00+08:00`)));
  }
  if (filter?.from && filter.to && filter.from > filter.to) errors.add(["filter", "to"], msg("audit.toBeforeFrom"));
  errors.throwIfAny();
  return and(...conditions);
}

/** One page of the trail, newest first (`audit:read`). */
export async function listAuditLog(
  ctx: Pick<ServiceContext, "db" | "permissions">,
  filter: AuditLogFilter | null | undefined,
  page: PageRequest,
): Promise<AuditRow[]> {
  const condition = auditLogCondition(ctx, filter);
  const { where, orderBy } = keysetPage(page, auditLogTable.id, auditLogTable.id, true);
  return ctx.db
    .select()
    .from(auditLogTable)
    .where(and(condition, where))
    .orderBy(...orderBy)
    .limit(page.limit);
}

/** Audit entries by id, in the order asked for; null for an unknown id, and all null without `audit:read`. */
export async function auditEntriesByIds(
  ctx: Pick<ServiceContext, "db" | "permissions">,
  ids: readonly number[],
): Promise<(AuditRow | null)[]> {
  const valid = [...new Set(ids.filter((id) => Number.isSafeInteger(id) && id > 0))];
  if (!ctx.permissions.can("audit:read") || valid.length === 0) return ids.map(() => null);
  const rows = await ctx.db.select().from(auditLogTable).where(inArray(auditLogTable.id, valid));
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.map((id) => byId.get(id) ?? null);
}

/** How many entries the filtered trail holds (`audit:read`). */
export async function countAuditLog(
  ctx: Pick<ServiceContext, "db" | "permissions">,
  filter: AuditLogFilter | null | undefined,
): Promise<number> {
  const [row] = await ctx.db.select({ n: count() }).from(auditLogTable).where(auditLogCondition(ctx, filter));
  return row?.n ?? 0;
}

/** The before/after states staff may read for an entry: shown for federation records, withheld otherwise. */
export function auditStates(row: AuditRow): { before: unknown; after: unknown; withheld: boolean } {
  if (federationAuditEntityTypes.has(row.entityType)) return { before: row.before, after: row.after, withheld: false };
  return { before: null, after: null, withheld: row.before !== null || row.after !== null };
}
