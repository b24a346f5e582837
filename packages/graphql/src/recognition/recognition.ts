// The yearly recognition of returning merchants (温商回归功勋人物) as GraphQL: chambers nominate, city staff decide,
// and the year's list of those recognised.
import {
  countRecognitionNominations,
  decideRecognition,
  listRecognitionNominations,
  nominateForRecognition,
  visibleRecognitionNominationsByIds,
} from "@wz/core";
import { type RecognitionNominationRow, type RecognitionStatus, recognitionStatusEnum } from "@wz/db";
import { builder } from "../builder";
import { ChamberRef } from "../chambers/chamber";
import { connectionType, keysetConnection } from "../common/connections";
import { describedValues } from "../common/enum-values";
import { orderByKeys } from "../common/load";
import { objectPayloadType, withUserErrors } from "../common/user-errors";
import { MerchantRef } from "../directory/merchant";

const RecognitionStatusEnum = builder.enumType("RecognitionStatus", {
  description: "NOMINATED → RECOGNISED or DECLINED, decided once by city staff.",
  values: describedValues(recognitionStatusEnum.enumValues, {
    NOMINATED: "Nominated by a chamber, not decided yet.",
    RECOGNISED: "Recognised (温商回归功勋人物) for the year.",
    DECLINED: "Not recognised.",
  }),
});

export const RecognitionNominationRef = builder.loadableNode("RecognitionNomination", {
  description:
    "A chamber's nomination of a merchant for the year's recognition (温商回归功勋人物). Recognised ones are an honour " +
    "list any signed-in viewer reads; the others are the nominating chamber's secretaries' and the city's.",
  id: { resolve: (n: RecognitionNominationRow) => n.id },
  load: async (ids: string[], ctx) => orderByKeys(ids, await visibleRecognitionNominationsByIds(ctx, ids), (n) => n.id),
  sort: (n) => n.id,
  fields: (t) => ({
    year: t.exposeInt("year", { description: "The year of the recognition." }),
    merchant: t.field({
      type: MerchantRef,
      nullable: true,
      description: "The merchant nominated (null when their profile is not visible to the viewer).",
      resolve: (n) => n.merchantId,
    }),
    chamber: t.field({ type: ChamberRef, description: "The nominating chamber.", resolve: (n) => n.chamberId }),
    reason: t.exposeString("reason", { description: "Why the chamber nominates them." }),
    status: t.expose("status", { type: RecognitionStatusEnum, description: "Where the nomination stands." }),
    decisionNote: t.exposeString("decisionNote", { nullable: true, description: "The city's note on its decision." }),
    decidedAt: t.expose("decidedAt", { type: "DateTime", nullable: true, description: "When it was decided." }),
  }),
});

const RecognitionNominationConnection = connectionType(RecognitionNominationRef, "RecognitionNomination");

builder.queryFields((t) => ({
  recognitionNominations: t.connection(
    {
      type: RecognitionNominationRef,
      description:
        "A year's nominations the viewer may see, oldest first; with status [RECOGNISED], the year's list of those " +
        "recognised.",
      args: {
        year: t.arg.int({ required: true, description: "The year." }),
        status: t.arg({ type: [RecognitionStatusEnum], description: "Only nominations in one of these states." }),
      },
      resolve: (_root, args, ctx) => {
        ctx.permissions.requireViewer();
        const status = args.status as RecognitionStatus[] | null | undefined;
        return keysetConnection(args, {
          toKey: (n: RecognitionNominationRow) => [n.createdAt.toISOString(), n.id],
          page: (page) => listRecognitionNominations(ctx, args.year, status, page),
          count: () => countRecognitionNominations(ctx, args.year, status),
        });
      },
    },
    RecognitionNominationConnection,
  ),
}));

const NominateForRecognitionInput = builder.inputType("NominateForRecognitionInput", {
  description: "A chamber's nomination.",
  fields: (t) => ({
    chamberId: t.globalID({ for: ChamberRef, required: true, description: "A chamber the viewer is secretary of." }),
    merchantId: t.globalID({ for: MerchantRef, required: true, description: "An ACTIVE member of that chamber." }),
    year: t.int({ required: true, description: "The year, 2000 to 2100." }),
    reason: t.string({ required: true, description: "Why (up to 1,000 characters)." }),
  }),
});
const DecideRecognitionInput = builder.inputType("DecideRecognitionInput", {
  description: "The city's decision on a nomination.",
  fields: (t) => ({
    nominationId: t.globalID({ for: RecognitionNominationRef, required: true, description: "A NOMINATED one." }),
    recognised: t.boolean({ required: true, description: "true: RECOGNISED; false: DECLINED." }),
    note: t.string({ description: "A note on the decision." }),
  }),
});
const RecognitionNominationPayload = objectPayloadType(
  "RecognitionNominationPayload",
  "nomination",
  RecognitionNominationRef,
);

builder.mutationFields((t) => ({
  nominateForRecognition: t.field({
    type: RecognitionNominationPayload,
    description:
      "A chamber's secretaries nominate an active member for the year's recognition. userErrors: INVALID (not an " +
      "active member, a field), CONFLICT (nominated already), NOT_FOUND (chamberId).",
    args: { input: t.arg({ type: NominateForRecognitionInput, required: true, description: "The nomination." }) },
    resolve: (_root, { input }, ctx) =>
      withUserErrors(async () => ({
        nomination: await nominateForRecognition(ctx, {
          ...input,
          chamberId: input.chamberId.id,
          merchantId: input.merchantId.id,
        }),
      })),
  }),
  decideRecognition: t.field({
    type: RecognitionNominationPayload,
    description:
      "City staff recognise or decline a nomination, once. userErrors: INVALID_TRANSITION (decided already), " +
      "CONFLICT (recognised already that year through another nomination), NOT_FOUND (nominationId).",
    args: { input: t.arg({ type: DecideRecognitionInput, required: true, description: "The decision." }) },
    resolve: (_root, { input }, ctx) =>
      withUserErrors(async () => ({
        nomination: await decideRecognition(ctx, { ...input, nominationId: input.nominationId.id }),
      })),
  }),
}));
