// Bad values are coded and placed: a bad Date, Decimal or enum value, in a literal or a variable, a malformed or
// wrong-type global id, and a page larger than the limit each answer BAD_USER_INPUT with the field and the
// argument path, without suggestions in production; `node` reads a malformed id as a missing one.
import { createTestApi, globalId, seed, type TestApi } from "@wz/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

let api: TestApi;
let production: TestApi;
let staffToken: string;
beforeAll(async () => {
  api = await createTestApi();
  production = await createTestApi({ production: true });
  staffToken = (await seed(api.db.db).federationStaff()).token;
});
afterAll(async () => {
  await api?.close();
  await production?.close();
});

const AUDIT_FROM = `query ($from: Date) { auditLog(first: 5, filter: { from: $from }) { totalCount } }`;
const POST_LEAD =
  "mutation ($input: PostLeadInput!) { postLead(input: $input) { lead { id } userErrors { field code } } }";
const LEADS_OF_KINDS = `query ($kinds: [LeadKind!]) { leads(first: 5, filter: { kinds: $kinds }) { totalCount } }`;

function only(result: Awaited<ReturnType<TestApi["gql"]>>) {
  expect(result.errors, JSON.stringify(result)).toHaveLength(1);
  expect(result.data ?? null).toBeNull();
  return result.errors![0]!;
}

describe("bad scalar and enum values", () => {
  it("a bad Date in a variable is BAD_USER_INPUT at the argument's path", async () => {
    const error = only(await api.gql(AUDIT_FROM, { from: "2014-13-01" }, staffToken));
    expect(error.extensions).toMatchObject({
      code: "BAD_USER_INPUT",
      field: "auditLog",
      argumentPath: ["filter", "from"],
      variablePath: ["from"],
    });
    expect(error.message).toContain("YYYY-MM-DD");
  });

  it("a bad Date literal is BAD_USER_INPUT at the argument's path", async () => {
    const error = only(await api.gql(`{ auditLog(first: 5, filter: { from: "2014-02-30" }) { totalCount } }`));
    expect(error.extensions).toMatchObject({
      code: "BAD_USER_INPUT",
      field: "auditLog",
      argumentPath: ["filter", "from"],
    });
  });

  it('"12万" as a Decimal in a mutation input is BAD_USER_INPUT at input.amount, as variable or literal', async () => {
    const input = {
      chamberId: globalId("Chamber", "00000000-0000-4000-8000-000000000000"),
      kind: "SUPPLY",
      title: "钢材",
      description: "现货",
      visibility: "CHAMBER",
      amount: "12万",
    };
    const variable = only(await api.gql(POST_LEAD, { input }, staffToken));
    expect(variable.extensions).toMatchObject({
      code: "BAD_USER_INPUT",
      field: "postLead",
      argumentPath: ["input", "amount"],
      variablePath: ["input", "amount"],
    });
    const literal = only(
      await api.gql(
        `mutation { postLead(input: { chamberId: "${input.chamberId}", kind: SUPPLY, title: "t", description: "d",
          visibility: CHAMBER, amount: "12万" }) { userErrors { field } } }`,
        {},
        staffToken,
      ),
    );
    expect(literal.extensions).toMatchObject({ code: "BAD_USER_INPUT", argumentPath: ["input", "amount"] });
  });

  it("an unknown enum value is BAD_USER_INPUT with its list position, in a variable or a literal", async () => {
    const variable = only(await api.gql(LEADS_OF_KINDS, { kinds: ["SUPPLY", "NOPE"] }));
    expect(variable.extensions).toMatchObject({
      code: "BAD_USER_INPUT",
      field: "leads",
      argumentPath: ["filter", "kinds", "1"],
      variablePath: ["kinds", "1"],
    });
    const literal = only(await api.gql(`{ leads(first: 5, filter: { kinds: [SUPPLY, NOPE] }) { totalCount } }`));
    expect(literal.extensions).toMatchObject({ code: "BAD_USER_INPUT", argumentPath: ["filter", "kinds", "1"] });
  });

  it("a required input field left out is placed at that field, in a variable or a literal", async () => {
    const input = { chamberId: globalId("Chamber", "00000000-0000-4000-8000-000000000000"), kind: "SUPPLY" };
    const variable = only(await api.gql(POST_LEAD, { input: { ...input, description: "d", visibility: "CHAMBER" } }));
    expect(variable.extensions).toMatchObject({ code: "BAD_USER_INPUT", argumentPath: ["input", "title"] });
    const literal = only(
      await api.gql(`mutation { postLead(input: { chamberId: "${input.chamberId}", kind: SUPPLY, description: "d",
        visibility: CHAMBER }) { userErrors { field } } }`),
    );
    expect(literal.extensions).toMatchObject({ code: "BAD_USER_INPUT", argumentPath: ["input", "title"] });
  });

  it("a missing required variable and a null for a non-null one are coded too", async () => {
    const missing = only(await api.gql(POST_LEAD, {}, staffToken));
    expect(missing.extensions).toMatchObject({
      code: "BAD_USER_INPUT",
      argumentPath: ["input"],
      variablePath: ["input"],
    });
    const nulled = only(await api.gql(POST_LEAD, { input: null }, staffToken));
    expect(nulled.extensions).toMatchObject({ code: "BAD_USER_INPUT", argumentPath: ["input"] });
  });

  it("production gives the same codes and paths without suggesting valid enum values", async () => {
    const variable = only(await production.gql(LEADS_OF_KINDS, { kinds: ["SUPPL"] }));
    const literal = only(await production.gql(`{ leads(first: 5, filter: { kinds: [SUPPL] }) { totalCount } }`));
    for (const error of [variable, literal]) {
      expect(error.extensions).toMatchObject({ code: "BAD_USER_INPUT", argumentPath: ["filter", "kinds", "0"] });
      expect(error.message).not.toMatch(/Did you mean|SUPPLY/);
    }
    // development keeps graphql-js's hint
    expect(only(await api.gql(LEADS_OF_KINDS, { kinds: ["SUPPL"] })).message).toContain("SUPPLY");
  });
});

describe("global ids", () => {
  it('a malformed chamberId ("abc") in a query argument is BAD_USER_INPUT at its path', async () => {
    for (const result of [
      await api.gql(`{ chambers(first: 5, filter: { parentId: "abc" }) { totalCount } }`),
      await api.gql(`query ($id: ID) { chambers(first: 5, filter: { parentId: $id }) { totalCount } }`, { id: "abc" }),
    ]) {
      const error = only(result);
      expect(error.extensions).toMatchObject({
        code: "BAD_USER_INPUT",
        field: "chambers",
        argumentPath: ["filter", "parentId"],
      });
      expect(error.message).not.toContain("Invalid global ID");
    }
  });

  it("an id of another type is BAD_USER_INPUT naming the type expected", async () => {
    const merchantId = globalId("Merchant", "00000000-0000-4000-8000-000000000000");
    const error = only(
      await api.gql(`query ($id: ID) { chambers(first: 5, filter: { parentId: $id }) { totalCount } }`, {
        id: merchantId,
      }),
    );
    expect(error.extensions).toMatchObject({ code: "BAD_USER_INPUT", argumentPath: ["filter", "parentId"] });
    expect(error.message).toContain("Chamber");
  });

  it("in a mutation's input, a malformed id is a userError on the input's path and nothing runs", async () => {
    const result = await api.data(
      POST_LEAD,
      { input: { chamberId: "abc", kind: "SUPPLY", title: "钢材", description: "现货", visibility: "CHAMBER" } },
      staffToken,
    );
    expect(result.postLead).toEqual({ lead: null, userErrors: [{ field: ["input", "chamberId"], code: "INVALID" }] });
  });

  it("node and nodes read a malformed id as a missing one: null, no error", async () => {
    expect(await api.gql(`{ node(id: "abc") { id } }`)).toEqual({ data: { node: null } });
    const random = globalId("Chamber", "00000000-0000-4000-8000-000000000000");
    expect(await api.gql(`query ($ids: [ID!]!) { nodes(ids: $ids) { id } }`, { ids: ["abc", random] })).toEqual({
      data: { nodes: [null, null] },
    });
  });
});

describe("page sizes", () => {
  it("first or last over 100 is refused with BAD_USER_INPUT, never silently cut", async () => {
    for (const [query, variables] of [
      [`{ chambers(first: 200) { totalCount } }`, {}],
      [`query ($n: Int) { chambers(last: $n) { totalCount } }`, { n: 101 }],
      [`{ federation { children { id } } merchants(first: 101) { totalCount } }`, {}],
    ] as const) {
      const error = only(await api.gql(query, variables));
      expect(error.extensions?.code).toBe("BAD_USER_INPUT");
      expect(error.extensions?.argumentPath).toEqual([query.includes("last") ? "last" : "first"]);
      expect(error.message).toContain("100");
    }
  });

  it("a nested connection's page is bounded the same way, and 100 itself is fine", async () => {
    const s = seed(api.db.db);
    const chamber = await s.chamber();
    const secretary = await chamber.secretary();
    const id = globalId("Chamber", chamber.id);
    const members = (n: number) =>
      api.gql(
        `query ($id: ID!) { node(id: $id) { ... on Chamber { members(first: ${n}) { totalCount } } } }`,
        { id },
        secretary.token,
      );
    const error = only(await members(150));
    expect(error.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "members", argumentPath: ["first"] });
    expect((await members(100)).errors).toBeUndefined();
  });
});
