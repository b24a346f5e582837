ALTER TYPE "public"."investment_event_kind" ADD VALUE 'PROBLEM_OVERDUE';--> statement-breakpoint
CREATE TABLE "investment_arrival_day" (
	"on" date NOT NULL,
	"category" "capital_category" NOT NULL,
	"district" text NOT NULL,
	"amount" numeric(16, 2) NOT NULL,
	CONSTRAINT "investment_arrival_day_on_category_district_pk" PRIMARY KEY("on","category","district")
);
--> statement-breakpoint
CREATE TABLE "investment_chamber_day" (
	"on" date NOT NULL,
	"chamber_id" uuid NOT NULL,
	"arrived" numeric(16, 2) NOT NULL,
	"signed" numeric(12, 4) NOT NULL,
	"pledged" numeric(16, 2) NOT NULL,
	CONSTRAINT "investment_chamber_day_on_chamber_id_pk" PRIMARY KEY("on","chamber_id")
);
--> statement-breakpoint
ALTER TABLE "investment_problem" ADD COLUMN "overdue_announced_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "investment_chamber_day" ADD CONSTRAINT "investment_chamber_day_chamber_id_chamber_id_fk" FOREIGN KEY ("chamber_id") REFERENCES "public"."chamber"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
-- The totals for the rows already there (later kept by each change, see core/return-investment/investment-totals.ts).
INSERT INTO "investment_arrival_day" ("on", category, district, amount)
SELECT a.arrived_on, a.category, p.district, sum(a.amount)
FROM "investment_arrival" a JOIN "investment_project" p ON p.id = a.project_id
GROUP BY 1, 2, 3;--> statement-breakpoint
INSERT INTO "investment_chamber_day" ("on", chamber_id, arrived, signed, pledged)
WITH credits AS (
  SELECT project_id, chamber_id, share_percent, valid_from, valid_to FROM "investment_credit"
),
parts AS (
  SELECT 'a' AS kind, a.id, a.arrived_on AS "on", e.chamber_id, sign(a.amount) AS sg,
    abs(a.amount) * 100 AS whole, e.share_percent * 100 AS share
  FROM "investment_arrival" a
  JOIN credits e ON e.project_id = a.project_id
    AND (e.valid_from IS NULL OR e.valid_from <= a.arrived_on) AND (e.valid_to IS NULL OR a.arrived_on < e.valid_to)
  UNION ALL
  SELECT 'p', pl.id, pl.on, e.chamber_id, sign(pl.delta), abs(pl.delta) * 100, e.share_percent * 100
  FROM "investment_pledge" pl
  JOIN credits e ON e.project_id = pl.project_id
    AND (e.valid_from IS NULL OR e.valid_from <= pl.on) AND (e.valid_to IS NULL OR pl.on < e.valid_to)
  WHERE pl.delta <> 0
),
floored AS (
  SELECT kind, id, "on", chamber_id, sg, whole, floor(whole * share / 10000) AS base, mod(whole * share, 10000) AS rem
  FROM parts
),
split AS (
  SELECT kind, "on", chamber_id,
    sg * (base + CASE WHEN row_number() OVER (PARTITION BY kind, id ORDER BY rem DESC, chamber_id)
      <= whole - sum(base) OVER (PARTITION BY kind, id) THEN 1 ELSE 0 END) AS cents
  FROM floored
),
signed AS (
  SELECT project_id, min("on") AS "on" FROM "investment_stage_change" WHERE to_stage = 'SIGNED' GROUP BY project_id
),
counted AS (
  SELECT s.on, e.chamber_id, e.share_percent / 100 AS n
  FROM signed s JOIN credits e ON e.project_id = s.project_id
    AND (e.valid_from IS NULL OR e.valid_from <= s.on) AND (e.valid_to IS NULL OR s.on < e.valid_to)
  UNION ALL
  SELECT e.valid_from, e.chamber_id, e.share_percent / 100
  FROM credits e JOIN signed s ON s.project_id = e.project_id AND s.on < e.valid_from
),
figures AS (
  SELECT "on", chamber_id, CASE WHEN kind = 'a' THEN cents / 100 ELSE 0 END AS arrived, 0 AS signed,
    CASE WHEN kind = 'p' THEN cents / 100 ELSE 0 END AS pledged
  FROM split
  UNION ALL
  SELECT "on", chamber_id, 0, n, 0 FROM counted
)
SELECT "on", chamber_id, sum(arrived), sum(signed), sum(pledged) FROM figures GROUP BY "on", chamber_id;
