// Benchmark: the federation's roll-up (active members by level, new members, leads, closed value — its own and
// summed over the whole chamber tree) over 300 chambers and 100,000 memberships, through GraphQL and as the
// bare statement. Target: under 200 ms on PostgreSQL, in a number of statements that does not grow with the data.
// Writes bench/results/rollup-federation.json.
//   npx tsx bench/rollup-federation.ts            (PostgreSQL at BENCH_DATABASE_URL, default the machine's)

import { mkdirSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { computeRollups, todayIso } from "@wz/core";
import { rowsOf } from "@wz/db";
import { createTestApi, seed } from "@wz/testkit";
import { sql } from "drizzle-orm";
import { fillChamberTree } from "./rollup-support";

const POSTGRES_URL = process.env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const RUNS = 25;

const QUERY = `{ federation { rollup { year chamberCount
  own { activeMembers newMembersThisYear leadsPostedThisYear closedValueThisYear }
  total { activeMembers activeMembersByLevel { level count } newMembersThisYear leadsPostedThisYear closedValueThisYear
    referralClosedValueThisYear } } } }`;

function stats(ms: number[]) {
  const sorted = [...ms].sort((a, b) => a - b);
  const at = (q: number) => Math.round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]! * 10) / 10;
  return { median: at(0.5), p95: at(0.95), min: at(0), max: at(1) };
}

async function run(chambers: number, memberships: number) {
  process.env.TEST_DATABASE_URL = POSTGRES_URL;
  const api = await createTestApi();
  try {
    const token = await fillChamberTree(api, chambers, memberships);
    const federationId = (await seed(api.db.db).federation()).id;
    const today = todayIso();
    const graphql: number[] = [];
    const bare: number[] = [];
    let statements = 0;
    let figures: unknown;
    for (let i = 0; i < RUNS + 3; i++) {
      api.db.resetStatements();
      const t0 = performance.now();
      const data = await api.data(QUERY, {}, token);
      const t1 = performance.now();
      statements = api.db.statements.length;
      figures = data.federation.rollup;
      const t2 = performance.now();
      await computeRollups(api.db.db, [federationId], today);
      const t3 = performance.now();
      if (i >= 3) {
        graphql.push(t1 - t0);
        bare.push(t3 - t2);
      }
    }
    const [row] = rowsOf(
      await api.db.db.execute(
        sql`select (select count(*) from chamber)::int as chambers,
                   (select count(*) from membership)::int as memberships,
                   (select count(*) from lead)::int as leads`,
      ),
    );
    return {
      data: row,
      statementsPerRequest: statements,
      graphqlMs: stats(graphql),
      rollupStatementMs: stats(bare),
      figures,
    };
  } finally {
    await api.close();
  }
}

const small = await run(40, 10_000);
const large = await run(300, 100_000);
const result = {
  benchmark:
    "federation roll-up: one recursive CTE over the chamber tree, grouped, " +
    "through GraphQL ({ federation { rollup { … } } }) and as the bare statement",
  target:
    "under 200 ms on PostgreSQL for 300 chambers and 100,000 memberships; statements per request independent of size",
  engine: "postgres",
  machine: `${process.platform} ${process.arch}, ${cpus().length} cores, node ${process.version}`,
  // The machine is shared: the load average when the run ended says how much of each figure is waiting for a core.
  loadAverage: loadavg().map((l) => Math.round(l * 100) / 100),
  at: new Date().toISOString(),
  runs: RUNS,
  small,
  large,
  sameStatementCount: small.statementsPerRequest === large.statementsPerRequest,
  meetsTarget: large.graphqlMs.median < 200 && large.graphqlMs.p95 < 200,
};
mkdirSync(new URL("./results/", import.meta.url), { recursive: true });
writeFileSync(new URL("./results/rollup-federation.json", import.meta.url), `${JSON.stringify(result, null, 2)}\n`);
console.log(
  JSON.stringify(
    {
      small: { ...small, figures: undefined },
      large: { ...large, figures: undefined },
      meetsTarget: result.meetsTarget,
    },
    null,
    2,
  ),
);
process.exit(0);
