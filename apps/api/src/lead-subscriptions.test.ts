// Lead subscriptions over graphql-ws against the real server: each subscriber gets exactly the leads it may
// see; a subscriber that reconnects with its cursor gets what it missed, in order, once; updates reach the
// poster, responders and referred merchants; per-socket limits; logout closes the socket.
import {
  globalId,
  seed,
  startTestServer,
  testServerDefaults,
  wsExecute,
  wsSubscribe,
  type ChamberSeed,
  type SeededUser,
  type TestDatabase,
  type TestServer,
} from "@wz/testkit";
import type { Client } from "graphql-ws";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiServer, type ApiServer } from "./server";

let harness: TestServer<ApiServer>;
let database: TestDatabase;
let shanghai: ChamberSeed;
let shenzhen: ChamberSeed;
let xinjiang: ChamberSeed;
let poster: { merchantId: string; user: SeededUser };
let shanghaiMember: SeededUser;
let shenzhenMember: SeededUser;
let xinjiangMember: SeededUser;

beforeAll(async () => {
  harness = await startTestServer((db) => createApiServer({ ...testServerDefaults, database: db, maxOperationsPerSocket: 5, leadFeedPollMs: 200 }));
  database = harness.database;
  const s = seed(database.db);
  shanghai = await s.chamber({ name: "上海市温州商会", kind: "PROVINCIAL", provinceCode: "31" });
  shenzhen = await s.chamber({ name: "深圳温州商会", provinceCode: "44", city: "深圳" });
  xinjiang = await s.chamber({ name: "新疆温州商会", kind: "PROVINCIAL", provinceCode: "65" });
  poster = await shanghai.member({ name: "陈一新", mobile: "13800000001", mobileVisibility: "CHAMBER" });
  shanghaiMember = (await shanghai.member()).user;
  shenzhenMember = (await shenzhen.member()).user;
  xinjiangMember = (await xinjiang.member()).user;
});
afterAll(() => harness.close());

const connect = (token: string | null, onClosed?: (code: number) => void): Client => harness.connect(token, onClosed);
const http = (query: string, variables: Record<string, unknown>, token: string) => harness.graphql(query, variables, token);

const POST = `mutation ($input: PostLeadInput!) { postLead(input: $input) { lead { id } userErrors { message } } }`;
async function postLead(title: string, visibility: string, extra: Record<string, unknown> = {}) {
  const data = await http(POST, {
    input: { chamberId: globalId("Chamber", shanghai.id), kind: "BUSINESS_OPPORTUNITY", title, description: "详情", visibility, ...extra },
  }, poster.user.token);
  expect(data["postLead"].userErrors).toEqual([]);
  return data["postLead"].lead.id as string;
}

const LEAD_POSTED = `subscription ($after: String, $filter: LeadFilter) { leadPosted(after: $after, filter: $filter) { id title eventCursor postedBy { name mobile } } }`;
type Posted = { leadPosted: { id: string; title: string; eventCursor: string; postedBy: { name: string; mobile: string | null } } };
const PER_SUBSCRIBER = LEAD_POSTED.replace("postedBy { name mobile }", "postedBy { name mobile } chamber { name } responses { message }");
const titles = (results: { data?: Posted | null }[]) => results.map((r) => r.data?.leadPosted.title);

describe("leadPosted", () => {
  it("delivers each lead only to subscribers who may see it, with contact fields filtered for each", async () => {
    const subscribers = {
      shanghai: wsSubscribe<Posted>(connect(shanghaiMember.token), LEAD_POSTED),
      shenzhen: wsSubscribe<Posted>(connect(shenzhenMember.token), LEAD_POSTED),
      xinjiang: wsSubscribe<Posted>(connect(xinjiangMember.token), LEAD_POSTED),
    };
    await new Promise((r) => setTimeout(r, 300)); // let the subscriptions register
    await postLead("本会商机", "CHAMBER");
    await postLead("深圳可见", "SELECTED_CHAMBERS", { selectedChamberIds: [globalId("Chamber", shenzhen.id)] });
    await postLead("全联会商机", "FEDERATION");

    expect(titles(await subscribers.shanghai.waitFor(3))).toEqual(["本会商机", "深圳可见", "全联会商机"]);
    expect(titles(await subscribers.shenzhen.waitFor(2))).toEqual(["深圳可见", "全联会商机"]);
    expect(titles(await subscribers.xinjiang.waitFor(1))).toEqual(["全联会商机"]);
    await subscribers.xinjiang.settle();
    expect(subscribers.xinjiang.results).toHaveLength(1);
    expect(subscribers.shenzhen.results).toHaveLength(2);
    // the poster's CHAMBER-visible mobile reaches fellow members only
    expect(subscribers.shanghai.results[2]!.data!.leadPosted.postedBy).toEqual({ name: "陈一新", mobile: "13800000001" });
    expect(subscribers.xinjiang.results[0]!.data!.leadPosted.postedBy).toEqual({ name: "陈一新", mobile: null });
    for (const probe of Object.values(subscribers)) probe.unsubscribe();
  });

  it("applies the subscriber's filter", async () => {
    const probe = wsSubscribe<Posted>(connect(shenzhenMember.token), LEAD_POSTED, { filter: { kinds: ["INVESTMENT_PROJECT"] } });
    await new Promise((r) => setTimeout(r, 300));
    await postLead("不是投资项目", "FEDERATION");
    await postLead("回归投资项目", "FEDERATION", { kind: "INVESTMENT_PROJECT" });
    expect(titles(await probe.waitFor(1))).toEqual(["回归投资项目"]);
    expect(titles(await probe.settle())).toEqual(["回归投资项目"]);
    probe.unsubscribe();
  });

  // `responses` depends on who each subscriber is, so that selection runs per subscriber; the others are
  // executed once per event (per audience, for the poster's mobile) and sent directly.
  it.each([
    ["executed per subscriber", PER_SUBSCRIBER],
    ["shared by audience", LEAD_POSTED],
    ["shared", LEAD_POSTED.replace("postedBy { name mobile }", "postedBy { name }")],
  ])("a subscriber that drops and reconnects with its cursor receives exactly what it missed, in order, once (%s)", async (_kind, LEAD_POSTED) => {
    const first = connect(shenzhenMember.token);
    const probe = wsSubscribe<Posted>(first, LEAD_POSTED);
    await new Promise((r) => setTimeout(r, 300));
    await postLead("断线前", "FEDERATION");
    const [seen] = await probe.waitFor(1);
    const cursor = seen!.data!.leadPosted.eventCursor;
    expect(cursor).toMatch(/^\d+$/);
    await first.dispose();

    const expected: string[] = [];
    for (let i = 1; i <= 20; i++) {
      const visibility = i % 3 === 0 ? "CHAMBER" : i % 3 === 1 ? "FEDERATION" : "SELECTED_CHAMBERS";
      const title = `离线期间 ${i}`;
      await postLead(title, visibility, visibility === "SELECTED_CHAMBERS" ? { selectedChamberIds: [globalId("Chamber", i % 2 ? shenzhen.id : xinjiang.id)] } : {});
      if (visibility === "FEDERATION" || (visibility === "SELECTED_CHAMBERS" && i % 2 === 1)) expected.push(title);
    }

    const again = wsSubscribe<Posted>(connect(shenzhenMember.token), LEAD_POSTED, { after: cursor });
    await again.waitFor(expected.length);
    await postLead("重连之后", "FEDERATION");
    await again.waitFor(expected.length + 1);
    expect(titles(await again.settle())).toEqual([...expected, "重连之后"]);
    const cursors = again.results.map((r) => Number(r.data!.leadPosted.eventCursor));
    expect([...cursors].sort((a, b) => a - b)).toEqual(cursors);
    expect(new Set(cursors).size).toBe(cursors.length);
    again.unsubscribe();
  });

  it("rejects a malformed cursor", async () => {
    const probe = wsSubscribe<Posted>(connect(shenzhenMember.token), LEAD_POSTED, { after: "yesterday" });
    await probe.ended;
    expect(probe.results[0]?.errors?.[0]?.message).toMatch(/not a lead event cursor/);
    expect(probe.results[0]?.data ?? null).toBeNull();
  });
});

describe("fan-out cost", () => {
  it("delivering one lead costs the same statements for 2 subscribers as for 8, nested fields included", async () => {
    const counts: number[] = [];
    for (const n of [2, 8]) {
      // `responses` makes every subscriber execute the event itself: the feed's rows are handed to each.
      const probes = Array.from({ length: n }, () => wsSubscribe<Posted>(connect(shenzhenMember.token), PER_SUBSCRIBER));
      await new Promise((r) => setTimeout(r, 400));
      database.resetStatements();
      await postLead(`扇出 ${n}`, "FEDERATION");
      for (const probe of probes) await probe.waitFor(1);
      await new Promise((r) => setTimeout(r, 100));
      counts.push(database.statements.length);
      for (const probe of probes) {
        expect(probe.results[0]!.data!.leadPosted.postedBy).toEqual({ name: "陈一新", mobile: null });
        probe.unsubscribe();
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(counts[1]).toBe(counts[0]);
  });
});

describe("shared execution of an event", () => {
  it("hands one result to everyone it reads the same for: all, or all with the same access to the poster and the lead", async () => {
    const secretary = { user: await shanghai.secretary() };
    // Shareable: public facts only (fragments and @include included).
    const PUBLIC = `subscription ($full: Boolean!) { leadPosted { ...L chamber { name } } } fragment L on Lead { id title kind postedBy { name } status @include(if: $full) }`;
    // Shared per audience: the poster's contact field (in a fragment) and who may manage the lead.
    const PERSONAL = `subscription { leadPosted { title viewerCanManage postedBy { ...Contact } } } fragment Contact on Merchant { name mobile }`;
    type Public = { leadPosted: { title: string; kind: string; status?: string; chamber: { name: string }; postedBy: { name: string } } };
    type Personal = { leadPosted: { title: string; viewerCanManage: boolean; postedBy: { name: string; mobile: string | null } } };
    const publicFor = [secretary.user.token, shanghaiMember.token, xinjiangMember.token].map((t) => wsSubscribe<Public>(connect(t), PUBLIC, { full: true }));
    const publicShort = wsSubscribe<Public>(connect(shenzhenMember.token), PUBLIC, { full: false });
    const personal = {
      secretary: wsSubscribe<Personal>(connect(secretary.user.token), PERSONAL),
      fellow: wsSubscribe<Personal>(connect(shanghaiMember.token), PERSONAL),
      outsider: wsSubscribe<Personal>(connect(xinjiangMember.token), PERSONAL),
    };
    await new Promise((r) => setTimeout(r, 300));
    await postLead("共享执行", "FEDERATION");

    for (const probe of publicFor)
      expect((await probe.waitFor(1))[0]!.data!.leadPosted).toEqual({
        id: expect.any(String), title: "共享执行", kind: "BUSINESS_OPPORTUNITY", status: "OPEN", chamber: { name: "上海市温州商会" }, postedBy: { name: "陈一新" },
      });
    // Different variables, a different result: no `status`.
    expect((await publicShort.waitFor(1))[0]!.data!.leadPosted).not.toHaveProperty("status");
    expect((await personal.secretary.waitFor(1))[0]!.data!.leadPosted).toMatchObject({ viewerCanManage: true, postedBy: { mobile: "13800000001" } });
    expect((await personal.fellow.waitFor(1))[0]!.data!.leadPosted).toMatchObject({ viewerCanManage: false, postedBy: { mobile: "13800000001" } });
    expect((await personal.outsider.waitFor(1))[0]!.data!.leadPosted).toMatchObject({ viewerCanManage: false, postedBy: { mobile: null } });

    // Unsubscribing ends a shared subscription like any other.
    publicFor[0]!.unsubscribe();
    await postLead("共享执行之二", "FEDERATION");
    expect((await publicFor[1]!.waitFor(2))[1]!.data!.leadPosted.title).toBe("共享执行之二");
    expect(await publicFor[0]!.settle()).toHaveLength(1);
  });
});

describe("leadUpdated", () => {
  it("tells the poster of answers and status changes, and the referred merchant of the referral", async () => {
    const UPDATED = `subscription { leadUpdated { id title status } }`;
    const referred = await xinjiang.member({ name: "王建国" });
    const posterProbe = wsSubscribe<{ leadUpdated: { title: string; status: string } }>(connect(poster.user.token), UPDATED);
    const referredProbe = wsSubscribe<{ leadUpdated: { title: string; status: string } }>(connect(referred.user.token), UPDATED);
    const bystander = wsSubscribe<{ leadUpdated: { title: string } }>(connect(shenzhenMember.token), UPDATED);
    await new Promise((r) => setTimeout(r, 300));
    const leadId = await postLead("需要更新的商机", "CHAMBER");
    await http(
      `mutation ($input: RespondToLeadInput!) { respondToLead(input: $input) { userErrors { message } } }`,
      { input: { leadId, kind: "REFERRAL", message: "推荐", referredMerchantId: globalId("Merchant", referred.merchantId) } },
      shanghaiMember.token,
    );
    await http(`mutation ($input: UpdateLeadStatusInput!) { updateLeadStatus(input: $input) { userErrors { message } } }`, { input: { leadId, status: "IN_PROGRESS" } }, poster.user.token);
    const posterEvents = await posterProbe.waitFor(2);
    expect(posterEvents.map((r) => r.data?.leadUpdated.status)).toEqual(["OPEN", "IN_PROGRESS"]);
    const referredEvents = await referredProbe.waitFor(2);
    expect(referredEvents[0]!.data?.leadUpdated.title).toBe("需要更新的商机");
    expect(await bystander.settle()).toEqual([]);
  });

  it("for one named lead, only if the subscriber may see it", async () => {
    const leadId = await postLead("单条订阅", "CHAMBER");
    const ONE = `subscription ($id: ID) { leadUpdated(leadId: $id) { id status } }`;
    const own = wsSubscribe<{ leadUpdated: { status: string } }>(connect(shanghaiMember.token), ONE, { id: leadId });
    const outsider = wsSubscribe<{ leadUpdated: { status: string } }>(connect(xinjiangMember.token), ONE, { id: leadId });
    await new Promise((r) => setTimeout(r, 300));
    await http(`mutation ($input: UpdateLeadStatusInput!) { updateLeadStatus(input: $input) { userErrors { message } } }`, { input: { leadId, status: "WITHDRAWN" } }, poster.user.token);
    expect((await own.waitFor(1))[0]!.data?.leadUpdated.status).toBe("WITHDRAWN");
    expect(await outsider.settle()).toEqual([]);
  });
});

describe("socket rules", () => {
  it("limits the operations one socket may run at once", async () => {
    const client = connect(shanghaiMember.token);
    const probes = Array.from({ length: 5 }, () => wsSubscribe(client, LEAD_POSTED));
    await new Promise((r) => setTimeout(r, 300));
    const sixth = wsSubscribe(client, LEAD_POSTED);
    expect(JSON.stringify(await sixth.ended)).toMatch(/At most 5 operations/);
    probes[0]!.unsubscribe();
    await new Promise((r) => setTimeout(r, 100));
    const again = await wsExecute<{ me: { isFederationStaff: boolean } }>(client, "{ me { isFederationStaff } }");
    expect(again.data?.me.isFederationStaff).toBe(false);
    for (const probe of probes) probe.unsubscribe();
  });

  it("closes the socket when its session expires", async () => {
    const user = await seed(database.db).user({ expiresInMs: 1500 });
    let closedWith = 0;
    const client = connect(user.token, (code) => (closedWith = code));
    const probe = wsSubscribe(client, LEAD_POSTED);
    await new Promise((r) => setTimeout(r, 500));
    expect(closedWith).toBe(0);
    for (let i = 0; i < 60 && closedWith === 0; i++) await new Promise((r) => setTimeout(r, 50));
    expect(closedWith).toBe(4403);
    probe.unsubscribe();
  });

  it("closes the socket when its session is revoked by logout", async () => {
    const user = await seed(database.db).user();
    let closedWith = 0;
    const client = connect(user.token, (code) => (closedWith = code));
    const probe = wsSubscribe(client, LEAD_POSTED); // keeps the socket open
    await new Promise((r) => setTimeout(r, 200));
    expect(closedWith).toBe(0);
    expect((await http("mutation { logout }", {}, user.token))["logout"]).toBe(true);
    for (let i = 0; i < 50 && closedWith === 0; i++) await new Promise((r) => setTimeout(r, 50));
    expect(closedWith).toBe(4403);
    probe.unsubscribe();
  });
});
