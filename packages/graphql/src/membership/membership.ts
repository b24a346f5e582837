// Memberships as GraphQL: the node with its dues and private notes, a merchant's memberships, a chamber's
// member list (filters and orders defined once in core) and fee schedule. Every read is a core function.
import {
  awaitingConsent,
  canReadMembershipDetails,
  canReadMembershipNotes,
  duesPaymentMethods,
  duesPaymentsByKeys,
  duesStatus,
  effectiveMembershipStatus,
  type ListedMembership,
  listChamberMemberPages,
  loadAnnualFees,
  loadDuesPayments,
  loadFeeSchedules,
  loadMembershipNotes,
  loadMemberships,
  loadMerchantMemberships,
  type MemberOrderField,
  type MembershipNote,
  membershipNotesByKeys,
  parseHometown,
  parseIndustry,
  todayIso,
} from "@wz/core";
import {
  type DuesPaymentRow,
  type FeeScheduleRow,
  type MembershipLevel,
  type MembershipRow,
  type MembershipStatus,
  membershipLevelEnum,
  membershipStatusEnum,
} from "@wz/db";
import { builder } from "../builder";
import { ChamberRef } from "../chambers/chamber";
import { connectionType, nestedConnection } from "../common/connections";
import { contextLoader } from "../common/context-loader";
import { describedValues } from "../common/enum-values";
import { groupByKeys, orderByKeys } from "../common/load";
import { splitTenantNodeKey, tenantNodeKey } from "../common/node-keys";
import type { GraphQLContext } from "../context";
import { MerchantRef } from "../directory/merchant";
import { ViewerRef } from "../viewer/viewer";

export const MembershipLevelEnum = builder.enumType("MembershipLevel", {
  description: "A member's level in a chamber (会员级别), highest first; each level has its own annual dues.",
  values: describedValues(membershipLevelEnum.enumValues, {
    PRESIDENT: "会长 (president).",
    EXECUTIVE_VICE_PRESIDENT: "常务副会长 (executive vice-president).",
    VICE_PRESIDENT: "副会长 (vice-president).",
    STANDING_DIRECTOR: "常务理事 (standing director).",
    DIRECTOR: "理事 (director).",
    MEMBER: "会员 (member).",
  }),
});
export const MembershipStatusEnum = builder.enumType("MembershipStatus", {
  description:
    "Where a membership stands (会籍状态): APPLIED → ACTIVE | REJECTED; ACTIVE → LAPSED → ACTIVE on renewal; " +
    "SUSPENDED; LEFT.",
  values: describedValues(membershipStatusEnum.enumValues, {
    APPLIED: "Applied (申请中): waiting for the chamber's secretary, or for the merchant (awaitingConsent).",
    ACTIVE: "A member in good standing (有效).",
    REJECTED: "The application was rejected, or the merchant declined the chamber's proposal (已拒绝).",
    LAPSED: "Expired (已过期): the expiry date passed with dues unpaid; recording dues renews it.",
    SUSPENDED: "Suspended by the secretary (暂停), with a reason; may be reinstated.",
    LEFT: "No longer a member (已退会).",
  }),
});
export const DuesPaymentMethodEnum = builder.enumType("DuesPaymentMethod", {
  description: "How dues were paid.",
  values: describedValues(duesPaymentMethods, {
    BANK_TRANSFER: "Bank transfer (银行转账).",
    WECHAT_PAY: "WeChat Pay (微信支付).",
    ALIPAY: "Alipay (支付宝).",
    CASH: "Cash (现金).",
    CHEQUE: "Cheque (支票).",
    OTHER: "Another way (其他).",
  }),
});

// Tenant rows are keyed by (chamber, membership); loaders take "chamberId/membershipId" keys so each batch
// is one statement that can use the composite indexes.
const tenantKey = (m: { chamberId: string; id: string }) => `${m.chamberId}/${m.id}`;
const rowKey = (row: { chamberId: string; membershipId: string }) => `${row.chamberId}/${row.membershipId}`;
function membershipKeys(keys: readonly string[]) {
  return keys.map((k) => {
    const [chamberId, membershipId] = k.split("/") as [string, string];
    return { chamberId, membershipId };
  });
}

function duesPayments(ctx: GraphQLContext, m: MembershipRow): Promise<DuesPaymentRow[]> {
  return contextLoader(ctx, "membershipDuesPayments", async (keys) =>
    groupByKeys(keys, await loadDuesPayments(ctx, membershipKeys(keys)), rowKey),
  ).load(tenantKey(m));
}

function annualFee(ctx: GraphQLContext, chamberId: string, level: MembershipLevel): Promise<FeeScheduleRow | null> {
  return contextLoader(ctx, "feeByChamberLevel", async (keys) => {
    const pairs = keys.map((k) => {
      const [chamberId, level] = k.split("/") as [string, MembershipLevel];
      return { chamberId, level };
    });
    return orderByKeys(keys, await loadAnnualFees(ctx, pairs), (f) => `${f.chamberId}/${f.level}`);
  }).load(`${chamberId}/${level}`);
}

/** "<chamberId>/<id>" node keys as core's tenant row keys; a key that does not split matches nothing. */
const tenantRowKeys = (ids: readonly string[]) =>
  ids.map((id) => {
    const key = splitTenantNodeKey(id);
    return key ? { chamberId: key.chamberId, id: key.rest } : { chamberId: "", id: "" };
  });

export const DuesPaymentRef = builder.loadableNode("DuesPayment", {
  description:
    "A dues payment (会费缴纳): an amount in CNY covering a period. Its member, the chamber's secretaries and " +
    "federation staff can load it; for anyone else its id reads as missing.",
  id: { resolve: (payment: DuesPaymentRow) => tenantNodeKey(payment, payment.id) },
  load: (ids: string[], ctx) => duesPaymentsByKeys(ctx, tenantRowKeys(ids)),
  fields: (t) => ({
    amount: t.expose("amount", { type: "Decimal", description: "The amount paid, CNY." }),
    periodStart: t.expose("periodStart", { type: "Date", description: "First day of the period it covers." }),
    periodEnd: t.expose("periodEnd", { type: "Date", description: "Last day of the period it covers." }),
    method: t.field({
      type: DuesPaymentMethodEnum,
      nullable: true,
      description: "How it was paid; null when not recorded.",
      resolve: (p) =>
        (duesPaymentMethods as readonly string[]).includes(p.method ?? "")
          ? (p.method as (typeof duesPaymentMethods)[number])
          : null,
    }),
    receiptNo: t.exposeString("receiptNo", {
      nullable: true,
      description: "The chamber's receipt number (收据号), unique within the chamber.",
    }),
    paidOn: t.expose("paidOn", { type: "Date", description: "When it was paid." }),
    recordedAt: t.expose("createdAt", { type: "DateTime", description: "When it was recorded here." }),
  }),
});

const DuesStatusRef = builder.objectRef<ReturnType<typeof duesStatus>>("DuesStatus").implement({
  description: "Where a membership's dues stand today.",
  fields: (t) => ({
    paidThrough: t.expose("paidThrough", {
      type: "Date",
      nullable: true,
      description: "End of the latest period paid for.",
    }),
    expiresOn: t.expose("expiresOn", {
      type: "Date",
      nullable: true,
      description: "The membership's expiry date (到期日).",
    }),
    annualFee: t.expose("annualFee", {
      type: "Decimal",
      nullable: true,
      description: "The chamber's fee for the membership's level.",
    }),
    yearsOverdue: t.exposeInt("yearsOverdue", {
      description: "Membership years begun since the expiry date and not paid.",
    }),
    amountOwed: t.expose("amountOwed", {
      type: "Decimal",
      nullable: true,
      description: "yearsOverdue × annualFee; null when the chamber set no fee for the level.",
    }),
  }),
});

export const MembershipNoteRef = builder.loadableNode("MembershipNote", {
  description:
    "A private note of the chamber's secretariat (秘书处备注) on a membership. Only the chamber's secretaries can " +
    "load it; for anyone else its id reads as missing.",
  id: { resolve: (note: MembershipNote) => tenantNodeKey(note, note.id) },
  load: (ids: string[], ctx) => membershipNotesByKeys(ctx, tenantRowKeys(ids)),
  fields: (t) => ({
    body: t.exposeString("body", { description: "The note's text." }),
    createdAt: t.expose("createdAt", { type: "DateTime", description: "When it was written." }),
    authorName: t.exposeString("authorName", { description: "Display name of the secretary who wrote it." }),
  }),
});

export const MembershipRef = builder.loadableNode("Membership", {
  description: "A merchant's membership of one chamber.",
  id: { resolve: (m: MembershipRow) => m.id },
  load: (ids: string[], ctx) => loadMemberships(ctx, ids),
  sort: (m) => m.id,
  fields: (t) => ({
    level: t.expose("level", { type: MembershipLevelEnum, description: "The member's level, e.g. VICE_PRESIDENT." }),
    status: t.field({
      type: MembershipStatusEnum,
      description: "ACTIVE turns LAPSED as soon as the expiry date has passed unpaid.",
      resolve: (m) => effectiveMembershipStatus(m, todayIso()),
    }),
    joinedOn: t.expose("joinedOn", {
      type: "Date",
      nullable: true,
      description: "When they joined (入会日期); null when not recorded, e.g. before approval.",
    }),
    expiresOn: t.expose("expiresOn", {
      type: "Date",
      nullable: true,
      description: "When it expires unless renewed (到期日); dues payments extend it.",
    }),
    awaitingConsent: t.boolean({
      description:
        "The chamber proposed this membership (a secretary applied or imported the merchant) and the merchant has " +
        "not answered yet (answerMembershipProposal). Until they accept it grants the chamber no view of their " +
        "contact fields.",
      resolve: (m) => awaitingConsent(m),
    }),
    chamber: t.field({ type: ChamberRef, description: "The chamber.", resolve: (m) => m.chamberId }),
    merchant: t.field({ type: MerchantRef, description: "The member's profile.", resolve: (m) => m.merchantId }),
    appliedAt: t.field({
      type: "DateTime",
      nullable: true,
      description:
        "When the application (or proposal) was made. Null unless the viewer is the member, a secretary of the " +
        "chamber or federation staff.",
      resolve: (m, _a, ctx) => (canReadMembershipDetails(ctx.permissions, m) ? m.appliedAt : null),
    }),
    statusReason: t.string({
      nullable: true,
      description:
        "Why it was rejected, suspended or ended. Null unless the viewer is the member, a secretary of the chamber " +
        "or federation staff.",
      resolve: (m, _a, ctx) => (canReadMembershipDetails(ctx.permissions, m) ? m.statusReason : null),
    }),
    duesStatus: t.field({
      type: DuesStatusRef,
      nullable: true,
      description: "Null unless the viewer is the member, a secretary of the chamber or federation staff.",
      resolve: async (m, _a, ctx) => {
        if (!canReadMembershipDetails(ctx.permissions, m)) return null;
        const [payments, fee] = await Promise.all([duesPayments(ctx, m), annualFee(ctx, m.chamberId, m.level)]);
        const paidThrough = payments.reduce<string | null>(
          (max, p) => (max === null || p.periodEnd > max ? p.periodEnd : max),
          null,
        );
        return duesStatus(m, paidThrough, fee?.annualFee ?? null, todayIso());
      },
    }),
    duesPayments: t.field({
      type: [DuesPaymentRef],
      nullable: true,
      description:
        "Payments by period. Null unless the viewer is the member, a secretary of the chamber or federation staff.",
      resolve: (m, _a, ctx) => (canReadMembershipDetails(ctx.permissions, m) ? duesPayments(ctx, m) : null),
    }),
    notes: t.field({
      type: [MembershipNoteRef],
      nullable: true,
      description: "The secretariat's private notes, newest first. Null for everyone but the chamber's secretaries.",
      resolve: (m, _a, ctx) => {
        if (!canReadMembershipNotes(ctx.permissions, m)) return null;
        return contextLoader(ctx, "membershipNotes", async (keys) =>
          groupByKeys(keys, await loadMembershipNotes(ctx, membershipKeys(keys)), rowKey),
        ).load(tenantKey(m));
      },
    }),
  }),
});

builder.objectFields(MerchantRef, (t) => ({
  memberships: t.field({
    type: [MembershipRef],
    description: "The memberships of this merchant that the viewer may see.",
    resolve: (merchant, _a, ctx) =>
      contextLoader(ctx, "merchantMemberships", async (merchantIds) =>
        groupByKeys(merchantIds, await loadMerchantMemberships(ctx, merchantIds), (m) => m.merchantId),
      ).load(merchant.id),
  }),
}));

builder.objectFields(ViewerRef, (t) => ({
  merchant: t.field({
    type: MerchantRef,
    nullable: true,
    description: "The viewer's own merchant profile (the directory entry their account speaks for), if any.",
    resolve: (v) => v.merchantId,
  }),
  membershipProposals: t.field({
    type: [MembershipRef],
    description:
      "Chambers' proposals waiting for the viewer's answer: a secretary applied or imported them as a member. " +
      "Answer each with answerMembershipProposal.",
    resolve: async (v, _a, ctx) =>
      v.merchantId ? (await loadMerchantMemberships(ctx, [v.merchantId])).filter((m) => awaitingConsent(m)) : [],
  }),
}));

const MembershipConnection = connectionType(MembershipRef, "Membership");

export const MemberFilter = builder.inputType("MemberFilter", {
  description: "Narrows a chamber's member list; every field given must match.",
  fields: (t) => ({
    status: t.field({ type: [MembershipStatusEnum], description: "Statuses as they read today (LAPSED included)." }),
    levels: t.field({ type: [MembershipLevelEnum], description: "Members at any of these levels." }),
    hometownDistricts: t.stringList({ description: "Wenzhou districts by code or Chinese name (330381 or 瑞安市)." }),
    industries: t.stringList({ description: "GB/T 4754 sections: members with a company in one of them." }),
    expiresBefore: t.field({ type: "Date", description: "Memberships whose expiry date is before this date." }),
    query: t.string({ description: "Searches names: Chinese, Latin, full pinyin or pinyin initials." }),
  }),
});

export const MemberOrderFieldEnum = builder.enumType("MemberOrderField", {
  description: "What a member list is ordered by.",
  values: {
    NAME: { description: "The merchant's Chinese name, as Chinese readers expect (by pinyin)." },
    JOINED_ON: { description: "The joining date." },
    EXPIRES_ON: { description: "The expiry date." },
  } as const,
});
export const MemberOrder = builder.inputType("MemberOrder", {
  description: "How to order a member list.",
  fields: (t) => ({
    field: t.field({ type: MemberOrderFieldEnum, required: true, description: "The field to order by." }),
    descending: t.boolean({ defaultValue: false, description: "Largest (or latest, or last by name) first." }),
  }),
});

type MemberFilterArg = typeof MemberFilter.$inferInput;
type MemberOrderArg = typeof MemberOrder.$inferInput;

/** The GraphQL filter as core's, with hometowns and industries accepted by name as well as by code. */
export function toCoreFilter(filter: MemberFilterArg | null | undefined) {
  if (!filter) return null;
  const normalise = (
    values: readonly string[] | null | undefined,
    parse: (v: string) => { ok: true; value: string } | { ok: false },
  ) =>
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
        "The chamber's memberships (by name unless ordered otherwise). Secretaries and federation staff see all; " +
        "active members see active members.",
      args: {
        filter: t.arg({ type: MemberFilter, description: "Which memberships; all the viewer may list when absent." }),
        orderBy: t.arg({ type: MemberOrder, description: "The order; by name when absent." }),
      },
      resolve: (chamber, args, ctx, info) => {
        // Refused before the cursors are read, as the list itself would be.
        ctx.permissions.assertPerformAction("member:list", { chamberId: chamber.id });
        const filter = toCoreFilter(args.filter);
        const order = toCoreOrder(args.orderBy);
        return nestedConnection(ctx, info, chamber.id, args, {
          name: "chamberMembers",
          toKey: (row: ListedMembership) => [row.sortKey, row.id],
          pages: (chamberIds, page, withCount) =>
            listChamberMemberPages(ctx, chamberIds, filter, order, page, withCount),
        });
      },
    },
    MembershipConnection,
  ),
}));

export const FeeScheduleEntryRef = builder.objectRef<FeeScheduleRow>("FeeScheduleEntry").implement({
  description: "A chamber's annual dues (年度会费) for one level.",
  fields: (t) => ({
    level: t.expose("level", { type: MembershipLevelEnum, description: "The level." }),
    annualFee: t.expose("annualFee", { type: "Decimal", description: "Dues per membership year, CNY." }),
  }),
});

builder.objectFields(ChamberRef, (t) => ({
  feeSchedule: t.field({
    type: [FeeScheduleEntryRef],
    nullable: true,
    description: "Annual dues per level. Null unless the viewer belongs to the chamber or is federation staff.",
    resolve: (chamber, _a, ctx) =>
      contextLoader(ctx, "chamberFeeSchedule", (chamberIds) => loadFeeSchedules(ctx, chamberIds)).load(chamber.id),
  }),
}));
