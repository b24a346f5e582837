// A membership the merchant has not agreed to shows the chamber nothing more of them (issue 11, defects 1 and 2):
// a secretary's application is a proposal the merchant answers, and an import that matches someone by a
// contact value the secretary cannot see proposes them a membership without saying who they are.
import { merchantTable } from "@wz/db";
import { createTestApi, globalId, type SeededUser, seed, type TestApi } from "@wz/testkit";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

let api: TestApi;
let s: ReturnType<typeof seed>;
let shanghai: Awaited<ReturnType<ReturnType<typeof seed>["chamber"]>>;
let shenzhen: Awaited<ReturnType<ReturnType<typeof seed>["chamber"]>>;
let shenzhenSecretary: SeededUser;

beforeAll(async () => {
  api = await createTestApi();
  s = seed(api.db.db);
  shanghai = await s.chamber({ name: "上海测试商会" });
  shenzhen = await s.chamber({ name: "深圳测试商会" });
  shenzhenSecretary = await shenzhen.secretary();
});
afterAll(() => api.close());

/** A Shanghai-only member with an account: PRIVATE mobile, CHAMBER email, PRIVATE WeChat. */
async function shanghaiOnly(name: string) {
  return shanghai.member({ name, mobileVisibility: "PRIVATE", emailVisibility: "CHAMBER" });
}

/** A merchant's contact values as stored (what the file a secretary imports would carry). */
async function stored(merchantId: string) {
  const [row] = await api.db.db
    .select({ mobile: merchantTable.mobile, email: merchantTable.email })
    .from(merchantTable)
    .where(eq(merchantTable.id, merchantId));
  return { mobile: row!.mobile!, email: row!.email! };
}

const CONTACT = `query ($id: ID!) { node(id: $id) { ... on Merchant { name mobile email wechat } } }`;
const contact = async (merchantId: string, token: string) =>
  (await api.data(CONTACT, { id: globalId("Merchant", merchantId) }, token)).node;

const APPLY = `mutation ($input: ApplyForMembershipInput!) { applyForMembership(input: $input) {
  membership { id status awaitingConsent } userErrors { field code message } } }`;
const DECIDE = `mutation ($input: DecideMembershipInput!) { decideMembership(input: $input) {
  membership { status awaitingConsent } userErrors { field code message } } }`;
const ANSWER = `mutation ($input: AnswerMembershipProposalInput!) { answerMembershipProposal(input: $input) {
  membership { status awaitingConsent statusReason chamber { id } } userErrors { field code message } } }`;
const PROPOSALS = `{ me { merchant { id } membershipProposals { id awaitingConsent chamber { id } } } }`;
const MEMBERS = `query ($id: ID!) { node(id: $id) { ... on Chamber { members(first: 50) { totalCount
  edges { node { merchant { id } } } } } } }`;
const IMPORT = `mutation ($input: ImportMembersInput!) { importMembers(input: $input) {
  rows created matched proposed updated unchanged failed
  userErrors { field code message } lines { line action name merchant { id name } membership { id } } } }`;

const members = async (chamberId: string, token: string) => {
  const list = (await api.data(MEMBERS, { id: globalId("Chamber", chamberId) }, token)).node.members;
  return {
    total: list.totalCount,
    ids: list.edges.map((e: { node: { merchant: { id: string } } }) => e.node.merchant.id),
  };
};

describe("a secretary applying for someone proposes it, and the merchant answers", () => {
  it("the proposal shows the secretary nothing more until the merchant accepts", async () => {
    const chen = await shanghaiOnly("陈私密");
    const hidden = { name: "陈私密", mobile: null, email: null, wechat: null };
    expect(await contact(chen.merchantId, shenzhenSecretary.token)).toEqual(hidden);

    const chamberId = globalId("Chamber", shenzhen.id);
    const applied = (
      await api.data(
        APPLY,
        { input: { chamberId, merchantId: globalId("Merchant", chen.merchantId) } },
        shenzhenSecretary.token,
      )
    ).applyForMembership;
    expect(applied.userErrors).toEqual([]);
    expect(applied.membership).toMatchObject({ status: "APPLIED", awaitingConsent: true });
    // The defect: this returned the PRIVATE mobile the moment the membership existed.
    expect(await contact(chen.merchantId, shenzhenSecretary.token)).toEqual(hidden);

    // The chamber cannot make it a membership on its own.
    const decided = (
      await api.data(DECIDE, { input: { membershipId: applied.membership.id, approve: true } }, shenzhenSecretary.token)
    ).decideMembership;
    expect(decided.userErrors).toMatchObject([{ code: "INVALID_TRANSITION", field: ["input", "approve"] }]);
    expect(decided.membership).toBeNull();

    // Nobody but the merchant answers it.
    const stranger = await s.user({ merchantId: (await s.merchant()).id });
    for (const token of [stranger.token, shenzhenSecretary.token]) {
      const other = (await api.data(ANSWER, { input: { membershipId: applied.membership.id, accept: true } }, token))
        .answerMembershipProposal;
      expect(other.userErrors).toMatchObject([{ code: "NOT_FOUND" }]);
    }

    // The merchant finds it where they sign in, and accepts.
    const mine = (await api.data(PROPOSALS, {}, chen.user.token)).me;
    expect(mine.merchant.id).toBe(globalId("Merchant", chen.merchantId));
    expect(mine.membershipProposals).toEqual([
      { id: applied.membership.id, awaitingConsent: true, chamber: { id: chamberId } },
    ]);
    const accepted = (
      await api.data(ANSWER, { input: { membershipId: applied.membership.id, accept: true } }, chen.user.token)
    ).answerMembershipProposal;
    expect(accepted).toMatchObject({ userErrors: [], membership: { status: "ACTIVE", awaitingConsent: false } });
    expect((await api.data(PROPOSALS, {}, chen.user.token)).me.membershipProposals).toEqual([]);
    // Now a member of Shenzhen: its secretariat keeps his record, as for every member.
    const seen = await contact(chen.merchantId, shenzhenSecretary.token);
    expect(seen.mobile).not.toBeNull();
    expect(seen.email).not.toBeNull();

    // An answered proposal cannot be answered again.
    const again = (
      await api.data(ANSWER, { input: { membershipId: applied.membership.id, accept: false } }, chen.user.token)
    ).answerMembershipProposal;
    expect(again.userErrors).toMatchObject([{ code: "INVALID_TRANSITION" }]);
  });

  it("declining ends the proposal and shows nothing", async () => {
    const lin = await shanghaiOnly("林拒绝");
    const chamberId = globalId("Chamber", shenzhen.id);
    const applied = (
      await api.data(
        APPLY,
        { input: { chamberId, merchantId: globalId("Merchant", lin.merchantId) } },
        shenzhenSecretary.token,
      )
    ).applyForMembership;
    const declined = (
      await api.data(
        ANSWER,
        { input: { membershipId: applied.membership.id, accept: false, reason: "不需要" } },
        lin.user.token,
      )
    ).answerMembershipProposal;
    expect(declined).toMatchObject({ userErrors: [], membership: { status: "REJECTED", statusReason: "不需要" } });
    expect(await contact(lin.merchantId, shenzhenSecretary.token)).toMatchObject({ mobile: null, email: null });
  });

  it("a merchant's own application shows the secretariat nothing more until it is approved", async () => {
    const wu = await shanghaiOnly("吴自荐");
    const applied = (await api.data(APPLY, { input: { chamberId: globalId("Chamber", shenzhen.id) } }, wu.user.token))
      .applyForMembership;
    expect(applied.membership).toMatchObject({ status: "APPLIED", awaitingConsent: false });
    expect(await contact(wu.merchantId, shenzhenSecretary.token)).toMatchObject({ mobile: null, email: null });
    const approved = (
      await api.data(DECIDE, { input: { membershipId: applied.membership.id, approve: true } }, shenzhenSecretary.token)
    ).decideMembership;
    expect(approved).toMatchObject({ userErrors: [], membership: { status: "ACTIVE" } });
    expect((await contact(wu.merchantId, shenzhenSecretary.token)).mobile).not.toBeNull();
  });

  it("applying to a chamber that proposed you accepts the proposal", async () => {
    const he = await shanghaiOnly("何应邀");
    const chamberId = globalId("Chamber", shenzhen.id);
    await api.data(
      APPLY,
      { input: { chamberId, merchantId: globalId("Merchant", he.merchantId) } },
      shenzhenSecretary.token,
    );
    const own = (await api.data(APPLY, { input: { chamberId } }, he.user.token)).applyForMembership;
    expect(own).toMatchObject({ userErrors: [], membership: { status: "ACTIVE", awaitingConsent: false } });
  });
});

describe("an import matches people without telling the secretary who owns a value they cannot see", () => {
  it("a hidden match is PROPOSED, nameless, in the dry run, the import, the counts and a second run", async () => {
    const zhou = await shanghaiOnly("周隐藏");
    const { mobile } = await stored(zhou.merchantId);
    const before = await members(shenzhen.id, shenzhenSecretary.token);
    const csv = `name,mobile\n随便,${mobile}\n新人甲,13912345601\n`;
    const input = { chamberId: globalId("Chamber", shenzhen.id), csv };
    const expected = {
      rows: 2,
      created: 1,
      matched: 0,
      proposed: 1,
      updated: 0,
      unchanged: 0,
      failed: 0,
      userErrors: [],
    };

    const dry = (await api.data(IMPORT, { input: { ...input, dryRun: true } }, shenzhenSecretary.token)).importMembers;
    // The defect: this line said MATCHED with 周隐藏's id and name.
    expect(dry).toMatchObject(expected);
    expect(dry.lines[0]).toEqual({ line: 2, action: "PROPOSED", name: "随便", merchant: null, membership: null });
    expect(JSON.stringify(dry)).not.toContain("周隐藏");

    const real = (await api.data(IMPORT, { input }, shenzhenSecretary.token)).importMembers;
    expect(real).toMatchObject(expected);
    expect(real.lines[0]).toEqual({ line: 2, action: "PROPOSED", name: "随便", merchant: null, membership: null });
    expect(JSON.stringify(real)).not.toContain("周隐藏");
    // The chamber gained the new person only; 周隐藏 is neither listed nor counted, and stays hidden.
    const after = await members(shenzhen.id, shenzhenSecretary.token);
    expect(after.total).toBe(before.total + 1);
    expect(after.ids).not.toContain(globalId("Merchant", zhou.merchantId));
    expect(await contact(zhou.merchantId, shenzhenSecretary.token)).toMatchObject({ mobile: null, email: null });

    // The same file again: no duplicate, nothing new said.
    const again = (await api.data(IMPORT, { input }, shenzhenSecretary.token)).importMembers;
    expect(again).toMatchObject({ rows: 2, created: 0, proposed: 1, unchanged: 1, userErrors: [] });
    expect(again.lines[0]).toEqual({ line: 2, action: "PROPOSED", name: "随便", merchant: null, membership: null });

    // 周隐藏 is asked, and joining makes him an ordinary member.
    const [proposal] = (await api.data(PROPOSALS, {}, zhou.user.token)).me.membershipProposals;
    expect(proposal.chamber.id).toBe(globalId("Chamber", shenzhen.id));
    const answer = (await api.data(ANSWER, { input: { membershipId: proposal.id, accept: true } }, zhou.user.token))
      .answerMembershipProposal;
    expect(answer).toMatchObject({ userErrors: [], membership: { status: "ACTIVE" } });
    expect((await members(shenzhen.id, shenzhenSecretary.token)).ids).toContain(globalId("Merchant", zhou.merchantId));
    const third = (await api.data(IMPORT, { input }, shenzhenSecretary.token)).importMembers;
    expect(third.lines[0]).toMatchObject({ action: "UNCHANGED", merchant: { name: "周隐藏" } });
  });

  it("proposing a hidden match by name answers as a first proposal does, not with 'already applied'", async () => {
    const hidden = await shanghaiOnly("钱隐藏");
    const never = await shanghaiOnly("孙从未");
    const { mobile } = await stored(hidden.merchantId);
    const csv = `name,mobile\n某人,${mobile}\n`;
    const imported = (
      await api.data(IMPORT, { input: { chamberId: globalId("Chamber", shenzhen.id), csv } }, shenzhenSecretary.token)
    ).importMembers;
    expect(imported.proposed).toBe(1);
    const propose = async (merchantId: string) =>
      (
        await api.data(
          `mutation ($input: ApplyForMembershipInput!) { applyForMembership(input: $input) {
            membership { status awaitingConsent level appliedAt } userErrors { code } } }`,
          { input: { chamberId: globalId("Chamber", shenzhen.id), merchantId: globalId("Merchant", merchantId) } },
          shenzhenSecretary.token,
        )
      ).applyForMembership;
    const [a, b] = [await propose(hidden.merchantId), await propose(never.merchantId)];
    const shape = (p: typeof a) => ({
      ...p,
      membership: { ...p.membership, appliedAt: typeof p.membership.appliedAt },
    });
    expect(shape(a)).toEqual(shape(b));
    expect(a.userErrors).toEqual([]);
    expect(Date.now() - Date.parse(a.membership.appliedAt)).toBeLessThan(60_000);
    // Still one proposal for the merchant to answer, now a named one.
    expect((await api.data(PROPOSALS, {}, hidden.user.token)).me.membershipProposals).toHaveLength(1);
  });

  it("a match by a value the secretary can see is named, and still waits for the merchant", async () => {
    const merchant = await s.merchant({ name: "郑公开", emailVisibility: "FEDERATION", mobileVisibility: "PRIVATE" });
    const { email } = await stored(merchant.id);
    const input = { chamberId: globalId("Chamber", shenzhen.id), csv: `name,email\n郑公开,${email}\n` };
    const result = (await api.data(IMPORT, { input }, shenzhenSecretary.token)).importMembers;
    expect(result).toMatchObject({ created: 0, matched: 1, proposed: 0, userErrors: [] });
    expect(result.lines[0]).toMatchObject({ action: "MATCHED", merchant: { name: "郑公开" } });
    const membership = (
      await api.data(
        `query ($id: ID!) { node(id: $id) { ... on Membership { status awaitingConsent } } }`,
        {
          id: result.lines[0].membership.id,
        },
        shenzhenSecretary.token,
      )
    ).node;
    expect(membership).toEqual({ status: "APPLIED", awaitingConsent: true });
    expect((await contact(merchant.id, shenzhenSecretary.token)).mobile).toBeNull();
  });

  it("conflicting keys are refused without naming or counting anyone", async () => {
    const a = await shanghaiOnly("冯甲");
    const b = await shanghaiOnly("冯乙");
    const [ma, mb] = [await stored(a.merchantId), await stored(b.merchantId)];
    const input = {
      chamberId: globalId("Chamber", shenzhen.id),
      csv: `name,mobile,email\n某人,${ma.mobile},${mb.email}\n`,
    };
    const result = (await api.data(IMPORT, { input: { ...input, dryRun: true } }, shenzhenSecretary.token))
      .importMembers;
    expect(result.failed).toBe(1);
    expect(result.userErrors).toEqual([
      {
        field: ["csv", "2", "email"],
        code: "CONFLICT",
        message: "This email and the mobile belong to different people in the directory.",
      },
    ]);
    expect(JSON.stringify(result)).not.toMatch(/冯甲|冯乙/);
  });
});
