// The day totals progress reads are never stale: after a mix of arrivals, reversals, stage moves back and forth,
// a capital increase, shared credits and changes of investor (one dated before the signing it re-credits), they
// equal the same figures computed from the raw rows, and progress reads the same after a rebuild from the rows.
// Credited shares of an arrival sum to it exactly (largest remainder, ties by chamber id).
import { rebuildReturnInvestmentTotals, returnInvestmentTotalsDrift } from "@wz/core";
import { investmentArrivalTable } from "@wz/db";
import { type ChamberSeed, createTestApi, globalId, type SeededUser, seed, type TestApi } from "@wz/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

let api: TestApi;
let city: SeededUser;
let jiangsu: ChamberSeed;
let suzhou: ChamberSeed;
let nanjing: ChamberSeed;
let shenzhen: ChamberSeed;
let investorId: string;

beforeAll(async () => {
  api = await createTestApi();
  const s = seed(api.db.db);
  city = await s.cityStaff();
  jiangsu = await s.chamber({ name: "江苏省温州商会", kind: "PROVINCIAL", provinceCode: "32" });
  suzhou = await s.chamber({ name: "苏州温州商会", provinceCode: "32", city: "苏州", parentId: jiangsu.id });
  nanjing = await s.chamber({ name: "南京温州商会", provinceCode: "32", city: "南京", parentId: jiangsu.id });
  shenzhen = await s.chamber({ name: "深圳温州商会", provinceCode: "44", city: "深圳" });
  investorId = (await suzhou.member({ name: "陈接手" })).merchantId;
});
afterAll(() => api.close());

const ERRORS = "userErrors { field message code }";
const CREATE = `mutation ($input: CreateInvestmentProjectInput!) { createInvestmentProject(input: $input) {
  project { id } ${ERRORS} } }`;
const STAGE = `mutation ($input: ChangeInvestmentStageInput!) { changeInvestmentStage(input: $input) { ${ERRORS} } }`;
const ARRIVE = `mutation ($input: RecordCapitalArrivalInput!) { recordCapitalArrival(input: $input) {
  arrival { id } ${ERRORS} } }`;
const REVERSE = `mutation ($input: ReverseCapitalArrivalInput!) { reverseCapitalArrival(input: $input) { ${ERRORS} } }`;
const PLEDGE = `mutation ($input: ReviseInvestmentPledgeInput!) { reviseInvestmentPledge(input: $input) {
  ${ERRORS} } }`;
const INVESTOR = `mutation ($input: ChangeInvestmentInvestorInput!) { changeInvestmentInvestor(input: $input) {
  ${ERRORS} } }`;
const PROGRESS = `query ($year: Int!, $asOf: Date) { returnInvestmentProgress(year: $year, asOf: $asOf) {
  arrived previousYearSamePeriod growthPercent byCategory { category arrived previousYearSamePeriod growthPercent }
  byMonth { month arrived } byDistrict { districtCode arrived }
  byChamber { chamber { name } arrived arrivedIncludingDescendants projectsSigned projectsSignedIncludingDescendants
    pledged pledgedIncludingDescendants } } }`;

const credit = (c: ChamberSeed, sharePercent: string) => ({ chamberId: globalId("Chamber", c.id), sharePercent });

/** Runs a mutation and expects it accepted; returns its payload. */
async function ok(mutation: string, input: Record<string, unknown>) {
  const data = await api.data(mutation, { input }, city.token);
  const payload = Object.values(data)[0] as { userErrors: unknown[] } & Record<string, { id: string }>;
  expect(payload.userErrors).toEqual([]);
  return payload;
}

async function project(name: string, credits: unknown[], promotedOn: string, district = "330302") {
  return (await ok(CREATE, { name, credits, pledged: "1000000", promotedOn, district })).project!.id;
}

async function moveTo(projectId: string, stages: string[], on: string, reason?: string) {
  for (const stage of stages) await ok(STAGE, { projectId, stage, on, reason });
}

async function arrive(projectId: string, amount: string, arrivedOn: string, category = "RETURN_OUTSIDE_PROVINCE") {
  return (await ok(ARRIVE, { projectId, amount, arrivedOn, category })).arrival!.id;
}

const progress = async (year: number, asOf: string) =>
  (await api.data(PROGRESS, { year, asOf }, city.token)).returnInvestmentProgress;

describe("return-investment day totals", () => {
  it("equal the raw rows' figures after arrivals, reversals, stages, pledges and investor changes", async () => {
    // three-way credit, signed in 2013, back to negotiating and signed again (the first signing counts)
    const threeWay = await project(
      "三方项目",
      [credit(suzhou, "33.33"), credit(nanjing, "33.33"), credit(shenzhen, "33.34")],
      "2013-01-05",
    );
    await moveTo(threeWay, ["NEGOTIATING", "SIGNED"], "2013-02-01");
    await arrive(threeWay, "1.00", "2013-03-01");
    await moveTo(threeWay, ["NEGOTIATING"], "2013-04-01", "土地指标未落实");
    await moveTo(threeWay, ["SIGNED", "TO_START"], "2014-01-15");
    await arrive(threeWay, "0.05", "2014-02-10", "REAL_ESTATE_OUTSIDE_CITY");
    const wrong = await arrive(threeWay, "1000.00", "2014-03-01");
    await ok(REVERSE, { arrivalId: wrong, on: "2014-03-05", reason: "重复录入" });

    // one chamber, a capital increase, then a new investor credited to two others from 2014-02-01
    const takenOver = await project("易主项目", [credit(shenzhen, "100")], "2014-01-02", "330303");
    await moveTo(takenOver, ["NEGOTIATING", "SIGNED"], "2014-01-10");
    await arrive(takenOver, "500.00", "2014-01-20");
    await ok(PLEDGE, { projectId: takenOver, pledged: "1500000", on: "2014-01-25", kind: "INCREASE" });
    await ok(INVESTOR, {
      projectId: takenOver,
      on: "2014-02-01",
      investorMerchantIds: [globalId("Merchant", investorId)],
      credits: [credit(suzhou, "50"), credit(nanjing, "50")],
      pledged: "1600000",
      reason: "原投资方退出",
    });
    await arrive(takenOver, "300.01", "2014-02-15", "REAL_ESTATE_OUTSIDE_CITY");

    // signed, capital arrived, then an investor change entered later but dated before the signing: the signing
    // and the arrival move to the new chamber
    const backdated = await project("追认项目", [credit(shenzhen, "100")], "2014-01-03", "330304");
    await moveTo(backdated, ["NEGOTIATING", "SIGNED"], "2014-03-01");
    await arrive(backdated, "200.00", "2014-03-10");
    await ok(INVESTOR, {
      projectId: backdated,
      on: "2014-02-20",
      investorMerchantIds: [globalId("Merchant", investorId)],
      credits: [credit(nanjing, "100")],
      reason: "签约前已换投资方，补录",
    });
    await moveTo(backdated, ["DROPPED"], "2014-04-01", "投资方撤资");

    expect(await returnInvestmentTotalsDrift(api.db.db)).toEqual([]);
    const kept = [
      await progress(2014, "2014-04-30"),
      await progress(2014, "2014-02-28"),
      await progress(2013, "2013-12-31"),
    ];
    expect(kept[0]).toMatchObject({ arrived: "1000.06", previousYearSamePeriod: "1.00" });
    const shenzhenFigures = kept[0].byChamber.find(
      (c: { chamber: { name: string } }) => c.chamber.name === "深圳温州商会",
    );
    // 深圳: its third of the three-way arrival (0.02), the taken-over project's 500 before the change, its
    // signing, not the backdated project's (re-credited to 南京 from before its signing)
    expect(shenzhenFigures).toMatchObject({ arrived: "500.02", projectsSigned: 1 });

    // the same progress from the raw rows: rebuild the totals from them and read again
    await rebuildReturnInvestmentTotals(api.db.db);
    expect(await returnInvestmentTotalsDrift(api.db.db)).toEqual([]);
    expect([
      await progress(2014, "2014-04-30"),
      await progress(2014, "2014-02-28"),
      await progress(2013, "2013-12-31"),
    ]).toEqual(kept);
  });

  it("the drift check sees a row written around the services, and a rebuild repairs it", async () => {
    const [row] = await api.db.db.select().from(investmentArrivalTable).limit(1);
    await api.db.db.insert(investmentArrivalTable).values({
      projectId: row!.projectId,
      arrivedOn: "2014-04-02",
      amount: "7.00",
      category: "RETURN_OUTSIDE_PROVINCE",
    });
    const drift = await returnInvestmentTotalsDrift(api.db.db);
    expect(drift.map((d) => [d.total, d.on])).toEqual(
      expect.arrayContaining([
        ["arrivalDay", "2014-04-02"],
        ["chamberDay", "2014-04-02"],
      ]),
    );
    await rebuildReturnInvestmentTotals(api.db.db);
    expect(await returnInvestmentTotalsDrift(api.db.db)).toEqual([]);
  });

  it("credited shares of an arrival sum to it: leftover cents to the largest remainders, ties by id", async () => {
    const names = new Map([
      [suzhou.id, "苏州温州商会"],
      [nanjing.id, "南京温州商会"],
      [shenzhen.id, "深圳温州商会"],
    ]);
    const split = await project(
      "分账项目",
      [credit(suzhou, "33.33"), credit(nanjing, "33.33"), credit(shenzhen, "33.34")],
      "2016-01-04",
    );
    await moveTo(split, ["NEGOTIATING", "SIGNED"], "2016-01-05");
    const shares = async (asOf: string) => {
      const p = await progress(2016, asOf);
      const own = new Map<string, string>(
        p.byChamber.map((c: { chamber: { name: string }; arrived: string }) => [c.chamber.name, c.arrived]),
      );
      const cents = [...names.values()].reduce((s, name) => s + Math.round(Number(own.get(name)) * 100), 0);
      return { arrived: p.arrived as string, own, cents };
    };
    // 1.00: 0.33 + 0.33 + 0.34 (rounding each share on its own gives 0.99)
    await arrive(split, "1.00", "2016-02-01");
    const one = await shares("2016-02-01");
    expect(one.cents).toBe(100);
    expect(one.own.get("深圳温州商会")).toBe("0.34");
    // 0.05: 深圳's remainder is the largest, then the tie between 苏州 and 南京 goes to the lower chamber id
    // (rounding each share on its own gives 0.06)
    await arrive(split, "0.05", "2016-02-02");
    const both = await shares("2016-12-31");
    expect(both).toMatchObject({ arrived: "1.05", cents: 105 });
    const [first, second] = [suzhou.id, nanjing.id].sort();
    expect(both.own.get(names.get(first!)!)).toBe("0.35");
    expect(both.own.get(names.get(second!)!)).toBe("0.34");
    expect(both.own.get("深圳温州商会")).toBe("0.36");
    const p = await progress(2016, "2016-12-31");
    expect(p.byChamber.find((c: { chamber: { name: string } }) => c.chamber.name === "江苏省温州商会")).toMatchObject({
      arrived: "0.00",
      arrivedIncludingDescendants: "0.69",
    });
  });
});
