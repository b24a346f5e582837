// The shared merchant directory (温商信息库): one profile per merchant across all chambers, with companies.
import { sql } from "drizzle-orm";
import {
  type AnyPgColumn,
  boolean,
  check,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uuid,
} from "drizzle-orm/pg-core";
import { provinceTable } from "./chambers";
import { createdAt, id, updatedAt } from "./columns";
import { visibilityEnum } from "./enums";
import type { Locale } from "./mail";

export const merchantTable = pgTable(
  "merchant",
  {
    id: id(),
    name: text("name").notNull(),
    nameLatin: text("name_latin"),
    /** Derived from `name` on write: full pinyin without tones or spaces ("chenyixin") and initials ("cyx"). */
    namePinyin: text("name_pinyin").notNull().default(""),
    nameInitials: text("name_initials").notNull().default(""),
    hometownDistrict: text("hometown_district"),
    provinceCode: text("province_code").references(() => provinceTable.code),
    city: text("city"),
    countryCode: text("country_code").notNull().default("CN"),
    tags: text("tags").array().notNull().default(sql`'{}'::text[]`),
    mobile: text("mobile"),
    mobileVisibility: visibilityEnum("mobile_visibility").notNull().default("CHAMBER"),
    /** A fixed-line number with its area code ("0577-88881234"), several comma-separated; never a matching key. */
    landline: text("landline"),
    landlineVisibility: visibilityEnum("landline_visibility").notNull().default("CHAMBER"),
    email: text("email"),
    emailVisibility: visibilityEnum("email_visibility").notNull().default("CHAMBER"),
    wechat: text("wechat"),
    wechatVisibility: visibilityEnum("wechat_visibility").notNull().default("PRIVATE"),
    /** The language mail to this merchant is written in when they have no account (an account's own wins). */
    locale: text("locale").$type<Locale>().notNull().default("zh-CN"),
    /** Set when this profile was merged into another; its global ID then resolves to the survivor. */
    mergedIntoId: uuid("merged_into_id").references((): AnyPgColumn => merchantTable.id),
    /**
     * Listed in the federation directory: the merchant has agreed to the current privacy notice and not withdrawn.
     * Unlisted profiles are found only inside their own chambers (see core's directory/visibility.ts).
     */
    listed: boolean("listed").notNull().default(false),
    /** The privacy notice version the merchant last agreed to; null before any agreement or after withdrawing. */
    agreedNoticeVersion: integer("agreed_notice_version"),
    /** Set when the merchant erased their personal data (PIPL Art. 47): the row stays only as "deleted user". */
    erasedAt: timestamp("erased_at", { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    check("merchant_locale", sql`locale in ('zh-CN', 'en')`),
    index("merchant_mobile_idx").on(t.mobile),
    index("merchant_email_idx").on(sql`lower(${t.email})`),
    index("merchant_hometown_idx").on(t.hometownDistrict),
    index("merchant_province_idx").on(t.provinceCode),
    index("merchant_tags_idx").using("gin", t.tags),
    index("merchant_name_trgm_idx").using("gin", sql`${t.name} gin_trgm_ops`),
    // Prefix search on pinyin and initials ("chen%", "cyx%") and exact-name ranking use these btrees.
    index("merchant_pinyin_prefix_idx").using("btree", t.namePinyin.op("text_pattern_ops")),
    index("merchant_initials_prefix_idx").using("btree", t.nameInitials.op("text_pattern_ops")),
    index("merchant_name_idx").on(t.name, t.id),
    index("merchant_name_latin_trgm_idx").using("gin", sql`lower(${t.nameLatin}) gin_trgm_ops`),
    index("merchant_name_latin_prefix_idx").using("btree", sql`lower(${t.nameLatin}) text_pattern_ops`),
    check("merchant_listed_agreed", sql`not listed or agreed_notice_version is not null`),
  ],
);

export const companyTable = pgTable(
  "company",
  {
    id: id(),
    merchantId: uuid("merchant_id")
      .notNull()
      .references(() => merchantTable.id),
    name: text("name").notNull(),
    /** GB/T 4754 section code (A–T). */
    industry: text("industry"),
    role: text("role"),
    size: text("size"),
    /** 统一社会信用代码: 18 characters with a check digit; the strongest key for the same firm across chambers. */
    creditCode: text("credit_code"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index("company_merchant_idx").on(t.merchantId),
    index("company_credit_code_idx").on(t.creditCode),
    index("company_industry_idx").on(t.industry),
    index("company_name_trgm_idx").using("gin", sql`${t.name} gin_trgm_ops`),
  ],
);

/**
 * Every 1- and 2-character substring (lower-cased) of a live merchant's name and company names, with the
 * merchant's name for ordering. pg_trgm needs three characters to use an index, but most Chinese name
 * searches are one or two: an equality lookup here serves them, already in name order. Beside them, keys
 * of three or more characters with a marker (migration 0006): 'p:' + every prefix of the pinyin and of the
 * initials, 'x:' + the full pinyin and initials, 'l:' + the lower-cased Latin name, so pinyin and initials
 * queries read one ordered range too. Maintained by triggers on merchant and company (migrations 0004 and
 * 0006), so every writer — services, imports, seeds — keeps it right.
 */
export const merchantSearchGramTable = pgTable(
  "merchant_search_gram",
  {
    gram: text("gram").notNull(),
    /** No foreign key: derived rows, written only by the triggers, in bulk. */
    merchantId: uuid("merchant_id").notNull(),
    name: text("name").notNull(),
    /**
     * The merchant is listed and not erased: found by everyone (the listing rule's open part, migration 0017), so
     * an anonymous search counts and pages off the index without probing each row's merchant. Kept by the triggers.
     */
    listed: boolean("listed").notNull().default(false),
  },
  (t) => [
    primaryKey({ columns: [t.merchantId, t.gram] }),
    // INCLUDE ("listed") in migration 0017 (drizzle cannot declare it): a page tests the flag off the index entry.
    index("merchant_search_gram_lookup_idx").on(t.gram, t.name, t.merchantId),
    // Narrow and deduplicated: counting a common character's listed matches (totalCount of "陈") is one range of a
    // few MB, not the wide index.
    index("merchant_search_gram_gram_idx").on(t.gram, t.listed),
  ],
);

export type MerchantRow = typeof merchantTable.$inferSelect;
export type CompanyRow = typeof companyTable.$inferSelect;
