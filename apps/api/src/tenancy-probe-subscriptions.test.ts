// The tenant probe over graphql-ws: outsiders subscribe to every subscription field with every field selected
// (generated from the schema), a chamber leads its private life, then an outsider's own public lead marks the
// end of the stream. Nothing the outsiders received before the marker may hold a planted secret.
import { schema } from "@wz/graphql";
import {
  argumentsFor,
  globalId,
  SECRETS,
  type SeededUser,
  type SubscriptionProbe,
  secretHolder,
  seed,
  selectionFor,
  startTestServer,
  type TestServer,
  testServerDefaults,
  wsSubscribe,
} from "@wz/testkit";
import { getNamedType } from "graphql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ApiServer, createApiServer } from "./server";

let harness: TestServer<ApiServer>;

beforeAll(async () => {
  harness = await startTestServer((db) =>
    createApiServer({ ...testServerDefaults, database: db, maxOperationsPerSocket: 20, leadFeedPollMs: 200 }),
  );
});
afterAll(() => harness?.close());

const POST = `mutation ($input: PostLeadInput!) { postLead(input: $input) { lead { id } userErrors { message } } }`;
const RESPOND = `mutation ($input: RespondToLeadInput!) { respondToLead(input: $input) { userErrors { message } } }`;
const STATUS = `mutation ($input: UpdateLeadStatusInput!) {
  updateLeadStatus(input: $input) { userErrors { message } } }`;

describe("tenant probe over subscriptions", () => {
  it("sends outsiders nothing of another chamber's private leads, answers or poster's hidden contacts", async () => {
    const s = seed(harness.database.db);
    const a = await s.chamber({ name: "甲商会" });
    const b = await s.chamber({ name: "乙商会" });
    const fill = { chamberId: globalId("Chamber", a.id) };
    const poster = await secretHolder(a);
    const colleague = await a.member({ name: "李同会" });
    const memberB = await b.member({ name: "赵外人" });
    const secretaryB = await b.secretary();
    const city = await s.cityStaff();
    const outsiders: SeededUser[] = [memberB.user, secretaryB];

    // every subscription field, every field selected, for each outsider
    const fields = Object.values(schema.getSubscriptionType()!.getFields());
    expect(fields.map((f) => f.name)).toEqual(
      expect.arrayContaining(["leadPosted", "leadUpdated", "investmentProjectEvents"]),
    );
    const probes: { who: string; field: string; probe: SubscriptionProbe<Record<string, unknown>> }[] = [];
    for (const outsider of outsiders)
      for (const field of fields) {
        const args = argumentsFor(field, fill, 5);
        if (args === null) continue;
        const selection = selectionFor(schema, getNamedType(field.type), 1, fill);
        const query = `subscription { ${field.name}${args} ${selection} }`;
        probes.push({
          who: outsider.email,
          field: field.name,
          probe: wsSubscribe(harness.connect(outsider.token), query),
        });
      }

    // a public marker from the outsider's own chamber, posted until every leadPosted probe has it: they are live
    const post = async (token: string, chamberId: string, title: string, visibility: string) => {
      const data = await harness.graphql(
        POST,
        {
          input: { chamberId: globalId("Chamber", chamberId), kind: "SUPPLY", title, description: "公开", visibility },
        },
        token,
      );
      expect(data.postLead.userErrors).toEqual([]);
      return data.postLead.lead.id as string;
    };
    const posted = probes.filter((p) => p.field === "leadPosted");
    const has = (p: (typeof probes)[number], title: string) => JSON.stringify(p.probe.results).includes(title);
    for (let attempt = 1; !posted.every((p) => has(p, "STARTMARKER")); attempt++) {
      expect(attempt, "subscriptions never went live").toBeLessThan(40);
      await post(memberB.user.token, b.id, "STARTMARKER", "FEDERATION");
      await Promise.race(posted.map((p) => p.probe.waitFor(p.probe.results.length + 1, 2_000).catch(() => null)));
    }

    // the chamber's private life
    const leadId = await post(poster.user.token, a.id, SECRETS.leadTitle, "CHAMBER");
    const answered = await harness.graphql(
      RESPOND,
      { input: { leadId, kind: "INTEREST", message: SECRETS.response } },
      colleague.user.token,
    );
    expect(answered.respondToLead.userErrors).toEqual([]);
    const moved = await harness.graphql(STATUS, { input: { leadId, status: "IN_PROGRESS" } }, poster.user.token);
    expect(moved.updateLeadStatus.userErrors).toEqual([]);
    // a return-investment project credited to the chamber alone, with an overdue problem
    const project = async (name: string, chamber: { id: string }, investors: string[] = []) => {
      const created = await harness.graphql(
        `mutation ($input: CreateInvestmentProjectInput!) { createInvestmentProject(input: $input) {
          project { id } userErrors { message } } }`,
        {
          input: {
            name,
            district: "330302",
            pledged: "100",
            promotedOn: "2014-01-02",
            credits: [{ chamberId: globalId("Chamber", chamber.id), sharePercent: "100" }],
            investorMerchantIds: investors.map((m) => globalId("Merchant", m)),
          },
        },
        city.token,
      );
      expect(created.createInvestmentProject.userErrors).toEqual([]);
      return created.createInvestmentProject.project.id as string;
    };
    const secretProject = await project(SECRETS.investmentProject, a);
    const raised = await harness.graphql(
      `mutation ($input: RaiseInvestmentProblemInput!) { raiseInvestmentProblem(input: $input) {
        userErrors { message } } }`,
      {
        input: {
          projectId: secretProject,
          kind: "LAND",
          description: SECRETS.investmentProblem,
          department: "市国土局",
          dueOn: "2014-02-01",
        },
      },
      city.token,
    );
    expect(raised.raiseInvestmentProblem.userErrors).toEqual([]);
    // then the outsiders' own project (memberB invests): the end marker of the investment stream
    await project("INVESTMENTENDMARKER", b, [memberB.merchantId]);
    // a FEDERATION lead by the secret-holding poster: outsiders see it, but not the poster's hidden contacts
    await post(poster.user.token, a.id, "PUBLICBYPOSTER", "FEDERATION");

    // the end marker: everything sent before it has been delivered
    const endId = await post(memberB.user.token, b.id, "ENDMARKER", "FEDERATION");
    const ended = await harness.graphql(
      STATUS,
      { input: { leadId: endId, status: "IN_PROGRESS" } },
      memberB.user.token,
    );
    expect(ended.updateLeadStatus.userErrors).toEqual([]);
    for (const p of posted) {
      const deadline = Date.now() + 15_000;
      while (!has(p, "ENDMARKER")) {
        expect(Date.now(), `${p.who} never received the end marker`).toBeLessThan(deadline);
        await p.probe.waitFor(p.probe.results.length + 1, 2_000).catch(() => null);
      }
      expect(has(p, "PUBLICBYPOSTER"), "the public lead itself is delivered").toBe(true);
    }
    for (const p of probes.filter((p) => p.field === "investmentProjectEvents")) {
      const deadline = Date.now() + 15_000;
      while (!has(p, "INVESTMENTENDMARKER")) {
        expect(Date.now(), `${p.who} never received the investment end marker`).toBeLessThan(deadline);
        await p.probe.waitFor(p.probe.results.length + 1, 2_000).catch(() => null);
      }
    }
    for (const p of probes) {
      const text = JSON.stringify(p.probe.results);
      for (const secret of Object.values(SECRETS))
        expect(text.includes(secret), `${p.who} ${p.field} got ${secret}`).toBe(false);
      p.probe.unsubscribe();
    }
  });
});
