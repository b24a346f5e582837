CREATE TABLE "merchant_search_gram" (
	"gram" text NOT NULL,
	"merchant_id" uuid NOT NULL,
	"name" text NOT NULL,
	CONSTRAINT "merchant_search_gram_merchant_id_gram_pk" PRIMARY KEY("merchant_id","gram")
);
--> statement-breakpoint
CREATE INDEX "merchant_search_gram_lookup_idx" ON "merchant_search_gram" USING btree ("gram","name","merchant_id");--> statement-breakpoint
CREATE INDEX "merchant_pinyin_prefix_idx" ON "merchant" USING btree ("name_pinyin" text_pattern_ops);--> statement-breakpoint
CREATE INDEX "merchant_initials_prefix_idx" ON "merchant" USING btree ("name_initials" text_pattern_ops);--> statement-breakpoint
CREATE INDEX "merchant_name_idx" ON "merchant" USING btree ("name","id");--> statement-breakpoint
CREATE INDEX "merchant_name_latin_trgm_idx" ON "merchant" USING gin (lower("name_latin") gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "merchant_name_latin_prefix_idx" ON "merchant" USING btree (lower("name_latin") text_pattern_ops);