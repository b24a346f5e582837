// The permission catalogue, rule by rule. (Each rule is also exercised through GraphQL in the domain tests.)
import { describe, expect, it } from "vitest";
import { ForbiddenError, UnauthenticatedError } from "./errors";
import { type Action, type ChamberAction, Permissions, permissionCatalogue } from "./permissions";
import type { Viewer } from "./viewer";

const A = "chamber-a";
const B = "chamber-b";
const viewer = (over: Partial<Viewer>): Viewer => ({
  userId: "u",
  email: "u@example.org",
  displayName: "U",
  locale: "zh-CN",
  isFederationStaff: false,
  isCityStaff: false,
  merchantId: null,
  sessionId: "s",
  sessionExpiresAt: new Date(Date.now() + 60_000),
  secretaryOf: new Set(),
  memberOf: new Set(),
  ...over,
});

const staff = viewer({ isFederationStaff: true });
const secretaryA = viewer({ secretaryOf: new Set([A]) });
const memberA = viewer({ memberOf: new Set([A]), merchantId: "m" });

// action → [federation staff, secretary of A, member of A] allowed in chamber A (secretary/member of A in B: never)
const expected: Record<Action, [boolean, boolean, boolean]> = {
  "chamber:create": [true, false, false],
  "chamber:update": [true, false, false],
  "formation:advance": [true, false, false],
  "formation:plan": [true, false, false],
  "checklist:update": [true, false, false],
  "checklist:read": [true, true, false],
  "formation:read": [true, false, false],
  "audit:read": [true, false, false],
  "member:answer-proposal": [true, true, true],
  "user:read": [true, false, false],
  "user:grant-city-staff": [true, false, false],
  "rollup:read": [true, true, false],
  "user:invite": [true, true, false],
  "secretary:invite": [true, true, false],
  "member:list": [true, true, true],
  "member:list-all": [true, true, false],
  "member:read-details": [true, true, false],
  "member:read-notes": [false, true, false],
  "member:apply": [true, true, true],
  "member:approve": [false, true, false],
  "member:update": [false, true, false],
  "member:note": [false, true, false],
  "member:import": [false, true, false],
  "member:export": [false, true, false],
  "dues:record": [false, true, false],
  "profile:correct": [false, true, false],
  "merchant:merge": [true, false, false],
  "privacy:publish-notice": [true, false, false],
  "merchant:duplicates": [true, true, false],
  "merchant:duplicates-all": [true, false, false],
  "lead:read": [false, true, true],
  "lead:read-responses": [false, true, false],
  "lead:post": [false, false, true],
  "lead:manage": [false, true, false],
  "lead:respond": [true, true, true],
  "lead:respond-for": [false, false, true],
  "investment:manage": [false, false, false],
  "investment:read-all": [true, false, false],
  "investment:read": [true, true, false],
  "investment:propose": [false, true, false],
  "investment:progress": [true, false, false],
  "investment:target": [false, false, false],
  "investment:problems": [false, false, false],
  "delegation:manage": [false, false, false],
  "delegation:organise": [false, true, false],
  "delegation:read-all": [true, false, false],
  "delegation:read": [false, true, true],
  "delegation:activity": [true, false, false],
  "goose:manage": [false, false, false],
  "goose:coverage": [true, false, false],
  "gathering:manage": [false, true, false],
  "gathering:manage-federation": [true, false, false],
  "gathering:read": [false, true, true],
  "gathering:read-all": [true, false, false],
  "recognition:nominate": [false, true, false],
  "recognition:read": [false, true, false],
  "recognition:read-all": [true, false, false],
  "recognition:decide": [false, false, false],
};

/** What city investment staff (CITY_STAFF) may do: the return-investment actions, and what any signed-in user may. */
const cityStaffMay = new Set<Action>([
  "investment:manage",
  "investment:read-all",
  "investment:read",
  "investment:propose",
  "investment:progress",
  "investment:target",
  "investment:problems",
  "delegation:manage",
  "delegation:read-all",
  "delegation:activity",
  "goose:manage",
  "goose:coverage",
  "recognition:read-all",
  "recognition:decide",
  "member:apply",
  "member:answer-proposal",
  "lead:respond",
]);

describe("permission catalogue", () => {
  it("has an expectation for every action", () => {
    expect(Object.keys(expected).sort()).toEqual(Object.keys(permissionCatalogue).sort());
  });

  for (const [action, [byStaff, bySecretary, byMember]] of Object.entries(expected) as [
    Action,
    [boolean, boolean, boolean],
  ][]) {
    it(action, () => {
      const scoped = permissionCatalogue[action].scope === "chamber";
      const can = (v: Viewer | null, chamberId: string) =>
        (new Permissions(v).can as (a: Action, s?: { chamberId: string }) => boolean)(
          action,
          scoped ? { chamberId } : undefined,
        );
      expect(can(staff, A)).toBe(byStaff);
      expect(can(secretaryA, A)).toBe(bySecretary);
      expect(can(memberA, A)).toBe(byMember);
      // a role in chamber A gives nothing in chamber B beyond what any signed-in user has (or staff's global rights)
      const anySignedIn = action === "member:apply" || action === "lead:respond";
      expect(can(secretaryA, B)).toBe(scoped ? anySignedIn : bySecretary);
      expect(can(memberA, B)).toBe(scoped ? anySignedIn : byMember);
      expect(can(null, A)).toBe(false);
      if (scoped) {
        // the set form answers the same as the one-chamber form
        const inSet = (v: Viewer, chamberId: string) => {
          const set = new Permissions(v).chambersFor(action as ChamberAction);
          return set.all || set.ids.includes(chamberId);
        };
        for (const v of [staff, secretaryA, memberA]) for (const c of [A, B]) expect(inSet(v, c)).toBe(can(v, c));
      }
    });
  }

  it("city staff hold the return-investment actions (in every chamber) and nothing else", () => {
    const city = viewer({ isCityStaff: true });
    for (const action of Object.keys(permissionCatalogue) as Action[]) {
      const scoped = permissionCatalogue[action].scope === "chamber";
      const can = (new Permissions(city).can as (a: Action, s?: { chamberId: string }) => boolean)(
        action,
        scoped ? { chamberId: B } : undefined,
      );
      expect(can, action).toBe(cityStaffMay.has(action));
    }
  });

  it("assertPerformAction: anonymous → UNAUTHENTICATED, not allowed → FORBIDDEN", () => {
    expect(() => new Permissions(null).assertPerformAction("chamber:create")).toThrow(UnauthenticatedError);
    expect(() => new Permissions(secretaryA).assertPerformAction("chamber:create")).toThrow(ForbiddenError);
    expect(new Permissions(staff).assertPerformAction("chamber:create")).toBe(staff);
  });

  it("refuses to answer a chamber-scoped action without a chamber", () => {
    const can = new Permissions(secretaryA).can as (a: Action) => boolean;
    expect(() => can.call(new Permissions(secretaryA), "member:approve")).toThrow(/needs a chamber scope/);
  });
});
