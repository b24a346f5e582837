// Memberships as GraphQL: the node, a merchant's memberships and a chamber's member list.
import { canSeeMembership, effectiveMembershipStatus, effectiveMembershipStatusSql, todayIso } from "@wz/core";
import { membershipLevelEnum, membershipStatusEnum, membershipTable, merchantTable, type MembershipLevel, type MembershipStatus } from "@wz/db";
import { and, count, eq, inArray, type SQL } from "drizzle-orm";
import { builder } from "../builder";
import { ChamberRef } from "../chambers/chamber";
import { connectionType, keysetConnection, keysetPage } from "../common/connections";
import { groupByKeys, loadRowsByColumn, orderByKeys, validUuids } from "../common/load";
import { MerchantRef } from "../directory/merchant";

type MembershipRow = typeof membershipTable.$inferSelect;

export const MembershipLevelEnum = builder.enumType("MembershipLevel", { values: membershipLevelEnum.enumValues });
export const MembershipStatusEnum = builder.enumType("MembershipStatus", { values: membershipStatusEnum.enumValues });

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

const MemberFilter = builder.inputType("MemberFilter", {
  fields: (t) => ({
    status: t.field({ type: [MembershipStatusEnum] }),
    levels: t.field({ type: [MembershipLevelEnum] }),
  }),
});

builder.objectFields(ChamberRef, (t) => ({
  members: t.connection({
    type: MembershipRef,
    description: "The chamber's memberships, by member name. Secretaries and federation staff see all; active members see active members.",
    args: { filter: t.arg({ type: MemberFilter }) },
    resolve: (chamber, args, ctx) => {
      const viewer = ctx.permissions.assertPerformAction("member:list", { chamberId: chamber.id });
      const today = todayIso();
      const status = effectiveMembershipStatusSql(today);
      const seesAll = viewer.isFederationStaff || viewer.secretaryOf.has(chamber.id);
      const conditions: (SQL | undefined)[] = [eq(membershipTable.chamberId, chamber.id)];
      if (!seesAll) conditions.push(eq(status, "ACTIVE"));
      if (args.filter?.status?.length) conditions.push(inArray(status, args.filter.status as MembershipStatus[]));
      if (args.filter?.levels?.length) conditions.push(inArray(membershipTable.level, args.filter.levels as MembershipLevel[]));
      const filter = and(...conditions);
      return keysetConnection(args, {
        toKey: (row: MembershipRow & { merchantName: string }) => [row.merchantName, row.id],
        page: async (page) => {
          const { where, orderBy } = keysetPage(page, merchantTable.name, membershipTable.id);
          const rows = await ctx.db
            .select({ membership: membershipTable, merchantName: merchantTable.name })
            .from(membershipTable)
            .innerJoin(merchantTable, eq(merchantTable.id, membershipTable.merchantId))
            .where(and(filter, where))
            .orderBy(...orderBy)
            .limit(page.limit);
          return rows.map((r) => ({ ...r.membership, merchantName: r.merchantName }));
        },
        count: async () => (await ctx.db.select({ n: count() }).from(membershipTable).where(filter))[0]?.n ?? 0,
      });
    },
  }, MembershipConnection),
}));
