// Statements do not grow with delegations: a page of delegations with every nested list (organisers, participants
// and their merchants, visits, city contacts, project results with their projects, agreements) costs the same for 5
// delegations as for 50, and so do the year's activity and the leading geese's coverage.
import {
  delegationAgreementTable,
  delegationChamberTable,
  delegationContactTable,
  delegationParticipantTable,
  delegationProjectTable,
  delegationTable,
  gooseContactTable,
  gooseLiaisonTable,
  investmentMerchantTable,
  investmentProjectTable,
} from "@wz/db";
import { type ChamberSeed, createTestApi, type SeededUser, seed, type TestApi } from "@wz/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

let api: TestApi;
let city: SeededUser;
let leader: SeededUser;
let chambers: ChamberSeed[];
let members: string[];

/** `n` more done delegations (and as many geese), written straight to the tables (services are tested elsewhere). */
async function add(n: number, from: number) {
  const db = api.db.db;
  for (let i = from; i < from + n; i++) {
    const [d] = await db
      .insert(delegationTable)
      .values({ title: `批量考察团${i}`, status: "DONE", startsOn: `2014-0${(i % 9) + 1}-10`, endsOn: "2014-12-01" })
      .returning({ id: delegationTable.id });
    const delegationId = d!.id;
    const chamber = chambers[i % 3]!;
    await db.insert(delegationChamberTable).values({ delegationId, chamberId: chamber.id });
    await db
      .insert(delegationParticipantTable)
      .values({ delegationId, merchantId: members[i % 3]!, chamberId: chamber.id });
    await db.insert(delegationContactTable).values({ delegationId, userId: city.id });
    const [project] = await db
      .insert(investmentProjectTable)
      .values({ name: `批量项目${i}`, district: "330302", stage: "SIGNED", stageOn: "2014-01-10", pledged: "100" })
      .returning({ id: investmentProjectTable.id });
    await db.insert(delegationProjectTable).values({ delegationId, projectId: project!.id, outcome: "SIGNED" });
    await db
      .insert(delegationAgreementTable)
      .values({ delegationId, title: "协议", pledged: "10", signedOn: "2014-01-10" });
    const goose = await seed(db).merchant({ name: `雁${i}`, tags: ["LEADING_GOOSE"] });
    await db.insert(investmentMerchantTable).values({ projectId: project!.id, merchantId: goose.id, role: "INVESTOR" });
    await db.insert(gooseLiaisonTable).values({ merchantId: goose.id, leaderUserId: leader.id, since: "2014-01-01" });
    await db
      .insert(gooseContactTable)
      .values({ merchantId: goose.id, leaderUserId: leader.id, kind: "VISIT", on: "2014-02-01" });
  }
}

beforeAll(async () => {
  api = await createTestApi();
  const s = seed(api.db.db);
  city = await s.cityStaff();
  leader = await s.cityLeader();
  const province = await s.chamber({ name: "江苏省温州商会", kind: "PROVINCIAL", provinceCode: "32" });
  chambers = [
    province,
    await s.chamber({ name: "苏州温州商会", provinceCode: "32", parentId: province.id }),
    await s.chamber({ name: "深圳温州商会", provinceCode: "44" }),
  ];
  members = [];
  for (const c of chambers) members.push((await c.member()).merchantId);
}, 120_000);
afterAll(() => api?.close());

async function statementsFor(query: string, variables: Record<string, unknown> = {}) {
  api.db.resetStatements();
  const result = await api.gql(query, variables, city.token);
  expect(result.errors).toBeUndefined();
  return { count: api.db.statements.length, data: result.data! };
}

const LIST = `query ($n: Int!) { delegations(first: $n) { totalCount edges { node { title chambers { name }
  participants { merchant { name } chamber { name } } visits { place } cityContacts { displayName }
  projectResults { outcome project { name arrived } } agreements { pledged } } } } }`;
const ACTIVITY = `{ delegationActivity(year: 2014) { total byMonth { count } byChamber { chamber { name }
  delegationsIncludingDescendants } } }`;
const COVERAGE = `{ leadingGooseCoverage(asOf: "2014-03-01") { geeseCount geese { merchant { name }
  leader { displayName } lastContactOn arrived } leaders { geese } } }`;

describe("delegations and geese: statements constant in the number of rows", () => {
  it("delegations with every nested list, the activity and the coverage: the same for 50 as for 5", async () => {
    await add(5, 0);
    const small = [await statementsFor(LIST, { n: 50 }), await statementsFor(ACTIVITY), await statementsFor(COVERAGE)];
    expect(small[0]!.data.delegations.edges).toHaveLength(5);
    await add(45, 5);
    const large = [await statementsFor(LIST, { n: 50 }), await statementsFor(ACTIVITY), await statementsFor(COVERAGE)];
    expect(large[0]!.data.delegations.edges).toHaveLength(50);
    expect(large[1]!.data.delegationActivity.total).toBe(50);
    expect(large[2]!.data.leadingGooseCoverage.geeseCount).toBe(50);
    expect(large.map((r) => r.count)).toEqual(small.map((r) => r.count));
  });
});
