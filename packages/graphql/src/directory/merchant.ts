// The shared merchant directory as GraphQL: public profile fields for everyone, contact fields through
// the one visibility rule in core.
import { effectiveMembershipStatus, todayIso, visibleContact, type MerchantMembershipFacts } from "@wz/core";
import { companyTable, membershipTable, merchantTable, visibilityEnum } from "@wz/db";
import { and, arrayOverlaps, count, ilike, inArray, isNull, or, type SQL } from "drizzle-orm";
import { builder } from "../builder";
import { connectionType, keysetConnection, keysetPage } from "../common/connections";
import { contextLoader } from "../common/context-loader";
import { groupByKeys, loadRowsByColumn, validUuids } from "../common/load";
import type { GraphQLContext } from "../context";

type MerchantRow = typeof merchantTable.$inferSelect;
type CompanyRow = typeof companyTable.$inferSelect;

export const FieldVisibilityEnum = builder.enumType("FieldVisibility", { values: visibilityEnum.enumValues });

/** Which chambers a merchant belongs to, for the visibility rule; batched per request. */
export function membershipFacts(ctx: GraphQLContext, merchantId: string): Promise<MerchantMembershipFacts> {
  return contextLoader(ctx, "merchantMembershipFacts", async (ids) => {
    const rows = await ctx.db
      .select({ merchantId: membershipTable.merchantId, chamberId: membershipTable.chamberId, status: membershipTable.status, expiresOn: membershipTable.expiresOn })
      .from(membershipTable)
      .where(inArray(membershipTable.merchantId, [...ids]));
    const today = todayIso();
    return groupByKeys(ids, rows, (r) => r.merchantId).map((list) => ({
      activeChamberIds: list.filter((m) => effectiveMembershipStatus(m, today) === "ACTIVE").map((m) => m.chamberId),
      secretariatChamberIds: list.filter((m) => m.status !== "REJECTED" && m.status !== "LEFT").map((m) => m.chamberId),
    }));
  }).load(merchantId);
}

async function contact(ctx: GraphQLContext, merchant: MerchantRow) {
  return visibleContact(ctx.viewer, merchant, await membershipFacts(ctx, merchant.id));
}

export const MerchantRef = builder.loadableNode("Merchant", {
  description: "A Wenzhou merchant's one profile across the federation. Contact fields the viewer may not see are null.",
  id: { resolve: (m: MerchantRow) => m.id },
  load: async (ids: string[], ctx) => {
    const rows = await loadRowsByColumn(ctx.db, merchantTable, merchantTable.id, validUuids(ids));
    // A merged profile's old ID resolves to the profile it was merged into.
    const survivorIds = rows.filter((r) => r.mergedIntoId).map((r) => r.mergedIntoId!);
    const survivors = survivorIds.length ? await loadRowsByColumn(ctx.db, merchantTable, merchantTable.id, survivorIds) : [];
    const byId = new Map([...rows, ...survivors].map((r) => [r.id, r]));
    return ids.map((id) => {
      let row = byId.get(id);
      for (let hops = 0; row?.mergedIntoId && hops < 5; hops++) row = byId.get(row.mergedIntoId);
      return row && !row.mergedIntoId ? row : null;
    });
  },
  sort: (m) => m.id,
  fields: (t) => ({
    name: t.exposeString("name", { description: "Chinese name." }),
    nameLatin: t.exposeString("nameLatin", { nullable: true }),
    hometownDistrict: t.exposeString("hometownDistrict", { nullable: true, description: "Wenzhou district code (籍贯)." }),
    provinceCode: t.exposeString("provinceCode", { nullable: true }),
    city: t.exposeString("city", { nullable: true }),
    countryCode: t.exposeString("countryCode"),
    tags: t.exposeStringList("tags"),
    mobile: t.string({ nullable: true, resolve: async (m, _a, ctx) => (await contact(ctx, m)).mobile }),
    email: t.string({ nullable: true, resolve: async (m, _a, ctx) => (await contact(ctx, m)).email }),
    wechat: t.string({ nullable: true, resolve: async (m, _a, ctx) => (await contact(ctx, m)).wechat }),
  }),
});

export const CompanyRef = builder.objectRef<CompanyRow>("Company").implement({
  fields: (t) => ({
    name: t.exposeString("name"),
    industry: t.exposeString("industry", { nullable: true, description: "GB/T 4754 section code." }),
    role: t.exposeString("role", { nullable: true }),
    size: t.exposeString("size", { nullable: true }),
    creditCode: t.exposeString("creditCode", { nullable: true, description: "统一社会信用代码." }),
  }),
});

builder.objectFields(MerchantRef, (t) => ({
  companies: t.loadableList({
    type: CompanyRef,
    load: async (merchantIds: string[], ctx) =>
      groupByKeys(merchantIds, await loadRowsByColumn(ctx.db, companyTable, companyTable.merchantId, merchantIds), (c) => c.merchantId),
    resolve: (m) => m.id,
  }),
}));

const MerchantConnection = connectionType(MerchantRef, "Merchant");

const MerchantFilter = builder.inputType("MerchantFilter", {
  fields: (t) => ({
    provinceCodes: t.stringList(),
    hometownDistricts: t.stringList(),
    tags: t.stringList(),
  }),
});

builder.queryFields((t) => ({
  merchants: t.connection({
    type: MerchantRef,
    description: "The federation's merchant directory. Everyone may list it; contact fields follow each field's visibility.",
    args: { query: t.arg.string(), filter: t.arg({ type: MerchantFilter }) },
    resolve: (_root, args, ctx) => {
      const conditions: (SQL | undefined)[] = [isNull(merchantTable.mergedIntoId)];
      const f = args.filter;
      if (f?.provinceCodes?.length) conditions.push(inArray(merchantTable.provinceCode, f.provinceCodes));
      if (f?.hometownDistricts?.length) conditions.push(inArray(merchantTable.hometownDistrict, f.hometownDistricts));
      if (f?.tags?.length) conditions.push(arrayOverlaps(merchantTable.tags, f.tags));
      const q = args.query?.trim();
      if (q) {
        const pattern = `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
        conditions.push(or(ilike(merchantTable.name, pattern), ilike(merchantTable.nameLatin, pattern), ilike(merchantTable.namePinyin, pattern)));
      }
      const filter = and(...conditions);
      return keysetConnection(args, {
        toKey: (m: MerchantRow) => [m.name, m.id],
        page: (page) => {
          const { where, orderBy } = keysetPage(page, merchantTable.name, merchantTable.id);
          return ctx.db.select().from(merchantTable).where(and(filter, where)).orderBy(...orderBy).limit(page.limit);
        },
        count: async () => (await ctx.db.select({ n: count() }).from(merchantTable).where(filter))[0]?.n ?? 0,
      });
    },
  }, MerchantConnection),
}));

