// The hundred leading geese (百名领头雁工程): city staff tag at most 100 merchants LEADING_GOOSE, mark city leaders
// among themselves, link each goose to exactly one leader and each leader to 2–3 geese (挂钩联系), and log every
// contact (visit, call, meeting; notes for city staff only; projects discussed). The cap of 100 is kept by the
// database whatever path sets the tag (migration 0015's trigger); here its refusal becomes a clear userError.
import {
  type Executor,
  type GooseContactKind,
  type GooseContactRow,
  gooseContactTable,
  gooseLiaisonTable,
  investmentProjectTable,
  type MerchantRow,
  merchantTable,
  userTable,
} from "@wz/db";
import { and, count, eq, inArray, isNull, sql } from "drizzle-orm";
import { recordAudit } from "../audit/audit-log";
import { isIsoDate } from "../dates";
import { UserInputError } from "../errors";
import { hasSqlState } from "../membership/membership-access";
import { msg } from "../messages";
import type { ServiceContext } from "../service-context";
import { isUuid } from "../validation";

export const LEADING_GOOSE_CAP = 100;
/** Each city leader is linked to this many geese (挂钩联系 2–3). */
export const GEESE_PER_LEADER = { min: 2, max: 3 } as const;

/** The database's refusal of the 101st goose (SQLSTATE WZ100, migration 0015's trigger). */
export function isLeadingGooseCapError(error: unknown): boolean {
  return hasSqlState(error, "WZ100");
}

/** Runs a write that may tag a goose; the 101st becomes a CONFLICT on `field`, and nothing is changed. */
export async function refusingGooseCap<T>(field: string[], write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (isLeadingGooseCapError(error))
      throw UserInputError.of("CONFLICT", field, msg("goose.capReached", { max: LEADING_GOOSE_CAP }));
    throw error;
  }
}

async function liveMerchantForChange(tx: Executor, merchantId: string): Promise<MerchantRow> {
  const [row] = isUuid(merchantId)
    ? await tx
        .select()
        .from(merchantTable)
        .where(and(eq(merchantTable.id, merchantId), isNull(merchantTable.mergedIntoId)))
        .for("update")
    : [];
  if (!row) throw UserInputError.of("NOT_FOUND", ["merchantId"], msg("merchant.notFound"));
  return row;
}

/** City staff tag a merchant as a leading goose, or take the tag away (with the goose's link to its leader). */
export async function setLeadingGoose(
  ctx: ServiceContext,
  input: { merchantId: string; leadingGoose: boolean },
): Promise<MerchantRow> {
  const viewer = ctx.permissions.assertPerformAction("goose:manage");
  return refusingGooseCap(["merchantId"], () =>
    ctx.db.transaction(async (tx) => {
      const before = await liveMerchantForChange(tx, input.merchantId);
      const tags = before.tags.filter((t) => t !== "LEADING_GOOSE");
      if (input.leadingGoose) tags.push("LEADING_GOOSE");
      const [row] = await tx
        .update(merchantTable)
        .set({ tags, updatedAt: new Date() })
        .where(eq(merchantTable.id, before.id))
        .returning();
      if (!input.leadingGoose) await tx.delete(gooseLiaisonTable).where(eq(gooseLiaisonTable.merchantId, before.id));
      await recordAudit(tx, {
        actorUserId: viewer.userId,
        chamberId: null,
        action: "goose:tag",
        entityType: "Merchant",
        entityId: before.id,
        before: { tags: before.tags },
        after: { tags },
      });
      return row!;
    }),
  );
}

/** City staff mark one of their own (CITY_STAFF) as a city leader (市领导), or unmark them (their links go too). */
export async function setCityLeader(
  ctx: ServiceContext,
  input: { userId: string; leader: boolean },
): Promise<{ userId: string }> {
  const viewer = ctx.permissions.assertPerformAction("goose:manage");
  return ctx.db.transaction(async (tx) => {
    const [user] = isUuid(input.userId)
      ? await tx
          .select({ id: userTable.id, city: userTable.isCityStaff, leader: userTable.isCityLeader })
          .from(userTable)
          .where(and(eq(userTable.id, input.userId), isNull(userTable.disabledAt)))
          .for("update")
      : [];
    if (!user) throw UserInputError.of("NOT_FOUND", ["userId"], msg("auth.userNotFound"));
    if (input.leader && !user.city) throw UserInputError.of("INVALID", ["userId"], msg("goose.notCityStaff"));
    await tx.update(userTable).set({ isCityLeader: input.leader }).where(eq(userTable.id, user.id));
    if (!input.leader) await tx.delete(gooseLiaisonTable).where(eq(gooseLiaisonTable.leaderUserId, user.id));
    await recordAudit(tx, {
      actorUserId: viewer.userId,
      chamberId: null,
      action: "goose:leader",
      entityType: "User",
      entityId: user.id,
      before: { isCityLeader: user.leader },
      after: { isCityLeader: input.leader },
    });
    return { userId: user.id };
  });
}

/** The city leader for a link or a contact: a live CITY_STAFF account with the leader flag, locked. */
async function leaderForChange(tx: Executor, userId: string, field: string[]) {
  const [leader] = isUuid(userId)
    ? await tx
        .select({ id: userTable.id, leader: userTable.isCityLeader, city: userTable.isCityStaff })
        .from(userTable)
        .where(and(eq(userTable.id, userId), isNull(userTable.disabledAt)))
        .for("update")
    : [];
  if (!leader) throw UserInputError.of("NOT_FOUND", field, msg("auth.userNotFound"));
  if (!leader.leader || !leader.city) throw UserInputError.of("INVALID", field, msg("goose.notLeader"));
  return leader;
}

/**
 * Links a goose to its one city leader (moving it from another leader, if it had one). A leader already linked to
 * three geese takes no fourth: the leader's row is locked, so two links racing for the last place cannot both win.
 */
export async function linkGooseToLeader(
  ctx: ServiceContext,
  input: { merchantId: string; leaderUserId: string; since: string },
): Promise<{ merchantId: string; leaderUserId: string }> {
  const viewer = ctx.permissions.assertPerformAction("goose:manage");
  if (!isIsoDate(input.since)) throw UserInputError.of("INVALID", ["since"], msg("investment.dateForm"));
  return ctx.db.transaction(async (tx) => {
    const goose = await liveMerchantForChange(tx, input.merchantId);
    if (!goose.tags.includes("LEADING_GOOSE"))
      throw UserInputError.of("INVALID", ["merchantId"], msg("goose.notGoose"));
    const leader = await leaderForChange(tx, input.leaderUserId, ["leaderUserId"]);
    const [before] = await tx.select().from(gooseLiaisonTable).where(eq(gooseLiaisonTable.merchantId, goose.id));
    if (before?.leaderUserId !== leader.id) {
      const [linked] = await tx
        .select({ n: count() })
        .from(gooseLiaisonTable)
        .innerJoin(merchantTable, eq(merchantTable.id, gooseLiaisonTable.merchantId))
        .where(
          and(
            eq(gooseLiaisonTable.leaderUserId, leader.id),
            isNull(merchantTable.mergedIntoId),
            sql`'LEADING_GOOSE' = any(${merchantTable.tags})`,
          ),
        );
      if ((linked?.n ?? 0) >= GEESE_PER_LEADER.max)
        throw UserInputError.of("INVALID", ["leaderUserId"], msg("goose.leaderFull", { max: GEESE_PER_LEADER.max }));
    }
    await tx
      .insert(gooseLiaisonTable)
      .values({ merchantId: goose.id, leaderUserId: leader.id, since: input.since })
      .onConflictDoUpdate({
        target: gooseLiaisonTable.merchantId,
        set: { leaderUserId: leader.id, since: input.since },
      });
    await recordAudit(tx, {
      actorUserId: viewer.userId,
      chamberId: null,
      action: "goose:link",
      entityType: "Merchant",
      entityId: goose.id,
      before: before ?? null,
      after: { leaderUserId: leader.id, since: input.since },
    });
    return { merchantId: goose.id, leaderUserId: leader.id };
  });
}

export interface RecordGooseContactInput {
  merchantId: string;
  kind: GooseContactKind;
  on: string;
  notes?: string | null | undefined;
  projectIds?: readonly string[] | null | undefined;
}

/** Logs a contact between a goose and its linked leader (the leader as linked on the day it is recorded). */
export async function recordGooseContact(
  ctx: ServiceContext,
  input: RecordGooseContactInput,
): Promise<GooseContactRow> {
  const viewer = ctx.permissions.assertPerformAction("goose:manage");
  if (!isIsoDate(input.on)) throw UserInputError.of("INVALID", ["on"], msg("investment.dateForm"));
  const notes = input.notes?.trim() || null;
  if (notes && notes.length > 2000)
    throw UserInputError.of("INVALID", ["notes"], msg("goose.notesTooLong", { max: 2000 }));
  const projectIds = [...new Set(input.projectIds ?? [])];
  return ctx.db.transaction(async (tx) => {
    const goose = await liveMerchantForChange(tx, input.merchantId);
    if (!goose.tags.includes("LEADING_GOOSE"))
      throw UserInputError.of("INVALID", ["merchantId"], msg("goose.notGoose"));
    const [liaison] = await tx.select().from(gooseLiaisonTable).where(eq(gooseLiaisonTable.merchantId, goose.id));
    if (!liaison) throw UserInputError.of("INVALID", ["merchantId"], msg("goose.noLeader"));
    if (projectIds.length) {
      const found = projectIds.every(isUuid)
        ? await tx
            .select({ id: investmentProjectTable.id })
            .from(investmentProjectTable)
            .where(inArray(investmentProjectTable.id, projectIds))
        : [];
      if (found.length !== projectIds.length)
        throw UserInputError.of("NOT_FOUND", ["projectIds"], msg("investment.projectNotFound"));
    }
    const [row] = await tx
      .insert(gooseContactTable)
      .values({
        merchantId: goose.id,
        leaderUserId: liaison.leaderUserId,
        kind: input.kind,
        on: input.on,
        notes,
        projectIds,
        recordedByUserId: viewer.userId,
      })
      .returning();
    await recordAudit(tx, {
      actorUserId: viewer.userId,
      chamberId: null,
      action: "goose:contact",
      entityType: "GooseContact",
      entityId: row!.id,
      after: row,
    });
    return row!;
  });
}
