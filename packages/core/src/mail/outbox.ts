// Queueing mail: services call these inside the transaction of the change that causes the message, so the
// message exists exactly when the change committed. The worker (mail-worker.ts) sends it afterwards.
import {
  type Executor,
  type Locale,
  locales,
  mailOutboxTable,
  merchantTable,
  rowsOf,
  systemStep,
  userTable,
} from "@wz/db";
import { sql } from "drizzle-orm";
import { affectedRows, inJson } from "../common/sql-text";
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

/**
 * Writes the message to the outbox in `tx`; false when a message with its dedupe key was already queued. The
 * outbox is the mail worker's to read, not the writer's (row-level security): the step runs in the system scope.
 */
export async function enqueueMail<K extends MailTemplateKey>(tx: Executor, mail: QueuedMail<K>): Promise<boolean> {
  const result = await systemStep(tx, async () =>
    tx
      .insert(mailOutboxTable)
      .values({
        dedupeKey: mail.dedupeKey,
        recipient: mail.recipient,
        locale: mail.locale,
        template: mail.template,
        params: mail.params as Record<string, string | null>,
        chamberId: mail.chamberId ?? null,
      })
      .onConflictDoNothing({ target: mailOutboxTable.dedupeKey }),
  );
  return affectedRows(result) > 0;
}

/** After the commit: wakes the mail workers (of every process, through the bus) instead of waiting for a poll. */
export function announceMailQueued(ctx: { events: EventPublisher }, queued: boolean): void {
  if (queued) ctx.events.publish({ topic: "mail:queued" });
}

/**
 * Where mail to a merchant goes, as SQL for a query over `merchant` aliased `mer`: their account's email and
 * language when they have an account (what they sign in with and chose), else the profile's. Every mail to a
 * merchant finds its address through this one rule (alias `acct` is the account, if any).
 */
export const recipientJoin = sql`left join lateral (
    select email, locale from ${userTable} au
    where au.merchant_id = mer.id and au.disabled_at is null
    order by au.created_at limit 1
  ) acct on true`;
export const recipientEmail = sql`coalesce(acct.email, mer.email)`;
export const recipientLocale = sql`coalesce(acct.locale, mer.locale)`;

export interface MailRecipient {
  merchantId: string;
  name: string;
  email: string;
  locale: Locale;
  hasAccount: boolean;
}

/** The recipients of mail to these merchants (by `recipientJoin`); merchants with no email at all are left out. */
export async function merchantRecipients(
  tx: Executor,
  merchantIds: readonly string[],
): Promise<Map<string, MailRecipient>> {
  const found = new Map<string, MailRecipient>();
  if (merchantIds.length === 0) return found;
  const rows = rowsOf<{ id: string; name: string; email: string; locale: string; has_account: boolean }>(
    await tx.execute(sql`
      select mer.id, mer.name, ${recipientEmail} as email, ${recipientLocale} as locale,
        acct.email is not null as has_account
      from ${merchantTable} mer ${recipientJoin}
      where ${inJson(sql`mer.id`, merchantIds, "uuid")} and ${recipientEmail} is not null`),
  );
  for (const row of rows)
    found.set(row.id, {
      merchantId: row.id,
      name: row.name,
      email: row.email,
      locale: asLocale(row.locale),
      hasAccount: row.has_account,
    });
  return found;
}
