// Queueing mail: services call these inside the transaction of the change that causes the message, so the
// message exists exactly when the change committed. The worker (mail-worker.ts) sends it afterwards.
import { type Executor, type Locale, locales, mailOutboxTable, merchantTable, userTable } from "@wz/db";
import { and, eq, inArray, isNull, sql } from "drizzle-orm";
import type { EventPublisher } from "../events/domain-events";
import type { MailTemplateKey, MailTemplateParams } from "./templates";

export interface QueuedMail<K extends MailTemplateKey> {
  /** The same key is queued once: a second enqueue of it is a no-op. */
  dedupeKey: string;
  recipient: string;
  locale: Locale;
  template: K;
  params: MailTemplateParams<K>;
  chamberId?: string | null;
}

export function asLocale(value: string | null | undefined): Locale {
  return (locales as readonly string[]).includes(value ?? "") ? (value as Locale) : "zh-CN";
}

/** Writes the message to the outbox in `tx`; false when a message with its dedupe key was already queued. */
export async function enqueueMail<K extends MailTemplateKey>(tx: Executor, mail: QueuedMail<K>): Promise<boolean> {
  const rows = await tx
    .insert(mailOutboxTable)
    .values({
      dedupeKey: mail.dedupeKey,
      recipient: mail.recipient,
      locale: mail.locale,
      template: mail.template,
      params: mail.params as Record<string, string | null>,
      chamberId: mail.chamberId ?? null,
    })
    .onConflictDoNothing({ target: mailOutboxTable.dedupeKey })
    .returning({ id: mailOutboxTable.id });
  return rows.length > 0;
}

/** After the commit: wakes the mail workers (of every process, through the bus) instead of waiting for a poll. */
export function announceMailQueued(ctx: { events: EventPublisher }, queued: boolean): void {
  if (queued) ctx.events.publish({ topic: "mail:queued" });
}

export interface MailRecipient {
  merchantId: string;
  name: string;
  email: string;
  locale: Locale;
  hasAccount: boolean;
}

/**
 * Where mail to these merchants goes: their account's email and language when they have an account (what they
 * sign in with and chose), else the profile's email and language. Merchants with neither email are left out.
 */
export async function merchantRecipients(
  tx: Executor,
  merchantIds: readonly string[],
): Promise<Map<string, MailRecipient>> {
  const found = new Map<string, MailRecipient>();
  if (merchantIds.length === 0) return found;
  const rows = await tx
    .select({
      merchantId: merchantTable.id,
      name: merchantTable.name,
      merchantEmail: merchantTable.email,
      merchantLocale: merchantTable.locale,
      userEmail: userTable.email,
      userLocale: userTable.locale,
    })
    .from(merchantTable)
    .leftJoin(userTable, and(eq(userTable.merchantId, merchantTable.id), isNull(userTable.disabledAt)))
    .where(inArray(merchantTable.id, [...merchantIds]))
    .orderBy(merchantTable.id, sql`${userTable.createdAt} nulls last`);
  for (const row of rows) {
    if (found.has(row.merchantId)) continue;
    const email = row.userEmail ?? row.merchantEmail;
    if (!email) continue;
    found.set(row.merchantId, {
      merchantId: row.merchantId,
      name: row.name,
      email,
      locale: asLocale(row.userEmail ? row.userLocale : row.merchantLocale),
      hasAccount: row.userEmail !== null,
    });
  }
  return found;
}
