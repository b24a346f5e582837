// Which memberships of a chamber a list or an export holds, and in what order: one definition, so the
// secretary's screen and the file they export always agree.
import { companyTable, membershipTable, merchantTable, type MembershipLevel, type MembershipStatus } from "@wz/db";
import { and, eq, ilike, inArray, lt, or, sql, type SQL } from "drizzle-orm";
import { likePattern } from "../common/sql-text";
import type { Viewer } from "../viewer";
import { effectiveMembershipStatusSql } from "./membership-status";

export interface MemberListFilter {
  status?: readonly MembershipStatus[] | null | undefined;
  levels?: readonly MembershipLevel[] | null | undefined;
  hometownDistricts?: readonly string[] | null | undefined;
  /** GB/T 4754 sections: members with at least one company in one of them. */
  industries?: readonly string[] | null | undefined;
  /** Memberships expiring strictly before this date. */
  expiresBefore?: string | null | undefined;
  /** Chinese name, Latin name, full pinyin or pinyin initials. */
  query?: string | null | undefined;
}

export type MemberOrderField = "NAME" | "JOINED_ON" | "EXPIRES_ON";
export interface MemberListOrder {
  field: MemberOrderField;
  descending: boolean;
}

/**
 * The WHERE for a chamber's member list as one viewer may see it: secretaries and federation staff see every
 * membership, anyone else only ACTIVE ones. The query joins merchantTable.
 */
export function memberListWhere(viewer: Viewer, chamberId: string, filter: MemberListFilter | null | undefined, today: string): SQL {
  const status = effectiveMembershipStatusSql(today);
  const conditions: (SQL | undefined)[] = [eq(membershipTable.chamberId, chamberId)];
  if (!viewer.isFederationStaff && !viewer.secretaryOf.has(chamberId)) conditions.push(eq(status, "ACTIVE"));
  const f = filter ?? {};
  if (f.status?.length) conditions.push(inArray(status, [...f.status]));
  if (f.levels?.length) conditions.push(inArray(membershipTable.level, [...f.levels]));
  if (f.hometownDistricts?.length) conditions.push(inArray(merchantTable.hometownDistrict, [...f.hometownDistricts]));
  if (f.industries?.length)
    conditions.push(
      sql`exists (select 1 from ${companyTable} where ${companyTable.merchantId} = ${membershipTable.merchantId} and ${inArray(companyTable.industry, [...f.industries])})`,
    );
  if (f.expiresBefore) conditions.push(lt(membershipTable.expiresOn, f.expiresBefore));
  const q = f.query?.trim();
  if (q) {
    const pattern = likePattern(q);
    const compact = q.toLowerCase().replace(/\s+/g, "");
    conditions.push(
      or(
        ilike(merchantTable.name, pattern),
        ilike(merchantTable.nameLatin, pattern),
        ...(/^[a-z]+$/.test(compact) ? [ilike(merchantTable.namePinyin, likePattern(compact)), ilike(merchantTable.nameInitials, `${compact}%`)] : []),
      ),
    );
  }
  return and(...conditions)!;
}

/**
 * The sort expression for an order. Dates never sort as NULL (which would break keyset cursors): a missing
 * joining date sorts first, a missing expiry (never expires) last.
 */
export function memberListSort(field: MemberOrderField): SQL<string> {
  switch (field) {
    case "NAME":
      return sql<string>`${merchantTable.name}`;
    case "JOINED_ON":
      return sql<string>`coalesce(${membershipTable.joinedOn}, '0001-01-01'::date)::text`;
    case "EXPIRES_ON":
      return sql<string>`coalesce(${membershipTable.expiresOn}, '9999-12-31'::date)::text`;
  }
}
