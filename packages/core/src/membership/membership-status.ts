// Lapsing is computed at read time: an ACTIVE membership whose dues ran out is LAPSED whether or not any
// job has run, so no screen is ever silently wrong. Who may know of a membership is decided here, in SQL.

import { type MembershipStatus, membershipTable } from "@wz/db";
import { type AnyColumn, and, eq, inArray, or, type SQL, sql } from "drizzle-orm";
import type { ChamberSet, Permissions } from "../permissions";

export function effectiveMembershipStatus(
  row: { status: MembershipStatus; expiresOn: string | null },
  today: string,
): MembershipStatus {
  return row.status === "ACTIVE" && row.expiresOn !== null && row.expiresOn < today ? "LAPSED" : row.status;
}

export function effectiveMembershipStatusSql(today: string): SQL<MembershipStatus> {
  const { status, expiresOn } = membershipTable;
  return sql<MembershipStatus>`(case when ${status} = 'ACTIVE' and ${expiresOn} < ${today}
    then 'LAPSED'::membership_status else ${status} end)`;
}

/**
 * Whether a membership lets the chamber's secretariat see the merchant's contact fields beyond what everyone
 * may: only once the merchant is (or was) a member — ACTIVE, LAPSED or SUSPENDED. An application, consented or
 * not, grants nothing; nor does a rejected or ended one.
 */
export function grantsSecretariatView(status: MembershipStatus): boolean {
  return status !== "APPLIED" && status !== "REJECTED" && status !== "LEFT";
}

/** A secretary's proposal (applying or importing for the merchant) that the merchant has not answered yet. */
export function awaitingConsent(row: { status: MembershipStatus; consentedAt: Date | null }): boolean {
  return row.status === "APPLIED" && row.consentedAt === null;
}

/** `column` is one of the chambers of a set from `permissions.chambersFor`. */
export function inChamberSet(column: AnyColumn, set: ChamberSet): SQL {
  if (set.all) return sql`true`;
  return set.ids.length ? inArray(column, [...set.ids]) : sql`false`;
}

/** A proposal an import made to someone the secretary could not see stays the merchant's alone until answered. */
export function disclosedMembershipSql(): SQL {
  return sql`(not ${membershipTable.identityWithheld} or ${membershipTable.consentedAt} is not null)`;
}

/**
 * The memberships a viewer may know of: all of a chamber's where they may list all its members (its
 * secretaries, federation staff), the ACTIVE ones where they may list its members (its active members),
 * and their own. Every read of memberships — node, merchant, member list, actions — uses this condition.
 */
export function visibleMembershipsSql(permissions: Permissions, today: string): SQL {
  const all = permissions.chambersFor("member:list-all");
  const own = permissions.merchantId;
  const disclosed = disclosedMembershipSql();
  const known = all.all
    ? disclosed
    : and(
        or(
          inChamberSet(membershipTable.chamberId, all),
          and(
            inChamberSet(membershipTable.chamberId, permissions.chambersFor("member:list")),
            eq(effectiveMembershipStatusSql(today), "ACTIVE"),
          ),
        ),
        disclosed,
      )!;
  return own ? or(known, eq(membershipTable.merchantId, own))! : known;
}

/** Dues, reasons and dates of a membership: for its chamber's secretaries, federation staff and the member. */
export function canReadMembershipDetails(permissions: Permissions, m: { chamberId: string; merchantId: string }) {
  const own = permissions.merchantId;
  return permissions.can("member:read-details", { chamberId: m.chamberId }) || (own !== null && own === m.merchantId);
}

/** The secretariat's private notes: the chamber's secretaries only — not federation staff, not the member. */
export function canReadMembershipNotes(permissions: Permissions, m: { chamberId: string }) {
  return permissions.can("member:read-notes", { chamberId: m.chamberId });
}
