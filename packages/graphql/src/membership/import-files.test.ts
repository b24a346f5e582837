// Member files as secretariats make them, uploaded as files (GraphQL multipart request): a title row above the
// headers, merged header cells, several worksheets, totals and signatures under the table; CSV from Excel on a
// Chinese Windows (GB18030), as "Unicode text" (UTF-16, tab-separated) and UTF-8; synonyms, full-width digits,
// landlines, Chinese dates, 备注 and 序号; .xls and WPS files refused with what to do. Every fixture is made here.

import { randomUUID } from "node:crypto";
import { membershipNoteTable, membershipTable, merchantTable } from "@wz/db";
import { createTestApi, globalId, type SeededUser, seed, type TestApi, type UploadFile } from "@wz/testkit";
import { count, eq } from "drizzle-orm";
import ExcelJS from "exceljs";
import iconv from "iconv-lite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

let api: TestApi;
beforeAll(async () => {
  api = await createTestApi();
});
afterAll(() => api.close());

const IMPORT = `mutation ($input: ImportMembersInput!) { importMembers(input: $input) {
  dryRun format encoding sheet headerLine columns { position header field }
  rows created matched updated unchanged failed
  userErrors { field message code } warnings { field message code }
  lines { line action name } } }`;

const XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

async function secretaryOfNewChamber(): Promise<{ chamberId: string; secretary: SeededUser }> {
  const chamber = await seed(api.db.db).chamber({ name: "上海市温州商会" });
  return { chamberId: globalId("Chamber", chamber.id), secretary: await chamber.secretary() };
}

/** Uploads a file: a dry run, then the real import, then the same file again; returns all three answers. */
async function importThrice(chamberId: string, token: string, file: UploadFile) {
  const run = async (dryRun: boolean) => {
    const response = await api.upload(IMPORT, { input: { chamberId, dryRun } }, { "input.file": file }, token);
    expect(response.errors).toBeUndefined();
    return response.data!.importMembers;
  };
  const dry = await run(true);
  const real = await run(false);
  const again = await run(false);
  return { dry, real, again };
}

const withoutDryRun = ({ dryRun: _, ...rest }: Record<string, unknown>) => rest;

async function workbook(build: (wb: ExcelJS.Workbook) => void): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  build(wb);
  return new Uint8Array(await wb.xlsx.writeBuffer());
}

const merchantByMobile = async (mobile: string) =>
  (await api.db.db.select().from(merchantTable).where(eq(merchantTable.mobile, mobile)))[0];

describe("importMembers with an uploaded file", () => {
  it("skips a merged title row above the headers and a totals row below the table (xlsx)", async () => {
    const { chamberId, secretary } = await secretaryOfNewChamber();
    const bytes = await workbook((wb) => {
      const sheet = wb.addWorksheet("会员名单");
      sheet.addRow(["上海市温州商会会员名单（2014年5月）"]);
      sheet.mergeCells("A1:F1");
      sheet.addRow(["序号", "姓名", "手机号码", "工作单位", "会内职务", "入会时间"]);
      sheet.addRow([1, "陈一新", 13857712345, "温州一新鞋业有限公司", "副会长", new Date(Date.UTC(2013, 2, 15))]);
      sheet.addRow([2, "王海", "138-5771-2346", "上海海王贸易有限公司", "理事", "2013年3月15日"]);
      sheet.addRow([]);
      sheet.addRow(["合计：2人"]);
      sheet.mergeCells("A6:F6");
    });
    const { dry, real, again } = await importThrice(chamberId, secretary.token, {
      // the server goes by the content: a workbook named .csv is still a workbook
      name: "会员名单.csv",
      type: "text/csv",
      bytes,
    });
    expect(dry).toMatchObject({ dryRun: true, format: "XLSX", sheet: "会员名单", headerLine: 2, rows: 2, created: 2 });
    expect(dry.columns).toEqual([
      { position: 1, header: "序号", field: null },
      { position: 2, header: "姓名", field: "NAME" },
      { position: 3, header: "手机号码", field: "MOBILE" },
      { position: 4, header: "工作单位", field: "COMPANY" },
      { position: 5, header: "会内职务", field: "LEVEL" },
      { position: 6, header: "入会时间", field: "JOINED_ON" },
    ]);
    // 序号 goes without a word; the totals row is said, and not imported as a person
    expect(dry.warnings).toEqual([
      {
        field: ["csv", "6"],
        message: 'Line 6 ("合计：2人") looks like a totals or signature row; it was not imported.',
        code: "INVALID",
      },
    ]);
    expect(dry.userErrors).toEqual([]);
    // the dry run said exactly what the import did
    expect(withoutDryRun(real)).toEqual(withoutDryRun(dry));
    expect(dry.lines).toEqual([
      { line: 3, action: "CREATED", name: "陈一新" },
      { line: 4, action: "CREATED", name: "王海" },
    ]);
    expect(again).toMatchObject({ rows: 2, created: 0, unchanged: 2, failed: 0 });
    const wang = await merchantByMobile("13857712346");
    expect(wang?.name).toBe("王海");
    const [membership] = await api.db.db.select().from(membershipTable).where(eq(membershipTable.merchantId, wang!.id));
    expect(membership).toMatchObject({ level: "DIRECTOR", joinedOn: "2013-03-15" });
  });

  it("reads CSV saved by Excel on a Chinese Windows (GB18030) with a title row, and says how it read it", async () => {
    const { chamberId, secretary } = await secretaryOfNewChamber();
    const text =
      "上海市温州商会会员名单（2014年5月）,,,,,,\r\n" +
      // a note row naming a column ("备注") is still no header row: the header row names 姓名
      "备注,请按表头填写，手机号码为11位,,,,,\r\n" +
      ",,,,,,\r\n" +
      "序号,姓  名,联系电话,座机,企业名称,职位,入会日期,备注\r\n" +
      "1,赵敏,１３８５７７１２３４７,(0577)88881234,上海敏捷贸易有限公司,常务理事,2013.3.15,老会员，介绍人陈一新\r\n" +
      "2,周杰,0577-88885678 / 13857712348,,温州周氏电器有限公司,会员,2014/1/8,\r\n" +
      "3,吴刚,021-62345678,,,会员,2014/1/8,\r\n" +
      ",,,,,,,\r\n" +
      "制表人：李秘书,,审核：王会长,,,,,\r\n";
    const bytes = new Uint8Array(iconv.encode(text, "gb18030"));
    // not UTF-8: the bytes of 上 in GBK are C9 CF
    expect(() => new TextDecoder("utf-8", { fatal: true }).decode(bytes)).toThrow();
    const { dry, real, again } = await importThrice(chamberId, secretary.token, { name: "members.csv", bytes });
    expect(dry).toMatchObject({ format: "CSV", encoding: "GB18030", headerLine: 4, rows: 3, created: 2, failed: 1 });
    expect(dry.columns.map((c: { header: string; field: string | null }) => `${c.header}=${c.field}`)).toEqual([
      "序号=null",
      "姓  名=NAME",
      "联系电话=MOBILE",
      "座机=LANDLINE",
      "企业名称=COMPANY",
      "职位=LEVEL",
      "入会日期=JOINED_ON",
      "备注=NOTE",
    ]);
    // a landline alone is no key to tell the person apart by: line 7 is refused, by its line and column
    expect(dry.userErrors).toEqual([
      {
        field: ["csv", "7", "联系电话"],
        message:
          "A row needs a mobile, an email or a credit code, so that the same person is recognised in the directory " +
          "and in later imports.",
        code: "INVALID",
      },
    ]);
    expect(dry.warnings).toEqual([
      {
        field: ["csv", "9"],
        message: 'Line 9 ("制表人：李秘书") looks like a totals or signature row; it was not imported.',
        code: "INVALID",
      },
    ]);
    expect(withoutDryRun(real)).toEqual(withoutDryRun(dry));
    expect(again).toMatchObject({ rows: 3, created: 0, updated: 0, unchanged: 2, failed: 1 });

    // full-width digits read, the landline kept as the landline (never as the mobile), the note private
    const zhao = await merchantByMobile("13857712347");
    expect(zhao).toMatchObject({ name: "赵敏", landline: "0577-88881234" });
    const zhou = await merchantByMobile("13857712348");
    expect(zhou).toMatchObject({ name: "周杰", landline: "0577-88885678" });
    const [membership] = await api.db.db.select().from(membershipTable).where(eq(membershipTable.merchantId, zhao!.id));
    expect(membership).toMatchObject({ level: "STANDING_DIRECTOR", joinedOn: "2013-03-15" });
    const notes = await api.db.db
      .select({ body: membershipNoteTable.body })
      .from(membershipNoteTable)
      .where(eq(membershipNoteTable.membershipId, membership!.id));
    // imported twice, noted once
    expect(notes).toEqual([{ body: "老会员，介绍人陈一新" }]);
    const seen = await api.data(
      `query ($id: ID!) { node(id: $id) { ... on Membership { notes { body } merchant { landline } } } }`,
      { id: globalId("Membership", membership!.id) },
      secretary.token,
    );
    expect(seen.node).toEqual({ notes: [{ body: "老会员，介绍人陈一新" }], merchant: { landline: "0577-88881234" } });
  });

  it("reads UTF-16 (Excel's Unicode text, tab-separated) and UTF-8 with and without a BOM alike", async () => {
    const rows = (n: number) => `姓名\t手机\t入会日期\r\n孙丽\t1385771236${n}\t2013年3月15日\r\n`;
    const utf8 = (n: number) => new TextEncoder().encode(rows(n).replace(/\t/g, ","));
    const files: [Uint8Array, string][] = [
      [new Uint8Array([0xff, 0xfe, ...iconv.encode(rows(1), "utf-16le")]), "UTF-16LE"],
      [new Uint8Array([0xfe, 0xff, ...iconv.encode(rows(2), "utf-16be")]), "UTF-16BE"],
      [new Uint8Array(iconv.encode(rows(3).replace(/\t/g, ","), "utf-16le")), "UTF-16LE"],
      [utf8(4), "UTF-8"],
      [new Uint8Array([0xef, 0xbb, 0xbf, ...utf8(5)]), "UTF-8"],
    ];
    for (const [n, [bytes, encoding]] of files.entries()) {
      const { chamberId, secretary } = await secretaryOfNewChamber();
      const { dry, real, again } = await importThrice(chamberId, secretary.token, { name: "members.txt", bytes });
      expect(dry, encoding).toMatchObject({ encoding, headerLine: 1, rows: 1, created: 1, userErrors: [] });
      expect(withoutDryRun(real)).toEqual(withoutDryRun(dry));
      expect(again).toMatchObject({ created: 0, unchanged: 1 });
      expect(await merchantByMobile(`1385771236${n + 1}`)).toMatchObject({ name: "孙丽" });
    }
  });

  it("tells what was tried when the text is in no encoding it reads", async () => {
    const { chamberId, secretary } = await secretaryOfNewChamber();
    // Shift_JIS kana: neither UTF-8 nor GB18030 can read these bytes
    const bytes = new Uint8Array(iconv.encode("姓名,手機\r\nさくら,13857712352\r\n", "shift_jis"));
    const response = await api.upload(
      IMPORT,
      { input: { chamberId } },
      { "input.file": { name: "members.csv", bytes } },
      secretary.token,
    );
    expect(response.data?.importMembers.userErrors).toEqual([
      {
        field: ["input", "file"],
        // the detector's guess is named only when it is a confident one (it is not, for these few bytes)
        message:
          "The file's text could not be read: it is not UTF-8, UTF-16 or GB18030/GBK, the encodings tried. " +
          'Save it from Excel as "CSV UTF-8 (Comma delimited)", or as .xlsx, and import that file.',
        code: "INVALID",
      },
    ]);
  });

  it("reads a header over two merged rows, and the worksheet with the header row", async () => {
    const { chamberId, secretary } = await secretaryOfNewChamber();
    const bytes = await workbook((wb) => {
      const notes = wb.addWorksheet("填表说明");
      notes.addRow(["请在“会员”表中填写，手机号码为11位。"]);
      const sheet = wb.addWorksheet("会员");
      sheet.addRow(["温州商会会员登记表"]);
      sheet.mergeCells("A1:E1");
      sheet.addRow(["姓名", "联系方式", "", "公司", "入会日期"]);
      sheet.addRow(["", "手机", "邮箱", "", ""]);
      sheet.mergeCells("A2:A3");
      sheet.mergeCells("B2:C2");
      sheet.mergeCells("D2:D3");
      sheet.mergeCells("E2:E3");
      sheet.addRow(["郑强", "13857712353", "ZHENG@example.com", "温州郑氏有限公司", "2015-06-01"]);
      const old = wb.addWorksheet("2013年");
      old.addRow(["姓名", "手机"]);
      old.addRow(["钱多多", "13857712354"]);
    });
    const { dry, real } = await importThrice(chamberId, secretary.token, {
      name: "会员.xlsx",
      type: XLSX_TYPE,
      bytes,
    });
    expect(dry).toMatchObject({ sheet: "会员", headerLine: 3, rows: 1, created: 1, userErrors: [] });
    expect(dry.columns.map((c: { header: string; field: string | null }) => `${c.header}=${c.field}`)).toEqual([
      "姓名=NAME",
      "手机=MOBILE",
      "邮箱=EMAIL",
      "公司=COMPANY",
      "入会日期=JOINED_ON",
    ]);
    expect(dry.warnings).toEqual([
      {
        field: ["input", "file"],
        message:
          'The workbook has 2 worksheets with a header row; only the first, "会员", was imported ("2013年" were not).',
        code: "INVALID",
      },
    ]);
    expect(withoutDryRun(real)).toEqual(withoutDryRun(dry));
    expect(await merchantByMobile("13857712353")).toMatchObject({ name: "郑强", email: "zheng@example.com" });
    expect(await merchantByMobile("13857712354")).toBeUndefined();
  });

  it("knows the headers people write for each column; with a mobile column, 电话 is the landline", async () => {
    const { chamberId, secretary } = await secretaryOfNewChamber();
    const fieldsOf = async (header: string) => {
      const row = header
        .split(",")
        .map(() => "")
        .join(",");
      const answer = await api.data(
        IMPORT,
        { input: { chamberId, csv: `${header}\n${row}\n`, dryRun: true } },
        secretary.token,
      );
      return answer.importMembers.columns.map((c: { field: string | null }) => c.field);
    };
    expect(await fieldsOf("姓名,手机,公司,职务,入会日期")).toEqual(["NAME", "MOBILE", "COMPANY", "LEVEL", "JOINED_ON"]);
    expect(await fieldsOf("会员姓名,手机号,单位,会内职务,入会时间")).toEqual([
      "NAME",
      "MOBILE",
      "COMPANY",
      "LEVEL",
      "JOINED_ON",
    ]);
    expect(await fieldsOf("*姓名,手机号码（必填）,工作单位,职位,备注")).toEqual([
      "NAME",
      "MOBILE",
      "COMPANY",
      "LEVEL",
      "NOTE",
    ]);
    expect(await fieldsOf("序号,姓名,电话,企业名称,电子邮箱,微信号,籍贯")).toEqual([
      null,
      "NAME",
      "MOBILE",
      "COMPANY",
      "EMAIL",
      "WECHAT",
      "HOMETOWN",
    ]);
    expect(await fieldsOf("姓名,联系电话,手机")).toEqual(["NAME", "LANDLINE", "MOBILE"]);
    expect(await fieldsOf("姓名,手机,座机,统一社会信用代码,到期日期,状态")).toEqual([
      "NAME",
      "MOBILE",
      "LANDLINE",
      "CREDIT_CODE",
      "EXPIRES_ON",
      "STATUS",
    ]);
  });

  it("asks someone hidden from the chamber without saying who, from an upload as from a string", async () => {
    const s = seed(api.db.db);
    const elsewhere = await s.chamber();
    // in another chamber, with a mobile only that chamber sees
    await elsewhere.member({ name: "隐藏者", mobile: "13857712399", mobileVisibility: "CHAMBER" });
    const { chamberId, secretary } = await secretaryOfNewChamber();
    const file = { name: "m.csv", bytes: new Uint8Array(iconv.encode("姓名,手机\r\n某人,13857712399\r\n", "gb18030")) };
    const { dry, real, again } = await importThrice(chamberId, secretary.token, file);
    expect(dry).toMatchObject({ rows: 1, created: 0, matched: 0, failed: 0 });
    expect(withoutDryRun(real)).toEqual(withoutDryRun(dry));
    // the row's own name, never the directory's
    expect(real.lines).toEqual([{ line: 2, action: "PROPOSED", name: "某人" }]);
    expect(again.lines).toEqual([{ line: 2, action: "PROPOSED", name: "某人" }]);
    expect(JSON.stringify([dry, real, again])).not.toContain("隐藏者");
  });

  it("refuses .xls and WPS .et files with what to do, whatever their name", async () => {
    const { chamberId, secretary } = await secretaryOfNewChamber();
    // an OLE2 compound file's signature, as every .xls (BIFF) and .et begins
    const ole = new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, ...new Uint8Array(504)]);
    for (const name of ["会员.xls", "会员.et", "会员.xlsx"]) {
      const response = await api.upload(
        IMPORT,
        { input: { chamberId } },
        { "input.file": { name, bytes: ole } },
        secretary.token,
      );
      expect(response.data?.importMembers.userErrors, name).toEqual([
        {
          field: ["input", "file"],
          message:
            "This is an old Excel (.xls) or WPS (.et) spreadsheet, which the import does not read. Open it in " +
            'Excel or WPS and save it as "Excel Workbook (.xlsx)" or as "CSV UTF-8 (Comma delimited)", then ' +
            "import that file.",
          code: "INVALID",
        },
      ]);
    }
    // the base64 string form gets the same answer
    const asString = await api.data(
      IMPORT,
      { input: { chamberId, csv: "", xlsx: Buffer.from(ole).toString("base64") } },
      secretary.token,
    );
    expect(asString.importMembers.userErrors[0].field).toEqual(["input", "xlsx"]);
    expect(asString.importMembers.userErrors[0].message).toMatch(/^This is an old Excel \(\.xls\)/);
  });

  it(
    "needs the CSRF header, refuses an oversized upload before reading it, and one chamber's secretary " +
      "cannot import into another",
    async () => {
      const { chamberId, secretary } = await secretaryOfNewChamber();
      const other = await secretaryOfNewChamber();
      const csv = { name: "m.csv", bytes: "姓名,手机\n冯军,13857712355\n" };
      const noCsrf = await api.upload(IMPORT, { input: { chamberId } }, { "input.file": csv }, secretary.token, {
        csrf: false,
      });
      expect(noCsrf.status).toBe(403);
      const merchants = async () => (await api.db.db.select({ n: count() }).from(merchantTable))[0]!.n;
      const before = await merchants();
      const huge = await api.upload(
        IMPORT,
        { input: { chamberId } },
        { "input.file": { name: "big.csv", bytes: new Uint8Array(21 * 1024 * 1024).fill(0x41) } },
        secretary.token,
      );
      expect(huge.status).toBe(413);
      expect(huge.errors?.[0]?.extensions?.code).toBe("REQUEST_ENTITY_TOO_LARGE");
      // another chamber's secretary gets the answer a missing chamber gets
      const foreign = await api.upload(IMPORT, { input: { chamberId } }, { "input.file": csv }, other.secretary.token);
      const missing = await api.upload(
        IMPORT,
        { input: { chamberId: globalId("Chamber", randomUUID()) } },
        { "input.file": csv },
        other.secretary.token,
      );
      expect(foreign).toEqual(missing);
      // a file and csv together is refused: one file, one form
      const both = await api.upload(
        IMPORT,
        { input: { chamberId, csv: "姓名,手机\n冯军,13857712355\n" } },
        { "input.file": csv },
        secretary.token,
      );
      expect(both.data?.importMembers.userErrors).toEqual([
        {
          field: ["input", "file"],
          message: "Give the file once: as file (an upload), as csv, or as xlsx (with csv empty).",
          code: "INVALID",
        },
      ]);
      expect(await merchants()).toBe(before);
      const ok = await api.upload(IMPORT, { input: { chamberId } }, { "input.file": csv }, secretary.token);
      expect(ok.data?.importMembers).toMatchObject({ created: 1, userErrors: [] });
    },
  );
});
