// The audit trail: who changed what, when, with the state before and after.
import { bigserial, index, jsonb, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { userTable } from "./identity";

export const auditLogTable = pgTable(
  "audit_log",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    /** The chamber the change belongs to; null for federation-wide records. */
    chamberId: uuid("chamber_id"),
    actorUserId: uuid("actor_user_id").references(() => userTable.id),
    action: text("action").notNull(),
    entityType: text("entity_type").notNull(),
    entityId: text("entity_id").notNull(),
    before: jsonb("before"),
    after: jsonb("after"),
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("audit_log_chamber_idx").on(t.chamberId, t.id),
    index("audit_log_entity_idx").on(t.entityType, t.entityId),
    // the retention purge finds old entries by this
    index("audit_log_at_idx").on(t.at),
  ],
);

export type AuditRow = typeof auditLogTable.$inferSelect;
