// The forming of the 31 provincial chambers: recording steps (in order, dated, back only with a reason),
// the plan behind "behind schedule", and the dashboard figures with a forecast at the current pace.
//
// Decisions (PRODUCT.md: "steps are taken in order; going back needs a reason"):
// - Forward moves are one step at a time; skipping is refused, so every step has its own dated record.
// - A step back may go to any earlier step, and always needs a reason.
// - A step's date is not in the future and not before the date the current step was reached.
// - The provincial chamber row is created, status FORMING, on the first forward step (INITIATED) if the
//   province has none, so the checklist has a chamber to attach to. FOUNDED makes it ACTIVE (founded on the
//   step's date) and moves the province's municipal chambers under it; stepping back from FOUNDED reverses that.
// - APPROVED cannot be recorded while a before-approval checklist item is open.

import {
  chamberTable,
  type Executor,
  type FormationPlanRow,
  type FormationRow,
  type FormationStatus,
  type FormationStepRow,
  formationPlanTable,
  formationStepTable,
  formationTable,
  type ProvinceRow,
  provinceCodes,
  provinceTable,
} from "@wz/db";
import { and, asc, eq, inArray, ne, sql } from "drizzle-orm";
import { recordAudit } from "../audit/audit-log";
import {
  findFederation,
  moveMunicipalUnderFederation,
  moveMunicipalUnderProvincial,
  slugify,
} from "../chambers/chamber-service";
import { addDays, isIsoDate, todayIso } from "../dates";
import { pinyinSortKey } from "../directory/pinyin";
import { ErrorCollector, UserInputError } from "../errors";
import { label, msg } from "../messages";
import type { ServiceContext } from "../service-context";
import { openBeforeApproval } from "./checklist";

export const FORMATION_STEPS: readonly FormationStatus[] = [
  "NOT_STARTED",
  "INITIATED",
  "PREPARATORY",
  "APPLIED",
  "APPROVED",
  "FOUNDED",
];
export const FORMATION_TARGET = 31;
export const FORMATION_DEADLINE = "2015-12-31";

export const stepIndex = (status: FormationStatus) => FORMATION_STEPS.indexOf(status);
export const nextStep = (status: FormationStatus): FormationStatus | null =>
  FORMATION_STEPS[stepIndex(status) + 1] ?? null;

export interface AdvanceFormationInput {
  provinceCode: string;
  status: FormationStatus;
  date: string;
  note?: string | null | undefined;
  reason?: string | null | undefined;
}

export async function advanceFormation(ctx: ServiceContext, input: AdvanceFormationInput, today = todayIso()) {
  const viewer = ctx.permissions.assertPerformAction("formation:advance");
  const provinceCode = input.provinceCode.trim();
  if (!provinceCodes.has(provinceCode))
    throw UserInputError.of(
      "NOT_FOUND",
      ["provinceCode"],
      msg("reference.unknownProvince", { code: input.provinceCode }),
    );
  const errors = new ErrorCollector();
  if (!isIsoDate(input.date)) errors.add(["date"], msg("formation.dateForm"));
  else if (input.date > today) errors.add(["date"], msg("formation.dateInFuture", { date: input.date, today }));
  const note = input.note?.trim() || null;
  const reason = input.reason?.trim() || null;
  if (note && note.length > 2000) errors.add(["note"], msg("formation.noteTooLong"));
  if (reason && reason.length > 2000) errors.add(["reason"], msg("formation.reasonTooLong"));
  errors.throwIfAny();

  const result = await ctx.db.transaction(async (tx) => {
    const [before] = await tx
      .select()
      .from(formationTable)
      .where(eq(formationTable.provinceCode, provinceCode))
      .for("update");
    if (!before)
      throw UserInputError.of("NOT_FOUND", ["provinceCode"], msg("formation.noRecord", { code: provinceCode }));
    const from = stepIndex(before.status);
    const to = stepIndex(input.status);
    const problems = new ErrorCollector();
    if (to === from)
      problems.add(
        ["status"],
        msg("formation.alreadyAt", { status: label("formationStatus", input.status) }),
        "INVALID_TRANSITION",
      );
    else if (to > from + 1)
      problems.add(
        ["status"],
        msg("formation.inOrder", {
          from: label("formationStatus", before.status),
          next: label("formationStatus", FORMATION_STEPS[from + 1] ?? "FOUNDED"),
          to: label("formationStatus", input.status),
        }),
        "INVALID_TRANSITION",
      );
    else if (to < from && !reason)
      problems.add(
        ["reason"],
        msg("formation.backNeedsReason", {
          from: label("formationStatus", before.status),
          to: label("formationStatus", input.status),
        }),
        "INVALID",
      );
    if (before.reachedOn && input.date < before.reachedOn)
      problems.add(
        ["date"],
        msg("formation.dateBeforeReached", {
          reachedOn: before.reachedOn,
          status: label("formationStatus", before.status),
        }),
        "INVALID",
      );
    problems.throwIfAny();

    let chamberId = before.chamberId;
    if (to > from) chamberId = await ensureProvincialChamber(tx, provinceCode, chamberId, viewer.userId);
    if (input.status === "APPROVED" && to > from) {
      const open = await openBeforeApproval(tx, chamberId);
      if (open.length > 0)
        throw UserInputError.of(
          "INVALID_TRANSITION",
          ["status"],
          msg("formation.checklistOpen", { items: open.map((d) => `${d.key} (${d.label})`).join(", ") }),
        );
    }
    if (input.status === "FOUNDED" && chamberId) {
      await setChamberLive(tx, chamberId, input.date, viewer.userId);
      await moveMunicipalUnderProvincial(tx, provinceCode, chamberId, viewer.userId);
    }
    if (before.status === "FOUNDED" && chamberId) {
      await setChamberForming(tx, chamberId, viewer.userId);
      await moveMunicipalUnderFederation(tx, provinceCode, chamberId, viewer.userId);
    }

    const [step] = await tx
      .insert(formationStepTable)
      .values({
        provinceCode,
        fromStatus: before.status,
        toStatus: input.status,
        reachedOn: input.date,
        note,
        reason: to < from ? reason : null,
        recordedBy: viewer.userId,
      })
      .returning();
    const [after] = await tx
      .update(formationTable)
      .set({
        status: input.status,
        reachedOn: input.date,
        chamberId,
        responsibleUserId: viewer.userId,
        updatedAt: new Date(),
      })
      .where(eq(formationTable.provinceCode, provinceCode))
      .returning();
    await recordAudit(tx, {
      actorUserId: viewer.userId,
      chamberId,
      action: to > from ? "formation:advance" : "formation:step-back",
      entityType: "Formation",
      entityId: provinceCode,
      before,
      after: { ...after, step },
    });
    const [province] = await tx.select().from(provinceTable).where(eq(provinceTable.code, provinceCode));
    return { province: province!, step: step! };
  });
  ctx.events.publish({ topic: "formation:changed", provinceCode });
  return result;
}

/** The province's provincial chamber: the linked one, an existing one not yet linked, or a new FORMING one. */
async function ensureProvincialChamber(
  tx: Executor,
  provinceCode: string,
  linked: string | null,
  actorUserId: string,
): Promise<string> {
  if (linked) {
    const [row] = await tx
      .select({ id: chamberTable.id, status: chamberTable.status })
      .from(chamberTable)
      .where(eq(chamberTable.id, linked));
    if (row && row.status !== "DISSOLVED") return row.id;
  }
  const [existing] = await tx
    .select({ id: chamberTable.id })
    .from(chamberTable)
    .where(
      and(
        eq(chamberTable.kind, "PROVINCIAL"),
        eq(chamberTable.provinceCode, provinceCode),
        ne(chamberTable.status, "DISSOLVED"),
      ),
    );
  if (existing) return existing.id;
  return createFormingChamber(tx, provinceCode, actorUserId);
}

export async function createFormingChamber(
  tx: Executor,
  provinceCode: string,
  actorUserId: string | null,
): Promise<string> {
  const federation = await findFederation(tx);
  if (!federation) throw UserInputError.of("INVALID", ["provinceCode"], msg("formation.federationFirst"));
  const [province] = await tx.select().from(provinceTable).where(eq(provinceTable.code, provinceCode));
  if (!province)
    throw UserInputError.of("NOT_FOUND", ["provinceCode"], msg("formation.noProvince", { code: provinceCode }));
  const nameEn = `${province.nameEn} Wenzhou Chamber of Commerce`;
  const base = slugify(nameEn);
  const [taken] = await tx.select({ id: chamberTable.id }).from(chamberTable).where(eq(chamberTable.slug, base));
  const [chamber] = await tx
    .insert(chamberTable)
    .values({
      kind: "PROVINCIAL",
      status: "FORMING",
      name: `${province.name}温州商会`,
      nameSort: pinyinSortKey(`${province.name}温州商会`),
      nameEn,
      slug: taken ? `${base}-${provinceCode}` : base,
      provinceCode,
      parentId: federation.id,
    })
    .returning();
  await recordAudit(tx, {
    actorUserId,
    chamberId: chamber!.id,
    action: "chamber:create",
    entityType: "Chamber",
    entityId: chamber!.id,
    after: chamber,
  });
  return chamber!.id;
}

async function setChamberLive(tx: Executor, chamberId: string, foundedOn: string, actorUserId: string) {
  const [before] = await tx.select().from(chamberTable).where(eq(chamberTable.id, chamberId));
  const [after] = await tx
    .update(chamberTable)
    .set({ status: "ACTIVE", foundedOn, updatedAt: new Date() })
    .where(eq(chamberTable.id, chamberId))
    .returning();
  await recordAudit(tx, {
    actorUserId,
    chamberId,
    action: "chamber:found",
    entityType: "Chamber",
    entityId: chamberId,
    before,
    after,
  });
}

async function setChamberForming(tx: Executor, chamberId: string, actorUserId: string) {
  const [before] = await tx.select().from(chamberTable).where(eq(chamberTable.id, chamberId));
  const [after] = await tx
    .update(chamberTable)
    .set({ status: "FORMING", foundedOn: null, updatedAt: new Date() })
    .where(eq(chamberTable.id, chamberId))
    .returning();
  await recordAudit(tx, {
    actorUserId,
    chamberId,
    action: "chamber:unfound",
    entityType: "Chamber",
    entityId: chamberId,
    before,
    after,
  });
}

export interface PlanFormationInput {
  provinceCode: string;
  targets: { status: FormationStatus; targetOn: string }[];
}

/** Sets target dates for steps of one province; the whole plan (old and new targets) must run in step order. */
export async function planFormation(ctx: ServiceContext, input: PlanFormationInput) {
  const viewer = ctx.permissions.assertPerformAction("formation:plan");
  const provinceCode = input.provinceCode.trim();
  if (!provinceCodes.has(provinceCode))
    throw UserInputError.of(
      "NOT_FOUND",
      ["provinceCode"],
      msg("reference.unknownProvince", { code: input.provinceCode }),
    );
  const errors = new ErrorCollector();
  if (input.targets.length === 0) errors.add(["targets"], msg("formation.targetsEmpty"));
  const seen = new Set<FormationStatus>();
  input.targets.forEach((t, i) => {
    if (t.status === "NOT_STARTED") errors.add(["targets", String(i), "status"], msg("formation.notStartedNoTarget"));
    if (seen.has(t.status))
      errors.add(
        ["targets", String(i), "status"],
        msg("formation.givenTwice", { status: label("formationStatus", t.status) }),
      );
    seen.add(t.status);
    if (!isIsoDate(t.targetOn)) errors.add(["targets", String(i), "targetOn"], msg("formation.targetDateForm"));
  });
  errors.throwIfAny();

  const result = await ctx.db.transaction(async (tx) => {
    const before = await tx.select().from(formationPlanTable).where(eq(formationPlanTable.provinceCode, provinceCode));
    const merged = new Map(before.map((p) => [p.status, p.targetOn]));
    for (const t of input.targets) merged.set(t.status, t.targetOn);
    const ordered = FORMATION_STEPS.filter((s) => merged.has(s)).map((s) => ({ status: s, targetOn: merged.get(s)! }));
    for (let i = 1; i < ordered.length; i++)
      if (ordered[i]!.targetOn < ordered[i - 1]!.targetOn)
        throw UserInputError.of(
          "INVALID",
          ["targets"],
          msg("formation.planInOrder", {
            status: label("formationStatus", ordered[i]!.status),
            targetOn: ordered[i]!.targetOn,
            previous: label("formationStatus", ordered[i - 1]!.status),
            previousOn: ordered[i - 1]!.targetOn,
          }),
        );
    for (const t of input.targets)
      await tx
        .insert(formationPlanTable)
        .values({ provinceCode, status: t.status, targetOn: t.targetOn })
        .onConflictDoUpdate({
          target: [formationPlanTable.provinceCode, formationPlanTable.status],
          set: { targetOn: t.targetOn, updatedAt: new Date() },
        });
    const [formation] = await tx
      .select({ chamberId: formationTable.chamberId })
      .from(formationTable)
      .where(eq(formationTable.provinceCode, provinceCode));
    await recordAudit(tx, {
      actorUserId: viewer.userId,
      chamberId: formation?.chamberId ?? null,
      action: "formation:plan",
      entityType: "FormationPlan",
      entityId: provinceCode,
      before: before.map((p) => ({ status: p.status, targetOn: p.targetOn })),
      after: ordered,
    });
    const [province] = await tx.select().from(provinceTable).where(eq(provinceTable.code, provinceCode));
    return province!;
  });
  ctx.events.publish({ topic: "formation:changed", provinceCode });
  return result;
}

// ---- reading ----

export interface ProvinceFormation {
  province: ProvinceRow;
  formation: FormationRow;
  plan: FormationPlanRow[];
}

/**
 * Each province's formation record and plan, in the order asked for (null for an unknown code): two statements
 * for any number. The record and the plan's existence are public (the dashboard); `formationPlan` and the
 * history are for `formation:read`.
 */
export async function provinceFormations(
  ctx: Pick<ServiceContext, "db" | "permissions">,
  codes: readonly string[],
): Promise<(ProvinceFormation | null)[]> {
  const unique = [...new Set(codes)];
  const rows = unique.length ? await loadProvinceFormations(ctx.db, unique) : [];
  return codes.map((c) => rows.find((r) => r.province.code === c) ?? null);
}

/** Each province's formation step (NOT_STARTED when it has no record), in the order asked for: one statement. */
export async function formationStatuses(
  ctx: Pick<ServiceContext, "db" | "permissions">,
  codes: readonly string[],
): Promise<FormationStatus[]> {
  const unique = [...new Set(codes)];
  const rows = unique.length
    ? await ctx.db
        .select({ provinceCode: formationTable.provinceCode, status: formationTable.status })
        .from(formationTable)
        .where(inArray(formationTable.provinceCode, unique))
    : [];
  const byCode = new Map(rows.map((r) => [r.provinceCode, r.status]));
  return codes.map((c) => byCode.get(c) ?? "NOT_STARTED");
}

/** Each province's formation record and plan, in code order (two statements for all 31). */
async function loadProvinceFormations(db: Executor, codes?: readonly string[]): Promise<ProvinceFormation[]> {
  const rows = await db
    .select({ province: provinceTable, formation: formationTable })
    .from(provinceTable)
    .innerJoin(formationTable, eq(formationTable.provinceCode, provinceTable.code))
    .where(codes ? inArray(provinceTable.code, [...codes]) : undefined)
    .orderBy(asc(provinceTable.code));
  const plans = rows.length
    ? await db
        .select()
        .from(formationPlanTable)
        .where(codes ? inArray(formationPlanTable.provinceCode, [...codes]) : undefined)
    : [];
  return rows.map((r) => ({
    ...r,
    plan: plans
      .filter((p) => p.provinceCode === r.province.code)
      .sort((a, b) => stepIndex(a.status) - stepIndex(b.status)),
  }));
}

/** Behind schedule: a step the province has not reached yet had a target date before today. */
export function isBehindSchedule(f: { formation: FormationRow; plan: FormationPlanRow[] }, today: string): boolean {
  const current = stepIndex(f.formation.status);
  return f.plan.some((p) => stepIndex(p.status) > current && p.targetOn < today);
}

export function nextPlannedStep(f: {
  formation: FormationRow;
  plan: FormationPlanRow[];
}): { status: FormationStatus; targetOn: string | null } | null {
  const next = nextStep(f.formation.status);
  if (!next) return null;
  return { status: next, targetOn: f.plan.find((p) => p.status === next)?.targetOn ?? null };
}

export interface FormationForecast {
  asOf: string;
  /** Net foundings (foundings minus steps back from FOUNDED) dated in the 12 months up to today. */
  foundedLast12Months: number;
  remaining: number;
  /** When the last province would be founded at that pace; null when the pace is zero (it never would). */
  forecastDate: string | null;
  onTrack: boolean;
}

export interface FormationProgressFigures {
  target: number;
  deadline: string;
  founded: number;
  byStatus: { status: FormationStatus; count: number }[];
  behindSchedule: ProvinceRow[];
  forecast: FormationForecast;
}

/** The dashboard's figures: public, the same for every viewer. */
export async function formationProgress(
  ctx: Pick<ServiceContext, "db" | "permissions">,
  today = todayIso(),
): Promise<FormationProgressFigures> {
  const db = ctx.db;
  const all = await loadProvinceFormations(db);
  const counts = new Map<FormationStatus, number>(FORMATION_STEPS.map((s) => [s, 0]));
  for (const f of all) counts.set(f.formation.status, (counts.get(f.formation.status) ?? 0) + 1);
  const founded = counts.get("FOUNDED") ?? 0;
  const windowStart = addDays(today, -365);
  const [pace] = await db
    .select({
      founded: sql<number>`count(*) filter (
          where ${formationStepTable.toStatus} = 'FOUNDED' and ${formationStepTable.fromStatus} <> 'FOUNDED'
        )`.mapWith(Number),
      undone: sql<number>`count(*) filter (
          where ${formationStepTable.fromStatus} = 'FOUNDED' and ${formationStepTable.toStatus} <> 'FOUNDED'
        )`.mapWith(Number),
    })
    .from(formationStepTable)
    .where(
      and(sql`${formationStepTable.reachedOn} > ${windowStart}`, sql`${formationStepTable.reachedOn} <= ${today}`),
    );
  const perYear = Math.max(0, (pace?.founded ?? 0) - (pace?.undone ?? 0));
  const remaining = Math.max(0, FORMATION_TARGET - founded);
  let forecastDate: string | null = null;
  if (remaining === 0) {
    forecastDate = all.reduce<string | null>(
      (latest, f) =>
        f.formation.reachedOn && (!latest || f.formation.reachedOn > latest) ? f.formation.reachedOn : latest,
      null,
    );
  } else if (perYear > 0) {
    forecastDate = addDays(today, Math.ceil((remaining * 365) / perYear));
  }
  return {
    target: FORMATION_TARGET,
    deadline: FORMATION_DEADLINE,
    founded,
    byStatus: FORMATION_STEPS.map((status) => ({ status, count: counts.get(status) ?? 0 })),
    behindSchedule: all.filter((f) => isBehindSchedule(f, today)).map((f) => f.province),
    forecast: {
      asOf: today,
      foundedLast12Months: perYear,
      remaining,
      forecastDate,
      onTrack: forecastDate !== null && forecastDate <= FORMATION_DEADLINE,
    },
  };
}

/** Recorded formation steps by id, in the order asked for; null for an unknown id or without `formation:read`. */
export async function formationStepsByIds(
  ctx: Pick<ServiceContext, "db" | "permissions">,
  ids: readonly number[],
): Promise<(FormationStepRow | null)[]> {
  const valid = [...new Set(ids.filter((id) => Number.isSafeInteger(id) && id > 0))];
  if (!ctx.permissions.can("formation:read") || valid.length === 0) return ids.map(() => null);
  const rows = await ctx.db.select().from(formationStepTable).where(inArray(formationStepTable.id, valid));
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.map((id) => byId.get(id) ?? null);
}

/** Formation histories of several provinces, oldest step first; null without `formation:read`. One statement. */
export async function formationHistories(
  ctx: Pick<ServiceContext, "db" | "permissions">,
  codes: readonly string[],
): Promise<(FormationStepRow[] | null)[]> {
  if (!ctx.permissions.can("formation:read")) return codes.map(() => null);
  if (codes.length === 0) return [];
  const rows = await ctx.db
    .select()
    .from(formationStepTable)
    .where(inArray(formationStepTable.provinceCode, [...codes]))
    .orderBy(asc(formationStepTable.provinceCode), asc(formationStepTable.id));
  return codes.map((c) => rows.filter((r) => r.provinceCode === c));
}
