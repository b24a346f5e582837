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
  type UserErrorEntry,
  UserInputError,
  type UserSummary,
  usersByIds,
  type Viewer,
} from "@wz/core";
import { type ChamberRoleKind, chamberRoleKindEnum } from "@wz/db";
import { builder } from "../builder";
import { ChamberRef } from "../chambers/chamber";
import { payloadType, withUserErrors } from "../common/user-errors";

export const ChamberRoleKindEnum = builder.enumType("ChamberRoleKind", { values: chamberRoleKindEnum.enumValues });

export const UserRef = builder.loadableNode("User", {
  description: "An account. Visible to its owner and to federation staff.",
  id: { resolve: (user: UserSummary) => user.id },
  load: (ids: string[], ctx) => usersByIds(ctx, ids),
  fields: (t) => ({
    email: t.exposeString("email"),
    displayName: t.exposeString("displayName"),
    isFederationStaff: t.exposeBoolean("isFederationStaff"),
  }),
});

const ChamberRoleRef = builder.objectRef<{ chamberId: string; role: ChamberRoleKind }>("ChamberRole").implement({
  fields: (t) => ({
    chamber: t.field({ type: ChamberRef, resolve: (r) => r.chamberId }),
    role: t.expose("role", { type: ChamberRoleKindEnum }),
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
      resolve: (v) => {
        const { isFederationStaff } = roles(v);
        return { id: v.userId, email: v.email, displayName: v.displayName, isFederationStaff };
      },
    }),
    isFederationStaff: t.boolean({
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
    chamberRoles: t.field({ type: [ChamberRoleRef], resolve: (v) => roles(v).chamberRoles }),
    sessionExpiresAt: t.expose("sessionExpiresAt", { type: "DateTime" }),
  }),
});

const LoginInput = builder.inputType("LoginInput", {
  fields: (t) => ({ email: t.string({ required: true }), password: t.string({ required: true }) }),
});
const AcceptInviteInput = builder.inputType("AcceptInviteInput", {
  fields: (t) => ({
    token: t.string({ required: true }),
    password: t.string({
      required: true,
      description: "At least 10 characters; for an existing account, its password.",
    }),
  }),
});
const InviteUserInput = builder.inputType("InviteUserInput", {
  fields: (t) => ({
    email: t.string({ required: true }),
    displayName: t.string({ required: true }),
    chamberId: t.globalID({ for: ChamberRef, required: true }),
    role: t.field({ type: ChamberRoleKindEnum, required: true }),
  }),
});

interface LoginResult {
  token?: string | null;
  viewer?: Viewer | null;
  userErrors: UserErrorEntry[];
}

const LoginPayload = payloadType<LoginResult>("LoginPayload", (t) => ({
  token: t.string({
    nullable: true,
    description: "Send as `Authorization: Bearer <token>`.",
    resolve: (p) => p.token ?? null,
  }),
  viewer: t.field({ type: ViewerRef, nullable: true, resolve: (p) => p.viewer ?? null }),
}));

const InviteUserPayload = payloadType<{ inviteToken?: string | null; userErrors: UserErrorEntry[] }>(
  "InviteUserPayload",
  (t) => ({
    inviteToken: t.string({
      nullable: true,
      description: "Give this to the invitee (by email or message); it is shown only once.",
      resolve: (p) => p.inviteToken ?? null,
    }),
  }),
);

builder.queryFields((t) => ({
  me: t.field({
    type: ViewerRef,
    nullable: true,
    description: "Null when not signed in.",
    resolve: (_r, _a, ctx) => ctx.permissions.viewer,
  }),
}));

const GrantCityStaffInput = builder.inputType("GrantCityStaffInput", {
  fields: (t) => ({
    userId: t.globalID({ for: UserRef, required: true }),
    granted: t.boolean({ required: true, description: "false takes the role away." }),
  }),
});

interface GrantCityStaffPayloadShape {
  userId?: string | null;
  userErrors: UserErrorEntry[];
}
const GrantCityStaffPayload = payloadType<GrantCityStaffPayloadShape>("GrantCityStaffPayload", (t) => ({
  user: t.field({ type: UserRef, nullable: true, resolve: (p) => p.userId ?? null }),
}));

builder.mutationFields((t) => ({
  grantCityStaff: t.field({
    type: GrantCityStaffPayload,
    description: "Federation staff make an account city investment staff (CITY_STAFF), or take that away.",
    args: { input: t.arg({ type: GrantCityStaffInput, required: true }) },
    resolve: (_root, { input }, ctx) =>
      withUserErrors(() => grantCityStaff(ctx, { userId: input.userId.id, granted: input.granted })),
  }),
}));

builder.mutationFields((t) => ({
  login: t.field({
    type: LoginPayload,
    args: { input: t.arg({ type: LoginInput, required: true }) },
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
      "MEMBER invites admit the invitee as an active member.",
    args: { input: t.arg({ type: InviteUserInput, required: true }) },
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
  acceptInvite: t.field({
    type: LoginPayload,
    args: { input: t.arg({ type: AcceptInviteInput, required: true }) },
    resolve: (_r, { input }, ctx) =>
      withUserErrors(async () => {
        const { token } = await acceptInvite(ctx.db, ctx.settings, input);
        return { token, viewer: await resolveViewer(ctx.db, token) };
      }),
  }),
}));
