// The transactional outbox for mail: a row is written in the same transaction as the change that causes the
// message, and a worker sends it afterwards (retrying with backoff), so a committed change never loses its mail
// and a rolled-back one never sends any.
import { sql } from "drizzle-orm";
import { check, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { chamberTable } from "./chambers";
import { createdAt, id } from "./columns";

/** The languages mail (and the console) is written in. */
export const locales = ["zh-CN", "en"] as const;
export type Locale = (typeof locales)[number];

/** PENDING → SENDING (claimed, lease until next_attempt_at) → SENT; FAILED after repeated permanent refusals. */
export const mailStatuses = ["PENDING", "SENDING", "SENT", "FAILED"] as const;
export type MailStatus = (typeof mailStatuses)[number];

export const mailOutboxTable = pgTable(
  "mail_outbox",
  {
    id: id(),
    /** What the message is about, e.g. `dues-reminder:<membershipId>:<expiresOn>`: the same message is queued once. */
    dedupeKey: text("dedupe_key").notNull(),
    recipient: text("recipient").notNull(),
    locale: text("locale").$type<Locale>().notNull(),
    /** A key of packages/core/src/mail/templates.ts; the message is rendered from it and `params` when sent. */
    template: text("template").notNull(),
    params: jsonb("params").$type<Record<string, string | null>>().notNull(),
    /** The chamber whose change caused the message (null for none). */
    chamberId: uuid("chamber_id").references(() => chamberTable.id),
    status: text("status").$type<MailStatus>().notNull().default("PENDING"),
    attempts: integer("attempts").notNull().default(0),
    /** PENDING: when it may be tried (again); SENDING: when the claim's lease runs out and another may take it. */
    nextAttemptAt: timestamp("next_attempt_at", { withTimezone: true }).notNull().defaultNow(),
    lastError: text("last_error"),
    sentAt: timestamp("sent_at", { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("mail_outbox_dedupe_key").on(t.dedupeKey),
    // the worker's claim reads only live rows, in the order they fall due
    index("mail_outbox_due_idx").on(t.nextAttemptAt).where(sql`status in ('PENDING', 'SENDING')`),
    check("mail_outbox_status", sql`status in ('PENDING', 'SENDING', 'SENT', 'FAILED')`),
    check("mail_outbox_locale", sql`locale in ('zh-CN', 'en')`),
  ],
);

export type MailOutboxRow = typeof mailOutboxTable.$inferSelect;
