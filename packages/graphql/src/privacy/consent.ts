// Consent before listing (PIPL Arts. 13-17) and erasure (Arts. 46-47) as GraphQL: the versioned privacy notice in
// both languages, the merchant's agreement and its withdrawal, and erasing one's personal data.
import {
  agreeToPrivacyNotice,
  currentPrivacyNotice,
  eraseMyPersonalData,
  myPrivacyConsent,
  type PrivacyConsentState,
  privacyNoticesByVersions,
  publishPrivacyNotice,
  type UserErrorEntry,
  withdrawPrivacyConsent,
} from "@wz/core";
import type { PrivacyNoticeRow } from "@wz/db";
import { builder } from "../builder";
import { objectPayloadType, payloadType, withUserErrors } from "../common/user-errors";
import { LocaleEnum } from "../viewer/viewer";

/** Notices may be long; the usual 2,000-character limit on strings is raised for their texts. */
const NOTICE_MAX_CHARACTERS = 20_000;

export const PrivacyNoticeRef = builder.loadableNode("PrivacyNotice", {
  description:
    "One version of the privacy notice (个人信息保护告知书): what is held about merchants, why, who sees it and " +
    "their rights. The highest version is current; a merchant is listed in the federation directory only while " +
    "they have agreed to it. Public.",
  id: { resolve: (n: PrivacyNoticeRow) => String(n.version) },
  load: (ids: string[], ctx) => privacyNoticesByVersions(ctx.db, ids.map(Number)),
  fields: (t) => ({
    version: t.exposeInt("version", { description: "The version number: 1, 2, …; agree to it by this number." }),
    text: t.string({
      description: "The notice's text, in the language asked for (else the reader's: Accept-Language).",
      args: { locale: t.arg({ type: LocaleEnum, description: "zh-CN or en; the reader's language when absent." }) },
      resolve: (n, args, ctx) => ((args.locale ?? ctx.locale) === "en" ? n.textEn : n.textZhCn),
    }),
    publishedAt: t.expose("publishedAt", { type: "DateTime", description: "When this version took effect." }),
  }),
});

const PrivacyConsentRef = builder.objectRef<PrivacyConsentState>("PrivacyConsent").implement({
  description: "The signed-in merchant's agreement to the privacy notice, and whether they are listed.",
  fields: (t) => ({
    listed: t.exposeBoolean("listed", {
      description:
        "Found in the federation directory by members of other chambers. False until they agree to the current " +
        "notice, after withdrawing, and when a new notice version awaits their agreement; their own chambers' " +
        "secretaries and members find them either way.",
    }),
    agreedVersion: t.exposeInt("agreedVersion", {
      nullable: true,
      description: "The notice version last agreed to; null before any agreement and after withdrawing.",
    }),
    agreedAt: t.expose("agreedAt", {
      type: "DateTime",
      nullable: true,
      description: "When that agreement was given.",
    }),
    needsAgreement: t.boolean({
      description: "Whether the current notice awaits their agreement (never agreed, withdrawn, or a newer version).",
      resolve: (c) => c.agreedVersion !== c.currentVersion,
    }),
  }),
});

builder.queryFields((t) => ({
  privacyNotice: t.field({
    type: PrivacyNoticeRef,
    description: "The current privacy notice, for anyone (signed in or not).",
    resolve: (_root, _args, ctx) => currentPrivacyNotice(ctx.db),
  }),
  myPrivacyConsent: t.field({
    type: PrivacyConsentRef,
    nullable: true,
    description: "The signed-in merchant's consent; null when not signed in or the account has no merchant profile.",
    resolve: (_root, _args, ctx) => myPrivacyConsent(ctx),
  }),
}));

const PrivacyConsentPayload = objectPayloadType(
  "PrivacyConsentPayload",
  "consent",
  PrivacyConsentRef,
  "The result of agreeToPrivacyNotice or withdrawPrivacyConsent: the consent as it now stands, or userErrors.",
);
const PrivacyNoticePayload = objectPayloadType(
  "PrivacyNoticePayload",
  "notice",
  PrivacyNoticeRef,
  "The result of publishPrivacyNotice: the new current notice, or userErrors.",
);
const ErasePersonalDataPayload = payloadType<{ erased?: boolean; userErrors: UserErrorEntry[] }>(
  "ErasePersonalDataPayload",
  (t) => ({
    erased: t.boolean({
      description: "True once the personal data is erased (the session used is ended too); false with userErrors.",
      resolve: (p) => p.erased ?? false,
    }),
  }),
  "The result of eraseMyPersonalData.",
);

builder.mutationFields((t) => ({
  agreeToPrivacyNotice: t.field({
    type: PrivacyConsentPayload,
    description:
      "The signed-in merchant agrees to the privacy notice version they read; the agreement is recorded with its " +
      "version and time, and they are listed in the federation directory. userErrors: CONFLICT (`version` is not " +
      "the current notice: read it again), NOT_FOUND (the account has no merchant profile).",
    args: {
      input: t.arg({
        type: builder.inputType("AgreeToPrivacyNoticeInput", {
          description: "The notice version read.",
          fields: (f) => ({
            version: f.int({ required: true, description: "PrivacyNotice.version of the notice read." }),
          }),
        }),
        required: true,
        description: "The request; each field is described on its type.",
      }),
    },
    resolve: (_root, { input }, ctx) =>
      withUserErrors(async () => ({ consent: await agreeToPrivacyNotice(ctx, { version: input.version }) })),
  }),
  withdrawPrivacyConsent: t.field({
    type: PrivacyConsentPayload,
    description:
      "The signed-in merchant withdraws their consent: at once they are found only inside their own chambers " +
      "(their secretaries and members); memberships are unchanged. userErrors: INVALID (nothing agreed to), " +
      "NOT_FOUND (no merchant profile).",
    resolve: (_root, _args, ctx) => withUserErrors(async () => ({ consent: await withdrawPrivacyConsent(ctx) })),
  }),
  publishPrivacyNotice: t.field({
    type: PrivacyNoticePayload,
    description:
      "Federation staff publish a new version of the privacy notice. It is current at once, and every merchant " +
      "leaves the federation directory until they agree to it. userErrors: INVALID (a text missing).",
    args: {
      input: t.arg({
        type: builder.inputType("PublishPrivacyNoticeInput", {
          description: "The new notice's text in both languages.",
          fields: (f) => ({
            textZhCn: f.string({
              required: true,
              description: "The notice in simplified Chinese.",
              extensions: { maxLength: NOTICE_MAX_CHARACTERS },
            }),
            textEn: f.string({
              required: true,
              description: "The notice in English.",
              extensions: { maxLength: NOTICE_MAX_CHARACTERS },
            }),
          }),
        }),
        required: true,
        description: "The request; each field is described on its type.",
      }),
    },
    resolve: (_root, { input }, ctx) =>
      withUserErrors(async () => ({ notice: await publishPrivacyNotice(ctx, input) })),
  }),
  eraseMyPersonalData: t.field({
    type: ErasePersonalDataPayload,
    description:
      "The signed-in merchant erases their personal data (删除个人信息, PIPL Art. 47), re-entering their " +
      "password. Profile fields, companies, contact values and search entries are removed; memberships end (LEFT, " +
      'reason "erased"); their leads and answers stay for the other party, shown as a deleted user; the account ' +
      "is anonymised and disabled, every session ended, invitations to it invalidated; figures are unchanged. " +
      "Nobody can undo it. userErrors: INVALID (`password` wrong), NOT_FOUND (no merchant profile).",
    args: {
      input: t.arg({
        type: builder.inputType("EraseMyPersonalDataInput", {
          description: "The account's password, asked again because erasure cannot be undone.",
          fields: (f) => ({ password: f.string({ required: true, description: "The account's password." }) }),
        }),
        required: true,
        description: "The request; each field is described on its type.",
      }),
    },
    resolve: (_root, { input }, ctx) =>
      withUserErrors(async () => {
        await eraseMyPersonalData(ctx, { password: input.password });
        return { erased: true };
      }),
  }),
}));
