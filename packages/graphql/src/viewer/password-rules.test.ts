// A password of ten spaces, tabs or NULs is as guessable as none: refused on the password's field, and the
// invitation stays unused.
import { createTestApi, globalId, seed, type TestApi } from "@wz/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

let api: TestApi;
beforeAll(async () => {
  api = await createTestApi();
});
afterAll(() => api.close());

const INVITE = `mutation ($input: InviteUserInput!) { inviteUser(input: $input) { inviteToken userErrors { message } }
  }`;
const ACCEPT = `mutation ($token: String!, $password: String!) {
  acceptInvite(input: { token: $token, password: $password }) { token userErrors { field message code } } }`;

describe("password rules", () => {
  it.each([
    ["ten spaces", " ".repeat(10)],
    ["tabs and spaces", "\t \t \t \t \t "],
    ["ten NULs", "\u0000".repeat(10)],
  ])("refuses %s, and the invitation can still be accepted with a real password", async (_label, password) => {
    const chamber = await seed(api.db.db).chamber();
    const secretary = await chamber.secretary();
    const email = `p${Math.random().toString(36).slice(2)}@example.com`;
    const input = { email, displayName: "新会员", chamberId: globalId("Chamber", chamber.id), role: "MEMBER" };
    const { inviteUser } = await api.data(INVITE, { input }, secretary.token);
    expect(inviteUser.userErrors).toEqual([]);
    const refused = (await api.data(ACCEPT, { token: inviteUser.inviteToken, password })).acceptInvite;
    expect(refused.token).toBeNull();
    expect(refused.userErrors).toEqual([
      { field: ["input", "password"], message: expect.any(String), code: "INVALID" },
    ]);
    const accepted = (await api.data(ACCEPT, { token: inviteUser.inviteToken, password: "正确的密码 correct" }))
      .acceptInvite;
    expect(accepted.userErrors).toEqual([]);
    expect(accepted.token).toBeTruthy();
  });
});
