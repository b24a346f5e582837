// The directory never runs one statement per merchant: a search page with companies, memberships and
// visibility-checked contact fields sends as many statements for 50 merchants as for 5.
import { createTestApi, seed, type TestApi } from "@wz/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

let api: TestApi;
let token: string;
beforeAll(async () => {
  api = await createTestApi();
  const s = seed(api.db.db);
  const a = await s.chamber();
  const b = await s.chamber();
  for (let i = 0; i < 50; i++) {
    const m = await a.member({
      name: `批量${"甲乙丙丁戊己庚辛壬癸"[i % 10]}${"子丑寅卯辰"[Math.floor(i / 10)]}`,
      companies: [{ name: `公司${i}` }],
    });
    await b.addMembership(m.merchantId);
  }
  token = (await a.member()).user.token;
});
afterAll(() => api.close());

async function statementsFor(query: string, first: number) {
  api.db.resetStatements();
  const result = await api.gql(query, { first }, token);
  expect(result.errors).toBeUndefined();
  return { count: api.db.statements.length, data: result.data! };
}

describe("directory batching", () => {
  for (const [label, q] of [
    ["two characters", "批量"],
    ["three characters", "批量甲"],
    ["pinyin", "piliang"],
  ] as const) {
    it(`a ${label} search with nested fields: constant statements`, async () => {
      const query = `query ($first: Int) { merchants(query: "${q}", first: $first) { totalCount edges { node {
        name mobile email wechat contactVisibility { mobile } companies { name } memberships { status chamber { name } }
      } } } }`;
      const small = await statementsFor(query, 2);
      const large = await statementsFor(query, q === "批量甲" ? 5 : 50);
      expect(small.data.merchants.edges).toHaveLength(2);
      expect(large.data.merchants.edges.length).toBeGreaterThan(2);
      // a member sees memberships of their own chamber only
      expect(large.data.merchants.edges[1].node.memberships).toHaveLength(1);
      expect(large.count).toBe(small.count);
    });
  }
});
