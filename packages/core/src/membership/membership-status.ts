// Lapsing is computed at read time: an ACTIVE membership whose dues ran out is LAPSED whether or not any
// job has run, so no screen is ever silently wrong.
import { sql, type SQL } from "drizzle-orm";
import { membershipTable, type MembershipStatus } from "@wz/db";
import type { Viewer } from "../viewer";

export function effectiveMembershipStatus(row: { status: MembershipStatus; expiresOn: string | null }, today: string): MembershipStatus {
  return row.status === "ACTIVE" && row.expiresOn !== null && row.expiresOn < today ? "LAPSED" : row.status;
}

export function effectiveMembershipStatusSql(today: string): SQL<MembershipStatus> {
  return sql<MembershipStatus>`(case when ${membershipTable.status} = 'ACTIVE' and ${membershipTable.expiresOn} < ${today} then 'LAPSED'::membership_status else ${membershipTable.status} end)`;
}

/**
 * Who may see that a merchant belongs to a chamber: federation staff, the chamber's secretaries, the merchant,
 * and the chamber's active members (who see only its active members, not applications or rejections).
 */
export function canSeeMembership(
  viewer: Viewer | null,
  membership: { chamberId: string; merchantId: string; status: MembershipStatus; expiresOn: string | null },
  today: string,
): boolean {
  if (!viewer) return false;
  if (viewer.isFederationStaff || viewer.secretaryOf.has(membership.chamberId)) return true;
  if (viewer.merchantId === membership.merchantId) return true;
  return viewer.memberOf.has(membership.chamberId) && effectiveMembershipStatus(membership, today) === "ACTIVE";
}
