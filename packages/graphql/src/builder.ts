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
    edgesFieldOptions: { nullable: false },
    nodeFieldOptions: { nullable: false },
    // A global id naming a type that is no node (or no type at all) reads as a missing id: null, never an
    // error that tells how the server is built.
    nodeQueryOptions: {
      resolve: (_root, args, _context, info, resolveNode) =>
        isLoadableNodeType(info, args.id.typename) ? resolveNode(args.id) : null,
    },
    nodesQueryOptions: {
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

builder.queryType({});
builder.mutationType({});
builder.subscriptionType({});
