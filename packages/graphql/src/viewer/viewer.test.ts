import { createFederationAdmin, hashToken } from "@wz/core";
import { sessionTable } from "@wz/db";
import { createTestApi, globalId, seed, type TestApi } from "@wz/testkit";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const LOGIN = `mutation ($email: String!, $password: String!) {
  login(input: { email: $email, password: $password }) {
    token viewer { isFederationStaff user { email } } userErrors { field message code }
  }
}`;
const ME = `{ me { isFederationStaff user { email } chamberRoles { role chamber { name } } } }`;

let api: TestApi;
beforeAll(async () => {
  api = await createTestApi();
  await createFederationAdmin(api.db.db, {
    email: "Admin@Example.org",
    password: "correct horse battery",
    displayName: "Admin",
  });
});
afterAll(() => api.close());

describe("sign-in", () => {
  it("signs in with the right password, case-insensitively by email, and `me` then answers", async () => {
    const { login } = await api.data(LOGIN, { email: "admin@example.ORG", password: "correct horse battery" });
    expect(login.userErrors).toEqual([]);
    expect(login.token).toMatch(/^[\w-]{40,}$/);
    expect(login.viewer).toEqual({ isFederationStaff: true, user: { email: "admin@example.org" } });
    const { me } = await api.data(ME, {}, login.token);
    expect(me.user.email).toBe("admin@example.org");
    expect(me.isFederationStaff).toBe(true);
  });

  it("stores only a hash of the session token", async () => {
    const { login } = await api.data(LOGIN, { email: "admin@example.org", password: "correct horse battery" });
    const rows = await api.db.db
      .select()
      .from(sessionTable)
      .where(eq(sessionTable.tokenHash, hashToken(login.token)));
    expect(rows).toHaveLength(1);
    const all = await api.db.db.select({ h: sessionTable.tokenHash }).from(sessionTable);
    expect(all.map((r) => r.h)).not.toContain(login.token);
  });

  it("refuses a wrong password and an unknown email with the same message", async () => {
    const wrong = await api.data(LOGIN, { email: "admin@example.org", password: "wrong password!" });
    const unknown = await api.data(LOGIN, { email: "nobody@example.org", password: "correct horse battery" });
    expect(wrong.login.token).toBeNull();
    expect(wrong.login.userErrors).toEqual([{ field: null, message: "Wrong email or password.", code: "INVALID" }]);
    expect(unknown.login.userErrors).toEqual(wrong.login.userErrors);
  });

  it("treats an expired token as signed out", async () => {
    const s = seed(api.db.db);
    const user = await s.user({ expiresInMs: 60_000 });
    expect((await api.data(ME, {}, user.token)).me).not.toBeNull();
    await api.db.db
      .update(sessionTable)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(sessionTable.tokenHash, hashToken(user.token)));
    expect((await api.data(ME, {}, user.token)).me).toBeNull();
  });

  it("logout revokes the session; the token no longer works", async () => {
    const { login } = await api.data(LOGIN, { email: "admin@example.org", password: "correct horse battery" });
    expect((await api.data(`mutation { logout }`, {}, login.token)).logout).toBe(true);
    expect((await api.data(ME, {}, login.token)).me).toBeNull();
    expect((await api.data(`mutation { logout }`, {}, login.token)).logout).toBe(false);
    const denied = await api.gql(
      `mutation { createChamber(input: { kind: OVERSEAS, name: "x", countryCode: "IT", slug: "x" }) { chamber { id } }
        }`,
      {},
      login.token,
    );
    expect(denied.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
  });

  it("ignores a malformed Authorization header rather than failing", async () => {
    const response = await api.app.fetch("http://test/graphql", {
      method: "POST",
      headers: { "content-type": "application/json", authorization: "Basic abc" },
      body: JSON.stringify({ query: ME }),
    });
    expect(await response.json()).toEqual({ data: { me: null } });
  });
});

const INVITE = `mutation ($input: InviteUserInput!) { inviteUser(input: $input) { inviteToken userErrors { field message
  code } } }`;
const ACCEPT = `mutation ($token: String!, $password: String!) {
  acceptInvite(input: { token: $token, password: $password }) { token viewer { user { email } chamberRoles { role
    chamber { name } } } userErrors { field message code } }
}`;

describe("invitations", () => {
  it("a secretary invites a member who accepts, signs in and is an active member of that chamber", async () => {
    const s = seed(api.db.db);
    const chamber = await s.chamber({ name: "苏州温州商会" });
    const secretary = await chamber.secretary();
    const { inviteUser } = await api.data(
      INVITE,
      {
        input: {
          email: "New.Member@example.com",
          displayName: "新会员",
          chamberId: globalId("Chamber", chamber.id),
          role: "MEMBER",
        },
      },
      secretary.token,
    );
    expect(inviteUser.userErrors).toEqual([]);
    const { acceptInvite } = await api.data(ACCEPT, {
      token: inviteUser.inviteToken,
      password: "a long enough password",
    });
    expect(acceptInvite.userErrors).toEqual([]);
    expect(acceptInvite.viewer.user.email).toBe("new.member@example.com");
    expect(acceptInvite.viewer.chamberRoles).toEqual([{ role: "MEMBER", chamber: { name: "苏州温州商会" } }]);
    const again = await api.data(LOGIN, { email: "new.member@example.com", password: "a long enough password" });
    expect(again.login.token).toBeTruthy();
    // an invitation is used once
    const reuse = await api.data(ACCEPT, { token: inviteUser.inviteToken, password: "a long enough password" });
    expect(reuse.acceptInvite.userErrors[0].code).toBe("NOT_FOUND");
  });

  it("federation staff invite a secretary, who then holds the SECRETARY role", async () => {
    const s = seed(api.db.db);
    const chamber = await s.chamber({ name: "昆明温州商会" });
    const staff = await s.federationStaff();
    const { inviteUser } = await api.data(
      INVITE,
      {
        input: {
          email: "sec@kunming.example.org",
          displayName: "秘书长",
          chamberId: globalId("Chamber", chamber.id),
          role: "SECRETARY",
        },
      },
      staff.token,
    );
    const { acceptInvite } = await api.data(ACCEPT, {
      token: inviteUser.inviteToken,
      password: "another long password",
    });
    expect(acceptInvite.viewer.chamberRoles).toEqual([{ role: "SECRETARY", chamber: { name: "昆明温州商会" } }]);
  });

  it("refuses bad input with field errors and creates nothing", async () => {
    const s = seed(api.db.db);
    const chamber = await s.chamber();
    const secretary = await chamber.secretary();
    const { inviteUser } = await api.data(
      INVITE,
      {
        input: { email: "not-an-email", displayName: " ", chamberId: globalId("Chamber", chamber.id), role: "MEMBER" },
      },
      secretary.token,
    );
    expect(inviteUser.inviteToken).toBeNull();
    expect(inviteUser.userErrors.map((e: { field: string[] }) => e.field.join("."))).toEqual([
      "input.email",
      "input.displayName",
    ]);
    const { inviteUser: ok } = await api.data(
      INVITE,
      {
        input: {
          email: "short@example.com",
          displayName: "短",
          chamberId: globalId("Chamber", chamber.id),
          role: "MEMBER",
        },
      },
      secretary.token,
    );
    const { acceptInvite } = await api.data(ACCEPT, { token: ok.inviteToken, password: "short" });
    expect(acceptInvite.userErrors).toEqual([
      { field: ["input", "password"], message: "Password must be at least 10 characters.", code: "INVALID" },
    ]);
    expect((await api.data(LOGIN, { email: "short@example.com", password: "short" })).login.token).toBeNull();
  });

  it("a secretary cannot invite into another chamber; a member cannot invite; anonymous must sign in", async () => {
    const s = seed(api.db.db);
    const shanghai = await s.chamber({ name: "上海" });
    const shenzhen = await s.chamber({ name: "深圳" });
    const shenzhenSecretary = await shenzhen.secretary();
    const member = await shanghai.member();
    const input = {
      email: "x@example.com",
      displayName: "X",
      chamberId: globalId("Chamber", shanghai.id),
      role: "SECRETARY",
    };
    const foreign = await api.gql(INVITE, { input }, shenzhenSecretary.token);
    expect(foreign.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    const byMember = await api.gql(INVITE, { input: { ...input, role: "MEMBER" } }, member.user.token);
    expect(byMember.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    const anonymous = await api.gql(INVITE, { input });
    expect(anonymous.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
  });

  it("an unknown or malformed chamber id is NOT_FOUND for a secretary too; another's chamber FORBIDDEN", async () => {
    const s = seed(api.db.db);
    const secretary = await (await s.chamber({ name: "温州" })).secretary();
    const invite = (chamberId: string) => {
      const input = { email: "y@example.com", displayName: "Y", chamberId, role: "MEMBER" };
      return api.gql(INVITE, { input }, secretary.token);
    };
    const notFound = [{ field: ["input", "chamberId"], message: "No such chamber.", code: "NOT_FOUND" }];
    const unknown = globalId("Chamber", "00000000-0000-4000-8000-000000000000");
    for (const chamberId of [unknown, globalId("Chamber", "nope")]) {
      const result = await invite(chamberId);
      expect(result.errors).toBeUndefined();
      expect(result.data?.inviteUser).toEqual({ inviteToken: null, userErrors: notFound });
    }
    const other = await s.chamber({ name: "杭州" });
    expect((await invite(globalId("Chamber", other.id))).errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
  });
});

describe("accounts as nodes", () => {
  it("a User node is its owner's and federation staff's; anyone else reads null, like a missing one", async () => {
    const s = seed(api.db.db);
    const owner = await s.user();
    const other = await s.user();
    const staff = await s.federationStaff();
    const q = `query ($ids: [ID!]!) { nodes(ids: $ids) { ... on User { email } } }`;
    const ids = [globalId("User", owner.id), globalId("User", "00000000-0000-4000-8000-000000000000")];
    expect((await api.data(q, { ids }, owner.token)).nodes).toEqual([{ email: owner.email }, null]);
    expect((await api.data(q, { ids }, staff.token)).nodes).toEqual([{ email: owner.email }, null]);
    expect((await api.data(q, { ids }, other.token)).nodes).toEqual([null, null]);
    expect((await api.data(q, { ids })).nodes).toEqual([null, null]);
  });
});
