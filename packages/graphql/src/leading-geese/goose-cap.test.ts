// At most 100 leading geese (百名领头雁) at a time, on every path that can set the tag — the staff mutation, a
// merchant's own profile, a secretary's correction, a merge, a raw insert as an import or a script would write — and
// under concurrency: two requests racing for the 100th place, exactly one wins. And a city leader takes at most
// three geese, also when two links race for the third place.
import { decodeGlobalID } from "@pothos/plugin-relay";
import { auditLogTable, merchantTable } from "@wz/db";
import { type ChamberSeed, createTestApi, globalId, type SeededUser, seed, type TestApi } from "@wz/testkit";
import { and, count, eq, isNull, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

let api: TestApi;
let city: SeededUser;
let chamber: ChamberSeed;
let secretary: SeededUser;

const TAG = `mutation ($input: SetLeadingGooseInput!) { setLeadingGoose(input: $input) {
  merchant { id tags } userErrors { field message code } } }`;
const LINK = `mutation ($input: LinkGooseToLeaderInput!) { linkGooseToLeader(input: $input) {
  leader { displayName } userErrors { field message code } } }`;

beforeAll(async () => {
  api = await createTestApi();
  const s = seed(api.db.db);
  city = await s.cityStaff();
  chamber = await s.chamber({ name: "上海温州商会" });
  secretary = await chamber.secretary();
  // 98 geese already, written straight to the table (each insert passes the database's check)
  for (let i = 0; i < 98; i++)
    await s.merchant({ name: `雁${String.fromCharCode(0x4e00 + i)}`, tags: ["LEADING_GOOSE"] });
}, 120_000);
afterAll(() => api?.close());

async function geese(): Promise<number> {
  const [row] = await api.db.db
    .select({ n: count() })
    .from(merchantTable)
    .where(and(isNull(merchantTable.mergedIntoId), sql`'LEADING_GOOSE' = any(${merchantTable.tags})`));
  return row!.n;
}

const tag = (merchantId: string, leadingGoose = true, token = city.token) =>
  api.gql(TAG, { input: { merchantId: globalId("Merchant", merchantId), leadingGoose } }, token);

describe("the hundred leading geese", () => {
  it("two requests racing for the 100th place: exactly one wins", async () => {
    const s = seed(api.db.db);
    const ninetyNinth = await s.merchant({ name: "周九九" });
    expect((await tag(ninetyNinth.id)).data!.setLeadingGoose.userErrors).toEqual([]);
    expect(await geese()).toBe(99);
    const a = await s.merchant({ name: "吴甲" });
    const b = await s.merchant({ name: "郑乙" });
    const results = await Promise.all([tag(a.id), tag(b.id)]);
    const errors = results.map((r) => r.data!.setLeadingGoose.userErrors);
    expect(errors.filter((e) => e.length === 0)).toHaveLength(1);
    expect(errors.flat()).toEqual([
      expect.objectContaining({
        code: "CONFLICT",
        field: ["input", "merchantId"],
        message: expect.stringContaining("100"),
      }),
    ]);
    expect(await geese()).toBe(100);
  });

  it("refuses the 101st on every path, with a clear error, and changes nothing", async () => {
    const s = seed(api.db.db);
    const staffPath = await s.merchant({ name: "王一零一" });
    const refused = await tag(staffPath.id);
    expect(refused.data!.setLeadingGoose).toEqual({
      merchant: null,
      userErrors: [expect.objectContaining({ code: "CONFLICT", field: ["input", "merchantId"] })],
    });
    const en = await api.gql(
      TAG,
      { input: { merchantId: globalId("Merchant", staffPath.id), leadingGoose: true } },
      city.token,
      { "accept-language": "en" },
    );
    expect(en.data!.setLeadingGoose.userErrors[0].message).toBe(
      "There are already 100 leading geese (百名领头雁): remove one before adding another.",
    );
    const zh = await api.gql(
      TAG,
      { input: { merchantId: globalId("Merchant", staffPath.id), leadingGoose: true } },
      city.token,
      {
        "accept-language": "zh-CN",
      },
    );
    expect(zh.data!.setLeadingGoose.userErrors[0].message).toContain("百名领头雁已满 100 名");

    // the merchant's own profile
    const member = await chamber.member({ name: "李自荐" });
    const own = await api.data(
      `mutation { updateMyProfile(input: { tags: [NEW_GENERATION, LEADING_GOOSE] }) { merchant { tags }
        userErrors { field code } } }`,
      {},
      member.user.token,
    );
    expect(own.updateMyProfile).toEqual({
      merchant: null,
      userErrors: [{ field: ["input", "tags"], code: "CONFLICT" }],
    });
    // a secretary's correction
    const corrected = await api.data(
      `mutation ($input: CorrectMerchantProfileInput!) { correctMerchantProfile(input: $input) { merchant { tags }
        userErrors { field code } } }`,
      { input: { merchantId: globalId("Merchant", member.merchantId), tags: ["LEADING_GOOSE"] } },
      secretary.token,
    );
    expect(corrected.correctMerchantProfile.userErrors).toEqual([{ field: ["input", "tags"], code: "CONFLICT" }]);
    // a raw write, as an import or a script would make it
    await expect(s.merchant({ name: "赵导入", tags: ["LEADING_GOOSE"] })).rejects.toThrow();
    expect(await geese()).toBe(100);
    const [unchanged] = await api.db.db
      .select({ tags: merchantTable.tags })
      .from(merchantTable)
      .where(eq(merchantTable.id, member.merchantId));
    expect(unchanged!.tags).toEqual([]);
  });

  it("merging two profiles of one goose at 100 keeps 100; untagging one frees a place", async () => {
    const s = seed(api.db.db);
    const staff = await s.federationStaff();
    const [goose] = await api.db.db
      .select({ id: merchantTable.id })
      .from(merchantTable)
      .where(and(isNull(merchantTable.mergedIntoId), sql`'LEADING_GOOSE' = any(${merchantTable.tags})`))
      .limit(1);
    const twin = await s.merchant({ name: "孙双档" });
    const merged = await api.data(
      `mutation ($input: MergeMerchantsInput!) { mergeMerchants(input: $input) { merchant { tags }
        userErrors { code } } }`,
      { input: { survivorId: globalId("Merchant", twin.id), mergedId: globalId("Merchant", goose!.id) } },
      staff.token,
    );
    expect(merged.mergeMerchants).toEqual({ merchant: { tags: ["LEADING_GOOSE"] }, userErrors: [] });
    expect(await geese()).toBe(100);

    const untagged = await tag(twin.id, false);
    expect(untagged.data!.setLeadingGoose.merchant.tags).toEqual([]);
    const newcomer = await s.merchant({ name: "冯新雁" });
    const added = await tag(newcomer.id);
    expect(added.data!.setLeadingGoose.merchant.tags).toEqual(["LEADING_GOOSE"]);
    expect(await geese()).toBe(100);
    const audited = await api.db.db
      .select({ n: count() })
      .from(auditLogTable)
      .where(
        and(
          eq(auditLogTable.action, "goose:tag"),
          eq(auditLogTable.entityId, decodeGlobalID(added.data!.setLeadingGoose.merchant.id).id),
        ),
      );
    expect(audited[0]!.n).toBe(1);
  });

  it("only city staff set the tag", async () => {
    const [goose] = await api.db.db.select({ id: merchantTable.id }).from(merchantTable).limit(1);
    const denied = await tag(goose!.id, false, secretary.token);
    expect(denied.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
  });

  it("two links racing for a leader's third place: exactly one wins", async () => {
    const s = seed(api.db.db);
    const leader = await s.cityLeader();
    const ids = (
      await api.db.db
        .select({ id: merchantTable.id })
        .from(merchantTable)
        .where(and(isNull(merchantTable.mergedIntoId), sql`'LEADING_GOOSE' = any(${merchantTable.tags})`))
        .limit(4)
    ).map((r) => r.id);
    const link = (merchantId: string) =>
      api.gql(
        LINK,
        {
          input: {
            merchantId: globalId("Merchant", merchantId),
            leaderUserId: globalId("User", leader.id),
            since: "2014-01-01",
          },
        },
        city.token,
      );
    for (const id of ids.slice(0, 2)) expect((await link(id)).data!.linkGooseToLeader.userErrors).toEqual([]);
    const raced = await Promise.all(ids.slice(2).map(link));
    const errors = raced.map((r) => r.data!.linkGooseToLeader.userErrors);
    expect(errors.filter((e) => e.length === 0)).toHaveLength(1);
    expect(errors.flat()).toEqual([expect.objectContaining({ code: "INVALID", field: ["input", "leaderUserId"] })]);
  });
});
