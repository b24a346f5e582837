// Keeping return-investment projects: creating them (or turning an INVESTMENT_PROJECT lead into one), moving
// their stage, recording arrived capital and its reversals, revising the pledge and changing the investor.
// Each change writes its history row and its audit entry in one transaction; nothing is edited away.
import {
  type CapitalCategory,
  chamberTable,
  type Executor,
  type InvestmentArrivalRow,
  type InvestmentProjectRow,
  type InvestmentStage,
  industrySectionCodes,
  investmentArrivalTable,
  investmentCreditTable,
  investmentMerchantTable,
  investmentPledgeTable,
  investmentProjectTable,
  investmentStageChangeTable,
  merchantTable,
  userTable,
  wenzhouDistrictCodes,
} from "@wz/db";
import { and, eq, inArray, isNull, sql } from "drizzle-orm";
import { recordAudit } from "../audit/audit-log";
import { isIsoDate } from "../dates";
import { ErrorCollector, ForbiddenError, UserInputError } from "../errors";
import { visibleLeadsByIds } from "../leads/lead-queries";
import { fromCents, toCents as parseCents } from "../membership/dues-service";
import { label, msg } from "../messages";
import type { ServiceContext } from "../service-context";
import { isUuid, requiredText } from "../validation";
import { announceInvestmentEvent, appendInvestmentEvent } from "./investment-events";
import { capitalStages, stageMove } from "./investment-rules";
import { addArrivalToDayTotals, withProjectTotals } from "./investment-totals";

const DECIMAL = /^\d{1,14}(\.\d{1,2})?$/;
const PERCENT = /^\d{1,3}(\.\d{1,2})?$/;

/** Hundredths as integers, so that shares and money add up exactly (values already checked or from the database). */
export function cents(value: string): bigint {
  const parsed = parseCents(value);
  if (parsed === null) throw new Error(`not an amount: ${value}`);
  return parsed;
}

export interface CreditInput {
  chamberId: string;
  sharePercent: string;
}

function checkCredits(errors: ErrorCollector, credits: readonly CreditInput[]) {
  if (credits.length === 0) {
    errors.add(["credits"], msg("investment.creditsEmpty"));
    return;
  }
  if (new Set(credits.map((c) => c.chamberId)).size !== credits.length)
    errors.add(["credits"], msg("investment.creditTwice"));
  credits.forEach((c, i) => {
    if (!PERCENT.test(c.sharePercent) || cents(c.sharePercent) <= 0n || cents(c.sharePercent) > 10000n)
      errors.add(["credits", String(i), "sharePercent"], msg("investment.shareRange"));
  });
  const total = credits.reduce((sum, c) => sum + (PERCENT.test(c.sharePercent) ? cents(c.sharePercent) : 0n), 0n);
  if (errors.ok && total !== 10000n)
    errors.add(["credits"], msg("investment.sharesNot100", { total: fromCents(total) }));
}

async function assertChambersExist(tx: Executor, credits: readonly CreditInput[]) {
  const ids = credits.map((c) => c.chamberId);
  const found = ids.every(isUuid)
    ? await tx.select({ id: chamberTable.id }).from(chamberTable).where(inArray(chamberTable.id, ids))
    : [];
  if (found.length !== new Set(ids).size) throw UserInputError.of("NOT_FOUND", ["credits"], msg("chamber.notFound"));
}

async function assertMerchantsExist(tx: Executor, ids: readonly string[], field: string) {
  if (ids.length === 0) return;
  const found = ids.every(isUuid)
    ? await tx
        .select({ id: merchantTable.id })
        .from(merchantTable)
        .where(and(inArray(merchantTable.id, [...ids]), isNull(merchantTable.mergedIntoId)))
    : [];
  if (found.length !== new Set(ids).size) throw UserInputError.of("NOT_FOUND", [field], msg("merchant.notFound"));
}

export interface CreateInvestmentProjectInput {
  name?: string | null | undefined;
  companyName?: string | null | undefined;
  industry?: string | null | undefined;
  district: string;
  pledged?: string | null | undefined;
  keyProject?: boolean | null | undefined;
  greenChannel?: boolean | null | undefined;
  /** The day it was promoted (its first stage). */
  promotedOn: string;
  /** Default for a project from a lead: the lead's chamber, 100 %. */
  credits?: readonly CreditInput[] | null | undefined;
  investorMerchantIds?: readonly string[] | null | undefined;
  /** The INVESTMENT_PROJECT lead it comes from: its chamber is credited and its poster recorded as bringing it. */
  leadId?: string | null | undefined;
}

/**
 * City staff create any project; a chamber's secretaries propose one credited to their chamber alone. A project
 * turned from a lead keeps the link and credits the lead's chamber and poster.
 */
export async function createInvestmentProject(
  ctx: ServiceContext,
  input: CreateInvestmentProjectInput,
): Promise<InvestmentProjectRow> {
  const viewer = ctx.permissions.requireViewer();
  let lead: { chamberId: string; id: string; title: string; amount: string | null; poster: string } | null = null;
  if (input.leadId) {
    const [row] = await visibleLeadsByIds(ctx, [input.leadId]);
    if (!row) throw UserInputError.of("NOT_FOUND", ["leadId"], msg("lead.notFound"));
    if (row.kind !== "INVESTMENT_PROJECT")
      throw UserInputError.of("INVALID", ["leadId"], msg("investment.leadNotInvestment"));
    lead = {
      chamberId: row.chamberId,
      id: row.id,
      title: row.title,
      amount: row.amount,
      poster: row.postedByMerchantId,
    };
  }
  const credits = input.credits ?? (lead ? [{ chamberId: lead.chamberId, sharePercent: "100" }] : []);
  const name = input.name ?? lead?.title ?? "";
  const pledged = input.pledged ?? lead?.amount ?? null;
  const manager = ctx.permissions.can("investment:manage");
  if (!manager) {
    if (credits.length === 0 || !credits.every((c) => ctx.permissions.can("investment:propose", c)))
      throw new ForbiddenError();
  }
  const errors = new ErrorCollector();
  const nameError = requiredText(name, msg("chamber.nameLabel"), 200);
  if (nameError) errors.add(["name"], nameError);
  if (input.industry && !industrySectionCodes.has(input.industry))
    errors.add(["industry"], msg("reference.unknownIndustry", { code: input.industry }));
  if (!wenzhouDistrictCodes.has(input.district))
    errors.add(["district"], msg("reference.unknownDistrict", { code: input.district }));
  if (pledged == null || !DECIMAL.test(pledged)) errors.add(["pledged"], msg("investment.pledgedForm"));
  if (!isIsoDate(input.promotedOn)) errors.add(["promotedOn"], msg("investment.dateForm"));
  checkCredits(errors, credits);
  errors.throwIfAny();
  const investors = [...new Set(input.investorMerchantIds ?? [])];

  const project = await ctx.db.transaction(async (tx) => {
    await assertChambersExist(tx, credits);
    await assertMerchantsExist(tx, investors, "investorMerchantIds");
    if (lead) {
      const [taken] = await tx
        .select({ id: investmentProjectTable.id })
        .from(investmentProjectTable)
        .where(
          and(eq(investmentProjectTable.leadChamberId, lead.chamberId), eq(investmentProjectTable.leadId, lead.id)),
        );
      if (taken) throw UserInputError.of("CONFLICT", ["leadId"], msg("investment.leadTaken"));
    }
    const [project] = await tx
      .insert(investmentProjectTable)
      .values({
        name: name.trim(),
        companyName: input.companyName?.trim() || null,
        industry: input.industry ?? null,
        district: input.district,
        keyProject: input.keyProject ?? false,
        greenChannel: input.greenChannel ?? false,
        stage: "PROMOTED",
        stageOn: input.promotedOn,
        pledged: pledged!,
        leadChamberId: lead?.chamberId ?? null,
        leadId: lead?.id ?? null,
        createdByUserId: viewer.userId,
      })
      .returning();
    if (!project) throw new Error("investment project insert returned nothing");
    await withProjectTotals(tx, project.id, async () => {
      await tx.insert(investmentStageChangeTable).values({
        projectId: project.id,
        toStage: "PROMOTED",
        on: input.promotedOn,
        actorUserId: viewer.userId,
      });
      await tx.insert(investmentPledgeTable).values({
        projectId: project.id,
        kind: "INITIAL",
        delta: pledged!,
        total: pledged!,
        on: input.promotedOn,
        actorUserId: viewer.userId,
      });
      await tx
        .insert(investmentCreditTable)
        .values(credits.map((c) => ({ projectId: project.id, chamberId: c.chamberId, sharePercent: c.sharePercent })));
    });
    const people = [
      ...investors.map((merchantId) => ({ projectId: project.id, merchantId, role: "INVESTOR" as const })),
      ...(lead ? [{ projectId: project.id, merchantId: lead.poster, role: "BROUGHT" as const }] : []),
    ];
    if (people.length > 0) await tx.insert(investmentMerchantTable).values(people);
    await recordAudit(tx, {
      actorUserId: viewer.userId,
      chamberId: null,
      action: "investment:create",
      entityType: "InvestmentProject",
      entityId: project.id,
      after: { ...project, credits, investors },
    });
    return { project, event: await appendInvestmentEvent(tx, project.id, "PROJECT_CREATED") };
  });
  announceInvestmentEvent(ctx, project.event);
  return project.project;
}

/** The project for a change by city staff (locked for the transaction); NOT_FOUND for a missing one. */
export async function projectForChange(
  ctx: ServiceContext,
  tx: Executor,
  projectId: string,
): Promise<InvestmentProjectRow> {
  ctx.permissions.assertPerformAction("investment:manage");
  const [project] = isUuid(projectId)
    ? await tx.select().from(investmentProjectTable).where(eq(investmentProjectTable.id, projectId)).for("update")
    : [];
  if (!project) throw UserInputError.of("NOT_FOUND", ["projectId"], msg("investment.projectNotFound"));
  return project;
}

export interface ChangeInvestmentStageInput {
  projectId: string;
  stage: InvestmentStage;
  on: string;
  reason?: string | null | undefined;
}

/** Stages go forward one at a time; a step back, a drop or a revival needs a reason; dates never go backwards. */
export async function changeInvestmentStage(
  ctx: ServiceContext,
  input: ChangeInvestmentStageInput,
): Promise<InvestmentProjectRow> {
  const viewer = ctx.permissions.assertPerformAction("investment:manage");
  if (!isIsoDate(input.on)) throw UserInputError.of("INVALID", ["on"], msg("investment.dateForm"));
  const result = await ctx.db.transaction(async (tx) => {
    const before = await projectForChange(ctx, tx, input.projectId);
    const move = stageMove(before.stage, input.stage);
    if (move === "invalid")
      throw UserInputError.of(
        "INVALID_TRANSITION",
        ["stage"],
        msg("investment.stageOrder", {
          stage: label("investmentStage", before.stage),
          stage2: label("investmentStage", input.stage),
        }),
      );
    const reason = input.reason?.trim() || null;
    if (move !== "forward" && !reason)
      throw UserInputError.of(
        "INVALID",
        ["reason"],
        msg("investment.stageNeedsReason", {
          stage: label("investmentStage", before.stage),
          stage2: label("investmentStage", input.stage),
        }),
      );
    return recordStageMove(tx, before, input.stage, input.on, reason, viewer.userId, null);
  });
  announceInvestmentEvent(ctx, result.event);
  return result.project;
}

/**
 * Writes one stage move on a project read for change: the project, its history row (with the delegation it was made
 * on, if any), the audit entry and the event. The caller has checked the move; the date must not go backwards.
 */
export async function recordStageMove(
  tx: Executor,
  before: InvestmentProjectRow,
  stage: InvestmentStage,
  on: string,
  reason: string | null,
  actorUserId: string,
  delegationId: string | null,
): Promise<{ project: InvestmentProjectRow; event: Awaited<ReturnType<typeof appendInvestmentEvent>> }> {
  if (on < before.stageOn)
    throw UserInputError.of("INVALID", ["on"], msg("investment.stageDateBefore", { stageOn: before.stageOn }));
  // The day totals move with the stage (a signing credits its chambers), in the same transaction.
  const project = await withProjectTotals(tx, before.id, async () => {
    const [project] = await tx
      .update(investmentProjectTable)
      .set({ stage, stageOn: on, updatedAt: new Date() })
      .where(eq(investmentProjectTable.id, before.id))
      .returning();
    await tx.insert(investmentStageChangeTable).values({
      projectId: before.id,
      fromStage: before.stage,
      toStage: stage,
      on,
      reason,
      delegationId,
      actorUserId,
    });
    return project;
  });
  await recordAudit(tx, {
    actorUserId,
    chamberId: null,
    action: "investment:stage",
    entityType: "InvestmentProject",
    entityId: before.id,
    before: { stage: before.stage, stageOn: before.stageOn },
    after: { stage, stageOn: on, reason, delegationId },
  });
  return { project: project!, event: await appendInvestmentEvent(tx, before.id, "STAGE_CHANGED") };
}

/** What has arrived on a project so far (reversals included), in cents. */
async function arrivedCents(tx: Executor, projectId: string): Promise<bigint> {
  const [row] = await tx
    .select({ total: sql<string>`coalesce(sum(${investmentArrivalTable.amount}), 0)::text` })
    .from(investmentArrivalTable)
    .where(eq(investmentArrivalTable.projectId, projectId));
  return cents(row?.total ?? "0");
}

export interface RecordCapitalArrivalInput {
  projectId: string;
  amount: string;
  arrivedOn: string;
  category: CapitalCategory;
  note?: string | null | undefined;
}

/** Capital arrives on a signed project, and never beyond its pledge (revise the pledge first). */
export async function recordCapitalArrival(
  ctx: ServiceContext,
  input: RecordCapitalArrivalInput,
): Promise<InvestmentArrivalRow> {
  const viewer = ctx.permissions.assertPerformAction("investment:manage");
  const errors = new ErrorCollector();
  if (!DECIMAL.test(input.amount) || cents(input.amount) <= 0n) errors.add(["amount"], msg("investment.amountForm"));
  if (!isIsoDate(input.arrivedOn)) errors.add(["arrivedOn"], msg("investment.dateForm"));
  errors.throwIfAny();
  const result = await ctx.db.transaction(async (tx) => {
    const project = await projectForChange(ctx, tx, input.projectId);
    if (!capitalStages.has(project.stage))
      throw UserInputError.of(
        "INVALID_TRANSITION",
        ["projectId"],
        msg("investment.arrivalNeedsSigned", { stage: label("investmentStage", project.stage) }),
      );
    const after = (await arrivedCents(tx, project.id)) + cents(input.amount);
    if (after > cents(project.pledged))
      throw UserInputError.of(
        "INVALID",
        ["amount"],
        msg("investment.arrivalAbovePledge", { after: fromCents(after), pledged: project.pledged }),
      );
    const arrival = await withProjectTotals(tx, project.id, async () => {
      const [arrival] = await tx
        .insert(investmentArrivalTable)
        .values({
          projectId: project.id,
          arrivedOn: input.arrivedOn,
          amount: input.amount,
          category: input.category,
          note: input.note?.trim() || null,
          actorUserId: viewer.userId,
        })
        .returning();
      await addArrivalToDayTotals(tx, arrival!, project.district);
      return arrival;
    });
    await recordAudit(tx, {
      actorUserId: viewer.userId,
      chamberId: null,
      action: "investment:arrival",
      entityType: "CapitalArrival",
      entityId: arrival!.id,
      after: arrival,
    });
    return { arrival: arrival!, event: await appendInvestmentEvent(tx, project.id, "CAPITAL_ARRIVED") };
  });
  announceInvestmentEvent(ctx, result.event);
  return result.arrival;
}

export interface ReverseCapitalArrivalInput {
  arrivalId: string;
  on: string;
  reason: string;
}

/** A wrong arrival is corrected by an entry of the opposite amount, once; the original stays. */
export async function reverseCapitalArrival(
  ctx: ServiceContext,
  input: ReverseCapitalArrivalInput,
): Promise<InvestmentArrivalRow> {
  const viewer = ctx.permissions.assertPerformAction("investment:manage");
  const errors = new ErrorCollector();
  const reasonError = requiredText(input.reason, msg("investment.reasonLabel"), 500);
  if (reasonError) errors.add(["reason"], reasonError);
  if (!isIsoDate(input.on)) errors.add(["on"], msg("investment.dateForm"));
  errors.throwIfAny();
  const result = await ctx.db.transaction(async (tx) => {
    const [original] = isUuid(input.arrivalId)
      ? await tx.select().from(investmentArrivalTable).where(eq(investmentArrivalTable.id, input.arrivalId))
      : [];
    if (!original) throw UserInputError.of("NOT_FOUND", ["arrivalId"], msg("investment.arrivalNotFound"));
    const project = await projectForChange(ctx, tx, original.projectId);
    if (original.reversesArrivalId)
      throw UserInputError.of("INVALID", ["arrivalId"], msg("investment.reverseReversal"));
    const [already] = await tx
      .select({ id: investmentArrivalTable.id })
      .from(investmentArrivalTable)
      .where(eq(investmentArrivalTable.reversesArrivalId, original.id));
    if (already) throw UserInputError.of("CONFLICT", ["arrivalId"], msg("investment.alreadyReversed"));
    if (input.on < original.arrivedOn)
      throw UserInputError.of("INVALID", ["on"], msg("investment.reversalBeforeArrival"));
    const reversal = await withProjectTotals(tx, project.id, async () => {
      const [reversal] = await tx
        .insert(investmentArrivalTable)
        .values({
          projectId: original.projectId,
          arrivedOn: input.on,
          amount: fromCents(-cents(original.amount)),
          category: original.category,
          reversesArrivalId: original.id,
          note: input.reason.trim(),
          actorUserId: viewer.userId,
        })
        .returning();
      await addArrivalToDayTotals(tx, reversal!, project.district);
      return reversal;
    });
    await recordAudit(tx, {
      actorUserId: viewer.userId,
      chamberId: null,
      action: "investment:reverse-arrival",
      entityType: "CapitalArrival",
      entityId: reversal!.id,
      before: original,
      after: reversal,
    });
    return { reversal: reversal!, event: await appendInvestmentEvent(tx, original.projectId, "CAPITAL_REVERSED") };
  });
  announceInvestmentEvent(ctx, result.event);
  return result.reversal;
}

export interface ReviseInvestmentPledgeInput {
  projectId: string;
  /** The new pledged total. */
  pledged: string;
  on: string;
  /** INCREASE: a capital increase (counts only the increase); REVISION: a correction either way, with a reason. */
  kind: "INCREASE" | "REVISION";
  reason?: string | null | undefined;
}

export async function reviseInvestmentPledge(
  ctx: ServiceContext,
  input: ReviseInvestmentPledgeInput,
): Promise<InvestmentProjectRow> {
  const viewer = ctx.permissions.assertPerformAction("investment:manage");
  const errors = new ErrorCollector();
  if (!DECIMAL.test(input.pledged)) errors.add(["pledged"], msg("investment.pledgedForm"));
  if (!isIsoDate(input.on)) errors.add(["on"], msg("investment.dateForm"));
  const reason = input.reason?.trim() || null;
  if (input.kind === "REVISION" && !reason) errors.add(["reason"], msg("investment.revisionNeedsReason"));
  errors.throwIfAny();
  const result = await ctx.db.transaction(async (tx) => {
    const before = await projectForChange(ctx, tx, input.projectId);
    const delta = cents(input.pledged) - cents(before.pledged);
    if (delta === 0n) throw UserInputError.of("INVALID", ["pledged"], msg("investment.pledgeUnchanged"));
    if (input.kind === "INCREASE" && delta < 0n)
      throw UserInputError.of("INVALID", ["pledged"], msg("investment.increaseMustRaise"));
    const arrived = await arrivedCents(tx, before.id);
    if (cents(input.pledged) < arrived)
      throw UserInputError.of(
        "INVALID",
        ["pledged"],
        msg("investment.pledgeBelowArrived", { arrived: fromCents(arrived) }),
      );
    const project = await withProjectTotals(tx, before.id, () =>
      writePledge(tx, before, input.kind, input.pledged, delta, input.on, reason, viewer.userId),
    );
    return { project, event: await appendInvestmentEvent(tx, before.id, "PLEDGE_REVISED") };
  });
  announceInvestmentEvent(ctx, result.event);
  return result.project;
}

async function writePledge(
  tx: Executor,
  before: InvestmentProjectRow,
  kind: "INCREASE" | "REVISION" | "NEW_INVESTOR",
  total: string,
  delta: bigint,
  on: string,
  reason: string | null,
  actorUserId: string,
): Promise<InvestmentProjectRow> {
  const [project] = await tx
    .update(investmentProjectTable)
    .set({ pledged: total, updatedAt: new Date() })
    .where(eq(investmentProjectTable.id, before.id))
    .returning();
  await tx
    .insert(investmentPledgeTable)
    .values({ projectId: before.id, kind, delta: fromCents(delta), total, on, reason, actorUserId });
  await recordAudit(tx, {
    actorUserId,
    chamberId: null,
    action: "investment:pledge",
    entityType: "InvestmentProject",
    entityId: before.id,
    before: { pledged: before.pledged },
    after: { pledged: total, kind, on, reason },
  });
  return project!;
}

export interface ChangeInvestmentInvestorInput {
  projectId: string;
  on: string;
  investorMerchantIds: readonly string[];
  credits: readonly CreditInput[];
  /** The new investor's pledged total (default: the pledge as it stands). */
  pledged?: string | null | undefined;
  reason: string;
}

/**
 * A new investor takes the project over: the project is credited afresh from that day (arrivals and pledges from
 * then on go to the new chambers, as a new project for them); what came before stays with the old credits.
 */
export async function changeInvestmentInvestor(
  ctx: ServiceContext,
  input: ChangeInvestmentInvestorInput,
): Promise<InvestmentProjectRow> {
  const viewer = ctx.permissions.assertPerformAction("investment:manage");
  const errors = new ErrorCollector();
  if (!isIsoDate(input.on)) errors.add(["on"], msg("investment.dateForm"));
  const reasonError = requiredText(input.reason, msg("investment.reasonLabel"), 500);
  if (reasonError) errors.add(["reason"], reasonError);
  if (input.investorMerchantIds.length === 0) errors.add(["investorMerchantIds"], msg("investment.investorsEmpty"));
  if (input.pledged != null && !DECIMAL.test(input.pledged)) errors.add(["pledged"], msg("investment.pledgedForm"));
  checkCredits(errors, input.credits);
  errors.throwIfAny();
  const result = await ctx.db.transaction(async (tx) => {
    const before = await projectForChange(ctx, tx, input.projectId);
    await assertChambersExist(tx, input.credits);
    await assertMerchantsExist(tx, input.investorMerchantIds, "investorMerchantIds");
    const current = await tx
      .select()
      .from(investmentCreditTable)
      .where(and(eq(investmentCreditTable.projectId, before.id), isNull(investmentCreditTable.validTo)));
    if (current.some((c) => c.validFrom !== null && c.validFrom >= input.on))
      throw UserInputError.of("INVALID", ["on"], msg("investment.investorChangeOrder"));
    const total = input.pledged ?? before.pledged;
    const arrived = await arrivedCents(tx, before.id);
    if (cents(total) < arrived)
      throw UserInputError.of(
        "INVALID",
        ["pledged"],
        msg("investment.pledgeBelowArrived", { arrived: fromCents(arrived) }),
      );
    const project = await withProjectTotals(tx, before.id, async () => {
      await tx
        .update(investmentCreditTable)
        .set({ validTo: input.on })
        .where(and(eq(investmentCreditTable.projectId, before.id), isNull(investmentCreditTable.validTo)));
      await tx.insert(investmentCreditTable).values(
        input.credits.map((c) => ({
          projectId: before.id,
          chamberId: c.chamberId,
          sharePercent: c.sharePercent,
          validFrom: input.on,
        })),
      );
      // the new investor's pledge, counted for the new chambers from the day of the change
      return writePledge(
        tx,
        before,
        "NEW_INVESTOR",
        total,
        cents(total) - cents(before.pledged),
        input.on,
        input.reason.trim(),
        viewer.userId,
      );
    });
    await tx
      .insert(investmentMerchantTable)
      .values(
        [...new Set(input.investorMerchantIds)].map((merchantId) => ({
          projectId: before.id,
          merchantId,
          role: "INVESTOR" as const,
        })),
      )
      .onConflictDoNothing();
    await recordAudit(tx, {
      actorUserId: viewer.userId,
      chamberId: null,
      action: "investment:investor",
      entityType: "InvestmentProject",
      entityId: before.id,
      before: { credits: current },
      after: { credits: input.credits, investors: input.investorMerchantIds, on: input.on, reason: input.reason },
    });
    return { project, event: await appendInvestmentEvent(tx, before.id, "INVESTOR_CHANGED") };
  });
  announceInvestmentEvent(ctx, result.event);
  return result.project;
}

/** For the service officer: a CITY_STAFF account, named on a key project. */
export async function assignServiceOfficer(
  ctx: ServiceContext,
  input: { projectId: string; userId: string },
): Promise<InvestmentProjectRow> {
  const viewer = ctx.permissions.assertPerformAction("investment:manage");
  return ctx.db.transaction(async (tx) => {
    const before = await projectForChange(ctx, tx, input.projectId);
    if (!before.keyProject) throw UserInputError.of("INVALID", ["projectId"], msg("investment.officerNeedsKeyProject"));
    const [officer] = isUuid(input.userId)
      ? await tx
          .select({ id: userTable.id, isCity: userTable.isCityStaff })
          .from(userTable)
          .where(and(eq(userTable.id, input.userId), isNull(userTable.disabledAt)))
      : [];
    if (!officer) throw UserInputError.of("NOT_FOUND", ["userId"], msg("auth.userNotFound"));
    if (!officer.isCity) throw UserInputError.of("INVALID", ["userId"], msg("investment.officerNotCityStaff"));
    const [project] = await tx
      .update(investmentProjectTable)
      .set({ serviceOfficerUserId: officer.id, updatedAt: new Date() })
      .where(eq(investmentProjectTable.id, before.id))
      .returning();
    await recordAudit(tx, {
      actorUserId: viewer.userId,
      chamberId: null,
      action: "investment:service-officer",
      entityType: "InvestmentProject",
      entityId: before.id,
      before: { serviceOfficerUserId: before.serviceOfficerUserId },
      after: { serviceOfficerUserId: officer.id },
    });
    return project!;
  });
}
