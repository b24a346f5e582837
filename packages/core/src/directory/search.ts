// Directory search: Chinese names and company names by any substring, Latin names, pinyin in full and by
// initials, exact matches first, then by name. Every query reads ranges of the side table merchant_search_gram
// that are already in name order (so a page stops after a page's worth of rows), merged with a few small
// sorted sources (Latin-name and company trigram matches) in one statement.
// Contact fields are never searched, so a query can never reveal a hidden one; profiles the viewer does not reach
// (the listing rule, `merchantReachable`) are neither found nor counted.
import {
  companyTable,
  type Executor,
  merchantSearchGramTable as gram,
  type MerchantRow,
  membershipTable,
  merchantTable,
  rowsOf,
} from "@wz/db";
import {
  type AnyColumn,
  and,
  arrayOverlaps,
  asc,
  desc,
  eq,
  gte,
  inArray,
  isNull,
  or,
  type Placeholder,
  type SQL,
  type SQLWrapper,
  sql,
} from "drizzle-orm";
import type { PageRequest, SortKey } from "../common/paging";
import { type RawRow as Raw, runPrepared } from "../common/prepared";
import { escapeLike, likePattern } from "../common/sql-text";
import { todayIso } from "../dates";
import type { ServiceContext } from "../service-context";
import { isUuid } from "../validation";
import { merchantFromRaw } from "./merchant-queries";
import { merchantReachable, sharedReach } from "./visibility";

export interface MerchantSearchFilter {
  industries?: readonly string[] | null | undefined;
  provinceCodes?: readonly string[] | null | undefined;
  hometownDistricts?: readonly string[] | null | undefined;
  /** Active members of these chambers; a chamber whose members the viewer may not list matches nobody. */
  chamberIds?: readonly string[] | null | undefined;
  tags?: readonly string[] | null | undefined;
}

/**
 * Keyset position: (sort key, merchant id). With a query the sort key is the rank ("0" exact, "1" other) and the
 * name.
 */
export type SearchKey = [string, string];

interface SearchPageRequest {
  after?: SearchKey | null | undefined;
  before?: SearchKey | null | undefined;
  limit: number;
  /** Read backwards (for `last`/`before`); rows come back in that reversed order. */
  inverted: boolean;
}

/** A page position as the search reads it: its sort keys are always text. */
function searchRequest(page: PageRequest): SearchPageRequest {
  const key = (position: SortKey | null | undefined): SearchKey | null =>
    position ? [String(position[0]), position[1]] : null;
  return { after: key(page.after), before: key(page.before), limit: page.limit, inverted: page.inverted };
}

const HAN = /\p{Script=Han}/u;
/** Counting a 2-gram's rows stops here: enough to tell a rare driver from a common one (有限 in every company). */
const DRIVER_COUNT_CAP = 20_000;

/** The 2-character substrings of a string (any one of them finds every name holding the whole string). */
function bigrams(s: string): string[] {
  const chars = [...s];
  const out = new Set<string>();
  for (let i = 0; i + 1 < chars.length; i++) out.add(chars[i]! + chars[i + 1]!);
  return [...out];
}

type Rank = "0" | "1";

/**
 * Where a page's rows come from. Each source yields (rank, name, id) in that order from the keyset position, and
 * gives a merchant the same rank and name as every other source does, so merging the sources and dropping
 * duplicates gives the page.
 * - `range`: rows of merchant_search_gram (one `gram` value, so the (gram, name, merchant_id) index is in order);
 * - `merchant`: merchant rows matched some other way (trigram indexes), ranked by `rank` and sorted.
 */
type Source = { kind: "range"; rank: Rank; where: SQL } | { kind: "merchant"; rank: SQL; where: SQL };

interface Plan {
  sources: Source[];
  /** Selects of matching merchant ids (possibly overlapping), for `ids`. */
  members: SQL[];
  /** A select of one column: how many merchants match. */
  count: SQL;
  /** Statement-level CTEs the sources refer to. */
  with?: SQL;
}

/** How a side-table row is restricted to the filter. */
interface Restriction {
  gram: SQL | undefined;
  merchant: SQL | undefined;
}

const whereAll = (...conditions: (SQL | undefined)[]) => and(...conditions) ?? sql`true`;

/**
 * A search statement's values, by name: bound in place, or — for a statement prepared once per shape (the query's
 * kind, the page's direction and keyset side) — placeholders filled when it runs, so a repeated search builds no SQL.
 */
class Bindings {
  constructor(
    readonly values: Record<string, unknown>,
    private readonly placeholders: boolean,
  ) {}
  /** One value. */
  v(name: string): SQLWrapper | string {
    return this.placeholders ? sql.placeholder(name) : (this.values[name] as string);
  }
  /** An array, as one parameter. */
  array(name: string): SQLWrapper {
    return this.placeholders ? sql.placeholder(name) : sql.param(this.values[name]);
  }
  /** A number (a limit). */
  n(name: string): number | Placeholder {
    return this.placeholders ? sql.placeholder(name) : (this.values[name] as number);
  }
}

/** A statement: its SQL, with values bound in place or placeholders. */
interface Runnable {
  getSQL(): SQL;
}

/**
 * A page position's values (the name and id after or before which the page starts) and what shapes the statement:
 * which of them are given, and (`ranked`: a query's sort key starts with its rank) on which rank.
 */
function requestBindings(request: SearchPageRequest, ranked: boolean) {
  const values: Record<string, unknown> = { limit: request.limit };
  let shape = request.inverted ? "backward" : "forward";
  for (const [side, key] of [
    ["after", request.after],
    ["before", request.before],
  ] as const) {
    if (!key) continue;
    values[`${side}Name`] = ranked ? key[0].slice(1) : key[0];
    values[`${side}Id`] = key[1];
    shape += ` ${side}${ranked ? key[0].slice(0, 1) : ""}`;
  }
  return { values, shape };
}

/**
 * The merchant has none of these keys: one primary-key probe per row, not NOT EXISTS, which the planner may turn
 * into an anti-join that reads the whole other range (every 'p:chen' row) before the first row comes out.
 */
const absent = (merchantId: SQL | AnyColumn, keys: (SQLWrapper | string)[]) =>
  sql`coalesce((select false from ${gram} e where e.merchant_id = ${merchantId} and e.gram in (${sql.join(
    keys.map((k) => sql`${k}`),
    sql`, `,
  )}) limit 1), true)`;

/** The values a Chinese query's statements take, and its kind. */
function chineseValues(compact: string) {
  const short = [...compact].length <= 2;
  const values = short ? { q: compact } : { q: compact, grams: bigrams(compact), pattern: likePattern(compact) };
  return { kind: short ? "han-short" : "han-long", values };
}

function planChinese(kind: string, b: Bindings, restrict: Restriction): Plan {
  const compact = b.v("q");
  if (kind === "han-short") {
    // One or two characters are grams themselves: the exact name and the rest are two ranges of the index.
    const hit = eq(gram.gram, compact);
    return {
      sources: [
        { kind: "range", rank: "0", where: whereAll(hit, eq(gram.name, compact)) },
        { kind: "range", rank: "1", where: whereAll(hit, sql`${gram.name} <> ${compact}`) },
      ],
      members: [sql`select ${gram.merchantId} as id from ${gram} where ${whereAll(hit, restrict.gram)}`],
      count: sql`select count(*)::int from ${gram} where ${whereAll(hit, restrict.gram)}`,
    };
  }
  // Longer queries: every merchant holding the string holds each of its 2-grams, so the rarest 2-gram's range
  // (in name order) holds every match; each candidate is checked against its name (in the index row) and, only
  // when that fails, its companies. The rarest is picked in the same statement (counted up to a cap).
  // one array parameter: the statement's text (and its prepared statement) is the same for any query length
  const driverCte = sql`driver as materialized (select b from unnest(${b.array("grams")}::text[]) as b
    order by (select count(*) from (select 1 from ${gram} d where d.gram = b limit ${DRIVER_COUNT_CAP}) c), b
    limit 1)`;
  const hit = sql`${gram.gram} = (select b from driver)`;
  const pattern = b.v("pattern");
  // A correlated scalar subquery, not EXISTS: under OR, PostgreSQL would hash every company for EXISTS; this probes
  // the candidate's companies by index.
  const companyLike = sql`select bool_or(lower(c.name) like ${pattern}) from company c
    where c.merchant_id = ${gram.merchantId}`;
  const matches = sql`(lower(${gram.name}) like ${pattern} or coalesce((${companyLike}), false))`;
  return {
    with: driverCte,
    sources: [
      { kind: "range", rank: "0", where: whereAll(hit, eq(gram.name, compact)) },
      { kind: "range", rank: "1", where: whereAll(hit, sql`${gram.name} <> ${compact}`, matches) },
    ],
    members: [
      sql`with ${driverCte} select ${gram.merchantId} as id from ${gram}
        where ${whereAll(hit, matches, restrict.gram)}`,
    ],
    count: sql`with ${driverCte} select count(*)::int from ${gram} where ${whereAll(hit, matches, restrict.gram)}`,
  };
}

/** The values a Latin query's statements take, and its kind (with letters or not, long or short). */
function latinValues(q: string) {
  const latin = q.replace(/\s+/g, " ");
  const letters = latin.replace(/[^a-z0-9]/g, "");
  const long = [...latin].length >= 3;
  const values = {
    letters,
    latin,
    // pg_trgm serves substrings of three or more characters; shorter Latin queries match as prefixes.
    latinPattern: long ? likePattern(latin) : `${escapeLike(latin)}%`,
    companyPattern: likePattern(latin),
    startsWithLetters: `${letters}%`,
    exactKey: `x:${letters}`,
    prefixKey: `p:${letters}`,
    latinKey: `l:${latin}`,
  };
  return { kind: `latin-${letters ? "letters" : "none"}-${long ? "long" : "short"}`, values };
}

/**
 * Latin queries: exact pinyin or initials ('x:' keys) and other pinyin or initials prefixes ('p:') are two
 * disjoint ranges of the side table; Latin names (exact ones too) and company names come from trigram indexes,
 * sorted. The exact-Latin key ('l:') keeps an exact Latin name out of the prefix range's other rows, so each
 * merchant has one rank whichever source finds it.
 */
function planLatin(kind: string, b: Bindings, restrict: Restriction): Plan {
  const [, withLetters, length] = kind.split("-");
  const letters = b.v("letters");
  const latin = b.v("latin");
  const long = length === "long";
  // The rank the side-table keys encode, computed from the merchant row for the trigram sources.
  const rank = sql`(case
    when ${merchantTable.namePinyin} = ${letters} or ${merchantTable.nameInitials} = ${letters}
      or lower(${merchantTable.nameLatin}) = ${latin} then '0'
    else '1' end)`;
  const latinMatch = sql`lower(${merchantTable.nameLatin}) like ${b.v("latinPattern")}`;
  // `= any(array(…))`: the companies are found first, then their merchants through the primary key.
  const companyMatch = long
    ? sql`${merchantTable.id} = any(
        array(select c.merchant_id from company c where c.name ilike ${b.v("companyPattern")})
      )`
    : undefined;
  const others = companyMatch ? sql`(${latinMatch} or ${companyMatch})` : latinMatch;
  const live = isNull(merchantTable.mergedIntoId);
  const matchedOtherwise = sql`select ${merchantTable.id} as id from ${merchantTable}
    where ${whereAll(live, others, restrict.merchant)}`;
  const sources: Source[] = [{ kind: "merchant", rank, where: others }];
  if (withLetters === "none")
    return {
      sources,
      members: [matchedOtherwise],
      count: sql`select count(*)::int from ${merchantTable} where ${whereAll(live, others, restrict.merchant)}`,
    };

  const exact = b.v("exactKey");
  const prefix = b.v("prefixKey");
  const startsWithLetters = b.v("startsWithLetters");
  const outside = sql`not (
    ${merchantTable.namePinyin} like ${startsWithLetters} or ${merchantTable.nameInitials} like ${startsWithLetters}
  )`;
  const range = (key: SQLWrapper | string) =>
    sql`select ${gram.merchantId} as id from ${gram} where ${whereAll(eq(gram.gram, key), restrict.gram)}`;
  const rangeCount = (key: SQLWrapper | string) =>
    sql`(select count(*) from ${gram} where ${whereAll(eq(gram.gram, key), restrict.gram)})`;
  sources.push(
    { kind: "range", rank: "0", where: eq(gram.gram, exact) },
    { kind: "range", rank: "1", where: whereAll(eq(gram.gram, prefix), absent(gram.merchantId, [b.v("latinKey")])) },
  );
  return {
    sources,
    members: [range(exact), range(prefix), matchedOtherwise],
    // Both ranges counted off the index, plus the Latin-name and company matches outside them: those whose
    // pinyin and initials do not start with the letters (read off the row the trigram match fetched anyway).
    count: sql`select (${rangeCount(exact)} + ${rangeCount(prefix)}
      + (select count(*) from ${merchantTable} where ${whereAll(live, others, outside, restrict.merchant)}))::int`,
  };
}

/** The filter as a condition on merchant rows; null when it matches nobody the viewer may know of. */
function filterCondition(
  ctx: Pick<ServiceContext, "permissions">,
  filter: MerchantSearchFilter | null | undefined,
  today: string,
): SQL | undefined | null {
  if (!filter) return undefined;
  const conditions: SQL[] = [];
  if (filter.provinceCodes?.length) conditions.push(inArray(merchantTable.provinceCode, [...filter.provinceCodes]));
  if (filter.hometownDistricts?.length)
    conditions.push(inArray(merchantTable.hometownDistrict, [...filter.hometownDistricts]));
  if (filter.tags?.length) conditions.push(arrayOverlaps(merchantTable.tags, [...filter.tags]));
  if (filter.industries?.length)
    conditions.push(
      inArray(
        merchantTable.id,
        sql`(select ${companyTable.merchantId} from ${companyTable}
          where ${inArray(companyTable.industry, [...filter.industries])})`,
      ),
    );
  if (filter.chamberIds?.length) {
    // Membership of a chamber is not public: only chambers whose members the viewer may list count.
    const listable = ctx.permissions.chambersFor("member:list");
    const allowed = filter.chamberIds.filter((c) => isUuid(c) && (listable.all || listable.ids.includes(c)));
    if (allowed.length === 0) return null;
    conditions.push(
      inArray(
        merchantTable.id,
        sql`(select ${membershipTable.merchantId} from ${membershipTable} where ${and(
          inArray(membershipTable.chamberId, allowed),
          eq(membershipTable.status, "ACTIVE"),
          or(isNull(membershipTable.expiresOn), gte(membershipTable.expiresOn, today)),
        )})`,
      ),
    );
  }
  return conditions.length ? and(...conditions) : undefined;
}

/** A statement the search would send, for EXPLAIN in benchmarks. */
export interface SearchStatement {
  toSQL(): { sql: string; params: unknown[] };
}

export interface MerchantSearch {
  page(request: PageRequest): Promise<(MerchantRow & { sortKey: string })[]>;
  count(): Promise<number>;
  /** Every matching id, unordered (exports, and the benchmark's recall check). */
  ids(): Promise<string[]>;
  /** The statements `page` and `count` send. */
  statements(request: PageRequest): { page: SearchStatement[]; count: SearchStatement };
}

/** Plans one search without touching the database; `page` and `count` send one statement each. */
export async function searchMerchants(
  ctx: { db: Executor } & Pick<ServiceContext, "permissions">,
  input: { query?: string | null | undefined; filter?: MerchantSearchFilter | null | undefined },
  today = todayIso(),
): Promise<MerchantSearch> {
  const db = ctx.db;
  const filter = filterCondition(ctx, input.filter, today);
  const live = isNull(merchantTable.mergedIntoId);
  // The listing rule, in the statement: a profile the viewer does not reach is neither found nor counted. Erased
  // profiles hold no name, and are left out of the list without a query too.
  const reach = and(isNull(merchantTable.erasedAt), merchantReachable(ctx.permissions.viewer))!;
  // A side-table row carries the rule's part that reaches everyone (`listed`: listed and not erased), read off the
  // index: the anonymous need nothing else. Anyone else probes the merchant of an unlisted row by primary key (a
  // scalar subquery, not IN or EXISTS, which the planner may turn into a join reading the whole directory before
  // the first row of a range comes out).
  const reachGram = ctx.permissions.viewer
    ? sql`(${gram.listed} or coalesce((select ${reach} from ${merchantTable}
        where ${merchantTable.id} = ${gram.merchantId}), false))`
    : sql`${gram.listed}`;
  const restrict: Restriction = {
    gram: filter
      ? sql`${gram.merchantId} in (select ${merchantTable.id} from ${merchantTable}
          where ${whereAll(live, reach, filter)})`
      : reachGram,
    merchant: whereAll(reach, filter ?? undefined),
  };
  const q = (input.query ?? "").trim().toLowerCase();
  const planned = !q ? null : HAN.test(q) ? chineseValues(q.replace(/\s+/g, "")) : latinValues(q);
  const planWith = (b: Bindings) =>
    planned?.kind.startsWith("han") ? planChinese(planned.kind, b, restrict) : planLatin(planned!.kind, b, restrict);

  if (filter === null) {
    const none = db.select({ n: sql<number>`0`.as("n") }).from(sql`(select) as nothing`);
    return {
      page: async () => [],
      count: async () => 0,
      ids: async () => [],
      statements: () => ({ page: [], count: none }),
    };
  }

  // A statement holding no viewer's ids and no filter (anonymous and staff searches) is prepared once per shape and
  // run with its values; any other is built for its values. Keyset ranks other than "0" and "1" (a forged cursor)
  // are built too, so the prepared shapes stay a short list.
  const shared = filter ? null : sharedReach(ctx.permissions.viewer);
  async function run(shape: string, values: Record<string, unknown>, build: (b: Bindings) => Runnable): Promise<Raw[]> {
    if (!shared || /after[^01 ]|before[^01 ]/.test(shape))
      return rowsOf<Raw>(await db.execute(build(new Bindings(values, false)).getSQL()));
    const key = `merchant search: ${shared} ${planned?.kind ?? "all"} ${shape}`;
    return runPrepared(db, key, () => build(new Bindings(values, true)).getSQL(), values);
  }

  // No query: the whole directory by name, straight off the (name, id) index.
  if (!planned) {
    const where = whereAll(live, reach, filter);
    const pageStatement = (request: SearchPageRequest, b: Bindings) => {
      const conditions: SQL[] = [where];
      if (request.after)
        conditions.push(
          sql`(${merchantTable.name}, ${merchantTable.id}) > (${b.v("afterName")}, ${b.v("afterId")}::uuid)`,
        );
      if (request.before)
        conditions.push(
          sql`(${merchantTable.name}, ${merchantTable.id}) < (${b.v("beforeName")}, ${b.v("beforeId")}::uuid)`,
        );
      const dir = request.inverted ? desc : asc;
      return db
        .select()
        .from(merchantTable)
        .where(and(...conditions))
        .orderBy(dir(merchantTable.name), dir(merchantTable.id))
        .limit(b.n("limit"));
    };
    const countStatement = () =>
      db
        .select({ n: sql<number>`count(*)::int`.as("n") })
        .from(merchantTable)
        .where(where);
    return {
      async page(page) {
        const request = searchRequest(page);
        const { values, shape } = requestBindings(request, false);
        const rows = await run(`page ${shape}`, values, (b) => pageStatement(request, b));
        return rows.map((raw) => {
          const row = merchantFromRaw(raw);
          return { ...row, sortKey: row.name };
        });
      },
      count: async () => Number((await run("count", {}, countStatement))[0]?.n ?? 0),
      ids: async () => (await db.select({ id: merchantTable.id }).from(merchantTable).where(where)).map((r) => r.id),
      statements: (page) => {
        const request = searchRequest(page);
        const b = new Bindings(requestBindings(request, false).values, false);
        return { page: [pageStatement(request, b)], count: countStatement() };
      },
    };
  }

  /** One source's next rows after the keyset position, as a parenthesised select; null when none can follow. */
  function sourceSelect(source: Source, request: SearchPageRequest, b: Bindings): SQL | null {
    const dir = sql.raw(request.inverted ? "desc" : "asc");
    const conditions: (SQL | undefined)[] = [source.where];
    const sides = [
      [request.after, ">", "after"],
      [request.before, "<", "before"],
    ] as const;
    if (source.kind === "range") {
      conditions.push(restrict.gram);
      for (const [key, op, side] of sides) {
        if (!key) continue;
        const keyRank = key[0].slice(0, 1);
        if (keyRank === source.rank)
          conditions.push(
            sql`(${gram.name}, ${gram.merchantId}) ${sql.raw(op)} (${b.v(`${side}Name`)}, ${b.v(`${side}Id`)}::uuid)`,
          );
        else if ((op === ">") === source.rank < keyRank) return null; // the whole range lies on the wrong side
      }
      return sql`(select ${source.rank}::text as sort_rank, ${gram.name} as sort_name, ${gram.merchantId} as id
        from ${gram}
        where ${whereAll(...conditions)}
        order by ${gram.name} ${dir}, ${gram.merchantId} ${dir} limit ${b.v("limit")})`;
    }
    conditions.push(live, restrict.merchant);
    for (const [key, op, side] of sides) {
      if (key)
        conditions.push(
          sql`(${source.rank}, ${merchantTable.name}, ${merchantTable.id}) ${sql.raw(op)}
            (${key[0].slice(0, 1)}, ${b.v(`${side}Name`)}, ${b.v(`${side}Id`)}::uuid)`,
        );
    }
    return sql`(select ${source.rank} as sort_rank, ${merchantTable.name} as sort_name, ${merchantTable.id} as id
      from ${merchantTable}
      where ${whereAll(...conditions)} order by 1 ${dir}, 2 ${dir}, 3 ${dir} limit ${b.v("limit")})`;
  }

  /**
   * The page in one statement: each source's next `limit` rows, merged (a merchant found by two sources has the
   * same key in both, so `union` keeps one), the first `limit` of them, joined to their merchant rows.
   */
  function pageStatement(request: SearchPageRequest, b: Bindings) {
    const planned = planWith(b);
    const selects = planned.sources.map((s) => sourceSelect(s, request, b)).filter((s): s is SQL => s !== null);
    const dir = sql.raw(request.inverted ? "desc" : "asc");
    const merged = selects.length
      ? sql.join(selects, sql` union `)
      : sql`select null::text as sort_rank, null::text as sort_name, null::uuid as id where false`;
    const withClause = planned.with ? sql`with ${planned.with} ` : sql``;
    const picked = sql`(${withClause}select u.sort_rank, u.sort_name, u.id from (${merged}) u
      order by u.sort_rank ${dir}, u.sort_name ${dir}, u.id ${dir} limit ${b.v("limit")}) as picked`;
    return db
      .select({ merchant: merchantTable, rank: sql<string>`picked.sort_rank`.as("sort_rank") })
      .from(picked)
      .innerJoin(merchantTable, sql`${merchantTable.id} = picked.id`)
      .orderBy(sql`picked.sort_rank ${dir}`, sql`picked.sort_name ${dir}`, sql`picked.id ${dir}`);
  }

  const countStatement = (b: Bindings) =>
    db.select({ n: sql<number>`counted.n`.as("n") }).from(sql`(${planWith(b).count}) as counted(n)`);
  const pageBindings = (request: SearchPageRequest) => {
    const { values, shape } = requestBindings(request, true);
    return { values: { ...planned!.values, ...values }, shape };
  };

  return {
    async page(page) {
      const request = searchRequest(page);
      const { values, shape } = pageBindings(request);
      const rows = await run(`page ${shape}`, values, (b) => pageStatement(request, b));
      return rows.map((raw) => {
        const merchant = merchantFromRaw(raw);
        return { ...merchant, sortKey: `${String(raw.sort_rank)}${merchant.name}` };
      });
    },
    async count() {
      const [row] = await run("count", planned!.values, countStatement);
      return Number(row?.n ?? 0);
    },
    async ids() {
      const rows = await db.select({ id: sql<string>`found.id` }).from(
        sql`(${sql.join(
          planWith(new Bindings(planned.values, false)).members.map((m) => sql`(${m})`),
          sql` union `,
        )}) as found`,
      );
      return rows.map((r) => r.id);
    },
    statements(page) {
      const request = searchRequest(page);
      const b = new Bindings(pageBindings(request).values, false);
      return { page: [pageStatement(request, b)], count: countStatement(new Bindings(planned!.values, false)) };
    },
  };
}

/**
 * Merchants whose search-index rows disagree with the listing rule's part that reaches everyone (listed, not
 * erased): none, while the triggers keep `merchant_search_gram.listed`. The drift check the tests run.
 */
export async function searchIndexListingDrift(db: Executor): Promise<string[]> {
  const everyone = and(isNull(merchantTable.erasedAt), merchantReachable(null))!;
  const rows = await db
    .selectDistinct({ id: gram.merchantId })
    .from(gram)
    .innerJoin(merchantTable, eq(merchantTable.id, gram.merchantId))
    .where(sql`${gram.listed} is distinct from (${everyone})`);
  return rows.map((r) => r.id);
}
