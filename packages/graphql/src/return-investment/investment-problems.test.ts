// Key projects' service officers and the problems they clear (重点项目服务员制度): the officer is a CITY_STAFF
// account whose contact card the investor sees; problems have a department, a due date and a resolution, the
// overdue ones are listed, and every change is in the audit log.
import { auditLogTable } from "@wz/db";
import { createTestApi, globalId, type SeededUser, seed, type TestApi } from "@wz/testkit";
import { inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

let api: TestApi;
let city: SeededUser;
let staff: SeededUser;
let investor: SeededUser;
let secretary: SeededUser;
let otherSecretary: SeededUser;
let keyProject: string;
let plainProject: string;

const CREATE = `mutation ($input: CreateInvestmentProjectInput!) { createInvestmentProject(input: $input) {
  project { id } userErrors { message } } }`;
const OFFICER = `mutation ($input: AssignServiceOfficerInput!) { assignServiceOfficer(input: $input) {
  project { serviceOfficer { displayName email } } userErrors { field code } } }`;
const RAISE = `mutation ($input: RaiseInvestmentProblemInput!) { raiseInvestmentProblem(input: $input) {
  problem { id kind department dueOn status overdue } userErrors { field code } } }`;
const UPDATE = `mutation ($input: UpdateInvestmentProblemInput!) { updateInvestmentProblem(input: $input) {
  problem { status resolution resolvedOn dueOn overdue } userErrors { field code } } }`;
const OVERDUE = `query ($asOf: Date) { overdueInvestmentProblems(asOf: $asOf) { totalCount
  edges { node { description dueOn project { name } } } } }`;

beforeAll(async () => {
  api = await createTestApi();
  const s = seed(api.db.db);
  city = await s.user({ cityStaff: true, email: "officer@city.example.org" });
  staff = await s.federationStaff();
  const chamber = await s.chamber({ name: "昆明温州商会" });
  const other = await s.chamber({ name: "长沙温州商会" });
  secretary = await chamber.secretary();
  otherSecretary = await other.secretary();
  const member = await chamber.member({ name: "陈投资" });
  investor = member.user;
  const credits = [{ chamberId: globalId("Chamber", chamber.id), sharePercent: "100" }];
  const base = { district: "330324", pledged: "100", promotedOn: "2014-01-02", credits };
  const input = {
    ...base,
    name: "楠溪江度假区",
    keyProject: true,
    investorMerchantIds: [globalId("Merchant", member.merchantId)],
  };
  keyProject = (await api.data(CREATE, { input }, city.token)).createInvestmentProject.project.id;
  plainProject = (await api.data(CREATE, { input: { ...base, name: "普通项目" } }, city.token)).createInvestmentProject
    .project.id;
});
afterAll(() => api?.close());

describe("service officers and problems", () => {
  it("a key project's service officer is city staff, and the investor sees their contact card", async () => {
    const notCity = await api.data(
      OFFICER,
      { input: { projectId: keyProject, userId: globalId("User", staff.id) } },
      city.token,
    );
    expect(notCity.assignServiceOfficer.userErrors).toEqual([{ field: ["input", "userId"], code: "INVALID" }]);
    const notKey = await api.data(
      OFFICER,
      { input: { projectId: plainProject, userId: globalId("User", city.id) } },
      city.token,
    );
    expect(notKey.assignServiceOfficer.userErrors).toEqual([{ field: ["input", "projectId"], code: "INVALID" }]);
    const done = await api.data(
      OFFICER,
      { input: { projectId: keyProject, userId: globalId("User", city.id) } },
      city.token,
    );
    expect(done.assignServiceOfficer.userErrors).toEqual([]);
    const CARD = `query ($id: ID!) { node(id: $id) { ... on InvestmentProject {
      serviceOfficer { displayName email } } } }`;
    expect((await api.data(CARD, { id: keyProject }, investor.token)).node.serviceOfficer).toEqual({
      displayName: "officer@city.example.org",
      email: "officer@city.example.org",
    });
    expect((await api.data(CARD, { id: keyProject }, otherSecretary.token)).node).toBeNull();
  });

  it("problems are raised, moved and resolved by city staff, listed when overdue, and audited", async () => {
    const raised = await api.data(
      RAISE,
      {
        input: {
          projectId: keyProject,
          kind: "LAND",
          description: "用地指标",
          department: "市国土局",
          dueOn: "2014-03-01",
        },
      },
      city.token,
    );
    expect(raised.raiseInvestmentProblem.problem).toMatchObject({ kind: "LAND", status: "OPEN", overdue: true });
    const problemId = raised.raiseInvestmentProblem.problem.id as string;
    const blank = await api.data(
      RAISE,
      {
        input: { projectId: keyProject, kind: "FUNDS", description: " ", department: "", dueOn: "2014-03-01" },
      },
      city.token,
    );
    expect(blank.raiseInvestmentProblem.userErrors.map((e: { field: string[] }) => e.field.join("."))).toEqual([
      "input.description",
      "input.department",
    ]);
    const bySecretary = await api.gql(
      RAISE,
      {
        input: { projectId: keyProject, kind: "FUNDS", description: "x", department: "y", dueOn: "2014-03-01" },
      },
      secretary.token,
    );
    expect(bySecretary.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");

    const listed = await api.data(OVERDUE, { asOf: "2014-03-02" }, secretary.token);
    expect(listed.overdueInvestmentProblems).toEqual({
      totalCount: 1,
      edges: [{ node: { description: "用地指标", dueOn: "2014-03-01", project: { name: "楠溪江度假区" } } }],
    });
    expect(
      (await api.data(OVERDUE, { asOf: "2014-03-01" }, secretary.token)).overdueInvestmentProblems.totalCount,
    ).toBe(0);
    expect(
      (await api.data(OVERDUE, { asOf: "2014-03-02" }, otherSecretary.token)).overdueInvestmentProblems.totalCount,
    ).toBe(0);

    const moved = await api.data(UPDATE, { input: { problemId, dueOn: "2014-04-01" } }, city.token);
    expect(moved.updateInvestmentProblem.problem).toMatchObject({ dueOn: "2014-04-01", status: "OPEN" });
    const half = await api.data(UPDATE, { input: { problemId, resolution: "已解决" } }, city.token);
    expect(half.updateInvestmentProblem.userErrors).toEqual([{ field: ["input", "resolvedOn"], code: "INVALID" }]);
    const resolved = await api.data(
      UPDATE,
      {
        input: { problemId, resolution: "调剂用地指标 50 亩", resolvedOn: "2014-03-20" },
      },
      city.token,
    );
    expect(resolved.updateInvestmentProblem.problem).toEqual({
      status: "RESOLVED",
      resolution: "调剂用地指标 50 亩",
      resolvedOn: "2014-03-20",
      dueOn: "2014-04-01",
      overdue: false,
    });
    const again = await api.data(UPDATE, { input: { problemId, dueOn: "2014-05-01" } }, city.token);
    expect(again.updateInvestmentProblem.userErrors).toEqual([
      { field: ["input", "problemId"], code: "INVALID_TRANSITION" },
    ]);
    expect((await api.data(OVERDUE, { asOf: "2014-06-01" }, city.token)).overdueInvestmentProblems.totalCount).toBe(0);

    const trail = await api.db.db
      .select({ action: auditLogTable.action })
      .from(auditLogTable)
      .where(
        inArray(auditLogTable.action, [
          "investment:problem-raise",
          "investment:problem-update",
          "investment:problem-resolve",
          "investment:service-officer",
        ]),
      );
    expect(trail.map((t) => t.action).sort()).toEqual([
      "investment:problem-raise",
      "investment:problem-resolve",
      "investment:problem-update",
      "investment:service-officer",
    ]);
  });
});
