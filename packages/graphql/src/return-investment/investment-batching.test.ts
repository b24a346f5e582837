// Statements do not grow with projects: returnInvestmentProgress sends the same statements over 5 projects as
// over 50 (each with its arrivals, both years), and a page of projects with every nested list (credits,
// investors, stages, arrivals, problems, arrived, service officer) costs the same for 5 projects as for 50.

import { rebuildReturnInvestmentTotals } from "@wz/core";
import {
  investmentArrivalTable,
  investmentCreditTable,
  investmentMerchantTable,
  investmentPledgeTable,
  investmentProblemTable,
  investmentProjectTable,
  investmentStageChangeTable,
} from "@wz/db";
import { type ChamberSeed, createTestApi, type SeededUser, seed, type TestApi } from "@wz/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

let api: TestApi;
let city: SeededUser;
let chambers: ChamberSeed[];
let merchantId: string;

/**
 * `n` more signed projects, written straight to the tables (the services are tested elsewhere), then the day
 * totals progress reads rebuilt from them.
 */
async function addProjects(n: number, from: number) {
  const db = api.db.db;
  for (let i = from; i < from + n; i++) {
    const [project] = await db
      .insert(investmentProjectTable)
      .values({
        name: `批量项目${i}`,
        district: i % 2 ? "330302" : "330381",
        stage: "UNDER_CONSTRUCTION",
        stageOn: "2014-01-10",
        pledged: "1000000.00",
        keyProject: i % 3 === 0,
        serviceOfficerUserId: i % 3 === 0 ? city.id : null,
      })
      .returning({ id: investmentProjectTable.id });
    const projectId = project!.id;
    await db.insert(investmentStageChangeTable).values([
      { projectId, toStage: "PROMOTED", on: "2013-01-02" },
      { projectId, fromStage: "PROMOTED", toStage: "SIGNED", on: "2013-01-05" },
    ]);
    await db
      .insert(investmentPledgeTable)
      .values({ projectId, kind: "INITIAL", delta: "1000000", total: "1000000", on: "2013-01-02" });
    await db.insert(investmentCreditTable).values([
      { projectId, chamberId: chambers[i % 3]!.id, sharePercent: "50" },
      { projectId, chamberId: chambers[(i + 1) % 3]!.id, sharePercent: "50" },
    ]);
    await db.insert(investmentMerchantTable).values({ projectId, merchantId, role: "INVESTOR" });
    await db.insert(investmentArrivalTable).values([
      { projectId, arrivedOn: "2013-02-01", amount: "1000.00", category: "RETURN_OUTSIDE_PROVINCE" },
      { projectId, arrivedOn: "2014-02-01", amount: "2000.00", category: "RETURN_OUTSIDE_PROVINCE" },
      { projectId, arrivedOn: "2014-03-01", amount: "500.00", category: "REAL_ESTATE_OUTSIDE_CITY" },
    ]);
    await db.insert(investmentProblemTable).values({
      projectId,
      kind: "LAND",
      description: `问题${i}`,
      department: "市国土局",
      dueOn: "2014-03-01",
    });
  }
  await rebuildReturnInvestmentTotals(db);
}

beforeAll(async () => {
  api = await createTestApi();
  const s = seed(api.db.db);
  city = await s.cityStaff();
  const province = await s.chamber({ name: "江苏省温州商会", kind: "PROVINCIAL", provinceCode: "32" });
  chambers = [
    province,
    await s.chamber({ name: "苏州温州商会", provinceCode: "32", parentId: province.id }),
    await s.chamber({ name: "深圳温州商会", provinceCode: "44" }),
  ];
  merchantId = (await s.merchant({ name: "陈批量" })).id;
}, 120_000);
afterAll(() => api?.close());

async function statementsFor(query: string, variables: Record<string, unknown> = {}) {
  api.db.resetStatements();
  const result = await api.gql(query, variables, city.token);
  expect(result.errors).toBeUndefined();
  return { count: api.db.statements.length, data: result.data! };
}

const PROGRESS = `{ returnInvestmentProgress(year: 2014, asOf: "2014-12-31") { arrived growthPercent
  byCategory { arrived previousYearSamePeriod } byMonth { arrived } byDistrict { arrived }
  byChamber { chamber { name } arrived arrivedIncludingDescendants projectsSigned } } }`;
const PROJECTS = `query ($n: Int!) { investmentProjects(first: $n) { totalCount edges { node { name arrived
  credits { chamber { name } sharePercent } investors { name } stageHistory { toStage } lead { id }
  arrivals { amount project { name } } problems { description project { name } }
  serviceOfficer { displayName } } } } }`;

describe("return investment: statements constant in the number of projects", () => {
  it("progress and a page of projects with every nested list cost as much for 50 projects as for 5", async () => {
    await addProjects(5, 0);
    const small = await statementsFor(PROGRESS);
    expect(small.data.returnInvestmentProgress.arrived).toBe("12500.00");
    const smallList = await statementsFor(PROJECTS, { n: 50 });
    expect(smallList.data.investmentProjects.edges).toHaveLength(5);

    await addProjects(45, 5);
    const large = await statementsFor(PROGRESS);
    expect(large.data.returnInvestmentProgress.arrived).toBe("125000.00");
    expect(large.data.returnInvestmentProgress.growthPercent).toBe(150);
    // 江苏 is 苏州's parent: its total is both halves of 17 projects they share and one half of 33 others,
    // each counted once
    const byName = new Map(
      large.data.returnInvestmentProgress.byChamber.map((c: { chamber: { name: string } }) => [c.chamber.name, c]),
    );
    expect(byName.get("江苏省温州商会")).toMatchObject({ arrivedIncludingDescendants: "83750.00" });
    expect(large.count).toBe(small.count);
    const largeList = await statementsFor(PROJECTS, { n: 50 });
    expect(largeList.data.investmentProjects.edges).toHaveLength(50);
    expect(largeList.count).toBe(smallList.count);
  });
});
