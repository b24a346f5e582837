// Query limits (depth, aliases, tokens, cost, directives), CSRF prevention, and the production hardening
// (no introspection, no field suggestions). Every limit refuses with QUERY_TOO_COMPLEX and says what to change.
import { createTestApi, type SeededUser, seed, type TestApi } from "@wz/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

let api: TestApi;
let production: TestApi;
let staff: SeededUser;
beforeAll(async () => {
  api = await createTestApi();
  const s = seed(api.db.db);
  for (let i = 0; i < 3; i++) {
    const chamber = await s.chamber();
    for (let j = 0; j < 3; j++) await chamber.member();
  }
  staff = await s.federationStaff();
  production = await createTestApi({ production: true });
});
afterAll(async () => {
  await api.close();
  await production.close();
});

const firstError = async (target: TestApi, query: string) => (await target.gql(query)).errors?.[0]?.message ?? "";

/** The refusal of a limit: coded, no "Syntax Error", and no statement sent (no resolver ran). */
async function refusal(query: string, variables?: Record<string, unknown>, token?: string) {
  api.db.resetStatements();
  const result = await api.gql(query, variables, token);
  const error = result.errors?.[0];
  expect(result.errors).toHaveLength(1);
  expect(error?.extensions?.code).toBe("QUERY_TOO_COMPLEX");
  expect(error?.message).not.toMatch(/syntax/i);
  expect(result.data ?? null).toBeNull();
  if (!token) expect(api.db.statements).toEqual([]);
  return error?.message ?? "";
}

describe("query limits", () => {
  it("refuse a query nested deeper than 12", async () => {
    let selection = "name";
    for (let i = 0; i < 14; i++) selection = `parent { ${selection} }`;
    expect(await refusal(`{ federation { ${selection} } }`)).toMatch(/depth limit of 12 exceeded.*Nest fewer levels/);
    expect((await api.gql(`{ federation { parent { parent { name } } } }`)).errors).toBeUndefined();
  });

  it("refuse depth hidden in fragments", async () => {
    const fragments = Array.from(
      { length: 14 },
      (_, i) => `fragment F${i} on Chamber { parent { ...F${i + 1} } }`,
    ).join("\n");
    expect(await refusal(`{ federation { ...F0 } } ${fragments} fragment F14 on Chamber { name }`)).toMatch(/depth/);
  });

  it("refuse more than 15 aliases", async () => {
    const aliases = Array.from({ length: 20 }, (_, i) => `a${i}: federation { name }`).join(" ");
    expect(await refusal(`{ ${aliases} }`)).toMatch(/Aliases limit of 15 exceeded.*Use fewer aliases/);
  });

  it("refuse a query of more than 2000 tokens", async () => {
    const fields = Array.from({ length: 2100 }, () => "name").join(" ");
    expect(await refusal(`{ federation { ${fields} } }`)).toMatch(/token.*shorter document/i);
  });

  it("refuse a query whose cost exceeds the budget", async () => {
    const wide = "name nameEn slug kind status city provinceCode countryCode createdAt";
    const level = (inner: string) => `children { ${wide} ${inner} }`;
    const query = `{ a: chambers(first: 100) { edges { node { ${level(level(level(level(level("")))))} } } } }`;
    expect(await refusal(query)).toMatch(/would cost about [\d,]+ \(the limit is 10,000\).*smaller first or last/);
  });

  it("price rows, not shapes: 20 chambers × 10 members with counts pass, 100 × 100 do not", async () => {
    const page = `query ($chambers: Int, $members: Int) { chambers(first: $chambers) { edges { node {
      members(first: $members) { totalCount edges { node { merchant { name } } } } } } } }`;
    const ordinary = await api.gql(page, { chambers: 20, members: 10 }, staff.token);
    expect(ordinary.errors).toBeUndefined();
    expect(ordinary.data?.chambers.edges.length).toBeGreaterThan(0);
    // the page size counts from its variable as from a literal
    const message = await refusal(page, { chambers: 100, members: 100 }, staff.token);
    expect(message).toMatch(/field values/);
    // batched fields are cheap: the same page with each member's chamber and merchant still passes
    const wider = page.replace("merchant { name }", "merchant { name mobile } chamber { name slug } level status");
    expect((await api.gql(wider, { chambers: 20, members: 10 }, staff.token)).errors).toBeUndefined();
  });

  it("a fragment spread many times is priced each time, and an alias bomb of lists is refused", async () => {
    const fragment = `fragment M on Chamber { members(first: 100) { edges { node { merchant { name mobile } } } } }`;
    const spreads = Array.from({ length: 10 }, (_, i) => `c${i}: chambers(first: 100) { edges { node { ...M } } }`);
    expect(await refusal(`{ ${spreads.join(" ")} } ${fragment}`, undefined, staff.token)).toMatch(/would cost/);
  });

  it("introspection as GraphiQL sends it passes", async () => {
    const { getIntrospectionQuery } = await import("graphql");
    expect((await api.gql(getIntrospectionQuery())).errors).toBeUndefined();
  });

  it("refuse more than 20 directives", async () => {
    const directives = Array.from({ length: 25 }, () => "@include(if: true)").join(" ");
    expect(await refusal(`{ federation { name ${directives} } }`)).toMatch(/directive/i);
  });
});

describe("CSRF prevention", () => {
  it("refuses a GET without a CSRF header and accepts one with it", async () => {
    const url = `http://test/graphql?query=${encodeURIComponent("{ federation { id } }")}`;
    const plain = await api.app.fetch(url, { method: "GET", headers: { accept: "application/json" } });
    expect(plain.status).toBe(403);
    const withHeader = await api.app.fetch(url, {
      method: "GET",
      headers: { accept: "application/json", "x-graphql-yoga-csrf": "1" },
    });
    expect(withHeader.status).not.toBe(403);
  });
});

describe("production hardening", () => {
  it("introspection is off in production and on in development", async () => {
    expect(await firstError(production, `{ __schema { types { name } } }`)).toMatch(/introspection/i);
    expect((await api.gql(`{ __schema { queryType { name } } }`)).data).toEqual({
      __schema: { queryType: { name: "Query" } },
    });
  });

  it("field suggestions are hidden in production", async () => {
    expect(await firstError(api, `{ federatio { id } }`)).toMatch(/Did you mean/);
    const message = await firstError(production, `{ federatio { id } }`);
    expect(message).toMatch(/Cannot query field/);
    expect(message).not.toMatch(/Did you mean/);
  });
});

describe("small leaks of the inside", () => {
  it("production suggests no enum value either, in a literal or in a variable", async () => {
    const literal = await firstError(production, `{ chambers(filter: { kinds: [FEDERATIO] }) { totalCount } }`);
    expect(literal).not.toMatch(/Did you mean|FEDERATION/);
    const variable =
      (
        await production.gql(`query($k: [ChamberKind!]) { chambers(filter: { kinds: $k }) { totalCount } }`, {
          k: ["FEDERATIO"],
        })
      ).errors?.[0]?.message ?? "";
    expect(variable).toMatch(/FEDERATIO/);
    expect(variable).not.toMatch(/Did you mean|"FEDERATION"/);
    // development keeps the hint
    expect(await firstError(api, `{ chambers(filter: { kinds: [FEDERATIO] }) { totalCount } }`)).toMatch(
      /Did you mean/,
    );
  });

  it.each([
    ["a type that is no node", "MembershipNote"],
    ["no type at all", "merchant"],
    ["an input type", "PostLeadInput"],
  ])("a global id naming %s reads as missing, in node and nodes", async (_label, typename) => {
    const id = Buffer.from(`${typename}:00000000-0000-4000-8000-000000000001`).toString("base64");
    const result = await api.gql(`query($id: ID!) { node(id: $id) { id } nodes(ids: [$id]) { id } }`, { id });
    expect(result.errors).toBeUndefined();
    expect(result.data).toEqual({ node: null, nodes: [null] });
  });

  it("counts aliases of __typename like any other", async () => {
    const aliases = Array.from({ length: 20 }, (_, i) => `t${i}: __typename`).join(" ");
    expect(await refusal(`{ ${aliases} }`)).toMatch(/alias/i);
  });
});
