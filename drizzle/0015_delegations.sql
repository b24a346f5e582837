CREATE TYPE "public"."delegation_outcome" AS ENUM('NEGOTIATING', 'SIGNED');--> statement-breakpoint
CREATE TYPE "public"."delegation_status" AS ENUM('PLANNED', 'CONFIRMED', 'DONE', 'CANCELLED');--> statement-breakpoint
CREATE TYPE "public"."gathering_kind" AS ENUM('ANNUAL_MEETING', 'FELLOWSHIP', 'SYMPOSIUM', 'TEA_PARTY', 'JOINT_MEETING');--> statement-breakpoint
CREATE TYPE "public"."gathering_rsvp" AS ENUM('PENDING', 'ATTENDING', 'DECLINED');--> statement-breakpoint
CREATE TYPE "public"."gathering_status" AS ENUM('PLANNED', 'HELD', 'CANCELLED');--> statement-breakpoint
CREATE TYPE "public"."goose_contact_kind" AS ENUM('VISIT', 'CALL', 'MEETING');--> statement-breakpoint
CREATE TYPE "public"."recognition_status" AS ENUM('NOMINATED', 'RECOGNISED', 'DECLINED');--> statement-breakpoint
CREATE TABLE "delegation_agreement" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"delegation_id" uuid NOT NULL,
	"title" text NOT NULL,
	"pledged" numeric(16, 2) NOT NULL,
	"signed_on" date NOT NULL,
	CONSTRAINT "delegation_agreement_pledged" CHECK (pledged >= 0)
);
--> statement-breakpoint
CREATE TABLE "delegation_chamber" (
	"delegation_id" uuid NOT NULL,
	"chamber_id" uuid NOT NULL,
	CONSTRAINT "delegation_chamber_delegation_id_chamber_id_pk" PRIMARY KEY("delegation_id","chamber_id")
);
--> statement-breakpoint
CREATE TABLE "delegation_contact" (
	"delegation_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	CONSTRAINT "delegation_contact_delegation_id_user_id_pk" PRIMARY KEY("delegation_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "delegation_participant" (
	"delegation_id" uuid NOT NULL,
	"merchant_id" uuid NOT NULL,
	"chamber_id" uuid NOT NULL,
	CONSTRAINT "delegation_participant_delegation_id_merchant_id_pk" PRIMARY KEY("delegation_id","merchant_id")
);
--> statement-breakpoint
CREATE TABLE "delegation_project" (
	"delegation_id" uuid NOT NULL,
	"project_id" uuid NOT NULL,
	"outcome" "delegation_outcome" NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "delegation_project_delegation_id_project_id_pk" PRIMARY KEY("delegation_id","project_id")
);
--> statement-breakpoint
CREATE TABLE "delegation" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"title" text NOT NULL,
	"status" "delegation_status" DEFAULT 'PLANNED' NOT NULL,
	"starts_on" date NOT NULL,
	"ends_on" date NOT NULL,
	"notes" text,
	"cancel_reason" text,
	"created_by_user_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "delegation_dates" CHECK (ends_on >= starts_on),
	CONSTRAINT "delegation_cancelled" CHECK (status <> 'CANCELLED' or cancel_reason is not null)
);
--> statement-breakpoint
CREATE TABLE "delegation_visit" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"delegation_id" uuid NOT NULL,
	"place" text NOT NULL,
	"company" text,
	"visited_on" date
);
--> statement-breakpoint
CREATE TABLE "goose_contact" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"merchant_id" uuid NOT NULL,
	"leader_user_id" uuid NOT NULL,
	"kind" "goose_contact_kind" NOT NULL,
	"on" date NOT NULL,
	"notes" text,
	"project_ids" uuid[] DEFAULT '{}'::uuid[] NOT NULL,
	"recorded_by_user_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "goose_liaison" (
	"merchant_id" uuid PRIMARY KEY NOT NULL,
	"leader_user_id" uuid NOT NULL,
	"since" date NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "gathering_invitation" (
	"gathering_id" uuid NOT NULL,
	"merchant_id" uuid NOT NULL,
	"chamber_id" uuid NOT NULL,
	"rsvp" "gathering_rsvp" DEFAULT 'PENDING' NOT NULL,
	"attended" boolean,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "gathering_invitation_gathering_id_merchant_id_pk" PRIMARY KEY("gathering_id","merchant_id")
);
--> statement-breakpoint
CREATE TABLE "gathering" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"chamber_id" uuid NOT NULL,
	"kind" "gathering_kind" NOT NULL,
	"title" text NOT NULL,
	"held_on" date NOT NULL,
	"place" text,
	"status" "gathering_status" DEFAULT 'PLANNED' NOT NULL,
	"cancel_reason" text,
	"created_by_user_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "gathering_cancelled" CHECK (status <> 'CANCELLED' or cancel_reason is not null)
);
--> statement-breakpoint
CREATE TABLE "recognition_nomination" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"year" integer NOT NULL,
	"merchant_id" uuid NOT NULL,
	"chamber_id" uuid NOT NULL,
	"reason" text NOT NULL,
	"status" "recognition_status" DEFAULT 'NOMINATED' NOT NULL,
	"decision_note" text,
	"decided_by_user_id" uuid,
	"decided_at" timestamp with time zone,
	"nominated_by_user_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "app_user" ADD COLUMN "is_city_leader" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "investment_stage_change" ADD COLUMN "delegation_id" uuid;--> statement-breakpoint
ALTER TABLE "delegation_agreement" ADD CONSTRAINT "delegation_agreement_delegation_id_delegation_id_fk" FOREIGN KEY ("delegation_id") REFERENCES "public"."delegation"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "delegation_chamber" ADD CONSTRAINT "delegation_chamber_delegation_id_delegation_id_fk" FOREIGN KEY ("delegation_id") REFERENCES "public"."delegation"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "delegation_chamber" ADD CONSTRAINT "delegation_chamber_chamber_id_chamber_id_fk" FOREIGN KEY ("chamber_id") REFERENCES "public"."chamber"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "delegation_contact" ADD CONSTRAINT "delegation_contact_delegation_id_delegation_id_fk" FOREIGN KEY ("delegation_id") REFERENCES "public"."delegation"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "delegation_contact" ADD CONSTRAINT "delegation_contact_user_id_app_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "delegation_participant" ADD CONSTRAINT "delegation_participant_delegation_id_delegation_id_fk" FOREIGN KEY ("delegation_id") REFERENCES "public"."delegation"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "delegation_participant" ADD CONSTRAINT "delegation_participant_merchant_id_merchant_id_fk" FOREIGN KEY ("merchant_id") REFERENCES "public"."merchant"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "delegation_participant" ADD CONSTRAINT "delegation_participant_chamber_id_chamber_id_fk" FOREIGN KEY ("chamber_id") REFERENCES "public"."chamber"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "delegation_project" ADD CONSTRAINT "delegation_project_delegation_id_delegation_id_fk" FOREIGN KEY ("delegation_id") REFERENCES "public"."delegation"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "delegation_project" ADD CONSTRAINT "delegation_project_project_id_investment_project_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."investment_project"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "delegation" ADD CONSTRAINT "delegation_created_by_user_id_app_user_id_fk" FOREIGN KEY ("created_by_user_id") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "delegation_visit" ADD CONSTRAINT "delegation_visit_delegation_id_delegation_id_fk" FOREIGN KEY ("delegation_id") REFERENCES "public"."delegation"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "goose_contact" ADD CONSTRAINT "goose_contact_merchant_id_merchant_id_fk" FOREIGN KEY ("merchant_id") REFERENCES "public"."merchant"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "goose_contact" ADD CONSTRAINT "goose_contact_leader_user_id_app_user_id_fk" FOREIGN KEY ("leader_user_id") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "goose_contact" ADD CONSTRAINT "goose_contact_recorded_by_user_id_app_user_id_fk" FOREIGN KEY ("recorded_by_user_id") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "goose_liaison" ADD CONSTRAINT "goose_liaison_merchant_id_merchant_id_fk" FOREIGN KEY ("merchant_id") REFERENCES "public"."merchant"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "goose_liaison" ADD CONSTRAINT "goose_liaison_leader_user_id_app_user_id_fk" FOREIGN KEY ("leader_user_id") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "gathering_invitation" ADD CONSTRAINT "gathering_invitation_gathering_id_gathering_id_fk" FOREIGN KEY ("gathering_id") REFERENCES "public"."gathering"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "gathering_invitation" ADD CONSTRAINT "gathering_invitation_merchant_id_merchant_id_fk" FOREIGN KEY ("merchant_id") REFERENCES "public"."merchant"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "gathering_invitation" ADD CONSTRAINT "gathering_invitation_chamber_id_chamber_id_fk" FOREIGN KEY ("chamber_id") REFERENCES "public"."chamber"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "gathering" ADD CONSTRAINT "gathering_chamber_id_chamber_id_fk" FOREIGN KEY ("chamber_id") REFERENCES "public"."chamber"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "gathering" ADD CONSTRAINT "gathering_created_by_user_id_app_user_id_fk" FOREIGN KEY ("created_by_user_id") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "recognition_nomination" ADD CONSTRAINT "recognition_nomination_merchant_id_merchant_id_fk" FOREIGN KEY ("merchant_id") REFERENCES "public"."merchant"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "recognition_nomination" ADD CONSTRAINT "recognition_nomination_chamber_id_chamber_id_fk" FOREIGN KEY ("chamber_id") REFERENCES "public"."chamber"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "recognition_nomination" ADD CONSTRAINT "recognition_nomination_decided_by_user_id_app_user_id_fk" FOREIGN KEY ("decided_by_user_id") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "recognition_nomination" ADD CONSTRAINT "recognition_nomination_nominated_by_user_id_app_user_id_fk" FOREIGN KEY ("nominated_by_user_id") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "delegation_agreement_delegation_idx" ON "delegation_agreement" USING btree ("delegation_id");--> statement-breakpoint
CREATE INDEX "delegation_chamber_chamber_idx" ON "delegation_chamber" USING btree ("chamber_id");--> statement-breakpoint
CREATE INDEX "delegation_participant_merchant_idx" ON "delegation_participant" USING btree ("merchant_id");--> statement-breakpoint
CREATE UNIQUE INDEX "delegation_project_signed_once" ON "delegation_project" USING btree ("project_id") WHERE outcome = 'SIGNED';--> statement-breakpoint
CREATE INDEX "delegation_starts_idx" ON "delegation" USING btree ("starts_on","id");--> statement-breakpoint
CREATE INDEX "delegation_visit_delegation_idx" ON "delegation_visit" USING btree ("delegation_id");--> statement-breakpoint
CREATE INDEX "goose_contact_merchant_idx" ON "goose_contact" USING btree ("merchant_id","on");--> statement-breakpoint
CREATE INDEX "goose_liaison_leader_idx" ON "goose_liaison" USING btree ("leader_user_id");--> statement-breakpoint
CREATE INDEX "gathering_invitation_merchant_idx" ON "gathering_invitation" USING btree ("merchant_id");--> statement-breakpoint
CREATE INDEX "gathering_chamber_idx" ON "gathering" USING btree ("chamber_id","held_on");--> statement-breakpoint
CREATE INDEX "gathering_held_idx" ON "gathering" USING btree ("held_on","id");--> statement-breakpoint
CREATE UNIQUE INDEX "recognition_nomination_once" ON "recognition_nomination" USING btree ("year","merchant_id","chamber_id");--> statement-breakpoint
CREATE UNIQUE INDEX "recognition_once_a_year" ON "recognition_nomination" USING btree ("year","merchant_id") WHERE status = 'RECOGNISED';--> statement-breakpoint
CREATE INDEX "recognition_nomination_year_idx" ON "recognition_nomination" USING btree ("year","id");--> statement-breakpoint
ALTER TABLE "investment_stage_change" ADD CONSTRAINT "investment_stage_change_delegation_id_delegation_id_fk" FOREIGN KEY ("delegation_id") REFERENCES "public"."delegation"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
-- The hundred leading geese (百名领头雁): at most 100 live merchants carry LEADING_GOOSE, whichever path sets the tag
-- (a profile, a secretary's correction, an import, a merge, the staff mutation, a script). The transaction-scoped
-- advisory lock makes concurrent taggers take turns, and the count after it (a new snapshot: the function is
-- volatile, the isolation READ COMMITTED) sees every goose committed before, so two racing for the 100th place
-- cannot both win. SQLSTATE WZ100 is how the application recognises the refusal.
CREATE FUNCTION "leading_goose_cap"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  geese integer;
BEGIN
  IF NEW.merged_into_id IS NOT NULL OR NOT ('LEADING_GOOSE' = ANY (NEW.tags)) THEN
    RETURN NEW;
  END IF;
  IF TG_OP = 'UPDATE' AND OLD.merged_into_id IS NULL AND 'LEADING_GOOSE' = ANY (OLD.tags) THEN
    RETURN NEW;
  END IF;
  PERFORM pg_advisory_xact_lock(hashtext('leading_goose_cap'));
  SELECT count(*) INTO geese FROM "merchant"
    WHERE merged_into_id IS NULL AND 'LEADING_GOOSE' = ANY (tags);
  IF geese > 100 THEN
    RAISE EXCEPTION 'at most 100 merchants are leading geese' USING ERRCODE = 'WZ100';
  END IF;
  RETURN NEW;
END $$;--> statement-breakpoint
CREATE TRIGGER "merchant_leading_goose_cap" AFTER INSERT OR UPDATE OF "tags", "merged_into_id" ON "merchant"
  FOR EACH ROW EXECUTE FUNCTION "leading_goose_cap"();
