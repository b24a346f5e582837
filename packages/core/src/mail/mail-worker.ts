// Sends what the outbox holds: claims due rows (FOR UPDATE SKIP LOCKED, so each row goes to one worker however
// many processes run), marks them SENDING with a lease, sends, marks them SENT; a failure is retried with
// exponential backoff. Also enqueues the dues reminders that have fallen due, on a slower timer.
import { type Database, type Locale, mailOutboxTable, rowsOf } from "@wz/db";
import { and, eq, inArray, sql } from "drizzle-orm";
import { todayIso } from "../dates";
import { enqueueDuesReminders } from "./dues-reminders";
import { type MailParams, type RenderOptions, renderMail, secretParams } from "./templates";

export interface OutgoingMail {
  /** Derived from the outbox row: a resend of the same row carries the same Message-ID. */
  messageId: string;
  to: string;
  locale: Locale;
  subject: string;
  text: string;
}

/** How a message leaves: SMTP (nodemailer) in production, the log when no SMTP server is configured. */
export interface MailTransport {
  /** Resolves once the receiving server accepted the message; rejects otherwise. */
  send(mail: OutgoingMail): Promise<void>;
  close?(): void | Promise<void>;
}

/** A refusal that retrying will not change (an SMTP 5xx): retried only `maxPermanentAttempts` times. */
export class PermanentMailError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "PermanentMailError";
  }
}

export interface MailLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface MailWorkerOptions {
  db: Database;
  transport: MailTransport;
  logger: MailLogger;
  /** Longest sleep between looks at the outbox when nothing wakes the worker (default 5 s). */
  pollMs?: number;
  /** Rows claimed at once (default 10). */
  batchSize?: number;
  /** How long a claimed row is this worker's; past it another worker may take it (default 2 min). */
  leaseMs?: number;
  /** First retry delay, doubled per attempt up to `retryCapMs` (defaults 2 s and 1 h). */
  retryBaseMs?: number;
  retryCapMs?: number;
  /** Permanent refusals before a message is given up as FAILED (default 5); transient failures retry forever. */
  maxPermanentAttempts?: number;
  /** How often the dues reminders are looked for (default 1 h); the first look is at start. */
  duesScanMs?: number;
  /** The domain of Message-IDs (default mail.wenzhou-chambers.invalid). */
  messageIdDomain?: string;
  render?: RenderOptions;
}

export interface MailRunReport {
  claimed: number;
  sent: number;
  failed: number;
}

interface ClaimedRow {
  id: string;
  recipient: string;
  locale: Locale;
  template: string;
  params: MailParams | string;
  attempts: number;
  was: string;
}

/** The row's params less those its template marks secret: what stays once a row is done (SENT or FAILED). */
function withoutSecrets(template: string) {
  return secretParams(template).reduce((acc, key) => sql`${acc} - ${key}::text`, sql`${mailOutboxTable.params}`);
}

/** The delay before retry number `attempts` (1-based): base × 2^(attempts−1), at most `capMs`. */
export function retryDelayMs(attempts: number, baseMs: number, capMs: number): number {
  return Math.min(capMs, baseMs * 2 ** Math.min(Math.max(attempts - 1, 0), 40));
}

export class MailWorker {
  private readonly pollMs: number;
  private readonly batchSize: number;
  private readonly leaseMs: number;
  private readonly retryBaseMs: number;
  private readonly retryCapMs: number;
  private readonly maxPermanentAttempts: number;
  private readonly duesScanMs: number;
  private readonly messageIdDomain: string;
  private running: Promise<void> | undefined;
  private stopping = false;
  private nudged = false;
  private wakeUp: (() => void) | undefined;
  private nextDuesScan = 0;

  constructor(private readonly options: MailWorkerOptions) {
    this.pollMs = options.pollMs ?? 5000;
    this.batchSize = options.batchSize ?? 10;
    this.leaseMs = options.leaseMs ?? 120_000;
    this.retryBaseMs = options.retryBaseMs ?? 2000;
    this.retryCapMs = options.retryCapMs ?? 3600_000;
    this.maxPermanentAttempts = options.maxPermanentAttempts ?? 5;
    this.duesScanMs = options.duesScanMs ?? 3600_000;
    this.messageIdDomain = options.messageIdDomain ?? "mail.wenzhou-chambers.invalid";
  }

  messageIdFor(rowId: string): string {
    return `<${rowId}@${this.messageIdDomain}>`;
  }

  start(): void {
    if (this.running) return;
    this.stopping = false;
    this.running = this.loop();
  }

  /** Look at the outbox now (called when a commit announced new mail). */
  wake(): void {
    this.nudged = true;
    this.wakeUp?.();
  }

  /**
   * Finishes the message being sent (if any), hands back the rest of its batch, then stops; the outbox keeps
   * them for the next start. The transport stays open (its owner closes it): a stopped worker may start again.
   */
  async stop(): Promise<void> {
    this.stopping = true;
    this.wakeUp?.();
    await this.running;
    this.running = undefined;
  }

  private async loop(): Promise<void> {
    let failures = 0;
    while (!this.stopping) {
      let busy = false;
      try {
        if (Date.now() >= this.nextDuesScan) {
          this.nextDuesScan = Date.now() + this.duesScanMs;
          await this.scanDuesReminders();
        }
        this.nudged = false;
        const report = await this.runOnce();
        busy = report.claimed === this.batchSize;
        failures = 0;
      } catch (err) {
        // the database is down or a statement failed: look again later, backing off while it lasts
        failures++;
        this.options.logger.warn({ err, failures }, "mail worker could not read the outbox; retrying");
      }
      if (this.stopping || busy || this.nudged) continue;
      const wait = failures > 0 ? retryDelayMs(failures, 500, this.pollMs) : await this.untilNextDue();
      await this.sleep(wait);
    }
  }

  /** Until the earliest live row falls due (its retry time or its lease's end), at most `pollMs`. */
  private async untilNextDue(): Promise<number> {
    const [row] = rowsOf<{ ms: number | string | null }>(
      await this.options.db.execute(sql`
        select extract(epoch from (min(${mailOutboxTable.nextAttemptAt}) - now())) * 1000 as ms
        from ${mailOutboxTable} where ${mailOutboxTable.status} in ('PENDING', 'SENDING')`),
    );
    const ms = row?.ms === null || row?.ms === undefined ? this.pollMs : Number(row.ms);
    return Math.max(10, Math.min(this.pollMs, Math.ceil(ms) + 5));
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      const self = this;
      function done() {
        clearTimeout(timer);
        self.wakeUp = undefined;
        resolve();
      }
      this.wakeUp = done;
      if (this.nudged || this.stopping) done();
    });
  }

  /** Enqueues the reminders now due (what the loop does hourly); the number newly queued. */
  async scanDuesReminders(today = todayIso()): Promise<number> {
    const queued = await enqueueDuesReminders(this.options.db, today);
    if (queued > 0) this.options.logger.info({ queued }, "dues reminders queued");
    return queued;
  }

  /** Claims one batch of due rows and sends them, one after another. */
  async runOnce(): Promise<MailRunReport> {
    const claimed = await this.claim();
    let sent = 0;
    let failed = 0;
    for (const [i, row] of claimed.entries()) {
      if (this.stopping) {
        await this.release(claimed.slice(i));
        break;
      }
      if (await this.deliver(row)) sent++;
      else failed++;
    }
    return { claimed: claimed.length, sent, failed };
  }

  /** Hands rows claimed but not tried back, as they were: stopping never leaves them waiting out a lease. */
  private async release(rows: readonly ClaimedRow[]): Promise<void> {
    const t = mailOutboxTable;
    await this.options.db
      .update(t)
      .set({ status: "PENDING", attempts: sql`${t.attempts} - 1`, nextAttemptAt: sql`now()` })
      .where(
        and(
          inArray(
            t.id,
            rows.map((r) => r.id),
          ),
          eq(t.status, "SENDING"),
        ),
      );
  }

  /**
   * One statement: the due rows not locked by another worker become SENDING, with a lease until which nobody
   * else takes them. A row still SENDING past its lease was claimed by a worker that died or lost the database
   * mid-send: it is taken again (and may reach the recipient twice, with the same Message-ID).
   */
  private async claim(): Promise<ClaimedRow[]> {
    const t = mailOutboxTable;
    const result = await this.options.db.execute(sql`
      with due as (
        select ${t.id} as id, ${t.status} as was from ${t}
        where ${t.status} in ('PENDING', 'SENDING') and ${t.nextAttemptAt} <= now()
        order by ${t.nextAttemptAt}
        limit ${this.batchSize}
        for update skip locked
      )
      update ${t} set
        status = 'SENDING',
        attempts = ${t.attempts} + 1,
        next_attempt_at = now() + ${this.leaseMs}::int * interval '1 millisecond'
      from due where ${t.id} = due.id
      returning ${t.id} as id, ${t.recipient} as recipient, ${t.locale} as locale, ${t.template} as template,
        ${t.params} as params, ${t.attempts} as attempts, due.was as was`);
    return rowsOf<ClaimedRow>(result);
  }

  private async deliver(row: ClaimedRow): Promise<boolean> {
    const { logger, transport } = this.options;
    const messageId = this.messageIdFor(row.id);
    const params: MailParams = typeof row.params === "string" ? JSON.parse(row.params) : row.params;
    if (row.was === "SENDING")
      logger.warn(
        { outboxId: row.id, messageId, attempts: row.attempts },
        "resending mail whose earlier attempt did not finish (the recipient may get it twice, same Message-ID)",
      );
    try {
      const { subject, text } = renderMail(row.template, row.locale, params, this.options.render ?? {});
      await transport.send({ messageId, to: row.recipient, locale: row.locale, subject, text });
    } catch (err) {
      await this.failed(row, err);
      return false;
    }
    const t = mailOutboxTable;
    try {
      // fenced by the attempt number: if the lease ran out and another worker took the row, its outcome stands
      await this.options.db
        .update(t)
        .set({ status: "SENT", sentAt: sql`now()`, lastError: null, params: withoutSecrets(row.template) })
        .where(and(eq(t.id, row.id), eq(t.status, "SENDING"), eq(t.attempts, row.attempts)));
    } catch (err) {
      // sent but not recorded: when the lease runs out the row is sent again (at least once, never lost)
      logger.error({ err, outboxId: row.id, messageId }, "mail sent but not marked sent; it will be resent");
    }
    logger.info({ outboxId: row.id, messageId, template: row.template, attempts: row.attempts }, "mail sent");
    return true;
  }

  private async failed(row: ClaimedRow, err: unknown): Promise<void> {
    const permanent = err instanceof PermanentMailError;
    const giveUp = permanent && row.attempts >= this.maxPermanentAttempts;
    const delay = retryDelayMs(row.attempts, this.retryBaseMs, this.retryCapMs);
    const message = (err instanceof Error ? err.message : String(err)).slice(0, 1000);
    const t = mailOutboxTable;
    await this.options.db
      .update(t)
      .set({
        status: giveUp ? "FAILED" : "PENDING",
        lastError: message,
        ...(giveUp ? { params: withoutSecrets(row.template) } : {}),
        nextAttemptAt: sql`now() + ${delay}::int * interval '1 millisecond'`,
      })
      .where(and(eq(t.id, row.id), eq(t.status, "SENDING"), eq(t.attempts, row.attempts)))
      .catch((dbErr: unknown) =>
        this.options.logger.error({ err: dbErr, outboxId: row.id }, "could not record a mail failure"),
      );
    const context = { outboxId: row.id, attempts: row.attempts, error: message };
    if (giveUp) this.options.logger.error(context, "mail refused permanently; given up");
    else this.options.logger.warn({ ...context, retryInMs: delay }, "mail not sent; will retry");
  }
}
