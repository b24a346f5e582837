// The leading geese's liaisons through GraphQL: city leaders, each goose linked to one leader and each leader to
// 2–3 geese; contacts logged with notes for city staff only; the coverage as of a day (geese without a leader,
// leaders outside 2–3, geese not contacted in the 90 days up to the day, what each goose's projects brought);
// who may do and see what; the audit trail.
import { decodeGlobalID } from "@pothos/plugin-relay";
import { auditLogTable } from "@wz/db";
import { type ChamberSeed, createTestApi, globalId, type SeededUser, seed, type TestApi } from "@wz/testkit";
import { count, like } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

let api: TestApi;
let city: SeededUser;
let staff: SeededUser;
let leaderA: SeededUser;
let leaderB: SeededUser;
let chamber: ChamberSeed;
let secretary: SeededUser;
let geese: { merchantId: string; user: SeededUser }[];

const COVERAGE = `query ($asOf: Date) { leadingGooseCoverage(asOf: $asOf) { asOf cap contactWindowDays geeseCount
  geese { merchant { name } leader { displayName } lastContactOn contactedRecently projects arrived }
  geeseWithoutLeader { merchant { name } } geeseNotContacted { merchant { name } }
  leaders { leader { displayName } geese withinRange } leadersOutsideRange { leader { displayName } geese } } }`;
const LINK = `mutation ($input: LinkGooseToLeaderInput!) { linkGooseToLeader(input: $input) {
  merchant { name } leader { displayName } userErrors { field code } } }`;
const CONTACT = `mutation ($input: RecordGooseContactInput!) { recordGooseContact(input: $input) {
  contact { id kind on notes merchant { name } leader { displayName } projects { name } }
  userErrors { field code } } }`;

const mid = (g: { merchantId: string }) => globalId("Merchant", g.merchantId);
const uid = (u: SeededUser) => globalId("User", u.id);

async function link(goose: { merchantId: string }, leader: SeededUser, token = city.token) {
  return api.gql(LINK, { input: { merchantId: mid(goose), leaderUserId: uid(leader), since: "2014-01-01" } }, token);
}
async function contact(goose: { merchantId: string }, on: string, extra: Record<string, unknown> = {}) {
  return (await api.data(CONTACT, { input: { merchantId: mid(goose), kind: "VISIT", on, ...extra } }, city.token))
    .recordGooseContact;
}
const coverage = async (asOf: string, token = city.token) =>
  (await api.data(COVERAGE, { asOf }, token)).leadingGooseCoverage;

beforeAll(async () => {
  api = await createTestApi();
  const s = seed(api.db.db);
  city = await s.cityStaff();
  staff = await s.federationStaff();
  leaderA = await s.user({ email: "leader-a@example.org", cityLeader: true });
  leaderB = await s.user({ email: "leader-b@example.org", cityLeader: true });
  chamber = await s.chamber({ name: "深圳温州商会" });
  secretary = await chamber.secretary();
  geese = [];
  for (const name of ["艾一", "白二", "蔡三", "丁四", "鄂五"])
    geese.push(await chamber.member({ name, tags: ["LEADING_GOOSE"], mobileVisibility: "PUBLIC" }));
});
afterAll(() => api.close());

describe("city leaders and their geese (挂钩联系)", () => {
  it("marks a city leader among city staff only, and links each goose to one leader, 3 at most", async () => {
    const s = seed(api.db.db);
    const notCity = await s.user();
    const refused = await api.data(
      `mutation ($input: SetCityLeaderInput!) { setCityLeader(input: $input) { leader { displayName }
        userErrors { code field } } }`,
      { input: { userId: uid(notCity), leader: true } },
      city.token,
    );
    expect(refused.setCityLeader).toEqual({
      leader: null,
      userErrors: [{ code: "INVALID", field: ["input", "userId"] }],
    });
    const leaderC = await s.cityStaff();
    const marked = await api.data(
      `mutation ($input: SetCityLeaderInput!) { setCityLeader(input: $input) { leader { displayName }
        userErrors { code } } }`,
      { input: { userId: uid(leaderC), leader: true } },
      city.token,
    );
    expect(marked.setCityLeader).toEqual({ leader: { displayName: leaderC.email }, userErrors: [] });

    for (const goose of geese.slice(0, 3))
      expect((await link(goose, leaderA)).data!.linkGooseToLeader.userErrors).toEqual([]);
    const fourth = (await link(geese[3]!, leaderA)).data!.linkGooseToLeader;
    expect(fourth.userErrors).toEqual([{ code: "INVALID", field: ["input", "leaderUserId"] }]);
    // a goose has exactly one leader: linking it elsewhere moves it
    const moved = (await link(geese[2]!, leaderB)).data!.linkGooseToLeader;
    expect(moved).toEqual({
      merchant: { name: "蔡三" },
      leader: { displayName: "leader-b@example.org" },
      userErrors: [],
    });
    // only a tagged goose, only a leader
    const untagged = await chamber.member({ name: "韩无标" });
    expect((await link(untagged, leaderB)).data!.linkGooseToLeader.userErrors).toEqual([
      { code: "INVALID", field: ["input", "merchantId"] },
    ]);
    expect((await link(geese[3]!, city)).data!.linkGooseToLeader.userErrors).toEqual([
      { code: "INVALID", field: ["input", "leaderUserId"] },
    ]);
    const byLeaderC = await coverage("2014-06-30");
    expect(byLeaderC.leadersOutsideRange).toEqual(
      expect.arrayContaining([{ leader: { displayName: leaderC.email }, geese: 0 }]),
    );
  });

  it("reads the coverage as of a day: no leader, leaders outside 2–3, 90 days, arrived capital", async () => {
    // 艾一, 白二 with A; 蔡三 with B; 丁四, 鄂五 with none
    const project = await api.data(
      `mutation ($input: CreateInvestmentProjectInput!) { createInvestmentProject(input: $input) {
        project { id } userErrors { message } } }`,
      {
        input: {
          name: "雁阵项目",
          district: "330302",
          promotedOn: "2014-01-02",
          pledged: "9000000",
          credits: [{ chamberId: globalId("Chamber", chamber.id), sharePercent: "100" }],
          investorMerchantIds: [mid(geese[0]!)],
        },
      },
      city.token,
    );
    const projectId = project.createInvestmentProject.project.id as string;
    for (const stage of ["NEGOTIATING", "SIGNED"])
      await api.data(
        `mutation ($input: ChangeInvestmentStageInput!) { changeInvestmentStage(input: $input) {
          userErrors { code } } }`,
        { input: { projectId, stage, on: "2014-01-03" } },
        city.token,
      );
    for (const [amount, arrivedOn] of [
      ["1000000", "2014-02-01"],
      ["2000000", "2014-05-01"],
    ])
      await api.data(
        `mutation ($input: RecordCapitalArrivalInput!) { recordCapitalArrival(input: $input) { userErrors { code } } }`,
        { input: { projectId, amount, arrivedOn, category: "RETURN_OUTSIDE_PROVINCE" } },
        city.token,
      );
    // as of 2014-04-30 the 90 days run from 2014-01-31: a contact on the 31st counts, one on the 30th does not
    const logged = await contact(geese[0]!, "2014-01-31", { notes: "谈增资", projectIds: [projectId] });
    expect(logged.userErrors).toEqual([]);
    expect(logged.contact).toMatchObject({
      kind: "VISIT",
      on: "2014-01-31",
      notes: "谈增资",
      merchant: { name: "艾一" },
      leader: { displayName: "leader-a@example.org" },
      projects: [{ name: "雁阵项目" }],
    });
    expect((await contact(geese[1]!, "2014-01-30")).userErrors).toEqual([]);
    expect((await contact(geese[1]!, "2014-06-01")).userErrors).toEqual([]);
    // a goose without a leader has no one to log a contact with
    expect((await contact(geese[3]!, "2014-01-31")).userErrors).toEqual([
      { code: "INVALID", field: ["input", "merchantId"] },
    ]);

    const april = await coverage("2014-04-30");
    expect(april).toMatchObject({ asOf: "2014-04-30", cap: 100, contactWindowDays: 90, geeseCount: 5 });
    const byName = new Map(april.geese.map((g: { merchant: { name: string } }) => [g.merchant.name, g]));
    expect(byName.get("艾一")).toEqual({
      merchant: { name: "艾一" },
      leader: { displayName: "leader-a@example.org" },
      lastContactOn: "2014-01-31",
      contactedRecently: true,
      projects: 1,
      arrived: "1000000.00",
    });
    expect(byName.get("白二")).toMatchObject({ lastContactOn: "2014-01-30", contactedRecently: false });
    expect(april.geeseWithoutLeader.map((g: { merchant: { name: string } }) => g.merchant.name).sort()).toEqual(
      ["丁四", "鄂五"].sort(),
    );
    expect(april.geeseNotContacted.map((g: { merchant: { name: string } }) => g.merchant.name).sort()).toEqual(
      ["丁四", "白二", "蔡三", "鄂五"].sort(),
    );
    const leaders = new Map(april.leaders.map((l: { leader: { displayName: string } }) => [l.leader.displayName, l]));
    expect(leaders.get("leader-a@example.org")).toMatchObject({ geese: 2, withinRange: true });
    expect(leaders.get("leader-b@example.org")).toMatchObject({ geese: 1, withinRange: false });
    expect(april.leadersOutsideRange.map((l: { leader: { displayName: string } }) => l.leader.displayName)).toContain(
      "leader-b@example.org",
    );
    // a day later 艾一's contact falls out of the window; in June 白二's new one counts and the May arrival too
    const may = await coverage("2014-05-01");
    expect(may.geese.find((g: { merchant: { name: string } }) => g.merchant.name === "艾一")).toMatchObject({
      contactedRecently: false,
      arrived: "3000000.00",
    });
    const june = await coverage("2014-06-01");
    expect(june.geese.find((g: { merchant: { name: string } }) => g.merchant.name === "白二")).toMatchObject({
      contactedRecently: true,
    });
    // federation staff read the coverage too
    expect((await coverage("2014-04-30", staff.token)).geeseCount).toBe(5);
    const bad = await api.gql(COVERAGE, { asOf: "2014-02-30" }, city.token);
    expect(bad.errors).toBeDefined();
  });
});

describe("who may see and change the geese's liaisons", () => {
  it("keeps the contacts' notes to city staff, and refuses everyone else the changes and the coverage", async () => {
    const logged = await contact(geese[0]!, "2014-07-01", { notes: "机密备注" });
    const id = logged.contact.id as string;
    const read = `query ($id: ID!, $m: ID!) { node(id: $id) { ... on GooseContact { notes } }
      gooseContacts(merchantId: $m) { totalCount edges { node { notes } } } }`;
    const mine = await api.data(read, { id, m: mid(geese[0]!) }, city.token);
    expect(mine.node).toEqual({ notes: "机密备注" });
    expect(mine.gooseContacts.totalCount).toBe(2);
    for (const token of [staff.token, secretary.token, geese[0]!.user.token]) {
      const outside = await api.data(read, { id, m: mid(geese[0]!) }, token);
      expect(outside).toEqual({ node: null, gooseContacts: { totalCount: 0, edges: [] } });
    }
    for (const token of [secretary.token, geese[0]!.user.token]) {
      expect((await api.gql(COVERAGE, { asOf: "2014-04-30" }, token)).errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
      expect((await link(geese[4]!, leaderB, token)).errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
      const logging = await api.gql(
        CONTACT,
        { input: { merchantId: mid(geese[0]!), kind: "CALL", on: "2014-07-02" } },
        token,
      );
      expect(logging.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    }
    const anonymous = await api.gql(COVERAGE, {}, null);
    expect(anonymous.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
  });

  it("audits every change", async () => {
    const rows = await api.db.db
      .select({ action: auditLogTable.action, n: count() })
      .from(auditLogTable)
      .where(like(auditLogTable.action, "goose:%"))
      .groupBy(auditLogTable.action);
    const byAction = Object.fromEntries(rows.map((r) => [r.action, r.n]));
    expect(byAction).toMatchObject({ "goose:leader": 1, "goose:link": 4, "goose:contact": 4 });
    const [entry] = await api.db.db
      .select({ entityId: auditLogTable.entityId })
      .from(auditLogTable)
      .where(like(auditLogTable.action, "goose:link"))
      .limit(1);
    expect(entry!.entityId).toBe(decodeGlobalID(mid(geese[0]!)).id);
  });
});
