// Membership of a merchant in a chamber, its dues and the secretariat's private notes. All tenant rows:
// keyed (chamber_id, id) and referenced by (chamber_id, membership_id) so they could be distributed by chamber.
import { sql } from "drizzle-orm";
import {
  boolean,
  check,
  date,
  foreignKey,
  index,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { chamberTable } from "./chambers";
import { createdAt, money, tenantRowId, updatedAt } from "./columns";
import { merchantTable } from "./directory";
import { membershipLevelEnum, membershipStatusEnum } from "./enums";
import { userTable } from "./identity";

export const membershipTable = pgTable(
  "membership",
  {
    chamberId: uuid("chamber_id")
      .notNull()
      .references(() => chamberTable.id),
    id: tenantRowId(),
    merchantId: uuid("merchant_id")
      .notNull()
      .references(() => merchantTable.id),
    level: membershipLevelEnum("level").notNull().default("MEMBER"),
    status: membershipStatusEnum("status").notNull().default("APPLIED"),
    appliedAt: timestamp("applied_at", { withTimezone: true }).notNull().defaultNow(),
    joinedOn: date("joined_on", { mode: "string" }),
    expiresOn: date("expires_on", { mode: "string" }),
    statusReason: text("status_reason"),
    decidedBy: uuid("decided_by").references(() => userTable.id),
    /**
     * When the merchant agreed to this membership: applying themselves, or answering a secretary's proposal.
     * Null while a proposal waits for them; such a membership grants the chamber no view of their contact fields.
     */
    consentedAt: timestamp("consented_at", { withTimezone: true }),
    /** The secretary who proposed the membership on the merchant's behalf (applying or importing for them). */
    proposedBy: uuid("proposed_by").references(() => userTable.id),
    /**
     * An import matched someone by a contact value the secretary could not see: until the merchant agrees, the
     * chamber does not learn who it is (the proposal is theirs to see alone).
     */
    identityWithheld: boolean("identity_withheld").notNull().default(false),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.chamberId, t.id] }),
    check("membership_withheld_only_while_proposed", sql`not identity_withheld or proposed_by is not null`),
    uniqueIndex("membership_chamber_merchant_key").on(t.chamberId, t.merchantId),
    index("membership_id_idx").on(t.id),
    index("membership_merchant_idx").on(t.merchantId),
    index("membership_chamber_status_idx").on(t.chamberId, t.status, t.level),
    index("membership_chamber_expiry_idx").on(t.chamberId, t.expiresOn),
  ],
);

export const duesPaymentTable = pgTable(
  "dues_payment",
  {
    chamberId: uuid("chamber_id").notNull(),
    id: tenantRowId(),
    membershipId: uuid("membership_id").notNull(),
    amount: money("amount").notNull(),
    periodStart: date("period_start", { mode: "string" }).notNull(),
    periodEnd: date("period_end", { mode: "string" }).notNull(),
    method: text("method"),
    receiptNo: text("receipt_no"),
    paidOn: date("paid_on", { mode: "string" }).notNull(),
    recordedBy: uuid("recorded_by").references(() => userTable.id),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.chamberId, t.id] }),
    foreignKey({
      columns: [t.chamberId, t.membershipId],
      foreignColumns: [membershipTable.chamberId, membershipTable.id],
    }),
    uniqueIndex("dues_payment_receipt_key").on(t.chamberId, t.receiptNo).where(sql`receipt_no is not null`),
    index("dues_payment_membership_idx").on(t.chamberId, t.membershipId, t.periodStart),
    check("dues_payment_amount_positive", sql`amount > 0`),
    check("dues_payment_period_ordered", sql`period_end >= period_start`),
  ],
);

/** Annual fee per level, per chamber. */
export const feeScheduleTable = pgTable(
  "fee_schedule",
  {
    chamberId: uuid("chamber_id")
      .notNull()
      .references(() => chamberTable.id),
    level: membershipLevelEnum("level").notNull(),
    annualFee: money("annual_fee").notNull(),
    updatedAt: updatedAt(),
  },
  (t) => [primaryKey({ columns: [t.chamberId, t.level] }), check("fee_schedule_non_negative", sql`annual_fee >= 0`)],
);

/** Private notes on a membership: only that chamber's secretaries ever read them. */
export const membershipNoteTable = pgTable(
  "membership_note",
  {
    chamberId: uuid("chamber_id").notNull(),
    id: tenantRowId(),
    membershipId: uuid("membership_id").notNull(),
    body: text("body").notNull(),
    authorId: uuid("author_id")
      .notNull()
      .references(() => userTable.id),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.chamberId, t.id] }),
    foreignKey({
      columns: [t.chamberId, t.membershipId],
      foreignColumns: [membershipTable.chamberId, membershipTable.id],
    }),
    index("membership_note_membership_idx").on(t.chamberId, t.membershipId),
  ],
);

export type MembershipRow = typeof membershipTable.$inferSelect;
export type DuesPaymentRow = typeof duesPaymentTable.$inferSelect;
export type FeeScheduleRow = typeof feeScheduleTable.$inferSelect;
export type MembershipNoteRow = typeof membershipNoteTable.$inferSelect;
