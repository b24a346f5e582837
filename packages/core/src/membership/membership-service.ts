// The membership lifecycle: applying, deciding, suspending, leaving, reinstating and level changes. Every
// transition is checked against one table; an illegal one is INVALID_TRANSITION and changes nothing.
import {
  chamberTable,
  type MembershipLevel,
  type MembershipRow,
  type MembershipStatus,
  mailOutboxTable,
  membershipNoteTable,
  membershipTable,
  merchantTable,
  rowsOf,
  systemStep,
} from "@wz/db";
import { and, eq, isNull, sql } from "drizzle-orm";
import { recordAudit } from "../audit/audit-log";
import { inJson } from "../common/sql-text";
import { todayIso } from "../dates";
import { merchantReachable } from "../directory/visibility";
import { ErrorCollector, UserInputError } from "../errors";
import { announceRolesChanged } from "../events/domain-events";
import { announceMailQueued, recipientEmail, recipientJoin, recipientLocale } from "../mail/outbox";
import { label, type Message, msg } from "../messages";
import type { ServiceContext } from "../service-context";
import { isUuid, requiredText } from "../validation";
import { chamberForAction, isUniqueViolation, membershipForAction } from "./membership-access";
import type { MembershipNote } from "./membership-reads";
import { awaitingConsent, effectiveMembershipStatus } from "./membership-status";

/**
 * Status changes a secretary may make by hand, from the status as it reads today (ACTIVE past its expiry
 * reads LAPSED). LAPSED → ACTIVE happens only by recording dues; APPLIED is decided by decideMembership.
 */
const manualTransitions: Record<MembershipStatus, readonly MembershipStatus[]> = {
  APPLIED: [],
  ACTIVE: ["SUSPENDED", "LEFT"],
  LAPSED: ["SUSPENDED", "LEFT"],
  SUSPENDED: ["ACTIVE", "LEFT"],
  REJECTED: [],
  LEFT: [],
};

function invalidTransition(field: string[], from: MembershipStatus, hint: Message): UserInputError {
  return UserInputError.of(
    "INVALID_TRANSITION",
    field,
    msg("membership.invalidTransition", { status: label("membershipStatus", from), hint }),
  );
}

function reasonOrError(
  errors: ErrorCollector,
  reason: string | null | undefined,
  field: string[],
  label: Message,
): string {
  const problem = requiredText(reason, label, 1000);
  if (problem) errors.add(field, problem);
  return (reason ?? "").trim();
}

/** One year of membership from a date: 2015-03-01 → 2016-02-29. */
export function oneYearFrom(iso: string): string {
  const [y, m, d] = iso.split("-").map(Number) as [number, number, number];
  const next = new Date(Date.UTC(y + 1, m - 1, d));
  // 29 February plus a year rolls into March; the year then ends on the last day of February.
  if (next.getUTCMonth() !== m - 1) next.setUTCDate(0);
  else next.setUTCDate(next.getUTCDate() - 1);
  return next.toISOString().slice(0, 10);
}

async function audit(
  ctx: ServiceContext,
  tx: Parameters<typeof recordAudit>[0],
  action: string,
  before: MembershipRow | null,
  after: MembershipRow,
) {
  await recordAudit(tx, {
    actorUserId: ctx.permissions.viewer?.userId ?? null,
    chamberId: after.chamberId,
    action,
    entityType: "Membership",
    entityId: after.id,
    before,
    after,
  });
}

export interface ApplyForMembershipInput {
  chamberId: string;
  /** A secretary applying on a merchant's behalf names them; a merchant applying for themselves leaves it out. */
  merchantId?: string | null | undefined;
  level?: MembershipLevel | null | undefined;
}

/**
 * A merchant applies (or a secretary applies for them). Someone who was rejected or left may apply again:
 * the one membership row per merchant and chamber goes back to APPLIED.
 */
export async function applyForMembership(ctx: ServiceContext, input: ApplyForMembershipInput): Promise<MembershipRow> {
  const viewer = ctx.permissions.assertPerformAction("member:apply");
  let mailQueued = false;
  const result = await ctx.db.transaction(async (tx): Promise<MembershipRow> => {
    const chamberNotFound = UserInputError.of("NOT_FOUND", ["chamberId"], msg("chamber.noneWithId"));
    if (!isUuid(input.chamberId)) throw chamberNotFound;
    const onBehalf = input.merchantId != null && input.merchantId !== viewer.merchantId;
    let merchantId: string;
    if (onBehalf) {
      // Only the chamber's own secretaries apply for someone else; to anyone else the chamber's inside is unknown.
      await chamberForAction(ctx, tx, "member:update", input.chamberId, "chamberId");
      const merchantNotFound = UserInputError.of("NOT_FOUND", ["merchantId"], msg("merchant.noneWithId"));
      if (!isUuid(input.merchantId!)) throw merchantNotFound;
      // someone the secretary finds in the directory (an unlisted profile of another chamber reads as missing),
      // never an erased profile
      const [merchant] = await tx
        .select({ id: merchantTable.id, mergedIntoId: merchantTable.mergedIntoId })
        .from(merchantTable)
        .where(
          and(
            eq(merchantTable.id, input.merchantId!),
            isNull(merchantTable.erasedAt),
            merchantReachable(ctx.permissions.viewer),
          ),
        );
      if (!merchant || merchant.mergedIntoId) throw merchantNotFound;
      merchantId = merchant.id;
    } else {
      if (!viewer.merchantId) throw UserInputError.of("INVALID", ["merchantId"], msg("membership.noProfileToApply"));
      merchantId = viewer.merchantId;
    }
    const [chamber] = await tx
      .select({
        id: chamberTable.id,
        status: chamberTable.status,
        name: chamberTable.name,
        nameEn: chamberTable.nameEn,
      })
      .from(chamberTable)
      .where(eq(chamberTable.id, input.chamberId));
    if (!chamber) throw chamberNotFound;
    if (chamber.status === "DISSOLVED") throw UserInputError.of("INVALID", ["chamberId"], msg("chamber.dissolved"));

    const [existing] = await tx
      .select()
      .from(membershipTable)
      .where(and(eq(membershipTable.chamberId, chamber.id), eq(membershipTable.merchantId, merchantId)))
      .for("update");
    const level = input.level ?? "MEMBER";
    // A merchant applying themselves agrees at once; a secretary's application is a proposal that waits for
    // the merchant's answer (answerMembershipProposal) and, until then, lets the chamber see nothing more of them.
    const consent = onBehalf
      ? { consentedAt: null, proposedBy: viewer.userId }
      : { consentedAt: new Date(), proposedBy: null };
    if (existing && !onBehalf && awaitingConsent(existing)) return acceptProposal(ctx, tx, existing, viewer.userId);
    // An import's proposal to someone the chamber could not see: proposing them by name answers exactly as a first
    // proposal does (it becomes this one), or a refusal would tell the secretary whom the import had matched.
    const withheld = existing?.identityWithheld && awaitingConsent(existing);
    if (existing) {
      const from = effectiveMembershipStatus(existing, todayIso());
      if (from !== "REJECTED" && from !== "LEFT" && !(onBehalf && withheld))
        throw invalidTransition(["chamberId"], from, msg("membership.applyAgainHint"));
      const [row] = await tx
        .update(membershipTable)
        .set({
          status: "APPLIED",
          level,
          appliedAt: new Date(),
          statusReason: null,
          decidedBy: null,
          joinedOn: null,
          expiresOn: null,
          identityWithheld: false,
          ...consent,
          updatedAt: new Date(),
        })
        .where(and(eq(membershipTable.chamberId, existing.chamberId), eq(membershipTable.id, existing.id)))
        .returning();
      await audit(ctx, tx, onBehalf ? "membership:propose" : "membership:apply", existing, row!);
      if (onBehalf) mailQueued = await queueProposalMails(tx, chamber.id, [row!.id]);
      return row!;
    }
    const [row] = await tx
      .insert(membershipTable)
      .values({ chamberId: chamber.id, merchantId, level, status: "APPLIED", ...consent })
      .returning()
      .catch((error: unknown) => {
        if (isUniqueViolation(error)) throw UserInputError.of("CONFLICT", ["chamberId"], msg("membership.justApplied"));
        throw error;
      });
    await audit(ctx, tx, onBehalf ? "membership:propose" : "membership:apply", null, row!);
    if (onBehalf) mailQueued = await queueProposalMails(tx, chamber.id, [row!.id]);
    return row!;
  });
  // Applying to a chamber that had proposed it is accepting: the merchant is a member now.
  if (result.status === "ACTIVE") announceRolesChanged(ctx, [result.merchantId]);
  announceMailQueued(ctx, mailQueued);
  return result;
}

/**
 * Tells merchants of a chamber's proposals (a secretary's application for them, or an import's), those who have
 * an email: with an account they answer signed in; without one, the chamber's invitation reaches them (accepting
 * it is agreeing). One statement for any number of proposals; one mail per proposal made (its applied_at).
 */
export async function queueProposalMails(
  tx: Parameters<typeof recordAudit>[0],
  chamberId: string,
  membershipIds: readonly string[],
): Promise<boolean> {
  if (membershipIds.length === 0) return false;
  const m = membershipTable;
  // the outbox is the mail worker's (row-level security): written in the system scope
  const result = await systemStep(tx, () =>
    tx.execute(sql`
    insert into ${mailOutboxTable} (dedupe_key, recipient, locale, template, params, chamber_id)
    select
      'membership-proposal:' || ${m.id} || ':' || floor(extract(epoch from ${m.appliedAt}) * 1000)::bigint,
      ${recipientEmail},
      ${recipientLocale},
      'membership-proposal',
      jsonb_build_object(
        'chamberName', c.name, 'chamberNameEn', c.name_en, 'merchantName', mer.name, 'level', ${m.level}::text,
        'hasAccount', case when acct.email is null then 'no' else 'yes' end),
      ${m.chamberId}
    from ${m}
    join ${merchantTable} mer on mer.id = ${m.merchantId}
    join ${chamberTable} c on c.id = ${m.chamberId}
    ${recipientJoin}
    where ${m.chamberId} = ${chamberId} and ${inJson(m.id, membershipIds, "uuid")}
      and ${m.status} = 'APPLIED' and ${m.consentedAt} is null and ${recipientEmail} is not null
    on conflict (dedupe_key) do nothing
    returning 1 as queued`),
  );
  return rowsOf(result).length > 0;
}

/** The merchant agrees to a secretary's proposal: the membership starts at once (the chamber asked for it). */
async function acceptProposal(
  ctx: ServiceContext,
  tx: Parameters<typeof recordAudit>[0],
  proposal: MembershipRow,
  actorUserId: string,
): Promise<MembershipRow> {
  const joinedOn = proposal.joinedOn ?? todayIso();
  const [row] = await tx
    .update(membershipTable)
    .set({
      status: "ACTIVE",
      consentedAt: new Date(),
      joinedOn,
      expiresOn: proposal.expiresOn ?? oneYearFrom(joinedOn),
      decidedBy: proposal.proposedBy ?? actorUserId,
      statusReason: null,
      updatedAt: new Date(),
    })
    .where(and(eq(membershipTable.chamberId, proposal.chamberId), eq(membershipTable.id, proposal.id)))
    .returning();
  await audit(ctx, tx, "membership:consent", proposal, row!);
  return row!;
}

export interface AnswerMembershipProposalInput {
  membershipId: string;
  accept: boolean;
  /** Kept with a refusal (optional). */
  reason?: string | null | undefined;
}

/**
 * The merchant answers a chamber's proposal (a secretary applied or imported them): accepting makes them an
 * ACTIVE member; declining ends the proposal (REJECTED, with the reason given or "declined by the merchant").
 * Only the merchant may answer; a membership that is not a waiting proposal is INVALID_TRANSITION.
 */
export async function answerMembershipProposal(
  ctx: ServiceContext,
  input: AnswerMembershipProposalInput,
): Promise<MembershipRow> {
  const viewer = ctx.permissions.assertPerformAction("member:answer-proposal");
  const notFound = UserInputError.of("NOT_FOUND", ["membershipId"], msg("membership.noSuchProposal"));
  if (!viewer.merchantId || !isUuid(input.membershipId)) throw notFound;
  const result = await ctx.db.transaction(async (tx) => {
    const [proposal] = await tx
      .select()
      .from(membershipTable)
      .where(and(eq(membershipTable.id, input.membershipId), eq(membershipTable.merchantId, viewer.merchantId!)))
      .for("update");
    if (!proposal) throw notFound;
    if (!awaitingConsent(proposal))
      throw invalidTransition(
        ["membershipId"],
        effectiveMembershipStatus(proposal, todayIso()),
        msg("membership.answerHint"),
      );
    if (input.accept) return acceptProposal(ctx, tx, proposal, viewer.userId);
    const reason = input.reason?.trim() ? input.reason.trim() : "Declined by the merchant.";
    if (reason.length > 1000) throw UserInputError.of("INVALID", ["reason"], msg("membership.reasonTooLong"));
    const [row] = await tx
      .update(membershipTable)
      .set({ status: "REJECTED", statusReason: reason, updatedAt: new Date() })
      .where(and(eq(membershipTable.chamberId, proposal.chamberId), eq(membershipTable.id, proposal.id)))
      .returning();
    await audit(ctx, tx, "membership:decline", proposal, row!);
    return row!;
  });
  announceRolesChanged(ctx, [result.merchantId]);
  return result;
}

export interface DecideMembershipInput {
  membershipId: string;
  approve: boolean;
  /** The level an approved member takes (default: the level applied for). */
  level?: MembershipLevel | null | undefined;
  /** Required when rejecting. */
  reason?: string | null | undefined;
  joinedOn?: string | null | undefined;
  /** Default: one year from joining; recording dues extends it. */
  expiresOn?: string | null | undefined;
}

export async function decideMembership(ctx: ServiceContext, input: DecideMembershipInput): Promise<MembershipRow> {
  const result = await ctx.db.transaction(async (tx) => {
    const { membership } = await membershipForAction(ctx, tx, "member:approve", input.membershipId, "membershipId");
    const from = effectiveMembershipStatus(membership, todayIso());
    if (from !== "APPLIED") throw invalidTransition(["approve"], from, msg("membership.decideHint"));
    if (input.approve && awaitingConsent(membership))
      throw invalidTransition(["approve"], from, msg("membership.proposalWaitsHint"));
    const errors = new ErrorCollector();
    let changes: Partial<MembershipRow>;
    if (input.approve) {
      const joinedOn = input.joinedOn ?? todayIso();
      const expiresOn = input.expiresOn ?? oneYearFrom(joinedOn);
      if (expiresOn < joinedOn) errors.add(["expiresOn"], msg("membership.expiresBeforeJoined"));
      changes = {
        status: "ACTIVE",
        level: input.level ?? membership.level,
        joinedOn,
        expiresOn,
        statusReason: input.reason?.trim() || null,
      };
    } else {
      const reason = reasonOrError(errors, input.reason, ["reason"], msg("membership.rejectionReasonLabel"));
      changes = { status: "REJECTED", statusReason: reason };
    }
    errors.throwIfAny();
    const [row] = await tx
      .update(membershipTable)
      .set({ ...changes, decidedBy: ctx.permissions.viewer!.userId, updatedAt: new Date() })
      .where(and(eq(membershipTable.chamberId, membership.chamberId), eq(membershipTable.id, membership.id)))
      .returning();
    await audit(ctx, tx, input.approve ? "membership:approve" : "membership:reject", membership, row!);
    return row!;
  });
  announceRolesChanged(ctx, [result.merchantId]);
  return result;
}

export interface ChangeMembershipStatusInput {
  membershipId: string;
  status: MembershipStatus;
  reason?: string | null | undefined;
}

/** Suspend, end (LEFT) or reinstate a suspended membership; a reason is kept with every change. */
export async function changeMembershipStatus(
  ctx: ServiceContext,
  input: ChangeMembershipStatusInput,
): Promise<MembershipRow> {
  const result = await ctx.db.transaction(async (tx) => {
    const { membership } = await membershipForAction(ctx, tx, "member:update", input.membershipId, "membershipId");
    const from = effectiveMembershipStatus(membership, todayIso());
    if (!manualTransitions[from].includes(input.status)) {
      const allowed = manualTransitions[from].map((status) => label("membershipStatus", status));
      const hint =
        input.status === "LAPSED"
          ? msg("membership.lapsedByHandHint")
          : from === "LAPSED" && input.status === "ACTIVE"
            ? msg("membership.renewHint")
            : from === "APPLIED"
              ? msg("membership.applicationHint")
              : allowed.length > 0
                ? msg("membership.cannotBecomeOnlyHint", { status: label("membershipStatus", input.status), allowed })
                : msg("membership.cannotBecomeHint", { status: label("membershipStatus", input.status) });
      throw invalidTransition(["status"], from, hint);
    }
    const errors = new ErrorCollector();
    const reason = reasonOrError(errors, input.reason, ["reason"], msg("membership.reasonLabel"));
    errors.throwIfAny();
    const [row] = await tx
      .update(membershipTable)
      .set({ status: input.status, statusReason: reason, updatedAt: new Date() })
      .where(and(eq(membershipTable.chamberId, membership.chamberId), eq(membershipTable.id, membership.id)))
      .returning();
    await audit(ctx, tx, `membership:${input.status.toLowerCase()}`, membership, row!);
    return row!;
  });
  announceRolesChanged(ctx, [result.merchantId]);
  return result;
}

export interface ChangeMembershipLevelInput {
  membershipId: string;
  level: MembershipLevel;
  reason?: string | null | undefined;
}

/** E.g. DIRECTOR → VICE_PRESIDENT after an election. Ended or refused memberships keep their last level. */
export async function changeMembershipLevel(
  ctx: ServiceContext,
  input: ChangeMembershipLevelInput,
): Promise<MembershipRow> {
  return ctx.db.transaction(async (tx) => {
    const { membership } = await membershipForAction(ctx, tx, "member:update", input.membershipId, "membershipId");
    const from = effectiveMembershipStatus(membership, todayIso());
    if (from === "REJECTED" || from === "LEFT")
      throw invalidTransition(["level"], from, msg("membership.levelFixedHint"));
    if (membership.level === input.level)
      throw UserInputError.of(
        "INVALID",
        ["level"],
        msg("membership.alreadyAtLevel", { level: label("membershipLevel", input.level) }),
      );
    const [row] = await tx
      .update(membershipTable)
      .set({ level: input.level, updatedAt: new Date() })
      .where(and(eq(membershipTable.chamberId, membership.chamberId), eq(membershipTable.id, membership.id)))
      .returning();
    await recordAudit(tx, {
      actorUserId: ctx.permissions.viewer!.userId,
      chamberId: row!.chamberId,
      action: "membership:level",
      entityType: "Membership",
      entityId: row!.id,
      before: { level: membership.level },
      after: { level: row!.level, reason: input.reason?.trim() || null },
    });
    return row!;
  });
}

export async function addMembershipNote(ctx: ServiceContext, input: { membershipId: string; body: string }) {
  return ctx.db.transaction(async (tx) => {
    const { viewer, membership } = await membershipForAction(
      ctx,
      tx,
      "member:note",
      input.membershipId,
      "membershipId",
    );
    const problem = requiredText(input.body, msg("membership.noteLabel"), 5000);
    if (problem) throw UserInputError.of("INVALID", ["body"], problem);
    const [note] = await tx
      .insert(membershipNoteTable)
      .values({
        chamberId: membership.chamberId,
        membershipId: membership.id,
        body: input.body.trim(),
        authorId: viewer.userId,
      })
      .returning();
    // The note's text stays out of the audit trail: federation staff read the trail, and notes are the chamber's alone.
    await recordAudit(tx, {
      actorUserId: viewer.userId,
      chamberId: membership.chamberId,
      action: "membership:note",
      entityType: "MembershipNote",
      entityId: note!.id,
      after: { membershipId: membership.id },
    });
    const written: MembershipNote = { ...note!, authorName: viewer.displayName };
    return { note: written, membership };
  });
}
