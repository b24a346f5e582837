// The delegations and leading geese of the demo: twelve months of 2014 delegations home by the chambers the speech
// names (some months under the goal of two, one cancelled, framework agreements with their pledged sums), and the
// hundred leading geese with their city leaders (a few geese without one, a leader outside 2–3) and the contacts
// logged over the last months. Written set-based, a few statements in all: the demo loads on every cold start.
import {
  delegationAgreementTable,
  delegationChamberTable,
  delegationContactTable,
  delegationParticipantTable,
  delegationTable,
  delegationVisitTable,
  type Executor,
  gooseContactTable,
  gooseLiaisonTable,
  merchantTable,
  userTable,
} from "@wz/db";
import { and, asc, eq, isNull, sql } from "drizzle-orm";
import { addDays } from "../dates";
import { LEADING_GOOSE_CAP } from "../leading-geese/goose-service";

/** Delegations starting in each month of 2014: March, June and September fall under the goal of two. */
const PER_MONTH_2014 = [2, 3, 1, 2, 2, 0, 3, 2, 1, 2, 3, 2];
/** The organisers in turn: the nine chambers named in the speech. */
const ORGANISERS = [
  "suzhou",
  "shenzhen",
  "shijiazhuang",
  "xinjiang",
  "kunming",
  "shanghai",
  "hefei",
  "nanjing",
  "changsha",
];
const PLACES: [string, string][] = [
  ["瓯江口产业集聚区", "温州瓯江口开发建设投资集团"],
  ["浙南科技城", "温州浙南科创投资有限公司"],
  ["温州经济技术开发区", "温州经开区招商服务中心"],
  ["乐清经济开发区", "正泰集团"],
  ["瑞安经济开发区", "瑞立集团"],
  ["鹿城区", "温州市城市建设发展集团"],
];
const LEADER_NAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘";

export interface DelegationsDemoInput {
  db: Executor;
  cityUserId: string;
  chamberIds: ReadonlyMap<string, string>;
  /** Active members of a chamber (merchant ids), who may take part in its delegations. */
  activeIn: (key: string) => string[];
  today: string;
}

export async function loadDelegationsDemo({ db, cityUserId, chamberIds, activeIn, today }: DelegationsDemoInput) {
  // delegations home, 2014
  const plans: { title: string; startsOn: string; keys: string[]; cancelled: boolean; n: number }[] = [];
  let n = 0;
  PER_MONTH_2014.forEach((count, m) => {
    for (let k = 0; k < count; k++, n++) {
      const key = ORGANISERS[n % ORGANISERS.length]!;
      const partner = ORGANISERS[(n + 4) % ORGANISERS.length]!;
      const day = String(5 + k * 9).padStart(2, "0");
      plans.push({
        title: `2014年${m + 1}月回乡投资考察团 (${n + 1})`,
        startsOn: `2014-${String(m + 1).padStart(2, "0")}-${day}`,
        keys: n % 5 === 4 ? [key, partner] : [key],
        cancelled: false,
        n,
      });
    }
  });
  // one more in December, cancelled (it leaves December at two)
  plans.push({
    title: "2014年12月回乡投资考察团（取消）",
    startsOn: "2014-12-20",
    keys: ["kunming"],
    cancelled: true,
    n,
  });
  const rows = await db
    .insert(delegationTable)
    .values(
      plans.map((p) => ({
        title: p.title,
        status: p.cancelled ? ("CANCELLED" as const) : ("DONE" as const),
        startsOn: p.startsOn,
        endsOn: addDays(p.startsOn, 2),
        cancelReason: p.cancelled ? "与年会时间冲突 (demo)" : null,
        createdByUserId: cityUserId,
      })),
    )
    .returning({ id: delegationTable.id });
  const organisers = plans.flatMap((p, i) =>
    p.keys.map((key) => ({ delegationId: rows[i]!.id, chamberId: chamberIds.get(key)! })),
  );
  await db.insert(delegationChamberTable).values(organisers);
  const participants = plans.flatMap((p, i) => {
    const seen = new Set<string>();
    return p.keys.flatMap((key) =>
      activeIn(key)
        .filter((_, j) => (j + p.n) % 7 < 2)
        .slice(0, 4)
        .filter((merchantId) => !seen.has(merchantId) && seen.add(merchantId))
        .map((merchantId) => ({ delegationId: rows[i]!.id, merchantId, chamberId: chamberIds.get(key)! })),
    );
  });
  if (participants.length) await db.insert(delegationParticipantTable).values(participants);
  await db.insert(delegationVisitTable).values(
    plans.flatMap((p, i) =>
      [0, 1].map((k) => {
        const [place, company] = PLACES[(p.n + k * 2) % PLACES.length]!;
        return { delegationId: rows[i]!.id, place, company, visitedOn: addDays(p.startsOn, k) };
      }),
    ),
  );
  await db.insert(delegationContactTable).values(rows.map((r) => ({ delegationId: r.id, userId: cityUserId })));
  // framework agreements: 2013's three-year agreements carried on, a few 亿 each
  const agreements = plans
    .map((p, i) => ({ p, id: rows[i]!.id }))
    .filter(({ p }) => !p.cancelled && p.n % 3 === 0)
    .map(({ p, id }) => ({
      delegationId: id,
      title: "三年投资框架协议",
      pledged: `${(p.n % 5) + 2}00000000.00`,
      signedOn: addDays(p.startsOn, 1),
    }));
  await db.insert(delegationAgreementTable).values(agreements);

  // the hundred leading geese: those already tagged, and more active merchants up to 100 (the database counts)
  await db.update(userTable).set({ isCityLeader: true }).where(eq(userTable.id, cityUserId));
  await db.execute(sql`
    update ${merchantTable} set tags = array_append(tags, 'LEADING_GOOSE')
    where id in (
      select id from ${merchantTable}
      where merged_into_id is null and not ('LEADING_GOOSE' = any(tags))
      order by name_pinyin, id
      limit greatest(0, ${LEADING_GOOSE_CAP} - (select count(*) from ${merchantTable}
        where merged_into_id is null and 'LEADING_GOOSE' = any(tags))))`);
  const geese = await db
    .select({ id: merchantTable.id })
    .from(merchantTable)
    .where(and(isNull(merchantTable.mergedIntoId), sql`'LEADING_GOOSE' = any(${merchantTable.tags})`))
    .orderBy(asc(merchantTable.namePinyin), asc(merchantTable.id));
  // city leaders (no sign-in: no password), 3 or 2 geese each; one with a single goose, five geese without one
  const leaders = await db
    .insert(userTable)
    .values(
      [...LEADER_NAMES].map((surname, i) => ({
        email: `leader${String(i + 1).padStart(2, "0")}@city.example.org`,
        displayName: `${surname}市领导`,
        isCityStaff: true,
        isCityLeader: true,
      })),
    )
    .returning({ id: userTable.id });
  const leaderIds = [cityUserId, ...leaders.map((l) => l.id)];
  const links: { merchantId: string; leaderUserId: string; since: string }[] = [];
  let g = 0;
  for (const [i, leaderUserId] of leaderIds.entries()) {
    const take = i === leaderIds.length - 1 ? 1 : i % 2 === 0 ? 3 : 2;
    for (let k = 0; k < take && g < geese.length - 5; k++, g++)
      links.push({ merchantId: geese[g]!.id, leaderUserId, since: "2014-01-15" });
  }
  await db.insert(gooseLiaisonTable).values(links);
  // contacts over the last months; every seventh goose not in the last 90 days
  const kinds = ["VISIT", "CALL", "MEETING"] as const;
  const contacts = links.flatMap((l, i) =>
    [0, 1].map((k) => ({
      merchantId: l.merchantId,
      leaderUserId: l.leaderUserId,
      kind: kinds[(i + k) % 3]!,
      on: addDays(today, -((i % 7 === 0 ? 100 : (i * 11) % 80) + k * 45)),
      notes: k === 0 ? "了解回归投资意向，协调项目用地 (demo)" : "电话回访 (demo)",
      recordedByUserId: cityUserId,
    })),
  );
  await db.insert(gooseContactTable).values(contacts);
  return { delegations: rows.length, geese: geese.length, leaders: leaderIds.length };
}
