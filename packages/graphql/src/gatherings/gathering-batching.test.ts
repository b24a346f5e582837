// Statements do not grow with gatherings: a page of gatherings with their invitations (and the invited merchants)
// costs the same for 5 gatherings as for 50, and so does a page of nominations with their merchants and chambers.
import { gatheringInvitationTable, gatheringTable, recognitionNominationTable } from "@wz/db";
import { type ChamberSeed, createTestApi, type SeededUser, seed, type TestApi } from "@wz/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

let api: TestApi;
let secretary: SeededUser;
let chamber: ChamberSeed;
let members: string[];

async function add(n: number, from: number) {
  const db = api.db.db;
  for (let i = from; i < from + n; i++) {
    const [g] = await db
      .insert(gatheringTable)
      .values({ chamberId: chamber.id, kind: "ANNUAL_MEETING", title: `年会${i}`, heldOn: "2013-12-28" })
      .returning({ id: gatheringTable.id });
    await db
      .insert(gatheringInvitationTable)
      .values(members.map((merchantId) => ({ gatheringId: g!.id, merchantId, chamberId: chamber.id })));
    const member = await chamber.member({ name: `提名${i}` });
    await db.insert(recognitionNominationTable).values({
      year: 2013,
      merchantId: member.merchantId,
      chamberId: chamber.id,
      reason: "回乡投资",
    });
  }
}

beforeAll(async () => {
  api = await createTestApi();
  const s = seed(api.db.db);
  chamber = await s.chamber({ name: "上海市温州商会" });
  secretary = await chamber.secretary();
  members = [];
  for (let i = 0; i < 3; i++) members.push((await chamber.member()).merchantId);
}, 120_000);
afterAll(() => api?.close());

async function statementsFor(query: string) {
  api.db.resetStatements();
  const result = await api.gql(query, {}, secretary.token);
  expect(result.errors).toBeUndefined();
  return { count: api.db.statements.length, data: result.data! };
}

const GATHERINGS = `{ gatherings(first: 50) { totalCount edges { node { title chamber { name }
  invitations { merchant { name } chamber { name } rsvp } } } } }`;
const NOMINATIONS = `{ recognitionNominations(year: 2013, first: 50) { totalCount edges { node { reason
  merchant { name } chamber { name } } } } }`;

describe("gatherings and nominations: statements constant in the number of rows", () => {
  it("a page with its nested lists costs the same for 50 as for 5", async () => {
    await add(5, 0);
    const small = [await statementsFor(GATHERINGS), await statementsFor(NOMINATIONS)];
    expect(small[0]!.data.gatherings.edges).toHaveLength(5);
    await add(45, 5);
    const large = [await statementsFor(GATHERINGS), await statementsFor(NOMINATIONS)];
    expect(large[0]!.data.gatherings.edges).toHaveLength(50);
    expect(large[0]!.data.gatherings.edges[0].node.invitations).toHaveLength(3);
    expect(large[1]!.data.recognitionNominations.edges).toHaveLength(50);
    expect(large.map((r) => r.count)).toEqual(small.map((r) => r.count));
  });
});
