// The signed-in viewer, resolved once per request or WebSocket connection from the bearer token only.

import {
  anonymousScope,
  asSystem,
  chamberRoleTable,
  type DatabaseScope,
  type Executor,
  type Locale,
  membershipTable,
  sessionTable,
  userTable,
} from "@wz/db";
import { and, eq, gt, isNull, sql } from "drizzle-orm";
import { hashToken } from "./auth/tokens";
import { todayIso } from "./dates";

export interface Viewer {
  userId: string;
  email: string;
  displayName: string;
  /** The language mail to the viewer is written in. */
  locale: Locale;
  isFederationStaff: boolean;
  /** City investment staff (CITY_STAFF). */
  isCityStaff: boolean;
  merchantId: string | null;
  sessionId: string;
  sessionExpiresAt: Date;
  /** Chambers whose secretariat the viewer belongs to. */
  secretaryOf: ReadonlySet<string>;
  /** Chambers where the viewer's merchant profile has an ACTIVE, unexpired membership. */
  memberOf: ReadonlySet<string>;
}

/**
 * The session, its user and their chamber roles in one statement, prepared once per database handle (a
 * transaction gets its own, so it sees its own writes): every signed-in request runs it, so it costs one round
 * trip and no query building.
 */
function viewerStatement(db: Executor) {
  const secretaryOf = sql<string[]>`array(select ${chamberRoleTable.chamberId}::text from ${chamberRoleTable}
    where ${chamberRoleTable.userId} = ${userTable.id} and ${chamberRoleTable.role} = 'SECRETARY')`;
  const memberOf = sql<string[]>`array(select ${membershipTable.chamberId}::text from ${membershipTable}
    where ${membershipTable.merchantId} = ${userTable.merchantId} and ${membershipTable.status} = 'ACTIVE'
      and (${membershipTable.expiresOn} is null or ${membershipTable.expiresOn} >= ${sql.placeholder("today")}::date))`;
  return db
    .select({
      sessionId: sessionTable.id,
      expiresAt: sessionTable.expiresAt,
      userId: userTable.id,
      email: userTable.email,
      displayName: userTable.displayName,
      locale: userTable.locale,
      isFederationStaff: userTable.isFederationStaff,
      isCityStaff: userTable.isCityStaff,
      merchantId: userTable.merchantId,
      secretaryOf,
      memberOf,
    })
    .from(sessionTable)
    .innerJoin(userTable, eq(userTable.id, sessionTable.userId))
    .where(
      and(
        eq(sessionTable.tokenHash, sql.placeholder("tokenHash")),
        isNull(sessionTable.revokedAt),
        gt(sessionTable.expiresAt, sql.placeholder("now")),
        isNull(userTable.disabledAt),
      ),
    )
    .limit(1)
    .prepare("viewer");
}
const viewerStatements = new WeakMap<Executor, ReturnType<typeof viewerStatement>>();

/** Returns the viewer for a token, or null for a missing, unknown, expired or revoked one. */
export async function resolveViewer(
  db: Executor,
  token: string | null | undefined,
  now = new Date(),
): Promise<Viewer | null> {
  if (!token) return null;
  let statement = viewerStatements.get(db);
  if (!statement) {
    statement = viewerStatement(db);
    viewerStatements.set(db, statement);
  }
  const values = { tokenHash: hashToken(token), now: now.toISOString(), today: todayIso(now) };
  // who holds a token is known only once it is read: no viewer's scope reaches their roles before that
  const [row] = await asSystem(() => statement.execute(values));
  if (!row) return null;
  return {
    userId: row.userId,
    email: row.email,
    displayName: row.displayName,
    locale: row.locale,
    isFederationStaff: row.isFederationStaff,
    isCityStaff: row.isCityStaff,
    merchantId: row.merchantId,
    sessionId: row.sessionId,
    sessionExpiresAt: row.expiresAt,
    secretaryOf: new Set(row.secretaryOf),
    memberOf: new Set(row.memberOf),
  };
}

const scopes = new WeakMap<Viewer, DatabaseScope>();

/** The viewer as row-level security sees them (packages/db/src/scope.ts): kept per viewer object. */
export function databaseScopeOf(viewer: Viewer | null): DatabaseScope {
  if (!viewer) return anonymousScope;
  let scope = scopes.get(viewer);
  if (!scope) {
    scope = {
      kind: "viewer",
      userId: viewer.userId,
      merchantId: viewer.merchantId,
      federationStaff: viewer.isFederationStaff,
      cityStaff: viewer.isCityStaff,
      secretariatChambers: viewer.secretaryOf,
      memberChambers: viewer.memberOf,
    };
    scopes.set(viewer, scope);
  }
  return scope;
}
