// Who looked at a merchant's contact fields (PIPL Art. 44): one row per viewer, merchant and operation.
import { bigint, bigserial, index, pgEnum, pgTable, timestamp, uuid } from "drizzle-orm/pg-core";
import { chamberTable } from "./chambers";
import { merchantTable } from "./directory";
import { userTable } from "./identity";

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
