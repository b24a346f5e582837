// Directory search: Chinese names and company names by any substring (through the n-gram side table, so
// one- and two-character queries use an index too), Latin names, pinyin in full and by initials.
// Contact fields are never searched, so a query can never reveal a hidden one.
import { companyTable, membershipTable, merchantSearchGramTable as gram, merchantTable, type Executor, type MerchantRow } from "@wz/db";
import { and, arrayOverlaps, asc, count, desc, eq, gte, inArray, isNull, ne, or, sql, type SQL } from "drizzle-orm";
import { todayIso } from "../dates";
import { isUuid } from "../validation";
import type { Viewer } from "../viewer";

export interface MerchantSearchFilter {
  industries?: readonly string[] | null | undefined;
  provinceCodes?: readonly string[] | null | undefined;
  hometownDistricts?: readonly string[] | null | undefined;
  /** Active members of these chambers; a chamber whose members the viewer may not list matches nobody. */
  chamberIds?: readonly string[] | null | undefined;
  tags?: readonly string[] | null | undefined;
}

/** Keyset position: (sort key, merchant id). */
export type SearchKey = [string, string];

export interface SearchPageRequest {
  after?: SearchKey | null | undefined;
  before?: SearchKey | null | undefined;
  limit: number;
  /** Read backwards (for `last`/`before`); rows come back in that reversed order. */
  inverted: boolean;
}

const HAN = /\p{Script=Han}/u;
const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/** The 2-character substrings of a string (for intersecting longer queries through the side table). */
function bigrams(s: string): string[] {
  const chars = [...s];
  const out = new Set<string>();
  for (let i = 0; i + 1 < chars.length; i++) out.add(chars[i]! + chars[i + 1]!);
  return [...out];
}

interface Plan {
  /** Where candidate rows come from: the side table or merchant itself. */
  source: "gram" | "merchant";
  id: SQL;
  sortKey: SQL<string>;
  where: SQL | undefined;
  /** Set for one- and two-character Chinese queries: the exact-name and other-name ranges of the side table. */
  split?: { exact: SQL; rest: SQL };
}

/**
 * Of a longer query's 2-grams, the rarest drives the lookup (counted up to a cap, so a common one like 有限
 * costs little to rule out); the others are probed per candidate through the (merchant_id, gram) key.
 */
async function rarestFirst(db: Executor, grams: string[]): Promise<string[]> {
  const counts = await db
    .select({ gram: sql<string>`b`, n: sql<number>`(select count(*) from (select 1 from merchant_search_gram g where g.gram = b limit 5000) s)::int` })
    .from(sql`unnest(array[${sql.join(
      grams.map((g) => sql`${g}`),
      sql`, `,
    )}]::text[]) as b`);
  const n = new Map(counts.map((c) => [c.gram, Number(c.n)]));
  return [...grams].sort((x, y) => (n.get(x) ?? 0) - (n.get(y) ?? 0));
}

/** Exact matches rank first ("0…"), then everything else by name ("1…"). */
async function planQuery(db: Executor, query: string): Promise<Plan | null> {
  const q = query.trim().toLowerCase();
  if (!q) return null;
  if (HAN.test(q)) {
    const compact = q.replace(/\s+/g, "");
    const chars = [...compact];
    const sortKey = sql<string>`((case when ${gram.name} = ${compact} then '0' else '1' end) || ${gram.name})`;
    if (chars.length <= 2)
      return {
        source: "gram",
        id: sql`${gram.merchantId}`,
        sortKey,
        where: eq(gram.gram, compact),
        split: { exact: and(eq(gram.gram, compact), eq(gram.name, compact))!, rest: and(eq(gram.gram, compact), ne(gram.name, compact))! },
      };
    // Longer queries: every 2-gram must be present (index lookups), then the exact substring is checked.
    const [first, ...rest] = await rarestFirst(db, bigrams(compact));
    const pattern = `%${escapeLike(compact)}%`;
    return {
      source: "gram",
      id: sql`${gram.merchantId}`,
      sortKey,
      where: and(
        eq(gram.gram, first!),
        // Scalar probes, not EXISTS: flattened into a join, the planner may drive from another 2-gram and walk
        // the wide lookup index once per candidate; these stay one primary-key probe per candidate.
        ...rest.map((b) => sql`coalesce((select true from merchant_search_gram g2 where g2.merchant_id = ${gram.merchantId} and g2.gram = ${b} limit 1), false)`),
        // A correlated scalar subquery, not EXISTS: PostgreSQL would turn an EXISTS under OR into a hashed
        // subplan that scans every company; this probes the candidate's companies by index.
        sql`(lower(${gram.name}) like ${pattern} or coalesce((select bool_or(lower(c.name) like ${pattern}) from company c where c.merchant_id = ${gram.merchantId}), false))`,
      ),
    };
  }
  const latin = q.replace(/\s+/g, " ");
  const letters = latin.replace(/[^a-z0-9]/g, "");
  const sortKey = sql<string>`((case when ${merchantTable.namePinyin} = ${letters} or ${merchantTable.nameInitials} = ${letters} or lower(${merchantTable.nameLatin}) = ${latin} then '0' else '1' end) || ${merchantTable.name})`;
  // pg_trgm serves substrings of three or more characters; shorter Latin queries match as prefixes.
  const latinPattern = [...latin].length >= 3 ? `%${escapeLike(latin)}%` : `${escapeLike(latin)}%`;
  const parts: SQL[] = [];
  if (letters) {
    const prefix = `${letters}%`;
    parts.push(sql`select mm.id from merchant mm where mm.name_pinyin like ${prefix} or mm.name_initials like ${prefix}`);
  }
  parts.push(sql`select mm.id from merchant mm where lower(mm.name_latin) like ${latinPattern}`);
  if ([...latin].length >= 3) parts.push(sql`select c.merchant_id from company c where c.name ilike ${`%${escapeLike(latin)}%`}`);
  return {
    source: "merchant",
    id: sql`${merchantTable.id}`,
    sortKey,
    // `= any(array(…))`: the candidates are collected first, then fetched through the primary key; as `in (…)`
    // the planner hash-joins a few thousand candidates against a scan of the whole merchant table.
    where: and(isNull(merchantTable.mergedIntoId), sql`${merchantTable.id} = any(array(${sql.join(parts, sql` union `)}))`),
  };
}

/** The filter as a condition on merchant rows; null when it matches nobody the viewer may know of. */
function filterCondition(viewer: Viewer | null, filter: MerchantSearchFilter | null | undefined, today: string): SQL | undefined | null {
  if (!filter) return undefined;
  const conditions: SQL[] = [];
  if (filter.provinceCodes?.length) conditions.push(inArray(merchantTable.provinceCode, [...filter.provinceCodes]));
  if (filter.hometownDistricts?.length) conditions.push(inArray(merchantTable.hometownDistrict, [...filter.hometownDistricts]));
  if (filter.tags?.length) conditions.push(arrayOverlaps(merchantTable.tags, [...filter.tags]));
  if (filter.industries?.length)
    conditions.push(inArray(merchantTable.id, sql`(select ${companyTable.merchantId} from ${companyTable} where ${inArray(companyTable.industry, [...filter.industries])})`));
  if (filter.chamberIds?.length) {
    // Membership of a chamber is not public: only chambers whose members the viewer may list count.
    const allowed = filter.chamberIds.filter(
      (c) => isUuid(c) && viewer !== null && (viewer.isFederationStaff || viewer.secretaryOf.has(c) || viewer.memberOf.has(c)),
    );
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

function filteredIds(db: Executor, condition: SQL) {
  return db.select({ id: merchantTable.id }).from(merchantTable).where(and(isNull(merchantTable.mergedIntoId), condition));
}

/** A statement the search would send, for EXPLAIN in benchmarks. */
export interface SearchStatement {
  toSQL(): { sql: string; params: unknown[] };
}

export interface MerchantSearch {
  page(request: SearchPageRequest): Promise<(MerchantRow & { sortKey: string })[]>;
  count(): Promise<number>;
  /** Every matching id, unordered (exports, and the benchmark's recall check). */
  ids(): Promise<string[]>;
  /** The statements `page` (before loading the rows) and `count` send. */
  statements(request: SearchPageRequest): { page: SearchStatement[]; count: SearchStatement };
}

/** Plans one search (one statement for queries of three or more characters); `page` and `count` each send a fixed number. */
export async function searchMerchants(
  db: Executor,
  viewer: Viewer | null,
  input: { query?: string | null | undefined; filter?: MerchantSearchFilter | null | undefined },
  today = todayIso(),
): Promise<MerchantSearch> {
  const filter = filterCondition(viewer, input.filter, today);
  const plan: Plan = (await planQuery(db, input.query ?? "")) ?? {
    // No query: the whole directory by name, straight off the (name, id) index.
    source: "merchant",
    id: sql`${merchantTable.id}`,
    sortKey: sql<string>`${merchantTable.name}`,
    where: isNull(merchantTable.mergedIntoId),
  };
  const restrict = (): SQL | undefined =>
    !filter ? undefined : plan.source === "gram" ? inArray(gram.merchantId, filteredIds(db, filter)) : filter;
  const from = plan.source === "gram" ? gram : merchantTable;

  /**
   * One- and two-character queries: the exact name ("0…") and the rest ("1…") are read as two ranges of the
   * (gram, name, merchant_id) index, each already in order, so even "陈" over a million names sorts nothing.
   */
  function splitStatements(split: NonNullable<Plan["split"]>, request: SearchPageRequest) {
    const dir = request.inverted ? desc : asc;
    const branch = (rank: "0" | "1", where: SQL) => {
      const conditions: (SQL | undefined)[] = [where, restrict()];
      for (const [key, op] of [
        [request.after, ">"],
        [request.before, "<"],
      ] as const) {
        if (!key) continue;
        const keyRank = key[0].slice(0, 1);
        if (keyRank === rank) conditions.push(sql`(${gram.name}, ${gram.merchantId}) ${sql.raw(op)} (${key[0].slice(1)}, ${key[1]}::uuid)`);
        else if ((op === ">") === (rank < keyRank)) conditions.push(sql`false`); // the whole range lies on the wrong side
      }
      return db
        .select({ id: gram.merchantId, name: gram.name })
        .from(gram)
        .where(and(...conditions))
        .orderBy(dir(gram.name), dir(gram.merchantId))
        .limit(request.limit);
    };
    return [branch("0", split.exact), branch("1", split.rest)] as const;
  }

  function orderedStatement(request: SearchPageRequest) {
    const conditions: (SQL | undefined)[] = [plan.where, restrict()];
    const key = sql`(${plan.sortKey}, ${plan.id})`;
    if (request.after) conditions.push(sql`${key} > (${request.after[0]}, ${request.after[1]}::uuid)`);
    if (request.before) conditions.push(sql`${key} < (${request.before[0]}, ${request.before[1]}::uuid)`);
    const dir = request.inverted ? desc : asc;
    return db
      .select({ id: sql<string>`${plan.id}`, sortKey: sql<string>`${plan.sortKey}` })
      .from(from)
      .where(and(...conditions))
      .orderBy(dir(plan.sortKey), dir(plan.id))
      .limit(request.limit);
  }

  const countStatement = () => db.select({ n: count() }).from(from).where(and(plan.where, restrict()));

  if (filter === null) return { page: async () => [], count: async () => 0, ids: async () => [], statements: () => ({ page: [], count: countStatement() }) };

  return {
    async page(request) {
      let ordered: { id: string; sortKey: string }[];
      if (plan.split) {
        const [exactQuery, restQuery] = splitStatements(plan.split, request);
        const exact = (await exactQuery).map((r) => ({ id: r.id, sortKey: `0${r.name}` }));
        const rest = (await restQuery).map((r) => ({ id: r.id, sortKey: `1${r.name}` }));
        ordered = (request.inverted ? [...rest, ...exact] : [...exact, ...rest]).slice(0, request.limit);
      } else {
        ordered = await orderedStatement(request);
      }
      if (ordered.length === 0) return [];
      const rows = await db.select().from(merchantTable).where(inArray(merchantTable.id, ordered.map((r) => r.id)));
      const byId = new Map(rows.map((r) => [r.id, r]));
      return ordered.flatMap((o) => {
        const row = byId.get(o.id);
        return row ? [{ ...row, sortKey: o.sortKey }] : [];
      });
    },
    async count() {
      const [row] = await countStatement();
      return row?.n ?? 0;
    },
    async ids() {
      const rows = await db.select({ id: sql<string>`${plan.id}` }).from(from).where(and(plan.where, restrict()));
      return rows.map((r) => r.id);
    },
    statements(request) {
      return { page: plan.split ? [...splitStatements(plan.split, request)] : [orderedStatement(request)], count: countStatement() };
    },
  };
}
