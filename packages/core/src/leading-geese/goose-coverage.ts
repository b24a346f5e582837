// How well the hundred leading geese are looked after, as of a day: geese without a leader, leaders linked to fewer
// than 2 or more than 3, geese with no contact in the 90 days up to the day, and what each goose's projects have
// brought (arrived capital up to the day, through the return-investment arrivals). Two statements; and the
// contacts themselves, for city staff only (their notes are the city's).
import {
  type Executor,
  type GooseContactRow,
  gooseContactTable,
  gooseLiaisonTable,
  investmentArrivalTable,
  investmentMerchantTable,
  merchantTable,
  rowsOf,
  userTable,
} from "@wz/db";
import { and, count, eq, inArray, type SQL, sql } from "drizzle-orm";
import { keysetPage, type PageRequest } from "../common/paging";
import { addDays, isIsoDate, todayIso } from "../dates";
import { UserInputError } from "../errors";
import { msg } from "../messages";
import type { Permissions } from "../permissions";
import { isUuid } from "../validation";
import { GEESE_PER_LEADER, LEADING_GOOSE_CAP } from "./goose-service";

/** A goose not contacted in this many days (up to the day asked about) is listed as not contacted. */
export const GOOSE_CONTACT_DAYS = 90;

export interface GooseCoverageEntry {
  merchantId: string;
  leaderUserId: string | null;
  lastContactOn: string | null;
  contactedRecently: boolean;
  projects: number;
  arrived: string;
}

export interface LeaderCoverageEntry {
  userId: string;
  displayName: string;
  email: string;
  geese: number;
  withinRange: boolean;
}

export interface LeadingGooseCoverage {
  asOf: string;
  cap: number;
  contactWindowDays: number;
  geese: GooseCoverageEntry[];
  leaders: LeaderCoverageEntry[];
}

interface ReadContext {
  db: Executor;
  permissions: Permissions;
}

export async function leadingGooseCoverage(ctx: ReadContext, asOfInput?: string | null): Promise<LeadingGooseCoverage> {
  ctx.permissions.assertPerformAction("goose:coverage");
  if (asOfInput != null && !isIsoDate(asOfInput))
    throw UserInputError.of("INVALID", ["asOf"], msg("investment.dateForm"));
  const asOf = asOfInput ?? todayIso();
  const since = addDays(asOf, -(GOOSE_CONTACT_DAYS - 1));
  const isGoose = sql`m.merged_into_id is null and 'LEADING_GOOSE' = any(m.tags)`;
  const [geeseResult, leadersResult] = await Promise.all([
    ctx.db.execute(sql`
      select m.id::text as merchant_id, l.leader_user_id::text as leader_user_id,
        (select max(c.on) from ${gooseContactTable} c where c.merchant_id = m.id and c.on <= ${asOf}::date)::text
          as last_contact_on,
        (select count(distinct im.project_id) from ${investmentMerchantTable} im where im.merchant_id = m.id)::int
          as projects,
        (select coalesce(sum(a.amount), 0) from ${investmentArrivalTable} a
          where a.arrived_on <= ${asOf}::date and a.project_id in
            (select im.project_id from ${investmentMerchantTable} im where im.merchant_id = m.id))::numeric(16,2)::text
          as arrived
      from ${merchantTable} m left join ${gooseLiaisonTable} l on l.merchant_id = m.id
      where ${isGoose}
      order by m.name_pinyin, m.id`),
    ctx.db.execute(sql`
      select u.id::text as user_id, u.display_name, u.email,
        (select count(*) from ${gooseLiaisonTable} l join ${merchantTable} m on m.id = l.merchant_id
          where l.leader_user_id = u.id and ${isGoose})::int as geese
      from ${userTable} u
      where u.is_city_leader and u.is_city_staff and u.disabled_at is null
      order by u.display_name, u.id`),
  ]);
  const geese = rowsOf<{
    merchant_id: string;
    leader_user_id: string | null;
    last_contact_on: string | null;
    projects: number;
    arrived: string;
  }>(geeseResult).map((r) => ({
    merchantId: r.merchant_id,
    leaderUserId: r.leader_user_id,
    lastContactOn: r.last_contact_on,
    contactedRecently: r.last_contact_on !== null && r.last_contact_on >= since,
    projects: Number(r.projects),
    arrived: r.arrived,
  }));
  const leaders = rowsOf<{ user_id: string; display_name: string; email: string; geese: number }>(leadersResult).map(
    (r) => ({
      userId: r.user_id,
      displayName: r.display_name,
      email: r.email,
      geese: Number(r.geese),
      withinRange: r.geese >= GEESE_PER_LEADER.min && r.geese <= GEESE_PER_LEADER.max,
    }),
  );
  return { asOf, cap: LEADING_GOOSE_CAP, contactWindowDays: GOOSE_CONTACT_DAYS, geese, leaders };
}

function contactCondition(ctx: ReadContext, merchantId: string | null): SQL {
  if (!ctx.permissions.can("goose:manage")) return sql`false`;
  if (merchantId === null) return sql`true`;
  return isUuid(merchantId) ? eq(gooseContactTable.merchantId, merchantId) : sql`false`;
}

/** A goose's contacts, latest first: city staff only (others see none). */
export function listGooseContacts(ctx: ReadContext, merchantId: string, page: PageRequest): Promise<GooseContactRow[]> {
  ctx.permissions.requireViewer();
  const { where, orderBy } = keysetPage(page, gooseContactTable.on, gooseContactTable.id, true);
  return ctx.db
    .select()
    .from(gooseContactTable)
    .where(and(contactCondition(ctx, merchantId), where))
    .orderBy(...orderBy)
    .limit(page.limit);
}

export async function countGooseContacts(ctx: ReadContext, merchantId: string): Promise<number> {
  ctx.permissions.requireViewer();
  const [row] = await ctx.db.select({ n: count() }).from(gooseContactTable).where(contactCondition(ctx, merchantId));
  return row?.n ?? 0;
}

export function visibleGooseContactsByIds(ctx: ReadContext, ids: readonly string[]): Promise<GooseContactRow[]> {
  const valid = ids.filter(isUuid);
  if (valid.length === 0) return Promise.resolve([]);
  return ctx.db
    .select()
    .from(gooseContactTable)
    .where(and(inArray(gooseContactTable.id, valid), contactCondition(ctx, null)));
}
