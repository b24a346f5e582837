// Chambers come back as Chinese readers expect: by pinyin (北京, 全国…总会, 上海, 云南, 重庆), not by code point
// (上海, 云南, 全国…, 北京), the same on PostgreSQL and PGlite; keyset pages follow that order both ways, and a
// chamber's children too. Rows from before the sort key existed get theirs at the next start.
import { refreshChamberSortKeys } from "@wz/core";
import { chamberTable } from "@wz/db";
import { createTestApi, globalId, seed, type TestApi } from "@wz/testkit";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

let api: TestApi;
let federationId: string;
const NAMES = [
  "上海市温州商会",
  "云南省温州商会",
  "北京市温州商会",
  "重庆市温州商会",
  "长沙温州商会",
  "安徽省温州商会",
];
// by pinyin: an(1) bei(3) chang(2) chong(2) quan(2) shang(4) yun(2); 长 reads chang in 长沙, 重 chong in 重庆
const EXPECTED = [
  "安徽省温州商会",
  "北京市温州商会",
  "长沙温州商会",
  "重庆市温州商会",
  "全国温州商会总会",
  "上海市温州商会",
  "云南省温州商会",
];

beforeAll(async () => {
  api = await createTestApi();
  const s = seed(api.db.db);
  federationId = (await s.federation()).id;
  for (const name of NAMES) await s.chamber({ name });
});
afterAll(() => api?.close());

type Page = { edges: { cursor: string; node: { name: string } }[]; pageInfo: Record<string, unknown> };
const PAGE = `query ($first: Int, $after: String, $last: Int, $before: String) {
  chambers(first: $first, after: $after, last: $last, before: $before) {
    edges { cursor node { name } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }`;
const page = async (variables: Record<string, unknown>) =>
  (await api.data<{ chambers: Page }>(PAGE, variables)).chambers;
const names = (p: Page) => p.edges.map((e) => e.node.name);

describe("chambers in pinyin order", () => {
  it("lists chambers by pinyin, polyphones read in context", async () => {
    expect(names(await page({ first: 100 }))).toEqual(EXPECTED);
  });

  it("pages forward and backward in that order with keyset cursors", async () => {
    const forward: string[] = [];
    let after: string | null = null;
    for (let hasNext = true; hasNext; ) {
      const p = await page({ first: 2, after });
      forward.push(...names(p));
      hasNext = p.pageInfo.hasNextPage as boolean;
      after = p.pageInfo.endCursor as string;
    }
    expect(forward).toEqual(EXPECTED);
    const backward: string[] = [];
    let before: string | null = null;
    for (let hasPrevious = true; hasPrevious; ) {
      const p = await page({ last: 3, before });
      backward.unshift(...names(p));
      hasPrevious = p.pageInfo.hasPreviousPage as boolean;
      before = p.pageInfo.startCursor as string;
    }
    expect(backward).toEqual(EXPECTED);
  });

  it("a chamber's children come in the same order", async () => {
    const result = await api.data(`query ($id: ID!) { node(id: $id) { ... on Chamber { children { name } } } }`, {
      id: globalId("Chamber", federationId),
    });
    expect(result.node.children.map((c: { name: string }) => c.name)).toEqual(
      EXPECTED.filter((n) => !n.includes("总会")),
    );
  });

  it("a renamed chamber moves to its new place", async () => {
    const staff = await seed(api.db.db).federationStaff();
    const [yunnan] = await api.db.db.select().from(chamberTable).where(eq(chamberTable.name, "云南省温州商会"));
    const renamed = await api.data(
      `mutation ($input: UpdateChamberInput!) { updateChamber(input: $input) { userErrors { message } } }`,
      { input: { chamberId: globalId("Chamber", yunnan!.id), name: "阿坝温州商会" } },
      staff.token,
    );
    expect(renamed.updateChamber.userErrors).toEqual([]);
    expect(names(await page({ first: 100 }))[0]).toBe("阿坝温州商会");
  });

  it("chambers from before the sort key get theirs when the server starts (refreshChamberSortKeys)", async () => {
    await api.db.db.update(chamberTable).set({ nameSort: "" }).where(eq(chamberTable.name, "北京市温州商会"));
    expect(names(await page({ first: 1 }))).toEqual(["北京市温州商会"]);
    expect(await refreshChamberSortKeys(api.db.db)).toBe(1);
    expect(names(await page({ first: 2 }))).toEqual(["阿坝温州商会", "安徽省温州商会"]);
  });
});
