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
  type MerchantRow,
} from "@wz/db";
import { Repeater } from "graphql-yoga";
import { builder } from "../builder";
import { ChamberRef } from "../chambers/chamber";
import { connectionType, keysetConnection } from "../common/connections";
import { contextLoader } from "../common/context-loader";
import { describedValues } from "../common/enum-values";
import { orderByKeys } from "../common/load";
import { objectPayloadType, withUserErrors } from "../common/user-errors";
import type { GraphQLContext } from "../context";
import { MerchantRef } from "../directory/merchant";
import { LeadRef } from "../leads/lead";
import { UserRef } from "../viewer/viewer";

export const InvestmentStageEnum = builder.enumType("InvestmentStage", {
  description:
    "Where a return-investment project (回归项目) stands: PROMOTED → NEGOTIATING → SIGNED → TO_START → " +
    "UNDER_CONSTRUCTION → IN_OPERATION, one step at a time; DROPPED is off the line. Capital arrives from SIGNED on.",
  values: describedValues(investmentStageEnum.enumValues, {
    PROMOTED: "Promoted to investors (推介); every project starts here.",
    NEGOTIATING: "In negotiation (在谈).",
    SIGNED: "The agreement is signed (签约); capital may arrive from here on.",
    TO_START: "Signed and about to break ground (拟开工).",
    UNDER_CONSTRUCTION: "Under construction (在建).",
    IN_OPERATION: "Completed and in operation (竣工投产).",
    DROPPED: "Dropped from any stage, with a reason; it may be revived (with a reason).",
  }),
});
export const CapitalCategoryEnum = builder.enumType("CapitalCategory", {
  description: "RETURN_OUTSIDE_PROVINCE 省外回归资金; REAL_ESTATE_OUTSIDE_CITY 市外房地产资金.",
  values: describedValues(capitalCategoryEnum.enumValues, {
    RETURN_OUTSIDE_PROVINCE: "Capital returned from outside Zhejiang province (省外回归资金).",
    REAL_ESTATE_OUTSIDE_CITY: "Real-estate capital from outside Wenzhou (市外房地产资金).",
  }),
});
const InvestmentProblemKindEnum = builder.enumType("InvestmentProblemKind", {
  description: "What holds a project up: the kind of problem raised for a department to clear.",
  values: describedValues(investmentProblemKindEnum.enumValues, {
    LAND: "Land for the project.",
    FUNDS: "Funds: financing the project.",
    APPROVAL: "Approvals the project waits for.",
    ENVIRONMENT_CAPACITY: "Environmental capacity for the project.",
    OTHER: "Anything else (said in the description).",
  }),
});
const InvestmentProblemStatusEnum = builder.enumType("InvestmentProblemStatus", {
  description: "OPEN until resolved; a RESOLVED problem is not changed again (raise a new one).",
  values: describedValues(investmentProblemStatusEnum.enumValues, {
    OPEN: "Still to be cleared; overdue once past its due date.",
    RESOLVED: "Cleared, with a resolution and the day it was resolved.",
  }),
});
const PledgeRevisionKindEnum = builder.enumType("PledgeRevisionKind", {
  description: "INCREASE: a capital increase (counts only the increase); REVISION: a correction, with a reason.",
  values: describedValues(["INCREASE", "REVISION"] as const, {
    INCREASE: "A capital increase: the pledge goes up, and only the increase counts as newly pledged.",
    REVISION: "A correction of the pledge, up or down; needs a reason.",
  }),
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
    chamber: t.field({ type: ChamberRef, description: "The chamber credited.", resolve: (c) => c.chamberId }),
    sharePercent: t.float({
      description: "Its share in percent (50 means 50 %); the shares in effect at one time sum to 100.",
      resolve: (c) => Number(c.sharePercent),
    }),
    validFrom: t.expose("validFrom", { type: "Date", nullable: true, description: "Null: since the project began." }),
    validTo: t.expose("validTo", { type: "Date", nullable: true, description: "Null: still in effect." }),
  }),
});

const InvestmentStageChangeRef = builder.objectRef<InvestmentStageChangeRow>("InvestmentStageChange").implement({
  description: "One move of a project's stage, kept for good (the project's stage history).",
  fields: (t) => ({
    fromStage: t.expose("fromStage", {
      type: InvestmentStageEnum,
      nullable: true,
      description: "The stage before; null for the first entry (the project created as PROMOTED).",
    }),
    toStage: t.expose("toStage", { type: InvestmentStageEnum, description: "The stage moved to." }),
    on: t.expose("on", { type: "Date", description: "The day of the move (never before the previous one)." }),
    reason: t.exposeString("reason", {
      nullable: true,
      description: "Why, for a step back, a drop or a revival (null for a step forward without one).",
    }),
  }),
});

const ServiceOfficerCardRef = builder.objectRef<ServiceOfficerCard>("ServiceOfficerCard").implement({
  description: "How the investor reaches the key project's service officer (重点项目服务员).",
  fields: (t) => ({
    displayName: t.exposeString("displayName", { description: "The officer's name as on their account." }),
    email: t.exposeString("email", { description: "The officer's sign-in email, to write to." }),
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
    name: t.exposeString("name", { description: "The project's name (for one from a lead: by default its title)." }),
    companyName: t.exposeString("companyName", { nullable: true, description: "The project's company, if named." }),
    industry: t.exposeString("industry", { nullable: true, description: "GB/T 4754 section code." }),
    district: t.exposeString("district", { description: "The Wenzhou district where the project lands." }),
    stage: t.expose("stage", { type: InvestmentStageEnum, description: "Where the project stands now." }),
    stageOn: t.expose("stageOn", { type: "Date", description: "When the project reached its stage." }),
    pledged: t.expose("pledged", { type: "Decimal", description: "The pledged total as it stands (CNY)." }),
    arrived: t.field({
      type: "Decimal",
      description: "Capital arrived so far, reversals included (CNY).",
      resolve: (p, _args, ctx) => arrivedLoader(ctx).load(p.id),
    }),
    keyProject: t.exposeBoolean("keyProject", {
      description: "A key project (重点项目): it may have a service officer (重点项目服务员).",
    }),
    greenChannel: t.exposeBoolean("greenChannel", { description: "On the approvals green channel (审批绿色通道)." }),
    createdAt: t.expose("createdAt", { type: "DateTime", description: "When the project was recorded." }),
    lead: t.field({
      type: LeadRef,
      nullable: true,
      description: "The INVESTMENT_PROJECT lead the project was turned from (null when the viewer may not see it).",
      resolve: (p) => p.leadId,
    }),
    credits: t.field({
      type: [InvestmentCreditRef],
      description: "The chambers credited with the project, past credits included (with validTo), oldest first.",
      resolve: (p, _args, ctx) => creditsLoader(ctx).load(p.id),
    }),
    investors: t.field({
      type: [MerchantRef],
      description:
        "The merchants who invest; after a change of investor the earlier ones stay listed. A merchant whose " +
        "profile is not listed for the viewer (no agreement to the privacy notice) is left out.",
      resolve: async (p, _args, ctx) => {
        const ids = (await merchantsLoader(ctx).load(p.id))
          .filter((m) => m.role === "INVESTOR")
          .map((m) => m.merchantId);
        const rows = await MerchantRef.getDataloader(ctx).loadMany(ids);
        return rows.filter((r): r is MerchantRow => r !== null && !(r instanceof Error));
      },
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
      description: "Every stage move, oldest first, from the PROMOTED the project was created at.",
      resolve: (p, _args, ctx) => stagesLoader(ctx).load(p.id),
    }),
    serviceOfficer: t.field({
      type: ServiceOfficerCardRef,
      nullable: true,
      description:
        "A key project's service officer (重点项目服务员), a CITY_STAFF account; null until one is assigned.",
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
    arrivedOn: t.expose("arrivedOn", {
      type: "Date",
      description: "The day the capital arrived (for a reversal: the day of the correction).",
    }),
    amount: t.expose("amount", { type: "Decimal", description: "CNY; negative for a reversal." }),
    category: t.expose("category", {
      type: CapitalCategoryEnum,
      description: "How the capital is counted (a reversal keeps the original's).",
    }),
    note: t.exposeString("note", { nullable: true, description: "A note; for a reversal, its reason." }),
    project: t.field({
      type: InvestmentProjectRef,
      description: "The project the capital arrived on.",
      resolve: (a) => a.projectId,
    }),
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
    kind: t.expose("kind", { type: InvestmentProblemKindEnum, description: "What kind of problem it is." }),
    description: t.exposeString("description", { description: "What the problem is, as raised." }),
    department: t.exposeString("department", { description: "The department responsible." }),
    dueOn: t.expose("dueOn", { type: "Date", description: "The day by which the department is to clear it." }),
    status: t.expose("status", { type: InvestmentProblemStatusEnum, description: "OPEN or RESOLVED." }),
    overdue: t.boolean({
      description: "OPEN and its due date before today (the day in China, UTC+8).",
      resolve: (p) => p.status === "OPEN" && p.dueOn < todayIso(),
    }),
    resolution: t.exposeString("resolution", { nullable: true, description: "What was done (once RESOLVED)." }),
    resolvedOn: t.expose("resolvedOn", {
      type: "Date",
      nullable: true,
      description: "The day it was resolved (once RESOLVED).",
    }),
    project: t.field({
      type: InvestmentProjectRef,
      description: "The project that raised it.",
      resolve: (p) => p.projectId,
    }),
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
    description: "Every problem the project raised, open or resolved, by due date.",
    resolve: (p, _args, ctx) => problemsLoader(ctx).load(p.id),
  }),
}));

const InvestmentProjectFilter = builder.inputType("InvestmentProjectFilter", {
  description: "Narrows investmentProjects; the conditions given all apply.",
  fields: (t) => ({
    stages: t.field({ type: [InvestmentStageEnum], description: "Projects at one of these stages." }),
    keyProject: t.boolean({ description: "True: key projects (重点项目) only; false: the others only." }),
    district: t.string({ description: "Wenzhou district code." }),
    chamberId: t.globalID({ for: ChamberRef, description: "Projects credited to this chamber (now or before)." }),
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
  description: "Arrived capital of one category in the progress window, against the same window a year before.",
  fields: (t) => ({
    category: t.expose("category", { type: CapitalCategoryEnum, description: "The category these figures count." }),
    arrived: t.expose("arrived", {
      type: "Decimal",
      description: "Arrived from 1 January to asOf, reversals included (CNY).",
    }),
    previousYearSamePeriod: t.expose("previousYearSamePeriod", {
      type: "Decimal",
      description: "The same window of the year before (CNY).",
    }),
    growthPercent: t.exposeFloat("growthPercent", {
      nullable: true,
      description: "14.9 means +14.9 % on the year before; null when the previous window is zero.",
    }),
  }),
});

const MonthProgressRef = builder.objectRef<{ month: number; arrived: string }>("MonthProgress").implement({
  description: "Arrived capital in one month of the progress year.",
  fields: (t) => ({
    month: t.exposeInt("month", { description: "1 for January … 12 for December." }),
    arrived: t.expose("arrived", {
      type: "Decimal",
      description: "Arrived in that month (up to asOf in its last month), reversals included (CNY).",
    }),
  }),
});

type DistrictShape = ReturnInvestmentProgress["byDistrict"][number];
const DistrictProgressRef = builder.objectRef<DistrictShape>("DistrictProgress").implement({
  description: "One Wenzhou district's progress: arrivals on projects landing there against its share of the target.",
  fields: (t) => ({
    districtCode: t.exposeString("districtCode", { description: "Wenzhou district code (e.g. 330302 鹿城区)." }),
    target: t.expose("target", {
      type: "Decimal",
      description: "The district's share of the year's target (分解到县（市、区）), CNY; 0 when none is set.",
    }),
    arrived: t.expose("arrived", {
      type: "Decimal",
      description: "Arrived from 1 January to asOf on projects in the district, reversals included (CNY).",
    }),
    percentOfTarget: t.exposeFloat("percentOfTarget", {
      description: "arrived / target: 24.84 means 24.84 %; 0 when the share is zero.",
    }),
  }),
});

type ChamberShape = ReturnInvestmentProgress["byChamber"][number];
const ChamberInvestmentProgressRef = builder.objectRef<ChamberShape>("ChamberInvestmentProgress").implement({
  description: "What a chamber is credited with, on its own and through the tree (the counted-once credits).",
  fields: (t) => ({
    chamber: t.field({
      type: ChamberRef,
      description: "The chamber these figures are for.",
      resolve: (c) => c.chamberId,
    }),
    arrived: t.expose("arrived", {
      type: "Decimal",
      description: "Its share of each arrival in the window while it was credited, reversals included (CNY).",
    }),
    arrivedIncludingDescendants: t.expose("arrivedIncludingDescendants", {
      type: "Decimal",
      description: "The same for the chamber and every chamber beneath it, each credit counted once (CNY).",
    }),
    projectsSigned: t.exposeFloat("projectsSigned", {
      description: "Projects signed in the window, or taken over by a new investor in it; a 50 % share counts 0.5.",
    }),
    projectsSignedIncludingDescendants: t.exposeFloat("projectsSignedIncludingDescendants", {
      description: "The same for the chamber and every chamber beneath it.",
    }),
    pledged: t.expose("pledged", {
      type: "Decimal",
      description: "Its share of pledges made in the window (CNY); a capital increase counts only the increase.",
    }),
    pledgedIncludingDescendants: t.expose("pledgedIncludingDescendants", {
      type: "Decimal",
      description: "The same for the chamber and every chamber beneath it (CNY).",
    }),
  }),
});

const ReturnInvestmentProgressRef = builder.objectRef<ReturnInvestmentProgress>("ReturnInvestmentProgress").implement({
  description: "Arrived capital against the year's target, from 1 January to `asOf`.",
  fields: (t) => ({
    year: t.exposeInt("year", { description: "The year the figures are for." }),
    asOf: t.expose("asOf", {
      type: "Date",
      description: "The window's last day: the date asked for (default today), kept within the year.",
    }),
    target: t.expose("target", { type: "Decimal", description: "The year's target (CNY); 0 when none is set." }),
    arrived: t.expose("arrived", {
      type: "Decimal",
      description: "Arrived capital (到位资金) from 1 January to asOf, every project, reversals included (CNY).",
    }),
    percentOfTarget: t.exposeFloat("percentOfTarget", {
      description: "24.84 means 24.84 %; 0 when no target is set.",
    }),
    previousYearSamePeriod: t.expose("previousYearSamePeriod", {
      type: "Decimal",
      description: "Arrived in the same window a year before (29 February → 28 February), CNY.",
    }),
    growthPercent: t.exposeFloat("growthPercent", {
      nullable: true,
      description: "14.9 means +14.9 % on the year before; null when the previous window is zero.",
    }),
    byCategory: t.field({
      type: [CapitalCategoryProgressRef],
      description: "One entry per capital category, in the enum's order.",
      resolve: (p) => p.byCategory,
    }),
    byMonth: t.field({
      type: [MonthProgressRef],
      description: "One entry per month from January to asOf's month.",
      resolve: (p) => p.byMonth,
    }),
    byDistrict: t.field({
      type: [DistrictProgressRef],
      description: "Every Wenzhou district, in the reference list's order, with or without a share of the target.",
      resolve: (p) => p.byDistrict,
    }),
    byChamber: t.field({
      type: [ChamberInvestmentProgressRef],
      description:
        "Each chamber credited with figures in the window and every chamber above it, " +
        "most arrivedIncludingDescendants first.",
      resolve: (p) => p.byChamber,
    }),
  }),
});

type DistrictTargetShape = ReturnInvestmentTarget["districts"][number];
const DistrictTargetRef = builder.objectRef<DistrictTargetShape>("DistrictTarget").implement({
  description: "One Wenzhou district's share of the year's target (分解到县（市、区）).",
  fields: (t) => ({
    districtCode: t.exposeString("districtCode", { description: "Wenzhou district code (e.g. 330302 鹿城区)." }),
    amount: t.expose("amount", { type: "Decimal", description: "The district's share (CNY)." }),
  }),
});
const ReturnInvestmentTargetRef = builder.objectRef<ReturnInvestmentTarget>("ReturnInvestmentTarget").implement({
  description: "The year's target for arrived capital (到位资金), set by city staff, and its split by district.",
  fields: (t) => ({
    year: t.exposeInt("year", { description: "The year the target is for." }),
    amount: t.expose("amount", { type: "Decimal", description: "The year's target (CNY)." }),
    districts: t.field({
      type: [DistrictTargetRef],
      description: "The district shares as set; they sum to amount. Districts left out have no share.",
      resolve: (r) => r.districts,
    }),
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
      args: { filter: t.arg({ type: InvestmentProjectFilter, description: "Narrows the list (default: every one)." }) },
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
    args: {
      year: t.arg.int({ required: true, description: "The year, 2000 to 2100 (INVALID otherwise)." }),
      asOf: t.arg({ type: "Date", description: "The window's last day (default today); kept within the year." }),
    },
    extensions: { cost: { statements: 3 } },
    resolve: (_root, args, ctx) => returnInvestmentProgress(ctx, args.year, args.asOf),
  }),
  returnInvestmentTarget: t.field({
    type: ReturnInvestmentTargetRef,
    nullable: true,
    description: "City and federation staff: the year's target and its split by district (null when none is set).",
    args: { year: t.arg.int({ required: true, description: "The year the target is for." }) },
    extensions: { cost: { statements: 2 } },
    resolve: (_root, args, ctx) => returnInvestmentTarget(ctx, args.year),
  }),
  overdueInvestmentProblems: t.connection(
    {
      type: InvestmentProblemRef,
      description: "Open problems past their due date on projects the viewer may see, most overdue first.",
      args: { asOf: t.arg({ type: "Date", description: "Overdue as of this day (default today, UTC+8)." }) },
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
  description: "A chamber credited with a project and its share.",
  fields: (t) => ({
    chamberId: t.globalID({ for: ChamberRef, required: true, description: "The chamber credited (each one once)." }),
    sharePercent: t.field({
      type: "Decimal",
      required: true,
      description: "Percent, more than 0 and at most 100, two decimals at most; the shares sum to 100.",
    }),
  }),
});
type CreditValue = { chamberId: { id: string }; sharePercent: string };
const toCredits = (credits: readonly CreditValue[] | null | undefined) =>
  credits?.map((c) => ({ chamberId: c.chamberId.id, sharePercent: c.sharePercent })) ?? null;

const CreateInvestmentProjectInput = builder.inputType("CreateInvestmentProjectInput", {
  description: "A new project, created at PROMOTED (推介); from an INVESTMENT_PROJECT lead, or on its own.",
  fields: (t) => ({
    name: t.string({ description: "Required unless the project comes from a lead (default: the lead's title)." }),
    companyName: t.string({ description: "The project's company, if named." }),
    industry: t.string({ description: "GB/T 4754 section code." }),
    district: t.string({ required: true, description: "The Wenzhou district where it lands." }),
    pledged: t.field({
      type: "Decimal",
      description: "Total pledged, CNY, two decimals at most (default for a lead: its amount); required otherwise.",
    }),
    keyProject: t.boolean({ description: "A key project (重点项目); default false." }),
    greenChannel: t.boolean({ description: "On the approvals green channel (审批绿色通道); default false." }),
    promotedOn: t.field({ type: "Date", required: true, description: "The day it was promoted (推介)." }),
    credits: t.field({
      type: [CreditInput],
      description:
        "The chambers credited, shares summing to 100 (default for a lead: its chamber, 100 %). A secretary may " +
        "credit only chambers they are secretary of.",
    }),
    investorMerchantIds: t.globalIDList({ for: MerchantRef, description: "The merchants who invest, if known." }),
    leadId: t.globalID({ for: LeadRef, description: "An INVESTMENT_PROJECT lead to turn into the project." }),
  }),
});

const ChangeInvestmentStageInput = builder.inputType("ChangeInvestmentStageInput", {
  description: "A project's move to another stage.",
  fields: (t) => ({
    projectId: t.globalID({ for: InvestmentProjectRef, required: true, description: "The project." }),
    stage: t.field({
      type: InvestmentStageEnum,
      required: true,
      description: "The next stage forward, any earlier stage, DROPPED, or (from DROPPED) any stage to revive it.",
    }),
    on: t.field({ type: "Date", required: true, description: "The day of the move; not before the current stage's." }),
    reason: t.string({ description: "Required to go back, to drop or to revive a dropped project." }),
  }),
});

const RecordCapitalArrivalInput = builder.inputType("RecordCapitalArrivalInput", {
  description: "Capital that arrived (到位资金) on a signed project.",
  fields: (t) => ({
    projectId: t.globalID({
      for: InvestmentProjectRef,
      required: true,
      description: "The project: SIGNED or later (not DROPPED).",
    }),
    amount: t.field({
      type: "Decimal",
      required: true,
      description: "CNY, more than 0, two decimals at most; arrived capital stays within the pledge.",
    }),
    arrivedOn: t.field({ type: "Date", required: true, description: "The day it arrived." }),
    category: t.field({ type: CapitalCategoryEnum, required: true, description: "How the capital is counted." }),
    note: t.string({ description: "A note, if any." }),
  }),
});

const ReverseCapitalArrivalInput = builder.inputType("ReverseCapitalArrivalInput", {
  description: "The correction of a wrong arrival.",
  fields: (t) => ({
    arrivalId: t.globalID({
      for: CapitalArrivalRef,
      required: true,
      description: "The arrival to reverse (not itself a reversal, and not reversed already).",
    }),
    on: t.field({ type: "Date", required: true, description: "The day of the correction; not before the arrival." }),
    reason: t.string({ required: true, description: "Why; kept as the reversal's note." }),
  }),
});

const ReviseInvestmentPledgeInput = builder.inputType("ReviseInvestmentPledgeInput", {
  description: "A change of a project's pledged total.",
  fields: (t) => ({
    projectId: t.globalID({ for: InvestmentProjectRef, required: true, description: "The project." }),
    pledged: t.field({
      type: "Decimal",
      required: true,
      description: "The new pledged total (CNY): different from the current one, not below what has arrived.",
    }),
    on: t.field({ type: "Date", required: true, description: "The day the pledge changed." }),
    kind: t.field({ type: PledgeRevisionKindEnum, required: true, description: "An increase or a correction." }),
    reason: t.string({ description: "Why; required for a REVISION." }),
  }),
});

const ChangeInvestmentInvestorInput = builder.inputType("ChangeInvestmentInvestorInput", {
  description: "A new investor taking a project over, and the chambers credited from then on.",
  fields: (t) => ({
    projectId: t.globalID({ for: InvestmentProjectRef, required: true, description: "The project." }),
    on: t.field({
      type: "Date",
      required: true,
      description: "The day of the takeover: the new credits apply from it (after the last change of investor).",
    }),
    investorMerchantIds: t.globalIDList({
      for: MerchantRef,
      required: true,
      description: "The merchants who now invest (at least one).",
    }),
    credits: t.field({
      type: [CreditInput],
      required: true,
      description: "The chambers credited from that day, shares summing to 100.",
    }),
    pledged: t.field({ type: "Decimal", description: "The new investor's pledged total (default: unchanged)." }),
    reason: t.string({ required: true, description: "Why the investor changed." }),
  }),
});

const SetReturnInvestmentTargetInput = builder.inputType("SetReturnInvestmentTargetInput", {
  description: "The year's target and its split by district; it replaces what was set for the year.",
  fields: (t) => ({
    year: t.int({ required: true, description: "The year, 2000 to 2100." }),
    amount: t.field({
      type: "Decimal",
      required: true,
      description: "The year's target for arrived capital (CNY), zero or more, two decimals at most.",
    }),
    districts: t.field({
      type: [DistrictTargetInput],
      required: true,
      description: "The district shares (分解到县（市、区）), each district once; they sum to amount.",
    }),
  }),
});
const DistrictTargetInput = builder.inputType("DistrictTargetInput", {
  description: "One Wenzhou district's share of the year's target.",
  fields: (t) => ({
    districtCode: t.string({ required: true, description: "Wenzhou district code (e.g. 330302 鹿城区)." }),
    amount: t.field({
      type: "Decimal",
      required: true,
      description: "The district's share (CNY), zero or more, two decimals at most.",
    }),
  }),
});

const AssignServiceOfficerInput = builder.inputType("AssignServiceOfficerInput", {
  description: "A key project's service officer (重点项目服务员).",
  fields: (t) => ({
    projectId: t.globalID({ for: InvestmentProjectRef, required: true, description: "A key project (重点项目)." }),
    userId: t.globalID({
      for: UserRef,
      required: true,
      description: "A CITY_STAFF account (市招商部门), not disabled; it replaces any officer before.",
    }),
  }),
});

const RaiseInvestmentProblemInput = builder.inputType("RaiseInvestmentProblemInput", {
  description: "A problem a project raises, for a department to clear by a date.",
  fields: (t) => ({
    projectId: t.globalID({ for: InvestmentProjectRef, required: true, description: "The project." }),
    kind: t.field({ type: InvestmentProblemKindEnum, required: true, description: "What kind of problem." }),
    description: t.string({ required: true, description: "What the problem is (up to 2000 characters)." }),
    department: t.string({ required: true, description: "The department responsible (up to 200 characters)." }),
    dueOn: t.field({ type: "Date", required: true, description: "The day by which it is to be cleared." }),
  }),
});

const UpdateInvestmentProblemInput = builder.inputType("UpdateInvestmentProblemInput", {
  description: "A change to an OPEN problem; the fields left out stay as they are.",
  fields: (t) => ({
    problemId: t.globalID({ for: InvestmentProblemRef, required: true, description: "An OPEN problem." }),
    dueOn: t.field({ type: "Date", description: "A new due date." }),
    department: t.string({ description: "A new department responsible (up to 200 characters)." }),
    resolution: t.string({ description: "Resolving: what was done (with resolvedOn)." }),
    resolvedOn: t.field({ type: "Date", description: "Resolving: the day it was cleared (with resolution)." }),
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
      "City staff (CITY_STAFF) create a project; a chamber's secretaries propose one credited to their chamber. From " +
      "an INVESTMENT_PROJECT lead it keeps the link and credits the lead's chamber and poster. userErrors: INVALID " +
      "(a field, the shares not summing to 100, a lead of another kind), NOT_FOUND (leadId, a chamber, a merchant), " +
      "CONFLICT (the lead is a project already).",
    args: {
      input: t.arg({
        type: CreateInvestmentProjectInput,
        required: true,
        description: "The request; each field is described on its type.",
      }),
    },
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
    description:
      "City staff: PROMOTED → NEGOTIATING → SIGNED → TO_START → UNDER_CONSTRUCTION → IN_OPERATION, or DROPPED. " +
      "Forward one step at a time; back, drop or revive with a reason. userErrors: INVALID_TRANSITION (stage), " +
      "INVALID (no reason, a date before the current stage's), NOT_FOUND (projectId).",
    args: {
      input: t.arg({
        type: ChangeInvestmentStageInput,
        required: true,
        description: "The request; each field is described on its type.",
      }),
    },
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
    description:
      "City staff record arrived capital (到位资金) on a SIGNED or later project. userErrors: INVALID_TRANSITION " +
      "(the project not signed), INVALID (the amount or date, or arrivals above the pledge: revise it first), " +
      "NOT_FOUND (projectId).",
    args: {
      input: t.arg({
        type: RecordCapitalArrivalInput,
        required: true,
        description: "The request; each field is described on its type.",
      }),
    },
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
    description:
      "City staff correct an arrival by an entry of the opposite amount (the original stays). userErrors: INVALID " +
      "(no reason, a reversal reversed, a date before the arrival), CONFLICT (reversed already), NOT_FOUND " +
      "(arrivalId).",
    args: {
      input: t.arg({
        type: ReverseCapitalArrivalInput,
        required: true,
        description: "The request; each field is described on its type.",
      }),
    },
    resolve: (_root, { input }, ctx) =>
      withUserErrors(async () => ({
        arrival: await reverseCapitalArrival(ctx, { ...input, arrivalId: input.arrivalId.id }),
      })),
  }),
  reviseInvestmentPledge: t.field({
    type: InvestmentProjectPayload,
    description:
      "City staff change a project's pledged total: a capital increase, or a correction with a reason. userErrors: " +
      "INVALID (the amount, unchanged, an INCREASE that lowers it, below the capital arrived, a REVISION without a " +
      "reason), NOT_FOUND (projectId).",
    args: {
      input: t.arg({
        type: ReviseInvestmentPledgeInput,
        required: true,
        description: "The request; each field is described on its type.",
      }),
    },
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
    description:
      "City staff: a new investor takes the project over; it is credited afresh from that day, what came before " +
      "stays with the old credits. userErrors: INVALID (a field, the shares, a day not after the last change, a " +
      "pledge below the capital arrived), NOT_FOUND (projectId, a chamber, a merchant).",
    args: {
      input: t.arg({
        type: ChangeInvestmentInvestorInput,
        required: true,
        description: "The request; each field is described on its type.",
      }),
    },
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
    description:
      "City staff set the year's target and its split by Wenzhou district (分解到县（市、区）; the shares sum to it), " +
      "replacing what was set for the year. userErrors: INVALID (the year, an amount, a district unknown or twice, " +
      "shares not summing to the target).",
    args: {
      input: t.arg({
        type: SetReturnInvestmentTargetInput,
        required: true,
        description: "The request; each field is described on its type.",
      }),
    },
    resolve: (_root, { input }, ctx) =>
      withUserErrors(async () => ({ target: await setReturnInvestmentTarget(ctx, input) })),
  }),
  assignServiceOfficer: t.field({
    type: InvestmentProjectPayload,
    description:
      "City staff name a key project's service officer (重点项目服务员), one of the city's investment staff " +
      "(CITY_STAFF, 市招商部门). userErrors: INVALID (not a key project, not CITY_STAFF), NOT_FOUND (projectId, " +
      "userId or a disabled account).",
    args: {
      input: t.arg({
        type: AssignServiceOfficerInput,
        required: true,
        description: "The request; each field is described on its type.",
      }),
    },
    resolve: (_root, { input }, ctx) =>
      withUserErrors(async () => ({
        project: await assignServiceOfficer(ctx, { projectId: input.projectId.id, userId: input.userId.id }),
      })),
  }),
  raiseInvestmentProblem: t.field({
    type: InvestmentProblemPayload,
    description:
      "City staff record a problem a project raised, for a department to clear by a date. userErrors: INVALID " +
      "(a field), NOT_FOUND (projectId).",
    args: {
      input: t.arg({
        type: RaiseInvestmentProblemInput,
        required: true,
        description: "The request; each field is described on its type.",
      }),
    },
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
    description:
      "City staff move an OPEN problem's due date or department, or resolve it (resolution and resolvedOn). " +
      "userErrors: INVALID (a field), INVALID_TRANSITION (resolved already), NOT_FOUND (problemId).",
    args: {
      input: t.arg({
        type: UpdateInvestmentProblemInput,
        required: true,
        description: "The request; each field is described on its type.",
      }),
    },
    resolve: (_root, { input }, ctx) =>
      withUserErrors(async () => ({
        problem: await updateInvestmentProblem(ctx, { ...input, problemId: input.problemId.id }),
      })),
  }),
}));

const InvestmentEventKindEnum = builder.enumType("InvestmentEventKind", {
  description: "What happened to a project, in an investmentProjectEvents event.",
  values: describedValues(investmentEventKindEnum.enumValues, {
    PROJECT_CREATED: "The project was created (createInvestmentProject).",
    STAGE_CHANGED: "Its stage moved (changeInvestmentStage).",
    CAPITAL_ARRIVED: "Capital arrived on it (recordCapitalArrival).",
    CAPITAL_REVERSED: "An arrival on it was reversed (reverseCapitalArrival).",
    PLEDGE_REVISED: "Its pledge changed (reviseInvestmentPledge).",
    INVESTOR_CHANGED: "A new investor took it over (changeInvestmentInvestor).",
    PROBLEM_OPENED: "It raised a problem (raiseInvestmentProblem).",
    PROBLEM_RESOLVED: "One of its problems was resolved (updateInvestmentProblem).",
    PROBLEM_OVERDUE: "One of its open problems passed its due date (announced once, by the API's overdue sweep).",
  }),
});

interface InvestmentEventShape {
  seq: number;
  kind: InvestmentEventKind;
  project: InvestmentProjectRow;
}
const InvestmentProjectEventRef = builder.objectRef<InvestmentEventShape>("InvestmentProjectEvent").implement({
  description: "Something happened to a project the subscriber may see.",
  fields: (t) => ({
    kind: t.expose("kind", { type: InvestmentEventKindEnum, description: "What happened." }),
    eventCursor: t.string({
      description: "Pass the last one seen as `after` when reconnecting to miss nothing.",
      resolve: (e) => String(e.seq),
    }),
    project: t.field({
      type: InvestmentProjectRef,
      description: "The project as it is when the event is delivered (read anew, through the visibility rule).",
      resolve: (e) => e.project,
    }),
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
      "pledge or investor changed, or opened, resolved or let pass the due date of a problem. Pass the last " +
      "`eventCursor` as `after` to receive what was missed first.",
    args: {
      after: t.arg.string({
        description: "An eventCursor seen before: events after it come first (default: only events from now).",
      }),
    },
    subscribe: (_root, args, ctx) => investmentEventStream(ctx, args.after),
    resolve: (event) => event,
  }),
}));
