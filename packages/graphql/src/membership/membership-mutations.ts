// The membership lifecycle and dues as mutations. Resolvers only translate: the rules live in core.
import {
  addMembershipNote,
  answerMembershipProposal,
  applyForMembership,
  changeMembershipLevel,
  changeMembershipStatus,
  type DuesPaymentMethod,
  decideMembership,
  type MembershipNote,
  recordDuesPayment,
  setFeeSchedule,
  type UserErrorEntry,
} from "@wz/core";
import type { FeeScheduleRow, MembershipLevel, MembershipRow, MembershipStatus } from "@wz/db";
import { builder } from "../builder";
import { ChamberRef } from "../chambers/chamber";
import { objectPayloadType, payloadType, withUserErrors } from "../common/user-errors";
import { MerchantRef } from "../directory/merchant";
import {
  DuesPaymentMethodEnum,
  FeeScheduleEntryRef,
  MembershipLevelEnum,
  MembershipNoteRef,
  MembershipRef,
  MembershipStatusEnum,
} from "./membership";

const MembershipPayload = objectPayloadType("MembershipPayload", "membership", MembershipRef);

const ApplyForMembershipInput = builder.inputType("ApplyForMembershipInput", {
  fields: (t) => ({
    chamberId: t.globalID({ for: ChamberRef, required: true }),
    merchantId: t.globalID({
      for: MerchantRef,
      description: "A secretary applying on a merchant's behalf names them; leave out to apply for yourself.",
    }),
    level: t.field({ type: MembershipLevelEnum, description: "The level applied for (default MEMBER)." }),
  }),
});

const AnswerMembershipProposalInput = builder.inputType("AnswerMembershipProposalInput", {
  fields: (t) => ({
    membershipId: t.globalID({
      for: MembershipRef,
      required: true,
      description: "One of Viewer.membershipProposals.",
    }),
    accept: t.boolean({ required: true, description: "True joins the chamber (→ ACTIVE); false declines." }),
    reason: t.string({ description: "Why you decline (optional); kept with the membership." }),
  }),
});

const DecideMembershipInput = builder.inputType("DecideMembershipInput", {
  fields: (t) => ({
    membershipId: t.globalID({ for: MembershipRef, required: true }),
    approve: t.boolean({ required: true }),
    level: t.field({
      type: MembershipLevelEnum,
      description: "On approval: the member's level (default: the level applied for).",
    }),
    reason: t.string({ description: "Required when rejecting." }),
    joinedOn: t.field({ type: "Date", description: "On approval; default today." }),
    expiresOn: t.field({ type: "Date", description: "On approval; default one year from joining." }),
  }),
});

const ChangeMembershipStatusInput = builder.inputType("ChangeMembershipStatusInput", {
  fields: (t) => ({
    membershipId: t.globalID({ for: MembershipRef, required: true }),
    status: t.field({
      type: MembershipStatusEnum,
      required: true,
      description: "SUSPENDED or LEFT; ACTIVE to reinstate a suspended membership.",
    }),
    reason: t.string({ required: true }),
  }),
});

const ChangeMembershipLevelInput = builder.inputType("ChangeMembershipLevelInput", {
  fields: (t) => ({
    membershipId: t.globalID({ for: MembershipRef, required: true }),
    level: t.field({ type: MembershipLevelEnum, required: true }),
    reason: t.string(),
  }),
});

const RecordDuesPaymentInput = builder.inputType("RecordDuesPaymentInput", {
  fields: (t) => ({
    membershipId: t.globalID({ for: MembershipRef, required: true }),
    amount: t.field({ type: "Decimal", required: true, description: "CNY, more than zero." }),
    periodStart: t.field({ type: "Date", required: true }),
    periodEnd: t.field({ type: "Date", description: "Default: one year from periodStart." }),
    method: t.field({ type: DuesPaymentMethodEnum }),
    receiptNo: t.string({ required: true, description: "Unique within the chamber." }),
    paidOn: t.field({ type: "Date", description: "Default: today." }),
  }),
});

const AddMembershipNoteInput = builder.inputType("AddMembershipNoteInput", {
  fields: (t) => ({
    membershipId: t.globalID({ for: MembershipRef, required: true }),
    body: t.string({ required: true }),
  }),
});

const AddMembershipNotePayload = payloadType<{
  note?: MembershipNote | null;
  membership?: MembershipRow | null;
  userErrors: UserErrorEntry[];
}>("AddMembershipNotePayload", (t) => ({
  note: t.field({ type: MembershipNoteRef, nullable: true, resolve: (p) => p.note ?? null }),
  membership: t.field({ type: MembershipRef, nullable: true, resolve: (p) => p.membership ?? null }),
}));

const FeeScheduleEntryInput = builder.inputType("FeeScheduleEntryInput", {
  fields: (t) => ({
    level: t.field({ type: MembershipLevelEnum, required: true }),
    annualFee: t.field({ type: "Decimal", required: true }),
  }),
});

const SetFeeScheduleInput = builder.inputType("SetFeeScheduleInput", {
  fields: (t) => ({
    chamberId: t.globalID({ for: ChamberRef, required: true }),
    fees: t.field({ type: [FeeScheduleEntryInput], required: true }),
  }),
});

const FeeSchedulePayload = payloadType<{
  chamber?: typeof ChamberRef.$inferType | null;
  fees?: FeeScheduleRow[] | null;
  userErrors: UserErrorEntry[];
}>("FeeSchedulePayload", (t) => ({
  chamber: t.field({ type: ChamberRef, nullable: true, resolve: (p) => p.chamber ?? null }),
  fees: t.field({ type: [FeeScheduleEntryRef], nullable: true, resolve: (p) => p.fees ?? null }),
}));

builder.mutationFields((t) => ({
  applyForMembership: t.field({
    type: MembershipPayload,
    description:
      "A signed-in merchant applies to a chamber (→ APPLIED, for its secretary to decide), or the chamber's " +
      "secretary proposes a merchant (→ APPLIED with awaitingConsent: it waits for the merchant, who accepts or " +
      "declines with answerMembershipProposal, and shows the chamber nothing more of them until they accept). A " +
      "merchant applying to a chamber that proposed them accepts the proposal.",
    args: { input: t.arg({ type: ApplyForMembershipInput, required: true }) },
    resolve: (_root, { input }, ctx) =>
      withUserErrors(async () => ({
        membership: await applyForMembership(ctx, {
          chamberId: input.chamberId.id,
          merchantId: input.merchantId?.id ?? null,
          level: (input.level ?? null) as MembershipLevel | null,
        }),
      })),
  }),
  answerMembershipProposal: t.field({
    type: MembershipPayload,
    description:
      "The merchant answers a chamber's proposal (a secretary applied or imported them): accepting makes them an " +
      "ACTIVE member at once; declining ends it (REJECTED). Nobody else can answer for them.",
    args: { input: t.arg({ type: AnswerMembershipProposalInput, required: true }) },
    resolve: (_root, { input }, ctx) =>
      withUserErrors(async () => ({
        membership: await answerMembershipProposal(ctx, {
          membershipId: input.membershipId.id,
          accept: input.accept,
          reason: input.reason,
        }),
      })),
  }),
  decideMembership: t.field({
    type: MembershipPayload,
    description:
      "A secretary approves an application (→ ACTIVE, with a level) or rejects it (→ REJECTED, with a reason).",
    args: { input: t.arg({ type: DecideMembershipInput, required: true }) },
    resolve: (_root, { input }, ctx) =>
      withUserErrors(async () => ({
        membership: await decideMembership(ctx, {
          membershipId: input.membershipId.id,
          approve: input.approve,
          level: (input.level ?? null) as MembershipLevel | null,
          reason: input.reason,
          joinedOn: input.joinedOn,
          expiresOn: input.expiresOn,
        }),
      })),
  }),
  changeMembershipStatus: t.field({
    type: MembershipPayload,
    description: "A secretary suspends a membership, ends it (LEFT) or reinstates a suspended one, with a reason.",
    args: { input: t.arg({ type: ChangeMembershipStatusInput, required: true }) },
    resolve: (_root, { input }, ctx) =>
      withUserErrors(async () => ({
        membership: await changeMembershipStatus(ctx, {
          membershipId: input.membershipId.id,
          status: input.status as MembershipStatus,
          reason: input.reason,
        }),
      })),
  }),
  changeMembershipLevel: t.field({
    type: MembershipPayload,
    description: "A secretary changes a member's level, e.g. DIRECTOR → VICE_PRESIDENT.",
    args: { input: t.arg({ type: ChangeMembershipLevelInput, required: true }) },
    resolve: (_root, { input }, ctx) =>
      withUserErrors(async () => ({
        membership: await changeMembershipLevel(ctx, {
          membershipId: input.membershipId.id,
          level: input.level as MembershipLevel,
          reason: input.reason,
        }),
      })),
  }),
  recordDuesPayment: t.field({
    type: MembershipPayload,
    description:
      "A secretary records dues: extends the expiry (renewing a lapsed membership). No overlapping periods, no " +
      "repeated receipts.",
    args: { input: t.arg({ type: RecordDuesPaymentInput, required: true }) },
    resolve: (_root, { input }, ctx) =>
      withUserErrors(async () => {
        const { membership } = await recordDuesPayment(ctx, {
          membershipId: input.membershipId.id,
          amount: input.amount,
          periodStart: input.periodStart,
          periodEnd: input.periodEnd,
          method: (input.method ?? null) as DuesPaymentMethod | null,
          receiptNo: input.receiptNo,
          paidOn: input.paidOn,
        });
        return { membership };
      }),
  }),
  addMembershipNote: t.field({
    type: AddMembershipNotePayload,
    description: "A secretary adds a private note to a membership; only the chamber's secretaries ever read it.",
    args: { input: t.arg({ type: AddMembershipNoteInput, required: true }) },
    resolve: (_root, { input }, ctx) =>
      withUserErrors(() => addMembershipNote(ctx, { membershipId: input.membershipId.id, body: input.body })),
  }),
  setFeeSchedule: t.field({
    type: FeeSchedulePayload,
    description: "A secretary sets the chamber's annual dues for some levels.",
    args: { input: t.arg({ type: SetFeeScheduleInput, required: true }) },
    resolve: (_root, { input }, ctx) =>
      withUserErrors(() =>
        setFeeSchedule(ctx, {
          chamberId: input.chamberId.id,
          fees: input.fees.map((f) => ({ level: f.level as MembershipLevel, annualFee: f.annualFee })),
        }),
      ),
  }),
}));
