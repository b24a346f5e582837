// Delegations home (组团回乡投资考察) and the hundred leading geese (百名领头雁): who organised a delegation, who
// took part, where it went, whom in the city it met and what came of it; which city leader is linked to each goose
// (挂钩联系) and every contact they logged. The 100-goose cap is kept by the database itself (migration 0015).
import { sql } from "drizzle-orm";
import { check, date, index, pgTable, primaryKey, text, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { chamberTable } from "./chambers";
import { createdAt, id, money, updatedAt } from "./columns";
import { merchantTable } from "./directory";
import { delegationOutcomeEnum, delegationStatusEnum, gooseContactKindEnum } from "./enums";
import { userTable } from "./identity";
import { investmentProjectTable } from "./return-investment";

export const delegationTable = pgTable(
  "delegation",
  {
    id: id(),
    title: text("title").notNull(),
    status: delegationStatusEnum("status").notNull().default("PLANNED"),
    startsOn: date("starts_on", { mode: "string" }).notNull(),
    endsOn: date("ends_on", { mode: "string" }).notNull(),
    notes: text("notes"),
    /** Why it was cancelled (once CANCELLED). */
    cancelReason: text("cancel_reason"),
    createdByUserId: uuid("created_by_user_id").references(() => userTable.id),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index("delegation_starts_idx").on(t.startsOn, t.id),
    check("delegation_dates", sql`ends_on >= starts_on`),
    check("delegation_cancelled", sql`status <> 'CANCELLED' or cancel_reason is not null`),
  ],
);

/** The chambers (or overseas associations) organising a delegation together. */
export const delegationChamberTable = pgTable(
  "delegation_chamber",
  {
    delegationId: uuid("delegation_id")
      .notNull()
      .references(() => delegationTable.id),
    chamberId: uuid("chamber_id")
      .notNull()
      .references(() => chamberTable.id),
  },
  (t) => [
    primaryKey({ columns: [t.delegationId, t.chamberId] }),
    index("delegation_chamber_chamber_idx").on(t.chamberId),
  ],
);

/** A merchant taking part, through the organising chamber they are an active member of. */
export const delegationParticipantTable = pgTable(
  "delegation_participant",
  {
    delegationId: uuid("delegation_id")
      .notNull()
      .references(() => delegationTable.id),
    merchantId: uuid("merchant_id")
      .notNull()
      .references(() => merchantTable.id),
    chamberId: uuid("chamber_id")
      .notNull()
      .references(() => chamberTable.id),
  },
  (t) => [
    primaryKey({ columns: [t.delegationId, t.merchantId] }),
    index("delegation_participant_merchant_idx").on(t.merchantId),
  ],
);

/** A place (and company) visited, in order. */
export const delegationVisitTable = pgTable(
  "delegation_visit",
  {
    id: id(),
    delegationId: uuid("delegation_id")
      .notNull()
      .references(() => delegationTable.id),
    place: text("place").notNull(),
    company: text("company"),
    visitedOn: date("visited_on", { mode: "string" }),
  },
  (t) => [index("delegation_visit_delegation_idx").on(t.delegationId)],
);

/** The city's contacts for the delegation: CITY_STAFF accounts. */
export const delegationContactTable = pgTable(
  "delegation_contact",
  {
    delegationId: uuid("delegation_id")
      .notNull()
      .references(() => delegationTable.id),
    userId: uuid("user_id")
      .notNull()
      .references(() => userTable.id),
  },
  (t) => [primaryKey({ columns: [t.delegationId, t.userId] })],
);

/**
 * A project moved on by a delegation. A project is SIGNED on at most one delegation, ever (the first signing
 * event is the one credited): the partial unique index says so whatever the application does.
 */
export const delegationProjectTable = pgTable(
  "delegation_project",
  {
    delegationId: uuid("delegation_id")
      .notNull()
      .references(() => delegationTable.id),
    projectId: uuid("project_id")
      .notNull()
      .references(() => investmentProjectTable.id),
    outcome: delegationOutcomeEnum("outcome").notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.delegationId, t.projectId] }),
    uniqueIndex("delegation_project_signed_once").on(t.projectId).where(sql`outcome = 'SIGNED'`),
  ],
);

/** A framework agreement (框架协议) signed on a delegation, with its pledged sum. */
export const delegationAgreementTable = pgTable(
  "delegation_agreement",
  {
    id: id(),
    delegationId: uuid("delegation_id")
      .notNull()
      .references(() => delegationTable.id),
    title: text("title").notNull(),
    pledged: money("pledged").notNull(),
    signedOn: date("signed_on", { mode: "string" }).notNull(),
  },
  (t) => [
    index("delegation_agreement_delegation_idx").on(t.delegationId),
    check("delegation_agreement_pledged", sql`pledged >= 0`),
  ],
);

/** Each leading goose's one city leader (挂钩联系): the primary key keeps it to one. */
export const gooseLiaisonTable = pgTable(
  "goose_liaison",
  {
    merchantId: uuid("merchant_id")
      .primaryKey()
      .references(() => merchantTable.id),
    leaderUserId: uuid("leader_user_id")
      .notNull()
      .references(() => userTable.id),
    since: date("since", { mode: "string" }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [index("goose_liaison_leader_idx").on(t.leaderUserId)],
);

/** A contact between a city leader and a goose; the notes are for city staff only. */
export const gooseContactTable = pgTable(
  "goose_contact",
  {
    id: id(),
    merchantId: uuid("merchant_id")
      .notNull()
      .references(() => merchantTable.id),
    leaderUserId: uuid("leader_user_id")
      .notNull()
      .references(() => userTable.id),
    kind: gooseContactKindEnum("kind").notNull(),
    on: date("on", { mode: "string" }).notNull(),
    notes: text("notes"),
    /** Projects discussed. */
    projectIds: uuid("project_ids").array().notNull().default(sql`'{}'::uuid[]`),
    recordedByUserId: uuid("recorded_by_user_id").references(() => userTable.id),
    createdAt: createdAt(),
  },
  (t) => [index("goose_contact_merchant_idx").on(t.merchantId, t.on)],
);

export type DelegationRow = typeof delegationTable.$inferSelect;
export type DelegationVisitRow = typeof delegationVisitTable.$inferSelect;
export type DelegationAgreementRow = typeof delegationAgreementTable.$inferSelect;
export type GooseContactRow = typeof gooseContactTable.$inferSelect;
export type GooseLiaisonRow = typeof gooseLiaisonTable.$inferSelect;
