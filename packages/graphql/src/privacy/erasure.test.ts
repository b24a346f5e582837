// Erasure (issue 19, PIPL Arts. 46-47): a merchant erases their personal data, re-entering their password. After
// it no personal value of theirs is anywhere in the database (every text, varchar, array and jsonb column of every
// table searched), figures are unchanged, the other party keeps leads and answers naming a "deleted user", the
// person cannot sign in, and no secretary or staff member can put anything back.
import { searchIndexListingDrift } from "@wz/core";
import { rowsOf } from "@wz/db";
import { createTestApi, globalId, seed, type TestApi } from "@wz/testkit";
import { sql } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";

let api: TestApi;
let shanghaiId: string;
let secretaryA: { token: string };
let referrer: { token: string };
let outsider: { token: string; merchantId: string };
let staff: { token: string };
let merchantId: string;
let membershipId: string;
let merchantToken: string;
let ownLeadId: string;

const NAME = "郑抹除";
const LATIN = "Zheng Mochu";
const MOBILE = "13955556666";
const EMAIL = "zheng.erase@example.com";
const WECHAT = "zheng_erase_wx";
const LANDLINE = "0577-88997766";
const COMPANY = "抹除实业有限公司";
const PASSWORD = "zheng-password-1";
const ERASED_VALUES = [NAME, LATIN, MOBILE, EMAIL, WECHAT, LANDLINE, "zheng.erase", "zheng_erase", "13955556666"];

const ERASE = `mutation ($password: String!) { eraseMyPersonalData(input: { password: $password }) { erased
  userErrors { field code message } } }`;
const SEARCH = `query ($q: String) { merchants(query: $q, first: 10) { totalCount edges { node { id } } } }`;

async function ok(query: string, input: Record<string, unknown>, token: string) {
  const data = await api.data(query, { input }, token);
  const payload = Object.values(data)[0] as Record<string, unknown> & { userErrors: unknown[] };
  expect(payload.userErrors).toEqual([]);
  return payload;
}

/** The figures erasure must leave as they were: the chamber's roll-up and the closed value of the lead. */
async function figures() {
  const rollup = await api.data(
    `query ($id: ID!) { node(id: $id) { ... on Chamber { rollup { own { activeMembers closedValueThisYear
      leadsPostedThisYear referralClosedValueThisYear newMembersThisYear } } } } }`,
    { id: shanghaiId },
    staff.token,
  );
  const lead = await api.data(
    `query ($id: ID!) { node(id: $id) { ... on Lead { status closedValue } } }`,
    { id: ownLeadId },
    outsider.token,
  );
  const dues = rowsOf<{ total: string }>(
    await api.db.db.execute(sql`select coalesce(sum(amount), 0)::text as total from dues_payment`),
  );
  return { ...rollup.node.rollup.own, lead: lead.node, dues: dues[0]?.total };
}

beforeAll(async () => {
  api = await createTestApi();
  const s = seed(api.db.db);
  const shanghai = await s.chamber({ name: "上海抹除商会" });
  const shenzhen = await s.chamber({ name: "深圳抹除商会" });
  shanghaiId = globalId("Chamber", shanghai.id);
  secretaryA = await shanghai.secretary();
  referrer = (await shanghai.member({ name: "沪推荐人" })).user;
  const b = await shenzhen.member({ name: "深对方" });
  outsider = { token: b.user.token, merchantId: globalId("Merchant", b.merchantId) };
  staff = await s.federationStaff();

  // imported by the chamber, with a private note naming them (as secretariats' spreadsheets do)
  const imported = await ok(
    `mutation ($input: ImportMembersInput!) { importMembers(input: $input) { lines { merchant { id }
      membership { id } } userErrors { message } } }`,
    {
      chamberId: shanghaiId,
      csv: `姓名,手机,邮箱,微信,座机,备注\n${NAME},${MOBILE},${EMAIL},${WECHAT},${LANDLINE},${NAME}介绍 ${MOBILE}\n`,
    },
    secretaryA.token,
  );
  const line = (imported.lines as { merchant: { id: string }; membership: { id: string } }[])[0]!;
  merchantId = line.merchant.id;
  membershipId = line.membership.id;
  const invited = await ok(
    `mutation ($input: InviteUserInput!) { inviteUser(input: $input) { inviteToken userErrors { message } } }`,
    { email: EMAIL, displayName: NAME, chamberId: shanghaiId, role: "MEMBER" },
    secretaryA.token,
  );
  const accepted = await api.data(
    `mutation ($input: AcceptInviteInput!) { acceptInvite(input: $input) { token userErrors { message } } }`,
    { input: { token: invited.inviteToken, password: PASSWORD } },
  );
  merchantToken = accepted.acceptInvite.token;
  await ok(
    `mutation ($input: AgreeToPrivacyNoticeInput!) { agreeToPrivacyNotice(input: $input) { userErrors { message } } }`,
    { version: 1 },
    merchantToken,
  );
  // their own edits and a secretary's correction: audit entries holding their values before and after
  await ok(
    `mutation ($input: UpdateMyProfileInput!) { updateMyProfile(input: $input) { userErrors { message } } }`,
    {
      nameLatin: LATIN,
      companies: [{ name: COMPANY, industry: "C", role: "董事长" }],
      wechatVisibility: "FEDERATION",
      mobileVisibility: "FEDERATION",
    },
    merchantToken,
  );
  await ok(
    `mutation ($input: CorrectMerchantProfileInput!) { correctMerchantProfile(input: $input) {
      userErrors { message } } }`,
    { merchantId, city: "上海" },
    secretaryA.token,
  );
  await ok(
    `mutation ($input: RecordDuesPaymentInput!) { recordDuesPayment(input: $input) { userErrors { message } } }`,
    { membershipId, amount: "3000", periodStart: "2026-01-01", receiptNo: "ERASE-001" },
    secretaryA.token,
  );
  // their lead, answered by the outsider and closed won; their answer to the outsider's lead; a referral to them
  const post = `mutation ($input: PostLeadInput!) { postLead(input: $input) { lead { id } userErrors { message } } }`;
  const own = await ok(
    post,
    { chamberId: shanghaiId, kind: "SUPPLY", title: "抹除鞋材", description: "长期供应", visibility: "FEDERATION" },
    merchantToken,
  );
  ownLeadId = (own.lead as { id: string }).id;
  const respond = `mutation ($input: RespondToLeadInput!) { respondToLead(input: $input) { userErrors { message } } }`;
  await ok(respond, { leadId: ownLeadId, kind: "INTEREST", message: "我们要货" }, outsider.token);
  await ok(
    `mutation ($input: UpdateLeadStatusInput!) { updateLeadStatus(input: $input) { userErrors { message } } }`,
    { leadId: ownLeadId, status: "CLOSED_WON", closedValue: "500000" },
    merchantToken,
  );
  const shenzhenId = globalId("Chamber", shenzhen.id);
  const theirs = await ok(
    post,
    { chamberId: shenzhenId, kind: "DEMAND", title: "深圳求购皮革", description: "急需", visibility: "FEDERATION" },
    outsider.token,
  );
  const theirLeadId = (theirs.lead as { id: string }).id;
  await ok(respond, { leadId: theirLeadId, kind: "INTEREST", message: "有货，请联系" }, merchantToken);
  await ok(
    respond,
    { leadId: theirLeadId, kind: "REFERRAL", message: "推荐一位供应商", referredMerchantId: merchantId },
    referrer.token,
  );
  // the outsider is shown their FEDERATION mobile: an entry in their "who looked" log
  await api.data(
    `query ($id: ID!) { node(id: $id) { ... on Merchant { mobile } } }`,
    { id: merchantId },
    outsider.token,
  );
  // texts others wrote about them: a city leader's contact notes and a chamber's nomination (fixtures, as a leader
  // and a secretary would have written them)
  await api.db.db.execute(sql`insert into goose_contact (merchant_id, leader_user_id, kind, "on", notes)
    select m.id, (select id from app_user order by created_at limit 1), 'VISIT', '2026-01-05', ${`${NAME}，手机 ${MOBILE}`}
    from merchant m where m.mobile = ${MOBILE}`);
  await api.db.db.execute(sql`insert into recognition_nomination (year, merchant_id, chamber_id, reason)
    select 2026, m.id, ${shanghai.id}::uuid, ${`${NAME}带回三个项目`} from merchant m where m.mobile = ${MOBILE}`);
});

afterAll(async () => {
  await api?.close();
});

// the search index's copy of the listing (migration 0017) moves with every step, in the same transaction
afterEach(async () => {
  expect(await searchIndexListingDrift(api.db.db)).toEqual([]);
});

describe("eraseMyPersonalData", () => {
  it("with a wrong password changes nothing", async () => {
    const wrong = (await api.data(ERASE, { password: "not-the-password" }, merchantToken)).eraseMyPersonalData;
    expect(wrong).toEqual({
      erased: false,
      userErrors: [{ field: ["input", "password"], code: "INVALID", message: expect.any(String) }],
    });
    expect((await api.data(SEARCH, { q: NAME }, outsider.token)).merchants.totalCount).toBe(1);
    expect((await api.data(`query { me { user { email } } }`, {}, merchantToken)).me.user.email).toBe(EMAIL);
    const anonymous = await api.gql(ERASE, { password: PASSWORD });
    expect(anonymous.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
  });

  it("leaves no personal value anywhere, and every figure as it was", async () => {
    const before = await figures();
    // their values are in the database now (else the search below would prove nothing)
    expect(await occurrences()).not.toEqual([]);
    const lookedBefore = rowsOf<{ n: number }>(
      await api.db.db.execute(sql`select count(*)::int as n from contact_access a
        join merchant m on m.id = a.merchant_id where m.mobile = ${MOBILE}`),
    );
    expect(lookedBefore[0]?.n).toBeGreaterThan(0);
    const done = (await api.data(ERASE, { password: PASSWORD }, merchantToken)).eraseMyPersonalData;
    expect(done).toEqual({ erased: true, userErrors: [] });

    expect(await occurrences()).toEqual([]);
    // who looked at them was kept for them alone: gone with the profile
    const looked = rowsOf<{ n: number }>(
      await api.db.db.execute(sql`select count(*)::int as n from contact_access a
        join merchant m on m.id = a.merchant_id where m.erased_at is not null`),
    );
    expect(looked[0]?.n).toBe(0);
    const after = await figures();
    // their membership ended, so the chamber has one active member fewer; every other figure is unchanged
    expect(after).toEqual({ ...before, activeMembers: before.activeMembers - 1 });
    expect(after.lead).toEqual({ status: "CLOSED_WON", closedValue: "500000.00" });
  });

  it("keeps their lead and answers for the other party, naming a deleted user in the reader's language", async () => {
    const lead = `query ($id: ID!) { node(id: $id) { ... on Lead { title postedBy { id name erased mobile wechat }
      responses { message } } } }`;
    const en = await api.data(lead, { id: ownLeadId }, outsider.token);
    expect(en.node).toMatchObject({
      title: "抹除鞋材",
      postedBy: { id: merchantId, name: "deleted user", erased: true, mobile: null, wechat: null },
    });
    const zh = await api.gql(lead, { id: ownLeadId }, outsider.token, { "accept-language": "zh-CN" });
    expect(zh.data?.node.postedBy.name).toBe("已注销用户");
    const answers = await api.data(
      `query { leads(first: 20) { edges { node { title responses { message responder { name erased } } } } } }`,
      {},
      outsider.token,
    );
    const mine = answers.leads.edges.find((e: { node: { title: string } }) => e.node.title === "深圳求购皮革");
    expect(mine.node.responses).toContainEqual({
      message: "有货，请联系",
      responder: { name: "deleted user", erased: true },
    });
  });

  it("takes the profile out of the directory, ends the membership with its reason, and ends the account", async () => {
    for (const token of [outsider.token, secretaryA.token, staff.token])
      expect((await api.data(SEARCH, { q: "郑" }, token)).merchants.totalCount).toBe(0);
    const membership = await api.data(
      `query ($id: ID!) { node(id: $id) { ... on Membership { status statusReason merchant { name erased } } } }`,
      { id: membershipId },
      secretaryA.token,
    );
    expect(membership.node).toEqual({
      status: "LEFT",
      statusReason: "erased",
      merchant: { name: "deleted user", erased: true },
    });
    expect((await api.data(`query { me { user { email } } }`, {}, merchantToken)).me).toBeNull();
    const login = await api.data(
      `mutation ($input: LoginInput!) { login(input: $input) { token userErrors { code } } }`,
      { input: { email: EMAIL, password: PASSWORD } },
    );
    expect(login.login).toEqual({ token: null, userErrors: [{ code: "INVALID" }] });
  });

  it("cannot be undone by a secretary or federation staff", async () => {
    const correct = await api.data(
      `mutation ($input: CorrectMerchantProfileInput!) { correctMerchantProfile(input: $input) {
        userErrors { field code } } }`,
      { input: { merchantId, name: NAME } },
      secretaryA.token,
    );
    expect(correct.correctMerchantProfile.userErrors).toEqual([{ field: ["input", "merchantId"], code: "NOT_FOUND" }]);
    const apply = await api.data(
      `mutation ($input: ApplyForMembershipInput!) { applyForMembership(input: $input) { userErrors { field code } } }`,
      { input: { chamberId: shanghaiId, merchantId } },
      secretaryA.token,
    );
    expect(apply.applyForMembership.userErrors).toEqual([{ field: ["input", "merchantId"], code: "NOT_FOUND" }]);
    for (const [survivorId, mergedId] of [
      [merchantId, outsider.merchantId],
      [outsider.merchantId, merchantId],
    ]) {
      const merge = await api.data(
        `mutation ($input: MergeMerchantsInput!) { mergeMerchants(input: $input) { userErrors { code } } }`,
        { input: { survivorId, mergedId } },
        staff.token,
      );
      expect(merge.mergeMerchants.userErrors).toEqual([{ code: "NOT_FOUND" }]);
    }
    // an import of the old values creates a new profile: nothing is matched back to the erased one
    const reimport = await api.data(
      `mutation ($input: ImportMembersInput!) { importMembers(input: $input) { created matched proposed } }`,
      { input: { chamberId: shanghaiId, csv: `姓名,手机\n${NAME},${MOBILE}\n`, dryRun: true } },
      secretaryA.token,
    );
    expect(reimport.importMembers).toEqual({ created: 1, matched: 0, proposed: 0 });
    expect(await occurrences()).toEqual([]);
  });

  it("is recorded in the audit log without the erased values", async () => {
    const rows = rowsOf<Record<string, unknown>>(
      await api.db.db.execute(sql`select action, before, after from audit_log where action = 'privacy:erase'`),
    );
    expect(rows).toHaveLength(1);
    expect(JSON.stringify(rows[0])).not.toMatch(/郑|zheng|1395555/i);
  });
});

/**
 * Every place an erased value still appears: each text, varchar, array and jsonb column of every table in the
 * database (information_schema), searched for each value.
 */
async function occurrences(): Promise<string[]> {
  const columns = rowsOf<{ table_name: string; column_name: string }>(
    await api.db.db.execute(sql`select table_name, column_name from information_schema.columns
      where table_schema = 'public' and data_type in ('text', 'character varying', 'character', 'jsonb', 'json',
        'ARRAY')`),
  );
  expect(columns.length).toBeGreaterThan(20);
  const found: string[] = [];
  for (const { table_name: table, column_name: column } of columns) {
    const hits = rowsOf<{ n: number }>(
      await api.db.db.execute(
        sql`select count(*)::int as n from ${sql.identifier(table)} where ${sql.join(
          ERASED_VALUES.map((v) => sql`strpos(lower(${sql.identifier(column)}::text), lower(${v})) > 0`),
          sql` or `,
        )}`,
      ),
    ) as { n: number }[];
    if (Number(hits[0]?.n) > 0) found.push(`${table}.${column}`);
  }
  return found;
}
