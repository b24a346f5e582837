// Chambers through GraphQL: every placement rule of createChamber/updateChamber, the chambers filter, the
// tree fields, and who may change chambers.
import { auditLogTable, chamberTable } from "@wz/db";
import { createTestApi, globalId, seed, type TestApi } from "@wz/testkit";
import { count, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

let api: TestApi;
let staff: string;
let federationId: string;
beforeAll(async () => {
  api = await createTestApi();
  const s = seed(api.db.db);
  federationId = (await s.federation()).id;
  staff = (await s.federationStaff()).token;
});
afterAll(() => api.close());

const CREATE = `mutation ($input: CreateChamberInput!) { createChamber(input: $input) {
  chamber { id name kind status slug provinceCode city countryCode parent { id name } } userErrors { field message
    code } } }`;
const UPDATE = `mutation ($input: UpdateChamberInput!) { updateChamber(input: $input) {
  chamber { id name nameEn kind slug city countryCode parent { id name } } userErrors { field message code } } }`;
const chamberCount = async () => (await api.db.db.select({ n: count() }).from(chamberTable))[0]!.n;
const fed = () => globalId("Chamber", federationId);

async function create(input: Record<string, unknown>, token = staff) {
  return (await api.data(CREATE, { input }, token)).createChamber;
}
async function update(input: Record<string, unknown>, token = staff) {
  return (await api.data(UPDATE, { input }, token)).updateChamber;
}

describe("createChamber rules", () => {
  it("one federation: a second is a CONFLICT and nothing is created", async () => {
    const before = await chamberCount();
    const result = await create({ kind: "FEDERATION", name: "第二总会", slug: "second-federation" });
    expect(result.userErrors).toEqual([
      { field: ["input", "kind"], message: "The federation already exists.", code: "CONFLICT" },
    ]);
    expect(await chamberCount()).toBe(before);
  });

  it("at most one provincial chamber per province; a new one is FORMING until its formation is FOUNDED", async () => {
    const first = await create({
      kind: "PROVINCIAL",
      name: "河南省温州商会",
      nameEn: "Henan Wenzhou Chamber",
      provinceCode: "41",
    });
    expect(first.userErrors).toEqual([]);
    expect(first.chamber).toMatchObject({
      kind: "PROVINCIAL",
      status: "FORMING",
      slug: "henan-wenzhou-chamber",
      parent: { id: fed() },
    });
    const second = await create({ kind: "PROVINCIAL", name: "河南温州商会", slug: "henan-2", provinceCode: "41" });
    expect(second.userErrors).toEqual([
      {
        field: ["input", "provinceCode"],
        message: "This province already has a provincial chamber.",
        code: "CONFLICT",
      },
    ]);
    // and the province's formation record now points at the forming chamber
    const { provinces } = await api.data(`{ provinces { code chamber { id status } } }`);
    expect(provinces.find((p: { code: string }) => p.code === "41").chamber).toEqual({
      id: first.chamber.id,
      status: "FORMING",
    });
  });

  it(
    "one chamber per place (一地一会): two municipal chambers for one city conflict; another kind may share " + "it",
    async () => {
      const first = await create({
        kind: "MUNICIPAL",
        name: "温岭测试商会",
        slug: "city-a",
        provinceCode: "35",
        city: "厦门",
      });
      expect(first.userErrors).toEqual([]);
      const second = await create({
        kind: "MUNICIPAL",
        name: "厦门温州商会",
        slug: "city-b",
        provinceCode: "35",
        city: "厦门",
      });
      expect(second.userErrors).toEqual([
        {
          field: ["input", "city"],
          message: "One chamber per place: this city already has a chamber of this kind.",
          code: "CONFLICT",
        },
      ]);
    },
  );

  it("a municipal chamber goes under its province's live provincial chamber, else under the federation", async () => {
    const s = seed(api.db.db);
    const live = await s.chamber({ kind: "PROVINCIAL", provinceCode: "36", name: "江西省温州商会" });
    const underProvincial = await create({
      kind: "MUNICIPAL",
      name: "南昌温州商会",
      slug: "nanchang",
      provinceCode: "36",
      city: "南昌",
    });
    expect(underProvincial.chamber.parent).toEqual({ id: globalId("Chamber", live.id), name: "江西省温州商会" });
    // a FORMING provincial chamber is not yet a parent
    const forming = await create({ kind: "PROVINCIAL", name: "广西温州商会", slug: "guangxi", provinceCode: "45" });
    expect(forming.chamber.status).toBe("FORMING");
    const underFederation = await create({
      kind: "MUNICIPAL",
      name: "南宁温州商会",
      slug: "nanning",
      provinceCode: "45",
      city: "南宁",
    });
    expect(underFederation.chamber.parent.id).toBe(fed());
    // an explicit parent that breaks the rule is refused
    const wrong = await create({
      kind: "MUNICIPAL",
      name: "赣州温州商会",
      slug: "ganzhou",
      provinceCode: "36",
      city: "赣州",
      parentId: fed(),
    });
    expect(wrong.userErrors).toEqual([
      {
        field: ["input", "parentId"],
        message:
          "A municipal chamber belongs under its province's provincial chamber once that chamber is founded, else " +
          "under the federation.",
        code: "INVALID",
      },
    ]);
  });

  it("kind-specific fields are required with a clear error each", async () => {
    const result = await create({ kind: "OVERSEAS", name: "海外商会", slug: "overseas-x", countryCode: "cn" });
    expect(result.userErrors).toEqual([
      {
        field: ["input", "countryCode"],
        message: "An overseas chamber needs an ISO 3166 two-letter country code other than CN.",
        code: "INVALID",
      },
    ]);
    const provincial = await create({ kind: "PROVINCIAL", name: "无省商会", slug: "no-province" });
    expect(provincial.userErrors).toEqual([
      { field: ["input", "provinceCode"], message: "A provincial chamber needs its province code.", code: "INVALID" },
    ]);
  });
});

describe("updateChamber", () => {
  it("changes names and slug, audited with before and after", async () => {
    const { chamber } = await create({
      kind: "MUNICIPAL",
      name: "绍兴商会",
      slug: "shaoxing-x",
      provinceCode: "33",
      city: "绍兴",
    });
    const result = await update({
      chamberId: chamber.id,
      name: "绍兴温州商会",
      nameEn: "Shaoxing Wenzhou Chamber",
      slug: "shaoxing",
    });
    expect(result.userErrors).toEqual([]);
    expect(result.chamber).toMatchObject({
      name: "绍兴温州商会",
      nameEn: "Shaoxing Wenzhou Chamber",
      slug: "shaoxing",
    });
    const [, rawId] = Buffer.from(chamber.id, "base64").toString().split(":");
    const audit = await api.db.db.select().from(auditLogTable).where(eq(auditLogTable.entityId, rawId!));
    const entry = audit.find((a) => a.action === "chamber:update")!;
    expect(entry.before).toMatchObject({ name: "绍兴商会", slug: "shaoxing-x" });
    expect(entry.after).toMatchObject({ name: "绍兴温州商会", slug: "shaoxing" });
    expect(entry.actorUserId).not.toBeNull();
  });

  it("the same rules apply: a slug or place already taken is a CONFLICT and nothing changes", async () => {
    const a = (
      await create({ kind: "MUNICIPAL", name: "金华温州商会", slug: "jinhua", provinceCode: "33", city: "金华" })
    ).chamber;
    await create({ kind: "MUNICIPAL", name: "台州温州商会", slug: "taizhou", provinceCode: "33", city: "台州" });
    const result = await update({ chamberId: a.id, slug: "taizhou", city: "台州" });
    expect(result.userErrors).toEqual([
      {
        field: ["input", "city"],
        message: "One chamber per place: this city already has a chamber of this kind.",
        code: "CONFLICT",
      },
      { field: ["input", "slug"], message: 'The slug "taizhou" is taken.', code: "CONFLICT" },
    ]);
    const { node } = await api.data(`query ($id: ID!) { node(id: $id) { ... on Chamber { slug city } } }`, {
      id: a.id,
    });
    expect(node).toEqual({ slug: "jinhua", city: "金华" });
  });

  it("no cycles: an overseas chamber cannot go under itself or its own descendant", async () => {
    const europe = (
      await create({ kind: "OVERSEAS", name: "欧洲温州同乡会", slug: "europe", countryCode: "FR", city: "巴黎" })
    ).chamber;
    const milan = (
      await create({
        kind: "OVERSEAS",
        name: "米兰温州同乡会",
        slug: "milan",
        countryCode: "IT",
        city: "米兰",
        parentId: europe.id,
      })
    ).chamber;
    expect(milan.parent.id).toBe(europe.id);
    const cycle = await update({ chamberId: europe.id, parentId: milan.id });
    expect(cycle.userErrors).toEqual([
      {
        field: ["input", "parentId"],
        message: "A chamber cannot be placed under itself or one of its own descendants.",
        code: "INVALID",
      },
    ]);
    const self = await update({ chamberId: europe.id, parentId: europe.id });
    expect(self.userErrors[0].message).toBe("A chamber cannot be placed under itself or one of its own descendants.");
    // back under the federation is fine
    const ok = await update({ chamberId: milan.id, parentId: fed() });
    expect(ok.chamber.parent.id).toBe(fed());
  });

  it("a provincial chamber's kind and province are fixed; the federation stays the federation", async () => {
    const p = (await create({ kind: "PROVINCIAL", name: "贵州省温州商会", slug: "guizhou", provinceCode: "52" }))
      .chamber;
    const result = await update({ chamberId: p.id, kind: "MUNICIPAL", city: "贵阳" });
    expect(result.userErrors.map((e: { field: string[] }) => e.field)).toEqual([["input", "kind"]]);
    const fedResult = await update({ chamberId: fed(), kind: "OVERSEAS", countryCode: "IT" });
    expect(fedResult.userErrors[0].field).toEqual(["input", "kind"]);
  });

  it("an unknown, malformed or wrong-type chamber id is NOT_FOUND", async () => {
    for (const chamberId of [
      globalId("Chamber", "00000000-0000-4000-8000-000000000000"),
      globalId("Chamber", "nope"),
    ]) {
      const result = await update({ chamberId, name: "x" });
      expect(result.userErrors).toEqual([
        { field: ["input", "chamberId"], message: "No such chamber.", code: "NOT_FOUND" },
      ]);
    }
  });
});

describe("permissions", () => {
  it("secretaries and members are FORBIDDEN to create or update chambers; anonymous is UNAUTHENTICATED", async () => {
    const s = seed(api.db.db);
    const chamber = await s.chamber();
    const secretary = await chamber.secretary();
    const member = await chamber.member();
    const before = await chamberCount();
    for (const [token, code] of [
      [secretary.token, "FORBIDDEN"],
      [member.user.token, "FORBIDDEN"],
      [null, "UNAUTHENTICATED"],
    ] as const) {
      const created = await api.gql(
        CREATE,
        { input: { kind: "MUNICIPAL", name: "x", slug: "x-forbidden", provinceCode: "31", city: "x" } },
        token,
      );
      expect(created.errors?.[0]?.extensions?.code).toBe(code);
      // a secretary cannot even rename their own chamber
      const updated = await api.gql(
        UPDATE,
        { input: { chamberId: globalId("Chamber", chamber.id), name: "改名" } },
        token,
      );
      expect(updated.errors?.[0]?.extensions?.code).toBe(code);
    }
    expect(await chamberCount()).toBe(before);
  });

  it("anonymous users read public chamber data, but not roll-ups or checklists", async () => {
    const s = seed(api.db.db);
    const chamber = await s.chamber({ name: "公开商会" });
    const { node } = await api.data(
      `query ($id: ID!) { node(id: $id) { ... on Chamber { name kind parent { name } rollup { year } checklist { item
        } } } }`,
      { id: globalId("Chamber", chamber.id) },
    );
    expect(node).toEqual({
      name: "公开商会",
      kind: "MUNICIPAL",
      parent: { name: "全国温州商会总会" },
      rollup: null,
      checklist: null,
    });
  });
});

describe("chambers(filter:) and the tree", () => {
  it("filters by kind, province, parent, formation status and name; children and parent follow the tree", async () => {
    const s = seed(api.db.db);
    const hubei = await s.chamber({ kind: "PROVINCIAL", provinceCode: "42", name: "湖北省温州商会" });
    await s.chamber({ name: "武汉温州商会", provinceCode: "42", city: "武汉", parentId: hubei.id });
    await s.chamber({ name: "宜昌温州商会", provinceCode: "42", city: "宜昌", parentId: hubei.id });
    const q = `query ($filter: ChamberFilter) { chambers(first: 50, filter: $filter) { totalCount edges { node { name
      parent { name } children { name } } } } }`;
    const byProvince = (await api.data(q, { filter: { provinceCodes: ["42"], kinds: ["MUNICIPAL"] } })).chambers;
    expect(byProvince.edges.map((e: { node: { name: string } }) => e.node.name).sort()).toEqual(
      ["宜昌温州商会", "武汉温州商会"].sort(),
    );
    const byParent = (await api.data(q, { filter: { parentId: globalId("Chamber", hubei.id) } })).chambers;
    expect(byParent.totalCount).toBe(2);
    const hubeiNode = (await api.data(q, { filter: { query: "湖北省" } })).chambers.edges[0].node;
    expect(hubeiNode.parent).toEqual({ name: "全国温州商会总会" });
    expect(hubeiNode.children.map((c: { name: string }) => c.name).sort()).toEqual(
      ["宜昌温州商会", "武汉温州商会"].sort(),
    );
    const byEnglish = (await api.data(q, { filter: { query: "test chamber" } })).chambers;
    expect(byEnglish.totalCount).toBeGreaterThan(0);
    // formation status: Hubei is NOT_STARTED in this database; after an INITIATED step it matches INITIATED
    const initiated = { filter: { formationStatuses: ["INITIATED"], provinceCodes: ["42"] } };
    expect((await api.data(q, initiated)).chambers.totalCount).toBe(0);
    const step = await api.data(
      `mutation { advanceFormation(input: { provinceCode: "42", status: INITIATED, date: "2015-01-10" }) { userErrors
        { message } } }`,
      {},
      staff,
    );
    expect(step.advanceFormation.userErrors).toEqual([]);
    expect((await api.data(q, initiated)).chambers.totalCount).toBe(3);
  });

  it("a name query means its text: % and _ are not wildcards; pages hold the whole list once", async () => {
    const s = seed(api.db.db);
    await s.chamber({ name: "百分之50%商会", city: "五十" });
    await s.chamber({ name: "百分之50商会", city: "五十一" });
    const q = `query ($filter: ChamberFilter, $after: String) { chambers(first: 2, after: $after, filter: $filter) {
      totalCount pageInfo { hasNextPage endCursor } edges { node { name } } } }`;
    const names = async (query: string) =>
      (await api.data(q, { filter: { query } })).chambers.edges.map((e: { node: { name: string } }) => e.node.name);
    expect(await names("50%")).toEqual(["百分之50%商会"]);
    expect(await names("之_0")).toEqual([]);
    // every chamber, two at a time, each once
    type Page = {
      totalCount: number;
      pageInfo: { hasNextPage: boolean; endCursor: string };
      edges: { node: { id: string } }[];
    };
    const seen: string[] = [];
    let after: string | null = null;
    let total = -1;
    for (let i = 0; i < 200 && total < 0; i++) {
      const page: Page = (await api.data(q.replace("node { name }", "node { id }"), { after })).chambers;
      seen.push(...page.edges.map((e) => e.node.id));
      if (!page.pageInfo.hasNextPage) total = page.totalCount;
      after = page.pageInfo.endCursor;
    }
    expect(seen.length).toBeGreaterThan(2);
    expect(seen).toHaveLength(total);
    expect(new Set(seen).size).toBe(total);
  });
});
