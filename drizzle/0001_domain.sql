CREATE TYPE "public"."chamber_kind" AS ENUM('FEDERATION', 'PROVINCIAL', 'MUNICIPAL', 'OVERSEAS');--> statement-breakpoint
CREATE TYPE "public"."chamber_role_kind" AS ENUM('SECRETARY', 'MEMBER');--> statement-breakpoint
CREATE TYPE "public"."chamber_status" AS ENUM('FORMING', 'ACTIVE', 'DISSOLVED');--> statement-breakpoint
CREATE TYPE "public"."formation_status" AS ENUM('NOT_STARTED', 'INITIATED', 'PREPARATORY', 'APPLIED', 'APPROVED', 'FOUNDED');--> statement-breakpoint
CREATE TYPE "public"."lead_event_kind" AS ENUM('POSTED', 'UPDATED', 'RESPONDED');--> statement-breakpoint
CREATE TYPE "public"."lead_kind" AS ENUM('INVESTMENT_PROJECT', 'BUSINESS_OPPORTUNITY', 'SUPPLY', 'DEMAND', 'PARTNERSHIP');--> statement-breakpoint
CREATE TYPE "public"."lead_response_kind" AS ENUM('INTEREST', 'REFERRAL');--> statement-breakpoint
CREATE TYPE "public"."lead_status" AS ENUM('OPEN', 'IN_PROGRESS', 'CLOSED_WON', 'CLOSED_LOST', 'WITHDRAWN', 'EXPIRED');--> statement-breakpoint
CREATE TYPE "public"."lead_visibility" AS ENUM('CHAMBER', 'SELECTED_CHAMBERS', 'FEDERATION');--> statement-breakpoint
CREATE TYPE "public"."membership_level" AS ENUM('PRESIDENT', 'EXECUTIVE_VICE_PRESIDENT', 'VICE_PRESIDENT', 'STANDING_DIRECTOR', 'DIRECTOR', 'MEMBER');--> statement-breakpoint
CREATE TYPE "public"."membership_status" AS ENUM('APPLIED', 'ACTIVE', 'REJECTED', 'LAPSED', 'SUSPENDED', 'LEFT');--> statement-breakpoint
CREATE TYPE "public"."field_visibility" AS ENUM('PUBLIC', 'FEDERATION', 'CHAMBER', 'PRIVATE');--> statement-breakpoint
CREATE TABLE "chamber" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"kind" "chamber_kind" NOT NULL,
	"status" "chamber_status" DEFAULT 'ACTIVE' NOT NULL,
	"name" text NOT NULL,
	"name_en" text,
	"slug" text NOT NULL,
	"province_code" text,
	"city" text,
	"country_code" text,
	"parent_id" uuid,
	"founded_on" date,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "chamber_federation_has_no_parent" CHECK (kind <> 'FEDERATION' or parent_id is null),
	CONSTRAINT "chamber_overseas_has_country" CHECK (kind <> 'OVERSEAS' or country_code is not null),
	CONSTRAINT "chamber_provincial_has_province" CHECK (kind <> 'PROVINCIAL' or province_code is not null)
);
--> statement-breakpoint
CREATE TABLE "province" (
	"code" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"name_en" text NOT NULL,
	"kind" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "chamber_role" (
	"chamber_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"role" "chamber_role_kind" NOT NULL,
	"granted_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "chamber_role_chamber_id_user_id_role_pk" PRIMARY KEY("chamber_id","user_id","role")
);
--> statement-breakpoint
CREATE TABLE "invite" (
	"chamber_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"token_hash" text NOT NULL,
	"email" text NOT NULL,
	"display_name" text NOT NULL,
	"role" "chamber_role_kind" NOT NULL,
	"invited_by" uuid NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"accepted_at" timestamp with time zone,
	"accepted_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "invite_chamber_id_id_pk" PRIMARY KEY("chamber_id","id")
);
--> statement-breakpoint
CREATE TABLE "session" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"token_hash" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"revoked_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "app_user" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"email" text NOT NULL,
	"display_name" text NOT NULL,
	"password_hash" text,
	"is_federation_staff" boolean DEFAULT false NOT NULL,
	"merchant_id" uuid,
	"disabled_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "company" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"merchant_id" uuid NOT NULL,
	"name" text NOT NULL,
	"industry" text,
	"role" text,
	"size" text,
	"credit_code" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "merchant" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"name_latin" text,
	"name_pinyin" text DEFAULT '' NOT NULL,
	"name_initials" text DEFAULT '' NOT NULL,
	"hometown_district" text,
	"province_code" text,
	"city" text,
	"country_code" text DEFAULT 'CN' NOT NULL,
	"tags" text[] DEFAULT '{}'::text[] NOT NULL,
	"mobile" text,
	"mobile_visibility" "field_visibility" DEFAULT 'CHAMBER' NOT NULL,
	"email" text,
	"email_visibility" "field_visibility" DEFAULT 'CHAMBER' NOT NULL,
	"wechat" text,
	"wechat_visibility" "field_visibility" DEFAULT 'PRIVATE' NOT NULL,
	"merged_into_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "dues_payment" (
	"chamber_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"membership_id" uuid NOT NULL,
	"amount" numeric(16, 2) NOT NULL,
	"period_start" date NOT NULL,
	"period_end" date NOT NULL,
	"method" text,
	"receipt_no" text,
	"paid_on" date NOT NULL,
	"recorded_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "dues_payment_chamber_id_id_pk" PRIMARY KEY("chamber_id","id"),
	CONSTRAINT "dues_payment_amount_positive" CHECK (amount > 0),
	CONSTRAINT "dues_payment_period_ordered" CHECK (period_end >= period_start)
);
--> statement-breakpoint
CREATE TABLE "fee_schedule" (
	"chamber_id" uuid NOT NULL,
	"level" "membership_level" NOT NULL,
	"annual_fee" numeric(16, 2) NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "fee_schedule_chamber_id_level_pk" PRIMARY KEY("chamber_id","level"),
	CONSTRAINT "fee_schedule_non_negative" CHECK (annual_fee >= 0)
);
--> statement-breakpoint
CREATE TABLE "membership_note" (
	"chamber_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"membership_id" uuid NOT NULL,
	"body" text NOT NULL,
	"author_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "membership_note_chamber_id_id_pk" PRIMARY KEY("chamber_id","id")
);
--> statement-breakpoint
CREATE TABLE "membership" (
	"chamber_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"merchant_id" uuid NOT NULL,
	"level" "membership_level" DEFAULT 'MEMBER' NOT NULL,
	"status" "membership_status" DEFAULT 'APPLIED' NOT NULL,
	"applied_at" timestamp with time zone DEFAULT now() NOT NULL,
	"joined_on" date,
	"expires_on" date,
	"status_reason" text,
	"decided_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "membership_chamber_id_id_pk" PRIMARY KEY("chamber_id","id")
);
--> statement-breakpoint
CREATE TABLE "checklist_item" (
	"chamber_id" uuid NOT NULL,
	"item" text NOT NULL,
	"done_on" date,
	"note" text,
	"value" text,
	"checked_by" uuid,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "checklist_item_chamber_id_item_pk" PRIMARY KEY("chamber_id","item")
);
--> statement-breakpoint
CREATE TABLE "formation_plan" (
	"province_code" text NOT NULL,
	"status" "formation_status" NOT NULL,
	"target_on" date NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "formation_plan_province_code_status_pk" PRIMARY KEY("province_code","status")
);
--> statement-breakpoint
CREATE TABLE "formation_step" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"province_code" text NOT NULL,
	"from_status" "formation_status" NOT NULL,
	"to_status" "formation_status" NOT NULL,
	"reached_on" date NOT NULL,
	"note" text,
	"reason" text,
	"recorded_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "formation" (
	"province_code" text PRIMARY KEY NOT NULL,
	"status" "formation_status" DEFAULT 'NOT_STARTED' NOT NULL,
	"reached_on" date,
	"chamber_id" uuid,
	"responsible_user_id" uuid,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "lead_audience" (
	"lead_chamber_id" uuid NOT NULL,
	"lead_id" uuid NOT NULL,
	"chamber_id" uuid NOT NULL,
	CONSTRAINT "lead_audience_lead_chamber_id_lead_id_chamber_id_pk" PRIMARY KEY("lead_chamber_id","lead_id","chamber_id")
);
--> statement-breakpoint
CREATE TABLE "lead_event" (
	"seq" bigserial PRIMARY KEY NOT NULL,
	"chamber_id" uuid NOT NULL,
	"lead_id" uuid NOT NULL,
	"kind" "lead_event_kind" NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "lead_response" (
	"chamber_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"lead_id" uuid NOT NULL,
	"kind" "lead_response_kind" NOT NULL,
	"message" text NOT NULL,
	"responder_merchant_id" uuid NOT NULL,
	"responder_user_id" uuid NOT NULL,
	"responder_chamber_id" uuid,
	"referred_merchant_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "lead_response_chamber_id_id_pk" PRIMARY KEY("chamber_id","id"),
	CONSTRAINT "lead_response_referral_names_merchant" CHECK (kind <> 'REFERRAL' or referred_merchant_id is not null)
);
--> statement-breakpoint
CREATE TABLE "lead" (
	"chamber_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"posted_by_merchant_id" uuid NOT NULL,
	"posted_by_user_id" uuid NOT NULL,
	"kind" "lead_kind" NOT NULL,
	"title" text NOT NULL,
	"description" text NOT NULL,
	"industry" text,
	"province_code" text,
	"district" text,
	"amount" numeric(16, 2),
	"expires_on" date,
	"visibility" "lead_visibility" NOT NULL,
	"status" "lead_status" DEFAULT 'OPEN' NOT NULL,
	"closed_value" numeric(16, 2),
	"closed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "lead_chamber_id_id_pk" PRIMARY KEY("chamber_id","id"),
	CONSTRAINT "lead_amount_non_negative" CHECK (amount is null or amount >= 0),
	CONSTRAINT "lead_closed_value_when_won" CHECK (status <> 'CLOSED_WON' or closed_value is not null)
);
--> statement-breakpoint
CREATE TABLE "audit_log" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"chamber_id" uuid,
	"actor_user_id" uuid,
	"action" text NOT NULL,
	"entity_type" text NOT NULL,
	"entity_id" text NOT NULL,
	"before" jsonb,
	"after" jsonb,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "chamber" ADD CONSTRAINT "chamber_province_code_province_code_fk" FOREIGN KEY ("province_code") REFERENCES "public"."province"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "chamber" ADD CONSTRAINT "chamber_parent_id_chamber_id_fk" FOREIGN KEY ("parent_id") REFERENCES "public"."chamber"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "chamber_role" ADD CONSTRAINT "chamber_role_chamber_id_chamber_id_fk" FOREIGN KEY ("chamber_id") REFERENCES "public"."chamber"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "chamber_role" ADD CONSTRAINT "chamber_role_user_id_app_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."app_user"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "chamber_role" ADD CONSTRAINT "chamber_role_granted_by_app_user_id_fk" FOREIGN KEY ("granted_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "invite" ADD CONSTRAINT "invite_chamber_id_chamber_id_fk" FOREIGN KEY ("chamber_id") REFERENCES "public"."chamber"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "invite" ADD CONSTRAINT "invite_invited_by_app_user_id_fk" FOREIGN KEY ("invited_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "invite" ADD CONSTRAINT "invite_accepted_by_app_user_id_fk" FOREIGN KEY ("accepted_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "session" ADD CONSTRAINT "session_user_id_app_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."app_user"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "app_user" ADD CONSTRAINT "app_user_merchant_id_merchant_id_fk" FOREIGN KEY ("merchant_id") REFERENCES "public"."merchant"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "company" ADD CONSTRAINT "company_merchant_id_merchant_id_fk" FOREIGN KEY ("merchant_id") REFERENCES "public"."merchant"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "merchant" ADD CONSTRAINT "merchant_province_code_province_code_fk" FOREIGN KEY ("province_code") REFERENCES "public"."province"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "merchant" ADD CONSTRAINT "merchant_merged_into_id_merchant_id_fk" FOREIGN KEY ("merged_into_id") REFERENCES "public"."merchant"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dues_payment" ADD CONSTRAINT "dues_payment_recorded_by_app_user_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dues_payment" ADD CONSTRAINT "dues_payment_chamber_id_membership_id_membership_chamber_id_id_fk" FOREIGN KEY ("chamber_id","membership_id") REFERENCES "public"."membership"("chamber_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fee_schedule" ADD CONSTRAINT "fee_schedule_chamber_id_chamber_id_fk" FOREIGN KEY ("chamber_id") REFERENCES "public"."chamber"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "membership_note" ADD CONSTRAINT "membership_note_author_id_app_user_id_fk" FOREIGN KEY ("author_id") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "membership_note" ADD CONSTRAINT "membership_note_chamber_id_membership_id_membership_chamber_id_id_fk" FOREIGN KEY ("chamber_id","membership_id") REFERENCES "public"."membership"("chamber_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "membership" ADD CONSTRAINT "membership_chamber_id_chamber_id_fk" FOREIGN KEY ("chamber_id") REFERENCES "public"."chamber"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "membership" ADD CONSTRAINT "membership_merchant_id_merchant_id_fk" FOREIGN KEY ("merchant_id") REFERENCES "public"."merchant"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "membership" ADD CONSTRAINT "membership_decided_by_app_user_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "checklist_item" ADD CONSTRAINT "checklist_item_chamber_id_chamber_id_fk" FOREIGN KEY ("chamber_id") REFERENCES "public"."chamber"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "checklist_item" ADD CONSTRAINT "checklist_item_checked_by_app_user_id_fk" FOREIGN KEY ("checked_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "formation_plan" ADD CONSTRAINT "formation_plan_province_code_province_code_fk" FOREIGN KEY ("province_code") REFERENCES "public"."province"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "formation_step" ADD CONSTRAINT "formation_step_province_code_province_code_fk" FOREIGN KEY ("province_code") REFERENCES "public"."province"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "formation_step" ADD CONSTRAINT "formation_step_recorded_by_app_user_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "formation" ADD CONSTRAINT "formation_province_code_province_code_fk" FOREIGN KEY ("province_code") REFERENCES "public"."province"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "formation" ADD CONSTRAINT "formation_chamber_id_chamber_id_fk" FOREIGN KEY ("chamber_id") REFERENCES "public"."chamber"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "formation" ADD CONSTRAINT "formation_responsible_user_id_app_user_id_fk" FOREIGN KEY ("responsible_user_id") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lead_audience" ADD CONSTRAINT "lead_audience_chamber_id_chamber_id_fk" FOREIGN KEY ("chamber_id") REFERENCES "public"."chamber"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lead_audience" ADD CONSTRAINT "lead_audience_lead_chamber_id_lead_id_lead_chamber_id_id_fk" FOREIGN KEY ("lead_chamber_id","lead_id") REFERENCES "public"."lead"("chamber_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lead_event" ADD CONSTRAINT "lead_event_chamber_id_lead_id_lead_chamber_id_id_fk" FOREIGN KEY ("chamber_id","lead_id") REFERENCES "public"."lead"("chamber_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lead_response" ADD CONSTRAINT "lead_response_responder_merchant_id_merchant_id_fk" FOREIGN KEY ("responder_merchant_id") REFERENCES "public"."merchant"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lead_response" ADD CONSTRAINT "lead_response_responder_user_id_app_user_id_fk" FOREIGN KEY ("responder_user_id") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lead_response" ADD CONSTRAINT "lead_response_responder_chamber_id_chamber_id_fk" FOREIGN KEY ("responder_chamber_id") REFERENCES "public"."chamber"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lead_response" ADD CONSTRAINT "lead_response_referred_merchant_id_merchant_id_fk" FOREIGN KEY ("referred_merchant_id") REFERENCES "public"."merchant"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lead_response" ADD CONSTRAINT "lead_response_chamber_id_lead_id_lead_chamber_id_id_fk" FOREIGN KEY ("chamber_id","lead_id") REFERENCES "public"."lead"("chamber_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lead" ADD CONSTRAINT "lead_chamber_id_chamber_id_fk" FOREIGN KEY ("chamber_id") REFERENCES "public"."chamber"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lead" ADD CONSTRAINT "lead_posted_by_merchant_id_merchant_id_fk" FOREIGN KEY ("posted_by_merchant_id") REFERENCES "public"."merchant"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lead" ADD CONSTRAINT "lead_posted_by_user_id_app_user_id_fk" FOREIGN KEY ("posted_by_user_id") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lead" ADD CONSTRAINT "lead_province_code_province_code_fk" FOREIGN KEY ("province_code") REFERENCES "public"."province"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "audit_log" ADD CONSTRAINT "audit_log_actor_user_id_app_user_id_fk" FOREIGN KEY ("actor_user_id") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "chamber_slug_key" ON "chamber" USING btree ("slug");--> statement-breakpoint
CREATE UNIQUE INDEX "chamber_one_federation_key" ON "chamber" USING btree ("kind") WHERE kind = 'FEDERATION';--> statement-breakpoint
CREATE UNIQUE INDEX "chamber_one_provincial_key" ON "chamber" USING btree ("province_code") WHERE kind = 'PROVINCIAL' and status <> 'DISSOLVED';--> statement-breakpoint
CREATE UNIQUE INDEX "chamber_one_per_city_key" ON "chamber" USING btree ("kind","province_code","country_code","city") WHERE city is not null and status <> 'DISSOLVED';--> statement-breakpoint
CREATE INDEX "chamber_parent_idx" ON "chamber" USING btree ("parent_id");--> statement-breakpoint
CREATE INDEX "chamber_name_trgm_idx" ON "chamber" USING gin ((name || ' ' || coalesce(name_en, '')) gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "chamber_role_user_idx" ON "chamber_role" USING btree ("user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "invite_token_hash_key" ON "invite" USING btree ("chamber_id","token_hash");--> statement-breakpoint
CREATE INDEX "invite_token_lookup_idx" ON "invite" USING btree ("token_hash");--> statement-breakpoint
CREATE UNIQUE INDEX "session_token_hash_key" ON "session" USING btree ("token_hash");--> statement-breakpoint
CREATE INDEX "session_user_idx" ON "session" USING btree ("user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "app_user_email_key" ON "app_user" USING btree (lower("email"));--> statement-breakpoint
CREATE INDEX "app_user_merchant_idx" ON "app_user" USING btree ("merchant_id");--> statement-breakpoint
CREATE INDEX "company_merchant_idx" ON "company" USING btree ("merchant_id");--> statement-breakpoint
CREATE INDEX "company_credit_code_idx" ON "company" USING btree ("credit_code");--> statement-breakpoint
CREATE INDEX "company_industry_idx" ON "company" USING btree ("industry");--> statement-breakpoint
CREATE INDEX "company_name_trgm_idx" ON "company" USING gin ("name" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "merchant_mobile_idx" ON "merchant" USING btree ("mobile");--> statement-breakpoint
CREATE INDEX "merchant_email_idx" ON "merchant" USING btree (lower("email"));--> statement-breakpoint
CREATE INDEX "merchant_hometown_idx" ON "merchant" USING btree ("hometown_district");--> statement-breakpoint
CREATE INDEX "merchant_province_idx" ON "merchant" USING btree ("province_code");--> statement-breakpoint
CREATE INDEX "merchant_tags_idx" ON "merchant" USING gin ("tags");--> statement-breakpoint
CREATE INDEX "merchant_name_trgm_idx" ON "merchant" USING gin ("name" gin_trgm_ops);--> statement-breakpoint
CREATE UNIQUE INDEX "dues_payment_receipt_key" ON "dues_payment" USING btree ("chamber_id","receipt_no") WHERE receipt_no is not null;--> statement-breakpoint
CREATE INDEX "dues_payment_membership_idx" ON "dues_payment" USING btree ("chamber_id","membership_id","period_start");--> statement-breakpoint
CREATE INDEX "membership_note_membership_idx" ON "membership_note" USING btree ("chamber_id","membership_id");--> statement-breakpoint
CREATE UNIQUE INDEX "membership_chamber_merchant_key" ON "membership" USING btree ("chamber_id","merchant_id");--> statement-breakpoint
CREATE INDEX "membership_id_idx" ON "membership" USING btree ("id");--> statement-breakpoint
CREATE INDEX "membership_merchant_idx" ON "membership" USING btree ("merchant_id");--> statement-breakpoint
CREATE INDEX "membership_chamber_status_idx" ON "membership" USING btree ("chamber_id","status","level");--> statement-breakpoint
CREATE INDEX "membership_chamber_expiry_idx" ON "membership" USING btree ("chamber_id","expires_on");--> statement-breakpoint
CREATE INDEX "formation_step_province_idx" ON "formation_step" USING btree ("province_code","id");--> statement-breakpoint
CREATE INDEX "lead_audience_chamber_idx" ON "lead_audience" USING btree ("chamber_id");--> statement-breakpoint
CREATE INDEX "lead_event_lead_idx" ON "lead_event" USING btree ("chamber_id","lead_id");--> statement-breakpoint
CREATE INDEX "lead_response_lead_idx" ON "lead_response" USING btree ("chamber_id","lead_id");--> statement-breakpoint
CREATE INDEX "lead_response_responder_idx" ON "lead_response" USING btree ("responder_merchant_id");--> statement-breakpoint
CREATE INDEX "lead_id_idx" ON "lead" USING btree ("id");--> statement-breakpoint
CREATE INDEX "lead_chamber_created_idx" ON "lead" USING btree ("chamber_id","created_at");--> statement-breakpoint
CREATE INDEX "lead_visibility_created_idx" ON "lead" USING btree ("visibility","created_at");--> statement-breakpoint
CREATE INDEX "lead_poster_idx" ON "lead" USING btree ("posted_by_merchant_id");--> statement-breakpoint
CREATE INDEX "audit_log_chamber_idx" ON "audit_log" USING btree ("chamber_id","id");--> statement-breakpoint
CREATE INDEX "audit_log_entity_idx" ON "audit_log" USING btree ("entity_type","entity_id");