// Row-level security, the wall behind the application's own tenant conditions (drizzle/0018): a statement with no
// tenant condition at all, run in a viewer's scope exactly as a request's resolvers run theirs, returns only what
// that viewer's chambers may see; anonymous viewers see no tenant row; and on PostgreSQL the role the application
// connects as owns nothing, bypasses nothing and, sent a statement past the application's scope, reads nothing.
// Data comes in through GraphQL, as clients send it.
import { databaseScopeOf, resolveViewer } from "@wz/core";
import { asSystem, inScope, merchantSearchGramTable, openDatabase, rowsOf, systemStep, TABLES_UNDER_RLS } from "@wz/db";
import { createTestApi, globalId, type SeededUser, seed, type TestApi } from "@wz/testkit";
import { type SQL, sql } from "drizzle-orm";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

let api: TestApi;
let shanghai: { id: string };
let shenzhen: { id: string };
let shanghaiSecretary: SeededUser;
let shenzhenSecretary: SeededUser;
let shenzhenMember: SeededUser;

/** Rows of a raw statement, on either driver. */
async function query<T>(statement: SQL): Promise<T[]> {
  return rowsOf<T>(await api.db.db.execute(statement));
}

/** Runs `work` in the scope a request signed in with `token` runs in. */
async function asViewer<T>(token: string | null, work: () => Promise<T>): Promise<T> {
  const viewer = await resolveViewer(api.db.db, token);
  if (token) expect(viewer).not.toBeNull();
  return inScope(() => databaseScopeOf(viewer), work);
}

/** A raw statement with no WHERE: whatever comes back is what the policies let through. */
async function chambersOf(table: string): Promise<string[]> {
  const rows = await query<{ chamber_id: string }>(sql.raw(`select chamber_id from ${table}`));
  return [...new Set(rows.map((r) => r.chamber_id))].sort();
}

const POST = `mutation ($input: PostLeadInput!) { postLead(input: $input) { lead { id } userErrors { message } } }`;
const NOTE = `mutation ($input: AddMembershipNoteInput!) {
  addMembershipNote(input: $input) { userErrors { message } } }`;

beforeAll(async () => {
  api = await createTestApi();
  const s = seed(api.db.db);
  const sh = await s.chamber({ name: "上海测试商会" });
  const sz = await s.chamber({ name: "深圳测试商会" });
  shanghai = sh;
  shenzhen = sz;
  shanghaiSecretary = await sh.secretary();
  shenzhenSecretary = await sz.secretary();
  const shanghaiMember = await sh.member({ name: "陈上海" });
  const shenzhenOne = await sz.member({ name: "林深圳" });
  shenzhenMember = shenzhenOne.user;
  for (const [member, chamber, secretary] of [
    [shanghaiMember, sh, shanghaiSecretary],
    [shenzhenOne, sz, shenzhenSecretary],
  ] as const) {
    for (const visibility of ["CHAMBER", "FEDERATION"]) {
      const input = {
        chamberId: globalId("Chamber", chamber.id),
        kind: "BUSINESS_OPPORTUNITY",
        title: `${visibility} lead`,
        description: "secret of the chamber",
        visibility,
      };
      const { postLead } = await api.data(POST, { input }, member.user.token);
      expect(postLead.userErrors).toEqual([]);
    }
    const input = { membershipId: globalId("Membership", member.membershipId), body: "私密备注" };
    const { addMembershipNote } = await api.data(NOTE, { input }, secretary.token);
    expect(addMembershipNote.userErrors).toEqual([]);
  }
});
afterAll(() => api.close());

describe("row-level security", () => {
  it("a raw query with no tenant condition returns only the viewer's chamber's rows", async () => {
    await asViewer(shenzhenSecretary.token, async () => {
      expect(await chambersOf("membership")).toEqual([shenzhen.id]);
      expect(await chambersOf("membership_note")).toEqual([shenzhen.id]);
      expect(await chambersOf("chamber_role")).toEqual([shenzhen.id]);
      // Shanghai's CHAMBER lead stays hidden; its FEDERATION lead is for every signed-in viewer
      const leads = await query<{ chamber_id: string; visibility: string }>(
        sql`select chamber_id, visibility from lead`,
      );
      expect(leads.filter((l) => l.chamber_id === shanghai.id).map((l) => l.visibility)).toEqual(["FEDERATION"]);
      expect(leads.filter((l) => l.chamber_id === shenzhen.id)).toHaveLength(2);
      // the audit trail is federation staff's: a secretary reads back only the entries of their own changes
      const audit = await query<{ actor: string }>(sql`select distinct actor_user_id as actor from audit_log`);
      expect(audit.map((a) => a.actor)).toEqual([shenzhenSecretary.id]);
    });
    await asViewer(shenzhenMember.token, async () => {
      expect(await chambersOf("membership")).toEqual([shenzhen.id]);
      expect(await chambersOf("membership_note")).toEqual([]);
      expect(await chambersOf("mail_outbox")).toEqual([]);
    });
  });

  it("an anonymous viewer sees no tenant row; the system scope, asked for by name, sees both chambers", async () => {
    await asViewer(null, async () => {
      for (const table of ["membership", "membership_note", "lead", "lead_event", "audit_log", "chamber_role"])
        expect(await chambersOf(table), table).toEqual([]);
    });
    expect(await asSystem(() => chambersOf("membership"))).toEqual([shanghai.id, shenzhen.id].sort());
  });

  it("a write outside the viewer's chamber is refused by the database itself", async () => {
    await asViewer(shenzhenSecretary.token, async () => {
      // an UPDATE with no WHERE reaches only the viewer's own rows
      const changed = await query<{ chamber_id: string }>(
        sql`update membership_note set body = body || '（改）' returning chamber_id`,
      );
      expect([...new Set(changed.map((c) => c.chamber_id))]).toEqual([shenzhen.id]);
      await expect(
        api.db.db.execute(
          sql`insert into fee_schedule (chamber_id, level, annual_fee) values (${shanghai.id}, 'MEMBER', 1)`,
        ),
      ).rejects.toThrow();
    });
    // Shanghai's note is untouched and no fee was written there
    const notes = await asSystem(() =>
      query<{ body: string }>(sql`select body from membership_note where chamber_id = ${shanghai.id}`),
    );
    expect(notes.map((n) => n.body)).toEqual(["私密备注"]);
    const fees = await asSystem(() =>
      query<{ n: number }>(sql`select count(*)::int as n from fee_schedule where chamber_id = ${shanghai.id}`),
    );
    expect(fees[0]?.n).toBe(0);
  });

  it("a failed system step inside a viewer's transaction hands it back in the viewer's scope", async () => {
    const seen = await asViewer(shenzhenSecretary.token, () =>
      api.db.db.transaction(async (tx) => {
        await expect(
          systemStep(tx, async () => {
            throw new Error("the step gives up");
          }),
        ).rejects.toThrow("the step gives up");
        const rows = rowsOf<{ chamber_id: string }>(await tx.execute(sql`select distinct chamber_id from membership`));
        return rows.map((r) => r.chamber_id);
      }),
    );
    expect(seen).toEqual([shenzhen.id]);
  });

  it("a lead for selected chambers reaches the inside of the chambers its audience names, and no other", async () => {
    const hangzhou = await seed(api.db.db).chamber({ name: "杭州测试商会" });
    const hangzhouMember = await hangzhou.member({ name: "王杭州" });
    const poster = await seed(api.db.db).chamber({ name: "宁波测试商会" });
    const posterMember = await poster.member({ name: "周宁波" });
    const input = {
      chamberId: globalId("Chamber", poster.id),
      kind: "BUSINESS_OPPORTUNITY",
      title: "给深圳的商机",
      description: "只给选定的商会",
      visibility: "SELECTED_CHAMBERS",
      selectedChamberIds: [globalId("Chamber", shenzhen.id)],
    };
    const { postLead } = await api.data(POST, { input }, posterMember.user.token);
    expect(postLead.userErrors).toEqual([]);
    const titles = (token: string) =>
      asViewer(token, async () =>
        (await query<{ title: string }>(sql`select title from lead where visibility = 'SELECTED_CHAMBERS'`)).map(
          (l) => l.title,
        ),
      );
    expect(await titles(shenzhenMember.token)).toEqual(["给深圳的商机"]);
    expect(await titles(hangzhouMember.user.token)).toEqual([]);
    // the audience changes (here by the system): the policy follows it
    await asSystem(() =>
      query(sql`update lead_audience set chamber_id = ${hangzhou.id} where lead_chamber_id = ${poster.id}`),
    );
    expect(await titles(shenzhenMember.token)).toEqual([]);
    expect(await titles(hangzhouMember.user.token)).toEqual(["给深圳的商机"]);
    await asSystem(() => query(sql`delete from lead_audience where lead_chamber_id = ${poster.id}`));
    expect(await titles(hangzhouMember.user.token)).toEqual([]);
  });

  it("every table carrying chamber_id has row-level security enabled and forced (new ones included)", async () => {
    const rows = await query<{ table: string; enabled: boolean; forced: boolean }>(sql`
      select c.relname as table, c.relrowsecurity as enabled, c.relforcerowsecurity as forced
      from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = 'public' and c.relkind = 'r'
        and exists (select 1 from pg_attribute a where a.attrelid = c.oid and a.attname = 'chamber_id'
          and not a.attisdropped)
      order by 1`);
    // the formation of a province is the federation's public record (its dashboard), not a chamber's private row
    const tenantTables = rows.filter((r) => r.table !== "formation");
    expect(tenantTables.length).toBeGreaterThanOrEqual(20);
    for (const table of tenantTables) expect(table, table.table).toMatchObject({ enabled: true, forced: true });
    // statements naming none of these run without a scope: the list the client checks is the database's
    const secured = await query<{ table: string }>(sql`
      select c.relname as table from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = 'public' and c.relkind = 'r' and c.relrowsecurity order by 1`);
    expect(secured.map((r) => r.table).sort()).toEqual([...TABLES_UNDER_RLS].sort());
  });

  it.runIf(process.env.TEST_DATABASE_URL)(
    "on PostgreSQL a scoped statement runs on its generic plan at once unless it matches text",
    async () => {
      const mode = (statement: SQL) =>
        asViewer(shenzhenSecretary.token, async () => (await query<{ mode: string }>(statement))[0]?.mode);
      expect(await mode(sql`select current_setting('plan_cache_mode') as mode from membership limit 1`)).toBe(
        "force_generic_plan",
      );
      // one that matches text, and one naming no table under row-level security: as the pool (the next test)
      expect(
        await mode(sql`select current_setting('plan_cache_mode') as mode from membership where 'x' like 'x' limit 1`),
      ).toBe("auto");
      expect(await mode(sql`select current_setting('plan_cache_mode') as mode`)).toBe("auto");
    },
  );

  it.runIf(process.env.TEST_DATABASE_URL)(
    "on PostgreSQL a statement is planned once per connection, unless it matches text: then for each execution",
    async () => {
      const url = new URL(api.db.url!);
      url.username = "wz_app";
      const one = await openDatabase({ url: url.toString(), poolSize: 1 });
      try {
        const run = async (statement: SQL) => {
          for (let i = 0; i < 8; i++) await one.db.execute(statement);
        };
        await run(sql`select id from chamber where id = ${shanghai.id}::uuid`);
        await run(sql`select id from chamber where name like ${"上海%"}`);
        await run(sql`select merchant_id from merchant_search_gram where gram = ${"陈"} limit 3`);
        // a query drizzle prepares by name (the directory search's are) is sent unnamed too when it matches text
        const named = one.db
          .select({ id: merchantSearchGramTable.merchantId })
          .from(merchantSearchGramTable)
          .where(sql`${merchantSearchGramTable.name} like ${sql.placeholder("pattern")}`)
          .prepare("names like");
        for (let i = 0; i < 8; i++) await named.execute({ pattern: "%陈%" });
        const prepared = rowsOf<{ statement: string; generic: number; custom: number }>(
          await one.db.execute(sql`select statement, generic_plans::int as generic, custom_plans::int as custom
            from pg_prepared_statements where statement like 'select % from %' order by statement`),
        );
        // the two without a text pattern: five executions planned for their values, then the generic plan;
        // the LIKE is never prepared, so each execution is planned for its own pattern
        expect(prepared).toEqual([
          { statement: "select id from chamber where id = $1::uuid", generic: 3, custom: 5 },
          { statement: "select merchant_id from merchant_search_gram where gram = $1 limit 3", generic: 3, custom: 5 },
        ]);
      } finally {
        await one.close();
      }
    },
  );

  it.runIf(process.env.TEST_DATABASE_URL)(
    "on PostgreSQL the app's role owns nothing, bypasses nothing, and without a scope reads nothing",
    async () => {
      const url = new URL(api.db.url!);
      url.username = "wz_app";
      const raw = postgres(url.toString(), { max: 1, onnotice: () => {} });
      try {
        const [who] = await raw<{ user: string; superuser: boolean; bypass: boolean; owns: number }[]>`
          select current_user as user, r.rolsuper as superuser, r.rolbypassrls as bypass,
            (select count(*)::int from pg_class c where c.relowner = r.oid) as owns
          from pg_roles r where r.rolname = current_user`;
        expect(who).toEqual({ user: "wz_app", superuser: false, bypass: false, owns: 0 });
        // a statement sent past the application's scope (no set_config): the policies show it nothing
        const [row] = await raw<{ n: number }[]>`select count(*)::int as n from membership`;
        expect(row?.n).toBe(0);
        await expect(raw`alter table membership disable row level security`).rejects.toThrow(/owner/);
      } finally {
        await raw.end();
      }
    },
  );
});
