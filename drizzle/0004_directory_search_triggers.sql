-- Keeps merchant_search_gram (every 1- and 2-character substring of a live merchant's name and company
-- names) right on every write, set-based so bulk imports stay fast. Merged profiles have no grams.
CREATE FUNCTION merchant_search_grams(t text) RETURNS SETOF text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT DISTINCT g FROM (
    SELECT substr(lower(t), i, n) AS g
    FROM generate_series(1, char_length(t)) AS i, (VALUES (1), (2)) AS v(n)
    WHERE i + n - 1 <= char_length(t)
  ) s WHERE g !~ '\s'
$$;--> statement-breakpoint
CREATE FUNCTION refresh_merchant_search_grams(ids uuid[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM merchant_search_gram WHERE merchant_id = ANY(ids);
  INSERT INTO merchant_search_gram (gram, merchant_id, name)
  SELECT DISTINCT g.gram, m.id, m.name
  FROM merchant m
  CROSS JOIN LATERAL (
    SELECT merchant_search_grams(m.name) AS gram
    UNION
    SELECT merchant_search_grams(c.name) FROM company c WHERE c.merchant_id = m.id
  ) g
  WHERE m.id = ANY(ids) AND m.merged_into_id IS NULL;
END $$;--> statement-breakpoint
CREATE FUNCTION merchant_search_gram_merchant_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO merchant_search_gram (gram, merchant_id, name)
  SELECT g, n.id, n.name FROM new_rows n, LATERAL merchant_search_grams(n.name) g
  WHERE n.merged_into_id IS NULL
  ON CONFLICT DO NOTHING;
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE FUNCTION merchant_search_gram_merchant_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM refresh_merchant_search_grams(ARRAY(
    SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id
    WHERE n.name IS DISTINCT FROM o.name OR n.merged_into_id IS DISTINCT FROM o.merged_into_id));
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE FUNCTION merchant_search_gram_company_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO merchant_search_gram (gram, merchant_id, name)
  SELECT g, m.id, m.name FROM new_rows c JOIN merchant m ON m.id = c.merchant_id, LATERAL merchant_search_grams(c.name) g
  WHERE m.merged_into_id IS NULL
  ON CONFLICT DO NOTHING;
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE FUNCTION merchant_search_gram_company_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM refresh_merchant_search_grams(ARRAY(
    SELECT merchant_id FROM new_rows UNION SELECT merchant_id FROM old_rows));
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE FUNCTION merchant_search_gram_company_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM refresh_merchant_search_grams(ARRAY(SELECT DISTINCT merchant_id FROM old_rows));
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER merchant_search_gram_merchant_insert AFTER INSERT ON merchant
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION merchant_search_gram_merchant_inserted();--> statement-breakpoint
CREATE TRIGGER merchant_search_gram_merchant_update AFTER UPDATE ON merchant
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION merchant_search_gram_merchant_updated();--> statement-breakpoint
CREATE TRIGGER merchant_search_gram_company_insert AFTER INSERT ON company
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION merchant_search_gram_company_inserted();--> statement-breakpoint
CREATE TRIGGER merchant_search_gram_company_update AFTER UPDATE ON company
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION merchant_search_gram_company_updated();--> statement-breakpoint
CREATE TRIGGER merchant_search_gram_company_delete AFTER DELETE ON company
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION merchant_search_gram_company_deleted();--> statement-breakpoint
-- Profiles that exist already (a database migrated before this change).
SELECT refresh_merchant_search_grams(ARRAY(SELECT id FROM merchant));
