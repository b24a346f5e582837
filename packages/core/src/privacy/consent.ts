// Consent before listing (PIPL Arts. 13-17): the versioned privacy notice, each merchant's agreement to it and its
// withdrawal. `merchant.listed` is the fact the listing rule (directory/visibility.ts) reads: true exactly while the
// merchant's last agreement is to the current notice and was not withdrawn. Publishing a new version unlists
// everyone until they agree again; memberships are never touched.
import {
  type Executor,
  merchantTable,
  type PrivacyConsentAction,
  type PrivacyNoticeRow,
  privacyConsentTable,
  privacyNoticeTable,
} from "@wz/db";
import { and, desc, eq, inArray, sql } from "drizzle-orm";
import { recordAudit } from "../audit/audit-log";
import { UserInputError } from "../errors";
import { msg } from "../messages";
import type { ServiceContext } from "../service-context";

export interface PrivacyConsentState {
  merchantId: string;
  /** Found in the federation directory outside the merchant's own chambers. */
  listed: boolean;
  /** The notice version last agreed to; null before any agreement or after withdrawing. */
  agreedVersion: number | null;
  /** When that agreement was given. */
  agreedAt: Date | null;
  currentVersion: number;
}

/** Publishing and agreeing take turns: an agreement is never recorded to a notice that just stopped being current. */
const lockNotices = (tx: Executor) => tx.execute(sql`select pg_advisory_xact_lock(hashtext('privacy_notice'))`);

/** The current privacy notice: the highest version (migration 0013 publishes the first). */
export async function currentPrivacyNotice(db: Executor): Promise<PrivacyNoticeRow> {
  const [row] = await db.select().from(privacyNoticeTable).orderBy(desc(privacyNoticeTable.version)).limit(1);
  if (!row) throw new Error("no privacy notice: migration 0013 publishes the first");
  return row;
}

/** Notices by version (public), in the order asked for; null for a version never published. */
export async function privacyNoticesByVersions(
  db: Executor,
  versions: readonly number[],
): Promise<(PrivacyNoticeRow | null)[]> {
  const valid = [...new Set(versions.filter((v) => Number.isSafeInteger(v)))];
  const rows = valid.length
    ? await db.select().from(privacyNoticeTable).where(inArray(privacyNoticeTable.version, valid))
    : [];
  return versions.map((v) => rows.find((r) => r.version === v) ?? null);
}

async function consentState(db: Executor, merchantId: string): Promise<PrivacyConsentState | null> {
  const [row] = await db
    .select({
      listed: merchantTable.listed,
      agreedVersion: merchantTable.agreedNoticeVersion,
      erasedAt: merchantTable.erasedAt,
      currentVersion: sql<number>`(select max(${privacyNoticeTable.version}) from ${privacyNoticeTable})`.mapWith(
        Number,
      ),
    })
    .from(merchantTable)
    .where(eq(merchantTable.id, merchantId));
  if (!row || row.erasedAt) return null;
  const [agreement] =
    row.agreedVersion === null
      ? []
      : await db
          .select({ at: privacyConsentTable.at })
          .from(privacyConsentTable)
          .where(
            and(
              eq(privacyConsentTable.merchantId, merchantId),
              eq(privacyConsentTable.action, "AGREED"),
              eq(privacyConsentTable.noticeVersion, row.agreedVersion),
            ),
          )
          .orderBy(desc(privacyConsentTable.at))
          .limit(1);
  return {
    merchantId,
    listed: row.listed,
    agreedVersion: row.agreedVersion,
    agreedAt: agreement?.at ?? null,
    currentVersion: row.currentVersion,
  };
}

/** The signed-in merchant's consent; null when not signed in or the account has no merchant profile. */
export async function myPrivacyConsent(ctx: ServiceContext): Promise<PrivacyConsentState | null> {
  const merchantId = ctx.permissions.merchantId;
  return merchantId ? consentState(ctx.db, merchantId) : null;
}

function requireMerchant(ctx: ServiceContext): { userId: string; merchantId: string } {
  const viewer = ctx.permissions.requireViewer();
  if (!viewer.merchantId) throw UserInputError.of("NOT_FOUND", null, msg("privacy.noProfile"));
  return { userId: viewer.userId, merchantId: viewer.merchantId };
}

/**
 * Records an agreement (listing the merchant under that version) or a withdrawal (unlisting them), with its
 * audit entry, and answers the consent as it now stands.
 */
async function recordConsent(
  tx: Executor,
  who: { userId: string; merchantId: string },
  action: PrivacyConsentAction,
  noticeVersion: number,
  before: PrivacyConsentState,
): Promise<PrivacyConsentState> {
  const agreed = action === "AGREED";
  await tx.insert(privacyConsentTable).values({ merchantId: who.merchantId, action, noticeVersion });
  await tx
    .update(merchantTable)
    .set({ listed: agreed, agreedNoticeVersion: agreed ? noticeVersion : null, updatedAt: new Date() })
    .where(eq(merchantTable.id, who.merchantId));
  await recordAudit(tx, {
    actorUserId: who.userId,
    chamberId: null,
    action: agreed ? "privacy:agree" : "privacy:withdraw",
    entityType: "Merchant",
    entityId: who.merchantId,
    before: { noticeVersion: before.agreedVersion },
    after: { noticeVersion: agreed ? noticeVersion : null },
  });
  return (await consentState(tx, who.merchantId))!;
}

/** The merchant agrees to the notice version they read; a version that is no longer current is refused. */
export async function agreeToPrivacyNotice(
  ctx: ServiceContext,
  input: { version: number },
): Promise<PrivacyConsentState> {
  const { userId, merchantId } = requireMerchant(ctx);
  return ctx.db.transaction(async (tx) => {
    await lockNotices(tx);
    const current = await currentPrivacyNotice(tx);
    if (input.version !== current.version)
      throw UserInputError.of(
        "CONFLICT",
        ["version"],
        msg("privacy.noticeStale", { version: String(input.version), current: String(current.version) }),
      );
    const state = await consentState(tx, merchantId);
    if (!state) throw UserInputError.of("NOT_FOUND", null, msg("privacy.noProfile"));
    if (state.listed && state.agreedVersion === current.version) return state;
    return recordConsent(tx, { userId, merchantId }, "AGREED", current.version, state);
  });
}

/**
 * The merchant withdraws their consent: at once out of the federation directory (found only inside their
 * chambers again), memberships unchanged.
 */
export async function withdrawPrivacyConsent(ctx: ServiceContext): Promise<PrivacyConsentState> {
  const { userId, merchantId } = requireMerchant(ctx);
  return ctx.db.transaction(async (tx) => {
    await lockNotices(tx);
    const state = await consentState(tx, merchantId);
    if (!state) throw UserInputError.of("NOT_FOUND", null, msg("privacy.noProfile"));
    if (state.agreedVersion === null) throw UserInputError.of("INVALID", null, msg("privacy.notAgreed"));
    return recordConsent(tx, { userId, merchantId }, "WITHDRAWN", state.currentVersion, state);
  });
}

/**
 * Federation staff publish a new version of the notice: it becomes current, and every merchant leaves the
 * federation directory until they agree to it (their memberships, and their chambers' view of them, stay).
 */
export async function publishPrivacyNotice(
  ctx: ServiceContext,
  input: { textZhCn: string; textEn: string },
): Promise<PrivacyNoticeRow> {
  const viewer = ctx.permissions.assertPerformAction("privacy:publish-notice");
  const textZhCn = input.textZhCn.trim();
  const textEn = input.textEn.trim();
  if (!textZhCn) throw UserInputError.of("INVALID", ["textZhCn"], msg("privacy.noticeTextRequired"));
  if (!textEn) throw UserInputError.of("INVALID", ["textEn"], msg("privacy.noticeTextRequired"));
  return ctx.db.transaction(async (tx) => {
    await lockNotices(tx);
    const current = await currentPrivacyNotice(tx);
    const [row] = await tx
      .insert(privacyNoticeTable)
      .values({ version: current.version + 1, textZhCn, textEn, publishedBy: viewer.userId })
      .returning();
    await tx.update(merchantTable).set({ listed: false, updatedAt: new Date() }).where(eq(merchantTable.listed, true));
    await recordAudit(tx, {
      actorUserId: viewer.userId,
      chamberId: null,
      action: "privacy:publish-notice",
      entityType: "PrivacyNotice",
      entityId: String(row!.version),
      after: { version: row!.version },
    });
    return row!;
  });
}
