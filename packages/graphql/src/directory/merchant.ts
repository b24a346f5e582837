// The shared merchant directory as GraphQL: public profile fields for everyone, contact fields through
// the one visibility rule in core, search, profile editing, duplicates and merging.
import {
  canSeeContactSettings,
  companiesByIds,
  companiesOfMerchants,
  companySizes,
  contactFieldNeedsFacts,
  correctMerchantProfile,
  countPossibleDuplicates,
  duplicateReasons,
  findPossibleDuplicates,
  loadMembershipFacts,
  type MerchantMembershipFacts,
  type MergeResult,
  merchantsByIds,
  merchantTags,
  mergeMerchants,
  msg,
  NO_MEMBERSHIP_FACTS,
  renderMessage,
  searchMerchants,
  type UserErrorEntry,
  updateMyProfile,
  visibleContactField,
} from "@wz/core";
import { type CompanyRow, type ContactField, type MerchantRow, visibilityEnum } from "@wz/db";
import { builder } from "../builder";
import { ChamberRef } from "../chambers/chamber";
import { connectionType, decodeCursor, keysetConnection } from "../common/connections";
import { contextLoader } from "../common/context-loader";
import { describedValues } from "../common/enum-values";
import { objectPayloadType, payloadType, withUserErrors } from "../common/user-errors";
import type { GraphQLContext } from "../context";

export const FieldVisibilityEnum = builder.enumType("FieldVisibility", {
  description: "Who may see one contact field of a merchant. The merchant always sees their own.",
  values: describedValues(visibilityEnum.enumValues, {
    PUBLIC: "Everyone, signed in or not (所有人).",
    FEDERATION: "Any signed-in user of the platform (平台所有登录用户).",
    CHAMBER: "Members of a chamber the merchant belongs to (同一商会的会员).",
    PRIVATE: "Only the merchant and their chambers' secretaries (仅本人（及所在商会秘书处）).",
  }),
});
export const MerchantTagEnum = builder.enumType("MerchantTag", {
  description: "NEW_GENERATION: 新生代温商. LEADING_GOOSE: 百名领头雁, the 100 leading merchants.",
  values: describedValues(merchantTags, {
    NEW_GENERATION: "New-generation Wenzhou merchant (新生代温商).",
    LEADING_GOOSE: "One of the hundred leading geese (百名领头雁), the 100 leading merchants.",
  }),
});
const CompanySizeEnum = builder.enumType("CompanySize", {
  description: "A company's size class (企业规模).",
  values: describedValues(companySizes, {
    MICRO: "Micro enterprise (微型企业).",
    SMALL: "Small enterprise (小型企业).",
    MEDIUM: "Medium enterprise (中型企业).",
    LARGE: "Large enterprise (大型企业).",
  }),
});
const DuplicateReasonEnum = builder.enumType("DuplicateReason", {
  description: "Why two profiles look like one person.",
  values: describedValues(duplicateReasons, {
    SAME_MOBILE: "The same mobile number.",
    SAME_EMAIL: "The same email address.",
    SAME_CREDIT_CODE: "A company with the same unified social credit code (统一社会信用代码).",
    SAME_NAME_HOMETOWN_COMPANY: "The same Chinese name, hometown district and company name.",
  }),
});

/** Which chambers a merchant belongs to, for the visibility rule; batched per request. */
const membershipFactsLoader = (ctx: GraphQLContext) =>
  contextLoader(ctx, "merchantMembershipFacts", (ids) => loadMembershipFacts(ctx.db, ids));

/** Hands a context facts already loaded elsewhere (one read shared by every subscriber of an event). */
export function primeMembershipFacts(ctx: GraphQLContext, merchantId: string, facts: MerchantMembershipFacts): void {
  membershipFactsLoader(ctx).clear(merchantId).prime(merchantId, facts);
}

export function membershipFacts(ctx: GraphQLContext, merchantId: string): Promise<MerchantMembershipFacts> {
  return membershipFactsLoader(ctx).load(merchantId);
}

/**
 * One contact field through the visibility rule; a value shown is noted for the merchant's access log. Decided at
 * once (no promise) where the rule needs no memberships: every contact field of an anonymous directory page.
 */
function contact(
  ctx: GraphQLContext,
  merchant: MerchantRow,
  field: ContactField,
): string | null | Promise<string | null> {
  const viewer = ctx.permissions.viewer;
  if (!contactFieldNeedsFacts(viewer, merchant, field))
    return visibleContactField(viewer, merchant, NO_MEMBERSHIP_FACTS, field, ctx.access);
  return membershipFacts(ctx, merchant.id).then((facts) =>
    visibleContactField(viewer, merchant, facts, field, ctx.access),
  );
}

export const MerchantRef = builder.loadableNode("Merchant", {
  description:
    "A Wenzhou merchant's one profile across the federation. Contact fields the viewer may not see are null. A " +
    "profile whose merchant has not agreed to the current privacy notice (or withdrew) is found only inside their " +
    "own chambers: to anyone else it reads exactly like a missing one (null here, absent from lists and counts).",
  id: { resolve: (m: MerchantRow) => m.id, extensions: { sharing: "all" } },
  // A merged profile's old ID resolves to the profile it was merged into.
  load: (ids: string[], ctx) => merchantsByIds(ctx, ids),
  // No `sort`: results are already in key order, and a merged ID's result carries the survivor's id.
  fields: (t) => ({
    // Not contact fields, which follow the visibility rule: the same for every viewer.
    name: t.string({
      description:
        'Chinese name. An erased profile (`erased`) reads "已注销用户" or "deleted user", in the reader\'s language.',
      resolve: (m, _a, ctx) => (m.erasedAt ? renderMessage(msg("privacy.deletedUser"), ctx.locale) : m.name),
      // the same for every viewer reading in one language (shared executions are per language)
      extensions: { sharing: "all" },
    }),
    erased: t.boolean({
      description:
        "Whether the merchant erased their personal data (个人信息已删除, PIPL Art. 47): the profile then holds " +
        "nothing but its id, kept so that the other party's leads and answers still name someone.",
      resolve: (m) => m.erasedAt !== null,
      extensions: { sharing: "all" },
    }),
    nameLatin: t.exposeString("nameLatin", {
      nullable: true,
      description: "Latin or pinyin rendering, e.g. Chen Yixin.",
      extensions: { sharing: "all" },
    }),
    hometownDistrict: t.exposeString("hometownDistrict", {
      nullable: true,
      description: "Wenzhou district code (籍贯).",
      extensions: { sharing: "all" },
    }),
    provinceCode: t.exposeString("provinceCode", {
      nullable: true,
      description: "GB/T 2260 code of the province where they live and work; null abroad or unknown.",
      extensions: { sharing: "all" },
    }),
    city: t.exposeString("city", {
      nullable: true,
      description: "The city where they live and work.",
      extensions: { sharing: "all" },
    }),
    countryCode: t.exposeString("countryCode", {
      description: "ISO 3166 alpha-2 country where they live and work (CN in China).",
      extensions: { sharing: "all" },
    }),
    tags: t.exposeStringList("tags", { description: "MerchantTag values.", extensions: { sharing: "all" } }),
    // The same for every viewer with the same access to this merchant: shared per audience where a
    // subscription's audience covers the merchant (a lead event's poster).
    mobile: t.string({
      nullable: true,
      description: "Mobile number (手机); null when its FieldVisibility hides it from the viewer.",
      resolve: (m, _a, ctx) => contact(ctx, m, "MOBILE"),
      extensions: { sharing: "audience" },
    }),
    landline: t.string({
      nullable: true,
      description: 'Fixed-line numbers with area code ("0577-88881234"), comma-separated when several.',
      resolve: (m, _a, ctx) => contact(ctx, m, "LANDLINE"),
      extensions: { sharing: "audience" },
    }),
    email: t.string({
      nullable: true,
      description: "Email address (邮箱); null when its FieldVisibility hides it from the viewer.",
      resolve: (m, _a, ctx) => contact(ctx, m, "EMAIL"),
      extensions: { sharing: "audience" },
    }),
    wechat: t.string({
      nullable: true,
      description: "WeChat ID (微信号); null when its FieldVisibility hides it from the viewer.",
      resolve: (m, _a, ctx) => contact(ctx, m, "WECHAT"),
      extensions: { sharing: "audience" },
    }),
  }),
});

const ContactVisibilityRef = builder.objectRef<MerchantRow>("ContactVisibility").implement({
  description: "Who may see each contact field.",
  fields: (t) => ({
    mobile: t.expose("mobileVisibility", { type: FieldVisibilityEnum, description: "Who may see the mobile number." }),
    landline: t.expose("landlineVisibility", {
      type: FieldVisibilityEnum,
      description: "Who may see the landline (座机).",
    }),
    email: t.expose("emailVisibility", { type: FieldVisibilityEnum, description: "Who may see the email address." }),
    wechat: t.expose("wechatVisibility", { type: FieldVisibilityEnum, description: "Who may see the WeChat ID." }),
  }),
});

export const CompanyRef = builder.loadableNode("Company", {
  description: "A company (企业) a merchant runs or works in; public like the rest of the profile.",
  id: { resolve: (company: CompanyRow) => company.id },
  load: (ids: string[], ctx) => companiesByIds(ctx, ids),
  fields: (t) => ({
    name: t.exposeString("name", { description: "The company's registered name." }),
    industry: t.exposeString("industry", { nullable: true, description: "GB/T 4754 section code." }),
    role: t.exposeString("role", { nullable: true, description: "The merchant's role in it, e.g. 董事长 (chairman)." }),
    size: t.exposeString("size", { nullable: true, description: "CompanySize value." }),
    creditCode: t.exposeString("creditCode", { nullable: true, description: "统一社会信用代码." }),
  }),
});

builder.objectFields(MerchantRef, (t) => ({
  contactVisibility: t.field({
    type: ContactVisibilityRef,
    nullable: true,
    description: "Who may see each contact field: shown to the merchant only (null for everyone else).",
    resolve: (m, _a, ctx) => (canSeeContactSettings(ctx.permissions.viewer, m.id) ? m : null),
  }),
  companies: t.field({
    type: [CompanyRef],
    description: "The companies on the merchant's profile, in the order they keep them.",
    resolve: (m, _a, ctx) =>
      contextLoader(ctx, "merchantCompanies", (ids) => companiesOfMerchants(ctx, ids)).load(m.id),
  }),
}));

const MerchantConnection = connectionType(MerchantRef, "Merchant");

const MerchantFilter = builder.inputType("MerchantFilter", {
  description: "Narrows the directory; every field given must match.",
  fields: (t) => ({
    industries: t.stringList({ description: "GB/T 4754 sections of any of their companies." }),
    provinceCodes: t.stringList({ description: "Where they live and work." }),
    hometownDistricts: t.stringList({ description: "Wenzhou district codes (籍贯), e.g. 330381 (瑞安市)." }),
    chamberIds: t.globalIDList({
      for: ChamberRef,
      description: "Active members of these chambers (chambers whose members you may list).",
    }),
    tags: t.field({ type: [MerchantTagEnum], description: "Merchants carrying any of these tags." }),
  }),
});

builder.queryFields((t) => ({
  merchants: t.connection(
    {
      type: MerchantRef,
      description:
        "The federation's merchant directory. `query` matches Chinese names and company names by any substring, " +
        "Latin names, and pinyin in full or by initials; exact matches first, then by name. Contact fields follow " +
        "each field's visibility and are never searched.",
      args: {
        query: t.arg.string({ description: "Search text: a name (汉字, Latin or pinyin) or a company name." }),
        filter: t.arg({ type: MerchantFilter, description: "Narrows the list; every field given must match." }),
      },
      resolve: async (_root, args, ctx) => {
        const f = args.filter;
        const search = await searchMerchants(ctx, {
          query: args.query,
          filter: f && { ...f, chamberIds: f.chamberIds?.map((c) => c.id) },
        });
        return keysetConnection(args, {
          toKey: (m: MerchantRow & { sortKey: string }) => [m.sortKey, m.id],
          page: (page) => search.page(page),
          count: () => search.count(),
        });
      },
    },
    MerchantConnection,
  ),
}));

// Editing profiles.

const CompanyInput = builder.inputType("CompanyInput", {
  description: "One company on a profile.",
  fields: (t) => ({
    name: t.string({ required: true, description: "The company's registered name." }),
    industry: t.string({ description: "GB/T 4754 section code (A–T)." }),
    role: t.string({ description: "The merchant's role in it, e.g. 总经理." }),
    size: t.field({ type: CompanySizeEnum, description: "Its size class." }),
    creditCode: t.string({ description: "统一社会信用代码, checked against its check character." }),
  }),
});

const profileFields = {
  name: "Chinese name.",
  nameLatin: "Latin or pinyin rendering, e.g. Chen Yixin.",
  hometownDistrict: "Wenzhou district code.",
  provinceCode: "Province where they live and work.",
  city: "City where they live and work.",
  countryCode: "ISO 3166 two-letter code.",
} as const;

const UpdateMyProfileInput = builder.inputType("UpdateMyProfileInput", {
  description: "Only the fields given change; null clears an optional field. `companies` replaces the whole list.",
  fields: (t) => ({
    ...Object.fromEntries(Object.entries(profileFields).map(([k, d]) => [k, t.string({ description: d })])),
    tags: t.field({ type: [MerchantTagEnum], description: "The whole list of tags." }),
    companies: t.field({ type: [CompanyInput], description: "The whole list of companies, in order." }),
    mobile: t.string({ description: "E.164 (+8613912345678) or 11 mainland digits." }),
    landline: t.string({
      description: 'Landline (座机) with area code, e.g. "0577-88881234"; several comma-separated.',
    }),
    email: t.string({ description: "Email address." }),
    wechat: t.string({ description: "WeChat ID." }),
    mobileVisibility: t.field({ type: FieldVisibilityEnum, description: "Who may see the mobile number." }),
    landlineVisibility: t.field({ type: FieldVisibilityEnum, description: "Who may see the landline." }),
    emailVisibility: t.field({ type: FieldVisibilityEnum, description: "Who may see the email address." }),
    wechatVisibility: t.field({ type: FieldVisibilityEnum, description: "Who may see the WeChat ID." }),
  }),
});

const CorrectMerchantProfileInput = builder.inputType("CorrectMerchantProfileInput", {
  description: "A secretary's correction of a member's non-contact fields. Only the fields given change.",
  fields: (t) => ({
    merchantId: t.globalID({ for: MerchantRef, required: true, description: "A member of the secretary's chamber." }),
    ...Object.fromEntries(Object.entries(profileFields).map(([k, d]) => [k, t.string({ description: d })])),
    tags: t.field({ type: [MerchantTagEnum], description: "The whole list of tags." }),
    companies: t.field({ type: [CompanyInput], description: "The whole list of companies, in order." }),
  }),
});

const MerchantPayload = objectPayloadType(
  "MerchantPayload",
  "merchant",
  MerchantRef,
  "The result of updateMyProfile or correctMerchantProfile: the profile, or userErrors.",
);

const MergeConflictRef = builder
  .objectRef<MergeResult["membershipConflicts"][number]>("MergedMembershipConflict")
  .implement({
    description: "Both profiles were members of one chamber: the better membership was kept, the other folded into it.",
    fields: (t) => ({
      chamber: t.field({
        type: ChamberRef,
        description: "The chamber both were members of.",
        resolve: (c) => c.chamberId,
      }),
      removedStatus: t.string({
        description: "The folded membership's MembershipStatus.",
        resolve: (c) => c.removedMembership.status,
      }),
      removedLevel: t.string({
        description: "The folded membership's MembershipLevel.",
        resolve: (c) => c.removedMembership.level,
      }),
    }),
  });

type MergePayloadShape = {
  merchant?: MerchantRow | null;
  membershipConflicts?: MergeResult["membershipConflicts"];
  userErrors: UserErrorEntry[];
};
const MergeMerchantsPayload = payloadType<MergePayloadShape>(
  "MergeMerchantsPayload",
  (t) => ({
    merchant: t.field({
      type: MerchantRef,
      nullable: true,
      description: "The surviving profile.",
      resolve: (p) => p.merchant ?? null,
    }),
    membershipConflicts: t.field({
      type: [MergeConflictRef],
      description: "Chambers where both profiles were members, and what was folded.",
      resolve: (p) => p.membershipConflicts ?? [],
    }),
  }),
  "The result of mergeMerchants: the surviving profile and the memberships folded, or userErrors.",
);

builder.mutationFields((t) => ({
  updateMyProfile: t.field({
    type: MerchantPayload,
    description:
      "The signed-in merchant edits their own profile, contact fields and who may see each. userErrors: INVALID " +
      "(a field), NOT_FOUND (the account has no merchant profile).",
    args: {
      input: t.arg({
        type: UpdateMyProfileInput,
        required: true,
        description: "The request; each field is described on its type.",
      }),
    },
    resolve: (_root, { input }, ctx) => withUserErrors(async () => ({ merchant: await updateMyProfile(ctx, input) })),
  }),
  correctMerchantProfile: t.field({
    type: MerchantPayload,
    description:
      "A secretary corrects the non-contact fields of one of their chamber's members. userErrors: INVALID, " +
      "NOT_FOUND (not a merchant the secretary keeps).",
    args: {
      input: t.arg({
        type: CorrectMerchantProfileInput,
        required: true,
        description: "The request; each field is described on its type.",
      }),
    },
    resolve: (_root, { input }, ctx) =>
      withUserErrors(async () => ({
        merchant: await correctMerchantProfile(ctx, { ...input, merchantId: input.merchantId.id }),
      })),
  }),
  mergeMerchants: t.field({
    type: MergeMerchantsPayload,
    description:
      "Federation staff merge a duplicate profile into another; every membership, lead and response follows. " +
      "userErrors: INVALID (the same profile twice), NOT_FOUND (unknown or already merged).",
    args: {
      input: t.arg({
        type: builder.inputType("MergeMerchantsInput", {
          description: "Two profiles of one person: the one to keep and the one folded into it.",
          fields: (f) => ({
            survivorId: f.globalID({ for: MerchantRef, required: true, description: "The profile that remains." }),
            mergedId: f.globalID({
              for: MerchantRef,
              required: true,
              description: "The profile folded into it; its ID then resolves to the survivor.",
            }),
          }),
        }),
        required: true,
        description: "The request; each field is described on its type.",
      }),
    },
    resolve: (_root, { input }, ctx) =>
      withUserErrors(async () => {
        const result = await mergeMerchants(ctx, { survivorId: input.survivorId.id, mergedId: input.mergedId.id });
        return { merchant: result.survivor, membershipConflicts: result.membershipConflicts };
      }),
  }),
}));

// Possible duplicates.

type PairShape = { merchantIds: [string, string]; reasons: (typeof duplicateReasons)[number][] };
const DuplicatePairRef = builder.objectRef<PairShape>("PossibleDuplicate").implement({
  description: "Two profiles that look like the same person, and why.",
  fields: (t) => ({
    merchants: t.field({ type: [MerchantRef], description: "The two profiles.", resolve: (p) => p.merchantIds }),
    reasons: t.field({
      type: [DuplicateReasonEnum],
      description: "Every reason they look alike.",
      resolve: (p) => p.reasons,
    }),
  }),
});
const PossibleDuplicateConnection = connectionType(DuplicatePairRef, "PossibleDuplicate");

builder.queryFields((t) => ({
  possibleDuplicates: t.connection(
    {
      type: DuplicatePairRef,
      description:
        "Pairs of profiles that look like one person. With chamberId: its members (its secretaries, federation " +
        "staff); without: all (federation staff). Pages forward only.",
      args: {
        chamberId: t.arg.globalID({ for: ChamberRef, description: "Only pairs with a member of this chamber." }),
      },
      resolve: async (_root, args, ctx) => {
        const chamberId = args.chamberId?.id ?? null;
        const after = args.after ? decodeCursor(args.after, "after") : null;
        const limit = Math.min(Math.max(args.first ?? 20, 0), 100);
        const pairs = await findPossibleDuplicates(ctx, {
          chamberId,
          after: after && [String(after[0]), after[1]],
          limit: limit + 1,
        });
        const page = pairs.slice(0, limit);
        const cursor = (p: PairShape) => Buffer.from(JSON.stringify(p.merchantIds)).toString("base64url");
        return {
          edges: page.map((p) => ({ cursor: cursor(p), node: p })),
          pageInfo: {
            hasNextPage: pairs.length > limit,
            hasPreviousPage: after !== null,
            startCursor: page[0] ? cursor(page[0]) : null,
            endCursor: page.at(-1) ? cursor(page.at(-1)!) : null,
          },
          totalCount: () => countPossibleDuplicates(ctx, { chamberId }),
        };
      },
    },
    PossibleDuplicateConnection,
  ),
}));
