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

export async function recordAudit(tx: Executor, entry: AuditEntry): Promise<void> {
  await tx.insert(auditLogTable).values({
    actorUserId: entry.actorUserId,
    chamberId: entry.chamberId,
    action: entry.action,
    entityType: entry.entityType,
    entityId: entry.entityId,
    before: entry.before ?? null,
    after: entry.after ?? null,
  });
}
