// How membership services find the chamber or membership an input names: something the viewer may not even
// know of is NOT_FOUND, exactly like a missing ID, so no answer confirms another chamber's private data.
import { chamberTable, membershipTable, type Executor, type MembershipRow } from "@wz/db";
import { eq } from "drizzle-orm";
import { todayIso } from "../dates";
import { ForbiddenError, UserInputError } from "../errors";
import type { ChamberAction } from "../permissions";
import type { ServiceContext } from "../service-context";
import { isUuid } from "../validation";
import type { Viewer } from "../viewer";
import { canSeeMembership } from "./membership-status";

/** Chambers a viewer knows the inside of: their own (any role), or all of them for federation staff. */
function knowsChamber(viewer: Viewer, chamberId: string): boolean {
  return viewer.isFederationStaff || viewer.secretaryOf.has(chamberId) || viewer.memberOf.has(chamberId);
}

/**
 * The chamber for a secretariat action. A chamber the viewer has no role in is NOT_FOUND (as a missing ID
 * is); one they belong to without the right is FORBIDDEN.
 */
export async function chamberForAction(ctx: ServiceContext, db: Executor, action: ChamberAction, chamberId: string, field: string[]) {
  const viewer = ctx.permissions.requireViewer();
  const notFound = UserInputError.of("NOT_FOUND", field, "No chamber you look after has this ID.");
  if (!isUuid(chamberId)) throw notFound;
  const [chamber] = await db.select().from(chamberTable).where(eq(chamberTable.id, chamberId));
  if (!chamber || !knowsChamber(viewer, chamber.id)) throw notFound;
  if (!ctx.permissions.can(action, { chamberId: chamber.id })) throw new ForbiddenError();
  return { viewer, chamber };
}

/**
 * The membership for an action, locked for the rest of the transaction so concurrent changes queue up.
 * Invisible memberships are NOT_FOUND; visible ones the viewer may not change are FORBIDDEN.
 */
export async function membershipForAction(
  ctx: ServiceContext,
  tx: Executor,
  action: ChamberAction,
  membershipId: string,
  field: string[],
): Promise<{ viewer: Viewer; membership: MembershipRow }> {
  const viewer = ctx.permissions.requireViewer();
  const notFound = UserInputError.of("NOT_FOUND", field, "No membership with this ID.");
  if (!isUuid(membershipId)) throw notFound;
  const [membership] = await tx
    .select()
    .from(membershipTable)
    .where(eq(membershipTable.id, membershipId))
    .for("update");
  if (!membership || !canSeeMembership(viewer, membership, todayIso())) throw notFound;
  if (!ctx.permissions.can(action, { chamberId: membership.chamberId })) throw new ForbiddenError();
  return { viewer, membership };
}

/** A unique-index violation (23505), however the driver wraps it: a concurrent request got there first. */
export function isUniqueViolation(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && typeof e === "object" && depth < 5; e = (e as { cause?: unknown }).cause, depth++)
    if ((e as { code?: unknown }).code === "23505") return true;
  return false;
}
