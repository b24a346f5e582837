// Retention (issue 19, item 5): ended sessions, used or expired invitations, access entries and audit entries
// older than their periods are purged — exactly those, nothing newer — and every figure reads the same after.
// Age is simulated by moving rows' times back in the test database; the purge is given its clock.
import { purgeExpiredRecords, type RetentionPeriods, RetentionWorker } from "@wz/core";
import * as db from "@wz/db";
import { createTestApi, globalId, type SeededUser, seed, type TestApi } from "@wz/testkit";
import { count, eq, sql } from "drizzle-orm";
import type { PgTable } from "drizzle-orm/pg-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

let api: TestApi;
let chamberId: string;
let secretary: SeededUser;
let staff: SeededUser;
let member: { merchantId: string; membershipId: string; user: SeededUser };
let fellow: SeededUser;

const DAY = 24 * 3600_000;
const now = new Date();
const daysAgo = (days: number) => new Date(now.getTime() - days * DAY);
const periods: RetentionPeriods = { sessionDays: 180, inviteDays: 30, accessDays: 180, auditDays: 3 * 365 };
const nothing = { sessions: 0, invites: 0, accessEntries: 0, auditEntries: 0 };

const FIGURES = `query ($id: ID!) { node(id: $id) { ... on Chamber { rollup { total {
  activeMembers newMembersThisYear leadsPostedThisYear closedValueThisYear referralClosedValueThisYear } } } } }`;
const rows = async (table: PgTable) => (await api.db.db.select({ n: count() }).from(table))[0]!.n;

beforeAll(async () => {
  api = await createTestApi();
  const s = seed(api.db.db);
  const chamber = await s.chamber({ name: "留存测试商会" });
  chamberId = chamber.id;
  secretary = await chamber.secretary();
  staff = await s.federationStaff();
  member = await chamber.member({ name: "留存者", mobileVisibility: "CHAMBER" });
  fellow = (await chamber.member()).user;
  // figures: dues paid, a lead closed won
  const ok = async (query: string, input: Record<string, unknown>, token: string) => {
    const payload = Object.values(await api.data(query, { input }, token))[0] as Record<string, unknown>;
    expect(payload.userErrors).toEqual([]);
    return payload;
  };
  await ok(
    `mutation ($input: RecordDuesPaymentInput!) { recordDuesPayment(input: $input) { userErrors { message } } }`,
    {
      membershipId: globalId("Membership", member.membershipId),
      amount: "3000",
      periodStart: "2026-01-01",
      receiptNo: "LC-001",
    },
    secretary.token,
  );
  const lead = (await ok(
    `mutation ($input: PostLeadInput!) { postLead(input: $input) { lead { id } userErrors { message } } }`,
    {
      chamberId: globalId("Chamber", chamberId),
      kind: "SUPPLY",
      title: "留存商机",
      description: "详情",
      visibility: "CHAMBER",
    },
    member.user.token,
  )) as { lead: { id: string } };
  await ok(
    `mutation ($input: UpdateLeadStatusInput!) { updateLeadStatus(input: $input) { userErrors { message } } }`,
    { leadId: lead.lead.id, status: "CLOSED_WON", closedValue: "1000000" },
    member.user.token,
  );
  // three invitations: accepted long ago, expired long ago, still open
  for (const email of ["old-accepted@example.org", "old-expired@example.org", "open@example.org"])
    await ok(
      `mutation ($input: InviteUserInput!) { inviteUser(input: $input) { userErrors { message } } }`,
      { email, displayName: email, chamberId: globalId("Chamber", chamberId), role: "MEMBER" },
      secretary.token,
    );
  const invite = (email: string) => eq(db.inviteTable.email, email);
  await api.db.db
    .update(db.inviteTable)
    .set({ acceptedAt: daysAgo(40) })
    .where(invite("old-accepted@example.org"));
  await api.db.db
    .update(db.inviteTable)
    .set({ expiresAt: daysAgo(31) })
    .where(invite("old-expired@example.org"));
  // access entries: the fellow member read the mobile twice; the first one is 181 days old
  const read = `query ($id: ID!) { node(id: $id) { ... on Merchant { mobile } } }`;
  for (let i = 0; i < 2; i++) await api.data(read, { id: globalId("Merchant", member.merchantId) }, fellow.token);
  const [first] = await api.db.db.select().from(db.contactAccessTable).orderBy(db.contactAccessTable.id).limit(1);
  await api.db.db
    .update(db.contactAccessTable)
    .set({ at: daysAgo(181) })
    .where(eq(db.contactAccessTable.id, first!.id));
  await api.db.db
    .update(db.contactAccessTable)
    .set({ at: daysAgo(179) })
    .where(sql`id <> ${first!.id}`);
  // sessions: one expired 181 days ago, one revoked 200 days ago, one expired 10 days ago; the rest live
  const old = await s.user();
  const revoked = await s.user();
  const recent = await s.user();
  const session = (user: SeededUser) => eq(db.sessionTable.userId, user.id);
  await api.db.db
    .update(db.sessionTable)
    .set({ expiresAt: daysAgo(181) })
    .where(session(old));
  await api.db.db
    .update(db.sessionTable)
    .set({ revokedAt: daysAgo(200) })
    .where(session(revoked));
  await api.db.db
    .update(db.sessionTable)
    .set({ expiresAt: daysAgo(10) })
    .where(session(recent));
  // audit entries: the dues payment's is four years old
  await api.db.db
    .update(db.auditLogTable)
    .set({ at: daysAgo(4 * 365) })
    .where(eq(db.auditLogTable.action, "dues:record"));
});
afterAll(() => api.close());

describe("the retention purge", () => {
  it("deletes exactly what is older than its period, keeps the rest and every figure", async () => {
    const figures = async () => (await api.data(FIGURES, { id: globalId("Chamber", chamberId) }, staff.token)).node;
    const before = await figures();
    expect(before.rollup.total).toMatchObject({ activeMembers: 2, leadsPostedThisYear: 1 });
    const sources = async () => ({
      memberships: await rows(db.membershipTable),
      dues: await rows(db.duesPaymentTable),
      leads: await rows(db.leadTable),
    });
    const sourcesBefore = await sources();
    const sessions = await rows(db.sessionTable);
    const audit = await rows(db.auditLogTable);
    const agedAudit = (
      await api.db.db.select({ n: count() }).from(db.auditLogTable).where(eq(db.auditLogTable.action, "dues:record"))
    )[0]!.n;
    expect(agedAudit).toBeGreaterThan(0);

    const purged = await purgeExpiredRecords(api.db.db, periods, now);
    expect(purged).toEqual({ sessions: 2, invites: 2, accessEntries: 1, auditEntries: agedAudit });
    expect(await rows(db.sessionTable)).toBe(sessions - 2);
    expect(await rows(db.auditLogTable)).toBe(audit - agedAudit);
    expect((await api.db.db.select({ email: db.inviteTable.email }).from(db.inviteTable)).map((i) => i.email)).toEqual([
      "open@example.org",
    ]);
    // through GraphQL: the merchant's log holds the recent entry only; live sign-ins still work
    const log = await api.data(`{ myAccessLog { totalCount } }`, {}, member.user.token);
    expect(log.myAccessLog.totalCount).toBe(1);
    expect((await api.data(`{ me { user { email } } }`, {}, fellow.token)).me.user.email).toBe(fellow.email);
    expect(await figures()).toEqual(before);
    expect(await sources()).toEqual(sourcesBefore);

    // again: nothing more (idempotent, so several processes may run it)
    expect(await purgeExpiredRecords(api.db.db, periods, now)).toEqual(nothing);
  });

  it("the worker purges at start and at each interval with its clock, logs the counts, and stops cleanly", async () => {
    // the remaining access entry is 179 days old: a clock two days on makes it 181
    const logged: object[] = [];
    const worker = new RetentionWorker({
      db: api.db.db,
      periods,
      intervalMs: 3_600_000,
      logger: { info: (obj) => logged.push(obj), warn: (obj) => logged.push(obj) },
      now: () => new Date(now.getTime() + 2 * DAY),
    });
    worker.start();
    await worker.stop();
    expect(logged).toEqual([expect.objectContaining({ accessEntries: 1, sessions: 0, invites: 0 })]);
    expect((await api.data(`{ myAccessLog { totalCount } }`, {}, member.user.token)).myAccessLog.totalCount).toBe(0);
    // a period of 0 keeps everything for ever
    await api.data(
      `query ($id: ID!) { node(id: $id) { ... on Merchant { mobile } } }`,
      {
        id: globalId("Merchant", member.merchantId),
      },
      fellow.token,
    );
    const keepAll = { sessionDays: 0, inviteDays: 0, accessDays: 0, auditDays: 0 };
    expect(await purgeExpiredRecords(api.db.db, keepAll, new Date(now.getTime() + 10_000 * DAY))).toEqual(nothing);
  });
});
