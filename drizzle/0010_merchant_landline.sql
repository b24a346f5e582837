ALTER TABLE "merchant" ADD COLUMN "landline" text;--> statement-breakpoint
ALTER TABLE "merchant" ADD COLUMN "landline_visibility" "field_visibility" DEFAULT 'CHAMBER' NOT NULL;