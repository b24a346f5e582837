// myPersonalData (issue 19, PIPL Art. 45): the signed-in person gets everything held about them — and nothing
// about anyone else — as JSON and as xlsx; anonymous gets null.
import { personalDataCoverage } from "@wz/core";
import * as db from "@wz/db";
import { createTestApi, globalId, seed, type TestApi } from "@wz/testkit";
import { is } from "drizzle-orm";
import { getTableConfig, PgTable } from "drizzle-orm/pg-core";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

let api: TestApi;
let me: { merchantId: string; membershipId: string; user: { token: string; email: string } };
let other: { merchantId: string; user: { token: string } };
let shanghaiId: string;

const COPY = `query ($format: PersonalDataFormat) { myPersonalData(format: $format) { filename contentType content } }`;

beforeAll(async () => {
  api = await createTestApi();
  const s = seed(api.db.db);
  const shanghai = await s.chamber({ name: "上海测试商会" });
  shanghaiId = globalId("Chamber", shanghai.id);
  const secretary = await shanghai.secretary();
  me = await shanghai.member({ name: "陈复制", mobile: "13900001111", mobileVisibility: "PRIVATE" });
  other = await shanghai.member({ name: "李旁人", mobile: "13900002222", mobileVisibility: "PRIVATE" });
  const ok = async (query: string, input: Record<string, unknown>, token: string) => {
    const data = await api.data(query, { input }, token);
    const payload = Object.values(data)[0] as { userErrors: unknown[] };
    expect(payload.userErrors).toEqual([]);
    return payload as Record<string, unknown>;
  };
  const membership = globalId("Membership", me.membershipId);
  await ok(
    `mutation ($input: RecordDuesPaymentInput!) { recordDuesPayment(input: $input) { userErrors { message } } }`,
    { membershipId: membership, amount: "3000", periodStart: "2026-01-01", receiptNo: "SH-2026-001" },
    secretary.token,
  );
  // the chamber's working note about them is the chamber's, and stays out of the copy
  await ok(
    `mutation ($input: AddMembershipNoteInput!) { addMembershipNote(input: $input) { userErrors { message } } }`,
    { membershipId: membership, body: "内部备注：不要外传" },
    secretary.token,
  );
  const posted = await ok(
    `mutation ($input: PostLeadInput!) { postLead(input: $input) { lead { id } userErrors { message } } }`,
    {
      chamberId: shanghaiId,
      kind: "SUPPLY",
      title: "温州鞋材供应",
      description: "长期供应鞋材",
      visibility: "CHAMBER",
    },
    me.user.token,
  );
  const otherLead = await ok(
    `mutation ($input: PostLeadInput!) { postLead(input: $input) { lead { id } userErrors { message } } }`,
    { chamberId: shanghaiId, kind: "DEMAND", title: "求购皮革", description: "急需", visibility: "CHAMBER" },
    other.user.token,
  );
  await ok(
    `mutation ($input: RespondToLeadInput!) { respondToLead(input: $input) { userErrors { message } } }`,
    { leadId: (otherLead.lead as { id: string }).id, kind: "INTEREST", message: "我们有货，请联系" },
    me.user.token,
  );
  expect((posted.lead as { id: string }).id).toBeTruthy();
  // someone refers a third member's lead to them: that is about them too
  const third = await shanghai.member({ name: "王第三" });
  const thirdLead = await ok(
    `mutation ($input: PostLeadInput!) { postLead(input: $input) { lead { id } userErrors { message } } }`,
    {
      chamberId: shanghaiId,
      kind: "INVESTMENT_PROJECT",
      title: "瓯海项目合作",
      description: "寻找合伙人",
      visibility: "CHAMBER",
    },
    third.user.token,
  );
  await ok(
    `mutation ($input: RespondToLeadInput!) { respondToLead(input: $input) { userErrors { message } } }`,
    {
      leadId: (thirdLead.lead as { id: string }).id,
      kind: "REFERRAL",
      message: "推荐给同行",
      referredMerchantId: globalId("Merchant", me.merchantId),
    },
    other.user.token,
  );
  await ok(
    `mutation ($input: UpdateMyProfileInput!) { updateMyProfile(input: $input) { userErrors { message } } }`,
    { wechat: "chenfuzhi88", wechatVisibility: "CHAMBER" },
    me.user.token,
  );
});
afterAll(() => api.close());

describe("myPersonalData", () => {
  it("is null for someone not signed in", async () => {
    expect((await api.data(COPY, {})).myPersonalData).toBeNull();
  });

  it("holds the profile, contact values with their visibility, memberships, dues, leads and answers", async () => {
    const copy = (await api.data(COPY, {}, me.user.token)).myPersonalData;
    expect(copy.contentType).toBe("application/json");
    expect(copy.filename).toMatch(/^personal-data-\d{4}-\d{2}-\d{2}\.json$/);
    const doc = JSON.parse(copy.content);
    expect(doc.account.email).toBe(me.user.email);
    expect(doc.account.sessions.length).toBeGreaterThan(0);
    expect(doc.profile.name).toBe("陈复制");
    expect(doc.contact.mobile).toEqual({ value: "13900001111", visibility: "PRIVATE" });
    expect(doc.contact.wechat).toEqual({ value: "chenfuzhi88", visibility: "CHAMBER" });
    expect(doc.memberships).toEqual([expect.objectContaining({ chamber: "上海测试商会", status: "ACTIVE" })]);
    expect(doc.consents).toEqual([expect.objectContaining({ chamber: "上海测试商会", agreedAt: expect.any(String) })]);
    expect(doc.duesPayments).toEqual([
      expect.objectContaining({ chamber: "上海测试商会", receiptNo: "SH-2026-001", periodStart: "2026-01-01" }),
    ]);
    expect(doc.leads).toEqual([expect.objectContaining({ title: "温州鞋材供应", kind: "SUPPLY" })]);
    expect(doc.answers).toEqual([
      expect.objectContaining({ lead: "求购皮革", kind: "INTEREST", message: "我们有货，请联系" }),
    ]);
    expect(doc.referralsToYou).toEqual([expect.objectContaining({ lead: "瓯海项目合作" })]);
    // the audit log's record of what happened to their data: the dues, the profile change
    const actions = doc.auditEntries.map((e: { action: string }) => e.action);
    expect(actions).toEqual(expect.arrayContaining(["merchant:update-profile"]));
    expect(doc.auditEntries.every((e: object) => Object.keys(e).sort().join() === "about,action,at")).toBe(true);
  });

  it("holds nothing about anyone else: not another member's mobile, not the chamber's private note", async () => {
    const content = (await api.data(COPY, {}, me.user.token)).myPersonalData.content as string;
    expect(content).not.toContain("13900002222");
    expect(content).not.toContain("李旁人");
    expect(content).not.toContain("内部备注");
    // the referral in the copy says which lead, not who made it; the one who made it has it as their answer
    expect(content).not.toContain("推荐给同行");
    const theirs = JSON.parse((await api.data(COPY, {}, other.user.token)).myPersonalData.content);
    expect(theirs.answers).toEqual([expect.objectContaining({ lead: "瓯海项目合作", kind: "REFERRAL" })]);
    expect(JSON.stringify(theirs)).not.toContain("13900001111");
    expect(JSON.stringify(theirs)).not.toContain("陈复制");
  });

  it("as xlsx: a workbook with a sheet per kind of record, holding the same facts", async () => {
    const copy = (await api.data(COPY, { format: "XLSX" }, me.user.token)).myPersonalData;
    expect(copy.filename).toMatch(/\.xlsx$/);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(Buffer.from(copy.content, "base64") as unknown as ArrayBuffer);
    const names = workbook.worksheets.map((w) => w.name);
    expect(names).toEqual(expect.arrayContaining(["profile", "memberships", "duesPayments", "leads", "answers"]));
    const cells = (name: string) => {
      const out: string[] = [];
      workbook.getWorksheet(name)!.eachRow((row) => row.eachCell((cell) => out.push(String(cell.value))));
      return out;
    };
    expect(cells("profile")).toEqual(expect.arrayContaining(["contact.mobile", "13900001111 (PRIVATE)"]));
    expect(cells("duesPayments")).toContain("SH-2026-001");
    expect(cells("leads")).toContain("温州鞋材供应");
  });

  it("an account without a directory profile gets its account and nothing else", async () => {
    const staff = await seed(api.db.db).federationStaff();
    const doc = JSON.parse((await api.data(COPY, {}, staff.token)).myPersonalData.content);
    expect(doc.account).toMatchObject({ email: staff.email, isFederationStaff: true });
    expect(doc.profile).toBeNull();
    expect(doc.memberships).toEqual([]);
  });
});

describe("the copy's coverage", () => {
  it("every table that refers to a merchant is in the copy, or said why not", () => {
    const schema = db as unknown as Record<string, unknown>;
    const referring: string[] = [];
    for (const value of Object.values(schema)) {
      if (!is(value, PgTable)) continue;
      const config = getTableConfig(value);
      const byKey = config.foreignKeys.some((fk) => getTableConfig(fk.reference().foreignTable).name === "merchant");
      const byName = config.columns.some((c) => /(^|_)merchant_id$/.test(c.name));
      if (byKey || byName || config.name === "merchant") referring.push(config.name);
    }
    const accounted = [...Object.keys(personalDataCoverage.covered), ...Object.keys(personalDataCoverage.left)];
    expect(referring.length).toBeGreaterThan(5);
    expect(referring.filter((name) => !accounted.includes(name))).toEqual([]);
  });
});
