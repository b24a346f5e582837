// GraphiQL in a real browser (Debian's headless Chromium) that may reach nothing but the test server: every
// other request is blocked and recorded, and the test signs in through GraphiQL and runs `me`.

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createFederationAdmin } from "@wz/core";
import {
  chromiumArgs,
  chromiumPath,
  haveChromium,
  startTestServer,
  type TestServer,
  testServerDefaults,
} from "@wz/testkit";
import { type BrowserContext, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ApiServer, createApiServer } from "./server";

let harness: TestServer<ApiServer>;
let context: BrowserContext;
let userDataDir: string;
const blocked: string[] = [];
const served: string[] = [];

describe.skipIf(!haveChromium)(`GraphiQL offline (needs ${chromiumPath}: apt-get install chromium)`, () => {
  beforeAll(async () => {
    harness = await startTestServer((database) => createApiServer({ ...testServerDefaults, database }));
    await createFederationAdmin(harness.database.db, {
      email: "admin@example.org",
      password: "demo-password",
      displayName: "Admin",
    });
    userDataDir = mkdtempSync(join(tmpdir(), "graphiql-chromium-"));
    context = await chromium.launchPersistentContext(userDataDir, { executablePath: chromiumPath, args: chromiumArgs });
    const origin = new URL(harness.base).origin;
    // The context's route sees the page's and its workers' requests alike.
    await context.route("**/*", (route) => {
      const url = route.request().url();
      if (new URL(url).origin === origin) {
        served.push(url);
        return route.continue();
      }
      blocked.push(url);
      return route.abort("blockedbyclient");
    });
  });

  afterAll(async () => {
    await context?.close();
    if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
    await harness?.close();
  });

  /** Monaco lays text out with non-breaking spaces. */
  const text = async (page: Page, selector: string) =>
    ((await page.locator(selector).first().textContent()) ?? "").replace(/\s/g, " ");

  async function runOperation(page: Page, name: string): Promise<string> {
    const response = page.waitForResponse(
      (r) => r.url().endsWith("/graphql") && !!r.request().postData()?.includes(`"operationName":"${name}"`),
    );
    await page.locator(".graphiql-execute-button").click();
    await page.getByRole("menuitem", { name }).click();
    return (await (await response).text()) as string;
  }

  it("loads every asset from the API, signs in with the example login and runs `me`", async () => {
    const page = context.pages()[0] ?? (await context.newPage());
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(error.message));
    await page.goto(`${harness.base}/graphql`);
    await expect.poll(() => text(page, ".graphiql-query-editor"), { timeout: 30_000 }).toContain("mutation Login");

    const login = JSON.parse(await runOperation(page, "Login")) as { data: { login: { token: string } } };
    const token = login.data.login.token;
    expect(token).toMatch(/^[\w-]{40,}$/);
    await expect.poll(() => text(page, ".graphiql-response"), { timeout: 15_000 }).toContain(token);

    await page.getByRole("button", { name: "Headers" }).click();
    const headers = ".graphiql-editor-tool .graphiql-editor:visible";
    await expect.poll(() => text(page, headers)).toContain("Bearer <token from login>");
    await page.locator(headers).first().click();
    await page.keyboard.press("ControlOrMeta+A");
    await page.keyboard.insertText(JSON.stringify({ Authorization: `Bearer ${token}` }));
    // the editor closes brackets and quotes as they are typed: drop what it added after the caret
    await page.keyboard.press("Shift+ControlOrMeta+End");
    await page.keyboard.press("Delete");

    const me = JSON.parse(await runOperation(page, "Me")) as { data: { me: unknown } };
    expect(me.data.me).toEqual({ isFederationStaff: true, user: { email: "admin@example.org" }, chamberRoles: [] });
    await expect.poll(() => text(page, ".graphiql-response"), { timeout: 15_000 }).toContain("admin@example.org");

    expect(blocked).toEqual([]);
    expect(errors).toEqual([]);
    expect(served.some((url) => url.includes("/graphql/graphiql/graphiql.js"))).toBe(true);
    expect(served.some((url) => /\.worker\.js$/.test(url))).toBe(true);
  }, 120_000);
});
