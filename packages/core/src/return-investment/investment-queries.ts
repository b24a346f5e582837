// Reading return-investment projects for one viewer: every query puts the visibility rule (investment-rules.ts)
// in its WHERE, so a project, arrival or problem the viewer may not see is never read. Nested lists are read
// for all parents in one statement.
import {
  type Executor,
  type InvestmentArrivalRow,
  type InvestmentCreditRow,
  type InvestmentMerchantRole,
  type InvestmentProblemRow,
  type InvestmentProjectRow,
  type InvestmentStage,
  type InvestmentStageChangeRow,
  investmentArrivalTable,
  investmentCreditTable,
  investmentMerchantTable,
  investmentProblemTable,
  investmentProjectTable,
  investmentStageChangeTable,
  userTable,
} from "@wz/db";
import { and, asc, count, eq, exists, getTableColumns, inArray, lt, type SQL, sql } from "drizzle-orm";
import { keysetPage, type PageRequest } from "../common/paging";
import type { Permissions } from "../permissions";
import { isUuid } from "../validation";
import { visibleInvestmentProjectsSql } from "./investment-rules";

export interface InvestmentReadContext {
  db: Executor;
  permissions: Permissions;
}

export interface InvestmentProjectFilter {
  stages?: readonly InvestmentStage[] | null | undefined;
  keyProject?: boolean | null | undefined;
  district?: string | null | undefined;
  /** Projects credited to this chamber (at any time). */
  chamberId?: string | null | undefined;
}

function filterSql(filter: InvestmentProjectFilter | null | undefined): SQL | undefined {
  if (!filter) return undefined;
  const conditions: (SQL | undefined)[] = [];
  if (filter.stages?.length) conditions.push(inArray(investmentProjectTable.stage, [...filter.stages]));
  if (filter.keyProject != null) conditions.push(eq(investmentProjectTable.keyProject, filter.keyProject));
  if (filter.district) conditions.push(eq(investmentProjectTable.district, filter.district));
  if (filter.chamberId)
    conditions.push(
      isUuid(filter.chamberId)
        ? exists(
            sql`(select 1 from ${investmentCreditTable}
              where ${investmentCreditTable.projectId} = ${investmentProjectTable.id}
              and ${investmentCreditTable.chamberId} = ${filter.chamberId})`,
          )
        : sql`false`,
    );
  return and(...conditions);
}

function listCondition(ctx: InvestmentReadContext, filter: InvestmentProjectFilter | null | undefined) {
  ctx.permissions.requireViewer();
  return and(visibleInvestmentProjectsSql(ctx.permissions), filterSql(filter));
}

/** One page of the projects the viewer may see, newest first. Needs a signed-in viewer. */
export async function listInvestmentProjects(
  ctx: InvestmentReadContext,
  filter: InvestmentProjectFilter | null | undefined,
  page: PageRequest,
): Promise<InvestmentProjectRow[]> {
  const { where, orderBy } = keysetPage(page, investmentProjectTable.createdAt, investmentProjectTable.id, true);
  return ctx.db
    .select()
    .from(investmentProjectTable)
    .where(and(listCondition(ctx, filter), where))
    .orderBy(...orderBy)
    .limit(page.limit);
}

export async function countInvestmentProjects(
  ctx: InvestmentReadContext,
  filter: InvestmentProjectFilter | null | undefined,
): Promise<number> {
  const [row] = await ctx.db.select({ n: count() }).from(investmentProjectTable).where(listCondition(ctx, filter));
  return row?.n ?? 0;
}

export async function visibleInvestmentProjectsByIds(
  ctx: InvestmentReadContext,
  ids: readonly string[],
): Promise<InvestmentProjectRow[]> {
  const valid = ids.filter(isUuid);
  if (valid.length === 0) return [];
  return ctx.db
    .select()
    .from(investmentProjectTable)
    .where(and(inArray(investmentProjectTable.id, valid), visibleInvestmentProjectsSql(ctx.permissions)));
}

/** Capital arrived so far on each project (reversals included), as decimal strings. */
export async function arrivedByProjectIds(db: Executor, projectIds: readonly string[]): Promise<string[]> {
  const rows =
    projectIds.length === 0
      ? []
      : await db
          .select({
            projectId: investmentArrivalTable.projectId,
            total: sql<string>`sum(${investmentArrivalTable.amount})::numeric(16,2)::text`,
          })
          .from(investmentArrivalTable)
          .where(inArray(investmentArrivalTable.projectId, [...projectIds]))
          .groupBy(investmentArrivalTable.projectId);
  const byId = new Map(rows.map((r) => [r.projectId, r.total]));
  return projectIds.map((id) => byId.get(id) ?? "0.00");
}

/** For each (visible) project: its rows of a child table, in order. Callers have read the projects visibly. */
async function childrenOf<T extends { projectId: string }>(
  rows: Promise<T[]>,
  projectIds: readonly string[],
): Promise<T[][]> {
  const all = await rows;
  return projectIds.map((id) => all.filter((r) => r.projectId === id));
}

export function arrivalsByProjectIds(db: Executor, projectIds: readonly string[]): Promise<InvestmentArrivalRow[][]> {
  if (projectIds.length === 0) return Promise.resolve([]);
  return childrenOf(
    db
      .select()
      .from(investmentArrivalTable)
      .where(inArray(investmentArrivalTable.projectId, [...projectIds]))
      .orderBy(asc(investmentArrivalTable.arrivedOn), asc(investmentArrivalTable.createdAt)),
    projectIds,
  );
}

export function creditsByProjectIds(db: Executor, projectIds: readonly string[]): Promise<InvestmentCreditRow[][]> {
  if (projectIds.length === 0) return Promise.resolve([]);
  return childrenOf(
    db
      .select()
      .from(investmentCreditTable)
      .where(inArray(investmentCreditTable.projectId, [...projectIds]))
      .orderBy(asc(investmentCreditTable.createdAt), asc(investmentCreditTable.id)),
    projectIds,
  );
}

export function stageChangesByProjectIds(
  db: Executor,
  projectIds: readonly string[],
): Promise<InvestmentStageChangeRow[][]> {
  if (projectIds.length === 0) return Promise.resolve([]);
  return childrenOf(
    db
      .select()
      .from(investmentStageChangeTable)
      .where(inArray(investmentStageChangeTable.projectId, [...projectIds]))
      .orderBy(asc(investmentStageChangeTable.id)),
    projectIds,
  );
}

export function problemsByProjectIds(db: Executor, projectIds: readonly string[]): Promise<InvestmentProblemRow[][]> {
  if (projectIds.length === 0) return Promise.resolve([]);
  return childrenOf(
    db
      .select()
      .from(investmentProblemTable)
      .where(inArray(investmentProblemTable.projectId, [...projectIds]))
      .orderBy(asc(investmentProblemTable.dueOn), asc(investmentProblemTable.id)),
    projectIds,
  );
}

const problemColumns = getTableColumns(investmentProblemTable);

/** The problems among `ids` whose project the viewer may see. */
export async function visibleInvestmentProblemsByIds(
  ctx: InvestmentReadContext,
  ids: readonly string[],
): Promise<InvestmentProblemRow[]> {
  const valid = ids.filter(isUuid);
  if (valid.length === 0) return [];
  return ctx.db
    .select(problemColumns)
    .from(investmentProblemTable)
    .innerJoin(investmentProjectTable, eq(investmentProjectTable.id, investmentProblemTable.projectId))
    .where(and(inArray(investmentProblemTable.id, valid), visibleInvestmentProjectsSql(ctx.permissions)));
}

/** Open problems past their due date on projects the viewer may see, most overdue first. */
export async function overdueInvestmentProblems(
  ctx: InvestmentReadContext,
  asOf: string,
  page: PageRequest,
): Promise<InvestmentProblemRow[]> {
  ctx.permissions.requireViewer();
  const { where, orderBy } = keysetPage(page, investmentProblemTable.dueOn, investmentProblemTable.id);
  return ctx.db
    .select(problemColumns)
    .from(investmentProblemTable)
    .innerJoin(investmentProjectTable, eq(investmentProjectTable.id, investmentProblemTable.projectId))
    .where(
      and(
        eq(investmentProblemTable.status, "OPEN"),
        lt(investmentProblemTable.dueOn, asOf),
        visibleInvestmentProjectsSql(ctx.permissions),
        where,
      ),
    )
    .orderBy(...orderBy)
    .limit(page.limit);
}

export async function countOverdueInvestmentProblems(ctx: InvestmentReadContext, asOf: string): Promise<number> {
  ctx.permissions.requireViewer();
  const [row] = await ctx.db
    .select({ n: count() })
    .from(investmentProblemTable)
    .innerJoin(investmentProjectTable, eq(investmentProjectTable.id, investmentProblemTable.projectId))
    .where(
      and(
        eq(investmentProblemTable.status, "OPEN"),
        lt(investmentProblemTable.dueOn, asOf),
        visibleInvestmentProjectsSql(ctx.permissions),
      ),
    );
  return row?.n ?? 0;
}

const arrivalColumns = getTableColumns(investmentArrivalTable);

/** The arrivals among `ids` whose project the viewer may see. */
export async function visibleCapitalArrivalsByIds(
  ctx: InvestmentReadContext,
  ids: readonly string[],
): Promise<InvestmentArrivalRow[]> {
  const valid = ids.filter(isUuid);
  if (valid.length === 0) return [];
  return ctx.db
    .select(arrivalColumns)
    .from(investmentArrivalTable)
    .innerJoin(investmentProjectTable, eq(investmentProjectTable.id, investmentArrivalTable.projectId))
    .where(and(inArray(investmentArrivalTable.id, valid), visibleInvestmentProjectsSql(ctx.permissions)));
}

/** For each project: its investors and the merchant who brought it. Callers have read the projects visibly. */
export function merchantsByProjectIds(
  db: Executor,
  projectIds: readonly string[],
): Promise<{ projectId: string; merchantId: string; role: InvestmentMerchantRole }[][]> {
  if (projectIds.length === 0) return Promise.resolve([]);
  return childrenOf(
    db
      .select({
        projectId: investmentMerchantTable.projectId,
        merchantId: investmentMerchantTable.merchantId,
        role: investmentMerchantTable.role,
      })
      .from(investmentMerchantTable)
      .where(inArray(investmentMerchantTable.projectId, [...projectIds]))
      .orderBy(asc(investmentMerchantTable.createdAt), asc(investmentMerchantTable.merchantId)),
    projectIds,
  );
}

export interface ServiceOfficerCard {
  userId: string;
  displayName: string;
  email: string;
}

/**
 * The contact cards of key projects' service officers, which the investor is meant to see: a name and an email,
 * nothing else of the account. Callers have read the projects visibly.
 */
export async function serviceOfficerCards(
  db: Executor,
  userIds: readonly string[],
): Promise<(ServiceOfficerCard | null)[]> {
  const valid = [...new Set(userIds.filter(isUuid))];
  const rows =
    valid.length === 0
      ? []
      : await db
          .select({ userId: userTable.id, displayName: userTable.displayName, email: userTable.email })
          .from(userTable)
          .where(inArray(userTable.id, valid));
  const byId = new Map(rows.map((r) => [r.userId, r]));
  return userIds.map((id) => byId.get(id) ?? null);
}
