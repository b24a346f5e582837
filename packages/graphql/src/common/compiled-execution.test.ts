// A document runs on graphql-js the first time and compiled (graphql-jit) from the second: both answer the same,
// data and errors alike, for lists, nested connections, interfaces, fragments, variables, directives, custom
// scalars in literals and refusals; a one-off document is never compiled; past the per-minute budget documents
// run on graphql-js, and still answer.
import { DEMO_PASSWORD, seedDemoData } from "@wz/core/demo";
import { createTestApi, type TestApi } from "@wz/testkit";
import { type DocumentNode, print } from "graphql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

let api: TestApi;
let budgeted: TestApi;
const compiled: string[] = [];
let budgetedCompiles = 0;
const tokens: Record<string, string> = {};

const LOGIN = `mutation ($input: LoginInput!) { login(input: $input) { token } }`;

beforeAll(async () => {
  api = await createTestApi({
    compiledExecution: {
      afterExecutions: 2,
      compilesPerMinute: 1000,
      onCompile: (document: DocumentNode) => void compiled.push(print(document)),
    },
  });
  await seedDemoData(api.db.db);
  for (const [who, email] of [
    ["staff", "admin@example.org"],
    ["secretary", "secretary@shanghai.example.org"],
    ["member", "member@shanghai.example.org"],
    ["city", "city@example.org"],
  ] as const)
    tokens[who] = (await api.data(LOGIN, { input: { email, password: DEMO_PASSWORD } })).login.token;
  budgeted = await createTestApi({
    compiledExecution: { afterExecutions: 1, compilesPerMinute: 1, onCompile: () => void budgetedCompiles++ },
  });
}, 120_000);
afterAll(async () => {
  await api.close();
  await budgeted.close();
});

const MERCHANT_FIELDS = `id name nameLatin mobile email wechat companies { name industry }`;
const CASES: { name: string; who: string | null; query: string; variables?: Record<string, unknown> }[] = [
  {
    name: "the anonymous directory search, with cursors and page info",
    who: null,
    query: `query Search($q: String!, $n: Int!) { merchants(query: $q, first: $n) { totalCount
      edges { cursor node { ${MERCHANT_FIELDS} } } pageInfo { hasNextPage hasPreviousPage endCursor } } }`,
    variables: { q: "陈", n: 5 },
  },
  {
    name: "a member's view of the same search (contact fields by the visibility rule)",
    who: "member",
    query: `{ merchants(query: "陈", first: 8) { totalCount edges { node { ${MERCHANT_FIELDS} } } } }`,
  },
  {
    name: "staff's nested connections with aliases and @include/@skip",
    who: "staff",
    query: `query Nested($withCount: Boolean!, $skipLevel: Boolean!) {
      first: chambers(first: 5) { edges { node { id name kind
        members(first: 3) { total: totalCount @include(if: $withCount)
          edges { node { id level @skip(if: $skipLevel) status joinedOn merchant { name } } } } } } }
      more: chambers(first: 2, after: null) { totalCount } }`,
    variables: { withCount: true, skipLevel: false },
  },
  {
    name: "a secretary's lead list with its nested answers and pointers to other nodes",
    who: "secretary",
    query: `{ leads(first: 6) { totalCount edges { node { id title kind status amount createdAt expiresOn
      chamber { name } postedBy { name } responses { id } } } } }`,
  },
  {
    name: "an interface and fragments through nodes(ids:), one id unknown",
    who: "secretary",
    query: `query Nodes($ids: [ID!]!) { nodes(ids: $ids) { __typename id ...C ... on Merchant { name mobile } } }
      fragment C on Chamber { name members(first: 2) { totalCount } }`,
    variables: { ids: [] as string[] },
  },
  {
    name: "city staff's progress with a Date literal and Decimal figures",
    who: "city",
    query: `{ returnInvestmentProgress(year: 2014, asOf: "2014-04-30") { asOf arrived
      byMonth { month arrived } byDistrict { districtCode arrived percentOfTarget } } }`,
  },
  {
    name: "a refusal: a member asks for what only city staff may read (an error with its code and path)",
    who: "member",
    query: `{ returnInvestmentProgress(year: 2014) { arrived } me { isCityStaff chamberRoles { role } } }`,
  },
  {
    name: "an invalid Date in the variables",
    who: "city",
    query: `query ($asOf: Date) { returnInvestmentProgress(year: 2014, asOf: $asOf) { arrived } }`,
    variables: { asOf: "2014-02-30" },
  },
];

describe("compiled execution", () => {
  it.each(CASES)("$name: the compiled answer equals graphql-js's", async ({ who, query, variables }) => {
    const token = who ? tokens[who] : null;
    if (variables && "ids" in variables) {
      const found = await api.data(`{ chambers(first: 2) { edges { node { id } } } merchants(first: 2) { edges {
        node { id } } } }`);
      variables.ids = [
        found.chambers.edges[0].node.id,
        found.merchants.edges[0].node.id,
        "Q2hhbWJlcjowMDAwMDAwMC0wMDAwLTAwMDAtMDAwMC0wMDAwMDAwMDAwMDA=",
        found.merchants.edges[1].node.id,
        found.chambers.edges[1].node.id,
      ];
    }
    const before = compiled.length;
    const interpreted = await api.gql(query, variables, token);
    expect(compiled.length).toBe(before); // the first run is graphql-js's
    const jit = await api.gql(query, variables, token);
    expect(compiled.length).toBe(before + 1); // the second is compiled
    expect(jit).toEqual(interpreted);
    const third = await api.gql(query, variables, token);
    expect(compiled.length).toBe(before + 1); // compiled once
    expect(third).toEqual(interpreted);
  });

  it("answers with data where data is due and with the coded error where refused", async () => {
    const ok = await api.gql(CASES[0]!.query, CASES[0]!.variables);
    expect(ok.errors).toBeUndefined();
    expect(ok.data?.merchants.totalCount).toBeGreaterThan(0);
    const refused = await api.gql(CASES[6]!.query, undefined, tokens.member);
    expect(refused.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    expect(refused.errors?.[0]?.path).toEqual(["returnInvestmentProgress"]);
    const invalid = await api.gql(CASES[7]!.query, CASES[7]!.variables, tokens.city);
    expect(invalid.errors?.[0]?.message).toMatch(/YYYY-MM-DD/);
  });

  it("never compiles a document seen once", async () => {
    const before = compiled.length;
    const once = `{ provinces { code name } }`;
    expect((await api.gql(once)).data?.provinces).toHaveLength(31);
    expect(compiled.length).toBe(before);
  });

  it("past the budget, new documents run on graphql-js and still answer", async () => {
    // one compile a minute: the first document takes it, the next ones run interpreted, with the same answers
    const answers = [];
    for (const n of [1, 2, 3]) answers.push(await budgeted.gql(`{ provinces { code } c${n}: __typename }`));
    expect(budgetedCompiles).toBe(1);
    for (const [i, answer] of answers.entries()) {
      expect(answer.errors).toBeUndefined();
      expect(answer.data?.provinces).toHaveLength(31);
      expect(answer.data?.[`c${i + 1}`]).toBe("Query");
    }
  });
});
