// The one rule for which contact fields of a merchant a viewer sees. Everything that shows a merchant
// (queries, nested fields, exports, subscriptions) goes through `visibleContact`.
import { type Executor, type FieldVisibility, membershipTable } from "@wz/db";
import { inArray } from "drizzle-orm";
import { todayIso } from "../dates";
import { effectiveMembershipStatus } from "../membership/membership-status";
import type { Viewer } from "../viewer";

export interface MerchantMembershipFacts {
  /** Chambers where the merchant is an ACTIVE member: their fellow members share CHAMBER fields. */
  activeChamberIds: readonly string[];
  /** Chambers whose secretaries look after this merchant (any membership not REJECTED or LEFT). */
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
  email: string | null;
  emailVisibility: FieldVisibility;
  wechat: string | null;
  wechatVisibility: FieldVisibility;
}

export function visibleContact(viewer: Viewer | null, merchant: ContactFields, facts: MerchantMembershipFacts) {
  const see = (v: FieldVisibility) => canSeeField(viewer, merchant.id, v, facts);
  return {
    mobile: see(merchant.mobileVisibility) ? merchant.mobile : null,
    email: see(merchant.emailVisibility) ? merchant.email : null,
    wechat: see(merchant.wechatVisibility) ? merchant.wechat : null,
  };
}

/** Only the merchant sees (and sets) who may see each of their contact fields. */
export function canSeeContactSettings(viewer: Viewer | null, merchantId: string): boolean {
  return viewer !== null && viewer.merchantId === merchantId;
}

/** The membership facts for many merchants in one statement (for loaders, exports and subscriptions). */
export async function loadMembershipFacts(
  db: Executor,
  merchantIds: readonly string[],
  today = todayIso(),
): Promise<MerchantMembershipFacts[]> {
  const rows = merchantIds.length
    ? await db
        .select({
          merchantId: membershipTable.merchantId,
          chamberId: membershipTable.chamberId,
          status: membershipTable.status,
          expiresOn: membershipTable.expiresOn,
        })
        .from(membershipTable)
        .where(inArray(membershipTable.merchantId, [...merchantIds]))
    : [];
  const byMerchant = new Map<string, typeof rows>();
  for (const r of rows) byMerchant.set(r.merchantId, [...(byMerchant.get(r.merchantId) ?? []), r]);
  return merchantIds.map((id) => {
    const list = byMerchant.get(id) ?? [];
    return {
      activeChamberIds: list.filter((m) => effectiveMembershipStatus(m, today) === "ACTIVE").map((m) => m.chamberId),
      secretariatChamberIds: list.filter((m) => m.status !== "REJECTED" && m.status !== "LEFT").map((m) => m.chamberId),
    };
  });
}
