// Finding profiles that are probably the same person, and merging two into one without losing a
// membership, company, lead or response. Old global IDs keep resolving, to the surviving profile.
import {
  asSystem,
  companyTable,
  duesPaymentTable,
  type Executor,
  leadResponseTable,
  leadTable,
  type MembershipLevel,
  type MembershipRow,
  type MembershipStatus,
  type MerchantRow,
  membershipNoteTable,
  membershipTable,
  merchantTable,
  userTable,
} from "@wz/db";
import { and, eq, inArray, isNull, type SQL, sql } from "drizzle-orm";
import { recordAudit } from "../audit/audit-log";
import { todayIso } from "../dates";
import { ErrorCollector } from "../errors";
import { announceRolesChanged } from "../events/domain-events";
import { effectiveMembershipStatus } from "../membership/membership-status";
import { msg } from "../messages";
import type { ServiceContext } from "../service-context";
import { isUuid } from "../validation";

export const duplicateReasons = [
  "SAME_MOBILE",
  "SAME_EMAIL",
  "SAME_CREDIT_CODE",
  "SAME_NAME_HOMETOWN_COMPANY",
] as const;
export type DuplicateReason = (typeof duplicateReasons)[number];

export interface DuplicatePair {
  merchantIds: [string, string];
  reasons: DuplicateReason[];
}

function rowsOf<T>(result: unknown): T[] {
  // postgres.js returns the rows themselves, PGlite an object holding them.
  return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
}

/**
 * Pairs of live profiles that look like one person, ordered by (id, id), from `after`. With a chamber:
 * only that chamber's members (its secretaries or federation staff); without: everyone (federation staff).
 */
/** Checks who may ask, and returns the SQL of every (a, b, reason) row in scope. */
function duplicatePairsSql(ctx: ServiceContext, chamberId: string | null): SQL | null {
  if (chamberId !== null) ctx.permissions.assertPerformAction("merchant:duplicates", { chamberId });
  else ctx.permissions.assertPerformAction("merchant:duplicates-all");
  if (chamberId !== null && !isUuid(chamberId)) return null; // a malformed id reads as a chamber with no members
  const scope = chamberId
    ? sql`and m.id in (
        select merchant_id from membership where chamber_id = ${chamberId} and status not in ('REJECTED', 'LEFT')
      )`
    : sql``;
  return sql`
    with live as (
      select m.id, m.name, m.hometown_district, regexp_replace(m.mobile, '^\\+86', '') as mobile,
        lower(m.email) as email
      from merchant m where m.merged_into_id is null and m.erased_at is null ${scope}
    ), pairs as (
      select a.id as a, b.id as b, 'SAME_MOBILE' as reason
      from live a join live b on a.mobile = b.mobile and a.id < b.id
      union all
      select a.id, b.id, 'SAME_EMAIL'
      from live a join live b on a.email = b.email and a.id < b.id
      union all
      select a.id, b.id, 'SAME_CREDIT_CODE' from live a
        join company ca on ca.merchant_id = a.id
        join company cb on cb.credit_code = ca.credit_code
        join live b on b.id = cb.merchant_id and a.id < b.id
      union all
      select a.id, b.id, 'SAME_NAME_HOMETOWN_COMPANY' from live a
        join live b on a.name = b.name and a.hometown_district = b.hometown_district and a.id < b.id
        where exists (select 1 from company ca join company cb on lower(ca.name) = lower(cb.name)
                      where ca.merchant_id = a.id and cb.merchant_id = b.id)
    )`;
}

/**
 * Pairs of live profiles that look like one person, ordered by (id, id), from `after`. With a chamber:
 * only that chamber's members (its secretaries or federation staff); without: everyone (federation staff).
 */
export async function findPossibleDuplicates(
  ctx: ServiceContext,
  options: { chamberId?: string | null | undefined; after?: [string, string] | null | undefined; limit: number },
): Promise<DuplicatePair[]> {
  const pairs = duplicatePairsSql(ctx, options.chamberId ?? null);
  if (!pairs) return [];
  const after =
    options.after && isUuid(options.after[0]) && isUuid(options.after[1])
      ? sql`where (p.a, p.b) > (${options.after[0]}::uuid, ${options.after[1]}::uuid)`
      : sql``;
  const result = await ctx.db.execute(sql`${pairs}
    select p.a::text as a, p.b::text as b, array_agg(distinct p.reason order by p.reason) as reasons
    from pairs p ${after} group by p.a, p.b order by p.a, p.b limit ${options.limit}`);
  return rowsOf<{ a: string; b: string; reasons: DuplicateReason[] | string }>(result).map((r) => ({
    merchantIds: [r.a, r.b],
    // PGlite may hand back an array literal as text.
    reasons: (Array.isArray(r.reasons) ? r.reasons : r.reasons.replace(/^\{|\}$/g, "").split(",")) as DuplicateReason[],
  }));
}

export async function countPossibleDuplicates(
  ctx: ServiceContext,
  options: { chamberId?: string | null | undefined },
): Promise<number> {
  const pairs = duplicatePairsSql(ctx, options.chamberId ?? null);
  if (!pairs) return 0;
  const [row] = rowsOf<{ n: number | string }>(
    await ctx.db.execute(sql`${pairs} select count(distinct (p.a, p.b)) as n from pairs p`),
  );
  return Number(row?.n ?? 0);
}

const statusRank: Record<MembershipStatus, number> = {
  ACTIVE: 0,
  LAPSED: 1,
  SUSPENDED: 2,
  APPLIED: 3,
  LEFT: 4,
  REJECTED: 5,
};
const levelRank: Record<MembershipLevel, number> = {
  PRESIDENT: 0,
  EXECUTIVE_VICE_PRESIDENT: 1,
  VICE_PRESIDENT: 2,
  STANDING_DIRECTOR: 3,
  DIRECTOR: 4,
  MEMBER: 5,
};

/** Of two memberships of one chamber, the one to keep: live over lapsed, higher level, later expiry, earlier join. */
export function betterMembership(a: MembershipRow, b: MembershipRow, today = todayIso()): MembershipRow {
  const score = (m: MembershipRow) => [
    statusRank[effectiveMembershipStatus(m, today)],
    levelRank[m.level],
    m.expiresOn ? -Number(m.expiresOn.replaceAll("-", "")) : 0,
    m.joinedOn ? Number(m.joinedOn.replaceAll("-", "")) : 99999999,
  ];
  const [sa, sb] = [score(a), score(b)];
  for (let i = 0; i < sa.length; i++) if (sa[i] !== sb[i]) return sa[i]! < sb[i]! ? a : b;
  return a;
}

async function lockLive(tx: Executor, id: string): Promise<MerchantRow | null> {
  const [row] = await tx
    .select()
    .from(merchantTable)
    // an erased profile is never merged (nothing may be put back into it, nor it into someone)
    .where(and(eq(merchantTable.id, id), isNull(merchantTable.mergedIntoId), isNull(merchantTable.erasedAt)))
    .for("update");
  return row ?? null;
}

export interface MergeResult {
  survivor: MerchantRow;
  /** Chambers where both had a membership: the one kept and the one folded into it. */
  membershipConflicts: { chamberId: string; keptMembershipId: string; removedMembership: MembershipRow }[];
}

/** Federation staff fold `mergedId` into `survivorId`; every reference follows, nothing is lost. */
export async function mergeMerchants(
  ctx: ServiceContext,
  input: { survivorId: string; mergedId: string },
): Promise<MergeResult> {
  const viewer = ctx.permissions.assertPerformAction("merchant:merge");
  const errors = new ErrorCollector();
  if (!isUuid(input.survivorId)) errors.add(["survivorId"], msg("merchant.notFound"), "NOT_FOUND");
  if (!isUuid(input.mergedId)) errors.add(["mergedId"], msg("merchant.notFound"), "NOT_FOUND");
  if (errors.ok && input.survivorId === input.mergedId) errors.add(["mergedId"], msg("merchant.mergeIntoItself"));
  errors.throwIfAny();
  // a merge moves the pair's rows in every chamber (memberships, dues, notes, leads, answers): after the permission
  // check, in the system's scope
  const result = await asSystem(() =>
    ctx.db.transaction(async (tx) => {
      // Lock in id order so two concurrent merges of the same pair cannot deadlock.
      const [firstId, secondId] = [input.survivorId, input.mergedId].sort() as [string, string];
      const locked = new Map<string, MerchantRow | null>([
        [firstId, await lockLive(tx, firstId)],
        [secondId, await lockLive(tx, secondId)],
      ]);
      const survivor = locked.get(input.survivorId) ?? null;
      const merged = locked.get(input.mergedId) ?? null;
      const missing = new ErrorCollector();
      if (!survivor) missing.add(["survivorId"], msg("merchant.notFoundOrMerged"), "NOT_FOUND");
      if (!merged) missing.add(["mergedId"], msg("merchant.notFoundOrMerged"), "NOT_FOUND");
      missing.throwIfAny();
      const s = survivor!;
      const m = merged!;

      // Memberships: one per chamber. Where both have one, keep the better and fold the other's dues and notes into it.
      const memberships = await tx
        .select()
        .from(membershipTable)
        .where(inArray(membershipTable.merchantId, [s.id, m.id]));
      const conflicts: MergeResult["membershipConflicts"] = [];
      for (const mine of memberships.filter((x) => x.merchantId === m.id)) {
        const theirs = memberships.find((x) => x.merchantId === s.id && x.chamberId === mine.chamberId);
        if (!theirs) continue;
        const keep = betterMembership(theirs, mine);
        const drop = keep === theirs ? mine : theirs;
        const at = and(eq(duesPaymentTable.chamberId, drop.chamberId), eq(duesPaymentTable.membershipId, drop.id));
        await tx.update(duesPaymentTable).set({ membershipId: keep.id }).where(at);
        await tx
          .update(membershipNoteTable)
          .set({ membershipId: keep.id })
          .where(and(eq(membershipNoteTable.chamberId, drop.chamberId), eq(membershipNoteTable.membershipId, drop.id)));
        await tx
          .delete(membershipTable)
          .where(and(eq(membershipTable.chamberId, drop.chamberId), eq(membershipTable.id, drop.id)));
        conflicts.push({ chamberId: drop.chamberId, keptMembershipId: keep.id, removedMembership: drop });
        await recordAudit(tx, {
          actorUserId: viewer.userId,
          chamberId: drop.chamberId,
          action: "membership:merge",
          entityType: "Membership",
          entityId: keep.id,
          before: { kept: keep, removed: drop },
          after: { kept: { ...keep, merchantId: s.id } },
        });
      }
      await tx
        .update(membershipTable)
        .set({ merchantId: s.id, updatedAt: new Date() })
        .where(eq(membershipTable.merchantId, m.id));
      await tx
        .update(companyTable)
        .set({ merchantId: s.id, updatedAt: new Date() })
        .where(eq(companyTable.merchantId, m.id));
      await tx.update(leadTable).set({ postedByMerchantId: s.id }).where(eq(leadTable.postedByMerchantId, m.id));
      await tx
        .update(leadResponseTable)
        .set({ responderMerchantId: s.id })
        .where(eq(leadResponseTable.responderMerchantId, m.id));
      await tx
        .update(leadResponseTable)
        .set({ referredMerchantId: s.id })
        .where(eq(leadResponseTable.referredMerchantId, m.id));
      await tx.update(userTable).set({ merchantId: s.id }).where(eq(userTable.merchantId, m.id));
      // Profiles merged into the loser earlier now point straight at the survivor.
      await tx.update(merchantTable).set({ mergedIntoId: s.id }).where(eq(merchantTable.mergedIntoId, m.id));

      // The loser is merged before the survivor takes its tags, so two leading geese merging into one never count
      // as three against the cap of 100 (the database's check, see leading-geese/goose-service.ts).
      await tx
        .update(merchantTable)
        .set({ mergedIntoId: s.id, updatedAt: new Date() })
        .where(eq(merchantTable.id, m.id));
      // The survivor keeps its own values and takes the loser's where it has none.
      const [updated] = await tx
        .update(merchantTable)
        .set({
          nameLatin: s.nameLatin ?? m.nameLatin,
          hometownDistrict: s.hometownDistrict ?? m.hometownDistrict,
          provinceCode: s.provinceCode ?? m.provinceCode,
          city: s.city ?? m.city,
          tags: [...new Set([...s.tags, ...m.tags])],
          mobile: s.mobile ?? m.mobile,
          mobileVisibility: s.mobile ? s.mobileVisibility : m.mobileVisibility,
          landline: s.landline ?? m.landline,
          landlineVisibility: s.landline ? s.landlineVisibility : m.landlineVisibility,
          email: s.email ?? m.email,
          emailVisibility: s.email ? s.emailVisibility : m.emailVisibility,
          wechat: s.wechat ?? m.wechat,
          wechatVisibility: s.wechat ? s.wechatVisibility : m.wechatVisibility,
          updatedAt: new Date(),
        })
        .where(eq(merchantTable.id, s.id))
        .returning();
      await recordAudit(tx, {
        actorUserId: viewer.userId,
        chamberId: null,
        action: "merchant:merge",
        entityType: "Merchant",
        entityId: s.id,
        before: { survivor: s, merged: m },
        after: {
          survivor: updated,
          mergedId: m.id,
          membershipConflicts: conflicts.map((c) => ({
            chamberId: c.chamberId,
            keptMembershipId: c.keptMembershipId,
            removedMembershipId: c.removedMembership.id,
          })),
        },
      });
      return { survivor: updated!, membershipConflicts: conflicts };
    }),
  );
  announceRolesChanged(ctx, [input.survivorId, input.mergedId]);
  return result;
}
