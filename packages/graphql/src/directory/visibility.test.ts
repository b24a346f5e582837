// The contact-field visibility matrix, field by field, for every kind of viewer, wherever a merchant appears:
// the directory search, node/nodes, a chamber's member list and a membership's merchant.
import type { FieldVisibility } from "@wz/db";
import { createTestApi, globalId, seed, type TestApi } from "@wz/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

let api: TestApi;
const levels: FieldVisibility[] = ["PUBLIC", "FEDERATION", "CHAMBER", "PRIVATE"];
const names: Record<FieldVisibility, string> = {
  PUBLIC: "公开甲",
  FEDERATION: "总会乙",
  CHAMBER: "商会丙",
  PRIVATE: "私密丁",
};
const merchants = {} as Record<FieldVisibility, { merchantId: string; membershipId: string; token: string }>;
const viewers: Record<string, string | null> = {};
let chamberA: string;

beforeAll(async () => {
  api = await createTestApi();
  const s = seed(api.db.db);
  const a = await s.chamber({ name: "甲商会" });
  const b = await s.chamber({ name: "乙商会" });
  chamberA = a.id;
  for (const v of levels) {
    const m = await a.member({
      name: names[v],
      mobile: `1390000000${levels.indexOf(v)}`,
      mobileVisibility: v,
      landline: `0577-8800000${levels.indexOf(v)}`,
      landlineVisibility: v,
      email: `${v.toLowerCase()}@example.com`,
      emailVisibility: v,
      wechat: `wx_${v.toLowerCase()}`,
      wechatVisibility: v,
    });
    merchants[v] = { merchantId: m.merchantId, membershipId: m.membershipId, token: m.user.token };
  }
  viewers.anonymous = null;
  viewers["member of another chamber"] = (await b.member()).user.token;
  viewers["member of a shared chamber"] = (await a.member()).user.token;
  viewers["lapsed member of the chamber"] = (await a.member({ expiresOn: "2001-01-01" })).user.token;
  viewers["secretary of their chamber"] = (await a.secretary()).token;
  viewers["secretary of another chamber"] = (await b.secretary()).token;
  viewers["federation staff"] = (await s.federationStaff()).token;
  const staffMerchant = await s.merchant({ name: "职员戊" });
  await a.addMembership(staffMerchant.id);
  viewers["federation staff sharing the chamber"] = (
    await s.user({ federationStaff: true, merchantId: staffMerchant.id })
  ).token;
});
afterAll(() => api.close());

/** viewer → the visibility levels whose fields they see (the merchant themself is checked separately). */
const expected: Record<string, FieldVisibility[]> = {
  anonymous: ["PUBLIC"],
  "member of another chamber": ["PUBLIC", "FEDERATION"],
  "member of a shared chamber": ["PUBLIC", "FEDERATION", "CHAMBER"],
  "lapsed member of the chamber": ["PUBLIC", "FEDERATION"],
  "secretary of their chamber": ["PUBLIC", "FEDERATION", "CHAMBER", "PRIVATE"],
  "secretary of another chamber": ["PUBLIC", "FEDERATION"],
  "federation staff": ["PUBLIC", "FEDERATION"],
  "federation staff sharing the chamber": ["PUBLIC", "FEDERATION", "CHAMBER"],
};

const contactOf = (v: FieldVisibility, seen: boolean) =>
  seen
    ? {
        mobile: `1390000000${levels.indexOf(v)}`,
        landline: `0577-8800000${levels.indexOf(v)}`,
        email: `${v.toLowerCase()}@example.com`,
        wechat: `wx_${v.toLowerCase()}`,
      }
    : { mobile: null, landline: null, email: null, wechat: null };

const FIELDS = "name mobile landline email wechat contactVisibility { mobile landline email wechat }";

async function seenThroughEveryPath(token: string | null, v: FieldVisibility) {
  const id = globalId("Merchant", merchants[v].merchantId);
  const byNode = await api.data(
    `query ($id: ID!) { node(id: $id) { ... on Merchant { ${FIELDS} } } nodes(ids: [$id]) { ... on Merchant {
      ${FIELDS} } } }`,
    { id },
    token,
  );
  const bySearch = await api.data(
    `query ($q: String) { merchants(query: $q) { edges { node { ${FIELDS} } } } }`,
    { q: names[v] },
    token,
  );
  expect(bySearch.merchants.edges).toHaveLength(1);
  const views = [byNode.node, byNode.nodes[0], bySearch.merchants.edges[0].node];
  const membership = await api.data(
    `query ($id: ID!) { node(id: $id) { ... on Membership { merchant { ${FIELDS} } } } }`,
    { id: globalId("Membership", merchants[v].membershipId) },
    token,
  );
  if (membership.node) views.push(membership.node.merchant);
  return views;
}

describe("contact field visibility", () => {
  for (const [viewer, sees] of Object.entries(expected)) {
    it(`${viewer} sees ${sees.join(", ")}`, async () => {
      for (const v of levels) {
        for (const view of await seenThroughEveryPath(viewers[viewer]!, v)) {
          expect(view, `${viewer} looking at ${v}`).toEqual({
            name: names[v],
            ...contactOf(v, sees.includes(v)),
            contactVisibility: null,
          });
        }
      }
    });
  }

  it("the merchant sees every field of their own, and their own visibility settings", async () => {
    for (const v of levels) {
      for (const view of await seenThroughEveryPath(merchants[v].token, v)) {
        expect(view).toEqual({
          name: names[v],
          ...contactOf(v, true),
          contactVisibility: { mobile: v, landline: v, email: v, wechat: v },
        });
      }
    }
  });

  it("applies under a chamber's member list too", async () => {
    const q = `query ($id: ID!) { node(id: $id) { ... on Chamber { members(first: 50) { edges { node { merchant { name
      mobile } } } } } } }`;
    const list = await api.data(q, { id: globalId("Chamber", chamberA) }, viewers["member of a shared chamber"]);
    const mobiles = Object.fromEntries(
      list.node.members.edges.map((e: { node: { merchant: { name: string; mobile: string | null } } }) => [
        e.node.merchant.name,
        e.node.merchant.mobile,
      ]),
    );
    expect(mobiles).toMatchObject({
      公开甲: "13900000000",
      总会乙: "13900000001",
      商会丙: "13900000002",
      私密丁: null,
    });
  });
});
