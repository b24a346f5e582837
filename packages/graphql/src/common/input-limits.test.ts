// What one request may send: bounded lists and strings, and clean text, refused before any resolver runs —
// a coded error for query arguments, `userErrors` (and nothing changed) for a mutation's input.
import { createTestApi, globalId, type SeededUser, seed, type TestApi } from "@wz/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

let api: TestApi;
let member: SeededUser;
let chamberId: string;

beforeAll(async () => {
  api = await createTestApi();
  const chamber = await seed(api.db.db).chamber({ name: "上海市温州商会" });
  chamberId = globalId("Chamber", chamber.id);
  member = (await chamber.member({ name: "陈一新" })).user;
});
afterAll(() => api.close());

const codes = (result: { errors?: { extensions?: Record<string, unknown> }[] }) =>
  (result.errors ?? []).map((e) => e.extensions?.code);

describe("list bounds", () => {
  it("refuses nodes(ids:) with 70,000 ids at once, and quickly, instead of running out of memory", async () => {
    const ids = Array.from({ length: 70_000 }, (_, i) =>
      globalId("Merchant", `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`),
    );
    const started = Date.now();
    const result = await api.gql(`query($ids: [ID!]!) { nodes(ids: $ids) { id } }`, { ids });
    expect(codes(result)).toEqual(["BAD_USER_INPUT"]);
    expect(result.errors?.[0]?.extensions?.argument).toEqual(["ids"]);
    expect(result.data ?? null).toBeNull();
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it("takes 100 ids, the bound", async () => {
    const ids = Array.from({ length: 100 }, (_, i) =>
      globalId("Merchant", `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`),
    );
    const result = await api.gql(`query($ids: [ID!]!) { nodes(ids: $ids) { id } }`, { ids });
    expect(result.errors).toBeUndefined();
    expect(result.data?.nodes).toHaveLength(100);
  });

  it("bounds lists inside filters too, written as literals", async () => {
    const industries = Array.from({ length: 101 }, () => '"C"').join(", ");
    const result = await api.gql(`{ leads(filter: { industries: [${industries}] }) { totalCount } }`, {}, member.token);
    expect(codes(result)).toEqual(["BAD_USER_INPUT"]);
    expect(result.errors?.[0]?.extensions?.argument).toEqual(["filter", "industries"]);
  });
});

describe("string bounds and clean text in query arguments", () => {
  it("refuses a 1,000,000-character search at once", async () => {
    const started = Date.now();
    const result = await api.gql(`query($q: String) { merchants(query: $q) { totalCount } }`, {
      q: "陈".repeat(1_000_000),
    });
    expect(codes(result)).toEqual(["BAD_USER_INPUT"]);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it("refuses a body over 20 MiB while reading it (413), whatever it holds", async () => {
    const response = await api.app.fetch("http://test/graphql", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        query: "query($q: String) { merchants(query: $q) { totalCount } }",
        variables: { q: "陈".repeat(7_500_000) },
      }),
    });
    expect(response.status).toBe(413);
    expect(codes((await response.json()) as never)).toEqual(["REQUEST_ENTITY_TOO_LARGE"]);
  });

  it.each([
    ["a NUL byte", "陈\u0000"],
    ["an unpaired surrogate", "陈\ud800"],
    ["a right-to-left override", "陈\u202e"],
  ])("answers a search holding %s with a coded error, not an internal one", async (_label, q) => {
    const result = await api.gql(`query($q: String) { merchants(query: $q) { totalCount } }`, { q });
    expect(codes(result)).toEqual(["BAD_USER_INPUT"]);
    expect(result.errors?.[0]?.message).toMatch(/query/);
  });

  it("lets ordinary text through, line breaks and emoji included", async () => {
    const result = await api.gql(`query($q: String) { merchants(query: $q) { totalCount } }`, { q: "陈 一新😀\n" });
    expect(result.errors).toBeUndefined();
  });
});

describe("clean text in a mutation's input", () => {
  const POST = `mutation($input: PostLeadInput!) { postLead(input: $input) { lead { id } userErrors { field message
    code } } }`;
  const count = async () => (await api.data(`{ leads { totalCount } }`, {}, member.token)).leads.totalCount as number;
  const input = (over: Record<string, unknown>) => ({
    chamberId,
    kind: "SUPPLY",
    title: "钢材供应",
    description: "长期供应",
    visibility: "CHAMBER",
    ...over,
  });

  it.each([
    ["a NUL byte", { title: "钢材\u0000供应" }, ["input", "title"]],
    ["an unpaired surrogate", { title: "钢材\udc00" }, ["input", "title"]],
    ["a right-to-left override", { title: "\u202e应供材钢" }, ["input", "title"]],
    ["a 1 MB description", { description: "长".repeat(1_000_000) }, ["input", "description"]],
  ])("answers %s with a userError on its field and changes nothing", async (_label, over, field) => {
    const before = await count();
    const data = await api.data(POST, { input: input(over) }, member.token);
    expect(data.postLead.lead).toBeNull();
    expect(data.postLead.userErrors).toEqual([{ field, message: expect.any(String), code: "INVALID" }]);
    expect(await count()).toBe(before);
  });

  it("posts the same lead with clean text", async () => {
    const data = await api.data(POST, { input: input({}) }, member.token);
    expect(data.postLead.userErrors).toEqual([]);
    expect(data.postLead.lead.id).toBeTruthy();
  });
});
