// The yearly recognition of returning merchants (温商回归功勋人物): a chamber's secretaries nominate an active member
// of their chamber with a reason; city staff recognise or decline each nomination, once; a merchant is recognised
// at most once a year (the database's partial unique index). Those recognised are an honour list any signed-in
// viewer may read; nominations still open or declined are the nominating chamber's and the city's.
import {
  type Executor,
  membershipTable,
  type RecognitionNominationRow,
  type RecognitionStatus,
  recognitionNominationTable,
} from "@wz/db";
import { and, count, eq, inArray, or, type SQL, sql } from "drizzle-orm";
import { recordAudit } from "../audit/audit-log";
import { keysetPage, type PageRequest } from "../common/paging";
import { ErrorCollector, UserInputError } from "../errors";
import { isUniqueViolation } from "../membership/membership-access";
import { label, msg } from "../messages";
import type { Permissions } from "../permissions";
import type { ServiceContext } from "../service-context";
import { isUuid, requiredText } from "../validation";

export async function nominateForRecognition(
  ctx: ServiceContext,
  input: { chamberId: string; merchantId: string; year: number; reason: string },
): Promise<RecognitionNominationRow> {
  const viewer = ctx.permissions.requireViewer();
  if (!isUuid(input.chamberId) || !ctx.permissions.can("recognition:nominate", { chamberId: input.chamberId }))
    throw UserInputError.of("NOT_FOUND", ["chamberId"], msg("chamber.notFound"));
  const errors = new ErrorCollector();
  if (!Number.isInteger(input.year) || input.year < 2000 || input.year > 2100)
    errors.add(["year"], msg("investment.yearRange"));
  const reasonError = requiredText(input.reason, msg("investment.reasonLabel"), 1000);
  if (reasonError) errors.add(["reason"], reasonError);
  errors.throwIfAny();
  return ctx.db.transaction(async (tx) => {
    const [member] = isUuid(input.merchantId)
      ? await tx
          .select({ id: membershipTable.id })
          .from(membershipTable)
          .where(
            and(
              eq(membershipTable.chamberId, input.chamberId),
              eq(membershipTable.merchantId, input.merchantId),
              eq(membershipTable.status, "ACTIVE"),
            ),
          )
      : [];
    if (!member) throw UserInputError.of("INVALID", ["merchantId"], msg("recognition.notMember"));
    let row: RecognitionNominationRow | undefined;
    try {
      [row] = await tx
        .insert(recognitionNominationTable)
        .values({
          year: input.year,
          merchantId: input.merchantId,
          chamberId: input.chamberId,
          reason: input.reason.trim(),
          nominatedByUserId: viewer.userId,
        })
        .returning();
    } catch (error) {
      if (isUniqueViolation(error))
        throw UserInputError.of("CONFLICT", ["merchantId"], msg("recognition.nominatedAlready"));
      throw error;
    }
    await recordAudit(tx, {
      actorUserId: viewer.userId,
      chamberId: input.chamberId,
      action: "recognition:nominate",
      entityType: "RecognitionNomination",
      entityId: row!.id,
      after: row,
    });
    return row!;
  });
}

/** City staff recognise or decline a nomination, once. */
export async function decideRecognition(
  ctx: ServiceContext,
  input: { nominationId: string; recognised: boolean; note?: string | null | undefined },
): Promise<RecognitionNominationRow> {
  const viewer = ctx.permissions.assertPerformAction("recognition:decide");
  const status: RecognitionStatus = input.recognised ? "RECOGNISED" : "DECLINED";
  return ctx.db.transaction(async (tx) => {
    const [before] = isUuid(input.nominationId)
      ? await tx
          .select()
          .from(recognitionNominationTable)
          .where(eq(recognitionNominationTable.id, input.nominationId))
          .for("update")
      : [];
    if (!before) throw UserInputError.of("NOT_FOUND", ["nominationId"], msg("recognition.notFound"));
    if (before.status !== "NOMINATED")
      throw UserInputError.of(
        "INVALID_TRANSITION",
        ["nominationId"],
        msg("recognition.decided", { status: label("recognitionStatus", before.status) }),
      );
    let row: RecognitionNominationRow | undefined;
    try {
      [row] = await tx
        .update(recognitionNominationTable)
        .set({
          status,
          decisionNote: input.note?.trim() || null,
          decidedByUserId: viewer.userId,
          decidedAt: new Date(),
        })
        .where(eq(recognitionNominationTable.id, before.id))
        .returning();
    } catch (error) {
      if (isUniqueViolation(error))
        throw UserInputError.of("CONFLICT", ["nominationId"], msg("recognition.recognisedAlready"));
      throw error;
    }
    await recordAudit(tx, {
      actorUserId: viewer.userId,
      chamberId: before.chamberId,
      action: "recognition:decide",
      entityType: "RecognitionNomination",
      entityId: before.id,
      before: { status: before.status },
      after: { status, note: input.note ?? null },
    });
    return row!;
  });
}

function visibleSql(permissions: Permissions): SQL {
  if (!permissions.viewer) return sql`false`;
  if (permissions.can("recognition:read-all")) return sql`true`;
  const chambers = permissions.chambersFor("recognition:read");
  const conditions: SQL[] = [eq(recognitionNominationTable.status, "RECOGNISED")];
  if (chambers.all) return sql`true`;
  if (chambers.ids.length) conditions.push(inArray(recognitionNominationTable.chamberId, [...chambers.ids]));
  return or(...conditions)!;
}

interface ReadContext {
  db: Executor;
  permissions: Permissions;
}

function condition(ctx: ReadContext, year: number, status: readonly RecognitionStatus[] | null | undefined) {
  ctx.permissions.requireViewer();
  return and(
    visibleSql(ctx.permissions),
    eq(recognitionNominationTable.year, year),
    status?.length ? inArray(recognitionNominationTable.status, [...status]) : undefined,
  );
}

export function listRecognitionNominations(
  ctx: ReadContext,
  year: number,
  status: readonly RecognitionStatus[] | null | undefined,
  page: PageRequest,
): Promise<RecognitionNominationRow[]> {
  const { where, orderBy } = keysetPage(page, recognitionNominationTable.createdAt, recognitionNominationTable.id);
  return ctx.db
    .select()
    .from(recognitionNominationTable)
    .where(and(condition(ctx, year, status), where))
    .orderBy(...orderBy)
    .limit(page.limit);
}

export async function countRecognitionNominations(
  ctx: ReadContext,
  year: number,
  status: readonly RecognitionStatus[] | null | undefined,
): Promise<number> {
  const [row] = await ctx.db
    .select({ n: count() })
    .from(recognitionNominationTable)
    .where(condition(ctx, year, status));
  return row?.n ?? 0;
}

export function visibleRecognitionNominationsByIds(
  ctx: ReadContext,
  ids: readonly string[],
): Promise<RecognitionNominationRow[]> {
  const valid = ids.filter(isUuid);
  if (valid.length === 0) return Promise.resolve([]);
  return ctx.db
    .select()
    .from(recognitionNominationTable)
    .where(and(inArray(recognitionNominationTable.id, valid), visibleSql(ctx.permissions)));
}
