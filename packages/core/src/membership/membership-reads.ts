// The membership domain's lookups for the API's loaders: memberships by ID or by merchant, their dues
// payments and notes, and fee schedules. Each takes the viewer's permissions and puts the tenant (and what
// the viewer may know of) in its WHERE; rows come back unordered, for the caller to match to its keys.
import {
  type DuesPaymentRow,
  duesPaymentTable,
  type FeeScheduleRow,
  feeScheduleTable,
  type MembershipLevel,
  type MembershipNoteRow,
  type MembershipRow,
  membershipLevelEnum,
  membershipNoteTable,
  membershipTable,
  userTable,
} from "@wz/db";
import { and, asc, desc, eq, inArray, or } from "drizzle-orm";
import { todayIso } from "../dates";
import type { ServiceContext } from "../service-context";
import { isUuid } from "../validation";
import { inChamberSet, visibleMembershipsSql } from "./membership-status";

type ReadContext = Pick<ServiceContext, "db" | "permissions">;

/** A tenant row's key: memberships live in their chamber, and their dues and notes are keyed by both. */
export interface MembershipKey {
  chamberId: string;
  membershipId: string;
}

/** A private note with its author's name. */
export type MembershipNote = MembershipNoteRow & { authorName: string };

const distinct = <T>(values: readonly T[]) => [...new Set(values)];

/** The memberships with these IDs that the viewer may know of (others, and malformed IDs, are left out). */
export async function loadMemberships(ctx: ReadContext, ids: readonly string[]): Promise<MembershipRow[]> {
  const valid = distinct(ids.filter(isUuid));
  if (valid.length === 0) return [];
  return ctx.db
    .select()
    .from(membershipTable)
    .where(and(inArray(membershipTable.id, valid), visibleMembershipsSql(ctx.permissions, todayIso())));
}

/** The memberships of these merchants that the viewer may know of. */
export async function loadMerchantMemberships(
  ctx: ReadContext,
  merchantIds: readonly string[],
): Promise<MembershipRow[]> {
  const valid = distinct(merchantIds.filter(isUuid));
  if (valid.length === 0) return [];
  return ctx.db
    .select()
    .from(membershipTable)
    .where(and(inArray(membershipTable.merchantId, valid), visibleMembershipsSql(ctx.permissions, todayIso())));
}

/** Memberships' dues payments, by period (ask only for memberships whose details the viewer may read). */
export async function loadDuesPayments(ctx: ReadContext, keys: readonly MembershipKey[]): Promise<DuesPaymentRow[]> {
  if (keys.length === 0) return [];
  return ctx.db
    .select()
    .from(duesPaymentTable)
    .where(
      and(
        inArray(duesPaymentTable.chamberId, distinct(keys.map((k) => k.chamberId))),
        inArray(duesPaymentTable.membershipId, distinct(keys.map((k) => k.membershipId))),
      ),
    )
    .orderBy(asc(duesPaymentTable.periodStart));
}

/** A dues payment or a note: tenant rows, keyed by their chamber and their own id (their node ids hold both). */
export interface TenantRowKey {
  chamberId: string;
  id: string;
}

const validKeys = (keys: readonly TenantRowKey[]) => keys.filter((k) => isUuid(k.chamberId) && isUuid(k.id));

/**
 * Dues payments by key, in the order asked for: null unless the viewer may read the membership's details (its
 * member, the chamber's secretaries, federation staff), decided in the statement, as for the membership itself.
 */
export async function duesPaymentsByKeys(
  ctx: ReadContext,
  keys: readonly TenantRowKey[],
): Promise<(DuesPaymentRow | null)[]> {
  const valid = validKeys(keys);
  const own = ctx.permissions.merchantId;
  const rows = valid.length
    ? await ctx.db
        .select({ payment: duesPaymentTable })
        .from(duesPaymentTable)
        .innerJoin(
          membershipTable,
          and(
            eq(membershipTable.chamberId, duesPaymentTable.chamberId),
            eq(membershipTable.id, duesPaymentTable.membershipId),
          ),
        )
        .where(
          and(
            inArray(duesPaymentTable.chamberId, distinct(valid.map((k) => k.chamberId))),
            inArray(duesPaymentTable.id, distinct(valid.map((k) => k.id))),
            visibleMembershipsSql(ctx.permissions, todayIso()),
            or(
              inChamberSet(duesPaymentTable.chamberId, ctx.permissions.chambersFor("member:read-details")),
              own ? eq(membershipTable.merchantId, own) : undefined,
            ),
          ),
        )
    : [];
  const byKey = new Map(rows.map(({ payment: p }) => [`${p.chamberId}/${p.id}`, p]));
  return keys.map((k) => byKey.get(`${k.chamberId}/${k.id}`) ?? null);
}

/** Private notes by key, in the order asked for: null outside the chambers whose notes the viewer reads. */
export async function membershipNotesByKeys(
  ctx: ReadContext,
  keys: readonly TenantRowKey[],
): Promise<(MembershipNote | null)[]> {
  const valid = validKeys(keys);
  const rows = valid.length
    ? await ctx.db
        .select({ note: membershipNoteTable, authorName: userTable.displayName })
        .from(membershipNoteTable)
        .innerJoin(userTable, eq(userTable.id, membershipNoteTable.authorId))
        .where(
          and(
            inArray(membershipNoteTable.chamberId, distinct(valid.map((k) => k.chamberId))),
            inChamberSet(membershipNoteTable.chamberId, ctx.permissions.chambersFor("member:read-notes")),
            inArray(membershipNoteTable.id, distinct(valid.map((k) => k.id))),
          ),
        )
    : [];
  const byKey = new Map(rows.map(({ note, authorName }) => [`${note.chamberId}/${note.id}`, { ...note, authorName }]));
  return keys.map((k) => byKey.get(`${k.chamberId}/${k.id}`) ?? null);
}

/** Private notes with their authors' names, newest first; only in chambers whose notes the viewer reads. */
export async function loadMembershipNotes(ctx: ReadContext, keys: readonly MembershipKey[]): Promise<MembershipNote[]> {
  if (keys.length === 0) return [];
  const rows = await ctx.db
    .select({ note: membershipNoteTable, authorName: userTable.displayName })
    .from(membershipNoteTable)
    .innerJoin(userTable, eq(userTable.id, membershipNoteTable.authorId))
    .where(
      and(
        inArray(membershipNoteTable.chamberId, distinct(keys.map((k) => k.chamberId))),
        inChamberSet(membershipNoteTable.chamberId, ctx.permissions.chambersFor("member:read-notes")),
        inArray(membershipNoteTable.membershipId, distinct(keys.map((k) => k.membershipId))),
      ),
    )
    .orderBy(desc(membershipNoteTable.createdAt), desc(membershipNoteTable.id));
  return rows.map((r) => ({ ...r.note, authorName: r.authorName }));
}

/** The annual fees of these (chamber, level) pairs: what a membership owes is priced by them. */
export async function loadAnnualFees(
  ctx: ReadContext,
  keys: readonly { chamberId: string; level: MembershipLevel }[],
): Promise<FeeScheduleRow[]> {
  if (keys.length === 0) return [];
  return ctx.db
    .select()
    .from(feeScheduleTable)
    .where(
      and(
        inArray(feeScheduleTable.chamberId, distinct(keys.map((k) => k.chamberId))),
        inArray(feeScheduleTable.level, distinct(keys.map((k) => k.level))),
      ),
    );
}

/**
 * The fee schedules of these chambers, each by level from PRESIDENT down; null for a chamber whose inside
 * the viewer does not know (`member:list`).
 */
export async function loadFeeSchedules(
  ctx: ReadContext,
  chamberIds: readonly string[],
): Promise<(FeeScheduleRow[] | null)[]> {
  const known = distinct(chamberIds.filter((chamberId) => ctx.permissions.can("member:list", { chamberId })));
  const rows = known.length
    ? await ctx.db.select().from(feeScheduleTable).where(inArray(feeScheduleTable.chamberId, known))
    : [];
  const rank = (l: MembershipLevel) => membershipLevelEnum.enumValues.indexOf(l);
  rows.sort((a, b) => rank(a.level) - rank(b.level));
  return chamberIds.map((id) => (known.includes(id) ? rows.filter((f) => f.chamberId === id) : null));
}
