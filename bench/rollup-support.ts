// Shared by the roll-up benchmark and its query-plan checks: a chamber tree with memberships, leads and
// referrals, generated in a few set-based statements so 100,000 memberships load in seconds.
import { todayIso } from "@wz/core";
import { rowsOf } from "@wz/db";
import { seed, type TestApi } from "@wz/testkit";
import { sql } from "drizzle-orm";

/**
 * Fills a fresh database: the federation, 31 provincial chambers, municipal chambers under them, memberships,
 * leads, referrals.
 */
export async function fillChamberTree(api: TestApi, chambers: number, memberships: number) {
  const db = api.db.db;
  const s = seed(db);
  const federation = await s.federation();
  const poster = await s.user();
  const year = todayIso().slice(0, 4);
  await db.execute(sql`insert into chamber (kind, status, name, name_en, slug, province_code, parent_id)
    select 'PROVINCIAL', 'ACTIVE', p.name || '温州商会', p.name_en || ' Wenzhou Chamber', 'prov-' || p.code, p.code,
      ${federation.id}::uuid
    from province p`);
  await db.execute(sql`insert into chamber (kind, name, slug, province_code, city, parent_id)
    select 'MUNICIPAL', '城市商会' || g, 'city-' || g, p.province_code, '城市' || g, p.id
    from generate_series(1, ${chambers - 32}) g
    join (select id, province_code, row_number() over (order by province_code) - 1 as rn
          from chamber where kind = 'PROVINCIAL') p on p.rn = g % 31`);
  await db.execute(sql`insert into merchant (name) select '商人' || g from generate_series(1, ${memberships}) g`);
  // Every membership: level by turns, one in eight lapsed (expired unpaid), one in twenty an applicant, one in ten
  // joined this year.
  await db.execute(sql`insert into membership (chamber_id, merchant_id, level, status, joined_on, expires_on)
    select c.id, m.id,
      (array['PRESIDENT','EXECUTIVE_VICE_PRESIDENT','VICE_PRESIDENT','STANDING_DIRECTOR',
             'DIRECTOR','MEMBER','MEMBER','MEMBER'])[1 + m.rn % 8]::membership_level,
      case when m.rn % 20 = 0 then 'APPLIED' else 'ACTIVE' end::membership_status,
      case when m.rn % 20 = 0 then null when m.rn % 10 = 1 then ${`${year}-01-02`}::date
        else date '2014-01-01' + (m.rn % 3000)::int end,
      case when m.rn % 20 = 0 then null when m.rn % 8 = 3 then date '2015-06-30' else date '2099-12-31' end
    from (select id, row_number() over () as rn from merchant) m
    join (select id, row_number() over () - 1 as rn from chamber) c on c.rn = m.rn % ${chambers}`);
  const merchantId = rowsOf<{ id: string }>(await db.execute(sql`select id from merchant limit 1`))[0]!.id;
  await db.execute(sql`insert into lead (chamber_id, posted_by_merchant_id, posted_by_user_id, kind, title, description,
                                         visibility, status, closed_value, closed_at)
    select c.id, ${merchantId}::uuid, ${poster.id}::uuid, 'BUSINESS_OPPORTUNITY', '商机' || g, '-', 'FEDERATION',
      case when g % 5 = 0 then 'CLOSED_WON' else 'OPEN' end::lead_status,
      case when g % 5 = 0 then (g * 100)::numeric(16,2) end,
      case when g % 5 = 0 then now() end
    from generate_series(1, ${memberships / 10}) g
    join (select id, row_number() over () - 1 as rn from chamber) c on c.rn = g % ${chambers}`);
  await db.execute(sql`insert into lead_response (chamber_id, lead_id, kind, message, responder_merchant_id,
                                                  responder_user_id, responder_chamber_id, referred_merchant_id)
    select l.chamber_id, l.id, 'REFERRAL', '介绍', ${merchantId}::uuid, ${poster.id}::uuid, c.id, ${merchantId}::uuid
    from (select chamber_id, id, row_number() over () as rn from lead where status = 'CLOSED_WON') l
    join (select id, row_number() over () - 1 as rn from chamber) c on c.rn = (l.rn * 7) % ${chambers}`);
  await db.execute(sql`analyze`);
  return (await s.federationStaff()).token;
}
