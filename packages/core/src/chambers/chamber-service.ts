// Creating chambers under the federation's rules: one federation, one provincial chamber per province,
// one chamber per place (一地一会), and each chamber placed under the right parent.
import { and, eq, ne, sql } from "drizzle-orm";
import { chamberTable, provinceCodes, type ChamberKind, type Executor } from "@wz/db";
import { recordAudit } from "../audit/audit-log";
import { ErrorCollector, UserInputError } from "../errors";
import type { ServiceContext } from "../service-context";
import { requiredText } from "../validation";

export interface CreateChamberInput {
  kind: ChamberKind;
  name: string;
  nameEn?: string | null | undefined;
  slug?: string | null | undefined;
  provinceCode?: string | null | undefined;
  city?: string | null | undefined;
  countryCode?: string | null | undefined;
}

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
      .where(and(eq(chamberTable.kind, "PROVINCIAL"), eq(chamberTable.provinceCode, provinceCode), eq(chamberTable.status, "ACTIVE")));
    if (provincial) return provincial.id;
  }
  const federation = await findFederation(db);
  return federation?.id ?? null;
}

export async function createChamber(ctx: ServiceContext, input: CreateChamberInput) {
  const viewer = ctx.permissions.assertPerformAction("chamber:create");
  const errors = new ErrorCollector();
  const nameError = requiredText(input.name, "Name", 100);
  if (nameError) errors.add(["input", "name"], nameError);
  const provinceCode = input.provinceCode?.trim() || null;
  const city = input.city?.trim() || null;
  const countryCode = input.countryCode?.trim().toUpperCase() || null;
  if (provinceCode && !provinceCodes.has(provinceCode)) errors.add(["input", "provinceCode"], `"${provinceCode}" is not one of the 31 province codes.`);
  switch (input.kind) {
    case "PROVINCIAL":
      if (!provinceCode) errors.add(["input", "provinceCode"], "A provincial chamber needs its province code.");
      break;
    case "MUNICIPAL":
      if (!provinceCode) errors.add(["input", "provinceCode"], "A municipal chamber needs its province code.");
      if (!city) errors.add(["input", "city"], "A municipal chamber needs its city.");
      break;
    case "OVERSEAS":
      if (!countryCode || !/^[A-Z]{2}$/.test(countryCode) || countryCode === "CN")
        errors.add(["input", "countryCode"], "An overseas chamber needs an ISO 3166 two-letter country code other than CN.");
      break;
    case "FEDERATION":
      break;
  }
  const slug = (input.slug?.trim() || slugify(input.nameEn ?? "")) || null;
  if (!slug) errors.add(["input", "slug"], "A slug is required when there is no English name to derive it from.");
  else if (!SLUG.test(slug) || slug.length > 60) errors.add(["input", "slug"], "A slug is lowercase letters, digits and single hyphens, at most 60 characters.");
  errors.throwIfAny();

  return ctx.db.transaction(async (tx) => {
    const conflicts = new ErrorCollector();
    if (input.kind === "FEDERATION" && (await findFederation(tx))) conflicts.add(["input", "kind"], "The federation already exists.", "CONFLICT");
    if (input.kind !== "FEDERATION" && !(await findFederation(tx)))
      conflicts.add(["input", "kind"], "Create the federation before any other chamber.", "INVALID");
    if (input.kind === "PROVINCIAL" && provinceCode) {
      const [other] = await tx
        .select({ id: chamberTable.id })
        .from(chamberTable)
        .where(and(eq(chamberTable.kind, "PROVINCIAL"), eq(chamberTable.provinceCode, provinceCode), ne(chamberTable.status, "DISSOLVED")));
      if (other) conflicts.add(["input", "provinceCode"], "This province already has a provincial chamber.", "CONFLICT");
    }
    if (city) {
      const [other] = await tx
        .select({ id: chamberTable.id })
        .from(chamberTable)
        .where(
          and(
            eq(chamberTable.kind, input.kind),
            sql`${chamberTable.provinceCode} is not distinct from ${provinceCode}`,
            sql`${chamberTable.countryCode} is not distinct from ${countryCode}`,
            eq(chamberTable.city, city),
            ne(chamberTable.status, "DISSOLVED"),
          ),
        );
      if (other) conflicts.add(["input", "city"], "One chamber per place: this city already has a chamber of this kind.", "CONFLICT");
    }
    const [slugTaken] = await tx.select({ id: chamberTable.id }).from(chamberTable).where(eq(chamberTable.slug, slug!));
    if (slugTaken) conflicts.add(["input", "slug"], `The slug "${slug}" is taken.`, "CONFLICT");
    conflicts.throwIfAny();

    const parentId = await parentFor(tx, input.kind, provinceCode);
    const [chamber] = await tx
      .insert(chamberTable)
      .values({
        kind: input.kind,
        name: input.name.trim(),
        nameEn: input.nameEn?.trim() || null,
        slug: slug!,
        provinceCode,
        city,
        countryCode: input.kind === "OVERSEAS" ? countryCode : null,
        parentId,
      })
      .returning();
    if (!chamber) throw new UserInputError([{ code: "CONFLICT", field: null, message: "The chamber could not be created." }]);
    await recordAudit(tx, {
      actorUserId: viewer.userId,
      chamberId: chamber.id,
      action: "chamber:create",
      entityType: "Chamber",
      entityId: chamber.id,
      after: chamber,
    });
    return chamber;
  });
}
