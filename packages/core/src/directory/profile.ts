// Keeping a merchant's one directory profile right: the merchant edits everything (and who sees each contact
// field); a secretary of one of their chambers corrects the non-contact fields. Every field is validated.
import {
  companyTable,
  type Executor,
  type FieldVisibility,
  industrySectionCodes,
  type MerchantRow,
  merchantTable,
  provinceCodes,
  wenzhouDistrictCodes,
} from "@wz/db";
import { and, eq, isNull } from "drizzle-orm";
import { recordAudit } from "../audit/audit-log";
import { ErrorCollector, UserInputError } from "../errors";
import { refusingGooseCap } from "../leading-geese/goose-service";
import { normalizeLandline, normalizeMobile } from "../membership/member-values";
import { msg } from "../messages";
import type { ServiceContext } from "../service-context";
import { emailProblem, isUuid, normalizeEmail } from "../validation";
import { isValidCreditCode } from "./credit-code";
import { pinyinForms } from "./pinyin";
import { loadMembershipFacts } from "./visibility";

export const merchantTags = ["NEW_GENERATION", "LEADING_GOOSE"] as const;
export type MerchantTag = (typeof merchantTags)[number];
export const companySizes = ["MICRO", "SMALL", "MEDIUM", "LARGE"] as const;
export type CompanySize = (typeof companySizes)[number];

export interface CompanyInput {
  name: string;
  industry?: string | null | undefined;
  role?: string | null | undefined;
  size?: string | null | undefined;
  creditCode?: string | null | undefined;
}

/** Fields anyone who keeps the profile may change. Absent: unchanged; null: cleared. */
export interface ProfileFieldsInput {
  name?: string | null | undefined;
  nameLatin?: string | null | undefined;
  hometownDistrict?: string | null | undefined;
  provinceCode?: string | null | undefined;
  city?: string | null | undefined;
  countryCode?: string | null | undefined;
  tags?: readonly string[] | null | undefined;
  /** Replaces the whole list of companies. */
  companies?: readonly CompanyInput[] | null | undefined;
}

/** Only the merchant changes these. */
export interface ContactFieldsInput {
  mobile?: string | null | undefined;
  landline?: string | null | undefined;
  email?: string | null | undefined;
  wechat?: string | null | undefined;
  mobileVisibility?: FieldVisibility | null | undefined;
  landlineVisibility?: FieldVisibility | null | undefined;
  emailVisibility?: FieldVisibility | null | undefined;
  wechatVisibility?: FieldVisibility | null | undefined;
}

export type UpdateMyProfileInput = ProfileFieldsInput & ContactFieldsInput;
export type CorrectMerchantProfileInput = ProfileFieldsInput & { merchantId: string };

const HAN_NAME = /^[\p{Script=Han}·]{1,20}$/u;
const LATIN_NAME = /^[A-Za-z][A-Za-z .'-]{0,99}$/;
const WECHAT = /^[A-Za-z][A-Za-z0-9_-]{5,19}$/;
const visibilities: readonly FieldVisibility[] = ["PUBLIC", "FEDERATION", "CHAMBER", "PRIVATE"];

type MerchantChanges = Partial<typeof merchantTable.$inferInsert>;
interface ValidProfile {
  merchant: MerchantChanges;
  companies: (typeof companyTable.$inferInsert)[] | null;
}

const optionalText = (v: string | null | undefined) =>
  v === undefined ? undefined : v === null ? null : v.trim() || null;

function validateProfileFields(input: ProfileFieldsInput, errors: ErrorCollector, merchantId: string): ValidProfile {
  const merchant: MerchantChanges = {};
  const at = (...path: string[]) => path;
  if (input.name !== undefined) {
    const name = (input.name ?? "").trim();
    if (!name) errors.add(at("name"), msg("profile.nameRequired"));
    else if (!HAN_NAME.test(name)) errors.add(at("name"), msg("profile.nameForm"));
    else {
      const forms = pinyinForms(name);
      Object.assign(merchant, { name, namePinyin: forms.full, nameInitials: forms.initials });
    }
  }
  const nameLatin = optionalText(input.nameLatin);
  if (nameLatin !== undefined) {
    if (nameLatin !== null && !LATIN_NAME.test(nameLatin)) errors.add(at("nameLatin"), msg("profile.latinNameForm"));
    else merchant.nameLatin = nameLatin?.replace(/\s+/g, " ") ?? null;
  }
  const district = optionalText(input.hometownDistrict);
  if (district !== undefined) {
    if (district !== null && !wenzhouDistrictCodes.has(district))
      errors.add(at("hometownDistrict"), msg("reference.unknownDistrict", { code: district }));
    else merchant.hometownDistrict = district;
  }
  const province = optionalText(input.provinceCode);
  if (province !== undefined) {
    if (province !== null && !provinceCodes.has(province))
      errors.add(at("provinceCode"), msg("reference.unknownProvince", { code: province }));
    else merchant.provinceCode = province;
  }
  const city = optionalText(input.city);
  if (city !== undefined) {
    if (city !== null && city.length > 50) errors.add(at("city"), msg("profile.cityTooLong"));
    else merchant.city = city;
  }
  if (input.countryCode !== undefined) {
    const country = (input.countryCode ?? "").trim().toUpperCase();
    if (!/^[A-Z]{2}$/.test(country)) errors.add(at("countryCode"), msg("profile.countryForm"));
    else merchant.countryCode = country;
  }
  if (input.tags !== undefined) {
    const tags = [...new Set(input.tags ?? [])];
    const bad = tags.filter((t) => !(merchantTags as readonly string[]).includes(t));
    if (bad.length)
      errors.add(at("tags"), msg("profile.unknownTags", { tags: bad.join(", "), known: merchantTags.join(", ") }));
    else merchant.tags = tags;
  }
  let companies: ValidProfile["companies"] = null;
  if (input.companies !== undefined) {
    companies = [];
    const list = input.companies ?? [];
    if (list.length > 20) errors.add(at("companies"), msg("profile.tooManyCompanies"));
    list.forEach((c, i) => {
      const field = (name: string) => at("companies", String(i), name);
      const name = c.name.trim();
      if (!name) errors.add(field("name"), msg("profile.companyNameRequired"));
      else if (name.length > 100) errors.add(field("name"), msg("profile.companyNameTooLong"));
      const industry = c.industry?.trim().toUpperCase() || null;
      if (industry && !industrySectionCodes.has(industry))
        errors.add(field("industry"), msg("reference.unknownIndustry", { code: c.industry ?? "" }));
      const role = c.role?.trim() || null;
      if (role && role.length > 50) errors.add(field("role"), msg("profile.roleTooLong"));
      const size = c.size?.trim().toUpperCase() || null;
      if (size && !(companySizes as readonly string[]).includes(size))
        errors.add(field("size"), msg("profile.sizeForm", { sizes: companySizes.join(", ") }));
      const creditCode = c.creditCode?.trim().toUpperCase() || null;
      if (creditCode && !isValidCreditCode(creditCode))
        errors.add(field("creditCode"), msg("values.creditCode", { value: c.creditCode ?? "" }));
      companies!.push({ merchantId, name, industry, role, size, creditCode });
    });
  }
  return { merchant, companies };
}

function validateContactFields(input: ContactFieldsInput, errors: ErrorCollector): MerchantChanges {
  const merchant: MerchantChanges = {};
  const mobile = optionalText(input.mobile);
  if (mobile !== undefined) {
    // One number, one stored form (bare 11 digits in the mainland, E.164 abroad), as the import stores it.
    const parsed = mobile === null ? null : normalizeMobile(mobile);
    if (parsed && !parsed.ok) errors.add(["mobile"], parsed.reason);
    else merchant.mobile = parsed ? parsed.value : null;
  }
  const landline = optionalText(input.landline);
  if (landline !== undefined) {
    // As the import stores it: area code-number, several comma-separated.
    const parsed = landline === null ? null : landline.split(/[,，;；、/]/).map((p) => normalizeLandline(p.trim()));
    const bad = parsed?.find((p) => !p.ok);
    if (bad && !bad.ok) errors.add(["landline"], bad.reason);
    else if (landline !== null && landline.length > 100)
      errors.add(["landline"], msg("input.atMostCharacters", { max: 100 }));
    else merchant.landline = parsed ? parsed.map((p) => (p.ok ? p.value : "")).join(", ") : null;
  }
  const email = optionalText(input.email);
  if (email !== undefined) {
    const problem = email === null ? null : emailProblem(email);
    if (problem) errors.add(["email"], problem);
    else merchant.email = email === null ? null : normalizeEmail(email);
  }
  const wechat = optionalText(input.wechat);
  if (wechat !== undefined) {
    if (wechat !== null && !WECHAT.test(wechat)) errors.add(["wechat"], msg("profile.wechatForm"));
    else merchant.wechat = wechat;
  }
  for (const key of ["mobileVisibility", "landlineVisibility", "emailVisibility", "wechatVisibility"] as const) {
    const v = input[key];
    if (v === undefined) continue;
    if (v === null || !visibilities.includes(v))
      errors.add([key], msg("profile.visibilityForm", { values: visibilities.join(", ") }));
    else merchant[key] = v;
  }
  return merchant;
}

async function applyProfile(
  tx: Executor,
  current: MerchantRow,
  changes: MerchantChanges,
  companies: ValidProfile["companies"],
) {
  const [updated] = await tx
    .update(merchantTable)
    .set({ ...changes, updatedAt: new Date() })
    .where(eq(merchantTable.id, current.id))
    .returning();
  const before = await tx.select().from(companyTable).where(eq(companyTable.merchantId, current.id));
  if (companies) {
    await tx.delete(companyTable).where(eq(companyTable.merchantId, current.id));
    if (companies.length) await tx.insert(companyTable).values(companies);
  }
  return { updated: updated!, companiesBefore: before };
}

async function liveMerchant(tx: Executor, id: string): Promise<MerchantRow | null> {
  // an erased profile is never written again: nobody can put values back into it
  const [row] = await tx
    .select()
    .from(merchantTable)
    .where(and(eq(merchantTable.id, id), isNull(merchantTable.mergedIntoId), isNull(merchantTable.erasedAt)))
    .for("update");
  return row ?? null;
}

/** The merchant edits their own profile, contact fields and visibilities included. */
export async function updateMyProfile(ctx: ServiceContext, input: UpdateMyProfileInput): Promise<MerchantRow> {
  const viewer = ctx.permissions.requireViewer();
  if (!viewer.merchantId) throw UserInputError.of("NOT_FOUND", null, msg("profile.noProfile"));
  const merchantId = viewer.merchantId;
  const errors = new ErrorCollector();
  const profile = validateProfileFields(input, errors, merchantId);
  const contact = validateContactFields(input, errors);
  errors.throwIfAny();
  // the 101st leading goose is refused by the database (see leading-geese/goose-service.ts)
  return refusingGooseCap(["tags"], () =>
    ctx.db.transaction(async (tx) => {
      const current = await liveMerchant(tx, merchantId);
      if (!current) throw UserInputError.of("NOT_FOUND", null, msg("profile.noProfile"));
      const { updated, companiesBefore } = await applyProfile(
        tx,
        current,
        { ...profile.merchant, ...contact },
        profile.companies,
      );
      await recordAudit(tx, {
        actorUserId: viewer.userId,
        chamberId: null,
        action: "merchant:update-profile",
        entityType: "Merchant",
        entityId: merchantId,
        before: { ...current, companies: companiesBefore },
        after: { ...updated, companies: profile.companies ?? companiesBefore },
      });
      return updated;
    }),
  );
}

/**
 * A secretary corrects a member's non-contact fields. A merchant who is not a member of any chamber the
 * viewer keeps is NOT_FOUND, exactly like a missing one.
 */
export async function correctMerchantProfile(
  ctx: ServiceContext,
  input: CorrectMerchantProfileInput,
): Promise<MerchantRow> {
  const viewer = ctx.permissions.requireViewer();
  const notFound = () => UserInputError.of("NOT_FOUND", ["merchantId"], msg("profile.notAmongMembers"));
  if (!isUuid(input.merchantId)) throw notFound();
  const [facts] = await loadMembershipFacts(ctx.db, [input.merchantId]);
  const chamberId = facts?.secretariatChamberIds.find((c) => ctx.permissions.can("profile:correct", { chamberId: c }));
  if (!chamberId) throw notFound();
  const errors = new ErrorCollector();
  const profile = validateProfileFields(input, errors, input.merchantId);
  errors.throwIfAny();
  return refusingGooseCap(["tags"], () =>
    ctx.db.transaction(async (tx) => {
      const current = await liveMerchant(tx, input.merchantId);
      if (!current) throw notFound();
      const { updated, companiesBefore } = await applyProfile(tx, current, profile.merchant, profile.companies);
      await recordAudit(tx, {
        actorUserId: viewer.userId,
        chamberId,
        action: "merchant:correct-profile",
        entityType: "Merchant",
        entityId: current.id,
        before: { ...current, companies: companiesBefore },
        after: { ...updated, companies: profile.companies ?? companiesBefore },
      });
      return updated;
    }),
  );
}
