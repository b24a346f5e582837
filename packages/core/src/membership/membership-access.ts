// How membership services find the chamber or membership an input names: something the viewer may not even
// know of is NOT_FOUND, exactly like a missing ID, so no answer confirms another chamber's private data.
import { chamberTable, type Executor, type MembershipRow, membershipTable } from "@wz/db";
import { and, eq } from "drizzle-orm";
import { todayIso } from "../dates";
import { ForbiddenError, UserInputError } from "../errors";
import { msg } from "../messages";
import type { ChamberAction } from "../permissions";
import type { ServiceContext } from "../service-context";
import { isUuid } from "../validation";
import type { Viewer } from "../viewer";
import { visibleMembershipsSql } from "./membership-status";

/**
 * The chamber for a secretariat action, `field` naming the input that gave its ID. A chamber whose inside
 * the viewer does not know (`member:list`) is NOT_FOUND, as a missing ID is; one they know without the
 * right is FORBIDDEN.
 */
export async function chamberForAction(
  ctx: Pick<ServiceContext, "permissions">,
  db: Executor,
  action: ChamberAction,
  chamberId: string,
  field: string,
) {
  const viewer = ctx.permissions.requireViewer();
  const notFound = UserInputError.of("NOT_FOUND", [field], msg("membership.noChamberYouKeep"));
  if (!isUuid(chamberId)) throw notFound;
  const [chamber] = await db.select().from(chamberTable).where(eq(chamberTable.id, chamberId));
  if (!chamber || !ctx.permissions.can("member:list", { chamberId: chamber.id })) throw notFound;
  if (!ctx.permissions.can(action, { chamberId: chamber.id })) throw new ForbiddenError();
  return { viewer, chamber };
}

/**
 * The membership for an action, locked for the rest of the transaction so concurrent changes queue up.
 * Invisible memberships are NOT_FOUND; visible ones the viewer may not change are FORBIDDEN.
 */
export async function membershipForAction(
  ctx: Pick<ServiceContext, "permissions">,
  tx: Executor,
  action: ChamberAction,
  membershipId: string,
  field: string,
): Promise<{ viewer: Viewer; membership: MembershipRow }> {
  const viewer = ctx.permissions.requireViewer();
  const notFound = UserInputError.of("NOT_FOUND", [field], msg("membership.noneWithId"));
  if (!isUuid(membershipId)) throw notFound;
  const [membership] = await tx
    .select()
    .from(membershipTable)
    .where(and(eq(membershipTable.id, membershipId), visibleMembershipsSql(ctx.permissions, todayIso())))
    .for("update");
  if (!membership) throw notFound;
  if (!ctx.permissions.can(action, { chamberId: membership.chamberId })) throw new ForbiddenError();
  return { viewer, membership };
}

/** Whether a database error (however the driver wraps it) carries this SQLSTATE. */
export function hasSqlState(error: unknown, code: string): boolean {
  let e: unknown = error;
  for (let depth = 0; e && typeof e === "object" && depth < 5; depth++) {
    if ((e as { code?: unknown }).code === code) return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}

/** A unique-index violation (23505): a concurrent request got there first. */
export function isUniqueViolation(error: unknown): boolean {
  return hasSqlState(error, "23505");
}
