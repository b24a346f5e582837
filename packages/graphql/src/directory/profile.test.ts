// Keeping profiles: the merchant's own edits (validated field by field, nothing changed on bad input), who
// may see their contact settings, and a secretary's corrections of their own members only.
import { creditCodeCheckChar } from "@wz/core";
import { auditLogTable, companyTable, merchantTable } from "@wz/db";
import { createTestApi, globalId, seed, type TestApi } from "@wz/testkit";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

let api: TestApi;
let a: Awaited<ReturnType<ReturnType<typeof seed>["chamber"]>>;
let b: Awaited<ReturnType<ReturnType<typeof seed>["chamber"]>>;

const validCode = (first17: string) => first17 + creditCodeCheckChar(first17)!;
const GOOD_CODE = validCode("91330300MA2AB1C2D");

const UPDATE = `mutation ($input: UpdateMyProfileInput!) { updateMyProfile(input: $input) {
  merchant { id name nameLatin hometownDistrict provinceCode city countryCode tags mobile email wechat
             contactVisibility { mobile email wechat } companies { name industry role size creditCode } }
  userErrors { field message code } } }`;
const CORRECT = `mutation ($input: CorrectMerchantProfileInput!) { correctMerchantProfile(input: $input) {
  merchant { name hometownDistrict companies { name creditCode } } userErrors { field message code } } }`;

beforeAll(async () => {
  api = await createTestApi();
  const s = seed(api.db.db);
  a = await s.chamber({ name: "温州甲" });
  b = await s.chamber({ name: "温州乙" });
});
afterAll(() => api.close());

const row = async (id: string) => (await api.db.db.select().from(merchantTable).where(eq(merchantTable.id, id)))[0]!;
const search = async (q: string) =>
  (
    await api.data(`query ($q: String) { merchants(query: $q) { edges { node { name } } } }`, { q })
  ).merchants.edges.map((e: { node: { name: string } }) => e.node.name);

describe("updateMyProfile", () => {
  it("updates every field, normalises contact values, replaces companies, and search follows", async () => {
    const me = await a.member({ name: "陈旧名" });
    const { updateMyProfile } = await api.data(
      UPDATE,
      {
        input: {
          name: "黄新名",
          nameLatin: "Huang  Xinming",
          hometownDistrict: "330381",
          provinceCode: "44",
          city: "深圳",
          countryCode: "cn",
          tags: ["NEW_GENERATION", "LEADING_GOOSE"],
          mobile: "+86 139-1234-5678",
          email: " Huang@Example.COM ",
          wechat: "huang_xm",
          mobileVisibility: "PUBLIC",
          emailVisibility: "FEDERATION",
          wechatVisibility: "PRIVATE",
          companies: [
            {
              name: "深圳新名眼镜有限公司",
              industry: "c",
              role: "董事长",
              size: "MEDIUM",
              creditCode: GOOD_CODE.toLowerCase(),
            },
          ],
        },
      },
      me.user.token,
    );
    expect(updateMyProfile.userErrors).toEqual([]);
    expect(updateMyProfile.merchant).toEqual({
      id: globalId("Merchant", me.merchantId),
      name: "黄新名",
      nameLatin: "Huang Xinming",
      hometownDistrict: "330381",
      provinceCode: "44",
      city: "深圳",
      countryCode: "CN",
      tags: ["NEW_GENERATION", "LEADING_GOOSE"],
      mobile: "13912345678",
      email: "huang@example.com",
      wechat: "huang_xm",
      contactVisibility: { mobile: "PUBLIC", email: "FEDERATION", wechat: "PRIVATE" },
      companies: [
        { name: "深圳新名眼镜有限公司", industry: "C", role: "董事长", size: "MEDIUM", creditCode: GOOD_CODE },
      ],
    });
    expect(await search("黄新")).toEqual(["黄新名"]);
    expect(await search("huangxinming")).toEqual(["黄新名"]);
    expect(await search("hxm")).toEqual(["黄新名"]);
    expect(await search("眼镜")).toEqual(["黄新名"]);
    expect(await search("陈旧")).toEqual([]);
    const audit = await api.db.db
      .select()
      .from(auditLogTable)
      .where(and(eq(auditLogTable.entityId, me.merchantId), eq(auditLogTable.action, "merchant:update-profile")));
    expect(audit).toHaveLength(1);
  });

  it("gives one userError per bad field and changes nothing", async () => {
    const me = await a.member({ name: "王不变", companies: [{ name: "原公司" }] });
    const before = await row(me.merchantId);
    const badCode = GOOD_CODE.slice(0, 17) + (GOOD_CODE[17] === "0" ? "1" : "0");
    const { updateMyProfile } = await api.data(
      UPDATE,
      {
        input: {
          name: "",
          nameLatin: "王",
          hometownDistrict: "999999",
          provinceCode: "99",
          countryCode: "China",
          mobile: "12345",
          email: "not-an-email",
          wechat: "1abc",
          companies: [{ name: "好公司", industry: "Z", creditCode: badCode }, { name: " " }],
        },
      },
      me.user.token,
    );
    expect(updateMyProfile.merchant).toBeNull();
    expect(updateMyProfile.userErrors.map((e: { field: string[] }) => e.field.join("."))).toEqual([
      "input.name",
      "input.nameLatin",
      "input.hometownDistrict",
      "input.provinceCode",
      "input.countryCode",
      "input.companies.0.industry",
      "input.companies.0.creditCode",
      "input.companies.1.name",
      "input.mobile",
      "input.email",
      "input.wechat",
    ]);
    expect(
      updateMyProfile.userErrors.every(
        (e: { code: string; message: string }) => e.code === "INVALID" && e.message.length > 0,
      ),
    ).toBe(true);
    expect(await row(me.merchantId)).toEqual(before);
    expect(
      (await api.db.db.select().from(companyTable).where(eq(companyTable.merchantId, me.merchantId))).map(
        (c) => c.name,
      ),
    ).toEqual(["原公司"]);
  });

  it("accepts E.164 numbers abroad and a non-Chinese-shaped name is refused", async () => {
    const me = await a.member({ name: "叶海外" });
    const ok = await api.data(UPDATE, { input: { mobile: "+39 333 123 4567" } }, me.user.token);
    expect(ok.updateMyProfile.merchant.mobile).toBe("+393331234567");
    const bad = await api.data(UPDATE, { input: { name: "Ye Haiwai" } }, me.user.token);
    expect(bad.updateMyProfile.userErrors[0].field).toEqual(["input", "name"]);
  });

  it("keeps landlines as area code-number, with their own visibility; a bad one is a userError", async () => {
    const me = await a.member({ name: "林座机" });
    const fellow = await a.member();
    const set = await api.data(
      UPDATE.replace("contactVisibility { mobile", "landline contactVisibility { landline mobile"),
      { input: { landline: "(0577)88881234 / 021 6234 5678转801", landlineVisibility: "CHAMBER" } },
      me.user.token,
    );
    expect(set.updateMyProfile.userErrors).toEqual([]);
    expect(set.updateMyProfile.merchant).toMatchObject({
      landline: "0577-88881234, 021-62345678-801",
      contactVisibility: { landline: "CHAMBER" },
    });
    const q = `query ($id: ID!) { node(id: $id) { ... on Merchant { landline } } }`;
    const id = globalId("Merchant", me.merchantId);
    expect((await api.data(q, { id }, fellow.user.token)).node.landline).toBe("0577-88881234, 021-62345678-801");
    expect((await api.data(q, { id }, (await b.member()).user.token)).node.landline).toBeNull();
    await api.data(UPDATE, { input: { landlineVisibility: "PRIVATE" } }, me.user.token);
    expect((await api.data(q, { id }, fellow.user.token)).node.landline).toBeNull();
    const bad = await api.data(UPDATE, { input: { landline: "12345" } }, me.user.token);
    expect(bad.updateMyProfile.userErrors).toEqual([
      {
        field: ["input", "landline"],
        message: '"12345" is not a landline: give the area code and number (e.g. 0577-88881234).',
        code: "INVALID",
      },
    ]);
  });

  it("changing a visibility changes what others see at once", async () => {
    const me = await a.member({ name: "潘可见", mobile: "13700000001", mobileVisibility: "CHAMBER" });
    const fellow = await a.member();
    const q = `query ($id: ID!) { node(id: $id) { ... on Merchant { mobile contactVisibility { mobile } } } }`;
    const id = globalId("Merchant", me.merchantId);
    expect((await api.data(q, { id }, fellow.user.token)).node).toEqual({
      mobile: "13700000001",
      contactVisibility: null,
    });
    await api.data(UPDATE, { input: { mobileVisibility: "PRIVATE" } }, me.user.token);
    expect((await api.data(q, { id }, fellow.user.token)).node).toEqual({ mobile: null, contactVisibility: null });
    expect((await api.data(q, { id }, me.user.token)).node).toEqual({
      mobile: "13700000001",
      contactVisibility: { mobile: "PRIVATE" },
    });
  });

  it("anonymous is UNAUTHENTICATED; an account without a profile gets NOT_FOUND", async () => {
    const anonymous = await api.gql(UPDATE, { input: { city: "x" } });
    expect(anonymous.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
    const staff = await seed(api.db.db).federationStaff();
    const { updateMyProfile } = await api.data(UPDATE, { input: { city: "x" } }, staff.token);
    expect(updateMyProfile.userErrors).toEqual([
      { field: null, message: "Your account has no merchant profile.", code: "NOT_FOUND" },
    ]);
  });
});

describe("correctMerchantProfile", () => {
  it("a secretary corrects their member's non-contact fields, audited in their chamber", async () => {
    const member = await a.member({ name: "错名字", companies: [{ name: "旧公司" }] });
    const secretary = await a.secretary();
    const { correctMerchantProfile } = await api.data(
      CORRECT,
      {
        input: {
          merchantId: globalId("Merchant", member.merchantId),
          name: "对名字",
          hometownDistrict: "330304",
          companies: [{ name: "新公司", creditCode: GOOD_CODE }],
        },
      },
      secretary.token,
    );
    expect(correctMerchantProfile).toEqual({
      merchant: { name: "对名字", hometownDistrict: "330304", companies: [{ name: "新公司", creditCode: GOOD_CODE }] },
      userErrors: [],
    });
    const [audit] = await api.db.db
      .select()
      .from(auditLogTable)
      .where(eq(auditLogTable.action, "merchant:correct-profile"));
    expect(audit).toMatchObject({ chamberId: a.id, entityId: member.merchantId, actorUserId: secretary.id });
  });

  it("cannot touch contact fields", async () => {
    const member = await a.member();
    const secretary = await a.secretary();
    const result = await api.gql(
      CORRECT,
      { input: { merchantId: globalId("Merchant", member.merchantId), mobile: "13900000000" } },
      secretary.token,
    );
    expect(result.errors?.[0]?.message).toMatch(/mobile/);
  });

  it("another chamber's secretary, a member, or a bad field: nothing changes; foreign looks like missing", async () => {
    const member = await a.member({ name: "不许改" });
    const before = await row(member.merchantId);
    const otherSecretary = await b.secretary();
    const input = (id: string) => ({ input: { merchantId: globalId("Merchant", id), name: "改掉了" } });
    const foreign = (await api.data(CORRECT, input(member.merchantId), otherSecretary.token)).correctMerchantProfile;
    const missing = (await api.data(CORRECT, input("00000000-0000-4000-8000-000000000000"), otherSecretary.token))
      .correctMerchantProfile;
    expect(foreign).toEqual({
      merchant: null,
      userErrors: [
        {
          field: ["input", "merchantId"],
          message: "No such merchant among your chamber's members.",
          code: "NOT_FOUND",
        },
      ],
    });
    expect(missing).toEqual(foreign);
    const byMember = (await api.data(CORRECT, input(member.merchantId), (await a.member()).user.token))
      .correctMerchantProfile;
    expect(byMember).toEqual(foreign);
    const secretary = await a.secretary();
    const bad = (
      await api.data(
        CORRECT,
        { input: { merchantId: globalId("Merchant", member.merchantId), provinceCode: "00" } },
        secretary.token,
      )
    ).correctMerchantProfile;
    expect(bad.userErrors[0].field).toEqual(["input", "provinceCode"]);
    expect(await row(member.merchantId)).toEqual(before);
  });
});
