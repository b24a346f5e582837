// Keyset pagination for every list core reads: the position is the row's (sort key, id), so pages stay stable
// while rows are added. Cursors are a transport matter; core receives positions already decoded.
import type { Executor } from "@wz/db";
import { rowsOf } from "@wz/db";
import { type AnyColumn, and, asc, desc, getTableColumns, type SQL, sql, type Table } from "drizzle-orm";

export type SortKey = [string | number, string];

export interface PageRequest {
  after?: SortKey | null | undefined;
  before?: SortKey | null | undefined;
  /** Rows to read (the connection asks for one more than it shows, to know whether there is a next page). */
  limit: number;
  /** Read backwards (for `last`/`before`); rows come back in that reversed order. */
  inverted: boolean;
}

/** WHERE and ORDER BY for one page, ordered by (sort, id) ascending (`descending` flips the list's order). */
export function keysetPage(
  page: PageRequest,
  sort: AnyColumn | SQL,
  id: AnyColumn | SQL,
  descending = false,
): { where: SQL | undefined; orderBy: SQL[] } {
  const conditions: SQL[] = [];
  const after = descending ? "<" : ">";
  const before = descending ? ">" : "<";
  if (page.after) conditions.push(sql`(${sort}, ${id}) ${sql.raw(after)} (${page.after[0]}, ${page.after[1]})`);
  if (page.before) conditions.push(sql`(${sort}, ${id}) ${sql.raw(before)} (${page.before[0]}, ${page.before[1]})`);
  const ascending = descending === page.inverted;
  const dir = ascending ? asc : desc;
  return { where: conditions.length ? and(...conditions) : undefined, orderBy: [dir(sort), dir(id)] };
}

/** One parent's page of a nested list, with the whole list's count when it was asked for. */
export interface NestedPage<Row> {
  rows: Row[];
  totalCount: number | null;
}

/** A parent of a nested list, as the statement sees it: its id, and a flag the list's condition may read. */
export interface NestedParent {
  id: string;
  /** E.g. "the viewer may see every child of this parent"; `false` when the list does not use it. */
  flag?: boolean;
}

export interface NestedListDefinition {
  /** FROM (with joins) of the child rows. */
  from: SQL;
  /** The columns each row carries back, e.g. sql`${table}.*`. */
  columns: SQL;
  /** The condition of one parent's children: `parent.id` and `parent.flag` are that parent's columns. */
  where: (parent: { id: SQL; flag: SQL }) => SQL;
  /** The list's order: sort key, then id; `descending` flips it. */
  sort: AnyColumn | SQL;
  id: AnyColumn | SQL;
  descending?: boolean;
}

/**
 * The one way to read a nested connection: every parent's page (and count, when asked) in one statement.
 * The parents are one array parameter (so the statement's text is the same for 5 parents or 50); each
 * parent's page is a LATERAL subquery with the list's condition, keyset position and limit, and its count
 * a second LATERAL subquery with the condition alone. Rows come back raw (`_sort` holds the sort key);
 * `toRow` turns one into the caller's shape.
 */
export async function nestedPages<Row>(
  db: Executor,
  parents: readonly NestedParent[],
  page: PageRequest,
  withCount: boolean,
  list: NestedListDefinition,
  toRow: (raw: Record<string, unknown>) => Row,
): Promise<NestedPage<Row>[]> {
  if (!parents.length) return [];
  const ids = sql.param(parents.map((p) => p.id));
  // postgres.js cannot send a boolean[] parameter; text[] cast to boolean[] reads the same on both engines.
  const flags = sql.param(parents.map((p) => (p.flag ? "t" : "f")));
  const parent = { id: sql.raw(`"_p"."id"`), flag: sql.raw(`"_p"."flag"`) };
  const condition = list.where(parent);
  const { where, orderBy } = keysetPage(page, list.sort, list.id, list.descending);
  const order = sql.join(orderBy, sql`, `);
  const count = withCount
    ? sql`cross join lateral (select count(*)::int as "n" from ${list.from} where ${condition}) "_c"`
    : sql`cross join lateral (select null::int as "n") "_c"`;
  const result = await db.execute(sql`
    select "_p"."ord"::int as "_parent", "_c"."n" as "_total", "_page".*
    from unnest(${ids}::uuid[], ${flags}::text[]::boolean[]) with ordinality as "_p"("id", "flag", "ord")
    ${count}
    left join lateral (
      select ${list.columns}, ${list.sort} as "_sort", row_number() over (order by ${order}) as "_rn"
      from ${list.from}
      where ${where ? and(condition, where) : condition}
      order by ${order}
      limit ${page.limit}
    ) "_page" on true
    order by "_p"."ord", "_page"."_rn"`);
  const pages: NestedPage<Row>[] = parents.map(() => ({ rows: [], totalCount: withCount ? 0 : null }));
  for (const raw of rowsOf<Record<string, unknown>>(result)) {
    const target = pages[Number(raw._parent) - 1]!;
    if (withCount) target.totalCount = Number(raw._total);
    if (raw._rn != null) target.rows.push(toRow(raw));
  }
  return pages;
}

/**
 * Turns a raw row (database column names, driver values) into a table's row as drizzle would, by the table's
 * own column mappers, without building a query object per row.
 */
export function tableRowMapper<T extends Table>(table: T): (raw: Record<string, unknown>) => T["$inferSelect"] {
  const columns = Object.entries(getTableColumns(table)).map(([key, column]) => [key, column] as const);
  return (raw) => {
    const row: Record<string, unknown> = {};
    for (const [key, column] of columns) {
      const value = raw[column.name];
      row[key] = value === null || value === undefined ? null : column.mapFromDriverValue(value);
    }
    return row as T["$inferSelect"];
  };
}
