// Keyset pagination for every list core reads: the position is the row's (sort key, id), so pages stay stable
// while rows are added. Cursors are a transport matter; core receives positions already decoded.
import { type AnyColumn, and, asc, desc, type SQL, sql } from "drizzle-orm";

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
