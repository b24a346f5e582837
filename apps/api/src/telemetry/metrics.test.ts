// GET /metrics scraped after real operations over HTTP and WebSocket: the counters move, with the labels a
// dashboard would group by; the endpoint refuses a scrape without its token.
import { seed, startTestServer, type TestServer, testServerDefaults, wsExecute, wsSubscribe } from "@wz/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ApiServer, createApiServer } from "../server";
import { createApiMetrics } from "./metrics";

const TOKEN = "scrape-token-0123456789";
let harness: TestServer<ApiServer>;

beforeAll(async () => {
  harness = await startTestServer((database) =>
    createApiServer({
      ...testServerDefaults,
      database,
      metrics: createApiMetrics({ db: database.db, token: TOKEN, poolSize: 1 }),
    }),
  );
});
afterAll(() => harness.close());

async function scrape(): Promise<string> {
  const response = await fetch(`${harness.base}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toMatch(/^text\/plain/);
  return response.text();
}

/** The value of one series, `name{label="…",…}` with the labels in any order; 0 when absent. */
function value(text: string, name: string, labels: Record<string, string> = {}): number {
  for (const line of text.split("\n")) {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const present = new Map([...(match[2] ?? "").matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1], m[2]]));
    if (Object.entries(labels).every(([k, v]) => present.get(k) === v)) return Number(match[3]);
  }
  return 0;
}

async function post(query: string, token?: string) {
  const response = await fetch(`${harness.base}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query }),
  });
  return (await response.json()) as { errors?: { extensions?: { code?: string } }[] };
}

describe("GET /metrics", () => {
  it("refuses a scrape without the token", async () => {
    expect((await fetch(`${harness.base}/metrics`)).status).toBe(401);
    const wrong = await fetch(`${harness.base}/metrics`, { headers: { authorization: "Bearer wrong" } });
    expect(wrong.status).toBe(401);
  });

  it("counts operations, durations and errors by code over HTTP", async () => {
    await seed(harness.database.db).federation();
    const before = await scrape();
    for (let i = 0; i < 3; i++) expect((await post("query Federation { federation { name } }")).errors).toBeUndefined();
    const unauthenticated = await post("query Audit { auditLog(first: 1) { totalCount } }");
    const invalid = await post("query Broken { noSuchField }");
    const after = await scrape();

    const operation = { operationName: "Federation", operationType: "query" };
    const requests = (text: string) => value(text, "graphql_envelop_request", operation);
    expect(requests(after) - requests(before)).toBe(3);
    expect(value(after, "graphql_envelop_request_duration_count", operation)).toBeGreaterThanOrEqual(3);
    const http = { ...operation, statusCode: "200" };
    expect(value(after, "graphql_yoga_http_duration_count", http)).toBeGreaterThanOrEqual(3);
    expect(value(after, "graphql_envelop_phase_execute_count", operation)).toBeGreaterThanOrEqual(3);

    const code = (r: typeof invalid) => r.errors?.[0]?.extensions?.code ?? "INTERNAL_SERVER_ERROR";
    expect(code(invalid)).toBe("GRAPHQL_VALIDATION_FAILED");
    const validation = { phase: "validate", code: "GRAPHQL_VALIDATION_FAILED" };
    expect(value(after, "graphql_envelop_error_result", validation)).toBe(1);
    expect(code(unauthenticated)).toBe("UNAUTHENTICATED");
    const audit = { operationName: "Audit", phase: "execute", code: "UNAUTHENTICATED" };
    expect(value(after, "graphql_envelop_error_result", audit)).toBe(1);

    expect(value(after, "db_statement_duration_seconds_count", { kind: "select", outcome: "ok" })).toBeGreaterThan(0);
    expect(value(after, "db_pool_size")).toBe(1);
    expect(value(after, "db_statements_in_flight")).toBe(0);
    expect(value(after, "process_resident_memory_bytes")).toBeGreaterThan(0);
  });

  it("counts WebSocket connections, operations and subscriptions, and the lead feed's lag", async () => {
    const staff = await seed(harness.database.db).federationStaff();
    const client = harness.connect(staff.token);
    const me = await wsExecute(client, "query WsMe { me { isFederationStaff } }");
    expect(me).toEqual({ data: { me: { isFederationStaff: true } } });
    const feed = wsSubscribe(client, "subscription Posted { leadPosted { id } }");
    await expect.poll(async () => value(await scrape(), "graphql_ws_subscriptions")).toBe(1);
    const open = await scrape();
    expect(value(open, "graphql_ws_connections")).toBe(1);
    expect(value(open, "graphql_ws_subscriptions_started_total")).toBe(1);
    expect(value(open, "graphql_envelop_request", { operationName: "WsMe", operationType: "query" })).toBe(1);
    expect(value(open, "lead_feed_lag_seconds")).toBe(0);
    expect(open).toMatch(/^lead_feed_lag_seconds 0$/m);

    feed.unsubscribe();
    await expect.poll(async () => value(await scrape(), "graphql_ws_subscriptions")).toBe(0);
    await client.dispose();
    await expect.poll(async () => value(await scrape(), "graphql_ws_connections")).toBe(0);
  });
});
