// A chamber's member list as one viewer may see it, with its filters and orders: one definition, so the
// secretary's screen, its count and the file they export always agree.
import {
  companyTable,
  type MembershipLevel,
  type MembershipRow,
  type MembershipStatus,
  membershipTable,
  merchantTable,
} from "@wz/db";
import { and, asc, desc, eq, ilike, inArray, lt, or, type SQL, sql } from "drizzle-orm";
import { type NestedPage, nestedPages, type PageRequest, tableRowMapper } from "../common/paging";
import { likePattern } from "../common/sql-text";
import { todayIso } from "../dates";
import type { ServiceContext } from "../service-context";
import { disclosedMembershipSql, effectiveMembershipStatusSql, visibleMembershipsSql } from "./membership-status";

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

export const defaultMemberOrder: MemberListOrder = { field: "NAME", descending: false };

type ReadContext = Pick<ServiceContext, "db" | "permissions">;

/**
 * The WHERE of a chamber's member list: the chamber, the memberships the viewer may know of (every one for
 * its secretaries and federation staff, the ACTIVE ones for its members) and the filter. Every query using
 * it joins merchantTable, and all of them are in this file. `chamber` is an id, or (in a statement reading
 * many chambers' lists) the columns of the chamber at hand, its `everyone` flag computed by the same rule.
 */
function memberListWhere(
  ctx: ReadContext,
  chamber: string | { id: SQL; everyone: SQL },
  filter: MemberListFilter | null | undefined,
): SQL {
  const today = todayIso();
  const status = effectiveMembershipStatusSql(today);
  const visible = visibleMembershipsSql(ctx.permissions, today);
  // Where the viewer may list every membership of the chamber, the visibility condition holds for all its rows.
  // A proposal that withholds who it is for stays out of every list but its merchant's (`visible` keeps that).
  const conditions: (SQL | undefined)[] =
    typeof chamber === "string"
      ? [
          eq(membershipTable.chamberId, chamber),
          ctx.permissions.can("member:list-all", { chamberId: chamber }) ? disclosedMembershipSql() : visible,
        ]
      : [eq(membershipTable.chamberId, chamber.id), or(and(chamber.everyone, disclosedMembershipSql()), visible)];
  const f = filter ?? {};
  if (f.status?.length) conditions.push(inArray(status, [...f.status]));
  if (f.levels?.length) conditions.push(inArray(membershipTable.level, [...f.levels]));
  if (f.hometownDistricts?.length) conditions.push(inArray(merchantTable.hometownDistrict, [...f.hometownDistricts]));
  if (f.industries?.length)
    conditions.push(
      sql`exists (select 1 from ${companyTable} where ${companyTable.merchantId} = ${membershipTable.merchantId}
        and ${inArray(companyTable.industry, [...f.industries])})`,
    );
  if (f.expiresBefore) conditions.push(lt(membershipTable.expiresOn, f.expiresBefore));
  const q = f.query?.trim();
  if (q) {
    const pattern = likePattern(q);
    const compact = q.toLowerCase().replace(/\s+/g, "");
    const pinyin = /^[a-z]+$/.test(compact)
      ? [ilike(merchantTable.namePinyin, likePattern(compact)), ilike(merchantTable.nameInitials, `${compact}%`)]
      : [];
    conditions.push(or(ilike(merchantTable.name, pattern), ilike(merchantTable.nameLatin, pattern), ...pinyin));
  }
  return and(...conditions)!;
}

/**
 * The sort expression for an order. Dates never sort as NULL (which would break keyset cursors): a missing
 * joining date sorts first, a missing expiry (never expires) last.
 */
function memberListSort(field: MemberOrderField): SQL<string> {
  switch (field) {
    case "NAME":
      return sql<string>`${merchantTable.name}`;
    case "JOINED_ON":
      return sql<string>`coalesce(${membershipTable.joinedOn}, '0001-01-01'::date)::text`;
    case "EXPIRES_ON":
      return sql<string>`coalesce(${membershipTable.expiresOn}, '9999-12-31'::date)::text`;
  }
}

/** A membership on a member list, with its position in the list's order (for cursors). */
export type ListedMembership = MembershipRow & { sortKey: string };

const membershipFromRaw = tableRowMapper(membershipTable);

/**
 * A page of each chamber's member list, with its count when asked: one statement for all the chambers
 * (`nestedPages`). Only someone who may list a chamber's members reads it; whether they see every
 * membership is decided per chamber by the catalogue and sent with the chamber.
 */
export async function listChamberMemberPages(
  ctx: ReadContext,
  chamberIds: readonly string[],
  filter: MemberListFilter | null | undefined,
  order: MemberListOrder | null | undefined,
  page: PageRequest,
  withCount: boolean,
): Promise<NestedPage<ListedMembership>[]> {
  const parents = chamberIds.map((chamberId) => {
    ctx.permissions.assertPerformAction("member:list", { chamberId });
    return { id: chamberId, flag: ctx.permissions.can("member:list-all", { chamberId }) };
  });
  const { field, descending } = order ?? defaultMemberOrder;
  return nestedPages(
    ctx.db,
    parents,
    page,
    withCount,
    {
      from: sql`${membershipTable} inner join ${merchantTable} on ${merchantTable.id} = ${membershipTable.merchantId}`,
      columns: sql`${membershipTable}.*`,
      where: (chamber) => memberListWhere(ctx, { id: chamber.id, everyone: chamber.flag }, filter),
      sort: memberListSort(field),
      id: membershipTable.id,
      descending,
    },
    (raw) => ({ ...membershipFromRaw(raw), sortKey: String(raw._sort) }),
  );
}

/**
 * The whole member list with each member's name and contact fields, for an export (whose caller has
 * checked `member:export`; the list's own visibility condition still applies).
 */
export async function listChamberMembersForExport(
  ctx: ReadContext,
  chamberId: string,
  filter: MemberListFilter | null | undefined,
  order: MemberListOrder,
) {
  const sort = memberListSort(order.field);
  const dir = order.descending ? desc : asc;
  return ctx.db
    .select({
      membership: {
        id: membershipTable.id,
        level: membershipTable.level,
        status: membershipTable.status,
        joinedOn: membershipTable.joinedOn,
        expiresOn: membershipTable.expiresOn,
      },
      merchant: {
        id: merchantTable.id,
        name: merchantTable.name,
        nameLatin: merchantTable.nameLatin,
        hometownDistrict: merchantTable.hometownDistrict,
        mobile: merchantTable.mobile,
        mobileVisibility: merchantTable.mobileVisibility,
        landline: merchantTable.landline,
        landlineVisibility: merchantTable.landlineVisibility,
        email: merchantTable.email,
        emailVisibility: merchantTable.emailVisibility,
        wechat: merchantTable.wechat,
        wechatVisibility: merchantTable.wechatVisibility,
      },
    })
    .from(membershipTable)
    .innerJoin(merchantTable, eq(merchantTable.id, membershipTable.merchantId))
    .where(memberListWhere(ctx, chamberId, filter))
    .orderBy(dir(sort), dir(membershipTable.id));
}
