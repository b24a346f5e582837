// Messages in the reader's language (issue 14): `Accept-Language` over HTTP, `connectionParams.locale` over a
// WebSocket choose zh-CN or en for every userErrors message and every coded error; codes and paths never change.
import {
  createTestApi,
  globalId,
  seed,
  startTestServer,
  type TestApi,
  type TestServer,
  testServerDefaults,
} from "@wz/testkit";
import type { Client } from "graphql-ws";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ApiServer, createApiServer } from "./server";

const LOGIN = `mutation ($input: LoginInput!) { login(input: $input) { token userErrors { field code message } } }`;
const WRONG = { input: { email: "nobody@example.org", password: "not-the-password" } };
const ZH = { "accept-language": "zh-CN,zh;q=0.9,en;q=0.8" };
const EN = { "accept-language": "en-GB,en;q=0.9" };

describe("over HTTP, Accept-Language chooses the language", () => {
  let api: TestApi;
  let staffToken: string;
  let chamberId: string;
  beforeAll(async () => {
    api = await createTestApi();
    const s = seed(api.db.db);
    staffToken = (await s.federationStaff()).token;
    chamberId = globalId("Chamber", (await s.chamber({ name: "上海测试商会" })).id);
  });
  afterAll(() => api.close());

  it("userErrors: Chinese for zh-CN, English for en and when no language is asked for; the same code", async () => {
    const zh = (await api.gql(LOGIN, WRONG, null, ZH)).data?.login.userErrors;
    const en = (await api.gql(LOGIN, WRONG, null, EN)).data?.login.userErrors;
    const none = (await api.gql(LOGIN, WRONG)).data?.login.userErrors;
    expect(zh).toEqual([{ field: null, code: "INVALID", message: "邮箱或密码错误。" }]);
    expect(en).toEqual([{ field: null, code: "INVALID", message: "Wrong email or password." }]);
    expect(none).toEqual(en);
  });

  it("messages with values in Chinese, each at the same field with the same code", async () => {
    const update = `mutation ($input: UpdateChamberInput!) { updateChamber(input: $input) {
      userErrors { field code message } } }`;
    const input = { chamberId, slug: "Not A Slug", provinceCode: "99" };
    const zh = (await api.gql(update, { input }, staffToken, ZH)).data?.updateChamber.userErrors;
    const en = (await api.gql(update, { input }, staffToken, EN)).data?.updateChamber.userErrors;
    expect(zh.map((e: { code: string }) => e.code)).toEqual(en.map((e: { code: string }) => e.code));
    expect(zh.map((e: { field: string[] }) => e.field)).toEqual(en.map((e: { field: string[] }) => e.field));
    expect(zh.map((e: { message: string }) => e.message).sort()).toEqual([
      "“99”不是 31 个省级行政区代码之一。",
      "短名（slug）由小写字母、数字和单个连字符组成，最多 60 个字符。",
    ]);
    expect(en.map((e: { message: string }) => e.message).sort()).toEqual([
      '"99" is not one of the 31 province codes.',
      "A slug is lowercase letters, digits and single hyphens, at most 60 characters.",
    ]);
  });

  it("an input limit answered as userErrors (text hygiene) is in Chinese too", async () => {
    const bad = { input: { email: "a\u0000b@example.org", password: "x" } };
    const [zh] = (await api.gql(LOGIN, bad, null, ZH)).data?.login.userErrors ?? [];
    expect(zh).toMatchObject({
      field: ["input", "email"],
      code: "INVALID",
      message: "含有控制字符（如 NUL），请删除。",
    });
  });

  it("coded errors (UNAUTHENTICATED, BAD_USER_INPUT, QUERY_TOO_COMPLEX) keep their extensions", async () => {
    const audit = `{ auditLog(first: 5) { totalCount } }`;
    const [zhAuth] = (await api.gql(audit, {}, null, ZH)).errors ?? [];
    const [enAuth] = (await api.gql(audit, {}, null, EN)).errors ?? [];
    expect(zhAuth).toMatchObject({ message: "请先登录。", extensions: { code: "UNAUTHENTICATED" } });
    expect(enAuth).toMatchObject({ message: "Sign in to do this.", extensions: { code: "UNAUTHENTICATED" } });
    // the language is no extension of its own
    expect(Object.keys(zhAuth?.extensions ?? {})).toEqual(["code"]);

    const badDate = `query ($from: Date) { auditLog(first: 5, filter: { from: $from }) { totalCount } }`;
    const [zhDate] = (await api.gql(badDate, { from: "2014-13-01" }, staffToken, ZH)).errors ?? [];
    const [enDate] = (await api.gql(badDate, { from: "2014-13-01" }, staffToken, EN)).errors ?? [];
    expect(zhDate?.message).toMatch(/^输入值无效：Variable "\$from" got invalid value/);
    expect(enDate?.message).toMatch(/^Variable "\$from" got invalid value/);
    expect(zhDate?.extensions).toEqual(enDate?.extensions);
    expect(zhDate?.extensions).toMatchObject({ code: "BAD_USER_INPUT", argumentPath: ["filter", "from"] });

    // graphql-js's own refusals: its words, after a lead-in in the reader's language; English as graphql-js says
    const [zhSyntax] = (await api.gql(`{ chambers(first: 1) { totalCount `, {}, null, ZH)).errors ?? [];
    expect(zhSyntax).toMatchObject({ message: expect.stringMatching(/^查询语法错误：Syntax Error/) });
    expect(zhSyntax?.extensions).toEqual({ code: "GRAPHQL_PARSE_FAILED" });
    const [zhField] = (await api.gql(`{ nope }`, {}, null, ZH)).errors ?? [];
    expect(zhField?.message).toMatch(/^查询与接口不符：Cannot query field "nope"/);
    const [enField] = (await api.gql(`{ nope }`, {}, null, EN)).errors ?? [];
    expect(enField?.message).toMatch(/^Cannot query field "nope"/);

    const page = `{ chambers(first: 200) { totalCount } }`;
    const [zhPage] = (await api.gql(page, {}, null, ZH)).errors ?? [];
    expect(zhPage?.message).toBe("参数 first：每页最多 100 条（收到 200）；请用 after 翻页。");
    expect(zhPage?.extensions).toMatchObject({ code: "BAD_USER_INPUT", argumentPath: ["first"] });

    const deep = `{ chambers(first: 100) { edges { node { members(first: 100) { edges { node { id } } } } } } }`;
    const [zhCost] = (await api.gql(deep, {}, staffToken, ZH)).errors ?? [];
    expect(zhCost?.extensions).toMatchObject({ code: "QUERY_TOO_COMPLEX" });
    expect(zhCost?.message).toMatch(/^此查询的开销约为 [\d,]+（上限 10,000）/);
  });
});

describe("over a WebSocket, connectionParams.locale chooses the language", () => {
  let harness: TestServer<ApiServer>;
  let zhSocket: Client;
  let enSocket: Client;
  beforeAll(async () => {
    harness = await startTestServer((db) => createApiServer({ ...testServerDefaults, database: db }));
    const staff = await seed(harness.database.db).federationStaff();
    zhSocket = harness.connect(staff.token, undefined, { locale: "zh-CN" });
    enSocket = harness.connect(staff.token, undefined, { locale: "en" });
  });
  afterAll(() => harness?.close());

  type Errors = { message: string; extensions?: Record<string, unknown> }[];
  /** The operation's data and errors, whether the errors come as a result or as graphql-ws's `error` message. */
  const run = (socket: Client, query: string, variables: Record<string, unknown> = {}) =>
    new Promise<{ data?: Record<string, unknown> | null; errors: Errors }>((resolve, reject) => {
      let data: Record<string, unknown> | null | undefined;
      let errors: Errors = [];
      socket.subscribe(
        { query, variables },
        {
          next: (result) => {
            data = result.data as Record<string, unknown> | null | undefined;
            errors = [...errors, ...((result.errors ?? []) as Errors)];
          },
          error: (error) => (Array.isArray(error) ? resolve({ errors: error as Errors }) : reject(error)),
          complete: () => resolve({ data, errors }),
        },
      );
    });

  it("userErrors of a mutation", async () => {
    const zh = await run(zhSocket, LOGIN, WRONG);
    const en = await run(enSocket, LOGIN, WRONG);
    expect((zh.data?.login as { userErrors: unknown[] } | undefined)?.userErrors).toEqual([
      { field: null, code: "INVALID", message: "邮箱或密码错误。" },
    ]);
    expect((en.data?.login as { userErrors: unknown[] } | undefined)?.userErrors).toEqual([
      { field: null, code: "INVALID", message: "Wrong email or password." },
    ]);
  });

  it("coded errors of a result and of a refused subscription", async () => {
    const badDate = `query ($from: Date) { auditLog(first: 5, filter: { from: $from }) { totalCount } }`;
    const [zhDate] = (await run(zhSocket, badDate, { from: "2014-13-01" })).errors;
    expect(zhDate?.message).toMatch(/^输入值无效：/);
    expect(zhDate?.extensions).toMatchObject({ code: "BAD_USER_INPUT", argumentPath: ["filter", "from"] });
    // graphql-ws sends validation errors as its `error` message: those are worded too
    const refused = (await run(zhSocket, `subscription { leadPosted(filter: { kinds: [NOPE] }) { id } }`)).errors;
    expect(refused[0]?.message).toMatch(/^输入值无效：/);
    expect(refused[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", argumentPath: ["filter", "kinds", "0"] });
    const english = (await run(enSocket, `subscription { leadPosted(filter: { kinds: [NOPE] }) { id } }`)).errors;
    expect(english[0]?.message).toMatch(/^Value "NOPE" does not exist/);
  });
});
