// Benchmark: returnInvestmentProgress (arrived capital against the year's target, by category, month, district
// and chamber through the tree, and against the same window a year before) over 100,000 projects and 1,000,000
// arrivals on PostgreSQL, through GraphQL and as the bare core call. Target: p95 ≤ 200 ms through GraphQL, in a
// number of statements that does not grow with the data. Seeds with set-based INSERT … SELECT generate_series,
// then fills the day totals progress reads (by category and district, by chamber credit) from the rows, set-based.
// Writes bench/results/return-investment-progress.json.
//   npx tsx bench/return-investment-progress.ts   (PostgreSQL at BENCH_DATABASE_URL, default the machine's)

import { mkdirSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { Permissions, rebuildReturnInvestmentTotals, resolveViewer, returnInvestmentProgress } from "@wz/core";
import { rowsOf, wenzhouDistrictList } from "@wz/db";
import { createTestApi, seed, type TestApi } from "@wz/testkit";
import { sql } from "drizzle-orm";

const POSTGRES_URL = process.env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const RUNS = Number(process.env.BENCH_RUNS ?? 25);

const QUERY = `{ returnInvestmentProgress(year: 2014, asOf: "2014-04-30") { target arrived percentOfTarget
  byCategory { category arrived previousYearSamePeriod growthPercent } byMonth { month arrived }
  byDistrict { districtCode target arrived percentOfTarget }
  byChamber { chamber { name } arrived arrivedIncludingDescendants projectsSigned pledged } } }`;

function stats(ms: number[]) {
  const sorted = [...ms].sort((a, b) => a - b);
  const at = (q: number) => Math.round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]! * 10) / 10;
  return { median: at(0.5), p95: at(0.95), min: at(0), max: at(1) };
}

/** 60 chambers (6 provincial, 9 cities under each, 5 overseas), `projects` projects, `perProject` arrivals each. */
async function fill(api: TestApi, projects: number, perProject: number) {
  const s = seed(api.db.db);
  const chamberIds: string[] = [];
  for (let p = 0; p < 6; p++) {
    const province = await s.chamber({
      name: `省级商会${p}`,
      kind: "PROVINCIAL",
      provinceCode: ["32", "44", "31", "13", "53", "34"][p]!,
    });
    chamberIds.push(province.id);
    for (let c = 0; c < 9; c++)
      chamberIds.push((await s.chamber({ name: `市级商会${p}-${c}`, parentId: province.id })).id);
  }
  for (let o = 0; o < 5; o++) chamberIds.push((await s.chamber({ name: `海外侨团${o}`, kind: "OVERSEAS" })).id);
  const districts = wenzhouDistrictList.map((d) => d.code);
  const db = api.db.db;
  const seeding = performance.now();
  await db.execute(sql`
    insert into investment_project (id, name, district, stage, stage_on, pledged, key_project, created_at)
    select gen_random_uuid(), '批量项目' || g,
      (${sql.raw(`array[${districts.map((d) => `'${d}'`).join(",")}]`)})[1 + g % ${districts.length}],
      'UNDER_CONSTRUCTION', date '2013-01-01' + (g % 365)::int, 100000000, g % 10 = 0,
      timestamptz '2013-01-01' + g * interval '1 second'
    from generate_series(1, ${projects}) g`);
  await db.execute(sql`
    insert into investment_stage_change (project_id, from_stage, to_stage, "on")
    select id, 'NEGOTIATING', 'SIGNED', stage_on from investment_project`);
  await db.execute(sql`
    insert into investment_pledge (project_id, kind, delta, total, "on")
    select id, 'INITIAL', pledged, pledged, stage_on from investment_project`);
  // one chamber each, every tenth shared 50/50 with the next chamber
  await db.execute(sql`
    with p as (select id, row_number() over (order by created_at) as n from investment_project),
      c as (select id, row_number() over (order by id) - 1 as k, count(*) over () as total from chamber
        where kind <> 'FEDERATION')
    insert into investment_credit (project_id, chamber_id, share_percent)
    select p.id, c.id, case when p.n % 10 = 0 then 50 else 100 end from p join c on c.k = p.n % c.total
    union all
    select p.id, c.id, 50 from p join c on c.k = (p.n + 1) % c.total where p.n % 10 = 0`);
  // arrivals spread over 2013 and 2014, both categories
  await db.execute(sql`
    insert into investment_arrival (project_id, arrived_on, amount, category)
    select p.id, date '2013-01-01' + ((p.n * 7 + k * 73) % 730)::int, 1000 + (p.n + k) % 9000,
      (case when (p.n + k) % 3 = 0 then 'REAL_ESTATE_OUTSIDE_CITY' else 'RETURN_OUTSIDE_PROVINCE' end)::capital_category
    from (select id, row_number() over (order by created_at) as n from investment_project) p,
      generate_series(1, ${perProject}) k`);
  await db.execute(sql`
    insert into return_investment_target (year, amount) values (2014, 80000000000)`);
  await db.execute(sql`
    insert into return_investment_district_target (year, district, amount)
    select 2014, d, 80000000000 / ${sql.raw(String(districts.length))}
      + case when d = ${sql.raw(`'${districts[0]!}'`)} then 80000000000 % ${sql.raw(String(districts.length))}
        else 0 end
    from unnest(${sql.raw(`array[${districts.map((d) => `'${d}'`).join(",")}]`)}) d`);
  const seedMs = Math.round(performance.now() - seeding);
  const totalling = performance.now();
  await rebuildReturnInvestmentTotals(db);
  const totalsMs = Math.round(performance.now() - totalling);
  await db.execute(sql`analyze`);
  return { seedMs, totalsMs, chambers: chamberIds.length };
}

async function run(projects: number, perProject: number) {
  process.env.TEST_DATABASE_URL = POSTGRES_URL;
  const api = await createTestApi();
  try {
    const filled = await fill(api, projects, perProject);
    const city = await seed(api.db.db).cityStaff();
    const viewer = await resolveViewer(api.db.db, city.token);
    const core = { db: api.db.db, permissions: new Permissions(viewer) };
    const graphql: number[] = [];
    const bare: number[] = [];
    let statements = 0;
    let figures: unknown;
    for (let i = 0; i < RUNS + 3; i++) {
      api.db.resetStatements();
      const t0 = performance.now();
      const data = await api.data(QUERY, {}, city.token);
      const t1 = performance.now();
      statements = api.db.statements.length;
      figures = data.returnInvestmentProgress;
      const t2 = performance.now();
      await returnInvestmentProgress(core, 2014, "2014-04-30");
      const t3 = performance.now();
      if (i >= 3) {
        graphql.push(t1 - t0);
        bare.push(t3 - t2);
      }
    }
    const [row] = rowsOf(
      await api.db.db.execute(
        sql`select (select count(*) from investment_project)::int as projects,
                   (select count(*) from investment_arrival)::int as arrivals,
                   (select count(*) from investment_credit)::int as credits,
                   (select count(*) from investment_arrival_day)::int as "arrivalDayRows",
                   (select count(*) from investment_chamber_day)::int as "chamberDayRows"`,
      ),
    );
    return {
      data: { ...(row as object), chambers: filled.chambers },
      seedMs: filled.seedMs,
      totalsRebuildMs: filled.totalsMs,
      statementsPerRequest: statements,
      graphqlMs: stats(graphql),
      coreMs: stats(bare),
      figures,
    };
  } finally {
    await api.close();
  }
}

const loadAverageAtStart = loadavg().map((l) => Math.round(l * 100) / 100);
const small = await run(1_000, 10);
const large = await run(100_000, 10);
const result = {
  benchmark:
    "returnInvestmentProgress(year: 2014, asOf: 2014-04-30): three statements (target, day totals by category " +
    "and district, day totals by chamber credit through the tree), through GraphQL and as the bare core call",
  target: "p95 ≤ 200 ms through GraphQL on PostgreSQL for 100,000 projects and 1,000,000 arrivals",
  engine: "postgres",
  machine: `${process.platform} ${process.arch}, ${cpus().length} cores, node ${process.version}`,
  loadAverageAtStart,
  loadAverage: loadavg().map((l) => Math.round(l * 100) / 100),
  at: new Date().toISOString(),
  runs: RUNS,
  small: { ...small, figures: undefined },
  large,
  sameStatementCount: small.statementsPerRequest === large.statementsPerRequest,
  meetsTarget: large.graphqlMs.p95 <= 200,
};
mkdirSync(new URL("./results/", import.meta.url), { recursive: true });
writeFileSync(
  new URL("./results/return-investment-progress.json", import.meta.url),
  `${JSON.stringify(result, null, 2)}\n`,
);
console.log(
  JSON.stringify(
    { small: result.small, large: { ...large, figures: undefined }, meetsTarget: result.meetsTarget },
    null,
    2,
  ),
);
process.exit(0);
