// The lead rules that exist twice — who may see a lead, who may read an answer, the lead filter — in SQL
// (the `leads` list, the node loaders, the `responses` loader) and in TypeScript (what subscription events
// are checked with): over the same rows, for many viewers and filters, both must give exactly the same set.
import {
  addDays,
  canSeeLead,
  canSeeLeadResponse,
  type LeadFilter,
  leadMatchesFilter,
  loadLeadAccessFacts,
  Permissions,
  resolveViewer,
  todayIso,
} from "@wz/core";
import {
  type LeadResponseRow,
  type LeadRow,
  type LeadStatus,
  type LeadVisibility,
  leadAudienceTable,
  leadKindEnum,
  leadResponseTable,
  leadTable,
} from "@wz/db";
import { createTestApi, globalId, seed, type TestApi } from "@wz/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

let api: TestApi;
let chamberIds: { a: string; b: string; c: string };
/** [who, token]: a token of null is the anonymous viewer. */
let viewers: [string, string | null][];

const kinds = leadKindEnum.enumValues;
const visibilities: LeadVisibility[] = ["CHAMBER", "SELECTED_CHAMBERS", "FEDERATION"];
/** Around today (the federation's day), where an expiry starts to count. */
const dayFromToday = (days: number) => addDays(todayIso(), days);
/** Stored status and expiry: OPEN past its expiry reads EXPIRED, other statuses never change by date. */
const lifecycles: { status: LeadStatus; expiresOn: string | null; closedValue?: string }[] = [
  { status: "OPEN", expiresOn: null },
  { status: "OPEN", expiresOn: "2020-01-01" },
  { status: "OPEN", expiresOn: dayFromToday(-1) },
  { status: "OPEN", expiresOn: dayFromToday(0) },
  { status: "OPEN", expiresOn: dayFromToday(1) },
  { status: "OPEN", expiresOn: "2999-12-31" },
  { status: "IN_PROGRESS", expiresOn: "2020-01-01" },
  { status: "EXPIRED", expiresOn: null },
  { status: "CLOSED_WON", expiresOn: null, closedValue: "1200.00" },
  { status: "WITHDRAWN", expiresOn: "2020-01-01" },
];
const industries = [null, "C", "F"];
const provinces = [null, "31", "44"];

beforeAll(async () => {
  api = await createTestApi();
  const s = seed(api.db.db);
  const a = await s.chamber({ name: "甲商会", provinceCode: "31" });
  const b = await s.chamber({ name: "乙商会", provinceCode: "44" });
  const c = await s.chamber({ name: "丙商会", provinceCode: "65" });
  chamberIds = { a: a.id, b: b.id, c: c.id };
  const posters = [await a.member(), await b.member(), await c.member()];
  const memberA = await a.member();
  const memberB = await b.member();
  const secretaryA = await a.secretary();
  const lapsedA = await a.member({ expiresOn: "2015-01-01" });
  const responder = await c.member();
  const referredMerchant = await s.merchant();
  const referred = await s.user({ merchantId: referredMerchant.id });
  const staff = await s.federationStaff();
  viewers = [
    ["anonymous", null],
    ["a member of A", memberA.user.token],
    ["a member of B", memberB.user.token],
    ["a secretary of A", secretaryA.token],
    ["a lapsed member of A", lapsedA.user.token],
    ["a poster in A", posters[0]!.user.token],
    ["a responder (member of C)", responder.user.token],
    ["a referred merchant with no chamber", referred.token],
    ["federation staff", staff.token],
  ];

  // Every (chamber, visibility, lifecycle) once, the other attributes cycling through their values; pairs
  // of leads share a creation time so that paging must break ties by id. Written straight to the tables:
  // this test is about reading them back.
  const chambers = [a.id, b.id, c.id];
  const specs = chambers.flatMap((chamberId, ci) =>
    visibilities.flatMap((visibility) => lifecycles.map((lifecycle) => ({ chamberId, ci, visibility, lifecycle }))),
  );
  const leads = await api.db.db
    .insert(leadTable)
    .values(
      specs.map(({ chamberId, ci, visibility, lifecycle }, i) => ({
        chamberId,
        postedByMerchantId: posters[ci]!.merchantId,
        postedByUserId: posters[ci]!.user.id,
        kind: kinds[i % kinds.length]!,
        title: `商机 ${i}`,
        description: "d",
        industry: industries[Math.floor(i / 2) % industries.length]!,
        provinceCode: provinces[Math.floor(i / 5) % provinces.length]!,
        expiresOn: lifecycle.expiresOn,
        visibility,
        status: lifecycle.status,
        closedValue: lifecycle.closedValue ?? null,
        createdAt: new Date(Date.UTC(2026, 0, 1) + Math.floor(i / 2) * 60_000),
      })),
    )
    .returning();
  const audience = leads.flatMap((lead, i) => {
    if (lead.visibility !== "SELECTED_CHAMBERS") return [];
    const others = chambers.filter((id) => id !== lead.chamberId);
    const named = i % 2 ? others.slice(0, 1) : others;
    return named.map((chamberId) => ({ leadChamberId: lead.chamberId, leadId: lead.id, chamberId }));
  });
  await api.db.db.insert(leadAudienceTable).values(audience);
  const answer = (lead: LeadRow, by: { merchantId: string; user: { id: string } }, referredMerchantId?: string) => ({
    chamberId: lead.chamberId,
    leadId: lead.id,
    kind: referredMerchantId ? ("REFERRAL" as const) : ("INTEREST" as const),
    message: "m",
    responderMerchantId: by.merchantId,
    responderUserId: by.user.id,
    referredMerchantId: referredMerchantId ?? null,
  });
  await api.db.db
    .insert(leadResponseTable)
    .values([
      ...leads.filter((_, i) => i % 4 === 0).map((lead) => answer(lead, responder)),
      ...leads.filter((_, i) => i % 6 === 1).map((lead) => answer(lead, responder, referredMerchant.id)),
      ...leads.filter((_, i) => i % 9 === 2).map((lead) => answer(lead, memberB)),
    ]);
}, 120_000);
afterAll(() => api.close());

/** The rows themselves, read back, and the TypeScript twins' answers over them. */
async function inMemory(token: string | null) {
  const permissions = new Permissions(token ? await resolveViewer(api.db.db, token) : null);
  const leads = await api.db.db.select().from(leadTable);
  const responses = await api.db.db.select().from(leadResponseTable);
  const facts = await loadLeadAccessFacts(api.db.db, leads);
  const newestFirst = (x: LeadRow, y: LeadRow) =>
    y.createdAt.getTime() - x.createdAt.getTime() || (y.id < x.id ? -1 : y.id > x.id ? 1 : 0);
  const visible = leads.filter((lead) => canSeeLead(permissions, lead, facts.get(lead.id)!)).sort(newestFirst);
  const leadById = new Map(leads.map((lead) => [lead.id, lead]));
  const readable = (response: LeadResponseRow) =>
    canSeeLeadResponse(permissions, leadById.get(response.leadId)!, response);
  return { leads, responses, visible, readable };
}

interface LeadPage {
  leads: {
    totalCount: number;
    pageInfo: { hasNextPage: boolean; endCursor: string };
    edges: { node: { id: string } }[];
  };
}
const LIST = `query ($filter: LeadFilter, $after: String) {
  leads(first: 9, after: $after, filter: $filter) {
    totalCount pageInfo { hasNextPage endCursor } edges { node { id } }
  }
}`;

/** Every page of `leads` for the filter, in order. */
async function listAll(token: string, filter: Record<string, unknown> | null) {
  const ids: string[] = [];
  let after: string | null = null;
  let total = -1;
  for (;;) {
    const { leads }: LeadPage = await api.data<LeadPage>(LIST, { filter, after }, token);
    ids.push(...leads.edges.map((e) => e.node.id));
    total = leads.totalCount;
    if (!leads.pageInfo.hasNextPage) return { ids, total };
    after = leads.pageInfo.endCursor;
  }
}

const leadGid = (lead: { id: string }) => globalId("Lead", lead.id);

describe("lead rules in SQL and in TypeScript", () => {
  it("the seed covers what the rules look at", async () => {
    const { leads, responses } = await inMemory(null);
    expect(leads).toHaveLength(3 * visibilities.length * lifecycles.length);
    expect(new Set(leads.map((l) => l.kind)).size).toBe(kinds.length);
    expect(responses.some((r) => r.referredMerchantId !== null)).toBe(true);
  });

  it("`leads` (all pages) lists exactly what canSeeLead and the in-memory filter accept, for each filter", async () => {
    const filters: (LeadFilter | null)[] = [
      null,
      {},
      { kinds: [], industries: [], provinceCodes: [], statuses: [] },
      { kinds: [kinds[0]!, kinds[2]!] },
      { industries: ["C"] },
      { provinceCodes: ["31", "44"] },
      { statuses: ["EXPIRED"] },
      { statuses: ["OPEN", "IN_PROGRESS"] },
      { chamberId: chamberIds.a },
      { chamberId: "not-a-chamber" },
      { kinds: [kinds[1]!, kinds[3]!], statuses: ["OPEN", "EXPIRED"], chamberId: chamberIds.b, industries: ["C", "F"] },
    ];
    const today = todayIso();
    for (const [who, token] of viewers) {
      if (!token) continue; // `leads` needs a signed-in viewer
      const { visible } = await inMemory(token);
      for (const filter of filters) {
        const variables = filter && {
          kinds: filter.kinds,
          industries: filter.industries,
          provinceCodes: filter.provinceCodes,
          status: filter.statuses,
          chamberId: filter.chamberId == null ? undefined : globalId("Chamber", filter.chamberId),
        };
        const expected = visible.filter((lead) => leadMatchesFilter(lead, filter, today)).map(leadGid);
        const listed = await listAll(token, variables);
        const label = `${who}, filter ${JSON.stringify(filter)}`;
        expect(listed.ids, label).toEqual(expected);
        expect(listed.total, `${label}: totalCount`).toBe(expected.length);
      }
    }
  }, 300_000);

  it("the Lead and LeadResponse node loaders find exactly what canSeeLead and canSeeLeadResponse allow", async () => {
    const NODES = `query ($ids: [ID!]!) { nodes(ids: $ids) { id } }`;
    const found = (nodes: ({ id: string } | null)[]) =>
      nodes
        .filter((n) => n !== null)
        .map((n) => n.id)
        .sort();
    const seen = new Set<number>();
    for (const [who, token] of viewers) {
      const { leads, responses, visible, readable } = await inMemory(token);
      const leadNodes = await api.data(NODES, { ids: leads.map(leadGid) }, token);
      expect(found(leadNodes.nodes), `${who}: leads`).toEqual(visible.map(leadGid).sort());
      seen.add(visible.length);
      const responseIds = responses.map((r) => globalId("LeadResponse", r.id));
      const responseNodes = await api.data(NODES, { ids: responseIds }, token);
      const expected = responses.filter(readable).map((r) => globalId("LeadResponse", r.id));
      expect(found(responseNodes.nodes), `${who}: responses`).toEqual(expected.sort());
    }
    // the viewers see different sets (none of the comparisons above is trivially empty or total)
    expect(seen.size).toBeGreaterThanOrEqual(5);
  });

  it("a lead's `responses` are exactly the answers canSeeLeadResponse allows", async () => {
    const RESPONSES = `query ($ids: [ID!]!) { nodes(ids: $ids) { ... on Lead { id responses { id } } } }`;
    for (const [who, token] of viewers) {
      if (!token) continue;
      const { responses, visible, readable } = await inMemory(token);
      const { nodes } = await api.data(RESPONSES, { ids: visible.map(leadGid) }, token);
      const expected = visible.map((lead) => ({
        id: leadGid(lead),
        responses: responses
          .filter((r) => r.leadId === lead.id && readable(r))
          .sort((x, y) => x.createdAt.getTime() - y.createdAt.getTime() || (x.id < y.id ? -1 : 1))
          .map((r) => ({ id: globalId("LeadResponse", r.id) })),
      }));
      expect(nodes, who).toEqual(expected);
    }
  });
});
