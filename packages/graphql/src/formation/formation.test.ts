// Formation through GraphQL: every transition, date, checklist and step-back rule of advanceFormation, the
// plan and "behind schedule", the dashboard with its forecast, histories, and who may do what.
import { addDays, todayIso } from "@wz/core";
import { chamberTable, formationStepTable } from "@wz/db";
import { createTestApi, globalId, type SeededUser, seed, type TestApi } from "@wz/testkit";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

let api: TestApi;
let staff: SeededUser;
let federationId: string;
const today = todayIso();
const daysAgo = (n: number) => addDays(today, -n);

beforeAll(async () => {
  api = await createTestApi();
  const s = seed(api.db.db);
  federationId = (await s.federation()).id;
  staff = await s.federationStaff();
});
afterAll(() => api.close());

const ADVANCE = `mutation ($input: AdvanceFormationInput!) { advanceFormation(input: $input) {
  province { code formationStatus reachedOn chamber { id status foundedOn } }
  step { fromStatus toStatus reachedOn note reason recordedBy { id } }
  userErrors { field message code } } }`;
const TICK = `mutation ($input: UpdateChecklistItemInput!) { updateChecklistItem(input: $input) {
  item { item done doneOn note value checkedBy { id } } userErrors { field message code } } }`;
const PROVINCE = `{ provinces { code formationStatus reachedOn responsible { id } behindSchedule nextPlannedStep {
  status targetOn }
  formationPlan { status targetOn } formationHistory { fromStatus toStatus reachedOn note reason } chamber { id status }
    } }`;

async function advance(
  provinceCode: string,
  status: string,
  date: string,
  extra: Record<string, unknown> = {},
  token: string | null = staff.token,
) {
  return (await api.data(ADVANCE, { input: { provinceCode, status, date, ...extra } }, token)).advanceFormation;
}
async function tick(chamberId: string, item: string, extra: Record<string, unknown> = {}) {
  return (await api.data(TICK, { input: { chamberId, item, done: true, ...extra } }, staff.token)).updateChecklistItem;
}
async function tickAllBeforeApproval(chamberId: string, doneOn: string) {
  for (const item of ["PREMISES", "PRESIDENT_CANDIDATE", "SECRETARY_GENERAL_CANDIDATE", "CHARTER"])
    expect((await tick(chamberId, item, { doneOn })).userErrors).toEqual([]);
  expect((await tick(chamberId, "MEMBER_FIRMS", { doneOn, value: "80" })).userErrors).toEqual([]);
}
async function province(code: string, token: string | null = staff.token) {
  return (await api.data(PROVINCE, {}, token)).provinces.find((p: { code: string }) => p.code === code);
}
const history = (code: string) =>
  api.db.db.select().from(formationStepTable).where(eq(formationStepTable.provinceCode, code));

describe("forecast with no founding in the last 12 months", () => {
  it("a province founded in 2015 (as in the demo) gives no pace: no forecast date, onTrack false", async () => {
    const init = await advance("65", "INITIATED", "2014-06-01");
    await advance("65", "PREPARATORY", "2014-08-01");
    await advance("65", "APPLIED", "2014-10-01");
    await tickAllBeforeApproval(init.province.chamber.id, "2014-12-01");
    await advance("65", "APPROVED", "2015-02-01");
    expect((await advance("65", "FOUNDED", "2015-06-01")).province.chamber).toMatchObject({
      status: "ACTIVE",
      foundedOn: "2015-06-01",
    });
    const { formationProgress } = await api.data(
      `{ formationProgress { founded byStatus { status count } forecast { foundedLast12Months remaining forecastDate
        onTrack } } }`,
    );
    expect(formationProgress.founded).toBe(1);
    expect(formationProgress.byStatus).toEqual([
      { status: "NOT_STARTED", count: 30 },
      { status: "INITIATED", count: 0 },
      { status: "PREPARATORY", count: 0 },
      { status: "APPLIED", count: 0 },
      { status: "APPROVED", count: 0 },
      { status: "FOUNDED", count: 1 },
    ]);
    expect(formationProgress.forecast).toEqual({
      foundedLast12Months: 0,
      remaining: 30,
      forecastDate: null,
      onTrack: false,
    });
  });
});

describe("advanceFormation: transitions", () => {
  it("INITIATED creates the forming provincial chamber and records who, when and why", async () => {
    const result = await advance("11", "INITIATED", daysAgo(200), { note: "发起人到位" });
    expect(result.userErrors).toEqual([]);
    expect(result.province).toMatchObject({
      code: "11",
      formationStatus: "INITIATED",
      reachedOn: daysAgo(200),
      chamber: { status: "FORMING", foundedOn: null },
    });
    expect(result.step).toEqual({
      fromStatus: "NOT_STARTED",
      toStatus: "INITIATED",
      reachedOn: daysAgo(200),
      note: "发起人到位",
      reason: null,
      recordedBy: { id: globalId("User", staff.id) },
    });
    expect((await province("11")).responsible).toEqual({ id: globalId("User", staff.id) });
    expect((await province("11", null)).responsible).toBeNull();
    const [chamber] = await api.db.db.select().from(chamberTable).where(eq(chamberTable.provinceCode, "11"));
    expect(chamber).toMatchObject({
      kind: "PROVINCIAL",
      status: "FORMING",
      name: "北京市温州商会",
      parentId: federationId,
    });
  });

  it(
    "steps go forward one at a time: skipping or repeating " + "a step is INVALID_TRANSITION and changes nothing",
    async () => {
      await advance("12", "INITIATED", daysAgo(100));
      const skip = await advance("12", "APPLIED", daysAgo(90));
      expect(skip.province).toBeNull();
      expect(skip.userErrors).toEqual([
        {
          field: ["input", "status"],
          message:
            "Steps are taken in order: from initiated the next step is preparatory group formed, " +
            "not registration filed.",
          code: "INVALID_TRANSITION",
        },
      ]);
      const repeat = await advance("12", "INITIATED", daysAgo(90));
      expect(repeat.userErrors).toEqual([
        { field: ["input", "status"], message: "The province is already at initiated.", code: "INVALID_TRANSITION" },
      ]);
      const skipFromStart = await advance("13", "FOUNDED", daysAgo(90));
      expect(skipFromStart.userErrors[0].code).toBe("INVALID_TRANSITION");
      expect(await history("12")).toHaveLength(1);
      expect((await province("12")).formationStatus).toBe("INITIATED");
    },
  );

  it("a step back needs a reason; with one it is recorded in the history", async () => {
    await advance("14", "INITIATED", daysAgo(120));
    await advance("14", "PREPARATORY", daysAgo(100));
    const noReason = await advance("14", "INITIATED", daysAgo(50), { reason: "  " });
    expect(noReason.userErrors).toEqual([
      {
        field: ["input", "reason"],
        message: "Going back from preparatory group formed to initiated needs a reason.",
        code: "INVALID",
      },
    ]);
    expect((await province("14")).formationStatus).toBe("PREPARATORY");
    const back = await advance("14", "INITIATED", daysAgo(50), { reason: "筹备组负责人调离" });
    expect(back.userErrors).toEqual([]);
    expect(back.step).toMatchObject({ fromStatus: "PREPARATORY", toStatus: "INITIATED", reason: "筹备组负责人调离" });
    const p = await province("14");
    expect(p.formationHistory.map((h: { toStatus: string }) => h.toStatus)).toEqual([
      "INITIATED",
      "PREPARATORY",
      "INITIATED",
    ]);
    expect(p.formationHistory[2].reason).toBe("筹备组负责人调离");
    // going back to the very start is also allowed with a reason; the forming chamber stays for its checklist
    const restart = await advance("14", "NOT_STARTED", daysAgo(40), { reason: "发起人退出" });
    expect(restart.province).toMatchObject({ formationStatus: "NOT_STARTED", chamber: { status: "FORMING" } });
  });

  it("an unknown province is NOT_FOUND", async () => {
    const result = await advance("99", "INITIATED", daysAgo(1));
    expect(result.userErrors).toEqual([
      { field: ["input", "provinceCode"], message: '"99" is not one of the 31 province codes.', code: "NOT_FOUND" },
    ]);
  });
});

describe("advanceFormation: dates", () => {
  it("a date in the future is refused", async () => {
    const result = await advance("15", "INITIATED", addDays(today, 2));
    expect(result.userErrors).toEqual([
      {
        field: ["input", "date"],
        message: `A step cannot be recorded before it happens: ${addDays(today, 2)} is after today (${today}).`,
        code: "INVALID",
      },
    ]);
    expect(await history("15")).toHaveLength(0);
  });

  it("a date before the current step's date is refused, forward or back; the same day is fine", async () => {
    await advance("21", "INITIATED", daysAgo(60));
    const early = await advance("21", "PREPARATORY", daysAgo(61));
    expect(early.userErrors).toEqual([
      {
        field: ["input", "date"],
        message: `The date cannot be before ${daysAgo(60)}, when initiated was reached.`,
        code: "INVALID",
      },
    ]);
    const earlyBack = await advance("21", "NOT_STARTED", daysAgo(61), { reason: "x" });
    expect(earlyBack.userErrors[0].field).toEqual(["input", "date"]);
    expect((await advance("21", "PREPARATORY", daysAgo(60))).userErrors).toEqual([]);
  });

  it("a date that is not a real date never reaches the service", async () => {
    const result = await api.gql(
      ADVANCE,
      { input: { provinceCode: "22", status: "INITIATED", date: "2015-02-30" } },
      staff.token,
    );
    expect(result.errors?.[0]?.message).toMatch(/Date must be a real date/);
    expect(await history("22")).toHaveLength(0);
  });
});

describe("checklist and APPROVED", () => {
  it("APPROVED is refused while required items are open (listing them); ticking them all lets it through", async () => {
    const init = await advance("23", "INITIATED", daysAgo(300));
    const chamberId = init.province.chamber.id;
    await advance("23", "PREPARATORY", daysAgo(250));
    await advance("23", "APPLIED", daysAgo(200));
    await tick(chamberId, "CHARTER", { doneOn: daysAgo(210), note: "章程草案通过" });
    const refused = await advance("23", "APPROVED", daysAgo(150));
    expect(refused.userErrors).toEqual([
      {
        field: ["input", "status"],
        message:
          "Registered cannot be recorded while checklist items are open: MEMBER_FIRMS (Enough member firms (会员企业)), " +
          "PREMISES (Fixed premises (固定办公场所)), PRESIDENT_CANDIDATE (Candidate for president (会长人选)), " +
          "SECRETARY_GENERAL_CANDIDATE (Candidate for full-time secretary-general (专职秘书长人选)).",
        code: "INVALID_TRANSITION",
      },
    ]);
    await tickAllBeforeApproval(chamberId, daysAgo(160));
    const approved = await advance("23", "APPROVED", daysAgo(150));
    expect(approved.userErrors).toEqual([]);
    expect(approved.province.formationStatus).toBe("APPROVED");
    // reopening an item is recorded too
    const reopened = (
      await api.data(TICK, { input: { chamberId, item: "PREMISES", done: false, note: "租约到期" } }, staff.token)
    ).updateChecklistItem;
    expect(reopened.item).toMatchObject({ item: "PREMISES", done: false, doneOn: null, note: "租约到期" });
  });

  it("each item's rule is enforced with a clear error", async () => {
    const init = await advance("31", "INITIATED", daysAgo(30));
    const chamberId = init.province.chamber.id;
    expect((await tick(chamberId, "SECRETARIAT")).userErrors[0]).toMatchObject({
      field: ["input", "item"],
      code: "INVALID",
    });
    expect((await tick(chamberId, "FULL_TIME_STAFF", { value: "1" })).userErrors).toEqual([
      { field: ["input", "value"], message: "A live chamber needs at least two full-time staff.", code: "INVALID" },
    ]);
    expect((await tick(chamberId, "PRESIDENT_TERMS", { value: "3" })).userErrors).toEqual([
      {
        field: ["input", "value"],
        message: "A president serves at most two terms: the term is 1 or 2.",
        code: "INVALID",
      },
    ]);
    expect((await tick(chamberId, "MEMBER_FIRMS", { value: "many" })).userErrors).toEqual([
      {
        field: ["input", "value"],
        message: "This item records number of member firms as a whole number.",
        code: "INVALID",
      },
    ]);
    expect((await tick(chamberId, "CHARTER", { doneOn: addDays(today, 1) })).userErrors).toEqual([
      { field: ["input", "doneOn"], message: "An item cannot be ticked with a date in the future.", code: "INVALID" },
    ]);
    const ok = await tick(chamberId, "FULL_TIME_STAFF", { value: "3", note: "两名专职 + 一名兼职" });
    expect(ok.item).toMatchObject({
      item: "FULL_TIME_STAFF",
      done: true,
      doneOn: today,
      value: "3",
      checkedBy: { id: globalId("User", staff.id) },
    });
    const fed = await tick(globalId("Chamber", federationId), "CHARTER");
    expect(fed.userErrors[0].field).toEqual(["input", "chamberId"]);
    const missing = await tick(globalId("Chamber", "00000000-0000-4000-8000-000000000000"), "CHARTER");
    expect(missing.userErrors).toEqual([
      { field: ["input", "chamberId"], message: "No such chamber.", code: "NOT_FOUND" },
    ]);
  });

  it(
    "the checklist is read by federation staff and the chamber's " +
      "own secretaries; another chamber's secretary gets null",
    async () => {
      const s = seed(api.db.db);
      const own = await s.chamber();
      const other = await s.chamber();
      const ownSecretary = await own.secretary();
      const otherSecretary = await other.secretary();
      await tick(globalId("Chamber", own.id), "CHARTER", { doneOn: daysAgo(3) });
      const q = `query ($id: ID!) { node(id: $id) { ... on Chamber { checklist { item done phase } } } }`;
      const asOwn = (await api.data(q, { id: globalId("Chamber", own.id) }, ownSecretary.token)).node.checklist;
      expect(asOwn).toHaveLength(8);
      expect(asOwn.find((i: { item: string }) => i.item === "CHARTER")).toEqual({
        item: "CHARTER",
        done: true,
        phase: "BEFORE_APPROVAL",
      });
      expect((await api.data(q, { id: globalId("Chamber", own.id) }, otherSecretary.token)).node.checklist).toBeNull();
      expect((await api.data(q, { id: globalId("Chamber", own.id) }, staff.token)).node.checklist).toHaveLength(8);
    },
  );
});

describe("FOUNDED", () => {
  it(
    "makes the chamber live, moves the province's " + "municipal chambers under it; a step back reverses both",
    async () => {
      const s = seed(api.db.db);
      const city = await s.chamber({ name: "郑州温州商会", provinceCode: "41", city: "郑州" });
      const init = await advance("41", "INITIATED", daysAgo(330));
      const chamberId = init.province.chamber.id;
      await advance("41", "PREPARATORY", daysAgo(300));
      await advance("41", "APPLIED", daysAgo(280));
      await tickAllBeforeApproval(chamberId, daysAgo(270));
      await advance("41", "APPROVED", daysAgo(260));
      const founded = await advance("41", "FOUNDED", daysAgo(200), { note: "成立大会召开" });
      expect(founded.userErrors).toEqual([]);
      expect(founded.province.chamber).toEqual({ id: chamberId, status: "ACTIVE", foundedOn: daysAgo(200) });
      const parentOf = async () =>
        (
          await api.data(`query ($id: ID!) { node(id: $id) { ... on Chamber { parent { id } } } }`, {
            id: globalId("Chamber", city.id),
          })
        ).node.parent.id;
      expect(await parentOf()).toBe(chamberId);
      // new municipal chambers now go under it too
      const created = await api.data(
        `mutation { createChamber(input: { kind: MUNICIPAL, name: "洛阳温州商会", slug: "luoyang", provinceCode: "41", city:
        "洛阳" }) { chamber { parent { id } } } }`,
        {},
        staff.token,
      );
      expect(created.createChamber.chamber.parent.id).toBe(chamberId);
      const back = await advance("41", "APPROVED", daysAgo(190), { reason: "成立大会程序瑕疵，需重新召开" });
      expect(back.province.chamber).toEqual({ id: chamberId, status: "FORMING", foundedOn: null });
      expect(await parentOf()).toBe(globalId("Chamber", federationId));
      expect((await advance("41", "FOUNDED", daysAgo(180))).province.chamber.status).toBe("ACTIVE");
      expect(await parentOf()).toBe(chamberId);
    },
  );
});

describe("plan, behind schedule and the dashboard", () => {
  const PLAN = `mutation ($input: PlanFormationInput!) { planFormation(input: $input) { province { code nextPlannedStep
    { status targetOn } } userErrors { field message code } } }`;

  it("the plan must run in step order; behindSchedule and nextPlannedStep follow it", async () => {
    const bad = await api.data(
      PLAN,
      {
        input: {
          provinceCode: "42",
          targets: [
            { status: "APPLIED", targetOn: "2015-03-01" },
            { status: "PREPARATORY", targetOn: "2015-05-01" },
          ],
        },
      },
      staff.token,
    );
    expect(bad.planFormation.userErrors).toEqual([
      {
        field: ["input", "targets"],
        message:
          "Steps are taken in order: registration filed (2015-03-01) cannot be planned before " +
          "preparatory group formed (2015-05-01).",
        code: "INVALID",
      },
    ]);
    const start = await api.data(
      PLAN,
      { input: { provinceCode: "42", targets: [{ status: "NOT_STARTED", targetOn: "2015-03-01" }] } },
      staff.token,
    );
    expect(start.planFormation.userErrors[0].field).toEqual(["input", "targets", "0", "status"]);
    const ok = await api.data(
      PLAN,
      {
        input: {
          provinceCode: "42",
          targets: [
            { status: "INITIATED", targetOn: addDays(today, 30) },
            { status: "FOUNDED", targetOn: addDays(today, 400) },
          ],
        },
      },
      staff.token,
    );
    expect(ok.planFormation).toEqual({
      province: { code: "42", nextPlannedStep: { status: "INITIATED", targetOn: addDays(today, 30) } },
      userErrors: [],
    });
    expect((await province("42")).behindSchedule).toBe(false);
    await api.data(
      PLAN,
      { input: { provinceCode: "42", targets: [{ status: "INITIATED", targetOn: daysAgo(1) }] } },
      staff.token,
    );
    const p = await province("42");
    expect(p.behindSchedule).toBe(true);
    expect(p.formationPlan).toEqual([
      { status: "INITIATED", targetOn: daysAgo(1) },
      { status: "FOUNDED", targetOn: addDays(today, 400) },
    ]);
    const { formationProgress } = await api.data(`{ formationProgress { behindSchedule { code } } }`);
    expect(formationProgress.behindSchedule).toEqual([{ code: "42" }]);
    // reaching the overdue step clears it
    await advance("42", "INITIATED", today);
    expect((await province("42")).behindSchedule).toBe(false);
  });

  it(
    "formationProgress: the target, deadline, a count for every step " +
      "(zeros included) and the forecast at the last 12 months' pace",
    async () => {
      const { formationProgress } =
        await api.data(`{ formationProgress { target deadline founded byStatus { status count }
      behindSchedule { code } forecast { asOf foundedLast12Months remaining forecastDate onTrack } } }`);
      expect(formationProgress.target).toBe(31);
      expect(formationProgress.deadline).toBe("2015-12-31");
      expect(formationProgress.byStatus.map((b: { status: string }) => b.status)).toEqual([
        "NOT_STARTED",
        "INITIATED",
        "PREPARATORY",
        "APPLIED",
        "APPROVED",
        "FOUNDED",
      ]);
      expect(formationProgress.byStatus.reduce((n: number, b: { count: number }) => n + b.count, 0)).toBe(31);
      expect(formationProgress.byStatus.find((b: { status: string }) => b.status === "FOUNDED").count).toBe(
        formationProgress.founded,
      );
      // Xinjiang (65) was founded in 2015; Henan (41) was founded, un-founded and founded again within the last
      // 12 months: one net founding a year, 29 to go.
      expect(formationProgress.founded).toBe(2);
      expect(formationProgress.forecast).toEqual({
        asOf: today,
        foundedLast12Months: 1,
        remaining: 29,
        forecastDate: addDays(today, 29 * 365),
        onTrack: false,
      });
    },
  );

  it("provinces: all 31 in code order with status and chamber", async () => {
    const { provinces } = await api.data(`{ provinces { code name nameEn formationStatus chamber { kind } } }`);
    expect(provinces).toHaveLength(31);
    expect(provinces.map((p: { code: string }) => p.code)).toEqual(
      [...provinces.map((p: { code: string }) => p.code)].sort(),
    );
    expect(provinces[0]).toMatchObject({
      code: "11",
      name: "北京市",
      nameEn: "Beijing",
      formationStatus: "INITIATED",
      chamber: { kind: "PROVINCIAL" },
    });
  });
});

describe("permissions", () => {
  it(
    "secretaries and members are FORBIDDEN to advance, plan " +
      "or tick; anonymous is UNAUTHENTICATED; nothing changes",
    async () => {
      const s = seed(api.db.db);
      const chamber = await s.chamber();
      const secretary = await chamber.secretary();
      const member = await chamber.member();
      const before = (await history("43")).length;
      for (const [token, code] of [
        [secretary.token, "FORBIDDEN"],
        [member.user.token, "FORBIDDEN"],
        [null, "UNAUTHENTICATED"],
      ] as const) {
        const a = await api.gql(
          ADVANCE,
          { input: { provinceCode: "43", status: "INITIATED", date: daysAgo(1) } },
          token,
        );
        expect(a.errors?.[0]?.extensions?.code).toBe(code);
        const p = await api.gql(
          `mutation { planFormation(input: { provinceCode: "43", targets: [{ status: INITIATED, targetOn: "2015-01-01"
            }] }) { userErrors { code } } }`,
          {},
          token,
        );
        expect(p.errors?.[0]?.extensions?.code).toBe(code);
        // a secretary cannot tick even their own chamber's checklist
        const t = await api.gql(
          TICK,
          { input: { chamberId: globalId("Chamber", chamber.id), item: "CHARTER", done: true } },
          token,
        );
        expect(t.errors?.[0]?.extensions?.code).toBe(code);
      }
      expect(await history("43")).toHaveLength(before);
    },
  );

  it("formation histories and plans are for federation staff; everyone reads statuses and the dashboard", async () => {
    const s = seed(api.db.db);
    const secretary = await (await s.chamber()).secretary();
    for (const token of [secretary.token, null]) {
      const p = await province("11", token);
      expect(p.formationStatus).toBe("INITIATED");
      expect(p.formationHistory).toBeNull();
      expect(p.formationPlan).toBeNull();
    }
    expect((await province("11")).formationHistory).toHaveLength(1);
    expect((await api.data(`{ formationProgress { target } }`)).formationProgress.target).toBe(31);
  });
});

describe("batching", () => {
  it("provinces with status, chamber, plan, history and next step: the same statements whatever the data", async () => {
    const q = `{ provinces { code formationStatus reachedOn behindSchedule nextPlannedStep { status } formationPlan {
      status }
      formationHistory { toStatus recordedBy { id } } chamber { name parent { name } checklist { item } } } }`;
    api.db.resetStatements();
    await api.data(q, {}, staff.token);
    const first = api.db.statements.length;
    await advance("44", "INITIATED", daysAgo(5));
    await advance("45", "INITIATED", daysAgo(5));
    api.db.resetStatements();
    await api.data(q, {}, staff.token);
    expect(api.db.statements.length).toBe(first);
    expect(first).toBeLessThanOrEqual(12);
  });
});
