// Importing a chamber's existing member spreadsheet. Every row is checked and reported by line and column;
// people already in the shared directory are matched (credit code → mobile → email) instead of duplicated;
// the valid rows go in together, set-based, and importing the same file again changes nothing.

import { randomUUID } from "node:crypto";
import {
  auditLogTable,
  companyTable,
  type Executor,
  type FieldVisibility,
  type MembershipLevel,
  membershipNoteTable,
  membershipTable,
  merchantTable,
} from "@wz/db";
import { and, eq, isNull, type SQL, sql } from "drizzle-orm";
import { recordAudit } from "../audit/audit-log";
import { inJson } from "../common/sql-text";
import { todayIso } from "../dates";
import { isValidCreditCode } from "../directory/credit-code";
import { pinyinForms } from "../directory/pinyin";
import { canReachMerchant, canSeeField, loadMembershipFacts } from "../directory/visibility";
import type { UserErrorEntry } from "../errors";
import { UserInputError } from "../errors";
import { announceRolesChanged } from "../events/domain-events";
import { announceMailQueued } from "../mail/outbox";
import { type Message, msg } from "../messages";
import type { ServiceContext } from "../service-context";
import { emailProblem, normalizeEmail } from "../validation";
import type { Viewer } from "../viewer";
import { columnOfHeader, locateTable, type MemberField, type Sheet } from "./member-columns";
import { type MemberFile, readMemberBytes, readMemberText, type TextEncoding, undecidable } from "./member-table-file";
import { halfWidth, parseDate, parseHometown, parseIndustry, parseLevel, parsePhones } from "./member-values";
import { chamberForAction } from "./membership-access";
import { queueProposalMails } from "./membership-service";

export { type MemberColumn, type MemberField, memberColumns } from "./member-columns";

export const MAX_IMPORT_ROWS = 20_000;
const CHUNK = 10_000;

export type ImportRowAction = "CREATED" | "MATCHED" | "PROPOSED" | "UPDATED" | "UNCHANGED" | "ERROR";

export interface ImportLineOutcome {
  line: number;
  action: ImportRowAction;
  name: string | null;
  merchantId: string | null;
  membershipId: string | null;
}

export interface ImportMembersResult {
  dryRun: boolean;
  format: "csv" | "xlsx";
  /** How an uploaded CSV's bytes were read (null for text and for xlsx). */
  encoding: TextEncoding | null;
  /** The worksheet imported (null for CSV). */
  sheet: string | null;
  /** The line of the header row (title and note rows above it are skipped). */
  headerLine: number;
  /** Each column of the header row, and the field it was read as. */
  columns: ImportColumnReading[];
  /** Data rows in the file (blank rows not counted). */
  rows: number;
  /** New merchant in the directory, and their membership here. */
  created: number;
  /**
   * An existing merchant matched whom the secretary may know (a contact value they can see, or a credit code):
   * their membership here is proposed and starts when they accept.
   */
  matched: number;
  /**
   * Someone already in the directory matched by a contact value the secretary cannot see: they are asked to
   * join (now, or by an earlier import), and who they are stays hidden from the chamber until they accept.
   */
  proposed: number;
  /** An existing membership here whose level or dates the row changes. */
  updated: number;
  /** An existing membership here that the row leaves as it is. */
  unchanged: number;
  failed: number;
  errors: UserErrorEntry[];
  /** Not fatal: unknown columns, which are ignored. */
  warnings: UserErrorEntry[];
  lines: ImportLineOutcome[];
}

export interface ImportMembersInput {
  chamberId: string;
  /** The file's bytes, as uploaded: xlsx or CSV (UTF-8, UTF-16 or GB18030), told apart by the content. */
  file?: Uint8Array | null | undefined;
  csv?: string | null | undefined;
  /** An .xlsx workbook, base64-encoded; its first worksheet is read like a CSV. */
  xlsx?: string | null | undefined;
  dryRun?: boolean | null | undefined;
}

interface RowValues {
  line: number;
  name: string;
  nameLatin: string | null;
  mobile: string | null;
  /** Landlines (area code-number), comma-separated when a row gives more than one. */
  landline: string | null;
  email: string | null;
  wechat: string | null;
  hometown: string | null;
  company: string | null;
  industry: string | null;
  creditCode: string | null;
  level: MembershipLevel | null;
  joinedOn: string | null;
  expiresOn: string | null;
  /** For the membership's private note (备注). */
  note: string | null;
}

interface JoinPlan {
  /** CREATED: a new profile and an ACTIVE membership; MATCHED / PROPOSED: a proposal the merchant answers. */
  action: "CREATED" | "MATCHED" | "PROPOSED";
  row: RowValues;
  merchantId: string;
  membershipId: string;
}
/** A proposal an earlier import made to someone hidden from the chamber, still unanswered: nothing to write. */
interface StandingProposalPlan {
  action: "PROPOSED";
  row: RowValues;
  standing: true;
}
interface KeepPlan {
  action: "UPDATED" | "UNCHANGED";
  row: RowValues;
  merchantId: string;
  membershipId: string;
  before: ExistingMembership;
  /** The row's 备注 is not yet among the membership's notes: it is added. */
  addNote: boolean;
}
type Plan = JoinPlan | StandingProposalPlan | KeepPlan | { action: "ERROR"; line: number; name: string | null };

interface ExistingMembership {
  id: string;
  merchantId: string;
  level: MembershipLevel;
  joinedOn: string | null;
  expiresOn: string | null;
  /** An import's proposal to someone hidden from the chamber, not yet answered. */
  withheld: boolean;
}

function chunks<T>(items: readonly T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** How one column of the file was read: as which field, or ignored (null). */
export interface ImportColumnReading {
  /** 1-based column number (A = 1). */
  position: number;
  header: string;
  field: MemberField | null;
}

type Columns = Map<MemberField, number>;

/**
 * Maps the header row to fields; unknown headers become warnings (序号 is ignored quietly), a missing name
 * column an error. A phone column (电话) is the mobile column when there is no other, else the landline one.
 */
function mapHeader(
  sheet: Sheet,
  errors: UserErrorEntry[],
  warnings: UserErrorEntry[],
): { columns: Columns; readings: ImportColumnReading[] } {
  const line = String(sheet.headerLine);
  const kinds = sheet.header.map((raw) => (raw === "" ? undefined : columnOfHeader(raw)));
  const hasMobile = kinds.includes("mobile");
  const hasLandline = kinds.includes("landline");
  const columns: Columns = new Map();
  const readings: ImportColumnReading[] = [];
  for (const [index, raw] of sheet.header.entries()) {
    if (raw === "") continue;
    const kind = kinds[index];
    const reading = (field: MemberField | null) => readings.push({ position: index + 1, header: raw, field });
    if (kind === "rowNumber") {
      reading(null);
      continue;
    }
    if (!kind) {
      warnings.push({
        field: ["csv", line, raw],
        message: msg("import.unknownColumn", { column: raw }),
        code: "INVALID",
      });
      reading(null);
      continue;
    }
    const field: MemberField =
      kind !== "phone"
        ? kind
        : !hasMobile && !columns.has("mobile")
          ? "mobile"
          : !hasLandline && !columns.has("landline")
            ? "landline"
            : "mobile";
    if (columns.has(field)) {
      errors.push({
        field: ["csv", line, raw],
        message: msg("import.repeatedColumn", { column: raw, first: sheet.header[columns.get(field)!] ?? "" }),
        code: "INVALID",
      });
      reading(null);
      continue;
    }
    columns.set(field, index);
    reading(field);
  }
  if (!columns.has("name"))
    errors.push({
      field: ["csv", line],
      message: msg("import.noNameColumn", { line }),
      code: "INVALID",
    });
  return { columns, readings };
}

const creditCodeOf = (v: string): { ok: true; value: string } | { ok: false; reason: Message } => {
  const code = halfWidth(v).toUpperCase().replace(/\s/g, "");
  return isValidCreditCode(code)
    ? { ok: true, value: code }
    : {
        ok: false,
        reason: msg("values.creditCode", { value: v }),
      };
};

/** Checks and normalises one row; returns its values, or null after adding one error per bad cell. */
function readRow(
  sheet: Sheet,
  columns: Columns,
  cells: string[],
  line: number,
  errors: UserErrorEntry[],
): RowValues | null {
  const before = errors.length;
  const header = (c: MemberField) => sheet.header[columns.get(c)!] ?? c;
  const cell = (c: MemberField): string | null => {
    const index = columns.get(c);
    const value = index === undefined ? "" : (cells[index] ?? "").trim();
    return value === "" ? null : value;
  };
  const fail = (c: MemberField, message: Message) =>
    errors.push({ field: ["csv", String(line), header(c)], message, code: "INVALID" });
  const parsed = <T>(
    c: MemberField,
    parse: (v: string) => { ok: true; value: T } | { ok: false; reason: Message },
  ): T | null => {
    const raw = cell(c);
    if (raw === null) return null;
    const result = parse(raw);
    if (result.ok) return result.value;
    fail(c, result.reason);
    return null;
  };

  const name = cell("name");
  if (name === null) fail("name", msg("import.nameMissing"));
  else if (name.length > 100) fail("name", msg("import.nameTooLong"));
  // Each number in the mobile and landline columns goes where it belongs: a landline is never taken as the mobile.
  const mobiles: string[] = [];
  const landlines: string[] = [];
  for (const c of ["mobile", "landline"] as const) {
    for (const n of parsed(c, (v) => parsePhones(v, c)) ?? []) {
      const into = n.kind === "mobile" ? mobiles : landlines;
      if (into.includes(n.value)) continue;
      if (n.kind === "mobile" && mobiles.length)
        fail(c, msg("import.secondMobile", { cell: cell(c) ?? "", mobile: n.value }));
      else into.push(n.value);
    }
  }
  const email = parsed("email", (v) => {
    const problem = emailProblem(halfWidth(v));
    return problem ? { ok: false, reason: problem } : { ok: true, value: normalizeEmail(halfWidth(v)) };
  });
  const creditCode = parsed("creditCode", creditCodeOf);
  const company = cell("company");
  if (company !== null && company.length > 200) fail("company", msg("import.companyTooLong"));
  const note = cell("note");
  if (note !== null && note.length > 5000) fail("note", msg("import.noteTooLong"));
  const landline = landlines.join(", ");
  if (landline.length > 100) fail("landline", msg("import.landlinesTooLong"));
  const row: RowValues = {
    line,
    name: name ?? "",
    nameLatin: cell("nameLatin"),
    mobile: mobiles[0] ?? null,
    landline: landline || null,
    email,
    wechat: cell("wechat"),
    hometown: parsed("hometown", parseHometown),
    company,
    industry: parsed("industry", parseIndustry),
    creditCode,
    level: parsed("level", (v) => parseLevel(halfWidth(v))),
    joinedOn: parsed("joinedOn", parseDate),
    expiresOn: parsed("expiresOn", parseDate),
    note,
  };
  if (errors.length > before) return null;
  if (row.creditCode && !row.company) fail("company", msg("import.creditCodeNeedsCompany"));
  if (row.joinedOn && row.expiresOn && row.expiresOn < row.joinedOn)
    fail("expiresOn", msg("import.expiresBeforeJoined"));
  if (!row.mobile && !row.email && !row.creditCode)
    fail(columns.has("mobile") ? "mobile" : "name", msg("import.rowNeedsKey"));
  return errors.length > before ? null : row;
}

type KeyKind = "creditCode" | "mobile" | "email";
const keyKinds: KeyKind[] = ["creditCode", "mobile", "email"];
const keyOf = (row: RowValues, kind: KeyKind) => row[kind];

async function lookupMerchants(db: Executor, rows: RowValues[]) {
  const codes = [...new Set(rows.map((r) => r.creditCode).filter((v): v is string => v !== null))];
  const mobiles = [...new Set(rows.map((r) => r.mobile).filter((v): v is string => v !== null))];
  const emails = [...new Set(rows.map((r) => r.email).filter((v): v is string => v !== null))];
  const found: Record<KeyKind, Map<string, Set<string>>> = {
    creditCode: new Map(),
    mobile: new Map(),
    email: new Map(),
  };
  const add = (kind: KeyKind, key: string | null, merchantId: string) => {
    if (key === null) return;
    const set = found[kind].get(key) ?? new Set<string>();
    set.add(merchantId);
    found[kind].set(key, set);
  };
  for (const part of chunks(codes)) {
    const rows = await db
      .select({ key: companyTable.creditCode, merchantId: companyTable.merchantId })
      .from(companyTable)
      .innerJoin(merchantTable, eq(merchantTable.id, companyTable.merchantId))
      .where(and(inJson(companyTable.creditCode, part), isNull(merchantTable.mergedIntoId)));
    for (const r of rows) add("creditCode", r.key, r.merchantId);
  }
  for (const part of chunks(mobiles)) {
    const rows = await db
      .select({ key: merchantTable.mobile, merchantId: merchantTable.id })
      .from(merchantTable)
      .where(and(inJson(merchantTable.mobile, part), isNull(merchantTable.mergedIntoId)));
    for (const r of rows) add("mobile", r.key, r.merchantId);
  }
  for (const part of chunks(emails)) {
    const rows = await db
      .select({ key: sql<string>`lower(${merchantTable.email})`, merchantId: merchantTable.id })
      .from(merchantTable)
      .where(and(inJson(sql`lower(${merchantTable.email})`, part), isNull(merchantTable.mergedIntoId)));
    for (const r of rows) add("email", r.key, r.merchantId);
  }
  return found;
}

async function existingMemberships(
  db: Executor,
  chamberId: string,
  merchantIds: string[],
): Promise<Map<string, ExistingMembership>> {
  const map = new Map<string, ExistingMembership>();
  for (const part of chunks(merchantIds)) {
    const rows = await db
      .select({
        id: membershipTable.id,
        merchantId: membershipTable.merchantId,
        level: membershipTable.level,
        joinedOn: membershipTable.joinedOn,
        expiresOn: membershipTable.expiresOn,
        withheld: sql<boolean>`(${membershipTable.identityWithheld} and ${membershipTable.consentedAt} is null)`,
      })
      .from(membershipTable)
      .where(and(eq(membershipTable.chamberId, chamberId), inJson(membershipTable.merchantId, part, "uuid")));
    for (const r of rows) map.set(r.merchantId, r);
  }
  return map;
}

/** The private notes already on these memberships of the chamber, by membership: a note is added once. */
async function existingNotes(db: Executor, chamberId: string, membershipIds: string[]) {
  const map = new Map<string, Set<string>>();
  for (const part of chunks(membershipIds)) {
    const rows = await db
      .select({ membershipId: membershipNoteTable.membershipId, body: membershipNoteTable.body })
      .from(membershipNoteTable)
      .where(and(eq(membershipNoteTable.chamberId, chamberId), inJson(membershipNoteTable.membershipId, part, "uuid")));
    for (const r of rows) map.set(r.membershipId, (map.get(r.membershipId) ?? new Set()).add(r.body));
  }
  return map;
}

/**
 * Which matched merchants the importing secretary may know: a profile the listing rule lets them reach, matched by
 * a credit code (public) or a contact field the visibility rule shows them. The others stay hidden (an unlisted
 * profile of another chamber too, whatever matched): the import proposes them a membership without telling the
 * chamber who they are.
 */
async function knownMatches(
  db: Executor,
  viewer: Viewer,
  matches: { merchantId: string; kinds: KeyKind[] }[],
): Promise<Set<string>> {
  const known = new Set<string>();
  const ids = [...new Set(matches.map((m) => m.merchantId))];
  const rows = new Map<
    string,
    { id: string; mobile: FieldVisibility; email: FieldVisibility; listed: boolean; erasedAt: Date | null }
  >();
  for (const part of chunks(ids)) {
    const found = await db
      .select({
        id: merchantTable.id,
        mobile: merchantTable.mobileVisibility,
        email: merchantTable.emailVisibility,
        listed: merchantTable.listed,
        erasedAt: merchantTable.erasedAt,
      })
      .from(merchantTable)
      .where(inJson(merchantTable.id, part, "uuid"));
    for (const r of found) rows.set(r.id, r);
  }
  const facts = await loadMembershipFacts(db, ids);
  const factsOf = new Map(ids.map((id, n) => [id, facts[n]!]));
  for (const m of matches) {
    const row = rows.get(m.merchantId);
    const merchantFacts = factsOf.get(m.merchantId);
    if (!row || !merchantFacts || !canReachMerchant(viewer, row, merchantFacts)) continue;
    const sees = (kind: "mobile" | "email") =>
      m.kinds.includes(kind) && canSeeField(viewer, m.merchantId, row[kind], merchantFacts);
    if (m.kinds.includes("creditCode") || sees("mobile") || sees("email")) known.add(m.merchantId);
  }
  return known;
}

/**
 * Decides every row's fate against the directory and the chamber as they are now. A dry run stops here,
 * so what it reports is exactly what a real run would do.
 */
async function plan(
  db: Executor,
  viewer: Viewer,
  chamberId: string,
  sheet: Sheet,
  columns: Columns,
  errors: UserErrorEntry[],
): Promise<Plan[]> {
  const header = (c: MemberField) => sheet.header[columns.get(c)!] ?? c;
  const readRows = sheet.rows.map((r) => ({
    line: r.line,
    cells: r.cells,
    values: readRow(sheet, columns, r.cells, r.line, errors),
  }));

  // Duplicates within the file: a later row sharing a key with an earlier valid row is an error.
  const firstLine = new Map<string, number>();
  const valid: RowValues[] = [];
  const plans = new Map<number, Plan>();
  for (const r of readRows) {
    if (!r.values) {
      plans.set(r.line, { action: "ERROR", line: r.line, name: r.cells[columns.get("name") ?? -1]?.trim() || null });
      continue;
    }
    const row = r.values;
    const clash = keyKinds.find((k) => keyOf(row, k) !== null && firstLine.has(`${k}:${keyOf(row, k)}`));
    if (clash) {
      errors.push({
        field: ["csv", String(row.line), header(clash)],
        message: msg("import.duplicateOfLine", {
          line: firstLine.get(`${clash}:${keyOf(row, clash)}`) ?? 0,
          column: header(clash),
        }),
        code: "CONFLICT",
      });
      plans.set(row.line, { action: "ERROR", line: row.line, name: row.name });
      continue;
    }
    for (const k of keyKinds) if (keyOf(row, k) !== null) firstLine.set(`${k}:${keyOf(row, k)}`, row.line);
    valid.push(row);
  }

  const found = await lookupMerchants(db, valid);
  const matchedBy = new Map<RowValues, string>();
  const matchedKinds = new Map<RowValues, KeyKind[]>();
  const lineOfMerchant = new Map<string, number>();
  const stillValid: RowValues[] = [];
  for (const row of valid) {
    const fail = (kind: KeyKind, message: Message) => {
      errors.push({ field: ["csv", String(row.line), header(kind)], message, code: "CONFLICT" });
      plans.set(row.line, { action: "ERROR", line: row.line, name: row.name });
    };
    // Precedence: the credit code is the strongest key, then the mobile, then the email.
    let chosen: { kind: KeyKind; merchantId: string } | null = null;
    const kinds: KeyKind[] = [];
    let problem = false;
    for (const kind of keyKinds) {
      const key = keyOf(row, kind);
      const ids = key === null ? undefined : found[kind].get(key);
      if (!ids) continue;
      if (ids.size > 1 && kind !== "creditCode") {
        // How many, or who, is not said: the secretary may not be able to see this value on anyone.
        fail(kind, msg("import.severalPeople", { column: header(kind) }));
        problem = true;
        break;
      }
      if (ids.size > 1) continue; // several people at one firm: the person is told apart by mobile or email
      const id = [...ids][0]!;
      if (chosen && chosen.merchantId !== id) {
        fail(kind, msg("import.differentPeople", { column: header(kind), other: header(chosen.kind) }));
        problem = true;
        break;
      }
      kinds.push(kind);
      chosen ??= { kind, merchantId: id };
    }
    if (problem) continue;
    if (chosen) {
      const earlier = lineOfMerchant.get(chosen.merchantId);
      if (earlier !== undefined) {
        fail(chosen.kind, msg("import.samePerson", { line: earlier }));
        continue;
      }
      lineOfMerchant.set(chosen.merchantId, row.line);
      matchedBy.set(row, chosen.merchantId);
      // Several people at one firm share its credit code: it names none of them, so it does not make one known.
      const codeNamesThem = found.creditCode.get(row.creditCode ?? "")?.size === 1;
      matchedKinds.set(
        row,
        kinds.filter((k) => k !== "creditCode" || codeNamesThem),
      );
    }
    stillValid.push(row);
  }

  const existing = await existingMemberships(db, chamberId, [...new Set(matchedBy.values())]);
  const newcomers = stillValid.flatMap((row) => {
    const merchantId = matchedBy.get(row);
    return merchantId && !existing.has(merchantId) ? [{ merchantId, kinds: matchedKinds.get(row) ?? [] }] : [];
  });
  const known = await knownMatches(db, viewer, newcomers);
  const withNotes = stillValid.flatMap((row) => {
    const kept = existing.get(matchedBy.get(row) ?? "");
    return kept && !kept.withheld && row.note !== null ? [kept.id] : [];
  });
  const notes = await existingNotes(db, chamberId, withNotes);
  for (const row of stillValid) {
    const merchantId = matchedBy.get(row);
    if (!merchantId) {
      plans.set(row.line, { action: "CREATED", row, merchantId: randomUUID(), membershipId: randomUUID() });
      continue;
    }
    const before = existing.get(merchantId);
    if (!before) {
      const action = known.has(merchantId) ? "MATCHED" : "PROPOSED";
      plans.set(row.line, { action, row, merchantId, membershipId: randomUUID() });
      continue;
    }
    if (before.withheld) {
      plans.set(row.line, { action: "PROPOSED", row, standing: true });
      continue;
    }
    // A row changes a membership only in the fields it fills in: an empty cell is "as it is".
    const addNote = row.note !== null && !notes.get(before.id)?.has(row.note);
    const changes =
      (row.level !== null && row.level !== before.level) ||
      (row.joinedOn !== null && row.joinedOn !== before.joinedOn) ||
      (row.expiresOn !== null && row.expiresOn !== before.expiresOn) ||
      addNote;
    plans.set(row.line, {
      action: changes ? "UPDATED" : "UNCHANGED",
      row,
      merchantId,
      membershipId: before.id,
      before,
      addNote,
    });
  }
  return sheet.rows.map((r) => plans.get(r.line)!);
}

/**
 * Inserts rows as one JSON parameter per chunk (jsonb_to_recordset), not thousands of bind parameters: the
 * drivers bind and PostgreSQL parses one value, which is what keeps a 10,000-row import within seconds.
 */
async function insertJson(
  tx: Executor,
  table: SQL,
  columns: [string, string][],
  rows: Record<string, unknown>[],
): Promise<void> {
  const names = sql.raw(columns.map(([c]) => c).join(", "));
  const types = sql.raw(columns.map(([c, t]) => `${c} ${t}`).join(", "));
  for (const part of chunks(rows, 5000))
    await tx.execute(
      sql`insert into ${table} (${names})
        select ${names} from jsonb_to_recordset(${JSON.stringify(part)}::jsonb) as x(${types})`,
    );
}

/** Writes the plans; true when it queued proposal mail. */
async function write(ctx: ServiceContext, tx: Executor, chamberId: string, plans: Plan[]): Promise<boolean> {
  let mailQueued = false;
  const actor = ctx.permissions.viewer!.userId;
  const today = todayIso();
  const joining = plans.filter(
    (p): p is JoinPlan => "membershipId" in p && p.action !== "UPDATED" && p.action !== "UNCHANGED",
  );
  const creating = joining.filter((p) => p.action === "CREATED");
  const updating = plans.filter((p): p is KeepPlan => p.action === "UPDATED");

  await insertJson(
    tx,
    sql`${merchantTable}`,
    [
      ["id", "uuid"],
      ["name", "text"],
      ["name_latin", "text"],
      ["name_pinyin", "text"],
      ["name_initials", "text"],
      ["hometown_district", "text"],
      ["mobile", "text"],
      ["landline", "text"],
      ["email", "text"],
      ["wechat", "text"],
    ],
    creating.map(({ row, merchantId }) => {
      const forms = pinyinForms(row.name);
      return {
        id: merchantId,
        name: row.name,
        name_latin: row.nameLatin,
        name_pinyin: forms.full,
        name_initials: forms.initials,
        hometown_district: row.hometown,
        mobile: row.mobile,
        landline: row.landline,
        email: row.email,
        wechat: row.wechat,
      };
    }),
  );
  await insertJson(
    tx,
    sql`${companyTable}`,
    [
      ["merchant_id", "uuid"],
      ["name", "text"],
      ["industry", "text"],
      ["credit_code", "text"],
    ],
    creating
      .filter((p) => p.row.company !== null)
      .map(({ row, merchantId }) => ({
        merchant_id: merchantId,
        name: row.company,
        industry: row.industry,
        credit_code: row.creditCode,
      })),
  );
  await insertJson(
    tx,
    sql`${membershipTable}`,
    [
      ["chamber_id", "uuid"],
      ["id", "uuid"],
      ["merchant_id", "uuid"],
      ["level", "membership_level"],
      ["status", "membership_status"],
      ["joined_on", "date"],
      ["expires_on", "date"],
      ["decided_by", "uuid"],
      ["proposed_by", "uuid"],
      ["identity_withheld", "boolean"],
    ],
    // A profile the chamber creates is its own record, ACTIVE at once; someone already in the directory is asked.
    joining.map(({ action, row, merchantId, membershipId }) => ({
      chamber_id: chamberId,
      id: membershipId,
      merchant_id: merchantId,
      level: row.level ?? "MEMBER",
      status: action === "CREATED" ? "ACTIVE" : "APPLIED",
      joined_on: action === "CREATED" ? (row.joinedOn ?? today) : row.joinedOn,
      expires_on: row.expiresOn,
      decided_by: action === "CREATED" ? actor : null,
      proposed_by: action === "CREATED" ? null : actor,
      identity_withheld: action === "PROPOSED",
    })),
  );
  // Someone already in the directory is asked by mail too (a profile the chamber created is its own record).
  const proposals = joining.filter((p) => p.action !== "CREATED").map((p) => p.membershipId);
  for (const part of chunks(proposals, 5000)) if (await queueProposalMails(tx, chamberId, part)) mailQueued = true;
  for (const part of chunks(updating, 5000)) {
    const changes = JSON.stringify(
      part.map(({ row, membershipId }) => ({
        id: membershipId,
        level: row.level,
        joined_on: row.joinedOn,
        expires_on: row.expiresOn,
      })),
    );
    await tx.execute(sql`
      update ${membershipTable} set
        level = coalesce(v.level, ${membershipTable.level}),
        joined_on = coalesce(v.joined_on, ${membershipTable.joinedOn}),
        expires_on = coalesce(v.expires_on, ${membershipTable.expiresOn}),
        updated_at = now()
      from jsonb_to_recordset(${changes}::jsonb) as v(id uuid, level membership_level, joined_on date, expires_on date)
      where ${membershipTable.chamberId} = ${chamberId} and ${membershipTable.id} = v.id`);
  }
  // 备注: the membership's private note, by the importing secretary; a note already there is not added twice.
  const noted = [...joining.filter((p) => p.row.note !== null), ...updating.filter((p) => p.addNote)];
  await insertJson(
    tx,
    sql`${membershipNoteTable}`,
    [
      ["chamber_id", "uuid"],
      ["membership_id", "uuid"],
      ["body", "text"],
      ["author_id", "uuid"],
    ],
    noted.map((p) => ({ chamber_id: chamberId, membership_id: p.membershipId, body: p.row.note, author_id: actor })),
  );
  // One audit row per membership the import created or changed, written in batches like the rows themselves.
  const audited: (JoinPlan | KeepPlan)[] = [...joining, ...updating];
  await insertJson(
    tx,
    sql`${auditLogTable}`,
    [
      ["actor_user_id", "uuid"],
      ["chamber_id", "uuid"],
      ["action", "text"],
      ["entity_type", "text"],
      ["entity_id", "text"],
      ["before", "jsonb"],
      ["after", "jsonb"],
    ],
    audited.map((p) => ({
      actor_user_id: actor,
      chamber_id: chamberId,
      action: p.action === "UPDATED" ? "membership:import-update" : "membership:import",
      entity_type: "Membership",
      entity_id: p.membershipId,
      before:
        "before" in p ? { level: p.before.level, joinedOn: p.before.joinedOn, expiresOn: p.before.expiresOn } : null,
      after: {
        line: p.row.line,
        merchantId: p.merchantId,
        level: p.row.level,
        joinedOn: p.row.joinedOn,
        expiresOn: p.row.expiresOn,
        // the note's text stays out of the trail (federation staff read it; notes are the chamber's alone)
        noteAdded: "addNote" in p ? p.addNote : p.row.note !== null,
        newMerchant: p.action === "CREATED",
        proposal: p.action === "MATCHED" || p.action === "PROPOSED",
      },
    })),
  );
  return mailQueued;
}

/** The largest member file taken as an upload (the request body limit, 20 MiB, holds it too). */
export const MAX_IMPORT_FILE_BYTES = 20 * 1024 * 1024;

/** The file from whichever of its three forms was given: an upload, base64 xlsx (or any file), or CSV text. */
async function readInput(input: ImportMembersInput): Promise<{ file: MemberFile; fileField: string[] }> {
  // The contract makes csv required: with another form, csv is sent empty.
  const csv = input.csv?.trim() ? input.csv : null;
  const given = [input.file != null, input.xlsx != null, csv !== null].filter(Boolean).length;
  if (given !== 1) throw UserInputError.of("INVALID", [input.file != null ? "file" : "csv"], msg("import.oneFile"));
  if (input.file != null) {
    const fileField = ["file"];
    if (input.file.byteLength > MAX_IMPORT_FILE_BYTES)
      throw UserInputError.of("INVALID", fileField, msg("import.fileTooLarge"));
    if (input.file.byteLength === 0) throw UserInputError.of("INVALID", fileField, msg("import.emptyFile"));
    return { file: await readMemberBytes(Buffer.from(input.file), fileField), fileField };
  }
  if (input.xlsx != null) {
    const fileField = ["xlsx"];
    return { file: await readMemberBytes(Buffer.from(input.xlsx, "base64"), fileField), fileField };
  }
  return { file: readMemberText(csv!, ["csv"]), fileField: ["csv"] };
}

export async function importMembers(ctx: ServiceContext, input: ImportMembersInput): Promise<ImportMembersResult> {
  const dryRun = input.dryRun ?? false;
  // Access first, so another chamber's secretary learns nothing, not even whether their file would parse.
  const { chamber, viewer } = await chamberForAction(ctx, ctx.db, "member:import", input.chamberId, "chamberId");
  const { file, fileField } = await readInput(input);
  const errors: UserErrorEntry[] = [];
  const warnings: UserErrorEntry[] = [];
  const located = locateTable(file.grids, fileField, warnings);
  if ("missing" in located) {
    // Read as GB18030 only because it was no UTF: without a header row, that reading was wrong.
    if (file.encodingGuessed) throw undecidable(fileField, file.detected);
    if (!located.grid || located.grid.rows.length === 0)
      throw UserInputError.of("INVALID", fileField, msg("import.emptyFile"));
    throw UserInputError.of("INVALID", fileField, msg("import.noHeaderRow"));
  }
  const sheet = located;
  if (sheet.rows.length > MAX_IMPORT_ROWS)
    throw UserInputError.of(
      "INVALID",
      fileField,
      msg("import.tooManyRows", { max: MAX_IMPORT_ROWS, rows: sheet.rows.length }),
    );
  const { columns, readings } = mapHeader(sheet, errors, warnings);
  if (errors.length) throw new UserInputError(errors);
  const source = {
    format: file.format,
    encoding: file.encoding,
    sheet: sheet.name,
    headerLine: sheet.headerLine,
    columns: readings,
  };

  let mailQueued = false;
  const run = async (tx: Executor) => {
    // Imports into one chamber queue up, so two runs of the same file cannot both create the same people.
    if (!dryRun) await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`member-import:${chamber.id}`}))`);
    const plans = await plan(tx, viewer, chamber.id, sheet, columns, errors);
    const result: ImportMembersResult = {
      dryRun,
      ...source,
      rows: plans.length,
      created: plans.filter((p) => p.action === "CREATED").length,
      matched: plans.filter((p) => p.action === "MATCHED").length,
      proposed: plans.filter((p) => p.action === "PROPOSED").length,
      updated: plans.filter((p) => p.action === "UPDATED").length,
      unchanged: plans.filter((p) => p.action === "UNCHANGED").length,
      failed: plans.filter((p) => p.action === "ERROR").length,
      errors,
      warnings,
      lines: plans.map((p) =>
        p.action === "ERROR"
          ? { line: p.line, action: p.action, name: p.name, merchantId: null, membershipId: null }
          : // The chamber is not told who a hidden match is, nor given a handle on their proposal.
            p.action === "PROPOSED"
            ? { line: p.row.line, action: p.action, name: p.row.name, merchantId: null, membershipId: null }
            : {
                line: p.row.line,
                action: p.action,
                name: p.row.name,
                merchantId: p.merchantId,
                membershipId: p.membershipId,
              },
      ),
    };
    if (dryRun) return result;
    if (await write(ctx, tx, chamber.id, plans)) mailQueued = true;
    await recordAudit(tx, {
      actorUserId: viewer.userId,
      chamberId: chamber.id,
      action: "member:import",
      entityType: "Chamber",
      entityId: chamber.id,
      after: {
        format: file.format,
        encoding: file.encoding,
        upload: input.file != null,
        rows: result.rows,
        created: result.created,
        matched: result.matched,
        proposed: result.proposed,
        updated: result.updated,
        unchanged: result.unchanged,
        failed: result.failed,
      },
    });
    return result;
  };
  const result = dryRun ? await run(ctx.db) : await ctx.db.transaction(run);
  if (!dryRun)
    announceRolesChanged(
      ctx,
      result.lines.flatMap((l) => (l.merchantId ? [l.merchantId] : [])),
    );
  announceMailQueued(ctx, mailQueued);
  // Unknown-merchant IDs of a dry run were never written: do not hand them out.
  if (dryRun) for (const l of result.lines) if (l.action === "CREATED" || l.action === "MATCHED") l.membershipId = null;
  if (dryRun) for (const l of result.lines) if (l.action === "CREATED") l.merchantId = null;
  return result;
}
