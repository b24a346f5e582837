// The delegation goal (2–3 a month) read for a year: delegations per month against it, the months under it, who
// took part and what came of it, and the same by organising chamber, on its own and through the chamber tree (a
// joint delegation counts once for each organiser, and once for an ancestor of several). Two statements.

import type { Executor } from "@wz/db";
import {
  chamberTable,
  delegationAgreementTable,
  delegationChamberTable,
  delegationParticipantTable,
  delegationProjectTable,
  delegationTable,
  rowsOf,
} from "@wz/db";
import { sql } from "drizzle-orm";
import { UserInputError } from "../errors";
import { msg } from "../messages";
import type { Permissions } from "../permissions";
import { DELEGATION_GOAL_PER_MONTH } from "./delegation-rules";

export interface DelegationMonth {
  month: number;
  count: number;
  underGoal: boolean;
  participants: number;
  projectsNegotiating: number;
  projectsSigned: number;
  agreements: number;
  pledged: string;
}

export interface ChamberDelegationActivity {
  chamberId: string;
  delegations: number;
  delegationsIncludingDescendants: number;
  projectsSigned: number;
  projectsSignedIncludingDescendants: number;
  pledged: string;
  pledgedIncludingDescendants: string;
}

export interface DelegationActivity {
  year: number;
  goalPerMonth: number;
  total: number;
  monthsUnderGoal: number;
  byMonth: DelegationMonth[];
  byChamber: ChamberDelegationActivity[];
}

export async function delegationActivity(
  ctx: { db: Executor; permissions: Permissions },
  year: number,
): Promise<DelegationActivity> {
  ctx.permissions.assertPerformAction("delegation:activity");
  if (!Number.isInteger(year) || year < 2000 || year > 2100)
    throw UserInputError.of("INVALID", ["year"], msg("investment.yearRange"));
  const from = `${year}-01-01`;
  const to = `${year}-12-31`;
  // each delegation of the year (not cancelled) with its figures
  const figures = sql`figures as (
    select d.id, extract(month from d.starts_on)::int as month,
      (select count(*) from ${delegationParticipantTable} p where p.delegation_id = d.id) as participants,
      (select count(*) from ${delegationProjectTable} r where r.delegation_id = d.id and r.outcome = 'NEGOTIATING')
        as negotiating,
      (select count(*) from ${delegationProjectTable} r where r.delegation_id = d.id and r.outcome = 'SIGNED')
        as signed,
      (select count(*) from ${delegationAgreementTable} a where a.delegation_id = d.id) as agreements,
      (select coalesce(sum(a.pledged), 0) from ${delegationAgreementTable} a where a.delegation_id = d.id) as pledged
    from ${delegationTable} d
    where d.status <> 'CANCELLED' and d.starts_on between ${from}::date and ${to}::date
  )`;
  const [monthResult, chamberResult] = await Promise.all([
    ctx.db.execute(sql`with ${figures}
      select month, count(*)::int as count, sum(participants)::int as participants,
        sum(negotiating)::int as negotiating, sum(signed)::int as signed, sum(agreements)::int as agreements,
        sum(pledged)::numeric(16,2)::text as pledged
      from figures group by month`),
    ctx.db.execute(sql`with recursive ${figures},
      organised as (
        select dc.chamber_id, f.* from ${delegationChamberTable} dc join figures f on f.id = dc.delegation_id
      ),
      up(root_id, id, depth) as (
        select distinct o.chamber_id, o.chamber_id, 0 from organised o
        union
        select c.parent_id, u.id, u.depth + 1 from up u join ${chamberTable} c on c.id = u.root_id
        where c.parent_id is not null and u.depth < 64
      ),
      reach as (
        select distinct u.root_id, o.id, (u.id = u.root_id) as own, o.signed, o.pledged
        from (select distinct root_id, id from up) u join organised o on o.chamber_id = u.id
      ),
      per_root as (
        select root_id, id, bool_or(own) as own, max(signed) as signed, max(pledged) as pledged
        from reach group by root_id, id
      )
      select root_id::text as chamber_id,
        count(*) filter (where own)::int as own, count(*)::int as total,
        coalesce(sum(signed) filter (where own), 0)::int as signed_own, coalesce(sum(signed), 0)::int as signed_total,
        coalesce(sum(pledged) filter (where own), 0)::numeric(16,2)::text as pledged_own,
        coalesce(sum(pledged), 0)::numeric(16,2)::text as pledged_total
      from per_root group by root_id`),
  ]);
  const months = new Map(
    rowsOf<{
      month: number;
      count: number;
      participants: number;
      negotiating: number;
      signed: number;
      agreements: number;
      pledged: string;
    }>(monthResult).map((r) => [Number(r.month), r]),
  );
  const byMonth = Array.from({ length: 12 }, (_, i) => {
    const r = months.get(i + 1);
    const n = Number(r?.count ?? 0);
    return {
      month: i + 1,
      count: n,
      underGoal: n < DELEGATION_GOAL_PER_MONTH,
      participants: Number(r?.participants ?? 0),
      projectsNegotiating: Number(r?.negotiating ?? 0),
      projectsSigned: Number(r?.signed ?? 0),
      agreements: Number(r?.agreements ?? 0),
      pledged: r?.pledged ?? "0.00",
    };
  });
  const byChamber = rowsOf<{
    chamber_id: string;
    own: number;
    total: number;
    signed_own: number;
    signed_total: number;
    pledged_own: string;
    pledged_total: string;
  }>(chamberResult)
    .map((r) => ({
      chamberId: r.chamber_id,
      delegations: Number(r.own),
      delegationsIncludingDescendants: Number(r.total),
      projectsSigned: Number(r.signed_own),
      projectsSignedIncludingDescendants: Number(r.signed_total),
      pledged: r.pledged_own,
      pledgedIncludingDescendants: r.pledged_total,
    }))
    .sort(
      (a, b) =>
        b.delegationsIncludingDescendants - a.delegationsIncludingDescendants || a.chamberId.localeCompare(b.chamberId),
    );
  return {
    year,
    goalPerMonth: DELEGATION_GOAL_PER_MONTH,
    total: byMonth.reduce((s, m) => s + m.count, 0),
    monthsUnderGoal: byMonth.filter((m) => m.underGoal).length,
    byMonth,
    byChamber,
  };
}
