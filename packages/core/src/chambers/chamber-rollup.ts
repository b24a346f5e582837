// Roll-up figures, the same at every level (city → provincial → federation): active members by level, new
// members, leads posted and closed value this year, for a chamber itself and summed over its descendants.
// One SQL statement for any number of chambers: a recursive CTE over the chamber tree, grouped by root.
// Only counts and sums leave the database: no notes, no names, no contact fields.

import {
  asSystem,
  chamberTable,
  type Executor,
  leadResponseTable,
  leadTable,
  type MembershipLevel,
  membershipLevelEnum,
  membershipTable,
  rowsOf,
} from "@wz/db";
import { type SQL, sql } from "drizzle-orm";
import { todayIso } from "../dates";
import { effectiveMembershipStatusSql } from "../membership/membership-status";
import type { ServiceContext } from "../service-context";
import { isUuid } from "../validation";

export interface RollupFigures {
  activeMembers: number;
  activeMembersByLevel: { level: MembershipLevel; count: number }[];
  newMembersThisYear: number;
  leadsPostedThisYear: number;
  /** CNY, two decimals: won leads posted in the chamber(s), closed this year. */
  closedValueThisYear: string;
  /** CNY: won leads closed this year that a member of the chamber(s) referred (each lead counted once). */
  referralClosedValueThisYear: string;
}

export interface ChamberRollup {
  chamberId: string;
  year: number;
  /** The chamber and all its descendants. */
  chamberCount: number;
  own: RollupFigures;
  /** The chamber itself plus every chamber beneath it. */
  total: RollupFigures;
}

const LEVELS = membershipLevelEnum.enumValues;
const figureColumns = [
  "active",
  ...LEVELS.map((l) => `lvl_${l.toLowerCase()}`),
  "new_members",
  "leads_posted",
] as const;

/** Roll-ups for the chambers whose figures the viewer may read (others: null), in the order asked for. */
export async function chamberRollups(
  ctx: Pick<ServiceContext, "db" | "permissions">,
  chamberIds: readonly string[],
  today = todayIso(),
): Promise<(ChamberRollup | null)[]> {
  const readable = chamberIds.filter((id) => isUuid(id) && ctx.permissions.can("rollup:read", { chamberId: id }));
  // a roll-up sums the chamber's sub-chambers too, which its secretaries' scope does not reach: after the permission
  // check, in the system's
  const rows = await asSystem(() => computeRollups(ctx.db, [...new Set(readable)], today));
  const byId = new Map(rows.map((r) => [r.chamberId, r]));
  return chamberIds.map((id) => byId.get(id) ?? null);
}

/** The one statement behind every roll-up; no permission check here (callers decide who reads what). */
export async function computeRollups(
  db: Executor,
  rootIds: readonly string[],
  today: string,
): Promise<ChamberRollup[]> {
  if (rootIds.length === 0) return [];
  const year = Number(today.slice(0, 4));
  const yearStart = `${year}-01-01`;
  // The federation's working year starts at midnight China time.
  const yearStartInstant = `${yearStart}T00:00:00+08:00`;
  const status = effectiveMembershipStatusSql(today);
  const levelCounts = sql.join(
    LEVELS.map((l) => sql`sum(n) filter (where active and level = ${l}) as ${sql.raw(`lvl_${l.toLowerCase()}`)}`),
    sql`, `,
  );
  const sums = (filter: SQL) =>
    sql.join(
      figureColumns.map(
        (c) => sql`coalesce(sum(${sql.raw(`f.${c}`)}) filter (where ${filter}), 0)::int as ${sql.raw(`${c}_x`)}`,
      ),
      sql`, `,
    );
  const result = await db.execute(sql`
    with recursive tree(root_id, id, depth) as (
      select c.id, c.id, 0 from ${chamberTable} c where c.id in (${sql.join(
        rootIds.map((id) => sql`${id}::uuid`),
        sql`, `,
      )})
      union all
      select t.root_id, c.id, t.depth + 1 from ${chamberTable} c join tree t on c.parent_id = t.id where t.depth < 64
    ),
    -- one pass over the memberships, grouped small (chamber × level × active × new), then pivoted
    member_groups as (
      select ${membershipTable.chamberId} as chamber_id, ${membershipTable.level} as level,
        (${status} = 'ACTIVE') as active,
        coalesce(
          ${membershipTable.joinedOn} >= ${yearStart} and ${membershipTable.joinedOn} <= ${today}, false
        ) as is_new,
        count(*) as n
      from ${membershipTable}
      where ${membershipTable.chamberId} in (select id from tree)
      group by 1, 2, 3, 4
    ),
    member_figures as (
      select chamber_id,
        sum(n) filter (where active) as active,
        ${levelCounts},
        sum(n) filter (where is_new) as new_members
      from member_groups
      group by chamber_id
    ),
    lead_figures as (
      select ${leadTable.chamberId} as chamber_id,
        count(*) filter (where ${leadTable.createdAt} >= ${yearStartInstant}::timestamptz) as leads_posted,
        sum(${leadTable.closedValue}) filter (
          where ${leadTable.status} = 'CLOSED_WON' and ${leadTable.closedAt} >= ${yearStartInstant}::timestamptz
        ) as closed_value
      from ${leadTable}
      where ${leadTable.chamberId} in (select id from tree)
      group by ${leadTable.chamberId}
    ),
    referrals as (
      select distinct r.responder_chamber_id as chamber_id, l.chamber_id as lead_chamber_id, l.id as lead_id,
        l.closed_value
      from ${leadResponseTable} r
      join ${leadTable} l on l.chamber_id = r.chamber_id and l.id = r.lead_id
      where r.kind = 'REFERRAL' and r.responder_chamber_id in (select id from tree)
        and l.status = 'CLOSED_WON' and l.closed_at >= ${yearStartInstant}::timestamptz
    ),
    referral_total as (
      select root_id, sum(closed_value) as value from (
        select distinct t.root_id, rf.lead_chamber_id, rf.lead_id, rf.closed_value
        from tree t join referrals rf on rf.chamber_id = t.id
      ) x group by root_id
    ),
    referral_own as (
      select chamber_id, sum(closed_value) as value from referrals group by chamber_id
    ),
    f as (
      select t.root_id, t.id,
        ${sql.join(
          figureColumns.map((c) =>
            c === "leads_posted"
              ? sql`coalesce(l.leads_posted, 0) as leads_posted`
              : sql`coalesce(${sql.raw(`m.${c}`)}, 0) as ${sql.raw(c)}`,
          ),
          sql`, `,
        )},
        coalesce(l.closed_value, 0) as closed_value
      from tree t
      left join member_figures m on m.chamber_id = t.id
      left join lead_figures l on l.chamber_id = t.id
    )
    select f.root_id::text as root_id,
      count(*)::int as chamber_count,
      ${sums(sql`f.id = f.root_id`)},
      ${sql.join(
        figureColumns.map((c) => sql`coalesce(sum(${sql.raw(`f.${c}`)}), 0)::int as ${sql.raw(`${c}_t`)}`),
        sql`, `,
      )},
      (coalesce(sum(f.closed_value) filter (where f.id = f.root_id), 0))::numeric(16,2)::text as closed_x,
      coalesce(sum(f.closed_value), 0)::numeric(16,2)::text as closed_t,
      (coalesce(max(ro.value), 0))::numeric(16,2)::text as referral_x,
      (coalesce(max(rt.value), 0))::numeric(16,2)::text as referral_t
    from f
    left join referral_own ro on ro.chamber_id = f.root_id and f.id = f.root_id
    left join referral_total rt on rt.root_id = f.root_id
    group by f.root_id`);
  return rowsOf<Record<string, string | number>>(result).map((r) => {
    const figures = (suffix: "x" | "t"): RollupFigures => ({
      activeMembers: Number(r[`active_${suffix}`]),
      activeMembersByLevel: LEVELS.map((level) => ({
        level,
        count: Number(r[`lvl_${level.toLowerCase()}_${suffix}`]),
      })),
      newMembersThisYear: Number(r[`new_members_${suffix}`]),
      leadsPostedThisYear: Number(r[`leads_posted_${suffix}`]),
      closedValueThisYear: String(r[`closed_${suffix}`]),
      referralClosedValueThisYear: String(r[`referral_${suffix}`]),
    });
    return {
      chamberId: String(r.root_id),
      year,
      chamberCount: Number(r.chamber_count),
      own: figures("x"),
      total: figures("t"),
    };
  });
}
