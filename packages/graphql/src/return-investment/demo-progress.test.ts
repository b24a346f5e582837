// The demo tells the speech's story: on 2014-04-30 progress reads 106.29亿 of out-of-province return capital
// (+14.9 % on January–April 2013) plus 92.46亿 of out-of-city real-estate capital = 198.75亿, 24.84 % of the
// 800亿 target, to the cent; the target's split by district sums to it; projects at every stage, credited to
// the chambers the speech names, with open and overdue problems; each demo account sees its own share. The day
// totals progress reads, kept by the services while the demo loaded, equal the raw rows' figures.
import { returnInvestmentTotalsDrift } from "@wz/core";
import { seedDemoData } from "@wz/core/demo";
import { createTestApi, type TestApi } from "@wz/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

let api: TestApi;
const tokens: Record<string, string> = {};

beforeAll(async () => {
  api = await createTestApi();
  await seedDemoData(api.db.db);
  for (const email of [
    "city@example.org",
    "admin@example.org",
    "secretary@shanghai.example.org",
    "secretary@shenzhen.example.org",
    "member@shanghai.example.org",
  ]) {
    const login = await api.data(
      `mutation ($email: String!) { login(input: { email: $email, password: "demo-password" }) { token } }`,
      { email },
    );
    tokens[email] = login.login.token;
  }
}, 240_000);
afterAll(() => api?.close());

const PROGRESS = `query ($asOf: Date) { returnInvestmentProgress(year: 2014, asOf: $asOf) {
  year asOf target arrived percentOfTarget
  byCategory { category arrived previousYearSamePeriod growthPercent }
  byDistrict { districtCode target arrived percentOfTarget }
  byChamber { chamber { name } arrived } } }`;

describe("the demo's return-investment story", () => {
  it("city@example.org is city investment staff", async () => {
    const ME = `{ me { isCityStaff isFederationStaff user { displayName } } }`;
    expect((await api.data(ME, {}, tokens["city@example.org"])).me).toEqual({
      isCityStaff: true,
      isFederationStaff: false,
      user: { displayName: "市招商局 City investment" },
    });
    expect((await api.data(ME, {}, tokens["admin@example.org"])).me.isCityStaff).toBe(false);
  });

  it("on 2014-04-30 progress reads the speech's figures to the cent", async () => {
    expect(await returnInvestmentTotalsDrift(api.db.db)).toEqual([]);
    for (const who of ["city@example.org", "admin@example.org"]) {
      const p = (await api.data(PROGRESS, { asOf: "2014-04-30" }, tokens[who])).returnInvestmentProgress;
      expect(p).toMatchObject({
        year: 2014,
        asOf: "2014-04-30",
        target: "80000000000.00",
        arrived: "19875000000.00",
        percentOfTarget: 24.84,
      });
      expect(p.byCategory).toEqual([
        {
          category: "RETURN_OUTSIDE_PROVINCE",
          arrived: "10629000000.00",
          previousYearSamePeriod: "9251000000.00",
          growthPercent: 14.9,
        },
        {
          category: "REAL_ESTATE_OUTSIDE_CITY",
          arrived: "9246000000.00",
          previousYearSamePeriod: "8000000000.00",
          growthPercent: 15.58,
        },
      ]);
      const cents = (values: string[]) => values.reduce((s, v) => s + BigInt(v.replace(".", "")), 0n);
      type District = { target: string; arrived: string };
      expect(cents(p.byDistrict.map((d: District) => d.target))).toBe(8_000_000_000_000n);
      expect(cents(p.byDistrict.map((d: District) => d.arrived))).toBe(1_987_500_000_000n);
      expect(p.byDistrict).toHaveLength(12);
      const names = new Set(p.byChamber.map((c: { chamber: { name: string } }) => c.chamber.name));
      for (const city of ["苏州", "深圳", "石家庄", "新疆", "昆明", "上海", "合肥", "南京", "长沙"])
        expect(
          [...names].some((n) => (n as string).startsWith(city)),
          city,
        ).toBe(true);
    }
    // later in the year the figure moves on; a year before it was January–April 2013's
    const june = (await api.data(PROGRESS, { asOf: "2014-06-30" }, tokens["city@example.org"]))
      .returnInvestmentProgress;
    expect(june.arrived).toBe("24875000000.00");
  });

  it("has projects at every stage, key projects with a service officer, open and overdue problems", async () => {
    const LIST = `{ investmentProjects(first: 100) { totalCount edges { node { name stage keyProject
      serviceOfficer { displayName } problems { status overdue } } } } }`;
    const list = (await api.data(LIST, {}, tokens["city@example.org"])).investmentProjects;
    type Node = {
      stage: string;
      keyProject: boolean;
      serviceOfficer: { displayName: string } | null;
      problems: { status: string; overdue: boolean }[];
    };
    const nodes: Node[] = list.edges.map((e: { node: Node }) => e.node);
    expect(new Set(nodes.map((n) => n.stage))).toEqual(
      new Set(["PROMOTED", "NEGOTIATING", "SIGNED", "TO_START", "UNDER_CONSTRUCTION", "IN_OPERATION", "DROPPED"]),
    );
    for (const n of nodes.filter((n) => n.keyProject))
      expect(n.serviceOfficer).toEqual({ displayName: "市招商局 City investment" });
    const problems = nodes.flatMap((n) => n.problems);
    expect(problems.filter((p) => p.overdue).length).toBeGreaterThanOrEqual(2);
    expect(problems.some((p) => p.status === "OPEN" && !p.overdue)).toBe(true);
    expect(problems.some((p) => p.status === "RESOLVED")).toBe(true);
    const overdue = await api.data(`{ overdueInvestmentProblems { totalCount } }`, {}, tokens["city@example.org"]);
    expect(overdue.overdueInvestmentProblems.totalCount).toBe(problems.filter((p) => p.overdue).length);
  });

  it("a secretary sees their chamber's projects, a member the one they invest in", async () => {
    const NAMES = `{ investmentProjects(first: 100) { edges { node { name credits { chamber { name } } } } } }`;
    type Node = { name: string; credits: { chamber: { name: string } }[] };
    const seen = async (who: string) =>
      ((await api.data(NAMES, {}, tokens[who])).investmentProjects.edges as { node: Node }[]).map((e) => e.node);
    const shanghai = await seen("secretary@shanghai.example.org");
    expect(shanghai.length).toBeGreaterThan(0);
    for (const p of shanghai) expect(p.credits.map((c) => c.chamber.name)).toContain("上海市温州商会");
    const shenzhen = await seen("secretary@shenzhen.example.org");
    for (const p of shenzhen) expect(p.credits.map((c) => c.chamber.name)).toContain("深圳温州商会");
    expect(shenzhen.map((p) => p.name)).not.toContain("鹿城中央商务区综合体");
    expect((await seen("member@shanghai.example.org")).map((p) => p.name)).toContain("瓯江口新区智能装备产业园");
    const refused = await api.gql(PROGRESS, {}, tokens["secretary@shanghai.example.org"]);
    expect(refused.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
  });
});
