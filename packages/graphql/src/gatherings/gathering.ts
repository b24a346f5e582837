// Gatherings (年会, 联谊会, 恳谈会, 茶话会, 联席会议) as GraphQL: a chamber's or the federation's, invitations by level,
// tag or chosen people, answers, attendance; PLANNED → HELD | CANCELLED.
import {
  answerGatheringInvitation,
  type GatheringFilter as CoreGatheringFilter,
  cancelGathering,
  countGatherings,
  createGathering,
  invitationsForGatherings,
  inviteToGathering,
  listGatherings,
  recordGatheringAttendance,
  type UserErrorEntry,
  visibleGatheringsByIds,
} from "@wz/core";
import {
  type GatheringInvitationRow,
  type GatheringKind,
  type GatheringRow,
  type GatheringStatus,
  gatheringKindEnum,
  gatheringRsvpEnum,
  gatheringStatusEnum,
  type MembershipLevel,
} from "@wz/db";
import { builder } from "../builder";
import { ChamberRef } from "../chambers/chamber";
import { connectionType, keysetConnection } from "../common/connections";
import { contextLoader } from "../common/context-loader";
import { describedValues } from "../common/enum-values";
import { orderByKeys } from "../common/load";
import { objectPayloadType, payloadType, withUserErrors } from "../common/user-errors";
import type { GraphQLContext } from "../context";
import { MerchantRef, MerchantTagEnum } from "../directory/merchant";
import { MembershipLevelEnum } from "../membership/membership";

const GatheringKindEnum = builder.enumType("GatheringKind", {
  description: "What kind of gathering it is.",
  values: describedValues(gatheringKindEnum.enumValues, {
    ANNUAL_MEETING: "Annual meeting (年会).",
    FELLOWSHIP: "Fellowship gathering (联谊会).",
    SYMPOSIUM: "Symposium (恳谈会).",
    TEA_PARTY: "Tea party (茶话会).",
    JOINT_MEETING: "Joint meeting (联席会议), e.g. the new-generation joint meeting (新生代温商联席会议).",
  }),
});
const GatheringStatusEnum = builder.enumType("GatheringStatus", {
  description: "PLANNED → HELD (with attendance) or CANCELLED (with a reason).",
  values: describedValues(gatheringStatusEnum.enumValues, {
    PLANNED: "Planned: invitations go out and are answered.",
    HELD: "Held, with who attended; final.",
    CANCELLED: "Cancelled with a reason; final.",
  }),
});
const GatheringRsvpEnum = builder.enumType("GatheringRsvp", {
  description: "An invited member's answer.",
  values: describedValues(gatheringRsvpEnum.enumValues, {
    PENDING: "Not answered yet.",
    ATTENDING: "Will attend.",
    DECLINED: "Will not attend.",
  }),
});

const invitationsLoader = (ctx: GraphQLContext) =>
  contextLoader(ctx, "gatheringInvitations", (ids) => invitationsForGatherings(ctx, ids), { cache: false });

const GatheringInvitationRef = builder.objectRef<GatheringInvitationRow>("GatheringInvitation").implement({
  description: "A member invited to a gathering, their answer and (once held) whether they attended.",
  fields: (t) => ({
    merchant: t.field({
      type: MerchantRef,
      nullable: true,
      description: "The member (null when their profile is not visible to the viewer).",
      resolve: (i) => i.merchantId,
    }),
    chamber: t.field({
      type: ChamberRef,
      description: "The chamber they are invited through.",
      resolve: (i) => i.chamberId,
    }),
    rsvp: t.expose("rsvp", { type: GatheringRsvpEnum, description: "Their answer." }),
    attended: t.exposeBoolean("attended", { nullable: true, description: "Whether they attended; null until held." }),
  }),
});

export const GatheringRef = builder.loadableNode("Gathering", {
  description:
    "A gathering of a chamber or of the federation. Federation staff see every one; a chamber's secretaries and " +
    "active members their chamber's; an invited member the ones they are invited to.",
  id: { resolve: (g: GatheringRow) => g.id },
  load: async (ids: string[], ctx) => orderByKeys(ids, await visibleGatheringsByIds(ctx, ids), (g) => g.id),
  sort: (g) => g.id,
  fields: (t) => ({
    chamber: t.field({
      type: ChamberRef,
      description: "The chamber holding it (the federation's own).",
      resolve: (g) => g.chamberId,
    }),
    kind: t.expose("kind", { type: GatheringKindEnum, description: "What kind of gathering." }),
    title: t.exposeString("title", { description: "Its name (e.g. 2014年新生代温商联席会议)." }),
    heldOn: t.expose("heldOn", { type: "Date", description: "The day." }),
    place: t.exposeString("place", { nullable: true, description: "Where." }),
    status: t.expose("status", { type: GatheringStatusEnum, description: "Where it stands." }),
    cancelReason: t.exposeString("cancelReason", { nullable: true, description: "Why it was cancelled." }),
    invitations: t.field({
      type: [GatheringInvitationRef],
      description: "Everyone invited, for those who keep it (and federation staff); the viewer's own for anyone else.",
      resolve: (g, _args, ctx) => invitationsLoader(ctx).load(g.id),
    }),
  }),
});

const GatheringFilter = builder.inputType("GatheringFilter", {
  description: "Narrows gatherings; the conditions given all apply.",
  fields: (t) => ({
    chamberId: t.globalID({ for: ChamberRef, description: "Held by this chamber." }),
    status: t.field({ type: [GatheringStatusEnum], description: "In one of these states." }),
    from: t.field({ type: "Date", description: "Held on or after this day." }),
    to: t.field({ type: "Date", description: "Held on or before this day." }),
  }),
});
const GatheringConnection = connectionType(GatheringRef, "Gathering");

builder.queryFields((t) => ({
  gatherings: t.connection(
    {
      type: GatheringRef,
      description: "Gatherings the viewer may see, latest first.",
      args: { filter: t.arg({ type: GatheringFilter, description: "Narrows the list (default: every one)." }) },
      resolve: (_root, args, ctx) => {
        ctx.permissions.requireViewer();
        const f = args.filter;
        const filter: CoreGatheringFilter | null = f
          ? { chamberId: f.chamberId?.id ?? null, status: f.status as GatheringStatus[] | null, from: f.from, to: f.to }
          : null;
        return keysetConnection(args, {
          toKey: (g: GatheringRow) => [g.heldOn, g.id],
          page: (page) => listGatherings(ctx, filter, page),
          count: () => countGatherings(ctx, filter),
        });
      },
    },
    GatheringConnection,
  ),
}));

const CreateGatheringInput = builder.inputType("CreateGatheringInput", {
  description: "A gathering to plan.",
  fields: (t) => ({
    chamberId: t.globalID({
      for: ChamberRef,
      required: true,
      description: "The chamber holding it: one the viewer is secretary of, or the federation (federation staff).",
    }),
    kind: t.field({ type: GatheringKindEnum, required: true, description: "What kind of gathering." }),
    title: t.string({ required: true, description: "Its name (up to 200 characters)." }),
    heldOn: t.field({ type: "Date", required: true, description: "The day." }),
    place: t.string({ description: "Where (up to 200 characters)." }),
  }),
});
const InviteToGatheringInput = builder.inputType("InviteToGatheringInput", {
  description:
    "Whom to invite: the inviting chamber's ACTIVE members (any chamber's for the federation's) at one of the levels " +
    "and with one of the tags given (both apply when both are given), and the people chosen.",
  fields: (t) => ({
    gatheringId: t.globalID({ for: GatheringRef, required: true, description: "A PLANNED gathering." }),
    levels: t.field({ type: [MembershipLevelEnum], description: "Members at one of these levels." }),
    tags: t.field({ type: [MerchantTagEnum], description: "Members with one of these tags (e.g. NEW_GENERATION)." }),
    merchantIds: t.globalIDList({ for: MerchantRef, description: "People chosen: each an active member." }),
  }),
});
const AnswerGatheringInvitationInput = builder.inputType("AnswerGatheringInvitationInput", {
  description: "The viewer's own answer to an invitation.",
  fields: (t) => ({
    gatheringId: t.globalID({
      for: GatheringRef,
      required: true,
      description: "A PLANNED gathering they are invited to.",
    }),
    attending: t.boolean({ required: true, description: "true: will attend; false: will not." }),
  }),
});
const RecordGatheringAttendanceInput = builder.inputType("RecordGatheringAttendanceInput", {
  description: "Who attended a PLANNED gathering, which becomes HELD.",
  fields: (t) => ({
    gatheringId: t.globalID({ for: GatheringRef, required: true, description: "The gathering." }),
    attendedMerchantIds: t.globalIDList({
      for: MerchantRef,
      required: true,
      description: "The invited members who attended (the others did not).",
    }),
  }),
});
const CancelGatheringInput = builder.inputType("CancelGatheringInput", {
  description: "A PLANNED gathering to cancel.",
  fields: (t) => ({
    gatheringId: t.globalID({ for: GatheringRef, required: true, description: "The gathering." }),
    reason: t.string({ required: true, description: "Why (up to 500 characters)." }),
  }),
});

const GatheringPayload = objectPayloadType("GatheringPayload", "gathering", GatheringRef);
const InviteToGatheringPayload = payloadType<{
  gathering?: GatheringRow | null;
  invited?: number;
  userErrors: UserErrorEntry[];
}>("InviteToGatheringPayload", (t) => ({
  gathering: t.field({
    type: GatheringRef,
    nullable: true,
    description: "The gathering (absent on userErrors).",
    resolve: (p) => p.gathering ?? null,
  }),
  invited: t.int({ description: "How many were newly invited (0 on userErrors).", resolve: (p) => p.invited ?? 0 }),
}));

builder.mutationFields((t) => ({
  createGathering: t.field({
    type: GatheringPayload,
    description:
      "A chamber's secretaries plan its gathering; federation staff the federation's. userErrors: INVALID (a field), " +
      "NOT_FOUND (chamberId).",
    args: { input: t.arg({ type: CreateGatheringInput, required: true, description: "The gathering." }) },
    resolve: (_root, { input }, ctx) =>
      withUserErrors(async () => ({
        gathering: await createGathering(ctx, {
          ...input,
          chamberId: input.chamberId.id,
          kind: input.kind as GatheringKind,
        }),
      })),
  }),
  inviteToGathering: t.field({
    type: InviteToGatheringPayload,
    description:
      "Those who keep a PLANNED gathering invite by level, tag or chosen people: exactly the inviting chamber's " +
      "ACTIVE members who match. userErrors: INVALID (nobody chosen, a chosen person not such a member), " +
      "INVALID_TRANSITION (held or cancelled), NOT_FOUND (gatheringId).",
    args: { input: t.arg({ type: InviteToGatheringInput, required: true, description: "Whom to invite." }) },
    resolve: (_root, { input }, ctx) =>
      withUserErrors(
        async () =>
          await inviteToGathering(ctx, {
            gatheringId: input.gatheringId.id,
            levels: input.levels as MembershipLevel[] | null,
            tags: input.tags,
            merchantIds: input.merchantIds?.map((m) => m.id),
          }),
      ),
  }),
  answerGatheringInvitation: t.field({
    type: GatheringPayload,
    description:
      "An invited member answers (RSVP). userErrors: INVALID_TRANSITION (held or cancelled), NOT_FOUND (not invited).",
    args: { input: t.arg({ type: AnswerGatheringInvitationInput, required: true, description: "The answer." }) },
    resolve: (_root, { input }, ctx) =>
      withUserErrors(async () => ({
        gathering: await answerGatheringInvitation(ctx, {
          gatheringId: input.gatheringId.id,
          attending: input.attending,
        }),
      })),
  }),
  recordGatheringAttendance: t.field({
    type: GatheringPayload,
    description:
      "PLANNED → HELD with who attended. userErrors: INVALID (someone not invited), INVALID_TRANSITION (held or " +
      "cancelled), NOT_FOUND (gatheringId).",
    args: { input: t.arg({ type: RecordGatheringAttendanceInput, required: true, description: "The attendance." }) },
    resolve: (_root, { input }, ctx) =>
      withUserErrors(async () => ({
        gathering: await recordGatheringAttendance(ctx, {
          gatheringId: input.gatheringId.id,
          attendedMerchantIds: input.attendedMerchantIds.map((m) => m.id),
        }),
      })),
  }),
  cancelGathering: t.field({
    type: GatheringPayload,
    description: "PLANNED → CANCELLED with a reason. userErrors: INVALID (no reason), INVALID_TRANSITION, NOT_FOUND.",
    args: { input: t.arg({ type: CancelGatheringInput, required: true, description: "The gathering and why." }) },
    resolve: (_root, { input }, ctx) =>
      withUserErrors(async () => ({
        gathering: await cancelGathering(ctx, { gatheringId: input.gatheringId.id, reason: input.reason }),
      })),
  }),
}));
