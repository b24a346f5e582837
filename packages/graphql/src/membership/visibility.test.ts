// Who may know of a membership is one rule (core's, in SQL): the node, a merchant's memberships and the
// member list agree for every viewer; a membership one may not know of is NOT_FOUND to every mutation,
// exactly like a missing ID, and one they know of but may not change is FORBIDDEN.
import { addDays, todayIso } from "@wz/core";
import { createTestApi, globalId, type SeededUser, seed, type TestApi } from "@wz/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

let api: TestApi;
let chamberId: string;
const ids: Record<string, string> = {};
const merchants: Record<string, string> = {};
const viewers: Record<string, SeededUser | null> = {};
const MISSING = "00000000-0000-4000-8000-000000000000";

beforeAll(async () => {
  api = await createTestApi();
  const s = seed(api.db.db);
  const chamber = await s.chamber({ name: "杭州测试商会" });
  const other = await s.chamber({ name: "宁波测试商会" });
  chamberId = chamber.id;
  const member = await chamber.member({ name: "甲会员" });
  const peer = await chamber.member({ name: "乙会员" });
  const lapsed = await chamber.member({ name: "丙会员", expiresOn: addDays(todayIso(), -1) });
  const suspended = await chamber.member({ name: "丁会员", status: "SUSPENDED" });
  const applicant = await s.merchant({ name: "戊申请" });
  ids.peer = peer.membershipId;
  ids.lapsed = lapsed.membershipId;
  ids.suspended = suspended.membershipId;
  ids.applied = await chamber.addMembership(applicant.id, { status: "APPLIED", expiresOn: null });
  // The member's own application elsewhere: theirs to know of, not that chamber's members'.
  ids.ownElsewhere = await other.addMembership(member.merchantId, { status: "APPLIED", expiresOn: null });
  Object.assign(merchants, {
    peer: peer.merchantId,
    lapsed: lapsed.merchantId,
    suspended: suspended.merchantId,
    applicant: applicant.id,
    member: member.merchantId,
  });
  viewers.secretary = await chamber.secretary();
  viewers.member = member.user;
  viewers.lapsedMember = lapsed.user;
  viewers.otherSecretary = await other.secretary();
  viewers.staff = await s.federationStaff();
  viewers.anonymous = null;
});
afterAll(() => api.close());

const names = ["peer", "lapsed", "suspended", "applied", "ownElsewhere"] as const;
const expected: Record<string, (typeof names)[number][]> = {
  secretary: ["peer", "lapsed", "suspended", "applied"],
  member: ["peer", "ownElsewhere"],
  lapsedMember: ["lapsed"],
  otherSecretary: ["ownElsewhere"],
  staff: ["peer", "lapsed", "suspended", "applied", "ownElsewhere"],
  anonymous: [],
};

describe("knowing of a membership", () => {
  it("the node, the merchant's memberships and the member list agree, for every viewer", async () => {
    const nodes = `query ($ids: [ID!]!) { nodes(ids: $ids) { id } }`;
    const viaMerchant = `query ($ids: [ID!]!) { nodes(ids: $ids) { ... on Merchant { memberships { id } } } }`;
    const list = `query ($id: ID!) { node(id: $id) { ... on Chamber { members(first: 100) { totalCount edges { node { id
      } } } } } }`;
    const gids = names.map((n) => globalId("Membership", ids[n]!));
    const merchantIds = Object.values(merchants).map((id) => globalId("Merchant", id));
    for (const [viewer, visible] of Object.entries(expected)) {
      const token = viewers[viewer]?.token ?? null;
      const want = new Set(visible.map((n) => globalId("Membership", ids[n]!)));
      const byNode = (await api.data(nodes, { ids: gids }, token)).nodes.map(
        (n: { id: string } | null) => n?.id ?? null,
      );
      expect(byNode, viewer).toEqual(gids.map((id) => (want.has(id) ? id : null)));
      const byMerchant = (await api.data(viaMerchant, { ids: merchantIds }, token)).nodes
        .flatMap((m: { memberships: { id: string }[] } | null) => m?.memberships.map((x) => x.id) ?? [])
        .filter((id: string) => gids.includes(id));
      expect(new Set(byMerchant), viewer).toEqual(want);
      const members = await api.gql(list, { id: globalId("Chamber", chamberId) }, token);
      if (members.errors) continue; // may not list the chamber at all (checked in tenancy.test.ts)
      const listed = members.data!.node.members.edges.map((e: { node: { id: string } }) => e.node.id);
      const inChamber = gids.filter((id) => want.has(id) && id !== globalId("Membership", ids.ownElsewhere!));
      expect(listed.filter((id: string) => gids.includes(id)).sort(), viewer).toEqual(inChamber.sort());
    }
  });

  it(
    "a membership the viewer may not know of is NOT_FOUND " + "like a missing one; one they know of is FORBIDDEN",
    async () => {
      const mutations: [string, string, (id: string) => Record<string, unknown>][] = [
        ["decideMembership", "DecideMembershipInput", (id) => ({ membershipId: id, approve: true })],
        [
          "changeMembershipStatus",
          "ChangeMembershipStatusInput",
          (id) => ({ membershipId: id, status: "LEFT", reason: "x" }),
        ],
        ["changeMembershipLevel", "ChangeMembershipLevelInput", (id) => ({ membershipId: id, level: "PRESIDENT" })],
        [
          "recordDuesPayment",
          "RecordDuesPaymentInput",
          (id) => ({ membershipId: id, amount: "1.00", periodStart: "2090-01-01", receiptNo: "V1" }),
        ],
        ["addMembershipNote", "AddMembershipNoteInput", (id) => ({ membershipId: id, body: "x" })],
      ];
      for (const viewer of ["member", "lapsedMember", "staff"]) {
        const token = viewers[viewer]!.token;
        for (const [name, inputType, input] of mutations) {
          const q = `mutation ($input: ${inputType}!) { ${name}(input: $input) { userErrors { field message code } } }`;
          const missing = await api.gql(q, { input: input(globalId("Membership", MISSING)) }, token);
          expect(missing.data![name].userErrors[0].code).toBe("NOT_FOUND");
          for (const target of names) {
            const result = await api.gql(q, { input: input(globalId("Membership", ids[target]!)) }, token);
            if (expected[viewer]!.includes(target))
              expect(result.errors?.[0]?.extensions?.code, `${viewer} ${name} ${target}`).toBe("FORBIDDEN");
            else expect(result, `${viewer} ${name} ${target}`).toEqual(missing);
          }
        }
      }
    },
  );
});
