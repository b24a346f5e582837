// Last year's gatherings and recognitions in the demo: each chamber's 2013 annual meeting (年会), held, its active
// members invited and most of them there; the federation's 2013 new-generation joint meeting (新生代温商联席会议) for
// every chamber's NEW_GENERATION members; and the 2013 recognition of returning merchants (温商回归功勋人物): chambers'
// nominations, most recognised, some declined, a few still open. Set-based: a handful of statements.
import {
  chamberTable,
  type Executor,
  gatheringInvitationTable,
  gatheringTable,
  membershipTable,
  merchantTable,
  recognitionNominationTable,
  rowsOf,
} from "@wz/db";
import { sql } from "drizzle-orm";

export async function loadGatheringsDemo({
  db,
  cityUserId,
  chamberIds,
}: {
  db: Executor;
  cityUserId: string;
  chamberIds: ReadonlyMap<string, string>;
}) {
  const keys = [...chamberIds.keys()];
  const meetings = await db
    .insert(gatheringTable)
    .values(
      keys.map((key, i) => ({
        chamberId: chamberIds.get(key)!,
        kind: "ANNUAL_MEETING" as const,
        title: "2013年度会员大会暨年会",
        heldOn: `2013-12-${String(10 + i).padStart(2, "0")}`,
        place: "会所多功能厅",
        status: "HELD" as const,
      })),
    )
    .returning({ id: gatheringTable.id });
  const [federation] = rowsOf<{ id: string }>(
    await db.execute(sql`select id::text as id from ${chamberTable} where kind = 'FEDERATION'`),
  );
  const [joint] = await db
    .insert(gatheringTable)
    .values({
      chamberId: federation!.id,
      kind: "JOINT_MEETING",
      title: "2013年新生代温商联席会议",
      heldOn: "2013-11-16",
      place: "温州",
      status: "HELD",
    })
    .returning({ id: gatheringTable.id });
  const eligible = sql`ms.status = 'ACTIVE' and m.merged_into_id is null`;
  // each chamber's active members to its meeting; every chamber's NEW_GENERATION members to the joint meeting;
  // about four in five answered yes and came
  await db.execute(sql`
    insert into ${gatheringInvitationTable} (gathering_id, merchant_id, chamber_id, rsvp, attended)
    select g.id, ms.merchant_id, ms.chamber_id,
      (case when abs(hashtext(ms.merchant_id::text)) % 5 = 0 then 'DECLINED' else 'ATTENDING' end)::gathering_rsvp,
      abs(hashtext(ms.merchant_id::text)) % 5 <> 0
    from ${gatheringTable} g
    join ${membershipTable} ms on ms.chamber_id = g.chamber_id
    join ${merchantTable} m on m.id = ms.merchant_id
    where g.id in (${sql.join(
      meetings.map((g) => sql`${g.id}::uuid`),
      sql`, `,
    )}) and ${eligible}`);
  await db.execute(sql`
    insert into ${gatheringInvitationTable} (gathering_id, merchant_id, chamber_id, rsvp, attended)
    select distinct on (ms.merchant_id) ${joint!.id}::uuid, ms.merchant_id, ms.chamber_id, 'ATTENDING', true
    from ${membershipTable} ms join ${merchantTable} m on m.id = ms.merchant_id
    where ${eligible} and 'NEW_GENERATION' = any(m.tags)
    order by ms.merchant_id, ms.chamber_id`);
  // 2013's recognition: two nominations from each of the first six chambers; the city recognised most of them
  await db.execute(sql`
    insert into ${recognitionNominationTable}
      (year, merchant_id, chamber_id, reason, status, decision_note, decided_by_user_id, decided_at)
    select 2013, n.merchant_id, n.chamber_id, '带头回乡投资，引进项目落地温州 (demo)',
      (case when n.rank = 1 then 'RECOGNISED' when n.chamber_no % 3 = 0 then 'DECLINED' else 'NOMINATED' end)
        ::recognition_status,
      case when n.rank = 1 then '市委市政府研究决定 (demo)' end,
      case when n.rank = 1 or n.chamber_no % 3 = 0 then ${cityUserId}::uuid end,
      case when n.rank = 1 or n.chamber_no % 3 = 0 then timestamptz '2014-02-10 10:00+08' end
    from (
      select ms.merchant_id, ms.chamber_id,
        row_number() over (partition by ms.chamber_id order by ms.level, ms.merchant_id) as rank,
        dense_rank() over (order by ms.chamber_id) as chamber_no
      from ${membershipTable} ms join ${merchantTable} m on m.id = ms.merchant_id
      where ${eligible} and ms.chamber_id in (${sql.join(
        keys.slice(0, 6).map((k) => sql`${chamberIds.get(k)!}::uuid`),
        sql`, `,
      )})
    ) n
    where n.rank <= 2
      and not exists (select 1 from ${recognitionNominationTable} r
        where r.year = 2013 and r.merchant_id = n.merchant_id)
    on conflict do nothing`);
  return { gatherings: meetings.length + 1 };
}
