// Batch loading helpers: one statement per batch, results returned in the order of the keys asked for.
import { inArray, type AnyColumn } from "drizzle-orm";
import type { PgTable } from "drizzle-orm/pg-core";
import type { Database } from "@wz/db";
import { isUuid } from "@wz/core";

export function orderByKeys<K, R>(keys: readonly K[], rows: readonly R[], keyOf: (row: R) => K): (R | null)[] {
  const map = new Map<K, R>();
  for (const row of rows) map.set(keyOf(row), row);
  return keys.map((k) => map.get(k) ?? null);
}

export function groupByKeys<K, R>(keys: readonly K[], rows: readonly R[], keyOf: (row: R) => K): R[][] {
  const map = new Map<K, R[]>();
  for (const row of rows) {
    const list = map.get(keyOf(row));
    if (list) list.push(row);
    else map.set(keyOf(row), [row]);
  }
  return keys.map((k) => map.get(k) ?? []);
}

export async function loadRowsByColumn<T extends PgTable>(
  db: Database,
  table: T,
  column: AnyColumn,
  keys: readonly string[],
): Promise<T["$inferSelect"][]> {
  if (keys.length === 0) return [];
  return (await db
    .select()
    .from(table as PgTable)
    .where(inArray(column, [...keys]))) as T["$inferSelect"][];
}



/** Global IDs are client input: an id that is not even a UUID is simply not found (never a database error). */
export function validUuids(ids: readonly string[]): string[] {
  return ids.filter(isUuid);
}
