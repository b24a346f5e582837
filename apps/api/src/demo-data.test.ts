// The demo data is loaded through the domain services: its changes are in the audit log under the people
// who made them, and its leads' events are ordered by the lead service, so a subscriber replaying the log
// from the start gets every lead it may see, once, in order.
import { seedDemoData } from "@wz/core/demo";
import { startTestServer, type TestServer, testServerDefaults, wsSubscribe } from "@wz/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ApiServer, createApiServer } from "./server";

let harness: TestServer<ApiServer>;
const tokens: Record<string, string> = {};

beforeAll(async () => {
  harness = await startTestServer((db) => createApiServer({ ...testServerDefaults, database: db }));
  await seedDemoData(harness.database.db);
  for (const email of ["admin@example.org", "secretary@shanghai.example.org", "member@shanghai.example.org"]) {
    const response = await fetch(`${harness.base}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        query: `mutation { login(input: { email: "${email}", password: "demo-password" }) { token } }`,
      }),
    });
    const body = (await response.json()) as { data: { login: { token: string } } };
    tokens[email] = body.data.login.token;
  }
}, 240_000); // the whole demo is loaded: minutes on a loaded machine
afterAll(() => harness.close());

const admin = () => tokens["admin@example.org"]!;
const AUDIT = `query ($actions: [String!]) {
  auditLog(first: 100, filter: { actions: $actions }) {
    totalCount edges { node { action entityType actor { email } } }
  }
}`;
type AuditNode = { action: string; entityType: string; actor: { email: string } | null };
type Audit = { auditLog: { totalCount: number; edges: { node: AuditNode }[] } };
const audit = async (actions: string[]) => (await harness.graphql(AUDIT, { actions }, admin())) as Audit;

describe("demo data through the services", () => {
  it("the demo accounts are who the README says", async () => {
    const ME = `{ me { isFederationStaff user { displayName } chamberRoles { role chamber { name } } } }`;
    const me = await harness.graphql(ME, {}, tokens["member@shanghai.example.org"]!);
    expect(me.me).toEqual({
      isFederationStaff: false,
      user: { displayName: "陈一新" },
      chamberRoles: [{ role: "MEMBER", chamber: { name: "上海市温州商会" } }],
    });
    const secretary = await harness.graphql(ME, {}, tokens["secretary@shanghai.example.org"]!);
    expect(secretary.me.chamberRoles).toEqual([{ role: "SECRETARY", chamber: { name: "上海市温州商会" } }]);
    const staff = await harness.graphql(`{ me { isFederationStaff chamberRoles { role } } }`, {}, admin());
    expect(staff.me).toEqual({ isFederationStaff: true, chamberRoles: [] });
  });

  it("the audit log has the chambers' creation and the formation steps, by the admin", async () => {
    const created = await audit(["chamber:create"]);
    // the federation, the 11 chambers of the story, and a forming chamber for each of the 13 other provinces under way
    expect(created.auditLog.totalCount).toBe(25);
    expect(new Set(created.auditLog.edges.map((e) => e.node.actor?.email))).toEqual(new Set(["admin@example.org"]));
    const steps = await audit(["formation:advance"]);
    // 4 FOUNDED × 5 steps, 2 APPROVED × 4, 2 APPLIED × 3, 4 PREPARATORY × 2, 5 INITIATED × 1
    expect(steps.auditLog.totalCount).toBe(47);
    expect(new Set(steps.auditLog.edges.map((e) => e.node.actor?.email))).toEqual(new Set(["admin@example.org"]));
    expect((await audit(["formation:plan"])).auditLog.totalCount).toBe(31);
    expect((await audit(["checklist:tick"])).auditLog.totalCount).toBe(30);
    expect((await audit(["chamber:found"])).auditLog.totalCount).toBe(4);
    // the member lists came in by import, one per chamber (and Shanghai's by its own secretary)
    const imports = await audit(["member:import"]);
    expect(imports.auditLog.totalCount).toBe(11);
    expect(imports.auditLog.edges.map((e) => e.node.actor?.email)).toContain("secretary@shanghai.example.org");
    expect((await audit(["lead:post"])).auditLog.totalCount).toBe(36);
    expect((await audit(["user:accept-invite"])).auditLog.totalCount).toBe(3);
  });

  it("the lead event log replays every FEDERATION demo lead once, in order", async () => {
    const LEADS = `{ leads(first: 100) { totalCount edges { node { id visibility } } } }`;
    const listed = await harness.graphql(LEADS, {}, admin());
    const federationLeads = listed.leads.edges.map((e: { node: { id: string; visibility: string } }) => e.node);
    // federation staff outside any chamber see exactly the FEDERATION leads: a third of the 36
    expect(federationLeads).toHaveLength(12);
    expect(new Set(federationLeads.map((l: { visibility: string }) => l.visibility))).toEqual(new Set(["FEDERATION"]));

    type Posted = { leadPosted: { id: string; title: string; eventCursor: string } };
    const REPLAY = `subscription { leadPosted(after: "0") { id title eventCursor } }`;
    const probe = wsSubscribe<Posted>(harness.connect(admin()), REPLAY);
    await probe.waitFor(12);
    // an end marker: a FEDERATION lead posted now arrives after everything the replay holds
    const member = tokens["member@shanghai.example.org"]!;
    const me = await harness.graphql(`{ me { chamberRoles { role chamber { id } } } }`, {}, member);
    const chamberId = me.me.chamberRoles.find((r: { role: string }) => r.role === "MEMBER").chamber.id;
    const marker = await harness.graphql(
      `mutation ($input: PostLeadInput!) { postLead(input: $input) { userErrors { message } } }`,
      { input: { chamberId, kind: "SUPPLY", title: "回放结束标记", description: "标记", visibility: "FEDERATION" } },
      member,
    );
    expect(marker.postLead.userErrors).toEqual([]);
    const received = await probe.waitUntil((r) => r.data?.leadPosted.title === "回放结束标记");
    probe.unsubscribe();
    const replayed = received.map((r) => r.data!.leadPosted).filter((l) => l.title !== "回放结束标记");
    expect(received).toHaveLength(13);
    expect(replayed).toHaveLength(12);
    expect(new Set(replayed.map((l) => l.id))).toEqual(new Set(federationLeads.map((l: { id: string }) => l.id)));
    const cursors = replayed.map((l) => Number(l.eventCursor));
    expect(cursors).toEqual([...cursors].sort((a, b) => a - b));
    expect(new Set(cursors).size).toBe(12);
    // posted in the story's order: #1, #4, #7, … (every third lead is FEDERATION)
    const numbers = replayed.map((l) => Number(/#(\d+)$/.exec(l.title)![1]));
    expect(numbers).toEqual(Array.from({ length: 12 }, (_, i) => 3 * i + 1));
  });
});
