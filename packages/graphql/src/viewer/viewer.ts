// Who is signed in: `me`, sign-in and sign-out, invitations.
import { acceptInvite, inviteUser, login, logout, resolveViewer, type Viewer } from "@wz/core";
import { chamberRoleKindEnum, userTable, type ChamberRoleKind } from "@wz/db";
import { builder } from "../builder";
import { ChamberRef } from "../chambers/chamber";
import { loadRowsByColumn, orderByKeys, validUuids } from "../common/load";
import { UserErrorRef, withUserErrors } from "../common/user-errors";

type UserShape = Pick<typeof userTable.$inferSelect, "id" | "email" | "displayName" | "isFederationStaff">;

export const ChamberRoleKindEnum = builder.enumType("ChamberRoleKind", { values: chamberRoleKindEnum.enumValues });

export const UserRef = builder.loadableNode("User", {
  description: "An account. Visible to its owner and to federation staff.",
  id: { resolve: (user: UserShape) => user.id },
  load: async (ids: string[], ctx) => {
    const rows = await loadRowsByColumn(ctx.db, userTable, userTable.id, validUuids(ids));
    const visible = rows.filter((u) => ctx.viewer && (ctx.viewer.userId === u.id || ctx.viewer.isFederationStaff));
    return orderByKeys(ids, visible, (u) => u.id);
  },
  sort: (u) => u.id,
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

const ViewerRef = builder.objectRef<Viewer>("Viewer").implement({
  description: "The signed-in user and what they are in each chamber.",
  fields: (t) => ({
    // The viewer always sees their own account: built from the resolved viewer, not through the node loader.
    user: t.field({
      type: UserRef,
      resolve: (v) => ({ id: v.userId, email: v.email, displayName: v.displayName, isFederationStaff: v.isFederationStaff }),
    }),
    isFederationStaff: t.exposeBoolean("isFederationStaff"),
    chamberRoles: t.field({
      type: [ChamberRoleRef],
      resolve: (v) => [
        ...[...v.secretaryOf].map((chamberId) => ({ chamberId, role: "SECRETARY" as const })),
        ...[...v.memberOf].map((chamberId) => ({ chamberId, role: "MEMBER" as const })),
      ],
    }),
    sessionExpiresAt: t.expose("sessionExpiresAt", { type: "DateTime" }),
  }),
});

const LoginInput = builder.inputType("LoginInput", {
  fields: (t) => ({ email: t.string({ required: true }), password: t.string({ required: true }) }),
});
const AcceptInviteInput = builder.inputType("AcceptInviteInput", {
  fields: (t) => ({
    token: t.string({ required: true }),
    password: t.string({ required: true, description: "At least 10 characters; for an existing account, its password." }),
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
  userErrors: { field: string[] | null; message: string; code: string }[];
}

const LoginPayload = builder.objectRef<LoginResult>("LoginPayload").implement({
  fields: (t) => ({
    token: t.string({ nullable: true, description: "Send as `Authorization: Bearer <token>`.", resolve: (p) => p.token ?? null }),
    viewer: t.field({ type: ViewerRef, nullable: true, resolve: (p) => p.viewer ?? null }),
    userErrors: t.field({ type: [UserErrorRef], resolve: (p) => p.userErrors as never }),
  }),
});

const InviteUserPayload = builder.objectRef<{ inviteToken?: string | null; userErrors: LoginResult["userErrors"] }>("InviteUserPayload").implement({
  fields: (t) => ({
    inviteToken: t.string({
      nullable: true,
      description: "Give this to the invitee (by email or message); it is shown only once.",
      resolve: (p) => p.inviteToken ?? null,
    }),
    userErrors: t.field({ type: [UserErrorRef], resolve: (p) => p.userErrors as never }),
  }),
});

builder.queryFields((t) => ({
  me: t.field({ type: ViewerRef, nullable: true, description: "Null when not signed in.", resolve: (_r, _a, ctx) => ctx.viewer }),
}));

builder.mutationFields((t) => ({
  login: t.field({
    type: LoginPayload,
    args: { input: t.arg({ type: LoginInput, required: true }) },
    resolve: (_r, { input }, ctx) =>
      withUserErrors(async () => {
        const { token } = await login(ctx.db, ctx.settings, input);
        return { token, viewer: await resolveViewer(ctx.db, token) };
      }),
  }),
  logout: t.boolean({
    description: "Revokes the session of the bearer token used. False when there was none.",
    resolve: (_r, _a, ctx) => logout(ctx.db, ctx.events, ctx.token),
  }),
  inviteUser: t.field({
    type: InviteUserPayload,
    description: "Secretaries invite to their own chamber; federation staff to any. MEMBER invites admit the invitee as an active member.",
    args: { input: t.arg({ type: InviteUserInput, required: true }) },
    resolve: (_r, { input }, ctx) =>
      withUserErrors(async () => {
        const { inviteToken } = await inviteUser(ctx, { ...input, chamberId: input.chamberId.id, role: input.role as ChamberRoleKind });
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
