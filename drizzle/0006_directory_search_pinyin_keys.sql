-- Pinyin, initials and exact Latin-name keys in merchant_search_gram, so a pinyin prefix ("wangh") or initials
-- ("cyx") reads (gram, name, merchant_id) ranges already in name order, and its count is an index-only range
-- count, just like a Chinese gram. Every key has a marker and is at least three characters long, so it never
-- equals a Chinese gram (one or two characters):
--   'x:' || name_pinyin, 'x:' || name_initials         exact pinyin or initials: ranked first
--   'p:' || every other prefix of either                 a prefix that is neither: the other matches
--   'l:' || lower(name_latin)                            exact Latin name: ranked first
-- A merchant has either the 'x:' or the 'p:' key of a string, never both, so the exact and the other matches are
-- two disjoint ranges, each read only as far as a page needs, and counted by adding the two.
CREATE FUNCTION merchant_search_keys(pinyin text, initials text, latin text) RETURNS SETOF text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT 'x:' || v FROM (VALUES (pinyin), (initials)) AS t(v) WHERE v <> ''
  UNION
  SELECT 'p:' || left(v, i) FROM (VALUES (pinyin), (initials)) AS t(v), generate_series(1, char_length(v) - 1) AS i
  WHERE left(v, i) NOT IN (pinyin, initials)
  UNION
  SELECT 'l:' || lower(latin) WHERE latin <> ''
$$;--> statement-breakpoint
-- Every read of this table is an index range; a parallel count of a common character's 228k rows measured
-- 80-125 ms against 20 ms in one process (worker start-up on a small, busy machine), so it never goes parallel.
ALTER TABLE merchant_search_gram SET (parallel_workers = 0);--> statement-breakpoint
CREATE OR REPLACE FUNCTION refresh_merchant_search_grams(ids uuid[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM merchant_search_gram WHERE merchant_id = ANY(ids);
  INSERT INTO merchant_search_gram (gram, merchant_id, name)
  SELECT DISTINCT g.gram, m.id, m.name
  FROM merchant m
  CROSS JOIN LATERAL (
    SELECT merchant_search_grams(m.name) AS gram
    UNION
    SELECT merchant_search_grams(c.name) FROM company c WHERE c.merchant_id = m.id
    UNION
    SELECT merchant_search_keys(m.name_pinyin, m.name_initials, m.name_latin)
  ) g
  WHERE m.id = ANY(ids) AND m.merged_into_id IS NULL;
END $$;--> statement-breakpoint
CREATE OR REPLACE FUNCTION merchant_search_gram_merchant_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO merchant_search_gram (gram, merchant_id, name)
  SELECT g, n.id, n.name
  FROM new_rows n,
       LATERAL (SELECT merchant_search_grams(n.name) UNION ALL SELECT merchant_search_keys(n.name_pinyin, n.name_initials, n.name_latin)) AS k(g)
  WHERE n.merged_into_id IS NULL
  ON CONFLICT DO NOTHING;
  RETURN NULL;
END $$;--> statement-breakpoint
-- The keys follow name_pinyin, name_initials and name_latin too, not only the name.
CREATE OR REPLACE FUNCTION merchant_search_gram_merchant_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM refresh_merchant_search_grams(ARRAY(
    SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id
    WHERE n.name IS DISTINCT FROM o.name OR n.merged_into_id IS DISTINCT FROM o.merged_into_id
       OR n.name_pinyin IS DISTINCT FROM o.name_pinyin OR n.name_initials IS DISTINCT FROM o.name_initials
       OR n.name_latin IS DISTINCT FROM o.name_latin));
  RETURN NULL;
END $$;--> statement-breakpoint
-- Profiles that exist already: add their keys (their grams are there).
INSERT INTO merchant_search_gram (gram, merchant_id, name)
SELECT k, m.id, m.name FROM merchant m, LATERAL merchant_search_keys(m.name_pinyin, m.name_initials, m.name_latin) AS k
WHERE m.merged_into_id IS NULL
ON CONFLICT DO NOTHING;
