// Shared by the membership benchmarks: a fresh database on either engine (through the testkit, so PostgreSQL
// databases are created and dropped), realistic generated merchants, and a median timer.

import { randomUUID } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { creditCodeCheckChar, pinyinForms } from "@wz/core";
import { type Database, industrySectionList, type MembershipLevel, wenzhouDistrictList } from "@wz/db";
import { createTestApi, type TestApi } from "@wz/testkit";
import { sql } from "drizzle-orm";

export type Engine = "pglite" | "postgres";
export const POSTGRES_URL = process.env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

/** A fresh migrated database behind the GraphQL API: in-memory PGlite, or a new database on PostgreSQL. */
export async function benchApi(engine: Engine): Promise<TestApi> {
  if (engine === "postgres") process.env.TEST_DATABASE_URL = POSTGRES_URL;
  else delete process.env.TEST_DATABASE_URL;
  return createTestApi();
}

const SURNAMES = "陈王李张刘林黄周吴郑徐孙胡朱高何郭马罗梁宋谢叶潘金";
const GIVEN = "一新海伟娜敏强丽军平杰东明华建国志勇秀英芳静磊洋艳勇超涛斌";

/** A deterministic pseudo-random generator, so every run benchmarks the same data. */
export function rng(seed: number) {
  let s = seed >>> 0;
  const next = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1));
  const pick = <T>(list: readonly T[] | string): T => list[int(0, list.length - 1)] as T;
  return { next, int, pick };
}

export interface Person {
  name: string;
  mobile: string;
  email: string;
  hometown: string;
  company: string | null;
  industry: string | null;
  creditCode: string | null;
}

export function people(count: number, seed: number, offset = 0): Person[] {
  const r = rng(seed);
  return Array.from({ length: count }, (_, k) => {
    const i = k + offset;
    const name = r.pick<string>(SURNAMES) + r.pick<string>(GIVEN) + (r.next() < 0.7 ? r.pick<string>(GIVEN) : "");
    const withCompany = r.next() < 0.3;
    const first17 = `91330${String(100 + (i % 300))}${String(i).padStart(9, "0")}`.slice(0, 17);
    return {
      name,
      mobile: `1${r.pick(["3", "5", "8", "9"])}${String(i).padStart(9, "0")}`,
      email: `m${i}@example.com`,
      hometown: r.pick(wenzhouDistrictList).name,
      company: withCompany ? `${name}实业有限公司` : null,
      industry: withCompany ? r.pick(industrySectionList).code : null,
      creditCode: withCompany ? `${first17}${creditCodeCheckChar(first17)}` : null,
    };
  });
}

async function insertJson(db: Database, table: string, columns: [string, string][], rows: Record<string, unknown>[]) {
  const names = columns.map(([c]) => c).join(", ");
  const types = columns.map(([c, t]) => `${c} ${t}`).join(", ");
  for (let i = 0; i < rows.length; i += 5000)
    await db.execute(
      sql`insert into ${sql.raw(table)} (${sql.raw(names)})
          select ${sql.raw(names)}
          from jsonb_to_recordset(${JSON.stringify(rows.slice(i, i + 5000))}::jsonb) as x(${sql.raw(types)})`,
    );
}

/** Inserts merchants (with companies), and optionally their memberships, set-based in chunks. */
export async function insertPeople(
  db: Database,
  list: Person[],
  membership?: {
    chamberId: string;
    level: (i: number) => MembershipLevel;
    expiresOn: (i: number) => string | null;
    status: (i: number) => "ACTIVE" | "SUSPENDED" | "APPLIED";
  },
): Promise<void> {
  const districtCode = new Map(wenzhouDistrictList.map((d) => [d.name, d.code]));
  const rows = list.map((p) => ({ p, id: randomUUID() }));
  await insertJson(
    db,
    "merchant",
    [
      ["id", "uuid"],
      ["name", "text"],
      ["name_pinyin", "text"],
      ["name_initials", "text"],
      ["mobile", "text"],
      ["email", "text"],
      ["hometown_district", "text"],
    ],
    rows.map(({ p, id }) => {
      const forms = pinyinForms(p.name);
      return {
        id,
        name: p.name,
        name_pinyin: forms.full,
        name_initials: forms.initials,
        mobile: p.mobile,
        email: p.email,
        hometown_district: districtCode.get(p.hometown) ?? null,
      };
    }),
  );
  await insertJson(
    db,
    "company",
    [
      ["merchant_id", "uuid"],
      ["name", "text"],
      ["industry", "text"],
      ["credit_code", "text"],
    ],
    rows
      .filter(({ p }) => p.company)
      .map(({ p, id }) => ({ merchant_id: id, name: p.company, industry: p.industry, credit_code: p.creditCode })),
  );
  if (membership)
    await insertJson(
      db,
      "membership",
      [
        ["chamber_id", "uuid"],
        ["merchant_id", "uuid"],
        ["level", "membership_level"],
        ["status", "membership_status"],
        ["joined_on", "date"],
        ["expires_on", "date"],
      ],
      rows.map(({ id }, i) => ({
        chamber_id: membership.chamberId,
        merchant_id: id,
        level: membership.level(i),
        status: membership.status(i),
        joined_on: `20${10 + (i % 15)}-0${1 + (i % 9)}-1${i % 10}`,
        expires_on: membership.expiresOn(i),
      })),
    );
}

export function csvOf(list: Person[], level: (i: number) => string): string {
  const quote = (v: string | null) => (v === null ? "" : /[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  const rows = list.map((p, i) =>
    [p.name, p.mobile, p.email, p.hometown, p.company, p.industry, p.creditCode, level(i), "2015-03-01"]
      .map(quote)
      .join(","),
  );
  return `\uFEFF姓名,手机,邮箱,籍贯,公司,行业,统一社会信用代码,职务,入会日期\n${rows.join("\n")}\n`;
}

export async function timed<T>(run: () => Promise<T>): Promise<{ ms: number; result: T }> {
  const start = performance.now();
  const result = await run();
  return { ms: Math.round((performance.now() - start) * 10) / 10, result };
}

export async function median(times: number, run: () => Promise<unknown>): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < times; i++) samples.push((await timed(run)).ms);
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)]!;
}

/** Writes the figures, keeping an earlier run's figures for engines this run did not measure. */
export function writeResults(name: string, figures: { results: { engine: Engine }[] } & Record<string, unknown>): void {
  const dir = new URL("./results/", import.meta.url);
  mkdirSync(dir, { recursive: true });
  const file = new URL(`${name}.json`, dir);
  const measured = new Set(figures.results.map((r) => r.engine));
  const earlier = existsSync(file)
    ? ((JSON.parse(readFileSync(file, "utf8")) as { results?: { engine: Engine }[] }).results ?? [])
    : [];
  const merged = { ...figures, results: [...figures.results, ...earlier.filter((r) => !measured.has(r.engine))] };
  writeFileSync(file, `${JSON.stringify(merged, null, 2)}\n`);
  console.log(JSON.stringify(merged, null, 2));
}

/**
 * Runs the benchmark on each engine in BENCH_ENGINES (default postgres, then pglite), writing the figures
 * after each engine so a long run still leaves what it has measured; then exits.
 */
export async function runPerEngine<R extends { engine: Engine }>(
  name: string,
  header: Record<string, unknown>,
  run: (engine: Engine) => Promise<R>,
): Promise<never> {
  const engines = (process.env.BENCH_ENGINES?.split(",") ?? ["postgres", "pglite"]) as Engine[];
  const results: R[] = [];
  for (const engine of engines) {
    results.push(await run(engine));
    writeResults(name, {
      ...header,
      machine: `${process.platform} ${process.arch}, node ${process.version}, load average ${loadavg()
        .map((l) => l.toFixed(1))
        .join(" ")} at the end`,
      at: new Date().toISOString(),
      results,
    });
  }
  process.exit(0);
}
