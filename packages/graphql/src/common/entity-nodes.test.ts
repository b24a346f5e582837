// Every entity is a Node a client cache can key: provinces, checklist items, dues payments, notes, formation
// steps, companies and audit entries load by `node`/`nodes` for whoever may see them, the ids mutation payloads
// hand back are those same ids, and for anyone else they read as null, exactly like a random id of the type.
import { randomUUID } from "node:crypto";
import { decodeGlobalID, encodeGlobalID } from "@pothos/plugin-relay";
import { createTestApi, globalId, type SeededUser, seed, type TestApi } from "@wz/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

let api: TestApi;
let staff: SeededUser;
let secretary: SeededUser;
let member: SeededUser;
let otherSecretary: SeededUser;
const ids: Record<string, string> = {};

const NODE = `query ($id: ID!) { node(id: $id) { __typename id } }`;

beforeAll(async () => {
  api = await createTestApi();
  const s = seed(api.db.db);
  staff = await s.federationStaff();
  const chamber = await s.chamber({ name: "苏州温州商会" });
  secretary = await chamber.secretary();
  const joined = await chamber.member({ name: "陈缓存", companies: [{ name: "缓存鞋业有限公司", industry: "C" }] });
  member = joined.user;
  otherSecretary = await (await s.chamber({ name: "昆明温州商会" })).secretary();
  const chamberId = globalId("Chamber", chamber.id);
  const membershipId = globalId("Membership", joined.membershipId);

  const step = await api.data(
    `mutation ($input: AdvanceFormationInput!) { advanceFormation(input: $input) {
      province { id code } step { id toStatus } userErrors { message } } }`,
    { input: { provinceCode: "32", status: "INITIATED", date: "2014-03-01" } },
    staff.token,
  );
  expect(step.advanceFormation.userErrors).toEqual([]);
  ids.Province = step.advanceFormation.province.id;
  ids.FormationStep = step.advanceFormation.step.id;

  const ticked = await api.data(
    `mutation ($input: UpdateChecklistItemInput!) { updateChecklistItem(input: $input) {
      item { id item done } userErrors { message } } }`,
    { input: { chamberId, item: "CHARTER", done: true, doneOn: "2014-03-02" } },
    staff.token,
  );
  expect(ticked.updateChecklistItem.userErrors).toEqual([]);
  ids.ChecklistItem = ticked.updateChecklistItem.item.id;

  await api.data(
    `mutation ($input: AddMembershipNoteInput!) { addMembershipNote(input: $input) { userErrors { message } } }`,
    { input: { membershipId, body: "按时缴费" } },
    secretary.token,
  );
  await api.data(
    `mutation ($input: RecordDuesPaymentInput!) { recordDuesPayment(input: $input) { userErrors { message } } }`,
    { input: { membershipId, amount: "2000", periodStart: "2100-01-01", receiptNo: "R-1" } },
    secretary.token,
  );
  const inside = await api.data(
    `query ($id: ID!) { node(id: $id) { ... on Membership { notes { id } duesPayments { id }
      merchant { companies { id } } } } }`,
    { id: membershipId },
    secretary.token,
  );
  ids.MembershipNote = inside.node.notes[0].id;
  ids.DuesPayment = inside.node.duesPayments[0].id;
  ids.Company = inside.node.merchant.companies[0].id;
  const trail = await api.data(`{ auditLog(first: 1) { edges { node { id sequence } } } }`, {}, staff.token);
  ids.AuditEntry = trail.auditLog.edges[0].node.id;
});
afterAll(() => api?.close());

const load = async (id: string, token: string | null) => (await api.data(NODE, { id }, token)).node;
const random = (typename: string) => encodeGlobalID(typename, randomUUID());

describe("every entity is a node", () => {
  it("each id is opaque and loads the same object back through node, for a viewer who may see it", async () => {
    const viewers: Record<string, SeededUser> = {
      Province: member,
      Company: member,
      ChecklistItem: secretary,
      DuesPayment: member,
      MembershipNote: secretary,
      FormationStep: staff,
      AuditEntry: staff,
    };
    for (const [typename, id] of Object.entries(ids)) {
      expect(decodeGlobalID(id).typename, id).toBe(typename);
      expect(await load(id, viewers[typename]!.token), typename).toEqual({ __typename: typename, id });
    }
    const all = await api.data(
      `query ($ids: [ID!]!) { nodes(ids: $ids) { id } }`,
      { ids: Object.values(ids) },
      staff.token,
    );
    // staff read everything but the secretariat's private notes
    expect(all.nodes.map((n: { id: string } | null) => n?.id ?? null)).toEqual(
      Object.entries(ids).map(([typename, id]) => (typename === "MembershipNote" ? null : id)),
    );
  });

  it("public ones load for anyone, anonymous visitors included", async () => {
    expect(await load(ids.Province!, null)).toEqual({ __typename: "Province", id: ids.Province });
    expect(await load(ids.Company!, null)).toEqual({ __typename: "Company", id: ids.Company });
  });

  it("hidden or foreign ones read exactly like a random id of the type", async () => {
    const hidden: [string, (SeededUser | null)[]][] = [
      ["ChecklistItem", [null, member, otherSecretary]],
      ["DuesPayment", [null, otherSecretary]],
      ["MembershipNote", [null, member, otherSecretary, staff]],
      ["FormationStep", [null, member, secretary]],
      ["AuditEntry", [null, member, secretary]],
    ];
    for (const [typename, viewers] of hidden)
      for (const viewer of viewers) {
        const token = viewer?.token ?? null;
        const asked = await api.gql(NODE, { id: ids[typename] }, token);
        expect(asked, `${typename} for ${viewer?.email ?? "anonymous"}`).toEqual(
          await api.gql(NODE, { id: random(typename) }, token),
        );
        expect(asked).toEqual({ data: { node: null } });
      }
  });

  it("a composite id with another chamber, or a made-up item, reads as missing", async () => {
    const { id } = decodeGlobalID(ids.ChecklistItem!);
    const [chamberId] = id.split("/");
    for (const made of [`${randomUUID()}/CHARTER`, `${chamberId}/NO_SUCH_ITEM`, `${chamberId}/`, "/CHARTER"])
      expect(await load(encodeGlobalID("ChecklistItem", made), staff.token), made).toBeNull();
    const dues = decodeGlobalID(ids.DuesPayment!).id.split("/");
    expect(await load(encodeGlobalID("DuesPayment", `${randomUUID()}/${dues[1]}`), staff.token)).toBeNull();
  });
});
