// Merchants' personal information under PIPL: the versioned privacy notice and each merchant's agreements to it
// and withdrawals. A profile is listed in the federation directory (outside its own chambers) only while its
// merchant has agreed to the current notice (`merchant.listed`).
import { sql } from "drizzle-orm";
import { check, index, integer, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
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
