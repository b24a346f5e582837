// Formation of the 31 provincial chambers: the dashboard (formationProgress), each province's history,
// plan and next step, the checklist behind approval, the mutations that record them, and live updates.
import {
  advanceFormation,
  type ChecklistItemView,
  chamberChecklists,
  checklistItemsByKeys,
  type FormationForecast,
  type FormationProgressFigures,
  formationHistories,
  formationProgress,
  formationStepsByIds,
  isBehindSchedule,
  nextPlannedStep,
  planFormation,
  provinceFormations,
  provincesByCodes,
  renderMessage,
  todayIso,
  type UserErrorEntry,
  updateChecklistItem,
} from "@wz/core";
import type { FormationStatus, FormationStepRow, ProvinceRow } from "@wz/db";
import { builder } from "../builder";
import { ChamberRef, FormationStatusEnum, ProvinceRef } from "../chambers/chamber";
import { contextLoader } from "../common/context-loader";
import { numericNodeKey, splitTenantNodeKey, tenantNodeKey } from "../common/node-keys";
import { objectPayloadType, payloadType, withUserErrors } from "../common/user-errors";
import type { GraphQLContext } from "../context";
import { UserRef } from "../viewer/viewer";

/** Batched but not cached: a formationChanged subscription (one context, many events) reads the current state. */
const uncached = { cache: false } as const;

/** Each province's formation record and plan, batched per request (two statements for any number). */
function provinceFormation(ctx: GraphQLContext, code: string) {
  return contextLoader(ctx, "provinceFormations", (codes) => provinceFormations(ctx, codes), uncached).load(code);
}

const FormationStepRef = builder.loadableNode("FormationStep", {
  description:
    "One recorded step of a province's formation (组建步骤: forward, or back with a reason). Federation staff only: " +
    "for anyone else its id reads as missing.",
  id: { resolve: (step: FormationStepRow) => String(step.id) },
  load: (ids: string[], ctx) => formationStepsByIds(ctx, ids.map(numericNodeKey)),
  fields: (t) => ({
    fromStatus: t.expose("fromStatus", { type: FormationStatusEnum, description: "The step before." }),
    toStatus: t.expose("toStatus", { type: FormationStatusEnum, description: "The step reached (or gone back to)." }),
    reachedOn: t.expose("reachedOn", { type: "Date", description: "When it happened." }),
    note: t.exposeString("note", { nullable: true, description: "The staff member's note, if any." }),
    reason: t.exposeString("reason", {
      nullable: true,
      description: "Why the formation went back; null for forward steps.",
    }),
    recordedBy: t.field({
      type: UserRef,
      nullable: true,
      description: "The federation staff member responsible.",
      resolve: (s) => s.recordedBy,
    }),
    recordedAt: t.expose("createdAt", { type: "DateTime", description: "When it was recorded here." }),
  }),
});

const PlannedStepRef = builder
  .objectRef<{ status: FormationStatus; targetOn: string | null }>("FormationPlannedStep")
  .implement({
    description: "A formation step and the date it is planned for (目标日期).",
    fields: (t) => ({
      status: t.expose("status", { type: FormationStatusEnum, description: "The step." }),
      targetOn: t.expose("targetOn", {
        type: "Date",
        nullable: true,
        description: "When it should be reached; null when not planned.",
      }),
    }),
  });

builder.objectFields(ProvinceRef, (t) => ({
  reachedOn: t.field({
    type: "Date",
    nullable: true,
    description: "When the current formation step was reached.",
    resolve: async (p, _args, ctx) => (await provinceFormation(ctx, p.code))?.formation.reachedOn ?? null,
  }),
  responsible: t.field({
    type: UserRef,
    nullable: true,
    description: "The federation staff member who recorded the current step (visible to federation staff).",
    resolve: async (p, _args, ctx) => (await provinceFormation(ctx, p.code))?.formation.responsibleUserId ?? null,
  }),
  behindSchedule: t.boolean({
    description: "A step not yet reached had a target date before today.",
    resolve: async (p, _args, ctx) => {
      const f = await provinceFormation(ctx, p.code);
      return f ? isBehindSchedule(f, todayIso()) : false;
    },
  }),
  nextPlannedStep: t.field({
    type: PlannedStepRef,
    nullable: true,
    description: "The next step and its target date (if planned); null once FOUNDED.",
    resolve: async (p, _args, ctx) => {
      const f = await provinceFormation(ctx, p.code);
      return f ? nextPlannedStep(f) : null;
    },
  }),
  formationPlan: t.field({
    type: [PlannedStepRef],
    nullable: true,
    description: "Federation staff: the target date of each planned step.",
    resolve: async (p, _args, ctx) => {
      if (!ctx.permissions.can("formation:read")) return null;
      return (await provinceFormation(ctx, p.code))?.plan ?? [];
    },
  }),
  formationHistory: t.field({
    type: [FormationStepRef],
    nullable: true,
    description: "Federation staff: every recorded step, oldest first (null for anyone else).",
    resolve: (p, _args, ctx) =>
      contextLoader(ctx, "formationHistories", (codes) => formationHistories(ctx, codes), uncached).load(p.code),
  }),
}));

// ---- checklist ----

const ChecklistItemRef = builder.loadableNode("ChecklistItem", {
  description:
    "One item of a chamber's checklist (组建清单): before approval (members, premises, candidates, charter) or once " +
    "live. Its id names the chamber and the item; federation staff and the chamber's secretaries can load it.",
  id: { resolve: (item: ChecklistItemView) => tenantNodeKey(item, item.definition.key) },
  load: (ids: string[], ctx) =>
    checklistItemsByKeys(
      ctx,
      ids.map((id) => {
        const key = splitTenantNodeKey(id);
        return key ? { chamberId: key.chamberId, item: key.rest } : { chamberId: "", item: "" };
      }),
    ),
  fields: (t) => ({
    item: t.string({ description: "The catalogue key, e.g. CHARTER.", resolve: (i) => i.definition.key }),
    label: t.string({
      description: "What the item asks for, in English with the Chinese term, e.g. Charter (章程).",
      resolve: (i) => i.definition.label,
    }),
    phase: t.string({
      description: "BEFORE_APPROVAL (required for APPROVED) or LIVE.",
      resolve: (i) => i.definition.phase,
    }),
    valueLabel: t.string({
      nullable: true,
      description: "What `value` records for this item, if anything.",
      resolve: (i, _args, context) => {
        const label = i.definition.value?.label;
        return label ? renderMessage(label, context.locale) : null;
      },
    }),
    done: t.exposeBoolean("done", { description: "Whether it is ticked." }),
    doneOn: t.expose("doneOn", { type: "Date", nullable: true, description: "When it was done; null while open." }),
    note: t.exposeString("note", { nullable: true, description: "The staff member's note, if any." }),
    value: t.exposeString("value", {
      nullable: true,
      description: "The recorded value (see valueLabel), e.g. a count of member firms; null when none.",
    }),
    checkedBy: t.field({
      type: UserRef,
      nullable: true,
      description: "Who last ticked or reopened it; null if nobody has.",
      resolve: (i) => i.checkedBy,
    }),
  }),
});

builder.objectFields(ChamberRef, (t) => ({
  checklist: t.field({
    type: [ChecklistItemRef],
    nullable: true,
    description:
      "Federation staff and this chamber's secretaries: the checklist behind approval and life as a chamber.",
    // The federation keeps no checklist: it reads as null.
    resolve: (chamber, _args, ctx) =>
      chamber.kind === "FEDERATION"
        ? null
        : contextLoader(ctx, "chamberChecklists", (ids) => chamberChecklists(ctx, ids)).load(chamber.id),
  }),
}));

// ---- the dashboard ----

const FormationStatusCountRef = builder
  .objectRef<{ status: FormationStatus; count: number }>("FormationStatusCount")
  .implement({
    description: "How many of the 31 provinces are at one formation step.",
    fields: (t) => ({
      status: t.expose("status", { type: FormationStatusEnum, description: "The step." }),
      count: t.exposeInt("count", { description: "Provinces at that step now." }),
    }),
  });

const FormationForecastRef = builder.objectRef<FormationForecast>("FormationForecast").implement({
  description:
    "When the 31st provincial chamber would be founded at the pace of the last 12 months. With no foundings in that " +
    "window there is no forecast date and onTrack is false.",
  fields: (t) => ({
    asOf: t.expose("asOf", { type: "Date", description: "The day the forecast is made (today, China time)." }),
    foundedLast12Months: t.exposeInt("foundedLast12Months", {
      description: "Net foundings dated in the 12 months up to asOf.",
    }),
    remaining: t.exposeInt("remaining", { description: "Provincial chambers still to be founded." }),
    forecastDate: t.expose("forecastDate", {
      type: "Date",
      nullable: true,
      description: "When the last would be founded at that pace; null without foundings in the window.",
    }),
    onTrack: t.exposeBoolean("onTrack", { description: "The forecast date is on or before the deadline." }),
  }),
});

const FormationProgressRef = builder.objectRef<FormationProgressFigures>("FormationProgress").implement({
  description: "The 2015 target at a glance: one provincial chamber in each of the 31 provincial divisions.",
  fields: (t) => ({
    target: t.exposeInt("target", { description: "Provincial chambers to found: 31." }),
    deadline: t.expose("deadline", { type: "Date", description: "The deadline: 2015-12-31." }),
    founded: t.exposeInt("founded", { description: "Provinces whose chamber is FOUNDED." }),
    byStatus: t.field({
      type: [FormationStatusCountRef],
      description: "Every step, zeros included, in step order.",
      resolve: (p) => p.byStatus,
    }),
    behindSchedule: t.field({
      type: [ProvinceRef],
      description: "Provinces with a planned step overdue, in code order.",
      resolve: (p) => p.behindSchedule,
    }),
    forecast: t.field({
      type: FormationForecastRef,
      description: "Whether the deadline will be met at the current pace.",
      resolve: (p) => p.forecast,
    }),
  }),
});

builder.queryFields((t) => ({
  formationProgress: t.field({
    type: FormationProgressRef,
    description: "The dashboard of the 31 provincial chambers' formation (public figures: counts and provinces).",
    resolve: (_root, _args, ctx) => formationProgress(ctx),
  }),
}));

// ---- mutations ----

type FormationPayloadShape = {
  province?: ProvinceRow | null;
  step?: FormationStepRow | null;
  userErrors: UserErrorEntry[];
};

const FormationPayloadRef = payloadType<FormationPayloadShape>(
  "FormationPayload",
  (t) => ({
    province: t.field({
      type: ProvinceRef,
      nullable: true,
      description: "The province as it now is; null when refused.",
      resolve: (p) => p.province ?? null,
    }),
    step: t.field({
      type: FormationStepRef,
      nullable: true,
      description: "The step just recorded (advanceFormation).",
      resolve: (p) => p.step ?? null,
    }),
  }),
  "The result of advanceFormation or planFormation: the province (and step recorded), or userErrors.",
);

const AdvanceFormationInput = builder.inputType("AdvanceFormationInput", {
  description:
    "Record a province's next step (one step at a time, in order) or a step back (any earlier step, with a reason). " +
    "The date is when it happened: not in the future, not before the current step's date.",
  fields: (t) => ({
    provinceCode: t.string({ required: true, description: "GB/T 2260 code of the province." }),
    status: t.field({ type: FormationStatusEnum, required: true, description: "The step reached or gone back to." }),
    date: t.field({ type: "Date", required: true, description: "When it happened." }),
    note: t.string({ description: "A note kept with the step." }),
    reason: t.string({ description: "Required for a step back." }),
  }),
});

const PlannedStepInput = builder.inputType("FormationTargetInput", {
  description: "A target date for one formation step.",
  fields: (t) => ({
    status: t.field({ type: FormationStatusEnum, required: true, description: "The step (not NOT_STARTED)." }),
    targetOn: t.field({ type: "Date", required: true, description: "When it should be reached." }),
  }),
});

const PlanFormationInput = builder.inputType("PlanFormationInput", {
  description: "Target dates for some steps of one province; the whole plan must run in step order.",
  fields: (t) => ({
    provinceCode: t.string({ required: true, description: "GB/T 2260 code of the province." }),
    targets: t.field({
      type: [PlannedStepInput],
      required: true,
      description: "Target dates to set; steps left out keep theirs.",
    }),
  }),
});

const UpdateChecklistItemInput = builder.inputType("UpdateChecklistItemInput", {
  description: "Ticks or reopens one item of a chamber's checklist.",
  fields: (t) => ({
    chamberId: t.globalID({
      for: ChamberRef,
      required: true,
      description: "A provincial, municipal or overseas chamber.",
    }),
    item: t.string({
      required: true,
      description:
        "MEMBER_FIRMS, PREMISES, PRESIDENT_CANDIDATE, SECRETARY_GENERAL_CANDIDATE, CHARTER, SUPERVISORY_BOARD, " +
        "FULL_TIME_STAFF, PRESIDENT_TERMS.",
    }),
    done: t.boolean({ required: true, description: "true ticks the item; false reopens it." }),
    doneOn: t.field({ type: "Date", description: "When it was done; default today. Not in the future." }),
    note: t.string({ description: "A note kept with the item." }),
    value: t.string({
      description:
        "A count for MEMBER_FIRMS and FULL_TIME_STAFF (at least 2); the president's term (1 or 2) for PRESIDENT_TERMS.",
    }),
  }),
});

const ChecklistItemPayloadRef = objectPayloadType(
  "ChecklistItemPayload",
  "item",
  ChecklistItemRef,
  "The result of updateChecklistItem: the item, or userErrors.",
);

builder.mutationFields((t) => ({
  advanceFormation: t.field({
    type: FormationPayloadRef,
    description:
      "Federation staff: record a formation step. FOUNDED makes the provincial chamber live and moves the province's " +
      "municipal chambers under it. userErrors: INVALID (date, missing reason), NOT_FOUND (province), " +
      "INVALID_TRANSITION (not the next step, or APPROVED with checklist items open).",
    args: {
      input: t.arg({
        type: AdvanceFormationInput,
        required: true,
        description: "The request; each field is described on its type.",
      }),
    },
    resolve: (_root, { input }, ctx) =>
      withUserErrors(() => advanceFormation(ctx, { ...input, status: input.status as FormationStatus })),
  }),
  planFormation: t.field({
    type: FormationPayloadRef,
    description:
      "Federation staff: set target dates for a province's steps, so behindSchedule means something. userErrors: " +
      "INVALID (dates out of step order), NOT_FOUND (province).",
    args: {
      input: t.arg({
        type: PlanFormationInput,
        required: true,
        description: "The request; each field is described on its type.",
      }),
    },
    resolve: (_root, { input }, ctx) =>
      withUserErrors(async () => ({
        province: await planFormation(ctx, {
          provinceCode: input.provinceCode,
          targets: input.targets.map((x) => ({ status: x.status as FormationStatus, targetOn: x.targetOn })),
        }),
      })),
  }),
  updateChecklistItem: t.field({
    type: ChecklistItemPayloadRef,
    description:
      "Federation staff: tick (with a date and note) or reopen one checklist item of a forming or live chamber. " +
      "userErrors: INVALID (item, date, value), NOT_FOUND (chamber).",
    args: {
      input: t.arg({
        type: UpdateChecklistItemInput,
        required: true,
        description: "The request; each field is described on its type.",
      }),
    },
    resolve: (_root, { input }, ctx) =>
      withUserErrors(async () => ({
        item: await updateChecklistItem(ctx, { ...input, chamberId: input.chamberId.id }),
      })),
  }),
}));

// ---- live updates ----

builder.subscriptionFields((t) => ({
  formationChanged: t.field({
    type: ProvinceRef,
    description: "Federation staff: a province's formation changed (sent after the change is committed).",
    subscribe: (_root, _args, ctx) => {
      ctx.permissions.assertPerformAction("formation:read");
      return ctx.bus.subscribe("formation:changed");
    },
    resolve: async (event, _args, ctx) => {
      const [province] = await provincesByCodes(ctx, [event.provinceCode]);
      if (!province) throw new Error(`formation event for unknown province ${event.provinceCode}`);
      return province;
    },
  }),
}));
