-- Chambers listed as Chinese readers expect, by pinyin (北京, 全国…总会, 上海, 云南), the same on PostgreSQL and
-- PGlite, which has no ICU collations: name_sort holds a key derived from the name by the application (core's
-- pinyinSortKey: each character's toned pinyin and code point), compared byte by byte (COLLATE "C") so no
-- database collation can reorder it. Rows that exist before this migration get their key at the next start
-- (refreshChamberSortKeys); until then they sort first.
ALTER TABLE "chamber" ADD COLUMN "name_sort" text COLLATE "C" DEFAULT '' NOT NULL;--> statement-breakpoint
CREATE INDEX "chamber_name_sort_idx" ON "chamber" USING btree ("name_sort","id");
