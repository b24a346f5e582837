// Every list under a parent costs the same statements for 5 parents as for 50: a chamber's members (a
// connection: page and count of every chamber in one statement), its children, a lead's responses and a
// merchant's memberships. Each nested page is still the parent's own page, with the tenant condition applied.
import { createTestApi, globalId, type SeededUser, seed, type TestApi } from "@wz/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

let api: TestApi;
let staff: SeededUser;
let secretary: SeededUser;
let member: SeededUser;
let responder: SeededUser;
const chamberIds: string[] = [];

const RESPOND = `mutation ($input: RespondToLeadInput!) { respondToLead(input: $input) { userErrors { message } } }`;
const POST = `mutation ($input: PostLeadInput!) { postLead(input: $input) { lead { id } userErrors { message } } }`;

beforeAll(async () => {
  api = await createTestApi();
  const s = seed(api.db.db);
  staff = await s.federationStaff();
  const provincial = await s.chamber({ name: "浙江省温州商会", kind: "PROVINCIAL", provinceCode: "33" });
  const responders: SeededUser[] = [];
  for (let i = 0; i < 50; i++) {
    const n = String(i).padStart(2, "0");
    const chamber = await s.chamber({ name: `嵌套商会${n}`, provinceCode: "33", parentId: provincial.id });
    chamberIds.push(chamber.id);
    await s.chamber({ name: `嵌套分会${n}`, provinceCode: "33", parentId: chamber.id });
    const first = await chamber.member({ name: `甲${n}`, level: "VICE_PRESIDENT" });
    await chamber.member({ name: `乙${n}` });
    await chamber.member({ name: `丙${n}`, status: "APPLIED" });
    if (i === 0) {
      member = first.user;
      secretary = await chamber.secretary();
    }
    if (i < 2) responders.push((await chamber.member({ name: `答${n}` })).user);
    responder = responders[0]!;
    const posted = await api.data(
      POST,
      {
        input: {
          chamberId: globalId("Chamber", chamber.id),
          kind: "SUPPLY",
          title: `嵌套线索${n}`,
          description: "批量",
          visibility: "FEDERATION",
        },
      },
      first.user.token,
    );
    expect(posted.postLead.userErrors).toEqual([]);
    for (const responder of responders) {
      const input = { leadId: posted.postLead.lead.id, kind: "INTEREST", message: `有意${n}` };
      expect((await api.data(RESPOND, { input }, responder.token)).respondToLead.userErrors).toEqual([]);
    }
  }
}, 240_000); // 50 chambers, their members, leads and answers, through GraphQL: slow on a busy machine
afterAll(() => api.close());

interface Edge {
  cursor: string;
  node: { status: string };
}
interface ChamberNode {
  name: string;
  children: { name: string }[];
  members: { totalCount: number; pageInfo: { hasNextPage: boolean }; edges: Edge[] };
}

async function statementsFor(query: string, variables: Record<string, unknown>, token: string) {
  api.db.resetStatements();
  const result = await api.gql(query, variables, token);
  expect(result.errors).toBeUndefined();
  return { count: api.db.statements.length, data: result.data! };
}

const CHAMBERS = `query ($n: Int, $m: Int, $after: String, $order: MemberOrder) {
  chambers(first: $n, filter: { query: "嵌套商会" }) { edges { node { name
    children { name }
    members(first: $m, after: $after, orderBy: $order) {
      totalCount pageInfo { hasNextPage endCursor } edges { cursor node { level status merchant { name } } }
    }
  } } } }`;

describe("nested lists: constant statements", () => {
  it("chambers' members (page and count) and children: as many statements for 50 chambers as for 5", async () => {
    const small = await statementsFor(CHAMBERS, { n: 5, m: 2 }, staff.token);
    const large = await statementsFor(CHAMBERS, { n: 50, m: 2 }, staff.token);
    expect(large.data.chambers.edges).toHaveLength(50);
    expect(large.count).toBe(small.count);
    // the chambers page, the viewer, every chamber's children, every chamber's members and counts, their merchants
    expect(large.count).toBeLessThanOrEqual(6);
    large.data.chambers.edges.forEach((edge: { node: ChamberNode }, i: number) => {
      const n = String(i).padStart(2, "0");
      expect(edge.node.name).toBe(`嵌套商会${n}`);
      expect(edge.node.children).toEqual([{ name: `嵌套分会${n}` }]);
      expect(edge.node.members.totalCount).toBe(i < 2 ? 4 : 3);
      expect(edge.node.members.pageInfo.hasNextPage).toBe(true);
    });
    // each chamber's page is the page that chamber's list shows alone
    const alone = `query ($id: ID!) { node(id: $id) { ... on Chamber { members(first: 2) { edges { cursor } } } } }`;
    for (const i of [0, 1, 49]) {
      const own = await api.data(alone, { id: globalId("Chamber", chamberIds[i]!) }, staff.token);
      expect(large.data.chambers.edges[i].node.members.edges.map((e: Edge) => e.cursor)).toEqual(
        own.node.members.edges.map((e: Edge) => e.cursor),
      );
    }
  });

  it("a cursor and an order apply to each chamber's own list", async () => {
    const order = { field: "JOINED_ON", descending: true };
    const first = await statementsFor(CHAMBERS, { n: 3, m: 1, order }, staff.token);
    const cursor = first.data.chambers.edges[2].node.members.pageInfo.endCursor;
    const next = await statementsFor(CHAMBERS, { n: 3, m: 5, after: cursor, order }, staff.token);
    const third = next.data.chambers.edges[2].node.members;
    const whole = await statementsFor(CHAMBERS, { n: 3, m: 5, order }, staff.token);
    const all = whole.data.chambers.edges[2].node.members.edges.map((e: Edge) => e.cursor);
    expect(third.edges.map((e: Edge) => e.cursor)).toEqual(all.slice(1));
    expect(third.totalCount).toBe(3);
    expect(third.pageInfo.hasNextPage).toBe(false);
  });

  it("the tenant condition holds per chamber: a member sees the active members, a secretary every one", async () => {
    const query = `query ($id: ID!) { node(id: $id) { ... on Chamber {
      members(first: 10) { totalCount edges { node { status merchant { name } } } } } } }`;
    const id = globalId("Chamber", chamberIds[0]!);
    const asMember = (await statementsFor(query, { id }, member.token)).data.node.members;
    const asSecretary = (await statementsFor(query, { id }, secretary.token)).data.node.members;
    expect(asMember.totalCount).toBe(3);
    expect(asMember.edges.map((e: Edge) => e.node.status)).toEqual(["ACTIVE", "ACTIVE", "ACTIVE"]);
    expect(asSecretary.totalCount).toBe(4);
    expect(asSecretary.edges.map((e: Edge) => e.node.status).sort()).toEqual(["ACTIVE", "ACTIVE", "ACTIVE", "APPLIED"]);
    const other = await api.gql(query, { id: globalId("Chamber", chamberIds[1]!) }, member.token);
    expect(other.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
  });

  it("a count alone: still one statement for all chambers", async () => {
    const counts = `query ($n: Int) { chambers(first: $n, filter: { query: "嵌套商会" }) { edges { node {
      members { totalCount } } } } }`;
    const small = await statementsFor(counts, { n: 5 }, staff.token);
    const large = await statementsFor(counts, { n: 50 }, staff.token);
    expect(large.count).toBe(small.count);
    expect(large.data.chambers.edges.map((e: { node: ChamberNode }) => e.node.members.totalCount).slice(0, 3)).toEqual([
      4, 4, 3,
    ]);
  });

  it("leads' responses: as many statements for 50 leads as for 5", async () => {
    const query = `query ($n: Int) { leads(first: $n, filter: { kinds: [SUPPLY] }) { edges { node { title
      responses { message responder { name } } chamber { name } } } } }`;
    // the first responder answered every lead, and sees their own answers only
    const small = await statementsFor(query, { n: 5 }, responder.token);
    const large = await statementsFor(query, { n: 50 }, responder.token);
    expect(large.data.leads.edges).toHaveLength(50);
    expect(large.count).toBe(small.count);
    expect(large.data.leads.edges.map((e: { node: { responses: unknown[] } }) => e.node.responses.length)).toEqual(
      Array(50).fill(1),
    );
  });

  it("merchants' memberships: as many statements for 50 merchants as for 5", async () => {
    const query = `query ($n: Int) { merchants(first: $n, query: "甲") { edges { node { name
      memberships { level chamber { name } } } } } }`;
    const small = await statementsFor(query, { n: 5 }, staff.token);
    const large = await statementsFor(query, { n: 50 }, staff.token);
    expect(large.data.merchants.edges).toHaveLength(50);
    expect(large.count).toBe(small.count);
    expect(large.data.merchants.edges[0].node.memberships).toHaveLength(1);
  });
});
