// investmentProjectEvents over graphql-ws against the real server: a chamber's secretary receives its credited
// projects' events (stage, capital, problems) and never another chamber's; reconnecting with the last cursor
// replays exactly what was missed, in order, once.
import {
  globalId,
  type SeededUser,
  seed,
  startTestServer,
  type TestServer,
  testServerDefaults,
  wsSubscribe,
} from "@wz/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ApiServer, createApiServer } from "./server";

let harness: TestServer<ApiServer>;
let city: SeededUser;
let secretaryA: SeededUser;
let chamberA: string;
let chamberB: string;

beforeAll(async () => {
  harness = await startTestServer((database) => createApiServer({ ...testServerDefaults, database }));
  const s = seed(harness.database.db);
  city = await s.cityStaff();
  const a = await s.chamber({ name: "苏州温州商会" });
  const b = await s.chamber({ name: "深圳温州商会" });
  secretaryA = await a.secretary();
  chamberA = globalId("Chamber", a.id);
  chamberB = globalId("Chamber", b.id);
});
afterAll(() => harness.close());

const CREATE = `mutation ($input: CreateInvestmentProjectInput!) { createInvestmentProject(input: $input) {
  project { id } userErrors { message } } }`;
const STAGE = `mutation ($input: ChangeInvestmentStageInput!) { changeInvestmentStage(input: $input) {
  userErrors { message } } }`;
const SUBSCRIBE = `subscription ($after: String) { investmentProjectEvents(after: $after) {
  kind eventCursor project { name stage } } }`;
type Event = {
  investmentProjectEvents: { kind: string; eventCursor: string; project: { name: string; stage: string } };
};

async function project(name: string, chamberId: string): Promise<string> {
  const input = {
    name,
    district: "330302",
    pledged: "100",
    promotedOn: "2014-01-02",
    credits: [{ chamberId, sharePercent: "100" }],
  };
  const created = await harness.graphql(CREATE, { input }, city.token);
  expect(created.createInvestmentProject.userErrors).toEqual([]);
  return created.createInvestmentProject.project.id as string;
}
async function stage(projectId: string, to: string) {
  const result = await harness.graphql(STAGE, { input: { projectId, stage: to, on: "2014-02-01" } }, city.token);
  expect(result.changeInvestmentStage.userErrors).toEqual([]);
}

describe("investmentProjectEvents", () => {
  it("delivers a chamber's project events to its secretary only and replays what it missed from a cursor", async () => {
    const mine = await project("苏州项目", chamberA);
    const theirs = await project("深圳项目", chamberB);
    // replay from the start: only the chamber's own project
    const first = wsSubscribe<Event>(harness.connect(secretaryA.token), SUBSCRIBE, { after: "0" });
    await first.waitFor(1);
    await stage(theirs, "NEGOTIATING");
    await stage(mine, "NEGOTIATING");
    const live = await first.waitUntil((r) => r.data?.investmentProjectEvents.kind === "STAGE_CHANGED");
    const seen = live.map((r) => r.data!.investmentProjectEvents);
    expect(seen.map((e) => [e.kind, e.project.name])).toEqual([
      ["PROJECT_CREATED", "苏州项目"],
      ["STAGE_CHANGED", "苏州项目"],
    ]);
    expect(seen[1]!.project.stage).toBe("NEGOTIATING");
    first.unsubscribe();

    // while disconnected: two more changes of its project (and one of the other chamber's)
    await stage(mine, "SIGNED");
    await stage(theirs, "SIGNED");
    await stage(mine, "TO_START");
    const again = wsSubscribe<Event>(harness.connect(secretaryA.token), SUBSCRIBE, { after: seen[1]!.eventCursor });
    const replayed = (await again.waitFor(2)).map((r) => r.data!.investmentProjectEvents);
    expect(replayed.map((e) => [e.kind, e.project.name, e.project.stage])).toEqual([
      ["STAGE_CHANGED", "苏州项目", "TO_START"],
      ["STAGE_CHANGED", "苏州项目", "TO_START"],
    ]);
    const cursors = replayed.map((e) => Number(e.eventCursor));
    expect(cursors[0]).toBeLessThan(cursors[1]!);
    expect(cursors[0]).toBeGreaterThan(Number(seen[1]!.eventCursor));
    // and then live, with nothing repeated
    await stage(mine, "UNDER_CONSTRUCTION");
    const all = (await again.waitFor(3)).map((r) => r.data!.investmentProjectEvents);
    expect(all[2]!.project.stage).toBe("UNDER_CONSTRUCTION");
    expect(new Set(all.map((e) => e.eventCursor)).size).toBe(3);
    again.unsubscribe();
  });

  it("an anonymous subscriber gets nothing; a bad cursor is refused", async () => {
    const anonymous = wsSubscribe<Event>(harness.connect(null), SUBSCRIBE, {});
    // refused (the socket or the operation): ended, with no data
    await anonymous.ended;
    expect(anonymous.results.filter((r) => r.data)).toEqual([]);
    const bad = wsSubscribe<Event>(harness.connect(secretaryA.token), SUBSCRIBE, { after: "x" });
    await bad.ended;
    expect(bad.results[0]?.errors?.[0]?.message).toMatch(/not an investment event cursor/);
  });
});
