// Reading gatherings for one viewer: federation staff see every one; a chamber's secretaries and active members
// their chamber's; an invited merchant the ones they are invited to. Invitations: all of them for those who keep
// the gathering (and federation staff), the viewer's own for anyone else; read for all parents in one statement.
import {
  chamberTable,
  type Executor,
  type GatheringInvitationRow,
  type GatheringRow,
  type GatheringStatus,
  gatheringInvitationTable,
  gatheringTable,
} from "@wz/db";
import { and, count, eq, exists, gte, inArray, lte, or, type SQL, sql } from "drizzle-orm";
import { keysetPage, type PageRequest } from "../common/paging";
import type { Permissions } from "../permissions";
import { isUuid } from "../validation";
import { canKeepGathering } from "./gathering-service";

interface ReadContext {
  db: Executor;
  permissions: Permissions;
}

export function visibleGatheringsSql(permissions: Permissions): SQL {
  if (!permissions.viewer) return sql`false`;
  if (permissions.can("gathering:read-all")) return sql`true`;
  const conditions: SQL[] = [];
  const chambers = permissions.chambersFor("gathering:read");
  if (chambers.all) return sql`true`;
  if (chambers.ids.length) conditions.push(inArray(gatheringTable.chamberId, [...chambers.ids]));
  const me = permissions.merchantId;
  if (me)
    conditions.push(
      exists(
        sql`(select 1 from ${gatheringInvitationTable}
          where ${gatheringInvitationTable.gatheringId} = ${gatheringTable.id}
          and ${gatheringInvitationTable.merchantId} = ${me})`,
      ),
    );
  return conditions.length ? or(...conditions)! : sql`false`;
}

export interface GatheringFilter {
  chamberId?: string | null | undefined;
  status?: readonly GatheringStatus[] | null | undefined;
  from?: string | null | undefined;
  to?: string | null | undefined;
}

function condition(ctx: ReadContext, filter: GatheringFilter | null | undefined): SQL | undefined {
  ctx.permissions.requireViewer();
  const conditions: (SQL | undefined)[] = [visibleGatheringsSql(ctx.permissions)];
  if (filter?.chamberId)
    conditions.push(isUuid(filter.chamberId) ? eq(gatheringTable.chamberId, filter.chamberId) : sql`false`);
  if (filter?.status?.length) conditions.push(inArray(gatheringTable.status, [...filter.status]));
  if (filter?.from) conditions.push(gte(gatheringTable.heldOn, filter.from));
  if (filter?.to) conditions.push(lte(gatheringTable.heldOn, filter.to));
  return and(...conditions);
}

/** One page of the gatherings the viewer may see, latest first. */
export function listGatherings(
  ctx: ReadContext,
  filter: GatheringFilter | null | undefined,
  page: PageRequest,
): Promise<GatheringRow[]> {
  const { where, orderBy } = keysetPage(page, gatheringTable.heldOn, gatheringTable.id, true);
  return ctx.db
    .select()
    .from(gatheringTable)
    .where(and(condition(ctx, filter), where))
    .orderBy(...orderBy)
    .limit(page.limit);
}

export async function countGatherings(ctx: ReadContext, filter: GatheringFilter | null | undefined): Promise<number> {
  const [row] = await ctx.db.select({ n: count() }).from(gatheringTable).where(condition(ctx, filter));
  return row?.n ?? 0;
}

export function visibleGatheringsByIds(ctx: ReadContext, ids: readonly string[]): Promise<GatheringRow[]> {
  const valid = ids.filter(isUuid);
  if (valid.length === 0) return Promise.resolve([]);
  return ctx.db
    .select()
    .from(gatheringTable)
    .where(and(inArray(gatheringTable.id, valid), visibleGatheringsSql(ctx.permissions)));
}

/**
 * Each visible gathering's invitations as the viewer may see them: all for those who keep it and federation staff,
 * else the viewer's own. One statement for all the gatherings.
 */
export async function invitationsForGatherings(
  ctx: ReadContext,
  gatheringIds: readonly string[],
): Promise<GatheringInvitationRow[][]> {
  if (gatheringIds.length === 0) return [];
  const rows = await ctx.db
    .select({ invitation: gatheringInvitationTable, chamberId: gatheringTable.chamberId, kind: chamberTable.kind })
    .from(gatheringInvitationTable)
    .innerJoin(gatheringTable, eq(gatheringTable.id, gatheringInvitationTable.gatheringId))
    .innerJoin(chamberTable, eq(chamberTable.id, gatheringTable.chamberId))
    .where(inArray(gatheringInvitationTable.gatheringId, [...gatheringIds]))
    .orderBy(gatheringInvitationTable.createdAt, gatheringInvitationTable.merchantId);
  const me = ctx.permissions.merchantId;
  const seesAll = (r: (typeof rows)[number]) =>
    ctx.permissions.can("gathering:read-all") ||
    canKeepGathering(ctx.permissions, r.chamberId, r.kind === "FEDERATION");
  return gatheringIds.map((id) =>
    rows
      .filter((r) => r.invitation.gatheringId === id && (seesAll(r) || r.invitation.merchantId === me))
      .map((r) => r.invitation),
  );
}
