// The forming of the 31 provincial chambers: one record per province, its step history, its plan, and
// the checklist behind approval (per chamber, forming or live).
import { bigserial, date, index, pgTable, primaryKey, text, uuid } from "drizzle-orm/pg-core";
import { chamberTable, provinceTable } from "./chambers";
import { createdAt, updatedAt } from "./columns";
import { formationStatusEnum } from "./enums";
import { userTable } from "./identity";

export const formationTable = pgTable("formation", {
  provinceCode: text("province_code")
    .primaryKey()
    .references(() => provinceTable.code),
  status: formationStatusEnum("status").notNull().default("NOT_STARTED"),
  reachedOn: date("reached_on", { mode: "string" }),
  chamberId: uuid("chamber_id").references(() => chamberTable.id),
  responsibleUserId: uuid("responsible_user_id").references(() => userTable.id),
  updatedAt: updatedAt(),
});

export const formationStepTable = pgTable(
  "formation_step",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    provinceCode: text("province_code")
      .notNull()
      .references(() => provinceTable.code),
    fromStatus: formationStatusEnum("from_status").notNull(),
    toStatus: formationStatusEnum("to_status").notNull(),
    reachedOn: date("reached_on", { mode: "string" }).notNull(),
    note: text("note"),
    /** Required when the step goes back. */
    reason: text("reason"),
    recordedBy: uuid("recorded_by").references(() => userTable.id),
    createdAt: createdAt(),
  },
  (t) => [index("formation_step_province_idx").on(t.provinceCode, t.id)],
);

export const formationPlanTable = pgTable(
  "formation_plan",
  {
    provinceCode: text("province_code")
      .notNull()
      .references(() => provinceTable.code),
    status: formationStatusEnum("status").notNull(),
    targetOn: date("target_on", { mode: "string" }).notNull(),
    updatedAt: updatedAt(),
  },
  (t) => [primaryKey({ columns: [t.provinceCode, t.status] })],
);

export const checklistItemTable = pgTable(
  "checklist_item",
  {
    chamberId: uuid("chamber_id")
      .notNull()
      .references(() => chamberTable.id),
    /** A key from the checklist catalogue in core (e.g. MEMBER_FIRMS, PREMISES, CHARTER). */
    item: text("item").notNull(),
    doneOn: date("done_on", { mode: "string" }),
    note: text("note"),
    value: text("value"),
    checkedBy: uuid("checked_by").references(() => userTable.id),
    updatedAt: updatedAt(),
  },
  (t) => [primaryKey({ columns: [t.chamberId, t.item] })],
);

export type FormationRow = typeof formationTable.$inferSelect;
export type FormationStepRow = typeof formationStepTable.$inferSelect;
export type FormationPlanRow = typeof formationPlanTable.$inferSelect;
export type ChecklistItemRow = typeof checklistItemTable.$inferSelect;
