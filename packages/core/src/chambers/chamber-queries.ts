// Reading chambers and provinces: lookups by id and code, the tree's children, and the chambers list with its
// filter, keyset page and count. Chambers and provinces are reference data every viewer reads alike; the
// viewer's scope is still in each signature, so a rule added later lands here and nowhere else.

import {
  type ChamberKind,
  type ChamberRow,
  chamberTable,
  type Executor,
  type FormationStatus,
  formationTable,
  type ProvinceRow,
  provinceTable,
} from "@wz/db";
import { and, asc, count, eq, ilike, inArray, ne, or, type SQL, sql } from "drizzle-orm";
import { keysetPage, type PageRequest } from "../common/paging";
import { likePattern } from "../common/sql-text";
import { pinyinSortKey } from "../directory/pinyin";
import type { ServiceContext } from "../service-context";
import { isUuid } from "../validation";

type ReadContext = Pick<ServiceContext, "db" | "permissions">;

/** Keys in the order asked for, each with its row or null. */
function inKeyOrder<R>(keys: readonly string[], rows: readonly R[], keyOf: (row: R) => string | null): (R | null)[] {
  const byKey = new Map<string, R>();
  for (const row of rows) {
    const key = keyOf(row);
    if (key !== null) byKey.set(key, row);
  }
  return keys.map((k) => byKey.get(k) ?? null);
}

/** Chambers by id, in the order asked for (null for an unknown or malformed id): one statement. */
export async function chambersByIds(ctx: ReadContext, ids: readonly string[]): Promise<(ChamberRow | null)[]> {
  const valid = [...new Set(ids.filter(isUuid))];
  const rows = valid.length ? await ctx.db.select().from(chamberTable).where(inArray(chamberTable.id, valid)) : [];
  return inKeyOrder(ids, rows, (c) => c.id);
}

/** By the name's pinyin sort key, then id: the order the chambers list reads in SQL, byte for byte. */
const byNameSort = (a: ChamberRow, b: ChamberRow) =>
  a.nameSort < b.nameSort ? -1 : a.nameSort > b.nameSort ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;

/** Each parent's direct children, by Chinese name (pinyin): one statement for all parents. */
export async function chamberChildren(ctx: ReadContext, parentIds: readonly string[]): Promise<ChamberRow[][]> {
  const valid = [...new Set(parentIds.filter(isUuid))];
  const rows = valid.length
    ? await ctx.db.select().from(chamberTable).where(inArray(chamberTable.parentId, valid))
    : [];
  rows.sort(byNameSort);
  return parentIds.map((id) => rows.filter((r) => r.parentId === id));
}

/** All 31 provinces in code order. */
export async function listProvinces(ctx: ReadContext): Promise<ProvinceRow[]> {
  return ctx.db.select().from(provinceTable).orderBy(asc(provinceTable.code));
}

/** Provinces by code, in the order asked for (null for an unknown code): one statement. */
export async function provincesByCodes(ctx: ReadContext, codes: readonly string[]): Promise<(ProvinceRow | null)[]> {
  const unique = [...new Set(codes)];
  const rows = unique.length
    ? await ctx.db.select().from(provinceTable).where(inArray(provinceTable.code, unique))
    : [];
  return inKeyOrder(codes, rows, (p) => p.code);
}

/** Each province's provincial chamber, forming or live (a dissolved one does not count): one statement. */
export async function provincialChambers(ctx: ReadContext, codes: readonly string[]): Promise<(ChamberRow | null)[]> {
  const unique = [...new Set(codes)];
  const rows = unique.length
    ? await ctx.db
        .select()
        .from(chamberTable)
        .where(
          and(
            eq(chamberTable.kind, "PROVINCIAL"),
            inArray(chamberTable.provinceCode, unique),
            ne(chamberTable.status, "DISSOLVED"),
          ),
        )
    : [];
  return inKeyOrder(codes, rows, (c) => c.provinceCode);
}

export interface ChamberListFilter {
  kinds?: readonly ChamberKind[] | null | undefined;
  provinceCodes?: readonly string[] | null | undefined;
  /** Only the direct children of this chamber (a malformed id matches nothing). */
  parentId?: string | null | undefined;
  /** Only chambers in provinces whose formation is at one of these steps. */
  formationStatuses?: readonly FormationStatus[] | null | undefined;
  /** Chinese or English names by substring. */
  query?: string | null | undefined;
}

function chamberListCondition(ctx: ReadContext, filter: ChamberListFilter | null | undefined): SQL | undefined {
  const conditions: SQL[] = [];
  const f = filter;
  if (f?.kinds?.length) conditions.push(inArray(chamberTable.kind, [...f.kinds]));
  if (f?.provinceCodes?.length) conditions.push(inArray(chamberTable.provinceCode, [...f.provinceCodes]));
  if (f?.parentId) conditions.push(isUuid(f.parentId) ? eq(chamberTable.parentId, f.parentId) : sql`false`);
  if (f?.formationStatuses?.length)
    conditions.push(
      inArray(
        chamberTable.provinceCode,
        ctx.db
          .select({ code: formationTable.provinceCode })
          .from(formationTable)
          .where(inArray(formationTable.status, [...f.formationStatuses])),
      ),
    );
  const query = f?.query?.trim();
  if (query) {
    const pattern = likePattern(query);
    conditions.push(or(ilike(chamberTable.name, pattern), ilike(chamberTable.nameEn, pattern))!);
  }
  return conditions.length ? and(...conditions) : undefined;
}

/** One page of the chambers list, by name as Chinese readers expect (pinyin, `pinyinSortKey`), then id. */
export async function listChambers(
  ctx: ReadContext,
  filter: ChamberListFilter | null | undefined,
  page: PageRequest,
): Promise<ChamberRow[]> {
  const { where, orderBy } = keysetPage(page, chamberTable.nameSort, chamberTable.id);
  return ctx.db
    .select()
    .from(chamberTable)
    .where(and(chamberListCondition(ctx, filter), where))
    .orderBy(...orderBy)
    .limit(page.limit);
}

/**
 * Gives every chamber whose name has no sort key yet (rows older than migration 0008) its key; run after
 * migrating, at start. Returns how many it filled in; a handful of statements for any number of chambers.
 */
export async function refreshChamberSortKeys(db: Executor): Promise<number> {
  const missing = await db
    .select({ id: chamberTable.id, name: chamberTable.name })
    .from(chamberTable)
    .where(eq(chamberTable.nameSort, ""));
  for (const chamber of missing)
    await db
      .update(chamberTable)
      .set({ nameSort: pinyinSortKey(chamber.name) })
      .where(eq(chamberTable.id, chamber.id));
  return missing.length;
}

/** How many chambers the list holds across all pages. */
export async function countChambers(ctx: ReadContext, filter: ChamberListFilter | null | undefined): Promise<number> {
  const [row] = await ctx.db.select({ n: count() }).from(chamberTable).where(chamberListCondition(ctx, filter));
  return row?.n ?? 0;
}
