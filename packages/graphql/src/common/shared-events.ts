// Shared execution of subscription events. A lead posted to the federation reaches thousands of
// subscribers; most ask for the same selection, and most selections (title, kind, the posting chamber's
// name…) read the same for every subscriber allowed to receive the event. Such an operation is executed
// once per event and the one result is handed to every subscriber (see shared-subscriptions.ts).
//
// What reads the same for every viewer is declared on the field itself, in its Pothos `extensions`:
// `{ sharing: "all" }`. What reads the same for every viewer in the same *audience* of an event (the
// poster's contact fields: everyone with the same access to the poster) is declared `{ sharing: "audience" }`,
// and the subscription field names each subscriber's audience and the objects of its result the audience
// speaks for: `{ sharing: "all", audience: { of: leadAudience, covers: ["", "postedBy"] } }` (the lead
// itself and its poster); such operations are shared per audience, and an audience-dependent field reached
// by any other path is not shareable. A field declared neither way (a lead's answers, which depend on who
// each subscriber is) makes the whole operation run per subscriber, as usual. Whether a subscriber
// receives an event at all is still decided per subscriber, by its own stream.
//
// `guardSharedFields` holds the declarations to their word: in a shared execution, a field declared
// `sharing: "all"` resolves with a context whose viewer (and everything else that depends on who asks)
// throws when read, so a resolver later made viewer-dependent fails instead of leaking one subscriber's
// view to the others.
import {
  type DocumentNode,
  defaultFieldResolver,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLFieldResolver,
  type GraphQLSchema,
  getNamedType,
  isAbstractType,
  isIntrospectionType,
  isObjectType,
  Kind,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from "graphql";
import type { GraphQLContext } from "../context";

/** How a subscription field sorts its subscribers into audiences for one event. */
export type EventAudience = (context: never, payload: never) => string;

/**
 * A field's `extensions` as sharing reads them. `"all"`: the value is the same for every viewer (given the
 * parent object); no resolver behind it reads the viewer, directly or through a loader. `"audience"`: the
 * same for every viewer in the event's audience, where a subscription field's `audience` covers it.
 */
export interface SharingExtensions {
  sharing?: "all" | "audience";
  /** On a subscription field: who shares an event's result, and where in it the audience applies. */
  audience?: {
    of: EventAudience;
    /** Paths inside the field's result (field names joined by "."; "" for the result itself). */
    covers: readonly string[];
  };
}

/** Declares a subscription field's event audience (typed by the context and payload it reads). */
export function eventAudience<C, P>(
  of: (context: C, payload: P) => string,
  covers: readonly string[],
): NonNullable<SharingExtensions["audience"]> {
  return { of: of as EventAudience, covers };
}

const sharingOf = (field: GraphQLField<unknown, unknown>): SharingExtensions => field.extensions as SharingExtensions;

/** What the analysis reads off a schema's fields, once per schema. */
interface SchemaSharing {
  /** Response paths (root field names joined by ".") where audience-dependent fields are covered. */
  audienceAt: Map<string, EventAudience>;
  /** The audience of each subscription field that declares one. */
  audiences: Map<string, EventAudience>;
}

const schemaSharing = new WeakMap<GraphQLSchema, SchemaSharing>();

function sharingFor(schema: GraphQLSchema): SchemaSharing {
  let found = schemaSharing.get(schema);
  if (found) return found;
  found = { audienceAt: new Map(), audiences: new Map() };
  for (const [name, field] of Object.entries(schema.getSubscriptionType()?.getFields() ?? {})) {
    const audience = sharingOf(field).audience;
    if (!audience) continue;
    found.audiences.set(name, audience.of);
    for (const path of audience.covers) found.audienceAt.set(path ? `${name}.${path}` : name, audience.of);
  }
  schemaSharing.set(schema, found);
  return found;
}

interface Verdict {
  shareable: boolean;
  /** Set when some field depends on the audience. */
  audience?: EventAudience;
}

/**
 * Whether every field the selection reaches (through fragments too) is declared `sharing: "all"`, or
 * `sharing: "audience"` at a path its subscription field's audience covers; `audience.used` records the latter.
 */
function selectionIsShareable(
  schema: GraphQLSchema,
  typeName: string,
  selectionSet: SelectionSetNode,
  fragments: Map<string, FragmentDefinitionNode>,
  path: string,
  audience: { used: boolean; fragments: Map<string, { ok: boolean; used: boolean }> },
): boolean {
  const type = schema.getType(typeName);
  if (!type || !isObjectType(type)) return false;
  const coveredHere = sharingFor(schema).audienceAt.has(path);
  for (const selection of selectionSet.selections) {
    // Only @include/@skip, whose outcome the variables (part of the sharing key) decide.
    if (selection.directives?.some((d) => d.name.value !== "include" && d.name.value !== "skip")) return false;
    if (selection.kind === Kind.FIELD) {
      const name = selection.name.value;
      if (name === "__typename") continue;
      const field = type.getFields()[name];
      if (!field) return false;
      const sharing = sharingOf(field).sharing;
      if (sharing === "audience" && coveredHere) audience.used = true;
      else if (sharing !== "all") return false;
      const named = getNamedType(field.type);
      if (selection.selectionSet) {
        if (isAbstractType(named)) return false;
        const inner = path ? `${path}.${name}` : name;
        if (!selectionIsShareable(schema, named.name, selection.selectionSet, fragments, inner, audience)) return false;
      }
    } else {
      const fragment = selection.kind === Kind.FRAGMENT_SPREAD ? fragments.get(selection.name.value) : selection;
      if (!fragment) return false;
      const condition = fragment.typeCondition?.name.value ?? typeName;
      if (condition !== typeName) return false;
      if (selection.kind === Kind.INLINE_FRAGMENT) {
        if (!selectionIsShareable(schema, typeName, fragment.selectionSet, fragments, path, audience)) return false;
        continue;
      }
      // A named fragment is judged once per path: spreads of spreads must not cost exponential time.
      const memoKey = `${selection.name.value}@${path}`;
      let memo = audience.fragments.get(memoKey);
      if (!memo) {
        const inner = { used: false, fragments: audience.fragments };
        const ok = selectionIsShareable(schema, typeName, fragment.selectionSet, fragments, path, inner);
        memo = { ok, used: inner.used };
        audience.fragments.set(memoKey, memo);
      }
      if (!memo.ok) return false;
      if (memo.used) audience.used = true;
    }
  }
  return true;
}

const verdicts = new WeakMap<GraphQLSchema, Map<string, Verdict>>();
const MAX_VERDICTS = 1000;

/** How subscribers of one operation share its events' results. */
export interface SharedEventPlan {
  /** The operation and its variables. */
  key: string;
  /** When some field depends on who asks: the event's audience for a subscriber, added to the key. */
  audience?: EventAudience;
}

/**
 * How subscribers of this operation may share each event's result, or null when the operation must run
 * per subscriber. `query` is the operation's text (verdicts are remembered by it).
 */
export function sharedEventKey(
  schema: GraphQLSchema,
  document: DocumentNode,
  query: string,
  operationName: string | null | undefined,
  variables: Record<string, unknown> | null | undefined,
): SharedEventPlan | null {
  const verdictKey = `${operationName ?? ""}\u0000${query}`;
  let known = verdicts.get(schema);
  if (!known) {
    known = new Map();
    verdicts.set(schema, known);
  }
  let verdict = known.get(verdictKey);
  if (verdict === undefined) {
    verdict = documentVerdict(schema, document, operationName);
    if (known.size >= MAX_VERDICTS) known.clear();
    known.set(verdictKey, verdict);
  }
  if (!verdict.shareable) return null;
  const key = `${verdictKey}\u0000${JSON.stringify(variables ?? {})}`;
  return verdict.audience ? { key, audience: verdict.audience } : { key };
}

function documentVerdict(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
): Verdict {
  const no = { shareable: false };
  const operations = document.definitions.filter(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  );
  const operation = operationName
    ? operations.find((o) => o.name?.value === operationName)
    : operations.length === 1
      ? operations[0]
      : undefined;
  const subscriptionType = schema.getSubscriptionType();
  if (operation?.operation !== "subscription" || !subscriptionType) return no;
  if (operation.directives?.length) return no;
  const fragments = new Map(
    document.definitions
      .filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION)
      .map((f) => [f.name.value, f]),
  );
  const audience = { used: false, fragments: new Map<string, { ok: boolean; used: boolean }>() };
  if (!selectionIsShareable(schema, subscriptionType.name, operation.selectionSet, fragments, "", audience)) return no;
  if (!audience.used) return { shareable: true };
  // Audience-keyed fields need the root field's audience function (a subscription has one root field).
  const roots = new Set<string>();
  const visited = new Set<string>();
  const collect = (set: SelectionSetNode) => {
    for (const s of set.selections) {
      if (s.kind === Kind.FIELD) roots.add(s.name.value);
      else if (s.kind === Kind.INLINE_FRAGMENT) collect(s.selectionSet);
      else if (!visited.has(s.name.value)) {
        visited.add(s.name.value);
        collect(fragments.get(s.name.value)!.selectionSet);
      }
    }
  };
  collect(operation.selectionSet);
  const [root] = roots;
  const fn = roots.size === 1 && root ? sharingFor(schema).audiences.get(root) : undefined;
  return fn ? { shareable: true, audience: fn } : no;
}

/** Context keys a field declared `sharing: "all"` may read: none of them depends on who asks. */
// `locale` too: shared executions are keyed by the reader's language (a deleted user's name is localized).
const viewerFree: ReadonlySet<string> = new Set<keyof GraphQLContext>(["db", "settings", "bus", "leadFeed", "locale"]);
/** Pothos keys its per-request caches (node loaders) by this, or by the context itself. */
const contextCacheSymbol = Symbol.for("Pothos.contextCache");

/** Contexts whose operation is executed once for many subscribers (see shared-subscriptions.ts). */
const sharedContexts = new WeakSet<object>();

/** Marks a context as executing events shared by many subscribers: its `sharing: "all"` fields see no viewer. */
export function markSharedExecution(context: object): void {
  sharedContexts.add(context);
}

/**
 * The context a `sharing: "all"` field sees in a shared execution: the request-independent parts pass
 * through, and reading anything else (viewer, permissions, token, request id, logger, events…) throws,
 * naming the field. Per-request caches (Pothos loaders, `contextLoader`) still find the real context's.
 */
function viewerlessContext(context: object, coordinate: string): object {
  const refuse = (key: string): never => {
    throw new Error(
      `${coordinate} is declared sharing "all" but read the context's "${key}" in a shared execution` +
        " (itself, or through a loader it created)",
    );
  };
  return new Proxy(context, {
    get(target, key, receiver) {
      if (key === contextCacheSymbol) return (Reflect.get(target, key) as object | undefined) ?? target;
      if (typeof key === "symbol" || viewerFree.has(key)) return Reflect.get(target, key, receiver);
      return refuse(key);
    },
    has(target, key) {
      if (typeof key === "symbol" || viewerFree.has(key)) return Reflect.has(target, key);
      return refuse(key);
    },
    set(_target, key) {
      return refuse(String(key));
    },
  });
}

/**
 * Checks every field's sharing declaration and wraps the resolvers of fields declared `sharing: "all"` so
 * that, in a shared execution, they resolve with a viewer-less context. Returns the schema, changed in place.
 */
export function guardSharedFields(schema: GraphQLSchema): GraphQLSchema {
  const subscription = schema.getSubscriptionType();
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || isIntrospectionType(type)) continue;
    for (const field of Object.values(type.getFields())) {
      const coordinate = `${type.name}.${field.name}`;
      const { sharing, audience } = sharingOf(field);
      if (sharing !== undefined && sharing !== "all" && sharing !== "audience")
        throw new Error(`${coordinate}: unknown sharing ${JSON.stringify(sharing)}`);
      if (audience) checkAudience(coordinate, field, type === subscription && sharing === "all");
      if (sharing !== "all") continue;
      const resolve: GraphQLFieldResolver<unknown, object> = field.resolve ?? defaultFieldResolver;
      field.resolve = (parent, args, context: object, info) =>
        resolve(parent, args, sharedContexts.has(context) ? viewerlessContext(context, coordinate) : context, info);
    }
  }
  return schema;
}

/** An audience belongs on a shared subscription field, and each path it covers names fields that exist. */
function checkAudience(coordinate: string, field: GraphQLField<unknown, unknown>, ok: boolean): void {
  if (!ok) throw new Error(`${coordinate}: an event audience belongs on a subscription field declared sharing "all"`);
  for (const path of sharingOf(field).audience!.covers) {
    let type = getNamedType(field.type);
    for (const step of path ? path.split(".") : []) {
      const next = isObjectType(type) ? type.getFields()[step] : undefined;
      if (!next) throw new Error(`${coordinate}: the audience covers "${path}", which the schema has not`);
      type = getNamedType(next.type);
    }
  }
}
