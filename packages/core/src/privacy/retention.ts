// Keeping personal information no longer than needed (PIPL Art. 19, 47): ended sessions, used or expired
// invitations, access entries and old audit entries are deleted once older than their periods. Nothing a figure
// is computed from (memberships, dues, leads and their closed values, return-investment records) is touched.
// Deletes are set-based and in bounded batches, so several processes may run them at once.
import { auditLogTable, contactAccessTable, type Executor, inviteTable, sessionTable } from "@wz/db";
import { type SQL, sql } from "drizzle-orm";
import { affectedRows } from "../common/sql-text";

/** How long each kind of record is kept after it ends, in days; 0 keeps it for ever. */
export interface RetentionPeriods {
  /** After a session expired or was revoked (its sign-in record). */
  sessionDays: number;
  /** After an invitation was accepted or expired. */
  inviteDays: number;
  /** After a contact field was shown (the merchant's "who looked" list). */
  accessDays: number;
  /** After an audit entry was written. */
  auditDays: number;
}

export const defaultRetentionPeriods: RetentionPeriods = {
  sessionDays: 180,
  inviteDays: 30,
  accessDays: 180,
  auditDays: 3 * 365,
};

export interface PurgeCounts {
  sessions: number;
  invites: number;
  accessEntries: number;
  auditEntries: number;
}

const BATCH = 10_000;
const DAY_MS = 24 * 3600_000;

/** Deletes the rows `match` picks, BATCH at a time (rows another process holds are left to it). */
async function deleteInBatches(db: Executor, table: SQL, key: SQL, match: SQL): Promise<number> {
  let total = 0;
  for (;;) {
    const result = await db.execute(sql`
      delete from ${table} where ${key} in (
        select ${key} from ${table} where ${match} limit ${BATCH} for update skip locked)`);
    const n = affectedRows(result);
    total += n;
    if (n < BATCH) return total;
  }
}

/** What each kind of record is, and when one has ended before `cut` (its `id` alone is unique: a uuid or serial). */
const kinds: { count: keyof PurgeCounts; days: keyof RetentionPeriods; table: SQL; ended: (cut: SQL) => SQL }[] = [
  {
    count: "sessions",
    days: "sessionDays",
    table: sql`${sessionTable}`,
    ended: (cut) => sql`(expires_at < ${cut} or revoked_at < ${cut})`,
  },
  {
    count: "invites",
    days: "inviteDays",
    table: sql`${inviteTable}`,
    ended: (cut) => sql`(accepted_at < ${cut} or (accepted_at is null and expires_at < ${cut}))`,
  },
  { count: "accessEntries", days: "accessDays", table: sql`${contactAccessTable}`, ended: (cut) => sql`at < ${cut}` },
  { count: "auditEntries", days: "auditDays", table: sql`${auditLogTable}`, ended: (cut) => sql`at < ${cut}` },
];

/** One purge of everything past its period at `now`. Safe to repeat and to run on several processes at once. */
export async function purgeExpiredRecords(
  db: Executor,
  periods: RetentionPeriods,
  now: Date = new Date(),
): Promise<PurgeCounts> {
  const counts: PurgeCounts = { sessions: 0, invites: 0, accessEntries: 0, auditEntries: 0 };
  for (const kind of kinds) {
    const days = periods[kind.days];
    if (days <= 0) continue;
    // an ISO string, cast: postgres.js binds no Date in raw SQL
    const cut = sql`${new Date(now.getTime() - days * DAY_MS).toISOString()}::timestamptz`;
    counts[kind.count] = await deleteInBatches(db, kind.table, sql`id`, kind.ended(cut));
  }
  return counts;
}

export interface RetentionWorkerOptions {
  db: Executor;
  periods: RetentionPeriods;
  /** Time between purges (the first runs at start). */
  intervalMs: number;
  logger: { info(obj: object, msg?: string): void; warn(obj: object, msg?: string): void };
  /** The clock (tests move it instead of waiting). */
  now?: () => Date;
}

/**
 * Purges on a schedule inside the API process: `start` runs one purge at once and then every `intervalMs`;
 * `stop` waits for a purge under way to finish. Each purge logs what it deleted.
 */
export class RetentionWorker {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<PurgeCounts | undefined> | undefined;
  private stopped = true;

  constructor(private readonly options: RetentionWorkerOptions) {}

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    const tick = () => {
      void this.runOnce().finally(() => {
        if (!this.stopped) this.timer = setTimeout(tick, this.options.intervalMs);
      });
    };
    tick();
  }

  /** One purge now (the one under way, if any); logs and swallows a failure (the next run tries again). */
  runOnce(): Promise<PurgeCounts | undefined> {
    this.running ??= (async () => {
      const { db, periods, logger } = this.options;
      const started = Date.now();
      try {
        const counts = await purgeExpiredRecords(db, periods, this.options.now?.() ?? new Date());
        logger.info({ ...counts, ms: Date.now() - started }, "retention purge done");
        return counts;
      } catch (err) {
        logger.warn({ err }, "retention purge failed; the next run tries again");
        return undefined;
      } finally {
        this.running = undefined;
      }
    })();
    return this.running;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }
}
