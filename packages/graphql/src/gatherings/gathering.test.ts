// Gatherings and recognition through GraphQL: invitations by level, tag or chosen people reach exactly the inviting
// chamber's active members who match (no member of another chamber, no one who left, applied, lapsed or never
// asked); the federation's reach every chamber's; answers, attendance, the lifecycle and its illegal moves; the
// yearly recognition (nominations by chambers, one decision by city staff, once a year); tenancy; audit.
import { auditLogTable } from "@wz/db";
import { type ChamberSeed, createTestApi, globalId, type SeededUser, seed, type TestApi } from "@wz/testkit";
import { count, like } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

type Member = { merchantId: string; user: SeededUser };
let api: TestApi;
let staff: SeededUser;
let city: SeededUser;
let shanghai: ChamberSeed;
let shenzhen: ChamberSeed;
let secretaryA: SeededUser;
let secretaryB: SeededUser;
let vp: Member;
let young: Member;
let plain: Member;
let left: Member;
let lapsed: Member;
let otherChamber: Member;
let both: Member;
let federationId: string;

beforeAll(async () => {
  api = await createTestApi();
  const s = seed(api.db.db);
  staff = await s.federationStaff();
  city = await s.cityStaff();
  federationId = (await s.federation()).id;
  shanghai = await s.chamber({ name: "上海市温州商会" });
  shenzhen = await s.chamber({ name: "深圳温州商会" });
  secretaryA = await shanghai.secretary();
  secretaryB = await shenzhen.secretary();
  const ng = ["NEW_GENERATION"];
  vp = await shanghai.member({ name: "陈副会", level: "VICE_PRESIDENT", tags: ng });
  young = await shanghai.member({ name: "林新生", tags: ng });
  plain = await shanghai.member({ name: "王会员" });
  left = await shanghai.member({ name: "赵已退", status: "LEFT", tags: ng });
  lapsed = await shanghai.member({ name: "钱过期", tags: ng, expiresOn: "2001-01-01" });
  await shanghai.member({ name: "孙申请", status: "APPLIED", tags: ng });
  const asked = await s.merchant({ name: "周未答", tags: ng });
  await shanghai.addMembership(asked.id, { proposedBy: secretaryA.id, status: "APPLIED" });
  otherChamber = await shenzhen.member({ name: "吴深圳", tags: ng });
  // left Shanghai, active in Shenzhen
  await shenzhen.addMembership(left.merchantId);
  both = await shanghai.member({ name: "郑两会" });
  await shenzhen.addMembership(both.merchantId);
});
afterAll(() => api.close());

const CREATE = `mutation ($input: CreateGatheringInput!) { createGathering(input: $input) {
  gathering { id status } userErrors { field code } } }`;
const INVITE = `mutation ($input: InviteToGatheringInput!) { inviteToGathering(input: $input) {
  invited gathering { invitations { merchant { name } chamber { name } } } userErrors { field code } } }`;
const ANSWER = `mutation ($input: AnswerGatheringInvitationInput!) { answerGatheringInvitation(input: $input) {
  gathering { invitations { merchant { name } rsvp } } userErrors { field code } } }`;
const ATTEND = `mutation ($input: RecordGatheringAttendanceInput!) { recordGatheringAttendance(input: $input) {
  gathering { status invitations { merchant { name } attended } } userErrors { field code } } }`;
const CANCEL = `mutation ($input: CancelGatheringInput!) { cancelGathering(input: $input) {
  gathering { status cancelReason } userErrors { field code } } }`;

const mid = (m: Member) => globalId("Merchant", m.merchantId);
const names = (invitations: { merchant: { name: string } }[]) => invitations.map((i) => i.merchant.name).sort();

async function gathering(chamberId: string, token: string, kind = "ANNUAL_MEETING") {
  const created = await api.data(
    CREATE,
    {
      input: {
        chamberId: globalId("Chamber", chamberId),
        kind,
        title: "2013年年会",
        heldOn: "2013-12-28",
        place: "上海",
      },
    },
    token,
  );
  expect(created.createGathering.userErrors).toEqual([]);
  return created.createGathering.gathering.id as string;
}
const invite = async (input: Record<string, unknown>, token = secretaryA.token) =>
  (await api.data(INVITE, { input }, token)).inviteToGathering;

describe("invitations", () => {
  it("reach exactly the chamber's active members who match, by tag, level or choice", async () => {
    const id = await gathering(shanghai.id, secretaryA.token);
    const byTag = await invite({ gatheringId: id, tags: ["NEW_GENERATION"] });
    expect(byTag.userErrors).toEqual([]);
    expect(byTag.invited).toBe(2);
    expect(names(byTag.gathering.invitations)).toEqual(["林新生", "陈副会"].sort());
    const byLevel = await invite({ gatheringId: id, levels: ["VICE_PRESIDENT", "PRESIDENT"] });
    expect(byLevel.invited).toBe(0);
    const both_ = await invite({ gatheringId: id, levels: ["MEMBER"], tags: ["NEW_GENERATION"] });
    expect(both_.invited).toBe(0);
    const chosen = await invite({ gatheringId: id, merchantIds: [mid(plain), mid(both)] });
    expect(chosen.invited).toBe(2);
    expect(names(chosen.gathering.invitations)).toEqual(["林新生", "王会员", "郑两会", "陈副会"].sort());
    for (const stranger of [otherChamber, left, lapsed]) {
      const refused = await invite({ gatheringId: id, merchantIds: [mid(plain), mid(stranger)] });
      expect(refused).toEqual({
        invited: 0,
        gathering: null,
        userErrors: [{ code: "INVALID", field: ["input", "merchantIds", "1"] }],
      });
    }
    expect((await invite({ gatheringId: id })).userErrors).toEqual([{ code: "INVALID", field: ["input", "levels"] }]);
    // everyone at the MEMBER level: the active ones only
    const members = await gathering(shanghai.id, secretaryA.token, "TEA_PARTY");
    const all = await invite({ gatheringId: members, levels: ["MEMBER"] });
    expect(names(all.gathering.invitations)).toEqual(["林新生", "王会员", "郑两会"].sort());
  });

  it("for the federation's joint meeting, reach every chamber's active NEW_GENERATION members, each once", async () => {
    const id = await gathering(federationId, staff.token, "JOINT_MEETING");
    const invited = await invite({ gatheringId: id, tags: ["NEW_GENERATION"] }, staff.token);
    expect(
      invited.gathering.invitations
        .map((i: { merchant: { name: string }; chamber: { name: string } }) => [i.merchant.name, i.chamber.name])
        .sort(),
    ).toEqual(
      [
        ["林新生", "上海市温州商会"],
        ["陈副会", "上海市温州商会"],
        ["吴深圳", "深圳温州商会"],
        ["赵已退", "深圳温州商会"],
      ].sort(),
    );
    // a secretary does not hold the federation's gatherings
    const denied = await api.gql(
      CREATE,
      {
        input: {
          chamberId: globalId("Chamber", federationId),
          kind: "ANNUAL_MEETING",
          title: "x",
          heldOn: "2013-12-28",
        },
      },
      secretaryA.token,
    );
    expect(denied.data!.createGathering.userErrors).toEqual([{ code: "NOT_FOUND", field: ["input", "chamberId"] }]);
  });
});

describe("answers, attendance and the lifecycle", () => {
  it("the invited answer for themselves; attendance holds it; nothing moves a held or cancelled one", async () => {
    const id = await gathering(shanghai.id, secretaryA.token, "SYMPOSIUM");
    await invite({ gatheringId: id, tags: ["NEW_GENERATION"] });
    const answered = (await api.data(ANSWER, { input: { gatheringId: id, attending: true } }, young.user.token))
      .answerGatheringInvitation;
    // a member sees their own invitation only
    expect(answered.gathering.invitations).toEqual([{ merchant: { name: "林新生" }, rsvp: "ATTENDING" }]);
    const notInvited = (await api.data(ANSWER, { input: { gatheringId: id, attending: true } }, plain.user.token))
      .answerGatheringInvitation;
    expect(notInvited.userErrors).toEqual([{ code: "NOT_FOUND", field: ["input", "gatheringId"] }]);
    const stranger = (
      await api.data(ATTEND, { input: { gatheringId: id, attendedMerchantIds: [mid(plain)] } }, secretaryA.token)
    ).recordGatheringAttendance;
    expect(stranger.userErrors).toEqual([{ code: "INVALID", field: ["input", "attendedMerchantIds", "0"] }]);
    const held = (
      await api.data(ATTEND, { input: { gatheringId: id, attendedMerchantIds: [mid(young)] } }, secretaryA.token)
    ).recordGatheringAttendance;
    expect(held.gathering.status).toBe("HELD");
    expect(
      held.gathering.invitations
        .map((i: { merchant: { name: string }; attended: boolean }) => [i.merchant.name, i.attended])
        .sort(),
    ).toEqual(
      [
        ["林新生", true],
        ["陈副会", false],
      ].sort(),
    );
    const again = (await api.data(ATTEND, { input: { gatheringId: id, attendedMerchantIds: [] } }, secretaryA.token))
      .recordGatheringAttendance;
    expect(again.userErrors).toEqual([{ code: "INVALID_TRANSITION", field: ["input", "gatheringId"] }]);
    expect((await invite({ gatheringId: id, levels: ["MEMBER"] })).userErrors[0].code).toBe("INVALID_TRANSITION");
    const late = (await api.data(ANSWER, { input: { gatheringId: id, attending: false } }, vp.user.token))
      .answerGatheringInvitation;
    expect(late.userErrors[0].code).toBe("INVALID_TRANSITION");
    const cancel = (await api.data(CANCEL, { input: { gatheringId: id, reason: "改期" } }, secretaryA.token))
      .cancelGathering;
    expect(cancel.userErrors[0].code).toBe("INVALID_TRANSITION");

    const other = await gathering(shanghai.id, secretaryA.token, "FELLOWSHIP");
    expect(
      (await api.data(CANCEL, { input: { gatheringId: other, reason: " " } }, secretaryA.token)).cancelGathering
        .userErrors,
    ).toEqual([{ code: "INVALID", field: ["input", "reason"] }]);
    expect(
      (await api.data(CANCEL, { input: { gatheringId: other, reason: "场地原因" } }, secretaryA.token)).cancelGathering
        .gathering,
    ).toEqual({ status: "CANCELLED", cancelReason: "场地原因" });
    const audited = await api.db.db
      .select({ n: count() })
      .from(auditLogTable)
      .where(like(auditLogTable.action, "gathering:%"));
    expect(audited[0]!.n).toBeGreaterThanOrEqual(12);
  });

  it("another chamber's gathering is unknown to its secretary and members, like a missing one", async () => {
    const id = await gathering(shanghai.id, secretaryA.token);
    const random = globalId("Gathering", crypto.randomUUID());
    for (const token of [secretaryB.token, otherChamber.user.token]) {
      const seen = await api.data(`query ($id: ID!) { node(id: $id) { id } gatherings { totalCount } }`, { id }, token);
      expect(seen.node).toBeNull();
      expect(await api.gql(INVITE, { input: { gatheringId: id, levels: ["MEMBER"] } }, token)).toEqual(
        await api.gql(INVITE, { input: { gatheringId: random, levels: ["MEMBER"] } }, token),
      );
    }
    const created = await api.data(
      CREATE,
      { input: { chamberId: globalId("Chamber", shanghai.id), kind: "TEA_PARTY", title: "x", heldOn: "2013-12-28" } },
      secretaryB.token,
    );
    expect(created.createGathering.userErrors).toEqual([{ code: "NOT_FOUND", field: ["input", "chamberId"] }]);
    // the chamber's own member sees it
    expect((await api.data(`query ($id: ID!) { node(id: $id) { id } }`, { id }, plain.user.token)).node).toEqual({
      id,
    });
  });
});

describe("recognition of returning merchants (温商回归功勋人物)", () => {
  const NOMINATE = `mutation ($input: NominateForRecognitionInput!) { nominateForRecognition(input: $input) {
    nomination { id status reason merchant { name } chamber { name } } userErrors { field code } } }`;
  const DECIDE = `mutation ($input: DecideRecognitionInput!) { decideRecognition(input: $input) {
    nomination { status decisionNote } userErrors { field code } } }`;
  const LIST = `query ($status: [RecognitionStatus!]) { recognitionNominations(year: 2013, status: $status) {
    totalCount edges { node { merchant { name } status } } } }`;
  const nominate = async (chamber: ChamberSeed, member: Member, token: string, reason = "回乡投资十亿元") =>
    (
      await api.data(
        NOMINATE,
        { input: { chamberId: globalId("Chamber", chamber.id), merchantId: mid(member), year: 2013, reason } },
        token,
      )
    ).nominateForRecognition;

  it("chambers nominate active members; city staff decide once; a merchant is recognised once a year", async () => {
    const a = await nominate(shanghai, both, secretaryA.token);
    expect(a.nomination).toMatchObject({
      status: "NOMINATED",
      merchant: { name: "郑两会" },
      chamber: { name: "上海市温州商会" },
    });
    const b = await nominate(shenzhen, both, secretaryB.token);
    expect(b.userErrors).toEqual([]);
    expect((await nominate(shanghai, both, secretaryA.token)).userErrors).toEqual([
      { code: "CONFLICT", field: ["input", "merchantId"] },
    ]);
    for (const stranger of [otherChamber, left])
      expect((await nominate(shanghai, stranger, secretaryA.token)).userErrors).toEqual([
        { code: "INVALID", field: ["input", "merchantId"] },
      ]);
    expect((await nominate(shanghai, vp, secretaryB.token)).userErrors).toEqual([
      { code: "NOT_FOUND", field: ["input", "chamberId"] },
    ]);
    const bySecretary = await api.gql(
      DECIDE,
      { input: { nominationId: a.nomination.id, recognised: true } },
      secretaryA.token,
    );
    expect(bySecretary.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    const recognised = (
      await api.data(
        DECIDE,
        { input: { nominationId: a.nomination.id, recognised: true, note: "一致通过" } },
        city.token,
      )
    ).decideRecognition;
    expect(recognised).toEqual({ nomination: { status: "RECOGNISED", decisionNote: "一致通过" }, userErrors: [] });
    expect(
      (await api.data(DECIDE, { input: { nominationId: a.nomination.id, recognised: false } }, city.token))
        .decideRecognition.userErrors,
    ).toEqual([{ code: "INVALID_TRANSITION", field: ["input", "nominationId"] }]);
    expect(
      (await api.data(DECIDE, { input: { nominationId: b.nomination.id, recognised: true } }, city.token))
        .decideRecognition.userErrors,
    ).toEqual([{ code: "CONFLICT", field: ["input", "nominationId"] }]);
    expect(
      (await api.data(DECIDE, { input: { nominationId: b.nomination.id, recognised: false } }, city.token))
        .decideRecognition.nomination.status,
    ).toBe("DECLINED");
    const open = await nominate(shanghai, vp, secretaryA.token, "机密提名理由");
    expect(open.userErrors).toEqual([]);

    // the year's honour list is for every signed-in viewer; open and declined nominations are the chamber's and
    // the city's
    for (const token of [otherChamber.user.token, secretaryB.token, young.user.token])
      expect((await api.data(LIST, { status: ["RECOGNISED"] }, token)).recognitionNominations).toEqual({
        totalCount: 1,
        edges: [{ node: { merchant: { name: "郑两会" }, status: "RECOGNISED" } }],
      });
    expect((await api.data(LIST, {}, secretaryB.token)).recognitionNominations.totalCount).toBe(2);
    expect((await api.data(LIST, {}, secretaryA.token)).recognitionNominations.totalCount).toBe(2);
    expect((await api.data(LIST, {}, city.token)).recognitionNominations.totalCount).toBe(3);
    const foreign = await api.data(
      `query ($id: ID!) { node(id: $id) { id } }`,
      { id: open.nomination.id },
      secretaryB.token,
    );
    expect(foreign.node).toBeNull();
    const audited = await api.db.db
      .select({ n: count() })
      .from(auditLogTable)
      .where(like(auditLogTable.action, "recognition:%"));
    expect(audited[0]!.n).toBe(5); // three nominations, two decisions
  });
});
