// Erasure on request (PIPL Arts. 46-47): the signed-in merchant, re-entering their password, has their personal
// information removed — not hidden. The profile row stays (leads, answers, dues and return-investment credits
// point at it, and the other party keeps those) but holds nothing personal and reads as "deleted user"; companies,
// contact values and search keys are gone, memberships end (LEFT, reason "erased"), the account is anonymised and
// disabled (sessions revoked, invitations to it invalidated), and earlier audit entries, notes and queued mail are
// scrubbed of the erased values. Figures (dues, closed value, arrivals) are untouched. Nothing can undo it: no
// copy of the values is kept anywhere.
import {
  asSystem,
  auditLogTable,
  companyTable,
  contactAccessTable,
  type Executor,
  gooseContactTable,
  inviteTable,
  mailOutboxTable,
  membershipNoteTable,
  membershipTable,
  merchantSearchGramTable,
  merchantTable,
  recognitionNominationTable,
  sessionTable,
  userTable,
} from "@wz/db";
import { and, eq, inArray, isNull, notInArray, type SQL, sql } from "drizzle-orm";
import type { AnyPgColumn, PgTable } from "drizzle-orm/pg-core";
import { recordAudit } from "../audit/audit-log";
import { verifyPassword } from "../auth/passwords";
import { UserInputError } from "../errors";
import { announceRolesChanged } from "../events/domain-events";
import { msg } from "../messages";
import type { ServiceContext } from "../service-context";

/** What an erased value is replaced by where it sat inside other text (audit entries, notes, queued mail). */
export const ERASED_MARK = "[erased]";
/** The reason an erasure's memberships end with. */
export const ERASURE_REASON = "erased";

/** `text` with every value replaced by the mark (values as they appear inside the column's text). */
function scrubbed(text: SQL, values: readonly string[]): SQL {
  return values.reduce<SQL>((acc, v) => sql`replace(${acc}, ${v}, ${ERASED_MARK})`, text);
}

/** `text` holds any of the values. */
function holdsAny(text: SQL, values: readonly string[]): SQL {
  return sql`(${sql.join(
    values.map((v) => sql`strpos(${text}, ${v}) > 0`),
    sql` or `,
  )})`;
}

/** A value as it appears inside JSON text (escaped, without its quotes). */
const inJsonText = (value: string) => JSON.stringify(value).slice(1, -1);

/** Erases the signed-in merchant's personal information. The password is asked again: it cannot be undone. */
export async function eraseMyPersonalData(ctx: ServiceContext, input: { password: string }): Promise<void> {
  const viewer = ctx.permissions.requireViewer();
  const merchantId = viewer.merchantId;
  if (!merchantId) throw UserInputError.of("NOT_FOUND", null, msg("privacy.noProfile"));
  const [user] = await ctx.db
    .select({ passwordHash: userTable.passwordHash })
    .from(userTable)
    .where(eq(userTable.id, viewer.userId));
  if (!(await verifyPassword(user?.passwordHash ?? null, input.password)))
    throw UserInputError.of("INVALID", ["password"], msg("privacy.wrongPassword"));

  // Erasure reaches every record about the person in every chamber (notes, invitations, audit entries, mail, the
  // memberships of profiles merged into theirs), which no viewer's scope does: after the password, the system's.
  const revokedSessions = await asSystem(() =>
    ctx.db.transaction(async (tx) => {
      // the profile and every profile merged into it (the same person, their values kept on the old rows)
      const profiles = await tx
        .select()
        .from(merchantTable)
        .where(
          sql`${merchantTable.id} in (with recursive chain(id) as (
          select ${merchantId}::uuid
          union select m.id from ${merchantTable} m join chain on m.merged_into_id = chain.id
        ) select id from chain)`,
        )
        .for("update");
      const ids = profiles.map((p) => p.id);
      const [account] = await tx.select().from(userTable).where(eq(userTable.id, viewer.userId)).for("update");
      const emails = [...new Set([account?.email, ...profiles.map((p) => p.email)].filter(isValue))];
      // Contact values identify the person wherever they appear; names only in records about them (another person
      // may share a name).
      const identifiers = [
        ...new Set(
          [...emails, ...profiles.flatMap((p) => [p.mobile, p.wechat, ...(p.landline ?? "").split(",")])]
            .map((v) => v?.trim())
            .filter(isValue),
        ),
      ];
      const names = [
        ...new Set(
          [account?.displayName, ...profiles.flatMap((p) => [p.name, p.nameLatin])]
            .map((v) => v?.trim())
            .filter(isValue),
        ),
      ];
      const everything = [...identifiers, ...names];
      const memberships = await tx
        .select({ chamberId: membershipTable.chamberId, id: membershipTable.id })
        .from(membershipTable)
        .where(inArray(membershipTable.merchantId, ids));
      const membershipIds = memberships.map((m) => m.id);
      const invites = emails.length
        ? await tx
            .select({ id: inviteTable.id })
            .from(inviteTable)
            .where(
              inArray(
                sql`lower(${inviteTable.email})`,
                emails.map((e) => e.toLowerCase()),
              ),
            )
        : [];
      const now = new Date();

      // the profile: companies first (their search keys go with them), then the fields; no search key remains
      await tx.delete(companyTable).where(inArray(companyTable.merchantId, ids));
      await tx
        .update(merchantTable)
        .set({
          name: "",
          nameLatin: null,
          namePinyin: "",
          nameInitials: "",
          hometownDistrict: null,
          provinceCode: null,
          city: null,
          tags: [],
          mobile: null,
          landline: null,
          email: null,
          wechat: null,
          listed: false,
          agreedNoticeVersion: null,
          erasedAt: now,
          updatedAt: now,
        })
        .where(inArray(merchantTable.id, ids));
      await tx.delete(merchantSearchGramTable).where(inArray(merchantSearchGramTable.merchantId, ids));
      // who looked at their contact fields: the record was kept for them alone, and there is nothing left to see
      await tx.delete(contactAccessTable).where(inArray(contactAccessTable.merchantId, ids));
      // texts written about them (a city leader's contact notes, a chamber's nomination): the values go, the rows
      // stay for the figures (coverage, recognitions per year)
      if (everything.length)
        for (const [table, column, owner] of [
          [gooseContactTable, gooseContactTable.notes, gooseContactTable.merchantId],
          [recognitionNominationTable, recognitionNominationTable.reason, recognitionNominationTable.merchantId],
          [recognitionNominationTable, recognitionNominationTable.decisionNote, recognitionNominationTable.merchantId],
        ] as const)
          await tx.execute(
            sql`update ${table} set ${sql.identifier(column.name)} = ${scrubbed(sql`${column}`, everything)}
            where ${owner} = any(${sql.param(ids)}::uuid[]) and ${holdsAny(sql`${column}`, everything)}`,
          );

      // memberships end with the reason; dues and levels stay for the chambers' figures
      const ended = await tx
        .update(membershipTable)
        .set({ status: "LEFT", statusReason: ERASURE_REASON, identityWithheld: false, updatedAt: now })
        .where(and(inArray(membershipTable.merchantId, ids), notInArray(membershipTable.status, ["LEFT", "REJECTED"])))
        .returning({ id: membershipTable.id });
      if (membershipIds.length && everything.length)
        await tx
          .update(membershipNoteTable)
          .set({ body: scrubbed(sql`${membershipNoteTable.body}`, everything) })
          .where(
            and(
              inArray(membershipNoteTable.membershipId, membershipIds),
              holdsAny(sql`${membershipNoteTable.body}`, everything),
            ),
          );

      // the account: anonymised and disabled, so nobody signs in with it again; its sessions end now
      await tx
        .update(userTable)
        .set({
          email: sql`'erased-' || ${userTable.id} || '@invalid'`,
          displayName: "",
          passwordHash: null,
          disabledAt: now,
        })
        .where(eq(userTable.id, viewer.userId));
      const revoked = await tx
        .update(sessionTable)
        .set({ revokedAt: now })
        .where(and(eq(sessionTable.userId, viewer.userId), isNull(sessionTable.revokedAt)))
        .returning({ id: sessionTable.id });
      // invitations to their addresses can no longer be accepted, and no longer name them
      if (emails.length)
        await tx
          .update(inviteTable)
          .set({
            email: sql`'erased-' || ${inviteTable.id} || '@invalid'`,
            displayName: "",
            expiresAt: sql`least(${inviteTable.expiresAt}, now())`,
          })
          .where(
            inArray(
              sql`lower(${inviteTable.email})`,
              emails.map((e) => e.toLowerCase()),
            ),
          );

      // mail to them is dropped; mail to others that names them is scrubbed
      if (emails.length)
        await tx.delete(mailOutboxTable).where(
          inArray(
            sql`lower(${mailOutboxTable.recipient})`,
            emails.map((e) => e.toLowerCase()),
          ),
        );
      await scrubJson(tx, mailOutboxTable, mailOutboxTable.params, identifiers, sql`true`);

      // earlier audit entries: the values go, the entries (who did what, when) stay
      const about = sql`(${auditLogTable.actorUserId} = ${viewer.userId}::uuid
      or (${auditLogTable.entityType} = 'User' and ${auditLogTable.entityId} = ${viewer.userId})
      or (${auditLogTable.entityType} = 'Merchant' and ${auditLogTable.entityId} = any(${sql.param(ids)}::text[]))
      or (${auditLogTable.entityType} = 'Membership'
        and ${auditLogTable.entityId} = any(${sql.param(membershipIds)}::text[]))
      or (${auditLogTable.entityType} = 'Invite'
        and ${auditLogTable.entityId} = any(${sql.param(invites.map((i) => i.id))}::text[])))`;
      for (const column of [auditLogTable.before, auditLogTable.after]) {
        await scrubJson(tx, auditLogTable, column, everything, about);
        await scrubJson(tx, auditLogTable, column, identifiers, sql`not ${about}`);
      }
      await recordAudit(tx, {
        actorUserId: viewer.userId,
        chamberId: null,
        action: "privacy:erase",
        entityType: "Merchant",
        entityId: merchantId,
        after: { profiles: ids.length, membershipsEnded: ended.length, sessionsRevoked: revoked.length },
      });
      return revoked;
    }),
  );
  for (const s of revokedSessions) ctx.events.publish({ topic: "session:revoked", sessionId: s.id });
  announceRolesChanged(ctx, [merchantId]);
}

const isValue = (v: string | null | undefined): v is string => typeof v === "string" && v.length > 0;

/** Replaces the values inside a jsonb column's text, on the rows (matching `where`) that hold any of them. */
async function scrubJson(tx: Executor, table: PgTable, column: AnyPgColumn, values: readonly string[], where: SQL) {
  if (!values.length) return;
  const escaped = values.map(inJsonText);
  const text = sql`${column}::text`;
  await tx.execute(
    sql`update ${table} set ${sql.identifier(column.name)} = ${scrubbed(text, escaped)}::jsonb
      where ${column} is not null and ${where} and ${holdsAny(text, escaped)}`,
  );
}
