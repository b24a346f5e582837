// The tenant wall, probed from the schema itself: every root query (lists with their totalCount, search), every
// Node type through `node` and `nodes`, for an anonymous visitor, a member and a secretary of another chamber.
// Queries are generated from the schema, so a new type or field is probed without anyone remembering to.
// Two checks: (1) a chamber's private changes leave every outsider's answer exactly as it was (counts included);
// (2) no planted secret ever appears in an outsider's answer, and a foreign id answers exactly as a random one.
import { randomUUID } from "node:crypto";
import { decodeGlobalID, encodeGlobalID } from "@pothos/plugin-relay";
import { contactAccessTable } from "@wz/db";
import {
  collectIds,
  createTestApi,
  decodableId,
  type Fill,
  nodeQuery as nodeQueryIn,
  nodesQuery,
  rootProbes as rootProbesIn,
  SECRETS,
  type SeededUser,
  secretHolder,
  seed,
  type TestApi,
} from "@wz/testkit";
import { inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { schema } from "../schema";

const rootProbes = (fill: Fill) => rootProbesIn(schema, fill);
const nodeQuery = (typename: string, fill: Fill) => nodeQueryIn(schema, typename, fill);

describe("tenant probe: outsiders never see a chamber's private data", () => {
  let api: TestApi;
  let chamberA: string;
  let outsiders: { label: string; token: string | null }[];
  /** The signed-in outsiders' accounts: their own reads are logged (who looked), which is no private change. */
  let outsiderUserIds: string[];
  let insiders: SeededUser[];
  let fill: Fill;
  const before = new Map<string, unknown>();
  const privateIds = new Set<string>();
  /** Ids no root query reaches within the probes' depth (a merchant's companies), probed all the same. */
  const deeperIds = new Set<string>();

  const ask = async (query: string, variables: Record<string, unknown>, token: string | null) => {
    const result = await api.gql(query, variables, token);
    // a probe refused by the query limits would probe nothing
    for (const error of result.errors ?? [])
      expect(String(error.extensions?.code ?? ""), `${query}: ${error.message}`).not.toMatch(
        /COMPLEX|LIMIT|COST|GRAPHQL_VALIDATION_FAILED|GRAPHQL_PARSE_FAILED/,
      );
    return result;
  };

  beforeAll(async () => {
    api = await createTestApi();
    const s = seed(api.db.db);
    const a = await s.chamber({ name: "甲商会" });
    const b = await s.chamber({ name: "乙商会" });
    chamberA = encodeGlobalID("Chamber", a.id);
    fill = { chamberId: chamberA };
    const secretaryA = await a.secretary();
    const poster = await secretHolder(a);
    const colleague = await a.member({ name: "李同会" });
    const applicantMerchant = await s.merchant({ name: "王申请" });
    const applicant = await s.user({ merchantId: applicantMerchant.id });
    const memberB = await b.member({ name: "赵外人" });
    const secretaryB = await b.secretary();
    // federation staff record a formation step (public: a province's status) before the snapshot; the step and
    // an audit entry, which only staff may load, are probed as private ids
    const staff = await s.federationStaff();
    const city = await s.cityStaff();
    const step = await api.data(
      `mutation($input: AdvanceFormationInput!) { advanceFormation(input: $input) { step { id } userErrors { message } }
        }`,
      { input: { provinceCode: "11", status: "INITIATED", date: "2014-01-02" } },
      staff.token,
    );
    expect(step.advanceFormation.userErrors).toEqual([]);
    // a leading goose of the chamber, linked to a city leader before the snapshot (contacts are logged after it)
    const leader = await s.cityLeader();
    const goose = await a.member({ name: "雁机密", tags: ["LEADING_GOOSE"] });
    const linked = await api.data(
      `mutation($input: LinkGooseToLeaderInput!) { linkGooseToLeader(input: $input) { userErrors { message } } }`,
      {
        input: {
          merchantId: encodeGlobalID("Merchant", goose.merchantId),
          leaderUserId: encodeGlobalID("User", leader.id),
          since: "2014-01-01",
        },
      },
      city.token,
    );
    expect(linked.linkGooseToLeader.userErrors).toEqual([]);
    // (staff are no insider: their view is every chamber's; the ids only they load are probed below)
    insiders = [secretaryA, poster.user, colleague.user];
    outsiders = [
      { label: "anonymous", token: null },
      { label: "member of another chamber", token: memberB.user.token },
      { label: "secretary of another chamber", token: secretaryB.token },
    ];
    outsiderUserIds = [memberB.user.id, secretaryB.id];

    // (1) every outsider's answers before the chamber's private changes
    for (const outsider of outsiders)
      for (const probe of rootProbes(fill))
        before.set(`${outsider.label}|${probe.name}`, await ask(probe.query, {}, outsider.token));

    // the chamber's private life: a chamber-only lead and its answer, a note, dues, a suspension, an application
    const lead = await api.data(
      `mutation($input: PostLeadInput!) { postLead(input: $input) { lead { id } userErrors { message } } }`,
      {
        input: {
          chamberId: chamberA,
          kind: "SUPPLY",
          title: SECRETS.leadTitle,
          description: SECRETS.leadDescription,
          visibility: "CHAMBER",
        },
      },
      poster.user.token,
    );
    const leadId = lead.postLead.lead.id as string;
    // an import of someone who never agreed to the privacy notice: their profile is the chamber's alone
    const imported = await api.data(
      `mutation($input: ImportMembersInput!) { importMembers(input: $input) { lines { merchant { id } }
        userErrors { message } } }`,
      { input: { chamberId: chamberA, csv: `姓名,手机\n${SECRETS.importedName},13911110009\n` } },
      secretaryA.token,
    );
    expect(imported.importMembers.userErrors).toEqual([]);
    privateIds.add(imported.importMembers.lines[0].merchant.id as string);
    const response = await api.data(
      `mutation($input: RespondToLeadInput!) { respondToLead(input: $input) { response { id } userErrors { message } }
        }`,
      { input: { leadId, kind: "INTEREST", message: SECRETS.response } },
      colleague.user.token,
    );
    const membershipId = encodeGlobalID("Membership", colleague.membershipId);
    const note = await api.data(
      `mutation($input: AddMembershipNoteInput!) { addMembershipNote(input: $input) { userErrors { message } } }`,
      { input: { membershipId, body: SECRETS.note } },
      secretaryA.token,
    );
    const dues = await api.data(
      `mutation($input: RecordDuesPaymentInput!) { recordDuesPayment(input: $input) { userErrors { message } } }`,
      {
        input: {
          membershipId: encodeGlobalID("Membership", poster.membershipId),
          amount: "1000",
          periodStart: "2100-01-01",
          receiptNo: SECRETS.receipt,
        },
      },
      secretaryA.token,
    );
    const suspended = await api.data(
      `mutation($input: ChangeMembershipStatusInput!) { changeMembershipStatus(input: $input) { userErrors { message } }
        }`,
      { input: { membershipId, status: "SUSPENDED", reason: SECRETS.reason } },
      secretaryA.token,
    );
    const applied = await api.data(
      `mutation($input: ApplyForMembershipInput!) { applyForMembership(input: $input) { membership { id } userErrors {
        message } } }`,
      { input: { chamberId: chamberA } },
      applicant.token,
    );
    // a return-investment project credited to the chamber alone, with capital arrived and an overdue problem
    const project = await api.data(
      `mutation($input: CreateInvestmentProjectInput!) { createInvestmentProject(input: $input) { project { id }
        userErrors { message } } }`,
      {
        input: {
          name: SECRETS.investmentProject,
          district: "330302",
          pledged: "1000",
          promotedOn: "2014-01-02",
          credits: [{ chamberId: chamberA, sharePercent: "100" }],
        },
      },
      city.token,
    );
    const projectId = project.createInvestmentProject.project.id as string;
    for (const stage of ["NEGOTIATING", "SIGNED"])
      await api.data(
        `mutation($input: ChangeInvestmentStageInput!) { changeInvestmentStage(input: $input) { userErrors {
          message } } }`,
        { input: { projectId, stage, on: "2014-01-03" } },
        city.token,
      );
    const arrival = await api.data(
      `mutation($input: RecordCapitalArrivalInput!) { recordCapitalArrival(input: $input) { arrival { id }
        userErrors { message } } }`,
      { input: { projectId, amount: "400", arrivedOn: "2014-01-04", category: "RETURN_OUTSIDE_PROVINCE" } },
      city.token,
    );
    const problem = await api.data(
      `mutation($input: RaiseInvestmentProblemInput!) { raiseInvestmentProblem(input: $input) { problem { id }
        userErrors { message } } }`,
      {
        input: {
          projectId,
          kind: "LAND",
          description: SECRETS.investmentProblem,
          department: "市国土局",
          dueOn: "2014-02-01",
        },
      },
      city.token,
    );
    // a delegation the chamber organises, with a participant, a visit and an agreement; a goose contact's notes
    const delegation = await api.data(
      `mutation($input: CreateDelegationInput!) { createDelegation(input: $input) { delegation { id }
        userErrors { message } } }`,
      {
        input: {
          title: SECRETS.delegationTitle,
          chamberIds: [chamberA],
          startsOn: "2014-03-01",
          endsOn: "2014-03-03",
          participantMerchantIds: [encodeGlobalID("Merchant", poster.merchantId)],
          visits: [{ place: "瓯江口", company: SECRETS.delegationVisit }],
          cityContactUserIds: [encodeGlobalID("User", city.id)],
        },
      },
      secretaryA.token,
    );
    const delegationId = delegation.createDelegation.delegation.id as string;
    const confirmed = await api.data(
      `mutation($input: ConfirmDelegationInput!) { confirmDelegation(input: $input) { userErrors { message } } }`,
      { input: { delegationId } },
      secretaryA.token,
    );
    const completed = await api.data(
      `mutation($input: CompleteDelegationInput!) { completeDelegation(input: $input) { userErrors { message } } }`,
      { input: { delegationId, agreements: [{ title: SECRETS.delegationAgreement, pledged: "1000" }] } },
      secretaryA.token,
    );
    const gooseContact = await api.data(
      `mutation($input: RecordGooseContactInput!) { recordGooseContact(input: $input) { contact { id }
        userErrors { message } } }`,
      {
        input: {
          merchantId: encodeGlobalID("Merchant", goose.merchantId),
          kind: "VISIT",
          on: "2014-03-02",
          notes: SECRETS.gooseNote,
          projectIds: [projectId],
        },
      },
      city.token,
    );
    // a gathering of the chamber with its members invited, and a nomination for recognition not yet decided
    const gathering = await api.data(
      `mutation($input: CreateGatheringInput!) { createGathering(input: $input) { gathering { id }
        userErrors { message } } }`,
      { input: { chamberId: chamberA, kind: "ANNUAL_MEETING", title: SECRETS.gatheringTitle, heldOn: "2014-12-28" } },
      secretaryA.token,
    );
    const gatheringId = gathering.createGathering.gathering.id as string;
    const invited = await api.data(
      `mutation($input: InviteToGatheringInput!) { inviteToGathering(input: $input) { invited
        userErrors { message } } }`,
      { input: { gatheringId, levels: ["MEMBER", "VICE_PRESIDENT", "PRESIDENT"] } },
      secretaryA.token,
    );
    const nomination = await api.data(
      `mutation($input: NominateForRecognitionInput!) { nominateForRecognition(input: $input) { nomination { id }
        userErrors { message } } }`,
      {
        input: {
          chamberId: chamberA,
          merchantId: encodeGlobalID("Merchant", poster.merchantId),
          year: 2014,
          reason: SECRETS.nominationReason,
        },
      },
      secretaryA.token,
    );
    for (const payload of [
      gathering.createGathering,
      invited.inviteToGathering,
      nomination.nominateForRecognition,
      delegation.createDelegation,
      confirmed.confirmDelegation,
      completed.completeDelegation,
      gooseContact.recordGooseContact,
      project.createInvestmentProject,
      arrival.recordCapitalArrival,
      problem.raiseInvestmentProblem,
      lead.postLead,
      response.respondToLead,
      note.addMembershipNote,
      dues.recordDuesPayment,
      suspended.changeMembershipStatus,
      applied.applyForMembership,
    ])
      expect(payload.userErrors).toEqual([]);
    for (const id of [
      gatheringId,
      nomination.nominateForRecognition.nomination.id,
      delegationId,
      gooseContact.recordGooseContact.contact.id,
      projectId,
      arrival.recordCapitalArrival.arrival.id,
      problem.raiseInvestmentProblem.problem.id,
      leadId,
      response.respondToLead.response.id,
      applied.applyForMembership.membership.id,
      membershipId,
    ])
      privateIds.add(id);
    privateIds.add(encodeGlobalID("Membership", poster.membershipId));
    // the chamber's note, dues payment and checklist items, and what only staff may load: a step, an audit entry
    const inside = await api.data(
      `query($membership: ID!, $dues: ID!, $chamber: ID!) {
        note: node(id: $membership) { ... on Membership { notes { id } } }
        dues: node(id: $dues) { ... on Membership { duesPayments { id } } }
        chamber: node(id: $chamber) { ... on Chamber { checklist { id } } } }`,
      { membership: membershipId, dues: encodeGlobalID("Membership", poster.membershipId), chamber: chamberA },
      secretaryA.token,
    );
    const holder = await api.data(
      `query($id: ID!) { node(id: $id) { ... on Merchant { companies { id } } } }`,
      { id: encodeGlobalID("Merchant", poster.merchantId) },
      poster.user.token,
    );
    for (const company of holder.node.companies) deeperIds.add(company.id as string);
    const trail = await api.data(`{ auditLog(first: 1) { edges { node { id } } } }`, {}, staff.token);
    for (const id of [
      inside.note.notes[0].id,
      inside.dues.duesPayments[0].id,
      inside.chamber.checklist[0].id,
      step.advanceFormation.step.id,
      trail.auditLog.edges[0].node.id,
    ])
      privateIds.add(id as string);
  });

  afterAll(() => api?.close());

  it("probes every Node type with ids the insiders see, so each type's tenancy is checked", async () => {
    const seen = new Set<string>([...privateIds, ...deeperIds]);
    for (const insider of insiders)
      for (const probe of rootProbes(fill)) collectIds((await ask(probe.query, {}, insider.token)).data, seen);
    const probedTypes = new Set([...seen].map((id) => decodableId(id)?.typename));
    for (const typename of [
      "Province",
      "ChecklistItem",
      "DuesPayment",
      "MembershipNote",
      "FormationStep",
      "Company",
      "AuditEntry",
      "InvestmentProject",
      "CapitalArrival",
      "InvestmentProblem",
      "Delegation",
      "GooseContact",
      "Gathering",
      "RecognitionNomination",
    ])
      expect(probedTypes.has(typename), typename).toBe(true);
  });

  it("generates a probe for every root list and lookup, so new ones are covered without being named here", () => {
    const probed = new Set(rootProbes(fill).map((p) => p.name));
    for (const name of [
      "chambers",
      "merchants",
      "leads",
      "auditLog",
      "possibleDuplicates",
      "provinces",
      "formationProgress",
      "federation",
      "me",
      "investmentProjects",
      "returnInvestmentProgress",
      "overdueInvestmentProblems",
      "delegations",
      "delegationActivity",
      "leadingGooseCoverage",
      "gooseContacts",
      "gatherings",
      "recognitionNominations",
    ])
      expect(probed.has(name), name).toBe(true);
  });

  it("leaves every outsider's answer to every root query exactly as it was, counts included", async () => {
    // the first pass's reads among outsiders (B's secretary reading B's member) are logged for the member read
    // (myAccessLog, the copy): that is the outsiders' own doing, not the chamber's private life, so it goes
    await api.db.db.delete(contactAccessTable).where(inArray(contactAccessTable.viewerUserId, outsiderUserIds));
    for (const outsider of outsiders)
      for (const probe of rootProbes(fill)) {
        const now = await ask(probe.query, {}, outsider.token);
        expect(now, `${outsider.label}: ${probe.name}`).toEqual(before.get(`${outsider.label}|${probe.name}`));
      }
  });

  it(
    "never shows a planted secret to an outsider, through " + "any root query or any node the insiders can see",
    async () => {
      // every id the insiders see anywhere: the probe then asks for each as an outsider
      const seen = new Set<string>([...privateIds, ...deeperIds]);
      for (const insider of insiders)
        for (const probe of rootProbes(fill)) collectIds((await ask(probe.query, {}, insider.token)).data, seen);
      expect(seen.size).toBeGreaterThan(privateIds.size);
      const secrets = Object.values(SECRETS);
      for (const outsider of outsiders) {
        const answers: unknown[] = [];
        for (const probe of rootProbes(fill)) answers.push(await ask(probe.query, {}, outsider.token));
        for (const id of seen) {
          const decoded = decodableId(id);
          if (!decoded || !schema.getType(decoded.typename)) continue;
          answers.push(await ask(nodeQuery(decoded.typename, fill), { id }, outsider.token));
        }
        answers.push(await ask(nodesQuery(), { ids: [...seen] }, outsider.token));
        const text = JSON.stringify(answers);
        for (const secret of secrets) expect(text.includes(secret), `${outsider.label} saw ${secret}`).toBe(false);
      }
    },
  );

  it(
    "answers for a chamber's private objects exactly as for " + "random ids of the same type, alone and mixed in nodes",
    async () => {
      for (const outsider of outsiders)
        for (const id of privateIds) {
          const { typename } = decodeGlobalID(id);
          const random = encodeGlobalID(typename, randomUUID());
          const query = nodeQuery(typename, fill);
          expect(await ask(query, { id }, outsider.token), `${outsider.label}: ${typename}`).toEqual(
            await ask(query, { id: random }, outsider.token),
          );
          const mixed = await ask(nodesQuery(), { ids: [chamberA, id, random] }, outsider.token);
          const list = (mixed.data?.nodes ?? []) as unknown[];
          expect(list[1], `${outsider.label}: nodes with ${typename}`).toEqual(list[2]);
          expect(list[0], "the public chamber itself still resolves").not.toBeNull();
        }
    },
  );
});
