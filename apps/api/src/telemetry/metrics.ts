// Prometheus metrics for GET /metrics: yoga's Prometheus plugin for operations (HTTP and WebSocket alike, as
// both run through yoga's envelop), plus WebSocket connections and subscriptions, the lead feed's lag and the
// database's statements in flight against the pool size. One registry per server, so tests can run several.

import { timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { createCounter, usePrometheus } from "@graphql-yoga/plugin-prometheus";
import { type Database, leadEventTable } from "@wz/db";
import type { GraphQLContext } from "@wz/graphql";
import { and, gt, max, min } from "drizzle-orm";
import type { ServerOptions } from "graphql-ws";
import type { Plugin } from "graphql-yoga";
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";
import { observeStatements, statementKind } from "./sql-statements";

export interface MetricsOptions {
  db: Database;
  /** When set, /metrics answers only `Authorization: Bearer <token>`. */
  token?: string | undefined;
  /** The postgres.js pool size (PGlite: 1). */
  poolSize: number;
}

export interface ApiMetrics {
  registry: Registry;
  /** Envelop/yoga plugins to run with every operation. */
  plugins: Plugin[];
  /** Wraps graphql-ws server options so connections and subscriptions are counted. */
  // graphql-ws's own generics (connection params, socket extra) vary by server; the wrapper keeps them as given
  // biome-ignore lint/suspicious/noExplicitAny: the bound must accept every instantiation of ServerOptions
  instrumentWebSocket<O extends ServerOptions<any, any>>(options: O): O;
  /** Answers GET /metrics. */
  handle(req: IncomingMessage, res: ServerResponse): void;
  /** Stops observing statements. */
  close(): void;
}

type ErrorLike = { extensions?: Record<string, unknown>; originalError?: unknown } | undefined;

/** The code a client sees; parse and validation failures come without their error, so by phase. */
function errorCode(error: ErrorLike, phase: string | undefined): string {
  const code = error?.extensions?.code ?? (error?.originalError as { code?: unknown } | undefined)?.code;
  if (typeof code === "string") return code;
  if (phase === "parse") return "GRAPHQL_PARSE_FAILED";
  if (phase === "validate") return "GRAPHQL_VALIDATION_FAILED";
  return "INTERNAL_SERVER_ERROR";
}

export function createApiMetrics(options: MetricsOptions): ApiMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });

  type Phase = "parse" | "validate" | "context" | "execute" | "subscribe";
  const errors = createCounter<Phase, "operationName" | "operationType" | "phase" | "code">({
    registry,
    phases: ["parse", "validate", "context", "execute", "subscribe"],
    counter: {
      name: "graphql_envelop_error_result",
      help: "GraphQL errors by operation, phase and extensions.code",
      labelNames: ["operationName", "operationType", "phase", "code"] as const,
    },
    fillLabelsFn: (params) => ({
      operationName: params.operationName ?? "Anonymous",
      operationType: params.operationType ?? "unknown",
      phase: params.errorPhase ?? "unknown",
      code: errorCode(params.error as ErrorLike, params.errorPhase),
    }),
    shouldObserve: () => true,
  });

  const prometheus = usePrometheus({
    registry,
    endpoint: false,
    // the URL carries the host and port it was reached by; the operation says what was asked
    labels: { url: false },
    skipIntrospection: true,
    metrics: {
      graphql_envelop_request: true,
      graphql_envelop_request_duration: true,
      graphql_envelop_phase_parse: true,
      graphql_envelop_phase_validate: true,
      graphql_envelop_phase_execute: true,
      graphql_envelop_phase_subscribe: true,
      graphql_envelop_error_result: errors,
      graphql_yoga_http_duration: true,
    },
  });

  const connections = new Gauge({
    name: "graphql_ws_connections",
    help: "Open, acknowledged WebSocket connections",
    registers: [registry],
  });
  const subscriptions = new Gauge({
    name: "graphql_ws_subscriptions",
    help: "Subscriptions running over WebSocket",
    registers: [registry],
  });
  const subscriptionsStarted = new Counter({
    name: "graphql_ws_subscriptions_started_total",
    help: "Subscriptions started over WebSocket",
    registers: [registry],
  });

  // postgres.js does not tell how many of its connections are busy: statements in flight is the closest
  const inFlight = new Gauge({
    name: "db_statements_in_flight",
    help: "SQL statements running now",
    registers: [registry],
  });
  const poolSize = new Gauge({ name: "db_pool_size", help: "Connections the pool may open", registers: [registry] });
  poolSize.set(options.poolSize);
  const statementDuration = new Histogram({
    name: "db_statement_duration_seconds",
    help: "SQL statement durations by kind",
    labelNames: ["kind", "outcome"] as const,
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  const stopObserving = observeStatements((sql) => {
    inFlight.inc();
    const stop = statementDuration.startTimer({ kind: statementKind(sql) });
    return (error) => {
      inFlight.dec();
      stop({ outcome: error ? "error" : "ok" });
    };
  });

  // The lead feed's position, learnt by listening to it once a subscription has started; the lag is read at
  // scrape time from the event log: how old the oldest event the feed has not handed out yet is.
  let feedSeq: number | undefined;
  let listening = false;
  const listenToFeed = (context: GraphQLContext) => {
    if (listening) return;
    listening = true;
    void context.leadFeed
      .listen((events) => {
        feedSeq = events[events.length - 1]?.seq ?? feedSeq;
      })
      .then(({ fromSeq }) => {
        feedSeq = Math.max(feedSeq ?? 0, fromSeq);
      })
      .catch(() => {
        listening = false;
      });
  };
  new Gauge({
    name: "lead_feed_lag_seconds",
    help: "Age of the oldest lead event this process's feed has not handed to its subscribers yet (0: none)",
    registers: [registry],
    collect: async function (this: Gauge) {
      if (feedSeq === undefined) return this.set(0);
      const [row] = await options.db
        .select({ oldest: min(leadEventTable.createdAt), last: max(leadEventTable.seq) })
        .from(leadEventTable)
        .where(and(gt(leadEventTable.seq, feedSeq)));
      this.set(row?.oldest ? Math.max(0, (Date.now() - new Date(row.oldest).getTime()) / 1000) : 0);
    },
  });

  const feedPlugin: Plugin = {
    onSubscribe({ args }) {
      listenToFeed(args.contextValue as unknown as GraphQLContext);
    },
  };

  const counted = new WeakSet<object>();
  const expected = options.token ? Buffer.from(`Bearer ${options.token}`) : undefined;

  return {
    registry,
    plugins: [prometheus, feedPlugin],
    instrumentWebSocket: (ws) => ({
      ...ws,
      onConnect: async (ctx) => {
        const accepted = ws.onConnect ? await ws.onConnect(ctx) : true;
        if (accepted !== false) {
          counted.add(ctx);
          connections.inc();
        }
        return accepted;
      },
      onClose: async (ctx, code, reason) => {
        if (counted.delete(ctx)) connections.dec();
        await ws.onClose?.(ctx, code, reason);
      },
      subscribe: async (args) => {
        const result = await (ws.subscribe as (a: typeof args) => unknown)(args);
        if (!result || typeof result !== "object" || !(Symbol.asyncIterator in result)) return result as never;
        return countSubscription(result as AsyncIterableIterator<unknown>) as never;
      },
    }),
    handle: (req, res) => {
      const given = Buffer.from(req.headers.authorization ?? "");
      if (expected && (given.length !== expected.length || !timingSafeEqual(given, expected))) {
        res.writeHead(401, { "www-authenticate": "Bearer", "content-type": "text/plain" }).end("Unauthorized");
        return;
      }
      registry.metrics().then(
        (text) => res.writeHead(200, { "content-type": registry.contentType }).end(text),
        (err: unknown) => res.writeHead(500, { "content-type": "text/plain" }).end(String(err)),
      );
    },
    close: stopObserving,
  };

  /** Counts a running subscription until its iterator finishes, fails or is returned. */
  function countSubscription(source: AsyncIterableIterator<unknown>): AsyncIterableIterator<unknown> {
    subscriptions.inc();
    subscriptionsStarted.inc();
    let open = true;
    const done = () => {
      if (open) subscriptions.dec();
      open = false;
    };
    return {
      [Symbol.asyncIterator]() {
        return this;
      },
      async next() {
        try {
          const step = await source.next();
          if (step.done) done();
          return step;
        } catch (error) {
          done();
          throw error;
        }
      },
      async return(value?: unknown) {
        done();
        return (await source.return?.(value)) ?? { done: true, value: undefined };
      },
      async throw(error?: unknown) {
        done();
        if (source.throw) return source.throw(error);
        throw error;
      },
    };
  }
}
