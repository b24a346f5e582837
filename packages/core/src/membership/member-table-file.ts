// Reading and writing the member spreadsheets secretaries keep. A file comes as bytes (an upload, or base64) or
// as text: its format is decided from the content, not the name — an .xlsx workbook (a zip), CSV or tab-separated
// text in UTF-8 (with or without a BOM), UTF-16 (Excel's "Unicode text") or GB18030/GBK (Excel's CSV on a Chinese
// Windows), or an old format refused with what to do instead. Rows remember their line number in the file.
import chardet from "chardet";
import { parse } from "csv-parse/sync";
import { stringify } from "csv-stringify/sync";
import ExcelJS from "exceljs";
import iconv from "iconv-lite";
import { UserInputError } from "../errors";
import { msg } from "../messages";

export interface SheetRow {
  /** 1-based line (CSV) or row (xlsx) number, as the secretary sees it in their editor. */
  line: number;
  cells: string[];
}

/** One worksheet (a CSV file is one) as its non-blank rows, title and header rows included. */
export interface Grid {
  /** The worksheet's name; null for CSV. */
  name: string | null;
  rows: SheetRow[];
}

export type TextEncoding = "UTF-8" | "UTF-16LE" | "UTF-16BE" | "GB18030";

export interface MemberFile {
  format: "csv" | "xlsx";
  /** How a CSV file's bytes were read (null for text given as a string, and for xlsx). */
  encoding: TextEncoding | null;
  /** True when the encoding was the fallback (not UTF-8 or UTF-16, read as GB18030): right only if it makes sense. */
  encodingGuessed: boolean;
  /** What a detector (chardet) makes of bytes that are neither UTF-8 nor UTF-16, for the error message. */
  detected: string | null;
  grids: Grid[];
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

/**
 * Formats the import cannot read, recognised by their first bytes so the secretary hears what to do: save the
 * file as .xlsx or as CSV UTF-8.
 */
function refuseOldFormats(bytes: Buffer, field: string[]): void {
  // OLE2 compound file: Excel 97–2003 (.xls, BIFF) and WPS spreadsheets (.et) both are one.
  if (bytes.subarray(0, 8).equals(Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])))
    throw UserInputError.of("INVALID", field, msg("import.oldExcel"));
  if (isZip(bytes) && bytes.subarray(30, 80).toString("latin1").includes("opendocument.spreadsheet"))
    throw UserInputError.of("INVALID", field, msg("import.openDocument"));
  // Web systems "export to Excel" as an HTML table named .xls: Excel opens it, the import cannot.
  const start = bytes
    .subarray(0, 512)
    .toString("latin1")
    .replace(/^\uFEFF|^\xEF\xBB\xBF/, "")
    .trimStart();
  if (/^<(?:!doctype html|html|table|\?xml[^>]*>\s*<(?:html|workbook))/i.test(start))
    throw UserInputError.of("INVALID", field, msg("import.webPage"));
}

const isZip = (bytes: Buffer) => bytes.length >= 4 && bytes.readUInt32LE(0) === 0x04034b50;

/** Zero bytes at even or odd positions: UTF-16 text (mostly ASCII punctuation and digits) without a BOM. */
function utf16WithoutBom(bytes: Buffer): "UTF-16LE" | "UTF-16BE" | null {
  const n = Math.min(bytes.length, 4096) & ~1;
  if (n < 4) return null;
  let even = 0;
  let odd = 0;
  for (let i = 0; i < n; i += 2) {
    if (bytes[i] === 0) even++;
    if (bytes[i + 1] === 0) odd++;
  }
  const pairs = n / 2;
  if (odd > pairs * 0.2 && even < pairs * 0.02) return "UTF-16LE";
  if (even > pairs * 0.2 && odd < pairs * 0.02) return "UTF-16BE";
  return null;
}

const strictUtf8 = new TextDecoder("utf-8", { fatal: true });

/** The text of a CSV file's bytes and how it was read, or why it could not be. */
export function decodeText(
  bytes: Buffer,
  field: string[],
): { text: string; encoding: TextEncoding; guessed: boolean; detected: string | null } {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    try {
      return { text: strictUtf8.decode(bytes.subarray(3)), encoding: "UTF-8", guessed: false, detected: null };
    } catch {
      throw UserInputError.of("INVALID", field, msg("import.falseUtf8"));
    }
  }
  if (bytes[0] === 0xff && bytes[1] === 0xfe)
    return { text: iconv.decode(bytes.subarray(2), "utf-16le"), encoding: "UTF-16LE", guessed: false, detected: null };
  if (bytes[0] === 0xfe && bytes[1] === 0xff)
    return { text: iconv.decode(bytes.subarray(2), "utf-16be"), encoding: "UTF-16BE", guessed: false, detected: null };
  const utf16 = utf16WithoutBom(bytes);
  if (utf16) return { text: iconv.decode(bytes, utf16.toLowerCase()), encoding: utf16, guessed: false, detected: null };
  try {
    return { text: strictUtf8.decode(bytes), encoding: "UTF-8", guessed: false, detected: null };
  } catch {
    // not UTF-8: the other encoding Excel writes Chinese CSV in
  }
  // a detector's guess is named in the error only when it is a confident one
  const guess = chardet.analyse(bytes)[0];
  const detected = guess && guess.confidence >= 50 ? guess.name : null;
  const text = iconv.decode(bytes, "gb18030");
  // iconv-lite puts U+FFFD where a byte sequence is no GB18030 character
  if (text.includes("\uFFFD")) throw undecidable(field, detected);
  return { text, encoding: "GB18030", guessed: true, detected };
}

/** A file whose text is in none of the encodings the import reads. */
export function undecidable(field: string[], detected: string | null): UserInputError {
  const other = detected && !/^(?:UTF-8|UTF-16|GB18030|GBK|GB2312)/i.test(detected) ? detected : null;
  return UserInputError.of(
    "INVALID",
    field,
    other ? msg("import.undecidableLike", { other }) : msg("import.undecidable"),
  );
}

/** Comma-separated, or tab-separated (Excel's "Unicode text"): whichever the first lines have more of. */
function delimiterOf(text: string): "," | "\t" {
  const head = text.slice(0, 8192);
  const tabs = head.split("\t").length;
  const commas = head.split(",").length;
  return tabs > commas ? "\t" : ",";
}

export function readCsvText(text: string, field: string[]): Grid {
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text, {
      bom: true,
      delimiter: delimiterOf(text),
      info: true,
      relax_column_count: true,
      skip_empty_lines: true,
      trim: false,
    }) as unknown as typeof records;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw UserInputError.of("INVALID", field, msg("import.unreadableCsv", { detail: message }));
  }
  return {
    name: null,
    rows: records
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

async function readXlsxBytes(bytes: Buffer, field: string[]): Promise<Grid[]> {
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  } catch {
    throw UserInputError.of("INVALID", field, msg("import.unreadableXlsx"));
  }
  if (workbook.worksheets.length === 0) throw UserInputError.of("INVALID", field, msg("import.noWorksheet"));
  return workbook.worksheets
    .filter((sheet) => sheet.state !== "hidden" && sheet.state !== "veryHidden")
    .map((sheet) => {
      const width = sheet.columnCount;
      const rows: SheetRow[] = [];
      sheet.eachRow({ includeEmpty: false }, (row, line) => {
        const cells: string[] = [];
        // a merged range gives every cell the value of its top-left one (exceljs reads them through the master)
        for (let c = 1; c <= width; c++) cells.push(restoreCell(cellText(row.getCell(c).value)));
        while (cells.length && cells[cells.length - 1]!.trim() === "") cells.pop();
        if (!blank(cells)) rows.push({ line, cells });
      });
      return { name: sheet.name, rows };
    });
}

/** A member file given as bytes (an upload, or the base64 string form): xlsx or CSV by its content. */
export async function readMemberBytes(bytes: Buffer, field: string[]): Promise<MemberFile> {
  refuseOldFormats(bytes, field);
  if (isZip(bytes))
    return {
      format: "xlsx",
      encoding: null,
      encodingGuessed: false,
      detected: null,
      grids: await readXlsxBytes(bytes, field),
    };
  const { text, encoding, guessed, detected } = decodeText(bytes, field);
  return { format: "csv", encoding, encodingGuessed: guessed, detected, grids: [readCsvText(text, field)] };
}

/** A member file given as CSV text (the string form: already decoded). */
export function readMemberText(text: string, field: string[]): MemberFile {
  return {
    format: "csv",
    encoding: null,
    encodingGuessed: false,
    detected: null,
    grids: [readCsvText(text, field)],
  };
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
