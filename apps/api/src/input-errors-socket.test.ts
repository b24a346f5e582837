// Over a WebSocket, bad input is coded and placed as over HTTP: a bad Date variable, an unknown enum literal, a
// malformed global id in a subscription's argument and an over-limit page all answer BAD_USER_INPUT with the
// argument path (graphql-ws delivers validation errors as an `error` message, the rest as a result).
import { seed, startTestServer, type TestServer, testServerDefaults } from "@wz/testkit";
import type { Client } from "graphql-ws";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ApiServer, createApiServer } from "./server";

let harness: TestServer<ApiServer>;
let socket: Client;
beforeAll(async () => {
  harness = await startTestServer((db) => createApiServer({ ...testServerDefaults, database: db }));
  const staff = await seed(harness.database.db).federationStaff();
  socket = harness.connect(staff.token);
});
afterAll(() => harness?.close());

type Errors = { message: string; extensions?: Record<string, unknown> }[];

/** The errors an operation ends with, whether sent as a result or as graphql-ws's `error` message. */
function errorsOf(query: string, variables: Record<string, unknown> = {}): Promise<Errors> {
  return new Promise((resolve, reject) => {
    let errors: Errors = [];
    socket.subscribe(
      { query, variables },
      {
        next: (result) => {
          errors = [...errors, ...((result.errors ?? []) as Errors)];
        },
        error: (error) => (Array.isArray(error) ? resolve(error as Errors) : reject(error)),
        complete: () => resolve(errors),
      },
    );
  });
}

describe("coded bad input over a WebSocket", () => {
  it("a bad Date variable of a query", async () => {
    const errors = await errorsOf(
      `query ($from: Date) { auditLog(first: 5, filter: { from: $from }) { totalCount } }`,
      {
        from: "2014-13-01",
      },
    );
    expect(errors).toHaveLength(1);
    expect(errors[0]?.extensions).toMatchObject({
      code: "BAD_USER_INPUT",
      field: "auditLog",
      argumentPath: ["filter", "from"],
    });
  });

  it("an unknown enum literal", async () => {
    const errors = await errorsOf(`subscription { leadPosted(filter: { kinds: [NOPE] }) { id } }`);
    expect(errors[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", argumentPath: ["filter", "kinds", "0"] });
  });

  it("a bad enum variable and a malformed global id of a subscription", async () => {
    const kinds = await errorsOf(
      `subscription ($kinds: [LeadKind!]) { leadPosted(filter: { kinds: $kinds }) { id } }`,
      {
        kinds: ["NOPE"],
      },
    );
    expect(kinds[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "leadPosted" });
    const id = await errorsOf(`subscription ($id: ID) { leadUpdated(leadId: $id) { id } }`, { id: "abc" });
    expect(id).toHaveLength(1);
    expect(id[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "leadUpdated", argumentPath: ["leadId"] });
  });

  it("a page over the limit", async () => {
    const errors = await errorsOf(`{ chambers(first: 500) { totalCount } }`);
    expect(errors[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", argumentPath: ["first"] });
  });
});
