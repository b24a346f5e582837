// Who signs in and what roles they hold: users, sessions, invitations, chamber secretaries.
import { sql } from "drizzle-orm";
import { boolean, check, index, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { chamberTable } from "./chambers";
import { createdAt, id } from "./columns";
import { merchantTable } from "./directory";
import { chamberRoleKindEnum } from "./enums";
import type { Locale } from "./mail";

export const userTable = pgTable(
  "app_user",
  {
    id: id(),
    email: text("email").notNull(),
    displayName: text("display_name").notNull(),
    passwordHash: text("password_hash"),
    isFederationStaff: boolean("is_federation_staff").notNull().default(false),
    /** City investment staff (CITY_STAFF): they keep return-investment projects, arrivals and targets. */
    isCityStaff: boolean("is_city_staff").notNull().default(false),
    /** A city leader (市领导) among the city staff: linked to 2–3 leading geese (挂钩联系). */
    isCityLeader: boolean("is_city_leader").notNull().default(false),
    merchantId: uuid("merchant_id").references(() => merchantTable.id),
    /** The language mail to this person is written in (zh-CN or en). */
    locale: text("locale").$type<Locale>().notNull().default("zh-CN"),
    disabledAt: timestamp("disabled_at", { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("app_user_email_key").on(sql`lower(${t.email})`),
    check("app_user_locale", sql`locale in ('zh-CN', 'en')`),
    index("app_user_merchant_idx").on(t.merchantId),
  ],
);

/** Opaque bearer tokens: only a SHA-256 of the token is stored, so a database leak yields no usable session. */
export const sessionTable = pgTable(
  "session",
  {
    id: id(),
    userId: uuid("user_id")
      .notNull()
      .references(() => userTable.id, { onDelete: "cascade" }),
    tokenHash: text("token_hash").notNull(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("session_token_hash_key").on(t.tokenHash),
    index("session_user_idx").on(t.userId),
    // the retention purge finds ended sessions by these
    index("session_expires_idx").on(t.expiresAt),
  ],
);

/** A chamber's secretariat (role SECRETARY) — and, through invitations, its members' accounts. */
export const chamberRoleTable = pgTable(
  "chamber_role",
  {
    chamberId: uuid("chamber_id")
      .notNull()
      .references(() => chamberTable.id),
    userId: uuid("user_id")
      .notNull()
      .references(() => userTable.id, { onDelete: "cascade" }),
    role: chamberRoleKindEnum("role").notNull(),
    grantedBy: uuid("granted_by").references(() => userTable.id),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.chamberId, t.userId, t.role] }), index("chamber_role_user_idx").on(t.userId)],
);

export const inviteTable = pgTable(
  "invite",
  {
    chamberId: uuid("chamber_id")
      .notNull()
      .references(() => chamberTable.id),
    id: uuid("id").notNull().defaultRandom(),
    tokenHash: text("token_hash").notNull(),
    email: text("email").notNull(),
    displayName: text("display_name").notNull(),
    role: chamberRoleKindEnum("role").notNull(),
    /** The invitation mail's language; the account made on acceptance keeps it. */
    locale: text("locale").$type<Locale>().notNull().default("zh-CN"),
    invitedBy: uuid("invited_by")
      .notNull()
      .references(() => userTable.id),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    acceptedAt: timestamp("accepted_at", { withTimezone: true }),
    acceptedBy: uuid("accepted_by").references(() => userTable.id),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.chamberId, t.id] }),
    uniqueIndex("invite_token_hash_key").on(t.chamberId, t.tokenHash),
    index("invite_token_lookup_idx").on(t.tokenHash),
    check("invite_locale", sql`locale in ('zh-CN', 'en')`),
  ],
);

export type UserRow = typeof userTable.$inferSelect;
