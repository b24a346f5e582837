// The one rule for which contact fields of a merchant a viewer sees. Everything that shows a merchant
// (queries, nested fields, exports, subscriptions) goes through `visibleContact`, which also notes each
// non-public value it shows to someone else for the merchant's access log (privacy/contact-access.ts).
import {
  type AccessBasis,
  type ContactField,
  type Executor,
  type FieldVisibility,
  type MembershipStatus,
  membershipTable,
} from "@wz/db";
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
  const byMerchant = new Map<string, { chamberId: string; status: MembershipStatus; expiresOn: string | null }[]>();
  const distinct = [...new Set(merchantIds)];
  for (let i = 0; i < distinct.length; i += FACTS_CHUNK) {
    const rows = await db
      .select({
        merchantId: membershipTable.merchantId,
        chamberId: membershipTable.chamberId,
        status: membershipTable.status,
        expiresOn: membershipTable.expiresOn,
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
    };
  });
}
