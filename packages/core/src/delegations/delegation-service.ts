// Keeping delegations home (组团回乡投资考察): planning one (organising chambers, dates, the merchants taking part,
// the places and companies visited, the city's contacts), confirming, cancelling, and completing it with what came of
// it: projects moved to NEGOTIATING or SIGNED on it and framework agreements with their pledged sums. A project is
// credited to the delegation that first signed it, once: the signing is its stage move (counted by the
// return-investment figures like any other), and a project signed before cannot be signed on a delegation again.
import {
  chamberTable,
  type DelegationOutcome,
  type DelegationRow,
  type DelegationStatus,
  delegationAgreementTable,
  delegationChamberTable,
  delegationContactTable,
  delegationParticipantTable,
  delegationProjectTable,
  delegationTable,
  delegationVisitTable,
  type Executor,
  investmentStageChangeTable,
  membershipTable,
  userTable,
} from "@wz/db";
import { and, eq, inArray, isNull } from "drizzle-orm";
import { recordAudit } from "../audit/audit-log";
import { isIsoDate } from "../dates";
import { ErrorCollector, ForbiddenError, UserInputError } from "../errors";
import { isUniqueViolation } from "../membership/membership-access";
import { label, msg } from "../messages";
import { announceInvestmentEvent } from "../return-investment/investment-events";
import { projectForChange, recordStageMove } from "../return-investment/investment-service";
import type { ServiceContext } from "../service-context";
import { isUuid, requiredText } from "../validation";
import { canKeepDelegation, delegationMoveAllowed } from "./delegation-rules";

const DECIMAL = /^\d{1,14}(\.\d{1,2})?$/;

export interface DelegationVisitInput {
  place: string;
  company?: string | null | undefined;
  visitedOn?: string | null | undefined;
}

export interface DelegationDetailsInput {
  title: string;
  chamberIds: readonly string[];
  startsOn: string;
  endsOn: string;
  participantMerchantIds?: readonly string[] | null | undefined;
  visits?: readonly DelegationVisitInput[] | null | undefined;
  cityContactUserIds?: readonly string[] | null | undefined;
  notes?: string | null | undefined;
}

function checkDetails(input: DelegationDetailsInput): void {
  const errors = new ErrorCollector();
  const titleError = requiredText(input.title, msg("delegation.titleLabel"), 200);
  if (titleError) errors.add(["title"], titleError);
  if (input.chamberIds.length === 0) errors.add(["chamberIds"], msg("delegation.chambersEmpty"));
  if (new Set(input.chamberIds).size !== input.chamberIds.length)
    errors.add(["chamberIds"], msg("delegation.chamberTwice"));
  if (!isIsoDate(input.startsOn)) errors.add(["startsOn"], msg("investment.dateForm"));
  if (!isIsoDate(input.endsOn)) errors.add(["endsOn"], msg("investment.dateForm"));
  else if (isIsoDate(input.startsOn) && input.endsOn < input.startsOn)
    errors.add(["endsOn"], msg("delegation.endsBeforeStart"));
  (input.visits ?? []).forEach((v, i) => {
    const placeError = requiredText(v.place, msg("delegation.placeLabel"), 200);
    if (placeError) errors.add(["visits", String(i), "place"], placeError);
    if (v.company && v.company.trim().length > 200)
      errors.add(["visits", String(i), "company"], msg("input.atMostCharacters", { max: 200 }));
    if (v.visitedOn != null && !isIsoDate(v.visitedOn))
      errors.add(["visits", String(i), "visitedOn"], msg("investment.dateForm"));
  });
  if (input.notes && input.notes.length > 2000) errors.add(["notes"], msg("input.atMostCharacters", { max: 2000 }));
  errors.throwIfAny();
}

/**
 * The participants with the organising chamber each takes part through: only a merchant with an ACTIVE membership of
 * an organising chamber may be named (not a merchant of another chamber, one who left, one whose proposal waits).
 */
async function participantChambers(
  tx: Executor,
  chamberIds: readonly string[],
  merchantIds: readonly string[],
): Promise<{ merchantId: string; chamberId: string }[]> {
  const wanted = [...new Set(merchantIds)];
  if (wanted.length === 0) return [];
  const rows = wanted.every(isUuid)
    ? await tx
        .select({ merchantId: membershipTable.merchantId, chamberId: membershipTable.chamberId })
        .from(membershipTable)
        .where(
          and(
            inArray(membershipTable.merchantId, wanted),
            inArray(membershipTable.chamberId, [...chamberIds]),
            eq(membershipTable.status, "ACTIVE"),
          ),
        )
    : [];
  const through = new Map<string, string>();
  for (const chamberId of chamberIds)
    for (const r of rows)
      if (r.chamberId === chamberId && !through.has(r.merchantId)) through.set(r.merchantId, chamberId);
  const missing = wanted.findIndex((id) => !through.has(id));
  if (missing >= 0)
    throw UserInputError.of(
      "INVALID",
      ["participantMerchantIds", String(merchantIds.indexOf(wanted[missing]!))],
      msg("delegation.participantNotMember"),
    );
  return wanted.map((merchantId) => ({ merchantId, chamberId: through.get(merchantId)! }));
}

async function assertCityContacts(tx: Executor, userIds: readonly string[]): Promise<string[]> {
  const wanted = [...new Set(userIds)];
  if (wanted.length === 0) return [];
  const rows = wanted.every(isUuid)
    ? await tx
        .select({ id: userTable.id })
        .from(userTable)
        .where(and(inArray(userTable.id, wanted), eq(userTable.isCityStaff, true), isNull(userTable.disabledAt)))
    : [];
  if (rows.length !== wanted.length)
    throw UserInputError.of("INVALID", ["cityContactUserIds"], msg("delegation.contactNotCityStaff"));
  return wanted;
}

async function assertChambers(tx: Executor, chamberIds: readonly string[]) {
  const rows = chamberIds.every(isUuid)
    ? await tx
        .select({ id: chamberTable.id })
        .from(chamberTable)
        .where(inArray(chamberTable.id, [...chamberIds]))
    : [];
  if (rows.length !== chamberIds.length) throw UserInputError.of("NOT_FOUND", ["chamberIds"], msg("chamber.notFound"));
}

/** Writes the delegation's organisers, participants, visits and contacts (after clearing them, for an update). */
async function writeDetails(tx: Executor, delegationId: string, input: DelegationDetailsInput, replace: boolean) {
  await assertChambers(tx, input.chamberIds);
  const participants = await participantChambers(tx, input.chamberIds, input.participantMerchantIds ?? []);
  const contacts = await assertCityContacts(tx, input.cityContactUserIds ?? []);
  if (replace) {
    await tx.delete(delegationParticipantTable).where(eq(delegationParticipantTable.delegationId, delegationId));
    await tx.delete(delegationChamberTable).where(eq(delegationChamberTable.delegationId, delegationId));
    await tx.delete(delegationVisitTable).where(eq(delegationVisitTable.delegationId, delegationId));
    await tx.delete(delegationContactTable).where(eq(delegationContactTable.delegationId, delegationId));
  }
  await tx.insert(delegationChamberTable).values(input.chamberIds.map((chamberId) => ({ delegationId, chamberId })));
  if (participants.length)
    await tx.insert(delegationParticipantTable).values(participants.map((p) => ({ delegationId, ...p })));
  const visits = (input.visits ?? []).map((v) => ({
    delegationId,
    place: v.place.trim(),
    company: v.company?.trim() || null,
    visitedOn: v.visitedOn ?? null,
  }));
  if (visits.length) await tx.insert(delegationVisitTable).values(visits);
  if (contacts.length)
    await tx.insert(delegationContactTable).values(contacts.map((userId) => ({ delegationId, userId })));
  return { participants, visits, contacts };
}

/** City staff plan any delegation; a chamber's secretaries one organised by their chambers alone. */
export async function createDelegation(ctx: ServiceContext, input: DelegationDetailsInput): Promise<DelegationRow> {
  const viewer = ctx.permissions.requireViewer();
  if (!canKeepDelegation(ctx.permissions, input.chamberIds)) throw new ForbiddenError();
  checkDetails(input);
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .insert(delegationTable)
      .values({
        title: input.title.trim(),
        startsOn: input.startsOn,
        endsOn: input.endsOn,
        notes: input.notes?.trim() || null,
        createdByUserId: viewer.userId,
      })
      .returning();
    const details = await writeDetails(tx, row!.id, input, false);
    await recordAudit(tx, {
      actorUserId: viewer.userId,
      chamberId: input.chamberIds.length === 1 ? input.chamberIds[0]! : null,
      action: "delegation:create",
      entityType: "Delegation",
      entityId: row!.id,
      after: { ...row, chamberIds: input.chamberIds, ...details },
    });
    return row!;
  });
}

/**
 * The delegation for a change, locked for the transaction. One the viewer may not keep is NOT_FOUND unless they may
 * see it (then FORBIDDEN): a foreign id answers like a missing one.
 */
async function delegationForChange(
  ctx: ServiceContext,
  tx: Executor,
  delegationId: string,
): Promise<{ delegation: DelegationRow; chamberIds: string[] }> {
  const notFound = () => UserInputError.of("NOT_FOUND", ["delegationId"], msg("delegation.notFound"));
  if (!isUuid(delegationId)) throw notFound();
  const [delegation] = await tx
    .select()
    .from(delegationTable)
    .where(eq(delegationTable.id, delegationId))
    .for("update");
  if (!delegation) throw notFound();
  const chamberIds = (
    await tx
      .select({ chamberId: delegationChamberTable.chamberId })
      .from(delegationChamberTable)
      .where(eq(delegationChamberTable.delegationId, delegationId))
  ).map((r) => r.chamberId);
  if (!canKeepDelegation(ctx.permissions, chamberIds)) {
    const sees =
      ctx.permissions.can("delegation:read-all") ||
      ctx.permissions.canIn("delegation:read", chamberIds) ||
      ctx.permissions.canIn("delegation:organise", chamberIds);
    if (sees) throw new ForbiddenError();
    throw notFound();
  }
  return { delegation, chamberIds };
}

function refuseMove(from: DelegationStatus, to: DelegationStatus): UserInputError {
  return UserInputError.of(
    "INVALID_TRANSITION",
    ["delegationId"],
    msg("delegation.statusOrder", {
      from: label("delegationStatus", from),
      to: label("delegationStatus", to),
    }),
  );
}

export interface UpdateDelegationInput extends DelegationDetailsInput {
  delegationId: string;
}

/** Changes a PLANNED or CONFIRMED delegation's details; the organisers given must be the viewer's to keep too. */
export async function updateDelegation(ctx: ServiceContext, input: UpdateDelegationInput): Promise<DelegationRow> {
  const viewer = ctx.permissions.requireViewer();
  return ctx.db.transaction(async (tx) => {
    const { delegation: before, chamberIds } = await delegationForChange(ctx, tx, input.delegationId);
    if (!canKeepDelegation(ctx.permissions, input.chamberIds)) throw new ForbiddenError();
    if (before.status === "DONE" || before.status === "CANCELLED")
      throw UserInputError.of(
        "INVALID_TRANSITION",
        ["delegationId"],
        msg("delegation.closed", { status: label("delegationStatus", before.status) }),
      );
    checkDetails(input);
    const [row] = await tx
      .update(delegationTable)
      .set({
        title: input.title.trim(),
        startsOn: input.startsOn,
        endsOn: input.endsOn,
        notes: input.notes?.trim() || null,
        updatedAt: new Date(),
      })
      .where(eq(delegationTable.id, before.id))
      .returning();
    const details = await writeDetails(tx, before.id, input, true);
    await recordAudit(tx, {
      actorUserId: viewer.userId,
      chamberId: null,
      action: "delegation:update",
      entityType: "Delegation",
      entityId: before.id,
      before: { ...before, chamberIds },
      after: { ...row, chamberIds: input.chamberIds, ...details },
    });
    return row!;
  });
}

async function move(
  ctx: ServiceContext,
  delegationId: string,
  to: "CONFIRMED" | "CANCELLED",
  reason: string | null,
): Promise<DelegationRow> {
  const viewer = ctx.permissions.requireViewer();
  return ctx.db.transaction(async (tx) => {
    const { delegation: before } = await delegationForChange(ctx, tx, delegationId);
    if (!delegationMoveAllowed(before.status, to)) throw refuseMove(before.status, to);
    const [row] = await tx
      .update(delegationTable)
      .set({ status: to, cancelReason: reason, updatedAt: new Date() })
      .where(eq(delegationTable.id, before.id))
      .returning();
    await recordAudit(tx, {
      actorUserId: viewer.userId,
      chamberId: null,
      action: to === "CONFIRMED" ? "delegation:confirm" : "delegation:cancel",
      entityType: "Delegation",
      entityId: before.id,
      before: { status: before.status },
      after: { status: to, reason },
    });
    return row!;
  });
}

export function confirmDelegation(ctx: ServiceContext, input: { delegationId: string }): Promise<DelegationRow> {
  return move(ctx, input.delegationId, "CONFIRMED", null);
}

export function cancelDelegation(
  ctx: ServiceContext,
  input: { delegationId: string; reason: string },
): Promise<DelegationRow> {
  const reasonError = requiredText(input.reason, msg("investment.reasonLabel"), 500);
  if (reasonError) throw UserInputError.of("INVALID", ["reason"], reasonError);
  return move(ctx, input.delegationId, "CANCELLED", input.reason.trim());
}

export interface CompleteDelegationInput {
  delegationId: string;
  /** The day the results are dated (default: the delegation's last day); not before it started. */
  on?: string | null | undefined;
  projects?: readonly { projectId: string; outcome: DelegationOutcome }[] | null | undefined;
  agreements?: readonly { title: string; pledged: string; signedOn?: string | null | undefined }[] | null | undefined;
}

/**
 * CONFIRMED → DONE with its results. Moving projects is the city's (investment:manage): NEGOTIATING takes a PROMOTED
 * project on; SIGNED signs a PROMOTED or NEGOTIATING project that was never signed (the first signing is the one
 * credited, so a project signed before, on a delegation or not, is a CONFLICT).
 */
export async function completeDelegation(ctx: ServiceContext, input: CompleteDelegationInput): Promise<DelegationRow> {
  const viewer = ctx.permissions.requireViewer();
  const projects = input.projects ?? [];
  const agreements = input.agreements ?? [];
  if (projects.length > 0 && !ctx.permissions.can("investment:manage")) throw new ForbiddenError();
  const errors = new ErrorCollector();
  if (input.on != null && !isIsoDate(input.on)) errors.add(["on"], msg("investment.dateForm"));
  if (new Set(projects.map((p) => p.projectId)).size !== projects.length)
    errors.add(["projects"], msg("delegation.projectTwice"));
  agreements.forEach((a, i) => {
    const titleError = requiredText(a.title, msg("delegation.titleLabel"), 200);
    if (titleError) errors.add(["agreements", String(i), "title"], titleError);
    if (!DECIMAL.test(a.pledged)) errors.add(["agreements", String(i), "pledged"], msg("investment.pledgedForm"));
    if (a.signedOn != null && !isIsoDate(a.signedOn))
      errors.add(["agreements", String(i), "signedOn"], msg("investment.dateForm"));
  });
  errors.throwIfAny();
  const result = await ctx.db.transaction(async (tx) => {
    const { delegation: before } = await delegationForChange(ctx, tx, input.delegationId);
    if (!delegationMoveAllowed(before.status, "DONE")) throw refuseMove(before.status, "DONE");
    const on = input.on ?? before.endsOn;
    if (on < before.startsOn) throw UserInputError.of("INVALID", ["on"], msg("delegation.resultBeforeStart"));
    const events = [];
    for (const [i, result] of projects.entries()) {
      const field = ["projects", String(i), "projectId"];
      const project = await projectForChange(ctx, tx, result.projectId).catch((error: unknown) => {
        if (error instanceof UserInputError)
          throw UserInputError.of("NOT_FOUND", field, msg("investment.projectNotFound"));
        throw error;
      });
      const [signedBefore] = await tx
        .select({ id: investmentStageChangeTable.id })
        .from(investmentStageChangeTable)
        .where(
          and(eq(investmentStageChangeTable.projectId, project.id), eq(investmentStageChangeTable.toStage, "SIGNED")),
        )
        .limit(1);
      const path: ("NEGOTIATING" | "SIGNED")[] =
        result.outcome === "NEGOTIATING"
          ? project.stage === "PROMOTED"
            ? ["NEGOTIATING"]
            : []
          : signedBefore
            ? []
            : project.stage === "PROMOTED"
              ? ["NEGOTIATING", "SIGNED"]
              : project.stage === "NEGOTIATING"
                ? ["SIGNED"]
                : [];
      if (result.outcome === "SIGNED" && signedBefore)
        throw UserInputError.of("CONFLICT", field, msg("delegation.signedBefore"));
      if (path.length === 0)
        throw UserInputError.of(
          "INVALID_TRANSITION",
          field,
          msg("delegation.projectCannotMove", {
            stage: label("investmentStage", project.stage),
            outcome: label("delegationOutcome", result.outcome),
          }),
        );
      let current = project;
      for (const stage of path) {
        const moved = await recordStageMove(tx, current, stage, on, null, viewer.userId, before.id);
        current = moved.project;
        events.push(moved.event);
      }
      try {
        await tx
          .insert(delegationProjectTable)
          .values({ delegationId: before.id, projectId: project.id, outcome: result.outcome });
      } catch (error) {
        if (isUniqueViolation(error)) throw UserInputError.of("CONFLICT", field, msg("delegation.signedBefore"));
        throw error;
      }
    }
    const agreementRows = agreements.map((a) => ({
      delegationId: before.id,
      title: a.title.trim(),
      pledged: a.pledged,
      signedOn: a.signedOn ?? on,
    }));
    if (agreementRows.length) await tx.insert(delegationAgreementTable).values(agreementRows);
    const [row] = await tx
      .update(delegationTable)
      .set({ status: "DONE", updatedAt: new Date() })
      .where(eq(delegationTable.id, before.id))
      .returning();
    await recordAudit(tx, {
      actorUserId: viewer.userId,
      chamberId: null,
      action: "delegation:complete",
      entityType: "Delegation",
      entityId: before.id,
      before: { status: before.status },
      after: {
        status: "DONE",
        on,
        projects,
        agreements: agreementRows,
      },
    });
    return { row: row!, events };
  });
  for (const event of result.events) announceInvestmentEvent(ctx, event);
  return result.row;
}
