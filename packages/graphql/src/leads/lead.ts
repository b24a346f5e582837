// Leads (商机) as GraphQL: the node, the `leads` list, posting, answering and closing, and the live
// subscriptions that replay what a reconnecting client missed.
import {
  canManageLead,
  canReachMerchant,
  canSeeField,
  canSeeLead,
  canSeeLeadResponse,
  countLeads,
  effectiveLeadStatus,
  type LeadFilter as LeadListFilter,
  leadMatchesFilter,
  listLeads,
  msg,
  postLead,
  respondToLead,
  selectedChamberIdsByLeadIds,
  todayIso,
  type UserErrorEntry,
  UserInputError,
  updateLeadStatus,
  visibleLeadResponsesByIds,
  visibleLeadResponsesByLeadIds,
  visibleLeadsByIds,
} from "@wz/core";
import {
  type LeadKind,
  type LeadResponseKind,
  type LeadResponseRow,
  type LeadRow,
  type LeadStatus,
  type LeadVisibility,
  leadKindEnum,
  leadResponseKindEnum,
  leadStatusEnum,
  leadVisibilityEnum,
  visibilityEnum,
} from "@wz/db";
import { Repeater } from "graphql-yoga";
import { builder } from "../builder";
import { ChamberRef } from "../chambers/chamber";
import { connectionType, keysetConnection } from "../common/connections";
import { contextLoader } from "../common/context-loader";
import { describedValues } from "../common/enum-values";
import { orderByKeys } from "../common/load";
import { eventAudience } from "../common/shared-events";
import { objectPayloadType, payloadType, withUserErrors } from "../common/user-errors";
import type { GraphQLContext } from "../context";
import { MerchantRef, primeMembershipFacts } from "../directory/merchant";
import type { FeedEvent } from "./lead-feed";

/** A lead as resolvers see it; inside a subscription event it carries that event (and its sequence number). */
type LeadShape = LeadRow & { eventSeq?: number; feedEvent?: FeedEvent };

const eventPayloads = new WeakMap<FeedEvent, LeadShape>();

/**
 * One payload object per feed event, whoever receives it: subscribers whose operation reads the same for
 * everyone then share one execution of it (see common/shared-events).
 */
function toPayload(event: FeedEvent): LeadShape {
  let payload = eventPayloads.get(event);
  if (!payload) {
    payload = { ...event.lead, eventSeq: event.seq, feedEvent: event };
    eventPayloads.set(event, payload);
  }
  return payload;
}

/**
 * Gives the executing subscriber's loaders the rows the feed read once for everyone (replacing any older
 * copy, since a subscription's context outlives many events), so `chamber`, `postedBy` and `responses`
 * cost no statement.
 */
function primeFromEvent(ctx: GraphQLContext, lead: LeadShape): LeadShape {
  const event = lead.feedEvent;
  if (!event) return lead;
  if (event.chamber) ChamberRef.getDataloader(ctx).clear(event.chamber.id).prime(event.chamber.id, event.chamber);
  if (event.poster && !event.poster.mergedIntoId)
    MerchantRef.getDataloader(ctx).clear(event.poster.id).prime(event.poster.id, event.poster);
  if (event.posterFacts) primeMembershipFacts(ctx, event.lead.postedByMerchantId, event.posterFacts);
  // Every answer: this resolver runs in shared executions too, where the viewer is not to be read; the
  // `responses` field (never shared) keeps the ones this subscriber may read.
  responsesLoader(ctx).clear(event.lead.id).prime(event.lead.id, event.responses);
  return lead;
}

export const LeadKindEnum = builder.enumType("LeadKind", {
  description: "What a lead (商机) offers or seeks.",
  values: describedValues(leadKindEnum.enumValues, {
    INVESTMENT_PROJECT: "A return-investment project (回归投资项目): investing back in Wenzhou.",
    BUSINESS_OPPORTUNITY: "A business opportunity (商业机会).",
    SUPPLY: "Something on offer (供应).",
    DEMAND: "Something wanted (需求).",
    PARTNERSHIP: "A partner sought (合作).",
  }),
});
export const LeadVisibilityEnum = builder.enumType("LeadVisibility", {
  description: "Who may see a lead, besides its poster and the merchants who answered it or were referred to it.",
  values: describedValues(leadVisibilityEnum.enumValues, {
    CHAMBER: "The posting chamber's members and secretaries (本商会).",
    SELECTED_CHAMBERS: "The posting chamber's and the named chambers' members and secretaries (指定商会).",
    FEDERATION: "Every signed-in user (全体会员).",
  }),
});
export const LeadStatusEnum = builder.enumType("LeadStatus", {
  description:
    "A lead's lifecycle: OPEN → IN_PROGRESS → CLOSED_WON | CLOSED_LOST | WITHDRAWN; OPEN past expiry → EXPIRED.",
  values: describedValues(leadStatusEnum.enumValues, {
    OPEN: "Open to answers (开放).",
    IN_PROGRESS: "Someone is engaged (洽谈中).",
    CLOSED_WON: "Closed with business done (已成交), with the value closed.",
    CLOSED_LOST: "Closed without business (未成交).",
    WITHDRAWN: "Withdrawn by its poster (已撤回).",
    EXPIRED: "Past its expiry date while OPEN (已过期).",
  }),
});
export const LeadResponseKindEnum = builder.enumType("LeadResponseKind", {
  description: "How a member answers a lead.",
  values: describedValues(leadResponseKindEnum.enumValues, {
    INTEREST: "Interest in the lead, with a message (表达意向).",
    REFERRAL: "The lead referred to another merchant, named (推荐他人).",
  }),
});

export const LeadRef = builder.loadableNode("Lead", {
  description: "A business lead posted by a member in one chamber, visible per its visibility.",
  id: { resolve: (lead: LeadShape) => lead.id, extensions: { sharing: "all" } },
  load: async (ids: string[], ctx) => orderByKeys(ids, await visibleLeadsByIds(ctx, ids), (l) => l.id),
  sort: (l) => l.id,
  fields: (t) => ({
    title: t.exposeString("title", { description: "A one-line title.", extensions: { sharing: "all" } }),
    description: t.exposeString("description", {
      description: "What is offered or sought, in the poster's words.",
      extensions: { sharing: "all" },
    }),
    kind: t.expose("kind", { type: LeadKindEnum, description: "What kind of lead.", extensions: { sharing: "all" } }),
    visibility: t.expose("visibility", {
      type: LeadVisibilityEnum,
      description: "Who may see it.",
      extensions: { sharing: "all" },
    }),
    status: t.field({
      type: LeadStatusEnum,
      description: "OPEN leads past their expiry date read as EXPIRED.",
      resolve: (lead) => effectiveLeadStatus(lead, todayIso()),
      extensions: { sharing: "all" },
    }),
    industry: t.exposeString("industry", {
      nullable: true,
      description: "GB/T 4754 section code.",
      extensions: { sharing: "all" },
    }),
    provinceCode: t.exposeString("provinceCode", {
      nullable: true,
      description: "GB/T 2260 code of the province it concerns.",
      extensions: { sharing: "all" },
    }),
    district: t.exposeString("district", {
      nullable: true,
      description: "Wenzhou district code.",
      extensions: { sharing: "all" },
    }),
    amount: t.expose("amount", {
      type: "Decimal",
      nullable: true,
      description: "Estimated amount, CNY.",
      extensions: { sharing: "all" },
    }),
    expiresOn: t.expose("expiresOn", {
      type: "Date",
      nullable: true,
      description: "After this date an OPEN lead reads as EXPIRED.",
      extensions: { sharing: "all" },
    }),
    closedValue: t.expose("closedValue", {
      type: "Decimal",
      nullable: true,
      description: "The value actually closed (成交额), CNY; set for CLOSED_WON.",
      extensions: { sharing: "all" },
    }),
    closedAt: t.expose("closedAt", {
      type: "DateTime",
      nullable: true,
      description: "When it was closed (won, lost or withdrawn); null while open.",
      extensions: { sharing: "all" },
    }),
    createdAt: t.expose("createdAt", {
      type: "DateTime",
      description: "When it was posted.",
      extensions: { sharing: "all" },
    }),
    chamber: t.field({
      type: ChamberRef,
      description: "The posting chamber.",
      resolve: (lead) => lead.chamberId,
      extensions: { sharing: "all" },
    }),
    postedBy: t.field({
      type: MerchantRef,
      nullable: true,
      description:
        "The merchant who posted it; null when their profile is not listed for the viewer (they have not agreed to " +
        "the privacy notice, and the viewer is outside their chambers). An erased poster reads as a deleted user.",
      resolve: (lead, _args, ctx) => {
        // In an event the poster's row was read once for every subscriber (and primed): the listing rule's twin
        // decides here; elsewhere the profile's loader applies the rule in its SQL.
        const poster = lead.feedEvent?.poster;
        const facts = lead.feedEvent?.posterFacts;
        if (poster && facts && !poster.mergedIntoId && !canReachMerchant(ctx.permissions.viewer, poster, facts))
          return null;
        return lead.postedByMerchantId;
      },
      // the same for every subscriber in the event's audience, which includes whether they reach the poster
      extensions: { sharing: "audience" },
    }),
    eventCursor: t.string({
      nullable: true,
      description:
        "In a subscription event: its cursor; pass it as `after` when reconnecting to miss nothing. Null elsewhere.",
      resolve: (lead) => (lead.eventSeq === undefined ? null : String(lead.eventSeq)),
      extensions: { sharing: "all" },
    }),
    viewerCanManage: t.boolean({
      description:
        "Whether the viewer may change this lead's status (its poster or the posting chamber's secretaries).",
      resolve: (lead, _args, ctx) => canManage(ctx, lead),
      // The same for every subscriber in the event's audience (see `leadAudience`).
      extensions: { sharing: "audience" },
    }),
  }),
});

/** A lead's answers that the viewer may read, oldest first. */
const responsesLoader = (ctx: GraphQLContext) =>
  contextLoader(ctx, "leadResponsesByLead", (leadIds) => visibleLeadResponsesByLeadIds(ctx, leadIds));

/** For SELECTED_CHAMBERS leads: the ids of the other chambers named. */
const selectedChambersLoader = (ctx: GraphQLContext) =>
  contextLoader(ctx, "leadSelectedChambers", (leadIds) => selectedChamberIdsByLeadIds(ctx.db, leadIds));

function canManage(ctx: GraphQLContext, lead: LeadRow): boolean {
  return canManageLead(ctx.permissions, lead);
}

export const LeadResponseRef = builder.loadableNode("LeadResponse", {
  description: "An answer to a lead: interest with a message, or a referral to another merchant.",
  id: { resolve: (r: LeadResponseRow) => r.id },
  load: async (ids: string[], ctx) => orderByKeys(ids, await visibleLeadResponsesByIds(ctx, ids), (r) => r.id),
  sort: (r) => r.id,
  fields: (t) => ({
    kind: t.expose("kind", { type: LeadResponseKindEnum, description: "Interest or a referral." }),
    message: t.exposeString("message", { description: "The responder's message to the poster." }),
    createdAt: t.expose("createdAt", { type: "DateTime", description: "When it was sent." }),
    lead: t.field({ type: LeadRef, description: "The lead answered.", resolve: (r) => r.leadId }),
    responder: t.field({
      type: MerchantRef,
      nullable: true,
      description:
        "Who answered; null when their profile is not listed for the viewer (they have not agreed to the privacy " +
        "notice, and the viewer is outside their chambers). An erased responder reads as a deleted user.",
      resolve: (r) => r.responderMerchantId,
    }),
    referredMerchant: t.field({
      type: MerchantRef,
      nullable: true,
      description:
        "For a REFERRAL: the merchant the lead was referred to; null for INTEREST, and when that profile is not " +
        "listed for the viewer.",
      resolve: (r) => r.referredMerchantId,
    }),
    responderChamber: t.field({
      type: ChamberRef,
      nullable: true,
      description: "The chamber the responder answered from, credited with a referral's closed value; null if none.",
      resolve: (r) => r.responderChamberId,
    }),
  }),
});

builder.objectFields(LeadRef, (t) => ({
  selectedChambers: t.field({
    type: [ChamberRef],
    description: "For SELECTED_CHAMBERS leads: the other chambers it is shown to.",
    resolve: (lead, _args, ctx) => selectedChambersLoader(ctx).load(lead.id),
    extensions: { sharing: "all" },
  }),
  responses: t.field({
    type: [LeadResponseRef],
    description:
      "The poster and the chamber's secretaries see every answer; a responder sees their own; a referred merchant " +
      "the referral naming them.",
    // The loader's SQL keeps the readable answers; answers primed from a feed event are all of them, so the
    // same rule (twin-tested against that SQL) is applied here.
    resolve: async (lead, _args, ctx) =>
      (await responsesLoader(ctx).load(lead.id)).filter((r) => canSeeLeadResponse(ctx.permissions, lead, r)),
  }),
}));

const LeadFilter = builder.inputType("LeadFilter", {
  description: "Narrows leads; every field given must match.",
  fields: (t) => ({
    kinds: t.field({ type: [LeadKindEnum], description: "Leads of any of these kinds." }),
    industries: t.stringList({ description: "Leads in any of these GB/T 4754 sections." }),
    provinceCodes: t.stringList({ description: "Leads concerning any of these GB/T 2260 provinces." }),
    status: t.field({
      type: [LeadStatusEnum],
      description: "Leads whose status reads as one of these (EXPIRED included).",
    }),
    chamberId: t.globalID({ for: ChamberRef, description: "Only leads posted in this chamber." }),
  }),
});

/** The filter as GraphQL reads it. */
interface LeadFilterValue {
  kinds?: readonly string[] | null;
  industries?: readonly string[] | null;
  provinceCodes?: readonly string[] | null;
  status?: readonly string[] | null;
  chamberId?: { id: string } | null;
}

/** The GraphQL filter as core's: global ids decoded, enum values typed. */
function toLeadListFilter(filter: LeadFilterValue | null | undefined): LeadListFilter | null {
  if (!filter) return null;
  return {
    kinds: filter.kinds as LeadKind[] | null | undefined,
    industries: filter.industries,
    provinceCodes: filter.provinceCodes,
    statuses: filter.status as LeadStatus[] | null | undefined,
    chamberId: filter.chamberId?.id ?? null,
  };
}

const LeadConnection = connectionType(LeadRef, "Lead");

builder.queryFields((t) => ({
  leads: t.connection(
    {
      type: LeadRef,
      description: "Leads the viewer may see, newest first.",
      args: { filter: t.arg({ type: LeadFilter, description: "Which leads; all the viewer may see when absent." }) },
      resolve: (_root, args, ctx) => {
        ctx.permissions.requireViewer(); // before the paging arguments are looked at
        const filter = toLeadListFilter(args.filter);
        const today = todayIso();
        return keysetConnection(args, {
          toKey: (lead: LeadRow) => [lead.createdAt.toISOString(), lead.id],
          page: (page) => listLeads(ctx, filter, page, today),
          count: () => countLeads(ctx, filter, today),
        });
      },
    },
    LeadConnection,
  ),
}));

const PostLeadInput = builder.inputType("PostLeadInput", {
  description: "A new lead (商机) and who may see it.",
  fields: (t) => ({
    chamberId: t.globalID({
      for: ChamberRef,
      required: true,
      description: "A chamber where the viewer is an active member.",
    }),
    kind: t.field({ type: LeadKindEnum, required: true, description: "What kind of lead." }),
    title: t.string({ required: true, description: "A one-line title." }),
    description: t.string({ required: true, description: "What is offered or sought." }),
    industry: t.string({ description: "GB/T 4754 section code." }),
    provinceCode: t.string({ description: "GB/T 2260 code of the province it concerns." }),
    district: t.string({ description: "Wenzhou district code." }),
    amount: t.field({ type: "Decimal", description: "Estimated amount, CNY." }),
    expiresOn: t.field({ type: "Date", description: "When it expires (not in the past); none when absent." }),
    visibility: t.field({ type: LeadVisibilityEnum, required: true, description: "Who may see it." }),
    selectedChamberIds: t.globalIDList({
      for: ChamberRef,
      description: "For SELECTED_CHAMBERS: the other chambers to show it to (at least one).",
    }),
  }),
});

const RespondToLeadInput = builder.inputType("RespondToLeadInput", {
  description: "An answer to a lead: interest, or a referral to a named merchant.",
  fields: (t) => ({
    leadId: t.globalID({
      for: LeadRef,
      required: true,
      description: "An OPEN or IN_PROGRESS lead the viewer can see.",
    }),
    kind: t.field({ type: LeadResponseKindEnum, required: true, description: "INTEREST or REFERRAL." }),
    message: t.string({ required: true, description: "The message to the poster." }),
    referredMerchantId: t.globalID({
      for: MerchantRef,
      description: "For a REFERRAL: the merchant the lead is referred to.",
    }),
  }),
});

const UpdateLeadStatusInput = builder.inputType("UpdateLeadStatusInput", {
  description: "A lead's next status, and for CLOSED_WON the value closed.",
  fields: (t) => ({
    leadId: t.globalID({ for: LeadRef, required: true, description: "The lead." }),
    status: t.field({
      type: LeadStatusEnum,
      required: true,
      description: "IN_PROGRESS, CLOSED_WON, CLOSED_LOST or WITHDRAWN.",
    }),
    closedValue: t.field({ type: "Decimal", description: "Required for CLOSED_WON: the value actually closed (CNY)." }),
  }),
});

const LeadPayload = objectPayloadType(
  "LeadPayload",
  "lead",
  LeadRef,
  "The result of postLead or updateLeadStatus: the lead, or userErrors.",
);

interface LeadResponsePayloadShape {
  response?: LeadResponseRow | null;
  lead?: LeadRow | null;
  userErrors: UserErrorEntry[];
}
const LeadResponsePayload = payloadType<LeadResponsePayloadShape>(
  "LeadResponsePayload",
  (t) => ({
    response: t.field({
      type: LeadResponseRef,
      nullable: true,
      description: "The answer sent; null when refused.",
      resolve: (p) => p.response ?? null,
    }),
    lead: t.field({
      type: LeadRef,
      nullable: true,
      description: "The lead answered; null when refused.",
      resolve: (p) => p.lead ?? null,
    }),
  }),
  "The result of respondToLead: the answer and its lead, or userErrors.",
);

builder.mutationFields((t) => ({
  postLead: t.field({
    type: LeadPayload,
    description:
      "An active member posts a lead in their chamber. userErrors: INVALID (a field, e.g. no selected chambers), " +
      "NOT_FOUND (a chamber).",
    args: {
      input: t.arg({
        type: PostLeadInput,
        required: true,
        description: "The request; each field is described on its type.",
      }),
    },
    resolve: (_root, { input }, ctx) =>
      withUserErrors(async () => ({
        lead: await postLead(ctx, {
          ...input,
          chamberId: input.chamberId.id,
          kind: input.kind as LeadKind,
          visibility: input.visibility as LeadVisibility,
          selectedChamberIds: input.selectedChamberIds?.map((c) => c.id),
        }),
      })),
  }),
  respondToLead: t.field({
    type: LeadResponsePayload,
    description:
      "A signed-in member expresses interest in a lead, or refers it to another merchant (who is then notified). " +
      "userErrors: INVALID, NOT_FOUND (a lead or merchant not visible), INVALID_TRANSITION (the lead is closed).",
    args: {
      input: t.arg({
        type: RespondToLeadInput,
        required: true,
        description: "The request; each field is described on its type.",
      }),
    },
    resolve: (_root, { input }, ctx) =>
      withUserErrors(() =>
        respondToLead(ctx, {
          leadId: input.leadId.id,
          kind: input.kind as LeadResponseKind,
          message: input.message,
          referredMerchantId: input.referredMerchantId?.id,
        }),
      ),
  }),
  updateLeadStatus: t.field({
    type: LeadPayload,
    description:
      "The poster (or the posting chamber's secretaries) moves a lead along OPEN → IN_PROGRESS → CLOSED_WON | " +
      "CLOSED_LOST | WITHDRAWN. userErrors: INVALID (closedValue), INVALID_TRANSITION (not a next status), " +
      "CONFLICT (changed meanwhile).",
    args: {
      input: t.arg({
        type: UpdateLeadStatusInput,
        required: true,
        description: "The request; each field is described on its type.",
      }),
    },
    resolve: (_root, { input }, ctx) =>
      withUserErrors(async () => ({
        lead: await updateLeadStatus(ctx, {
          leadId: input.leadId.id,
          status: input.status as LeadStatus,
          closedValue: input.closedValue,
        }),
      })),
  }),
}));

/**
 * A live stream of lead events the viewer may see and `accept`s: first every such event after `after`
 * from the log (in order), then live ones from the process's feed, with no gap and no repeat.
 */
function leadEventStream(ctx: GraphQLContext, after: string | null | undefined, accept: (event: FeedEvent) => boolean) {
  ctx.permissions.requireViewer();
  let afterSeq: number | null = null;
  if (after != null) {
    if (!/^\d{1,15}$/.test(after))
      throw UserInputError.of("INVALID", ["after"], msg("lead.badEventCursor", { cursor: after }));
    afterSeq = Number(after);
  }
  const deliverable = (event: FeedEvent) => canSeeLead(ctx.permissions, event.lead, event.facts) && accept(event);
  return new Repeater<LeadShape>(async (push, stop) => {
    let replaying = true;
    const held: FeedEvent[] = [];
    const registration = await ctx.leadFeed.listen((events) => {
      for (const event of events) {
        if (!deliverable(event)) continue;
        if (replaying) held.push(event);
        else void push(toPayload(event));
      }
    });
    try {
      if (afterSeq !== null) {
        let cursor = afterSeq;
        while (cursor < registration.fromSeq) {
          const page = await ctx.leadFeed.read(cursor, registration.fromSeq);
          if (page.length === 0) break;
          for (const event of page) if (deliverable(event)) await push(toPayload(event));
          cursor = page[page.length - 1]!.seq;
        }
      }
      replaying = false;
      for (const event of held.splice(0)) await push(toPayload(event));
      await stop;
    } finally {
      registration.stop();
    }
  });
}

builder.subscriptionFields((t) => ({
  leadPosted: t.field({
    type: LeadRef,
    description:
      "New leads the subscriber may see, matching the filter. Pass the last `eventCursor` seen as `after` to receive " +
      "what was missed first.",
    args: {
      filter: t.arg({ type: LeadFilter, description: "Which new leads; all the subscriber may see when absent." }),
      after: t.arg.string({ description: "The last eventCursor received: replay the events after it first." }),
    },
    subscribe: (_root, args, ctx) => {
      const filter = toLeadListFilter(args.filter);
      const accept = (e: FeedEvent) => e.kind === "POSTED" && leadMatchesFilter(e.lead, filter, todayIso());
      return leadEventStream(ctx, args.after, accept);
    },
    resolve: (lead, _args, ctx) => primeFromEvent(ctx, lead),
    extensions: leadEventSharing,
  }),
  leadUpdated: t.field({
    type: LeadRef,
    description:
      "Changes (status, new answers) to leads the subscriber posted, answered or was referred to — or to the one " +
      "lead named.",
    args: {
      leadId: t.arg.globalID({ for: LeadRef, description: "Only this lead (which the subscriber may see)." }),
      after: t.arg.string({ description: "The last eventCursor received: replay the events after it first." }),
    },
    subscribe: (_root, args, ctx) => {
      const me = ctx.permissions.merchantId;
      const leadId = args.leadId?.id;
      return leadEventStream(ctx, args.after, (e) => {
        if (e.kind === "POSTED") return false;
        if (leadId) return e.lead.id === leadId;
        return (
          !!me &&
          (e.lead.postedByMerchantId === me ||
            e.facts.responderMerchantIds.includes(me) ||
            e.facts.referredMerchantIds.includes(me))
        );
      });
    },
    resolve: (lead, _args, ctx) => primeFromEvent(ctx, lead),
    extensions: leadEventSharing,
  }),
}));

// What reads the same for every subscriber an event reaches (who receives it is decided per subscriber).
// The lead's and its poster's `sharing: "audience"` fields (`viewerCanManage`, the contact fields) read the
// same for every subscriber with the same access to the poster and the same right to manage the lead: the
// event's audience, computed with the same rules the fields themselves use.
// `responses` depends on who each subscriber is, so operations selecting it run per subscriber.
const leadEventSharing = { sharing: "all", audience: eventAudience(leadAudience, ["", "postedBy"]) } as const;
function leadAudience(ctx: GraphQLContext, lead: LeadShape): string {
  const event = lead.feedEvent;
  const poster = event?.poster;
  // Without the poster's facts at hand (or a merged poster, shown as another profile): this viewer alone.
  if (!event || !poster || poster.mergedIntoId || !event.posterFacts)
    return `viewer ${ctx.permissions.viewer?.userId ?? "anonymous"}`;
  const contact = visibilityEnum.enumValues
    .map((v) => (canSeeField(ctx.permissions.viewer, poster.id, v, event.posterFacts!) ? "1" : "0"))
    .join("");
  const reach = canReachMerchant(ctx.permissions.viewer, poster, event.posterFacts) ? "1" : "0";
  return `${reach}${contact}${canManage(ctx, lead) ? "1" : "0"}`;
}
