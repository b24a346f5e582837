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

const MembershipPayload = objectPayloadType(
  "MembershipPayload",
  "membership",
  MembershipRef,
  "The result of a membership mutation (apply, answer, decide, status, level, dues): the membership, or userErrors.",
);

const ApplyForMembershipInput = builder.inputType("ApplyForMembershipInput", {
  description: "An application to a chamber, by the merchant or proposed by its secretary.",
  fields: (t) => ({
    chamberId: t.globalID({ for: ChamberRef, required: true, description: "The chamber applied to." }),
    merchantId: t.globalID({
      for: MerchantRef,
      description: "A secretary applying on a merchant's behalf names them; leave out to apply for yourself.",
    }),
    level: t.field({ type: MembershipLevelEnum, description: "The level applied for (default MEMBER)." }),
  }),
});

const AnswerMembershipProposalInput = builder.inputType("AnswerMembershipProposalInput", {
  description: "The merchant's answer to a chamber's proposal.",
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
  description: "A secretary's decision on an APPLIED membership.",
  fields: (t) => ({
    membershipId: t.globalID({ for: MembershipRef, required: true, description: "An APPLIED membership." }),
    approve: t.boolean({ required: true, description: "True approves (→ ACTIVE); false rejects (→ REJECTED)." }),
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
  description: "A secretary's change of a membership's status.",
  fields: (t) => ({
    membershipId: t.globalID({ for: MembershipRef, required: true, description: "The membership." }),
    status: t.field({
      type: MembershipStatusEnum,
      required: true,
      description: "SUSPENDED or LEFT; ACTIVE to reinstate a suspended membership.",
    }),
    reason: t.string({ required: true, description: "Why; kept with the membership and in the audit trail." }),
  }),
});

const ChangeMembershipLevelInput = builder.inputType("ChangeMembershipLevelInput", {
  description: "A secretary's change of a member's level.",
  fields: (t) => ({
    membershipId: t.globalID({ for: MembershipRef, required: true, description: "The membership." }),
    level: t.field({ type: MembershipLevelEnum, required: true, description: "The new level." }),
    reason: t.string({ description: "Why (optional); kept in the audit trail." }),
  }),
});

const RecordDuesPaymentInput = builder.inputType("RecordDuesPaymentInput", {
  description: "One dues payment (会费) for a period of a membership.",
  fields: (t) => ({
    membershipId: t.globalID({ for: MembershipRef, required: true, description: "The membership paid for." }),
    amount: t.field({ type: "Decimal", required: true, description: "CNY, more than zero." }),
    periodStart: t.field({ type: "Date", required: true, description: "First day of the period paid for." }),
    periodEnd: t.field({ type: "Date", description: "Default: one year from periodStart." }),
    method: t.field({ type: DuesPaymentMethodEnum, description: "How it was paid." }),
    receiptNo: t.string({ required: true, description: "Unique within the chamber." }),
    paidOn: t.field({ type: "Date", description: "Default: today." }),
  }),
});

const AddMembershipNoteInput = builder.inputType("AddMembershipNoteInput", {
  description: "A private note of the secretariat on a membership.",
  fields: (t) => ({
    membershipId: t.globalID({ for: MembershipRef, required: true, description: "The membership." }),
    body: t.string({ required: true, description: "The note's text." }),
  }),
});

const AddMembershipNotePayload = payloadType<{
  note?: MembershipNote | null;
  membership?: MembershipRow | null;
  userErrors: UserErrorEntry[];
}>(
  "AddMembershipNotePayload",
  (t) => ({
    note: t.field({
      type: MembershipNoteRef,
      nullable: true,
      description: "The note added; null when refused.",
      resolve: (p) => p.note ?? null,
    }),
    membership: t.field({
      type: MembershipRef,
      nullable: true,
      description: "The membership noted; null when refused.",
      resolve: (p) => p.membership ?? null,
    }),
  }),
  "The result of addMembershipNote: the note and its membership, or userErrors.",
);

const FeeScheduleEntryInput = builder.inputType("FeeScheduleEntryInput", {
  description: "The annual dues for one level.",
  fields: (t) => ({
    level: t.field({ type: MembershipLevelEnum, required: true, description: "The level." }),
    annualFee: t.field({ type: "Decimal", required: true, description: "Dues per membership year, CNY (0 or more)." }),
  }),
});

const SetFeeScheduleInput = builder.inputType("SetFeeScheduleInput", {
  description: "A chamber's annual dues for some levels; levels left out keep their fee.",
  fields: (t) => ({
    chamberId: t.globalID({ for: ChamberRef, required: true, description: "The secretary's chamber." }),
    fees: t.field({ type: [FeeScheduleEntryInput], required: true, description: "One entry per level to set." }),
  }),
});

const FeeSchedulePayload = payloadType<{
  chamber?: typeof ChamberRef.$inferType | null;
  fees?: FeeScheduleRow[] | null;
  userErrors: UserErrorEntry[];
}>(
  "FeeSchedulePayload",
  (t) => ({
    chamber: t.field({
      type: ChamberRef,
      nullable: true,
      description: "The chamber; null when refused.",
      resolve: (p) => p.chamber ?? null,
    }),
    fees: t.field({
      type: [FeeScheduleEntryRef],
      nullable: true,
      description: "The chamber's whole fee schedule now; null when refused.",
      resolve: (p) => p.fees ?? null,
    }),
  }),
  "The result of setFeeSchedule: the chamber's fee schedule, or userErrors.",
);

builder.mutationFields((t) => ({
  applyForMembership: t.field({
    type: MembershipPayload,
    description:
      "A signed-in merchant applies to a chamber (→ APPLIED, for its secretary to decide), or the chamber's " +
      "secretary proposes a merchant (→ APPLIED with awaitingConsent: it waits for the merchant, who accepts or " +
      "declines with answerMembershipProposal, and shows the chamber nothing more of them until they accept). A " +
      "merchant applying to a chamber that proposed them accepts the proposal. userErrors: INVALID, NOT_FOUND, " +
      "CONFLICT (applied meanwhile), INVALID_TRANSITION (already a member, or an application pending).",
    args: {
      input: t.arg({
        type: ApplyForMembershipInput,
        required: true,
        description: "The request; each field is described on its type.",
      }),
    },
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
      "ACTIVE member at once; declining ends it (REJECTED). Nobody else can answer for them. userErrors: NOT_FOUND, " +
      "INVALID_TRANSITION (not a proposal waiting for them).",
    args: {
      input: t.arg({
        type: AnswerMembershipProposalInput,
        required: true,
        description: "The request; each field is described on its type.",
      }),
    },
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
      "A secretary approves an application (→ ACTIVE, with a level) or rejects it (→ REJECTED, with a reason). " +
      "userErrors: INVALID (dates, missing reason), NOT_FOUND, INVALID_TRANSITION (not APPLIED, or a proposal that " +
      "waits for the merchant).",
    args: {
      input: t.arg({
        type: DecideMembershipInput,
        required: true,
        description: "The request; each field is described on its type.",
      }),
    },
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
    description:
      "A secretary suspends a membership, ends it (LEFT) or reinstates a suspended one, with a reason. userErrors: " +
      "INVALID (reason), NOT_FOUND, INVALID_TRANSITION (not allowed from the current status).",
    args: {
      input: t.arg({
        type: ChangeMembershipStatusInput,
        required: true,
        description: "The request; each field is described on its type.",
      }),
    },
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
    description:
      "A secretary changes a member's level, e.g. DIRECTOR (理事) → VICE_PRESIDENT (副会长). userErrors: INVALID " +
      "(already at that level), NOT_FOUND, INVALID_TRANSITION (a REJECTED or LEFT membership).",
    args: {
      input: t.arg({
        type: ChangeMembershipLevelInput,
        required: true,
        description: "The request; each field is described on its type.",
      }),
    },
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
      "repeated receipts. userErrors: INVALID (amount, dates), NOT_FOUND, CONFLICT (an overlapping period or a " +
      "receipt number already used), INVALID_TRANSITION (only ACTIVE or LAPSED memberships pay dues).",
    args: {
      input: t.arg({
        type: RecordDuesPaymentInput,
        required: true,
        description: "The request; each field is described on its type.",
      }),
    },
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
    description:
      "A secretary adds a private note to a membership; only the chamber's secretaries ever read it. userErrors: " +
      "INVALID (empty or too long), NOT_FOUND.",
    args: {
      input: t.arg({
        type: AddMembershipNoteInput,
        required: true,
        description: "The request; each field is described on its type.",
      }),
    },
    resolve: (_root, { input }, ctx) =>
      withUserErrors(() => addMembershipNote(ctx, { membershipId: input.membershipId.id, body: input.body })),
  }),
  setFeeSchedule: t.field({
    type: FeeSchedulePayload,
    description:
      "A secretary sets the chamber's annual dues for some levels (others keep theirs). userErrors: INVALID (a fee, " +
      "a level given twice, no fees), NOT_FOUND (chamber).",
    args: {
      input: t.arg({
        type: SetFeeScheduleInput,
        required: true,
        description: "The request; each field is described on its type.",
      }),
    },
    resolve: (_root, { input }, ctx) =>
      withUserErrors(() =>
        setFeeSchedule(ctx, {
          chamberId: input.chamberId.id,
          fees: input.fees.map((f) => ({ level: f.level as MembershipLevel, annualFee: f.annualFee })),
        }),
      ),
  }),
}));
