// Traces, caught by an in-memory exporter: one GraphQL request gives an operation span whose children include
// a span per SQL statement it ran, and resolver spans carry no arguments (a password is an argument).
import { InMemorySpanExporter, type ReadableSpan } from "@opentelemetry/sdk-trace-base";
import { seed, startTestServer, type TestServer, testServerDefaults } from "@wz/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ApiServer, createApiServer } from "../server";
import { startTracing, type Tracing, tracingConfigured } from "./tracing";

const exporter = new InMemorySpanExporter();
let tracing: Tracing;
let harness: TestServer<ApiServer>;

beforeAll(async () => {
  tracing = startTracing({ exporter, batch: false });
  harness = await startTestServer((database) =>
    createApiServer({ ...testServerDefaults, database, plugins: tracing.plugins }),
  );
});
afterAll(async () => {
  await harness.close();
  await tracing.shutdown();
});

const parentOf = (span: ReadableSpan) => span.parentSpanContext?.spanId;

describe("traces", () => {
  it("one request: an operation span with child spans for its SQL statements and resolvers", async () => {
    const staff = await seed(harness.database.db).federationStaff();
    await seed(harness.database.db).chamber({ name: "上海温州商会" });
    exporter.reset();
    const data = await harness.graphql(
      "query Chambers { federation { name } chambers(first: 5) { totalCount edges { node { name } } } }",
      {},
      staff.token,
    );
    expect(data.chambers.totalCount).toBeGreaterThan(0);

    const spans = exporter.getFinishedSpans();
    const operation = spans.find((s) => s.name === "query.Chambers");
    expect(operation, spans.map((s) => s.name).join(", ")).toBeDefined();
    const id = operation!.spanContext().spanId;
    const trace = operation!.spanContext().traceId;
    const sql = spans.filter((s) => s.name.startsWith("SQL ") && parentOf(s) === id);
    expect(sql.length).toBeGreaterThanOrEqual(2);
    for (const span of sql) {
      expect(span.spanContext().traceId).toBe(trace);
      expect(span.attributes["db.system.name"]).toBe("postgresql");
      expect(String(span.attributes["db.query.text"])).toMatch(/^\s*(select|with)\b/i);
      // each statement lies within the operation
      expect(span.startTime[0] * 1e9 + span.startTime[1]).toBeGreaterThanOrEqual(
        operation!.startTime[0] * 1e9 + operation!.startTime[1],
      );
    }
    const resolvers = spans.filter((s) => parentOf(s) === id && !s.name.startsWith("SQL "));
    expect(resolvers.map((s) => s.name)).toEqual(expect.arrayContaining(["Query.federation", "Query.chambers"]));
    for (const span of resolvers) expect(Object.keys(span.attributes)).not.toContain("graphql.resolver.args");
  });

  it("is off unless an OTLP endpoint or exporter is configured", () => {
    expect(tracingConfigured({})).toBe(false);
    expect(tracingConfigured({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://127.0.0.1:4318" })).toBe(true);
    expect(tracingConfigured({ OTEL_TRACES_EXPORTER: "otlp" })).toBe(true);
    const disabled = { OTEL_EXPORTER_OTLP_ENDPOINT: "http://127.0.0.1:4318", OTEL_SDK_DISABLED: "true" } as const;
    expect(tracingConfigured(disabled)).toBe(false);
  });
});
