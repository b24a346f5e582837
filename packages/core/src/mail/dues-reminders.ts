// Dues reminders: 30 days before a membership's dues run out its merchant is reminded, once per expiry date.
// One set-based statement; the outbox's dedupe key makes running it again (or on every process) harmless.
import { chamberTable, type Executor, mailOutboxTable, membershipTable, merchantTable, rowsOf } from "@wz/db";
import { sql } from "drizzle-orm";
import { recipientEmail, recipientJoin, recipientLocale } from "./outbox";

export const DUES_REMINDER_DAYS = 30;

/**
 * Queues a reminder for every consented ACTIVE membership whose expiry lies between `today` and 30 days later,
 * to the merchant (by the outbox's recipient rule). Returns how many were new.
 */
export async function enqueueDuesReminders(db: Executor, today: string): Promise<number> {
  const m = membershipTable;
  const result = await db.execute(sql`
    insert into ${mailOutboxTable} (dedupe_key, recipient, locale, template, params, chamber_id)
    select
      'dues-reminder:' || ${m.id} || ':' || ${m.expiresOn}::text,
      ${recipientEmail},
      ${recipientLocale},
      'dues-reminder',
      jsonb_build_object(
        'chamberName', c.name, 'chamberNameEn', c.name_en, 'merchantName', mer.name,
        'expiresOn', ${m.expiresOn}::text),
      ${m.chamberId}
    from ${m}
    join ${merchantTable} mer on mer.id = ${m.merchantId}
    join ${chamberTable} c on c.id = ${m.chamberId}
    ${recipientJoin}
    where ${m.status} = 'ACTIVE' and ${m.consentedAt} is not null
      and ${m.expiresOn} >= ${today}::date and ${m.expiresOn} <= ${today}::date + ${DUES_REMINDER_DAYS}::int
      and c.status <> 'DISSOLVED' and mer.merged_into_id is null
      and ${recipientEmail} is not null
    on conflict (dedupe_key) do nothing
    returning 1 as queued`);
  return rowsOf(result).length;
}
