// Leads (商机) shared across chambers, the answers to them, and the ordered event log that lets a
// subscriber who reconnects catch up on exactly what it missed.
import { sql } from "drizzle-orm";
import {
  bigserial,
  check,
  date,
  foreignKey,
  index,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uuid,
} from "drizzle-orm/pg-core";
import { chamberTable, provinceTable } from "./chambers";
import { createdAt, money, tenantRowId, updatedAt } from "./columns";
import { merchantTable } from "./directory";
import { leadEventKindEnum, leadKindEnum, leadResponseKindEnum, leadStatusEnum, leadVisibilityEnum } from "./enums";
import { userTable } from "./identity";

export const leadTable = pgTable(
  "lead",
  {
    chamberId: uuid("chamber_id")
      .notNull()
      .references(() => chamberTable.id),
    id: tenantRowId(),
    postedByMerchantId: uuid("posted_by_merchant_id")
      .notNull()
      .references(() => merchantTable.id),
    postedByUserId: uuid("posted_by_user_id")
      .notNull()
      .references(() => userTable.id),
    kind: leadKindEnum("kind").notNull(),
    title: text("title").notNull(),
    description: text("description").notNull(),
    industry: text("industry"),
    provinceCode: text("province_code").references(() => provinceTable.code),
    district: text("district"),
    amount: money("amount"),
    expiresOn: date("expires_on", { mode: "string" }),
    visibility: leadVisibilityEnum("visibility").notNull(),
    status: leadStatusEnum("status").notNull().default("OPEN"),
    closedValue: money("closed_value"),
    closedAt: timestamp("closed_at", { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.chamberId, t.id] }),
    index("lead_id_idx").on(t.id),
    index("lead_chamber_created_idx").on(t.chamberId, t.createdAt),
    index("lead_visibility_created_idx").on(t.visibility, t.createdAt),
    index("lead_poster_idx").on(t.postedByMerchantId),
    // the lead list (newest first: this index read backwards): a page walks it and stops, instead of sorting every
    // visible lead
    index("lead_created_idx").on(t.createdAt, t.id),
    check("lead_amount_non_negative", sql`amount is null or amount >= 0`),
    check("lead_closed_value_when_won", sql`status <> 'CLOSED_WON' or closed_value is not null`),
  ],
);

/** For SELECTED_CHAMBERS leads: the chambers (besides the poster's) that may see the lead. */
export const leadAudienceTable = pgTable(
  "lead_audience",
  {
    leadChamberId: uuid("lead_chamber_id").notNull(),
    leadId: uuid("lead_id").notNull(),
    chamberId: uuid("chamber_id")
      .notNull()
      .references(() => chamberTable.id),
  },
  (t) => [
    primaryKey({ columns: [t.leadChamberId, t.leadId, t.chamberId] }),
    foreignKey({ columns: [t.leadChamberId, t.leadId], foreignColumns: [leadTable.chamberId, leadTable.id] }),
    index("lead_audience_chamber_idx").on(t.chamberId),
  ],
);

export const leadResponseTable = pgTable(
  "lead_response",
  {
    /** The lead's chamber: responses live with the lead they answer. */
    chamberId: uuid("chamber_id").notNull(),
    id: tenantRowId(),
    leadId: uuid("lead_id").notNull(),
    kind: leadResponseKindEnum("kind").notNull(),
    message: text("message").notNull(),
    responderMerchantId: uuid("responder_merchant_id")
      .notNull()
      .references(() => merchantTable.id),
    responderUserId: uuid("responder_user_id")
      .notNull()
      .references(() => userTable.id),
    /** The chamber the responder answered from; referral credit for closed value goes to it. */
    responderChamberId: uuid("responder_chamber_id").references(() => chamberTable.id),
    referredMerchantId: uuid("referred_merchant_id").references(() => merchantTable.id),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.chamberId, t.id] }),
    foreignKey({ columns: [t.chamberId, t.leadId], foreignColumns: [leadTable.chamberId, leadTable.id] }),
    index("lead_response_lead_idx").on(t.chamberId, t.leadId),
    index("lead_response_responder_idx").on(t.responderMerchantId),
    // "the leads I answered or was referred to" (the visibility rule) reads both merchant columns
    index("lead_response_referred_idx").on(t.referredMerchantId),
    check("lead_response_referral_names_merchant", sql`kind <> 'REFERRAL' or referred_merchant_id is not null`),
  ],
);

/** Every lead event, in commit order; `seq` is the cursor a reconnecting subscriber resumes from. */
export const leadEventTable = pgTable(
  "lead_event",
  {
    seq: bigserial("seq", { mode: "number" }).primaryKey(),
    chamberId: uuid("chamber_id").notNull(),
    leadId: uuid("lead_id").notNull(),
    kind: leadEventKindEnum("kind").notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    foreignKey({ columns: [t.chamberId, t.leadId], foreignColumns: [leadTable.chamberId, leadTable.id] }),
    index("lead_event_lead_idx").on(t.chamberId, t.leadId),
  ],
);

export type LeadRow = typeof leadTable.$inferSelect;
export type LeadAudienceRow = typeof leadAudienceTable.$inferSelect;
export type LeadResponseRow = typeof leadResponseTable.$inferSelect;
export type LeadEventRow = typeof leadEventTable.$inferSelect;
