// Benchmark: importing a 10,000-row member CSV through the GraphQL API, on PGlite and on PostgreSQL —
// a dry run, the real import (8,000 new merchants, 2,000 matched in the directory) and the idempotent
// second run. Target: the real import under 10 s on PostgreSQL. Writes bench/results/membership-import.json.
//   npx tsx bench/membership-import.ts            (both engines; BENCH_ENGINES=postgres to pick one)
import { globalId, seed } from "@wz/testkit";
import { benchApi, csvOf, type Engine, insertPeople, people, runPerEngine, timed } from "./membership-support";

const ROWS = 10_000;
const EXISTING = 2_000;
const levels = ["会员", "会员", "会员", "理事", "常务理事", "副会长"];
const IMPORT =
  "mutation ($input: ImportMembersInput!) { importMembers(input: $input) { " +
  "rows created matched updated unchanged failed userErrors { field message } } }";

async function run(engine: Engine) {
  const api = await benchApi(engine);
  try {
    const s = seed(api.db.db);
    const chamber = await s.chamber();
    const secretary = await chamber.secretary();
    // The directory already holds 2,000 of the file's people (joined another chamber, say).
    const all = people(ROWS, 7);
    await insertPeople(api.db.db, all.slice(0, EXISTING));
    const csv = csvOf(all, (i) => levels[i % levels.length]!);
    const input = { chamberId: globalId("Chamber", chamber.id), csv };
    const call = async (extra: Record<string, unknown>) => {
      api.db.resetStatements();
      const result = await api.data(IMPORT, { input: { ...input, ...extra } }, secretary.token);
      return { counts: result.importMembers, statements: api.db.statements.length };
    };
    const dry = await timed(() => call({ dryRun: true }));
    const real = await timed(() => call({}));
    const again = await timed(() => call({}));
    const figure = (t: { ms: number; result: { counts: Record<string, unknown>; statements: number } }) => ({
      ms: t.ms,
      rowsPerSecond: Math.round((ROWS / t.ms) * 1000),
      statements: t.result.statements,
      counts: { ...t.result.counts, userErrors: (t.result.counts.userErrors as unknown[]).length },
    });
    return {
      engine,
      rows: ROWS,
      csvBytes: Buffer.byteLength(csv),
      dryRun: figure(dry),
      import: figure(real),
      reimport: figure(again),
    };
  } finally {
    await api.close();
  }
}

await runPerEngine(
  "membership-import",
  {
    benchmark:
      "importMembers: 10,000-row CSV (8,000 new merchants, 2,000 matched by mobile/credit code) through GraphQL",
    target: "real import under 10 s on PostgreSQL",
  },
  run,
);
