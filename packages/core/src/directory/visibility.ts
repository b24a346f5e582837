// The one rule for which contact fields of a merchant a viewer sees. Everything that shows a merchant
// (queries, nested fields, exports, subscriptions) goes through `visibleContact`.
import { type Executor, type FieldVisibility, type MembershipStatus, membershipTable } from "@wz/db";
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

export function canSeeField(
  viewer: Viewer | null,
  merchantId: string,
  visibility: FieldVisibility,
  facts: MerchantMembershipFacts,
): boolean {
  if (visibility === "PUBLIC") return true;
  if (!viewer) return false;
  if (viewer.merchantId === merchantId) return true;
  if (facts.secretariatChamberIds.some((c) => viewer.secretaryOf.has(c))) return true;
  switch (visibility) {
    case "FEDERATION":
      return true;
    case "CHAMBER":
      return facts.activeChamberIds.some((c) => viewer.memberOf.has(c));
    case "PRIVATE":
      return false;
  }
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

export function visibleContact(viewer: Viewer | null, merchant: ContactFields, facts: MerchantMembershipFacts) {
  const see = (v: FieldVisibility) => canSeeField(viewer, merchant.id, v, facts);
  return {
    mobile: see(merchant.mobileVisibility) ? merchant.mobile : null,
    landline: see(merchant.landlineVisibility) ? merchant.landline : null,
    email: see(merchant.emailVisibility) ? merchant.email : null,
    wechat: see(merchant.wechatVisibility) ? merchant.wechat : null,
  };
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
