// What one statement costs our process on each path it can take, in process, on the demo data (PostgreSQL): the
// same reads sent by postgres.js alone, by drizzle (a query-builder select, the same select prepared once, an `sql`
// template), and through our client under row-level security (pipelined begin/scope/statement/commit as wz_app).
// Two reads: a page of 6 chambers (14 narrow columns) and 20 merchants by id (25 columns, one `text[]`), the two
// shapes under `chambers(first: 5) { … }` and every `merchant { … }`. CPU per statement (process.cpuUsage over
// `--statements` statements, 20 in flight), paths interleaved and rotated each round; medians and min–max.
//   npm run bench -- statement-path [--rounds 5] [--statements 3000]
// Needs PostgreSQL (BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/postgres).

import { mkdirSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { seedDemoData } from "@wz/core/demo";
import { anonymousScope, chamberTable, inScope, merchantTable, openDatabase, rowsOf } from "@wz/db";
import { createTestDatabase } from "@wz/testkit";
import { sql } from "drizzle-orm";
import postgres from "postgres";
import { median, useBenchDatabase } from "./figures-support";

const { values } = parseArgs({
  options: { rounds: { type: "string", default: "5" }, statements: { type: "string", default: "3000" } },
});
const ROUNDS = Number(values.rounds);
const STATEMENTS = Number(values.statements);
const IN_FLIGHT = 20;
useBenchDatabase();
const root = fileURLToPath(new URL("..", import.meta.url));

/** CPU microseconds per statement over `STATEMENTS` statements, `IN_FLIGHT` at a time. */
async function cpuPerStatement(one: () => PromiseLike<unknown>): Promise<number> {
  const start = process.cpuUsage();
  let next = 0;
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      while (next++ < STATEMENTS) await one();
    }),
  );
  const cpu = process.cpuUsage(start);
  return (cpu.user + cpu.system) / STATEMENTS;
}

const started = Date.now();
const loadAtStart = loadavg();
const database = await createTestDatabase();
try {
  await seedDemoData(database.db);
  const appUrl = new URL(database.url!);
  appUrl.username = "wz_app";
  appUrl.password = "";
  // postgres.js alone and drizzle alone as the owner (no row-level security), our client as wz_app
  const raw = postgres(database.url!, { max: 10, onnotice: () => {} });
  const unscoped = await openDatabase({ url: database.url!, poolSize: 10, rowLevelSecurity: false });
  const scoped = await openDatabase({ url: appUrl.toString(), poolSize: 10 });
  // listed profiles: the anonymous scope reaches every one, so every path reads the same 20 rows
  const ids = (
    await raw.unsafe(`select id from merchant where merged_into_id is null and listed and erased_at is null
      order by name limit 20`)
  ).map((r) => r.id as string);
  const preparedChambers = unscoped.db
    .select()
    .from(chamberTable)
    .orderBy(chamberTable.nameSort, chamberTable.id)
    .limit(sql.placeholder("limit"))
    .prepare("bench_chamber_page");
  const merchantsSql = () =>
    sql`select * from ${merchantTable} where ${merchantTable.id} = any(${sql.param(ids)}::uuid[])`;
  const paths: Record<string, () => PromiseLike<unknown>> = {
    "chambers / postgres.js": () =>
      raw.unsafe("select * from chamber order by name_sort, id limit $1", [6], { prepare: true }),
    "chambers / drizzle select": () =>
      unscoped.db.select().from(chamberTable).orderBy(chamberTable.nameSort, chamberTable.id).limit(6),
    "chambers / drizzle prepared": () => preparedChambers.execute({ limit: 6 }),
    "chambers / drizzle sql": () =>
      unscoped.db.execute(sql`select * from ${chamberTable} order by ${chamberTable.nameSort}, ${chamberTable.id}
        limit ${6}`),
    "merchants / postgres.js": () =>
      raw.unsafe("select * from merchant where id = any($1::uuid[])", [ids], { prepare: true }),
    "merchants / drizzle sql": () => unscoped.db.execute(merchantsSql()),
    "merchants / drizzle sql, RLS": () =>
      inScope(
        () => anonymousScope,
        () => scoped.db.execute(merchantsSql()),
      ),
  };
  const names = Object.keys(paths);
  for (const name of names) {
    const rows = rowsOf(await paths[name]!()).length;
    const expected = name.startsWith("chambers") ? 6 : 20;
    if (rows !== expected) throw new Error(`${name}: ${rows} rows, expected ${expected}`);
    await cpuPerStatement(paths[name]!); // warm up: JIT, prepared statements
  }
  const runs: Record<string, number[]> = {};
  for (let r = 0; r < ROUNDS; r++) {
    for (let i = 0; i < names.length; i++) {
      const name = names[(i + r) % names.length]!;
      const micros = await cpuPerStatement(paths[name]!);
      runs[name] = [...(runs[name] ?? []), Math.round(micros)];
      console.log(`round ${r + 1}  ${name}: ${Math.round(micros)} µs CPU per statement`);
    }
  }
  await raw.end();
  await unscoped.close();
  await scoped.close();

  const sides = Object.fromEntries(
    names.map((name) => [
      name,
      { medianMicros: median(runs[name]!), min: Math.min(...runs[name]!), max: Math.max(...runs[name]!) },
    ]),
  );
  const over = (a: string, b: string) => Math.round((sides[a]!.medianMicros / sides[b]!.medianMicros) * 100) / 100;
  const result = {
    date: new Date().toISOString(),
    machine: { node: process.version, loadAverageAtStart: loadAtStart.map((l) => Math.round(l * 100) / 100) },
    loadAverageAtEnd: loadavg().map((l) => Math.round(l * 100) / 100),
    settings: { rounds: ROUNDS, statementsPerRun: STATEMENTS, inFlight: IN_FLIGHT },
    cpuPerStatementRelativeToPostgresJs: {
      "chambers / drizzle select": over("chambers / drizzle select", "chambers / postgres.js"),
      "chambers / drizzle prepared": over("chambers / drizzle prepared", "chambers / postgres.js"),
      "chambers / drizzle sql": over("chambers / drizzle sql", "chambers / postgres.js"),
      "merchants / drizzle sql": over("merchants / drizzle sql", "merchants / postgres.js"),
      "merchants / drizzle sql, RLS": over("merchants / drizzle sql, RLS", "merchants / postgres.js"),
    },
    sides,
    minutes: Math.round((Date.now() - started) / 6000) / 10,
  };
  mkdirSync(join(root, "bench/results"), { recursive: true });
  writeFileSync(join(root, "bench/results/statement-path.json"), `${JSON.stringify(result, null, 2)}\n`);
  console.log(JSON.stringify(result, null, 2));
} finally {
  await database.dispose();
}
