// The signed-in viewer, resolved once per request or WebSocket connection from the bearer token only.

import { chamberRoleTable, type Executor, type Locale, membershipTable, sessionTable, userTable } from "@wz/db";
import { and, eq, gt, gte, isNull, or } from "drizzle-orm";
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

/** Returns the viewer for a token, or null for a missing, unknown, expired or revoked one. */
export async function resolveViewer(
  db: Executor,
  token: string | null | undefined,
  now = new Date(),
): Promise<Viewer | null> {
  if (!token) return null;
  const [row] = await db
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
    })
    .from(sessionTable)
    .innerJoin(userTable, eq(userTable.id, sessionTable.userId))
    .where(
      and(
        eq(sessionTable.tokenHash, hashToken(token)),
        isNull(sessionTable.revokedAt),
        gt(sessionTable.expiresAt, now),
        isNull(userTable.disabledAt),
      ),
    )
    .limit(1);
  if (!row) return null;
  const roles = await loadChamberRoles(db, row.userId, row.merchantId, todayIso(now));
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
    secretaryOf: roles.secretaryOf,
    memberOf: roles.memberOf,
  };
}

async function loadChamberRoles(db: Executor, userId: string, merchantId: string | null, today: string) {
  const secretaryRows = await db
    .select({ chamberId: chamberRoleTable.chamberId })
    .from(chamberRoleTable)
    .where(and(eq(chamberRoleTable.userId, userId), eq(chamberRoleTable.role, "SECRETARY")));
  const memberRows = merchantId
    ? await db
        .select({ chamberId: membershipTable.chamberId })
        .from(membershipTable)
        .where(
          and(
            eq(membershipTable.merchantId, merchantId),
            eq(membershipTable.status, "ACTIVE"),
            or(isNull(membershipTable.expiresOn), gte(membershipTable.expiresOn, today)),
          ),
        )
    : [];
  return {
    secretaryOf: new Set(secretaryRows.map((r) => r.chamberId)),
    memberOf: new Set(memberRows.map((r) => r.chamberId)),
  };
}
