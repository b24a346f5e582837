// Which columns a member file has and where its table starts: the headers people actually write (synonyms,
// padded "姓  名", "手机号码（必填）"), title and note rows above the header row, a header split over two merged
// rows, several worksheets, and totals or signature rows under the table.
import type { UserErrorEntry } from "../errors";
import { msg } from "../messages";
import type { Grid, SheetRow } from "./member-table-file";
import { halfWidth } from "./member-values";

/** The columns an import understands, each with the headers secretaries actually use for it. */
export const memberColumns = {
  name: ["姓名", "name", "名字", "会员姓名", "会员名称", "成员姓名"],
  nameLatin: ["英文名", "拼音", "namelatin", "latin name", "english name", "英文姓名"],
  mobile: ["手机", "手机号", "手机号码", "移动电话", "mobile", "mobile phone", "cell phone"],
  /** A landline column; a mobile written in it is still read as the mobile. */
  landline: ["座机", "固定电话", "固话", "办公电话", "单位电话", "公司电话", "landline", "office phone"],
  /** "Phone": the mobile when the file has no mobile column, else the landline; either kind goes where it fits. */
  phone: ["电话", "联系电话", "电话号码", "联系方式", "phone", "tel", "telephone"],
  email: ["邮箱", "电子邮箱", "电子邮件", "邮件", "email", "e-mail", "mail"],
  wechat: ["微信", "微信号", "wechat", "weixin"],
  hometown: ["籍贯", "hometown", "家乡", "祖籍", "原籍"],
  company: ["公司", "单位", "公司名称", "工作单位", "企业名称", "企业", "单位名称", "所在单位", "所在企业", "company"],
  industry: ["行业", "所属行业", "行业类别", "industry"],
  creditCode: ["统一社会信用代码", "信用代码", "社会信用代码", "creditcode", "credit code"],
  level: ["职务", "会内职务", "商会职务", "职位", "level", "会员级别", "会员等级", "级别"],
  joinedOn: ["入会日期", "入会时间", "加入日期", "加入时间", "joinedon", "joined on", "joined"],
  expiresOn: ["到期日期", "会籍到期", "到期时间", "有效期至", "expireson", "expires on", "expiry"],
  /** Goes into the membership's private note (only this chamber's secretaries read it). */
  note: ["备注", "备注说明", "note", "notes", "remark", "remarks"],
  /** Exports carry the status; an import reads it past (status changes go through the lifecycle). */
  status: ["状态", "status"],
  /** Row numbers: ignored, without a warning. */
  rowNumber: ["序号", "编号", "排序", "no", "no.", "#"],
} as const;
export type MemberColumn = keyof typeof memberColumns;
/** What a cell is read as: a phone column ends up as the mobile or the landline. */
export type MemberField = Exclude<MemberColumn, "phone" | "rowNumber">;

/** A header as compared: half-width, lower-case, without spaces, required-markers or a trailing "（必填）". */
export function headerKey(raw: string): string {
  return halfWidth(raw)
    .toLowerCase()
    .replace(/\s+/g, "")
    .replace(/^[*※★]+|[*※★:]+$/g, "")
    .replace(/\([^)]*\)$|\[[^\]]*\]$|【[^】]*】$/g, "")
    .replace(/[*※★:]+$/g, "");
}

const columnByKey = new Map<string, MemberColumn>();
for (const [column, headers] of Object.entries(memberColumns) as [MemberColumn, readonly string[]][])
  for (const h of headers) columnByKey.set(headerKey(h), column);

export const columnOfHeader = (raw: string): MemberColumn | undefined => columnByKey.get(headerKey(raw));

/** How far down a worksheet the header row is looked for (title, notes and blank rows above it). */
const HEADER_SEARCH_ROWS = 30;

/** The rows of a table: its header (one cell per column), where it is, and the data rows under it. */
export interface Sheet {
  header: string[];
  /** The line the header row is on (the second, for a header over two rows). */
  headerLine: number;
  /** The worksheet's name; null for CSV. */
  name: string | null;
  rows: SheetRow[];
}

const knownCount = (cells: readonly string[]) => cells.filter((c) => columnOfHeader(c) !== undefined).length;

/**
 * The header row: the first naming the name column (a note row above it may hold a stray "备注"), else the
 * first naming any known column (whose missing name column is then the error); null when none does.
 */
function headerIndex(grid: Grid): number | null {
  const rows = grid.rows.slice(0, HEADER_SEARCH_ROWS);
  const named = rows.findIndex((r) => r.cells.some((c) => columnOfHeader(c) === "name"));
  if (named >= 0) return named;
  const known = rows.findIndex((r) => knownCount(r.cells) > 0);
  return known >= 0 ? known : null;
}

// A totals or signature line under the table ("合计：56人", "制表人：…", "审核：…", "（盖章）"): no person.
const FOOTER = /^(?:合计|总计|小计|共计|总人数|制表|填表|审核|审批|签字|签名|盖章|\(盖章\)|负责人|秘书长签|日期[:：])/;
const footerCell = (cells: readonly string[]) => cells.find((c) => FOOTER.test(halfWidth(c).replace(/\s+/g, "")));

/**
 * The table of one member file: the first worksheet with a header row (a warning names the others that have
 * one), its header row (merged with the row under it when that one names columns too: "联系方式" over 手机 and
 * 邮箱), and its data rows without the totals and signature rows at the bottom (each a warning).
 */
export function locateTable(
  grids: readonly Grid[],
  fileField: string[],
  warnings: UserErrorEntry[],
): Sheet | { missing: true; grid: Grid | null } {
  const found = grids.flatMap((grid) => {
    const index = headerIndex(grid);
    return index === null ? [] : [{ grid, index }];
  });
  const first = found[0];
  if (!first) return { missing: true, grid: grids[0] ?? null };
  if (found.length > 1)
    warnings.push({
      field: fileField,
      message: msg("import.severalSheets", {
        count: found.length,
        sheet: first.grid.name ?? "",
        others: found
          .slice(1)
          .map((f) => `"${f.grid.name}"`)
          .join(", "),
      }),
      code: "INVALID",
    });
  const { grid, index } = first;
  let header = [...grid.rows[index]!.cells];
  let headerLine = grid.rows[index]!.line;
  let start = index + 1;
  const below = grid.rows[start];
  // A second header row directly under the first: its known headers win over the group header above them.
  const filled = (cells: readonly string[]) => cells.filter((c) => c.trim() !== "").length;
  if (below && below.line === headerLine + 1 && knownCount(below.cells) * 2 >= Math.max(1, filled(below.cells))) {
    const width = Math.max(header.length, below.cells.length);
    header = Array.from({ length: width }, (_, c) => {
      const low = below.cells[c] ?? "";
      const high = header[c] ?? "";
      return columnOfHeader(low) !== undefined || columnOfHeader(high) === undefined ? low || high : high;
    });
    headerLine = below.line;
    start++;
  }
  while (header.length && header[header.length - 1]!.trim() === "") header.pop();
  const rows = grid.rows.slice(start);
  // Totals and signatures sit at the bottom: strip them from the end up to the last row that is not one.
  let end = rows.length;
  while (end > 0 && footerCell(rows[end - 1]!.cells) !== undefined) end--;
  for (const row of rows.slice(end)) {
    const text = footerCell(row.cells);
    warnings.push({
      field: ["csv", String(row.line)],
      message: msg("import.footerRow", { line: row.line, text: text ?? "" }),
      code: "INVALID",
    });
  }
  return { header: header.map((h) => h.trim()), headerLine, name: grid.name, rows: rows.slice(0, end) };
}
