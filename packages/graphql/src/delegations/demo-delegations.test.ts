// The demo's delegations and leading geese: twelve months of 2014 delegations by the chambers the speech names,
// March, June and September under the goal of two (a cancelled one left out); the hundred leading geese with their
// city leaders, a few without one and a leader outside 2–3; city@example.org among the leaders; last year's annual
// meetings, the new-generation joint meeting and the 2013 recognitions.
import { seedDemoData } from "@wz/core/demo";
import { createTestApi, type TestApi } from "@wz/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

let api: TestApi;
const tokens: Record<string, string> = {};

beforeAll(async () => {
  api = await createTestApi();
  await seedDemoData(api.db.db);
  for (const email of ["city@example.org", "secretary@shanghai.example.org", "member@shanghai.example.org"]) {
    const login = await api.data(
      `mutation ($email: String!) { login(input: { email: $email, password: "demo-password" }) { token } }`,
      { email },
    );
    tokens[email] = login.login.token;
  }
}, 240_000);
afterAll(() => api?.close());

describe("the demo's delegations and leading geese", () => {
  it("has twelve months of 2014 delegations, some under the goal, by the chambers the speech names", async () => {
    const { delegationActivity: a } = await api.data(
      `{ delegationActivity(year: 2014) { total goalPerMonth monthsUnderGoal byMonth { month count underGoal pledged }
        byChamber { chamber { name } delegations } } }`,
      {},
      tokens["city@example.org"],
    );
    expect(a).toMatchObject({ total: 23, goalPerMonth: 2, monthsUnderGoal: 3 });
    expect(a.byMonth.filter((m: { underGoal: boolean }) => m.underGoal).map((m: { month: number }) => m.month)).toEqual(
      [3, 6, 9],
    );
    const names = a.byChamber.map((c: { chamber: { name: string } }) => c.chamber.name);
    for (const name of [
      "苏州温州商会",
      "深圳温州商会",
      "石家庄温州商会",
      "新疆温州商会",
      "昆明温州商会",
      "长沙温州商会",
    ])
      expect(names).toContain(name);
    // a secretary sees their chamber's delegations, with participants who are its active members
    const own = await api.data(
      `{ delegations(first: 50) { totalCount edges { node { chambers { name }
        participants { chamber { name } } } } } }`,
      {},
      tokens["secretary@shanghai.example.org"],
    );
    expect(own.delegations.totalCount).toBeGreaterThan(0);
    for (const { node } of own.delegations.edges)
      expect(node.chambers.map((c: { name: string }) => c.name)).toContain("上海市温州商会");
  });

  it("has the hundred leading geese with their leaders, a few without one", async () => {
    const { leadingGooseCoverage: c } = await api.data(
      `{ leadingGooseCoverage { geeseCount cap geeseWithoutLeader { merchant { id } }
        geeseNotContacted { merchant { id } }
        leaders { leader { email } geese withinRange } leadersOutsideRange { geese } } }`,
      {},
      tokens["city@example.org"],
    );
    expect(c).toMatchObject({ geeseCount: 100, cap: 100 });
    expect(c.geeseWithoutLeader).toHaveLength(6);
    expect(c.geeseNotContacted.length).toBeGreaterThan(6);
    expect(c.leadersOutsideRange).toEqual([{ geese: 1 }]);
    expect(c.leaders).toContainEqual({ leader: { email: "city@example.org" }, geese: 3, withinRange: true });
  });

  it("has last year's annual meetings, the new-generation joint meeting and the 2013 recognitions", async () => {
    const own = await api.data(
      `{ gatherings(filter: { to: "2013-12-31" }) { totalCount edges { node { kind status chamber { name }
        invitations { attended } } } } }`,
      {},
      tokens["secretary@shanghai.example.org"],
    );
    const meeting = own.gatherings.edges.find((e: { node: { kind: string } }) => e.node.kind === "ANNUAL_MEETING").node;
    expect(meeting).toMatchObject({ status: "HELD", chamber: { name: "上海市温州商会" } });
    expect(meeting.invitations.length).toBeGreaterThan(5);
    const honours = await api.data(
      `{ recognitionNominations(year: 2013, status: [RECOGNISED]) { totalCount } }`,
      {},
      tokens["member@shanghai.example.org"],
    );
    expect(honours.recognitionNominations.totalCount).toBeGreaterThanOrEqual(4);
    const all = await api.data(`{ recognitionNominations(year: 2013) { totalCount } }`, {}, tokens["city@example.org"]);
    expect(all.recognitionNominations.totalCount).toBeGreaterThan(honours.recognitionNominations.totalCount);
  });
});
