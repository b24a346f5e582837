// Writes the audit trail inside the same transaction as the change it records, so neither exists without the other.
import { auditLogTable, type Executor } from "@wz/db";

export interface AuditEntry {
  actorUserId: string | null;
  chamberId: string | null;
  action: string;
  entityType: string;
  entityId: string;
  before?: unknown;
  after?: unknown;
}

/** Returns the entry's number (its `sequence`), for records that refer to it. */
export async function recordAudit(tx: Executor, entry: AuditEntry): Promise<number> {
  const [row] = await tx
    .insert(auditLogTable)
    .values({
      actorUserId: entry.actorUserId,
      chamberId: entry.chamberId,
      action: entry.action,
      entityType: entry.entityType,
      entityId: entry.entityId,
      before: entry.before ?? null,
      after: entry.after ?? null,
    })
    .returning({ id: auditLogTable.id });
  return row!.id;
}
