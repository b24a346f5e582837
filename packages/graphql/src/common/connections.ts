// Relay connections over keyset pagination: the cursor is the row's sort key, so pages stay stable while
// rows are added, and `totalCount` is counted only when a client asks for it.

import type { ObjectRef } from "@pothos/core";
import {
  type DefaultConnectionArguments,
  type ResolveCursorConnectionArgs,
  resolveCursorConnection,
} from "@pothos/plugin-relay";
import { type PageRequest, type SortKey, UserInputError } from "@wz/core";
import { type BuilderTypes, builder } from "../builder";
import { MAX_PAGE_SIZE } from "./input-limits";

export function encodeCursor(key: SortKey): string {
  return Buffer.from(JSON.stringify(key)).toString("base64url");
}

export function decodeCursor(cursor: string, argument: string): SortKey {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (
      Array.isArray(value) &&
      value.length === 2 &&
      ["string", "number"].includes(typeof value[0]) &&
      typeof value[1] === "string"
    )
      return value as SortKey;
  } catch {
    // fall through to the error below
  }
  throw UserInputError.of("INVALID", [argument], `"${cursor}" is not a cursor from this list.`);
}

export async function keysetConnection<Row>(
  args: DefaultConnectionArguments,
  options: {
    toKey: (row: Row) => SortKey;
    /** One page as core reads it: the cursors already decoded into keyset positions. */
    page: (page: PageRequest) => Promise<Row[]>;
    count: () => Promise<number>;
  },
) {
  if ((args.first ?? 0) < 0 || (args.last ?? 0) < 0)
    throw UserInputError.of("INVALID", [args.first != null ? "first" : "last"], "Page size cannot be negative.");
  const connection = await resolveCursorConnection(
    { args, toCursor: (row: Row) => encodeCursor(options.toKey(row)), defaultSize: 20, maxSize: MAX_PAGE_SIZE },
    (page: ResolveCursorConnectionArgs) =>
      options.page({
        after: page.after ? decodeCursor(page.after, "after") : null,
        before: page.before ? decodeCursor(page.before, "before") : null,
        limit: page.limit,
        inverted: page.inverted,
      }),
  );
  let counted: Promise<number> | undefined;
  return Object.assign(connection, { totalCount: () => (counted ??= options.count()) });
}

interface ConnectionExtras {
  totalCount: () => Promise<number>;
}

/**
 * A named connection type (`<Name>Connection` / `<Name>Edge`) with `totalCount`, shared by every field listing
 * that type.
 */
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
