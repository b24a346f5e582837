// Text in SQL: LIKE patterns that mean the text they hold, and large key lists bound as one parameter.
import { type AnyColumn, type SQL, sql } from "drizzle-orm";

/** Escapes LIKE wildcards so a search for "50%" means the text. */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** A LIKE pattern matching the text anywhere. */
export function likePattern(text: string): string {
  return `%${escapeLike(text)}%`;
}

/**
 * `column in (…values)` with the values as one JSON parameter: imports and exports look up thousands of keys
 * at once, and one parameter binds far faster than thousands (and never hits the 65,535-parameter limit).
 */
export function inJson(column: SQL | AnyColumn, values: readonly string[], type: "text" | "uuid" = "text"): SQL {
  const elements = sql`jsonb_array_elements_text(${JSON.stringify(values)}::jsonb)`;
  return sql`${column} in (select x::${sql.raw(type)} from ${elements} as t(x))`;
}

/** Rows a statement changed, as postgres.js (`count`) and PGlite (`affectedRows`) report them. */
export function affectedRows(result: unknown): number {
  const r = result as { count?: number; affectedRows?: number };
  return Number(r.count ?? r.affectedRows ?? 0);
}
