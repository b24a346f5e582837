// Roll-ups through GraphQL: the same figures at every level (city → provincial → federation), who may read
// them, and a bounded number of statements however many chambers and memberships lie beneath.
import { todayIso } from "@wz/core";
import { type LeadStatus, leadResponseTable, leadTable, membershipTable } from "@wz/db";
import { type ChamberSeed, createTestApi, globalId, type SeededUser, seed, type TestApi } from "@wz/testkit";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

let api: TestApi;
let staff: SeededUser;
let federationId: string;
let jiangsu: ChamberSeed;
let suzhou: ChamberSeed;
let nanjing: ChamberSeed;
let anhui: ChamberSeed;
let poster: { merchantId: string; user: SeededUser };
const today = todayIso();
const year = Number(today.slice(0, 4));

async function lead(
  chamberId: string,
  status: LeadStatus,
  closedValue: string | null,
  closedAt: Date | null,
  createdAt = new Date(),
) {
  const [row] = await api.db.db
    .insert(leadTable)
    .values({
      chamberId,
      postedByMerchantId: poster.merchantId,
      postedByUserId: poster.user.id,
      kind: "BUSINESS_OPPORTUNITY",
      title: "测试商机",
      description: "-",
      visibility: "FEDERATION",
      status,
      closedValue,
      closedAt,
      createdAt,
    })
    .returning();
  return row!;
}

async function referral(l: { chamberId: string; id: string }, responderChamberId: string) {
  await api.db.db.insert(leadResponseTable).values({
    chamberId: l.chamberId,
    leadId: l.id,
    kind: "REFERRAL",
    message: "介绍一位做鞋业的朋友",
    responderMerchantId: poster.merchantId,
    responderUserId: poster.user.id,
    responderChamberId,
    referredMerchantId: poster.merchantId,
  });
}

beforeAll(async () => {
  api = await createTestApi();
  const s = seed(api.db.db);
  federationId = (await s.federation()).id;
  staff = await s.federationStaff();
  jiangsu = await s.chamber({ kind: "PROVINCIAL", provinceCode: "32", name: "江苏省温州商会" });
  suzhou = await s.chamber({ name: "苏州温州商会", provinceCode: "32", city: "苏州", parentId: jiangsu.id });
  nanjing = await s.chamber({ name: "南京温州商会", provinceCode: "32", city: "南京", parentId: jiangsu.id });
  anhui = await s.chamber({ kind: "PROVINCIAL", provinceCode: "34", name: "安徽省温州商会" });

  // Suzhou: a president and two members active, one lapsed (expired unpaid), one applicant; one joined this year.
  poster = await suzhou.member({ level: "PRESIDENT" });
  await suzhou.member({ level: "MEMBER" });
  const joinedThisYear = await suzhou.member({ level: "MEMBER" });
  await api.db.db
    .update(membershipTable)
    .set({ joinedOn: today })
    .where(eq(membershipTable.id, joinedThisYear.membershipId));
  await suzhou.member({ level: "DIRECTOR", expiresOn: "2015-06-30" });
  await suzhou.member({ status: "APPLIED", expiresOn: null });
  // Nanjing: one vice-president. Jiangsu itself: one director. Anhui: two members.
  await nanjing.member({ level: "VICE_PRESIDENT" });
  await jiangsu.member({ level: "DIRECTOR" });
  await anhui.member();
  await anhui.member();

  // Leads: Suzhou won 500万 this year and 1万 last year; Nanjing posted one still open; Anhui won 20万.
  const won = await lead(suzhou.id, "CLOSED_WON", "5000000.00", new Date());
  await lead(
    suzhou.id,
    "CLOSED_WON",
    "10000.00",
    new Date(`${year - 1}-06-01T00:00:00Z`),
    new Date(`${year - 1}-05-01T00:00:00Z`),
  );
  await lead(nanjing.id, "OPEN", null, null);
  const anhuiWon = await lead(anhui.id, "CLOSED_WON", "200000.00", new Date());
  // Nanjing and Jiangsu both referred Suzhou's won lead (counted once at the provincial level);
  // Nanjing also referred Anhui's.
  await referral(won, nanjing.id);
  await referral(won, jiangsu.id);
  await referral(anhuiWon, nanjing.id);
});
afterAll(() => api.close());

const FIGURES = `activeMembers activeMembersByLevel { level count } newMembersThisYear leadsPostedThisYear
  closedValueThisYear referralClosedValueThisYear`;
const ROLLUP = `query ($id: ID!) { node(id: $id) { ... on Chamber { name rollup { year chamberCount own { ${FIGURES} }
  total { ${FIGURES} } } } } }`;
const rollupOf = async (chamberId: string, token: string | null = staff.token) =>
  (await api.data(ROLLUP, { id: globalId("Chamber", chamberId) }, token)).node.rollup;
const byLevel = (f: { activeMembersByLevel: { level: string; count: number }[] }) =>
  Object.fromEntries(f.activeMembersByLevel.filter((l) => l.count > 0).map((l) => [l.level, l.count]));

describe("roll-up figures", () => {
  it(
    "a city chamber: active members by level (lapsed and applicants excluded), new members, leads and closed value " +
      "this year",
    async () => {
      const r = await rollupOf(suzhou.id);
      expect(r.year).toBe(year);
      expect(r.chamberCount).toBe(1);
      expect(r.own).toEqual(r.total);
      expect(r.own.activeMembers).toBe(3);
      expect(byLevel(r.own)).toEqual({ PRESIDENT: 1, MEMBER: 2 });
      expect(r.own.activeMembersByLevel).toHaveLength(6);
      expect(r.own.newMembersThisYear).toBe(1);
      expect(r.own.leadsPostedThisYear).toBe(1);
      expect(r.own.closedValueThisYear).toBe("5000000.00");
      expect(r.own.referralClosedValueThisYear).toBe("0.00");
    },
  );

  it("a provincial chamber: its own figures and the sum over its municipal chambers", async () => {
    const r = await rollupOf(jiangsu.id);
    expect(r.chamberCount).toBe(3);
    expect(r.own).toMatchObject({
      activeMembers: 1,
      leadsPostedThisYear: 0,
      closedValueThisYear: "0.00",
      referralClosedValueThisYear: "5000000.00",
    });
    expect(r.total.activeMembers).toBe(5);
    expect(byLevel(r.total)).toEqual({ PRESIDENT: 1, VICE_PRESIDENT: 1, DIRECTOR: 1, MEMBER: 2 });
    expect(r.total.leadsPostedThisYear).toBe(2);
    expect(r.total.closedValueThisYear).toBe("5000000.00");
    // Suzhou's lead was referred by both Nanjing and Jiangsu: counted once; plus Anhui's lead referred by Nanjing.
    expect(r.total.referralClosedValueThisYear).toBe("5200000.00");
    const nj = await rollupOf(nanjing.id);
    expect(nj.own.referralClosedValueThisYear).toBe("5200000.00");
  });

  it("the federation: the same figures summed over the whole tree", async () => {
    const r = await rollupOf(federationId);
    expect(r.chamberCount).toBe(5);
    expect(r.own.activeMembers).toBe(0);
    expect(r.total.activeMembers).toBe(7);
    expect(r.total.leadsPostedThisYear).toBe(3);
    expect(r.total.closedValueThisYear).toBe("5200000.00");
    expect(r.total.newMembersThisYear).toBe(1);
  });
});

describe("who reads roll-ups", () => {
  it(
    "federation staff read every chamber's; a secretary their own only; members, other chambers and anonymous get " +
      "null",
    async () => {
      const suzhouSecretary = await suzhou.secretary();
      const nanjingSecretary = await nanjing.secretary();
      const member = await suzhou.member();
      expect((await rollupOf(suzhou.id, suzhouSecretary.token)).own.activeMembers).toBe(4);
      // not even the provincial chamber above them, nor a sibling
      expect(await rollupOf(jiangsu.id, suzhouSecretary.token)).toBeNull();
      expect(await rollupOf(suzhou.id, nanjingSecretary.token)).toBeNull();
      expect(await rollupOf(suzhou.id, member.user.token)).toBeNull();
      expect(await rollupOf(suzhou.id, null)).toBeNull();
      // a missing chamber reads as a missing chamber
      const missing = await api.data(
        ROLLUP,
        { id: globalId("Chamber", "00000000-0000-4000-8000-000000000000") },
        nanjingSecretary.token,
      );
      expect(missing.node).toBeNull();
    },
  );

  it("reads only counts and sums: no statement touches private notes or contact fields", async () => {
    api.db.resetStatements();
    await rollupOf(federationId);
    const rollupStatements = api.db.statements.filter((q) => /with recursive tree/.test(q));
    expect(rollupStatements).toHaveLength(1);
    expect(rollupStatements[0]).not.toMatch(/membership_note|mobile|wechat|"email"|status_reason/);
  });
});

describe("statements", () => {
  const FEDERATION = `{ federation { rollup { chamberCount total { activeMembers activeMembersByLevel { level count }
    closedValueThisYear } } } }`;
  const LIST = `{ chambers(first: 60) { edges { node { name rollup { total { activeMembers } } } } } }`;
  const measure = async (query: string) => {
    api.db.resetStatements();
    const data = await api.data(query, {}, staff.token);
    return {
      data,
      count: api.db.statements.length,
      rollups: api.db.statements.filter((q) => /with recursive tree/.test(q)).length,
    };
  };

  it("the federation's roll-up, and every listed chamber's, take the same statements at two sizes", async () => {
    const smallFederation = await measure(FEDERATION);
    const smallList = await measure(LIST);
    // grow the tree: 40 more city chambers under Anhui with 10 members each
    const s = seed(api.db.db);
    for (let i = 0; i < 40; i++) {
      const c = await s.chamber({ provinceCode: "34", parentId: anhui.id });
      const merchants = await Promise.all(Array.from({ length: 10 }, () => s.merchant()));
      await api.db.db.insert(membershipTable).values(
        merchants.map((m) => ({
          chamberId: c.id,
          merchantId: m.id,
          status: "ACTIVE" as const,
          level: "MEMBER" as const,
          joinedOn: "2015-01-01",
          expiresOn: "2099-12-31",
        })),
      );
    }
    const largeFederation = await measure(FEDERATION);
    const largeList = await measure(LIST);
    expect(largeFederation.data.federation.rollup.chamberCount).toBe(
      smallFederation.data.federation.rollup.chamberCount + 40,
    );
    expect(largeFederation.data.federation.rollup.total.activeMembers).toBe(
      smallFederation.data.federation.rollup.total.activeMembers + 400,
    );
    expect(largeFederation.count).toBe(smallFederation.count);
    expect(largeFederation.rollups).toBe(1);
    expect(largeList.data.chambers.edges.length).toBeGreaterThan(smallList.data.chambers.edges.length + 39);
    expect(largeList.count).toBe(smallList.count);
    // one statement for the roll-ups of every chamber on the page
    expect(largeList.rollups).toBe(1);
  });
});
