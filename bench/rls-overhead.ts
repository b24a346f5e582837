// Benchmark: what row-level security costs. The member list (a page of 30 with totalCount) of a chamber of 20,000
// memberships, read by its secretary, and the lead list (a page of 30 with totalCount) over 20,000 leads in 10
// chambers, read by a member, through GraphQL two ways in one run on one PostgreSQL database: as the application
// runs (role wz_app, each statement in a transaction that sets the viewer's scope, policies evaluated) and with only
// the application's WHERE (the owner, a superuser, plain statements: as before row-level security). Sides alternate
// in rounds of fixed length, 4 requests in flight; medians and spread of the rounds.
// Writes bench/results/rls-overhead.json.
//   npm run bench -- rls-overhead   (BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/postgres)
import { writeFileSync } from "node:fs";
import { defaultCoreSettings } from "@wz/core";
import { openDatabase } from "@wz/db";
import { createGraphQLApp, defaultQueryLimits, type GraphQLApp } from "@wz/graphql";
import { createTestDatabase, globalId, seed, silentLogger } from "@wz/testkit";
import { sql } from "drizzle-orm";
import { insertPeople, people } from "./membership-support";

process.env.TEST_DATABASE_URL = process.env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const ROUND_MS = Number(process.env.BENCH_ROUND_MS ?? 2500);
const IN_FLIGHT = 4;

const MEMBERS = `query ($id: ID!) { node(id: $id) { ... on Chamber {
  members(first: 30) { totalCount edges { node { id status level merchant { name } } } } } } }`;
const LEADS = `{ leads(first: 30) { totalCount edges { node { id title visibility } } } }`;

const database = await createTestDatabase();
const owner = await openDatabase({ url: database.url!, poolSize: 4, rowLevelSecurity: false });
const app = (db: typeof database.db): GraphQLApp =>
  createGraphQLApp({
    db,
    logger: silentLogger,
    settings: defaultCoreSettings,
    production: true,
    limits: defaultQueryLimits,
  });
try {
  const s = seed(database.db);
  const chambers = [];
  for (let i = 0; i < 10; i++) chambers.push(await s.chamber({ name: `基准商会${i}` }));
  const home = chambers[0]!;
  const secretary = await home.secretary();
  const member = await home.member({ name: "陈基准" });
  // the leads are posted by a member of another chamber: the reader sees them by their level and audience
  const poster = await chambers[1]!.member({ name: "林发布" });
  const spec = (chamberId: string) => ({
    chamberId,
    level: () => "MEMBER" as const,
    status: (i: number) => (i % 10 === 3 ? "APPLIED" : "ACTIVE") as "ACTIVE" | "APPLIED",
    expiresOn: () => "2099-12-31",
  });
  await insertPeople(database.db, people(20_000, 21), spec(home.id));
  await insertPeople(database.db, people(20_000, 22, 20_000), spec(chambers[1]!.id));
  // 20,000 leads over the 10 chambers: 40 % FEDERATION, 40 % CHAMBER, 20 % SELECTED_CHAMBERS naming the next one
  await owner.db.execute(sql`
    with chambers as (select id, row_number() over (order by id) - 1 as n from chamber where name like '基准商会%'),
    leads as (
      insert into lead (chamber_id, posted_by_merchant_id, posted_by_user_id, kind, title, description, visibility,
        created_at)
      select c.id, ${poster.merchantId}, ${poster.user.id}, 'BUSINESS_OPPORTUNITY', '基准商机 ' || g, '说明',
        (case when g % 5 < 2 then 'FEDERATION' when g % 5 < 4 then 'CHAMBER'
          else 'SELECTED_CHAMBERS' end)::lead_visibility,
        now() - g * interval '1 minute'
      from generate_series(1, 20000) g join chambers c on c.n = g % 10
      returning chamber_id, id, visibility
    )
    insert into lead_audience (lead_chamber_id, lead_id, chamber_id)
    select l.chamber_id, l.id, (select id from chambers c2 where c2.n = (c.n + 1) % 10)
    from leads l join chambers c on c.id = l.chamber_id where l.visibility = 'SELECTED_CHAMBERS'`);
  // and 4,000 answers from members of a third chamber: every fifth lead answered once
  const responders = [];
  for (let i = 0; i < 4; i++) responders.push(await chambers[2]!.member({ name: `答复人${i}` }));
  await owner.db.execute(sql`
    insert into lead_response (chamber_id, lead_id, kind, message, responder_merchant_id, responder_user_id)
    select l.chamber_id, l.id, 'INTEREST', '有意向', r.merchant_id::uuid, r.user_id::uuid
    from (select chamber_id, id, row_number() over (order by id) as n from lead) l
    join (select * from jsonb_to_recordset(${JSON.stringify(
      responders.map((r, i) => ({ i, merchant_id: r.merchantId, user_id: r.user.id })),
    )}::jsonb) as x(i int, merchant_id text, user_id text)) r on r.i = l.n % 4
    where l.n % 5 = 0`);
  await owner.db.execute(sql`analyze`);

  const sides = { rls: app(database.db), whereOnly: app(owner.db) };
  const operations = {
    "member list (a page of 30 + totalCount, the secretary)": {
      query: MEMBERS,
      variables: { id: globalId("Chamber", home.id) },
      token: secretary.token,
    },
    "lead list (a page of 30 + totalCount, a member)": { query: LEADS, variables: {}, token: member.user.token },
  };
  type Operation = (typeof operations)[keyof typeof operations];
  const ask = async (side: GraphQLApp, op: Operation) => {
    const response = await side.fetch("http://bench/graphql", {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${op.token}` },
      body: JSON.stringify({ query: op.query, variables: op.variables }),
    });
    return (await response.json()) as { data?: unknown; errors?: unknown };
  };
  // both sides answer the same
  for (const op of Object.values(operations)) {
    const [a, b] = [await ask(sides.rls, op), await ask(sides.whereOnly, op)];
    if (a.errors || JSON.stringify(a) !== JSON.stringify(b))
      throw new Error(`the sides disagree: ${JSON.stringify(a).slice(0, 300)} / ${JSON.stringify(b).slice(0, 300)}`);
  }
  const throughput = async (side: GraphQLApp, op: Operation) => {
    const end = Date.now() + ROUND_MS;
    let done = 0;
    await Promise.all(
      Array.from({ length: IN_FLIGHT }, async () => {
        while (Date.now() < end) {
          await ask(side, op);
          done++;
        }
      }),
    );
    return (done * 1000) / ROUND_MS;
  };
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const summary = (xs: number[]) => ({
    medianPerSecond: Math.round(median(xs)),
    minPerSecond: Math.round(Math.min(...xs)),
    maxPerSecond: Math.round(Math.max(...xs)),
    rounds: xs.map(Math.round),
  });
  const results = [];
  for (const [name, op] of Object.entries(operations)) {
    await throughput(sides.rls, op); // warm both
    await throughput(sides.whereOnly, op);
    const rounds = { rls: [] as number[], whereOnly: [] as number[] };
    for (let round = 0; round < ROUNDS; round++) {
      // alternate which side goes first, so a drift in the machine's load falls on both
      const order = round % 2 === 0 ? (["rls", "whereOnly"] as const) : (["whereOnly", "rls"] as const);
      for (const side of order) rounds[side].push(await throughput(sides[side], op));
    }
    const ratio = median(rounds.rls) / median(rounds.whereOnly);
    results.push({ operation: name, rls: summary(rounds.rls), whereOnly: summary(rounds.whereOnly), ratio });
    console.log(
      `${name}: RLS ${median(rounds.rls).toFixed(0)}/s, WHERE only ${median(rounds.whereOnly).toFixed(0)}/s,`,
      `ratio ${(ratio * 100).toFixed(1)} %`,
    );
  }
  const file = new URL("./results/rls-overhead.json", import.meta.url);
  const figures = {
    benchmark: "rls-overhead",
    at: new Date().toISOString(),
    target: "RLS throughput >= 85 % of WHERE-only",
    setup: { memberships: 40_000, leads: 20_000, chambers: 10, inFlight: IN_FLIGHT, rounds: ROUNDS, roundMs: ROUND_MS },
    note: "GraphQL in process (no HTTP); one 2-core machine shared by PostgreSQL and the load",
    results,
  };
  writeFileSync(file, `${JSON.stringify(figures, null, 2)}\n`);
  console.log(`written to ${file.pathname}`);
} finally {
  await owner.close();
  await database.dispose();
}
