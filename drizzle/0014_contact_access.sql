CREATE TYPE "public"."access_basis" AS ENUM('SECRETARIAT', 'CHAMBER', 'FEDERATION');--> statement-breakpoint
CREATE TYPE "public"."access_channel" AS ENUM('QUERY', 'EXPORT', 'SUBSCRIPTION');--> statement-breakpoint
CREATE TYPE "public"."contact_field" AS ENUM('MOBILE', 'LANDLINE', 'EMAIL', 'WECHAT');--> statement-breakpoint
CREATE TABLE "contact_access" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"merchant_id" uuid NOT NULL,
	"viewer_user_id" uuid NOT NULL,
	"fields" "contact_field"[] NOT NULL,
	"channel" "access_channel" NOT NULL,
	"basis" "access_basis" NOT NULL,
	"basis_chamber_id" uuid,
	"export_audit_id" bigint,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "contact_access" ADD CONSTRAINT "contact_access_merchant_id_merchant_id_fk" FOREIGN KEY ("merchant_id") REFERENCES "public"."merchant"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contact_access" ADD CONSTRAINT "contact_access_viewer_user_id_app_user_id_fk" FOREIGN KEY ("viewer_user_id") REFERENCES "public"."app_user"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contact_access" ADD CONSTRAINT "contact_access_basis_chamber_id_chamber_id_fk" FOREIGN KEY ("basis_chamber_id") REFERENCES "public"."chamber"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "contact_access_merchant_idx" ON "contact_access" USING btree ("merchant_id","id");--> statement-breakpoint
CREATE INDEX "contact_access_at_idx" ON "contact_access" USING btree ("at");--> statement-breakpoint
CREATE INDEX "contact_access_viewer_idx" ON "contact_access" USING btree ("viewer_user_id");--> statement-breakpoint
CREATE INDEX "audit_log_at_idx" ON "audit_log" USING btree ("at");--> statement-breakpoint
CREATE INDEX "session_expires_idx" ON "session" USING btree ("expires_at");