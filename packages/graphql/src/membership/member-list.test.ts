// Finding members: Chamber.members filters and orders, the export honouring the same filters and the
// visibility rule, fee schedules, and dues/notes batched (constant statements at 5 and 50 rows).
import { auditLogTable } from "@wz/db";
import { createTestApi, globalId, type SeededUser, seed, type TestApi } from "@wz/testkit";
import { and, eq } from "drizzle-orm";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

let api: TestApi;
let chamberId: string;
let chamberDbId: string;
let secretary: SeededUser;
let member: SeededUser;
let staff: SeededUser;

beforeAll(async () => {
  api = await createTestApi();
  const s = seed(api.db.db);
  const chamber = await s.chamber();
  chamberDbId = chamber.id;
  chamberId = globalId("Chamber", chamber.id);
  secretary = await chamber.secretary();
  staff = await s.federationStaff();
  const people = [
    {
      name: "陈一新",
      level: "VICE_PRESIDENT",
      hometownDistrict: "330302",
      industry: "C",
      expiresOn: "2099-01-01",
      mobileVisibility: "PRIVATE",
    },
    {
      name: "王海",
      level: "DIRECTOR",
      hometownDistrict: "330381",
      industry: "F",
      expiresOn: "2030-06-30",
      mobileVisibility: "CHAMBER",
    },
    {
      name: "李娜",
      level: "MEMBER",
      hometownDistrict: "330381",
      industry: "C",
      expiresOn: "2020-01-01",
      mobileVisibility: "PUBLIC",
    },
    {
      name: "张伟",
      level: "MEMBER",
      hometownDistrict: "330382",
      industry: "E",
      expiresOn: null,
      mobileVisibility: "CHAMBER",
    },
  ] as const;
  for (const p of people)
    await chamber.member({
      name: p.name,
      level: p.level,
      hometownDistrict: p.hometownDistrict,
      expiresOn: p.expiresOn,
      mobileVisibility: p.mobileVisibility,
      companies: [{ name: `${p.name}公司`, industry: p.industry }],
    });
  await chamber.member({ name: "赵敏", status: "SUSPENDED", expiresOn: "2095-01-01" });
  member = (await chamber.member({ name: "孙丽", level: "MEMBER", expiresOn: "2099-12-31" })).user;
  for (let i = 0; i < 50; i++)
    await chamber.member({ name: `会员${String(i).padStart(2, "0")}`, expiresOn: "2088-01-01" });
});
afterAll(() => api.close());

const LIST = `query ($id: ID!, $filter: MemberFilter, $orderBy: MemberOrder, $first: Int, $after: String) { node(id:
  $id) { ... on Chamber {
  members(filter: $filter, orderBy: $orderBy, first: $first, after: $after) { totalCount pageInfo { endCursor
    hasNextPage } edges { node { status level expiresOn merchant { name } } } } } } }`;
const names = async (variables: Record<string, unknown>, token = secretary.token) => {
  const result = (await api.data(LIST, { id: chamberId, ...variables }, token)).node.members;
  return {
    total: result.totalCount as number,
    names: result.edges.map((e: { node: { merchant: { name: string } } }) => e.node.merchant.name) as string[],
  };
};

describe("Chamber.members", () => {
  it(
    "filters by status, level, hometown (code or name), " + "industry, expiry and name (Chinese, pinyin, initials)",
    async () => {
      const f = (filter: Record<string, unknown>) => names({ filter, first: 100 });
      expect(await f({ status: ["LAPSED"] })).toEqual({ total: 1, names: ["李娜"] });
      expect(await f({ status: ["SUSPENDED"] })).toEqual({ total: 1, names: ["赵敏"] });
      expect((await f({ levels: ["VICE_PRESIDENT", "DIRECTOR"] })).names.sort()).toEqual(["王海", "陈一新"].sort());
      expect((await f({ hometownDistricts: ["瑞安市"] })).names.sort()).toEqual(["李娜", "王海"].sort());
      expect((await f({ hometownDistricts: ["330382"] })).names).toEqual(["张伟"]);
      expect((await f({ industries: ["C"] })).names.sort()).toEqual(["李娜", "陈一新"].sort());
      expect((await f({ industries: ["建筑业"] })).names).toEqual(["张伟"]);
      expect((await f({ expiresBefore: "2031-01-01" })).names.sort()).toEqual(["李娜", "王海"].sort());
      expect((await f({ query: "一新" })).names).toEqual(["陈一新"]);
      expect((await f({ query: "chenyixin" })).names).toEqual(["陈一新"]);
      expect((await f({ query: "cyx" })).names).toEqual(["陈一新"]);
      expect(await f({ query: "50%_" })).toEqual({ total: 0, names: [] });
      expect((await f({ status: ["ACTIVE"], levels: ["MEMBER"], hometownDistricts: ["330382"] })).names).toEqual([
        "张伟",
      ]);
    },
  );

  it("orders by name, joining date or expiry, both ways, with stable cursors", async () => {
    const all = await names({ first: 100, orderBy: { field: "EXPIRES_ON" } });
    expect(all.total).toBe(56);
    expect(all.names.slice(0, 2)).toEqual(["李娜", "王海"]);
    expect(all.names[2]).toMatch(/^会员/); // the 50 who expire on the same day follow, in id order
    expect(all.names.at(-1)).toBe("张伟"); // never expires: last
    const desc = await names({ first: 2, orderBy: { field: "EXPIRES_ON", descending: true } });
    expect(desc.names).toEqual(["张伟", "孙丽"]);
    // Paging through by expiry gives every member exactly once.
    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      type Page = {
        edges: { node: { merchant: { name: string } } }[];
        pageInfo: { hasNextPage: boolean; endCursor: string };
      };
      const page: Page = (
        await api.data(LIST, { id: chamberId, first: 7, after, orderBy: { field: "EXPIRES_ON" } }, secretary.token)
      ).node.members;
      seen.push(...page.edges.map((e) => e.node.merchant.name));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(seen).toEqual(all.names);
    const byJoin = await names({ first: 3, orderBy: { field: "JOINED_ON", descending: true } });
    expect(byJoin.names).toHaveLength(3);
  });

  it("an active member sees only active members; federation staff see all", async () => {
    expect((await names({ first: 100 }, member.token)).total).toBe(54);
    expect((await names({ first: 100 }, staff.token)).total).toBe(56);
  });

  it("dues, payments and notes are batched: the same statements for 5 rows as for 50", async () => {
    const q = `query ($id: ID!, $n: Int) { node(id: $id) { ... on Chamber { feeSchedule { level annualFee }
      members(first: $n) { edges { node {
      status duesStatus { paidThrough amountOwed annualFee } duesPayments { amount } notes { body authorName } } } } } }
        }`;
    const statements = async (n: number) => {
      api.db.resetStatements();
      const result = await api.gql(q, { id: chamberId, n }, secretary.token);
      expect(result.errors).toBeUndefined();
      expect(result.data!.node.members.edges).toHaveLength(n);
      return api.db.statements.length;
    };
    expect(await statements(50)).toBe(await statements(5));
  });
});

describe("exportMembers", () => {
  const EXPORT = `query ($input: ExportMembersInput!) { exportMembers(input: $input) { format filename contentType
    content rowCount } }`;

  it("honours the filters and order, keeps contact fields to the visibility rule, and is audited", async () => {
    const result = (
      await api.data(
        EXPORT,
        { input: { chamberId, filter: { hometownDistricts: ["瑞安市"] }, orderBy: { field: "EXPIRES_ON" } } },
        secretary.token,
      )
    ).exportMembers;
    expect(result).toMatchObject({ format: "CSV", rowCount: 2, contentType: "text/csv; charset=utf-8" });
    const lines = (result.content as string)
      .replace(/^\uFEFF/, "")
      .trim()
      .split("\r\n");
    expect(lines[0]).toBe(
      "姓名,英文名,手机,邮箱,微信,籍贯,公司,行业,统一社会信用代码,职务,状态,入会日期,到期日期,座机",
    );
    expect(lines.slice(1).map((l) => l.split(",")[0])).toEqual(["李娜", "王海"]);
    expect(lines[1]).toContain(",瑞安市,李娜公司,C,,会员,LAPSED,2015-01-01,2020-01-01");
    // The chamber's secretary sees even PRIVATE contact fields of the chamber's members (the core rule).
    const withPrivate = (await api.data(EXPORT, { input: { chamberId, filter: { query: "陈一新" } } }, secretary.token))
      .exportMembers;
    expect(withPrivate.content).toMatch(/陈一新,,1\d{10},/);
    const audits = await api.db.db
      .select()
      .from(auditLogTable)
      .where(and(eq(auditLogTable.chamberId, chamberDbId), eq(auditLogTable.action, "member:export")));
    expect(audits).toHaveLength(2);
  });

  it("writes .xlsx; a member or federation staff may not export", async () => {
    const xlsx = (
      await api.data(
        EXPORT,
        { input: { chamberId, format: "XLSX", filter: { levels: ["VICE_PRESIDENT"] } } },
        secretary.token,
      )
    ).exportMembers;
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(Buffer.from(xlsx.content, "base64") as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0]!;
    expect(sheet.getRow(2).getCell(1).value).toBe("陈一新");
    expect(sheet.getRow(2).getCell(10).value).toBe("副会长");
    for (const token of [member.token, staff.token]) {
      const refused = await api.gql(EXPORT, { input: { chamberId } }, token);
      expect(refused.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    }
    expect((await api.gql(EXPORT, { input: { chamberId } })).errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
  });
});
