CREATE TABLE "privacy_consent" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"merchant_id" uuid NOT NULL,
	"action" text NOT NULL,
	"notice_version" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "privacy_consent_action" CHECK (action in ('AGREED', 'WITHDRAWN'))
);
--> statement-breakpoint
CREATE TABLE "privacy_notice" (
	"version" integer PRIMARY KEY NOT NULL,
	"text_zh_cn" text NOT NULL,
	"text_en" text NOT NULL,
	"published_at" timestamp with time zone DEFAULT now() NOT NULL,
	"published_by" uuid
);
--> statement-breakpoint
ALTER TABLE "merchant" ADD COLUMN "listed" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "merchant" ADD COLUMN "agreed_notice_version" integer;--> statement-breakpoint
ALTER TABLE "merchant" ADD COLUMN "erased_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "privacy_consent" ADD CONSTRAINT "privacy_consent_merchant_id_merchant_id_fk" FOREIGN KEY ("merchant_id") REFERENCES "public"."merchant"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "privacy_consent" ADD CONSTRAINT "privacy_consent_notice_version_privacy_notice_version_fk" FOREIGN KEY ("notice_version") REFERENCES "public"."privacy_notice"("version") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "privacy_notice" ADD CONSTRAINT "privacy_notice_published_by_app_user_id_fk" FOREIGN KEY ("published_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "privacy_consent_merchant_idx" ON "privacy_consent" USING btree ("merchant_id","created_at");--> statement-breakpoint
ALTER TABLE "merchant" ADD CONSTRAINT "merchant_listed_agreed" CHECK (not listed or agreed_notice_version is not null);--> statement-breakpoint
-- The first privacy notice. Profiles that exist already are not listed: nobody has agreed to a notice yet, so each
-- is found only inside its own chambers until its merchant signs in and agrees (PIPL Arts. 13-17).
INSERT INTO "privacy_notice" ("version", "text_zh_cn", "text_en") VALUES (1,
'全国温州商会总会温商信息平台个人信息保护告知书（第1版）

一、处理者：全国温州商会总会及您所在的各温州商会。
二、处理的个人信息：姓名、籍贯、所在地、企业及职务、手机、座机、邮箱、微信号，会籍、会费、商机及回复记录。
三、目的与方式：维护会员名录，供各商会会员相互查找、对接商机、服务温商回归；手机、邮箱、微信等联系方式按您为每一项设定的可见范围显示。
四、同意后，您的名录资料在全国温商名录中可被其他商会的会员查找；不同意或撤回同意时，仅您所在商会的秘书处和会员可见，会籍不受影响。
五、您的权利：随时查阅、复制（“我的个人信息”）、更正您的资料，撤回同意，注销并删除您的个人信息；删除后无法恢复。
六、保存期限：会籍存续期间及法律法规要求的期限。
七、联系方式：请联系您所在商会秘书处或总会。',
'Privacy notice of the Wenzhou chambers federation''s merchant platform (version 1)

1. Who handles your information: the national federation of Wenzhou chambers of commerce and the chambers you belong to.
2. What is handled: your name, hometown, where you live and work, companies and roles, mobile, landline, email, WeChat ID, memberships, dues, leads and answers.
3. Why and how: to keep the members'' directory so that members of the chambers can find each other, share leads and serve the return of Wenzhou merchants; each contact field is shown only as far as the visibility you set for it.
4. Once you agree, members of other chambers can find your profile in the federation directory. If you do not agree, or withdraw your consent, only your own chambers'' secretaries and members see it; your memberships are not affected.
5. Your rights: to see, copy ("my personal data") and correct your data at any time, to withdraw your consent, and to erase your personal data, which cannot be undone.
6. How long: while you are a member, and as long as the law requires.
7. Contact: your chamber''s secretariat or the federation.');
