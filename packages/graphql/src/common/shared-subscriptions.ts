// The subscription engine's shared execution: an operation that reads the same for many subscribers (see
// shared-events.ts for what decides that) executes each event once per sharing key, serialises the result
// once, and writes it to every subscriber's socket as graphql-ws's own `next` frame. The WebSocket server
// (apps/api) only wires `sharedSubscriptions` into graphql-ws's `onSubscribe` and `subscribe`.
import type { ShownContact } from "@wz/core";
import { asSystem } from "@wz/db";
import { createSourceEventStream, type ExecutionArgs, type ExecutionResult, execute } from "graphql";
import type { GraphQLContext, Logger } from "../context";
import { flushContactAccess, withheldResult } from "../privacy/access-log";
import { maskResultErrors } from "../yoga";
import { markSharedExecution, type SharedEventPlan, sharedEventKey } from "./shared-events";

/** What the server does to every result's errors (yoga's masking), applied to shared results too. */
export type ResultMasker = (result: ExecutionResult) => ExecutionResult;

/** The part of a `ws` WebSocket a shared subscription writes to. */
export interface SubscriberSocket {
  readonly readyState: number;
  readonly OPEN: number;
  send(data: string): void;
}

export interface SharedSubscriptions {
  /**
   * In graphql-ws's `onSubscribe`, once the operation's ExecutionArgs are built: remembers, for an operation
   * whose events may be shared, how to key its events and where to write its `next` frames.
   */
  prepare(args: ExecutionArgs, operation: { id: string; query: string; socket: SubscriberSocket }): void;
  /**
   * In graphql-ws's `subscribe`: the shared subscription of a prepared operation (it writes to the socket
   * itself and yields nothing), or null to subscribe the ordinary way.
   */
  subscribe(args: ExecutionArgs): Promise<AsyncIterable<ExecutionResult> | null>;
}

/** Shared execution for one WebSocket server; `logger` receives what masking hides, as for every result. */
export function sharedSubscriptions(logger: Logger, production = false): SharedSubscriptions {
  const mask = maskResultErrors(logger, production);
  const operations = new WeakMap<ExecutionArgs, { plan: SharedEventPlan; send: (resultJson: string) => void }>();
  return {
    prepare(args, { id, query, socket }) {
      const plan = sharedEventKey(args.schema, args.document, query, args.operationName, args.variableValues);
      if (plan === null) return;
      // A shared result goes out as graphql-ws would send it (`next` with the operation's id), serialised
      // once for all its subscribers instead of once each.
      const head = `{"id":${JSON.stringify(id)},"type":"next","payload":`;
      const send = (json: string) => socket.readyState === socket.OPEN && socket.send(`${head}${json}}`);
      operations.set(args, { plan, send });
    },
    subscribe: async (args) => {
      const shared = operations.get(args);
      return shared ? subscribeShared(args, shared.plan, mask, shared.send) : null;
    },
  };
}

interface SharedResult {
  result: Promise<ExecutionResult>;
  /** The contact values the execution showed, for each subscriber's own access entries. */
  shown: Promise<readonly ShownContact[]>;
  json?: Promise<string>;
}

/** Results per event payload (the same object for every subscriber of one event), then per sharing key. */
const results = new WeakMap<object, Map<string, SharedResult>>();

/**
 * Subscribes like graphql-js, but executes each event once per sharing key (the operation, its variables
 * and, where the plan says so, the subscriber's audience for the event): the first subscriber to reach
 * an event executes it (with its own context, of which `sharing: "all"` fields see no viewer), its errors
 * masked as the server masks every error, and the others receive the same result. Events must be objects
 * shared between subscribers to save anything.
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
  // one execution for many viewers (it reads nothing of any one of them): in the system scope, not the first
  // subscriber's
  const stream = await asSystem(() => createSourceEventStream(args));
  if (!(Symbol.asyncIterator in stream)) return null;
  const source = stream[Symbol.asyncIterator]();
  const context = args.contextValue;
  if (typeof context === "object" && context !== null) markSharedExecution(context);
  const access = (context as Partial<GraphQLContext> | null)?.access ? (context as GraphQLContext) : null;
  // graphql-js `execute` on a subscription operation is the spec's ExecuteSubscriptionEvent. What it shows of
  // contact fields is captured without a viewer: each subscriber records it as theirs when it is delivered.
  const run = (payload: unknown): Pick<SharedResult, "result" | "shown"> => {
    const executed = async () => mask(await asSystem(() => execute({ ...args, rootValue: payload })));
    if (!access) return { result: executed(), shown: Promise.resolve([]) };
    const captured = access.access.capture(executed);
    return { result: captured.then((c) => c.value), shown: captured.then((c) => c.shown) };
  };
  /** This subscriber's access entries for a result it is about to receive; false when they could not be written. */
  const recorded = async (entry: SharedResult): Promise<boolean> => {
    if (!access) return true;
    access.access.replay(access.permissions.viewer, await entry.shown);
    return flushContactAccess(access, "SUBSCRIPTION");
  };
  const shared = (payload: unknown): SharedResult => {
    if (typeof payload !== "object" || payload === null) return run(payload);
    let byKey = results.get(payload);
    if (!byKey) {
      byKey = new Map();
      results.set(payload, byKey);
    }
    // per language too: a field may be worded for the reader ("deleted user")
    const locale = (context as { locale?: string } | null)?.locale ?? "";
    const key = plan.audience
      ? `${plan.key}\u0000${locale}\u0000${plan.audience(context as never, payload as never)}`
      : `${plan.key}\u0000${locale}`;
    let entry = byKey.get(key);
    if (!entry) {
      entry = run(payload);
      byKey.set(key, entry);
    }
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
      entry.json ??= entry.result.then((r) => JSON.stringify(r));
      const json = await entry.json;
      if (stopped) return done; // completed while this event was being executed: send nothing more
      deliver((await recorded(entry)) ? json : JSON.stringify(mask(withheldResult())));
    }
  };
  const iterator: AsyncIterableIterator<ExecutionResult> = {
    [Symbol.asyncIterator]: () => iterator,
    next: send
      ? () => (pumped ??= pump(send))
      : async () => {
          const next = await source.next();
          if (next.done) return done;
          const entry = shared(next.value);
          const value = await entry.result;
          return { done: false, value: (await recorded(entry)) ? value : mask(withheldResult()) };
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
