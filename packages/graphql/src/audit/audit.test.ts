// The audit trail through GraphQL: every chamber, formation and checklist change is there with who, what,
// before/after and when; staff filter it; nobody else reads it; chambers' private records stay withheld.
import { addDays, recordAudit, todayIso } from "@wz/core";
import { createTestApi, globalId, type SeededUser, seed, type TestApi } from "@wz/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

let api: TestApi;
let staff: SeededUser;
let otherStaff: SeededUser;
let chamberGid: string;
const today = todayIso();

const LOG = `query ($filter: AuditLogFilter, $first: Int, $after: String) { auditLog(filter: $filter, first: $first,
  after: $after) {
  totalCount pageInfo { hasNextPage endCursor }
  edges { node { id at action entityType entityId chamber { id } actor { id } before after withheld } } } }`;

beforeAll(async () => {
  api = await createTestApi();
  const s = seed(api.db.db);
  await s.federation();
  staff = await s.federationStaff();
  otherStaff = await s.federationStaff();
  const created = await api.data(
    `mutation { createChamber(input: { kind: MUNICIPAL, name: "温岭商会", slug: "wenling", provinceCode: "35", city: "福州"
      }) { chamber { id } userErrors { message } } }`,
    {},
    staff.token,
  );
  chamberGid = created.createChamber.chamber.id;
  await api.data(
    `mutation ($id: ID!) { updateChamber(input: { chamberId: $id, name: "福州温州商会" }) { userErrors { message } } }`,
    { id: chamberGid },
    otherStaff.token,
  );
  const step = await api.data(
    `mutation ($d: Date!) { advanceFormation(input: { provinceCode: "35", status: INITIATED, date: $d, note: "发起" }) {
      province { chamber { id } } userErrors { message } } }`,
    { d: addDays(today, -10) },
    staff.token,
  );
  const provincial = step.advanceFormation.province.chamber.id;
  await api.data(
    `mutation ($id: ID!) { updateChecklistItem(input: { chamberId: $id, item: "CHARTER", done: true, note: "章程" }) {
      userErrors { message } } }`,
    { id: provincial },
    staff.token,
  );
  await api.data(
    `mutation { planFormation(input: { provinceCode: "35", targets: [{ status: FOUNDED, targetOn: "2015-12-31" }] }) {
      userErrors { message } } }`,
    {},
    staff.token,
  );
});
afterAll(() => api.close());

type AuditEntry = {
  id: string;
  at: string;
  action: string;
  entityType: string;
  entityId: string;
  chamber: { id: string } | null;
  actor: { id: string } | null;
  before: string | null;
  after: string | null;
  withheld: boolean;
};

const nodes = (data: unknown): AuditEntry[] =>
  (data as { auditLog: { edges: { node: AuditEntry }[] } }).auditLog.edges.map((e) => e.node);

describe("auditLog", () => {
  it("records every change with who, what, before/after and when, newest first", async () => {
    const all = nodes(await api.data(LOG, {}, staff.token));
    expect(all.map((e) => e.action)).toEqual([
      "formation:plan",
      "checklist:tick",
      "formation:advance",
      "chamber:create",
      "chamber:update",
      "chamber:create",
    ]);
    const update = all.find((e) => e.action === "chamber:update")!;
    expect(update.actor).toEqual({ id: globalId("User", otherStaff.id) });
    expect(update.chamber).toEqual({ id: chamberGid });
    expect(JSON.parse(update.before!)).toMatchObject({ name: "温岭商会" });
    expect(JSON.parse(update.after!)).toMatchObject({ name: "福州温州商会" });
    expect(update.withheld).toBe(false);
    expect(Math.abs(Date.parse(update.at) - Date.now())).toBeLessThan(120_000);
    const advance = all.find((e) => e.action === "formation:advance")!;
    expect(advance).toMatchObject({ entityType: "Formation", entityId: "35" });
    expect(JSON.parse(advance.before!)).toMatchObject({ status: "NOT_STARTED" });
    expect(JSON.parse(advance.after!)).toMatchObject({ status: "INITIATED", step: { note: "发起" } });
    const tick = all.find((e) => e.action === "checklist:tick")!;
    expect(tick.before).toBeNull();
    expect(JSON.parse(tick.after!)).toMatchObject({ item: "CHARTER", note: "章程" });
  });

  it("filters by chamber, entity type, action, actor and date range, and pages", async () => {
    const byChamber = nodes(await api.data(LOG, { filter: { chamberId: chamberGid } }, staff.token));
    expect(byChamber.map((e) => e.action)).toEqual(["chamber:update", "chamber:create"]);
    const byType = nodes(await api.data(LOG, { filter: { entityTypes: ["Formation", "FormationPlan"] } }, staff.token));
    expect(byType.map((e) => e.action)).toEqual(["formation:plan", "formation:advance"]);
    const byAction = nodes(await api.data(LOG, { filter: { actions: ["chamber:create"] } }, staff.token));
    expect(byAction).toHaveLength(2);
    const byActor = nodes(await api.data(LOG, { filter: { actorId: globalId("User", otherStaff.id) } }, staff.token));
    expect(byActor.map((e) => e.action)).toEqual(["chamber:update"]);
    expect(
      (await api.data(LOG, { filter: { from: today, to: addDays(today, 1) } }, staff.token)).auditLog.totalCount,
    ).toBe(6);
    expect((await api.data(LOG, { filter: { to: addDays(today, -2) } }, staff.token)).auditLog.totalCount).toBe(0);
    const backwards = await api.gql(LOG, { filter: { from: today, to: addDays(today, -1) } }, staff.token);
    expect(backwards.errors?.[0]?.message).toBe("to cannot be before from.");
    const page1 = await api.data(LOG, { first: 4 }, staff.token);
    const page2 = await api.data(LOG, { first: 4, after: page1.auditLog.pageInfo.endCursor }, staff.token);
    expect(page1.auditLog.pageInfo.hasNextPage).toBe(true);
    expect([...nodes(page1), ...nodes(page2)].map((e) => e.id)).toEqual(
      nodes(await api.data(LOG, {}, staff.token)).map((e) => e.id),
    );
    // an id that is not one matches nothing rather than failing
    expect(
      (await api.data(LOG, { filter: { chamberId: globalId("Chamber", "nope") } }, staff.token)).auditLog.totalCount,
    ).toBe(0);
  });

  it("is for federation staff only: secretaries and members are FORBIDDEN, anonymous UNAUTHENTICATED", async () => {
    const s = seed(api.db.db);
    const chamber = await s.chamber();
    const secretary = await chamber.secretary();
    const member = await chamber.member();
    for (const [token, code] of [
      [secretary.token, "FORBIDDEN"],
      [member.user.token, "FORBIDDEN"],
      [null, "UNAUTHENTICATED"],
    ] as const) {
      // even filtered to the secretary's own chamber
      const result = await api.gql(LOG, { filter: { chamberId: globalId("Chamber", chamber.id) } }, token);
      expect(result.data).toBeNull();
      expect(result.errors?.[0]?.extensions?.code).toBe(code);
    }
  });

  it("lists changes to a chamber's private records without their contents", async () => {
    const s = seed(api.db.db);
    const chamber = await s.chamber();
    await recordAudit(api.db.db, {
      actorUserId: staff.id,
      chamberId: chamber.id,
      action: "member:note",
      entityType: "MembershipNote",
      entityId: "n1",
      after: { body: "会费拖欠，私下沟通" },
    });
    const [entry] = nodes(await api.data(LOG, { filter: { chamberId: globalId("Chamber", chamber.id) } }, staff.token));
    expect(entry).toMatchObject({
      action: "member:note",
      entityType: "MembershipNote",
      before: null,
      after: null,
      withheld: true,
    });
  });
});
