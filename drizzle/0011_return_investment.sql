CREATE TYPE "public"."capital_category" AS ENUM('RETURN_OUTSIDE_PROVINCE', 'REAL_ESTATE_OUTSIDE_CITY');--> statement-breakpoint
CREATE TYPE "public"."investment_event_kind" AS ENUM('PROJECT_CREATED', 'STAGE_CHANGED', 'CAPITAL_ARRIVED', 'CAPITAL_REVERSED', 'PLEDGE_REVISED', 'INVESTOR_CHANGED', 'PROBLEM_OPENED', 'PROBLEM_RESOLVED');--> statement-breakpoint
CREATE TYPE "public"."investment_merchant_role" AS ENUM('INVESTOR', 'BROUGHT');--> statement-breakpoint
CREATE TYPE "public"."investment_pledge_kind" AS ENUM('INITIAL', 'INCREASE', 'REVISION', 'NEW_INVESTOR');--> statement-breakpoint
CREATE TYPE "public"."investment_problem_kind" AS ENUM('LAND', 'FUNDS', 'APPROVAL', 'ENVIRONMENT_CAPACITY', 'OTHER');--> statement-breakpoint
CREATE TYPE "public"."investment_problem_status" AS ENUM('OPEN', 'RESOLVED');--> statement-breakpoint
CREATE TYPE "public"."investment_stage" AS ENUM('PROMOTED', 'NEGOTIATING', 'SIGNED', 'TO_START', 'UNDER_CONSTRUCTION', 'IN_OPERATION', 'DROPPED');--> statement-breakpoint
CREATE TABLE "investment_arrival" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"project_id" uuid NOT NULL,
	"arrived_on" date NOT NULL,
	"amount" numeric(16, 2) NOT NULL,
	"category" "capital_category" NOT NULL,
	"reverses_arrival_id" uuid,
	"note" text,
	"actor_user_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "investment_arrival_amount_non_zero" CHECK (amount <> 0),
	CONSTRAINT "investment_arrival_negative_only_reversal" CHECK (amount > 0 or reverses_arrival_id is not null)
);
--> statement-breakpoint
CREATE TABLE "investment_credit" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"project_id" uuid NOT NULL,
	"chamber_id" uuid NOT NULL,
	"share_percent" numeric(5, 2) NOT NULL,
	"valid_from" date,
	"valid_to" date,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "investment_credit_share_range" CHECK (share_percent > 0 and share_percent <= 100)
);
--> statement-breakpoint
CREATE TABLE "investment_event" (
	"seq" bigserial PRIMARY KEY NOT NULL,
	"project_id" uuid NOT NULL,
	"kind" "investment_event_kind" NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "investment_merchant" (
	"project_id" uuid NOT NULL,
	"merchant_id" uuid NOT NULL,
	"role" "investment_merchant_role" NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "investment_merchant_project_id_merchant_id_role_pk" PRIMARY KEY("project_id","merchant_id","role")
);
--> statement-breakpoint
CREATE TABLE "investment_pledge" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"project_id" uuid NOT NULL,
	"kind" "investment_pledge_kind" NOT NULL,
	"delta" numeric(16, 2) NOT NULL,
	"total" numeric(16, 2) NOT NULL,
	"on" date NOT NULL,
	"reason" text,
	"actor_user_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "investment_pledge_total_non_negative" CHECK (total >= 0)
);
--> statement-breakpoint
CREATE TABLE "investment_problem" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"project_id" uuid NOT NULL,
	"kind" "investment_problem_kind" NOT NULL,
	"description" text NOT NULL,
	"department" text NOT NULL,
	"due_on" date NOT NULL,
	"status" "investment_problem_status" DEFAULT 'OPEN' NOT NULL,
	"resolution" text,
	"resolved_on" date,
	"raised_by_user_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "investment_problem_resolved" CHECK (status <> 'RESOLVED' or resolution is not null)
);
--> statement-breakpoint
CREATE TABLE "investment_project" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"company_name" text,
	"industry" text,
	"district" text NOT NULL,
	"key_project" boolean DEFAULT false NOT NULL,
	"green_channel" boolean DEFAULT false NOT NULL,
	"stage" "investment_stage" DEFAULT 'PROMOTED' NOT NULL,
	"stage_on" date NOT NULL,
	"pledged" numeric(16, 2) NOT NULL,
	"lead_chamber_id" uuid,
	"lead_id" uuid,
	"service_officer_user_id" uuid,
	"created_by_user_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "investment_project_pledged_non_negative" CHECK (pledged >= 0)
);
--> statement-breakpoint
CREATE TABLE "investment_stage_change" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"project_id" uuid NOT NULL,
	"from_stage" "investment_stage",
	"to_stage" "investment_stage" NOT NULL,
	"on" date NOT NULL,
	"reason" text,
	"actor_user_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "return_investment_district_target" (
	"year" integer NOT NULL,
	"district" text NOT NULL,
	"amount" numeric(16, 2) NOT NULL,
	CONSTRAINT "return_investment_district_target_year_district_pk" PRIMARY KEY("year","district")
);
--> statement-breakpoint
CREATE TABLE "return_investment_target" (
	"year" integer PRIMARY KEY NOT NULL,
	"amount" numeric(16, 2) NOT NULL,
	"set_by_user_id" uuid,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "app_user" ADD COLUMN "is_city_staff" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "investment_arrival" ADD CONSTRAINT "investment_arrival_project_id_investment_project_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."investment_project"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "investment_arrival" ADD CONSTRAINT "investment_arrival_reverses_arrival_id_investment_arrival_id_fk" FOREIGN KEY ("reverses_arrival_id") REFERENCES "public"."investment_arrival"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "investment_arrival" ADD CONSTRAINT "investment_arrival_actor_user_id_app_user_id_fk" FOREIGN KEY ("actor_user_id") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "investment_credit" ADD CONSTRAINT "investment_credit_project_id_investment_project_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."investment_project"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "investment_credit" ADD CONSTRAINT "investment_credit_chamber_id_chamber_id_fk" FOREIGN KEY ("chamber_id") REFERENCES "public"."chamber"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "investment_event" ADD CONSTRAINT "investment_event_project_id_investment_project_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."investment_project"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "investment_merchant" ADD CONSTRAINT "investment_merchant_project_id_investment_project_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."investment_project"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "investment_merchant" ADD CONSTRAINT "investment_merchant_merchant_id_merchant_id_fk" FOREIGN KEY ("merchant_id") REFERENCES "public"."merchant"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "investment_pledge" ADD CONSTRAINT "investment_pledge_project_id_investment_project_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."investment_project"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "investment_pledge" ADD CONSTRAINT "investment_pledge_actor_user_id_app_user_id_fk" FOREIGN KEY ("actor_user_id") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "investment_problem" ADD CONSTRAINT "investment_problem_project_id_investment_project_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."investment_project"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "investment_problem" ADD CONSTRAINT "investment_problem_raised_by_user_id_app_user_id_fk" FOREIGN KEY ("raised_by_user_id") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "investment_project" ADD CONSTRAINT "investment_project_service_officer_user_id_app_user_id_fk" FOREIGN KEY ("service_officer_user_id") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "investment_project" ADD CONSTRAINT "investment_project_created_by_user_id_app_user_id_fk" FOREIGN KEY ("created_by_user_id") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "investment_project" ADD CONSTRAINT "investment_project_lead_chamber_id_lead_id_lead_chamber_id_id_fk" FOREIGN KEY ("lead_chamber_id","lead_id") REFERENCES "public"."lead"("chamber_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "investment_stage_change" ADD CONSTRAINT "investment_stage_change_project_id_investment_project_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."investment_project"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "investment_stage_change" ADD CONSTRAINT "investment_stage_change_actor_user_id_app_user_id_fk" FOREIGN KEY ("actor_user_id") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "return_investment_district_target" ADD CONSTRAINT "return_investment_district_target_year_return_investment_target_year_fk" FOREIGN KEY ("year") REFERENCES "public"."return_investment_target"("year") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "return_investment_target" ADD CONSTRAINT "return_investment_target_set_by_user_id_app_user_id_fk" FOREIGN KEY ("set_by_user_id") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "investment_arrival_project_idx" ON "investment_arrival" USING btree ("project_id","arrived_on");--> statement-breakpoint
CREATE INDEX "investment_arrival_on_idx" ON "investment_arrival" USING btree ("arrived_on","project_id","category","amount");--> statement-breakpoint
CREATE UNIQUE INDEX "investment_arrival_reversal_key" ON "investment_arrival" USING btree ("reverses_arrival_id");--> statement-breakpoint
CREATE INDEX "investment_credit_project_idx" ON "investment_credit" USING btree ("project_id");--> statement-breakpoint
CREATE INDEX "investment_credit_chamber_idx" ON "investment_credit" USING btree ("chamber_id");--> statement-breakpoint
CREATE INDEX "investment_event_project_idx" ON "investment_event" USING btree ("project_id");--> statement-breakpoint
CREATE INDEX "investment_merchant_merchant_idx" ON "investment_merchant" USING btree ("merchant_id");--> statement-breakpoint
CREATE INDEX "investment_pledge_project_idx" ON "investment_pledge" USING btree ("project_id","on");--> statement-breakpoint
CREATE INDEX "investment_problem_project_idx" ON "investment_problem" USING btree ("project_id");--> statement-breakpoint
CREATE INDEX "investment_problem_open_due_idx" ON "investment_problem" USING btree ("status","due_on");--> statement-breakpoint
CREATE UNIQUE INDEX "investment_project_lead_key" ON "investment_project" USING btree ("lead_chamber_id","lead_id");--> statement-breakpoint
CREATE INDEX "investment_project_created_idx" ON "investment_project" USING btree ("created_at","id");--> statement-breakpoint
CREATE INDEX "investment_stage_change_project_idx" ON "investment_stage_change" USING btree ("project_id","id");