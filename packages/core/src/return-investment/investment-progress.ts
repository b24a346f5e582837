// The year's target for arrived capital, split by Wenzhou district, and progress against it at any date: by
// category, month, district and chamber (through the tree), and against the same window a year before.
// Three statements whatever the number of projects or arrivals: the target, and the day totals kept with each
// change (investment-totals.ts) by category and district and by chamber credit.
import {
  type CapitalCategory,
  capitalCategoryEnum,
  chamberTable,
  investmentArrivalDayTable,
  investmentChamberDayTable,
  returnInvestmentDistrictTargetTable,
  returnInvestmentTargetTable,
  rowsOf,
  wenzhouDistrictCodes,
  wenzhouDistrictList,
} from "@wz/db";
import { asc, eq, sql } from "drizzle-orm";
import { recordAudit } from "../audit/audit-log";
import { isIsoDate, todayIso } from "../dates";
import { ErrorCollector, UserInputError } from "../errors";
import { fromCents } from "../membership/dues-service";
import { msg } from "../messages";
import type { ServiceContext } from "../service-context";
import { cents } from "./investment-service";

const DECIMAL = /^\d{1,14}(\.\d{1,2})?$/;

export interface SetReturnInvestmentTargetInput {
  year: number;
  amount: string;
  /** Every share by district; they must sum to the amount. */
  districts: readonly { districtCode: string; amount: string }[];
}

export interface ReturnInvestmentTarget {
  year: number;
  amount: string;
  districts: { districtCode: string; amount: string }[];
}

export async function setReturnInvestmentTarget(
  ctx: ServiceContext,
  input: SetReturnInvestmentTargetInput,
): Promise<ReturnInvestmentTarget> {
  const viewer = ctx.permissions.assertPerformAction("investment:target");
  const errors = new ErrorCollector();
  if (!Number.isInteger(input.year) || input.year < 2000 || input.year > 2100)
    errors.add(["year"], msg("investment.yearRange"));
  if (!DECIMAL.test(input.amount)) errors.add(["amount"], msg("investment.targetForm"));
  const seen = new Set<string>();
  input.districts.forEach((d, i) => {
    if (!wenzhouDistrictCodes.has(d.districtCode))
      errors.add(["districts", String(i), "districtCode"], msg("reference.unknownDistrict", { code: d.districtCode }));
    else if (seen.has(d.districtCode))
      errors.add(["districts", String(i), "districtCode"], msg("investment.districtTwice"));
    seen.add(d.districtCode);
    if (!DECIMAL.test(d.amount)) errors.add(["districts", String(i), "amount"], msg("investment.districtShareForm"));
  });
  if (errors.ok) {
    const sum = input.districts.reduce((s, d) => s + cents(d.amount), 0n);
    if (sum !== cents(input.amount))
      errors.add(
        ["districts"],
        msg("investment.districtSharesSum", { sum: fromCents(sum), amount: fromCents(cents(input.amount)) }),
      );
  }
  errors.throwIfAny();
  return ctx.db.transaction(async (tx) => {
    const [before] = await tx
      .select()
      .from(returnInvestmentTargetTable)
      .where(eq(returnInvestmentTargetTable.year, input.year));
    await tx
      .insert(returnInvestmentTargetTable)
      .values({ year: input.year, amount: input.amount, setByUserId: viewer.userId })
      .onConflictDoUpdate({
        target: returnInvestmentTargetTable.year,
        set: { amount: input.amount, setByUserId: viewer.userId, updatedAt: new Date() },
      });
    await tx
      .delete(returnInvestmentDistrictTargetTable)
      .where(eq(returnInvestmentDistrictTargetTable.year, input.year));
    if (input.districts.length > 0)
      await tx
        .insert(returnInvestmentDistrictTargetTable)
        .values(input.districts.map((d) => ({ year: input.year, district: d.districtCode, amount: d.amount })));
    await recordAudit(tx, {
      actorUserId: viewer.userId,
      chamberId: null,
      action: "investment:target",
      entityType: "ReturnInvestmentTarget",
      entityId: String(input.year),
      before: before ?? null,
      after: input,
    });
    return {
      year: input.year,
      amount: fromCents(cents(input.amount)),
      districts: input.districts.map((d) => ({ districtCode: d.districtCode, amount: fromCents(cents(d.amount)) })),
    };
  });
}

export interface CategoryProgress {
  category: CapitalCategory;
  arrived: string;
  previousYearSamePeriod: string;
  growthPercent: number | null;
}

export interface ChamberProgress {
  chamberId: string;
  /** Arrivals credited to the chamber itself (its share of each), in the window. */
  arrived: string;
  /** The same through the tree: the chamber and every chamber beneath it. */
  arrivedIncludingDescendants: string;
  /** Projects signed in the window (or taken over by a new investor), as credit shares: a 50 % share is 0.5. */
  projectsSigned: number;
  projectsSignedIncludingDescendants: number;
  /** Pledges in the window (a capital increase counts only the increase). */
  pledged: string;
  pledgedIncludingDescendants: string;
}

export interface ReturnInvestmentProgress {
  year: number;
  asOf: string;
  target: string;
  arrived: string;
  percentOfTarget: number;
  previousYearSamePeriod: string;
  growthPercent: number | null;
  byCategory: CategoryProgress[];
  byMonth: { month: number; arrived: string }[];
  byDistrict: { districtCode: string; target: string; arrived: string; percentOfTarget: number }[];
  byChamber: ChamberProgress[];
}

/** a / b as a percentage rounded to two decimals (half up); 0 for b = 0. */
function percent(a: bigint, b: bigint): number {
  if (b === 0n) return 0;
  const scaled = a * 20000n;
  const q = scaled / b;
  const rounded = (q + (q >= 0n ? 1n : -1n)) / 2n;
  return Number(rounded) / 100;
}

function growth(current: bigint, previous: bigint): number | null {
  return previous === 0n ? null : percent(current - previous, previous);
}

/** The same day a year before (29 February → 28 February). */
function yearBefore(iso: string): string {
  const y = Number(iso.slice(0, 4)) - 1;
  const md = iso.slice(5);
  return md === "02-29" ? `${y}-02-28` : `${y}-${md}`;
}

export async function returnInvestmentProgress(
  ctx: Pick<ServiceContext, "db" | "permissions">,
  year: number,
  asOfInput?: string | null,
): Promise<ReturnInvestmentProgress> {
  ctx.permissions.assertPerformAction("investment:progress");
  if (!Number.isInteger(year) || year < 2000 || year > 2100)
    throw UserInputError.of("INVALID", ["year"], msg("investment.yearRange"));
  if (asOfInput != null && !isIsoDate(asOfInput))
    throw UserInputError.of("INVALID", ["asOf"], msg("investment.dateForm"));
  const yearStart = `${year}-01-01`;
  const yearEnd = `${year}-12-31`;
  const wanted = asOfInput ?? todayIso();
  let asOf = wanted;
  if (asOf < yearStart) asOf = yearStart;
  if (asOf > yearEnd) asOf = yearEnd;
  const previousStart = `${year - 1}-01-01`;
  const previousAsOf = yearBefore(asOf);

  // The three statements are independent: on PostgreSQL they run side by side on the pool.
  const [targetResult, arrivalResult, chamberResult] = await Promise.all([
    ctx.db.execute(sql`
      select null::text as district, ${returnInvestmentTargetTable.amount}::text as amount
      from ${returnInvestmentTargetTable} where ${returnInvestmentTargetTable.year} = ${year}
      union all
      select ${returnInvestmentDistrictTargetTable.district}, ${returnInvestmentDistrictTargetTable.amount}::text
      from ${returnInvestmentDistrictTargetTable} where ${returnInvestmentDistrictTargetTable.year} = ${year}`),
    // Both windows from the day totals, grouped to at most 2 × categories × 12 months × districts rows.
    ctx.db.execute(sql`
      select (d.on >= ${yearStart}::date) as current, d.category,
        extract(month from d.on)::int as month, d.district, sum(d.amount)::text as amount
      from ${investmentArrivalDayTable} d
      where (d.on between ${yearStart}::date and ${asOf}::date)
        or (d.on between ${previousStart}::date and ${previousAsOf}::date)
      group by 1, 2, 3, 4`),
    // What each chamber is credited with in the window (from the day totals), and its totals through the tree.
    ctx.db.execute(sql`
      with recursive figures as (
        select d.chamber_id, sum(d.arrived) as arrived, sum(d.signed) as signed, sum(d.pledged) as pledged
        from ${investmentChamberDayTable} d
        where d.on between ${yearStart}::date and ${asOf}::date
        group by d.chamber_id
        having sum(d.arrived) <> 0 or sum(d.signed) <> 0 or sum(d.pledged) <> 0
      ),
      -- every credited chamber and its ancestors: the roots whose totals these figures reach
      up(root_id, id, depth) as (
        select f.chamber_id, f.chamber_id, 0 from figures f
        union
        select c.parent_id, u.id, u.depth + 1 from up u join ${chamberTable} c on c.id = u.root_id
        where c.parent_id is not null and u.depth < 64
      )
      select u.root_id::text as chamber_id,
        coalesce(sum(f.arrived) filter (where u.id = u.root_id), 0)::numeric(16,2)::text as arrived_own,
        coalesce(sum(f.arrived), 0)::numeric(16,2)::text as arrived_total,
        coalesce(sum(f.signed) filter (where u.id = u.root_id), 0)::text as signed_own,
        coalesce(sum(f.signed), 0)::text as signed_total,
        coalesce(sum(f.pledged) filter (where u.id = u.root_id), 0)::numeric(16,2)::text as pledged_own,
        coalesce(sum(f.pledged), 0)::numeric(16,2)::text as pledged_total
      from (select distinct root_id, id from up) u join figures f on f.chamber_id = u.id
      group by u.root_id`),
  ]);
  const targetRows = rowsOf<{ district: string | null; amount: string }>(targetResult);
  const arrivalRows = rowsOf<{
    current: boolean;
    category: CapitalCategory;
    month: number;
    district: string;
    amount: string;
  }>(arrivalResult);
  const chamberRows = rowsOf<{
    chamber_id: string;
    arrived_own: string;
    arrived_total: string;
    signed_own: string;
    signed_total: string;
    pledged_own: string;
    pledged_total: string;
  }>(chamberResult);

  let target = 0n;
  const districtTargets = new Map<string, bigint>();
  for (const row of targetRows) {
    if (row.district === null) target = cents(row.amount);
    else districtTargets.set(row.district, cents(row.amount));
  }
  const categories = capitalCategoryEnum.enumValues;
  const cur = new Map<CapitalCategory, bigint>(categories.map((c) => [c, 0n]));
  const prev = new Map<CapitalCategory, bigint>(categories.map((c) => [c, 0n]));
  const months = Array.from({ length: 12 }, () => 0n);
  const districts = new Map<string, bigint>();
  for (const row of arrivalRows) {
    const amount = cents(row.amount);
    if (row.current) {
      cur.set(row.category, cur.get(row.category)! + amount);
      months[Number(row.month) - 1]! += amount;
      districts.set(row.district, (districts.get(row.district) ?? 0n) + amount);
    } else prev.set(row.category, prev.get(row.category)! + amount);
  }
  const arrived = [...cur.values()].reduce((s, v) => s + v, 0n);
  const previous = [...prev.values()].reduce((s, v) => s + v, 0n);
  const lastMonth = Number(asOf.slice(5, 7));
  return {
    year,
    asOf,
    target: fromCents(target),
    arrived: fromCents(arrived),
    percentOfTarget: percent(arrived, target),
    previousYearSamePeriod: fromCents(previous),
    growthPercent: growth(arrived, previous),
    byCategory: categories.map((category) => ({
      category,
      arrived: fromCents(cur.get(category)!),
      previousYearSamePeriod: fromCents(prev.get(category)!),
      growthPercent: growth(cur.get(category)!, prev.get(category)!),
    })),
    byMonth: months.slice(0, lastMonth).map((amount, i) => ({ month: i + 1, arrived: fromCents(amount) })),
    byDistrict: wenzhouDistrictList.map((d) => {
      const share = districtTargets.get(d.code) ?? 0n;
      const got = districts.get(d.code) ?? 0n;
      return {
        districtCode: d.code,
        target: fromCents(share),
        arrived: fromCents(got),
        percentOfTarget: percent(got, share),
      };
    }),
    byChamber: chamberRows
      .map((r) => ({
        chamberId: r.chamber_id,
        arrived: r.arrived_own,
        arrivedIncludingDescendants: r.arrived_total,
        projectsSigned: Number(r.signed_own),
        projectsSignedIncludingDescendants: Number(r.signed_total),
        pledged: r.pledged_own,
        pledgedIncludingDescendants: r.pledged_total,
      }))
      .sort(
        (a, b) =>
          Number(cents(b.arrivedIncludingDescendants) - cents(a.arrivedIncludingDescendants)) ||
          a.chamberId.localeCompare(b.chamberId),
      ),
  };
}

/** The year's target as set, for the target page (null when none is set). */
export async function returnInvestmentTarget(
  ctx: Pick<ServiceContext, "db" | "permissions">,
  year: number,
): Promise<ReturnInvestmentTarget | null> {
  ctx.permissions.assertPerformAction("investment:progress");
  const [row] = await ctx.db
    .select()
    .from(returnInvestmentTargetTable)
    .where(eq(returnInvestmentTargetTable.year, year));
  if (!row) return null;
  const districts = await ctx.db
    .select()
    .from(returnInvestmentDistrictTargetTable)
    .where(eq(returnInvestmentDistrictTargetTable.year, year))
    .orderBy(asc(returnInvestmentDistrictTargetTable.district));
  return {
    year,
    amount: row.amount,
    districts: districts.map((d) => ({ districtCode: d.district, amount: d.amount })),
  };
}
