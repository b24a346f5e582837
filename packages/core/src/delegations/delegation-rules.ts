// Who may see and keep a delegation home (组团回乡考察), and how its status may move. City and federation staff see
// every delegation; a chamber's secretaries and active members those their chamber organises; a merchant those they
// take part in. City staff keep any; a chamber's secretaries those organised by their chambers alone.
import { type DelegationStatus, delegationChamberTable, delegationParticipantTable, delegationTable } from "@wz/db";
import { exists, inArray, or, type SQL, sql } from "drizzle-orm";
import type { Permissions } from "../permissions";

/** The delegation goal (2–3 a month): fewer than this in a month flags it. */
export const DELEGATION_GOAL_PER_MONTH = 2;

/** PLANNED → CONFIRMED → DONE; PLANNED or CONFIRMED → CANCELLED. DONE and CANCELLED are final. */
const moves: Record<DelegationStatus, readonly DelegationStatus[]> = {
  PLANNED: ["CONFIRMED", "CANCELLED"],
  CONFIRMED: ["DONE", "CANCELLED"],
  DONE: [],
  CANCELLED: [],
};

export function delegationMoveAllowed(from: DelegationStatus, to: DelegationStatus): boolean {
  return moves[from].includes(to);
}

/** Whether the viewer may keep a delegation organised by these chambers. */
export function canKeepDelegation(permissions: Permissions, chamberIds: readonly string[]): boolean {
  if (permissions.can("delegation:manage")) return true;
  return (
    chamberIds.length > 0 && chamberIds.every((chamberId) => permissions.can("delegation:organise", { chamberId }))
  );
}

/** The delegations the viewer may see, as a WHERE condition on delegationTable. */
export function visibleDelegationsSql(permissions: Permissions): SQL {
  if (!permissions.viewer) return sql`false`;
  if (permissions.can("delegation:read-all")) return sql`true`;
  const conditions: SQL[] = [];
  const chambers = permissions.chambersFor("delegation:read");
  if (chambers.all) return sql`true`;
  if (chambers.ids.length > 0)
    conditions.push(
      exists(
        sql`(select 1 from ${delegationChamberTable}
          where ${delegationChamberTable.delegationId} = ${delegationTable.id}
          and ${inArray(delegationChamberTable.chamberId, [...chambers.ids])})`,
      ),
    );
  const me = permissions.merchantId;
  if (me)
    conditions.push(
      exists(
        sql`(select 1 from ${delegationParticipantTable}
          where ${delegationParticipantTable.delegationId} = ${delegationTable.id}
          and ${delegationParticipantTable.merchantId} = ${me})`,
      ),
    );
  return conditions.length > 0 ? or(...conditions)! : sql`false`;
}
