// Return investment (温商回归) as GraphQL: projects and their stages, arrived capital and its reversals,
// pledges and credits, the year's target and progress against it, service officers and the problems they clear.
import {
  arrivalsByProjectIds,
  arrivedByProjectIds,
  assignServiceOfficer,
  type InvestmentProjectFilter as CoreInvestmentProjectFilter,
  changeInvestmentInvestor,
  changeInvestmentStage,
  countInvestmentProjects,
  countOverdueInvestmentProblems,
  createInvestmentProject,
  creditsByProjectIds,
  lastInvestmentEventSeq,
  listInvestmentProjects,
  merchantsByProjectIds,
  msg,
  overdueInvestmentProblems,
  problemsByProjectIds,
  type ReturnInvestmentProgress,
  type ReturnInvestmentTarget,
  raiseInvestmentProblem,
  readInvestmentEvents,
  recordCapitalArrival,
  returnInvestmentProgress,
  returnInvestmentTarget,
  reverseCapitalArrival,
  reviseInvestmentPledge,
  type ServiceOfficerCard,
  serviceOfficerCards,
  setReturnInvestmentTarget,
  stageChangesByProjectIds,
  todayIso,
  UserInputError,
  updateInvestmentProblem,
  visibleCapitalArrivalsByIds,
  visibleInvestmentProblemsByIds,
  visibleInvestmentProjectsByIds,
} from "@wz/core";
import {
  type CapitalCategory,
  capitalCategoryEnum,
  type InvestmentArrivalRow,
  type InvestmentCreditRow,
  type InvestmentEventKind,
  type InvestmentProblemKind,
  type InvestmentProblemRow,
  type InvestmentProjectRow,
  type InvestmentStage,
  type InvestmentStageChangeRow,
  investmentEventKindEnum,
  investmentProblemKindEnum,
  investmentProblemStatusEnum,
  investmentStageEnum,
} from "@wz/db";
import { Repeater } from "graphql-yoga";
import { builder } from "../builder";
import { ChamberRef } from "../chambers/chamber";
import { connectionType, keysetConnection } from "../common/connections";
import { contextLoader } from "../common/context-loader";
import { orderByKeys } from "../common/load";
import { objectPayloadType, withUserErrors } from "../common/user-errors";
import type { GraphQLContext } from "../context";
import { MerchantRef } from "../directory/merchant";
import { LeadRef } from "../leads/lead";
import { UserRef } from "../viewer/viewer";

export const InvestmentStageEnum = builder.enumType("InvestmentStage", { values: investmentStageEnum.enumValues });
export const CapitalCategoryEnum = builder.enumType("CapitalCategory", {
  description: "RETURN_OUTSIDE_PROVINCE 省外回归资金; REAL_ESTATE_OUTSIDE_CITY 市外房地产资金.",
  values: capitalCategoryEnum.enumValues,
});
const InvestmentProblemKindEnum = builder.enumType("InvestmentProblemKind", {
  values: investmentProblemKindEnum.enumValues,
});
const InvestmentProblemStatusEnum = builder.enumType("InvestmentProblemStatus", {
  values: investmentProblemStatusEnum.enumValues,
});
const PledgeRevisionKindEnum = builder.enumType("PledgeRevisionKind", {
  description: "INCREASE: a capital increase (counts only the increase); REVISION: a correction, with a reason.",
  values: ["INCREASE", "REVISION"] as const,
});

// Children of projects the viewer has read through the visibility rule: one statement for all parents.
// Batched but not cached: a subscription's context lives on, and each event must read its project anew.
const uncached = { cache: false } as const;
const arrivedLoader = (ctx: GraphQLContext) =>
  contextLoader(ctx, "investmentArrived", (ids) => arrivedByProjectIds(ctx.db, ids), uncached);
const arrivalsLoader = (ctx: GraphQLContext) =>
  contextLoader(ctx, "investmentArrivals", (ids) => arrivalsByProjectIds(ctx.db, ids), uncached);
const creditsLoader = (ctx: GraphQLContext) =>
  contextLoader(ctx, "investmentCredits", (ids) => creditsByProjectIds(ctx.db, ids), uncached);
const stagesLoader = (ctx: GraphQLContext) =>
  contextLoader(ctx, "investmentStages", (ids) => stageChangesByProjectIds(ctx.db, ids), uncached);
const problemsLoader = (ctx: GraphQLContext) =>
  contextLoader(ctx, "investmentProblems", (ids) => problemsByProjectIds(ctx.db, ids), uncached);
const merchantsLoader = (ctx: GraphQLContext) =>
  contextLoader(ctx, "investmentMerchants", (ids) => merchantsByProjectIds(ctx.db, ids), uncached);
const officerLoader = (ctx: GraphQLContext) =>
  contextLoader(ctx, "investmentOfficers", (ids) => serviceOfficerCards(ctx.db, ids), uncached);

const InvestmentCreditRef = builder.objectRef<InvestmentCreditRow>("InvestmentCredit").implement({
  description: "A chamber credited with a project, its share, and when the credit applies (a new investor: afresh).",
  fields: (t) => ({
    chamber: t.field({ type: ChamberRef, resolve: (c) => c.chamberId }),
    sharePercent: t.float({ resolve: (c) => Number(c.sharePercent) }),
    validFrom: t.expose("validFrom", { type: "Date", nullable: true, description: "Null: since the project began." }),
    validTo: t.expose("validTo", { type: "Date", nullable: true, description: "Null: still in effect." }),
  }),
});

const InvestmentStageChangeRef = builder.objectRef<InvestmentStageChangeRow>("InvestmentStageChange").implement({
  fields: (t) => ({
    fromStage: t.expose("fromStage", { type: InvestmentStageEnum, nullable: true }),
    toStage: t.expose("toStage", { type: InvestmentStageEnum }),
    on: t.expose("on", { type: "Date" }),
    reason: t.exposeString("reason", { nullable: true }),
  }),
});

const ServiceOfficerCardRef = builder.objectRef<ServiceOfficerCard>("ServiceOfficerCard").implement({
  description: "How the investor reaches the key project's service officer (重点项目服务员).",
  fields: (t) => ({
    displayName: t.exposeString("displayName"),
    email: t.exposeString("email"),
  }),
});

export const InvestmentProjectRef = builder.loadableNode("InvestmentProject", {
  description:
    "A return-investment project (回归项目). City and federation staff see every one; a chamber's secretaries " +
    "those credited to their chamber; a merchant those they invest in or brought.",
  id: { resolve: (p: InvestmentProjectRow) => p.id },
  load: async (ids: string[], ctx) => orderByKeys(ids, await visibleInvestmentProjectsByIds(ctx, ids), (p) => p.id),
  sort: (p) => p.id,
  fields: (t) => ({
    name: t.exposeString("name"),
    companyName: t.exposeString("companyName", { nullable: true }),
    industry: t.exposeString("industry", { nullable: true, description: "GB/T 4754 section code." }),
    district: t.exposeString("district", { description: "The Wenzhou district where the project lands." }),
    stage: t.expose("stage", { type: InvestmentStageEnum }),
    stageOn: t.expose("stageOn", { type: "Date", description: "When the project reached its stage." }),
    pledged: t.expose("pledged", { type: "Decimal", description: "The pledged total as it stands (CNY)." }),
    arrived: t.field({
      type: "Decimal",
      description: "Capital arrived so far, reversals included (CNY).",
      resolve: (p, _args, ctx) => arrivedLoader(ctx).load(p.id),
    }),
    keyProject: t.exposeBoolean("keyProject", { description: "重点项目." }),
    greenChannel: t.exposeBoolean("greenChannel", { description: "审批绿色通道." }),
    createdAt: t.expose("createdAt", { type: "DateTime" }),
    lead: t.field({
      type: LeadRef,
      nullable: true,
      description: "The INVESTMENT_PROJECT lead the project was turned from (null when the viewer may not see it).",
      resolve: (p) => p.leadId,
    }),
    credits: t.field({
      type: [InvestmentCreditRef],
      resolve: (p, _args, ctx) => creditsLoader(ctx).load(p.id),
    }),
    investors: t.field({
      type: [MerchantRef],
      resolve: async (p, _args, ctx) =>
        (await merchantsLoader(ctx).load(p.id)).filter((m) => m.role === "INVESTOR").map((m) => m.merchantId),
    }),
    broughtBy: t.field({
      type: MerchantRef,
      nullable: true,
      description: "Who brought the project (the poster of its lead).",
      resolve: async (p, _args, ctx) =>
        (await merchantsLoader(ctx).load(p.id)).find((m) => m.role === "BROUGHT")?.merchantId ?? null,
    }),
    stageHistory: t.field({
      type: [InvestmentStageChangeRef],
      resolve: (p, _args, ctx) => stagesLoader(ctx).load(p.id),
    }),
    serviceOfficer: t.field({
      type: ServiceOfficerCardRef,
      nullable: true,
      resolve: (p, _args, ctx) => (p.serviceOfficerUserId ? officerLoader(ctx).load(p.serviceOfficerUserId) : null),
    }),
  }),
});

export const CapitalArrivalRef = builder.loadableNode("CapitalArrival", {
  description: "Arrived capital (到位资金) on a project; a correction is a reversing entry of the opposite amount.",
  id: { resolve: (a: InvestmentArrivalRow) => a.id },
  load: async (ids: string[], ctx) => orderByKeys(ids, await visibleCapitalArrivalsByIds(ctx, ids), (a) => a.id),
  sort: (a) => a.id,
  fields: (t) => ({
    arrivedOn: t.expose("arrivedOn", { type: "Date" }),
    amount: t.expose("amount", { type: "Decimal", description: "Negative for a reversal." }),
    category: t.expose("category", { type: CapitalCategoryEnum }),
    note: t.exposeString("note", { nullable: true }),
    project: t.field({ type: InvestmentProjectRef, resolve: (a) => a.projectId }),
  }),
});

builder.objectFields(CapitalArrivalRef, (t) => ({
  reverses: t.field({
    type: CapitalArrivalRef,
    nullable: true,
    description: "For a reversal: the arrival it reverses.",
    resolve: (a) => a.reversesArrivalId,
  }),
}));

export const InvestmentProblemRef = builder.loadableNode("InvestmentProblem", {
  description: "A problem a project raised (land, funds, approvals…), for a department to clear by a date.",
  id: { resolve: (p: InvestmentProblemRow) => p.id },
  load: async (ids: string[], ctx) => orderByKeys(ids, await visibleInvestmentProblemsByIds(ctx, ids), (p) => p.id),
  sort: (p) => p.id,
  fields: (t) => ({
    kind: t.expose("kind", { type: InvestmentProblemKindEnum }),
    description: t.exposeString("description"),
    department: t.exposeString("department", { description: "The department responsible." }),
    dueOn: t.expose("dueOn", { type: "Date" }),
    status: t.expose("status", { type: InvestmentProblemStatusEnum }),
    overdue: t.boolean({ resolve: (p) => p.status === "OPEN" && p.dueOn < todayIso() }),
    resolution: t.exposeString("resolution", { nullable: true }),
    resolvedOn: t.expose("resolvedOn", { type: "Date", nullable: true }),
    project: t.field({ type: InvestmentProjectRef, resolve: (p) => p.projectId }),
  }),
});

builder.objectFields(InvestmentProjectRef, (t) => ({
  arrivals: t.field({
    type: [CapitalArrivalRef],
    description: "Every arrival and reversal, oldest first.",
    resolve: (p, _args, ctx) => arrivalsLoader(ctx).load(p.id),
  }),
  problems: t.field({
    type: [InvestmentProblemRef],
    resolve: (p, _args, ctx) => problemsLoader(ctx).load(p.id),
  }),
}));

const InvestmentProjectFilter = builder.inputType("InvestmentProjectFilter", {
  fields: (t) => ({
    stages: t.field({ type: [InvestmentStageEnum] }),
    keyProject: t.boolean(),
    district: t.string({ description: "Wenzhou district code." }),
    chamberId: t.globalID({ for: ChamberRef, description: "Projects credited to this chamber." }),
  }),
});

const InvestmentProjectConnection = connectionType(InvestmentProjectRef, "InvestmentProject");
const InvestmentProblemConnection = connectionType(InvestmentProblemRef, "InvestmentProblem");

interface CategoryShape {
  category: CapitalCategory;
  arrived: string;
  previousYearSamePeriod: string;
  growthPercent: number | null;
}
const CapitalCategoryProgressRef = builder.objectRef<CategoryShape>("CapitalCategoryProgress").implement({
  fields: (t) => ({
    category: t.expose("category", { type: CapitalCategoryEnum }),
    arrived: t.expose("arrived", { type: "Decimal" }),
    previousYearSamePeriod: t.expose("previousYearSamePeriod", {
      type: "Decimal",
      description: "The same window of the year before.",
    }),
    growthPercent: t.exposeFloat("growthPercent", {
      nullable: true,
      description: "14.9 means +14.9 % on the year before; null when the previous window is zero.",
    }),
  }),
});

const MonthProgressRef = builder.objectRef<{ month: number; arrived: string }>("MonthProgress").implement({
  fields: (t) => ({
    month: t.exposeInt("month"),
    arrived: t.expose("arrived", { type: "Decimal" }),
  }),
});

type DistrictShape = ReturnInvestmentProgress["byDistrict"][number];
const DistrictProgressRef = builder.objectRef<DistrictShape>("DistrictProgress").implement({
  fields: (t) => ({
    districtCode: t.exposeString("districtCode"),
    target: t.expose("target", { type: "Decimal", description: "The district's share of the year's target." }),
    arrived: t.expose("arrived", { type: "Decimal" }),
    percentOfTarget: t.exposeFloat("percentOfTarget"),
  }),
});

type ChamberShape = ReturnInvestmentProgress["byChamber"][number];
const ChamberInvestmentProgressRef = builder.objectRef<ChamberShape>("ChamberInvestmentProgress").implement({
  description: "What a chamber is credited with, on its own and through the tree (the counted-once credits).",
  fields: (t) => ({
    chamber: t.field({ type: ChamberRef, resolve: (c) => c.chamberId }),
    arrived: t.expose("arrived", { type: "Decimal" }),
    arrivedIncludingDescendants: t.expose("arrivedIncludingDescendants", { type: "Decimal" }),
    projectsSigned: t.exposeFloat("projectsSigned", { description: "A 50 % share of a project counts 0.5." }),
    projectsSignedIncludingDescendants: t.exposeFloat("projectsSignedIncludingDescendants"),
    pledged: t.expose("pledged", { type: "Decimal", description: "A capital increase counts only the increase." }),
    pledgedIncludingDescendants: t.expose("pledgedIncludingDescendants", { type: "Decimal" }),
  }),
});

const ReturnInvestmentProgressRef = builder.objectRef<ReturnInvestmentProgress>("ReturnInvestmentProgress").implement({
  description: "Arrived capital against the year's target, from 1 January to `asOf`.",
  fields: (t) => ({
    year: t.exposeInt("year"),
    asOf: t.expose("asOf", { type: "Date" }),
    target: t.expose("target", { type: "Decimal" }),
    arrived: t.expose("arrived", { type: "Decimal" }),
    percentOfTarget: t.exposeFloat("percentOfTarget", { description: "24.84 means 24.84 %." }),
    previousYearSamePeriod: t.expose("previousYearSamePeriod", { type: "Decimal" }),
    growthPercent: t.exposeFloat("growthPercent", { nullable: true }),
    byCategory: t.field({ type: [CapitalCategoryProgressRef], resolve: (p) => p.byCategory }),
    byMonth: t.field({ type: [MonthProgressRef], resolve: (p) => p.byMonth }),
    byDistrict: t.field({ type: [DistrictProgressRef], resolve: (p) => p.byDistrict }),
    byChamber: t.field({ type: [ChamberInvestmentProgressRef], resolve: (p) => p.byChamber }),
  }),
});

type DistrictTargetShape = ReturnInvestmentTarget["districts"][number];
const DistrictTargetRef = builder.objectRef<DistrictTargetShape>("DistrictTarget").implement({
  fields: (t) => ({
    districtCode: t.exposeString("districtCode"),
    amount: t.expose("amount", { type: "Decimal" }),
  }),
});
const ReturnInvestmentTargetRef = builder.objectRef<ReturnInvestmentTarget>("ReturnInvestmentTarget").implement({
  fields: (t) => ({
    year: t.exposeInt("year"),
    amount: t.expose("amount", { type: "Decimal" }),
    districts: t.field({ type: [DistrictTargetRef], resolve: (r) => r.districts }),
  }),
});

interface FilterValue {
  stages?: readonly string[] | null;
  keyProject?: boolean | null;
  district?: string | null;
  chamberId?: { id: string } | null;
}
function toFilter(filter: FilterValue | null | undefined): CoreInvestmentProjectFilter | null {
  if (!filter) return null;
  return {
    stages: filter.stages as InvestmentStage[] | null | undefined,
    keyProject: filter.keyProject,
    district: filter.district,
    chamberId: filter.chamberId?.id ?? null,
  };
}

builder.queryFields((t) => ({
  investmentProjects: t.connection(
    {
      type: InvestmentProjectRef,
      description: "Return-investment projects the viewer may see, newest first.",
      args: { filter: t.arg({ type: InvestmentProjectFilter }) },
      resolve: (_root, args, ctx) => {
        ctx.permissions.requireViewer();
        const filter = toFilter(args.filter);
        return keysetConnection(args, {
          toKey: (p: InvestmentProjectRow) => [p.createdAt.toISOString(), p.id],
          page: (page) => listInvestmentProjects(ctx, filter, page),
          count: () => countInvestmentProjects(ctx, filter),
        });
      },
    },
    InvestmentProjectConnection,
  ),
  returnInvestmentProgress: t.field({
    type: ReturnInvestmentProgressRef,
    description: "City and federation staff: arrived capital against the year's target up to `asOf` (default today).",
    args: { year: t.arg.int({ required: true }), asOf: t.arg({ type: "Date" }) },
    extensions: { cost: { statements: 3 } },
    resolve: (_root, args, ctx) => returnInvestmentProgress(ctx, args.year, args.asOf),
  }),
  returnInvestmentTarget: t.field({
    type: ReturnInvestmentTargetRef,
    nullable: true,
    description: "City and federation staff: the year's target and its split by district (null when none is set).",
    args: { year: t.arg.int({ required: true }) },
    extensions: { cost: { statements: 2 } },
    resolve: (_root, args, ctx) => returnInvestmentTarget(ctx, args.year),
  }),
  overdueInvestmentProblems: t.connection(
    {
      type: InvestmentProblemRef,
      description: "Open problems past their due date on projects the viewer may see, most overdue first.",
      args: { asOf: t.arg({ type: "Date" }) },
      resolve: (_root, args, ctx) => {
        ctx.permissions.requireViewer();
        const asOf = args.asOf ?? todayIso();
        return keysetConnection(args, {
          toKey: (p: InvestmentProblemRow) => [p.dueOn, p.id],
          page: (page) => overdueInvestmentProblems(ctx, asOf, page),
          count: () => countOverdueInvestmentProblems(ctx, asOf),
        });
      },
    },
    InvestmentProblemConnection,
  ),
}));

const CreditInput = builder.inputType("InvestmentCreditInput", {
  fields: (t) => ({
    chamberId: t.globalID({ for: ChamberRef, required: true }),
    sharePercent: t.field({ type: "Decimal", required: true, description: "Shares of a project sum to 100." }),
  }),
});
type CreditValue = { chamberId: { id: string }; sharePercent: string };
const toCredits = (credits: readonly CreditValue[] | null | undefined) =>
  credits?.map((c) => ({ chamberId: c.chamberId.id, sharePercent: c.sharePercent })) ?? null;

const CreateInvestmentProjectInput = builder.inputType("CreateInvestmentProjectInput", {
  fields: (t) => ({
    name: t.string({ description: "Required unless the project comes from a lead (default: the lead's title)." }),
    companyName: t.string(),
    industry: t.string({ description: "GB/T 4754 section code." }),
    district: t.string({ required: true, description: "The Wenzhou district where it lands." }),
    pledged: t.field({ type: "Decimal", description: "Total pledged (default for a lead: its amount)." }),
    keyProject: t.boolean(),
    greenChannel: t.boolean(),
    promotedOn: t.field({ type: "Date", required: true }),
    credits: t.field({ type: [CreditInput], description: "Default for a lead: its chamber, 100 %." }),
    investorMerchantIds: t.globalIDList({ for: MerchantRef }),
    leadId: t.globalID({ for: LeadRef, description: "An INVESTMENT_PROJECT lead to turn into the project." }),
  }),
});

const ChangeInvestmentStageInput = builder.inputType("ChangeInvestmentStageInput", {
  fields: (t) => ({
    projectId: t.globalID({ for: InvestmentProjectRef, required: true }),
    stage: t.field({ type: InvestmentStageEnum, required: true }),
    on: t.field({ type: "Date", required: true }),
    reason: t.string({ description: "Required to go back, to drop or to revive a dropped project." }),
  }),
});

const RecordCapitalArrivalInput = builder.inputType("RecordCapitalArrivalInput", {
  fields: (t) => ({
    projectId: t.globalID({ for: InvestmentProjectRef, required: true }),
    amount: t.field({ type: "Decimal", required: true }),
    arrivedOn: t.field({ type: "Date", required: true }),
    category: t.field({ type: CapitalCategoryEnum, required: true }),
    note: t.string(),
  }),
});

const ReverseCapitalArrivalInput = builder.inputType("ReverseCapitalArrivalInput", {
  fields: (t) => ({
    arrivalId: t.globalID({ for: CapitalArrivalRef, required: true }),
    on: t.field({ type: "Date", required: true }),
    reason: t.string({ required: true }),
  }),
});

const ReviseInvestmentPledgeInput = builder.inputType("ReviseInvestmentPledgeInput", {
  fields: (t) => ({
    projectId: t.globalID({ for: InvestmentProjectRef, required: true }),
    pledged: t.field({ type: "Decimal", required: true, description: "The new pledged total." }),
    on: t.field({ type: "Date", required: true }),
    kind: t.field({ type: PledgeRevisionKindEnum, required: true }),
    reason: t.string(),
  }),
});

const ChangeInvestmentInvestorInput = builder.inputType("ChangeInvestmentInvestorInput", {
  fields: (t) => ({
    projectId: t.globalID({ for: InvestmentProjectRef, required: true }),
    on: t.field({ type: "Date", required: true }),
    investorMerchantIds: t.globalIDList({ for: MerchantRef, required: true }),
    credits: t.field({ type: [CreditInput], required: true }),
    pledged: t.field({ type: "Decimal", description: "The new investor's pledged total (default: unchanged)." }),
    reason: t.string({ required: true }),
  }),
});

const SetReturnInvestmentTargetInput = builder.inputType("SetReturnInvestmentTargetInput", {
  fields: (t) => ({
    year: t.int({ required: true }),
    amount: t.field({ type: "Decimal", required: true }),
    districts: t.field({ type: [DistrictTargetInput], required: true }),
  }),
});
const DistrictTargetInput = builder.inputType("DistrictTargetInput", {
  fields: (t) => ({
    districtCode: t.string({ required: true }),
    amount: t.field({ type: "Decimal", required: true }),
  }),
});

const AssignServiceOfficerInput = builder.inputType("AssignServiceOfficerInput", {
  fields: (t) => ({
    projectId: t.globalID({ for: InvestmentProjectRef, required: true }),
    userId: t.globalID({ for: UserRef, required: true, description: "A CITY_STAFF account." }),
  }),
});

const RaiseInvestmentProblemInput = builder.inputType("RaiseInvestmentProblemInput", {
  fields: (t) => ({
    projectId: t.globalID({ for: InvestmentProjectRef, required: true }),
    kind: t.field({ type: InvestmentProblemKindEnum, required: true }),
    description: t.string({ required: true }),
    department: t.string({ required: true }),
    dueOn: t.field({ type: "Date", required: true }),
  }),
});

const UpdateInvestmentProblemInput = builder.inputType("UpdateInvestmentProblemInput", {
  fields: (t) => ({
    problemId: t.globalID({ for: InvestmentProblemRef, required: true }),
    dueOn: t.field({ type: "Date" }),
    department: t.string(),
    resolution: t.string({ description: "Resolving: what was done (with resolvedOn)." }),
    resolvedOn: t.field({ type: "Date" }),
  }),
});

const InvestmentProjectPayload = objectPayloadType("InvestmentProjectPayload", "project", InvestmentProjectRef);
const CapitalArrivalPayload = objectPayloadType("CapitalArrivalPayload", "arrival", CapitalArrivalRef);
const InvestmentProblemPayload = objectPayloadType("InvestmentProblemPayload", "problem", InvestmentProblemRef);
const ReturnInvestmentTargetPayload = objectPayloadType(
  "ReturnInvestmentTargetPayload",
  "target",
  ReturnInvestmentTargetRef,
);

builder.mutationFields((t) => ({
  createInvestmentProject: t.field({
    type: InvestmentProjectPayload,
    description:
      "City staff create a project; a chamber's secretaries propose one credited to their chamber. From an " +
      "INVESTMENT_PROJECT lead it keeps the link and credits the lead's chamber and poster.",
    args: { input: t.arg({ type: CreateInvestmentProjectInput, required: true }) },
    resolve: (_root, { input }, ctx) =>
      withUserErrors(async () => ({
        project: await createInvestmentProject(ctx, {
          ...input,
          credits: toCredits(input.credits),
          investorMerchantIds: input.investorMerchantIds?.map((m) => m.id),
          leadId: input.leadId?.id,
        }),
      })),
  }),
  changeInvestmentStage: t.field({
    type: InvestmentProjectPayload,
    description: "PROMOTED → NEGOTIATING → SIGNED → TO_START → UNDER_CONSTRUCTION → IN_OPERATION, or DROPPED.",
    args: { input: t.arg({ type: ChangeInvestmentStageInput, required: true }) },
    resolve: (_root, { input }, ctx) =>
      withUserErrors(async () => ({
        project: await changeInvestmentStage(ctx, {
          ...input,
          projectId: input.projectId.id,
          stage: input.stage as InvestmentStage,
        }),
      })),
  }),
  recordCapitalArrival: t.field({
    type: CapitalArrivalPayload,
    args: { input: t.arg({ type: RecordCapitalArrivalInput, required: true }) },
    resolve: (_root, { input }, ctx) =>
      withUserErrors(async () => ({
        arrival: await recordCapitalArrival(ctx, {
          ...input,
          projectId: input.projectId.id,
          category: input.category as CapitalCategory,
        }),
      })),
  }),
  reverseCapitalArrival: t.field({
    type: CapitalArrivalPayload,
    description: "Corrects an arrival by an entry of the opposite amount (the original stays).",
    args: { input: t.arg({ type: ReverseCapitalArrivalInput, required: true }) },
    resolve: (_root, { input }, ctx) =>
      withUserErrors(async () => ({
        arrival: await reverseCapitalArrival(ctx, { ...input, arrivalId: input.arrivalId.id }),
      })),
  }),
  reviseInvestmentPledge: t.field({
    type: InvestmentProjectPayload,
    args: { input: t.arg({ type: ReviseInvestmentPledgeInput, required: true }) },
    resolve: (_root, { input }, ctx) =>
      withUserErrors(async () => ({
        project: await reviseInvestmentPledge(ctx, {
          ...input,
          projectId: input.projectId.id,
          kind: input.kind as "INCREASE" | "REVISION",
        }),
      })),
  }),
  changeInvestmentInvestor: t.field({
    type: InvestmentProjectPayload,
    description: "A new investor takes the project over: it is credited afresh from that day.",
    args: { input: t.arg({ type: ChangeInvestmentInvestorInput, required: true }) },
    resolve: (_root, { input }, ctx) =>
      withUserErrors(async () => ({
        project: await changeInvestmentInvestor(ctx, {
          ...input,
          projectId: input.projectId.id,
          investorMerchantIds: input.investorMerchantIds.map((m) => m.id),
          credits: toCredits(input.credits) ?? [],
        }),
      })),
  }),
  setReturnInvestmentTarget: t.field({
    type: ReturnInvestmentTargetPayload,
    description: "City staff set the year's target and its split by Wenzhou district (the shares sum to it).",
    args: { input: t.arg({ type: SetReturnInvestmentTargetInput, required: true }) },
    resolve: (_root, { input }, ctx) =>
      withUserErrors(async () => ({ target: await setReturnInvestmentTarget(ctx, input) })),
  }),
  assignServiceOfficer: t.field({
    type: InvestmentProjectPayload,
    args: { input: t.arg({ type: AssignServiceOfficerInput, required: true }) },
    resolve: (_root, { input }, ctx) =>
      withUserErrors(async () => ({
        project: await assignServiceOfficer(ctx, { projectId: input.projectId.id, userId: input.userId.id }),
      })),
  }),
  raiseInvestmentProblem: t.field({
    type: InvestmentProblemPayload,
    args: { input: t.arg({ type: RaiseInvestmentProblemInput, required: true }) },
    resolve: (_root, { input }, ctx) =>
      withUserErrors(async () => ({
        problem: await raiseInvestmentProblem(ctx, {
          ...input,
          projectId: input.projectId.id,
          kind: input.kind as InvestmentProblemKind,
        }),
      })),
  }),
  updateInvestmentProblem: t.field({
    type: InvestmentProblemPayload,
    description: "Move a problem's due date or department, or resolve it (resolution and resolvedOn).",
    args: { input: t.arg({ type: UpdateInvestmentProblemInput, required: true }) },
    resolve: (_root, { input }, ctx) =>
      withUserErrors(async () => ({
        problem: await updateInvestmentProblem(ctx, { ...input, problemId: input.problemId.id }),
      })),
  }),
}));

const InvestmentEventKindEnum = builder.enumType("InvestmentEventKind", { values: investmentEventKindEnum.enumValues });

interface InvestmentEventShape {
  seq: number;
  kind: InvestmentEventKind;
  project: InvestmentProjectRow;
}
const InvestmentProjectEventRef = builder.objectRef<InvestmentEventShape>("InvestmentProjectEvent").implement({
  description: "Something happened to a project the subscriber may see.",
  fields: (t) => ({
    kind: t.expose("kind", { type: InvestmentEventKindEnum }),
    eventCursor: t.string({
      description: "Pass the last one seen as `after` when reconnecting to miss nothing.",
      resolve: (e) => String(e.seq),
    }),
    project: t.field({ type: InvestmentProjectRef, resolve: (e) => e.project }),
  }),
});

const PAGE = 100;

/**
 * Every event after `after` (or from now) on projects the subscriber may see, in log order: the log is the truth
 * and a bus event only a nudge to read it from the last cursor, so nothing is lost or repeated on reconnect.
 */
function investmentEventStream(ctx: GraphQLContext, after: string | null | undefined) {
  ctx.permissions.requireViewer();
  if (after != null && !/^\d{1,15}$/.test(after))
    throw UserInputError.of("INVALID", ["after"], msg("investment.badEventCursor", { cursor: after }));
  return new Repeater<InvestmentEventShape>(async (push, stop) => {
    const nudges = ctx.bus.subscribe("investment:event");
    const iterator = nudges[Symbol.asyncIterator]();
    let cursor = after != null ? Number(after) : -1;
    let reading: Promise<void> = Promise.resolve();
    const drain = async () => {
      if (cursor < 0) cursor = await lastInvestmentEventSeq(ctx.db);
      for (;;) {
        const page = await readInvestmentEvents(ctx.db, cursor, PAGE);
        if (page.length === 0) return;
        const projectIds = [...new Set(page.map((e) => e.projectId))];
        const visible = new Map((await visibleInvestmentProjectsByIds(ctx, projectIds)).map((p) => [p.id, p]));
        for (const event of page) {
          cursor = event.seq;
          const project = visible.get(event.projectId);
          if (project) await push({ seq: event.seq, kind: event.kind, project });
        }
        if (page.length < PAGE) return;
      }
    };
    const read = () => {
      reading = reading.then(drain).catch((error: unknown) => stop(error));
      return reading;
    };
    // listening before the first read: an event committed meanwhile is read by the nudge that follows it
    const listening = (async () => {
      for (;;) {
        const next = await Promise.race([iterator.next(), stop.then(() => ({ done: true as const }))]);
        if (next.done) return;
        void read();
      }
    })();
    await read();
    await stop;
    await iterator.return?.();
    await listening;
  });
}

builder.subscriptionFields((t) => ({
  investmentProjectEvents: t.field({
    type: InvestmentProjectEventRef,
    description:
      "Live: a project the subscriber may see was created, changed stage, received or reversed capital, had its " +
      "pledge or investor changed, or opened or resolved a problem. Pass the last `eventCursor` as `after` to " +
      "receive what was missed first.",
    args: { after: t.arg.string() },
    subscribe: (_root, args, ctx) => investmentEventStream(ctx, args.after),
    resolve: (event) => event,
  }),
}));
