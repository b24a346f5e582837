// The listing rule in subscriptions (issue 19): a FEDERATION lead posted by a merchant who has not agreed to the
// privacy notice reaches every subscriber, but its poster only inside the poster's chamber — for a subscriber of
// another chamber `postedBy` is null, exactly as for a missing profile — in shared and per-subscriber executions.
import { lastLeadEventSeq } from "@wz/core";
import {
  type ChamberSeed,
  globalId,
  type SeededUser,
  seed,
  startTestServer,
  type TestServer,
  testServerDefaults,
  wsSubscribe,
} from "@wz/testkit";
import type { FormattedExecutionResult } from "graphql-ws";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ApiServer, createApiServer } from "./server";

let harness: TestServer<ApiServer>;
let shanghai: ChamberSeed;
let poster: SeededUser;
let insider: SeededUser;
let outsider: SeededUser;

beforeAll(async () => {
  harness = await startTestServer((db) =>
    createApiServer({ ...testServerDefaults, database: db, leadFeedPollMs: 200 }),
  );
  const s = seed(harness.database.db);
  shanghai = await s.chamber({ name: "上海未公开商会" });
  const shenzhen = await s.chamber({ name: "深圳未公开商会" });
  poster = (await shanghai.member({ name: "林未同意", mobile: "13800000077", listed: false })).user;
  insider = (await shanghai.member()).user;
  outsider = (await shenzhen.member()).user;
});
afterAll(() => harness.close());

const SHARED = `subscription ($after: String) { leadPosted(after: $after) { title postedBy { name mobile } } }`;
const PER_SUBSCRIBER = `subscription ($after: String) { leadPosted(after: $after) { title postedBy { name }
  responses { message } } }`;
const titled = (title: string) => (result: FormattedExecutionResult<Record<string, unknown>, unknown>) =>
  (result.data?.leadPosted as { title?: string } | undefined)?.title === title;

describe("leadPosted by an unlisted merchant", () => {
  it("names the poster inside their chamber and nowhere else, shared or not", async () => {
    const after = String(await lastLeadEventSeq(harness.database.db));
    const probes = {
      insider: await wsSubscribe(harness.connect(insider.token), SHARED, { after }),
      outsider: await wsSubscribe(harness.connect(outsider.token), SHARED, { after }),
      outsiderAlone: await wsSubscribe(harness.connect(outsider.token), PER_SUBSCRIBER, { after }),
      insiderAlone: await wsSubscribe(harness.connect(insider.token), PER_SUBSCRIBER, { after }),
    };
    const input = {
      chamberId: globalId("Chamber", shanghai.id),
      kind: "SUPPLY",
      title: "未同意者的商机",
      description: "详情",
      visibility: "FEDERATION",
    };
    const posted = await harness.graphql(
      `mutation ($input: PostLeadInput!) { postLead(input: $input) { userErrors { message } } }`,
      { input },
      poster.token,
    );
    expect(posted.postLead.userErrors).toEqual([]);
    const first = async (probe: (typeof probes)[keyof typeof probes]) =>
      (await probe.waitUntil(titled(input.title))).at(-1)?.data?.leadPosted;
    expect(await first(probes.insider)).toEqual({
      title: input.title,
      postedBy: { name: "林未同意", mobile: "13800000077" },
    });
    expect(await first(probes.outsider)).toEqual({ title: input.title, postedBy: null });
    expect(await first(probes.insiderAlone)).toEqual({
      title: input.title,
      postedBy: { name: "林未同意" },
      responses: [],
    });
    expect(await first(probes.outsiderAlone)).toEqual({ title: input.title, postedBy: null, responses: [] });
    for (const probe of Object.values(probes)) probe.unsubscribe();
  });
});
