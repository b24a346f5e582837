ALTER TABLE "membership" ADD COLUMN "consented_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "membership" ADD COLUMN "proposed_by" uuid;--> statement-breakpoint
ALTER TABLE "membership" ADD COLUMN "identity_withheld" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "membership" ADD CONSTRAINT "membership_proposed_by_app_user_id_fk" FOREIGN KEY ("proposed_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "membership" ADD CONSTRAINT "membership_withheld_only_while_proposed" CHECK (not identity_withheld or proposed_by is not null);--> statement-breakpoint
-- Memberships made before consent was recorded count as agreed when they were applied for.
UPDATE "membership" SET "consented_at" = "applied_at";
