// Reading and writing the member spreadsheets secretaries keep: CSV (UTF-8, with or without a BOM) and
// .xlsx, both as a header row plus data rows that remember their line number in the file.
import { parse } from "csv-parse/sync";
import { stringify } from "csv-stringify/sync";
import ExcelJS from "exceljs";
import { UserInputError } from "../errors";
import { msg } from "../messages";

export interface SheetRow {
  /** 1-based line (CSV) or row (xlsx) number, as the secretary sees it in their editor. */
  line: number;
  cells: string[];
}

export interface Sheet {
  header: string[];
  rows: SheetRow[];
}

const blank = (cells: readonly string[]) => cells.every((c) => c.trim() === "");

// OWASP's CSV-injection rule: a cell starting with one of these is read as a formula by spreadsheet programs
// (=HYPERLINK(…), +cmd|…, @SUM(…), a tab or CR before them), so exports prefix it with an apostrophe (shown as
// text, never evaluated) — in xlsx too, since a secretary may save it as CSV — and imports take the apostrophe
// off again, so an exported file imports back unchanged. An international mobile (+86…) is such a cell.
const FORMULA_START = /^[=+\-@\t\r]/;
const NEUTRALISED = /^'[=+\-@\t\r]/;

/** The cell as written to an export: never a formula. */
function neutraliseCell(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

/** The cell as the import reads it: an exported, neutralised cell back to its value. */
function restoreCell(value: string): string {
  return NEUTRALISED.test(value) ? value.slice(1) : value;
}

export function readCsv(text: string, field: string[]): Sheet {
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text, {
      bom: true,
      info: true,
      relax_column_count: true,
      skip_empty_lines: true,
      trim: false,
    }) as unknown as typeof records;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw UserInputError.of("INVALID", field, msg("import.unreadableCsv", { detail: message }));
  }
  const [head, ...body] = records;
  if (!head || blank(head.record)) throw UserInputError.of("INVALID", field, msg("import.emptyCsv"));
  return {
    header: head.record.map((h) => h.trim()),
    rows: body
      .filter((r) => !blank(r.record))
      // csv-parse reports the line a record ends on; a quoted field with line breaks started that many lines earlier.
      .map((r) => ({
        line: r.info.lines - r.record.reduce((n, c) => n + (c.match(/\n/g)?.length ?? 0), 0),
        cells: r.record.map(restoreCell),
      })),
  };
}

function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return "";
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === "object") {
    if ("richText" in value) return value.richText.map((t) => t.text).join("");
    if ("text" in value && typeof value.text === "string") return value.text;
    if ("result" in value) return cellText((value.result ?? null) as ExcelJS.CellValue);
    if ("error" in value) return "";
    return "";
  }
  return String(value);
}

export async function readXlsx(base64: string, field: string[]): Promise<Sheet> {
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(Buffer.from(base64, "base64") as unknown as ArrayBuffer);
  } catch {
    throw UserInputError.of("INVALID", field, msg("import.unreadableXlsx"));
  }
  const sheet = workbook.worksheets[0];
  if (!sheet) throw UserInputError.of("INVALID", field, msg("import.noWorksheet"));
  const width = sheet.columnCount;
  const rows: SheetRow[] = [];
  sheet.eachRow({ includeEmpty: false }, (row, line) => {
    const cells: string[] = [];
    for (let c = 1; c <= width; c++) cells.push(restoreCell(cellText(row.getCell(c).value)));
    if (!blank(cells)) rows.push({ line, cells });
  });
  const [head, ...body] = rows;
  if (!head) throw UserInputError.of("INVALID", field, msg("import.emptyWorksheet"));
  while (head.cells.length && head.cells[head.cells.length - 1]!.trim() === "") head.cells.pop();
  return { header: head.cells.map((h) => h.trim()), rows: body };
}

/** CSV with a BOM, so Excel opens the Chinese text as UTF-8. */
export function writeCsv(header: readonly string[], rows: readonly (readonly string[])[]): string {
  return stringify([header, ...rows.map((row) => row.map(neutraliseCell))], { bom: true, record_delimiter: "\r\n" });
}

export async function writeXlsx(
  sheetName: string,
  header: readonly string[],
  rows: readonly (readonly string[])[],
): Promise<Buffer> {
  return writeWorkbook([{ name: sheetName, header, rows }]);
}

/** A workbook of several sheets, each a bold header row and its rows (cells neutralised as in every export). */
export async function writeWorkbook(
  sheets: readonly { name: string; header: readonly string[]; rows: readonly (readonly string[])[] }[],
): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  for (const { name, header, rows } of sheets) {
    const sheet = workbook.addWorksheet(name);
    sheet.addRow([...header]).font = { bold: true };
    for (const row of rows) sheet.addRow(row.map(neutraliseCell));
    // an empty sheet (nothing of this kind held) has no columns to size
    for (const column of sheet.columns ?? []) column.width = 16;
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
