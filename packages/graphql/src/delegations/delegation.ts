// Delegations home (组团回乡投资考察) as GraphQL: the delegation with its organisers, participants, visits, city
// contacts and results; its lifecycle PLANNED → CONFIRMED → DONE | CANCELLED; and the year's activity against the
// goal of 2–3 a month, by month and by chamber through the tree.

import { encodeGlobalID } from "@pothos/plugin-relay";
import {
  type DelegationFilter as CoreDelegationFilter,
  cancelDelegation,
  completeDelegation,
  confirmDelegation,
  countDelegations,
  createDelegation,
  type DelegationActivity,
  delegationActivity,
  delegationAgreementsByIds,
  delegationChambersByIds,
  delegationContactsByIds,
  delegationParticipantsByIds,
  delegationProjectsByIds,
  delegationVisitsByIds,
  listDelegations,
  type ServiceOfficerCard,
  serviceOfficerCards,
  updateDelegation,
  visibleDelegationsByIds,
} from "@wz/core";
import {
  type DelegationAgreementRow,
  type DelegationOutcome,
  type DelegationRow,
  type DelegationStatus,
  type DelegationVisitRow,
  delegationOutcomeEnum,
  delegationStatusEnum,
} from "@wz/db";
import { builder } from "../builder";
import { ChamberRef } from "../chambers/chamber";
import { connectionType, keysetConnection } from "../common/connections";
import { contextLoader } from "../common/context-loader";
import { describedValues } from "../common/enum-values";
import { orderByKeys } from "../common/load";
import { objectPayloadType, withUserErrors } from "../common/user-errors";
import type { GraphQLContext } from "../context";
import { MerchantRef } from "../directory/merchant";
import { InvestmentProjectRef } from "../return-investment/investment";
import { UserRef } from "../viewer/viewer";

export const DelegationStatusEnum = builder.enumType("DelegationStatus", {
  description: "Where a delegation home stands: PLANNED → CONFIRMED → DONE (with its results), or CANCELLED.",
  values: describedValues(delegationStatusEnum.enumValues, {
    PLANNED: "Planned (计划): every delegation starts here; its details may change.",
    CONFIRMED: "Confirmed (已确认): dates and people settled; its details may still change.",
    DONE: "Done (已完成), with its results; final.",
    CANCELLED: "Cancelled (已取消) with a reason; final.",
  }),
});
const DelegationOutcomeEnum = builder.enumType("DelegationOutcome", {
  description: "What a delegation did for a return-investment project.",
  values: describedValues(delegationOutcomeEnum.enumValues, {
    NEGOTIATING: "Taken into negotiation (在谈) on the delegation.",
    SIGNED: "Signed (签约) on the delegation: credited to it, as the project's first signing.",
  }),
});

// Lists under delegations the viewer has read through the visibility rule: one statement for all parents.
const uncached = { cache: false } as const;
const chambersLoader = (ctx: GraphQLContext) =>
  contextLoader(ctx, "delegationChambers", (ids) => delegationChambersByIds(ctx.db, ids), uncached);
const participantsLoader = (ctx: GraphQLContext) =>
  contextLoader(ctx, "delegationParticipants", (ids) => delegationParticipantsByIds(ctx.db, ids), uncached);
const visitsLoader = (ctx: GraphQLContext) =>
  contextLoader(ctx, "delegationVisits", (ids) => delegationVisitsByIds(ctx.db, ids), uncached);
const contactsLoader = (ctx: GraphQLContext) =>
  contextLoader(ctx, "delegationContacts", (ids) => delegationContactsByIds(ctx.db, ids), uncached);
const projectsLoader = (ctx: GraphQLContext) =>
  contextLoader(ctx, "delegationProjects", (ids) => delegationProjectsByIds(ctx.db, ids), uncached);
const agreementsLoader = (ctx: GraphQLContext) =>
  contextLoader(ctx, "delegationAgreements", (ids) => delegationAgreementsByIds(ctx.db, ids), uncached);
const cardsLoader = (ctx: GraphQLContext) =>
  contextLoader(ctx, "cityStaffCards", (ids) => serviceOfficerCards(ctx.db, ids), uncached);

/** A city staff account as others may see it: how to reach them, not the account. */
export const CityStaffCardRef = builder.objectRef<ServiceOfficerCard>("CityStaffCard").implement({
  description: "A city investment staff member (CITY_STAFF) as a contact: a name and an email, not the account.",
  fields: (t) => ({
    userId: t.id({
      description: "The account's global ID (a User), for inputs such as linkGooseToLeader.",
      resolve: (c) => encodeGlobalID("User", c.userId),
    }),
    displayName: t.exposeString("displayName", { description: "The name on the account." }),
    email: t.exposeString("email", { description: "The sign-in email, to write to." }),
  }),
});

const DelegationVisitRef = builder.objectRef<DelegationVisitRow>("DelegationVisit").implement({
  description: "A place (and company) a delegation visited.",
  fields: (t) => ({
    place: t.exposeString("place", { description: "Where (e.g. 瓯江口产业集聚区)." }),
    company: t.exposeString("company", { nullable: true, description: "The company visited, if any." }),
    visitedOn: t.expose("visitedOn", { type: "Date", nullable: true, description: "The day, if known." }),
  }),
});

const DelegationParticipantRef = builder
  .objectRef<{ merchantId: string; chamberId: string }>("DelegationParticipant")
  .implement({
    description: "A merchant taking part, through the organising chamber they are an active member of.",
    fields: (t) => ({
      merchant: t.field({
        type: MerchantRef,
        nullable: true,
        description: "The merchant (null when their profile is not visible to the viewer).",
        resolve: (p) => p.merchantId,
      }),
      chamber: t.field({ type: ChamberRef, description: "The organising chamber.", resolve: (p) => p.chamberId }),
    }),
  });

const DelegationProjectResultRef = builder
  .objectRef<{ projectId: string; outcome: DelegationOutcome }>("DelegationProjectResult")
  .implement({
    description: "A return-investment project the delegation moved on.",
    fields: (t) => ({
      project: t.field({
        type: InvestmentProjectRef,
        nullable: true,
        description: "The project (null when the viewer may not see it).",
        resolve: (r) => r.projectId,
      }),
      outcome: t.expose("outcome", { type: DelegationOutcomeEnum, description: "What the delegation did for it." }),
    }),
  });

const FrameworkAgreementRef = builder.objectRef<DelegationAgreementRow>("FrameworkAgreement").implement({
  description: "A framework agreement (框架协议) signed on a delegation, with its pledged sum.",
  fields: (t) => ({
    title: t.exposeString("title", { description: "What was agreed (e.g. 三年投资框架协议)." }),
    pledged: t.expose("pledged", { type: "Decimal", description: "The sum pledged (CNY)." }),
    signedOn: t.expose("signedOn", { type: "Date", description: "The day it was signed." }),
  }),
});

export const DelegationRef = builder.loadableNode("Delegation", {
  description:
    "A delegation home (组团回乡投资考察). City and federation staff see every one; a chamber's secretaries and " +
    "active members those their chamber organises; a merchant those they take part in.",
  id: { resolve: (d: DelegationRow) => d.id },
  load: async (ids: string[], ctx) => orderByKeys(ids, await visibleDelegationsByIds(ctx, ids), (d) => d.id),
  sort: (d) => d.id,
  fields: (t) => ({
    title: t.exposeString("title", { description: "The delegation's name (e.g. 苏州温州商会回乡考察团)." }),
    status: t.expose("status", { type: DelegationStatusEnum, description: "Where it stands." }),
    startsOn: t.expose("startsOn", { type: "Date", description: "The first day; counts it in its month." }),
    endsOn: t.expose("endsOn", { type: "Date", description: "The last day." }),
    notes: t.exposeString("notes", { nullable: true, description: "Notes of those who keep it." }),
    cancelReason: t.exposeString("cancelReason", { nullable: true, description: "Why it was cancelled." }),
    chambers: t.field({
      type: [ChamberRef],
      description: "The organising chambers (or overseas associations), one or more.",
      resolve: async (d, _args, ctx) => (await chambersLoader(ctx).load(d.id)).map((c) => c.chamberId),
    }),
    participants: t.field({
      type: [DelegationParticipantRef],
      description: "The merchants taking part, each an active member of an organising chamber.",
      resolve: (d, _args, ctx) => participantsLoader(ctx).load(d.id),
    }),
    visits: t.field({
      type: [DelegationVisitRef],
      description: "The places and companies visited, by day.",
      resolve: (d, _args, ctx) => visitsLoader(ctx).load(d.id),
    }),
    cityContacts: t.field({
      type: [CityStaffCardRef],
      description: "The city's contacts for the delegation (CITY_STAFF).",
      resolve: async (d, _args, ctx) => {
        const cards = await cardsLoader(ctx).loadMany((await contactsLoader(ctx).load(d.id)).map((c) => c.userId));
        return cards.filter((c): c is ServiceOfficerCard => c !== null && !(c instanceof Error));
      },
    }),
    projectResults: t.field({
      type: [DelegationProjectResultRef],
      description: "Projects moved to NEGOTIATING or SIGNED on it (once DONE).",
      resolve: (d, _args, ctx) => projectsLoader(ctx).load(d.id),
    }),
    agreements: t.field({
      type: [FrameworkAgreementRef],
      description: "Framework agreements signed on it, with their pledged sums (once DONE).",
      resolve: (d, _args, ctx) => agreementsLoader(ctx).load(d.id),
    }),
    createdAt: t.expose("createdAt", { type: "DateTime", description: "When it was recorded." }),
  }),
});

const DelegationFilter = builder.inputType("DelegationFilter", {
  description: "Narrows delegations; the conditions given all apply.",
  fields: (t) => ({
    status: t.field({ type: [DelegationStatusEnum], description: "Delegations in one of these states." }),
    chamberId: t.globalID({ for: ChamberRef, description: "Organised by this chamber (alone or with others)." }),
    from: t.field({ type: "Date", description: "Starting on or after this day." }),
    to: t.field({ type: "Date", description: "Starting on or before this day." }),
  }),
});

const DelegationConnection = connectionType(DelegationRef, "Delegation");

const DelegationMonthRef = builder.objectRef<DelegationActivity["byMonth"][number]>("DelegationMonth").implement({
  description: "One month's delegations (by their first day), cancelled ones left out, against the goal.",
  fields: (t) => ({
    month: t.exposeInt("month", { description: "1 for January … 12 for December." }),
    count: t.exposeInt("count", { description: "Delegations starting in the month (PLANNED, CONFIRMED or DONE)." }),
    underGoal: t.exposeBoolean("underGoal", { description: "Fewer than goalPerMonth: the month is flagged." }),
    participants: t.exposeInt("participants", { description: "Merchants taking part, summed over the delegations." }),
    projectsNegotiating: t.exposeInt("projectsNegotiating", {
      description: "Projects taken into negotiation on them.",
    }),
    projectsSigned: t.exposeInt("projectsSigned", { description: "Projects signed on them (first signings only)." }),
    agreements: t.exposeInt("agreements", { description: "Framework agreements signed on them." }),
    pledged: t.expose("pledged", { type: "Decimal", description: "The agreements' pledged sums (CNY)." }),
  }),
});

const ChamberDelegationActivityRef = builder
  .objectRef<DelegationActivity["byChamber"][number]>("ChamberDelegationActivity")
  .implement({
    description: "A chamber's delegations in the year, on its own and through the tree (each delegation once).",
    fields: (t) => ({
      chamber: t.field({ type: ChamberRef, description: "The chamber.", resolve: (c) => c.chamberId }),
      delegations: t.exposeInt("delegations", { description: "Delegations it organised (alone or jointly)." }),
      delegationsIncludingDescendants: t.exposeInt("delegationsIncludingDescendants", {
        description: "Delegations it or a chamber beneath it organised, each counted once.",
      }),
      projectsSigned: t.exposeInt("projectsSigned", { description: "Projects signed on its delegations." }),
      projectsSignedIncludingDescendants: t.exposeInt("projectsSignedIncludingDescendants", {
        description: "The same through the tree, each delegation counted once.",
      }),
      pledged: t.expose("pledged", {
        type: "Decimal",
        description: "Framework agreements' pledged sums on its delegations (CNY).",
      }),
      pledgedIncludingDescendants: t.expose("pledgedIncludingDescendants", {
        type: "Decimal",
        description: "The same through the tree, each delegation counted once (CNY).",
      }),
    }),
  });

const DelegationActivityRef = builder.objectRef<DelegationActivity>("DelegationActivity").implement({
  description: "The year's delegations home against the goal of 2–3 a month (cancelled ones left out).",
  fields: (t) => ({
    year: t.exposeInt("year", { description: "The year the figures are for." }),
    goalPerMonth: t.exposeInt("goalPerMonth", { description: "The goal: at least this many a month (2)." }),
    total: t.exposeInt("total", { description: "Delegations starting in the year." }),
    monthsUnderGoal: t.exposeInt("monthsUnderGoal", { description: "How many months are under the goal." }),
    byMonth: t.field({
      type: [DelegationMonthRef],
      description: "All twelve months, January first, zeros included.",
      resolve: (a) => a.byMonth,
    }),
    byChamber: t.field({
      type: [ChamberDelegationActivityRef],
      description: "Each organising chamber and every chamber above it, most delegations through the tree first.",
      resolve: (a) => a.byChamber,
    }),
  }),
});

interface FilterValue {
  status?: readonly string[] | null;
  chamberId?: { id: string } | null;
  from?: string | null;
  to?: string | null;
}
const toFilter = (f: FilterValue | null | undefined): CoreDelegationFilter | null =>
  f
    ? {
        status: f.status as DelegationStatus[] | null | undefined,
        chamberId: f.chamberId?.id ?? null,
        from: f.from,
        to: f.to,
      }
    : null;

builder.queryFields((t) => ({
  delegations: t.connection(
    {
      type: DelegationRef,
      description: "Delegations home the viewer may see, latest first (by their first day).",
      args: { filter: t.arg({ type: DelegationFilter, description: "Narrows the list (default: every one)." }) },
      resolve: (_root, args, ctx) => {
        ctx.permissions.requireViewer();
        const filter = toFilter(args.filter);
        return keysetConnection(args, {
          toKey: (d: DelegationRow) => [d.startsOn, d.id],
          page: (page) => listDelegations(ctx, filter, page),
          count: () => countDelegations(ctx, filter),
        });
      },
    },
    DelegationConnection,
  ),
  delegationActivity: t.field({
    type: DelegationActivityRef,
    description: "City and federation staff: the year's delegations against the goal of 2–3 a month.",
    args: { year: t.arg.int({ required: true, description: "The year, 2000 to 2100 (INVALID otherwise)." }) },
    extensions: { cost: { statements: 2 } },
    resolve: (_root, args, ctx) => delegationActivity(ctx, args.year),
  }),
}));

const DelegationVisitInput = builder.inputType("DelegationVisitInput", {
  description: "A place (and company) to visit.",
  fields: (t) => ({
    place: t.string({ required: true, description: "Where (up to 200 characters)." }),
    company: t.string({ description: "The company, if any (up to 200 characters)." }),
    visitedOn: t.field({ type: "Date", description: "The day, if known." }),
  }),
});

const CreateDelegationInput = builder.inputType("CreateDelegationInput", {
  description:
    "A delegation's details: to plan one (it starts PLANNED), or to replace an open one's (updateDelegation).",
  fields: (t) => ({
    title: t.string({ required: true, description: "The delegation's name (up to 200 characters)." }),
    chamberIds: t.globalIDList({
      for: ChamberRef,
      required: true,
      description:
        "The organising chambers, each once; a secretary may name only chambers they are secretary of (city staff: " +
        "any).",
    }),
    startsOn: t.field({ type: "Date", required: true, description: "The first day." }),
    endsOn: t.field({ type: "Date", required: true, description: "The last day (not before the first)." }),
    participantMerchantIds: t.globalIDList({
      for: MerchantRef,
      description: "Merchants taking part: each an ACTIVE member of an organising chamber.",
    }),
    visits: t.field({ type: [DelegationVisitInput], description: "Places and companies to visit." }),
    cityContactUserIds: t.globalIDList({ for: UserRef, description: "The city's contacts: CITY_STAFF accounts." }),
    notes: t.string({ description: "Notes (up to 2,000 characters)." }),
  }),
});

const UpdateDelegationInput = builder.inputType("UpdateDelegationInput", {
  description: "A PLANNED or CONFIRMED delegation's details, all replaced by those given.",
  fields: (t) => ({
    delegationId: t.globalID({ for: DelegationRef, required: true, description: "The delegation." }),
    details: t.field({ type: CreateDelegationInput, required: true, description: "Its new details, in full." }),
  }),
});

const DelegationIdInput = builder.inputType("ConfirmDelegationInput", {
  description: "A PLANNED delegation to confirm.",
  fields: (t) => ({
    delegationId: t.globalID({ for: DelegationRef, required: true, description: "The delegation." }),
  }),
});

const CancelDelegationInput = builder.inputType("CancelDelegationInput", {
  description: "A PLANNED or CONFIRMED delegation to cancel.",
  fields: (t) => ({
    delegationId: t.globalID({ for: DelegationRef, required: true, description: "The delegation." }),
    reason: t.string({ required: true, description: "Why (up to 500 characters)." }),
  }),
});

const DelegationProjectResultInput = builder.inputType("DelegationProjectResultInput", {
  description: "A project the delegation moved on.",
  fields: (t) => ({
    projectId: t.globalID({ for: InvestmentProjectRef, required: true, description: "The project, each once." }),
    outcome: t.field({
      type: DelegationOutcomeEnum,
      required: true,
      description: "NEGOTIATING for a PROMOTED project; SIGNED for a PROMOTED or NEGOTIATING one never signed.",
    }),
  }),
});

const FrameworkAgreementInput = builder.inputType("FrameworkAgreementInput", {
  description: "A framework agreement signed on the delegation.",
  fields: (t) => ({
    title: t.string({ required: true, description: "What was agreed (up to 200 characters)." }),
    pledged: t.field({ type: "Decimal", required: true, description: "The sum pledged (CNY, zero or more)." }),
    signedOn: t.field({ type: "Date", description: "The day it was signed (default: the results' day)." }),
  }),
});

const CompleteDelegationInput = builder.inputType("CompleteDelegationInput", {
  description: "A CONFIRMED delegation's results; it becomes DONE.",
  fields: (t) => ({
    delegationId: t.globalID({ for: DelegationRef, required: true, description: "The delegation." }),
    on: t.field({
      type: "Date",
      description: "The day the project moves are dated (default: its last day); not before it started.",
    }),
    projects: t.field({
      type: [DelegationProjectResultInput],
      description: "Projects moved on (city staff only: the projects are the city's).",
    }),
    agreements: t.field({ type: [FrameworkAgreementInput], description: "Framework agreements signed." }),
  }),
});

const DelegationPayload = objectPayloadType("DelegationPayload", "delegation", DelegationRef);

type DetailsValue = {
  title: string;
  chamberIds: { id: string }[];
  startsOn: string;
  endsOn: string;
  participantMerchantIds?: { id: string }[] | null;
  cityContactUserIds?: { id: string }[] | null;
  visits?: { place: string; company?: string | null; visitedOn?: string | null }[] | null;
  notes?: string | null;
};
const toDetails = (input: DetailsValue) => ({
  ...input,
  chamberIds: input.chamberIds.map((c) => c.id),
  participantMerchantIds: input.participantMerchantIds?.map((m) => m.id),
  cityContactUserIds: input.cityContactUserIds?.map((u) => u.id),
});

/** updateDelegation's details sit under `input.details`; only its delegationId is `input`'s own. */
const detailsPath = (field: string[]) =>
  field[0] === "delegationId" ? ["input", ...field] : ["input", "details", ...field];

builder.mutationFields((t) => ({
  createDelegation: t.field({
    type: DelegationPayload,
    description:
      "City staff plan any delegation home; a chamber's secretaries one organised by their chambers alone (else " +
      "FORBIDDEN). userErrors: INVALID (a field, a participant not an active member of an organising chamber, a " +
      "contact not CITY_STAFF), NOT_FOUND (a chamber).",
    args: { input: t.arg({ type: CreateDelegationInput, required: true, description: "The delegation." }) },
    resolve: (_root, { input }, ctx) =>
      withUserErrors(async () => ({ delegation: await createDelegation(ctx, toDetails(input)) })),
  }),
  updateDelegation: t.field({
    type: DelegationPayload,
    description:
      "Those who keep it change a PLANNED or CONFIRMED delegation's details. userErrors: INVALID_TRANSITION (DONE " +
      "or CANCELLED), INVALID (as createDelegation), NOT_FOUND (delegationId, a chamber).",
    args: { input: t.arg({ type: UpdateDelegationInput, required: true, description: "The new details." }) },
    resolve: (_root, { input }, ctx) =>
      withUserErrors(
        async () => ({
          delegation: await updateDelegation(ctx, { ...toDetails(input.details), delegationId: input.delegationId.id }),
        }),
        detailsPath,
      ),
  }),
  confirmDelegation: t.field({
    type: DelegationPayload,
    description: "PLANNED → CONFIRMED. userErrors: INVALID_TRANSITION (not PLANNED), NOT_FOUND (delegationId).",
    args: { input: t.arg({ type: DelegationIdInput, required: true, description: "The delegation." }) },
    resolve: (_root, { input }, ctx) =>
      withUserErrors(async () => ({
        delegation: await confirmDelegation(ctx, { delegationId: input.delegationId.id }),
      })),
  }),
  cancelDelegation: t.field({
    type: DelegationPayload,
    description:
      "PLANNED or CONFIRMED → CANCELLED, with a reason. userErrors: INVALID_TRANSITION (DONE or CANCELLED), " +
      "INVALID (no reason), NOT_FOUND (delegationId).",
    args: { input: t.arg({ type: CancelDelegationInput, required: true, description: "The delegation and why." }) },
    resolve: (_root, { input }, ctx) =>
      withUserErrors(async () => ({
        delegation: await cancelDelegation(ctx, { delegationId: input.delegationId.id, reason: input.reason }),
      })),
  }),
  completeDelegation: t.field({
    type: DelegationPayload,
    description:
      "CONFIRMED → DONE with its results: projects moved to NEGOTIATING or SIGNED on it (city staff; each move is " +
      "the project's stage move, credited to the delegation) and framework agreements. userErrors: " +
      "INVALID_TRANSITION (not CONFIRMED, a project that cannot move so), CONFLICT (a project signed before: only " +
      "its first signing is credited), INVALID (a field), NOT_FOUND (delegationId, a project).",
    args: { input: t.arg({ type: CompleteDelegationInput, required: true, description: "The results." }) },
    resolve: (_root, { input }, ctx) =>
      withUserErrors(async () => ({
        delegation: await completeDelegation(ctx, {
          delegationId: input.delegationId.id,
          on: input.on,
          projects: input.projects?.map((p) => ({
            projectId: p.projectId.id,
            outcome: p.outcome as DelegationOutcome,
          })),
          agreements: input.agreements,
        }),
      })),
  }),
}));
