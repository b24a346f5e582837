// Memberships as GraphQL: the node with its dues and private notes, a merchant's memberships, a chamber's
// member list (filters and orders defined once in core) and fee schedule.
import {
  canSeeMembership,
  duesPaymentMethods,
  duesStatus,
  effectiveMembershipStatus,
  memberListSort,
  memberListWhere,
  parseHometown,
  parseIndustry,
  todayIso,
  type MemberOrderField,
  keysetPage,
} from "@wz/core";
import {
  duesPaymentTable,
  feeScheduleTable,
  membershipLevelEnum,
  membershipNoteTable,
  membershipStatusEnum,
  membershipTable,
  merchantTable,
  userTable,
  type MembershipLevel,
  type MembershipStatus,
} from "@wz/db";
import { and, asc, count, eq, inArray } from "drizzle-orm";
import { builder } from "../builder";
import { ChamberRef } from "../chambers/chamber";
import { connectionType, keysetConnection } from "../common/connections";
import { contextLoader } from "../common/context-loader";
import { groupByKeys, loadRowsByColumn, orderByKeys, validUuids } from "../common/load";
import type { GraphQLContext } from "../context";
import { MerchantRef } from "../directory/merchant";

type MembershipRow = typeof membershipTable.$inferSelect;
type DuesPaymentRow = typeof duesPaymentTable.$inferSelect;
type NoteRow = typeof membershipNoteTable.$inferSelect;
type FeeRow = typeof feeScheduleTable.$inferSelect;

export const MembershipLevelEnum = builder.enumType("MembershipLevel", { values: membershipLevelEnum.enumValues });
export const MembershipStatusEnum = builder.enumType("MembershipStatus", { values: membershipStatusEnum.enumValues });
export const DuesPaymentMethodEnum = builder.enumType("DuesPaymentMethod", { values: duesPaymentMethods });

/** Dues, reasons and dates of a membership: for its chamber's secretaries, federation staff and the member. */
function seesDetails(ctx: GraphQLContext, m: MembershipRow): boolean {
  const v = ctx.viewer;
  return v !== null && (v.isFederationStaff || v.secretaryOf.has(m.chamberId) || v.merchantId === m.merchantId);
}

/** Private notes: the chamber's secretaries only — not federation staff, not the member. */
function seesNotes(ctx: GraphQLContext, m: MembershipRow): boolean {
  return ctx.viewer?.secretaryOf.has(m.chamberId) ?? false;
}

// Tenant rows are keyed by (chamber, membership); loaders take "chamberId/membershipId" keys so each batch
// is one statement that can use the composite indexes.
const tenantKey = (m: MembershipRow) => `${m.chamberId}/${m.id}`;
function splitKeys(keys: readonly string[]) {
  const pairs = keys.map((k) => k.split("/") as [string, string]);
  return { chamberIds: [...new Set(pairs.map((p) => p[0]))], membershipIds: [...new Set(pairs.map((p) => p[1]))] };
}

function duesPayments(ctx: GraphQLContext, m: MembershipRow): Promise<DuesPaymentRow[]> {
  return contextLoader(ctx, "membershipDuesPayments", async (keys) => {
    const { chamberIds, membershipIds } = splitKeys(keys);
    const rows = await ctx.db
      .select()
      .from(duesPaymentTable)
      .where(and(inArray(duesPaymentTable.chamberId, chamberIds), inArray(duesPaymentTable.membershipId, membershipIds)))
      .orderBy(asc(duesPaymentTable.periodStart));
    return groupByKeys(keys, rows, (p) => `${p.chamberId}/${p.membershipId}`);
  }).load(tenantKey(m));
}

function annualFee(ctx: GraphQLContext, chamberId: string, level: MembershipLevel): Promise<FeeRow | null> {
  return contextLoader(ctx, "feeByChamberLevel", async (keys) => {
    const rows = await ctx.db
      .select()
      .from(feeScheduleTable)
      .where(inArray(feeScheduleTable.chamberId, [...new Set(keys.map((k) => k.split("/")[0]!))]));
    return orderByKeys(keys, rows, (f) => `${f.chamberId}/${f.level}`);
  }).load(`${chamberId}/${level}`);
}

export const DuesPaymentRef = builder.objectRef<DuesPaymentRow>("DuesPayment").implement({
  description: "A dues payment: an amount in CNY covering a period.",
  fields: (t) => ({
    amount: t.expose("amount", { type: "Decimal" }),
    periodStart: t.expose("periodStart", { type: "Date" }),
    periodEnd: t.expose("periodEnd", { type: "Date" }),
    method: t.field({ type: DuesPaymentMethodEnum, nullable: true, resolve: (p) => (duesPaymentMethods as readonly string[]).includes(p.method ?? "") ? (p.method as (typeof duesPaymentMethods)[number]) : null }),
    receiptNo: t.exposeString("receiptNo", { nullable: true }),
    paidOn: t.expose("paidOn", { type: "Date" }),
    recordedAt: t.expose("createdAt", { type: "DateTime" }),
  }),
});

const DuesStatusRef = builder.objectRef<ReturnType<typeof duesStatus>>("DuesStatus").implement({
  description: "Where a membership's dues stand today.",
  fields: (t) => ({
    paidThrough: t.expose("paidThrough", { type: "Date", nullable: true, description: "End of the latest period paid for." }),
    expiresOn: t.expose("expiresOn", { type: "Date", nullable: true }),
    annualFee: t.expose("annualFee", { type: "Decimal", nullable: true, description: "The chamber's fee for the membership's level." }),
    yearsOverdue: t.exposeInt("yearsOverdue", { description: "Membership years begun since the expiry date and not paid." }),
    amountOwed: t.expose("amountOwed", { type: "Decimal", nullable: true, description: "yearsOverdue × annualFee; null when the chamber set no fee for the level." }),
  }),
});

export const MembershipNoteRef = builder.objectRef<NoteRow>("MembershipNote").implement({
  description: "A private note of the chamber's secretariat on a membership.",
  fields: (t) => ({
    body: t.exposeString("body"),
    createdAt: t.expose("createdAt", { type: "DateTime" }),
    authorName: t.string({
      resolve: async (note, _a, ctx) =>
        (
          await contextLoader(ctx, "noteAuthorName", async (ids) =>
            orderByKeys(ids, await loadRowsByColumn(ctx.db, userTable, userTable.id, ids), (u) => u.id).map((u) => u?.displayName ?? ""),
          ).load(note.authorId)
        ) as string,
    }),
  }),
});

export const MembershipRef = builder.loadableNode("Membership", {
  description: "A merchant's membership of one chamber.",
  id: { resolve: (m: MembershipRow) => m.id },
  load: async (ids: string[], ctx) => {
    const today = todayIso();
    const rows = await loadRowsByColumn(ctx.db, membershipTable, membershipTable.id, validUuids(ids));
    return orderByKeys(
      ids,
      rows.filter((m) => canSeeMembership(ctx.viewer, m, today)),
      (m) => m.id,
    );
  },
  sort: (m) => m.id,
  fields: (t) => ({
    level: t.expose("level", { type: MembershipLevelEnum }),
    status: t.field({
      type: MembershipStatusEnum,
      description: "ACTIVE turns LAPSED as soon as the expiry date has passed unpaid.",
      resolve: (m) => effectiveMembershipStatus(m, todayIso()),
    }),
    joinedOn: t.expose("joinedOn", { type: "Date", nullable: true }),
    expiresOn: t.expose("expiresOn", { type: "Date", nullable: true }),
    chamber: t.field({ type: ChamberRef, resolve: (m) => m.chamberId }),
    merchant: t.field({ type: MerchantRef, resolve: (m) => m.merchantId }),
    appliedAt: t.field({ type: "DateTime", nullable: true, resolve: (m, _a, ctx) => (seesDetails(ctx, m) ? m.appliedAt : null) }),
    statusReason: t.string({
      nullable: true,
      description: "Why it was rejected, suspended or ended. Null unless the viewer is the member, a secretary of the chamber or federation staff.",
      resolve: (m, _a, ctx) => (seesDetails(ctx, m) ? m.statusReason : null),
    }),
    duesStatus: t.field({
      type: DuesStatusRef,
      nullable: true,
      description: "Null unless the viewer is the member, a secretary of the chamber or federation staff.",
      resolve: async (m, _a, ctx) => {
        if (!seesDetails(ctx, m)) return null;
        const [payments, fee] = await Promise.all([duesPayments(ctx, m), annualFee(ctx, m.chamberId, m.level)]);
        const paidThrough = payments.reduce<string | null>((max, p) => (max === null || p.periodEnd > max ? p.periodEnd : max), null);
        return duesStatus(m, paidThrough, fee?.annualFee ?? null, todayIso());
      },
    }),
    duesPayments: t.field({
      type: [DuesPaymentRef],
      nullable: true,
      description: "Payments by period. Null unless the viewer is the member, a secretary of the chamber or federation staff.",
      resolve: (m, _a, ctx) => (seesDetails(ctx, m) ? duesPayments(ctx, m) : null),
    }),
    notes: t.field({
      type: [MembershipNoteRef],
      nullable: true,
      description: "The secretariat's private notes, newest first. Null for everyone but the chamber's secretaries.",
      resolve: (m, _a, ctx) => {
        if (!seesNotes(ctx, m)) return null;
        return contextLoader(ctx, "membershipNotes", async (keys) => {
          const { chamberIds, membershipIds } = splitKeys(keys);
          const rows = await ctx.db
            .select()
            .from(membershipNoteTable)
            .where(and(inArray(membershipNoteTable.chamberId, chamberIds), inArray(membershipNoteTable.membershipId, membershipIds)));
          rows.sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || b.id.localeCompare(a.id));
          return groupByKeys(keys, rows, (n) => `${n.chamberId}/${n.membershipId}`);
        }).load(tenantKey(m));
      },
    }),
  }),
});

builder.objectFields(MerchantRef, (t) => ({
  memberships: t.loadableList({
    type: MembershipRef,
    description: "The memberships of this merchant that the viewer may see.",
    load: async (merchantIds: string[], ctx) => {
      const today = todayIso();
      const rows = await loadRowsByColumn(ctx.db, membershipTable, membershipTable.merchantId, merchantIds);
      return groupByKeys(
        merchantIds,
        rows.filter((m) => canSeeMembership(ctx.viewer, m, today)),
        (m) => m.merchantId,
      );
    },
    resolve: (m) => m.id,
  }),
}));

const MembershipConnection = connectionType(MembershipRef, "Membership");

export const MemberFilter = builder.inputType("MemberFilter", {
  fields: (t) => ({
    status: t.field({ type: [MembershipStatusEnum], description: "Statuses as they read today (LAPSED included)." }),
    levels: t.field({ type: [MembershipLevelEnum] }),
    hometownDistricts: t.stringList({ description: "Wenzhou districts by code or Chinese name (330381 or 瑞安市)." }),
    industries: t.stringList({ description: "GB/T 4754 sections: members with a company in one of them." }),
    expiresBefore: t.field({ type: "Date", description: "Memberships whose expiry date is before this date." }),
    query: t.string({ description: "Searches names: Chinese, Latin, full pinyin or pinyin initials." }),
  }),
});

export const MemberOrderFieldEnum = builder.enumType("MemberOrderField", { values: ["NAME", "JOINED_ON", "EXPIRES_ON"] as const });
export const MemberOrder = builder.inputType("MemberOrder", {
  fields: (t) => ({
    field: t.field({ type: MemberOrderFieldEnum, required: true }),
    descending: t.boolean({ defaultValue: false }),
  }),
});

type MemberFilterArg = typeof MemberFilter.$inferInput;
type MemberOrderArg = typeof MemberOrder.$inferInput;

/** The GraphQL filter as core's, with hometowns and industries accepted by name as well as by code. */
export function toCoreFilter(filter: MemberFilterArg | null | undefined) {
  if (!filter) return null;
  const normalise = (values: readonly string[] | null | undefined, parse: (v: string) => { ok: true; value: string } | { ok: false }) =>
    values?.map((v) => {
      const parsed = parse(v);
      return parsed.ok ? parsed.value : v;
    });
  return {
    status: filter.status as MembershipStatus[] | null | undefined,
    levels: filter.levels as MembershipLevel[] | null | undefined,
    hometownDistricts: normalise(filter.hometownDistricts, parseHometown),
    industries: normalise(filter.industries, parseIndustry),
    expiresBefore: filter.expiresBefore,
    query: filter.query,
  };
}

export function toCoreOrder(order: MemberOrderArg | null | undefined) {
  return order ? { field: order.field as MemberOrderField, descending: order.descending ?? false } : null;
}

builder.objectFields(ChamberRef, (t) => ({
  members: t.connection(
    {
      type: MembershipRef,
      description:
        "The chamber's memberships (by name unless ordered otherwise). Secretaries and federation staff see all; active members see active members.",
      args: { filter: t.arg({ type: MemberFilter }), orderBy: t.arg({ type: MemberOrder }) },
      resolve: (chamber, args, ctx) => {
        const viewer = ctx.permissions.assertPerformAction("member:list", { chamberId: chamber.id });
        const filter = memberListWhere(viewer, chamber.id, toCoreFilter(args.filter), todayIso());
        const order = toCoreOrder(args.orderBy) ?? { field: "NAME" as const, descending: false };
        const sort = memberListSort(order.field);
        return keysetConnection(args, {
          toKey: (row: MembershipRow & { sortKey: string }) => [row.sortKey, row.id],
          page: async (page) => {
            const { where, orderBy } = keysetPage(page, sort, membershipTable.id, order.descending);
            const rows = await ctx.db
              .select({ membership: membershipTable, sortKey: sort })
              .from(membershipTable)
              .innerJoin(merchantTable, eq(merchantTable.id, membershipTable.merchantId))
              .where(and(filter, where))
              .orderBy(...orderBy)
              .limit(page.limit);
            return rows.map((r) => ({ ...r.membership, sortKey: r.sortKey }));
          },
          count: async () =>
            (
              await ctx.db
                .select({ n: count() })
                .from(membershipTable)
                .innerJoin(merchantTable, eq(merchantTable.id, membershipTable.merchantId))
                .where(filter)
            )[0]?.n ?? 0,
        });
      },
    },
    MembershipConnection,
  ),
}));

export const FeeScheduleEntryRef = builder.objectRef<FeeRow>("FeeScheduleEntry").implement({
  fields: (t) => ({
    level: t.expose("level", { type: MembershipLevelEnum }),
    annualFee: t.expose("annualFee", { type: "Decimal" }),
  }),
});

builder.objectFields(ChamberRef, (t) => ({
  feeSchedule: t.field({
    type: [FeeScheduleEntryRef],
    nullable: true,
    description: "Annual dues per level. Null unless the viewer belongs to the chamber or is federation staff.",
    resolve: async (chamber, _a, ctx) => {
      if (!ctx.permissions.can("member:list", { chamberId: chamber.id })) return null;
      const rows = await contextLoader(ctx, "chamberFeeSchedule", async (ids) =>
        groupByKeys(ids, await loadRowsByColumn(ctx.db, feeScheduleTable, feeScheduleTable.chamberId, ids), (f) => f.chamberId),
      ).load(chamber.id);
      const rank = (l: MembershipLevel) => membershipLevelEnum.enumValues.indexOf(l);
      return [...rows].sort((a, b) => rank(a.level) - rank(b.level));
    },
  }),
}));
