// Sign-in, sign-out, invitations and the first administrator.

import {
  type ChamberRoleKind,
  chamberRoleTable,
  chamberTable,
  type Database,
  type Executor,
  inviteTable,
  type Locale,
  locales,
  membershipTable,
  merchantTable,
  sessionTable,
  userTable,
} from "@wz/db";
import { and, eq, gt, isNull, sql } from "drizzle-orm";
import { recordAudit } from "../audit/audit-log";
import { todayIso } from "../dates";
import { ErrorCollector, UserInputError } from "../errors";
import type { EventPublisher } from "../events/domain-events";
import { announceMailQueued, asLocale, enqueueMail } from "../mail/outbox";
import { msg } from "../messages";
import type { CoreSettings, ServiceContext } from "../service-context";
import { emailProblem, isUuid, normalizeEmail, requiredText } from "../validation";
import { hashPassword, PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH, verifyPassword } from "./passwords";
import { hashToken, newToken } from "./tokens";

export interface SignedIn {
  token: string;
  userId: string;
  expiresAt: Date;
}

async function startSession(db: Executor, userId: string, settings: CoreSettings): Promise<SignedIn> {
  const token = newToken();
  const expiresAt = new Date(Date.now() + settings.sessionTtlMs);
  await db.insert(sessionTable).values({ userId, tokenHash: hashToken(token), expiresAt });
  return { token, userId, expiresAt };
}

export async function login(
  db: Database,
  settings: CoreSettings,
  input: { email: string; password: string },
): Promise<SignedIn> {
  const email = normalizeEmail(input.email);
  const [user] = await db
    .select({ id: userTable.id, passwordHash: userTable.passwordHash, disabledAt: userTable.disabledAt })
    .from(userTable)
    .where(sql`lower(${userTable.email}) = ${email}`)
    .limit(1);
  const ok = await verifyPassword(user?.passwordHash ?? null, input.password);
  if (!user || !ok || user.disabledAt) {
    // One message for an unknown email and a wrong password: sign-in must not reveal who has an account.
    throw UserInputError.of("INVALID", null, msg("auth.wrongPassword"));
  }
  return startSession(db, user.id, settings);
}

/**
 * Revokes the session behind the token (and, through the event, closes its WebSockets). False when there was no
 * live session.
 */
export async function logout(db: Database, events: EventPublisher, token: string | null | undefined): Promise<boolean> {
  if (!token) return false;
  const rows = await db
    .update(sessionTable)
    .set({ revokedAt: new Date() })
    .where(and(eq(sessionTable.tokenHash, hashToken(token)), isNull(sessionTable.revokedAt)))
    .returning({ id: sessionTable.id });
  for (const row of rows) events.publish({ topic: "session:revoked", sessionId: row.id });
  return rows.length > 0;
}

function checkPassword(errors: ErrorCollector, password: string, field: string[]): void {
  if (password.length < PASSWORD_MIN_LENGTH)
    errors.add(field, msg("auth.passwordTooShort", { min: PASSWORD_MIN_LENGTH }));
  else if (password.length > PASSWORD_MAX_LENGTH)
    errors.add(field, msg("auth.passwordTooLong", { max: PASSWORD_MAX_LENGTH }));
  // ten spaces (or ten NULs, or tabs) are as easy to guess as none
  else if (/^[\s\p{Cc}]*$/u.test(password)) errors.add(field, msg("auth.passwordBlank"));
}

export interface InviteUserInput {
  email: string;
  displayName: string;
  chamberId: string;
  role: ChamberRoleKind;
  /** The invitation mail's language for someone without an account (an account's own language wins). */
  locale?: Locale | null | undefined;
}

/** Creates the invitation and, in the same transaction, queues its mail (with the code) to the invitee. */
export async function inviteUser(
  ctx: ServiceContext,
  input: InviteUserInput,
): Promise<{ inviteToken: string; inviteId: string }> {
  // Chambers are public: an unknown one is NOT_FOUND for everyone, another's is FORBIDDEN.
  ctx.permissions.requireViewer();
  const notFound = () => UserInputError.of("NOT_FOUND", ["chamberId"], msg("chamber.notFound"));
  if (!isUuid(input.chamberId)) throw notFound();
  const [known] = await ctx.db
    .select({ id: chamberTable.id })
    .from(chamberTable)
    .where(eq(chamberTable.id, input.chamberId));
  if (!known) throw notFound();
  const scope = { chamberId: input.chamberId };
  const viewer = ctx.permissions.assertPerformAction(
    input.role === "SECRETARY" ? "secretary:invite" : "user:invite",
    scope,
  );
  const errors = new ErrorCollector();
  const emailError = emailProblem(input.email);
  if (emailError) errors.add(["email"], emailError);
  const nameError = requiredText(input.displayName, msg("auth.displayNameLabel"), 100);
  if (nameError) errors.add(["displayName"], nameError);
  errors.throwIfAny();
  const email = normalizeEmail(input.email);

  const result = await ctx.db.transaction(async (tx) => {
    const [chamber] = await tx
      .select({ id: chamberTable.id, name: chamberTable.name, nameEn: chamberTable.nameEn })
      .from(chamberTable)
      .where(eq(chamberTable.id, input.chamberId));
    if (!chamber) throw notFound();
    const [existing] = await tx
      .select({ id: userTable.id, locale: userTable.locale })
      .from(userTable)
      .where(sql`lower(${userTable.email}) = ${email}`);
    if (existing && input.role === "SECRETARY") {
      const [role] = await tx
        .select()
        .from(chamberRoleTable)
        .where(
          and(
            eq(chamberRoleTable.userId, existing.id),
            eq(chamberRoleTable.chamberId, input.chamberId),
            eq(chamberRoleTable.role, "SECRETARY"),
          ),
        );
      if (role) throw UserInputError.of("CONFLICT", ["email"], msg("auth.alreadySecretary"));
    }
    const locale = existing ? asLocale(existing.locale) : (input.locale ?? (await profileLocale(tx, email)));
    const inviteToken = newToken();
    const expiresAt = new Date(Date.now() + ctx.settings.inviteTtlMs);
    const displayName = input.displayName.trim();
    const [invite] = await tx
      .insert(inviteTable)
      .values({
        chamberId: input.chamberId,
        tokenHash: hashToken(inviteToken),
        email,
        displayName,
        role: input.role,
        locale,
        invitedBy: viewer.userId,
        expiresAt,
      })
      .returning({ id: inviteTable.id });
    if (!invite) throw new Error("invite insert returned nothing");
    await enqueueMail(tx, {
      dedupeKey: `invite:${invite.id}`,
      recipient: email,
      locale,
      template: "invitation",
      params: {
        chamberName: chamber.name,
        chamberNameEn: chamber.nameEn,
        displayName,
        inviterName: viewer.displayName,
        role: input.role,
        inviteToken,
        expiresOn: todayIso(expiresAt),
      },
      chamberId: chamber.id,
    });
    await recordAudit(tx, {
      actorUserId: viewer.userId,
      chamberId: input.chamberId,
      action: "user:invite",
      entityType: "Invite",
      entityId: invite.id,
      after: { email, role: input.role },
    });
    return { inviteToken, inviteId: invite.id };
  });
  announceMailQueued(ctx, true);
  return result;
}

/** The language of the directory profile with this email, when exactly one live profile has it. */
async function profileLocale(tx: Executor, email: string): Promise<Locale> {
  const matches = await tx
    .select({ locale: merchantTable.locale })
    .from(merchantTable)
    .where(and(sql`lower(${merchantTable.email}) = ${email}`, isNull(merchantTable.mergedIntoId)))
    .limit(2);
  return matches.length === 1 ? asLocale(matches[0]?.locale) : "zh-CN";
}

/**
 * Accepts an invitation: creates the account (or, for an email that already has one, checks its password),
 * grants the role — a SECRETARY role, or for MEMBER an active membership of the inviting chamber — and signs in.
 */
export async function acceptInvite(
  db: Database,
  settings: CoreSettings,
  input: { token: string; password: string },
): Promise<SignedIn> {
  const errors = new ErrorCollector();
  checkPassword(errors, input.password, ["password"]);
  errors.throwIfAny();
  const now = new Date();
  const [invite] = await db
    .select()
    .from(inviteTable)
    .where(
      and(
        eq(inviteTable.tokenHash, hashToken(input.token)),
        isNull(inviteTable.acceptedAt),
        gt(inviteTable.expiresAt, now),
      ),
    )
    .limit(1);
  if (!invite) throw UserInputError.of("NOT_FOUND", ["token"], msg("auth.inviteUnknown"));

  const [existing] = await db.select().from(userTable).where(sql`lower(${userTable.email}) = ${invite.email}`).limit(1);
  if (existing?.passwordHash && !(await verifyPassword(existing.passwordHash, input.password))) {
    throw UserInputError.of("INVALID", ["password"], msg("auth.inviteExistingAccount"));
  }
  const passwordHash = existing?.passwordHash ?? (await hashPassword(input.password));

  return db.transaction(async (tx) => {
    // Claim the invitation first: a second concurrent acceptance finds it taken and changes nothing.
    const claimed = await tx
      .update(inviteTable)
      .set({ acceptedAt: now })
      .where(
        and(eq(inviteTable.chamberId, invite.chamberId), eq(inviteTable.id, invite.id), isNull(inviteTable.acceptedAt)),
      )
      .returning({ id: inviteTable.id });
    if (claimed.length === 0) throw UserInputError.of("CONFLICT", ["token"], msg("auth.inviteUsed"));

    let user = existing;
    if (!user) {
      [user] = await tx
        .insert(userTable)
        .values({ email: invite.email, displayName: invite.displayName, passwordHash, locale: invite.locale })
        .returning();
    }
    if (!user) throw new Error("user insert returned nothing");
    await tx
      .update(inviteTable)
      .set({ acceptedBy: user.id })
      .where(and(eq(inviteTable.chamberId, invite.chamberId), eq(inviteTable.id, invite.id)));

    if (invite.role === "SECRETARY") {
      await tx
        .insert(chamberRoleTable)
        .values({ chamberId: invite.chamberId, userId: user.id, role: "SECRETARY", grantedBy: invite.invitedBy })
        .onConflictDoNothing();
    } else {
      const merchantId = user.merchantId ?? (await ensureMerchantFor(tx, user.id, invite.email, invite.displayName));
      await tx
        .insert(membershipTable)
        .values({
          chamberId: invite.chamberId,
          merchantId,
          status: "ACTIVE",
          level: "MEMBER",
          joinedOn: todayIso(now),
          decidedBy: invite.invitedBy,
          // Accepting a member's invitation is agreeing to the membership (and to any proposal waiting for it).
          consentedAt: now,
        })
        .onConflictDoUpdate({
          target: [membershipTable.chamberId, membershipTable.merchantId],
          set: { status: "ACTIVE", consentedAt: now, updatedAt: now },
          where: sql`${membershipTable.status} = 'APPLIED'`,
        });
    }
    await recordAudit(tx, {
      actorUserId: user.id,
      chamberId: invite.chamberId,
      action: "user:accept-invite",
      entityType: "Invite",
      entityId: invite.id,
      after: { role: invite.role, userId: user.id },
    });
    return startSession(tx, user.id, settings);
  });
}

/** Links the user to a directory profile: the one with the invited email if exactly one exists, else a new one. */
async function ensureMerchantFor(tx: Executor, userId: string, email: string, displayName: string): Promise<string> {
  const matches = await tx
    .select({ id: merchantTable.id })
    .from(merchantTable)
    .where(and(sql`lower(${merchantTable.email}) = ${email}`, isNull(merchantTable.mergedIntoId)))
    .limit(2);
  let merchantId = matches.length === 1 ? matches[0]?.id : undefined;
  if (!merchantId) {
    const [created] = await tx
      .insert(merchantTable)
      .values({ name: displayName, email })
      .returning({ id: merchantTable.id });
    merchantId = created?.id;
  }
  if (!merchantId) throw new Error("merchant insert returned nothing");
  await tx.update(userTable).set({ merchantId }).where(eq(userTable.id, userId));
  return merchantId;
}

/** The viewer's language for mail: their account's, and their directory profile's (mail sent to its email). */
export async function setMyLocale(ctx: ServiceContext, input: { locale: Locale }): Promise<Locale> {
  const viewer = ctx.permissions.requireViewer();
  if (!(locales as readonly string[]).includes(input.locale))
    throw UserInputError.of("INVALID", ["locale"], msg("auth.localeForm"));
  const locale = input.locale;
  await ctx.db.transaction(async (tx) => {
    await tx.update(userTable).set({ locale }).where(eq(userTable.id, viewer.userId));
    if (viewer.merchantId)
      await tx
        .update(merchantTable)
        .set({ locale, updatedAt: new Date() })
        .where(eq(merchantTable.id, viewer.merchantId));
    await recordAudit(tx, {
      actorUserId: viewer.userId,
      chamberId: null,
      action: "user:set-locale",
      entityType: "User",
      entityId: viewer.userId,
      before: { locale: viewer.locale },
      after: { locale },
    });
  });
  return locale;
}

/** Creates (or promotes) a federation administrator; used by `npm run admin:create` and the demo seed. */
export async function createFederationAdmin(
  db: Database,
  input: { email: string; password: string; displayName: string },
): Promise<{ userId: string; created: boolean }> {
  const errors = new ErrorCollector();
  const emailError = emailProblem(input.email);
  if (emailError) errors.add(["email"], emailError);
  checkPassword(errors, input.password, ["password"]);
  errors.throwIfAny();
  const email = normalizeEmail(input.email);
  const passwordHash = await hashPassword(input.password);
  return db.transaction(async (tx) => {
    const [existing] = await tx
      .select({ id: userTable.id })
      .from(userTable)
      .where(sql`lower(${userTable.email}) = ${email}`);
    if (existing) {
      await tx.update(userTable).set({ isFederationStaff: true, passwordHash }).where(eq(userTable.id, existing.id));
      await recordAudit(tx, {
        actorUserId: null,
        chamberId: null,
        action: "user:promote-admin",
        entityType: "User",
        entityId: existing.id,
      });
      return { userId: existing.id, created: false };
    }
    const [user] = await tx
      .insert(userTable)
      .values({ email, displayName: input.displayName, passwordHash, isFederationStaff: true })
      .returning({ id: userTable.id });
    if (!user) throw new Error("user insert returned nothing");
    await recordAudit(tx, {
      actorUserId: null,
      chamberId: null,
      action: "user:create-admin",
      entityType: "User",
      entityId: user.id,
    });
    return { userId: user.id, created: true };
  });
}

/**
 * Federation staff create an account for the city's investment staff (CITY_STAFF), or make an existing account
 * one; used by the demo seed and `grantCityStaff`.
 */
export async function createCityStaffAccount(
  ctx: ServiceContext,
  input: { email: string; password: string; displayName: string },
): Promise<{ userId: string; created: boolean }> {
  const viewer = ctx.permissions.assertPerformAction("user:grant-city-staff");
  const errors = new ErrorCollector();
  const emailError = emailProblem(input.email);
  if (emailError) errors.add(["email"], emailError);
  const nameError = requiredText(input.displayName, msg("auth.displayNameLabel"), 100);
  if (nameError) errors.add(["displayName"], nameError);
  checkPassword(errors, input.password, ["password"]);
  errors.throwIfAny();
  const email = normalizeEmail(input.email);
  const passwordHash = await hashPassword(input.password);
  return ctx.db.transaction(async (tx) => {
    const [existing] = await tx
      .select({ id: userTable.id })
      .from(userTable)
      .where(sql`lower(${userTable.email}) = ${email}`);
    if (existing) throw UserInputError.of("CONFLICT", ["email"], msg("auth.emailTaken"));
    const [user] = await tx
      .insert(userTable)
      .values({ email, displayName: input.displayName.trim(), passwordHash, isCityStaff: true })
      .returning({ id: userTable.id });
    if (!user) throw new Error("user insert returned nothing");
    await recordAudit(tx, {
      actorUserId: viewer.userId,
      chamberId: null,
      action: "user:create-city-staff",
      entityType: "User",
      entityId: user.id,
    });
    return { userId: user.id, created: true };
  });
}

/** Federation staff make an existing account city investment staff, or take that away. */
export async function grantCityStaff(ctx: ServiceContext, input: { userId: string; granted: boolean }) {
  const viewer = ctx.permissions.assertPerformAction("user:grant-city-staff");
  return ctx.db.transaction(async (tx) => {
    const [before] = isUuid(input.userId)
      ? await tx
          .select({ id: userTable.id, cityStaff: userTable.isCityStaff })
          .from(userTable)
          .where(eq(userTable.id, input.userId))
      : [];
    if (!before) throw UserInputError.of("NOT_FOUND", ["userId"], msg("auth.userNotFound"));
    await tx.update(userTable).set({ isCityStaff: input.granted }).where(eq(userTable.id, before.id));
    await recordAudit(tx, {
      actorUserId: viewer.userId,
      chamberId: null,
      action: "user:grant-city-staff",
      entityType: "User",
      entityId: before.id,
      before: { isCityStaff: before.cityStaff },
      after: { isCityStaff: input.granted },
    });
    return { userId: before.id };
  });
}
