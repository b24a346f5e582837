// The contract's conventions: userErrors leave nothing changed, error codes, masked unexpected errors,
// node/nodes with foreign, missing and malformed IDs, connections.
import { chamberTable } from "@wz/db";
import { createTestApi, globalId, seed, type TestApi } from "@wz/testkit";
import { count } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

let api: TestApi;
beforeAll(async () => {
  api = await createTestApi();
});
afterAll(() => api.close());

const CREATE = `mutation ($input: CreateChamberInput!) { createChamber(input: $input) { chamber { id name kind parent {
  name } } userErrors { field message code } } }`;
const chamberCount = async () => (await api.db.db.select({ n: count() }).from(chamberTable))[0]!.n;

describe("mutations", () => {
  it("bad input gives one userError per problem and changes nothing", async () => {
    const staff = await seed(api.db.db).federationStaff();
    const before = await chamberCount();
    const { createChamber } = await api.data(
      CREATE,
      { input: { kind: "MUNICIPAL", name: "", provinceCode: "99", slug: "Bad Slug" } },
      staff.token,
    );
    expect(createChamber.chamber).toBeNull();
    expect(createChamber.userErrors).toEqual([
      { field: ["input", "name"], message: "Name is required.", code: "INVALID" },
      { field: ["input", "provinceCode"], message: '"99" is not one of the 31 province codes.', code: "INVALID" },
      { field: ["input", "city"], message: "A municipal chamber needs its city.", code: "INVALID" },
      {
        field: ["input", "slug"],
        message: "A slug is lowercase letters, digits and single hyphens, at most 60 characters.",
        code: "INVALID",
      },
    ]);
    expect(await chamberCount()).toBe(before);
  });

  it("a conflict is CONFLICT and changes nothing; good input creates the chamber under the federation", async () => {
    const s = seed(api.db.db);
    await s.federation();
    const staff = await s.federationStaff();
    const input = {
      kind: "MUNICIPAL",
      name: "合肥温州商会",
      nameEn: "Hefei Wenzhou Chamber",
      provinceCode: "34",
      city: "合肥",
    };
    const first = await api.data(CREATE, { input }, staff.token);
    expect(first.createChamber.userErrors).toEqual([]);
    expect(first.createChamber.chamber).toMatchObject({
      name: "合肥温州商会",
      kind: "MUNICIPAL",
      parent: { name: "全国温州商会总会" },
    });
    const before = await chamberCount();
    const second = await api.data(CREATE, { input: { ...input, slug: "hefei-2" } }, staff.token);
    expect(second.createChamber.userErrors).toEqual([
      {
        field: ["input", "city"],
        message: "One chamber per place: this city already has a chamber of this kind.",
        code: "CONFLICT",
      },
    ]);
    expect(await chamberCount()).toBe(before);
  });

  it("a secretary or member is FORBIDDEN to create chambers, anonymous is UNAUTHENTICATED", async () => {
    const s = seed(api.db.db);
    const chamber = await s.chamber();
    const secretary = await chamber.secretary();
    const member = await chamber.member();
    const input = { kind: "OVERSEAS", name: "意大利温州同乡会", countryCode: "IT", slug: "italy" };
    for (const [token, code] of [
      [secretary.token, "FORBIDDEN"],
      [member.user.token, "FORBIDDEN"],
      [null, "UNAUTHENTICATED"],
    ] as const) {
      const result = await api.gql(CREATE, { input }, token);
      expect(result.data).toBeNull();
      expect(result.errors).toHaveLength(1);
      expect(result.errors![0]!.extensions!.code).toBe(code);
    }
  });
});

describe("node and nodes", () => {
  it("resolve visible objects, and null for missing, malformed and foreign-tenant IDs alike", async () => {
    const s = seed(api.db.db);
    const shanghai = await s.chamber({ name: "上海测试" });
    const shenzhen = await s.chamber({ name: "深圳测试" });
    const shanghaiMember = await shanghai.member({ name: "陈一新" });
    const shenzhenSecretary = await shenzhen.secretary();
    const shanghaiSecretary = await shanghai.secretary();
    const membershipId = globalId("Membership", shanghaiMember.membershipId);
    const missing = globalId("Membership", "00000000-0000-4000-8000-000000000000");
    const q = `query ($id: ID!, $ids: [ID!]!) { node(id: $id) { id ... on Membership { status merchant { name } } }
      nodes(ids: $ids) { id } }`;

    const own = await api.data(q, { id: membershipId, ids: [membershipId, missing] }, shanghaiSecretary.token);
    expect(own.node).toEqual({ id: membershipId, status: "ACTIVE", merchant: { name: "陈一新" } });
    expect(own.nodes).toEqual([{ id: membershipId }, null]);

    // Another chamber's secretary gets exactly what a missing ID gets.
    const foreign = await api.data(q, { id: membershipId, ids: [membershipId, missing] }, shenzhenSecretary.token);
    const absent = await api.data(q, { id: missing, ids: [missing, missing] }, shenzhenSecretary.token);
    expect(foreign).toEqual({ node: null, nodes: [null, null] });
    expect(absent).toEqual(foreign);

    const malformed = await api.gql(`{ node(id: "not-a-global-id") { id } }`, {}, shanghaiSecretary.token);
    expect(malformed.data?.node ?? null).toBeNull();
    const wrongUuid = await api.data(`query ($id: ID!) { node(id: $id) { id } }`, { id: globalId("Chamber", "123") });
    expect(wrongUuid.node).toBeNull();

    // Chambers are public.
    const chamber = await api.data(`query ($id: ID!) { node(id: $id) { ... on Chamber { name } } }`, {
      id: globalId("Chamber", shanghai.id),
    });
    expect(chamber.node).toEqual({ name: "上海测试" });
  });
});

describe("connections", () => {
  it("page forward and backward with stable cursors and a totalCount", async () => {
    const s = seed(api.db.db);
    const parent = await s.chamber({ name: "父商会" });
    for (const name of ["甲", "乙", "丙", "丁", "戊"]) await s.chamber({ name: `子${name}`, parentId: parent.id });
    const q = `query ($first: Int, $after: String, $last: Int, $before: String, $parent: ID) {
      chambers(first: $first, after: $after, last: $last, before: $before, filter: { parentId: $parent }) {
        totalCount edges { cursor node { name } } pageInfo { hasNextPage hasPreviousPage endCursor startCursor }
      } }`;
    const parentId = globalId("Chamber", parent.id);
    const page1 = (await api.data(q, { first: 2, parent: parentId })).chambers;
    expect(page1.totalCount).toBe(5);
    expect(page1.pageInfo.hasNextPage).toBe(true);
    const page2 = (await api.data(q, { first: 2, after: page1.pageInfo.endCursor, parent: parentId })).chambers;
    const page3 = (await api.data(q, { first: 2, after: page2.pageInfo.endCursor, parent: parentId })).chambers;
    expect(page3.pageInfo.hasNextPage).toBe(false);
    const names = [...page1.edges, ...page2.edges, ...page3.edges].map((e: { node: { name: string } }) => e.node.name);
    expect(names).toHaveLength(5);
    expect(new Set(names).size).toBe(5);
    const back = (await api.data(q, { last: 2, before: page3.pageInfo.startCursor, parent: parentId })).chambers;
    expect(back.edges.map((e: { node: { name: string } }) => e.node.name)).toEqual(names.slice(2, 4));
    const bad = await api.gql(q, { first: 2, after: "garbage", parent: parentId });
    expect(bad.errors?.[0]?.message).toMatch(/not a cursor/);
  });
});

describe("unexpected errors", () => {
  it("are masked: no SQL, stack or driver text reaches the client", async () => {
    const broken = await createTestApi();
    await broken.db.close();
    const result = await broken.gql(`{ chambers(first: 1) { edges { node { name } } } }`);
    expect(result.errors).toHaveLength(1);
    expect(result.errors![0]!.message).toBe("Unexpected error.");
    expect(result.errors![0]!.extensions!.code).toBe("INTERNAL_SERVER_ERROR");
    expect(JSON.stringify(result)).not.toMatch(/select|chamber"|PGlite|closed/i);
    await broken.db.dispose().catch(() => {});
  }, 120_000);
});
