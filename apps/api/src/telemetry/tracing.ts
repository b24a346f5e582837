// OpenTelemetry traces: a span per GraphQL operation (@envelop/opentelemetry, over HTTP and WebSocket), a span
// per resolver that is not a plain property read (the batched loaders' fields among them) and a span per SQL
// statement, child of the operation it ran for. Exported over OTLP as the standard OTEL_* variables say.

import { useOnResolve } from "@envelop/on-resolve";
import { getCurrentOtelContext, useOpenTelemetry } from "@envelop/opentelemetry";
import { context, SpanKind, SpanStatusCode, type Tracer, trace } from "@opentelemetry/api";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-proto";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { BatchSpanProcessor, SimpleSpanProcessor, type SpanExporter } from "@opentelemetry/sdk-trace-base";
import { NodeTracerProvider } from "@opentelemetry/sdk-trace-node";
import type { Plugin } from "graphql-yoga";
import { observeStatements, statementKind } from "./sql-statements";

export interface Tracing {
  /** Envelop plugins for the GraphQL app. */
  plugins: Plugin[];
  /** Flushes what is buffered and stops. */
  shutdown(): Promise<void>;
}

/** Tracing is on when an OTLP endpoint is configured (or OTEL_TRACES_EXPORTER=otlp), unless OTEL_SDK_DISABLED. */
type OtelVariable =
  | "OTEL_SDK_DISABLED"
  | "OTEL_TRACES_EXPORTER"
  | "OTEL_EXPORTER_OTLP_ENDPOINT"
  | "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT";

export function tracingConfigured(env: Partial<Record<OtelVariable, string | undefined>>): boolean {
  if (env.OTEL_SDK_DISABLED === "true" || env.OTEL_TRACES_EXPORTER === "none") return false;
  return Boolean(
    env.OTEL_EXPORTER_OTLP_ENDPOINT || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT || env.OTEL_TRACES_EXPORTER === "otlp",
  );
}

/** Resolver spans without arguments: an argument may be a password. Parents are the operation's span. */
function useResolverSpans(tracer: Tracer): Plugin {
  return useOnResolve(
    ({ info, context: graphqlContext }) => {
      const span = tracer.startSpan(
        `${info.parentType.name}.${info.fieldName}`,
        { attributes: { "graphql.field.name": info.fieldName, "graphql.field.type": info.parentType.name } },
        getCurrentOtelContext(graphqlContext),
      );
      return ({ result }) => {
        if (result instanceof Error) span.setStatus({ code: SpanStatusCode.ERROR, message: result.message });
        span.end();
      };
    },
    { skipDefaultResolvers: true },
  ) as Plugin;
}

/**
 * Registers a tracer provider for the process (spans follow the async context) exporting to `exporter`, by
 * default the OTLP exporter, which reads OTEL_EXPORTER_OTLP_* itself. `batch: false` exports each span at once.
 */
export function startTracing(
  options: { exporter?: SpanExporter; batch?: boolean; serviceName?: string } = {},
): Tracing {
  const exporter = options.exporter ?? new OTLPTraceExporter();
  const processor = options.batch === false ? new SimpleSpanProcessor(exporter) : new BatchSpanProcessor(exporter);
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ "service.name": options.serviceName ?? "wenzhou-chambers-api" }),
    spanProcessors: [processor],
  });
  provider.register();
  const tracer = provider.getTracer("wenzhou-chambers");

  const stopObserving = observeStatements((sql) => {
    const kind = statementKind(sql);
    const span = tracer.startSpan(
      `SQL ${kind}`,
      {
        kind: SpanKind.CLIENT,
        attributes: { "db.system.name": "postgresql", "db.operation.name": kind, "db.query.text": sql },
      },
      context.active(),
    );
    return (error) => {
      if (error) {
        span.recordException(error instanceof Error ? error : String(error));
        span.setStatus({ code: SpanStatusCode.ERROR });
      }
      span.end();
    };
  });

  return {
    plugins: [
      useOpenTelemetry(
        { resolvers: false, variables: false, result: false },
        provider,
        SpanKind.SERVER,
        {},
        "graphql",
      ) as Plugin,
      useResolverSpans(tracer),
    ],
    shutdown: async () => {
      stopObserving();
      await provider.shutdown();
      trace.disable();
      context.disable();
    },
  };
}
