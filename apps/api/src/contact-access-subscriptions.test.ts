// Who looked, over subscriptions (issue 19): a lead event delivered with its poster's hidden contact field leaves
// an entry per subscriber who received the value — whether the event was executed once for its audience and
// shared, or per subscriber — and none for the poster's own subscription or a subscriber shown null.
import { lastLeadEventSeq } from "@wz/core";
import { contactAccessTable, userTable } from "@wz/db";
import {
  globalId,
  type SeededUser,
  seed,
  startTestServer,
  type TestServer,
  testServerDefaults,
  wsSubscribe,
} from "@wz/testkit";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ApiServer, createApiServer } from "./server";

let harness: TestServer<ApiServer>;
let shanghaiId: string;
let poster: { merchantId: string; user: SeededUser };
let fellow: SeededUser;
let fellow2: SeededUser;
let outsider: SeededUser;

beforeAll(async () => {
  harness = await startTestServer((db) =>
    createApiServer({ ...testServerDefaults, database: db, leadFeedPollMs: 200 }),
  );
  const s = seed(harness.database.db);
  const shanghai = await s.chamber({ name: "上海推送商会" });
  const shenzhen = await s.chamber({ name: "深圳推送商会" });
  shanghaiId = shanghai.id;
  poster = await shanghai.member({ name: "推送者", mobile: "13922223333", mobileVisibility: "CHAMBER" });
  fellow = (await shanghai.member()).user;
  fellow2 = (await shanghai.member()).user;
  outsider = (await shenzhen.member()).user;
  for (const [user, displayName] of [
    [fellow, "同会甲"],
    [fellow2, "同会乙"],
    [outsider, "外会丙"],
  ] as const)
    await harness.database.db.update(userTable).set({ displayName }).where(eq(userTable.id, user.id));
});
afterAll(() => harness.close());

const SHARED = `subscription ($after: String) { leadPosted(after: $after) { title postedBy { name mobile } } }`;
// `responses` depends on each subscriber: this selection runs per subscriber, through the envelop
const PER_SUBSCRIBER = SHARED.replace("postedBy { name mobile }", "postedBy { name mobile } responses { message }");
type Posted = { leadPosted: { title: string; postedBy: { name: string; mobile: string | null } } };

const LOG = `{ myAccessLog(first: 50) { edges { node { viewerName fields channel basis } } } }`;

describe("leadPosted with the poster's mobile", () => {
  it.each([
    ["shared by audience", SHARED],
    ["executed per subscriber", PER_SUBSCRIBER],
  ])("leaves an entry for each subscriber shown it (%s)", async (_kind, query) => {
    await harness.database.db.delete(contactAccessTable);
    const after = String(await lastLeadEventSeq(harness.database.db));
    const subscribers = {
      fellow: wsSubscribe<Posted>(harness.connect(fellow.token), query, { after }),
      fellow2: wsSubscribe<Posted>(harness.connect(fellow2.token), query, { after }),
      outsider: wsSubscribe<Posted>(harness.connect(outsider.token), query, { after }),
      poster: wsSubscribe<Posted>(harness.connect(poster.user.token), query, { after }),
    };
    const title = `全联会商机 ${_kind}`;
    const posted = await harness.graphql(
      `mutation ($input: PostLeadInput!) { postLead(input: $input) { userErrors { message } } }`,
      {
        input: {
          chamberId: globalId("Chamber", shanghaiId),
          kind: "SUPPLY",
          title,
          description: "详情",
          visibility: "FEDERATION",
        },
      },
      poster.user.token,
    );
    expect(posted.postLead.userErrors).toEqual([]);
    const mobiles: Record<string, string | null> = {};
    for (const [who, probe] of Object.entries(subscribers)) {
      const [result] = await probe.waitFor(1);
      expect(result!.data!.leadPosted.title).toBe(title);
      mobiles[who] = result!.data!.leadPosted.postedBy.mobile;
      probe.unsubscribe();
    }
    expect(mobiles).toEqual({ fellow: "13922223333", fellow2: "13922223333", outsider: null, poster: "13922223333" });
    // each delivery's entry is written before it is sent: by now every one is in
    const log = await harness.graphql(LOG, {}, poster.user.token);
    const seen = log.myAccessLog.edges.map((e: { node: Record<string, unknown> }) => e.node);
    expect(seen).toHaveLength(2);
    expect(seen).toEqual(
      expect.arrayContaining(
        ["同会甲", "同会乙"].map((viewerName) =>
          expect.objectContaining({ viewerName, fields: ["MOBILE"], channel: "SUBSCRIPTION", basis: "CHAMBER" }),
        ),
      ),
    );
  });
});
