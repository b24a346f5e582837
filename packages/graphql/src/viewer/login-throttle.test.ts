// Guessing passwords is braked: after too many failures an account (or an address) is refused, even with the
// right password, with a coded error that says when to retry; with Redis the count holds across instances.

import { once } from "node:events";
import { defaultCoreSettings } from "@wz/core";
import { createTestApi, globalId, seed, silentLogger, type TestApi } from "@wz/testkit";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLoginThrottle } from "../common/login-throttle";
import { createGraphQLApp, defaultQueryLimits, type GraphQLApp } from "../yoga";

let api: TestApi;
beforeAll(async () => {
  api = await createTestApi();
});
afterAll(() => api.close());

const INVITE = `mutation ($input: InviteUserInput!) {
  inviteUser(input: $input) { inviteToken userErrors { message } } }`;
const ACCEPT = `mutation ($token: String!, $password: String!) {
  acceptInvite(input: { token: $token, password: $password }) { token userErrors { message } } }`;
const LOGIN = `mutation ($email: String!, $password: String!) {
  login(input: { email: $email, password: $password }) { token userErrors { message } } }`;
const PASSWORD = "正确的密码 correct horse";

/** An account with a password, made the way people get one: invited, then accepted. */
async function account(): Promise<string> {
  const chamber = await seed(api.db.db).chamber();
  const secretary = await chamber.secretary();
  const email = `t${Math.random().toString(36).slice(2)}@example.com`;
  const input = { email, displayName: "会员", chamberId: globalId("Chamber", chamber.id), role: "MEMBER" };
  const { inviteUser } = await api.data(INVITE, { input }, secretary.token);
  const { acceptInvite } = await api.data(ACCEPT, { token: inviteUser.inviteToken, password: PASSWORD });
  expect(acceptInvite.userErrors).toEqual([]);
  return email;
}

async function login(app: GraphQLApp, email: string, password: string) {
  const response = await app.fetch("http://test/graphql", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ query: LOGIN, variables: { email, password } }),
  });
  return (await response.json()) as {
    data?: { login: { token: string | null; userErrors: unknown[] } } | null;
    errors?: { extensions?: { code?: string; retryAfterSeconds?: number } }[];
  };
}

const appWith = (throttle: ReturnType<typeof createLoginThrottle>) =>
  createGraphQLApp({
    db: api.db.db,
    logger: silentLogger,
    settings: defaultCoreSettings,
    production: false,
    limits: defaultQueryLimits,
    loginThrottle: throttle,
  });

describe("sign-in throttling", () => {
  it("after 10 wrong passwords the account is refused, the right password too, saying when to retry", async () => {
    const email = await account();
    const app = appWith(createLoginThrottle());
    for (let i = 0; i < 10; i++) {
      const wrong = await login(app, email, `wrong password ${i}`);
      expect(wrong.data?.login.userErrors, `attempt ${i + 1}`).toHaveLength(1);
    }
    const refused = await login(app, email, PASSWORD);
    expect(refused.errors?.[0]?.extensions?.code).toBe("RATE_LIMITED");
    expect(refused.errors?.[0]?.extensions?.retryAfterSeconds).toBeGreaterThan(60);
    // another account from the same address still signs in
    const other = await account();
    expect((await login(app, other, PASSWORD)).data?.login.token).toBeTruthy();
  });

  it("a right password before the limit clears the account's count", async () => {
    const email = await account();
    const app = appWith(createLoginThrottle());
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < 9; i++) expect((await login(app, email, "wrong")).data?.login.token).toBeNull();
      expect((await login(app, email, PASSWORD)).data?.login.token).toBeTruthy();
    }
  });

  const redisUrl = process.env.TEST_REDIS_URL;
  it.skipIf(!redisUrl)("with Redis the count holds across instances (needs TEST_REDIS_URL)", async () => {
    const email = await account();
    const clients = [new Redis(redisUrl!), new Redis(redisUrl!)];
    try {
      // until a client is ready each instance counts in its own memory (by design, while Redis is away): on a
      // loaded machine the first attempts came before the connections did, and neither instance saw ten
      await Promise.all(clients.map((c) => (c.status === "ready" ? undefined : once(c, "ready"))));
      const keyPrefix = `wz-test-${Math.random().toString(36).slice(2)}`;
      const [a, b] = clients.map((redis) => appWith(createLoginThrottle({ redis, keyPrefix }))) as [
        GraphQLApp,
        GraphQLApp,
      ];
      for (let i = 0; i < 10; i++) await login(i % 2 === 0 ? a : b, email, `wrong ${i}`);
      for (const app of [a, b])
        expect((await login(app, email, PASSWORD)).errors?.[0]?.extensions?.code).toBe("RATE_LIMITED");
    } finally {
      for (const c of clients) c.disconnect();
    }
  });
});
