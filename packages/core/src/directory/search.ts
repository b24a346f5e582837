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
} from "@wz/db";
import {
  type AnyColumn,
  and,
  arrayOverlaps,
  asc,
  count,
  desc,
  eq,
  gte,
  inArray,
  isNull,
  or,
  type SQL,
  sql,
} from "drizzle-orm";
import type { PageRequest, SortKey } from "../common/paging";
import { escapeLike, likePattern } from "../common/sql-text";
import { todayIso } from "../dates";
import type { ServiceContext } from "../service-context";
import { isUuid } from "../validation";
import { merchantReachable } from "./visibility";

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
 * The merchant has none of these keys: one primary-key probe per row, not NOT EXISTS, which the planner may turn
 * into an anti-join that reads the whole other range (every 'p:chen' row) before the first row comes out.
 */
const absent = (merchantId: SQL | AnyColumn, keys: string[]) =>
  sql`coalesce((select false from ${gram} e where e.merchant_id = ${merchantId} and e.gram in (${sql.join(
    keys.map((k) => sql`${k}`),
    sql`, `,
  )}) limit 1), true)`;

function planChinese(compact: string, restrict: Restriction): Plan {
  const chars = [...compact];
  if (chars.length <= 2) {
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
  const grams = bigrams(compact);
  const driverCte = sql`driver as materialized (select b from unnest(array[${sql.join(
    grams.map((g) => sql`${g}`),
    sql`, `,
  )}]::text[]) as b
    order by (select count(*) from (select 1 from ${gram} d where d.gram = b limit ${DRIVER_COUNT_CAP}) c), b
    limit 1)`;
  const hit = sql`${gram.gram} = (select b from driver)`;
  const pattern = likePattern(compact);
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

/**
 * Latin queries: exact pinyin or initials ('x:' keys) and other pinyin or initials prefixes ('p:') are two
 * disjoint ranges of the side table; Latin names (exact ones too) and company names come from trigram indexes,
 * sorted. The exact-Latin key ('l:') keeps an exact Latin name out of the prefix range's other rows, so each
 * merchant has one rank whichever source finds it.
 */
function planLatin(q: string, restrict: Restriction): Plan {
  const latin = q.replace(/\s+/g, " ");
  const letters = latin.replace(/[^a-z0-9]/g, "");
  const long = [...latin].length >= 3;
  // The rank the side-table keys encode, computed from the merchant row for the trigram sources.
  const rank = sql`(case
    when ${merchantTable.namePinyin} = ${letters} or ${merchantTable.nameInitials} = ${letters}
      or lower(${merchantTable.nameLatin}) = ${latin} then '0'
    else '1' end)`;
  // pg_trgm serves substrings of three or more characters; shorter Latin queries match as prefixes.
  const latinPattern = long ? likePattern(latin) : `${escapeLike(latin)}%`;
  const latinMatch = sql`lower(${merchantTable.nameLatin}) like ${latinPattern}`;
  // `= any(array(…))`: the companies are found first, then their merchants through the primary key.
  const companyMatch = long
    ? sql`${merchantTable.id} = any(
        array(select c.merchant_id from company c where c.name ilike ${likePattern(latin)})
      )`
    : undefined;
  const others = companyMatch ? sql`(${latinMatch} or ${companyMatch})` : latinMatch;
  const live = isNull(merchantTable.mergedIntoId);
  const matchedOtherwise = sql`select ${merchantTable.id} as id from ${merchantTable}
    where ${whereAll(live, others, restrict.merchant)}`;
  const sources: Source[] = [{ kind: "merchant", rank, where: others }];
  if (!letters)
    return {
      sources,
      members: [matchedOtherwise],
      count: sql`select count(*)::int from ${merchantTable} where ${whereAll(live, others, restrict.merchant)}`,
    };

  const exact = `x:${letters}`;
  const prefix = `p:${letters}`;
  const startsWithLetters = `${letters}%`;
  const outside = sql`not (
    ${merchantTable.namePinyin} like ${startsWithLetters} or ${merchantTable.nameInitials} like ${startsWithLetters}
  )`;
  const range = (key: string) =>
    sql`select ${gram.merchantId} as id from ${gram} where ${whereAll(eq(gram.gram, key), restrict.gram)}`;
  const rangeCount = (key: string) =>
    sql`(select count(*) from ${gram} where ${whereAll(eq(gram.gram, key), restrict.gram)})`;
  sources.push(
    { kind: "range", rank: "0", where: eq(gram.gram, exact) },
    { kind: "range", rank: "1", where: whereAll(eq(gram.gram, prefix), absent(gram.merchantId, [`l:${latin}`])) },
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
  // Per side-table row, a primary-key probe of its merchant (a scalar subquery, not IN or EXISTS, which the planner
  // may turn into a join reading the whole directory before the first row of a range comes out).
  const reachGram = sql`coalesce((select ${reach} from ${merchantTable}
    where ${merchantTable.id} = ${gram.merchantId}), false)`;
  const restrict: Restriction = {
    gram: filter
      ? sql`${gram.merchantId} in (select ${merchantTable.id} from ${merchantTable}
          where ${whereAll(live, reach, filter)})`
      : reachGram,
    merchant: whereAll(reach, filter ?? undefined),
  };
  const q = (input.query ?? "").trim().toLowerCase();
  const plan = !q ? null : HAN.test(q) ? planChinese(q.replace(/\s+/g, ""), restrict) : planLatin(q, restrict);

  if (filter === null) {
    const none = db.select({ n: sql<number>`0` }).from(sql`(select) as nothing`);
    return {
      page: async () => [],
      count: async () => 0,
      ids: async () => [],
      statements: () => ({ page: [], count: none }),
    };
  }

  // No query: the whole directory by name, straight off the (name, id) index.
  if (!plan) {
    const where = whereAll(live, reach, filter);
    const pageStatement = (request: SearchPageRequest) => {
      const conditions: SQL[] = [where];
      if (request.after)
        conditions.push(
          sql`(${merchantTable.name}, ${merchantTable.id}) > (${request.after[0]}, ${request.after[1]}::uuid)`,
        );
      if (request.before)
        conditions.push(
          sql`(${merchantTable.name}, ${merchantTable.id}) < (${request.before[0]}, ${request.before[1]}::uuid)`,
        );
      const dir = request.inverted ? desc : asc;
      return db
        .select()
        .from(merchantTable)
        .where(and(...conditions))
        .orderBy(dir(merchantTable.name), dir(merchantTable.id))
        .limit(request.limit);
    };
    const countStatement = () => db.select({ n: count() }).from(merchantTable).where(where);
    return {
      page: async (request) =>
        (await pageStatement(searchRequest(request))).map((row) => ({ ...row, sortKey: row.name })),
      count: async () => (await countStatement())[0]?.n ?? 0,
      ids: async () => (await db.select({ id: merchantTable.id }).from(merchantTable).where(where)).map((r) => r.id),
      statements: (request) => ({ page: [pageStatement(searchRequest(request))], count: countStatement() }),
    };
  }

  /** One source's next rows after the keyset position, as a parenthesised select; null when none can follow. */
  function sourceSelect(source: Source, request: SearchPageRequest): SQL | null {
    const dir = sql.raw(request.inverted ? "desc" : "asc");
    const conditions: (SQL | undefined)[] = [source.where];
    if (source.kind === "range") {
      conditions.push(restrict.gram);
      for (const [key, op] of [
        [request.after, ">"],
        [request.before, "<"],
      ] as const) {
        if (!key) continue;
        const keyRank = key[0].slice(0, 1);
        if (keyRank === source.rank)
          conditions.push(sql`(${gram.name}, ${gram.merchantId}) ${sql.raw(op)} (${key[0].slice(1)}, ${key[1]}::uuid)`);
        else if ((op === ">") === source.rank < keyRank) return null; // the whole range lies on the wrong side
      }
      return sql`(select ${source.rank}::text as sort_rank, ${gram.name} as sort_name, ${gram.merchantId} as id
        from ${gram}
        where ${whereAll(...conditions)}
        order by ${gram.name} ${dir}, ${gram.merchantId} ${dir} limit ${request.limit})`;
    }
    conditions.push(live, restrict.merchant);
    for (const [key, op] of [
      [request.after, ">"],
      [request.before, "<"],
    ] as const) {
      if (key)
        conditions.push(
          sql`(${source.rank}, ${merchantTable.name}, ${merchantTable.id}) ${sql.raw(op)}
            (${key[0].slice(0, 1)}, ${key[0].slice(1)}, ${key[1]}::uuid)`,
        );
    }
    return sql`(select ${source.rank} as sort_rank, ${merchantTable.name} as sort_name, ${merchantTable.id} as id
      from ${merchantTable}
      where ${whereAll(...conditions)} order by 1 ${dir}, 2 ${dir}, 3 ${dir} limit ${request.limit})`;
  }

  /**
   * The page in one statement: each source's next `limit` rows, merged (a merchant found by two sources has the
   * same key in both, so `union` keeps one), the first `limit` of them, joined to their merchant rows.
   */
  function pageStatement(request: SearchPageRequest) {
    const selects = plan!.sources.map((s) => sourceSelect(s, request)).filter((s): s is SQL => s !== null);
    const dir = sql.raw(request.inverted ? "desc" : "asc");
    const merged = selects.length
      ? sql.join(selects, sql` union `)
      : sql`select null::text as sort_rank, null::text as sort_name, null::uuid as id where false`;
    const withClause = plan!.with ? sql`with ${plan!.with} ` : sql``;
    const picked = sql`(${withClause}select u.sort_rank, u.sort_name, u.id from (${merged}) u
      order by u.sort_rank ${dir}, u.sort_name ${dir}, u.id ${dir} limit ${request.limit}) as picked`;
    return db
      .select({ merchant: merchantTable, rank: sql<string>`picked.sort_rank` })
      .from(picked)
      .innerJoin(merchantTable, sql`${merchantTable.id} = picked.id`)
      .orderBy(sql`picked.sort_rank ${dir}`, sql`picked.sort_name ${dir}`, sql`picked.id ${dir}`);
  }

  const countStatement = () => db.select({ n: sql<number>`counted.n` }).from(sql`(${plan.count}) as counted(n)`);

  return {
    async page(request) {
      const rows = await pageStatement(searchRequest(request));
      return rows.map((r) => ({ ...r.merchant, sortKey: `${r.rank}${r.merchant.name}` }));
    },
    async count() {
      const [row] = await countStatement();
      return Number(row?.n ?? 0);
    },
    async ids() {
      const rows = await db.select({ id: sql<string>`found.id` }).from(
        sql`(${sql.join(
          plan.members.map((m) => sql`(${m})`),
          sql` union `,
        )}) as found`,
      );
      return rows.map((r) => r.id);
    },
    statements(request) {
      return { page: [pageStatement(searchRequest(request))], count: countStatement() };
    },
  };
}
