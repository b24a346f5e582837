// The one catalogue of actions and who may perform them. Every service asks `assertPerformAction`
// before it acts; the GraphQL layer asks `can` for `viewerCan…` fields. Answers are cached per session.
import { ForbiddenError, UnauthenticatedError } from "./errors";
import type { Viewer } from "./viewer";

export interface ChamberScope {
  chamberId: string;
}

type Rule = (viewer: Viewer, scope: ChamberScope | undefined) => boolean;

const federationStaff: Rule = (v) => v.isFederationStaff;
const secretaryOfChamber: Rule = (v, s) => s !== undefined && v.secretaryOf.has(s.chamberId);
const activeMemberOfChamber: Rule = (v, s) => s !== undefined && v.memberOf.has(s.chamberId);
const signedIn: Rule = () => true;
const anyOf =
  (...rules: Rule[]): Rule =>
  (v, s) =>
    rules.some((r) => r(v, s));

/** action → who may perform it. All actions need a signed-in viewer. */
export const permissionCatalogue = {
  "chamber:create": federationStaff,
  "chamber:update": federationStaff,
  "formation:advance": federationStaff,
  "formation:plan": federationStaff,
  "checklist:update": federationStaff,
  "checklist:read": anyOf(federationStaff, secretaryOfChamber),
  "formation:read": federationStaff,
  "audit:read": federationStaff,
  "rollup:read": anyOf(federationStaff, secretaryOfChamber),
  "user:invite": anyOf(federationStaff, secretaryOfChamber),
  "secretary:invite": anyOf(federationStaff, secretaryOfChamber),
  "member:list": anyOf(federationStaff, secretaryOfChamber, activeMemberOfChamber),
  "member:apply": signedIn,
  "member:approve": secretaryOfChamber,
  "member:update": secretaryOfChamber,
  "member:note": secretaryOfChamber,
  "member:import": secretaryOfChamber,
  "member:export": secretaryOfChamber,
  "dues:record": secretaryOfChamber,
  "profile:correct": secretaryOfChamber,
  "merchant:merge": federationStaff,
  "merchant:duplicates": anyOf(federationStaff, secretaryOfChamber),
  "lead:post": activeMemberOfChamber,
  "lead:manage": secretaryOfChamber,
  "lead:respond": signedIn,
} satisfies Record<string, Rule>;

export type Action = keyof typeof permissionCatalogue;

/** Which actions take a chamber scope: asking without one is a programming error, caught in tests. */
const chamberScoped = new Set<Action>([
  "rollup:read",
  "checklist:read",
  "user:invite",
  "secretary:invite",
  "member:list",
  "member:approve",
  "member:update",
  "member:note",
  "member:import",
  "member:export",
  "dues:record",
  "profile:correct",
  "lead:post",
  "lead:manage",
]);

export class Permissions {
  readonly #cache = new Map<string, boolean>();
  constructor(readonly viewer: Viewer | null) {}

  can(action: Action, scope?: ChamberScope): boolean {
    if (!this.viewer) return false;
    if (chamberScoped.has(action) && !scope) throw new Error(`Permission ${action} needs a chamber scope`);
    const key = scope ? `${action}@${scope.chamberId}` : action;
    let answer = this.#cache.get(key);
    if (answer === undefined) {
      answer = permissionCatalogue[action](this.viewer, scope);
      this.#cache.set(key, answer);
    }
    return answer;
  }

  /** Throws UNAUTHENTICATED for an anonymous viewer, FORBIDDEN for one who may not; returns the viewer. */
  assertPerformAction(action: Action, scope?: ChamberScope): Viewer {
    if (!this.viewer) throw new UnauthenticatedError();
    if (!this.can(action, scope)) throw new ForbiddenError();
    return this.viewer;
  }

  requireViewer(): Viewer {
    if (!this.viewer) throw new UnauthenticatedError();
    return this.viewer;
  }
}
