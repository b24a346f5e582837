// "A problem went overdue" as a live event: a sweep, on a timer in each API process, marks every open problem
// past its due date that was not announced yet and appends PROBLEM_OVERDUE to the project event log in the same
// transaction. The mark makes it once only, however many processes sweep at the same time.
import { type Database, investmentProblemTable } from "@wz/db";
import { and, asc, eq, inArray, isNull, lt, sql } from "drizzle-orm";
import { todayIso } from "../dates";
import type { EventPublisher } from "../events/domain-events";
import { announceInvestmentEvent, appendInvestmentEvent } from "./investment-events";

const BATCH = 200;

/**
 * Announces the problems that went overdue by `today` (open, due before it, not announced yet), a batch per
 * transaction, and returns how many. Rows another sweep holds are skipped (it announces them); a row it already
 * marked no longer matches once its transaction commits.
 */
export async function announceOverdueInvestmentProblems(
  ctx: { db: Database; events: EventPublisher },
  today = todayIso(),
): Promise<number> {
  let announced = 0;
  for (;;) {
    const events = await ctx.db.transaction(async (tx) => {
      const due = tx
        .select({ id: investmentProblemTable.id })
        .from(investmentProblemTable)
        .where(
          and(
            eq(investmentProblemTable.status, "OPEN"),
            lt(investmentProblemTable.dueOn, today),
            isNull(investmentProblemTable.overdueAnnouncedAt),
          ),
        )
        .orderBy(asc(investmentProblemTable.dueOn), asc(investmentProblemTable.id))
        .limit(BATCH)
        .for("update", { skipLocked: true });
      const marked = await tx
        .update(investmentProblemTable)
        .set({ overdueAnnouncedAt: sql`now()` })
        .where(and(inArray(investmentProblemTable.id, due), isNull(investmentProblemTable.overdueAnnouncedAt)))
        .returning({
          id: investmentProblemTable.id,
          projectId: investmentProblemTable.projectId,
          dueOn: investmentProblemTable.dueOn,
        });
      marked.sort((a, b) => a.dueOn.localeCompare(b.dueOn) || a.id.localeCompare(b.id));
      const appended = [];
      for (const problem of marked)
        appended.push(await appendInvestmentEvent(tx, problem.projectId, "PROBLEM_OVERDUE"));
      return appended;
    });
    for (const event of events) announceInvestmentEvent(ctx, event);
    announced += events.length;
    if (events.length < BATCH) return announced;
  }
}

export interface InvestmentOverdueSweepOptions {
  db: Database;
  events: EventPublisher;
  /** Between sweeps (default a minute: the day turns once, but a problem can be given a past due date). */
  everyMs?: number;
  logger: { warn(fields: object, message: string): void };
  /** The day to sweep for (tests pass a fixed one). */
  today?: () => string;
}

/** The timer: started with the server, stopped (after the sweep under way) before its database closes. */
export class InvestmentOverdueSweep {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number> | undefined;
  private stopped = true;

  constructor(private readonly options: InvestmentOverdueSweepOptions) {}

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    void this.tick();
  }

  /** Sweeps now (and resolves with the count); a sweep under way is joined, not doubled. */
  sweep(): Promise<number> {
    this.running ??= announceOverdueInvestmentProblems(this.options, this.options.today?.()).finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async tick(): Promise<void> {
    try {
      await this.sweep();
    } catch (err) {
      this.options.logger.warn({ err }, "overdue problem sweep failed; trying again at the next one");
    }
    if (this.stopped) return;
    this.timer = setTimeout(() => void this.tick(), this.options.everyMs ?? 60_000);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running?.catch(() => undefined);
  }
}
