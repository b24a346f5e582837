// Who looked (issue 19, PIPL Art. 44): every path that shows a merchant's non-public contact value to someone
// else leaves one entry (node, the directory search, a lead's poster, a secretary's export: one per merchant);
// the merchant's own views and values not shown leave none; only the merchant reads theirs; and recording adds
// one statement to a page whatever its size.
import * as db from "@wz/db";
import { createTestApi, globalId, type SeededUser, seed, type TestApi } from "@wz/testkit";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";

let api: TestApi;
let shanghaiId: string;
let merchant: { merchantId: string; user: SeededUser };
let fellow: SeededUser;
let outsider: SeededUser;
let secretary: SeededUser;
let merchantNode: string;

const LOG = `{ myAccessLog(first: 50) { totalCount edges { node {
  id at viewerName basis chamber { name } fields channel exportNumber } } } }`;
type Entry = {
  id: string;
  viewerName: string;
  basis: string;
  chamber: { name: string } | null;
  fields: string[];
  channel: string;
  exportNumber: number | null;
};
const entries = async (token: string): Promise<Entry[]> =>
  (await api.data(LOG, {}, token)).myAccessLog.edges.map((e: { node: Entry }) => e.node);
const name = async (user: SeededUser, displayName: string) =>
  api.db.db.update(db.userTable).set({ displayName }).where(eq(db.userTable.id, user.id));
const CONTACT = "mobile landline email wechat";

beforeAll(async () => {
  api = await createTestApi();
  const s = seed(api.db.db);
  const shanghai = await s.chamber({ name: "上海访问测试商会" });
  const shenzhen = await s.chamber({ name: "深圳访问测试商会" });
  shanghaiId = shanghai.id;
  merchant = await shanghai.member({
    name: "谢看见",
    mobile: "13911112222",
    mobileVisibility: "CHAMBER",
    email: "xie@example.com",
    emailVisibility: "PRIVATE",
    wechat: "xiekanjian",
    wechatVisibility: "FEDERATION",
    landline: null,
    landlineVisibility: "CHAMBER",
  });
  merchantNode = globalId("Merchant", merchant.merchantId);
  fellow = (await shanghai.member({ name: "同会员" })).user;
  outsider = (await shenzhen.member({ name: "外会员" })).user;
  secretary = await shanghai.secretary();
  await name(fellow, "同会员甲");
  await name(outsider, "深圳会员乙");
  await name(secretary, "上海秘书长");
});
afterAll(() => api.close());

// each case starts from an empty log, so it sees only what it caused
beforeEach(async () => {
  await api.db.db.delete(db.contactAccessTable);
});

const byNode = `query ($id: ID!) { node(id: $id) { ... on Merchant { ${CONTACT} } } }`;

describe("an entry for every path that shows a hidden field", () => {
  it("node: a fellow member sees the CHAMBER mobile and the FEDERATION WeChat ID, once, as one entry", async () => {
    const data = await api.data(byNode, { id: merchantNode }, fellow.token);
    expect(data.node).toEqual({ mobile: "13911112222", landline: null, email: null, wechat: "xiekanjian" });
    expect(await entries(merchant.user.token)).toEqual([
      expect.objectContaining({
        viewerName: "同会员甲",
        basis: "CHAMBER",
        chamber: { name: "上海访问测试商会" },
        fields: ["MOBILE", "WECHAT"],
        channel: "QUERY",
        exportNumber: null,
      }),
    ]);
  });

  it("the directory search: another chamber's member sees the FEDERATION WeChat ID only", async () => {
    const data = await api.data(
      `{ merchants(query: "谢看见") { edges { node { name ${CONTACT} } } } }`,
      {},
      outsider.token,
    );
    expect(data.merchants.edges[0].node).toMatchObject({ name: "谢看见", mobile: null, wechat: "xiekanjian" });
    expect(await entries(merchant.user.token)).toEqual([
      expect.objectContaining({ viewerName: "深圳会员乙", basis: "FEDERATION", chamber: null, fields: ["WECHAT"] }),
    ]);
  });

  it("a nested field: a lead's poster, read by a fellow member", async () => {
    const posted = await api.data(
      `mutation ($input: PostLeadInput!) { postLead(input: $input) { lead { id } userErrors { message } } }`,
      {
        input: {
          chamberId: globalId("Chamber", shanghaiId),
          kind: "SUPPLY",
          title: "鞋材",
          description: "供应",
          visibility: "CHAMBER",
        },
      },
      merchant.user.token,
    );
    expect(posted.postLead.userErrors).toEqual([]);
    // the poster's own answer (their mobile in the payload) left nothing
    expect(await entries(merchant.user.token)).toEqual([]);
    const leads = await api.data(`{ leads(first: 5) { edges { node { postedBy { mobile } } } } }`, {}, fellow.token);
    expect(leads.leads.edges.map((e: { node: { postedBy: { mobile: string } } }) => e.node.postedBy.mobile)).toContain(
      "13911112222",
    );
    expect(await entries(merchant.user.token)).toEqual([
      expect.objectContaining({ viewerName: "同会员甲", fields: ["MOBILE"], channel: "QUERY" }),
    ]);
  });

  it("an export by a secretary: one entry per merchant exported, with the fields in the file", async () => {
    const data = await api.data(
      `query ($input: ExportMembersInput!) { exportMembers(input: $input) { rowCount } }`,
      { input: { chamberId: globalId("Chamber", shanghaiId) } },
      secretary.token,
    );
    expect(data.exportMembers.rowCount).toBe(2);
    const mine = await entries(merchant.user.token);
    expect(mine).toEqual([
      expect.objectContaining({
        viewerName: "上海秘书长",
        basis: "SECRETARIAT",
        chamber: { name: "上海访问测试商会" },
        fields: ["MOBILE", "EMAIL", "WECHAT"],
        channel: "EXPORT",
        exportNumber: expect.any(Number),
      }),
    ]);
    // the fellow member in the same file has their own entry, of the same export
    const theirs = await entries(fellow.token);
    expect(theirs).toEqual([expect.objectContaining({ channel: "EXPORT", exportNumber: mine[0]!.exportNumber })]);
    const rows = await api.db.db.select().from(db.contactAccessTable);
    expect(rows).toHaveLength(2);
  });
});

describe("no entry", () => {
  it("for the merchant's own views", async () => {
    await api.data(`{ me { merchant { ${CONTACT} } } }`, {}, merchant.user.token);
    await api.data(byNode, { id: merchantNode }, merchant.user.token);
    expect(await entries(merchant.user.token)).toEqual([]);
  });

  it("for fields not shown (hidden, empty or public) and for anonymous visitors", async () => {
    // PRIVATE email to an outsider: null; the CHAMBER landline is empty; nothing selected that was shown
    await api.data(
      `query ($id: ID!) { node(id: $id) { ... on Merchant { email landline } } }`,
      {
        id: merchantNode,
      },
      outsider.token,
    );
    await api.data(
      `query ($id: ID!) { node(id: $id) { ... on Merchant { landline } } }`,
      { id: merchantNode },
      fellow.token,
    );
    await api.data(byNode, { id: merchantNode });
    const publicOne = await seed(api.db.db).merchant({
      name: "公开者",
      mobileVisibility: "PUBLIC",
      emailVisibility: "PUBLIC",
      wechat: null,
      landline: null,
    });
    const seen = await api.data(
      `query ($id: ID!) { node(id: $id) { ... on Merchant { mobile email } } }`,
      {
        id: globalId("Merchant", publicOne.id),
      },
      outsider.token,
    );
    expect(seen.node.mobile).toBeTruthy();
    expect(await api.db.db.select().from(db.contactAccessTable)).toEqual([]);
  });
});

describe("reading the log", () => {
  it("only the merchant reads theirs: another's entries are absent, their ids read as missing", async () => {
    await api.data(byNode, { id: merchantNode }, fellow.token);
    const [entry] = await entries(merchant.user.token);
    expect(entry).toBeDefined();
    const NODE = `query ($id: ID!) { node(id: $id) { id ... on ContactAccess { viewerName } } }`;
    expect((await api.data(NODE, { id: entry!.id }, merchant.user.token)).node).toEqual({
      id: entry!.id,
      viewerName: "同会员甲",
    });
    for (const other of [fellow, outsider, secretary]) {
      expect(await entries(other.token)).toEqual([]);
      expect((await api.data(NODE, { id: entry!.id }, other.token)).node).toBeNull();
    }
    expect((await api.data(NODE, { id: entry!.id })).node).toBeNull();
    expect((await api.data(LOG, {})).myAccessLog).toBeNull();
  });

  it("pages newest first, and the copy of one's data holds the entries", async () => {
    await api.data(byNode, { id: merchantNode }, fellow.token);
    await api.data(byNode, { id: merchantNode }, outsider.token);
    const page = await api.data(
      `{ myAccessLog(first: 1) { totalCount pageInfo { hasNextPage endCursor } edges { node { viewerName } } } }`,
      {},
      merchant.user.token,
    );
    expect(page.myAccessLog).toMatchObject({ totalCount: 2, pageInfo: { hasNextPage: true } });
    expect(page.myAccessLog.edges[0].node.viewerName).toBe("深圳会员乙");
    const next = await api.data(
      `query ($after: String) { myAccessLog(first: 1, after: $after) { edges { node { viewerName } } } }`,
      { after: page.myAccessLog.pageInfo.endCursor },
      merchant.user.token,
    );
    expect(next.myAccessLog.edges[0].node.viewerName).toBe("同会员甲");
    const copy = JSON.parse(
      (await api.data(`{ myPersonalData { content } }`, {}, merchant.user.token)).myPersonalData.content,
    );
    expect(copy.whoSawYourContact).toEqual([
      expect.objectContaining({ viewer: "同会员甲", fields: ["MOBILE", "WECHAT"], basis: "CHAMBER" }),
      expect.objectContaining({ viewer: "深圳会员乙", fields: ["WECHAT"], basis: "FEDERATION" }),
    ]);
  });
});

describe("when an entry cannot be written", () => {
  it("the answer is withheld: no contact value leaves without its entry", async () => {
    // a real failure of the write: the table refuses every new row for a moment
    await api.db.asOwner("alter table contact_access add constraint refuse_all check (false) not valid");
    try {
      const result = await api.gql(byNode, { id: merchantNode }, fellow.token);
      expect(result.data ?? null).toBeNull();
      expect(result.errors?.map((e) => e.extensions?.code)).toEqual(["DATABASE_UNAVAILABLE"]);
      expect(JSON.stringify(result)).not.toContain("13911112222");
      // a query that shows nothing hidden needs no entry and is answered as usual
      const plain = await api.gql(
        `query ($id: ID!) { node(id: $id) { ... on Merchant { name } } }`,
        {
          id: merchantNode,
        },
        fellow.token,
      );
      expect(plain.data?.node).toEqual({ name: "谢看见" });
    } finally {
      await api.db.asOwner("alter table contact_access drop constraint refuse_all");
    }
    expect(await api.db.db.select().from(db.contactAccessTable)).toEqual([]);
  });
});

describe("what recording costs", () => {
  it("a page of 5 and of 50 merchants with mobiles: the same statements, the recording one of them", async () => {
    const s = seed(api.db.db);
    const chamber = await s.chamber({ name: "批量访问商会" });
    for (let i = 0; i < 50; i++)
      await chamber.member({ name: `批访${String(i).padStart(2, "0")}`, mobileVisibility: "PRIVATE" });
    const reader = await chamber.secretary();
    const cost = async (first: number) => {
      api.db.resetStatements();
      const data = await api.data(
        `query ($first: Int) { merchants(query: "批访", first: $first) { edges { node { name mobile } } } }`,
        { first },
        reader.token,
      );
      expect(data.merchants.edges).toHaveLength(first);
      expect(data.merchants.edges.every((e: { node: { mobile: string | null } }) => e.node.mobile)).toBe(true);
      const statements = [...api.db.statements];
      expect(statements.filter((q) => /insert into "contact_access"/.test(q))).toHaveLength(1);
      return statements.length;
    };
    expect(await cost(5)).toBe(await cost(50));
    // one entry per merchant shown per page read
    expect(await api.db.db.select().from(db.contactAccessTable)).toHaveLength(55);
  });
});
