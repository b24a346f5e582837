// No query runs one statement per row: the same nested query sends the same number of statements for 5
// rows as for 50.
import { createTestApi, globalId, seed, type TestApi } from "@wz/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

let api: TestApi;
let chamberId: string;
let staffToken: string;
beforeAll(async () => {
  api = await createTestApi();
  const s = seed(api.db.db);
  const provincial = await s.chamber({ name: "江苏省温州商会", kind: "PROVINCIAL", provinceCode: "32" });
  const chamber = await s.chamber({ name: "苏州温州商会", provinceCode: "32", city: "苏州", parentId: provincial.id });
  const other = await s.chamber({ name: "南京温州商会", provinceCode: "32", city: "南京", parentId: provincial.id });
  chamberId = chamber.id;
  for (let i = 0; i < 50; i++) {
    const m = await chamber.member({
      name: `会员${String(i).padStart(2, "0")}`,
      companies: [{ name: `公司${i}A` }, { name: `公司${i}B` }],
    });
    await other.addMembership(m.merchantId);
  }
  for (let i = 0; i < 50; i++)
    await s.chamber({ name: `子商会${String(i).padStart(2, "0")}`, provinceCode: "32", parentId: provincial.id });
  staffToken = (await s.federationStaff()).token;
});
afterAll(() => api.close());

async function statementsFor(query: string, variables: Record<string, unknown>) {
  api.db.resetStatements();
  const result = await api.gql(query, variables, staffToken);
  expect(result.errors).toBeUndefined();
  return { count: api.db.statements.length, data: result.data! };
}

describe("batching", () => {
  it("a chamber's members with their merchants, companies and memberships: constant statements", async () => {
    const query = `query ($id: ID!, $n: Int) { node(id: $id) { ... on Chamber {
      name parent { name } children { name }
      members(first: $n) { totalCount edges { node {
        level status chamber { name parent { name } }
        merchant { name mobile email wechat companies { name } memberships { status chamber { name } } }
      } } } } } }`;
    const small = await statementsFor(query, { id: globalId("Chamber", chamberId), n: 5 });
    const large = await statementsFor(query, { id: globalId("Chamber", chamberId), n: 50 });
    expect(small.data.node.members.edges).toHaveLength(5);
    expect(large.data.node.members.edges).toHaveLength(50);
    expect(large.data.node.members.edges[49].node.merchant.companies).toHaveLength(2);
    expect(large.data.node.members.edges[49].node.merchant.memberships).toHaveLength(2);
    expect(large.count).toBe(small.count);
    expect(small.count).toBeLessThanOrEqual(12);
  });

  it("chambers with parents, children and provinces: constant statements", async () => {
    const query = `query ($n: Int) { chambers(first: $n) { totalCount edges { node {
      name parent { name parent { name } } children { name } province { name formationStatus chamber { name } }
    } } } }`;
    const small = await statementsFor(query, { n: 5 });
    const large = await statementsFor(query, { n: 50 });
    expect(large.data.chambers.edges).toHaveLength(50);
    expect(large.count).toBe(small.count);
  });
});
