// The signed-in person's copy of everything held about them (myPersonalData), as JSON or xlsx.
import { myPersonalData, type PersonalDataExport } from "@wz/core";
import { builder } from "../builder";

const PersonalDataFormat = builder.enumType("PersonalDataFormat", {
  description: "The form of a copy of one's personal data.",
  values: {
    JSON: { description: "One JSON document (UTF-8)." },
    XLSX: { description: "An Excel workbook, one sheet per kind of record; `content` is base64." },
  } as const,
});

const PersonalDataExportRef = builder.objectRef<PersonalDataExport>("PersonalDataExport").implement({
  description: "A file to save: what is held about the signed-in person (个人信息副本, PIPL Art. 45).",
  fields: (t) => ({
    filename: t.exposeString("filename", {
      description: "A name to save it under, e.g. personal-data-2026-12-01.json.",
    }),
    contentType: t.exposeString("contentType", { description: "The file's media type." }),
    content: t.exposeString("content", { description: "The file: JSON text, or for XLSX the workbook in base64." }),
  }),
});

builder.queryField("myPersonalData", (t) =>
  t.field({
    type: PersonalDataExportRef,
    nullable: true,
    description:
      "Everything the platform holds about the signed-in person: account and sign-ins, profile, contact fields " +
      "with their visibility, memberships, consents, dues, leads, answers, referrals to them, and the audit " +
      "entries about them (what happened and when). Null when not signed in.",
    args: {
      format: t.arg({ type: PersonalDataFormat, defaultValue: "JSON", description: "JSON (default) or XLSX." }),
    },
    resolve: (_root, { format }, ctx) => (ctx.viewer ? myPersonalData(ctx, format ?? "JSON") : null),
  }),
);
