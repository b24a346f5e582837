// Bringing a chamber's spreadsheet in (importMembers) and taking its member list out (exportMembers).
import {
  exportMembers,
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
    csv: t.string({
      required: true,
      extensions: { maxLength: MAX_FILE_CHARACTERS, file: true },
      description:
        "UTF-8 CSV (a BOM is fine). First line: column headers in Chinese or English " +
        "(姓名/name, 手机/mobile, 邮箱/email, 籍贯/hometown, 公司/company, " +
        "统一社会信用代码/creditCode, 职务/level, 入会日期/joinedOn, …).",
    }),
    xlsx: t.string({
      extensions: { maxLength: MAX_FILE_CHARACTERS, file: true },
      description:
        'Instead of csv (then give csv as ""): an .xlsx workbook, base64-encoded; its first worksheet is read.',
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

type ImportPayload = Omit<ImportMembersResult, "errors"> & { userErrors: UserErrorEntry[] };

const ImportMembersPayload = payloadType<ImportPayload>(
  "ImportMembersPayload",
  (t) => ({
    dryRun: t.exposeBoolean("dryRun", { description: "True when nothing was written (a dry run)." }),
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
        () =>
          importMembers(ctx, { chamberId: input.chamberId.id, csv: input.csv, xlsx: input.xlsx, dryRun: input.dryRun }),
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
