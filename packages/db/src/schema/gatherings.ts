// The chambers' gatherings (年会, 联谊会, 恳谈会, 茶话会, 联席会议) with their invitations, answers and attendance, and the
// yearly recognition of returning merchants (温商回归功勋人物): chambers nominate, city staff decide.
import { sql } from "drizzle-orm";
import {
  boolean,
  check,
  date,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { chamberTable } from "./chambers";
import { createdAt, id, updatedAt } from "./columns";
import { merchantTable } from "./directory";
import { gatheringKindEnum, gatheringRsvpEnum, gatheringStatusEnum, recognitionStatusEnum } from "./enums";
import { userTable } from "./identity";

/** A gathering of one chamber, or of the federation (its chamber is the FEDERATION one). */
export const gatheringTable = pgTable(
  "gathering",
  {
    id: id(),
    chamberId: uuid("chamber_id")
      .notNull()
      .references(() => chamberTable.id),
    kind: gatheringKindEnum("kind").notNull(),
    title: text("title").notNull(),
    heldOn: date("held_on", { mode: "string" }).notNull(),
    place: text("place"),
    status: gatheringStatusEnum("status").notNull().default("PLANNED"),
    cancelReason: text("cancel_reason"),
    createdByUserId: uuid("created_by_user_id").references(() => userTable.id),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index("gathering_chamber_idx").on(t.chamberId, t.heldOn),
    index("gathering_held_idx").on(t.heldOn, t.id),
    check("gathering_cancelled", sql`status <> 'CANCELLED' or cancel_reason is not null`),
  ],
);

/** One member invited, through the inviting chamber they are an active member of; their answer and attendance. */
export const gatheringInvitationTable = pgTable(
  "gathering_invitation",
  {
    gatheringId: uuid("gathering_id")
      .notNull()
      .references(() => gatheringTable.id),
    merchantId: uuid("merchant_id")
      .notNull()
      .references(() => merchantTable.id),
    chamberId: uuid("chamber_id")
      .notNull()
      .references(() => chamberTable.id),
    rsvp: gatheringRsvpEnum("rsvp").notNull().default("PENDING"),
    /** Null until the gathering is held. */
    attended: boolean("attended"),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.gatheringId, t.merchantId] }),
    index("gathering_invitation_merchant_idx").on(t.merchantId),
  ],
);

/** A chamber's nomination of a merchant for the year's recognition, and the city's decision. */
export const recognitionNominationTable = pgTable(
  "recognition_nomination",
  {
    id: id(),
    year: integer("year").notNull(),
    merchantId: uuid("merchant_id")
      .notNull()
      .references(() => merchantTable.id),
    chamberId: uuid("chamber_id")
      .notNull()
      .references(() => chamberTable.id),
    reason: text("reason").notNull(),
    status: recognitionStatusEnum("status").notNull().default("NOMINATED"),
    decisionNote: text("decision_note"),
    decidedByUserId: uuid("decided_by_user_id").references(() => userTable.id),
    decidedAt: timestamp("decided_at", { withTimezone: true }),
    nominatedByUserId: uuid("nominated_by_user_id").references(() => userTable.id),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("recognition_nomination_once").on(t.year, t.merchantId, t.chamberId),
    // a merchant is recognised at most once a year, however many chambers nominate them
    uniqueIndex("recognition_once_a_year").on(t.year, t.merchantId).where(sql`status = 'RECOGNISED'`),
    index("recognition_nomination_year_idx").on(t.year, t.id),
  ],
);

export type GatheringRow = typeof gatheringTable.$inferSelect;
export type GatheringInvitationRow = typeof gatheringInvitationTable.$inferSelect;
export type RecognitionNominationRow = typeof recognitionNominationTable.$inferSelect;
