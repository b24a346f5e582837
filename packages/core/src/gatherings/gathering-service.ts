// The chambers' gatherings (年会, 联谊会, 恳谈会, 茶话会, 联席会议): a chamber's secretaries hold its own, federation staff
// the federation's. Invitations go by level, tag or chosen people to exactly the ACTIVE (unexpired)
// members of the inviting chamber — for the federation's, of any chamber — who match; the invited answer, and
// attendance is recorded when it is held. PLANNED → HELD | CANCELLED.
import {
  chamberTable,
  type Executor,
  type GatheringKind,
  type GatheringRow,
  type GatheringStatus,
  gatheringInvitationTable,
  gatheringTable,
  type MembershipLevel,
  membershipTable,
  merchantTable,
  rowsOf,
} from "@wz/db";
import { and, eq, inArray, sql } from "drizzle-orm";
import { recordAudit } from "../audit/audit-log";
import { isIsoDate, todayIso } from "../dates";
import { merchantTags } from "../directory/profile";
import { ErrorCollector, ForbiddenError, UserInputError } from "../errors";
import { label, msg } from "../messages";
import type { Permissions } from "../permissions";
import type { ServiceContext } from "../service-context";
import { isUuid, requiredText } from "../validation";

/** Whether the viewer keeps a gathering of this chamber (the federation's: federation staff). */
export function canKeepGathering(permissions: Permissions, chamberId: string, federation: boolean): boolean {
  return federation
    ? permissions.can("gathering:manage-federation")
    : permissions.can("gathering:manage", { chamberId });
}

async function chamberKind(tx: Executor, chamberId: string): Promise<{ federation: boolean } | null> {
  const [row] = isUuid(chamberId)
    ? await tx.select({ kind: chamberTable.kind }).from(chamberTable).where(eq(chamberTable.id, chamberId))
    : [];
  return row ? { federation: row.kind === "FEDERATION" } : null;
}

export interface CreateGatheringInput {
  chamberId: string;
  kind: GatheringKind;
  title: string;
  heldOn: string;
  place?: string | null | undefined;
}

export async function createGathering(ctx: ServiceContext, input: CreateGatheringInput): Promise<GatheringRow> {
  const viewer = ctx.permissions.requireViewer();
  const errors = new ErrorCollector();
  const titleError = requiredText(input.title, msg("delegation.titleLabel"), 200);
  if (titleError) errors.add(["title"], titleError);
  if (!isIsoDate(input.heldOn)) errors.add(["heldOn"], msg("investment.dateForm"));
  if (input.place && input.place.length > 200) errors.add(["place"], msg("input.atMostCharacters", { max: 200 }));
  return ctx.db.transaction(async (tx) => {
    const kind = await chamberKind(tx, input.chamberId);
    if (!kind || !canKeepGathering(ctx.permissions, input.chamberId, kind.federation)) {
      if (kind && ctx.permissions.can("gathering:read", { chamberId: input.chamberId })) throw new ForbiddenError();
      throw UserInputError.of("NOT_FOUND", ["chamberId"], msg("chamber.notFound"));
    }
    errors.throwIfAny();
    const [row] = await tx
      .insert(gatheringTable)
      .values({
        chamberId: input.chamberId,
        kind: input.kind,
        title: input.title.trim(),
        heldOn: input.heldOn,
        place: input.place?.trim() || null,
        createdByUserId: viewer.userId,
      })
      .returning();
    await recordAudit(tx, {
      actorUserId: viewer.userId,
      chamberId: input.chamberId,
      action: "gathering:create",
      entityType: "Gathering",
      entityId: row!.id,
      after: row,
    });
    return row!;
  });
}

/** The gathering for a change by one who keeps it, locked; NOT_FOUND when the viewer may not know of it. */
async function gatheringForChange(ctx: ServiceContext, tx: Executor, gatheringId: string) {
  const notFound = () => UserInputError.of("NOT_FOUND", ["gatheringId"], msg("gathering.notFound"));
  const [row] = isUuid(gatheringId)
    ? await tx.select().from(gatheringTable).where(eq(gatheringTable.id, gatheringId)).for("update")
    : [];
  if (!row) throw notFound();
  const kind = await chamberKind(tx, row.chamberId);
  if (!canKeepGathering(ctx.permissions, row.chamberId, kind?.federation ?? false)) {
    if (ctx.permissions.can("gathering:read", { chamberId: row.chamberId })) throw new ForbiddenError();
    throw notFound();
  }
  return { gathering: row, federation: kind?.federation ?? false };
}

function refuse(from: GatheringStatus, to: GatheringStatus) {
  return UserInputError.of(
    "INVALID_TRANSITION",
    ["gatheringId"],
    msg("gathering.statusOrder", { from: label("gatheringStatus", from), to: label("gatheringStatus", to) }),
  );
}

export interface InviteToGatheringInput {
  gatheringId: string;
  levels?: readonly MembershipLevel[] | null | undefined;
  tags?: readonly string[] | null | undefined;
  merchantIds?: readonly string[] | null | undefined;
}

/**
 * Invites the inviting chambers' active members who match the levels and tags given (both, when both are given),
 * and the people chosen (each must be such a member). Someone invited already stays invited once.
 */
export async function inviteToGathering(
  ctx: ServiceContext,
  input: InviteToGatheringInput,
): Promise<{ gathering: GatheringRow; invited: number }> {
  const viewer = ctx.permissions.requireViewer();
  const levels = [...new Set(input.levels ?? [])];
  const tags = [...new Set(input.tags ?? [])];
  const chosen = [...new Set(input.merchantIds ?? [])];
  if (levels.length + tags.length + chosen.length === 0)
    throw UserInputError.of("INVALID", ["levels"], msg("gathering.nobodyChosen"));
  const badTag = tags.find((t) => !(merchantTags as readonly string[]).includes(t));
  if (badTag)
    throw UserInputError.of(
      "INVALID",
      ["tags"],
      msg("profile.unknownTags", { tags: badTag, known: merchantTags.join(", ") }),
    );
  return ctx.db.transaction(async (tx) => {
    const { gathering, federation } = await gatheringForChange(ctx, tx, input.gatheringId);
    if (gathering.status !== "PLANNED") throw refuse(gathering.status, "PLANNED");
    const today = todayIso();
    const eligible = sql`ms.status = 'ACTIVE'
      and (ms.expires_on is null or ms.expires_on >= ${today}::date) and m.merged_into_id is null
      and ${federation ? sql`true` : sql`ms.chamber_id = ${gathering.chamberId}`}`;
    if (chosen.length) {
      const found = chosen.every(isUuid)
        ? rowsOf<{ merchant_id: string }>(
            await tx.execute(sql`select distinct ms.merchant_id::text as merchant_id from ${membershipTable} ms
              join ${merchantTable} m on m.id = ms.merchant_id
              where ${eligible} and ms.merchant_id in (${sql.join(
                chosen.map((c) => sql`${c}::uuid`),
                sql`, `,
              )})`),
          ).map((r) => r.merchant_id)
        : [];
      const missing = chosen.findIndex((c) => !found.includes(c));
      if (missing >= 0)
        throw UserInputError.of("INVALID", ["merchantIds", String(missing)], msg("gathering.notInvitable"));
    }
    const criteria: ReturnType<typeof sql>[] = [];
    if (levels.length || tags.length)
      criteria.push(
        sql`(${
          levels.length
            ? sql`ms.level in (${sql.join(
                levels.map((l) => sql`${l}`),
                sql`, `,
              )})`
            : sql`true`
        }
          and ${tags.length ? sql`m.tags && ${`{${tags.join(",")}}`}::text[]` : sql`true`})`,
      );
    if (chosen.length)
      criteria.push(
        sql`ms.merchant_id in (${sql.join(
          chosen.map((c) => sql`${c}::uuid`),
          sql`, `,
        )})`,
      );
    const inserted = rowsOf<{ merchant_id: string }>(
      await tx.execute(sql`
        insert into ${gatheringInvitationTable} (gathering_id, merchant_id, chamber_id)
        select distinct on (ms.merchant_id) ${gathering.id}::uuid, ms.merchant_id, ms.chamber_id
        from ${membershipTable} ms join ${merchantTable} m on m.id = ms.merchant_id
        where ${eligible} and (${sql.join(criteria, sql` or `)})
        order by ms.merchant_id, ms.chamber_id
        on conflict do nothing
        returning merchant_id::text as merchant_id`),
    );
    await recordAudit(tx, {
      actorUserId: viewer.userId,
      chamberId: federation ? null : gathering.chamberId,
      action: "gathering:invite",
      entityType: "Gathering",
      entityId: gathering.id,
      after: { levels, tags, merchantIds: chosen, invited: inserted.map((r) => r.merchant_id) },
    });
    return { gathering, invited: inserted.length };
  });
}

/** The invited merchant answers for themself while the gathering is PLANNED. */
export async function answerGatheringInvitation(
  ctx: ServiceContext,
  input: { gatheringId: string; attending: boolean },
): Promise<GatheringRow> {
  const viewer = ctx.permissions.requireViewer();
  const notFound = () => UserInputError.of("NOT_FOUND", ["gatheringId"], msg("gathering.notFound"));
  const me = ctx.permissions.merchantId;
  if (!me || !isUuid(input.gatheringId)) throw notFound();
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .select()
      .from(gatheringTable)
      .innerJoin(gatheringInvitationTable, eq(gatheringInvitationTable.gatheringId, gatheringTable.id))
      .where(and(eq(gatheringTable.id, input.gatheringId), eq(gatheringInvitationTable.merchantId, me)))
      .for("update");
    if (!row) throw notFound();
    if (row.gathering.status !== "PLANNED") throw refuse(row.gathering.status, "PLANNED");
    const rsvp = input.attending ? ("ATTENDING" as const) : ("DECLINED" as const);
    await tx
      .update(gatheringInvitationTable)
      .set({ rsvp })
      .where(
        and(eq(gatheringInvitationTable.gatheringId, input.gatheringId), eq(gatheringInvitationTable.merchantId, me)),
      );
    await recordAudit(tx, {
      actorUserId: viewer.userId,
      chamberId: row.gathering_invitation.chamberId,
      action: "gathering:answer",
      entityType: "Gathering",
      entityId: input.gatheringId,
      before: { rsvp: row.gathering_invitation.rsvp },
      after: { rsvp, merchantId: me },
    });
    return row.gathering;
  });
}

/** PLANNED → HELD, with who attended (each of them invited). */
export async function recordGatheringAttendance(
  ctx: ServiceContext,
  input: { gatheringId: string; attendedMerchantIds: readonly string[] },
): Promise<GatheringRow> {
  const viewer = ctx.permissions.requireViewer();
  const attended = [...new Set(input.attendedMerchantIds)];
  return ctx.db.transaction(async (tx) => {
    const { gathering } = await gatheringForChange(ctx, tx, input.gatheringId);
    if (gathering.status !== "PLANNED") throw refuse(gathering.status, "HELD");
    const invited = new Set(
      (
        await tx
          .select({ merchantId: gatheringInvitationTable.merchantId })
          .from(gatheringInvitationTable)
          .where(eq(gatheringInvitationTable.gatheringId, gathering.id))
      ).map((r) => r.merchantId),
    );
    const stranger = attended.findIndex((m) => !invited.has(m));
    if (stranger >= 0)
      throw UserInputError.of("INVALID", ["attendedMerchantIds", String(stranger)], msg("gathering.notInvited"));
    await tx
      .update(gatheringInvitationTable)
      .set({ attended: false })
      .where(eq(gatheringInvitationTable.gatheringId, gathering.id));
    if (attended.length)
      await tx
        .update(gatheringInvitationTable)
        .set({ attended: true })
        .where(
          and(
            eq(gatheringInvitationTable.gatheringId, gathering.id),
            inArray(gatheringInvitationTable.merchantId, attended),
          ),
        );
    const [row] = await tx
      .update(gatheringTable)
      .set({ status: "HELD", updatedAt: new Date() })
      .where(eq(gatheringTable.id, gathering.id))
      .returning();
    await recordAudit(tx, {
      actorUserId: viewer.userId,
      chamberId: gathering.chamberId,
      action: "gathering:held",
      entityType: "Gathering",
      entityId: gathering.id,
      before: { status: gathering.status },
      after: { status: "HELD", attended },
    });
    return row!;
  });
}

export async function cancelGathering(
  ctx: ServiceContext,
  input: { gatheringId: string; reason: string },
): Promise<GatheringRow> {
  const viewer = ctx.permissions.requireViewer();
  const reasonError = requiredText(input.reason, msg("investment.reasonLabel"), 500);
  if (reasonError) throw UserInputError.of("INVALID", ["reason"], reasonError);
  return ctx.db.transaction(async (tx) => {
    const { gathering } = await gatheringForChange(ctx, tx, input.gatheringId);
    if (gathering.status !== "PLANNED") throw refuse(gathering.status, "CANCELLED");
    const [row] = await tx
      .update(gatheringTable)
      .set({ status: "CANCELLED", cancelReason: input.reason.trim(), updatedAt: new Date() })
      .where(eq(gatheringTable.id, gathering.id))
      .returning();
    await recordAudit(tx, {
      actorUserId: viewer.userId,
      chamberId: gathering.chamberId,
      action: "gathering:cancel",
      entityType: "Gathering",
      entityId: gathering.id,
      before: { status: gathering.status },
      after: { status: "CANCELLED", reason: input.reason.trim() },
    });
    return row!;
  });
}
