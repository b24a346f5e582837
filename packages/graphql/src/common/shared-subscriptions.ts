// The subscription engine's shared execution: an operation that reads the same for many subscribers (see
// shared-events.ts for what decides that) executes each event once per sharing key, serialises the result
// once, and writes it to every subscriber's socket as graphql-ws's own `next` frame. The WebSocket server
// (apps/api) only wires `sharedSubscriptions` into graphql-ws's `onSubscribe` and `subscribe`.
import { createSourceEventStream, type ExecutionArgs, type ExecutionResult, execute } from "graphql";
import type { Logger } from "../context";
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
  const stream = await createSourceEventStream(args);
  if (!(Symbol.asyncIterator in stream)) return null;
  const source = stream[Symbol.asyncIterator]();
  const context = args.contextValue;
  if (typeof context === "object" && context !== null) markSharedExecution(context);
  // graphql-js `execute` on a subscription operation is the spec's ExecuteSubscriptionEvent.
  const run = async (payload: unknown): Promise<ExecutionResult> =>
    mask(await execute({ ...args, rootValue: payload }));
  const shared = (payload: unknown): SharedResult => {
    if (typeof payload !== "object" || payload === null) return { result: run(payload) };
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
      entry = { result: run(payload) };
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
