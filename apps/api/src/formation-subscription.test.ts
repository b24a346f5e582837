// formationChanged over graphql-ws against the real server: federation staff receive each committed formation
// change with the province's new state; anyone else is FORBIDDEN; a refused change announces nothing.
import { addDays, todayIso } from "@wz/core";
import { seed, startTestServer, testServerDefaults, wsSubscribe, type SeededUser, type TestServer } from "@wz/testkit";
import type { Client } from "graphql-ws";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiServer, type ApiServer } from "./server";

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
const http = (query: string, variables: Record<string, unknown>, token: string) => harness.graphql(query, variables, token);

const SUBSCRIBE = `subscription { formationChanged { code name formationStatus reachedOn chamber { name status } } }`;
const ADVANCE = `mutation ($input: AdvanceFormationInput!) { advanceFormation(input: $input) { userErrors { code } } }`;

describe("formationChanged", () => {
  it("federation staff receive each change after it is committed, with the province's new state", async () => {
    const probe = wsSubscribe<{ formationChanged: Record<string, unknown> }>(connect(staff.token), SUBSCRIBE);
    await new Promise((r) => setTimeout(r, 200)); // let the subscription register before the change
    await http(ADVANCE, { input: { provinceCode: "53", status: "INITIATED", date: addDays(today, -20), note: "发起人到位" } }, staff.token);
    const [first] = await probe.waitFor(1);
    expect(first).toEqual({
      data: { formationChanged: { code: "53", name: "云南省", formationStatus: "INITIATED", reachedOn: addDays(today, -20), chamber: { name: "云南省温州商会", status: "FORMING" } } },
    });
    // the same long-lived subscription sees the next change too (nothing cached between events)
    await http(ADVANCE, { input: { provinceCode: "53", status: "PREPARATORY", date: addDays(today, -5) } }, staff.token);
    const results = await probe.waitFor(2);
    expect(results[1]!.data!.formationChanged).toMatchObject({ code: "53", formationStatus: "PREPARATORY", reachedOn: addDays(today, -5) });
    // a refused change (skipping a step) is not announced
    const refused = await http(ADVANCE, { input: { provinceCode: "53", status: "APPROVED", date: today } }, staff.token);
    expect(refused.advanceFormation.userErrors[0].code).toBe("INVALID_TRANSITION");
    expect(await probe.settle(400)).toHaveLength(2);
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
      const errors = [...probe.results.flatMap((r) => r.errors ?? []), ...(Array.isArray(ended) ? ended : [])] as { extensions?: { code?: string } }[];
      expect(errors.map((e) => e.extensions?.code)).toEqual(["FORBIDDEN"]);
      expect(probe.results.filter((r) => r.data)).toEqual([]);
    }
  });
});
