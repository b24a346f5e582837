// Fluent seed builders for tests: chambers with secretaries and members in a line or two, written straight
// to the database (no argon2 cost), with ready-made session tokens for each account.
import { hashToken, newToken, pinyinForms, pinyinSortKey } from "@wz/core";
import {
  type ChamberKind,
  chamberRoleTable,
  chamberTable,
  companyTable,
  type Database,
  type FieldVisibility,
  type MembershipLevel,
  type MembershipStatus,
  membershipTable,
  merchantTable,
  sessionTable,
  userTable,
} from "@wz/db";
import { eq } from "drizzle-orm";

let counter = 0;
const unique = () => `${Date.now().toString(36)}${(counter++).toString(36)}`;

export interface SeededUser {
  id: string;
  email: string;
  token: string;
  merchantId: string | null;
}

export interface MerchantSpec {
  name?: string;
  nameLatin?: string;
  mobile?: string | null;
  mobileVisibility?: FieldVisibility;
  landline?: string | null;
  landlineVisibility?: FieldVisibility;
  email?: string | null;
  emailVisibility?: FieldVisibility;
  wechat?: string | null;
  wechatVisibility?: FieldVisibility;
  hometownDistrict?: string;
  provinceCode?: string;
  tags?: string[];
  companies?: { name: string; industry?: string; creditCode?: string }[];
  /** Agreed to the privacy notice (version 1), so listed in the federation directory: true unless false. */
  listed?: boolean;
}

export class Seeder {
  constructor(readonly db: Database) {}

  async federation(): Promise<{ id: string }> {
    const [existing] = await this.db
      .select({ id: chamberTable.id })
      .from(chamberTable)
      .where(eq(chamberTable.kind, "FEDERATION"));
    if (existing) return existing;
    const [row] = await this.db
      .insert(chamberTable)
      .values({
        kind: "FEDERATION",
        name: "全国温州商会总会",
        nameSort: pinyinSortKey("全国温州商会总会"),
        nameEn: "Federation",
        slug: "federation",
      })
      .returning({ id: chamberTable.id });
    return row!;
  }

  /** A chamber under the federation (created first if needed); returns a builder to add people to it. */
  async chamber(
    spec: { name?: string; kind?: ChamberKind; provinceCode?: string; city?: string; parentId?: string } = {},
  ) {
    const federation = await this.federation();
    const suffix = unique();
    const kind = spec.kind ?? "MUNICIPAL";
    const name = spec.name ?? `测试商会${suffix}`;
    const [row] = await this.db
      .insert(chamberTable)
      .values({
        kind,
        name,
        nameSort: pinyinSortKey(name),
        nameEn: `Test chamber ${suffix}`,
        slug: `test-${suffix}`,
        provinceCode: spec.provinceCode ?? (kind === "OVERSEAS" ? null : "31"),
        countryCode: kind === "OVERSEAS" ? "IT" : null,
        city: spec.city ?? (kind === "MUNICIPAL" ? `城市${suffix}` : null),
        parentId: spec.parentId ?? federation.id,
      })
      .returning();
    return new ChamberSeed(this, row!.id);
  }

  async merchant(spec: MerchantSpec = {}): Promise<{ id: string }> {
    const name = spec.name ?? `陈${unique().slice(-2)}`;
    const forms = pinyinForms(name);
    const [row] = await this.db
      .insert(merchantTable)
      .values({
        name,
        nameLatin: spec.nameLatin ?? null,
        namePinyin: forms.full,
        nameInitials: forms.initials,
        mobile:
          spec.mobile === undefined ? `139${String(Math.floor(Math.random() * 1e8)).padStart(8, "0")}` : spec.mobile,
        mobileVisibility: spec.mobileVisibility ?? "CHAMBER",
        landline: spec.landline ?? null,
        landlineVisibility: spec.landlineVisibility ?? "CHAMBER",
        email: spec.email === undefined ? `m${unique()}@example.com` : spec.email,
        emailVisibility: spec.emailVisibility ?? "CHAMBER",
        wechat: spec.wechat === undefined ? `wx${unique()}` : spec.wechat,
        wechatVisibility: spec.wechatVisibility ?? "PRIVATE",
        hometownDistrict: spec.hometownDistrict ?? "330302",
        provinceCode: spec.provinceCode ?? "31",
        tags: spec.tags ?? [],
        listed: spec.listed ?? true,
        agreedNoticeVersion: spec.listed === false ? null : 1,
      })
      .returning({ id: merchantTable.id });
    if (spec.companies?.length)
      await this.db.insert(companyTable).values(
        spec.companies.map((c) => ({
          merchantId: row!.id,
          name: c.name,
          industry: c.industry ?? null,
          creditCode: c.creditCode ?? null,
        })),
      );
    return row!;
  }

  /** An account with a live session. */
  async user(
    spec: {
      email?: string;
      federationStaff?: boolean;
      cityStaff?: boolean;
      /** A city leader (市领导) among the city staff, linked to leading geese. */
      cityLeader?: boolean;
      merchantId?: string | null;
      expiresInMs?: number;
    } = {},
  ): Promise<SeededUser> {
    const email = spec.email ?? `u${unique()}@example.org`;
    const [user] = await this.db
      .insert(userTable)
      .values({
        email,
        displayName: email,
        isFederationStaff: spec.federationStaff ?? false,
        isCityStaff: spec.cityStaff ?? spec.cityLeader ?? false,
        isCityLeader: spec.cityLeader ?? false,
        merchantId: spec.merchantId ?? null,
      })
      .returning({ id: userTable.id });
    const token = newToken();
    await this.db.insert(sessionTable).values({
      userId: user!.id,
      tokenHash: hashToken(token),
      expiresAt: new Date(Date.now() + (spec.expiresInMs ?? 3600_000)),
    });
    return { id: user!.id, email, token, merchantId: spec.merchantId ?? null };
  }

  federationStaff(): Promise<SeededUser> {
    return this.user({ federationStaff: true });
  }

  /** City investment staff (CITY_STAFF). */
  cityStaff(): Promise<SeededUser> {
    return this.user({ cityStaff: true });
  }

  /** A city leader: city staff with the leader flag. */
  cityLeader(): Promise<SeededUser> {
    return this.user({ cityLeader: true });
  }
}

export class ChamberSeed {
  constructor(
    readonly seeder: Seeder,
    readonly id: string,
  ) {}

  async secretary(): Promise<SeededUser> {
    const user = await this.seeder.user();
    await this.seeder.db.insert(chamberRoleTable).values({ chamberId: this.id, userId: user.id, role: "SECRETARY" });
    return user;
  }

  /** A merchant with a membership here; `withAccount` also gives them a signed-in account. */
  async member(
    spec: MerchantSpec & { status?: MembershipStatus; level?: MembershipLevel; expiresOn?: string | null } = {},
  ): Promise<{ merchantId: string; membershipId: string; user: SeededUser }> {
    const merchant = await this.seeder.merchant(spec);
    const membershipId = await this.addMembership(merchant.id, spec);
    const user = await this.seeder.user({ merchantId: merchant.id });
    return { merchantId: merchant.id, membershipId, user };
  }

  async addMembership(
    merchantId: string,
    spec: {
      status?: MembershipStatus;
      level?: MembershipLevel;
      expiresOn?: string | null;
      /** A secretary's proposal the merchant has not answered yet (default: the merchant's own application). */
      proposedBy?: string;
    } = {},
  ): Promise<string> {
    const [row] = await this.seeder.db
      .insert(membershipTable)
      .values({
        chamberId: this.id,
        merchantId,
        status: spec.status ?? "ACTIVE",
        level: spec.level ?? "MEMBER",
        joinedOn: "2015-01-01",
        expiresOn: spec.expiresOn === undefined ? "2099-12-31" : spec.expiresOn,
        consentedAt: spec.proposedBy ? null : new Date(),
        proposedBy: spec.proposedBy ?? null,
      })
      .returning({ id: membershipTable.id });
    return row!.id;
  }
}

export const seed = (db: Database) => new Seeder(db);
