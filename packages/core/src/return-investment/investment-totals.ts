// The maintained totals progress reads: arrived capital per day, category and district, and what each chamber is
// credited with per day. Written in the transaction of every change to a project's arrivals, stages, pledges or
// credits, so they are never stale; the chamber figures come from one SQL definition over the raw rows, used for
// a project's delta, for a full rebuild and for the check that the totals equal the raw figures.
import {
  type Executor,
  investmentArrivalDayTable,
  investmentArrivalTable,
  investmentChamberDayTable,
  investmentCreditTable,
  investmentPledgeTable,
  investmentProjectTable,
  investmentStageChangeTable,
  rowsOf,
} from "@wz/db";
import { type SQL, sql } from "drizzle-orm";

/**
 * Each chamber's figures per day from the raw rows of the projects `projects` selects (a condition on a
 * `project_id` column): its share of each arrival and pledge entry, split by largest remainder so the shares of
 * an entry sum to it exactly (leftover cents to the largest remainders, ties by chamber id); projects signed,
 * counted on the first signing day for the credits then in effect and afresh for a new investor's credits
 * from the day of the change. Amounts in cents and signings in ten-thousandths, as integers.
 */
export function chamberFiguresSql(projects: (column: SQL) => SQL): SQL {
  const c = sql.raw("c.project_id");
  const a = sql.raw("a.project_id");
  const pl = sql.raw("pl.project_id");
  const s = sql.raw("s.project_id");
  return sql`
    with credits as (
      select c.project_id, c.chamber_id, c.share_percent, c.valid_from, c.valid_to
      from ${investmentCreditTable} c where ${projects(c)}
    ),
    parts as (
      select 'a' as kind, a.id, a.arrived_on as "on", e.chamber_id, sign(a.amount) as sg,
        abs(a.amount) * 100 as whole, e.share_percent * 100 as share
      from ${investmentArrivalTable} a
      join credits e on e.project_id = a.project_id
        and (e.valid_from is null or e.valid_from <= a.arrived_on)
        and (e.valid_to is null or a.arrived_on < e.valid_to)
      where ${projects(a)}
      union all
      select 'p', pl.id, pl.on, e.chamber_id, sign(pl.delta), abs(pl.delta) * 100, e.share_percent * 100
      from ${investmentPledgeTable} pl
      join credits e on e.project_id = pl.project_id
        and (e.valid_from is null or e.valid_from <= pl.on) and (e.valid_to is null or pl.on < e.valid_to)
      where ${projects(pl)} and pl.delta <> 0
    ),
    floored as (
      select kind, id, "on", chamber_id, sg, whole, floor(whole * share / 10000) as base,
        mod(whole * share, 10000) as rem
      from parts
    ),
    split as (
      select kind, "on", chamber_id,
        sg * (base + case when row_number() over (partition by kind, id order by rem desc, chamber_id)
          <= whole - sum(base) over (partition by kind, id) then 1 else 0 end) as cents
      from floored
    ),
    signed as (
      select s.project_id, min(s.on) as "on" from ${investmentStageChangeTable} s
      where s.to_stage = 'SIGNED' and ${projects(s)} group by s.project_id
    ),
    counted as (
      select s.on, e.chamber_id, e.share_percent * 100 as n
      from signed s join credits e on e.project_id = s.project_id
        and (e.valid_from is null or e.valid_from <= s.on) and (e.valid_to is null or s.on < e.valid_to)
      union all
      select e.valid_from, e.chamber_id, e.share_percent * 100
      from credits e join signed s on s.project_id = e.project_id and s.on < e.valid_from
    ),
    figures as (
      select "on", chamber_id, case when kind = 'a' then cents else 0 end as arrived, 0 as signed,
        case when kind = 'p' then cents else 0 end as pledged
      from split
      union all
      select "on", chamber_id, 0, n, 0 from counted
    )
    select "on"::text as "on", chamber_id::text as chamber_id, sum(arrived)::bigint::text as arrived,
      sum(signed)::bigint::text as signed, sum(pledged)::bigint::text as pledged
    from figures group by "on", chamber_id`;
}

interface Figures {
  arrived: bigint;
  signed: bigint;
  pledged: bigint;
}

async function projectChamberFigures(tx: Executor, projectId: string): Promise<Map<string, Figures>> {
  const rows = rowsOf<{ on: string; chamber_id: string; arrived: string; signed: string; pledged: string }>(
    await tx.execute(chamberFiguresSql((column) => sql`${column} = ${projectId}`)),
  );
  return new Map(
    rows.map((r) => [
      `${r.on}|${r.chamber_id}`,
      { arrived: BigInt(r.arrived), signed: BigInt(r.signed), pledged: BigInt(r.pledged) },
    ]),
  );
}

function decimal(units: bigint, places: number): string {
  const negative = units < 0n;
  const digits = (negative ? -units : units).toString().padStart(places + 1, "0");
  return `${negative ? "-" : ""}${digits.slice(0, -places)}.${digits.slice(-places)}`;
}

/**
 * Runs `change` (which writes a project's raw rows) and adds to the chamber totals the difference it made to the
 * project's figures, in the caller's transaction. The project row must be locked (or new), so the before and
 * after readings see no other change to it; rows are written in key order so two projects never deadlock.
 */
export async function withProjectTotals<T>(tx: Executor, projectId: string, change: () => Promise<T>): Promise<T> {
  const before = await projectChamberFigures(tx, projectId);
  const result = await change();
  const after = await projectChamberFigures(tx, projectId);
  const deltas: { on: string; chamberId: string; arrived: string; signed: string; pledged: string }[] = [];
  for (const key of [...new Set([...before.keys(), ...after.keys()])].sort()) {
    const zero = { arrived: 0n, signed: 0n, pledged: 0n };
    const b = before.get(key) ?? zero;
    const a = after.get(key) ?? zero;
    const d = { arrived: a.arrived - b.arrived, signed: a.signed - b.signed, pledged: a.pledged - b.pledged };
    if (d.arrived === 0n && d.signed === 0n && d.pledged === 0n) continue;
    const [on, chamberId] = key.split("|") as [string, string];
    deltas.push({
      on,
      chamberId,
      arrived: decimal(d.arrived, 2),
      signed: decimal(d.signed, 4),
      pledged: decimal(d.pledged, 2),
    });
  }
  if (deltas.length > 0)
    await tx
      .insert(investmentChamberDayTable)
      .values(deltas)
      .onConflictDoUpdate({
        target: [investmentChamberDayTable.on, investmentChamberDayTable.chamberId],
        set: {
          arrived: sql`${investmentChamberDayTable.arrived} + excluded.arrived`,
          signed: sql`${investmentChamberDayTable.signed} + excluded.signed`,
          pledged: sql`${investmentChamberDayTable.pledged} + excluded.pledged`,
        },
      });
  return result;
}

/** Adds an arrival (or a reversal's negative amount) to its day's total by category and district. */
export async function addArrivalToDayTotals(
  tx: Executor,
  arrival: { arrivedOn: string; category: string; amount: string },
  district: string,
): Promise<void> {
  await tx.execute(sql`
    insert into ${investmentArrivalDayTable} ("on", category, district, amount)
    values (${arrival.arrivedOn}::date, ${arrival.category}::capital_category, ${district}, ${arrival.amount}::numeric)
    on conflict ("on", category, district)
    do update set amount = ${investmentArrivalDayTable}.amount + excluded.amount`);
}

/** The arrival day totals from the raw rows, as `on, category, district, amount`. */
const arrivalDaysFromRowsSql = sql`
  select a.arrived_on as "on", a.category, p.district, sum(a.amount) as amount
  from ${investmentArrivalTable} a join ${investmentProjectTable} p on p.id = a.project_id
  group by 1, 2, 3`;

/**
 * Recomputes both totals from the raw rows, set-based: for rows written around the services (bulk loads,
 * benchmarks, tests that plant rows) and for a repair. Locks the tables for the rebuild.
 */
export async function rebuildReturnInvestmentTotals(db: Executor): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.execute(sql`lock table ${investmentArrivalDayTable}, ${investmentChamberDayTable} in exclusive mode`);
    await tx.execute(sql`delete from ${investmentArrivalDayTable}`);
    await tx.execute(sql`delete from ${investmentChamberDayTable}`);
    await tx.execute(sql`
      insert into ${investmentArrivalDayTable} ("on", category, district, amount) ${arrivalDaysFromRowsSql}`);
    await tx.execute(sql`
      insert into ${investmentChamberDayTable} ("on", chamber_id, arrived, signed, pledged)
      select "on"::date, chamber_id::uuid, arrived::numeric / 100, signed::numeric / 10000, pledged::numeric / 100
      from (${chamberFiguresSql(() => sql`true`)}) f`);
  });
}

/**
 * Where the maintained totals differ from the raw rows (empty when they agree): every day, category and
 * district, and every day and chamber, with both readings. Zero rows on either side count as absent.
 */
export async function returnInvestmentTotalsDrift(db: Executor): Promise<Record<string, unknown>[]> {
  const days = rowsOf<Record<string, unknown>>(
    await db.execute(sql`
      with kept as (select * from ${investmentArrivalDayTable} where amount <> 0),
        raw as (select * from (${arrivalDaysFromRowsSql}) r where amount <> 0)
      select 'arrivalDay' as total, coalesce(k.on, r.on)::text as "on", coalesce(k.category, r.category) as category,
        coalesce(k.district, r.district) as district, k.amount::text as kept, r.amount::text as raw
      from kept k full join raw r on r.on = k.on and r.category = k.category and r.district = k.district
      where k.amount is distinct from r.amount`),
  );
  const chambers = rowsOf<Record<string, unknown>>(
    await db.execute(sql`
      with kept as (
        select "on", chamber_id, (arrived * 100)::bigint as arrived, (signed * 10000)::bigint as signed,
          (pledged * 100)::bigint as pledged
        from ${investmentChamberDayTable} where arrived <> 0 or signed <> 0 or pledged <> 0
      ),
      raw as (
        select "on"::date as "on", chamber_id::uuid as chamber_id, arrived::bigint as arrived,
          signed::bigint as signed, pledged::bigint as pledged
        from (${chamberFiguresSql(() => sql`true`)}) f
        where arrived::bigint <> 0 or signed::bigint <> 0 or pledged::bigint <> 0
      )
      select 'chamberDay' as total, coalesce(k.on, r.on)::text as "on",
        coalesce(k.chamber_id, r.chamber_id)::text as chamber_id,
        k.arrived::text as kept_arrived, r.arrived::text as raw_arrived, k.signed::text as kept_signed,
        r.signed::text as raw_signed, k.pledged::text as kept_pledged, r.pledged::text as raw_pledged
      from kept k full join raw r on r.on = k.on and r.chamber_id = k.chamber_id
      where row(k.arrived, k.signed, k.pledged) is distinct from row(r.arrived, r.signed, r.pledged)`),
  );
  return [...days, ...chambers];
}
