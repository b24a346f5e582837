// Lead subscriptions over graphql-ws against the real server: each subscriber gets exactly the leads it may
// see; a subscriber that reconnects with its cursor gets what it missed, in order, once; updates reach the
// poster, responders and referred merchants; per-socket limits; logout closes the socket.
import { lastLeadEventSeq } from "@wz/core";
import {
  type ChamberSeed,
  globalId,
  type SeededUser,
  seed,
  startTestServer,
  type TestDatabase,
  type TestServer,
  testServerDefaults,
  waitUntil,
  wsExecute,
  wsSubscribe,
} from "@wz/testkit";
import type { Client, FormattedExecutionResult } from "graphql-ws";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ApiServer, createApiServer } from "./server";

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
  harness = await startTestServer((db) =>
    createApiServer({ ...testServerDefaults, database: db, maxOperationsPerSocket: 5, leadFeedPollMs: 200 }),
  );
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
const http = (query: string, variables: Record<string, unknown>, token: string) =>
  harness.graphql(query, variables, token);

const POST = `mutation ($input: PostLeadInput!) { postLead(input: $input) { lead { id } userErrors { message } } }`;
async function postLeadAs(token: string, chamberId: string, title: string, visibility: string, extra = {}) {
  const chamber = globalId("Chamber", chamberId);
  const input = { chamberId: chamber, kind: "BUSINESS_OPPORTUNITY", title, description: "详情", visibility, ...extra };
  const data = await http(POST, { input }, token);
  expect(data.postLead.userErrors).toEqual([]);
  return data.postLead.lead.id as string;
}
const postLead = (title: string, visibility: string, extra: Record<string, unknown> = {}) =>
  postLeadAs(poster.user.token, shanghai.id, title, visibility, extra);
const STATUS = `mutation ($input: UpdateLeadStatusInput!) {
  updateLeadStatus(input: $input) { userErrors { message } }
}`;

// No test waits for a subscription to "register": each subscribes `after` the current cursor of the lead event
// log, so an event committed once the subscription is sent reaches it (replayed or live, once) however slowly
// the server registers it. And "nothing else arrives" is checked with an end marker: an event the subscriber
// may receive, caused after the events under test; events reach each subscription in log order, so once the
// marker is in, everything before it is too.
const cursorNow = async () => String(await lastLeadEventSeq(database.db));
async function subscribe<T = Posted>(client: Client, query: string, variables: Record<string, unknown> = {}) {
  return wsSubscribe<T>(client, query, { ...variables, after: await cursorNow() });
}
/** Accepts a result whose (only) root field has this title. */
const titled = (title: string) => (result: FormattedExecutionResult<Record<string, unknown>, unknown>) =>
  Object.values(result.data ?? {}).some((v) => (v as { title?: string } | null)?.title === title);

const LEAD_POSTED = `subscription ($after: String, $filter: LeadFilter) {
  leadPosted(after: $after, filter: $filter) { id title eventCursor postedBy { name mobile } } }`;
type Posted = {
  leadPosted: { id: string; title: string; eventCursor: string; postedBy: { name: string; mobile: string | null } };
};
const PER_SUBSCRIBER = LEAD_POSTED.replace(
  "postedBy { name mobile }",
  "postedBy { name mobile } chamber { name } responses { message }",
);
const titles = (results: { data?: Posted | null }[]) => results.map((r) => r.data?.leadPosted.title);
const titles2 = (results: { data?: { leadUpdated: { title: string } } | null }[]) =>
  results.map((r) => r.data?.leadUpdated.title);

describe("leadPosted", () => {
  it("delivers each lead only to subscribers who may see it, with contact fields filtered for each", async () => {
    const subscribers = {
      shanghai: await subscribe(connect(shanghaiMember.token), LEAD_POSTED),
      shenzhen: await subscribe(connect(shenzhenMember.token), LEAD_POSTED),
      xinjiang: await subscribe(connect(xinjiangMember.token), LEAD_POSTED),
    };
    await postLead("本会商机", "CHAMBER");
    await postLead("深圳可见", "SELECTED_CHAMBERS", { selectedChamberIds: [globalId("Chamber", shenzhen.id)] });
    await postLead("全联会商机", "FEDERATION");
    await postLead("结束标记", "FEDERATION"); // the end marker: everyone may see it

    for (const probe of Object.values(subscribers)) await probe.waitUntil(titled("结束标记"));
    expect(titles(subscribers.shanghai.results)).toEqual(["本会商机", "深圳可见", "全联会商机", "结束标记"]);
    expect(titles(subscribers.shenzhen.results)).toEqual(["深圳可见", "全联会商机", "结束标记"]);
    expect(titles(subscribers.xinjiang.results)).toEqual(["全联会商机", "结束标记"]);
    // the poster's CHAMBER-visible mobile reaches fellow members only
    expect(subscribers.shanghai.results[2]!.data!.leadPosted.postedBy).toEqual({
      name: "陈一新",
      mobile: "13800000001",
    });
    expect(subscribers.xinjiang.results[0]!.data!.leadPosted.postedBy).toEqual({ name: "陈一新", mobile: null });
    for (const probe of Object.values(subscribers)) probe.unsubscribe();
  });

  it("applies the subscriber's filter", async () => {
    const filter = { kinds: ["INVESTMENT_PROJECT"] };
    const probe = await subscribe(connect(shenzhenMember.token), LEAD_POSTED, { filter });
    await postLead("不是投资项目", "FEDERATION");
    await postLead("回归投资项目", "FEDERATION", { kind: "INVESTMENT_PROJECT" });
    await postLead("不是投资项目之二", "FEDERATION");
    await postLead("投资项目结束标记", "FEDERATION", { kind: "INVESTMENT_PROJECT" }); // the end marker
    expect(titles(await probe.waitUntil(titled("投资项目结束标记")))).toEqual(["回归投资项目", "投资项目结束标记"]);
    probe.unsubscribe();
  });

  // `responses` depends on who each subscriber is, so that selection runs per subscriber; the others are
  // executed once per event (per audience, for the poster's mobile) and sent directly.
  it.each([
    ["executed per subscriber", PER_SUBSCRIBER],
    ["shared by audience", LEAD_POSTED],
    ["shared", LEAD_POSTED.replace("postedBy { name mobile }", "postedBy { name }")],
  ])(
    "a subscriber that drops and reconnects with its cursor receives exactly what it missed, in order, once (%s)",
    async (_kind, LEAD_POSTED) => {
      const first = connect(shenzhenMember.token);
      const probe = await subscribe(first, LEAD_POSTED);
      await postLead("断线前", "FEDERATION");
      const [seen] = await probe.waitFor(1);
      const cursor = seen!.data!.leadPosted.eventCursor;
      expect(cursor).toMatch(/^\d+$/);
      await first.dispose();

      const expected: string[] = [];
      for (let i = 1; i <= 20; i++) {
        const visibility = i % 3 === 0 ? "CHAMBER" : i % 3 === 1 ? "FEDERATION" : "SELECTED_CHAMBERS";
        const title = `离线期间 ${i}`;
        await postLead(
          title,
          visibility,
          visibility === "SELECTED_CHAMBERS"
            ? { selectedChamberIds: [globalId("Chamber", i % 2 ? shenzhen.id : xinjiang.id)] }
            : {},
        );
        if (visibility === "FEDERATION" || (visibility === "SELECTED_CHAMBERS" && i % 2 === 1)) expected.push(title);
      }

      const again = wsSubscribe<Posted>(connect(shenzhenMember.token), LEAD_POSTED, { after: cursor });
      await again.waitFor(expected.length);
      await postLead("重连之后", "FEDERATION");
      await again.waitFor(expected.length + 1);
      await postLead("重连之后的结束标记", "FEDERATION"); // the end marker: nothing is repeated before it
      expect(titles(await again.waitUntil(titled("重连之后的结束标记")))).toEqual([
        ...expected,
        "重连之后",
        "重连之后的结束标记",
      ]);
      const cursors = again.results.map((r) => Number(r.data!.leadPosted.eventCursor));
      expect([...cursors].sort((a, b) => a - b)).toEqual(cursors);
      expect(new Set(cursors).size).toBe(cursors.length);
      again.unsubscribe();
    },
  );

  it("rejects a malformed cursor", async () => {
    const probe = wsSubscribe<Posted>(connect(shenzhenMember.token), LEAD_POSTED, { after: "yesterday" });
    await probe.ended;
    expect(probe.results[0]?.errors?.[0]?.message).toMatch(/not a lead event cursor/);
    expect(probe.results[0]?.data ?? null).toBeNull();
  });
});

describe("fan-out cost", () => {
  // Its own server, whose feed reads only when nudged (no periodic poll): a poll's read, landing at some
  // moment or other, would make the count depend on timing rather than on the number of subscribers.
  let quiet: TestServer<ApiServer>;
  let quietPoster: SeededUser;
  let quietChamberId: string;
  let quietSubscriber: SeededUser;
  beforeAll(async () => {
    quiet = await startTestServer((db) =>
      createApiServer({ ...testServerDefaults, database: db, leadFeedPollMs: 600_000 }),
    );
    const s = seed(quiet.database.db);
    const chamber = await s.chamber({ name: "上海市温州商会", kind: "PROVINCIAL", provinceCode: "31" });
    quietChamberId = chamber.id;
    quietPoster = (await chamber.member({ name: "陈一新", mobile: "13800000001", mobileVisibility: "CHAMBER" })).user;
    quietSubscriber = (await (await s.chamber({ name: "深圳温州商会", provinceCode: "44", city: "深圳" })).member())
      .user;
  });
  afterAll(() => quiet.close());

  it("delivering one lead costs the same statements for 2 subscribers as for 8, nested fields included", async () => {
    const post = async (title: string) => {
      const chamberId = globalId("Chamber", quietChamberId);
      const input = { chamberId, kind: "BUSINESS_OPPORTUNITY", title, description: "详情", visibility: "FEDERATION" };
      expect((await quiet.graphql(POST, { input }, quietPoster.token)).postLead.userErrors).toEqual([]);
    };
    const counts: number[] = [];
    const statements: string[][] = [];
    for (const n of [2, 8]) {
      // `responses` makes every subscriber execute the event itself: the feed's rows are handed to each.
      const after = String(await lastLeadEventSeq(quiet.database.db));
      const probes = Array.from({ length: n }, () =>
        wsSubscribe<Posted>(quiet.connect(quietSubscriber.token), PER_SUBSCRIBER, { after }),
      );
      // A start marker every subscriber has received: all are registered and live, their setup done. This server
      // has no poll, so a marker committed while the feed is still subscribing to the bus (Redis acknowledges a
      // subscription a moment later) is read only on the next post's nudge: markers are posted until every
      // subscriber has the last one (and so every one before it).
      for (let k = 1; ; k++) {
        await post(`扇出 ${n} 开始 ${k}`);
        const got = probes.map((probe) => probe.waitUntil(titled(`扇出 ${n} 开始 ${k}`), 5_000).then(() => true));
        if ((await Promise.all(got.map((g) => g.catch(() => false)))).every(Boolean)) break;
        if (k === 4) throw new Error(`no start marker reached all ${n} subscribers in ${k} posts`);
      }
      quiet.database.resetStatements();
      await post(`扇出 ${n}`);
      for (const probe of probes) await probe.waitUntil(titled(`扇出 ${n}`));
      // An end marker instead of a pause: once every subscriber has it, the lead before it is fully delivered
      // (each subscription executes its events one after another). Both rounds count both posts.
      await post(`扇出 ${n} 结束`);
      for (const probe of probes) await probe.waitUntil(titled(`扇出 ${n} 结束`));
      counts.push(quiet.database.statements.length);
      statements.push([...quiet.database.statements]);
      for (const probe of probes) {
        const markers = titles(probe.results).filter((title) => title?.startsWith(`扇出 ${n} 开始`));
        expect(markers.length).toBeGreaterThan(0);
        expect(titles(probe.results).slice(markers.length)).toEqual([`扇出 ${n}`, `扇出 ${n} 结束`]);
        expect(probe.results[markers.length]!.data!.leadPosted.postedBy).toEqual({ name: "陈一新", mobile: null });
        probe.unsubscribe();
      }
    }
    expect(counts[1], JSON.stringify(statements)).toBe(counts[0]);
  });
});

describe("shared execution of an event", () => {
  const sameFor = "all, or all with the same access to the poster and the lead";
  it(`hands one result to everyone it reads the same for: ${sameFor}`, async () => {
    const secretary = { user: await shanghai.secretary() };
    // Shareable: public facts only (fragments and @include included).
    const PUBLIC = `subscription ($full: Boolean!, $after: String) {
      leadPosted(after: $after) { ...L chamber { name } }
    } fragment L on Lead { id title kind postedBy { name } status @include(if: $full) }`;
    // Shared per audience: the poster's contact field (in a fragment) and who may manage the lead.
    const PERSONAL = `subscription { leadPosted { title viewerCanManage postedBy { ...Contact } } }
      fragment Contact on Merchant { name mobile }`;
    const PERSONAL_AFTER = PERSONAL.replace(
      "subscription { leadPosted {",
      "subscription ($after: String) { leadPosted(after: $after) {",
    );
    type Public = {
      leadPosted: {
        title: string;
        kind: string;
        status?: string;
        chamber: { name: string };
        postedBy: { name: string };
      };
    };
    type Personal = {
      leadPosted: { title: string; viewerCanManage: boolean; postedBy: { name: string; mobile: string | null } };
    };
    const after = await cursorNow();
    const tokens = [secretary.user.token, shanghaiMember.token, xinjiangMember.token];
    const publicFor = tokens.map((t) => wsSubscribe<Public>(connect(t), PUBLIC, { full: true, after }));
    const publicShort = wsSubscribe<Public>(connect(shenzhenMember.token), PUBLIC, { full: false, after });
    const personal = {
      secretary: wsSubscribe<Personal>(connect(secretary.user.token), PERSONAL_AFTER, { after }),
      fellow: wsSubscribe<Personal>(connect(shanghaiMember.token), PERSONAL_AFTER, { after }),
      outsider: wsSubscribe<Personal>(connect(xinjiangMember.token), PERSONAL_AFTER, { after }),
    };
    // A start marker every subscriber has received: all are live, so the event under test is shared live.
    await postLead("共享执行之前", "FEDERATION");
    const everyone = [...publicFor, publicShort, ...Object.values(personal)];
    for (const probe of everyone) await probe.waitUntil(titled("共享执行之前"));
    await postLead("共享执行", "FEDERATION");

    for (const probe of publicFor)
      expect((await probe.waitFor(2))[1]!.data!.leadPosted).toEqual({
        id: expect.any(String),
        title: "共享执行",
        kind: "BUSINESS_OPPORTUNITY",
        status: "OPEN",
        chamber: { name: "上海市温州商会" },
        postedBy: { name: "陈一新" },
      });
    // Different variables, a different result: no `status`.
    expect((await publicShort.waitFor(2))[1]!.data!.leadPosted).not.toHaveProperty("status");
    const second = async (probe: (typeof personal)["fellow"]) => (await probe.waitFor(2))[1]!.data!.leadPosted;
    const mobile = "13800000001";
    expect(await second(personal.secretary)).toMatchObject({ viewerCanManage: true, postedBy: { mobile } });
    expect(await second(personal.fellow)).toMatchObject({ viewerCanManage: false, postedBy: { mobile } });
    expect(await second(personal.outsider)).toMatchObject({ viewerCanManage: false, postedBy: { mobile: null } });

    // Unsubscribing ends a shared subscription like any other.
    publicFor[0]!.unsubscribe();
    await postLead("共享执行之二", "FEDERATION");
    expect((await publicFor[1]!.waitFor(3))[2]!.data!.leadPosted.title).toBe("共享执行之二");
    // The others' end marker arrives after 之二 would have reached the unsubscribed one.
    await postLead("共享执行结束", "FEDERATION");
    for (const probe of publicFor.slice(1)) await probe.waitUntil(titled("共享执行结束"));
    expect(publicFor[0]!.results).toHaveLength(2);
  });
});

describe("leadUpdated", () => {
  it("tells the poster of answers and status changes, and the referred merchant of the referral", async () => {
    const UPDATED = `subscription ($after: String) { leadUpdated(after: $after) { id title status } }`;
    type Updated = { leadUpdated: { title: string; status: string } };
    const referred = await xinjiang.member({ name: "王建国" });
    const RESPOND = `mutation ($input: RespondToLeadInput!) {
      respondToLead(input: $input) { userErrors { message } }
    }`;
    const refer = async (leadId: string) => {
      const referredMerchantId = globalId("Merchant", referred.merchantId);
      const input = { leadId, kind: "REFERRAL", message: "推荐", referredMerchantId };
      expect((await http(RESPOND, { input }, shanghaiMember.token)).respondToLead.userErrors).toEqual([]);
    };
    const bystanderLead = async (title: string) => {
      const id = await postLeadAs(shenzhenMember.token, shenzhen.id, title, "CHAMBER");
      const moved = await http(STATUS, { input: { leadId: id, status: "IN_PROGRESS" } }, shenzhenMember.token);
      expect(moved.updateLeadStatus.userErrors).toEqual([]);
    };
    const posterProbe = await subscribe<Updated>(connect(poster.user.token), UPDATED);
    const referredProbe = await subscribe<Updated>(connect(referred.user.token), UPDATED);
    const bystander = await subscribe<Updated>(connect(shenzhenMember.token), UPDATED);
    // Start markers, so the changes under test are delivered live (a replayed event carries the lead as it is
    // when replayed): a referral on another lead for the poster and the referred merchant, and a change to
    // the bystander's own lead for the bystander. Once each has its marker, it is registered.
    await refer(await postLead("开始标记", "CHAMBER"));
    await bystanderLead("旁观者的开始标记");
    await posterProbe.waitUntil(titled("开始标记"));
    await referredProbe.waitUntil(titled("开始标记"));
    await bystander.waitUntil(titled("旁观者的开始标记"));
    const [posterStart, referredStart] = [posterProbe.results.length, referredProbe.results.length];

    const leadId = await postLead("需要更新的商机", "CHAMBER");
    await refer(leadId);
    // each event carries the lead as the feed reads it: let it read the referral before the status moves on
    await posterProbe.waitFor(posterStart + 1);
    await http(STATUS, { input: { leadId, status: "IN_PROGRESS" } }, poster.user.token);
    // the bystander's end marker: a change to its own lead, after the changes it must not receive
    await bystanderLead("旁观者的结束标记");
    const posterEvents = (await posterProbe.waitFor(posterStart + 2)).slice(posterStart);
    expect(posterEvents.map((r) => r.data?.leadUpdated.status)).toEqual(["OPEN", "IN_PROGRESS"]);
    const referredEvents = (await referredProbe.waitFor(referredStart + 2)).slice(referredStart);
    expect(referredEvents[0]!.data?.leadUpdated.title).toBe("需要更新的商机");
    const bystanderEvents = await bystander.waitUntil(titled("旁观者的结束标记"));
    expect(titles2(bystanderEvents)).toEqual(["旁观者的开始标记", "旁观者的结束标记"]);
  });

  it("for one named lead, only if the subscriber may see it", async () => {
    const leadId = await postLead("单条订阅", "CHAMBER");
    const markerId = await postLead("单条订阅的结束标记", "FEDERATION");
    const ONE = `subscription ($id: ID, $after: String) {
      leadUpdated(leadId: $id, after: $after) { id title status }
    }`;
    type One = { leadUpdated: { status: string } };
    const own = await subscribe<One>(connect(shanghaiMember.token), ONE, { id: leadId });
    const outsiderSocket = connect(xinjiangMember.token);
    const outsider = await subscribe<One>(outsiderSocket, ONE, { id: leadId });
    // The outsider may never see this lead, so its end marker comes on a second subscription on the same
    // socket, to a lead it may see, changed after the withdrawal.
    const outsiderMarker = await subscribe<One>(outsiderSocket, ONE, { id: markerId });
    await http(STATUS, { input: { leadId, status: "WITHDRAWN" } }, poster.user.token);
    await http(STATUS, { input: { leadId: markerId, status: "IN_PROGRESS" } }, poster.user.token);
    expect((await own.waitFor(1))[0]!.data?.leadUpdated.status).toBe("WITHDRAWN");
    expect((await outsiderMarker.waitFor(1))[0]!.data?.leadUpdated.status).toBe("IN_PROGRESS");
    expect(own.results).toHaveLength(1);
    expect(outsider.results).toEqual([]);
  });
});

describe("socket rules", () => {
  it("limits the operations one socket may run at once", async () => {
    const client = connect(shanghaiMember.token);
    // No pause before the sixth: the client sends the six in order on one socket, and the server counts an
    // operation as soon as it reads its message (before anything asynchronous), so the five are counted first.
    const probes = Array.from({ length: 5 }, () => wsSubscribe(client, LEAD_POSTED));
    const sixth = wsSubscribe(client, LEAD_POSTED);
    expect(JSON.stringify(await sixth.ended)).toMatch(/At most 5 operations/);
    probes[0]!.unsubscribe();
    // The server frees the slot once the ended operation has wound down: until then a new one is refused.
    const again = await waitUntil(
      () => wsExecute<{ me: { isFederationStaff: boolean } }>(client, "{ me { isFederationStaff } }"),
      { timeoutMs: 10_000, what: "a new operation to be accepted after one ended" },
    );
    expect(again.data?.me.isFederationStaff).toBe(false);
    for (const probe of probes) probe.unsubscribe();
  });

  it("closes the socket when its session expires", async () => {
    const expiresNoEarlierThan = Date.now() + 1500;
    const user = await seed(database.db).user({ expiresInMs: 1500 });
    let closedWith = 0;
    let closedAt = 0;
    const client = connect(user.token, (code) => {
      closedWith = code;
      closedAt = Date.now();
    });
    const probe = wsSubscribe(client, LEAD_POSTED);
    // Instead of "still open after 500 ms" (which a slow machine can outlast): it closes, and not before the
    // session's expiry.
    await waitUntil(() => closedWith !== 0, { timeoutMs: 3_500, what: "the socket to close" });
    expect(closedWith).toBe(4403);
    expect(closedAt).toBeGreaterThanOrEqual(expiresNoEarlierThan);
    probe.unsubscribe();
  });

  it("closes the socket when its session is revoked by logout", async () => {
    const user = await seed(database.db).user();
    let closedWith = 0;
    const client = connect(user.token, (code) => (closedWith = code));
    const probe = wsSubscribe(client, LEAD_POSTED); // keeps the socket open
    // the socket is open and signed in: an operation on it answers for this user
    const me = await wsExecute<{ me: { isFederationStaff: boolean } | null }>(client, "{ me { isFederationStaff } }");
    expect(me.data?.me).not.toBeNull();
    expect(closedWith).toBe(0);
    expect((await http("mutation { logout }", {}, user.token)).logout).toBe(true);
    await waitUntil(() => closedWith !== 0, { timeoutMs: 2_500, what: "the socket to close after logout" });
    expect(closedWith).toBe(4403);
    probe.unsubscribe();
  });
});
