// Creating and changing chambers under the federation's rules: one federation, one provincial chamber per
// province, one chamber per place (一地一会), each chamber under the right parent, and no cycles.

import {
  type ChamberKind,
  type ChamberStatus,
  chamberTable,
  type Executor,
  formationTable,
  provinceCodes,
  rowsOf,
} from "@wz/db";
import { and, eq, ne, sql } from "drizzle-orm";
import { recordAudit } from "../audit/audit-log";
import { pinyinSortKey } from "../directory/pinyin";
import { ErrorCollector, UserInputError } from "../errors";
import { msg } from "../messages";
import type { ServiceContext } from "../service-context";
import { isUuid, requiredText } from "../validation";

export interface CreateChamberInput {
  kind: ChamberKind;
  name: string;
  nameEn?: string | null | undefined;
  slug?: string | null | undefined;
  provinceCode?: string | null | undefined;
  city?: string | null | undefined;
  countryCode?: string | null | undefined;
  /**
   * Only an overseas chamber may choose its parent (the federation or another overseas chamber); others are placed
   * by the rules.
   */
  parentId?: string | null | undefined;
}

/** Absent fields stay as they are; `null` clears an optional field. */
export type UpdateChamberInput = { chamberId: string } & {
  [K in keyof CreateChamberInput]?: CreateChamberInput[K] | null | undefined;
};

const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

export function slugify(text: string): string {
  return text
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 60);
}

export async function findFederation(db: Executor) {
  const [row] = await db.select().from(chamberTable).where(eq(chamberTable.kind, "FEDERATION")).limit(1);
  return row ?? null;
}

/** The parent a chamber belongs under: its province's live provincial chamber if any, else the federation. */
export async function parentFor(db: Executor, kind: ChamberKind, provinceCode: string | null): Promise<string | null> {
  if (kind === "FEDERATION") return null;
  if (kind === "MUNICIPAL" && provinceCode) {
    const [provincial] = await db
      .select({ id: chamberTable.id })
      .from(chamberTable)
      .where(
        and(
          eq(chamberTable.kind, "PROVINCIAL"),
          eq(chamberTable.provinceCode, provinceCode),
          eq(chamberTable.status, "ACTIVE"),
        ),
      );
    if (provincial) return provincial.id;
  }
  const federation = await findFederation(db);
  return federation?.id ?? null;
}

interface ChamberFields {
  kind: ChamberKind;
  name: string;
  nameEn: string | null;
  slug: string;
  provinceCode: string | null;
  city: string | null;
  countryCode: string | null;
}

/** Field rules that need no database: required fields per kind, codes, slug form. */
function validateFields(fields: ChamberFields, errors: ErrorCollector): void {
  const nameError = requiredText(fields.name, msg("chamber.nameLabel"), 100);
  if (nameError) errors.add(["name"], nameError);
  const { provinceCode, city, countryCode } = fields;
  if (provinceCode && !provinceCodes.has(provinceCode))
    errors.add(["provinceCode"], msg("reference.unknownProvince", { code: provinceCode }));
  switch (fields.kind) {
    case "PROVINCIAL":
      if (!provinceCode) errors.add(["provinceCode"], msg("chamber.provincialNeedsProvince"));
      break;
    case "MUNICIPAL":
      if (!provinceCode) errors.add(["provinceCode"], msg("chamber.municipalNeedsProvince"));
      if (!city) errors.add(["city"], msg("chamber.municipalNeedsCity"));
      break;
    case "OVERSEAS":
      if (!countryCode || !/^[A-Z]{2}$/.test(countryCode) || countryCode === "CN")
        errors.add(["countryCode"], msg("chamber.overseasNeedsCountry"));
      break;
    case "FEDERATION":
      break;
  }
  if (!fields.slug) errors.add(["slug"], msg("chamber.slugRequired"));
  else if (!SLUG.test(fields.slug) || fields.slug.length > 60) errors.add(["slug"], msg("chamber.slugForm"));
}

/** Rules against the other chambers: one federation, one provincial per province, one per place, unique slug. */
async function checkConflicts(tx: Executor, fields: ChamberFields, selfId: string | null): Promise<void> {
  const conflicts = new ErrorCollector();
  const notSelf = selfId ? ne(chamberTable.id, selfId) : undefined;
  const federation = await findFederation(tx);
  if (fields.kind === "FEDERATION" && federation && federation.id !== selfId)
    conflicts.add(["kind"], msg("chamber.federationExists"), "CONFLICT");
  if (fields.kind !== "FEDERATION" && !federation) conflicts.add(["kind"], msg("chamber.federationFirst"), "INVALID");
  if (fields.kind === "PROVINCIAL" && fields.provinceCode) {
    const [other] = await tx
      .select({ id: chamberTable.id })
      .from(chamberTable)
      .where(
        and(
          eq(chamberTable.kind, "PROVINCIAL"),
          eq(chamberTable.provinceCode, fields.provinceCode),
          ne(chamberTable.status, "DISSOLVED"),
          notSelf,
        ),
      );
    if (other) conflicts.add(["provinceCode"], msg("chamber.provinceTaken"), "CONFLICT");
  }
  if (fields.city) {
    const [other] = await tx
      .select({ id: chamberTable.id })
      .from(chamberTable)
      .where(
        and(
          eq(chamberTable.kind, fields.kind),
          sql`${chamberTable.provinceCode} is not distinct from ${fields.provinceCode}`,
          sql`${chamberTable.countryCode} is not distinct from ${fields.countryCode}`,
          eq(chamberTable.city, fields.city),
          ne(chamberTable.status, "DISSOLVED"),
          notSelf,
        ),
      );
    if (other) conflicts.add(["city"], msg("chamber.placeTaken"), "CONFLICT");
  }
  const [slugTaken] = await tx
    .select({ id: chamberTable.id })
    .from(chamberTable)
    .where(and(eq(chamberTable.slug, fields.slug), notSelf));
  if (slugTaken) conflicts.add(["slug"], msg("chamber.slugTaken", { slug: fields.slug }), "CONFLICT");
  conflicts.throwIfAny();
}

/**
 * The parent a chamber must have. Federation: none. Provincial: the federation. Municipal: its province's live
 * provincial chamber, else the federation. Overseas: the federation, or another overseas chamber (a national
 * association over a city one) chosen by `requested` — never itself or one of its own descendants.
 */
async function resolveParent(
  tx: Executor,
  fields: ChamberFields,
  requested: string | null | undefined,
  selfId: string | null,
): Promise<string | null> {
  const ruled = await parentFor(tx, fields.kind, fields.provinceCode);
  if (requested === undefined || requested === null) return ruled;
  const notFound = UserInputError.of("NOT_FOUND", ["parentId"], msg("chamber.parentNotFound"));
  if (!isUuid(requested)) throw notFound;
  const [parent] = await tx.select().from(chamberTable).where(eq(chamberTable.id, requested));
  if (!parent || parent.status === "DISSOLVED") throw notFound;
  if (fields.kind !== "OVERSEAS") {
    if (parent.id === ruled) return ruled;
    const rule =
      fields.kind === "MUNICIPAL"
        ? msg("chamber.municipalParent")
        : fields.kind === "PROVINCIAL"
          ? msg("chamber.provincialParent")
          : msg("chamber.federationNoParent");
    throw UserInputError.of("INVALID", ["parentId"], rule);
  }
  if (parent.kind !== "FEDERATION" && parent.kind !== "OVERSEAS")
    throw UserInputError.of("INVALID", ["parentId"], msg("chamber.overseasParent"));
  if (selfId && (await isSelfOrDescendant(tx, selfId, parent.id)))
    throw UserInputError.of("INVALID", ["parentId"], msg("chamber.parentCycle"));
  return parent.id;
}

/** True when `candidate` is `ancestorId` or lies beneath it: one recursive statement up the candidate's ancestry. */
async function isSelfOrDescendant(tx: Executor, ancestorId: string, candidate: string): Promise<boolean> {
  const rows = await tx.execute(sql`
    with recursive up(id, parent_id, depth) as (
      select id, parent_id, 0 from ${chamberTable} where id = ${candidate}
      union all
      select c.id, c.parent_id, up.depth + 1 from ${chamberTable} c join up on c.id = up.parent_id where up.depth < 64
    )
    select exists (select 1 from up where id = ${ancestorId}) as hit`);
  return Boolean(rowsOf<{ hit: boolean }>(rows)[0]?.hit);
}

/** drizzle's `execute` returns rows directly (postgres.js) or as `{ rows }` (PGlite). */
/** Moves the province's municipal chambers (now under the federation) under its newly live provincial chamber. */
export async function moveMunicipalUnderProvincial(
  tx: Executor,
  provinceCode: string,
  provincialId: string,
  actorUserId: string | null,
): Promise<void> {
  const federation = await findFederation(tx);
  if (!federation) return;
  const moved = await tx
    .update(chamberTable)
    .set({ parentId: provincialId, updatedAt: new Date() })
    .where(
      and(
        eq(chamberTable.kind, "MUNICIPAL"),
        eq(chamberTable.provinceCode, provinceCode),
        eq(chamberTable.parentId, federation.id),
      ),
    )
    .returning({ id: chamberTable.id });
  await auditMoves(tx, moved, federation.id, provincialId, actorUserId);
}

/** The reverse, when a founding is stepped back: the province's municipal chambers return under the federation. */
export async function moveMunicipalUnderFederation(
  tx: Executor,
  provinceCode: string,
  provincialId: string,
  actorUserId: string | null,
): Promise<void> {
  const federation = await findFederation(tx);
  if (!federation) return;
  const moved = await tx
    .update(chamberTable)
    .set({ parentId: federation.id, updatedAt: new Date() })
    .where(
      and(
        eq(chamberTable.kind, "MUNICIPAL"),
        eq(chamberTable.provinceCode, provinceCode),
        eq(chamberTable.parentId, provincialId),
      ),
    )
    .returning({ id: chamberTable.id });
  await auditMoves(tx, moved, provincialId, federation.id, actorUserId);
}

async function auditMoves(
  tx: Executor,
  moved: { id: string }[],
  from: string,
  to: string,
  actorUserId: string | null,
): Promise<void> {
  for (const m of moved)
    await recordAudit(tx, {
      actorUserId,
      chamberId: m.id,
      action: "chamber:move",
      entityType: "Chamber",
      entityId: m.id,
      before: { parentId: from },
      after: { parentId: to },
    });
}

/** A new provincial chamber is live only if its province's formation has reached FOUNDED; otherwise it is forming. */
async function provincialStatus(
  tx: Executor,
  provinceCode: string,
): Promise<{ status: ChamberStatus; formationChamberId: string | null }> {
  const [formation] = await tx.select().from(formationTable).where(eq(formationTable.provinceCode, provinceCode));
  return {
    status: formation?.status === "FOUNDED" ? "ACTIVE" : "FORMING",
    formationChamberId: formation?.chamberId ?? null,
  };
}

export async function createChamber(ctx: ServiceContext, input: CreateChamberInput) {
  const viewer = ctx.permissions.assertPerformAction("chamber:create");
  const fields: ChamberFields = {
    kind: input.kind,
    name: input.name,
    nameEn: input.nameEn?.trim() || null,
    slug: input.slug?.trim() || slugify(input.nameEn ?? ""),
    provinceCode: input.provinceCode?.trim() || null,
    city: input.city?.trim() || null,
    countryCode: input.kind === "OVERSEAS" ? input.countryCode?.trim().toUpperCase() || null : null,
  };
  const errors = new ErrorCollector();
  validateFields(fields, errors);
  errors.throwIfAny();

  let formationChanged = false;
  const chamber = await ctx.db.transaction(async (tx) => {
    await checkConflicts(tx, fields, null);
    const parentId = await resolveParent(tx, fields, input.parentId, null);
    let status: ChamberStatus = "ACTIVE";
    let linkFormation = false;
    if (fields.kind === "PROVINCIAL" && fields.provinceCode) {
      const provincial = await provincialStatus(tx, fields.provinceCode);
      status = provincial.status;
      linkFormation = provincial.formationChamberId === null;
    }
    const [row] = await tx
      .insert(chamberTable)
      .values({ ...fields, name: fields.name.trim(), nameSort: pinyinSortKey(fields.name.trim()), status, parentId })
      .returning();
    if (!row) throw UserInputError.of("CONFLICT", null, msg("chamber.notCreated"));
    await recordAudit(tx, {
      actorUserId: viewer.userId,
      chamberId: row.id,
      action: "chamber:create",
      entityType: "Chamber",
      entityId: row.id,
      after: row,
    });
    if (linkFormation && fields.provinceCode) {
      await tx
        .update(formationTable)
        .set({ chamberId: row.id, updatedAt: new Date() })
        .where(eq(formationTable.provinceCode, fields.provinceCode));
      formationChanged = true;
    }
    if (row.kind === "PROVINCIAL" && row.status === "ACTIVE" && row.provinceCode)
      await moveMunicipalUnderProvincial(tx, row.provinceCode, row.id, viewer.userId);
    return row;
  });
  if (formationChanged && chamber.provinceCode)
    ctx.events.publish({ topic: "formation:changed", provinceCode: chamber.provinceCode });
  return chamber;
}

export async function updateChamber(ctx: ServiceContext, input: UpdateChamberInput) {
  const viewer = ctx.permissions.assertPerformAction("chamber:update");
  const notFound = UserInputError.of("NOT_FOUND", ["chamberId"], msg("chamber.notFound"));
  if (!isUuid(input.chamberId)) throw notFound;
  return ctx.db.transaction(async (tx) => {
    const [before] = await tx.select().from(chamberTable).where(eq(chamberTable.id, input.chamberId)).for("update");
    if (!before) throw notFound;
    const pick = (value: string | null | undefined, current: string | null) =>
      value === undefined ? current : value?.trim() || null;
    const kind = input.kind ?? before.kind;
    const fields: ChamberFields = {
      kind,
      name: input.name === undefined || input.name === null ? before.name : input.name,
      nameEn: pick(input.nameEn, before.nameEn),
      slug: input.slug === undefined || input.slug === null ? before.slug : input.slug.trim(),
      provinceCode: pick(input.provinceCode, before.provinceCode),
      city: pick(input.city, before.city),
      countryCode: kind === "OVERSEAS" ? (pick(input.countryCode, before.countryCode)?.toUpperCase() ?? null) : null,
    };
    const errors = new ErrorCollector();
    validateFields(fields, errors);
    // The federation is the root, and a provincial chamber is bound to its province's formation record.
    if (before.kind !== kind && (before.kind === "FEDERATION" || kind === "FEDERATION"))
      errors.add(["kind"], msg("chamber.federationKindFixed"));
    if (before.kind !== kind && (before.kind === "PROVINCIAL" || kind === "PROVINCIAL"))
      errors.add(["kind"], msg("chamber.provincialKindFixed"));
    if (before.kind === "PROVINCIAL" && fields.provinceCode !== before.provinceCode)
      errors.add(["provinceCode"], msg("chamber.provincialProvinceFixed"));
    errors.throwIfAny();
    await checkConflicts(tx, fields, before.id);
    // A chamber whose placement is decided by the rules keeps the parent the rules give, even if it was placed
    // otherwise.
    const requested = input.parentId === undefined && kind === "OVERSEAS" ? before.parentId : input.parentId;
    const parentId = await resolveParent(tx, fields, requested, before.id);
    const [after] = await tx
      .update(chamberTable)
      .set({
        ...fields,
        name: fields.name.trim(),
        nameSort: pinyinSortKey(fields.name.trim()),
        parentId,
        updatedAt: new Date(),
      })
      .where(eq(chamberTable.id, before.id))
      .returning();
    if (!after) throw notFound;
    await recordAudit(tx, {
      actorUserId: viewer.userId,
      chamberId: after.id,
      action: "chamber:update",
      entityType: "Chamber",
      entityId: after.id,
      before,
      after,
    });
    return after;
  });
}
