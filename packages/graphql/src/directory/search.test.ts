// Directory search: Chinese substrings of one, two and more characters, pinyin in full and by initials,
// Latin names in any case, company names, filters, ranking, paging — and never a hidden contact field.
import { merchantTable } from "@wz/db";
import { createTestApi, globalId, seed, type TestApi } from "@wz/testkit";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

let api: TestApi;
let chamberA: string;
let chamberB: string;
let memberA: string;
let memberB: string;

beforeAll(async () => {
  api = await createTestApi();
  const s = seed(api.db.db);
  const a = await s.chamber({ name: "上海甲" });
  const b = await s.chamber({ name: "深圳乙" });
  chamberA = a.id;
  chamberB = b.id;
  await a.member({ name: "陈一新", nameLatin: "Chen Yixin", hometownDistrict: "330302", provinceCode: "31", tags: ["LEADING_GOOSE"], companies: [{ name: "温州一新鞋业有限公司", industry: "C" }] });
  await a.member({ name: "陈新", hometownDistrict: "330381", provinceCode: "31" });
  await b.member({ name: "林陈", hometownDistrict: "330302", provinceCode: "44", tags: ["NEW_GENERATION"] });
  await b.member({ name: "陈", provinceCode: "44" });
  await b.member({ name: "王小明", nameLatin: "Wang Xiaoming", provinceCode: "44", companies: [{ name: "明日眼镜", industry: "F" }] });
  await b.member({ name: "赵六", companies: [{ name: "一新科技", industry: "I" }] });
  await a.member({ name: "周密", mobile: "13812345678", mobileVisibility: "PRIVATE", email: "hidden-zhou@example.com", emailVisibility: "PRIVATE" });
  const merged = await s.merchant({ name: "陈一新" });
  const survivor = await s.merchant({ name: "陈旧" });
  await api.db.db.update(merchantTable).set({ mergedIntoId: survivor.id }).where(eq(merchantTable.id, merged.id));
  memberA = (await a.member({ name: "看客" })).user.token;
  memberB = (await b.member({ name: "路人" })).user.token;
});
afterAll(() => api.close());

async function search(query: string | null, filter?: Record<string, unknown>, token: string | null = null) {
  const result = await api.data(
    `query ($q: String, $f: MerchantFilter) { merchants(query: $q, filter: $f, first: 50) { totalCount edges { node { name } } } }`,
    { q: query, f: filter },
    token,
  );
  const names: string[] = result.merchants.edges.map((e: { node: { name: string } }) => e.node.name);
  expect(result.merchants.totalCount).toBe(names.length);
  return names;
}

describe("Chinese names", () => {
  it("a single character finds every name holding it, the exact name first", async () => {
    const names = await search("陈");
    expect(names[0]).toBe("陈");
    expect(names.sort()).toEqual(["林陈", "陈", "陈一新", "陈新", "陈旧"].sort());
  });

  it("two characters match inside names and company names", async () => {
    expect((await search("一新")).sort()).toEqual(["赵六", "陈一新"].sort());
    expect(await search("小明")).toEqual(["王小明"]);
    expect(await search("眼镜")).toEqual(["王小明"]);
  });

  it("three or more characters match the exact substring, in names and companies", async () => {
    expect(await search("陈一新")).toEqual(["陈一新"]);
    expect(await search("一新鞋业")).toEqual(["陈一新"]);
    expect(await search("新陈一")).toEqual([]);
    expect(await search("一新科技有限")).toEqual([]);
  });

  it("a merged profile is not found twice", async () => {
    expect((await search("陈一新")).filter((n) => n === "陈一新")).toHaveLength(1);
  });
});

describe("pinyin and Latin names", () => {
  it("full pinyin with or without spaces, initials, any case", async () => {
    for (const q of ["chenyixin", "chen yixin", "ChenYixin", "CYX", "cyx", "Chen Yixin"]) expect(await search(q), q).toEqual(["陈一新"]);
  });

  it("a pinyin prefix finds all whose pinyin starts with it", async () => {
    expect((await search("chen")).sort()).toEqual(["陈", "陈一新", "陈新", "陈旧"].sort());
    expect((await search("cx")).sort()).toEqual(["陈新"]);
  });

  it("Latin names match by substring, case-insensitively", async () => {
    expect(await search("XIAOMING")).toEqual(["王小明"]);
    expect(await search("wang x")).toEqual(["王小明"]);
  });

  it("exact pinyin ranks first", async () => {
    const names = await search("chen");
    expect(names[0]).toBe("陈");
  });
});

describe("hidden fields are never searched", () => {
  it("a query matching only a private mobile or email finds nothing", async () => {
    expect(await search("13812345678")).toEqual([]);
    expect(await search("1381234")).toEqual([]);
    expect(await search("hidden-zhou")).toEqual([]);
    expect(await search("hidden-zhou@example.com", undefined, memberA)).toEqual([]);
  });
});

describe("filters", () => {
  it("by province, hometown, tag and industry, alone and with a query", async () => {
    expect((await search("陈", { provinceCodes: ["44"] })).sort()).toEqual(["林陈", "陈"].sort());
    expect((await search(null, { hometownDistricts: ["330381"] }))).toEqual(["陈新"]);
    expect(await search(null, { tags: ["LEADING_GOOSE"] })).toEqual(["陈一新"]);
    expect(await search("陈", { tags: ["NEW_GENERATION"] })).toEqual(["林陈"]);
    expect(await search(null, { industries: ["F"] })).toEqual(["王小明"]);
    expect(await search("一新", { industries: ["I"] })).toEqual(["赵六"]);
  });

  it("by chamber: only for chambers whose members the viewer may list; another chamber's looks empty", async () => {
    const a = globalId("Chamber", chamberA);
    expect((await search("陈", { chamberIds: [a] }, memberA)).sort()).toEqual(["陈一新", "陈新"].sort());
    const foreign = await search("陈", { chamberIds: [a] }, memberB);
    const missing = await search("陈", { chamberIds: [globalId("Chamber", "00000000-0000-4000-8000-000000000000")] }, memberB);
    expect(foreign).toEqual([]);
    expect(missing).toEqual(foreign);
    expect(await search("陈", { chamberIds: [a] })).toEqual([]);
    expect((await search(null, { chamberIds: [globalId("Chamber", chamberB)] }, memberB)).sort()).toEqual(["林陈", "陈", "王小明", "赵六", "路人"].sort());
  });
});

describe("paging", () => {
  it("pages through a search forward and back without losing or repeating anyone", async () => {
    const q = `query ($q: String, $first: Int, $after: String, $last: Int, $before: String) {
      merchants(query: $q, first: $first, after: $after, last: $last, before: $before) {
        totalCount edges { cursor node { name } } pageInfo { hasNextPage endCursor startCursor } } }`;
    const all = await search("陈");
    const seen: string[] = [];
    let after: string | null = null;
    let pages = 0;
    for (;;) {
      const page: { merchants: { totalCount: number; edges: { node: { name: string } }[]; pageInfo: { hasNextPage: boolean; endCursor: string } } } = await api.data(q, { q: "陈", first: 2, after });
      expect(page.merchants.totalCount).toBe(5);
      seen.push(...page.merchants.edges.map((e) => e.node.name));
      pages++;
      if (!page.merchants.pageInfo.hasNextPage) break;
      after = page.merchants.pageInfo.endCursor;
    }
    expect(pages).toBe(3);
    expect(seen).toEqual(all);
    // `after` is now the end of the second page (the fourth name): the two before it are the second and third.
    const back = await api.data(q, { q: "陈", last: 2, before: after });
    expect(back.merchants.edges.map((e: { node: { name: string } }) => e.node.name)).toEqual(all.slice(1, 3));
  });

  it("the whole directory pages by name", async () => {
    const first = await api.data(`{ merchants(first: 3) { totalCount edges { node { name } } } }`);
    expect(first.merchants.totalCount).toBeGreaterThanOrEqual(10);
    expect(first.merchants.edges).toHaveLength(3);
  });
});
