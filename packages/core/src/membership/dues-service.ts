// Dues: recording payments (which extend the expiry and so renew a lapsed membership), the chamber's fee
// schedule per level, and what a membership owes. Money stays a decimal string; sums are done in cents.
import { duesPaymentTable, feeScheduleTable, type MembershipLevel, type MembershipRow, membershipTable } from "@wz/db";
import { and, eq, gte, lte, sql } from "drizzle-orm";
import { recordAudit } from "../audit/audit-log";
import { addDays, isIsoDate, todayIso } from "../dates";
import { ErrorCollector, UserInputError } from "../errors";
import { announceRolesChanged } from "../events/domain-events";
import { label, msg } from "../messages";
import type { ServiceContext } from "../service-context";
import { chamberForAction, isUniqueViolation, membershipForAction } from "./membership-access";
import { oneYearFrom } from "./membership-service";
import { effectiveMembershipStatus } from "./membership-status";

export const duesPaymentMethods = ["BANK_TRANSFER", "WECHAT_PAY", "ALIPAY", "CASH", "CHEQUE", "OTHER"] as const;
export type DuesPaymentMethod = (typeof duesPaymentMethods)[number];

const DECIMAL = /^(-?)(\d{1,14})(?:\.(\d{1,2}))?$/;

/** "12500.5" → 1250050n; null when not a decimal with at most two places. */
export function toCents(amount: string): bigint | null {
  const m = DECIMAL.exec(amount.trim());
  if (!m) return null;
  const cents = BigInt(m[2]!) * 100n + BigInt((m[3] ?? "").padEnd(2, "0") || "0");
  return m[1] ? -cents : cents;
}

export function fromCents(cents: bigint): string {
  const sign = cents < 0n ? "-" : "";
  const abs = cents < 0n ? -cents : cents;
  return `${sign}${abs / 100n}.${String(abs % 100n).padStart(2, "0")}`;
}

export interface RecordDuesPaymentInput {
  membershipId: string;
  amount: string;
  periodStart: string;
  /** Default: one year from periodStart. */
  periodEnd?: string | null | undefined;
  method?: DuesPaymentMethod | null | undefined;
  receiptNo: string;
  /** Default: today. */
  paidOn?: string | null | undefined;
}

export async function recordDuesPayment(ctx: ServiceContext, input: RecordDuesPaymentInput) {
  const result = await ctx.db.transaction(async (tx) => {
    const { viewer, membership } = await membershipForAction(
      ctx,
      tx,
      "dues:record",
      input.membershipId,
      "membershipId",
    );
    const today = todayIso();
    const from = effectiveMembershipStatus(membership, today);
    if (from !== "ACTIVE" && from !== "LAPSED")
      throw UserInputError.of(
        "INVALID_TRANSITION",
        ["membershipId"],
        msg("membership.invalidTransition", {
          status: label("membershipStatus", from),
          hint: msg("dues.onlyActiveHint"),
        }),
      );

    const errors = new ErrorCollector();
    const cents = toCents(input.amount);
    if (cents === null) errors.add(["amount"], msg("dues.amountForm", { amount: input.amount }));
    else if (cents <= 0n) errors.add(["amount"], msg("dues.amountPositive"));
    const periodStart = input.periodStart;
    const periodEnd = input.periodEnd ?? (isIsoDate(periodStart) ? oneYearFrom(periodStart) : periodStart);
    if (!isIsoDate(periodStart)) errors.add(["periodStart"], msg("dues.periodStartDate"));
    else if (periodEnd < periodStart) errors.add(["periodEnd"], msg("dues.periodEndsBeforeStart"));
    const receiptNo = input.receiptNo.trim();
    if (!receiptNo) errors.add(["receiptNo"], msg("dues.receiptRequired"));
    else if (receiptNo.length > 64) errors.add(["receiptNo"], msg("dues.receiptTooLong"));
    const paidOn = input.paidOn ?? today;
    if (paidOn > today) errors.add(["paidOn"], msg("dues.paidInFuture"));
    errors.throwIfAny();

    const conflicts = new ErrorCollector();
    const [sameReceipt] = await tx
      .select({ id: duesPaymentTable.id })
      .from(duesPaymentTable)
      .where(and(eq(duesPaymentTable.chamberId, membership.chamberId), eq(duesPaymentTable.receiptNo, receiptNo)));
    const receiptTaken = msg("dues.receiptTaken", { receiptNo });
    if (sameReceipt) conflicts.add(["receiptNo"], receiptTaken, "CONFLICT");
    const [overlap] = await tx
      .select({
        periodStart: duesPaymentTable.periodStart,
        periodEnd: duesPaymentTable.periodEnd,
        receiptNo: duesPaymentTable.receiptNo,
      })
      .from(duesPaymentTable)
      .where(
        and(
          eq(duesPaymentTable.chamberId, membership.chamberId),
          eq(duesPaymentTable.membershipId, membership.id),
          lte(duesPaymentTable.periodStart, periodEnd),
          gte(duesPaymentTable.periodEnd, periodStart),
        ),
      )
      .limit(1);
    if (overlap)
      conflicts.add(
        ["periodStart"],
        overlap.receiptNo
          ? msg("dues.overlapsReceipt", {
              start: periodStart,
              end: periodEnd,
              paidStart: overlap.periodStart,
              paidEnd: overlap.periodEnd,
              receiptNo: overlap.receiptNo,
            })
          : msg("dues.overlaps", {
              start: periodStart,
              end: periodEnd,
              paidStart: overlap.periodStart,
              paidEnd: overlap.periodEnd,
            }),
        "CONFLICT",
      );
    conflicts.throwIfAny();

    const [payment] = await tx
      .insert(duesPaymentTable)
      .values({
        chamberId: membership.chamberId,
        membershipId: membership.id,
        amount: fromCents(cents!),
        periodStart,
        periodEnd,
        method: input.method ?? null,
        receiptNo,
        paidOn,
        recordedBy: viewer.userId,
      })
      .returning()
      .catch((error: unknown) => {
        // Two payments with one receipt number recorded at the same moment: the index keeps one.
        if (isUniqueViolation(error)) throw UserInputError.of("CONFLICT", ["receiptNo"], receiptTaken);
        throw error;
      });
    await recordAudit(tx, {
      actorUserId: viewer.userId,
      chamberId: membership.chamberId,
      action: "dues:record",
      entityType: "DuesPayment",
      entityId: payment!.id,
      after: payment,
    });

    let updated: MembershipRow = membership;
    if (membership.expiresOn === null || membership.expiresOn < periodEnd) {
      const [row] = await tx
        .update(membershipTable)
        .set({ expiresOn: periodEnd, updatedAt: new Date() })
        .where(and(eq(membershipTable.chamberId, membership.chamberId), eq(membershipTable.id, membership.id)))
        .returning();
      updated = row!;
      await recordAudit(tx, {
        actorUserId: viewer.userId,
        chamberId: membership.chamberId,
        action:
          from === "LAPSED" && effectiveMembershipStatus(updated, today) === "ACTIVE"
            ? "membership:renew"
            : "membership:extend",
        entityType: "Membership",
        entityId: membership.id,
        before: { status: from, expiresOn: membership.expiresOn },
        after: {
          status: effectiveMembershipStatus(updated, today),
          expiresOn: updated.expiresOn,
          paymentId: payment!.id,
        },
      });
    }
    return { membership: updated, payment: payment! };
  });
  announceRolesChanged(ctx, [result.membership.merchantId]);
  return result;
}

export interface FeeScheduleEntry {
  level: MembershipLevel;
  annualFee: string;
}

/** Sets the annual fee of the given levels (others keep theirs). */
export async function setFeeSchedule(ctx: ServiceContext, input: { chamberId: string; fees: FeeScheduleEntry[] }) {
  return ctx.db.transaction(async (tx) => {
    const { viewer, chamber } = await chamberForAction(ctx, tx, "member:update", input.chamberId, "chamberId");
    const errors = new ErrorCollector();
    const seen = new Set<MembershipLevel>();
    input.fees.forEach((fee, i) => {
      const cents = toCents(fee.annualFee);
      const at = ["fees", String(i)];
      if (cents === null || cents < 0n) errors.add([...at, "annualFee"], msg("dues.annualFeeForm"));
      if (seen.has(fee.level))
        errors.add([...at, "level"], msg("dues.levelTwice", { level: label("membershipLevel", fee.level) }));
      seen.add(fee.level);
    });
    if (input.fees.length === 0) errors.add(["fees"], msg("dues.feesEmpty"));
    errors.throwIfAny();
    const before = await tx.select().from(feeScheduleTable).where(eq(feeScheduleTable.chamberId, chamber.id));
    await tx
      .insert(feeScheduleTable)
      .values(
        input.fees.map((f) => ({ chamberId: chamber.id, level: f.level, annualFee: fromCents(toCents(f.annualFee)!) })),
      )
      .onConflictDoUpdate({
        target: [feeScheduleTable.chamberId, feeScheduleTable.level],
        set: { annualFee: sql`excluded.annual_fee`, updatedAt: new Date() },
      });
    const after = await tx.select().from(feeScheduleTable).where(eq(feeScheduleTable.chamberId, chamber.id));
    await recordAudit(tx, {
      actorUserId: viewer.userId,
      chamberId: chamber.id,
      action: "fee-schedule:set",
      entityType: "Chamber",
      entityId: chamber.id,
      before,
      after,
    });
    return { chamber, fees: after };
  });
}

export interface DuesStatus {
  /** The end of the latest period paid for; null when nothing has been recorded. */
  paidThrough: string | null;
  expiresOn: string | null;
  annualFee: string | null;
  /** Membership years begun since the expiry date and not yet paid. */
  yearsOverdue: number;
  /** yearsOverdue × the level's annual fee; null when the chamber has no fee for the level. */
  amountOwed: string | null;
}

/**
 * What a membership owes today: every membership year that has begun since the expiry date, at the level's
 * current annual fee. Only memberships that are ACTIVE, LAPSED or SUSPENDED can owe anything.
 */
export function duesStatus(
  membership: Pick<MembershipRow, "status" | "expiresOn">,
  paidThrough: string | null,
  annualFee: string | null,
  today: string,
): DuesStatus {
  const status = effectiveMembershipStatus(membership, today);
  let yearsOverdue = 0;
  if ((status === "LAPSED" || status === "SUSPENDED" || status === "ACTIVE") && membership.expiresOn !== null) {
    let paidUntil = membership.expiresOn;
    while (paidUntil < today && yearsOverdue < 100) {
      yearsOverdue++;
      paidUntil = oneYearFrom(addDays(paidUntil, 1));
    }
  }
  const fee = annualFee === null ? null : toCents(annualFee);
  return {
    paidThrough,
    expiresOn: membership.expiresOn,
    annualFee,
    yearsOverdue,
    amountOwed: fee === null ? null : fromCents(fee * BigInt(yearsOverdue)),
  };
}
