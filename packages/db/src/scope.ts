// Who a statement runs for, as the row-level-security policies of drizzle/0018 read it. Every statement the
// application sends runs in a transaction that first becomes the role `wz_app` and sets these settings (local to
// the transaction, so nothing outlives it on a pooled or PgBouncer connection).
//
// The scope follows the work through AsyncLocalStorage: a GraphQL request or socket operation runs in its
// viewer's scope (read when each statement starts: a socket's roles change while it stays open); work outside any
// request — workers, the lead feed, the CLI — and the few steps a viewer's rights cannot express (resolving who
// the viewer is, sums over every chamber) run in the system scope, asked for by name with `asSystem`.

import { AsyncLocalStorage } from "node:async_hooks";

/** The role every application statement runs as: it owns nothing, is no superuser and cannot bypass RLS. */
export const APP_ROLE = "wz_app";

export interface ViewerScope {
  kind: "viewer";
  userId: string | null;
  merchantId: string | null;
  federationStaff: boolean;
  cityStaff: boolean;
  secretariatChambers: Iterable<string>;
  memberChambers: Iterable<string>;
}

export type DatabaseScope = { kind: "system" } | ViewerScope;

export const systemScope: DatabaseScope = { kind: "system" };

/** Nobody signed in: public rows only. */
export const anonymousScope: DatabaseScope = {
  kind: "viewer",
  userId: null,
  merchantId: null,
  federationStaff: false,
  cityStaff: false,
  secretariatChambers: [],
  memberChambers: [],
};

const current = new AsyncLocalStorage<() => DatabaseScope>();

/** Runs `work` (and everything it starts) in the scope `scope()` gives at each statement. */
export function inScope<T>(scope: () => DatabaseScope, work: () => T): T {
  return current.run(scope, work);
}

const system = () => systemScope;

/**
 * Runs `work` in the system scope: for work no viewer's rights express — who a token belongs to, sums over every
 * chamber, mail and feeds shared by many viewers. Call it after the permission check, and say why where it is used.
 */
export function asSystem<T>(work: () => T): T {
  return current.run(system, work);
}

/** The scope of the work in progress: the system's outside any request. */
export function currentScope(): DatabaseScope {
  return (current.getStore() ?? system)();
}

/** The tables drizzle/0018 puts under row-level security (row-level-security.test.ts keeps this list true). */
export const TABLES_UNDER_RLS = [
  "membership",
  "dues_payment",
  "fee_schedule",
  "membership_note",
  "invite",
  "chamber_role",
  "checklist_item",
  "lead",
  "lead_audience",
  "lead_response",
  "lead_event",
  "gathering",
  "gathering_invitation",
  "recognition_nomination",
  "delegation_chamber",
  "delegation_participant",
  "investment_credit",
  "investment_chamber_day",
  "audit_log",
  "mail_outbox",
] as const;

const namesTableUnderRls = new RegExp(`\\b(${TABLES_UNDER_RLS.join("|")})\\b`);
const verdicts = new Map<string, boolean>();

/**
 * Whether a statement names a table under row-level security: only those need the scope (and its transaction).
 * No view, function or trigger of ours reads such a table, so a statement that names none reads none; a name in a
 * string or a comment only costs the scope. Decided once per statement text.
 */
export function needsScope(query: string): boolean {
  let verdict = verdicts.get(query);
  if (verdict === undefined) {
    verdict = namesTableUnderRls.test(query);
    if (verdicts.size >= 10_000) verdicts.clear();
    verdicts.set(query, verdict);
  }
  return verdict;
}

/** One statement, so the scope costs one more message in the pipelined transaction, not a round trip. */
export const SET_SCOPE_SQL =
  "select set_config('role', $1, true), set_config('app.scope', $2, true), set_config('app.user_id', $3, true)," +
  " set_config('app.merchant_id', $4, true), set_config('app.staff', $5, true), set_config('app.city', $6, true)," +
  " set_config('app.secretary_of', $7, true), set_config('app.member_of', $8, true)";

/**
 * The scope, and the statement after it run on its generic plan at once. Elsewhere PostgreSQL chooses (client.ts:
 * five executions planned for their values first, and a statement that matches text always, since a search's
 * plan depends on how common its characters are), but under row-level security a plan is large (the policies'
 * conditions, and sub-selects under policies of their own): planning a lead page costs 1-3 ms to run 0.1 ms, and
 * what the policies compare with (the scope's settings) is unknown at planning time whichever plan it is. So a
 * single scoped statement with no text pattern in it is planned once per connection where statements are prepared
 * (the default; not with `DATABASE_PREPARE=false` behind PgBouncer).
 * (bench/rls-overhead, the same run otherwise: the lead list at 53 % of the throughput without row-level security
 * planned per execution, 76 % on generic plans; the member list 86 % and 90 %.) Transactions, and statements that
 * match text, keep planning per execution.
 */
export const SET_SCOPE_GENERIC_PLAN_SQL = `${SET_SCOPE_SQL}, set_config('plan_cache_mode', 'force_generic_plan', true)`;

const matchesText = /\b(i?like|similarity|word_similarity)\b|%>|<%/i;
const genericVerdicts = new Map<string, boolean>();

/** Whether a statement may run on a generic plan: it matches no text pattern. Decided once per text. */
export function suitsGenericPlan(query: string): boolean {
  let verdict = genericVerdicts.get(query);
  if (verdict === undefined) {
    verdict = !matchesText.test(query);
    if (genericVerdicts.size >= 10_000) genericVerdicts.clear();
    genericVerdicts.set(query, verdict);
  }
  return verdict;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function uuid(id: string | null): string {
  if (id === null) return "";
  if (!UUID.test(id)) throw new Error(`not a uuid in a database scope: ${JSON.stringify(id)}`);
  return id;
}

function uuidArray(ids: Iterable<string>): string {
  const list: string[] = [];
  for (const id of ids) list.push(uuid(id));
  return `{${list.join(",")}}`;
}

const parameters = new WeakMap<DatabaseScope, string[]>();

/** The parameters of SET_SCOPE_SQL for a scope (worked out once per scope object). */
export function scopeParameters(scope: DatabaseScope): string[] {
  let values = parameters.get(scope);
  if (!values) {
    values = parametersOf(scope);
    parameters.set(scope, values);
  }
  return values;
}

function parametersOf(scope: DatabaseScope): string[] {
  if (scope.kind === "system") return [APP_ROLE, "system", "", "", "off", "off", "{}", "{}"];
  return [
    APP_ROLE,
    "viewer",
    uuid(scope.userId),
    uuid(scope.merchantId),
    scope.federationStaff ? "on" : "off",
    scope.cityStaff ? "on" : "off",
    uuidArray(scope.secretariatChambers),
    uuidArray(scope.memberChambers),
  ];
}
