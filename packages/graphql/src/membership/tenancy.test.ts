// Tenancy of the membership domain: the Shenzhen secretary cannot read, change, import into or export the
// Shanghai chamber — by direct ID, nested fields, filters or counts — and gets what a missing ID gets.
import { auditLogTable, duesPaymentTable, membershipNoteTable, membershipTable } from "@wz/db";
import { createTestApi, globalId, type SeededUser, seed, type TestApi } from "@wz/testkit";
import { count, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

let api: TestApi;
let shanghai: { id: string };
let shenzhenSecretary: SeededUser;
let shanghaiSecretary: SeededUser;
let applicationId: string;
let activeId: string;
let merchantId: string;
const MISSING = "00000000-0000-4000-8000-000000000000";

beforeAll(async () => {
  api = await createTestApi();
  const s = seed(api.db.db);
  const sh = await s.chamber({ name: "上海测试商会" });
  const sz = await s.chamber({ name: "深圳测试商会" });
  shanghai = sh;
  shanghaiSecretary = await sh.secretary();
  shenzhenSecretary = await sz.secretary();
  const active = await sh.member({ name: "陈一新", mobile: "13912345678", mobileVisibility: "PRIVATE" });
  activeId = active.membershipId;
  merchantId = active.merchantId;
  const applicant = await s.merchant({ name: "林申请" });
  applicationId = await sh.addMembership(applicant.id, { status: "APPLIED", expiresOn: null });
});
afterAll(() => api.close());

/** Everything that must not change when the foreign secretary tries. */
const snapshot = async () => ({
  memberships: await api.db.db
    .select()
    .from(membershipTable)
    .where(eq(membershipTable.chamberId, shanghai.id))
    .orderBy(membershipTable.id),
  payments: (await api.db.db.select({ n: count() }).from(duesPaymentTable))[0]!.n,
  notes: (await api.db.db.select({ n: count() }).from(membershipNoteTable))[0]!.n,
  audit: (await api.db.db.select({ n: count() }).from(auditLogTable))[0]!.n,
});

const membershipMutations: [string, string, (id: string) => Record<string, unknown>][] = [
  ["decideMembership", "DecideMembershipInput", (id) => ({ membershipId: id, approve: true })],
  [
    "changeMembershipStatus",
    "ChangeMembershipStatusInput",
    (id) => ({ membershipId: id, status: "SUSPENDED", reason: "x" }),
  ],
  ["changeMembershipLevel", "ChangeMembershipLevelInput", (id) => ({ membershipId: id, level: "PRESIDENT" })],
  [
    "recordDuesPayment",
    "RecordDuesPaymentInput",
    (id) => ({ membershipId: id, amount: "100.00", periodStart: "2030-01-01", receiptNo: "X1" }),
  ],
  ["addMembershipNote", "AddMembershipNoteInput", (id) => ({ membershipId: id, body: "x" })],
];

describe("the Shenzhen secretary and the Shanghai chamber", () => {
  it("cannot change a Shanghai membership: the same NOT_FOUND as a missing ID, and nothing changes", async () => {
    const before = await snapshot();
    for (const [name, inputType, input] of membershipMutations) {
      const q = `mutation ($input: ${inputType}!) { ${name}(input: $input) { userErrors { field message code } } }`;
      for (const target of [activeId, applicationId]) {
        const foreign = await api.gql(q, { input: input(globalId("Membership", target)) }, shenzhenSecretary.token);
        const missing = await api.gql(q, { input: input(globalId("Membership", MISSING)) }, shenzhenSecretary.token);
        expect(foreign).toEqual(missing);
        expect((foreign.data![name] as { userErrors: { code: string }[] }).userErrors[0]!.code).toBe("NOT_FOUND");
      }
    }
    expect(await snapshot()).toEqual(before);
  });

  it(
    "cannot import into, export, set fees of or apply on someone's " +
      "behalf to Shanghai: the same answer as a missing chamber",
    async () => {
      const before = await snapshot();
      const calls: [string, (chamberId: string) => Record<string, unknown>][] = [
        [
          `mutation ($input: ImportMembersInput!) { importMembers(input: $input) { rows created userErrors { field
            message code } } }`,
          (c) => ({ chamberId: c, csv: "姓名,手机\n张三,13900001111\n" }),
        ],
        [
          `mutation ($input: ImportMembersInput!) { importMembers(input: $input) { rows userErrors { field message code
            } } }`,
          (c) => ({ chamberId: c, csv: "姓名\n", dryRun: true }),
        ],
        [
          `query ($input: ExportMembersInput!) { exportMembers(input: $input) { content rowCount } }`,
          (c) => ({ chamberId: c }),
        ],
        [
          `query ($input: ExportMembersInput!) { exportMembers(input: $input) { rowCount } }`,
          (c) => ({ chamberId: c, format: "XLSX", filter: { status: ["ACTIVE"] } }),
        ],
        [
          `mutation ($input: SetFeeScheduleInput!) { setFeeSchedule(input: $input) { userErrors { field message code } }
            }`,
          (c) => ({ chamberId: c, fees: [{ level: "MEMBER", annualFee: "1.00" }] }),
        ],
        [
          `mutation ($input: ApplyForMembershipInput!) { applyForMembership(input: $input) { membership { id }
            userErrors { field message code } } }`,
          (c) => ({ chamberId: c, merchantId: globalId("Merchant", merchantId) }),
        ],
      ];
      for (const [query, input] of calls) {
        const foreign = await api.gql(
          query,
          { input: input(globalId("Chamber", shanghai.id)) },
          shenzhenSecretary.token,
        );
        const missing = await api.gql(query, { input: input(globalId("Chamber", MISSING)) }, shenzhenSecretary.token);
        expect(foreign.errors).toBeUndefined();
        expect(foreign).toEqual(missing);
      }
      expect(await snapshot()).toEqual(before);
    },
  );

  it(
    "cannot read Shanghai memberships by ID, through the " + "merchant, the member list, its filters or counts",
    async () => {
      const read = `query ($ids: [ID!]!) { nodes(ids: $ids) { id ... on Membership { status notes { body } duesStatus {
      amountOwed } } } }`;
      const ids = [activeId, applicationId].map((id) => globalId("Membership", id));
      const missing = [MISSING, MISSING].map((id) => globalId("Membership", id));
      expect(await api.data(read, { ids }, shenzhenSecretary.token)).toEqual(
        await api.data(read, { ids: missing }, shenzhenSecretary.token),
      );
      expect(
        (await api.data(read, { ids }, shanghaiSecretary.token)).nodes.map((n: { status: string }) => n.status),
      ).toEqual(["ACTIVE", "APPLIED"]);

      // Through the (public) merchant: no membership, and the PRIVATE mobile stays hidden.
      const viaMerchant = `query ($id: ID!) { node(id: $id) { ... on Merchant { name mobile memberships { id } } } }`;
      expect(
        (await api.data(viaMerchant, { id: globalId("Merchant", merchantId) }, shenzhenSecretary.token)).node,
      ).toEqual({ name: "陈一新", mobile: null, memberships: [] });
      expect(
        (await api.data(viaMerchant, { id: globalId("Merchant", merchantId) }, shanghaiSecretary.token)).node.mobile,
      ).toBe("13912345678");

      // The member list, with or without filters, gives nothing — not even a count.
      const list = (filter: string) =>
        `query ($id: ID!) { node(id: $id) { ... on Chamber { name members${filter} { totalCount edges { node { id } } }
          }
        } }`;
      const answers = [];
      for (const filter of [
        "",
        "(filter: { status: [APPLIED] })",
        `(filter: { query: "陈" })`,
        '(filter: { levels: [MEMBER], expiresBefore: "2100-01-01" })',
      ]) {
        const result = await api.gql(list(filter), { id: globalId("Chamber", shanghai.id) }, shenzhenSecretary.token);
        expect(result.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
        expect(JSON.stringify(result)).not.toMatch(/totalCount|陈一新/);
        answers.push(result.data);
      }
      expect(new Set(answers.map((a) => JSON.stringify(a))).size).toBe(1);
      const own = await api.data(list(""), { id: globalId("Chamber", shanghai.id) }, shanghaiSecretary.token);
      expect(own.node.members.totalCount).toBe(2);
      // Fee schedules are the chamber's own business too.
      const fees = await api.data(
        `query ($id: ID!) { node(id: $id) { ... on Chamber { feeSchedule { level } } } }`,
        { id: globalId("Chamber", shanghai.id) },
        shenzhenSecretary.token,
      );
      expect(fees.node.feeSchedule).toBeNull();
    },
  );
});
