// End-to-end: the console in headless Chromium against the real server with the demo data. Skipped, with the
// reason, where /usr/bin/chromium is not installed. Screenshots go to apps/console/test-artifacts/.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { globalId, seed } from "@wz/testkit";
import ExcelJS from "exceljs";
import iconv from "iconv-lite";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { consoleDist } from "../../../api/src/console";
import {
  type ApiClient,
  apiClient,
  artifacts,
  axeViolations,
  chromiumPath,
  type Harness,
  haveChromium,
  password,
  pick,
  screenshot,
  signIn,
  startHarness,
  untrustedDocuments,
} from "./harness";

const accounts = [
  { email: "admin@example.org", name: "总会管理员 Admin", nav: ["名录", "商机", "会员", "组建", "回归项目"] },
  {
    email: "secretary@shanghai.example.org",
    name: "上海商会秘书长",
    nav: ["名录", "商机", "会员", "回归项目"],
    not: ["组建"],
  },
  {
    email: "secretary@shenzhen.example.org",
    name: "深圳商会秘书长",
    nav: ["名录", "商机", "会员", "回归项目"],
    not: ["组建"],
  },
  {
    email: "city@example.org",
    name: "市招商局 City investment",
    nav: ["名录", "商机", "回归项目"],
    not: ["会员", "组建"],
  },
  { email: "member@shanghai.example.org", name: "陈一新", nav: ["名录", "商机"], not: ["会员", "组建", "回归项目"] },
];

const figures: Record<string, unknown> = {};

/**
 * Starts recording every text the page's progress indicator (`.wz-action-progress`) shows, from now on; the
 * returned function gives them. A quick action may show it for one frame only, so it is observed, not polled.
 */
async function recordProgress(page: Page): Promise<() => Promise<string[]>> {
  await page.evaluate(() => {
    const seen: string[] = [];
    (window as unknown as { wzProgress: string[] }).wzProgress = seen;
    new MutationObserver(() => {
      for (const el of document.querySelectorAll(".wz-action-progress")) {
        const text = el.textContent ?? "";
        if (seen.at(-1) !== text) seen.push(text);
      }
    }).observe(document.body, { subtree: true, childList: true, characterData: true });
  });
  return () => page.evaluate(() => (window as unknown as { wzProgress: string[] }).wzProgress);
}

/** Visible text of the page with Chinese characters in it, other than `allowed` (data without an English form). */
async function chineseLeft(page: Page, allowed: RegExp[] = []): Promise<string[]> {
  const texts = await page.evaluate(() => {
    const out: string[] = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const el = node.parentElement;
      if (!el?.checkVisibility()) continue;
      if (/\p{Script=Han}/u.test(node.textContent ?? "")) out.push((node.textContent ?? "").trim());
    }
    for (const el of document.querySelectorAll("[aria-label],[placeholder],[title]"))
      for (const attribute of ["aria-label", "placeholder", "title"]) {
        const value = el.getAttribute(attribute) ?? "";
        if (/\p{Script=Han}/u.test(value) && (el as HTMLElement).checkVisibility()) out.push(value);
      }
    return out;
  });
  return texts.filter((text) => !allowed.some((re) => re.test(text)));
}

// Generous: the machine may be loaded; every wait is for a condition, never a fixed sleep.
const T = 120_000;

if (!haveChromium) {
  describe("console in a browser", () => {
    it.skip(`skipped: ${chromiumPath} is not installed (apt-get install -y chromium)`, () => {});
  });
} else {
  describe("console in a browser", () => {
    let h: Harness;
    let base: string;
    let api: ApiClient["api"];
    let token: ApiClient["token"];

    beforeAll(async () => {
      h = await startHarness();
      base = h.server.base;
      ({ api, token } = apiClient(base));
    }, 240_000);

    afterAll(async () => {
      await h?.close();
      writeFileSync(join(artifacts, "figures.json"), `${JSON.stringify(figures, null, 2)}\n`);
    }, T);

    it(
      "loads cold, then signs each demo account in and out, offering each only its pages",
      async () => {
        const { page } = await h.page();
        const assets: string[] = [];
        page.on("request", (request) => {
          const path = new URL(request.url()).pathname;
          if (path.startsWith("/assets/")) assets.push(path);
        });
        const started = Date.now();
        await page.goto(`${base}/`);
        await page.getByRole("button", { name: "登录" }).waitFor();
        figures.coldTimeToInteractiveMs = Date.now() - started;
        // what the sign-in page loads (index.html and its assets), each gzipped as the server sends it
        const files = ["index.html", ...new Set(assets.map((path) => path.slice(1)))];
        figures.firstPageFiles = files;
        figures.firstPageGzipBytes = files.reduce(
          (sum, file) => sum + gzipSync(readFileSync(join(consoleDist, file))).length,
          0,
        );
        expect(await axeViolations(page)).toEqual([]);
        await screenshot(page, "sign-in");
        for (const account of accounts) {
          await signIn(page, base, account.email, account.name);
          const nav = page.getByRole("navigation", { name: "导航" });
          for (const link of account.nav) await nav.getByRole("link", { name: link, exact: true }).waitFor();
          for (const link of account.not ?? [])
            expect(await nav.getByRole("link", { name: link, exact: true }).count()).toBe(0);
          await page.getByRole("button", { name: "退出" }).click();
          await page.getByLabel("邮箱").waitFor();
        }
      },
      T,
    );

    it(
      "switches language, remembers it, and switches back; the API's own messages follow the language",
      async () => {
        const { page } = await h.page();
        await page.goto(`${base}/`);
        // the server's message for a refused sign-in, as the API words it for each language
        await page.getByLabel("邮箱").fill("member@shanghai.example.org");
        await page.getByLabel("密码").fill("not-the-password");
        await page.getByRole("button", { name: "登录" }).click();
        await page.getByText("邮箱或密码错误。").waitFor();
        await page.getByRole("button", { name: "English" }).click();
        await page.getByLabel("Email").fill("member@shanghai.example.org");
        await page.getByLabel("Password").fill("not-the-password");
        await page.getByRole("button", { name: "Sign in" }).click();
        await page.getByText("Wrong email or password.").waitFor();
        await page.getByLabel("Password").fill(password);
        await page.getByRole("button", { name: "Sign in" }).click();
        const nav = page.getByRole("navigation", { name: "Navigation" });
        await nav.getByRole("link", { name: "Directory" }).waitFor();
        await nav.getByRole("link", { name: "Leads" }).waitFor();
        await page.getByRole("searchbox", { name: "Search" }).waitFor();
        await page.reload();
        await page.getByRole("searchbox", { name: "Search" }).waitFor();
        await screenshot(page, "directory-en");
        await page.getByRole("button", { name: "中文" }).click();
        await page.getByRole("searchbox", { name: "搜索" }).waitFor();
        await page.getByRole("navigation", { name: "导航" }).getByRole("link", { name: "名录" }).waitFor();
        expect(await page.getByText("Directory", { exact: true }).count()).toBe(0);
        // signed in, the switch is the account's language too: mail to them is written in it
        const member = await token("member@shanghai.example.org");
        const accountLocale = async () =>
          (await api<{ me: { user: { locale: string } } }>("{ me { user { locale } } }", {}, member)).me.user.locale;
        await page.getByRole("button", { name: "English" }).click();
        await expect.poll(accountLocale, { timeout: 20_000 }).toBe("EN");
        await page.getByRole("button", { name: "中文" }).click();
        await expect.poll(accountLocale, { timeout: 20_000 }).toBe("ZH_CN");
      },
      T,
    );

    it(
      "a member searches cyx and opens 陈一新",
      async () => {
        const { page } = await h.page();
        await signIn(page, base, "member@shanghai.example.org", "陈一新");
        await page.getByRole("link", { name: "名录", exact: true }).click();
        await page.getByRole("searchbox", { name: "搜索" }).fill("cyx");
        const result = page.getByRole("main").getByRole("link", { name: /^陈一新/ });
        await result.first().waitFor();
        expect(await axeViolations(page)).toEqual([]);
        await screenshot(page, "directory");
        await result.first().click();
        await page.getByRole("heading", { name: "陈一新" }).waitFor();
        expect(await axeViolations(page)).toEqual([]);
        await screenshot(page, "merchant");
        await page.goto(`${base}/merchants/TWVyY2hhbnQ6MDAwMDAwMDAtMDAwMC0wMDAwLTAwMDAtMDAwMDAwMDAwMDAw`);
        await page.getByText("未找到").waitFor();
      },
      T,
    );

    it(
      "at phone width the directory is usable",
      async () => {
        const { page } = await h.page({ width: 390, height: 844 });
        await signIn(page, base, "member@shanghai.example.org", "陈一新");
        await page.getByRole("searchbox", { name: "搜索" }).fill("陈");
        await page.getByRole("main").getByRole("link").first().waitFor();
        const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        expect(await overflow()).toBeLessThanOrEqual(0);
        await screenshot(page, "directory-phone");
        // the navigation works at this width: to the leads and to one's own profile, and back to the directory
        const nav = page.getByRole("navigation", { name: "导航" });
        await nav.getByRole("link", { name: "商机", exact: true }).click();
        await page.getByText("实时", { exact: true }).waitFor();
        expect(await overflow()).toBeLessThanOrEqual(0);
        await screenshot(page, "leads-phone");
        await nav.getByRole("link", { name: "我的", exact: true }).click();
        await page.locator(".ant-card").filter({ hasText: "联系方式与可见范围" }).waitFor();
        expect(await overflow()).toBeLessThanOrEqual(0);
        await nav.getByRole("link", { name: "名录", exact: true }).click();
        await page.getByRole("searchbox", { name: "搜索" }).fill("cyx");
        await page
          .getByRole("main")
          .getByRole("link", { name: /^陈一新/ })
          .first()
          .click();
        await page.getByRole("heading", { name: "陈一新" }).waitFor();
        expect(await overflow()).toBeLessThanOrEqual(0);
      },
      T,
    );

    it(
      "a member posts a FEDERATION lead; a member of another chamber sees it appear live",
      async () => {
        // A member of the Shenzhen chamber, invited by federation staff.
        const admin = await token("admin@example.org");
        const shenzhen = (
          await api<{ chambers: { edges: { node: { id: string } }[] } }>(
            `{ chambers(first: 50, filter: { query: "深圳" }) { edges { node { id name } } } }`,
            {},
            admin,
          )
        ).chambers.edges[0]!.node.id;
        const invite = await api<{ inviteUser: { inviteToken: string } }>(
          `mutation($i: InviteUserInput!) { inviteUser(input: $i) { inviteToken userErrors { message } } }`,
          { i: { email: "member@shenzhen.example.org", displayName: "深圳会员", chamberId: shenzhen, role: "MEMBER" } },
          admin,
        );
        const accepted = await api<{ acceptInvite: { userErrors: { message: string }[] } }>(
          `mutation($i: AcceptInviteInput!) { acceptInvite(input: $i) { token userErrors { message } } }`,
          { i: { token: invite.inviteUser.inviteToken, password: "shenzhen-password" } },
        );
        expect(accepted.acceptInvite.userErrors).toEqual([]);

        const watcher = await h.page();
        await watcher.page.goto(`${base}/`);
        await watcher.page.getByLabel("邮箱").fill("member@shenzhen.example.org");
        await watcher.page.getByLabel("密码").fill("shenzhen-password");
        await watcher.page.getByRole("button", { name: "登录" }).click();
        await watcher.page.getByRole("link", { name: "商机", exact: true }).click();
        await watcher.page.getByText("实时", { exact: true }).waitFor();

        const poster = await h.page();
        await signIn(poster.page, base, "member@shanghai.example.org", "陈一新");
        await poster.page.getByRole("link", { name: "商机", exact: true }).click();
        await poster.page.getByRole("button", { name: "发布商机" }).click();
        const dialog = poster.page.getByRole("dialog");
        const title = `浙南光伏合作 ${Date.now()}`;
        await pick(poster.page, dialog, "类型", "合作");
        await dialog.getByText("全体会员").click();
        await dialog.getByLabel("标题").fill(title);
        await dialog.getByLabel("描述").fill("寻找屋顶光伏项目的合作伙伴。");
        await dialog.getByLabel("金额（元）").fill("5000000");
        await dialog.getByLabel("截止日期").fill("2030-12-31");
        expect(await axeViolations(poster.page)).toEqual([]);
        await screenshot(poster.page, "post-lead");
        const posted = Date.now();
        await dialog.getByRole("button", { name: "提交" }).click();
        await watcher.page.getByText(title).waitFor();
        figures.liveLeadMs = Date.now() - posted;
        await poster.page.getByText(title).waitFor();
        expect(await axeViolations(watcher.page)).toEqual([]);
        await screenshot(watcher.page, "leads-live");

        // The poster moves it along: closed won with its value.
        await poster.page.getByRole("link", { name: title }).click();
        const drawer = poster.page.getByRole("dialog");
        await pick(poster.page, drawer, "新状态", "已成交");
        await drawer.getByLabel("成交金额（元）").fill("4200000");
        await drawer.getByRole("button", { name: "保存" }).click();
        await drawer.getByText("¥4,200,000").waitFor();
        await screenshot(poster.page, "lead-detail");
      },
      T,
    );

    it(
      "federation staff advance a province; another staff member's dashboard changes live; targets are planned",
      async () => {
        // a second staff member with the dashboard open, who never reloads
        const watcher = await h.page();
        await signIn(watcher.page, base, "admin@example.org", "总会管理员 Admin");
        await watcher.page.getByRole("link", { name: "组建", exact: true }).click();
        await watcher.page.getByRole("status").filter({ hasText: "实时" }).waitFor();
        const watched = watcher.page.locator('[data-step="INITIATED"]');
        await watched.getByRole("heading").waitFor();

        const { page } = await h.page();
        await signIn(page, base, "admin@example.org", "总会管理员 Admin");
        await page.getByRole("link", { name: "组建", exact: true }).click();
        const initiated = page.locator('[data-step="INITIATED"]');
        await initiated.getByRole("heading").waitFor();
        expect(await initiated.getByRole("button", { name: /^山西省/ }).count()).toBe(0);
        expect(await watched.getByRole("button", { name: /^山西省/ }).count()).toBe(0);
        await page.locator(".echarts-for-react svg").first().waitFor();
        expect(await axeViolations(page)).toEqual([]);
        await screenshot(page, "formation");
        await page.getByRole("button", { name: /^山西省/ }).click();
        const drawer = page.getByRole("dialog");
        await drawer.getByText("尚未开始").waitFor();
        await drawer.getByLabel("备注").fill("发起人到位");
        const advanced = Date.now();
        await drawer.getByRole("button", { name: "推进" }).click();
        await watched.getByRole("button", { name: /^山西省/ }).waitFor();
        figures.liveFormationMs = Date.now() - advanced;
        await initiated.getByRole("button", { name: /^山西省/ }).waitFor();
        await drawer.getByText("发起人到位").waitFor();
        await screenshot(watcher.page, "formation-live");

        // target dates: out of step order is refused in the API's words, then a plan in order is kept, and
        // with its date passed the province reads behind schedule
        const plan = drawer.getByRole("form", { name: "目标日期" });
        await plan.getByLabel("筹备组成立").fill("2015-03-31");
        await plan.getByLabel("申请登记").fill("2015-02-28");
        await plan.getByRole("button", { name: "保存目标" }).click();
        await plan.getByRole("alert").filter({ hasText: "2015-02-28" }).waitFor();
        await plan.getByLabel("申请登记").fill("2015-04-30");
        await plan.getByRole("button", { name: "保存目标" }).click();
        await drawer.getByText("下一步目标：筹备组成立 2015-03-31").waitFor();
        await initiated.getByRole("button", { name: /^山西省.*进度落后/ }).waitFor();
        expect(await axeViolations(page)).toEqual([]);
        await screenshot(page, "formation-province");
      },
      T,
    );

    it(
      "federation staff see possible duplicates with why, merge one profile into the other, and read the audit log",
      async () => {
        const chamber = await seed(h.server.database.db).chamber({ name: "台州温州商会" });
        const kept = await chamber.member({ name: "林重复", mobile: "13911112222", email: "lin@example.com" });
        const folded = await chamber.member({ name: "林重複", mobile: "13911112222", email: "LIN@example.com" });
        const { page } = await h.page();
        await signIn(page, base, "admin@example.org", "总会管理员 Admin");
        await page.getByRole("link", { name: "重复档案", exact: true }).click();
        const pair = page.locator(".ant-card").filter({ hasText: "林重复" }).filter({ hasText: "林重複" });
        await pair.getByText("手机号相同").waitFor();
        await pair.getByText("邮箱相同").waitFor();
        expect(await axeViolations(page)).toEqual([]);
        await screenshot(page, "duplicates");
        const keep = pair.locator(".ant-col").filter({ hasText: "林重复" });
        await keep.getByRole("button", { name: "保留这份，并入另一份" }).click();
        await page.locator(".ant-popover:visible").getByRole("button", { name: "合并" }).click();
        await page.getByText("已合并到“林重复”").waitFor();
        await pair.waitFor({ state: "detached" });
        // the folded profile's id now reads as the kept one; its membership was folded into the kept one's
        const admin = await token("admin@example.org");
        const read = await api<{ node: { id: string; name: string } }>(
          `query($id: ID!) { node(id: $id) { ... on Merchant { id name } } }`,
          { id: globalId("Merchant", folded.merchantId) },
          admin,
        );
        expect(read.node).toEqual({ id: globalId("Merchant", kept.merchantId), name: "林重复" });
        await page.getByRole("link", { name: "审计日志", exact: true }).click();
        await page.getByRole("table").getByRole("cell").first().waitFor();
        expect(await axeViolations(page)).toEqual([]);
        await screenshot(page, "audit");
      },
      T,
    );

    it(
      "in English no Chinese label is left: sign-in, the formation dashboard, possible duplicates",
      async () => {
        const { page } = await h.page({ locale: "en-US" });
        await page.goto(`${base}/`);
        await page.getByRole("button", { name: "English" }).click();
        await page.getByRole("button", { name: "Sign in" }).waitFor();
        expect(await chineseLeft(page, [/^中文$/])).toEqual([]);
        await page.getByLabel("Email").fill("admin@example.org");
        await page.getByLabel("Password").fill(password);
        await page.getByRole("button", { name: "Sign in" }).click();
        const nav = page.getByRole("navigation", { name: "Navigation" });
        await nav.getByRole("link", { name: "Formation", exact: true }).click();
        await page.locator(".echarts-for-react svg").first().waitFor();
        await page
          .getByRole("button", { name: /^Shanxi/ })
          .first()
          .waitFor();
        // the account's display name is data, not a label
        const allowed = [/^中文$/, /^总会管理员 Admin$/];
        expect(await chineseLeft(page, allowed)).toEqual([]);
        await screenshot(page, "formation-en");
        await nav.getByRole("link", { name: "Duplicates", exact: true }).click();
        await page.getByRole("heading", { name: "Possible duplicate profiles" }).waitFor();
        await page
          .getByRole("navigation", { name: "Possible duplicate profiles" })
          .or(page.locator(".ant-empty"))
          .first()
          .waitFor();
        expect(await chineseLeft(page, allowed)).toEqual([]);
      },
      T,
    );

    it(
      "federation staff create a chamber (each refusal at its field) and rename it; the tree shows it",
      async () => {
        const { page } = await h.page();
        await signIn(page, base, "admin@example.org", "总会管理员 Admin");
        await page.getByRole("link", { name: "商会", exact: true }).click();
        await page.getByRole("button", { name: "新建商会" }).click();
        const dialog = page.getByRole("dialog");
        await dialog.getByLabel("名称", { exact: true }).fill("嘉兴市温州商会");
        await dialog.getByLabel("短名（slug）").fill("Not A Slug");
        await dialog.getByRole("button", { name: "保存" }).click();
        // the API's own words, at the fields they belong to: no province, a slug of the wrong form
        await dialog.getByText("地市级商会须填写省份代码。").waitFor();
        await dialog.getByText("短名（slug）由小写字母、数字和单个连字符组成，最多 60 个字符。").waitFor();
        // 31 provinces: the list is virtual, so type to narrow it, as a person would
        await dialog.getByLabel("所在省份").fill("浙江");
        await page
          .locator(".ant-select-dropdown:visible .ant-select-item-option")
          .filter({ hasText: "浙江省" })
          .click();
        await dialog.getByLabel("所在城市").fill("嘉兴市");
        await dialog.getByLabel("短名（slug）").fill("jiaxing-wenzhou");
        await dialog.getByRole("button", { name: "保存" }).click();
        const tree = page.locator(".ant-tree");
        await tree.getByText(/^嘉兴市温州商会 \[市级\]/).waitFor();
        await page.getByRole("button", { name: "编辑 嘉兴市温州商会" }).click();
        await page.getByRole("dialog").getByLabel("名称", { exact: true }).fill("嘉兴温州商会");
        await page.getByRole("dialog").getByRole("button", { name: "保存" }).click();
        await tree.getByText(/^嘉兴温州商会 \[市级\]/).waitFor();
        expect(await axeViolations(page)).toEqual([]);
        await screenshot(page, "chambers");
      },
      T,
    );

    it(
      "the Shenzhen secretary opening a Shanghai member's page sees not found",
      async () => {
        const shanghai = await token("secretary@shanghai.example.org");
        const me = await api<{ me: { chamberRoles: { chamber: { id: string } }[] } }>(
          `{ me { chamberRoles { chamber { id } } } }`,
          {},
          shanghai,
        );
        const chamberId = me.me.chamberRoles[0]!.chamber.id;
        const members = await api<{ node: { members: { edges: { node: { id: string } }[] } } }>(
          `query($id: ID!) { node(id: $id) { ... on Chamber { members(first: 1) { edges { node { id } } } } } }`,
          { id: chamberId },
          shanghai,
        );
        const membershipId = members.node.members.edges[0]!.node.id;
        const { page } = await h.page();
        await signIn(page, base, "secretary@shanghai.example.org", "上海商会秘书长");
        await page.goto(`${base}/memberships/${encodeURIComponent(membershipId)}`);
        await page.getByRole("heading", { level: 1 }).waitFor();
        expect(await page.getByText("未找到").count()).toBe(0);
        // the chamber's own secretary suspends the membership (a reason is required) and reinstates it
        const statusForm = page.getByRole("form", { name: "变更状态" });
        await statusForm.getByRole("button", { name: "变更状态" }).click();
        await statusForm.getByText("理由为必填项。").waitFor();
        await statusForm.getByLabel("变更理由").fill("会费争议，暂停待核");
        await statusForm.getByRole("button", { name: "变更状态" }).click();
        const facts = page.locator(".ant-descriptions");
        await facts.getByText("暂停", { exact: true }).waitFor();
        await facts.getByText("会费争议，暂停待核").waitFor();
        await pick(page, statusForm, "新状态", "有效");
        await statusForm.getByLabel("变更理由").fill("已核清");
        await statusForm.getByRole("button", { name: "变更状态" }).click();
        await facts.getByText("有效", { exact: true }).waitFor();
        expect(await axeViolations(page)).toEqual([]);
        await screenshot(page, "membership");
        await page.getByRole("button", { name: "退出" }).click();
        await page.getByLabel("邮箱").waitFor();
        await signIn(page, base, "secretary@shenzhen.example.org", "深圳商会秘书长");
        await page.goto(`${base}/memberships/${encodeURIComponent(membershipId)}`);
        await page.getByText("未找到").waitFor();
        await screenshot(page, "not-found");
      },
      T,
    );

    it(
      "a secretary uploads a GB18030 CSV with a title row: the dry run shows how each column was read and each " +
        "bad cell by line and column, then the good rows are imported",
      async () => {
        const { page } = await h.page();
        await signIn(page, base, "secretary@shanghai.example.org", "上海商会秘书长");
        await page.getByRole("link", { name: "会员", exact: true }).click();
        await page.getByRole("table").getByRole("link").first().waitFor();
        expect(await axeViolations(page)).toEqual([]);
        await screenshot(page, "members");
        await page.getByRole("tab", { name: "导入" }).click();
        // as Excel on a Chinese Windows saves it: GB18030, a title row above the header row
        const csv =
          "上海市温州商会会员名单（2014年5月）,,,\r\n序号,姓名,联系电话,邮箱\r\n" +
          "1,导入测试甲,13900000001,jia@example.com\r\n2,导入测试乙,13900000002,not-an-email\r\n";
        await page
          .locator('input[type="file"]')
          .setInputFiles({ name: "会员名单.csv", mimeType: "text/csv", buffer: iconv.encode(csv, "gb18030") });
        await page.getByRole("button", { name: "试运行" }).click();
        const mapping = page.locator(".ant-table-wrapper").filter({ hasText: "各列的读取方式" });
        await mapping.getByText("表头在第 2 行").waitFor();
        await mapping.getByText("文字编码：GB18030").waitFor();
        const read = await mapping
          .locator("tbody tr")
          .evaluateAll((rows) => rows.map((r) => [...r.querySelectorAll("td")].map((td) => td.textContent)));
        expect(read).toEqual([
          ["序号", "忽略"],
          ["姓名", "姓名"],
          ["联系电话", "手机"],
          ["邮箱", "邮箱"],
        ]);
        const errors = page.locator(".ant-table-wrapper").filter({ hasText: "错误（按行和列）" });
        await errors.getByRole("cell", { name: "邮箱", exact: true }).waitFor();
        const cells = await errors.locator("tbody tr").first().getByRole("cell").allTextContents();
        // the API's own words, in the console's language
        expect(cells).toEqual(["4", "邮箱", "“not-an-email”不是有效的邮箱地址。"]);
        expect(await axeViolations(page)).toEqual([]);
        await screenshot(page, "import-dry-run");
        await page.getByRole("button", { name: "正式导入" }).click();
        // the import's own result, not the dry run's (which says 新建 1 too)
        await page.getByRole("status").filter({ hasText: "新建 1" }).filter({ hasNotText: "试运行" }).waitFor();
        await page.getByRole("tab", { name: "会员列表" }).click();
        await page.getByRole("tabpanel").getByRole("searchbox").fill("导入测试甲");
        await page.getByRole("table").getByRole("link", { name: "导入测试甲" }).waitFor();
        // the fee schedule: a level's annual fee is saved and read back
        await page.getByRole("tab", { name: "会费标准" }).click();
        await page.getByRole("spinbutton", { name: "理事年费", exact: true }).fill("3000");
        await page.getByRole("tabpanel").getByRole("button", { name: "保存" }).click();
        await page.getByText("会费标准已保存").waitFor();
        await page.reload();
        await page.getByRole("tab", { name: "会费标准" }).click();
        expect(await page.getByRole("spinbutton", { name: "理事年费", exact: true }).inputValue()).toBe("3000.00");
      },
      T,
    );

    it(
      "a secretary uploads an xlsx with bad rows, sees each error at its line and column, imports the good rows " +
        "and finds them in the table; import and export show their progress",
      async () => {
        const { page } = await h.page();
        await signIn(page, base, "secretary@shanghai.example.org", "上海商会秘书长");
        await page.getByRole("link", { name: "会员", exact: true }).click();
        await page.getByRole("tab", { name: "导入" }).click();
        const workbook = new ExcelJS.Workbook();
        const sheet = workbook.addWorksheet("会员");
        sheet.addRow(["姓名", "手机", "邮箱", "会内职务"]);
        sheet.addRow(["表格导入甲", "13900000021", "biao-jia@example.com", "理事"]);
        sheet.addRow(["表格导入乙", "12345", "biao-yi@example.com", "会员"]);
        sheet.addRow(["表格导入丙", "13900000023", "not-an-email", "会员"]);
        sheet.addRow(["表格导入丁", "13900000024", "biao-ding@example.com", "会员"]);
        await page.locator('input[type="file"]').setInputFiles({
          name: "会员名单.xlsx",
          mimeType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
          buffer: Buffer.from(await workbook.xlsx.writeBuffer()),
        });
        const progress = await recordProgress(page);
        await page.getByRole("button", { name: "试运行" }).click();
        const mapping = page.locator(".ant-table-wrapper").filter({ hasText: "各列的读取方式" });
        await mapping.getByText("工作表：会员").waitFor();
        const errors = page.locator(".ant-table-wrapper").filter({ hasText: "错误（按行和列）" });
        await errors.locator("tbody tr").nth(1).waitFor();
        const rows = await errors
          .locator("tbody tr")
          .evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll("td")].map((td) => td.textContent)));
        expect(rows).toEqual([
          ["3", "手机", "“12345”不是手机号：请填写 13–19 开头的 11 位数字，或以 + 开头的国际号码。"],
          ["4", "邮箱", "“not-an-email”不是有效的邮箱地址。"],
        ]);
        await page.getByText(/试运行.*新建 2.*出错 2/).waitFor();
        // the stepped progress was shown: uploading (with its bytes), then checking
        const shown = await progress();
        expect(shown.some((text) => text.includes("上传文件"))).toBe(true);
        expect(shown.some((text) => /检查每一行… 已用 \d+ 秒/.test(text))).toBe(true);
        expect(await axeViolations(page)).toEqual([]);
        await screenshot(page, "import-xlsx-dry-run");
        // fixes nothing: the good rows go in, the bad ones are listed again
        await page.getByRole("button", { name: "正式导入" }).click();
        await page.getByText(/^共 4 行：新建 2.*出错 2/).waitFor();
        expect((await progress()).some((text) => text.includes("导入… 已用"))).toBe(true);
        await page.getByRole("tab", { name: "会员列表" }).click();
        const search = page.getByRole("tabpanel").getByRole("searchbox");
        await search.fill("表格导入");
        const table = page.getByRole("tabpanel").getByRole("table");
        await table.getByRole("link", { name: "表格导入甲" }).waitFor();
        await table.getByRole("link", { name: "表格导入丁" }).waitFor();
        expect(await table.getByRole("link", { name: /表格导入[乙丙]/ }).count()).toBe(0);

        // export: its progress, then the file itself, with the imported rows in it
        await page.getByRole("tab", { name: "导出" }).click();
        const exporting = await recordProgress(page);
        const downloaded = page.waitForEvent("download");
        await page.getByRole("button", { name: "导出 xlsx" }).click();
        const file = await (await downloaded).path();
        expect((await exporting()).some((text) => /生成文件… 已用 \d+ 秒/.test(text))).toBe(true);
        const exported = new ExcelJS.Workbook();
        await exported.xlsx.readFile(file);
        const names: string[] = [];
        exported.worksheets[0]!.eachRow((row) => names.push(JSON.stringify(row.values)));
        expect(names.some((row) => row.includes("表格导入甲"))).toBe(true);
        expect(names.some((row) => row.includes("表格导入乙"))).toBe(false);
        await page.getByText(/已导出 \d+ 行/).waitFor();
      },
      T,
    );

    it(
      "a member answers a chamber's proposal and sets who sees each contact field, on their own profile",
      async () => {
        // The Shenzhen secretariat proposes 陈一新 (a Shanghai member) as a member of Shenzhen.
        const member = await token("member@shanghai.example.org");
        const shenzhen = await token("secretary@shenzhen.example.org");
        const me = await api<{ me: { merchant: { id: string } } }>("{ me { merchant { id } } }", {}, member);
        const roles = await api<{ me: { chamberRoles: { chamber: { id: string } }[] } }>(
          "{ me { chamberRoles { chamber { id } } } }",
          {},
          shenzhen,
        );
        const proposed = await api<{ applyForMembership: { userErrors: unknown[] } }>(
          `mutation ($input: ApplyForMembershipInput!) {
            applyForMembership(input: $input) { userErrors { message } } }`,
          { input: { chamberId: roles.me.chamberRoles[0]!.chamber.id, merchantId: me.me.merchant.id } },
          shenzhen,
        );
        expect(proposed.applyForMembership.userErrors).toEqual([]);

        const { page } = await h.page();
        await signIn(page, base, "member@shanghai.example.org", "陈一新");
        await page.getByRole("navigation", { name: "导航" }).getByRole("link", { name: "我的", exact: true }).click();
        const proposals = page.locator(".ant-card").filter({ hasText: "待您确认的入会邀请" });
        await proposals.getByText(/深圳/).waitFor();
        expect(await axeViolations(page)).toEqual([]);
        await screenshot(page, "profile");
        await proposals.getByRole("button", { name: "接受" }).click();
        await page.getByText("已加入该商会").waitFor();
        await proposals.waitFor({ state: "detached" });
        await page
          .locator(".ant-tag")
          .filter({ hasText: /深圳.*会员.*ACTIVE|深圳.*正常|深圳/ })
          .first()
          .waitFor();

        // Who sees the WeChat ID: PRIVATE in the demo, now members of his chambers.
        const contact = page.locator(".ant-card").filter({ hasText: "联系方式与可见范围" });
        await pick(page, contact, "微信谁可见", "同一商会的会员");
        await contact.getByRole("button", { name: "保存" }).click();
        await page.getByText("已保存").waitFor();
        const after = await api<{
          me: { merchant: { contactVisibility: { wechat: string } }; membershipProposals: unknown[] };
        }>("{ me { merchant { contactVisibility { wechat } } membershipProposals { id } } }", {}, member);
        expect(after.me).toEqual({ merchant: { contactVisibility: { wechat: "CHAMBER" } }, membershipProposals: [] });
      },
      T,
    );

    it(
      "city staff read the speech's figures on 回归项目 at 2014-04-30; a secretary sees only their chamber's projects",
      async () => {
        const { page } = await h.page();
        await signIn(page, base, "city@example.org", "市招商局 City investment");
        await page
          .getByRole("navigation", { name: "导航" })
          .getByRole("link", { name: "回归项目", exact: true })
          .click();
        await page.getByRole("heading", { name: "温商回归项目" }).waitFor();
        await page.getByLabel("年度").fill("2014");
        await page.getByLabel("截至").fill("2014-04-30");
        await page.getByText("198.75 亿元").waitFor();
        await page.getByText("24.84").first().waitFor();
        await page.getByRole("cell", { name: "+14.9%" }).waitFor();
        await page.getByRole("cell", { name: "瓯江口新区智能装备产业园" }).waitFor();
        expect(await axeViolations(page)).toEqual([]);
        await screenshot(page, "return-investment");

        const secretary = await h.page();
        await signIn(secretary.page, base, "secretary@shenzhen.example.org", "深圳商会秘书长");
        await secretary.page.getByRole("link", { name: "回归项目", exact: true }).click();
        await secretary.page.getByRole("cell", { name: "浙南科技城研发总部" }).waitFor();
        expect(await secretary.page.getByText("鹿城中央商务区综合体").count()).toBe(0);
        expect(await secretary.page.getByLabel("年度").count()).toBe(0);
      },
      T,
    );

    it(
      "city staff create a project, see an arrival above the pledge refused at its field, then the progress move",
      async () => {
        const { page } = await h.page();
        await signIn(page, base, "city@example.org", "市招商局 City investment");
        await page.getByRole("link", { name: "回归项目", exact: true }).click();
        await page.getByLabel("年度").fill("2014");
        await page.getByLabel("截至").fill("2014-04-30");
        await page.getByText("198.75 亿元").waitFor();

        const create = page.getByRole("form", { name: "新建项目" });
        await create.getByLabel("项目").fill("瓯海眼镜产业回归项目");
        await pick(page, create, "落地", "鹿城区");
        await create.getByLabel("协议投资（元）").fill("200000000");
        await create.getByLabel("推介日期").fill("2014-01-10");
        // a long list (virtual: only the first options are rendered): type to find the chamber
        await create.getByRole("combobox", { name: "引荐商会" }).fill("上海市");
        await page
          .locator(".ant-select-dropdown:visible .ant-select-item-option")
          .filter({ hasText: "上海市温州商会" })
          .first()
          .click();
        await create.getByRole("button", { name: "新建项目" }).click();
        const row = page.getByRole("row").filter({ hasText: "瓯海眼镜产业回归项目" });
        await row.waitFor();
        await row.getByRole("button", { name: "登记变更" }).click();

        const stage = page.getByRole("form", { name: "变更阶段" });
        for (const [to, on] of [
          ["在谈", "2014-01-20"],
          ["签约", "2014-02-01"],
        ] as const) {
          await pick(page, stage, "新阶段", to);
          await stage.getByLabel("日期").fill(on);
          await stage.getByRole("button", { name: "变更阶段" }).click();
          await row.getByText(to, { exact: true }).waitFor();
        }

        // above the pledge: refused, the message at the amount, in Chinese; nothing arrives
        const arrival = page.getByRole("form", { name: "登记到位资金" });
        await arrival.getByLabel("金额（元）").fill("300000000");
        await arrival.getByLabel("到位日期").fill("2014-04-15");
        await arrival.getByRole("button", { name: "登记到位资金" }).click();
        const amountItem = arrival.locator(".ant-form-item").filter({ has: page.getByLabel("金额（元）") });
        await amountItem.getByText(/超过协议投资 200000000\.00/).waitFor();
        await screenshot(page, "return-investment-arrival-refused");
        expect(await page.getByText("198.75 亿元").count()).toBe(1);

        // within the pledge: the year's figures move by one 亿
        await arrival.getByLabel("金额（元）").fill("100000000");
        await arrival.getByLabel("到位日期").fill("2014-04-15");
        await arrival.getByRole("button", { name: "登记到位资金" }).click();
        await page.getByText("199.75 亿元").waitFor();
        await row.getByRole("cell", { name: "1.00", exact: true }).waitFor();
        expect(await axeViolations(page)).toEqual([]);
        await screenshot(page, "return-investment-arrival");
      },
      T,
    );

    it("sends only the documents it was built with", () => {
      expect(h.sent.size).toBeGreaterThan(5);
      expect(untrustedDocuments(h)).toEqual([]);
    });
  });
}
