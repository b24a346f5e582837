// Return-investment projects through GraphQL: the stage rules, arrivals that would exceed the pledge, reversals,
// the counting rules (a capital increase, a changed investor, a shared credit, the roll-up through the chamber
// tree), the target's split, the audit trail, and who sees which projects.
import { decodeGlobalID } from "@pothos/plugin-relay";
import { auditLogTable, investmentArrivalTable } from "@wz/db";
import { type ChamberSeed, createTestApi, globalId, type SeededUser, seed, type TestApi } from "@wz/testkit";
import { count, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

let api: TestApi;
let city: SeededUser;
let staff: SeededUser;
let jiangsu: ChamberSeed;
let suzhou: ChamberSeed;
let nanjing: ChamberSeed;
let shenzhen: ChamberSeed;
let suzhouSecretary: SeededUser;
let shenzhenSecretary: SeededUser;
let investor: { merchantId: string; user: SeededUser };
let otherMember: SeededUser;

beforeAll(async () => {
  api = await createTestApi();
  const s = seed(api.db.db);
  city = await s.cityStaff();
  staff = await s.federationStaff();
  jiangsu = await s.chamber({ name: "江苏省温州商会", kind: "PROVINCIAL", provinceCode: "32" });
  suzhou = await s.chamber({ name: "苏州温州商会", provinceCode: "32", city: "苏州", parentId: jiangsu.id });
  nanjing = await s.chamber({ name: "南京温州商会", provinceCode: "32", city: "南京", parentId: jiangsu.id });
  shenzhen = await s.chamber({ name: "深圳温州商会", provinceCode: "44", city: "深圳" });
  suzhouSecretary = await suzhou.secretary();
  shenzhenSecretary = await shenzhen.secretary();
  investor = await suzhou.member({ name: "陈回归" });
  otherMember = (await suzhou.member({ name: "林旁观" })).user;
});
afterAll(() => api.close());

const PROJECT_FIELDS = `id name stage stageOn pledged arrived keyProject greenChannel district
  credits { chamber { name } sharePercent validFrom validTo } investors { name }
  stageHistory { fromStage toStage on reason }`;
const CREATE = `mutation ($input: CreateInvestmentProjectInput!) { createInvestmentProject(input: $input) {
  project { ${PROJECT_FIELDS} } userErrors { field message code } } }`;
const STAGE = `mutation ($input: ChangeInvestmentStageInput!) { changeInvestmentStage(input: $input) {
  project { stage stageOn } userErrors { field message code } } }`;
const ARRIVE = `mutation ($input: RecordCapitalArrivalInput!) { recordCapitalArrival(input: $input) {
  arrival { id amount arrivedOn category project { arrived } } userErrors { field message code } } }`;
const REVERSE = `mutation ($input: ReverseCapitalArrivalInput!) { reverseCapitalArrival(input: $input) {
  arrival { id amount reverses { id } project { arrived } } userErrors { field message code } } }`;
const PLEDGE = `mutation ($input: ReviseInvestmentPledgeInput!) { reviseInvestmentPledge(input: $input) {
  project { pledged } userErrors { field message code } } }`;
const INVESTOR = `mutation ($input: ChangeInvestmentInvestorInput!) { changeInvestmentInvestor(input: $input) {
  project { pledged credits { chamber { name } sharePercent validFrom validTo } }
  userErrors { field message code } } }`;
const TARGET = `mutation ($input: SetReturnInvestmentTargetInput!) { setReturnInvestmentTarget(input: $input) {
  target { year amount districts { districtCode amount } } userErrors { field message code } } }`;
const PROGRESS = `query ($year: Int!, $asOf: Date) { returnInvestmentProgress(year: $year, asOf: $asOf) {
  year asOf target arrived percentOfTarget previousYearSamePeriod growthPercent
  byCategory { category arrived previousYearSamePeriod growthPercent }
  byMonth { month arrived }
  byDistrict { districtCode target arrived percentOfTarget }
  byChamber { chamber { name } arrived arrivedIncludingDescendants projectsSigned projectsSignedIncludingDescendants
    pledged pledgedIncludingDescendants } } }`;

const chamberId = (c: ChamberSeed) => globalId("Chamber", c.id);
const only = (c: ChamberSeed) => [{ chamberId: chamberId(c), sharePercent: "100" }];

async function create(input: Record<string, unknown>, token = city.token) {
  const body = { district: "330302", promotedOn: "2014-01-02", pledged: "1000000", credits: only(suzhou), ...input };
  return (await api.data(CREATE, { input: body }, token)).createInvestmentProject;
}

async function stage(projectId: string, to: string, on: string, reason?: string, token = city.token) {
  return (await api.data(STAGE, { input: { projectId, stage: to, on, reason } }, token)).changeInvestmentStage;
}

/** A project signed on `signedOn`, credited as given. */
async function signed(name: string, credits: unknown, pledged: string, signedOn: string) {
  const created = await create({ name, credits, pledged, promotedOn: signedOn });
  expect(created.userErrors).toEqual([]);
  const id = created.project.id as string;
  for (const to of ["NEGOTIATING", "SIGNED"]) expect((await stage(id, to, signedOn)).userErrors).toEqual([]);
  return id;
}

async function arrive(projectId: string, amount: string, arrivedOn: string, category = "RETURN_OUTSIDE_PROVINCE") {
  return (await api.data(ARRIVE, { input: { projectId, amount, arrivedOn, category } }, city.token))
    .recordCapitalArrival;
}

const progress = async (year: number, asOf: string) =>
  (await api.data(PROGRESS, { year, asOf }, city.token)).returnInvestmentProgress;
const byChamber = (p: { byChamber: { chamber: { name: string } }[] }, name: string) =>
  p.byChamber.find((c) => c.chamber.name === name);

describe("projects and their stages", () => {
  it("city staff create a project, credited and dated, and move it forward one stage at a time", async () => {
    const created = await create({
      name: "瓯江口智能制造基地",
      keyProject: true,
      greenChannel: true,
      investorMerchantIds: [globalId("Merchant", investor.merchantId)],
    });
    expect(created.userErrors).toEqual([]);
    expect(created.project).toMatchObject({
      name: "瓯江口智能制造基地",
      stage: "PROMOTED",
      stageOn: "2014-01-02",
      arrived: "0.00",
      keyProject: true,
      greenChannel: true,
      credits: [{ chamber: { name: "苏州温州商会" }, sharePercent: 100, validFrom: null, validTo: null }],
      investors: [{ name: "陈回归" }],
    });
    const id = created.project.id as string;
    const skipped = await stage(id, "SIGNED", "2014-01-05");
    expect(skipped.userErrors).toEqual([
      expect.objectContaining({ code: "INVALID_TRANSITION", field: ["input", "stage"] }),
    ]);
    expect((await stage(id, "NEGOTIATING", "2014-01-05")).project).toEqual({
      stage: "NEGOTIATING",
      stageOn: "2014-01-05",
    });
    const earlier = await stage(id, "SIGNED", "2014-01-04");
    expect(earlier.userErrors).toEqual([expect.objectContaining({ code: "INVALID", field: ["input", "on"] })]);
    expect((await stage(id, "SIGNED", "2014-01-09")).userErrors).toEqual([]);
    const back = await stage(id, "NEGOTIATING", "2014-01-10");
    expect(back.userErrors).toEqual([expect.objectContaining({ code: "INVALID", field: ["input", "reason"] })]);
    expect((await stage(id, "NEGOTIATING", "2014-01-10", "投资方重新议价")).userErrors).toEqual([]);
    expect((await stage(id, "DROPPED", "2014-01-11")).userErrors[0].field).toEqual(["input", "reason"]);
    expect((await stage(id, "DROPPED", "2014-01-11", "用地未落实")).project.stage).toBe("DROPPED");
    const history = await api.data(
      `query ($id: ID!) { node(id: $id) { ... on InvestmentProject {
      stageHistory { fromStage toStage on reason } } } }`,
      { id },
      city.token,
    );
    expect(history.node.stageHistory).toEqual([
      { fromStage: null, toStage: "PROMOTED", on: "2014-01-02", reason: null },
      { fromStage: "PROMOTED", toStage: "NEGOTIATING", on: "2014-01-05", reason: null },
      { fromStage: "NEGOTIATING", toStage: "SIGNED", on: "2014-01-09", reason: null },
      { fromStage: "SIGNED", toStage: "NEGOTIATING", on: "2014-01-10", reason: "投资方重新议价" },
      { fromStage: "NEGOTIATING", toStage: "DROPPED", on: "2014-01-11", reason: "用地未落实" },
    ]);
    const audited = await api.db.db
      .select({ n: count() })
      .from(auditLogTable)
      .where(eq(auditLogTable.entityId, decodeGlobalID(id).id));
    expect(audited[0]!.n).toBe(5);
  });

  it("bad input is refused with one error per problem and creates nothing", async () => {
    const before = await api.data(`{ investmentProjects { totalCount } }`, {}, city.token);
    const bad = await create({ name: " ", district: "999999", pledged: "-5", industry: "Z", credits: [] });
    expect(bad.userErrors.map((e: { field: string[] }) => e.field.join("."))).toEqual([
      "input.name",
      "input.industry",
      "input.district",
      "input.pledged",
      "input.credits",
    ]);
    const after = await api.data(`{ investmentProjects { totalCount } }`, {}, city.token);
    expect(after.investmentProjects.totalCount).toBe(before.investmentProjects.totalCount);
  });

  it("a secretary proposes a project for their own chamber only; a member cannot; anonymous must sign in", async () => {
    const own = await create({ name: "苏州商会推介项目" }, suzhouSecretary.token);
    expect(own.userErrors).toEqual([]);
    expect(own.project.stage).toBe("PROMOTED");
    const foreign = await api.gql(
      CREATE,
      {
        input: { name: "冒名项目", district: "330302", promotedOn: "2014-01-02", pledged: "1", credits: only(suzhou) },
      },
      shenzhenSecretary.token,
    );
    expect(foreign.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    const member = await api.gql(
      CREATE,
      {
        input: { name: "会员项目", district: "330302", promotedOn: "2014-01-02", pledged: "1", credits: only(suzhou) },
      },
      otherMember.token,
    );
    expect(member.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    const anonymous = await api.gql(`{ investmentProjects { totalCount } }`);
    expect(anonymous.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
    // only city staff move stages
    const moved = await api.gql(
      STAGE,
      {
        input: { projectId: own.project.id, stage: "NEGOTIATING", on: "2014-02-01" },
      },
      suzhouSecretary.token,
    );
    expect(moved.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
  });

  it("an INVESTMENT_PROJECT lead becomes a project crediting its chamber and poster, once", async () => {
    const POST = `mutation ($input: PostLeadInput!) { postLead(input: $input) { lead { id } userErrors { message } } }`;
    const posted = await api.data(
      POST,
      {
        input: {
          chamberId: chamberId(suzhou),
          kind: "INVESTMENT_PROJECT",
          title: "回乡投资眼镜产业园",
          description: "拟投资",
          amount: "300000000",
          visibility: "FEDERATION",
        },
      },
      investor.user.token,
    );
    const leadId = posted.postLead.lead.id as string;
    const FROM_LEAD = `mutation ($input: CreateInvestmentProjectInput!) { createInvestmentProject(input: $input) {
      project { name pledged lead { id } broughtBy { name } credits { chamber { name } sharePercent } }
      userErrors { field code } } }`;
    const input = { leadId, district: "330381", promotedOn: "2014-03-01" };
    const made = (await api.data(FROM_LEAD, { input }, city.token)).createInvestmentProject;
    expect(made.userErrors).toEqual([]);
    expect(made.project).toEqual({
      name: "回乡投资眼镜产业园",
      pledged: "300000000.00",
      lead: { id: leadId },
      broughtBy: { name: "陈回归" },
      credits: [{ chamber: { name: "苏州温州商会" }, sharePercent: 100 }],
    });
    const again = (await api.data(FROM_LEAD, { input }, city.token)).createInvestmentProject;
    expect(again.userErrors).toEqual([{ field: ["input", "leadId"], code: "CONFLICT" }]);
    const supply = await api.data(
      POST,
      {
        input: {
          chamberId: chamberId(suzhou),
          kind: "SUPPLY",
          title: "供货",
          description: "x",
          visibility: "FEDERATION",
        },
      },
      investor.user.token,
    );
    const wrong = await api.data(FROM_LEAD, { input: { ...input, leadId: supply.postLead.lead.id } }, city.token);
    expect(wrong.createInvestmentProject.userErrors).toEqual([{ field: ["input", "leadId"], code: "INVALID" }]);
  });
});

describe("city investment staff", () => {
  it("federation staff grant and take away CITY_STAFF; Viewer.isCityStaff follows; no one else may", async () => {
    const someone = await seed(api.db.db).user();
    const GRANT = `mutation ($input: GrantCityStaffInput!) { grantCityStaff(input: $input) { user { email }
      userErrors { field code } } }`;
    const ME = `{ me { isCityStaff } }`;
    const userId = globalId("User", someone.id);
    expect((await api.data(ME, {}, someone.token)).me.isCityStaff).toBe(false);
    const denied = await api.gql(GRANT, { input: { userId, granted: true } }, city.token);
    expect(denied.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    const granted = await api.data(GRANT, { input: { userId, granted: true } }, staff.token);
    expect(granted.grantCityStaff).toEqual({ user: { email: someone.email }, userErrors: [] });
    expect((await api.data(ME, {}, someone.token)).me.isCityStaff).toBe(true);
    expect(
      (await api.data(`{ returnInvestmentProgress(year: 2014) { year } }`, {}, someone.token)).returnInvestmentProgress
        .year,
    ).toBe(2014);
    await api.data(GRANT, { input: { userId, granted: false } }, staff.token);
    expect((await api.data(ME, {}, someone.token)).me.isCityStaff).toBe(false);
  });
});

describe("arrived capital", () => {
  it("arrives only once signed, never beyond the pledge without a revision, and is reversed, not edited", async () => {
    const early = await create({ name: "未签约项目", pledged: "100" });
    const refused = await arrive(early.project.id, "10", "2014-02-01");
    expect(refused.userErrors).toEqual([expect.objectContaining({ code: "INVALID_TRANSITION" })]);

    const id = await signed("到位资金项目", only(suzhou), "1000.00", "2014-02-01");
    expect((await arrive(id, "600.50", "2014-02-10")).arrival.project.arrived).toBe("600.50");
    const over = await arrive(id, "400", "2014-02-11");
    expect(over.userErrors).toEqual([expect.objectContaining({ code: "INVALID", field: ["input", "amount"] })]);
    expect(over.userErrors[0].message).toContain("1000.50");
    const rows = await api.db.db.select({ n: count() }).from(investmentArrivalTable);
    expect((await arrive(id, "0", "2014-02-11")).userErrors[0].field).toEqual(["input", "amount"]);
    expect((await api.db.db.select({ n: count() }).from(investmentArrivalTable))[0]!.n).toBe(rows[0]!.n);

    // a capital increase revises the pledge explicitly; then the arrival fits
    const down = (
      await api.data(
        PLEDGE,
        { input: { projectId: id, pledged: "500", on: "2014-02-12", kind: "INCREASE" } },
        city.token,
      )
    ).reviseInvestmentPledge;
    expect(down.userErrors).toEqual([expect.objectContaining({ field: ["input", "pledged"] })]);
    const belowArrived = (
      await api.data(
        PLEDGE,
        {
          input: { projectId: id, pledged: "500", on: "2014-02-12", kind: "REVISION", reason: "核减" },
        },
        city.token,
      )
    ).reviseInvestmentPledge;
    expect(belowArrived.userErrors[0].message).toContain("600.50");
    const up = (
      await api.data(
        PLEDGE,
        { input: { projectId: id, pledged: "1500", on: "2014-02-12", kind: "INCREASE" } },
        city.token,
      )
    ).reviseInvestmentPledge;
    expect(up).toEqual({ project: { pledged: "1500.00" }, userErrors: [] });
    const fits = await arrive(id, "400", "2014-02-13", "REAL_ESTATE_OUTSIDE_CITY");
    expect(fits.userErrors).toEqual([]);
    expect(fits.arrival.project.arrived).toBe("1000.50");

    // a wrong arrival is corrected by a reversing entry, once; the original stays
    const arrivalId = fits.arrival.id as string;
    const reason = "重复录入";
    const reversed = (await api.data(REVERSE, { input: { arrivalId, on: "2014-02-14", reason } }, city.token))
      .reverseCapitalArrival;
    expect(reversed.userErrors).toEqual([]);
    expect(reversed.arrival).toMatchObject({
      amount: "-400.00",
      reverses: { id: arrivalId },
      project: { arrived: "600.50" },
    });
    const twice = (await api.data(REVERSE, { input: { arrivalId, on: "2014-02-14", reason } }, city.token))
      .reverseCapitalArrival;
    expect(twice.userErrors).toEqual([expect.objectContaining({ code: "CONFLICT" })]);
    const ofReversal = (
      await api.data(REVERSE, { input: { arrivalId: reversed.arrival.id, on: "2014-02-15", reason } }, city.token)
    ).reverseCapitalArrival;
    expect(ofReversal.userErrors).toEqual([expect.objectContaining({ code: "INVALID" })]);
    const listed = await api.data(
      `query ($id: ID!) { node(id: $id) { ... on InvestmentProject {
      arrivals { amount category } } } }`,
      { id },
      city.token,
    );
    expect(listed.node.arrivals).toEqual([
      { amount: "600.50", category: "RETURN_OUTSIDE_PROVINCE" },
      { amount: "400.00", category: "REAL_ESTATE_OUTSIDE_CITY" },
      { amount: "-400.00", category: "REAL_ESTATE_OUTSIDE_CITY" },
    ]);
    const secretary = await api.gql(REVERSE, { input: { arrivalId, on: "2014-02-14", reason } }, suzhouSecretary.token);
    expect(secretary.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
  });
});

describe("counted once", () => {
  it("a capital increase counts only the increase, a new investor counts afresh, a shared credit splits", async () => {
    // in its own year, so the other tests' projects do not count here
    const increase = await signed("增资项目", only(nanjing), "1000", "2015-01-10");
    await arrive(increase, "1000", "2015-01-20");
    await api.data(
      PLEDGE,
      { input: { projectId: increase, pledged: "1600", on: "2015-02-01", kind: "INCREASE" } },
      city.token,
    );
    await arrive(increase, "600", "2015-02-10");

    const shared = await signed(
      "共享项目",
      [
        { chamberId: chamberId(suzhou), sharePercent: "60" },
        { chamberId: chamberId(shenzhen), sharePercent: "40" },
      ],
      "1000",
      "2015-01-15",
    );
    await arrive(shared, "1000", "2015-03-01");

    const takenOver = await signed("易主项目", only(shenzhen), "2000", "2015-01-05");
    await arrive(takenOver, "500", "2015-01-25");
    const changed = (
      await api.data(
        INVESTOR,
        {
          input: {
            projectId: takenOver,
            on: "2015-03-01",
            investorMerchantIds: [globalId("Merchant", investor.merchantId)],
            credits: only(suzhou),
            pledged: "3000",
            reason: "原投资方退出，苏州商会会员接手",
          },
        },
        city.token,
      )
    ).changeInvestmentInvestor;
    expect(changed.userErrors).toEqual([]);
    expect(changed.project.credits).toEqual([
      { chamber: { name: "深圳温州商会" }, sharePercent: 100, validFrom: null, validTo: "2015-03-01" },
      { chamber: { name: "苏州温州商会" }, sharePercent: 100, validFrom: "2015-03-01", validTo: null },
    ]);
    await arrive(takenOver, "2500", "2015-03-10");

    const p = await progress(2015, "2015-12-31");
    expect(p.arrived).toBe("5600.00");
    expect(byChamber(p, "南京温州商会")).toEqual({
      chamber: { name: "南京温州商会" },
      arrived: "1600.00",
      arrivedIncludingDescendants: "1600.00",
      projectsSigned: 1,
      projectsSignedIncludingDescendants: 1,
      pledged: "1600.00",
      pledgedIncludingDescendants: "1600.00",
    });
    // 苏州: 60 % of the shared project, and the taken-over one afresh from 2015-03-01
    expect(byChamber(p, "苏州温州商会")).toMatchObject({
      arrived: "3100.00",
      projectsSigned: 1.6,
      pledged: "1600.00",
    });
    // 深圳: 40 % of the shared project, and the taken-over one before the change
    expect(byChamber(p, "深圳温州商会")).toMatchObject({ arrived: "900.00", projectsSigned: 1.4, pledged: "2400.00" });
    // the provincial chamber's figures are its cities' (through the tree), each counted once
    expect(byChamber(p, "江苏省温州商会")).toMatchObject({
      arrived: "0.00",
      arrivedIncludingDescendants: "4700.00",
      projectsSignedIncludingDescendants: 2.6,
    });
    const credited = p.byChamber.reduce((s: number, c: { arrived: string }) => s + Number(c.arrived), 0);
    expect(credited).toBe(5600);
  });

  it("shared credit only by explicit percentages summing to 100", async () => {
    const bad = await create({
      name: "份额不对",
      credits: [
        { chamberId: chamberId(suzhou), sharePercent: "50" },
        { chamberId: chamberId(shenzhen), sharePercent: "40" },
      ],
    });
    expect(bad.userErrors).toEqual([expect.objectContaining({ field: ["input", "credits"], code: "INVALID" })]);
    expect(bad.userErrors[0].message).toContain("90.00");
    const twice = await create({
      name: "重复商会",
      credits: [
        { chamberId: chamberId(suzhou), sharePercent: "50" },
        { chamberId: chamberId(suzhou), sharePercent: "50" },
      ],
    });
    expect(twice.userErrors[0].field).toEqual(["input", "credits"]);
  });
});

describe("the year's target and progress", () => {
  it("the split by district must sum to the target; progress reads against it, by district and month", async () => {
    const bad = (
      await api.data(
        TARGET,
        {
          input: { year: 2016, amount: "1000", districts: [{ districtCode: "330302", amount: "999.99" }] },
        },
        city.token,
      )
    ).setReturnInvestmentTarget;
    expect(bad.userErrors).toEqual([expect.objectContaining({ field: ["input", "districts"] })]);
    const set = (
      await api.data(
        TARGET,
        {
          input: {
            year: 2016,
            amount: "1000",
            districts: [
              { districtCode: "330302", amount: "600" },
              { districtCode: "330381", amount: "400" },
            ],
          },
        },
        city.token,
      )
    ).setReturnInvestmentTarget;
    expect(set.userErrors).toEqual([]);
    const id = await signed("2016项目", only(suzhou), "500", "2016-01-04");
    await arrive(id, "150", "2016-02-01");
    await arrive(id, "60", "2016-03-15", "REAL_ESTATE_OUTSIDE_CITY");
    await arrive(id, "100", "2016-06-01");
    const p = await progress(2016, "2016-03-31");
    // against January–March 2015 (the counting test's 5600.00)
    expect(p).toMatchObject({ target: "1000.00", arrived: "210.00", percentOfTarget: 21, growthPercent: -96.25 });
    expect(p.byMonth).toEqual([
      { month: 1, arrived: "0.00" },
      { month: 2, arrived: "150.00" },
      { month: 3, arrived: "60.00" },
    ]);
    const lucheng = p.byDistrict.find((d: { districtCode: string }) => d.districtCode === "330302");
    expect(lucheng).toEqual({ districtCode: "330302", target: "600.00", arrived: "210.00", percentOfTarget: 35 });
    const total = p.byDistrict.reduce((s: bigint, d: { target: string }) => s + BigInt(d.target.replace(".", "")), 0n);
    expect(total).toBe(100000n);
    // a secretary may not set targets or read the city's progress
    const secretary = await api.gql(PROGRESS, { year: 2016 }, suzhouSecretary.token);
    expect(secretary.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    const staffRead = await api.data(PROGRESS, { year: 2016, asOf: "2016-03-31" }, staff.token);
    expect(staffRead.returnInvestmentProgress.arrived).toBe("210.00");
    const setBySecretary = await api.gql(TARGET, { input: { year: 2017, amount: "1", districts: [] } }, staff.token);
    expect(setBySecretary.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
  });
});

describe("who sees which projects", () => {
  it("a secretary sees their chamber's credited projects, never another's; a member those they invest in", async () => {
    const LIST = `query ($filter: InvestmentProjectFilter) { investmentProjects(first: 100, filter: $filter) {
      totalCount edges { node { name } } } }`;
    const secret = await signed("深圳独家项目", only(shenzhen), "100", "2014-05-01");
    await api.data(
      `mutation ($input: RaiseInvestmentProblemInput!) { raiseInvestmentProblem(input: $input) {
      userErrors { message } } }`,
      {
        input: {
          projectId: secret,
          kind: "LAND",
          description: "用地指标未落实",
          department: "市国土局",
          dueOn: "2014-05-10",
        },
      },
      city.token,
    );
    const names = async (token: string, filter?: unknown) =>
      (await api.data(LIST, { filter }, token)).investmentProjects.edges.map(
        (e: { node: { name: string } }) => e.node.name,
      );
    expect(await names(shenzhenSecretary.token)).toContain("深圳独家项目");
    expect(await names(suzhouSecretary.token)).not.toContain("深圳独家项目");
    // of 深圳's projects 苏州 sees the one it shares and the one it took over
    expect(await names(suzhouSecretary.token, { chamberId: chamberId(shenzhen) })).toEqual(["易主项目", "共享项目"]);
    expect(await names(staff.token)).toContain("深圳独家项目");
    const mine = await names(investor.user.token);
    expect(mine).toContain("瓯江口智能制造基地");
    expect(mine).toContain("回乡投资眼镜产业园");
    expect(mine).not.toContain("深圳独家项目");
    expect(await names(otherMember.token)).toEqual([]);
    const NODE = `query ($id: ID!) { node(id: $id) { ... on InvestmentProject { name problems { description } } } }`;
    expect((await api.data(NODE, { id: secret }, suzhouSecretary.token)).node).toBeNull();
    expect((await api.data(NODE, { id: secret }, shenzhenSecretary.token)).node.problems).toEqual([
      { description: "用地指标未落实" },
    ]);
    const OVERDUE = `{ overdueInvestmentProblems(asOf: "2014-06-01") { totalCount edges { node { description } } } }`;
    expect((await api.data(OVERDUE, {}, suzhouSecretary.token)).overdueInvestmentProblems.totalCount).toBe(0);
    expect((await api.data(OVERDUE, {}, shenzhenSecretary.token)).overdueInvestmentProblems.totalCount).toBe(1);
  });
});
