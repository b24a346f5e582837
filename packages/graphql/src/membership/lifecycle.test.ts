// The membership lifecycle through GraphQL: apply, decide, lapse, renew by dues, suspend, reinstate, leave,
// level changes — and every illegal transition refused with INVALID_TRANSITION, changing nothing.
import { addDays, todayIso } from "@wz/core";
import { auditLogTable, duesPaymentTable, membershipTable } from "@wz/db";
import { createTestApi, globalId, seed, type TestApi } from "@wz/testkit";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

let api: TestApi;
beforeAll(async () => {
  api = await createTestApi();
});
afterAll(() => api.close());

const FIELDS = `membership { id status level joinedOn expiresOn statusReason duesStatus { paidThrough expiresOn
  annualFee yearsOverdue amountOwed } } userErrors { field message code }`;
const APPLY = `mutation ($input: ApplyForMembershipInput!) { applyForMembership(input: $input) { ${FIELDS} } }`;
const DECIDE = `mutation ($input: DecideMembershipInput!) { decideMembership(input: $input) { ${FIELDS} } }`;
const STATUS = `mutation ($input: ChangeMembershipStatusInput!) { changeMembershipStatus(input: $input) { ${FIELDS} }
  }`;
const LEVEL = `mutation ($input: ChangeMembershipLevelInput!) { changeMembershipLevel(input: $input) { ${FIELDS} } }`;
const DUES = `mutation ($input: RecordDuesPaymentInput!) { recordDuesPayment(input: $input) { ${FIELDS} } }`;
const NOTE = `mutation ($input: AddMembershipNoteInput!) { addMembershipNote(input: $input) { note { body authorName }
  userErrors { field message code } } }`;
const FEES = `mutation ($input: SetFeeScheduleInput!) { setFeeSchedule(input: $input) { fees { level annualFee }
  userErrors { field message code } } }`;
const READ = `query ($id: ID!) { node(id: $id) { ... on Membership { status level expiresOn statusReason notes { body }
  duesStatus { paidThrough yearsOverdue amountOwed } duesPayments { amount periodStart periodEnd receiptNo method } } }
    }`;

const row = async (id: string) =>
  (await api.db.db.select().from(membershipTable).where(eq(membershipTable.id, id)))[0]!;
const auditActions = async (id: string) =>
  (
    await api.db.db
      .select({ action: auditLogTable.action })
      .from(auditLogTable)
      .where(eq(auditLogTable.entityId, id))
      .orderBy(auditLogTable.id)
  ).map((a) => a.action);

/** Runs a mutation expecting one INVALID_TRANSITION and checks the membership row did not change. */
async function refused(query: string, input: Record<string, unknown>, token: string, membershipId: string) {
  const before = await row(membershipId);
  const data = await api.data(query, { input }, token);
  const payload = Object.values(data)[0] as { membership: unknown; userErrors: { code: string; message: string }[] };
  expect(payload.membership).toBeNull();
  expect(payload.userErrors).toHaveLength(1);
  expect(payload.userErrors[0]!.code).toBe("INVALID_TRANSITION");
  expect(await row(membershipId)).toEqual(before);
  return payload.userErrors[0]!.message;
}

describe("membership lifecycle", () => {
  it("apply → approve → lapse → renew → level → suspend → reinstate → leave → apply again → reject", async () => {
    const s = seed(api.db.db);
    const chamber = await s.chamber();
    const secretary = await chamber.secretary();
    const merchant = await s.merchant({ name: "林晓东" });
    const applicant = await s.user({ merchantId: merchant.id });
    const chamberId = globalId("Chamber", chamber.id);
    await api.data(
      FEES,
      {
        input: {
          chamberId,
          fees: [
            { level: "DIRECTOR", annualFee: "10000" },
            { level: "MEMBER", annualFee: "2000.00" },
          ],
        },
      },
      secretary.token,
    );

    const applied = (await api.data(APPLY, { input: { chamberId, level: "DIRECTOR" } }, applicant.token))
      .applyForMembership;
    expect(applied.userErrors).toEqual([]);
    expect(applied.membership).toMatchObject({ status: "APPLIED", level: "DIRECTOR", joinedOn: null });
    const id = applied.membership.id as string;
    const dbId = (await api.db.db.select().from(membershipTable).where(eq(membershipTable.merchantId, merchant.id)))[0]!
      .id;

    // Applying twice, or deciding as the applicant, is refused.
    expect(await refused(APPLY, { chamberId }, applicant.token, dbId)).toMatch(/awaiting a decision/);
    const forbidden = await api.gql(DECIDE, { input: { membershipId: id, approve: true } }, applicant.token);
    expect(forbidden.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    // Status changes that must go through decideMembership or dues.
    await refused(STATUS, { membershipId: id, status: "ACTIVE", reason: "x" }, secretary.token, dbId);
    await refused(STATUS, { membershipId: id, status: "SUSPENDED", reason: "x" }, secretary.token, dbId);

    // Rejecting needs a reason; approving sets level, joining date and a first year.
    const noReason = (await api.data(DECIDE, { input: { membershipId: id, approve: false } }, secretary.token))
      .decideMembership;
    expect(noReason.userErrors).toEqual([
      { field: ["input", "reason"], message: "A reason for the rejection is required.", code: "INVALID" },
    ]);
    const approved = (
      await api.data(
        DECIDE,
        { input: { membershipId: id, approve: true, level: "DIRECTOR", joinedOn: "2014-03-01" } },
        secretary.token,
      )
    ).decideMembership;
    expect(approved.membership).toMatchObject({
      status: "LAPSED",
      level: "DIRECTOR",
      joinedOn: "2014-03-01",
      expiresOn: "2015-02-28",
    });
    // It has been lapsed since 2015 with no job having run: status and dues owed are computed on read.
    expect(approved.membership.duesStatus.yearsOverdue).toBeGreaterThan(5);
    expect(approved.membership.duesStatus.amountOwed).toBe(`${approved.membership.duesStatus.yearsOverdue * 10000}.00`);
    expect(await refused(DECIDE, { membershipId: id, approve: true }, secretary.token, dbId)).toMatch(
      /only an application/,
    );
    // LAPSED is never set by hand, and a lapsed membership is renewed only by paying.
    expect(await refused(STATUS, { membershipId: id, status: "LAPSED", reason: "x" }, secretary.token, dbId)).toMatch(
      /never set by hand/,
    );
    expect(await refused(STATUS, { membershipId: id, status: "ACTIVE", reason: "x" }, secretary.token, dbId)).toMatch(
      /recording a dues payment/,
    );

    // Dues: bad amounts, overlaps and repeated receipts are refused and change nothing.
    const today = todayIso();
    const start = addDays(today, -30);
    const dues = async (input: Record<string, unknown>) =>
      (await api.data(DUES, { input: { membershipId: id, ...input } }, secretary.token)).recordDuesPayment;
    for (const amount of ["0", "-5.00"]) {
      const bad = await dues({ amount, periodStart: start, receiptNo: "R1" });
      expect(bad.userErrors).toEqual([
        { field: ["input", "amount"], message: "The amount must be more than zero.", code: "INVALID" },
      ]);
    }
    const paid = await dues({ amount: "10000.00", periodStart: start, receiptNo: "R1", method: "BANK_TRANSFER" });
    expect(paid.userErrors).toEqual([]);
    const end = paid.membership.expiresOn as string;
    expect(end > today).toBe(true);
    expect(paid.membership).toMatchObject({
      status: "ACTIVE",
      duesStatus: { paidThrough: end, yearsOverdue: 0, amountOwed: "0.00" },
    });
    const duplicate = await dues({ amount: "10000.00", periodStart: addDays(end, 1), receiptNo: "R1" });
    expect(duplicate.userErrors).toEqual([
      {
        field: ["input", "receiptNo"],
        message: "Receipt R1 has already been recorded in this chamber.",
        code: "CONFLICT",
      },
    ]);
    const overlapping = await dues({ amount: "10000.00", periodStart: addDays(end, -10), receiptNo: "R2" });
    expect(overlapping.userErrors[0]).toMatchObject({ field: ["input", "periodStart"], code: "CONFLICT" });
    expect(
      await api.db.db.select().from(duesPaymentTable).where(eq(duesPaymentTable.chamberId, chamber.id)),
    ).toHaveLength(1);

    // Level changes.
    const promoted = (
      await api.data(
        LEVEL,
        { input: { membershipId: id, level: "VICE_PRESIDENT", reason: "换届选举" } },
        secretary.token,
      )
    ).changeMembershipLevel;
    expect(promoted.membership.level).toBe("VICE_PRESIDENT");
    expect(
      (await api.data(LEVEL, { input: { membershipId: id, level: "VICE_PRESIDENT" } }, secretary.token))
        .changeMembershipLevel.userErrors[0].code,
    ).toBe("INVALID");

    // Suspend (reason required) → reinstate → leave.
    const noWhy = (
      await api.data(STATUS, { input: { membershipId: id, status: "SUSPENDED", reason: " " } }, secretary.token)
    ).changeMembershipStatus;
    expect(noWhy.userErrors).toEqual([
      { field: ["input", "reason"], message: "A reason is required.", code: "INVALID" },
    ]);
    const suspended = (
      await api.data(STATUS, { input: { membershipId: id, status: "SUSPENDED", reason: "违反章程" } }, secretary.token)
    ).changeMembershipStatus;
    expect(suspended.membership).toMatchObject({ status: "SUSPENDED", statusReason: "违反章程" });
    await refused(
      DUES,
      { membershipId: id, amount: "1.00", periodStart: addDays(end, 1), receiptNo: "R9" },
      secretary.token,
      dbId,
    );
    const reinstated = (
      await api.data(STATUS, { input: { membershipId: id, status: "ACTIVE", reason: "整改完成" } }, secretary.token)
    ).changeMembershipStatus;
    expect(reinstated.membership.status).toBe("ACTIVE");
    const left = (
      await api.data(STATUS, { input: { membershipId: id, status: "LEFT", reason: "本人申请退会" } }, secretary.token)
    ).changeMembershipStatus;
    expect(left.membership.status).toBe("LEFT");
    // Nothing moves a membership that has ended, except applying again.
    for (const status of ["ACTIVE", "SUSPENDED", "LEFT"])
      await refused(STATUS, { membershipId: id, status, reason: "x" }, secretary.token, dbId);
    await refused(LEVEL, { membershipId: id, level: "MEMBER" }, secretary.token, dbId);
    await refused(DECIDE, { membershipId: id, approve: true }, secretary.token, dbId);
    await refused(
      DUES,
      { membershipId: id, amount: "1.00", periodStart: addDays(end, 1), receiptNo: "R9" },
      secretary.token,
      dbId,
    );

    const again = (await api.data(APPLY, { input: { chamberId } }, applicant.token)).applyForMembership;
    expect(again.membership).toMatchObject({ id, status: "APPLIED", level: "MEMBER" });
    const rejected = (
      await api.data(DECIDE, { input: { membershipId: id, approve: false, reason: "材料不全" } }, secretary.token)
    ).decideMembership;
    expect(rejected.membership).toMatchObject({ status: "REJECTED", statusReason: "材料不全" });
    for (const status of ["ACTIVE", "SUSPENDED", "LEFT"])
      await refused(STATUS, { membershipId: id, status, reason: "x" }, secretary.token, dbId);

    // The member reads their own dues history; every change is in the audit trail.
    const own = (await api.data(READ, { id }, applicant.token)).node;
    expect(own.duesPayments).toEqual([
      { amount: "10000.00", periodStart: start, periodEnd: end, receiptNo: "R1", method: "BANK_TRANSFER" },
    ]);
    expect(own.notes).toBeNull();
    expect(await auditActions(dbId)).toEqual([
      "membership:apply",
      "membership:approve",
      "membership:renew",
      "membership:level",
      "membership:suspended",
      "membership:active",
      "membership:left",
      "membership:apply",
      "membership:reject",
    ]);
  });

  it(
    "a secretary applies on a merchant's behalf; a lapsed " + "ACTIVE row reads LAPSED everywhere without any job",
    async () => {
      const s = seed(api.db.db);
      const chamber = await s.chamber();
      const secretary = await chamber.secretary();
      const merchant = await s.merchant({ name: "周海" });
      const applied = (
        await api.data(
          APPLY,
          { input: { chamberId: globalId("Chamber", chamber.id), merchantId: globalId("Merchant", merchant.id) } },
          secretary.token,
        )
      ).applyForMembership;
      expect(applied.membership.status).toBe("APPLIED");

      const lapsed = await chamber.member({ name: "郑伟", expiresOn: addDays(todayIso(), -1) });
      expect((await row(lapsed.membershipId)).status).toBe("ACTIVE");
      const q = `query ($id: ID!) { node(id: $id) { ... on Chamber { members(filter: { status: [LAPSED] }) { totalCount
      edges { node { status merchant { name } } } } } } }`;
      const list = (await api.data(q, { id: globalId("Chamber", chamber.id) }, secretary.token)).node.members;
      expect(list).toEqual({ totalCount: 1, edges: [{ node: { status: "LAPSED", merchant: { name: "郑伟" } } }] });
      // A lapsed member is no longer an active member of the chamber: they cannot list it.
      const own = await api.gql(
        `query ($id: ID!) { node(id: $id) { ... on Chamber { members { totalCount } } } }`,
        { id: globalId("Chamber", chamber.id) },
        lapsed.user.token,
      );
      expect(own.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    },
  );

  it("private notes are seen only by the chamber's secretaries, not staff or the member", async () => {
    const s = seed(api.db.db);
    const chamber = await s.chamber();
    const secretary = await chamber.secretary();
    const member = await chamber.member();
    const staff = await s.federationStaff();
    const id = globalId("Membership", member.membershipId);
    const empty = (await api.data(NOTE, { input: { membershipId: id, body: "  " } }, secretary.token))
      .addMembershipNote;
    expect(empty.userErrors).toEqual([{ field: ["input", "body"], message: "A note is required.", code: "INVALID" }]);
    const added = (await api.data(NOTE, { input: { membershipId: id, body: "会费常常迟交" } }, secretary.token))
      .addMembershipNote;
    expect(added.note.body).toBe("会费常常迟交");
    expect((await api.data(READ, { id }, secretary.token)).node.notes).toEqual([{ body: "会费常常迟交" }]);
    expect((await api.data(READ, { id }, staff.token)).node.notes).toBeNull();
    expect((await api.data(READ, { id }, member.user.token)).node.notes).toBeNull();
    const staffNote = await api.gql(NOTE, { input: { membershipId: id, body: "x" } }, staff.token);
    expect(staffNote.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    // The audit trail (which staff read) records that a note was written, never its text.
    const audit = await api.db.db
      .select()
      .from(auditLogTable)
      .where(and(eq(auditLogTable.chamberId, chamber.id), eq(auditLogTable.action, "membership:note")));
    expect(audit).toHaveLength(1);
    expect(JSON.stringify(audit)).not.toContain("会费常常迟交");
  });

  it("two payments with one receipt number at the same moment: one is recorded, the other is a CONFLICT", async () => {
    const s = seed(api.db.db);
    const chamber = await s.chamber();
    const secretary = await chamber.secretary();
    const a = await chamber.member();
    const b = await chamber.member();
    const pay = (membershipId: string) =>
      api.data(
        DUES,
        {
          input: {
            membershipId: globalId("Membership", membershipId),
            amount: "2000.00",
            periodStart: "2100-01-01",
            receiptNo: "SAME-1",
          },
        },
        secretary.token,
      );
    const results = (await Promise.all([pay(a.membershipId), pay(b.membershipId)])).map(
      (r) => r.recordDuesPayment.userErrors as { field: string[]; code: string }[],
    );
    expect(results.filter((e) => e.length === 0)).toHaveLength(1);
    expect(results.flat()).toEqual([
      {
        field: ["input", "receiptNo"],
        message: "Receipt SAME-1 has already been recorded in this chamber.",
        code: "CONFLICT",
      },
    ]);
    expect(
      await api.db.db.select().from(duesPaymentTable).where(eq(duesPaymentTable.chamberId, chamber.id)),
    ).toHaveLength(1);
  });
});
