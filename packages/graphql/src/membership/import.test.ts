// Importing a chamber's spreadsheet through GraphQL: a fixture with deliberate mistakes gives exactly the
// expected per-line errors; valid rows go in, matching the directory; a dry run writes nothing; the same
// file twice changes nothing; .xlsx and English headers work; an export can be imported back.

import { readFileSync } from "node:fs";
import { auditLogTable, companyTable, membershipTable, merchantTable } from "@wz/db";
import { createTestApi, globalId, seed, type TestApi } from "@wz/testkit";
import { count, eq } from "drizzle-orm";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

let api: TestApi;
beforeAll(async () => {
  api = await createTestApi();
});
afterAll(() => api.close());

const fixture = readFileSync(new URL("./fixtures/members-with-errors.csv", import.meta.url), "utf8");
const IMPORT = `mutation ($input: ImportMembersInput!) { importMembers(input: $input) {
  dryRun rows created matched updated unchanged failed
  userErrors { field message code } warnings { field message code }
  lines { line action name merchant { name } membership { level status } } } }`;

const tally = async () => {
  const db = api.db.db;
  const n = async (table: typeof merchantTable | typeof membershipTable | typeof companyTable | typeof auditLogTable) =>
    (await db.select({ n: count() }).from(table))[0]!.n;
  return {
    merchants: await n(merchantTable),
    memberships: await n(membershipTable),
    companies: await n(companyTable),
    audit: await n(auditLogTable),
  };
};

const expectedErrors = [
  {
    field: ["csv", "3", "手机"],
    message:
      '"1391234" is not a mobile number: give 11 digits starting 13–19, or an international number starting with +.',
    code: "INVALID",
  },
  {
    field: ["csv", "4", "职务"],
    message: '"总裁" is not a membership level: use 会长, 常务副会长, 副会长, 常务理事, 理事 or 会员.',
    code: "INVALID",
  },
  {
    field: ["csv", "5", "入会日期"],
    message: '"2016-13-45" is not a date: use YYYY-MM-DD (e.g. 2015-03-01).',
    code: "INVALID",
  },
  { field: ["csv", "7", "姓名"], message: "The name is missing.", code: "INVALID" },
  {
    field: ["csv", "9", "籍贯"],
    message: '"火星区" is not a Wenzhou district (e.g. 鹿城区, 瑞安市 or a code such as 330381).',
    code: "INVALID",
  },
  {
    field: ["csv", "10", "统一社会信用代码"],
    message:
      '"91440300MA5EX9010" is not a valid unified social credit code (18 characters; the last is a check character).',
    code: "INVALID",
  },
  { field: ["csv", "15", "邮箱"], message: '"not-an-email" is not a valid email address.', code: "INVALID" },
  { field: ["csv", "6", "手机"], message: "Duplicate of line 2 (same 手机).", code: "CONFLICT" },
  {
    field: ["csv", "14", "邮箱"],
    message: "This 邮箱 and the 手机 belong to different people in the directory.",
    code: "CONFLICT",
  },
];

describe("importMembers", () => {
  it(
    "reports each bad row by line and column, imports " + "the rest, matches the directory, and is idempotent",
    async () => {
      const s = seed(api.db.db);
      const chamber = await s.chamber();
      const secretary = await chamber.secretary();
      // Already in the directory: 孙丽 (no membership here; her mobile is visible federation-wide, so she may be
      // named), 钱进 and 冯军 (members here), 何平 and a second merchant.
      await s.merchant({ name: "孙丽", mobile: "13700000006", mobileVisibility: "FEDERATION" });
      await chamber.member({ name: "钱进", mobile: "13700000007", level: "MEMBER" });
      await chamber.member({ name: "冯军", mobile: "13700000008", level: "DIRECTOR" });
      await s.merchant({ name: "何平", mobile: "13700000009", email: "heping@example.com" });
      await s.merchant({ name: "冯某", mobile: "13600000000", email: "feng@example.com" });
      const input = { chamberId: globalId("Chamber", chamber.id), csv: fixture };

      // A dry run reports exactly what the real run will do and writes nothing.
      const before = await tally();
      const dry = (await api.data(IMPORT, { input: { ...input, dryRun: true } }, secretary.token)).importMembers;
      expect(await tally()).toEqual(before);
      expect(dry).toMatchObject({
        dryRun: true,
        rows: 14,
        created: 2,
        matched: 1,
        updated: 1,
        unchanged: 1,
        failed: 9,
      });
      expect(dry.userErrors).toEqual(expectedErrors);
      // 备注 is the membership's private note now, not an unknown column.
      expect(dry.warnings).toEqual([]);

      const real = (await api.data(IMPORT, { input }, secretary.token)).importMembers;
      expect(real).toMatchObject({
        dryRun: false,
        rows: 14,
        created: 2,
        matched: 1,
        updated: 1,
        unchanged: 1,
        failed: 9,
      });
      expect(real.userErrors).toEqual(expectedErrors);
      expect(real.lines.map((l: { line: number; action: string }) => [l.line, l.action])).toEqual(
        dry.lines.map((l: { line: number; action: string }) => [l.line, l.action]),
      );
      expect(real.lines.map((l: { line: number; action: string }) => `${l.line}:${l.action}`)).toEqual([
        "2:CREATED",
        "3:ERROR",
        "4:ERROR",
        "5:ERROR",
        "6:ERROR",
        "7:ERROR",
        "8:CREATED",
        "9:ERROR",
        "10:ERROR",
        "11:MATCHED",
        "12:UNCHANGED",
        "13:UPDATED",
        "14:ERROR",
        "15:ERROR",
      ]);
      const after = await tally();
      expect(after.merchants - before.merchants).toBe(2);
      expect(after.memberships - before.memberships).toBe(3);
      expect(after.companies - before.companies).toBe(2);
      // One audit row per created or changed membership, plus one for the import itself.
      expect(after.audit - before.audit).toBe(5);

      // What went in: normalised, with pinyin for search, and the level change applied.
      const [chen] = await api.db.db.select().from(merchantTable).where(eq(merchantTable.mobile, "13912345678"));
      expect(chen).toMatchObject({
        name: "陈一新",
        email: "chenyixin@example.com",
        hometownDistrict: "330302",
        namePinyin: "chenyixin",
        nameInitials: "cyx",
      });
      const line = (n: number) => real.lines.find((l: { line: number }) => l.line === n);
      expect(line(2).membership).toEqual({ level: "VICE_PRESIDENT", status: "ACTIVE" });
      // A matched merchant is proposed the membership: it starts when she accepts.
      expect(line(11)).toMatchObject({
        merchant: { name: "孙丽" },
        membership: { level: "STANDING_DIRECTOR", status: "APPLIED" },
      });
      expect(line(13).membership.level).toBe("VICE_PRESIDENT");
      const [zhao] = await api.db.db
        .select()
        .from(membershipTable)
        .innerJoin(merchantTable, eq(merchantTable.id, membershipTable.merchantId))
        .where(eq(merchantTable.name, "赵敏"));
      expect(zhao!.membership.joinedOn).toBe("2017-05-08");

      // The same file again changes nothing.
      const again = (await api.data(IMPORT, { input }, secretary.token)).importMembers;
      expect(again).toMatchObject({ rows: 14, created: 0, matched: 0, updated: 0, unchanged: 5, failed: 9 });
      const third = await tally();
      expect({ ...third, audit: 0 }).toEqual({ ...after, audit: 0 });
      expect(third.audit - after.audit).toBe(1); // only the import's own record
    },
  );

  it(
    "an existing merchant in another chamber is matched by " +
      "credit code, not duplicated; English headers and .xlsx work",
    async () => {
      const s = seed(api.db.db);
      const other = await s.chamber();
      await other.member({
        name: "林东",
        mobile: "13511112222",
        // Only his firm has this code (the other test's file gives a code to a firm with two people), so it names him.
        companies: [{ name: "温州林东实业有限公司", creditCode: "91330302MA2AC1234Q" }],
      });
      const chamber = await s.chamber();
      const secretary = await chamber.secretary();
      const workbook = new ExcelJS.Workbook();
      const sheet = workbook.addWorksheet("members");
      sheet.addRow(["Name", "Mobile", "Company", "Credit code", "Level", "Joined on"]);
      sheet.addRow([
        "林东",
        "13511112222",
        "温州林东实业有限公司",
        "91330302MA2AC1234Q",
        "director",
        new Date(Date.UTC(2016, 4, 1)),
      ]);
      sheet.addRow(["Lucy Wang", 13511113333, "", "", "member", "2016-02-30"]);
      const xlsx = Buffer.from(await workbook.xlsx.writeBuffer()).toString("base64");
      const merchantsBefore = (await api.db.db.select({ n: count() }).from(merchantTable))[0]!.n;
      const result = (
        await api.data(
          IMPORT,
          { input: { chamberId: globalId("Chamber", chamber.id), csv: "", xlsx } },
          secretary.token,
        )
      ).importMembers;
      expect(result).toMatchObject({ rows: 2, created: 0, matched: 1, failed: 1 });
      expect(result.userErrors).toEqual([
        {
          field: ["csv", "3", "Joined on"],
          message: '"2016-02-30" is not a date: use YYYY-MM-DD (e.g. 2015-03-01).',
          code: "INVALID",
        },
      ]);
      expect(result.lines[0]).toMatchObject({
        action: "MATCHED",
        merchant: { name: "林东" },
        membership: { level: "DIRECTOR" },
      });
      expect((await api.db.db.select({ n: count() }).from(merchantTable))[0]!.n).toBe(merchantsBefore);
    },
  );

  it("whole-file problems: no name column, empty file, neither or both formats; a member may not import", async () => {
    const s = seed(api.db.db);
    const chamber = await s.chamber();
    const secretary = await chamber.secretary();
    const member = await chamber.member();
    const chamberId = globalId("Chamber", chamber.id);
    const run = async (input: Record<string, unknown>) =>
      (await api.data(IMPORT, { input: { chamberId, ...input } }, secretary.token)).importMembers;
    expect((await run({ csv: "手机,邮箱\n13900000000,a@b.cn\n" })).userErrors).toEqual([
      {
        field: ["csv", "1"],
        message: "The header row (line 1) must name the columns, including 姓名 (name).",
        code: "INVALID",
      },
    ]);
    expect((await run({ csv: "\uFEFF" })).userErrors[0]).toMatchObject({ field: ["input", "csv"], code: "INVALID" });
    expect((await run({ csv: "" })).userErrors[0]).toMatchObject({ field: ["input", "csv"], code: "INVALID" });
    expect((await run({ csv: "姓名\n张三\n", xlsx: "UEsDBA==" })).userErrors[0]).toMatchObject({
      field: ["input", "csv"],
      code: "INVALID",
    });
    const refused = await api.gql(IMPORT, { input: { chamberId, csv: "姓名\n张三\n" } }, member.user.token);
    expect(refused.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
  });

  it("an export can be imported back unchanged", async () => {
    const s = seed(api.db.db);
    const chamber = await s.chamber();
    const secretary = await chamber.secretary();
    const chamberId = globalId("Chamber", chamber.id);
    const csv =
      "\uFEFFname,mobile,landline,email,hometown,company,industry,level,joinedOn\n" +
      "Anna Chen,+39 333 1234567,,anna@example.it,Rui'an,Chen Srl,F,member,2016-01-02\n" +
      "钱多多,13988887777,0577-88776655,,龙湾区,温州钱氏有限公司,制造业,常务副会长,2014-09-09\n";
    const first = (await api.data(IMPORT, { input: { chamberId, csv } }, secretary.token)).importMembers;
    expect(first).toMatchObject({ created: 2, failed: 0 });
    const exported = (
      await api.data(
        `query ($input: ExportMembersInput!) { exportMembers(input: $input) { content rowCount } }`,
        { input: { chamberId } },
        secretary.token,
      )
    ).exportMembers;
    expect(exported.rowCount).toBe(2);
    expect(exported.content).toContain("+393331234567");
    expect(exported.content).toMatch(/13988887777,.*,0577-88776655\r\n/);
    const back = (await api.data(IMPORT, { input: { chamberId, csv: exported.content } }, secretary.token))
      .importMembers;
    expect(back).toMatchObject({
      rows: 2,
      unchanged: 2,
      created: 0,
      matched: 0,
      updated: 0,
      failed: 0,
      userErrors: [],
      warnings: [],
    });
  });
});
