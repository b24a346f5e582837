// The overdue sweep over graphql-ws against the real server: when the day passes a problem's due date, the
// credited chamber's secretary receives PROBLEM_OVERDUE once (two sweeps at the same time announce it once
// between them), another chamber's secretary never does, a resolved problem is never announced, and a
// reconnect with the last cursor replays it. The sweep starts and stops with the server.
import { announceOverdueInvestmentProblems } from "@wz/core";
import { investmentEventTable } from "@wz/db";
import { createEventBus, eventPublisher } from "@wz/graphql";
import {
  globalId,
  type SeededUser,
  seed,
  silentLogger,
  startTestServer,
  type TestServer,
  testServerDefaults,
  wsSubscribe,
} from "@wz/testkit";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ApiServer, createApiServer } from "./server";

const bus = createEventBus();
let today = "2014-03-01";
let harness: TestServer<ApiServer>;
let city: SeededUser;
let secretaryA: SeededUser;
let secretaryB: SeededUser;
let chamberA: string;
let chamberB: string;

beforeAll(async () => {
  harness = await startTestServer((database) =>
    createApiServer({
      ...testServerDefaults,
      database,
      bus,
      // one sweep as it starts, then only those the test asks for
      investmentOverdueSweep: { everyMs: 3_600_000, today: () => today },
    }),
  );
  const s = seed(harness.database.db);
  city = await s.cityStaff();
  const a = await s.chamber({ name: "苏州温州商会" });
  const b = await s.chamber({ name: "深圳温州商会" });
  secretaryA = await a.secretary();
  secretaryB = await b.secretary();
  chamberA = globalId("Chamber", a.id);
  chamberB = globalId("Chamber", b.id);
});
afterAll(() => harness.close());

const CREATE = `mutation ($input: CreateInvestmentProjectInput!) { createInvestmentProject(input: $input) {
  project { id } userErrors { message } } }`;
const RAISE = `mutation ($input: RaiseInvestmentProblemInput!) { raiseInvestmentProblem(input: $input) {
  problem { id } userErrors { message } } }`;
const UPDATE = `mutation ($input: UpdateInvestmentProblemInput!) { updateInvestmentProblem(input: $input) {
  userErrors { message } } }`;
const STAGE = `mutation ($input: ChangeInvestmentStageInput!) { changeInvestmentStage(input: $input) {
  userErrors { message } } }`;
const SUBSCRIBE = `subscription ($after: String) { investmentProjectEvents(after: $after) {
  kind eventCursor project { name } } }`;
type Event = { investmentProjectEvents: { kind: string; eventCursor: string; project: { name: string } } };

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

async function problem(projectId: string, dueOn: string): Promise<string> {
  const input = { projectId, kind: "LAND", description: "用地指标未落实", department: "市国土资源局", dueOn };
  const raised = await harness.graphql(RAISE, { input }, city.token);
  expect(raised.raiseInvestmentProblem.userErrors).toEqual([]);
  return raised.raiseInvestmentProblem.problem.id as string;
}

const kinds = (results: { data?: Event | null }[]) =>
  results.map((r) => [r.data!.investmentProjectEvents.kind, r.data!.investmentProjectEvents.project.name]);

describe("PROBLEM_OVERDUE", () => {
  it("reaches the credited chamber once when the due date passes, never another chamber", async () => {
    const mine = await project("苏州项目", chamberA);
    const theirs = await project("深圳项目", chamberB);
    await problem(mine, "2014-03-10");
    await problem(mine, "2014-05-01");
    const resolved = await problem(mine, "2014-03-05");
    const resolution = { problemId: resolved, resolution: "已协调解决", resolvedOn: "2014-03-04" };
    expect(
      (await harness.graphql(UPDATE, { input: resolution }, city.token)).updateInvestmentProblem.userErrors,
    ).toEqual([]);
    await problem(theirs, "2014-03-10");
    // nothing is overdue on 2014-03-01: the sweep at start announced nothing
    expect(await harness.server.overdueSweep!.sweep()).toBe(0);

    const a = wsSubscribe<Event>(harness.connect(secretaryA.token), SUBSCRIBE, { after: "0" });
    const b = wsSubscribe<Event>(harness.connect(secretaryB.token), SUBSCRIBE, { after: "0" });
    await a.waitFor(5); // created, three problems opened, one resolved
    await b.waitFor(2);

    // the day passes two due dates; two sweeps (this process's and another's) run at once
    today = "2014-04-01";
    const other = { db: harness.database.db, events: eventPublisher(bus, silentLogger) };
    const counts = await Promise.all([
      harness.server.overdueSweep!.sweep(),
      announceOverdueInvestmentProblems(other, today),
    ]);
    expect(counts[0] + counts[1]).toBe(2);
    expect(await announceOverdueInvestmentProblems(other, today)).toBe(0);
    const overdue = await harness.database.db
      .select()
      .from(investmentEventTable)
      .where(eq(investmentEventTable.kind, "PROBLEM_OVERDUE"));
    expect(overdue).toHaveLength(2);

    await a.waitUntil((r) => r.data?.investmentProjectEvents.kind === "PROBLEM_OVERDUE");
    await b.waitUntil((r) => r.data?.investmentProjectEvents.kind === "PROBLEM_OVERDUE");
    // a month on, the second problem of 苏州's project: 苏州 alone hears of it
    today = "2014-06-01";
    expect(await harness.server.overdueSweep!.sweep()).toBe(1);
    const overdueSeen = () => a.results.filter((r) => r.data?.investmentProjectEvents.kind === "PROBLEM_OVERDUE");
    await a.waitUntil(() => overdueSeen().length === 2);
    // an end marker for 深圳: events reach each subscriber in log order, so nothing of 苏州's is still coming
    const moved = await harness.graphql(
      STAGE,
      { input: { projectId: theirs, stage: "NEGOTIATING", on: "2014-06-02" } },
      city.token,
    );
    expect(moved.changeInvestmentStage.userErrors).toEqual([]);
    await b.waitUntil((r) => r.data?.investmentProjectEvents.kind === "STAGE_CHANGED");

    expect(kinds(a.results)).toEqual([
      ["PROJECT_CREATED", "苏州项目"],
      ["PROBLEM_OPENED", "苏州项目"],
      ["PROBLEM_OPENED", "苏州项目"],
      ["PROBLEM_OPENED", "苏州项目"],
      ["PROBLEM_RESOLVED", "苏州项目"],
      ["PROBLEM_OVERDUE", "苏州项目"],
      ["PROBLEM_OVERDUE", "苏州项目"],
    ]);
    expect(kinds(b.results)).toEqual([
      ["PROJECT_CREATED", "深圳项目"],
      ["PROBLEM_OPENED", "深圳项目"],
      ["PROBLEM_OVERDUE", "深圳项目"],
      ["STAGE_CHANGED", "深圳项目"],
    ]);
    a.unsubscribe();
    b.unsubscribe();

    // reconnecting from the cursor before the overdue events replays them, in order, once
    const resolvedCursor = a.results[4]!.data!.investmentProjectEvents.eventCursor;
    const again = wsSubscribe<Event>(harness.connect(secretaryA.token), SUBSCRIBE, { after: resolvedCursor });
    const replayed = await again.waitFor(2);
    expect(kinds(replayed)).toEqual([
      ["PROBLEM_OVERDUE", "苏州项目"],
      ["PROBLEM_OVERDUE", "苏州项目"],
    ]);
    expect(replayed.map((r) => r.data!.investmentProjectEvents.eventCursor)).toEqual(
      a.results.slice(5).map((r) => r.data!.investmentProjectEvents.eventCursor),
    );
    again.unsubscribe();
  });

  it("a new due date can go overdue again, and is announced again", async () => {
    const p = await project("温州项目", chamberA);
    const id = await problem(p, "2014-06-15");
    today = "2014-07-01";
    expect(await harness.server.overdueSweep!.sweep()).toBe(1);
    expect(await harness.server.overdueSweep!.sweep()).toBe(0);
    const later = { problemId: id, dueOn: "2014-08-01" };
    expect((await harness.graphql(UPDATE, { input: later }, city.token)).updateInvestmentProblem.userErrors).toEqual(
      [],
    );
    expect(await harness.server.overdueSweep!.sweep()).toBe(0);
    today = "2014-08-02";
    expect(await harness.server.overdueSweep!.sweep()).toBe(1);
  });
});
