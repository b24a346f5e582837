// Benchmark: a chamber of 100,000 memberships (beside a second chamber of 20,000) — Chamber.members pages
// with each filter and order, totalCount, a keyset page deep in the list, and CSV exports, through GraphQL
// as the chamber's secretary. Median of 5 runs each. Writes bench/results/membership-list.json.
//   npx tsx bench/membership-list.ts             (both engines; BENCH_ENGINES=postgres to pick one)
import { addDays, todayIso } from "@wz/core";
import type { MembershipLevel } from "@wz/db";
import { globalId, seed } from "@wz/testkit";
import { benchApi, type Engine, insertPeople, median, people, runPerEngine, timed } from "./membership-support";

const MEMBERS = Number(process.env.BENCH_MEMBERS ?? 100_000);
const levels: MembershipLevel[] = [
  "MEMBER",
  "MEMBER",
  "MEMBER",
  "MEMBER",
  "DIRECTOR",
  "STANDING_DIRECTOR",
  "VICE_PRESIDENT",
];

const LIST = `query ($id: ID!, $filter: MemberFilter, $orderBy: MemberOrder, $after: String) {
  node(id: $id) { ... on Chamber {
  members(first: 30, filter: $filter, orderBy: $orderBy, after: $after) { totalCount pageInfo { endCursor }
    edges { node { status level expiresOn merchant { name mobile } duesStatus { amountOwed } } } } } } }`;
const LIST_NO_COUNT = LIST.replace("totalCount ", "");
const EXPORT = `query ($input: ExportMembersInput!) { exportMembers(input: $input) { rowCount content } }`;

async function run(engine: Engine) {
  const api = await benchApi(engine);
  try {
    const s = seed(api.db.db);
    const chamber = await s.chamber();
    const other = await s.chamber();
    const secretary = await chamber.secretary();
    const today = todayIso();
    const spec = (chamberId: string) => ({
      chamberId,
      level: (i: number) => levels[i % levels.length]!,
      status: (i: number) =>
        (i % 50 === 7 ? "APPLIED" : i % 33 === 5 ? "SUSPENDED" : "ACTIVE") as "ACTIVE" | "SUSPENDED" | "APPLIED",
      // one in eight has run past its expiry unpaid (reads LAPSED); one in a hundred never expires
      expiresOn: (i: number) => (i % 100 === 3 ? null : addDays(today, i % 8 === 0 ? -((i % 300) + 1) : (i % 700) + 1)),
    });
    const load = await timed(async () => {
      await insertPeople(api.db.db, people(MEMBERS, 11), spec(chamber.id));
      await insertPeople(api.db.db, people(20_000, 12, MEMBERS), spec(other.id));
      await api.db.db.execute("analyze");
    });
    const id = globalId("Chamber", chamber.id);
    const query = async (q: string, variables: Record<string, unknown>) => {
      const result = await api.gql(q, { id, ...variables }, secretary.token);
      if (result.errors) throw new Error(JSON.stringify(result.errors));
      return result.data!;
    };
    const cases: [string, Record<string, unknown>][] = [
      ["first page by name", {}],
      ["status LAPSED", { filter: { status: ["LAPSED"] } }],
      [
        "levels VICE_PRESIDENT+DIRECTOR, hometown 瑞安市",
        { filter: { levels: ["VICE_PRESIDENT", "DIRECTOR"], hometownDistricts: ["瑞安市"] } },
      ],
      ["industry C (company exists)", { filter: { industries: ["C"] } }],
      [
        "expiresBefore today+30, by expiry",
        { filter: { expiresBefore: addDays(today, 30) }, orderBy: { field: "EXPIRES_ON" } },
      ],
      ["name search 陈", { filter: { query: "陈" } }],
      ["pinyin search chenyi", { filter: { query: "chenyi" } }],
      ["initials search cyx", { filter: { query: "cyx" } }],
      ["by joining date, descending", { orderBy: { field: "JOINED_ON", descending: true } }],
    ];
    const list = [];
    for (const [name, variables] of cases) {
      const data = await query(LIST, variables);
      const totalCount = data.node.members.totalCount as number;
      list.push({
        case: name,
        totalCount,
        medianMs: await median(5, () => query(LIST, variables)),
        withoutTotalCountMs: await median(5, () => query(LIST_NO_COUNT, variables)),
      });
    }
    // A page far into the list: keyset cursors make page 1,000 cost what page 1 costs.
    let after: string | null = null;
    const cursorAt = Math.min(MEMBERS - 100, 50_000);
    const cursorRows = await api.db.db.execute(
      `select m.name, ms.id from membership ms join merchant m on m.id = ms.merchant_id
       where ms.chamber_id = '${chamber.id}' order by m.name, ms.id offset ${cursorAt} limit 1`,
    );
    const row =
      (cursorRows as unknown as { rows?: { name: string; id: string }[] }).rows?.[0] ??
      (cursorRows as unknown as { name: string; id: string }[])[0];
    if (row) after = Buffer.from(JSON.stringify([row.name, row.id])).toString("base64url");
    const deep = {
      case: `page after row ${cursorAt} by name`,
      medianMs: await median(5, () => query(LIST_NO_COUNT, { after })),
    };

    const exportFiltered = await timed(() =>
      api.data(EXPORT, { input: { chamberId: id, filter: { hometownDistricts: ["瑞安市"] } } }, secretary.token),
    );
    const exportAll = await timed(() => api.data(EXPORT, { input: { chamberId: id } }, secretary.token));
    return {
      engine,
      memberships: MEMBERS,
      otherChamberMemberships: 20_000,
      loadMs: load.ms,
      list,
      deepPage: deep,
      export: [
        { case: "CSV, hometown 瑞安市", rows: exportFiltered.result.exportMembers.rowCount, ms: exportFiltered.ms },
        {
          case: "CSV, all members",
          rows: exportAll.result.exportMembers.rowCount,
          ms: exportAll.ms,
          bytes: Buffer.byteLength(exportAll.result.exportMembers.content),
        },
      ],
    };
  } finally {
    await api.close();
  }
}

await runPerEngine(
  "membership-list",
  {
    benchmark:
      "Chamber.members (first: 30, with duesStatus and merchant contact) and exportMembers " +
      "over a 100,000-membership chamber, through GraphQL",
  },
  run,
);
