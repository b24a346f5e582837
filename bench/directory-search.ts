// Directory search at scale: generates N merchants with realistic Chinese names set-based in SQL, then for
// 1-, 2- and 3+-character Chinese queries, pinyin and initials checks that (1) no plan scans the merchant
// table, (2) the result equals plain LIKE on the same data (every match, and the first pages in the same order),
// (3) the median is under 5% of the sequential scan.
//   npx tsx bench/directory-search.ts --engine postgres --size 1000000
//   npx tsx bench/directory-search.ts --engine pglite --size 100000
// For trying plans: `--keep` leaves the generated database (PGlite: data directory) behind,
// `--reuse <name or directory>` measures it again (after this checkout's migrations: before and after a change on
// the same rows), `--only <query,query>` measures some queries and prints their
// plans instead of writing results.

import { mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Permissions, type SearchStatement, searchMerchants } from "@wz/core";
import { type DatabaseHandle, openDatabase, provinceList, wenzhouDistrictList } from "@wz/db";
import { pinyin } from "pinyin-pro";
import postgres from "postgres";

const args = new Map<string, string>();
for (let i = 2; i < process.argv.length; i++) {
  const name = process.argv[i]!.replace(/^--/, "");
  const value = process.argv[i + 1];
  if (value === undefined || value.startsWith("--")) args.set(name, "");
  else {
    args.set(name, value);
    i++;
  }
}
const engine = (args.get("engine") ?? "pglite") as "pglite" | "postgres";
const size = Number(args.get("size") ?? (engine === "postgres" ? 1_000_000 : 100_000));
const serverUrl = process.env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const keep = args.has("keep");
const reuse = args.get("reuse");
const resultsDir = new URL("./results/", import.meta.url);
/** The searches as an anonymous viewer sees them (no chamber filter applies). */
const anonymous = (h: DatabaseHandle) => ({ db: h.db, permissions: new Permissions(null) });

// Wenzhou's common surnames, most common first (picked with a skew, so 陈 is common and 麻 rare), and
// characters for given names.
const SURNAMES = [..."陈林王黄李张周吴郑徐叶潘金胡朱杨刘谢蔡邵池薛郭施戴项董余钱孙苏章赵钟卢方程应厉麻"];
const GIVEN = [
  ..."一新建国华明伟志强海平永杰文斌俊晓东丽芳敏静秀英军峰涛亮超宇浩然子轩欣怡佳琪振兴富贵德胜瑞祥洪嘉豪雅婷光荣春秋冬雪松柏林森鑫鹏飞龙凤玉珍宝金银铭成功利民中正安宁和乐福寿康庆贤良仁义礼智信忠孝勤俭",
];
const COMPANY_PLACES = ["温州", "上海", "深圳", "苏州", "南京", "昆明", "合肥", "长沙", "乌鲁木齐", "石家庄"];
const COMPANY_TRADES = [
  "鞋业",
  "服饰",
  "眼镜",
  "电气",
  "阀门",
  "打火机",
  "印刷",
  "汽摩配件",
  "投资",
  "贸易",
  "科技",
  "物流",
  "五金",
  "包装",
];

const literal = (list: readonly string[]) =>
  `array[${list.map((s) => `'${s.replace(/'/g, "''")}'`).join(",")}]::text[]`;
const surnamePinyin = SURNAMES.map((c) => pinyin(c, { toneType: "none", surname: "head", v: true }).toLowerCase());
const givenPinyin = GIVEN.map((c) => pinyin(c, { toneType: "none", v: true }).toLowerCase());

type Raw = (text: string, params?: unknown[]) => Promise<Record<string, unknown>[]>;

async function open(): Promise<{ handle: DatabaseHandle; raw: Raw; drop: () => Promise<void>; fresh: boolean }> {
  if (engine === "pglite") {
    // In memory, or (--keep, --reuse) in a data directory.
    const dataDir = reuse || (keep ? join(tmpdir(), `wz_bench_directory_${process.pid}`) : undefined);
    const handle = await openDatabase({ dataDir });
    const client = (
      handle.db as unknown as {
        $client: { query: (t: string, p?: unknown[]) => Promise<{ rows: Record<string, unknown>[] }> };
      }
    ).$client;
    return {
      handle,
      raw: async (t, p) => (await client.query(t, p)).rows,
      drop: async () => {
        await handle.close();
        if (dataDir) console.log(`  kept data directory ${dataDir}`);
      },
      fresh: !reuse,
    };
  }
  const name = reuse || `wz_bench_directory_${process.pid}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  if (!reuse) await admin.unsafe(`create database ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  // One connection: session settings (setseed, enable_*) must apply to every statement.
  const handle = await openDatabase({ url: url.toString(), poolSize: 1 });
  const client = (handle.db as unknown as { $client: postgres.Sql }).$client;
  return {
    handle,
    raw: async (t, p) =>
      [...(await client.unsafe(t, (p ?? []) as postgres.ParameterOrJSON<never>[]))] as Record<string, unknown>[],
    drop: async () => {
      await handle.close();
      if (keep || reuse) console.log(`  kept database ${name}`);
      else await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
    fresh: !reuse,
  };
}

async function generate(raw: Raw) {
  await raw(`select setseed(0.42)`);
  const batch = 100_000;
  // One merchant in ten also has a Latin name ("Chen Yixin"), as members abroad register.
  for (let from = 1; from <= size; from += batch) {
    const to = Math.min(size, from + batch - 1);
    await raw(`
      insert into merchant (name, name_pinyin, name_initials, name_latin, hometown_district, province_code, tags,
                            mobile, mobile_visibility, email, email_visibility, listed, agreed_notice_version)
      select k.sn[a] || k.gn[b] || coalesce(k.gn[c], ''),
             k.sp[a] || k.gp[b] || coalesce(k.gp[c], ''),
             left(k.sp[a], 1) || left(k.gp[b], 1) || coalesce(left(k.gp[c], 1), ''),
             case when latin then initcap(k.sp[a]) || ' ' || initcap(k.gp[b] || coalesce(k.gp[c], '')) end,
             k.districts[1 + floor(random() * array_length(k.districts, 1))::int],
             k.provinces[1 + floor(random() * array_length(k.provinces, 1))::int],
             case when random() < 0.1 then '{NEW_GENERATION}'::text[] else '{}'::text[] end,
             '1' || (3 + i % 7)::text || lpad(i::text, 9, '0'), 'PRIVATE', 'm' || i || '@example.com', 'CHAMBER',
             true, 1
      from (select i, 1 + floor(${SURNAMES.length} * power(random(), 2.5))::int as a,
                   1 + floor(${GIVEN.length} * power(random(), 1.5))::int as b,
                   case when random() < 0.75 then 1 + floor(${GIVEN.length} * power(random(), 1.5))::int end as c,
                   random() < 0.1 as latin
            from generate_series(${from}, ${to}) as i) r,
           (select ${literal(SURNAMES)} as sn, ${literal(surnamePinyin)} as sp,
                   ${literal(GIVEN)} as gn, ${literal(givenPinyin)} as gp,
                   ${literal(wenzhouDistrictList.map((d) => d.code))} as districts,
                   ${literal(provinceList.map((p) => p.code))} as provinces) k`);
    process.stdout.write(`\r  merchants ${to.toLocaleString()} / ${size.toLocaleString()}`);
  }
  // One in five has a company on record: "<place><two given characters><trade>有限公司".
  await raw(`
    insert into company (merchant_id, name, industry)
    select m.id, k.places[1 + floor(random() * array_length(k.places, 1))::int]
                 || k.gn[1 + floor(random() * array_length(k.gn, 1))::int]
                 || k.gn[1 + floor(random() * array_length(k.gn, 1))::int]
                 || k.trades[1 + floor(random() * array_length(k.trades, 1))::int] || '有限公司',
           chr(65 + floor(random() * 20)::int)
    from merchant m,
         (select ${literal(COMPANY_PLACES)} as places, ${literal(GIVEN)} as gn,
                 ${literal(COMPANY_TRADES)} as trades) k
    where random() < 0.2`);
  process.stdout.write("\n");
  await raw(`vacuum analyze merchant`);
  await raw(`vacuum analyze company`);
  await raw(`vacuum analyze merchant_search_gram`);
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
async function time(fn: () => Promise<unknown>, runs: number, warmups = 1): Promise<number> {
  for (let i = 0; i < warmups; i++) await fn();
  const xs: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn();
    xs.push(performance.now() - t);
  }
  return median(xs);
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * Plain LIKE over the same fields the search covers — what the index path must equal — with the same ranking:
 * exact name (Chinese) or exact pinyin, initials or Latin name first, then by name.
 */
function reference(query: string): { text: string; params: unknown[]; rank: string; rankParams: unknown[] } {
  const q = query.trim().toLowerCase();
  if (/\p{Script=Han}/u.test(q)) {
    const compact = q.replace(/\s+/g, "");
    return {
      text: `merchant where merged_into_id is null
             and (lower(name) like $1 or id in (select merchant_id from company where lower(name) like $1))`,
      params: [`%${escapeLike(compact)}%`],
      rank: `case when name = $2 then '0' else '1' end`,
      rankParams: [compact],
    };
  }
  const latin = q.replace(/\s+/g, " ");
  const letters = latin.replace(/[^a-z0-9]/g, "");
  const long = [...latin].length >= 3;
  return {
    text: `merchant where merged_into_id is null
           and (name_pinyin like $1 or name_initials like $1 or lower(name_latin) like $2
           ${long ? "or id in (select merchant_id from company where name ilike $2)" : ""})`,
    params: [`${letters}%`, long ? `%${escapeLike(latin)}%` : `${escapeLike(latin)}%`],
    rank: `case when name_pinyin = $3 or name_initials = $3 or lower(name_latin) = $4 then '0' else '1' end`,
    rankParams: [letters, latin],
  };
}

const QUERIES: { kind: string; query: string; extra?: true }[] = [
  { kind: "1 character (common surname)", query: "陈" },
  { kind: "1 character (given name)", query: "新" },
  { kind: "1 character (rare surname)", query: "麻" },
  { kind: "2 characters", query: "一新" },
  { kind: "2 characters (surname + given)", query: "林建" },
  { kind: "3 characters", query: "陈一新" },
  { kind: "3 characters", query: "王海平" },
  { kind: "4 characters (company)", query: "眼镜有限", extra: true },
  { kind: "pinyin, full", query: "chenyixin" },
  { kind: "pinyin, with a space", query: "lin jianguo" },
  { kind: "pinyin, prefix", query: "wangh" },
  { kind: "pinyin, short prefix", query: "chen", extra: true },
  { kind: "initials", query: "cyx" },
  { kind: "initials", query: "ljg" },
  { kind: "Latin name, mixed case", query: "Chen Yixin", extra: true },
];
const PAGE = 21; // what `merchants(first: 20)` asks for
const PAGES_CHECKED = 3;

/**
 * The largest `actual rows × loops` of any node in a plan (PGlite, PostgreSQL 17+, prints rows with decimals):
 * how much a statement reads.
 */
function rowsRead(plan: string): number {
  let most = 0;
  for (const m of plan.matchAll(/actual rows=([\d.]+) loops=(\d+)/g))
    most = Math.max(most, Math.round(Number(m[1]) * Number(m[2])));
  return most;
}

async function main() {
  const started = Date.now();
  console.log(`directory search bench: ${engine}, ${size.toLocaleString()} merchants`);
  const { handle, raw, drop, fresh } = await open();
  try {
    await handle.migrate();
    if (fresh) await generate(raw);
    // a kept database from an earlier checkout gets this one's migrations, vacuumed as `generate` leaves it
    else await raw(`vacuum analyze merchant_search_gram`);
    const generatedMs = Date.now() - started;
    const [counts] = await raw(
      `select (select count(*) from merchant)::int as merchants,
              (select count(*) from merchant where name_latin is not null)::int as latin,
              (select count(*) from company)::int as companies,
              (select count(*) from merchant_search_gram)::int as grams`,
    );
    console.log(`  ${fresh ? `generated in ${(generatedMs / 1000).toFixed(0)} s` : "reused"}:`, counts);

    const explain = async (stmt: SearchStatement) => {
      const { sql, params } = stmt.toSQL();
      const rows = await raw(`explain (analyze, costs off, timing off, summary off) ${sql}`, params);
      return rows.map((r) => String(Object.values(r)[0])).join("\n");
    };
    const only = args.get("only")?.split(",");
    const rows: Record<string, unknown>[] = [];
    const explains: string[] = [];
    for (const { kind, query, extra } of QUERIES.filter((x) => !only || only.includes(x.query))) {
      const search = await searchMerchants(anonymous(handle), { query });
      const request = { limit: PAGE, inverted: false };
      const statements = search.statements(request);
      const pagePlans = await Promise.all(statements.page.map(explain));
      const countPlan = await explain(statements.count);
      const planText = [...pagePlans, countPlan].join("\n---\n");
      const merchantSeqScan = /Seq Scan on merchant(?![_\w])/.test(planText);
      const seqScans = [...planText.matchAll(/Seq Scan on (\w+)/g)].map((m) => m[1]);
      explains.push(`### ${kind}: ${query}\n${planText}\n`);

      // Every match, and the first pages in LIKE's order (across the exact/other boundary).
      const ids = (await search.ids()).sort();
      const ref = reference(query);
      const refRows = await raw(`select id::text as id from ${ref.text}`, ref.params);
      const refIds = refRows.map((r) => String(r.id)).sort();
      const found = new Set(ids);
      const recall = refIds.length === 0 ? 1 : refIds.filter((id) => found.has(id)).length / refIds.length;
      const exact = ids.length === refIds.length && ids.every((id, i) => id === refIds[i]);
      const refOrder = (
        await raw(
          `select id::text as id from ${ref.text} order by ${ref.rank}, name, id limit ${PAGE * PAGES_CHECKED}`,
          [...ref.params, ...ref.rankParams],
        )
      ).map((r) => String(r.id));
      const paged: string[] = [];
      let after: [string, string] | null = null;
      for (let i = 0; i < PAGES_CHECKED; i++) {
        const page = await search.page({ limit: PAGE, inverted: false, after });
        paged.push(...page.map((m) => m.id));
        const last = page.at(-1);
        if (page.length < PAGE || !last) break;
        after = [last.sortKey, last.id];
      }
      const sameOrder = paged.length === refOrder.length && paged.every((id, i) => id === refOrder[i]);
      const countRight = (await search.count()) === refIds.length;

      // The whole request: planning (no statement) and the page, then the count.
      const pageMs = await time(async () => (await searchMerchants(anonymous(handle), { query })).page(request), 11, 2);
      const countMs = await time(async () => (await searchMerchants(anonymous(handle), { query })).count(), 11, 2);
      const bothMs = await time(
        async () => {
          const s = await searchMerchants(anonymous(handle), { query });
          await s.page(request);
          await s.count();
        },
        11,
        1,
      );
      await raw(`set enable_indexscan = off`);
      await raw(`set enable_bitmapscan = off`);
      await raw(`set enable_indexonlyscan = off`);
      const seqMs = await time(() => raw(`select id::text as id from ${ref.text}`, ref.params), 3, 1);
      await raw(`reset enable_indexscan`);
      await raw(`reset enable_bitmapscan`);
      await raw(`reset enable_indexonlyscan`);
      const row = {
        kind,
        query,
        ...(extra ? { beyondTarget: true } : {}),
        matches: refIds.length,
        sameAsLike: exact && sameOrder && countRight,
        recall,
        firstPagesInLikeOrder: sameOrder,
        countRight,
        merchantSeqScan,
        seqScans: [...new Set(seqScans)],
        pageStatements: statements.page.length,
        pageRowsRead: Math.max(0, ...pagePlans.map(rowsRead)),
        countRowsRead: rowsRead(countPlan),
        firstPageMs: +pageMs.toFixed(2),
        totalCountMs: +countMs.toFixed(2),
        pageAndCountMs: +bothMs.toFixed(2),
        seqScanLikeMs: +seqMs.toFixed(2),
        pageRatio: +(pageMs / seqMs).toFixed(4),
        ratio: +(bothMs / seqMs).toFixed(4),
        under5Percent: bothMs / seqMs < 0.05,
      };
      rows.push(row);
      console.log(
        `  ${kind.padEnd(30)} ${query.padEnd(12)} matches ${String(refIds.length).padStart(7)}  ` +
          `same ${row.sameAsLike}  seqscan ${merchantSeqScan}  ` +
          `page ${pageMs.toFixed(1)} (${(100 * row.pageRatio).toFixed(1)}%)  count ${countMs.toFixed(1)}  ` +
          `page+count ${bothMs.toFixed(1)} ms (${(100 * row.ratio).toFixed(1)}%)  LIKE ${seqMs.toFixed(0)} ms`,
      );
    }
    mkdirSync(resultsDir, { recursive: true });
    const name = `directory-search-${engine}-${size}`;
    const summary = {
      engine,
      merchants: counts?.merchants,
      latinNames: counts?.latin,
      companies: counts?.companies,
      gramRows: counts?.grams,
      generatedSeconds: Math.round(generatedMs / 1000),
      medianOf: 11,
      note:
        "firstPageMs: planning and the first page of 21 rows with the merchant rows " +
        "(what `merchants(first: 20)` sends); " +
        "totalCountMs: `totalCount`; " +
        "seqScanLikeMs: plain LIKE over the same fields with index scans disabled (median of 3). " +
        "pageRatio = firstPage / seqScanLike, ratio = pageAndCount / seqScanLike. " +
        "sameAsLike: every match equals LIKE's, the first 3 pages come in LIKE's order (exact first, then name, id), " +
        "and totalCount is right. " +
        "pageRowsRead/countRowsRead: the most rows any plan node handled. " +
        "beyondTarget: measured, but not among the issue's query kinds.",
      allUseIndexes: rows.every((r) => !r.merchantSeqScan),
      allSameAsLike: rows.every((r) => r.sameAsLike),
      allUnder5Percent: rows.filter((r) => !r.beyondTarget).every((r) => r.under5Percent),
      queries: rows,
      at: new Date().toISOString(),
    };
    if (!only) {
      writeFileSync(new URL(`${name}.json`, resultsDir), `${JSON.stringify(summary, null, 2)}\n`);
      writeFileSync(
        new URL(`${name}-explain.md`, resultsDir),
        `# EXPLAIN ANALYZE, ${engine}, ${size} merchants\n\nEach query: the page statement, then the count.\n\n` +
          explains.map((e) => e.replace(/^(### .*)\n([\s\S]*)$/, "$1\n```\n$2```")).join("\n"),
      );
      console.log(`  wrote bench/results/${name}.json and ${name}-explain.md`);
    } else {
      for (const e of explains) console.log(e);
    }
    console.log(
      `  all use indexes: ${summary.allUseIndexes}, all equal LIKE: ${summary.allSameAsLike}, ` +
        `all under 5% (issue's kinds): ${summary.allUnder5Percent}`,
    );
  } finally {
    await drop();
  }
}

await main();
