// Possible duplicates (a secretary within their chamber, federation staff everywhere) and a merge that loses
// nothing: memberships (with a conflict resolved), dues, companies, leads, responses, accounts, the old ID.
import { creditCodeCheckChar } from "@wz/core";
import {
  auditLogTable,
  companyTable,
  duesPaymentTable,
  leadResponseTable,
  leadTable,
  membershipTable,
  merchantSearchGramTable,
  merchantTable,
  userTable,
} from "@wz/db";
import { createTestApi, globalId, seed, type TestApi } from "@wz/testkit";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

let api: TestApi;
const CODE = `91330300MA2AB1C2D${creditCodeCheckChar("91330300MA2AB1C2D")}`;
const DUPES = `query ($chamberId: ID, $first: Int, $after: String) { possibleDuplicates(chamberId: $chamberId, first:
  $first, after: $after) {
  totalCount edges { node { merchants { id name } reasons } } pageInfo { hasNextPage endCursor } } }`;

type Pair = { merchants: { id: string; name: string }[]; reasons: string[] };
const pairsOf = (data: { possibleDuplicates: { edges: { node: Pair }[] } }) =>
  data.possibleDuplicates.edges.map((e) => ({
    ids: e.node.merchants.map((m) => m.id).sort(),
    reasons: e.node.reasons,
  }));
const pairKey = (x: string, y: string) => [globalId("Merchant", x), globalId("Merchant", y)].sort();

beforeAll(async () => {
  api = await createTestApi();
});
afterAll(() => api.close());

describe("possibleDuplicates", () => {
  it(
    "finds same mobile, email, credit code, and name + hometown + company, with reasons, within the scope " + "asked",
    async () => {
      const s = seed(api.db.db);
      const a = await s.chamber();
      const b = await s.chamber();
      const m1 = await a.member({
        name: "陈一新",
        mobile: "13900001111",
        hometownDistrict: "330302",
        companies: [{ name: "一新鞋业", creditCode: CODE }],
      });
      const m2 = await a.member({
        name: "陈一新",
        mobile: "13900001111",
        hometownDistrict: "330302",
        companies: [{ name: "一新鞋业" }],
      });
      const m3 = await a.member({ name: "林甲", email: "same@example.com" });
      const m4 = await a.member({ name: "林乙", email: "SAME@example.com" });
      const m5 = await a.member({ name: "王丙", companies: [{ name: "丙公司", creditCode: CODE }] });
      const m6 = await b.member({ name: "王丁", mobile: "13900001111" });
      // another hometown: not a duplicate
      await a.member({ name: "陈一新", hometownDistrict: "330381", companies: [{ name: "一新鞋业" }] });

      const secretary = await a.secretary();
      const own = pairsOf(await api.data(DUPES, { chamberId: globalId("Chamber", a.id) }, secretary.token));
      expect(own).toEqual(
        expect.arrayContaining([
          { ids: pairKey(m1.merchantId, m2.merchantId), reasons: ["SAME_MOBILE", "SAME_NAME_HOMETOWN_COMPANY"] },
          { ids: pairKey(m3.merchantId, m4.merchantId), reasons: ["SAME_EMAIL"] },
          { ids: pairKey(m1.merchantId, m5.merchantId), reasons: ["SAME_CREDIT_CODE"] },
        ]),
      );
      expect(own).toHaveLength(3); // m6 is in another chamber: not the secretary's to see

      const staff = await s.federationStaff();
      const all = pairsOf(await api.data(DUPES, {}, staff.token));
      expect(all).toEqual(
        expect.arrayContaining([{ ids: pairKey(m1.merchantId, m6.merchantId), reasons: ["SAME_MOBILE"] }, ...own]),
      );
      expect(all).toHaveLength(5);

      // Paging forward one pair at a time meets each pair once.
      const seen: string[] = [];
      let after: string | null = null;
      for (let i = 0; i < 10; i++) {
        const page: {
          possibleDuplicates: {
            totalCount: number;
            edges: { node: Pair }[];
            pageInfo: { hasNextPage: boolean; endCursor: string };
          };
        } = await api.data(DUPES, { first: 2, after }, staff.token);
        expect(page.possibleDuplicates.totalCount).toBe(5);
        seen.push(...pairsOf(page).map((p) => p.ids.join()));
        if (!page.possibleDuplicates.pageInfo.hasNextPage) break;
        after = page.possibleDuplicates.pageInfo.endCursor;
      }
      expect(new Set(seen).size).toBe(5);
      expect(seen).toHaveLength(5);
    },
  );

  it("another chamber's secretary, a member and anonymous may not ask", async () => {
    const s = seed(api.db.db);
    const a = await s.chamber();
    const b = await s.chamber();
    const chamberId = globalId("Chamber", a.id);
    for (const [token, code] of [
      [(await b.secretary()).token, "FORBIDDEN"],
      [(await a.member()).user.token, "FORBIDDEN"],
      [null, "UNAUTHENTICATED"],
    ] as const) {
      const result = await api.gql(DUPES, { chamberId }, token);
      expect(result.errors?.[0]?.extensions?.code).toBe(code);
    }
    // A secretary must name their chamber: the whole federation is for federation staff.
    const noChamber = await api.gql(DUPES, {}, (await a.secretary()).token);
    expect(noChamber.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    // Asking about a chamber that does not exist reads exactly like asking about another's.
    const missing = await api.gql(
      DUPES,
      { chamberId: globalId("Chamber", "00000000-0000-4000-8000-000000000000") },
      (await b.secretary()).token,
    );
    expect(missing.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
  });
});

const MERGE = `mutation ($input: MergeMerchantsInput!) { mergeMerchants(input: $input) {
  merchant { id name mobile wechat tags companies { name } }
  membershipConflicts { chamber { id } removedStatus removedLevel }
  userErrors { field message code } } }`;

describe("mergeMerchants", () => {
  it(
    "keeps every membership, dues payment, company, lead, response and account; the old ID resolves to the " +
      "survivor",
    async () => {
      const s = seed(api.db.db);
      const a = await s.chamber();
      const c = await s.chamber();
      const survivor = await a.member({
        name: "陈合并",
        mobile: "13900002222",
        wechat: null,
        tags: ["NEW_GENERATION"],
        companies: [{ name: "甲公司" }],
      });
      const loser = await a.member({
        name: "陈合并",
        mobile: "13900002222",
        wechat: "chen_merge",
        tags: ["LEADING_GOOSE"],
        level: "VICE_PRESIDENT",
        companies: [{ name: "乙公司" }],
      });
      const loserInC = await c.addMembership(loser.merchantId);
      const db = api.db.db;
      await db.insert(duesPaymentTable).values({
        chamberId: a.id,
        membershipId: survivor.membershipId,
        amount: "1000.00",
        periodStart: "2015-01-01",
        periodEnd: "2015-12-31",
        paidOn: "2015-01-05",
      });
      await db.insert(duesPaymentTable).values({
        chamberId: a.id,
        membershipId: loser.membershipId,
        amount: "5000.00",
        periodStart: "2016-01-01",
        periodEnd: "2016-12-31",
        paidOn: "2016-01-05",
      });
      const [lead] = await db
        .insert(leadTable)
        .values({
          chamberId: a.id,
          postedByMerchantId: loser.merchantId,
          postedByUserId: loser.user.id,
          kind: "SUPPLY",
          title: "鞋材",
          description: "供应鞋材",
          visibility: "CHAMBER",
        })
        .returning();
      const other = await a.member({ name: "回应者" });
      const [otherLead] = await db
        .insert(leadTable)
        .values({
          chamberId: a.id,
          postedByMerchantId: other.merchantId,
          postedByUserId: other.user.id,
          kind: "DEMAND",
          title: "求购",
          description: "求购阀门",
          visibility: "CHAMBER",
        })
        .returning();
      await db.insert(leadResponseTable).values([
        {
          chamberId: a.id,
          leadId: otherLead!.id,
          kind: "INTEREST",
          message: "有兴趣",
          responderMerchantId: loser.merchantId,
          responderUserId: loser.user.id,
        },
        {
          chamberId: a.id,
          leadId: otherLead!.id,
          kind: "REFERRAL",
          message: "推荐",
          responderMerchantId: other.merchantId,
          responderUserId: other.user.id,
          referredMerchantId: loser.merchantId,
        },
      ]);

      const staff = await s.federationStaff();
      const input = {
        survivorId: globalId("Merchant", survivor.merchantId),
        mergedId: globalId("Merchant", loser.merchantId),
      };
      const { mergeMerchants } = await api.data(MERGE, { input }, staff.token);
      expect(mergeMerchants.userErrors).toEqual([]);
      // Staff see no CHAMBER or PRIVATE contact field, merged or not; the row shows the loser's WeChat was kept.
      expect(mergeMerchants.merchant).toMatchObject({
        id: input.survivorId,
        name: "陈合并",
        mobile: null,
        wechat: null,
      });
      const [kept] = await db.select().from(merchantTable).where(eq(merchantTable.id, survivor.merchantId));
      expect(kept).toMatchObject({
        mobile: "13900002222",
        wechat: "chen_merge",
        wechatVisibility: "PRIVATE",
        mergedIntoId: null,
      });
      expect(mergeMerchants.merchant.tags.sort()).toEqual(["LEADING_GOOSE", "NEW_GENERATION"]);
      expect(mergeMerchants.merchant.companies.map((x: { name: string }) => x.name).sort()).toEqual([
        "乙公司",
        "甲公司",
      ]);
      // Both were members of chamber A: the vice-president's membership is kept, the plain one folded into it.
      expect(mergeMerchants.membershipConflicts).toEqual([
        { chamber: { id: globalId("Chamber", a.id) }, removedStatus: "ACTIVE", removedLevel: "MEMBER" },
      ]);

      const memberships = await db
        .select()
        .from(membershipTable)
        .where(eq(membershipTable.merchantId, survivor.merchantId));
      expect(memberships.map((m) => [m.chamberId, m.id, m.level]).sort()).toEqual(
        [
          [a.id, loser.membershipId, "VICE_PRESIDENT"],
          [c.id, loserInC, "MEMBER"],
        ].sort(),
      );
      const dues = await db.select().from(duesPaymentTable).where(eq(duesPaymentTable.chamberId, a.id));
      expect(dues.map((d) => [d.membershipId, d.amount]).sort()).toEqual([
        [loser.membershipId, "1000.00"],
        [loser.membershipId, "5000.00"],
      ]);
      expect((await db.select().from(leadTable).where(eq(leadTable.id, lead!.id)))[0]!.postedByMerchantId).toBe(
        survivor.merchantId,
      );
      const responses = await db.select().from(leadResponseTable).where(eq(leadResponseTable.leadId, otherLead!.id));
      expect(responses.map((r) => (r.kind === "INTEREST" ? r.responderMerchantId : r.referredMerchantId))).toEqual([
        survivor.merchantId,
        survivor.merchantId,
      ]);
      expect((await db.select().from(userTable).where(eq(userTable.id, loser.user.id)))[0]!.merchantId).toBe(
        survivor.merchantId,
      );
      expect(await db.select().from(companyTable).where(eq(companyTable.merchantId, loser.merchantId))).toEqual([]);
      expect(
        await db.select().from(merchantSearchGramTable).where(eq(merchantSearchGramTable.merchantId, loser.merchantId)),
      ).toEqual([]);

      // The old ID resolves to the survivor; search finds the person once.
      const old = await api.data(`query ($id: ID!) { node(id: $id) { id ... on Merchant { name } } }`, {
        id: input.mergedId,
      });
      expect(old.node).toEqual({ id: input.survivorId, name: "陈合并" });
      const found = await api.data(`{ merchants(query: "陈合并") { totalCount } }`);
      expect(found.merchants.totalCount).toBe(1);

      const audit = await db.select().from(auditLogTable).where(eq(auditLogTable.action, "merchant:merge"));
      expect(audit).toHaveLength(1);
      expect(audit[0]).toMatchObject({ entityId: survivor.merchantId, actorUserId: staff.id });
      expect(await db.select().from(auditLogTable).where(eq(auditLogTable.action, "membership:merge"))).toHaveLength(1);

      // Merging the merged profile again is NOT_FOUND, and nothing changes.
      const again = await api.data(MERGE, { input }, staff.token);
      expect(again.mergeMerchants.userErrors).toEqual([
        { field: ["input", "mergedId"], message: "No such merchant (or it was merged already).", code: "NOT_FOUND" },
      ]);
    },
  );

  it("only federation staff merge; bad ids and self-merges are userErrors", async () => {
    const s = seed(api.db.db);
    const a = await s.chamber();
    const x = await a.member();
    const y = await a.member();
    const input = { survivorId: globalId("Merchant", x.merchantId), mergedId: globalId("Merchant", y.merchantId) };
    for (const token of [(await a.secretary()).token, x.user.token]) {
      const result = await api.gql(MERGE, { input }, token);
      expect(result.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    }
    expect((await api.gql(MERGE, { input })).errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
    const staff = await s.federationStaff();
    const self = await api.data(MERGE, { input: { ...input, mergedId: input.survivorId } }, staff.token);
    expect(self.mergeMerchants.userErrors).toEqual([
      { field: ["input", "mergedId"], message: "A profile cannot be merged into itself.", code: "INVALID" },
    ]);
    const missing = await api.data(
      MERGE,
      { input: { ...input, mergedId: globalId("Merchant", "00000000-0000-4000-8000-000000000000") } },
      staff.token,
    );
    expect(missing.mergeMerchants.userErrors[0].code).toBe("NOT_FOUND");
    const y2 = await api.data(`query ($id: ID!) { node(id: $id) { id } }`, { id: input.mergedId });
    expect(y2.node.id).toBe(input.mergedId);
  });
});
