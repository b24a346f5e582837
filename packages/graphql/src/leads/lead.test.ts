// Leads through GraphQL: who sees what under each visibility, posting rules, answers and referrals,
// the status lifecycle, and the audit trail.
import { auditLogTable, leadAudienceTable, leadEventTable, leadResponseTable, leadTable } from "@wz/db";
import { type ChamberSeed, createTestApi, globalId, type SeededUser, seed, type TestApi } from "@wz/testkit";
import { count, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

let api: TestApi;
let shanghai: ChamberSeed;
let shenzhen: ChamberSeed;
let xinjiang: ChamberSeed;
let poster: { merchantId: string; user: SeededUser };
let shanghaiMember: SeededUser;
let shenzhenMember: SeededUser;
let xinjiangMember: { merchantId: string; user: SeededUser };
let shanghaiSecretary: SeededUser;
let shenzhenSecretary: SeededUser;
let staff: SeededUser;

beforeAll(async () => {
  api = await createTestApi();
  const s = seed(api.db.db);
  shanghai = await s.chamber({ name: "上海市温州商会", kind: "PROVINCIAL", provinceCode: "31" });
  shenzhen = await s.chamber({ name: "深圳温州商会", provinceCode: "44", city: "深圳" });
  xinjiang = await s.chamber({ name: "新疆温州商会", kind: "PROVINCIAL", provinceCode: "65" });
  poster = await shanghai.member({ name: "陈一新" });
  shanghaiMember = (await shanghai.member()).user;
  shenzhenMember = (await shenzhen.member()).user;
  xinjiangMember = await xinjiang.member({ name: "林海平" });
  shanghaiSecretary = await shanghai.secretary();
  shenzhenSecretary = await shenzhen.secretary();
  staff = await s.federationStaff();
});
afterAll(() => api.close());

const POST = `mutation ($input: PostLeadInput!) { postLead(input: $input) { lead { id title visibility status chamber {
  name } postedBy { name } selectedChambers { name } } userErrors { field message code } } }`;
const RESPOND = `mutation ($input: RespondToLeadInput!) { respondToLead(input: $input) { response { id kind message
  referredMerchant { name } } userErrors { field message code } } }`;
const STATUS = `mutation ($input: UpdateLeadStatusInput!) { updateLeadStatus(input: $input) { lead { id status
  closedValue } userErrors { field message code } } }`;
const NODE = `query ($id: ID!) { node(id: $id) { ... on Lead { id title } } }`;
const LIST = `query ($filter: LeadFilter) { leads(first: 50, filter: $filter) { totalCount edges { node { id title } } }
  }`;

async function post(token: string, input: Record<string, unknown>) {
  const { postLead } = await api.data(
    POST,
    {
      input: {
        chamberId: globalId("Chamber", shanghai.id),
        kind: "INVESTMENT_PROJECT",
        title: "瓯江口新区智能制造项目",
        description: "寻找合作伙伴",
        visibility: "FEDERATION",
        ...input,
      },
    },
    token,
  );
  return postLead;
}

describe("visibility", () => {
  it("each mode shows the lead to exactly the right people, through node and leads alike", async () => {
    const chamberLead = (await post(poster.user.token, { title: "仅本会", visibility: "CHAMBER" })).lead;
    const selectedLead = (
      await post(poster.user.token, {
        title: "指定商会",
        visibility: "SELECTED_CHAMBERS",
        selectedChamberIds: [globalId("Chamber", shenzhen.id)],
      })
    ).lead;
    const federationLead = (await post(poster.user.token, { title: "全联会", visibility: "FEDERATION" })).lead;
    expect(selectedLead.selectedChambers).toEqual([{ name: "深圳温州商会" }]);

    const viewers: [string, string | null, [boolean, boolean, boolean]][] = [
      // [who, token, sees [CHAMBER, SELECTED_CHAMBERS, FEDERATION]]
      ["the poster", poster.user.token, [true, true, true]],
      ["a member of the posting chamber", shanghaiMember.token, [true, true, true]],
      ["the posting chamber's secretary", shanghaiSecretary.token, [true, true, true]],
      ["a member of a selected chamber", shenzhenMember.token, [false, true, true]],
      ["a selected chamber's secretary", shenzhenSecretary.token, [false, true, true]],
      ["a member of another chamber", xinjiangMember.user.token, [false, false, true]],
      ["federation staff with no chamber", staff.token, [false, false, true]],
      ["anonymous", null, [false, false, false]],
    ];
    for (const [who, token, expected] of viewers) {
      const seen = [];
      for (const lead of [chamberLead, selectedLead, federationLead]) {
        const { node } = await api.data(NODE, { id: lead.id }, token);
        seen.push(node !== null);
      }
      expect(seen, who).toEqual(expected);
      if (token) {
        const { leads } = await api.data(LIST, { filter: { chamberId: globalId("Chamber", shanghai.id) } }, token);
        const ids = leads.edges.map((e: { node: { id: string } }) => e.node.id);
        expect(
          [chamberLead.id, selectedLead.id, federationLead.id].map((id) => ids.includes(id)),
          `${who} via leads`,
        ).toEqual(expected);
        expect(leads.totalCount, `${who} totalCount`).toBe(ids.length);
      } else {
        const anonymous = await api.gql(LIST, {});
        expect(anonymous.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
      }
    }
  });

  it("a referral shows the lead to the merchant it names, and the referral to nobody outside", async () => {
    const lead = (await post(poster.user.token, { title: "转介绍测试", visibility: "CHAMBER" })).lead;
    const referred = await xinjiang.member({ name: "王建国" });
    expect((await api.data(NODE, { id: lead.id }, referred.user.token)).node).toBeNull();
    const { respondToLead } = await api.data(
      RESPOND,
      {
        input: {
          leadId: lead.id,
          kind: "REFERRAL",
          message: "推荐王总",
          referredMerchantId: globalId("Merchant", referred.merchantId),
        },
      },
      shanghaiMember.token,
    );
    expect(respondToLead.userErrors).toEqual([]);
    expect(respondToLead.response.referredMerchant).toEqual({ name: "王建国" });
    expect((await api.data(NODE, { id: lead.id }, referred.user.token)).node).toEqual({
      id: lead.id,
      title: "转介绍测试",
    });
    // the poster sees the referral; an outsider cannot read it even by ID
    const responses = `query ($id: ID!) { node(id: $id) { ... on Lead { responses { id kind message } } } }`;
    expect((await api.data(responses, { id: lead.id }, poster.user.token)).node.responses).toHaveLength(1);
    const outsider = await api.data(
      `query ($id: ID!) { node(id: $id) { id } }`,
      { id: respondToLead.response.id },
      xinjiangMember.user.token,
    );
    expect(outsider.node).toBeNull();
  });
});

describe("posting", () => {
  it(
    "only an active member of the chamber may post; bad " + "input is refused field by field and nothing is written",
    async () => {
      const before = (await api.db.db.select({ n: count() }).from(leadTable))[0]!.n;
      const forbidden = await api.gql(
        POST,
        {
          input: {
            chamberId: globalId("Chamber", shanghai.id),
            kind: "SUPPLY",
            title: "x",
            description: "y",
            visibility: "FEDERATION",
          },
        },
        shenzhenMember.token,
      );
      expect(forbidden.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
      const bySecretary = await api.gql(
        POST,
        {
          input: {
            chamberId: globalId("Chamber", shanghai.id),
            kind: "SUPPLY",
            title: "x",
            description: "y",
            visibility: "FEDERATION",
          },
        },
        shanghaiSecretary.token,
      );
      expect(bySecretary.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
      const bad = await post(poster.user.token, {
        title: " ",
        industry: "Z",
        provinceCode: "99",
        amount: "-5",
        expiresOn: "2015-01-01",
        visibility: "SELECTED_CHAMBERS",
      });
      expect(bad.lead).toBeNull();
      expect(bad.userErrors.map((e: { field: string[] }) => e.field.join("."))).toEqual([
        "input.title",
        "input.industry",
        "input.provinceCode",
        "input.amount",
        "input.expiresOn",
        "input.selectedChamberIds",
      ]);
      const lapsed = await shanghai.member({ expiresOn: "2015-01-01" });
      const byLapsed = await api.gql(
        POST,
        {
          input: {
            chamberId: globalId("Chamber", shanghai.id),
            kind: "SUPPLY",
            title: "x",
            description: "y",
            visibility: "FEDERATION",
          },
        },
        lapsed.user.token,
      );
      expect(byLapsed.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
      expect((await api.db.db.select({ n: count() }).from(leadTable))[0]!.n).toBe(before);
    },
  );
});

describe("status lifecycle", () => {
  it("moves OPEN → IN_PROGRESS → CLOSED_WON with the closed value, audited, and refuses illegal moves", async () => {
    const lead = (await post(poster.user.token, { title: "生命周期", amount: "5000000.00" })).lead;
    const step = (status: string, token: string, closedValue?: string) =>
      api
        .data(STATUS, { input: { leadId: lead.id, status, ...(closedValue ? { closedValue } : {}) } }, token)
        .then((r) => r.updateLeadStatus);

    expect((await step("CLOSED_WON", poster.user.token)).userErrors[0].field).toEqual(["input", "closedValue"]);
    expect((await step("EXPIRED", poster.user.token)).userErrors[0].code).toBe("INVALID_TRANSITION");
    // other members and other chambers' secretaries can see this FEDERATION lead but not change it
    for (const token of [shanghaiMember.token, shenzhenSecretary.token]) {
      const denied = await api.gql(STATUS, { input: { leadId: lead.id, status: "WITHDRAWN" } }, token);
      expect(denied.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    }
    // a lead the viewer cannot see is NOT_FOUND, exactly like a missing one
    const hidden = (await post(poster.user.token, { title: "本会内部", visibility: "CHAMBER" })).lead;
    const missing = globalId("Lead", "00000000-0000-4000-8000-000000000000");
    const hiddenAnswer = await api.data(
      STATUS,
      { input: { leadId: hidden.id, status: "WITHDRAWN" } },
      shenzhenSecretary.token,
    );
    const missingAnswer = await api.data(
      STATUS,
      { input: { leadId: missing, status: "WITHDRAWN" } },
      shenzhenSecretary.token,
    );
    expect(hiddenAnswer).toEqual(missingAnswer);
    expect(hiddenAnswer.updateLeadStatus.userErrors[0].code).toBe("NOT_FOUND");

    expect((await step("IN_PROGRESS", poster.user.token)).lead.status).toBe("IN_PROGRESS");
    const won = await step("CLOSED_WON", shanghaiSecretary.token, "4800000.00");
    expect(won.lead).toMatchObject({ status: "CLOSED_WON", closedValue: "4800000.00" });
    expect((await step("OPEN", poster.user.token)).userErrors).toEqual([
      {
        field: ["input", "status"],
        message: "A lead that is closed (won) cannot become open.",
        code: "INVALID_TRANSITION",
      },
    ]);
    const [, leadUuid] = Buffer.from(lead.id, "base64").toString().split(":");
    const audit = await api.db.db.select().from(auditLogTable).where(eq(auditLogTable.entityId, leadUuid!));
    expect(audit.map((a) => a.action)).toEqual(["lead:post", "lead:update-status", "lead:update-status"]);
    const events = await api.db.db.select().from(leadEventTable).where(eq(leadEventTable.leadId, leadUuid!));
    expect(events.map((e) => e.kind)).toEqual(["POSTED", "UPDATED", "UPDATED"]);
  });

  it("an OPEN lead past its expiry reads as EXPIRED, takes no answers, and can still be closed", async () => {
    const lead = (await post(poster.user.token, { title: "过期测试" })).lead;
    const [, leadUuid] = Buffer.from(lead.id, "base64").toString().split(":");
    await api.db.db.update(leadTable).set({ expiresOn: "2020-01-01" }).where(eq(leadTable.id, leadUuid!));
    const { node } = await api.data(
      `query ($id: ID!) { node(id: $id) { ... on Lead { status } } }`,
      { id: lead.id },
      poster.user.token,
    );
    expect(node.status).toBe("EXPIRED");
    const { leads } = await api.data(
      `{ leads(first: 50, filter: { status: [EXPIRED] }) { edges { node { id } } } }`,
      {},
      poster.user.token,
    );
    expect(leads.edges.map((e: { node: { id: string } }) => e.node.id)).toContain(lead.id);
    const answer = await api.data(
      RESPOND,
      { input: { leadId: lead.id, kind: "INTEREST", message: "有兴趣" } },
      shanghaiMember.token,
    );
    expect(answer.respondToLead.userErrors[0].code).toBe("INVALID_TRANSITION");
    const closed = await api.data(STATUS, { input: { leadId: lead.id, status: "CLOSED_LOST" } }, poster.user.token);
    expect(closed.updateLeadStatus.lead.status).toBe("CLOSED_LOST");
  });

  it("answers: interest with a message; not on one's own lead; a responder sees only their own answer", async () => {
    const lead = (await post(poster.user.token, { title: "回应测试" })).lead;
    const own = await api.data(
      RESPOND,
      { input: { leadId: lead.id, kind: "INTEREST", message: "我自己" } },
      poster.user.token,
    );
    expect(own.respondToLead.userErrors[0].message).toBe("You cannot answer your own lead.");
    await api.data(
      RESPOND,
      { input: { leadId: lead.id, kind: "INTEREST", message: "深圳有兴趣" } },
      shenzhenMember.token,
    );
    await api.data(
      RESPOND,
      { input: { leadId: lead.id, kind: "INTEREST", message: "新疆有兴趣" } },
      xinjiangMember.user.token,
    );
    const q = `query ($id: ID!) { node(id: $id) { ... on Lead { responses { message responder { name } } } } }`;
    expect((await api.data(q, { id: lead.id }, poster.user.token)).node.responses).toHaveLength(2);
    expect((await api.data(q, { id: lead.id }, xinjiangMember.user.token)).node.responses).toEqual([
      { message: "新疆有兴趣", responder: { name: "林海平" } },
    ]);
    expect((await api.data(q, { id: lead.id }, shanghaiMember.token)).node.responses).toEqual([]);
    const empty = await api.data(
      RESPOND,
      { input: { leadId: lead.id, kind: "INTEREST", message: "" } },
      shanghaiMember.token,
    );
    expect(empty.respondToLead.userErrors[0].field).toEqual(["input", "message"]);
  });
});

describe("batching", () => {
  it("a page of leads with chambers, posters, audiences " +
    "and answers costs the same statements for 5 as for 50", async () => {
    const local = await createTestApi();
    const s = seed(local.db.db);
    const home = await s.chamber({ name: "本会" });
    const other = await s.chamber({ name: "他会" });
    const author = await home.member({ companies: [{ name: "温州鞋业有限公司" }] });
    const answerer = await other.member();
    // written straight to the tables: this test is about reading them back
    const leads = await local.db.db
      .insert(leadTable)
      .values(
        Array.from({ length: 50 }, (_, i) => ({
          chamberId: home.id,
          postedByMerchantId: author.merchantId,
          postedByUserId: author.user.id,
          kind: "SUPPLY" as const,
          title: `商机 ${i}`,
          description: "d",
          visibility: "SELECTED_CHAMBERS" as const,
        })),
      )
      .returning();
    await local.db.db
      .insert(leadAudienceTable)
      .values(leads.map((l) => ({ leadChamberId: l.chamberId, leadId: l.id, chamberId: other.id })));
    await local.db.db.insert(leadResponseTable).values(
      leads.map((l) => ({
        chamberId: l.chamberId,
        leadId: l.id,
        kind: "INTEREST" as const,
        message: "感兴趣",
        responderMerchantId: answerer.merchantId,
        responderUserId: answerer.user.id,
      })),
    );
    const query = `query ($n: Int) { leads(first: $n) { totalCount edges { node {
      title status chamber { name parent { name } } postedBy { name mobile companies { name } }
      selectedChambers { name } responses { message responder { name email } } viewerCanManage
    } } } }`;
    const counts = [];
    for (const n of [5, 50]) {
      local.db.resetStatements();
      const data = await local.data(query, { n }, author.user.token);
      expect(data.leads.edges).toHaveLength(n);
      expect(data.leads.edges[n - 1].node.responses).toHaveLength(1);
      counts.push(local.db.statements.length);
    }
    expect(counts[1]).toBe(counts[0]);
    await local.close();
  }, 120_000);
});
