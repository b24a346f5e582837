// Relay connections over keyset pagination: the cursor is the row's sort key, so pages stay stable while
// rows are added, and `totalCount` is counted only when a client asks for it.

import type { ObjectRef } from "@pothos/core";
import {
  type DefaultConnectionArguments,
  type ResolveCursorConnectionArgs,
  resolveCursorConnection,
} from "@pothos/plugin-relay";
import { msg, type NestedPage, type PageRequest, type SortKey, UserInputError } from "@wz/core";
import type { FieldNode, GraphQLResolveInfo, SelectionSetNode } from "graphql";
import { type BuilderTypes, builder } from "../builder";
import type { GraphQLContext } from "../context";
import { contextLoader } from "./context-loader";
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
  throw UserInputError.of("INVALID", [argument], msg("limits.badCursor", { cursor }));
}

function assertPageSizes(args: DefaultConnectionArguments) {
  if ((args.first ?? 0) < 0 || (args.last ?? 0) < 0)
    throw UserInputError.of("INVALID", [args.first != null ? "first" : "last"], msg("limits.negativePageSize"));
}

function decodePage(page: ResolveCursorConnectionArgs): PageRequest {
  return {
    after: page.after ? decodeCursor(page.after, "after") : null,
    before: page.before ? decodeCursor(page.before, "before") : null,
    limit: page.limit,
    inverted: page.inverted,
  };
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
  assertPageSizes(args);
  const connection = await resolveCursorConnection(
    { args, toCursor: (row: Row) => encodeCursor(options.toKey(row)), defaultSize: 20, maxSize: MAX_PAGE_SIZE },
    (page: ResolveCursorConnectionArgs) => options.page(decodePage(page)),
  );
  let counted: Promise<number> | undefined;
  return Object.assign(connection, { totalCount: () => (counted ??= options.count()) });
}

/** Whether the field's selection (fragments included) asks for `name` directly under it. */
function selects(info: GraphQLResolveInfo, name: string): boolean {
  const seen = new Set<string>();
  const inSet = (set: SelectionSetNode | undefined): boolean =>
    !!set?.selections.some((s) => {
      if (s.kind === "Field") return s.name.value === name;
      if (s.kind === "InlineFragment") return inSet(s.selectionSet);
      if (seen.has(s.name.value)) return false;
      seen.add(s.name.value);
      return inSet(info.fragments[s.name.value]?.selectionSet);
    });
  return info.fieldNodes.some((node: FieldNode) => inSet(node.selectionSet));
}

/**
 * The one way to write a connection under a parent (`Chamber.members`, …): the pages of every parent in the
 * request that asks with the same arguments are read together by one DataLoader, keyed by those arguments, in
 * one statement of core's (`nestedPages`), which also counts each list when `totalCount` is selected.
 */
export async function nestedConnection<Row>(
  ctx: GraphQLContext,
  info: GraphQLResolveInfo,
  parentId: string,
  args: DefaultConnectionArguments,
  options: {
    /** Names the list (one loader per list and arguments). */
    name: string;
    toKey: (row: Row) => SortKey;
    /** Every parent's page as core reads it, in the order of `parentIds`. */
    pages: (parentIds: readonly string[], page: PageRequest, withCount: boolean) => Promise<NestedPage<Row>[]>;
  },
) {
  assertPageSizes(args);
  const withCount = selects(info, "totalCount");
  let loaded: NestedPage<Row> | undefined;
  const connection = await resolveCursorConnection(
    { args, toCursor: (row: Row) => encodeCursor(options.toKey(row)), defaultSize: 20, maxSize: 100 },
    async (page: ResolveCursorConnectionArgs) => {
      const request = decodePage(page);
      const key = `${options.name}:${withCount}:${JSON.stringify(page)}:${JSON.stringify(args)}`;
      // Batched but not cached: a subscription's context lives on, and each event must read the list anew.
      const loader = contextLoader(ctx, key, (parentIds) => options.pages(parentIds, request, withCount), {
        cache: false,
      });
      loaded = await loader.load(parentId);
      return loaded.rows;
    },
  );
  return Object.assign(connection, { totalCount: async () => loaded?.totalCount ?? 0 });
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
      description:
        `A page of ${name} items (Relay cursor connection): \`edges\` in the list's order, \`pageInfo\` to page on, ` +
        "`totalCount` for the whole list.",
      fields: (t) => ({
        totalCount: t.int({
          description: "How many items the whole list holds, across all pages.",
          resolve: (connection) => (connection as unknown as ConnectionExtras).totalCount(),
        }),
      }),
    },
    { name: `${name}Edge`, description: `One ${name} in a page, with its cursor.` },
  );
}
