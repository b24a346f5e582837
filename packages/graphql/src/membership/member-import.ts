// Bringing a chamber's spreadsheet in (importMembers) and taking its member list out (exportMembers).
import {
  exportMembers,
  type ImportColumnReading,
  type ImportLineOutcome,
  type ImportMembersResult,
  importMembers,
  type MemberExport,
  type UserErrorEntry,
  UserInputError,
} from "@wz/core";
import { builder } from "../builder";
import { ChamberRef } from "../chambers/chamber";
import { type FieldPathMap, payloadType, UserErrorRef, underInput, withUserErrors } from "../common/user-errors";
import { MerchantRef } from "../directory/merchant";
import { MemberFilter, MemberOrder, MembershipRef, toCoreFilter, toCoreOrder } from "./membership";

/** A member file's text (or base64) may be this long; the request body limit (20 MiB) bounds it in bytes. */
const MAX_FILE_CHARACTERS = 20_000_000;

const ImportMembersInput = builder.inputType("ImportMembersInput", {
  description: "A member spreadsheet (CSV text or an .xlsx workbook) for one chamber.",
  fields: (t) => ({
    chamberId: t.globalID({ for: ChamberRef, required: true, description: "The secretary's chamber." }),
    file: t.field({
      type: "File",
      description:
        'The member file as an upload (GraphQL multipart request; then give csv as "" or leave it out): .xlsx, ' +
        "or CSV in UTF-8, UTF-16 or GB18030/GBK, told apart by the content, not the name. .xls and WPS .et are " +
        "refused with how to save them as .xlsx.",
    }),
    csv: t.string({
      extensions: { maxLength: MAX_FILE_CHARACTERS, file: true },
      description:
        "CSV text. The header row names the columns in Chinese or English (姓名/name, 手机/mobile, 电话, " +
        "邮箱/email, 籍贯/hometown, 公司/单位/company, 统一社会信用代码/creditCode, 职务/level, 入会日期/joinedOn, " +
        "备注/note, …); title and note rows above it are skipped.",
    }),
    xlsx: t.string({
      extensions: { maxLength: MAX_FILE_CHARACTERS, file: true },
      description:
        'Instead of csv (then give csv as ""): the file base64-encoded, read like an upload; for a workbook, ' +
        "the first worksheet with a header row.",
    }),
    dryRun: t.boolean({ description: "Report exactly what would happen and write nothing." }),
  }),
});

const ImportLineActionEnum = builder.enumType("ImportMembersLineAction", {
  description: "What an import did (or, on a dry run, would do) with one row.",
  values: {
    CREATED: { description: "A new merchant in the directory and their membership here." },
    MATCHED: {
      description:
        "An existing merchant (by credit code, or a mobile or email you can see) proposed a membership here: it " +
        "starts when they accept (Membership.awaitingConsent).",
    },
    PROPOSED: {
      description:
        "Someone already in the directory, matched by a contact value you cannot see: they are asked to join " +
        "(now or by an earlier import), and who they are stays hidden from the chamber until they accept.",
    },
    UPDATED: { description: "An existing membership here whose level or dates the row changes." },
    UNCHANGED: { description: "An existing membership here the row leaves as it is." },
    ERROR: { description: "Not imported: see userErrors for this line." },
  } as const,
});

const ImportLineRef = builder.objectRef<ImportLineOutcome>("ImportMembersLine").implement({
  description: "What became of one row of the file.",
  fields: (t) => ({
    line: t.exposeInt("line", {
      description: "The row's 1-based line (CSV) or row (xlsx) number, as the secretary's editor shows it.",
    }),
    action: t.field({ type: ImportLineActionEnum, description: "What became of it.", resolve: (l) => l.action }),
    name: t.exposeString("name", {
      nullable: true,
      description: "The name as the row gives it; null when the row has none.",
    }),
    merchant: t.field({
      type: MerchantRef,
      nullable: true,
      description: "The merchant matched or created; null for ERROR and PROPOSED rows and a dry run's new merchants.",
      resolve: (l) => l.merchantId,
    }),
    membership: t.field({
      type: MembershipRef,
      nullable: true,
      description: "The membership here; null for ERROR and PROPOSED rows and, on a dry run, ones not yet created.",
      resolve: (l) => l.membershipId,
    }),
  }),
});

const ImportMemberFieldEnum = builder.enumType("ImportMemberField", {
  description: "What a column of a member file is read as.",
  values: {
    NAME: { value: "name", description: "The Chinese name (姓名)." },
    NAME_LATIN: { value: "nameLatin", description: "The name in Latin letters (英文名/拼音)." },
    MOBILE: { value: "mobile", description: "Mobiles; a landline in this column is read as the landline." },
    LANDLINE: { value: "landline", description: "Landlines; a mobile in this column is read as the mobile." },
    EMAIL: { value: "email", description: "Email address (邮箱)." },
    WECHAT: { value: "wechat", description: "WeChat ID (微信)." },
    HOMETOWN: { value: "hometown", description: "Hometown district in Wenzhou (籍贯), by name or code." },
    COMPANY: { value: "company", description: "The company's name (公司/单位)." },
    INDUSTRY: { value: "industry", description: "GB/T 4754 industry section (行业), by letter or name." },
    CREDIT_CODE: { value: "creditCode", description: "Unified social credit code (统一社会信用代码)." },
    LEVEL: { value: "level", description: "Level in the chamber (职务: 会长 … 会员)." },
    JOINED_ON: { value: "joinedOn", description: "Date of joining (入会日期)." },
    EXPIRES_ON: { value: "expiresOn", description: "Date the membership expires (到期日期)." },
    NOTE: { value: "note", description: "The membership's private note (only this chamber's secretaries)." },
    STATUS: { value: "status", description: "Read past: status changes go through the membership lifecycle." },
  } as const,
});

const ImportColumnRef = builder.objectRef<ImportColumnReading>("ImportMembersColumn").implement({
  description: "One column of the file's header row and what it was read as.",
  fields: (t) => ({
    position: t.exposeInt("position", { description: "1-based (column A is 1)." }),
    header: t.exposeString("header", { description: "The header as written in the file." }),
    field: t.field({
      type: ImportMemberFieldEnum,
      nullable: true,
      description: "Null: ignored (序号, or a column the import does not know, with a warning).",
      resolve: (c) => c.field,
    }),
  }),
});

const ImportFileFormatEnum = builder.enumType("ImportFileFormat", {
  description: "A member file's format, as told from its content (not its name).",
  values: {
    CSV: { value: "csv", description: "Comma- or tab-separated text (UTF-8, UTF-16 or GB18030)." },
    XLSX: { value: "xlsx", description: "An Excel workbook (.xlsx)." },
  } as const,
});

/** A refused file has no format or header row. */
type ImportPayload = Omit<ImportMembersResult, "errors" | "format" | "headerLine"> & {
  format: ImportMembersResult["format"] | null;
  headerLine: number | null;
  userErrors: UserErrorEntry[];
};

const ImportMembersPayload = payloadType<ImportPayload>(
  "ImportMembersPayload",
  (t) => ({
    dryRun: t.exposeBoolean("dryRun", { description: "True when nothing was written (a dry run)." }),
    format: t.field({
      type: ImportFileFormatEnum,
      nullable: true,
      description: "The file's format, as told from its content.",
      resolve: (p) => p.format,
    }),
    encoding: t.exposeString("encoding", {
      nullable: true,
      description: "How an uploaded CSV's bytes were read: UTF-8, UTF-16LE, UTF-16BE or GB18030.",
    }),
    sheet: t.exposeString("sheet", { nullable: true, description: "The worksheet imported (xlsx)." }),
    headerLine: t.exposeInt("headerLine", {
      nullable: true,
      description: "The line of the header row (title and note rows above it are skipped).",
    }),
    columns: t.field({
      type: [ImportColumnRef],
      description: "Each column of the header row and the field it was read as.",
      resolve: (p) => p.columns,
    }),
    rows: t.exposeInt("rows", { description: "Data rows in the file, blank rows not counted." }),
    created: t.exposeInt("created", { description: "Rows that created a merchant and their membership (CREATED)." }),
    matched: t.exposeInt("matched", {
      description: "Existing merchants you may know of, proposed a membership (they become members on accepting).",
    }),
    proposed: t.exposeInt("proposed", {
      description: "Rows matching someone hidden from you: they are asked to join; who they are is not shown.",
    }),
    updated: t.exposeInt("updated", { description: "Memberships here whose level or dates the rows changed." }),
    unchanged: t.exposeInt("unchanged", { description: "Rows matching a membership here that they leave as it is." }),
    failed: t.exposeInt("failed", { description: "Rows not imported; each has at least one userError." }),
    userErrors: t.field({
      type: [UserErrorRef],
      description:
        'A bad row\'s error has field ["csv", "<line number>", "<column header>"]. Rows without errors were imported.',
      resolve: (p) => p.userErrors,
    }),
    warnings: t.field({
      type: [UserErrorRef],
      description: "Not fatal, e.g. unknown columns (ignored).",
      resolve: (p) => p.warnings,
    }),
    lines: t.field({ type: [ImportLineRef], description: "Every data row, in file order.", resolve: (p) => p.lines }),
  }),
  "Counts of what the import did (or, for a dry run, would do) and one userError per bad cell.",
);

/**
 * A file's rows and cells keep the contract's path ["csv", "<line>", "<column header>"] (an .xlsx file's
 * too); whole-file problems and the chamber are input fields like any other.
 */
const importField: FieldPathMap = (field) => (field[0] === "csv" && field.length > 1 ? field : underInput(field));

const mapFields = (entries: UserErrorEntry[]) => entries.map((e) => ({ ...e, field: e.field && importField(e.field) }));

const emptyPayload = (dryRun: boolean): Omit<ImportPayload, "userErrors"> => ({
  dryRun,
  format: null,
  encoding: null,
  sheet: null,
  headerLine: null,
  columns: [],
  rows: 0,
  created: 0,
  matched: 0,
  proposed: 0,
  updated: 0,
  unchanged: 0,
  failed: 0,
  warnings: [],
  lines: [],
});

const MemberExportFormatEnum = builder.enumType("MemberExportFormat", {
  description: "The file format of a member export.",
  values: {
    CSV: { description: "UTF-8 CSV with a BOM, so Excel reads the Chinese correctly." },
    XLSX: { description: "An Excel .xlsx workbook, base64-encoded in `content`." },
  } as const,
});

const ExportMembersInput = builder.inputType("ExportMembersInput", {
  description: "Which of a chamber's members to export, in which order and format.",
  fields: (t) => ({
    chamberId: t.globalID({ for: ChamberRef, required: true, description: "The secretary's chamber." }),
    filter: t.field({ type: MemberFilter, description: "Which memberships (as Chamber.members); all when absent." }),
    orderBy: t.field({ type: MemberOrder, description: "Row order (as Chamber.members); by name when absent." }),
    format: t.field({ type: MemberExportFormatEnum, defaultValue: "CSV", description: "CSV (default) or XLSX." }),
  }),
});

const MemberExportRef = builder.objectRef<MemberExport>("MemberExport").implement({
  description: "A member list file. The columns are the import's, so the file can be edited and imported again.",
  fields: (t) => ({
    format: t.field({ type: MemberExportFormatEnum, description: "The file's format.", resolve: (e) => e.format }),
    filename: t.exposeString("filename", {
      description: "A file name to save it as: members-<chamber slug>-<date>.csv or .xlsx.",
    }),
    contentType: t.exposeString("contentType", { description: "The file's media type (text/csv or the xlsx type)." }),
    content: t.exposeString("content", {
      description: "CSV text (with a BOM for Excel), or the .xlsx file base64-encoded.",
    }),
    rowCount: t.exposeInt("rowCount", { description: "Data rows in the file (members), the header not counted." }),
  }),
});

builder.mutationFields((t) => ({
  importMembers: t.field({
    type: ImportMembersPayload,
    description: [
      "A secretary imports the chamber's member spreadsheet. Valid rows go in together, in one transaction; each bad",
      'cell is a userError with field ["csv", line, column header]. A row needs a name and at least one of mobile,',
      "email or credit code. People already in the directory are matched (credit code, then mobile, then email; keys",
      "pointing at two different people are an error) and their profile is left as it is; someone not yet in this",
      "chamber is asked to join (MATCHED, or PROPOSED without saying who when you cannot see the value that matched)",
      "and becomes a member on accepting. A matched merchant already in this chamber is UNCHANGED, or UPDATED when",
      "a filled-in level, joining or expiry date differs (empty",
      "cells change nothing; the status never changes by import). Importing the same file again changes nothing.",
    ].join(" "),
    args: {
      input: t.arg({
        type: ImportMembersInput,
        required: true,
        description: "The request; each field is described on its type.",
      }),
    },
    resolve: async (_root, { input }, ctx) => {
      const { errors, warnings, userErrors, ...result } = await withUserErrors(
        async () =>
          importMembers(ctx, {
            chamberId: input.chamberId.id,
            // the upload's bytes: its size was bounded by the request body limit before it was read
            file: input.file ? new Uint8Array(await input.file.arrayBuffer()) : null,
            csv: input.csv,
            xlsx: input.xlsx,
            dryRun: input.dryRun,
          }),
        importField,
      );
      // A file that was read reports its rows' errors beside the counts; one that was refused, only why.
      return {
        ...emptyPayload(input.dryRun ?? false),
        ...result,
        userErrors: errors ? mapFields(errors) : userErrors,
        warnings: mapFields(warnings ?? []),
      };
    },
  }),
}));

builder.queryFields((t) => ({
  exportMembers: t.field({
    type: MemberExportRef,
    nullable: true,
    description:
      "The chamber's secretaries export its member list (same filters and orders as Chamber.members). Audited. Null " +
      "for a chamber the viewer does not keep.",
    args: {
      input: t.arg({
        type: ExportMembersInput,
        required: true,
        description: "The request; each field is described on its type.",
      }),
    },
    resolve: async (_root, { input }, ctx) => {
      try {
        return await exportMembers(ctx, {
          chamberId: input.chamberId.id,
          filter: toCoreFilter(input.filter),
          orderBy: toCoreOrder(input.orderBy),
          format: input.format ?? "CSV",
        });
      } catch (error) {
        if (error instanceof UserInputError && error.errors.every((e) => e.code === "NOT_FOUND")) return null;
        throw error;
      }
    },
  }),
}));
