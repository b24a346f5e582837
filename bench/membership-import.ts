// Benchmark: importing a 10,000-row member CSV through the GraphQL API, on PGlite and on PostgreSQL —
// a dry run, the real import (8,000 new merchants, 2,000 matched in the directory) and the idempotent
// second run. Target: the real import under 10 s on PostgreSQL. Writes bench/results/membership-import.json.
//   npx tsx bench/membership-import.ts            (both engines; BENCH_ENGINES=postgres to pick one)
// BENCH_FORM=upload-gb18030 or upload-xlsx sends the same rows as an uploaded file (GraphQL multipart request:
// CSV encoded as Excel on a Chinese Windows writes it, or a workbook) and writes membership-import-<form>.json.
import { globalId, seed } from "@wz/testkit";
import ExcelJS from "exceljs";
import iconv from "iconv-lite";
import { benchApi, csvOf, type Engine, insertPeople, people, runPerEngine, timed } from "./membership-support";

const ROWS = 10_000;
const FORM = (process.env.BENCH_FORM ?? "csv") as "csv" | "upload-gb18030" | "upload-xlsx";

/** The file as the form sends it: CSV text in the variables, or the bytes of an upload. */
async function fileOf(csv: string): Promise<{ csv: string } | { bytes: Uint8Array; name: string }> {
  if (FORM === "csv") return { csv };
  if (FORM === "upload-gb18030") return { bytes: new Uint8Array(iconv.encode(csv.slice(1), "gb18030")), name: "m.csv" };
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet("会员");
  for (const line of csv.slice(1).trimEnd().split("\n")) sheet.addRow(line.split(","));
  return { bytes: new Uint8Array(await workbook.xlsx.writeBuffer()), name: "m.xlsx" };
}
const EXISTING = 2_000;
const levels = ["会员", "会员", "会员", "理事", "常务理事", "副会长"];
const IMPORT =
  "mutation ($input: ImportMembersInput!) { importMembers(input: $input) { " +
  "rows created matched proposed updated unchanged failed userErrors { field message } } }";

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
    const file = await fileOf(csv);
    const chamberId = globalId("Chamber", chamber.id);
    const call = async (extra: Record<string, unknown>) => {
      api.db.resetStatements();
      const result =
        "csv" in file
          ? await api.data(IMPORT, { input: { chamberId, csv: file.csv, ...extra } }, secretary.token)
          : (await api.upload(IMPORT, { input: { chamberId, ...extra } }, { "input.file": file }, secretary.token))
              .data!;
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
      form: FORM,
      fileBytes: "csv" in file ? Buffer.byteLength(csv) : file.bytes.byteLength,
      dryRun: figure(dry),
      import: figure(real),
      reimport: figure(again),
    };
  } finally {
    await api.close();
  }
}

await runPerEngine(
  FORM === "csv" ? "membership-import" : `membership-import-${FORM}`,
  {
    benchmark:
      `importMembers: 10,000 rows (${FORM === "csv" ? "CSV text" : FORM}; 8,000 new merchants, 2,000 matched by ` +
      "mobile/credit code) through GraphQL",
    target: "real import under 10 s on PostgreSQL",
  },
  run,
);
