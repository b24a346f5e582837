// Reading accounts: a viewer sees their own, and every account with `user:read` (federation staff).

import { type UserRow, userTable } from "@wz/db";
import { and, eq, inArray, type SQL } from "drizzle-orm";
import type { ServiceContext } from "../service-context";
import { isUuid } from "../validation";

/** An account's public face: what the User type shows. */
export type UserSummary = Pick<UserRow, "id" | "email" | "displayName" | "locale" | "isFederationStaff">;

/** The accounts a viewer may read, as a condition on user rows; null when they may read none. */
function readableUsers(ctx: Pick<ServiceContext, "permissions">): SQL | undefined | null {
  if (ctx.permissions.can("user:read")) return undefined;
  const viewer = ctx.permissions.viewer;
  return viewer ? eq(userTable.id, viewer.userId) : null;
}

/** Accounts by id, in the order asked for; null for an unknown id and for one the viewer may not read. */
export async function usersByIds(
  ctx: Pick<ServiceContext, "db" | "permissions">,
  ids: readonly string[],
): Promise<(UserSummary | null)[]> {
  const valid = [...new Set(ids.filter(isUuid))];
  const readable = readableUsers(ctx);
  if (valid.length === 0 || readable === null) return ids.map(() => null);
  const rows = await ctx.db
    .select({
      id: userTable.id,
      email: userTable.email,
      displayName: userTable.displayName,
      locale: userTable.locale,
      isFederationStaff: userTable.isFederationStaff,
    })
    .from(userTable)
    .where(and(inArray(userTable.id, valid), readable));
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.map((id) => byId.get(id) ?? null);
}
