// formationChanged over graphql-ws against the real server: federation staff receive each committed formation
// change with the province's new state; anyone else is FORBIDDEN; a refused change announces nothing.
import { addDays, todayIso } from "@wz/core";
import { type SeededUser, seed, startTestServer, type TestServer, testServerDefaults, wsSubscribe } from "@wz/testkit";
import type { Client } from "graphql-ws";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ApiServer, createApiServer } from "./server";

let harness: TestServer<ApiServer>;
let staff: SeededUser;
const today = todayIso();

beforeAll(async () => {
  harness = await startTestServer((database) => createApiServer({ ...testServerDefaults, database }));
  const s = seed(harness.database.db);
  await s.federation();
  staff = await s.federationStaff();
});
afterAll(() => harness.close());

const connect = (token: string): Client => harness.connect(token);
const http = (query: string, variables: Record<string, unknown>, token: string) =>
  harness.graphql(query, variables, token);

// formationChanged has no replay, so a test cannot subscribe "from a cursor". Markers stand in: advancing a
// province nobody else uses (each marker its own) to INITIATED is announced like any change.
// Provinces kept out of the markers: 31 (seeded chambers) and 53 (the test's own).
const MARKER_PROVINCES = ["11", "12", "13", "14", "15", "21", "22", "23", "32", "33", "34", "35", "36", "37", "41"];
let markersUsed = 0;
async function advanceMarker(): Promise<string> {
  const code = MARKER_PROVINCES[markersUsed++];
  if (!code) throw new Error("out of marker provinces");
  const input = { provinceCode: code, status: "INITIATED", date: addDays(today, -30) };
  const result = await http(ADVANCE, { input }, staff.token);
  expect(result.advanceFormation.userErrors).toEqual([]);
  return code;
}
type Changed = { formationChanged: Record<string, unknown> };
const isProvince = (code: string) => (r: { data?: Changed | null }) => r.data?.formationChanged.code === code;

const SUBSCRIBE =
  "subscription { formationChanged { id code name formationStatus reachedOn chamber { name status } } }";
const ADVANCE = `mutation ($input: AdvanceFormationInput!) { advanceFormation(input: $input) { userErrors { code } } }`;

describe("formationChanged", () => {
  it("federation staff receive each change after it is committed, with the province's new state", async () => {
    const probe = wsSubscribe<Changed>(connect(staff.token), SUBSCRIBE);
    // Live before the change: a marker change, repeated (bounded) until the subscription has received one.
    for (let attempt = 1; probe.results.length === 0; attempt++) {
      expect(attempt, "the subscription never went live").toBeLessThanOrEqual(10);
      await advanceMarker();
      await probe.waitFor(1, 3_000).catch(() => null);
    }
    // Markers announced late come before the change under test, never after it.
    const starting = (await probe.waitUntil(isProvince(MARKER_PROVINCES[markersUsed - 1]!))).length;
    const isMarker = (r: { data?: Changed | null }) =>
      MARKER_PROVINCES.includes(r.data?.formationChanged.code as string);
    expect(probe.results.every(isMarker)).toBe(true);
    await http(
      ADVANCE,
      { input: { provinceCode: "53", status: "INITIATED", date: addDays(today, -20), note: "发起人到位" } },
      staff.token,
    );
    const first = (await probe.waitFor(starting + 1))[starting];
    // the province's node id, which a client cache keys it by: the same object `node` loads
    const provinceId = first?.data?.formationChanged.id as string;
    const loaded = await http(
      `query ($id: ID!) { node(id: $id) { id ... on Province { code formationStatus } } }`,
      { id: provinceId },
      staff.token,
    );
    expect(loaded.node).toEqual({ id: provinceId, code: "53", formationStatus: "INITIATED" });
    expect(first).toEqual({
      data: {
        formationChanged: {
          id: provinceId,
          code: "53",
          name: "云南省",
          formationStatus: "INITIATED",
          reachedOn: addDays(today, -20),
          chamber: { name: "云南省温州商会", status: "FORMING" },
        },
      },
    });
    // the same long-lived subscription sees the next change too (nothing cached between events)
    await http(
      ADVANCE,
      { input: { provinceCode: "53", status: "PREPARATORY", date: addDays(today, -5) } },
      staff.token,
    );
    const results = await probe.waitFor(starting + 2);
    expect(results[starting + 1]!.data!.formationChanged).toMatchObject({
      code: "53",
      formationStatus: "PREPARATORY",
      reachedOn: addDays(today, -5),
    });
    // a refused change (skipping a step) is not announced
    const refused = await http(
      ADVANCE,
      { input: { provinceCode: "53", status: "APPROVED", date: today } },
      staff.token,
    );
    expect(refused.advanceFormation.userErrors[0].code).toBe("INVALID_TRANSITION");
    // the end marker, a change after the refused one: nothing came between PREPARATORY and it
    const end = await advanceMarker();
    expect((await probe.waitUntil(isProvince(end))).slice(starting)).toHaveLength(3);
    probe.unsubscribe();
  });

  it("a secretary or member who subscribes gets FORBIDDEN and no events", async () => {
    const s = seed(harness.database.db);
    const chamber = await s.chamber();
    const secretary = await chamber.secretary();
    const member = (await chamber.member()).user;
    for (const user of [secretary, member]) {
      const probe = wsSubscribe(connect(user.token), SUBSCRIBE);
      const ended = await Promise.race([probe.ended, new Promise((r) => setTimeout(() => r("still open"), 3000))]);
      const errors = [...probe.results.flatMap((r) => r.errors ?? []), ...(Array.isArray(ended) ? ended : [])] as {
        extensions?: { code?: string };
      }[];
      expect(errors.map((e) => e.extensions?.code)).toEqual(["FORBIDDEN"]);
      expect(probe.results.filter((r) => r.data)).toEqual([]);
    }
  });
});
