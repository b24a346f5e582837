// Roles are current over an open WebSocket: a member suspended while connected can no longer post through
// that socket, and stops receiving the chamber's private leads, without reconnecting.
import {
  globalId,
  seed,
  startTestServer,
  type TestServer,
  testServerDefaults,
  wsExecute,
  wsSubscribe,
} from "@wz/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ApiServer, createApiServer } from "./server";

let harness: TestServer<ApiServer>;
beforeAll(async () => {
  harness = await startTestServer((db) =>
    createApiServer({ ...testServerDefaults, database: db, maxOperationsPerSocket: 5, leadFeedPollMs: 200 }),
  );
});
afterAll(() => harness?.close());

const POST = `mutation ($input: PostLeadInput!) { postLead(input: $input) { lead { id } userErrors { message } } }`;
const SUSPEND = `mutation ($input: ChangeMembershipStatusInput!) {
  changeMembershipStatus(input: $input) { membership { status } userErrors { message } } }`;

describe("roles over an open socket", () => {
  it("a member suspended while connected can neither post through the socket nor receive CHAMBER leads", async () => {
    const s = seed(harness.database.db);
    const chamber = await s.chamber({ name: "上海市温州商会" });
    const secretary = await chamber.secretary();
    const member = await chamber.member({ name: "陈暂停" });
    const colleague = await chamber.member({ name: "李同会" });
    const chamberId = globalId("Chamber", chamber.id);
    const lead = (title: string, visibility: string) => ({
      input: { chamberId, kind: "SUPPLY", title, description: "详情", visibility },
    });

    const socket = harness.connect(member.user.token);
    // the socket works while the member is active
    const before = await wsExecute<{ postLead: { userErrors: unknown[] } }>(socket, POST, lead("停前发布", "CHAMBER"));
    expect(before.data?.postLead.userErrors).toEqual([]);
    // replayed from the start of the log, so the subscription misses nothing whenever it registers
    const feed = wsSubscribe<{ leadPosted: { title: string } }>(
      socket,
      `subscription { leadPosted(after: "0") { title } }`,
    );
    await feed.waitFor(1);

    const suspended = await harness.graphql(
      SUSPEND,
      { input: { membershipId: globalId("Membership", member.membershipId), status: "SUSPENDED", reason: "欠费" } },
      secretary.token,
    );
    expect(suspended.changeMembershipStatus.userErrors).toEqual([]);

    // the same open socket: posting is refused now
    const after = await wsExecute(socket, POST, lead("停后发布", "CHAMBER"));
    expect(after.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");

    // a colleague's chamber-only lead, then a public one: the suspended member gets the public one only
    for (const [title, visibility] of [
      ["本会机密", "CHAMBER"],
      ["全联会公开", "FEDERATION"],
    ] as const) {
      const posted = await harness.graphql(POST, lead(title, visibility), colleague.user.token);
      expect(posted.postLead.userErrors).toEqual([]);
    }
    await feed.waitFor(2);
    expect(feed.results.map((r) => r.data?.leadPosted.title)).toEqual(["停前发布", "全联会公开"]);
  });
});
