// The console in headless Chromium (Debian's, driven by playwright-core) against the real server on a fresh
// database with the demo data. Records every GraphQL document the pages send (HTTP and WebSocket).

import { mkdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { seedDemoData } from "@wz/core/demo";
import { chromiumArgs, chromiumPath, startTestServer, type TestServer, testServerDefaults } from "@wz/testkit";
import { type Browser, type BrowserContext, chromium, type Locator, type Page } from "playwright-core";
import { consoleDist, createConsoleHandler, ensureConsoleBuilt } from "../../../api/src/console";
import { type ApiServer, createApiServer } from "../../../api/src/server";

export { chromiumPath, haveChromium } from "@wz/testkit";
export const artifacts = fileURLToPath(new URL("../../test-artifacts/", import.meta.url));
export const password = "demo-password";

const stderrLog = {
  info: (_: object, msg: string) => process.stderr.write(`[console] ${msg}\n`),
  warn: (_: object, msg: string) => process.stderr.write(`[console] ${msg}\n`),
  error: (obj: object, msg: string) => process.stderr.write(`[console] ${msg} ${JSON.stringify(obj)}\n`),
};

export interface Harness {
  server: TestServer<ApiServer>;
  browser: Browser;
  /** Every document text the console sent. */
  sent: Set<string>;
  page(options?: {
    width?: number;
    height?: number;
    locale?: string;
  }): Promise<{ context: BrowserContext; page: Page }>;
  close(): Promise<void>;
}

export async function startHarness(): Promise<Harness> {
  mkdirSync(artifacts, { recursive: true });
  await ensureConsoleBuilt(stderrLog);
  const server = await startTestServer((database) =>
    createApiServer({ ...testServerDefaults, database, console: createConsoleHandler() }),
  );
  await seedDemoData(server.database.db);
  // Playwright gives every launch a fresh, temporary user-data dir of its own.
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    args: chromiumArgs,
  });
  const sent = new Set<string>();
  const contexts: BrowserContext[] = [];
  return {
    server,
    browser,
    sent,
    page: async (options = {}) => {
      const context = await browser.newContext({
        viewport: { width: options.width ?? 1280, height: options.height ?? 860 },
        locale: options.locale ?? "zh-CN",
        reducedMotion: "reduce",
      });
      context.setDefaultTimeout(45_000);
      contexts.push(context);
      const page = await context.newPage();
      page.on("request", (request) => {
        if (!request.url().endsWith("/graphql") || request.method() !== "POST") return;
        // a file upload is a GraphQL multipart request: its document is in the "operations" part
        const multipart = (request.headers()["content-type"] ?? "").startsWith("multipart/form-data");
        const operations = multipart
          ? /name="operations"\r\n\r\n([^\r]*)\r\n/.exec(request.postDataBuffer()?.toString("utf8") ?? "")?.[1]
          : undefined;
        const body = (multipart ? JSON.parse(operations ?? "null") : request.postDataJSON()) as {
          query?: string;
        } | null;
        if (body?.query) sent.add(body.query);
      });
      page.on("websocket", (socket) =>
        socket.on("framesent", (frame) => {
          const message = JSON.parse(String(frame.payload)) as { type: string; payload?: { query?: string } };
          if (message.type === "subscribe" && message.payload?.query) sent.add(message.payload.query);
        }),
      );
      return { context, page };
    },
    close: async () => {
      for (const context of contexts) await context.close().catch(() => {});
      await browser.close().catch(() => {});
      await server.close();
    },
  };
}

/** Signs in through the form and waits for the viewer's name in the header. */
export async function signIn(page: Page, base: string, email: string, displayName: string): Promise<void> {
  await page.goto(`${base}/`);
  await page.getByLabel("邮箱").fill(email);
  await page.getByLabel("密码").fill(password);
  await page.getByRole("button", { name: "登录" }).click();
  await page.locator(".wz-name", { hasText: displayName }).waitFor();
}

const axeSource = createRequire(import.meta.url).resolve("axe-core/axe.min.js");

/** axe-core in the page: the serious and critical violations (id and offending selectors). */
export async function axeViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ path: axeSource });
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(root: Document, options: object): Promise<AxeResult> } }).axe;
    interface AxeResult {
      violations: { id: string; impact: string | null; nodes: { target: string[] }[] }[];
    }
    const result = await axe.run(document, { resultTypes: ["violations"] });
    return result.violations
      .filter((v) => v.impact === "serious" || v.impact === "critical")
      .map(
        (v) =>
          `${v.id}: ${v.nodes
            .map((n) => n.target.join(" "))
            .slice(0, 5)
            .join(", ")}`,
      );
  });
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(artifacts, `${name}.png`), fullPage: true });
}

/** Chooses an option of the antd Select labelled `label` (its listbox is a portal under <body>). */
export async function pick(page: Page, scope: Locator, label: string, option: string): Promise<void> {
  await scope
    .locator(".ant-select")
    .filter({ has: page.getByLabel(label) })
    .click();
  await page
    .locator(".ant-select-dropdown:visible .ant-select-item-option")
    .filter({ hasText: option })
    .first()
    .click();
}

export interface ApiClient {
  /** A GraphQL request to the server (as `token`'s account when given); fails on any GraphQL error. */
  api<T>(query: string, variables?: Record<string, unknown>, token?: string): Promise<T>;
  /** A session token for a demo account. */
  token(email: string): Promise<string>;
}

export function apiClient(base: string): ApiClient {
  const api = async <T>(query: string, variables: Record<string, unknown> = {}, token?: string): Promise<T> => {
    const response = await fetch(`${base}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json()) as { data: T; errors?: unknown };
    if (body.errors) throw new Error(JSON.stringify(body.errors));
    return body.data;
  };
  const token = async (email: string) =>
    (
      await api<{ login: { token: string } }>(`mutation($i: LoginInput!) { login(input: $i) { token } }`, {
        i: { email, password },
      })
    ).login.token;
  return { api, token };
}

/** Types `text` into the antd Select labelled `label` (a searched list) and chooses the option showing `option`. */
export async function searchPick(page: Page, scope: Locator, label: string, text: string, option: string) {
  const input = scope.getByRole("combobox", { name: label });
  const select = scope.locator(".ant-select").filter({ has: page.getByRole("combobox", { name: label }) });
  // a multiple select's input stays read-only until the select is opened
  await select.click();
  await input.fill(text);
  const choice = page.locator(".ant-select-dropdown:visible .ant-select-item-option").filter({ hasText: option });
  await choice.first().waitFor();
  // A list shown from the cache may be fetched again (a mutation made it stale): a click on an option the list is
  // about to replace is lost, so wait until the select no longer shows it is loading.
  await select.locator(".ant-select-arrow-loading").waitFor({ state: "detached" });
  await choice.first().click();
  // a multiple select stays open after a choice, over what lies below it
  await page.keyboard.press("Escape");
  await select.locator(".ant-select-selection-item").filter({ hasText: option }).first().waitFor();
}

/** The documents the console sent that its build's trusted-documents manifest does not hold (none, we expect). */
export function untrustedDocuments(h: Harness): string[] {
  const manifest = JSON.parse(readFileSync(join(consoleDist, "trusted-documents.json"), "utf8"));
  const trusted = new Set(Object.values(manifest as Record<string, string>));
  return [...h.sent].filter((query) => !trusted.has(query));
}
