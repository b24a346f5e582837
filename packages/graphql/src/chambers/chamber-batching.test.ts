// The chamber tree never runs one statement per chamber: a chambers page with parents, children, provinces
// (their formation, plan, history and provincial chamber), checklists and the audit trail's chambers and
// actors sends as many statements for 50 chambers as for 5.
import { provinceList } from "@wz/db";
import { createTestApi, globalId, seed, type TestApi } from "@wz/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

let api: TestApi;
let staff: string;
beforeAll(async () => {
  api = await createTestApi();
  const s = seed(api.db.db);
  staff = (await s.federationStaff()).token;
  for (let i = 0; i < 50; i++) {
    const n = String(i).padStart(2, "0");
    const parent = await s.chamber({ name: `批量商会${n}`, provinceCode: provinceList[i % 31]!.code });
    await s.chamber({ name: `批量分会${n}`, parentId: parent.id });
  }
});
afterAll(() => api.close());

async function statementsFor(query: string, first: number) {
  api.db.resetStatements();
  const result = await api.gql(query, { first }, staff);
  expect(result.errors).toBeUndefined();
  return { count: api.db.statements.length, data: result.data! };
}

describe("chamber tree batching", () => {
  it("a chambers page with its tree, provinces and checklists: constant statements", async () => {
    const query = `query ($first: Int) { chambers(first: $first, filter: { query: "批量商会" }) { totalCount edges { node {
      name parent { name } children { name parent { name } }
      province { name formationStatus reachedOn behindSchedule nextPlannedStep { status } formationPlan { status }
        formationHistory { toStatus } responsible { email } chamber { name } }
      checklist { item done checkedBy { email } }
    } } } }`;
    const small = await statementsFor(query, 5);
    const large = await statementsFor(query, 50);
    expect(small.data.chambers.edges).toHaveLength(5);
    expect(large.data.chambers.edges).toHaveLength(50);
    expect(large.data.chambers.edges[7].node.children).toHaveLength(1);
    expect(large.count).toBe(small.count);
  });

  it("an audit trail page with its chambers and actors: constant statements", async () => {
    const s = seed(api.db.db);
    const chamber = await s.chamber();
    const tick = `mutation ($input: UpdateChecklistItemInput!) {
      updateChecklistItem(input: $input) { userErrors { message } } }`;
    for (let i = 0; i < 50; i++) {
      const input = { chamberId: globalId("Chamber", chamber.id), item: "PREMISES", done: i % 2 === 0 };
      expect((await api.data(tick, { input }, staff)).updateChecklistItem.userErrors).toEqual([]);
    }
    const query = `query ($first: Int) { auditLog(first: $first) { edges { node {
      action chamber { name children { name } } actor { email }
    } } } }`;
    const small = await statementsFor(query, 5);
    const large = await statementsFor(query, 50);
    expect(large.data.auditLog.edges).toHaveLength(50);
    expect(large.count).toBe(small.count);
  });
});
