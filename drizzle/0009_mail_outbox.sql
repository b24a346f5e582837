CREATE TABLE "mail_outbox" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"dedupe_key" text NOT NULL,
	"recipient" text NOT NULL,
	"locale" text NOT NULL,
	"template" text NOT NULL,
	"params" jsonb NOT NULL,
	"chamber_id" uuid,
	"status" text DEFAULT 'PENDING' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_error" text,
	"sent_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "mail_outbox_status" CHECK (status in ('PENDING', 'SENDING', 'SENT', 'FAILED')),
	CONSTRAINT "mail_outbox_locale" CHECK (locale in ('zh-CN', 'en'))
);
--> statement-breakpoint
ALTER TABLE "merchant" ADD COLUMN "locale" text DEFAULT 'zh-CN' NOT NULL;--> statement-breakpoint
ALTER TABLE "invite" ADD COLUMN "locale" text DEFAULT 'zh-CN' NOT NULL;--> statement-breakpoint
ALTER TABLE "app_user" ADD COLUMN "locale" text DEFAULT 'zh-CN' NOT NULL;--> statement-breakpoint
ALTER TABLE "mail_outbox" ADD CONSTRAINT "mail_outbox_chamber_id_chamber_id_fk" FOREIGN KEY ("chamber_id") REFERENCES "public"."chamber"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "mail_outbox_dedupe_key" ON "mail_outbox" USING btree ("dedupe_key");--> statement-breakpoint
CREATE INDEX "mail_outbox_due_idx" ON "mail_outbox" USING btree ("next_attempt_at") WHERE status in ('PENDING', 'SENDING');--> statement-breakpoint
ALTER TABLE "merchant" ADD CONSTRAINT "merchant_locale" CHECK (locale in ('zh-CN', 'en'));--> statement-breakpoint
ALTER TABLE "invite" ADD CONSTRAINT "invite_locale" CHECK (locale in ('zh-CN', 'en'));--> statement-breakpoint
ALTER TABLE "app_user" ADD CONSTRAINT "app_user_locale" CHECK (locale in ('zh-CN', 'en'));