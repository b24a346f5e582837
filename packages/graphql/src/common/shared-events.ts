// Shared execution of subscription events. A lead posted to the federation reaches thousands of
// subscribers; most ask for the same selection, and most selections (title, kind, the posting chamber's
// name…) read the same for every subscriber allowed to receive the event. Such an operation is executed
// once per event and the one result is handed to every subscriber.
//
// What reads the same for every viewer is declared next to each type's definition, with
// `viewerIndependentFields`. What reads the same for every viewer in the same *audience* of an event (the
// poster's contact fields: everyone with the same access to the poster) is declared, at its paths only,
// with `audienceDependentFields`, and the subscription field names each subscriber's audience with
// `eventAudience`; such operations are shared per audience. A field declared neither way (a lead's
// answers, which depend on who each subscriber is) makes the whole operation run per subscriber, as usual.
// Whether a subscriber receives an event at all is still decided per subscriber, by its own stream.
import {
  createSourceEventStream,
  execute,
  getNamedType,
  isAbstractType,
  isObjectType,
  Kind,
  type DocumentNode,
  type ExecutionArgs,
  type ExecutionResult,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from "graphql";

const independent = new Map<string, Set<string>>();
/** Field names allowed at a response path (root field names joined by "."), keyed by the event's audience. */
const byAudience = new Map<string, Set<string>>();
/** How a subscription field sorts its subscribers into audiences for one event. */
export type EventAudience = (context: never, payload: never) => string;
const audiences = new Map<string, EventAudience>();

/**
 * Declares fields of `typeName` whose value is the same for every viewer (given the parent object): no
 * resolver behind them reads the viewer, directly or through a loader. `__typename` always is.
 */
export function viewerIndependentFields(typeName: string, fields: readonly string[]): void {
  const set = independent.get(typeName) ?? new Set<string>();
  for (const f of fields) set.add(f);
  independent.set(typeName, set);
}

/**
 * Declares fields that depend on the viewer only through what the subscription field's `audience` function
 * (see `eventAudience`) returns for the viewer and the event, and only at these paths: e.g. the poster's
 * contact fields at `leadPosted.postedBy`, which read the same for every viewer with the same access to
 * that poster. The same field reached by any other path is not shareable.
 */
export function audienceDependentFields(paths: readonly string[], fields: readonly string[]): void {
  for (const path of paths) {
    const set = byAudience.get(path) ?? new Set<string>();
    for (const f of fields) set.add(f);
    byAudience.set(path, set);
  }
}

/** Names the audience of a subscription field's events: subscribers with the same audience share results. */
export function eventAudience<C, P>(subscriptionField: string, audience: (context: C, payload: P) => string): void {
  audiences.set(subscriptionField, audience as EventAudience);
}

interface Verdict {
  shareable: boolean;
  /** Set when some field depends on the audience. */
  audience?: EventAudience;
}

/**
 * Whether every field the selection reaches (through fragments too) is declared viewer-independent, or
 * audience-dependent at its path; `audience.used` records the latter.
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
  const allowed = independent.get(typeName);
  const allowedHere = byAudience.get(path);
  for (const selection of selectionSet.selections) {
    // Only @include/@skip, whose outcome the variables (part of the sharing key) decide.
    if (selection.directives?.some((d) => d.name.value !== "include" && d.name.value !== "skip")) return false;
    if (selection.kind === Kind.FIELD) {
      const name = selection.name.value;
      if (name === "__typename") continue;
      const field = type.getFields()[name];
      if (!field) return false;
      if (allowedHere?.has(name)) audience.used = true;
      else if (!allowed?.has(name)) return false;
      const named = getNamedType(field.type);
      if (selection.selectionSet) {
        if (isAbstractType(named)) return false;
        if (!selectionIsShareable(schema, named.name, selection.selectionSet, fragments, path ? `${path}.${name}` : name, audience)) return false;
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
        memo = { ok: selectionIsShareable(schema, typeName, fragment.selectionSet, fragments, path, inner), used: false };
        memo.used = inner.used;
        audience.fragments.set(memoKey, memo);
      }
      if (!memo.ok) return false;
      if (memo.used) audience.used = true;
    }
  }
  return true;
}

const verdicts = new Map<string, Verdict>();
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
  let verdict = verdicts.get(verdictKey);
  if (verdict === undefined) {
    verdict = documentVerdict(schema, document, operationName);
    if (verdicts.size >= MAX_VERDICTS) verdicts.clear();
    verdicts.set(verdictKey, verdict);
  }
  if (!verdict.shareable) return null;
  const key = `${verdictKey}\u0000${JSON.stringify(variables ?? {})}`;
  return verdict.audience ? { key, audience: verdict.audience } : { key };
}

function documentVerdict(schema: GraphQLSchema, document: DocumentNode, operationName: string | null | undefined): Verdict {
  const no = { shareable: false };
  const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  const operation = operationName ? operations.find((o) => o.name?.value === operationName) : operations.length === 1 ? operations[0] : undefined;
  const subscriptionType = schema.getSubscriptionType();
  if (!operation || operation.operation !== "subscription" || !subscriptionType) return no;
  if (operation.directives?.length) return no;
  const fragments = new Map(
    document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((f) => [f.name.value, f]),
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
  const fn = roots.size === 1 && root ? audiences.get(root) : undefined;
  return fn ? { shareable: true, audience: fn } : no;
}

/** What the server does to every result's errors (yoga's masking), applied to shared results too. */
export type ResultMasker = (result: ExecutionResult) => ExecutionResult;

interface SharedResult {
  result: Promise<ExecutionResult>;
  json?: Promise<string>;
}

/** Results per event payload (the same object for every subscriber of one event), then per sharing key. */
const results = new WeakMap<object, Map<string, SharedResult>>();

/**
 * Subscribes like graphql-js, but executes each event once per sharing key (the operation, its variables
 * and, where the plan says so, the subscriber's audience for the event): the first subscriber to reach
 * an event executes it (with its own context), its errors masked as the server masks every error, and the
 * others receive the same result. Events must be objects shared between subscribers to save anything.
 *
 * With `send`, each result is serialised once too and handed to `send` as JSON, in order, and the returned
 * iterable yields nothing: it ends when the stream ends or is returned, and throws what the stream throws.
 *
 * Resolves null when the subscription fails to start: the caller then subscribes the ordinary way, so the
 * error is reported (and masked) exactly as it would be otherwise.
 */
export async function subscribeShared(
  args: ExecutionArgs,
  plan: SharedEventPlan,
  mask: ResultMasker,
  send?: (resultJson: string) => void,
): Promise<AsyncIterable<ExecutionResult> | null> {
  const stream = await createSourceEventStream(args);
  if (!(Symbol.asyncIterator in stream)) return null;
  const source = stream[Symbol.asyncIterator]();
  // graphql-js `execute` on a subscription operation is the spec's ExecuteSubscriptionEvent.
  const run = async (payload: unknown): Promise<ExecutionResult> => mask(await execute({ ...args, rootValue: payload }));
  const shared = (payload: unknown): SharedResult => {
    if (typeof payload !== "object" || payload === null) return { result: run(payload) };
    let byKey = results.get(payload);
    if (!byKey) results.set(payload, (byKey = new Map()));
    const key = plan.audience ? `${plan.key}\u0000${plan.audience(args.contextValue as never, payload as never)}` : plan.key;
    let entry = byKey.get(key);
    if (!entry) byKey.set(key, (entry = { result: run(payload) }));
    return entry;
  };
  const done = { done: true, value: undefined } as const;
  let pumped: Promise<IteratorResult<ExecutionResult>> | undefined;
  let stopped = false;
  const pump = async (deliver: (json: string) => void): Promise<IteratorResult<ExecutionResult>> => {
    for (;;) {
      const next = await source.next();
      if (next.done) return done;
      const entry = shared(next.value);
      const json = await (entry.json ??= entry.result.then((r) => JSON.stringify(r)));
      if (stopped) return done; // completed while this event was being executed: send nothing more
      deliver(json);
    }
  };
  const iterator: AsyncIterableIterator<ExecutionResult> = {
    [Symbol.asyncIterator]: () => iterator,
    next: send
      ? () => (pumped ??= pump(send))
      : async () => {
          const next = await source.next();
          return next.done ? done : { done: false, value: await shared(next.value).result };
        },
    return: async () => {
      stopped = true;
      await source.return?.();
      return done;
    },
    throw: async (error: unknown) => {
      if (source.throw) await source.throw(error);
      throw error;
    },
  };
  return iterator;
}
