// Reading profiles of the shared merchant directory by id. Which profiles a viewer reaches at all is the listing
// rule (`merchantReachable`, in the SQL here); of a reached profile the non-contact fields are the same for every
// viewer, and contact fields are filtered afterwards by the one visibility rule (`visibleContact`).

import { type CompanyRow, companyTable, type MerchantRow, merchantTable, rowsOf } from "@wz/db";
import { and, eq, inArray, isNull, type SQLWrapper, sql } from "drizzle-orm";
import { tableRowMapper } from "../common/paging";
import { type RawRow, runPrepared } from "../common/prepared";
import type { ServiceContext } from "../service-context";
import { isUuid } from "../validation";
import type { Viewer } from "../viewer";
import { merchantReachable, sharedReach } from "./visibility";

type ReadContext = Pick<ServiceContext, "db" | "permissions">;

/** How many merges a merged profile's id is followed through to its survivor. */
const MAX_MERGE_HOPS = 5;

// The hottest reads of a request (every `merchant { … }` under a list): one array parameter, so the statement's
// text (and its server-side prepared statement) is the same for any number of ids, and rows mapped by the
// table's own column mappers rather than through a query builder per statement.
export const merchantFromRaw = tableRowMapper(merchantTable);
const companyFromRaw = tableRowMapper(companyTable);
// Where the listing rule holds no viewer's ids (anonymous viewers, staff), the statement is built once (`runPrepared`).
const merchantsWithIdsSql = (viewer: Viewer | null, ids: SQLWrapper) =>
  sql`select * from ${merchantTable} where ${merchantTable.id} = any(${ids}::uuid[]) and ${merchantReachable(viewer)}`;
const merchantsWithIds = async (ctx: ReadContext, ids: readonly string[]) => {
  const viewer = ctx.permissions.viewer;
  const shared = sharedReach(viewer);
  const rows = shared
    ? await runPrepared(
        ctx.db,
        `merchants by id: ${shared}`,
        () => merchantsWithIdsSql(viewer, sql.placeholder("ids")),
        {
          ids,
        },
      )
    : rowsOf<RawRow>(await ctx.db.execute(merchantsWithIdsSql(viewer, sql.param(ids))));
  return rows.map(merchantFromRaw);
};

/**
 * Live profiles the viewer reaches, by id, in the order asked for (null for an unknown or unreached id): a merged
 * profile's old id resolves to the profile it was merged into, whose row (and id) comes back in its place (when
 * the viewer reaches that one). Two statements at most.
 */
export async function merchantsByIds(ctx: ReadContext, ids: readonly string[]): Promise<(MerchantRow | null)[]> {
  const valid = [...new Set(ids.filter(isUuid))];
  const rows = valid.length ? await merchantsWithIds(ctx, valid) : [];
  const survivorIds = rows.filter((r) => r.mergedIntoId).map((r) => r.mergedIntoId!);
  const survivors = survivorIds.length ? await merchantsWithIds(ctx, survivorIds) : [];
  const byId = new Map([...rows, ...survivors].map((r) => [r.id, r]));
  return ids.map((id) => {
    let row = byId.get(id);
    for (let hops = 0; row?.mergedIntoId && hops < MAX_MERGE_HOPS; hops++) row = byId.get(row.mergedIntoId);
    return row && !row.mergedIntoId ? row : null;
  });
}

/** Companies by id, in the order asked for: those of live (unmerged) profiles the viewer reaches, like the profile. */
export async function companiesByIds(ctx: ReadContext, ids: readonly string[]): Promise<(CompanyRow | null)[]> {
  const valid = [...new Set(ids.filter(isUuid))];
  const rows = valid.length
    ? await ctx.db
        .select({ company: companyTable })
        .from(companyTable)
        .innerJoin(merchantTable, eq(merchantTable.id, companyTable.merchantId))
        .where(
          and(
            inArray(companyTable.id, valid),
            isNull(merchantTable.mergedIntoId),
            merchantReachable(ctx.permissions.viewer),
          ),
        )
    : [];
  const byId = new Map(rows.map((r) => [r.company.id, r.company]));
  return ids.map((id) => byId.get(id) ?? null);
}

/** Each merchant's companies: one statement for all merchants. */
export async function companiesOfMerchants(ctx: ReadContext, merchantIds: readonly string[]): Promise<CompanyRow[][]> {
  const valid = [...new Set(merchantIds.filter(isUuid))];
  const rows = valid.length
    ? (
        await runPrepared(
          ctx.db,
          "companies of merchants",
          () => sql`select * from ${companyTable}
            where ${companyTable.merchantId} = any(${sql.placeholder("ids")}::uuid[])`,
          { ids: valid },
        )
      ).map(companyFromRaw)
    : [];
  return merchantIds.map((id) => rows.filter((c) => c.merchantId === id));
}
