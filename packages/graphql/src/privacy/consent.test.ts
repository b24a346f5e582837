// Consent before listing (issue 19, PIPL Arts. 13-17): a profile a secretary imported is found only inside that
// chamber until its merchant signs in (by the invitation) and agrees to the current privacy notice; withdrawing
// takes it out of the federation directory at once, memberships intact; a new notice version asks again.
import { searchIndexListingDrift } from "@wz/core";
import { createTestApi, globalId, seed, type TestApi } from "@wz/testkit";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";

let api: TestApi;
let shanghaiId: string;
let secretaryA: { token: string };
let insider: { token: string };
let outsider: { token: string };
let secretaryB: { token: string };
let staff: { token: string };
let merchantId: string;
let merchantToken: string;

const NAME = "林知情";
const SEARCH = `query ($q: String) { merchants(query: $q, first: 10) { totalCount
  edges { node { id name mobile } } } }`;
const NODE = `query ($id: ID!) { node(id: $id) { id ... on Merchant { name } } nodes(ids: [$id]) { id } }`;
const AGREE = `mutation ($version: Int!) { agreeToPrivacyNotice(input: { version: $version }) {
  consent { listed agreedVersion agreedAt needsAgreement } userErrors { field code message } } }`;
const WITHDRAW = `mutation { withdrawPrivacyConsent { consent { listed agreedVersion needsAgreement }
  userErrors { field code message } } }`;
const LEADS = `query { leads(first: 20) { edges { node { title postedBy { id name } } } } }`;

/** What one viewer finds of the imported merchant: search (with its count), node and nodes. */
async function found(token: string | null) {
  const search = (await api.data(SEARCH, { q: NAME }, token)).merchants;
  const byId = await api.data(NODE, { id: merchantId }, token);
  return {
    count: search.totalCount as number,
    ids: search.edges.map((e: { node: { id: string } }) => e.node.id),
    node: byId.node?.id ?? null,
    nodes: byId.nodes,
  };
}
const missing = { count: 0, ids: [], node: null, nodes: [null] };
const present = () => ({ count: 1, ids: [merchantId], node: merchantId, nodes: [{ id: merchantId }] });

beforeAll(async () => {
  api = await createTestApi();
  const s = seed(api.db.db);
  const shanghai = await s.chamber({ name: "上海知情商会" });
  const shenzhen = await s.chamber({ name: "深圳知情商会" });
  shanghaiId = globalId("Chamber", shanghai.id);
  secretaryA = await shanghai.secretary();
  insider = (await shanghai.member({ name: "沪会员" })).user;
  outsider = (await shenzhen.member({ name: "深会员" })).user;
  secretaryB = await shenzhen.secretary();
  staff = await s.federationStaff();
  const imported = await api.data(
    `mutation ($input: ImportMembersInput!) { importMembers(input: $input) { created
      lines { merchant { id } } userErrors { message } } }`,
    {
      input: {
        chamberId: shanghaiId,
        csv: `姓名,手机,邮箱,微信\n${NAME},13912340001,lin.zhiqing@example.com,linzq_wx\n`,
      },
    },
    secretaryA.token,
  );
  expect(imported.importMembers).toMatchObject({ created: 1, userErrors: [] });
  merchantId = imported.importMembers.lines[0].merchant.id;
});

afterAll(async () => {
  await api?.close();
});

// the search index's copy of the listing (migration 0017) moves with every step, in the same transaction
afterEach(async () => {
  expect(await searchIndexListingDrift(api.db.db)).toEqual([]);
});

describe("an imported profile", () => {
  it("is found only inside the importing chamber, not by other chambers nor anonymously", async () => {
    expect(await found(outsider.token)).toEqual(missing);
    expect(await found(secretaryB.token)).toEqual(missing);
    expect(await found(null)).toEqual(missing);
    expect(await found(insider.token)).toEqual(present());
    expect(await found(secretaryA.token)).toEqual(present());
    // the chamber's secretary sees the contact values, as before
    const mine = (await api.data(SEARCH, { q: NAME }, secretaryA.token)).merchants.edges[0].node;
    expect(mine).toMatchObject({ name: NAME, mobile: "13912340001" });
  });

  it("stays unlisted when its merchant signs in by the invitation, until they agree to the notice", async () => {
    const { inviteUser } = await api.data(
      `mutation ($input: InviteUserInput!) { inviteUser(input: $input) { inviteToken userErrors { message } } }`,
      { input: { email: "lin.zhiqing@example.com", displayName: NAME, chamberId: shanghaiId, role: "MEMBER" } },
      secretaryA.token,
    );
    const { acceptInvite } = await api.data(
      `mutation ($token: String!) { acceptInvite(input: { token: $token, password: "lin-password-1" }) { token
        userErrors { message } } }`,
      { token: inviteUser.inviteToken },
    );
    expect(acceptInvite.userErrors).toEqual([]);
    merchantToken = acceptInvite.token;
    const me = await api.data(`query { myPrivacyConsent { listed agreedVersion needsAgreement } }`, {}, merchantToken);
    expect(me.myPrivacyConsent).toEqual({ listed: false, agreedVersion: null, needsAgreement: true });
    expect(await found(outsider.token)).toEqual(missing);
  });

  it("serves the notice in both languages, and refuses an agreement to a version that is not current", async () => {
    const zh = await api.data(`query { privacyNotice { id version text(locale: ZH_CN) publishedAt } }`, {}, null);
    const en = await api.data(`query { privacyNotice { version text(locale: EN) } }`, {}, null);
    expect(zh.privacyNotice.version).toBe(1);
    expect(zh.privacyNotice.text).toContain("个人信息保护告知书");
    expect(en.privacyNotice.text).toContain("Privacy notice");
    // without an argument, in the reader's language
    const read = await api.gql(`query { privacyNotice { text } }`, {}, null, { "accept-language": "zh-CN" });
    expect(read.data?.privacyNotice.text).toBe(zh.privacyNotice.text);
    const again = await api.data(`query ($id: ID!) { node(id: $id) { ... on PrivacyNotice { version } } }`, {
      id: zh.privacyNotice.id,
    });
    expect(again.node).toEqual({ version: 1 });

    for (const version of [0, 2]) {
      const stale = (await api.data(AGREE, { version }, merchantToken)).agreeToPrivacyNotice;
      expect(stale.consent).toBeNull();
      expect(stale.userErrors).toEqual([
        { field: ["input", "version"], code: "CONFLICT", message: expect.any(String) },
      ]);
    }
    const zhError = await api.gql(AGREE, { version: 2 }, merchantToken, { "accept-language": "zh-CN" });
    expect(zhError.data?.agreeToPrivacyNotice.userErrors[0].message).toContain("告知书");
    expect(await found(outsider.token)).toEqual(missing);
  });

  it("is listed once its merchant agrees: search, count, node and their lead's poster", async () => {
    const agreed = (await api.data(AGREE, { version: 1 }, merchantToken)).agreeToPrivacyNotice;
    expect(agreed.userErrors).toEqual([]);
    expect(agreed.consent).toMatchObject({ listed: true, agreedVersion: 1, needsAgreement: false });
    expect(Date.parse(agreed.consent.agreedAt)).toBeGreaterThan(Date.now() - 60_000);
    expect(await found(outsider.token)).toEqual(present());
    expect(await found(null)).toEqual(present());

    const posted = await api.data(
      `mutation ($input: PostLeadInput!) { postLead(input: $input) { userErrors { message } } }`,
      {
        input: {
          chamberId: shanghaiId,
          kind: "SUPPLY",
          title: "知情鞋材",
          description: "长期供应",
          visibility: "FEDERATION",
        },
      },
      merchantToken,
    );
    expect(posted.postLead.userErrors).toEqual([]);
    const seen = (await api.data(LEADS, {}, outsider.token)).leads.edges.map((e: { node: unknown }) => e.node);
    expect(seen).toContainEqual({ title: "知情鞋材", postedBy: { id: merchantId, name: NAME } });
  });

  it("leaves the federation directory at once when consent is withdrawn, memberships intact", async () => {
    const withdrawn = (await api.data(WITHDRAW, {}, merchantToken)).withdrawPrivacyConsent;
    expect(withdrawn).toEqual({
      consent: { listed: false, agreedVersion: null, needsAgreement: true },
      userErrors: [],
    });
    expect(await found(outsider.token)).toEqual(missing);
    expect(await found(null)).toEqual(missing);
    expect(await found(insider.token)).toEqual(present());
    // their FEDERATION lead is still there for the outsider, its poster now as unknown as a missing profile
    const seen = (await api.data(LEADS, {}, outsider.token)).leads.edges.map((e: { node: unknown }) => e.node);
    expect(seen).toContainEqual({ title: "知情鞋材", postedBy: null });
    const insiders = (await api.data(LEADS, {}, insider.token)).leads.edges.map((e: { node: unknown }) => e.node);
    expect(insiders).toContainEqual({ title: "知情鞋材", postedBy: { id: merchantId, name: NAME } });
    // the membership is unchanged: still an active member of the chamber, for its secretary and for them
    const members = await api.data(
      `query ($id: ID!) { node(id: $id) { ... on Chamber { members(first: 20) { edges { node { status
        merchant { id } } } } } } }`,
      { id: shanghaiId },
      secretaryA.token,
    );
    expect(members.node.members.edges.map((e: { node: unknown }) => e.node)).toContainEqual({
      status: "ACTIVE",
      merchant: { id: merchantId },
    });
    const again = (await api.data(WITHDRAW, {}, merchantToken)).withdrawPrivacyConsent;
    expect(again.userErrors).toEqual([{ field: null, code: "INVALID", message: expect.any(String) }]);
  });

  it("must agree again to a new notice version before being listed again", async () => {
    expect((await api.data(AGREE, { version: 1 }, merchantToken)).agreeToPrivacyNotice.userErrors).toEqual([]);
    expect(await found(outsider.token)).toEqual(present());
    const publish = `mutation ($input: PublishPrivacyNoticeInput!) { publishPrivacyNotice(input: $input) {
      notice { version text(locale: EN) } userErrors { field code } } }`;
    const input = { textZhCn: "告知书第2版", textEn: "Privacy notice, version 2" };
    // only federation staff publish one
    const refused = await api.gql(publish, { input }, secretaryA.token);
    expect(refused.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    const blank = (await api.data(publish, { input: { ...input, textEn: "  " } }, staff.token)).publishPrivacyNotice;
    expect(blank.userErrors).toEqual([{ field: ["input", "textEn"], code: "INVALID" }]);
    const published = (await api.data(publish, { input }, staff.token)).publishPrivacyNotice;
    expect(published).toEqual({ notice: { version: 2, text: "Privacy notice, version 2" }, userErrors: [] });

    expect(await found(outsider.token)).toEqual(missing);
    const me = await api.data(`query { myPrivacyConsent { listed agreedVersion needsAgreement } }`, {}, merchantToken);
    expect(me.myPrivacyConsent).toEqual({ listed: false, agreedVersion: 1, needsAgreement: true });
    const stale = (await api.data(AGREE, { version: 1 }, merchantToken)).agreeToPrivacyNotice;
    expect(stale.userErrors[0]).toMatchObject({ field: ["input", "version"], code: "CONFLICT" });
    expect((await api.data(AGREE, { version: 2 }, merchantToken)).agreeToPrivacyNotice.userErrors).toEqual([]);
    expect(await found(outsider.token)).toEqual(present());
  });

  it("records each agreement and withdrawal in the merchant's copy of their data", async () => {
    const copy = JSON.parse(
      (await api.data(`query { myPersonalData { content } }`, {}, merchantToken)).myPersonalData.content,
    );
    expect(
      copy.privacyConsents.map((c: { action: string; noticeVersion: number }) => [c.action, c.noticeVersion]),
    ).toEqual([
      ["AGREED", 1],
      ["WITHDRAWN", 1],
      ["AGREED", 1],
      ["AGREED", 2],
    ]);
    expect(copy.profile).toMatchObject({ listedInFederationDirectory: true, agreedPrivacyNoticeVersion: 2 });
  });

  it("asks a signed-in merchant, and nobody else, for consent", async () => {
    const anonymous = await api.gql(AGREE, { version: 2 });
    expect(anonymous.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
    expect((await api.data(`query { myPrivacyConsent { listed } }`, {}, null)).myPrivacyConsent).toBeNull();
    const noProfile = (await api.data(AGREE, { version: 2 }, staff.token)).agreeToPrivacyNotice;
    expect(noProfile.userErrors).toEqual([{ field: null, code: "NOT_FOUND", message: expect.any(String) }]);
  });
});

describe("another chamber's secretary", () => {
  it("cannot propose an unlisted profile of another chamber by its id: it reads as missing", async () => {
    const { withdrawPrivacyConsent } = await api.data(WITHDRAW, {}, merchantToken);
    expect(withdrawPrivacyConsent.userErrors).toEqual([]);
    const shenzhenId = (await api.data(`query { me { chamberRoles { chamber { id } } } }`, {}, secretaryB.token)).me
      .chamberRoles[0].chamber.id;
    const apply = `mutation ($input: ApplyForMembershipInput!) { applyForMembership(input: $input) {
      userErrors { field code } } }`;
    const unlisted = await api.data(apply, { input: { chamberId: shenzhenId, merchantId } }, secretaryB.token);
    const random = await api.data(
      apply,
      { input: { chamberId: shenzhenId, merchantId: globalId("Merchant", "00000000-0000-4000-8000-000000000000") } },
      secretaryB.token,
    );
    expect(unlisted).toEqual(random);
    expect(unlisted.applyForMembership.userErrors[0]).toMatchObject({
      field: ["input", "merchantId"],
      code: "NOT_FOUND",
    });
  });
});
