// Delegations home through GraphQL: planning one with its organisers, participants (active members of an organising
// chamber only), visits and city contacts; the lifecycle and its illegal moves; results that move projects and are
// credited once (the first signing only) in the return-investment figures; the year's activity against the goal, by
// month and through the chamber tree; who sees and keeps which delegation; the audit trail.
import { decodeGlobalID } from "@pothos/plugin-relay";
import { auditLogTable, delegationTable } from "@wz/db";
import { type ChamberSeed, createTestApi, globalId, type SeededUser, seed, type TestApi } from "@wz/testkit";
import { count, eq, like } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

let api: TestApi;
let city: SeededUser;
let staff: SeededUser;
let jiangsu: ChamberSeed;
let suzhou: ChamberSeed;
let nanjing: ChamberSeed;
let shenzhen: ChamberSeed;
let suzhouSecretary: SeededUser;
let nanjingSecretary: SeededUser;
let shenzhenSecretary: SeededUser;
let suzhouMember: { merchantId: string; user: SeededUser };
let nanjingMember: { merchantId: string; user: SeededUser };
let shenzhenMember: { merchantId: string; user: SeededUser };
let leftMember: { merchantId: string };
let proposed: { merchantId: string };

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
  nanjingSecretary = await nanjing.secretary();
  shenzhenSecretary = await shenzhen.secretary();
  suzhouMember = await suzhou.member({ name: "陈参团" });
  nanjingMember = await nanjing.member({ name: "林参团" });
  shenzhenMember = await shenzhen.member({ name: "王外会" });
  leftMember = await suzhou.member({ name: "赵已退", status: "LEFT" });
  const p = await s.merchant({ name: "钱未同意" });
  await suzhou.addMembership(p.id, { proposedBy: suzhouSecretary.id, status: "APPLIED" });
  proposed = { merchantId: p.id };
});
afterAll(() => api.close());

const FIELDS = `id title status startsOn endsOn cancelReason chambers { name }
  participants { merchant { name } chamber { name } } visits { place company visitedOn }
  cityContacts { displayName } projectResults { outcome project { name stage } }
  agreements { title pledged signedOn }`;
const CREATE = `mutation ($input: CreateDelegationInput!) { createDelegation(input: $input) {
  delegation { ${FIELDS} } userErrors { field message code } } }`;
const CONFIRM = `mutation ($input: ConfirmDelegationInput!) { confirmDelegation(input: $input) {
  delegation { status } userErrors { field message code } } }`;
const CANCEL = `mutation ($input: CancelDelegationInput!) { cancelDelegation(input: $input) {
  delegation { status cancelReason } userErrors { field message code } } }`;
const COMPLETE = `mutation ($input: CompleteDelegationInput!) { completeDelegation(input: $input) {
  delegation { ${FIELDS} } userErrors { field message code } } }`;
const UPDATE = `mutation ($input: UpdateDelegationInput!) { updateDelegation(input: $input) {
  delegation { title participants { merchant { name } } } userErrors { field message code } } }`;
const ACTIVITY = `query ($year: Int!) { delegationActivity(year: $year) { year goalPerMonth total monthsUnderGoal
  byMonth { month count underGoal participants projectsNegotiating projectsSigned agreements pledged }
  byChamber { chamber { name } delegations delegationsIncludingDescendants projectsSigned
    projectsSignedIncludingDescendants pledged pledgedIncludingDescendants } } }`;

const cid = (c: ChamberSeed) => globalId("Chamber", c.id);
const mid = (id: string) => globalId("Merchant", id);

async function plan(input: Record<string, unknown>, token = city.token) {
  const body = {
    title: "苏州温州商会回乡考察团",
    chamberIds: [cid(suzhou)],
    startsOn: "2014-03-10",
    endsOn: "2014-03-12",
    ...input,
  };
  return api.gql(CREATE, { input: body }, token);
}

async function planned(input: Record<string, unknown>, token = city.token): Promise<string> {
  const result = (await plan(input, token)).data!.createDelegation;
  expect(result.userErrors).toEqual([]);
  return result.delegation.id as string;
}

const confirm = async (delegationId: string, token = city.token) =>
  (await api.data(CONFIRM, { input: { delegationId } }, token)).confirmDelegation;
const complete = async (input: Record<string, unknown>, token = city.token) =>
  (await api.data(COMPLETE, { input }, token)).completeDelegation;

async function project(name: string): Promise<string> {
  const created = await api.data(
    `mutation ($input: CreateInvestmentProjectInput!) { createInvestmentProject(input: $input) {
      project { id } userErrors { message } } }`,
    {
      input: {
        name,
        district: "330302",
        promotedOn: "2014-01-02",
        pledged: "5000000",
        credits: [{ chamberId: cid(suzhou), sharePercent: "100" }],
      },
    },
    city.token,
  );
  expect(created.createInvestmentProject.userErrors).toEqual([]);
  return created.createInvestmentProject.project.id as string;
}

const stage = async (projectId: string, to: string, on: string, reason?: string) =>
  (
    await api.data(
      `mutation ($input: ChangeInvestmentStageInput!) { changeInvestmentStage(input: $input) {
        project { stage } userErrors { code } } }`,
      { input: { projectId, stage: to, on, reason } },
      city.token,
    )
  ).changeInvestmentStage;

const suzhouSigned = async () => {
  const progress = await api.data(
    `{ returnInvestmentProgress(year: 2014, asOf: "2014-12-31") { byChamber { chamber { name } projectsSigned } } }`,
    {},
    city.token,
  );
  return progress.returnInvestmentProgress.byChamber.find(
    (c: { chamber: { name: string } }) => c.chamber.name === "苏州温州商会",
  )?.projectsSigned;
};

describe("planning a delegation", () => {
  it("a secretary plans one for their chamber: participants, visits and the city's contacts, audited", async () => {
    const result = await plan(
      {
        participantMerchantIds: [mid(suzhouMember.merchantId)],
        visits: [
          { place: "瓯江口产业集聚区", company: "温州瓯江口开发建设投资集团", visitedOn: "2014-03-10" },
          { place: "温州经济技术开发区" },
        ],
        cityContactUserIds: [globalId("User", city.id)],
        notes: "三天行程",
      },
      suzhouSecretary.token,
    );
    expect(result.errors).toBeUndefined();
    const created = result.data!.createDelegation;
    expect(created.userErrors).toEqual([]);
    expect(created.delegation).toMatchObject({
      status: "PLANNED",
      chambers: [{ name: "苏州温州商会" }],
      participants: [{ merchant: { name: "陈参团" }, chamber: { name: "苏州温州商会" } }],
      visits: [
        { place: "瓯江口产业集聚区", company: "温州瓯江口开发建设投资集团", visitedOn: "2014-03-10" },
        { place: "温州经济技术开发区", company: null, visitedOn: null },
      ],
      cityContacts: [{ displayName: city.email }],
      projectResults: [],
      agreements: [],
    });
    const [audited] = await api.db.db
      .select({ n: count() })
      .from(auditLogTable)
      .where(eq(auditLogTable.entityId, decodeGlobalID(created.delegation.id).id));
    expect(audited!.n).toBe(1);
    // the participant sees the delegation they take part in
    const mine = await api.data(`{ delegations { totalCount edges { node { title } } } }`, {}, suzhouMember.user.token);
    expect(mine.delegations.totalCount).toBeGreaterThanOrEqual(1);
  });

  it("takes part only an active member of an organising chamber, and creates nothing otherwise", async () => {
    const before = await api.db.db.select({ n: count() }).from(delegationTable);
    for (const merchantId of [
      shenzhenMember.merchantId,
      leftMember.merchantId,
      proposed.merchantId,
      crypto.randomUUID(),
    ]) {
      const refused = (await plan({ participantMerchantIds: [mid(suzhouMember.merchantId), mid(merchantId)] })).data!
        .createDelegation;
      expect(refused.delegation).toBeNull();
      expect(refused.userErrors).toEqual([
        expect.objectContaining({ code: "INVALID", field: ["input", "participantMerchantIds", "1"] }),
      ]);
    }
    // a joint delegation of two chambers takes the members of both
    const joint = await planned({
      chamberIds: [cid(suzhou), cid(nanjing)],
      participantMerchantIds: [mid(suzhouMember.merchantId), mid(nanjingMember.merchantId)],
    });
    const after = await api.db.db.select({ n: count() }).from(delegationTable);
    expect(after[0]!.n).toBe(before[0]!.n + 1);
    expect(joint).toBeTruthy();
  });

  it("refuses bad details, a contact not city staff, and another chamber's name in a secretary's hands", async () => {
    const bad = (await plan({ title: " ", startsOn: "2014-03-12", endsOn: "2014-03-10", chamberIds: [] })).data!
      .createDelegation;
    expect(bad.userErrors.map((e: { field: string[] }) => e.field)).toEqual([
      ["input", "title"],
      ["input", "chamberIds"],
      ["input", "endsOn"],
    ]);
    const contact = (await plan({ cityContactUserIds: [globalId("User", suzhouSecretary.id)] })).data!.createDelegation;
    expect(contact.userErrors).toEqual([
      expect.objectContaining({ code: "INVALID", field: ["input", "cityContactUserIds"] }),
    ]);
    const foreign = await plan({ chamberIds: [cid(suzhou), cid(shenzhen)] }, suzhouSecretary.token);
    expect(foreign.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    const member = await plan({}, suzhouMember.user.token);
    expect(member.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
  });
});

describe("the lifecycle", () => {
  it("PLANNED → CONFIRMED → DONE; any other move is INVALID_TRANSITION and changes nothing", async () => {
    const id = await planned({ title: "生命周期考察团" }, suzhouSecretary.token);
    const early = await complete({ delegationId: id }, suzhouSecretary.token);
    expect(early.userErrors).toEqual([expect.objectContaining({ code: "INVALID_TRANSITION" })]);
    expect((await confirm(id, suzhouSecretary.token)).delegation.status).toBe("CONFIRMED");
    expect((await confirm(id, suzhouSecretary.token)).userErrors).toEqual([
      expect.objectContaining({ code: "INVALID_TRANSITION", field: ["input", "delegationId"] }),
    ]);
    const done = await complete(
      { delegationId: id, agreements: [{ title: "三年投资框架协议", pledged: "1000000000" }] },
      suzhouSecretary.token,
    );
    expect(done.userErrors).toEqual([]);
    expect(done.delegation).toMatchObject({
      status: "DONE",
      agreements: [{ title: "三年投资框架协议", pledged: "1000000000.00", signedOn: "2014-03-12" }],
    });
    const cancel = (await api.data(CANCEL, { input: { delegationId: id, reason: "改期" } }, city.token))
      .cancelDelegation;
    expect(cancel.userErrors).toEqual([expect.objectContaining({ code: "INVALID_TRANSITION" })]);
    const update = (
      await api.data(
        UPDATE,
        {
          input: {
            delegationId: id,
            details: { title: "改名", chamberIds: [cid(suzhou)], startsOn: "2014-03-10", endsOn: "2014-03-12" },
          },
        },
        city.token,
      )
    ).updateDelegation;
    expect(update.userErrors).toEqual([expect.objectContaining({ code: "INVALID_TRANSITION" })]);
    const audited = await api.db.db
      .select({ action: auditLogTable.action })
      .from(auditLogTable)
      .where(eq(auditLogTable.entityId, decodeGlobalID(id).id));
    expect(audited.map((a) => a.action).sort()).toEqual([
      "delegation:complete",
      "delegation:confirm",
      "delegation:create",
    ]);
  });

  it("cancels a PLANNED or CONFIRMED one with a reason, and nothing moves a cancelled one", async () => {
    const id = await planned({ title: "取消考察团" });
    const noReason = (await api.data(CANCEL, { input: { delegationId: id, reason: " " } }, city.token))
      .cancelDelegation;
    expect(noReason.userErrors).toEqual([expect.objectContaining({ code: "INVALID", field: ["input", "reason"] })]);
    const cancelled = (await api.data(CANCEL, { input: { delegationId: id, reason: "天气原因" } }, city.token))
      .cancelDelegation;
    expect(cancelled.delegation).toEqual({ status: "CANCELLED", cancelReason: "天气原因" });
    expect((await confirm(id)).userErrors).toEqual([expect.objectContaining({ code: "INVALID_TRANSITION" })]);
    expect((await complete({ delegationId: id })).userErrors).toEqual([
      expect.objectContaining({ code: "INVALID_TRANSITION" }),
    ]);
  });

  it("updates a planned one's details, participants checked again", async () => {
    const id = await planned({ title: "待改考察团" }, suzhouSecretary.token);
    const base = { chamberIds: [cid(suzhou)], startsOn: "2014-03-10", endsOn: "2014-03-12" };
    const refused = (
      await api.data(
        UPDATE,
        {
          input: {
            delegationId: id,
            details: { ...base, title: "改后", participantMerchantIds: [mid(shenzhenMember.merchantId)] },
          },
        },
        suzhouSecretary.token,
      )
    ).updateDelegation;
    expect(refused.userErrors).toEqual([
      expect.objectContaining({ code: "INVALID", field: ["input", "details", "participantMerchantIds", "0"] }),
    ]);
    const updated = (
      await api.data(
        UPDATE,
        {
          input: {
            delegationId: id,
            details: { ...base, title: "改后", participantMerchantIds: [mid(suzhouMember.merchantId)] },
          },
        },
        suzhouSecretary.token,
      )
    ).updateDelegation;
    expect(updated).toEqual({
      delegation: { title: "改后", participants: [{ merchant: { name: "陈参团" } }] },
      userErrors: [],
    });
  });
});

describe("another chamber's delegation", () => {
  it("is invisible to another chamber's secretary and member, and changing it answers like a missing one", async () => {
    const id = await planned({ title: "机密考察团" }, suzhouSecretary.token);
    const random = globalId("Delegation", crypto.randomUUID());
    for (const token of [shenzhenSecretary.token, shenzhenMember.user.token]) {
      const seen = await api.data(
        `query ($id: ID!) { node(id: $id) { id } delegations(filter: { chamberId: "${cid(suzhou)}" }) { totalCount } }`,
        { id },
        token,
      );
      expect(seen).toEqual({ node: null, delegations: { totalCount: 0 } });
      const foreign = await api.gql(CONFIRM, { input: { delegationId: id } }, token);
      const missing = await api.gql(CONFIRM, { input: { delegationId: random } }, token);
      expect(foreign).toEqual(missing);
      expect(foreign.data!.confirmDelegation.userErrors[0].code).toBe("NOT_FOUND");
    }
    // the chamber's own member sees it; a sister chamber's secretary may see none of it
    const own = await api.data(`query ($id: ID!) { node(id: $id) { id } }`, { id }, suzhouMember.user.token);
    expect(own.node).toEqual({ id });
    const sister = await api.data(`query ($id: ID!) { node(id: $id) { id } }`, { id }, nanjingSecretary.token);
    expect(sister.node).toBeNull();
    const staffSees = await api.data(`query ($id: ID!) { node(id: $id) { id } }`, { id }, staff.token);
    expect(staffSees.node).toEqual({ id });
    // staff see it but do not keep it
    const staffConfirm = await api.gql(CONFIRM, { input: { delegationId: id } }, staff.token);
    expect(staffConfirm.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
  });
});

describe("results credited once", () => {
  it("a project signed on a delegation is its first signing, counted once; no other can claim it", async () => {
    const first = await project("瓯江口新材料项目");
    const second = await project("鹿城商贸综合体");
    const direct = await project("龙湾物流园");
    const signedBefore = await suzhouSigned();

    const a = await planned({ title: "二月考察团", startsOn: "2014-02-03", endsOn: "2014-02-05" });
    await confirm(a);
    // a secretary cannot move the city's projects
    const bySecretary = await api.gql(
      COMPLETE,
      { input: { delegationId: a, projects: [{ projectId: first, outcome: "SIGNED" }] } },
      suzhouSecretary.token,
    );
    expect(bySecretary.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    const done = await complete({
      delegationId: a,
      projects: [
        { projectId: first, outcome: "SIGNED" },
        { projectId: second, outcome: "NEGOTIATING" },
      ],
      agreements: [{ title: "框架协议", pledged: "300000000", signedOn: "2014-02-04" }],
    });
    expect(done.userErrors).toEqual([]);
    expect(done.delegation.projectResults).toHaveLength(2);
    expect(done.delegation.projectResults).toEqual(
      expect.arrayContaining([
        { outcome: "SIGNED", project: { name: "瓯江口新材料项目", stage: "SIGNED" } },
        { outcome: "NEGOTIATING", project: { name: "鹿城商贸综合体", stage: "NEGOTIATING" } },
      ]),
    );
    const history = await api.data(
      `query ($id: ID!) { node(id: $id) { ... on InvestmentProject { stageHistory { toStage on } } } }`,
      { id: first },
      city.token,
    );
    expect(history.node.stageHistory).toEqual([
      { toStage: "PROMOTED", on: "2014-01-02" },
      { toStage: "NEGOTIATING", on: "2014-02-05" },
      { toStage: "SIGNED", on: "2014-02-05" },
    ]);
    expect(await suzhouSigned()).toBe((signedBefore ?? 0) + 1);

    // a second delegation cannot claim the signing, even after the project was dropped and revived
    expect((await stage(first, "DROPPED", "2014-04-01", "投资方撤回")).userErrors).toEqual([]);
    expect((await stage(first, "NEGOTIATING", "2014-04-10", "重新洽谈")).userErrors).toEqual([]);
    expect((await stage(direct, "NEGOTIATING", "2014-04-02")).userErrors).toEqual([]);
    expect((await stage(direct, "SIGNED", "2014-04-03")).userErrors).toEqual([]);
    const b = await planned({ title: "四月考察团", startsOn: "2014-04-20", endsOn: "2014-04-22" });
    await confirm(b);
    for (const projectId of [first, direct]) {
      const refused = await complete({ delegationId: b, projects: [{ projectId, outcome: "SIGNED" }] });
      expect(refused.userErrors).toEqual([
        expect.objectContaining({ code: "CONFLICT", field: ["input", "projects", "0", "projectId"] }),
      ]);
    }
    const back = await api.data(
      `query ($id: ID!) { node(id: $id) { ... on Delegation { status } } }`,
      { id: b },
      city.token,
    );
    expect(back.node.status).toBe("CONFIRMED");
    // moving a project that is not where the outcome starts from is an illegal move
    const stuck = await complete({ delegationId: b, projects: [{ projectId: direct, outcome: "NEGOTIATING" }] });
    expect(stuck.userErrors).toEqual([expect.objectContaining({ code: "INVALID_TRANSITION" })]);
    // signing it again outside a delegation still counts it once (its first signing)
    expect((await stage(first, "SIGNED", "2014-05-01")).userErrors).toEqual([]);
    expect(await suzhouSigned()).toBe((signedBefore ?? 0) + 2);
    const month = await api.data(ACTIVITY, { year: 2014 }, city.token);
    const february = month.delegationActivity.byMonth[1];
    expect(february).toMatchObject({
      projectsSigned: 1,
      projectsNegotiating: 1,
      agreements: 1,
      pledged: "300000000.00",
    });
    expect(month.delegationActivity.byMonth[3]).toMatchObject({ projectsSigned: 0 });
  });
});

describe("the year's activity", () => {
  it("counts each month against the goal of 2, flags the months under it, and rolls chambers up the tree", async () => {
    const s = seed(api.db.db);
    const hunan = await s.chamber({ name: "湖南省温州商会", kind: "PROVINCIAL", provinceCode: "43" });
    const changsha = await s.chamber({ name: "长沙温州商会", provinceCode: "43", parentId: hunan.id });
    const zhuzhou = await s.chamber({ name: "株洲温州商会", provinceCode: "43", parentId: hunan.id });
    const member = await changsha.member({ name: "周长沙" });
    for (const [i, chambers] of [[changsha], [changsha, zhuzhou], [zhuzhou]].entries()) {
      const id = await planned({
        title: `湖南考察团${i}`,
        chamberIds: chambers.map(cid),
        startsOn: `2015-06-0${i + 1}`,
        endsOn: `2015-06-0${i + 2}`,
        participantMerchantIds: i === 0 ? [mid(member.merchantId)] : [],
      });
      await confirm(id);
      await complete({ delegationId: id, agreements: [{ title: "协议", pledged: "100" }] });
    }
    const cancelled = await planned({
      title: "取消的",
      chamberIds: [cid(changsha)],
      startsOn: "2015-07-01",
      endsOn: "2015-07-02",
    });
    await api.data(CANCEL, { input: { delegationId: cancelled, reason: "取消" } }, city.token);
    const activity = (await api.data(ACTIVITY, { year: 2015 }, staff.token)).delegationActivity;
    expect(activity).toMatchObject({ year: 2015, goalPerMonth: 2, total: 3, monthsUnderGoal: 11 });
    expect(activity.byMonth).toHaveLength(12);
    expect(activity.byMonth[5]).toEqual({
      month: 6,
      count: 3,
      underGoal: false,
      participants: 1,
      projectsNegotiating: 0,
      projectsSigned: 0,
      agreements: 3,
      pledged: "300.00",
    });
    expect(activity.byMonth[6]).toMatchObject({ month: 7, count: 0, underGoal: true });
    const byName = new Map(activity.byChamber.map((c: { chamber: { name: string } }) => [c.chamber.name, c]));
    expect(byName.get("长沙温州商会")).toMatchObject({
      delegations: 2,
      delegationsIncludingDescendants: 2,
      pledged: "200.00",
    });
    expect(byName.get("株洲温州商会")).toMatchObject({ delegations: 2, delegationsIncludingDescendants: 2 });
    // the joint delegation counts once for the province above both
    expect(byName.get("湖南省温州商会")).toMatchObject({
      delegations: 0,
      delegationsIncludingDescendants: 3,
      pledgedIncludingDescendants: "300.00",
    });
    for (const token of [suzhouSecretary.token, shenzhenMember.user.token]) {
      const denied = await api.gql(ACTIVITY, { year: 2015 }, token);
      expect(denied.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    }
    const bad = await api.gql(ACTIVITY, { year: 1999 }, city.token);
    expect(bad.errors?.[0]?.extensions?.code).toBeDefined();
  });

  it("says a refusal in both languages", async () => {
    const id = await planned({ title: "语言考察团" });
    for (const [language, text] of [
      ["zh-CN", "不能变为"],
      ["en", "cannot become"],
    ]) {
      const result = await api.gql(COMPLETE, { input: { delegationId: id } }, city.token, {
        "accept-language": language!,
      });
      expect(result.data!.completeDelegation.userErrors[0].message).toContain(text);
    }
    const rows = await api.db.db
      .select({ n: count() })
      .from(delegationTable)
      .where(like(delegationTable.title, "语言%"));
    expect(rows[0]!.n).toBe(1);
  });
});
