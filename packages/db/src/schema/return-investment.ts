// Return investment (温商回归): the city's investment projects, their stages, pledges, the chambers credited,
// the capital that arrived, the year's target split by Wenzhou district, and the problems key projects raise.
// Nothing here is edited away: stages, pledge revisions and arrival reversals are appended, never updated.
import { sql } from "drizzle-orm";
import {
  type AnyPgColumn,
  bigserial,
  boolean,
  check,
  date,
  foreignKey,
  index,
  integer,
  numeric,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { chamberTable } from "./chambers";
import { createdAt, id, money, updatedAt } from "./columns";
import { merchantTable } from "./directory";
import {
  capitalCategoryEnum,
  investmentEventKindEnum,
  investmentMerchantRoleEnum,
  investmentPledgeKindEnum,
  investmentProblemKindEnum,
  investmentProblemStatusEnum,
  investmentStageEnum,
} from "./enums";
import { userTable } from "./identity";
import { leadTable } from "./leads";

export const investmentProjectTable = pgTable(
  "investment_project",
  {
    id: id(),
    name: text("name").notNull(),
    companyName: text("company_name"),
    industry: text("industry"),
    /** The Wenzhou district where the project lands. */
    district: text("district").notNull(),
    keyProject: boolean("key_project").notNull().default(false),
    greenChannel: boolean("green_channel").notNull().default(false),
    stage: investmentStageEnum("stage").notNull().default("PROMOTED"),
    stageOn: date("stage_on", { mode: "string" }).notNull(),
    /** The pledge as it stands: the sum of the project's pledge entries, written with each of them. */
    pledged: money("pledged").notNull(),
    /** The INVESTMENT_PROJECT lead the project was turned from, if any. */
    leadChamberId: uuid("lead_chamber_id"),
    leadId: uuid("lead_id"),
    serviceOfficerUserId: uuid("service_officer_user_id").references(() => userTable.id),
    createdByUserId: uuid("created_by_user_id").references(() => userTable.id),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    foreignKey({ columns: [t.leadChamberId, t.leadId], foreignColumns: [leadTable.chamberId, leadTable.id] }),
    uniqueIndex("investment_project_lead_key").on(t.leadChamberId, t.leadId),
    index("investment_project_created_idx").on(t.createdAt, t.id),
    check("investment_project_pledged_non_negative", sql`pledged >= 0`),
  ],
);

/** Every stage a project reached, in order; a step back or a drop carries its reason. */
export const investmentStageChangeTable = pgTable(
  "investment_stage_change",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    projectId: uuid("project_id")
      .notNull()
      .references(() => investmentProjectTable.id),
    fromStage: investmentStageEnum("from_stage"),
    toStage: investmentStageEnum("to_stage").notNull(),
    on: date("on", { mode: "string" }).notNull(),
    reason: text("reason"),
    /** The delegation home (组团回乡考察) the move was made on, if any (migration 0015). */
    delegationId: uuid("delegation_id"),
    actorUserId: uuid("actor_user_id").references(() => userTable.id),
    createdAt: createdAt(),
  },
  (t) => [index("investment_stage_change_project_idx").on(t.projectId, t.id)],
);

/** The pledge's history: the first pledge, capital increases, explicit revisions, a new investor's pledge. */
export const investmentPledgeTable = pgTable(
  "investment_pledge",
  {
    id: id(),
    projectId: uuid("project_id")
      .notNull()
      .references(() => investmentProjectTable.id),
    kind: investmentPledgeKindEnum("kind").notNull(),
    /** The change this entry makes (only an increase counts as new money); `total` is the pledge after it. */
    delta: money("delta").notNull(),
    total: money("total").notNull(),
    on: date("on", { mode: "string" }).notNull(),
    reason: text("reason"),
    actorUserId: uuid("actor_user_id").references(() => userTable.id),
    createdAt: createdAt(),
  },
  (t) => [
    index("investment_pledge_project_idx").on(t.projectId, t.on),
    check("investment_pledge_total_non_negative", sql`total >= 0`),
  ],
);

/**
 * Which chambers a project is credited to, from when to when: the chamber that first signed it, shares only by
 * explicit percentages summing to 100, afresh from the day a new investor takes the project over.
 */
export const investmentCreditTable = pgTable(
  "investment_credit",
  {
    id: id(),
    projectId: uuid("project_id")
      .notNull()
      .references(() => investmentProjectTable.id),
    chamberId: uuid("chamber_id")
      .notNull()
      .references(() => chamberTable.id),
    sharePercent: numeric("share_percent", { precision: 5, scale: 2 }).notNull(),
    /** Null: since the project began. */
    validFrom: date("valid_from", { mode: "string" }),
    /** Null: still in effect; else the first day it no longer applies. */
    validTo: date("valid_to", { mode: "string" }),
    createdAt: createdAt(),
  },
  (t) => [
    index("investment_credit_project_idx").on(t.projectId),
    index("investment_credit_chamber_idx").on(t.chamberId),
    check("investment_credit_share_range", sql`share_percent > 0 and share_percent <= 100`),
  ],
);

/** The merchants who invest in a project, and the one who brought it. */
export const investmentMerchantTable = pgTable(
  "investment_merchant",
  {
    projectId: uuid("project_id")
      .notNull()
      .references(() => investmentProjectTable.id),
    merchantId: uuid("merchant_id")
      .notNull()
      .references(() => merchantTable.id),
    role: investmentMerchantRoleEnum("role").notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.projectId, t.merchantId, t.role] }),
    index("investment_merchant_merchant_idx").on(t.merchantId),
  ],
);

/** Arrived capital (到位资金): dated, by category; corrected only by a reversing entry of the opposite amount. */
export const investmentArrivalTable = pgTable(
  "investment_arrival",
  {
    id: id(),
    projectId: uuid("project_id")
      .notNull()
      .references(() => investmentProjectTable.id),
    arrivedOn: date("arrived_on", { mode: "string" }).notNull(),
    amount: money("amount").notNull(),
    category: capitalCategoryEnum("category").notNull(),
    reversesArrivalId: uuid("reverses_arrival_id").references((): AnyPgColumn => investmentArrivalTable.id),
    note: text("note"),
    actorUserId: uuid("actor_user_id").references(() => userTable.id),
    createdAt: createdAt(),
  },
  (t) => [
    index("investment_arrival_project_idx").on(t.projectId, t.arrivedOn),
    // progress reads a window of arrivals by date: the covering index answers it without visiting the table
    index("investment_arrival_on_idx").on(t.arrivedOn, t.projectId, t.category, t.amount),
    uniqueIndex("investment_arrival_reversal_key").on(t.reversesArrivalId),
    check("investment_arrival_amount_non_zero", sql`amount <> 0`),
    check("investment_arrival_negative_only_reversal", sql`amount > 0 or reverses_arrival_id is not null`),
  ],
);

/**
 * Arrived capital per day, category and district: the sum of that day's arrivals and reversals, written in the
 * same transaction as each of them, so progress reads a few thousand rows a year instead of every arrival.
 */
export const investmentArrivalDayTable = pgTable(
  "investment_arrival_day",
  {
    on: date("on", { mode: "string" }).notNull(),
    category: capitalCategoryEnum("category").notNull(),
    district: text("district").notNull(),
    amount: money("amount").notNull(),
  },
  (t) => [primaryKey({ columns: [t.on, t.category, t.district] })],
);

/**
 * What each chamber is credited with per day under the counting rules: its share of each arrival (largest
 * remainder, so shares sum to the arrival), projects signed (as credit shares), pledges (increases only count
 * the increase). Rewritten for a project in the transaction of every change to its arrivals, stages, pledges or
 * credits; a test compares it with the same figures computed from the raw rows.
 */
export const investmentChamberDayTable = pgTable(
  "investment_chamber_day",
  {
    on: date("on", { mode: "string" }).notNull(),
    chamberId: uuid("chamber_id")
      .notNull()
      .references(() => chamberTable.id),
    arrived: money("arrived").notNull(),
    signed: numeric("signed", { precision: 12, scale: 4 }).notNull(),
    pledged: money("pledged").notNull(),
  },
  (t) => [primaryKey({ columns: [t.on, t.chamberId] })],
);

/** The year's target for arrived capital. */
export const returnInvestmentTargetTable = pgTable("return_investment_target", {
  year: integer("year").primaryKey(),
  amount: money("amount").notNull(),
  setByUserId: uuid("set_by_user_id").references(() => userTable.id),
  updatedAt: updatedAt(),
});

/** The target split by Wenzhou district (分解到部门): the shares sum to the year's target. */
export const returnInvestmentDistrictTargetTable = pgTable(
  "return_investment_district_target",
  {
    year: integer("year")
      .notNull()
      .references(() => returnInvestmentTargetTable.year),
    district: text("district").notNull(),
    amount: money("amount").notNull(),
  },
  (t) => [primaryKey({ columns: [t.year, t.district] })],
);

/** A problem a project raised (land, funds, approvals…), with the department that must clear it by a date. */
export const investmentProblemTable = pgTable(
  "investment_problem",
  {
    id: id(),
    projectId: uuid("project_id")
      .notNull()
      .references(() => investmentProjectTable.id),
    kind: investmentProblemKindEnum("kind").notNull(),
    description: text("description").notNull(),
    department: text("department").notNull(),
    dueOn: date("due_on", { mode: "string" }).notNull(),
    status: investmentProblemStatusEnum("status").notNull().default("OPEN"),
    resolution: text("resolution"),
    resolvedOn: date("resolved_on", { mode: "string" }),
    /** When the overdue sweep announced it (PROBLEM_OVERDUE, once): the mark that makes the sweep idempotent. */
    overdueAnnouncedAt: timestamp("overdue_announced_at", { withTimezone: true }),
    raisedByUserId: uuid("raised_by_user_id").references(() => userTable.id),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index("investment_problem_project_idx").on(t.projectId),
    index("investment_problem_open_due_idx").on(t.status, t.dueOn),
    check("investment_problem_resolved", sql`status <> 'RESOLVED' or resolution is not null`),
  ],
);

/** Every project event, in commit order; `seq` is the cursor a reconnecting subscriber resumes from. */
export const investmentEventTable = pgTable(
  "investment_event",
  {
    seq: bigserial("seq", { mode: "number" }).primaryKey(),
    projectId: uuid("project_id")
      .notNull()
      .references(() => investmentProjectTable.id),
    kind: investmentEventKindEnum("kind").notNull(),
    createdAt: createdAt(),
  },
  (t) => [index("investment_event_project_idx").on(t.projectId)],
);

export type InvestmentEventRow = typeof investmentEventTable.$inferSelect;
export type InvestmentProjectRow = typeof investmentProjectTable.$inferSelect;
export type InvestmentStageChangeRow = typeof investmentStageChangeTable.$inferSelect;
export type InvestmentPledgeRow = typeof investmentPledgeTable.$inferSelect;
export type InvestmentCreditRow = typeof investmentCreditTable.$inferSelect;
export type InvestmentArrivalRow = typeof investmentArrivalTable.$inferSelect;
export type InvestmentProblemRow = typeof investmentProblemTable.$inferSelect;
