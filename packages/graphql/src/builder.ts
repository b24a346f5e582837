// The Pothos builder: plugins, scalars and context type. It defines no domain types itself.
import SchemaBuilder from "@pothos/core";
import DataloaderPlugin from "@pothos/plugin-dataloader";
import RelayPlugin, { decodeGlobalID, resolveNodes } from "@pothos/plugin-relay";
import { type GraphQLResolveInfo, isObjectType } from "graphql";
import type { GraphQLContext } from "./context";

export type BuilderTypes = PothosSchemaTypes.ExtendDefaultTypes<BuilderOptions>;

interface BuilderOptions {
  Context: GraphQLContext;
  DefaultFieldNullability: false;
  DefaultInputFieldRequiredness: false;
  DefaultEdgesNullability: false;
  DefaultNodeNullability: false;
  Scalars: {
    Date: { Input: string; Output: string };
    DateTime: { Input: Date; Output: Date };
    Decimal: { Input: string; Output: string };
    File: { Input: File; Output: never };
  };
}

// The builder, for the `nodes` resolver inside its own options (referring to `builder` there would make its
// type circular).
let thisBuilder: unknown;

export const builder = new SchemaBuilder<BuilderOptions>({
  plugins: [RelayPlugin, DataloaderPlugin],
  defaultFieldNullability: false,
  relay: {
    clientMutationId: "omit",
    cursorType: "String",
    // Arguments are checked before execution (common/input-limits: a coded BAD_USER_INPUT); what reaches here
    // malformed is a `node`/`nodes` id, which reads as a missing one (a type no schema has).
    decodeGlobalID: (globalID) => {
      try {
        return decodeGlobalID(globalID);
      } catch {
        return { typename: "", id: globalID };
      }
    },
    // Descriptions of what the plugin builds: the Node interface, PageInfo and every connection's fields.
    nodeTypeOptions: {
      description:
        "An object with a global ID that node(id:) and nodes(ids:) load. Private objects (dues, notes, formation " +
        "steps, audit entries…) load only for viewers allowed to see them; for anyone else their id reads as missing.",
    },
    idFieldOptions: {
      description: "Global ID: opaque, stable, and accepted by node(id:); do not parse it.",
    },
    pageInfoTypeOptions: { description: "Where a page of a connection sits in the whole list (Relay cursor paging)." },
    hasNextPageFieldOptions: { description: "More items follow this page (page on with `after: endCursor`)." },
    hasPreviousPageFieldOptions: { description: "Items precede this page (page back with `before: startCursor`)." },
    startCursorFieldOptions: { description: "The first edge's cursor; null on an empty page." },
    endCursorFieldOptions: { description: "The last edge's cursor; null on an empty page." },
    pageInfoFieldOptions: { description: "Where this page sits in the whole list." },
    edgesFieldOptions: { nullable: false, description: "The items of this page, each with its cursor." },
    nodeFieldOptions: { nullable: false, description: "The item." },
    cursorFieldOptions: {
      description: "Opaque position of this item in the list; pass as `after` or `before` to page from it.",
    },
    firstArgOptions: { description: "Page forward: at most this many items (default 20, at most 100)." },
    afterArgOptions: { description: "Page forward from this cursor (an edge's `cursor` or `pageInfo.endCursor`)." },
    lastArgOptions: { description: "Page backward: at most this many items, ending before `before`." },
    beforeArgOptions: { description: "Page backward from this cursor (an edge's `cursor` or `pageInfo.startCursor`)." },
    // A global id naming a type that is no node (or no type at all) reads as a missing id: null, never an
    // error that tells how the server is built.
    nodeQueryOptions: {
      description:
        "Loads any object by its global ID. Null when the ID is unknown, malformed, names no node type, or names " +
        "an object the viewer may not see: all read the same.",
      args: { id: { description: "A global ID from any object's `id` field." } },
      resolve: (_root, args, _context, info, resolveNode) =>
        isLoadableNodeType(info, args.id.typename) ? resolveNode(args.id) : null,
    },
    nodesQueryOptions: {
      description:
        "Loads many objects by global ID, in the order given; each entry is null as node(id:) would be (unknown, " +
        "malformed, or not visible to the viewer).",
      args: { ids: { description: "Global IDs from objects' `id` fields." } },
      resolve: async (_root, args, context, info) => {
        const loadable = args.ids.filter((id) => isLoadableNodeType(info, id.typename));
        const found = loadable.length ? await resolveNodes(thisBuilder as never, context, info, loadable) : [];
        const byId = new Map(loadable.map((id, i) => [`${id.typename}:${id.id}`, found[i] ?? null]));
        return args.ids.map((id) => byId.get(`${id.typename}:${id.id}`) ?? null);
      },
    },
  },
});

thisBuilder = builder;

function isLoadableNodeType(info: GraphQLResolveInfo, typename: string): boolean {
  const type = info.schema.getType(typename);
  return isObjectType(type) && type.getInterfaces().some((i) => i.name === "Node");
}

builder.queryType({
  description:
    "Reads. Public facts (chambers, provinces, public profile fields) need no sign-in; the rest follow the " +
    "viewer's roles and read as null or empty where they may not see them.",
});
builder.mutationType({
  description:
    "Writes. Each takes one `input` and returns a payload; a refused input is answered in its userErrors (INVALID, " +
    "NOT_FOUND, CONFLICT, INVALID_TRANSITION) and changes nothing. Not signed in is an UNAUTHENTICATED GraphQL " +
    "error, not allowed a FORBIDDEN one.",
});
builder.subscriptionType({
  description: "Live updates over graphql-ws. Each event reaches only subscribers allowed to see it.",
});
