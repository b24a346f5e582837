// Who is signed in: `me`, sign-in and sign-out, invitations.
import {
  acceptInvite,
  grantCityStaff,
  inviteUser,
  login,
  logout,
  Permissions,
  type RoleSummary,
  resolveViewer,
  setMyLocale,
  type UserErrorEntry,
  UserInputError,
  type UserSummary,
  usersByIds,
  type Viewer,
} from "@wz/core";
import { asSystem, type ChamberRoleKind, chamberRoleKindEnum } from "@wz/db";
import { builder } from "../builder";
import { ChamberRef } from "../chambers/chamber";
import { describedValues } from "../common/enum-values";
import { payloadType, withUserErrors } from "../common/user-errors";

export const ChamberRoleKindEnum = builder.enumType("ChamberRoleKind", {
  description: "What an account is in one chamber.",
  values: describedValues(chamberRoleKindEnum.enumValues, {
    SECRETARY: "Secretariat staff (秘书长 / 秘书处): keeps the chamber's membership, dues, imports and leads.",
    MEMBER: "A member (会员) of the chamber, through their merchant profile.",
  }),
});

export const LocaleEnum = builder.enumType("Locale", {
  description: "A language the platform writes in (mail, messages).",
  values: {
    ZH_CN: { value: "zh-CN", description: "简体中文" },
    EN: { value: "en", description: "English" },
  } as const,
});

export const UserRef = builder.loadableNode("User", {
  description: "An account. Visible to its owner and to federation staff.",
  id: { resolve: (user: UserSummary) => user.id },
  load: (ids: string[], ctx) => usersByIds(ctx, ids),
  fields: (t) => ({
    email: t.exposeString("email", { description: "The sign-in address." }),
    displayName: t.exposeString("displayName", { description: "The name shown for this account, e.g. 王秘书." }),
    locale: t.expose("locale", { type: LocaleEnum, description: "The language mail to this account is written in." }),
    isFederationStaff: t.exposeBoolean("isFederationStaff", {
      description: "Staff of the federation (总会): creates chambers, tracks formation, reads roll-ups and the audit.",
    }),
  }),
});

const ChamberRoleRef = builder.objectRef<{ chamberId: string; role: ChamberRoleKind }>("ChamberRole").implement({
  description: "One role of the viewer in one chamber.",
  fields: (t) => ({
    chamber: t.field({ type: ChamberRef, description: "The chamber.", resolve: (r) => r.chamberId }),
    role: t.expose("role", { type: ChamberRoleKindEnum, description: "What the viewer is there." }),
  }),
});

/**
 * What a viewer is, for display only: the catalogue's summary, never read to decide anything. Built from the
 * Viewer object itself, since login's payload shows the viewer just signed in, not the request's.
 */
const roleSummaries = new WeakMap<Viewer, RoleSummary>();
function roles(viewer: Viewer): RoleSummary {
  let summary = roleSummaries.get(viewer);
  if (!summary) {
    summary = new Permissions(viewer).roleSummary()!;
    roleSummaries.set(viewer, summary);
  }
  return summary;
}

export const ViewerRef = builder.objectRef<Viewer>("Viewer").implement({
  description: "The signed-in user and what they are in each chamber.",
  fields: (t) => ({
    // The viewer always sees their own account: built from the resolved viewer, not through the node loader.
    user: t.field({
      type: UserRef,
      description: "The signed-in account.",
      resolve: (v) => {
        const { isFederationStaff } = roles(v);
        return { id: v.userId, email: v.email, displayName: v.displayName, locale: v.locale, isFederationStaff };
      },
    }),
    isFederationStaff: t.boolean({
      description: "Whether the viewer is federation staff (总会工作人员).",
      resolve: (v) => {
        const { isFederationStaff } = roles(v);
        return isFederationStaff;
      },
    }),
    isCityStaff: t.boolean({
      description: "City investment staff (CITY_STAFF): keeps return-investment projects, arrivals and targets.",
      resolve: (v) => {
        const { isCityStaff } = roles(v);
        return isCityStaff;
      },
    }),
    chamberRoles: t.field({
      type: [ChamberRoleRef],
      description: "The viewer's role in each chamber they are secretary or active member of.",
      resolve: (v) => roles(v).chamberRoles,
    }),
    sessionExpiresAt: t.expose("sessionExpiresAt", {
      type: "DateTime",
      description: "When this session's token stops working; sign in again after it.",
    }),
  }),
});

const LoginInput = builder.inputType("LoginInput", {
  description: "An account's email and password.",
  fields: (t) => ({
    email: t.string({ required: true, description: "The account's email address (case does not matter)." }),
    password: t.string({ required: true, description: "The account's password." }),
  }),
});
const AcceptInviteInput = builder.inputType("AcceptInviteInput", {
  description: "An invitation token and the password to sign in with from now on.",
  fields: (t) => ({
    token: t.string({ required: true, description: "The inviteToken inviteUser returned." }),
    password: t.string({
      required: true,
      description: "At least 10 characters; for an existing account, its password.",
    }),
  }),
});
const InviteUserInput = builder.inputType("InviteUserInput", {
  description: "Whom to invite, to which chamber, in which role.",
  fields: (t) => ({
    email: t.string({ required: true, description: "The invitee's email address; their sign-in name." }),
    displayName: t.string({ required: true, description: "The name shown for the invitee." }),
    chamberId: t.globalID({ for: ChamberRef, required: true, description: "The chamber invited to." }),
    role: t.field({ type: ChamberRoleKindEnum, required: true, description: "SECRETARY or MEMBER of that chamber." }),
    locale: t.field({
      type: LocaleEnum,
      description:
        "The invitation mail's language for someone without an account (default: their directory profile's, " +
        "else ZH_CN); an existing account's own language wins.",
    }),
  }),
});

const SetMyLocaleInput = builder.inputType("SetMyLocaleInput", {
  description: "The language to write mail to you in.",
  fields: (t) => ({ locale: t.field({ type: LocaleEnum, required: true, description: "ZH_CN or EN." }) }),
});

const SetMyLocalePayload = payloadType<{ user?: UserSummary | null; userErrors: UserErrorEntry[] }>(
  "SetMyLocalePayload",
  (t) => ({
    user: t.field({
      type: UserRef,
      nullable: true,
      description: "Your account, with its language.",
      resolve: (p) => p.user ?? null,
    }),
  }),
);

interface LoginResult {
  token?: string | null;
  viewer?: Viewer | null;
  userErrors: UserErrorEntry[];
}

const LoginPayload = payloadType<LoginResult>(
  "LoginPayload",
  (t) => ({
    token: t.string({
      nullable: true,
      description: "Send as `Authorization: Bearer <token>`.",
      resolve: (p) => p.token ?? null,
    }),
    viewer: t.field({
      type: ViewerRef,
      nullable: true,
      description: "Who is now signed in; null when refused.",
      resolve: (p) => p.viewer ?? null,
    }),
  }),
  "The result of login or acceptInvite: a session token and its viewer, or userErrors.",
);

const InviteUserPayload = payloadType<{ inviteToken?: string | null; userErrors: UserErrorEntry[] }>(
  "InviteUserPayload",
  (t) => ({
    inviteToken: t.string({
      nullable: true,
      description: "Give this to the invitee (by email or message); it is shown only once.",
      resolve: (p) => p.inviteToken ?? null,
    }),
  }),
  "The result of inviteUser: the invitation token, or userErrors.",
);

builder.queryFields((t) => ({
  me: t.field({
    type: ViewerRef,
    nullable: true,
    description: "Who is signed in (the bearer token's session): account, roles, profile; null when not signed in.",
    resolve: (_r, _a, ctx) => ctx.permissions.viewer,
  }),
}));

const GrantCityStaffInput = builder.inputType("GrantCityStaffInput", {
  description: "An account to make city investment staff (CITY_STAFF, 市招商部门), or to take that role from.",
  fields: (t) => ({
    userId: t.globalID({ for: UserRef, required: true, description: "The account." }),
    granted: t.boolean({ required: true, description: "false takes the role away." }),
  }),
});

interface GrantCityStaffPayloadShape {
  userId?: string | null;
  userErrors: UserErrorEntry[];
}
const GrantCityStaffPayload = payloadType<GrantCityStaffPayloadShape>("GrantCityStaffPayload", (t) => ({
  user: t.field({
    type: UserRef,
    nullable: true,
    description: "The account changed (absent on userErrors).",
    resolve: (p) => p.userId ?? null,
  }),
}));

builder.mutationFields((t) => ({
  grantCityStaff: t.field({
    type: GrantCityStaffPayload,
    description:
      "Federation staff make an account city investment staff (CITY_STAFF), or take that away. userErrors: " +
      "NOT_FOUND (userId).",
    args: {
      input: t.arg({
        type: GrantCityStaffInput,
        required: true,
        description: "The request; each field is described on its type.",
      }),
    },
    resolve: (_root, { input }, ctx) =>
      withUserErrors(() => grantCityStaff(ctx, { userId: input.userId.id, granted: input.granted })),
  }),
}));

builder.mutationFields((t) => ({
  login: t.field({
    type: LoginPayload,
    description:
      "Anyone: sign in with email and password. A wrong pair is INVALID (the same for an unknown email). After too " +
      "many failures for an account or address every attempt is a RATE_LIMITED GraphQL error for a while.",
    args: {
      input: t.arg({
        type: LoginInput,
        required: true,
        description: "The request; each field is described on its type.",
      }),
    },
    resolve: (_r, { input }, ctx) =>
      withUserErrors(async () => {
        // refused before the password is even checked once the account or address has failed too often
        await ctx.loginThrottle.assertAllowed(input.email, ctx.clientAddress);
        let token: string;
        try {
          ({ token } = await login(ctx.db, ctx.settings, input));
        } catch (error) {
          if (error instanceof UserInputError) await ctx.loginThrottle.failed(input.email, ctx.clientAddress);
          throw error;
        }
        await ctx.loginThrottle.succeeded(input.email);
        return { token, viewer: await resolveViewer(ctx.db, token) };
      }),
  }),
  logout: t.boolean({
    description: "Revokes the session of the bearer token used. False when there was none.",
    resolve: (_r, _a, ctx) => logout(ctx.db, ctx.events, ctx.token),
  }),
  inviteUser: t.field({
    type: InviteUserPayload,
    description:
      "Secretaries invite to their own chamber; federation staff to any. " +
      "MEMBER invites admit the invitee as an active member. The invitation (with its code) is mailed to the " +
      "invitee once it is saved. userErrors: INVALID (email, displayName), NOT_FOUND (chamber), CONFLICT " +
      "(already a secretary there).",
    args: {
      input: t.arg({
        type: InviteUserInput,
        required: true,
        description: "The request; each field is described on its type.",
      }),
    },
    resolve: (_r, { input }, ctx) =>
      withUserErrors(async () => {
        const { inviteToken } = await inviteUser(ctx, {
          ...input,
          chamberId: input.chamberId.id,
          role: input.role as ChamberRoleKind,
        });
        return { inviteToken };
      }),
  }),
  setMyLocale: t.field({
    type: SetMyLocalePayload,
    description:
      "The language mail to you is written in (invitations, referral notices, dues reminders): your account's " +
      "and your directory profile's.",
    args: {
      input: t.arg({
        type: SetMyLocaleInput,
        required: true,
        description: "The request; each field is described on its type.",
      }),
    },
    resolve: (_r, { input }, ctx) =>
      withUserErrors(async () => {
        await setMyLocale(ctx, { locale: input.locale });
        const [user] = await usersByIds(ctx, [ctx.permissions.requireViewer().userId]);
        return { user };
      }),
  }),
  acceptInvite: t.field({
    type: LoginPayload,
    description:
      "The invitee accepts an invitation (once, before it expires) with a new password, or their password if the " +
      "email already has an account, and is signed in. userErrors: INVALID (password), NOT_FOUND (unknown, used " +
      "or expired token), CONFLICT (accepted meanwhile).",
    args: {
      input: t.arg({
        type: AcceptInviteInput,
        required: true,
        description: "The request; each field is described on its type.",
      }),
    },
    resolve: (_r, { input }, ctx) =>
      withUserErrors(async () => {
        // the invitation's token is the right to it: nobody's scope reaches the invite before it is redeemed
        const { token } = await asSystem(() => acceptInvite(ctx.db, ctx.settings, input));
        return { token, viewer: await resolveViewer(ctx.db, token) };
      }),
  }),
}));
