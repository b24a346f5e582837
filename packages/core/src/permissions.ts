// The one catalogue of who may do what. Every authorization decision — services, field resolvers, list
// filters, subscription filters, search — asks it; nothing else looks at the viewer's roles. Each action
// declares its scope kind once, next to the roles it grants it to; answers are cached per session.
import { ForbiddenError, UnauthenticatedError } from "./errors";
import type { Viewer } from "./viewer";

/**
 * A role a viewer can hold: federation staff (every chamber), city investment staff (CITY_STAFF: the city's
 * return-investment projects), a chamber's secretary, an active member.
 */
type Role = "federationStaff" | "cityStaff" | "secretary" | "activeMember" | "signedIn";

interface ActionRule {
  /** `chamber`: asked about one chamber (and listable as a set of chambers); `global`: asked without one. */
  scope: "chamber" | "global";
  roles: readonly Role[];
}

const chamber = (...roles: Role[]) => ({ scope: "chamber" as const, roles });
const global = (...roles: Role[]) => ({ scope: "global" as const, roles });

/** action → its scope kind and the roles that may perform it. All actions need a signed-in viewer. */
export const permissionCatalogue = {
  // chambers and the formation of the 31 provincial chambers
  "chamber:create": global("federationStaff"),
  "chamber:update": global("federationStaff"),
  "formation:advance": global("federationStaff"),
  "formation:plan": global("federationStaff"),
  "formation:read": global("federationStaff"),
  "checklist:update": global("federationStaff"),
  "checklist:read": chamber("federationStaff", "secretary"),
  "rollup:read": chamber("federationStaff", "secretary"),
  "audit:read": global("federationStaff"),
  // accounts
  "user:read": global("federationStaff"),
  "user:grant-city-staff": global("federationStaff"),
  "user:invite": chamber("federationStaff", "secretary"),
  "secretary:invite": chamber("federationStaff", "secretary"),
  // membership: `member:list` is knowing a chamber's inside (its active members, its fee schedule)
  "member:list": chamber("federationStaff", "secretary", "activeMember"),
  "member:list-all": chamber("federationStaff", "secretary"),
  "member:read-details": chamber("federationStaff", "secretary"),
  "member:read-notes": chamber("secretary"),
  "member:apply": global("signedIn"),
  /** Answering a chamber's proposal: the merchant's own, checked against the membership's merchant. */
  "member:answer-proposal": global("signedIn"),
  "member:approve": chamber("secretary"),
  "member:update": chamber("secretary"),
  "member:note": chamber("secretary"),
  "member:import": chamber("secretary"),
  "member:export": chamber("secretary"),
  "dues:record": chamber("secretary"),
  // the directory
  "profile:correct": chamber("secretary"),
  "merchant:merge": global("federationStaff"),
  "merchant:duplicates": chamber("federationStaff", "secretary"),
  "merchant:duplicates-all": global("federationStaff"),
  // personal information: publishing a new privacy notice (every merchant agrees again to be listed)
  "privacy:publish-notice": global("federationStaff"),
  // leads: `lead:read` is seeing the chamber's CHAMBER and SELECTED_CHAMBERS leads
  "lead:read": chamber("secretary", "activeMember"),
  "lead:read-responses": chamber("secretary"),
  "lead:post": chamber("activeMember"),
  "lead:manage": chamber("secretary"),
  "lead:respond": global("signedIn"),
  "lead:respond-for": chamber("activeMember"),
  // return investment (温商回归): the city keeps projects, arrivals and targets; federation staff read every
  // chamber's figures; `investment:read` is seeing the projects credited to a chamber (and their problems)
  "investment:manage": global("cityStaff"),
  "investment:read-all": global("cityStaff", "federationStaff"),
  "investment:read": chamber("cityStaff", "federationStaff", "secretary"),
  "investment:propose": chamber("cityStaff", "secretary"),
  "investment:progress": global("cityStaff", "federationStaff"),
  "investment:target": global("cityStaff"),
  "investment:problems": global("cityStaff"),
  // delegations home (组团回乡考察): a chamber's secretaries organise their chamber's, city staff any (and record
  // what came of them); `delegation:read` is seeing a delegation the chamber organises
  "delegation:manage": global("cityStaff"),
  "delegation:organise": chamber("secretary"),
  "delegation:read-all": global("cityStaff", "federationStaff"),
  "delegation:read": chamber("secretary", "activeMember"),
  "delegation:activity": global("cityStaff", "federationStaff"),
  // the hundred leading geese (百名领头雁): the city tags them, links leaders and logs contacts (notes: city only)
  "goose:manage": global("cityStaff"),
  "goose:coverage": global("cityStaff", "federationStaff"),
  // gatherings (年会, 联谊会, 恳谈会, 茶话会): a chamber's secretaries keep its own, federation staff the federation's;
  // `gathering:read` is seeing the chamber's gatherings
  "gathering:manage": chamber("secretary"),
  "gathering:manage-federation": global("federationStaff"),
  "gathering:read": chamber("secretary", "activeMember"),
  "gathering:read-all": global("federationStaff"),
  // recognition of returning merchants (温商回归功勋人物): chambers nominate, the city decides
  "recognition:nominate": chamber("secretary"),
  "recognition:read": chamber("secretary"),
  "recognition:read-all": global("cityStaff", "federationStaff"),
  "recognition:decide": global("cityStaff"),
} satisfies Record<string, ActionRule>;

export type Action = keyof typeof permissionCatalogue;
type Catalogue = typeof permissionCatalogue;
export type ChamberAction = { [A in Action]: Catalogue[A]["scope"] extends "chamber" ? A : never }[Action];
export type GlobalAction = Exclude<Action, ChamberAction>;

export interface ChamberScope {
  chamberId: string;
}

/** Chambers where an action is allowed: every one of them, or the ones listed. */
export type ChamberSet = { all: true } | { all: false; ids: readonly string[] };

function holds(viewer: Viewer, role: Role, chamberId: string | undefined): boolean {
  switch (role) {
    case "federationStaff":
      return viewer.isFederationStaff;
    case "cityStaff":
      return viewer.isCityStaff;
    case "signedIn":
      return true;
    case "secretary":
      return chamberId !== undefined && viewer.secretaryOf.has(chamberId);
    case "activeMember":
      return chamberId !== undefined && viewer.memberOf.has(chamberId);
  }
}

function chambersHolding(viewer: Viewer, role: Role): ChamberSet {
  switch (role) {
    case "federationStaff":
      return viewer.isFederationStaff ? { all: true } : { all: false, ids: [] };
    case "cityStaff":
      return viewer.isCityStaff ? { all: true } : { all: false, ids: [] };
    case "signedIn":
      return { all: true };
    case "secretary":
      return { all: false, ids: [...viewer.secretaryOf] };
    case "activeMember":
      return { all: false, ids: [...viewer.memberOf] };
  }
}

/** What the viewer is, for display (`me`): never for deciding anything. */
export interface RoleSummary {
  isFederationStaff: boolean;
  isCityStaff: boolean;
  chamberRoles: { chamberId: string; role: "SECRETARY" | "MEMBER" }[];
}

export class Permissions {
  readonly #cache = new Map<string, boolean>();
  readonly #sets = new Map<Action, ChamberSet>();
  readonly #source: () => Viewer | null;
  #answeredFor: Viewer | null | undefined;

  /**
   * For a request, the viewer resolved once; for a long-lived connection, a function giving its viewer as it is
   * now (roles change while a socket stays open), and the cached answers follow it.
   */
  constructor(viewer: Viewer | null | (() => Viewer | null)) {
    this.#source = typeof viewer === "function" ? viewer : () => viewer;
  }

  get viewer(): Viewer | null {
    const viewer = this.#source();
    if (viewer !== this.#answeredFor) {
      this.#cache.clear();
      this.#sets.clear();
      this.#answeredFor = viewer;
    }
    return viewer;
  }

  can(action: GlobalAction): boolean;
  can(action: ChamberAction, scope: ChamberScope): boolean;
  can(action: Action, scope?: ChamberScope): boolean {
    if (!this.viewer) return false;
    const rule: ActionRule = permissionCatalogue[action];
    if (rule.scope === "chamber" && !scope) throw new Error(`Permission ${action} needs a chamber scope`);
    const key = scope ? `${action}@${scope.chamberId}` : action;
    let answer = this.#cache.get(key);
    if (answer === undefined) {
      const viewer = this.viewer;
      answer = rule.roles.some((role) => holds(viewer, role, scope?.chamberId));
      this.#cache.set(key, answer);
    }
    return answer;
  }

  /** The chambers where a chamber-scoped action is allowed (for list filters, in SQL or in memory). */
  chambersFor(action: ChamberAction): ChamberSet {
    let set = this.#sets.get(action);
    if (!set) {
      set = { all: false, ids: [] };
      if (this.viewer) {
        const ids = new Set<string>();
        const rule: ActionRule = permissionCatalogue[action];
        for (const role of rule.roles) {
          const held = chambersHolding(this.viewer, role);
          if (held.all) {
            set = held;
            break;
          }
          for (const id of held.ids) ids.add(id);
        }
        if (!set.all) set = { all: false, ids: [...ids] };
      }
      this.#sets.set(action, set);
    }
    return set;
  }

  /** Whether an action is allowed in a chamber, for the chamber ids of many rows at once. */
  canIn(action: ChamberAction, chamberIds: readonly string[]): boolean {
    return chamberIds.some((chamberId) => this.can(action, { chamberId }));
  }

  /** Throws UNAUTHENTICATED for an anonymous viewer, FORBIDDEN for one who may not; returns the viewer. */
  assertPerformAction(action: GlobalAction): Viewer;
  assertPerformAction(action: ChamberAction, scope: ChamberScope): Viewer;
  assertPerformAction(action: Action, scope?: ChamberScope): Viewer {
    if (!this.viewer) throw new UnauthenticatedError();
    if (!(this.can as (a: Action, s?: ChamberScope) => boolean)(action, scope)) throw new ForbiddenError();
    return this.viewer;
  }

  requireViewer(): Viewer {
    if (!this.viewer) throw new UnauthenticatedError();
    return this.viewer;
  }

  /** The viewer's own merchant profile, if any: ownership checks ("the poster", "the member") compare with it. */
  get merchantId(): string | null {
    return this.viewer?.merchantId ?? null;
  }

  /** What `me` shows: the roles themselves, for display only. */
  roleSummary(): RoleSummary | null {
    const v = this.viewer;
    if (!v) return null;
    return {
      isFederationStaff: v.isFederationStaff,
      isCityStaff: v.isCityStaff,
      chamberRoles: [
        ...[...v.secretaryOf].map((chamberId) => ({ chamberId, role: "SECRETARY" as const })),
        ...[...v.memberOf].map((chamberId) => ({ chamberId, role: "MEMBER" as const })),
      ],
    };
  }
}
