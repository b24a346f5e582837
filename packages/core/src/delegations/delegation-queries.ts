// Reading delegations home for one viewer: every query puts the visibility rule (delegation-rules.ts) in its WHERE;
// the lists under a delegation (organisers, participants, visits, contacts, results) are read for all parents in one
// statement each, by callers that have read the delegations visibly.
import {
  type DelegationAgreementRow,
  type DelegationOutcome,
  type DelegationRow,
  type DelegationStatus,
  type DelegationVisitRow,
  delegationAgreementTable,
  delegationChamberTable,
  delegationContactTable,
  delegationParticipantTable,
  delegationProjectTable,
  delegationTable,
  delegationVisitTable,
  type Executor,
} from "@wz/db";
import { and, asc, count, exists, gte, inArray, lte, type SQL, sql } from "drizzle-orm";
import { keysetPage, type PageRequest } from "../common/paging";
import type { Permissions } from "../permissions";
import { isUuid } from "../validation";
import { visibleDelegationsSql } from "./delegation-rules";

export interface DelegationReadContext {
  db: Executor;
  permissions: Permissions;
}

export interface DelegationFilter {
  status?: readonly DelegationStatus[] | null | undefined;
  /** Organised by this chamber (alone or with others). */
  chamberId?: string | null | undefined;
  /** Starting on or after / on or before. */
  from?: string | null | undefined;
  to?: string | null | undefined;
}

function filterSql(filter: DelegationFilter | null | undefined): SQL | undefined {
  if (!filter) return undefined;
  const conditions: (SQL | undefined)[] = [];
  if (filter.status?.length) conditions.push(inArray(delegationTable.status, [...filter.status]));
  if (filter.from) conditions.push(gte(delegationTable.startsOn, filter.from));
  if (filter.to) conditions.push(lte(delegationTable.startsOn, filter.to));
  if (filter.chamberId)
    conditions.push(
      isUuid(filter.chamberId)
        ? exists(
            sql`(select 1 from ${delegationChamberTable}
              where ${delegationChamberTable.delegationId} = ${delegationTable.id}
              and ${delegationChamberTable.chamberId} = ${filter.chamberId})`,
          )
        : sql`false`,
    );
  return and(...conditions);
}

function listCondition(ctx: DelegationReadContext, filter: DelegationFilter | null | undefined) {
  ctx.permissions.requireViewer();
  return and(visibleDelegationsSql(ctx.permissions), filterSql(filter));
}

/** One page of the delegations the viewer may see, by starting day (latest first). */
export function listDelegations(
  ctx: DelegationReadContext,
  filter: DelegationFilter | null | undefined,
  page: PageRequest,
): Promise<DelegationRow[]> {
  const { where, orderBy } = keysetPage(page, delegationTable.startsOn, delegationTable.id, true);
  return ctx.db
    .select()
    .from(delegationTable)
    .where(and(listCondition(ctx, filter), where))
    .orderBy(...orderBy)
    .limit(page.limit);
}

export async function countDelegations(
  ctx: DelegationReadContext,
  filter: DelegationFilter | null | undefined,
): Promise<number> {
  const [row] = await ctx.db.select({ n: count() }).from(delegationTable).where(listCondition(ctx, filter));
  return row?.n ?? 0;
}

export function visibleDelegationsByIds(ctx: DelegationReadContext, ids: readonly string[]): Promise<DelegationRow[]> {
  const valid = ids.filter(isUuid);
  if (valid.length === 0) return Promise.resolve([]);
  return ctx.db
    .select()
    .from(delegationTable)
    .where(and(inArray(delegationTable.id, valid), visibleDelegationsSql(ctx.permissions)));
}

async function childrenOf<T extends { delegationId: string }>(
  rows: Promise<T[]>,
  delegationIds: readonly string[],
): Promise<T[][]> {
  const all = await rows;
  return delegationIds.map((id) => all.filter((r) => r.delegationId === id));
}

export function delegationChambersByIds(
  db: Executor,
  ids: readonly string[],
): Promise<{ delegationId: string; chamberId: string }[][]> {
  if (ids.length === 0) return Promise.resolve([]);
  return childrenOf(
    db
      .select()
      .from(delegationChamberTable)
      .where(inArray(delegationChamberTable.delegationId, [...ids]))
      .orderBy(asc(delegationChamberTable.chamberId)),
    ids,
  );
}

export function delegationParticipantsByIds(
  db: Executor,
  ids: readonly string[],
): Promise<{ delegationId: string; merchantId: string; chamberId: string }[][]> {
  if (ids.length === 0) return Promise.resolve([]);
  return childrenOf(
    db
      .select()
      .from(delegationParticipantTable)
      .where(inArray(delegationParticipantTable.delegationId, [...ids]))
      .orderBy(asc(delegationParticipantTable.merchantId)),
    ids,
  );
}

export function delegationVisitsByIds(db: Executor, ids: readonly string[]): Promise<DelegationVisitRow[][]> {
  if (ids.length === 0) return Promise.resolve([]);
  return childrenOf(
    db
      .select()
      .from(delegationVisitTable)
      .where(inArray(delegationVisitTable.delegationId, [...ids]))
      .orderBy(asc(delegationVisitTable.visitedOn), asc(delegationVisitTable.id)),
    ids,
  );
}

export function delegationContactsByIds(
  db: Executor,
  ids: readonly string[],
): Promise<{ delegationId: string; userId: string }[][]> {
  if (ids.length === 0) return Promise.resolve([]);
  return childrenOf(
    db
      .select()
      .from(delegationContactTable)
      .where(inArray(delegationContactTable.delegationId, [...ids]))
      .orderBy(asc(delegationContactTable.userId)),
    ids,
  );
}

export function delegationProjectsByIds(
  db: Executor,
  ids: readonly string[],
): Promise<{ delegationId: string; projectId: string; outcome: DelegationOutcome }[][]> {
  if (ids.length === 0) return Promise.resolve([]);
  return childrenOf(
    db
      .select({
        delegationId: delegationProjectTable.delegationId,
        projectId: delegationProjectTable.projectId,
        outcome: delegationProjectTable.outcome,
      })
      .from(delegationProjectTable)
      .where(inArray(delegationProjectTable.delegationId, [...ids]))
      .orderBy(asc(delegationProjectTable.createdAt), asc(delegationProjectTable.projectId)),
    ids,
  );
}

export function delegationAgreementsByIds(db: Executor, ids: readonly string[]): Promise<DelegationAgreementRow[][]> {
  if (ids.length === 0) return Promise.resolve([]);
  return childrenOf(
    db
      .select()
      .from(delegationAgreementTable)
      .where(inArray(delegationAgreementTable.delegationId, [...ids]))
      .orderBy(asc(delegationAgreementTable.signedOn), asc(delegationAgreementTable.id)),
    ids,
  );
}
