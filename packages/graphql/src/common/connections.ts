// Relay connections over keyset pagination: the cursor is the row's sort key, so pages stay stable while
// rows are added, and `totalCount` is counted only when a client asks for it.
import { resolveCursorConnection, type DefaultConnectionArguments, type ResolveCursorConnectionArgs } from "@pothos/plugin-relay";
import { UserInputError } from "@wz/core";
import { and, asc, desc, sql, type AnyColumn, type SQL } from "drizzle-orm";
import type { ObjectRef } from "@pothos/core";
import { builder, type BuilderTypes } from "../builder";

export type SortKey = [string | number, string];

export function encodeCursor(key: SortKey): string {
  return Buffer.from(JSON.stringify(key)).toString("base64url");
}

export function decodeCursor(cursor: string, argument: string): SortKey {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (Array.isArray(value) && value.length === 2 && ["string", "number"].includes(typeof value[0]) && typeof value[1] === "string")
      return value as SortKey;
  } catch {
    // fall through to the error below
  }
  throw UserInputError.of("INVALID", [argument], `"${cursor}" is not a cursor from this list.`);
}

/** WHERE and ORDER BY for one page, ordered by (sort, id) ascending (`descending` flips the list's order). */
export function keysetPage(
  page: ResolveCursorConnectionArgs,
  sort: AnyColumn | SQL,
  id: AnyColumn,
  descending = false,
): { where: SQL | undefined; orderBy: SQL[] } {
  const conditions: SQL[] = [];
  const after = descending ? "<" : ">";
  const before = descending ? ">" : "<";
  if (page.after) {
    const [s, i] = decodeCursor(page.after, "after");
    conditions.push(sql`(${sort}, ${id}) ${sql.raw(after)} (${s}, ${i})`);
  }
  if (page.before) {
    const [s, i] = decodeCursor(page.before, "before");
    conditions.push(sql`(${sort}, ${id}) ${sql.raw(before)} (${s}, ${i})`);
  }
  const ascending = descending === page.inverted;
  const dir = ascending ? asc : desc;
  return { where: conditions.length ? and(...conditions) : undefined, orderBy: [dir(sort), dir(id)] };
}

export async function keysetConnection<Row>(
  args: DefaultConnectionArguments,
  options: {
    toKey: (row: Row) => SortKey;
    page: (page: ResolveCursorConnectionArgs) => Promise<Row[]>;
    count: () => Promise<number>;
  },
) {
  if ((args.first ?? 0) < 0 || (args.last ?? 0) < 0) throw UserInputError.of("INVALID", [args.first != null ? "first" : "last"], "Page size cannot be negative.");
  const connection = await resolveCursorConnection(
    { args, toCursor: (row: Row) => encodeCursor(options.toKey(row)), defaultSize: 20, maxSize: 100 },
    options.page,
  );
  let counted: Promise<number> | undefined;
  return Object.assign(connection, { totalCount: () => (counted ??= options.count()) });
}

interface ConnectionExtras {
  totalCount: () => Promise<number>;
}

/** A named connection type (`<Name>Connection` / `<Name>Edge`) with `totalCount`, shared by every field listing that type. */
export function connectionType<Shape>(ref: ObjectRef<BuilderTypes, Shape>, name: string) {
  return builder.connectionObject(
    {
      type: ref,
      name: `${name}Connection`,
      fields: (t) => ({
        totalCount: t.int({
          description: "How many items the whole list holds, across all pages.",
          resolve: (connection) => (connection as unknown as ConnectionExtras).totalCount(),
        }),
      }),
    },
    { name: `${name}Edge` },
  );
}
