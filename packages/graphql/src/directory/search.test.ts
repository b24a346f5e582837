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
  await a.member({
    name: "陈一新",
    nameLatin: "Chen Yixin",
    hometownDistrict: "330302",
    provinceCode: "31",
    tags: ["LEADING_GOOSE"],
    companies: [{ name: "温州一新鞋业有限公司", industry: "C" }],
  });
  await a.member({ name: "陈新", hometownDistrict: "330381", provinceCode: "31" });
  await b.member({ name: "林陈", hometownDistrict: "330302", provinceCode: "44", tags: ["NEW_GENERATION"] });
  await b.member({ name: "陈", provinceCode: "44" });
  await b.member({
    name: "王小明",
    nameLatin: "Wang Xiaoming",
    provinceCode: "44",
    companies: [{ name: "明日眼镜", industry: "F" }],
  });
  await b.member({ name: "赵六", companies: [{ name: "一新科技", industry: "I" }] });
  await a.member({
    name: "周密",
    mobile: "13812345678",
    mobileVisibility: "PRIVATE",
    email: "hidden-zhou@example.com",
    emailVisibility: "PRIVATE",
  });
  const merged = await s.merchant({ name: "陈一新" });
  const survivor = await s.merchant({ name: "陈旧" });
  await api.db.db.update(merchantTable).set({ mergedIntoId: survivor.id }).where(eq(merchantTable.id, merged.id));
  memberA = (await a.member({ name: "看客" })).user.token;
  memberB = (await b.member({ name: "路人" })).user.token;
});
afterAll(() => api.close());

async function search(query: string | null, filter?: Record<string, unknown>, token: string | null = null) {
  const result = await api.data(
    `query ($q: String, $f: MerchantFilter) { merchants(query: $q, filter: $f, first: 50) { totalCount edges { node {
      name } } } }`,
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
    for (const q of ["chenyixin", "chen yixin", "ChenYixin", "CYX", "cyx", "Chen Yixin"])
      expect(await search(q), q).toEqual(["陈一新"]);
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
    expect(await search(null, { hometownDistricts: ["330381"] })).toEqual(["陈新"]);
    expect(await search(null, { tags: ["LEADING_GOOSE"] })).toEqual(["陈一新"]);
    expect(await search("陈", { tags: ["NEW_GENERATION"] })).toEqual(["林陈"]);
    expect(await search(null, { industries: ["F"] })).toEqual(["王小明"]);
    expect(await search("一新", { industries: ["I"] })).toEqual(["赵六"]);
  });

  it("by chamber: only for chambers whose members the viewer may list; another chamber's looks empty", async () => {
    const a = globalId("Chamber", chamberA);
    expect((await search("陈", { chamberIds: [a] }, memberA)).sort()).toEqual(["陈一新", "陈新"].sort());
    const foreign = await search("陈", { chamberIds: [a] }, memberB);
    const missing = await search(
      "陈",
      { chamberIds: [globalId("Chamber", "00000000-0000-4000-8000-000000000000")] },
      memberB,
    );
    expect(foreign).toEqual([]);
    expect(missing).toEqual(foreign);
    expect(await search("陈", { chamberIds: [a] })).toEqual([]);
    expect((await search(null, { chamberIds: [globalId("Chamber", chamberB)] }, memberB)).sort()).toEqual(
      ["林陈", "陈", "王小明", "赵六", "路人"].sort(),
    );
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
      const page: {
        merchants: {
          totalCount: number;
          edges: { node: { name: string } }[];
          pageInfo: { hasNextPage: boolean; endCursor: string };
        };
      } = await api.data(q, { q: "陈", first: 2, after });
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

describe("pinyin, Latin and company sources merged in one ranked order", () => {
  // Exact pinyin, initials or Latin name first, then by name; a merchant found several ways is listed once.
  const ZHUGE = ["张三", "诸葛", "李四", "王五", "诸葛亮", "诸葛均", "诸葛恪", "诸葛瑾"];
  let chamberC: Awaited<ReturnType<ReturnType<typeof seed>["chamber"]>>;

  beforeAll(async () => {
    chamberC = await seed(api.db.db).chamber({ name: "温州丙" });
    for (const name of ["诸葛", "诸葛瑾", "诸葛均", "诸葛恪"]) await chamberC.member({ name });
    await chamberC.member({ name: "诸葛亮", nameLatin: "Zhuge Liang" }); // pinyin and Latin name both match
    await chamberC.member({ name: "张三", nameLatin: "Zhuge" }); // exact Latin name
    await chamberC.member({ name: "李四", companies: [{ name: "Zhuge Trading" }, { name: "诸葛亮科技有限公司" }] });
    await chamberC.member({ name: "王五", nameLatin: "Wang Zhugel", provinceCode: "44" }); // Latin substring
  });

  /** Every name, page by page forward (`first`/`after`) and then backward from the end (`last`/`before`). */
  async function walk(query: string, size: number) {
    const q = `query ($q: String, $first: Int, $after: String, $last: Int, $before: String) {
      merchants(query: $q, first: $first, after: $after, last: $last, before: $before) {
        totalCount edges { node { name } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }`;
    type Page = {
      merchants: {
        totalCount: number;
        edges: { node: { name: string } }[];
        pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string; endCursor: string };
      };
    };
    const forward: string[] = [];
    let after: string | null = null;
    for (;;) {
      const page: Page = await api.data(q, { q: query, first: size, after });
      forward.push(...page.merchants.edges.map((e) => e.node.name));
      if (!page.merchants.pageInfo.hasNextPage) break;
      after = page.merchants.pageInfo.endCursor;
    }
    const backward: string[] = [];
    let before: string | null = null;
    for (;;) {
      const page: Page = await api.data(q, { q: query, last: size, before });
      backward.unshift(...page.merchants.edges.map((e) => e.node.name));
      if (!page.merchants.pageInfo.hasPreviousPage) break;
      before = page.merchants.pageInfo.startCursor;
    }
    return { forward, backward };
  }

  it(
    "a pinyin prefix: exact pinyin or Latin name first, then Latin-name, company and pinyin matches by " + "name",
    async () => {
      expect(await search("zhuge")).toEqual(ZHUGE);
      expect(await search("ZHUGE")).toEqual(ZHUGE);
    },
  );

  it("pages across the exact/other boundary forward and back without losing or repeating anyone", async () => {
    for (const size of [1, 2, 3]) {
      const { forward, backward } = await walk("zhuge", size);
      expect(forward, `first: ${size}`).toEqual(ZHUGE);
      expect(backward, `last: ${size}`).toEqual(ZHUGE);
    }
    const initials = await walk("zg", 2);
    expect(initials.forward).toEqual(["诸葛", "诸葛亮", "诸葛均", "诸葛恪", "诸葛瑾"]);
    expect(initials.backward).toEqual(initials.forward);
    const chinese = await walk("诸葛亮", 1);
    expect(chinese.forward).toEqual(["诸葛亮", "李四"]);
    expect(chinese.backward).toEqual(chinese.forward);
  });

  it("an exact Latin name ranks first, whatever its case", async () => {
    expect((await search("Zhuge Liang"))[0]).toBe("诸葛亮");
    expect((await search("zhuge  LIANG"))[0]).toBe("诸葛亮");
    expect(await search("zhuge liang")).toEqual(["诸葛亮"]);
  });

  it("filters apply to every source", async () => {
    expect(await search("zhuge", { provinceCodes: ["44"] })).toEqual(["王五"]);
    expect(await search("zhuge", { provinceCodes: ["31"] })).toEqual(ZHUGE.filter((n) => n !== "王五"));
    const c = globalId("Chamber", chamberC.id);
    expect(await search("zhuge", { chamberIds: [c] }, memberA)).toEqual([]);
  });

  it("a name or Latin name change moves the pinyin, initials and Latin keys", async () => {
    const me = await chamberC.member({ name: "欧阳锋", nameLatin: "Ouyang Feng" });
    expect(await search("ouyang")).toEqual(["欧阳锋"]);
    const { updateMyProfile } = await api.data(
      `mutation ($input: UpdateMyProfileInput!) { updateMyProfile(input: $input) { userErrors { message } } }`,
      { input: { name: "司马恪", nameLatin: "Sima Ke" } },
      me.user.token,
    );
    expect(updateMyProfile.userErrors).toEqual([]);
    for (const q of ["ouyang", "ouyangfeng", "oyf", "ouyang feng", "欧阳"]) expect(await search(q), q).toEqual([]);
    for (const q of ["simake", "sima", "smk", "sima ke", "Sima Ke", "司马"])
      expect(await search(q), q).toEqual(["司马恪"]);
    await api.data(
      `mutation ($input: UpdateMyProfileInput!) { updateMyProfile(input: $input) { userErrors { message } } }`,
      { input: { nameLatin: "Zhuge" } },
      me.user.token,
    );
    expect(await search("zhuge")).toEqual(["司马恪", ...ZHUGE]);
    await api.data(
      `mutation ($input: UpdateMyProfileInput!) { updateMyProfile(input: $input) { userErrors { message } } }`,
      { input: { nameLatin: null } },
      me.user.token,
    );
    expect(await search("zhuge")).toEqual(ZHUGE);
    expect(await search("sima ke")).toEqual(["司马恪"]);
  });
});
