// Chambers (the tenants) and provinces: public types, the federation/chambers/provinces queries, createChamber.
import {
  type ChamberListFilter,
  chamberChildren,
  chambersByIds,
  countChambers,
  createChamber,
  findFederation,
  formationStatuses,
  listChambers,
  listProvinces,
  provincesByCodes,
  provincialChambers,
  updateChamber,
} from "@wz/core";
import {
  type ChamberKind,
  type ChamberRow,
  chamberKindEnum,
  chamberStatusEnum,
  type FormationStatus,
  formationStatusEnum,
  type ProvinceRow,
} from "@wz/db";
import { builder } from "../builder";
import { connectionType, keysetConnection } from "../common/connections";
import { contextLoader } from "../common/context-loader";
import { describedValues } from "../common/enum-values";
import { objectPayloadType, withUserErrors } from "../common/user-errors";

export const ChamberKindEnum = builder.enumType("ChamberKind", {
  description: "Where a chamber sits in the federation's tree.",
  values: describedValues(chamberKindEnum.enumValues, {
    FEDERATION: "The national federation (全国温州商会总会): exactly one, the root of the tree.",
    PROVINCIAL: "A provincial-level chamber (省级温州商会): at most one per province code.",
    MUNICIPAL:
      "A city-level chamber (市级温州商会, e.g. 苏州温州商会): under its provincial chamber, else the federation.",
    OVERSEAS: "An overseas Wenzhou association (海外侨团), with a country code.",
  }),
});
export const ChamberStatusEnum = builder.enumType("ChamberStatus", {
  description: "Whether a chamber is live.",
  values: describedValues(chamberStatusEnum.enumValues, {
    FORMING: "Being formed (筹建中): a provincial chamber whose formation has not reached FOUNDED.",
    ACTIVE: "Live: its founding congress held (or founded before this system).",
    DISSOLVED: "Dissolved (已撤销): no longer operating; kept with its history.",
  }),
});
export const FormationStatusEnum = builder.enumType("FormationStatus", {
  description: "The steps of forming a provincial chamber (省级商会组建), taken in this order.",
  values: describedValues(formationStatusEnum.enumValues, {
    NOT_STARTED: "Not started (未启动).",
    INITIATED: "Initiated (发起): sponsors found.",
    PREPARATORY: "Preparatory group formed (筹备组成立).",
    APPLIED: "Registration filed with the provincial civil-affairs department (向民政厅申请登记).",
    APPROVED: "Registered (登记批准); needs every BEFORE_APPROVAL checklist item done.",
    FOUNDED: "Founding congress held (成立大会): the chamber is live.",
  }),
});

export const ChamberRef = builder.loadableNode("Chamber", {
  description: "A chamber of commerce: the federation, a provincial or municipal chamber, or an overseas association.",
  id: { resolve: (chamber: ChamberRow) => chamber.id, extensions: { sharing: "all" } },
  load: (ids: string[], ctx) => chambersByIds(ctx, ids),
  sort: (c) => c.id,
  // Public facts of a chamber: the same for every viewer (subscription events share their execution).
  fields: (t) => ({
    name: t.exposeString("name", { description: "Chinese name, e.g. 上海市温州商会.", extensions: { sharing: "all" } }),
    nameEn: t.exposeString("nameEn", {
      nullable: true,
      description: "English name, e.g. Shanghai Wenzhou Chamber of Commerce.",
      extensions: { sharing: "all" },
    }),
    kind: t.expose("kind", {
      type: ChamberKindEnum,
      description: "Its place in the tree.",
      extensions: { sharing: "all" },
    }),
    status: t.expose("status", {
      type: ChamberStatusEnum,
      description: "Forming, live or dissolved.",
      extensions: { sharing: "all" },
    }),
    slug: t.exposeString("slug", {
      description: "Unique URL name: lowercase letters, digits and hyphens, e.g. shanghai.",
      extensions: { sharing: "all" },
    }),
    provinceCode: t.exposeString("provinceCode", {
      nullable: true,
      description: "GB/T 2260 two-digit province code (31 = 上海); set for PROVINCIAL and MUNICIPAL chambers.",
      extensions: { sharing: "all" },
    }),
    city: t.exposeString("city", {
      nullable: true,
      description: "The city of a MUNICIPAL chamber, in Chinese (e.g. 苏州).",
      extensions: { sharing: "all" },
    }),
    countryCode: t.exposeString("countryCode", {
      nullable: true,
      description: "ISO 3166 alpha-2 country of an OVERSEAS chamber (e.g. IT).",
      extensions: { sharing: "all" },
    }),
    foundedOn: t.expose("foundedOn", {
      type: "Date",
      nullable: true,
      description: "When its founding congress was held (成立日期); null while forming or unknown.",
      extensions: { sharing: "all" },
    }),
    createdAt: t.expose("createdAt", {
      type: "DateTime",
      description: "When it was entered in this system.",
      extensions: { sharing: "all" },
    }),
  }),
});

export const ProvinceRef = builder.loadableNode("Province", {
  description:
    "One of the 31 provincial-level divisions (省级行政区), each to have one provincial Wenzhou chamber (省级温州商会). " +
    "Public reference data: every viewer can load any province.",
  id: { resolve: (province: ProvinceRow) => province.code },
  load: (codes: string[], ctx) => provincesByCodes(ctx, codes),
  fields: (t) => ({
    code: t.exposeString("code", { description: "GB/T 2260 two-digit code, e.g. 33 (浙江)." }),
    name: t.exposeString("name", { description: "Chinese name, e.g. 浙江省." }),
    nameEn: t.exposeString("nameEn", { description: "English name, e.g. Zhejiang." }),
  }),
});

builder.objectFields(ChamberRef, (t) => ({
  parent: t.field({
    type: ChamberRef,
    nullable: true,
    description: "The chamber directly above this one; null for the federation.",
    resolve: (chamber) => chamber.parentId,
  }),
  children: t.field({
    type: [ChamberRef],
    description: "Chambers directly under this one, by name as Chinese readers expect (pinyin).",
    resolve: (chamber, _args, ctx) =>
      contextLoader(ctx, "chamberChildren", (ids) => chamberChildren(ctx, ids)).load(chamber.id),
  }),
  province: t.field({
    type: ProvinceRef,
    nullable: true,
    description: "The province of provinceCode; null for the federation and overseas chambers.",
    resolve: (chamber, _args, ctx) =>
      chamber.provinceCode
        ? contextLoader(ctx, "provinces", (codes) => provincesByCodes(ctx, codes)).load(chamber.provinceCode)
        : null,
  }),
}));

// Province fields batch but never cache: a formationChanged subscription re-resolves the same province in one
// long-lived context, and must see each change.
const uncached = { cache: false } as const;

builder.objectFields(ProvinceRef, (t) => ({
  formationStatus: t.field({
    type: FormationStatusEnum,
    description: "How far forming this province's provincial chamber has come (public).",
    resolve: (province, _args, ctx) =>
      contextLoader(ctx, "formationStatuses", (codes) => formationStatuses(ctx, codes), uncached).load(province.code),
  }),
  chamber: t.field({
    type: ChamberRef,
    nullable: true,
    description: "The province's provincial chamber, forming or live, if one exists.",
    resolve: (province, _args, ctx) =>
      contextLoader(ctx, "provincialChambers", (codes) => provincialChambers(ctx, codes), uncached).load(province.code),
  }),
}));

const ChamberConnection = connectionType(ChamberRef, "Chamber");

const ChamberFilter = builder.inputType("ChamberFilter", {
  description: "Narrows chambers(); every field given must match (null or absent: no restriction).",
  fields: (t) => ({
    kinds: t.field({ type: [ChamberKindEnum], description: "Only chambers of these kinds." }),
    provinceCodes: t.stringList({ description: "Only chambers with one of these GB/T 2260 province codes." }),
    parentId: t.globalID({ for: ChamberRef, description: "Only the direct children of this chamber." }),
    formationStatuses: t.field({
      type: [FormationStatusEnum],
      description: "Only chambers in provinces whose formation is at one of these steps.",
    }),
    query: t.string({ description: "Matches Chinese or English names by substring." }),
  }),
});

builder.queryFields((t) => ({
  federation: t.field({
    type: ChamberRef,
    description: "The federation (全国温州商会总会), root of the chamber tree.",
    resolve: async (_root, _args, ctx) => {
      const federation = await findFederation(ctx.db);
      if (!federation) throw new Error("The federation chamber has not been created yet.");
      return federation;
    },
  }),
  provinces: t.field({
    type: [ProvinceRef],
    description: "All 31 provincial divisions in code order.",
    resolve: (_root, _args, ctx) => listProvinces(ctx),
  }),
  chambers: t.connection(
    {
      type: ChamberRef,
      description:
        "Chambers, by Chinese name as Chinese readers expect: by pinyin (北京, 全国温州商会总会, 上海, 云南), the same " +
        "on every database.",
      args: { filter: t.arg({ type: ChamberFilter, description: "Which chambers; all when absent." }) },
      resolve: (_root, args, ctx) => {
        const f = args.filter;
        const filter: ChamberListFilter = {
          kinds: f?.kinds as ChamberKind[] | null | undefined,
          provinceCodes: f?.provinceCodes,
          parentId: f?.parentId?.id,
          formationStatuses: f?.formationStatuses as FormationStatus[] | null | undefined,
          query: f?.query,
        };
        return keysetConnection(args, {
          toKey: (c: ChamberRow) => [c.nameSort, c.id],
          page: (page) => listChambers(ctx, filter, page),
          count: () => countChambers(ctx, filter),
        });
      },
    },
    ChamberConnection,
  ),
}));

const CreateChamberInput = builder.inputType("CreateChamberInput", {
  description: "A new chamber: one per place (一地一会), placed in the tree by its kind and province.",
  fields: (t) => ({
    kind: t.field({ type: ChamberKindEnum, required: true, description: "PROVINCIAL, MUNICIPAL or OVERSEAS." }),
    name: t.string({ required: true, description: "Chinese name, e.g. 上海市温州商会." }),
    nameEn: t.string({ description: "English name." }),
    slug: t.string({ description: "URL name; derived from nameEn when absent." }),
    provinceCode: t.string({ description: "GB/T 2260 province code; required for PROVINCIAL and MUNICIPAL." }),
    city: t.string({ description: "Required for MUNICIPAL." }),
    countryCode: t.string({ description: "ISO 3166 alpha-2; required for OVERSEAS." }),
    parentId: t.globalID({
      for: ChamberRef,
      description:
        "Overseas chambers only: the federation (default) or another overseas chamber. Others are placed by the rules.",
    }),
  }),
});

const UpdateChamberInput = builder.inputType("UpdateChamberInput", {
  description:
    "Fields left out stay as they are; null clears an optional field. The same rules as createChamber apply.",
  fields: (t) => ({
    chamberId: t.globalID({ for: ChamberRef, required: true, description: "The chamber to change." }),
    kind: t.field({ type: ChamberKindEnum, description: "New kind (not FEDERATION)." }),
    name: t.string({ description: "New Chinese name." }),
    nameEn: t.string({ description: "New English name; null clears it." }),
    slug: t.string({ description: "New URL name (unique)." }),
    provinceCode: t.string({ description: "New GB/T 2260 province code." }),
    city: t.string({ description: "New city (MUNICIPAL)." }),
    countryCode: t.string({ description: "New ISO 3166 alpha-2 country (OVERSEAS)." }),
    parentId: t.globalID({ for: ChamberRef, description: "Overseas chambers only (see createChamber)." }),
  }),
});

const ChamberPayload = objectPayloadType(
  "ChamberPayload",
  "chamber",
  ChamberRef,
  "The result of createChamber or updateChamber: the chamber, or userErrors.",
);

builder.mutationFields((t) => ({
  createChamber: t.field({
    type: ChamberPayload,
    description:
      "Federation staff: create a chamber. Parent is chosen by the rules (provincial chamber, else the federation). " +
      "userErrors: INVALID (a field), NOT_FOUND (parentId), CONFLICT (the place, province or slug is taken).",
    args: {
      input: t.arg({
        type: CreateChamberInput,
        required: true,
        description: "The request; each field is described on its type.",
      }),
    },
    resolve: (_root, { input }, ctx) =>
      withUserErrors(async () => ({
        chamber: await createChamber(ctx, { ...input, kind: input.kind as ChamberKind, parentId: input.parentId?.id }),
      })),
  }),
  updateChamber: t.field({
    type: ChamberPayload,
    description:
      "Federation staff: change a chamber's kind, names, slug, place or (overseas) parent, under the same rules. " +
      "userErrors as createChamber's; NOT_FOUND for an unknown chamberId.",
    args: {
      input: t.arg({
        type: UpdateChamberInput,
        required: true,
        description: "The request; each field is described on its type.",
      }),
    },
    resolve: (_root, { input }, ctx) =>
      withUserErrors(async () => ({
        chamber: await updateChamber(ctx, {
          chamberId: input.chamberId.id,
          ...("kind" in input ? { kind: input.kind as ChamberKind | null } : {}),
          ...pickDefined(input, ["name", "nameEn", "slug", "provinceCode", "city", "countryCode"]),
          ...("parentId" in input ? { parentId: input.parentId?.id ?? null } : {}),
        }),
      })),
  }),
}));

/** The keys the client actually sent (GraphQL keeps an omitted field absent, an explicit null as null). */
function pickDefined<T extends object, K extends keyof T & string>(input: T, keys: K[]): Partial<Pick<T, K>> {
  const out: Partial<Pick<T, K>> = {};
  for (const k of keys) if (k in input && input[k] !== undefined) out[k] = input[k];
  return out;
}
