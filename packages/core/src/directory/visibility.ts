// The one rule for which merchants a viewer reaches at all (the listing rule, PIPL Arts. 13-17) and which of
// their contact fields the viewer sees. Everything that shows a merchant (queries, nested fields, exports,
// subscriptions) goes through `merchantReachable` (in SQL) or `canReachMerchant` (its twin in memory, for events
// whose rows were read once for every subscriber), and `visibleContact`, which also notes each non-public value it
// shows to someone else for the merchant's access log (privacy/contact-access.ts).
import {
  type AccessBasis,
  type ContactField,
  type Executor,
  type FieldVisibility,
  type MembershipStatus,
  membershipStatusEnum,
  membershipTable,
  merchantTable,
} from "@wz/db";
import { type AnyColumn, type SQL, sql } from "drizzle-orm";
import { inJson } from "../common/sql-text";
import { todayIso } from "../dates";
import { effectiveMembershipStatus, grantsSecretariatView } from "../membership/membership-status";
import type { Viewer } from "../viewer";

const FACTS_CHUNK = 20_000;

export interface MerchantMembershipFacts {
  /** Chambers where the merchant is an ACTIVE member: their fellow members share CHAMBER fields. */
  activeChamberIds: readonly string[];
  /** Chambers whose secretaries look after this merchant: they are, or were until suspended or lapsed, a member. */
  secretariatChamberIds: readonly string[];
  /**
   * Chambers whose secretaries know of this merchant: any membership (applied, ended too) but a proposal whose
   * identity the import withheld from them. An unlisted profile is reached by these chambers' secretaries.
   */
  knownToChamberIds: readonly string[];
}

/** Memberships under which an unlisted merchant is found by the chamber's members (as its secretariat sees them). */
const statusesSeenByFellowMembers = membershipStatusEnum.enumValues.filter(grantsSecretariatView);

/**
 * Whether the viewer reaches a merchant at all, as a condition on the row of `merchant` in scope (unaliased).
 * A listed profile (agreed to the current privacy notice) is reached by everyone; an unlisted one only inside its
 * chambers — their secretaries, and their members while it is (or was until lapsed or suspended) a member there —,
 * by the merchant themselves and by federation staff (who keep the directory: duplicates, erasure). An erased
 * profile holds nothing personal and reads as "deleted user" wherever the other party's records name it.
 * Anything else reads exactly like a missing merchant. Twin of `canReachMerchant`.
 */
export function merchantReachable(viewer: Viewer | null, merchantId: SQL | AnyColumn = merchantTable.id): SQL {
  const open = sql`(${merchantTable.listed} or ${merchantTable.erasedAt} is not null)`;
  if (!viewer) return open;
  if (viewer.isFederationStaff) return sql`true`;
  const parts = [open];
  if (viewer.merchantId) parts.push(sql`${merchantId} = ${viewer.merchantId}::uuid`);
  const secretaryOf = [...viewer.secretaryOf];
  const memberOf = [...viewer.memberOf];
  if (secretaryOf.length || memberOf.length)
    parts.push(sql`exists (select 1 from ${membershipTable} ms
      where ms.merchant_id = ${merchantId} and not ms.identity_withheld
        and (ms.chamber_id = any(${sql.param(secretaryOf)}::uuid[])
          or (ms.chamber_id = any(${sql.param(memberOf)}::uuid[])
            and ms.status::text = any(${sql.param(statusesSeenByFellowMembers)}::text[]))))`);
  return sql`(${sql.join(parts, sql` or `)})`;
}

/**
 * When `merchantReachable` holds none of the viewer's own ids — for anonymous viewers (listed profiles only) and
 * federation staff (everything) — the condition is the same for every such viewer, so a statement built on it may
 * be prepared once and shared: the shared shape's name, else null.
 */
export function sharedReach(viewer: Viewer | null): "anonymous" | "staff" | null {
  if (!viewer) return "anonymous";
  return viewer.isFederationStaff ? "staff" : null;
}

/** `merchantReachable` in memory, over a merchant row and its membership facts (subscription events). */
export function canReachMerchant(
  viewer: Viewer | null,
  merchant: { id: string; listed: boolean; erasedAt: Date | null },
  facts: MerchantMembershipFacts,
): boolean {
  if (merchant.listed || merchant.erasedAt) return true;
  if (!viewer) return false;
  if (viewer.isFederationStaff || viewer.merchantId === merchant.id) return true;
  if (facts.knownToChamberIds.some((c) => viewer.secretaryOf.has(c))) return true;
  return facts.secretariatChamberIds.some((c) => viewer.memberOf.has(c));
}

/** Why a viewer may see a field: everyone may, it is their own, or an access basis (through a chamber). */
export type FieldGrant =
  | { basis: "PUBLIC" | "SELF"; chamberId: null }
  | { basis: AccessBasis; chamberId: string | null };

/** The rule itself: why the viewer may see a field of this visibility, or null when they may not. */
export function fieldGrant(
  viewer: Viewer | null,
  merchantId: string,
  visibility: FieldVisibility,
  facts: MerchantMembershipFacts,
): FieldGrant | null {
  if (visibility === "PUBLIC") return { basis: "PUBLIC", chamberId: null };
  if (!viewer) return null;
  if (viewer.merchantId === merchantId) return { basis: "SELF", chamberId: null };
  const secretariat = facts.secretariatChamberIds.find((c) => viewer.secretaryOf.has(c));
  if (secretariat) return { basis: "SECRETARIAT", chamberId: secretariat };
  switch (visibility) {
    case "FEDERATION":
      return { basis: "FEDERATION", chamberId: null };
    case "CHAMBER": {
      const shared = facts.activeChamberIds.find((c) => viewer.memberOf.has(c));
      return shared ? { basis: "CHAMBER", chamberId: shared } : null;
    }
    case "PRIVATE":
      return null;
  }
}

export function canSeeField(
  viewer: Viewer | null,
  merchantId: string,
  visibility: FieldVisibility,
  facts: MerchantMembershipFacts,
): boolean {
  return fieldGrant(viewer, merchantId, visibility, facts) !== null;
}

export interface ContactFields {
  id: string;
  mobile: string | null;
  mobileVisibility: FieldVisibility;
  landline: string | null;
  landlineVisibility: FieldVisibility;
  email: string | null;
  emailVisibility: FieldVisibility;
  wechat: string | null;
  wechatVisibility: FieldVisibility;
}

/** Where the rule notes what it showed (a per-operation recorder); `null` only where nothing leaves. */
export interface ContactAccessSink {
  note(viewer: Viewer | null, shown: ShownContact): void;
}

/** One contact value the rule let through, with what the rule decided it on (so it can be re-decided per viewer). */
export interface ShownContact {
  merchantId: string;
  field: ContactField;
  visibility: FieldVisibility;
  facts: MerchantMembershipFacts;
}

const contactValue = {
  MOBILE: (m: ContactFields) => [m.mobile, m.mobileVisibility],
  LANDLINE: (m: ContactFields) => [m.landline, m.landlineVisibility],
  EMAIL: (m: ContactFields) => [m.email, m.emailVisibility],
  WECHAT: (m: ContactFields) => [m.wechat, m.wechatVisibility],
} as const satisfies Record<ContactField, (m: ContactFields) => readonly [string | null, FieldVisibility]>;

/** No memberships: for the decisions that do not depend on them (see `contactFieldNeedsFacts`). */
export const NO_MEMBERSHIP_FACTS: MerchantMembershipFacts = {
  activeChamberIds: [],
  secretariatChamberIds: [],
  knownToChamberIds: [],
};

/**
 * Whether the rule needs the merchant's memberships to decide this field: not for an empty value, a PUBLIC one
 * (shown to everyone, never noted), nor for an anonymous viewer (who sees PUBLIC values only), so an anonymous
 * directory page reads no memberships.
 */
export function contactFieldNeedsFacts(viewer: Viewer | null, merchant: ContactFields, field: ContactField): boolean {
  const [value, visibility] = contactValue[field](merchant);
  return viewer !== null && value !== null && visibility !== "PUBLIC";
}

/**
 * One contact field as the viewer may see it (null when hidden). A value shown goes to `access`, which keeps
 * what PIPL asks to be told (a non-public value shown to someone else); the sink is required so that no caller
 * forgets it.
 */
export function visibleContactField(
  viewer: Viewer | null,
  merchant: ContactFields,
  facts: MerchantMembershipFacts,
  field: ContactField,
  access: ContactAccessSink | null,
): string | null {
  const [value, visibility] = contactValue[field](merchant);
  if (value === null || !canSeeField(viewer, merchant.id, visibility, facts)) return null;
  access?.note(viewer, { merchantId: merchant.id, field, visibility, facts });
  return value;
}

/** Every contact field as the viewer may see it (an export's row: each shown value is noted). */
export function visibleContact(
  viewer: Viewer | null,
  merchant: ContactFields,
  facts: MerchantMembershipFacts,
  access: ContactAccessSink | null,
) {
  const show = (field: ContactField) => visibleContactField(viewer, merchant, facts, field, access);
  return { mobile: show("MOBILE"), landline: show("LANDLINE"), email: show("EMAIL"), wechat: show("WECHAT") };
}

/** Only the merchant sees (and sets) who may see each of their contact fields. */
export function canSeeContactSettings(viewer: Viewer | null, merchantId: string): boolean {
  return viewer !== null && viewer.merchantId === merchantId;
}

/** The membership facts for many merchants, one statement per 20,000 (for loaders, exports and subscriptions). */
export async function loadMembershipFacts(
  db: Executor,
  merchantIds: readonly string[],
  today = todayIso(),
): Promise<MerchantMembershipFacts[]> {
  type Fact = { chamberId: string; status: MembershipStatus; expiresOn: string | null; identityWithheld: boolean };
  const byMerchant = new Map<string, Fact[]>();
  const distinct = [...new Set(merchantIds)];
  for (let i = 0; i < distinct.length; i += FACTS_CHUNK) {
    const rows = await db
      .select({
        merchantId: membershipTable.merchantId,
        chamberId: membershipTable.chamberId,
        status: membershipTable.status,
        expiresOn: membershipTable.expiresOn,
        identityWithheld: membershipTable.identityWithheld,
      })
      .from(membershipTable)
      .where(inJson(membershipTable.merchantId, distinct.slice(i, i + FACTS_CHUNK), "uuid"));
    for (const r of rows) byMerchant.set(r.merchantId, [...(byMerchant.get(r.merchantId) ?? []), r]);
  }
  return merchantIds.map((id) => {
    const list = byMerchant.get(id) ?? [];
    return {
      activeChamberIds: list.filter((m) => effectiveMembershipStatus(m, today) === "ACTIVE").map((m) => m.chamberId),
      secretariatChamberIds: list.filter((m) => grantsSecretariatView(m.status)).map((m) => m.chamberId),
      knownToChamberIds: list.filter((m) => !m.identityWithheld).map((m) => m.chamberId),
    };
  });
}
