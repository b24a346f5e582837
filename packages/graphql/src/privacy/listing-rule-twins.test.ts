// The listing rule exists twice: in SQL (`merchantReachable`: search, node loads, referrals, proposals) and in
// TypeScript (`canReachMerchant`: subscription events and imports, over rows read once). Over the same profiles —
// listed or not, erased, with memberships of every status, a withheld proposal — and for every kind of viewer,
// both must reach exactly the same set.
import {
  canReachMerchant,
  loadMembershipFacts,
  merchantsByIds,
  Permissions,
  resolveViewer,
  searchIndexListingDrift,
} from "@wz/core";
import {
  type MembershipStatus,
  membershipStatusEnum,
  membershipTable,
  merchantSearchGramTable,
  merchantTable,
} from "@wz/db";
import { createTestApi, seed, type TestApi } from "@wz/testkit";
import { and, eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

let api: TestApi;
let merchantIds: string[];
let viewers: [string, string | null][];

beforeAll(async () => {
  api = await createTestApi();
  const s = seed(api.db.db);
  const a = await s.chamber({ name: "甲会" });
  const b = await s.chamber({ name: "乙会" });
  const secretaryA = await a.secretary();
  const secretaryB = await b.secretary();
  const memberA = await a.member({ name: "甲会员" });
  const memberB = await b.member({ name: "乙会员" });
  const ids: string[] = [];
  for (const listed of [true, false]) {
    for (const status of membershipStatusEnum.enumValues as readonly MembershipStatus[])
      ids.push((await a.member({ status, listed, expiresOn: status === "LAPSED" ? "2020-01-01" : null })).merchantId);
    ids.push((await s.merchant({ listed })).id); // no membership at all
    // an import's proposal in b whose identity b's secretariat was not told
    const withheld = (await a.member({ listed, status: "LEFT" })).merchantId;
    await api.db.db.insert(membershipTable).values({
      chamberId: b.id,
      merchantId: withheld,
      status: "APPLIED",
      proposedBy: secretaryB.id,
      identityWithheld: true,
    });
    ids.push(withheld);
  }
  const erased = (await a.member({ listed: false, status: "LEFT" })).merchantId;
  await api.db.db.update(merchantTable).set({ erasedAt: new Date() }).where(eq(merchantTable.id, erased));
  ids.push(erased, memberA.merchantId, memberB.merchantId);
  merchantIds = ids;
  const unlistedSelf = await a.member({ listed: false, name: "本人" });
  merchantIds.push(unlistedSelf.merchantId);
  viewers = [
    ["anonymous", null],
    ["staff", (await s.federationStaff()).token],
    ["secretary of a", secretaryA.token],
    ["secretary of b", secretaryB.token],
    ["member of a", memberA.user.token],
    ["member of b", memberB.user.token],
    ["the unlisted merchant", unlistedSelf.user.token],
  ];
});

afterAll(async () => {
  await api?.close();
});

describe("the listing rule's twins", () => {
  it("reach the same profiles in SQL and in memory, for every viewer", async () => {
    const db = api.db.db;
    const rows = await db.select().from(merchantTable).where(inArray(merchantTable.id, merchantIds));
    const facts = await loadMembershipFacts(db, merchantIds);
    const factsOf = new Map(merchantIds.map((id, n) => [id, facts[n]!]));
    const sizes: Record<string, number> = {};
    for (const [who, token] of viewers) {
      const viewer = token ? await resolveViewer(db, token) : null;
      const permissions = new Permissions(viewer);
      const inSql = (await merchantsByIds({ db, permissions }, merchantIds)).filter((m) => m !== null).map((m) => m.id);
      const inMemory = rows.filter((r) => canReachMerchant(viewer, r, factsOf.get(r.id)!)).map((r) => r.id);
      expect({ who, reached: [...inMemory].sort() }).toEqual({ who, reached: [...inSql].sort() });
      sizes[who] = inSql.length;
    }
    // the cases differ: the rule is not trivially everyone or no one
    expect(new Set(Object.values(sizes)).size).toBeGreaterThan(3);
    expect(sizes.staff).toBe(merchantIds.length);
  });
});

describe("the search index's copy of the rule", () => {
  it("flags exactly the profiles everyone reaches (listed, not erased); the drift check sees a wrong one", async () => {
    const db = api.db.db;
    expect(await searchIndexListingDrift(db)).toEqual([]);
    const flagged = await db
      .selectDistinct({ id: merchantSearchGramTable.merchantId })
      .from(merchantSearchGramTable)
      .where(and(inArray(merchantSearchGramTable.merchantId, merchantIds), eq(merchantSearchGramTable.listed, true)));
    const anonymous = await merchantsByIds({ db, permissions: new Permissions(null) }, merchantIds);
    const open = anonymous.filter((m) => m !== null && m.erasedAt === null).map((m) => m!.id);
    expect(flagged.map((r) => r.id).sort()).toEqual([...open].sort());
    expect(open.length).toBeGreaterThan(0);
    // a row whose flag was left behind is reported (the check is not vacuous)
    const unlisted = merchantIds.find((id) => !open.includes(id))!;
    await db
      .update(merchantSearchGramTable)
      .set({ listed: true })
      .where(eq(merchantSearchGramTable.merchantId, unlisted));
    expect(await searchIndexListingDrift(db)).toEqual([unlisted]);
    await db
      .update(merchantSearchGramTable)
      .set({ listed: false })
      .where(eq(merchantSearchGramTable.merchantId, unlisted));
    expect(await searchIndexListingDrift(db)).toEqual([]);
  });
});
