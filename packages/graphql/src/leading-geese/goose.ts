// The hundred leading geese (百名领头雁) as GraphQL: tagging them (at most 100), city leaders and their links to
// 2–3 geese each (挂钩联系), the contacts logged, and the coverage view as of a day.

import type { UserErrorEntry } from "@wz/core";
import {
  countGooseContacts,
  type GooseCoverageEntry,
  type LeaderCoverageEntry,
  type LeadingGooseCoverage,
  leadingGooseCoverage,
  linkGooseToLeader,
  listGooseContacts,
  recordGooseContact,
  serviceOfficerCards,
  setCityLeader,
  setLeadingGoose,
  visibleGooseContactsByIds,
} from "@wz/core";
import { type GooseContactKind, type GooseContactRow, gooseContactKindEnum } from "@wz/db";
import { builder } from "../builder";
import { connectionType, keysetConnection } from "../common/connections";
import { contextLoader } from "../common/context-loader";
import { describedValues } from "../common/enum-values";
import { orderByKeys } from "../common/load";
import { objectPayloadType, payloadType, withUserErrors } from "../common/user-errors";
import type { GraphQLContext } from "../context";
import { CityStaffCardRef } from "../delegations/delegation";
import { MerchantRef } from "../directory/merchant";
import { InvestmentProjectRef } from "../return-investment/investment";
import { UserRef } from "../viewer/viewer";

const GooseContactKindEnum = builder.enumType("GooseContactKind", {
  description: "How a city leader and a leading goose were in touch.",
  values: describedValues(gooseContactKindEnum.enumValues, {
    VISIT: "A visit (走访).",
    CALL: "A call (电话).",
    MEETING: "A meeting (座谈).",
  }),
});

const cardsLoader = (ctx: GraphQLContext) =>
  contextLoader(ctx, "cityStaffCards", (ids) => serviceOfficerCards(ctx.db, ids), { cache: false });

export const GooseContactRef = builder.loadableNode("GooseContact", {
  description: "A contact between a leading goose and their city leader. City staff only: the notes are the city's.",
  id: { resolve: (c: GooseContactRow) => c.id },
  load: async (ids: string[], ctx) => orderByKeys(ids, await visibleGooseContactsByIds(ctx, ids), (c) => c.id),
  sort: (c) => c.id,
  fields: (t) => ({
    kind: t.expose("kind", { type: GooseContactKindEnum, description: "Visit, call or meeting." }),
    on: t.expose("on", { type: "Date", description: "The day of the contact." }),
    notes: t.exposeString("notes", { nullable: true, description: "What was said (city staff only)." }),
    merchant: t.field({
      type: MerchantRef,
      nullable: true,
      description: "The goose (null when the profile is not visible to the viewer).",
      resolve: (c) => c.merchantId,
    }),
    leader: t.field({
      type: CityStaffCardRef,
      nullable: true,
      description: "The city leader in touch.",
      resolve: (c, _args, ctx) => cardsLoader(ctx).load(c.leaderUserId),
    }),
    projects: t.field({
      type: [InvestmentProjectRef],
      nullable: { list: false, items: true },
      description: "Projects discussed.",
      resolve: (c) => c.projectIds,
    }),
  }),
});

const GooseCoverageRef = builder.objectRef<GooseCoverageEntry>("GooseCoverage").implement({
  description: "One leading goose as of the coverage day: their leader, last contact and what their projects brought.",
  fields: (t) => ({
    merchant: t.field({
      type: MerchantRef,
      nullable: true,
      description: "The goose (null when the profile is not visible to the viewer).",
      resolve: (g) => g.merchantId,
    }),
    leader: t.field({
      type: CityStaffCardRef,
      nullable: true,
      description: "The city leader linked to the goose (挂钩联系); null: no leader.",
      resolve: (g, _args, ctx) => (g.leaderUserId ? cardsLoader(ctx).load(g.leaderUserId) : null),
    }),
    lastContactOn: t.expose("lastContactOn", {
      type: "Date",
      nullable: true,
      description: "The last contact on or before the day; null: never.",
    }),
    contactedRecently: t.exposeBoolean("contactedRecently", {
      description: "A contact in the 90 days up to the day (that day included).",
    }),
    projects: t.exposeInt("projects", { description: "Return-investment projects they invest in or brought." }),
    arrived: t.expose("arrived", {
      type: "Decimal",
      description: "Capital arrived on those projects up to the day, reversals included (CNY).",
    }),
  }),
});

const LeaderCoverageRef = builder.objectRef<LeaderCoverageEntry>("LeaderCoverage").implement({
  description: "A city leader (市领导) and how many leading geese they are linked to (2–3 is the rule).",
  fields: (t) => ({
    leader: t.field({
      type: CityStaffCardRef,
      description: "The leader.",
      resolve: (l) => ({ userId: l.userId, displayName: l.displayName, email: l.email }),
    }),
    geese: t.exposeInt("geese", { description: "Geese linked to them." }),
    withinRange: t.exposeBoolean("withinRange", { description: "Linked to 2 or 3 geese." }),
  }),
});

const LeadingGooseCoverageRef = builder.objectRef<LeadingGooseCoverage>("LeadingGooseCoverage").implement({
  description: "How well the hundred leading geese (百名领头雁) are looked after, as of a day.",
  fields: (t) => ({
    asOf: t.expose("asOf", { type: "Date", description: "The day the coverage is read for (default today)." }),
    cap: t.exposeInt("cap", { description: "At most this many geese at a time (100)." }),
    contactWindowDays: t.exposeInt("contactWindowDays", {
      description: "A goose not contacted in these days is listed.",
    }),
    geeseCount: t.int({ description: "Merchants tagged LEADING_GOOSE now.", resolve: (c) => c.geese.length }),
    geese: t.field({
      type: [GooseCoverageRef],
      description: "Every goose, by name (pinyin).",
      resolve: (c) => c.geese,
    }),
    geeseWithoutLeader: t.field({
      type: [GooseCoverageRef],
      description: "Geese with no city leader linked.",
      resolve: (c) => c.geese.filter((g) => g.leaderUserId === null),
    }),
    geeseNotContacted: t.field({
      type: [GooseCoverageRef],
      description: "Geese with no contact in the 90 days up to the day.",
      resolve: (c) => c.geese.filter((g) => !g.contactedRecently),
    }),
    leaders: t.field({ type: [LeaderCoverageRef], description: "Every city leader.", resolve: (c) => c.leaders }),
    leadersOutsideRange: t.field({
      type: [LeaderCoverageRef],
      description: "City leaders linked to fewer than 2 or more than 3 geese.",
      resolve: (c) => c.leaders.filter((l) => !l.withinRange),
    }),
  }),
});

const GooseContactConnection = connectionType(GooseContactRef, "GooseContact");

builder.queryFields((t) => ({
  leadingGooseCoverage: t.field({
    type: LeadingGooseCoverageRef,
    description: "City and federation staff: the leading geese's coverage as of `asOf` (default today).",
    args: { asOf: t.arg({ type: "Date", description: "The day to read the coverage for (default today, UTC+8)." }) },
    extensions: { cost: { statements: 2 } },
    resolve: (_root, args, ctx) => leadingGooseCoverage(ctx, args.asOf),
  }),
  gooseContacts: t.connection(
    {
      type: GooseContactRef,
      description: "City staff: a goose's contacts, latest first (others get an empty list).",
      args: { merchantId: t.arg.globalID({ for: MerchantRef, required: true, description: "The goose." }) },
      resolve: (_root, args, ctx) => {
        ctx.permissions.requireViewer();
        const merchantId = args.merchantId.id;
        return keysetConnection(args, {
          toKey: (c: GooseContactRow) => [c.on, c.id],
          page: (page) => listGooseContacts(ctx, merchantId, page),
          count: () => countGooseContacts(ctx, merchantId),
        });
      },
    },
    GooseContactConnection,
  ),
}));

const SetLeadingGooseInput = builder.inputType("SetLeadingGooseInput", {
  description: "A merchant to tag as a leading goose (百名领头雁), or to untag.",
  fields: (t) => ({
    merchantId: t.globalID({ for: MerchantRef, required: true, description: "The merchant." }),
    leadingGoose: t.boolean({ required: true, description: "false takes the tag (and the leader link) away." }),
  }),
});
const SetCityLeaderInput = builder.inputType("SetCityLeaderInput", {
  description: "A CITY_STAFF account to mark as a city leader (市领导), or to unmark.",
  fields: (t) => ({
    userId: t.globalID({ for: UserRef, required: true, description: "The account (CITY_STAFF)." }),
    leader: t.boolean({ required: true, description: "false unmarks them (their geese lose their leader)." }),
  }),
});
const LinkGooseToLeaderInput = builder.inputType("LinkGooseToLeaderInput", {
  description: "A goose and the one city leader linked to them (挂钩联系).",
  fields: (t) => ({
    merchantId: t.globalID({ for: MerchantRef, required: true, description: "The goose (tagged LEADING_GOOSE)." }),
    leaderUserId: t.globalID({ for: UserRef, required: true, description: "The leader (CityStaffCard.userId)." }),
    since: t.field({ type: "Date", required: true, description: "Linked since this day." }),
  }),
});
const RecordGooseContactInput = builder.inputType("RecordGooseContactInput", {
  description: "A contact between a goose and their linked leader.",
  fields: (t) => ({
    merchantId: t.globalID({ for: MerchantRef, required: true, description: "The goose (linked to a leader)." }),
    kind: t.field({ type: GooseContactKindEnum, required: true, description: "Visit, call or meeting." }),
    on: t.field({ type: "Date", required: true, description: "The day." }),
    notes: t.string({ description: "Notes (city staff only; up to 2,000 characters)." }),
    projectIds: t.globalIDList({ for: InvestmentProjectRef, description: "Projects discussed." }),
  }),
});

const MerchantTagPayload = objectPayloadType("LeadingGoosePayload", "merchant", MerchantRef);
const GooseContactPayload = objectPayloadType("GooseContactPayload", "contact", GooseContactRef);
const CityLeaderPayload = payloadType<{ userId?: string | null; userErrors: UserErrorEntry[] }>(
  "CityLeaderPayload",
  (t) => ({
    leader: t.field({
      type: CityStaffCardRef,
      nullable: true,
      description: "The account as a contact card (absent on userErrors).",
      resolve: (p, _args, ctx) => (p.userId ? cardsLoader(ctx).load(p.userId) : null),
    }),
  }),
);
const GooseLinkPayload = payloadType<{
  merchantId?: string | null;
  leaderUserId?: string | null;
  userErrors: UserErrorEntry[];
}>("GooseLinkPayload", (t) => ({
  merchant: t.field({
    type: MerchantRef,
    nullable: true,
    description: "The goose (absent on userErrors).",
    resolve: (p) => p.merchantId ?? null,
  }),
  leader: t.field({
    type: CityStaffCardRef,
    nullable: true,
    description: "The leader now linked (absent on userErrors).",
    resolve: (p, _args, ctx) => (p.leaderUserId ? cardsLoader(ctx).load(p.leaderUserId) : null),
  }),
}));

builder.mutationFields((t) => ({
  setLeadingGoose: t.field({
    type: MerchantTagPayload,
    description:
      "City staff tag a merchant LEADING_GOOSE (百名领头雁) or untag them. At most 100 at a time, on every path " +
      "that sets the tag. userErrors: CONFLICT (already 100: remove one first), NOT_FOUND (merchantId).",
    args: { input: t.arg({ type: SetLeadingGooseInput, required: true, description: "The merchant and the tag." }) },
    resolve: (_root, { input }, ctx) =>
      withUserErrors(async () => ({
        merchant: await setLeadingGoose(ctx, { merchantId: input.merchantId.id, leadingGoose: input.leadingGoose }),
      })),
  }),
  setCityLeader: t.field({
    type: CityLeaderPayload,
    description:
      "City staff mark a CITY_STAFF account as a city leader (市领导), or unmark it. userErrors: INVALID (not " +
      "CITY_STAFF), NOT_FOUND (userId).",
    args: { input: t.arg({ type: SetCityLeaderInput, required: true, description: "The account and the flag." }) },
    resolve: (_root, { input }, ctx) =>
      withUserErrors(async () => await setCityLeader(ctx, { userId: input.userId.id, leader: input.leader })),
  }),
  linkGooseToLeader: t.field({
    type: GooseLinkPayload,
    description:
      "City staff link a goose to its one city leader (moving it from another). A leader takes at most 3 geese. " +
      "userErrors: INVALID (not a goose, not a leader, the leader has 3), NOT_FOUND (merchantId, leaderUserId).",
    args: { input: t.arg({ type: LinkGooseToLeaderInput, required: true, description: "The goose and leader." }) },
    resolve: (_root, { input }, ctx) =>
      withUserErrors(
        async () =>
          await linkGooseToLeader(ctx, {
            merchantId: input.merchantId.id,
            leaderUserId: input.leaderUserId.id,
            since: input.since,
          }),
      ),
  }),
  recordGooseContact: t.field({
    type: GooseContactPayload,
    description:
      "City staff log a contact between a goose and their linked leader. userErrors: INVALID (not a goose, no " +
      "leader linked, a field), NOT_FOUND (merchantId, a project).",
    args: { input: t.arg({ type: RecordGooseContactInput, required: true, description: "The contact." }) },
    resolve: (_root, { input }, ctx) =>
      withUserErrors(async () => ({
        contact: await recordGooseContact(ctx, {
          merchantId: input.merchantId.id,
          kind: input.kind as GooseContactKind,
          on: input.on,
          notes: input.notes,
          projectIds: input.projectIds?.map((p) => p.id),
        }),
      })),
  }),
}));
