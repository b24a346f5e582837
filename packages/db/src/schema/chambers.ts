// Chambers are the tenants; the federation's reference table of provinces lives beside them.
import { sql } from "drizzle-orm";
import { type AnyPgColumn, check, date, index, pgTable, text, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { createdAt, id, updatedAt } from "./columns";
import { chamberKindEnum, chamberStatusEnum } from "./enums";

/** The 31 provincial-level divisions (GB/T 2260), loaded by migration-time seed from reference data. */
export const provinceTable = pgTable("province", {
  code: text("code").primaryKey(),
  name: text("name").notNull(),
  nameEn: text("name_en").notNull(),
  kind: text("kind").notNull(),
});

export const chamberTable = pgTable(
  "chamber",
  {
    id: id(),
    kind: chamberKindEnum("kind").notNull(),
    status: chamberStatusEnum("status").notNull().default("ACTIVE"),
    name: text("name").notNull(),
    /**
     * The name's pinyin sort key (core's `pinyinSortKey`, written with the name): lists of chambers are in the
     * order Chinese readers expect (北京, 全国…, 上海, 云南), byte for byte the same on PostgreSQL and PGlite
     * (the column is COLLATE "C", migration 0008), with no ICU needed.
     */
    nameSort: text("name_sort").notNull().default(""),
    nameEn: text("name_en"),
    slug: text("slug").notNull(),
    provinceCode: text("province_code").references(() => provinceTable.code),
    city: text("city"),
    countryCode: text("country_code"),
    parentId: uuid("parent_id").references((): AnyPgColumn => chamberTable.id),
    foundedOn: date("founded_on", { mode: "string" }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("chamber_slug_key").on(t.slug),
    // exactly one federation
    uniqueIndex("chamber_one_federation_key").on(t.kind).where(sql`kind = 'FEDERATION'`),
    // at most one provincial chamber per province (一地一会)
    uniqueIndex("chamber_one_provincial_key")
      .on(t.provinceCode)
      .where(sql`kind = 'PROVINCIAL' and status <> 'DISSOLVED'`),
    // one chamber of a kind per place
    uniqueIndex("chamber_one_per_city_key")
      .on(t.kind, t.provinceCode, t.countryCode, t.city)
      .where(sql`city is not null and status <> 'DISSOLVED'`),
    index("chamber_parent_idx").on(t.parentId),
    index("chamber_name_sort_idx").on(t.nameSort, t.id),
    index("chamber_name_trgm_idx").using("gin", sql`(name || ' ' || coalesce(name_en, '')) gin_trgm_ops`),
    check("chamber_federation_has_no_parent", sql`kind <> 'FEDERATION' or parent_id is null`),
    check("chamber_overseas_has_country", sql`kind <> 'OVERSEAS' or country_code is not null`),
    check("chamber_provincial_has_province", sql`kind <> 'PROVINCIAL' or province_code is not null`),
  ],
);

export type ProvinceRow = typeof provinceTable.$inferSelect;
export type ChamberRow = typeof chamberTable.$inferSelect;
