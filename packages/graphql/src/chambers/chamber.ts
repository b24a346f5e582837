// Chambers (the tenants) and provinces: public types, the federation/chambers/provinces queries, createChamber.
import { createChamber, findFederation, updateChamber,
  keysetPage,
} from "@wz/core";
import {
  chamberKindEnum,
  chamberStatusEnum,
  chamberTable,
  formationStatusEnum,
  formationTable,
  provinceTable,
  type ChamberKind,
  type FormationStatus,
} from "@wz/db";
import { and, count, eq, ilike, inArray, or, sql, type SQL } from "drizzle-orm";
import { builder } from "../builder";
import { connectionType, keysetConnection } from "../common/connections";
import { groupByKeys, loadRowsByColumn, orderByKeys, validUuids } from "../common/load";
import { objectPayloadType, withUserErrors } from "../common/user-errors";

export const ChamberKindEnum = builder.enumType("ChamberKind", { values: chamberKindEnum.enumValues });
export const ChamberStatusEnum = builder.enumType("ChamberStatus", { values: chamberStatusEnum.enumValues });
export const FormationStatusEnum = builder.enumType("FormationStatus", { values: formationStatusEnum.enumValues });

type ChamberRow = typeof chamberTable.$inferSelect;
type ProvinceRow = typeof provinceTable.$inferSelect;

export const ChamberRef = builder.loadableNode("Chamber", {
  description: "A chamber of commerce: the federation, a provincial or municipal chamber, or an overseas association.",
  id: { resolve: (chamber: ChamberRow) => chamber.id, extensions: { sharing: "all" } },
  load: async (ids: string[], ctx) =>
    orderByKeys(ids, await loadRowsByColumn(ctx.db, chamberTable, chamberTable.id, validUuids(ids)), (c) => c.id),
  sort: (c) => c.id,
  // Public facts of a chamber: the same for every viewer (subscription events share their execution).
  fields: (t) => ({
    name: t.exposeString("name", { extensions: { sharing: "all" } }),
    nameEn: t.exposeString("nameEn", { nullable: true, extensions: { sharing: "all" } }),
    kind: t.expose("kind", { type: ChamberKindEnum, extensions: { sharing: "all" } }),
    status: t.expose("status", { type: ChamberStatusEnum, extensions: { sharing: "all" } }),
    slug: t.exposeString("slug", { extensions: { sharing: "all" } }),
    provinceCode: t.exposeString("provinceCode", { nullable: true, extensions: { sharing: "all" } }),
    city: t.exposeString("city", { nullable: true, extensions: { sharing: "all" } }),
    countryCode: t.exposeString("countryCode", { nullable: true, extensions: { sharing: "all" } }),
    foundedOn: t.expose("foundedOn", { type: "Date", nullable: true, extensions: { sharing: "all" } }),
    createdAt: t.expose("createdAt", { type: "DateTime", extensions: { sharing: "all" } }),
  }),
});

export const ProvinceRef = builder.objectRef<ProvinceRow>("Province").implement({
  description: "One of the 31 provincial-level divisions, each to have one provincial Wenzhou chamber.",
  fields: (t) => ({
    code: t.exposeString("code"),
    name: t.exposeString("name"),
    nameEn: t.exposeString("nameEn"),
  }),
});

builder.objectFields(ChamberRef, (t) => ({
  parent: t.loadable({
    type: ChamberRef,
    nullable: true,
    load: (ids: string[], ctx) => ChamberRef.getDataloader(ctx).loadMany(ids) as Promise<(ChamberRow | Error)[]>,
    resolve: (chamber) => chamber.parentId,
  }),
  children: t.loadableList({
    type: ChamberRef,
    description: "Chambers directly under this one, by name.",
    load: async (parentIds: string[], ctx) => {
      const rows = await loadRowsByColumn(ctx.db, chamberTable, chamberTable.parentId, parentIds);
      rows.sort((a, b) => a.name.localeCompare(b.name, "zh"));
      return groupByKeys(parentIds, rows, (c) => c.parentId!);
    },
    resolve: (chamber) => chamber.id,
  }),
  province: t.loadable({
    type: ProvinceRef,
    nullable: true,
    load: async (codes: string[], ctx) =>
      orderByKeys(codes, await loadRowsByColumn(ctx.db, provinceTable, provinceTable.code, codes), (p) => p.code),
    resolve: (chamber) => chamber.provinceCode,
  }),
}));

// Province fields batch but never cache: a formationChanged subscription re-resolves the same province in one
// long-lived context, and must see each change.
builder.objectFields(ProvinceRef, (t) => ({
  formationStatus: t.loadable({
    type: FormationStatusEnum,
    loaderOptions: { cache: false },
    load: async (codes: string[], ctx) =>
      orderByKeys(codes, await loadRowsByColumn(ctx.db, formationTable, formationTable.provinceCode, codes), (f) => f.provinceCode).map(
        (f) => f?.status ?? "NOT_STARTED",
      ),
    resolve: (province) => province.code,
  }),
  chamber: t.loadable({
    type: ChamberRef,
    nullable: true,
    loaderOptions: { cache: false },
    description: "The province's provincial chamber, forming or live, if one exists.",
    load: async (codes: string[], ctx) => {
      const rows = await ctx.db
        .select()
        .from(chamberTable)
        .where(and(eq(chamberTable.kind, "PROVINCIAL"), inArray(chamberTable.provinceCode, codes)));
      return orderByKeys(
        codes,
        rows.filter((r) => r.status !== "DISSOLVED"),
        (c) => c.provinceCode!,
      );
    },
    resolve: (province) => province.code,
  }),
}));

const ChamberConnection = connectionType(ChamberRef, "Chamber");

const ChamberFilter = builder.inputType("ChamberFilter", {
  fields: (t) => ({
    kinds: t.field({ type: [ChamberKindEnum] }),
    provinceCodes: t.stringList(),
    parentId: t.globalID({ for: ChamberRef, description: "Only the direct children of this chamber." }),
    formationStatuses: t.field({ type: [FormationStatusEnum], description: "Only chambers in provinces whose formation is at one of these steps." }),
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
    resolve: (_root, _args, ctx) => ctx.db.select().from(provinceTable).orderBy(provinceTable.code),
  }),
  chambers: t.connection({
    type: ChamberRef,
    args: { filter: t.arg({ type: ChamberFilter }) },
    resolve: (_root, args, ctx) => {
      const conditions: SQL[] = [];
      const f = args.filter;
      if (f?.kinds?.length) conditions.push(inArray(chamberTable.kind, f.kinds as ChamberKind[]));
      if (f?.provinceCodes?.length) conditions.push(inArray(chamberTable.provinceCode, f.provinceCodes));
      if (f?.parentId) {
        const [parentId] = validUuids([f.parentId.id]);
        conditions.push(parentId ? eq(chamberTable.parentId, parentId) : sql`false`);
      }
      if (f?.formationStatuses?.length)
        conditions.push(
          inArray(
            chamberTable.provinceCode,
            ctx.db
              .select({ code: formationTable.provinceCode })
              .from(formationTable)
              .where(inArray(formationTable.status, f.formationStatuses as FormationStatus[])),
          ),
        );
      if (f?.query?.trim()) {
        const pattern = `%${f.query.trim().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
        conditions.push(or(ilike(chamberTable.name, pattern), ilike(chamberTable.nameEn, pattern))!);
      }
      const filter = conditions.length ? and(...conditions) : undefined;
      return keysetConnection(args, {
        toKey: (c: ChamberRow) => [c.name, c.id],
        page: (page) => {
          const { where, orderBy } = keysetPage(page, chamberTable.name, chamberTable.id);
          return ctx.db
            .select()
            .from(chamberTable)
            .where(and(filter, where))
            .orderBy(...orderBy)
            .limit(page.limit);
        },
        count: async () => (await ctx.db.select({ n: count() }).from(chamberTable).where(filter))[0]?.n ?? 0,
      });
    },
  }, ChamberConnection),
}));

const CreateChamberInput = builder.inputType("CreateChamberInput", {
  fields: (t) => ({
    kind: t.field({ type: ChamberKindEnum, required: true }),
    name: t.string({ required: true, description: "Chinese name, e.g. 上海市温州商会." }),
    nameEn: t.string(),
    slug: t.string({ description: "URL name; derived from nameEn when absent." }),
    provinceCode: t.string({ description: "GB/T 2260 province code; required for PROVINCIAL and MUNICIPAL." }),
    city: t.string({ description: "Required for MUNICIPAL." }),
    countryCode: t.string({ description: "ISO 3166 alpha-2; required for OVERSEAS." }),
    parentId: t.globalID({
      for: ChamberRef,
      description: "Overseas chambers only: the federation (default) or another overseas chamber. Others are placed by the rules.",
    }),
  }),
});

const UpdateChamberInput = builder.inputType("UpdateChamberInput", {
  description: "Fields left out stay as they are; null clears an optional field. The same rules as createChamber apply.",
  fields: (t) => ({
    chamberId: t.globalID({ for: ChamberRef, required: true }),
    kind: t.field({ type: ChamberKindEnum }),
    name: t.string(),
    nameEn: t.string(),
    slug: t.string(),
    provinceCode: t.string(),
    city: t.string(),
    countryCode: t.string(),
    parentId: t.globalID({ for: ChamberRef, description: "Overseas chambers only (see createChamber)." }),
  }),
});

const ChamberPayload = objectPayloadType("ChamberPayload", "chamber", ChamberRef);

builder.mutationFields((t) => ({
  createChamber: t.field({
    type: ChamberPayload,
    description: "Federation staff: create a chamber. Parent is chosen by the rules (provincial chamber, else the federation).",
    args: { input: t.arg({ type: CreateChamberInput, required: true }) },
    resolve: (_root, { input }, ctx) =>
      withUserErrors(async () => ({
        chamber: await createChamber(ctx, { ...input, kind: input.kind as ChamberKind, parentId: input.parentId?.id }),
      })),
  }),
  updateChamber: t.field({
    type: ChamberPayload,
    description: "Federation staff: change a chamber's kind, names, slug, place or (overseas) parent, under the same rules.",
    args: { input: t.arg({ type: UpdateChamberInput, required: true }) },
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
