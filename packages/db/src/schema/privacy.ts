// Merchants' personal information under PIPL: the versioned privacy notice and each merchant's agreements to it
// and withdrawals (a profile is listed in the federation directory, outside its own chambers, only while its
// merchant has agreed to the current notice: `merchant.listed`), and who looked at a merchant's contact fields
// (Art. 44): one row per viewer, merchant and operation.
import { sql } from "drizzle-orm";
import { bigint, bigserial, check, index, integer, pgEnum, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { chamberTable } from "./chambers";
import { createdAt, id } from "./columns";
import { merchantTable } from "./directory";
import { userTable } from "./identity";

/** One version of the privacy notice (个人信息保护告知书), in both languages; the highest version is current. */
export const privacyNoticeTable = pgTable("privacy_notice", {
  version: integer("version").primaryKey(),
  textZhCn: text("text_zh_cn").notNull(),
  textEn: text("text_en").notNull(),
  publishedAt: timestamp("published_at", { withTimezone: true }).notNull().defaultNow(),
  publishedBy: uuid("published_by").references(() => userTable.id),
});

export const privacyConsentActions = ["AGREED", "WITHDRAWN"] as const;
export type PrivacyConsentAction = (typeof privacyConsentActions)[number];

/** Each agreement to a notice version and each withdrawal, with its time: the record PIPL Art. 14 asks for. */
export const privacyConsentTable = pgTable(
  "privacy_consent",
  {
    id: id(),
    merchantId: uuid("merchant_id")
      .notNull()
      .references(() => merchantTable.id),
    action: text("action").$type<PrivacyConsentAction>().notNull(),
    /** The notice version agreed to (for a withdrawal: the version that was current). */
    noticeVersion: integer("notice_version")
      .notNull()
      .references(() => privacyNoticeTable.version),
    at: createdAt(),
  },
  (t) => [
    check("privacy_consent_action", sql`action in ('AGREED', 'WITHDRAWN')`),
    index("privacy_consent_merchant_idx").on(t.merchantId, t.at),
  ],
);

export type PrivacyNoticeRow = typeof privacyNoticeTable.$inferSelect;
export type PrivacyConsentRow = typeof privacyConsentTable.$inferSelect;

export const contactFieldEnum = pgEnum("contact_field", ["MOBILE", "LANDLINE", "EMAIL", "WECHAT"]);
/** How the values reached the viewer: an answer to a query or mutation, a member export, a subscription event. */
export const accessChannelEnum = pgEnum("access_channel", ["QUERY", "EXPORT", "SUBSCRIPTION"]);
/** Why the visibility rule let the viewer see them (the rule's own decision, kept with the entry). */
export const accessBasisEnum = pgEnum("access_basis", ["SECRETARIAT", "CHAMBER", "FEDERATION"]);

export const contactAccessTable = pgTable(
  "contact_access",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    /** Whose contact fields were shown. */
    merchantId: uuid("merchant_id")
      .notNull()
      .references(() => merchantTable.id, { onDelete: "cascade" }),
    /** Who saw them. */
    viewerUserId: uuid("viewer_user_id")
      .notNull()
      .references(() => userTable.id, { onDelete: "cascade" }),
    fields: contactFieldEnum("fields").array().notNull(),
    channel: accessChannelEnum("channel").notNull(),
    basis: accessBasisEnum("basis").notNull(),
    /** The chamber through which the rule granted it (SECRETARIAT, CHAMBER); null for FEDERATION. */
    basisChamberId: uuid("basis_chamber_id").references(() => chamberTable.id),
    /** An export's audit entry (audit_log.id); no foreign key: the audit trail is kept longer and purged apart. */
    exportAuditId: bigint("export_audit_id", { mode: "number" }),
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("contact_access_merchant_idx").on(t.merchantId, t.id),
    index("contact_access_at_idx").on(t.at),
    index("contact_access_viewer_idx").on(t.viewerUserId),
  ],
);

export type ContactAccessRow = typeof contactAccessTable.$inferSelect;
export type ContactField = (typeof contactFieldEnum.enumValues)[number];
export type AccessChannel = (typeof accessChannelEnum.enumValues)[number];
export type AccessBasis = (typeof accessBasisEnum.enumValues)[number];
