import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type ApiClient,
  apiClient,
  axeViolations,
  chromiumPath,
  type Harness,
  haveChromium,
  pick,
  screenshot,
  searchPick,
  signIn,
  startHarness,
  untrustedDocuments,
} from "./harness";

const T = 120_000;
const city = ["city@example.org", "市招商局 City investment"] as const;
const shanghai = ["secretary@shanghai.example.org", "上海商会秘书长"] as const;
const member = ["member@shanghai.example.org", "陈一新"] as const;
const thisYear = new Date(Date.now() + 8 * 3600_000).getUTCFullYear();

if (!haveChromium) {
  describe("city pages in a browser", () => {
    it.skip(`skipped: ${chromiumPath} is not installed (apt-get install -y chromium)`, () => {});
  });
} else {
  describe("city pages in a browser", () => {
    let h: Harness;
    let base: string;
    let client: ApiClient;

    beforeAll(async () => {
      h = await startHarness();
      base = h.server.base;
      client = apiClient(base);
    }, 240_000);

    afterAll(async () => {
      await h?.close();
    }, T);

    const open = async (account: readonly [string, string], link: string): Promise<Page> => {
      const { page } = await h.page();
      await signIn(page, base, account[0], account[1]);
      await page.getByRole("navigation", { name: "导航" }).getByRole("link", { name: link, exact: true }).click();
      return page;
    };

    it(
      "each role is offered only the pages it may use",
      async () => {
        const { page } = await h.page();
        const offers: [readonly [string, string], string[], string[]][] = [
          [city, ["回乡考察", "领头雁", "功勋人物"], ["活动"]],
          [shanghai, ["回乡考察", "活动", "功勋人物"], ["领头雁"]],
          [member, ["回乡考察", "活动"], ["领头雁", "功勋人物"]],
        ];
        for (const [account, shown, hidden] of offers) {
          await signIn(page, base, account[0], account[1]);
          const nav = page.getByRole("navigation", { name: "导航" });
          for (const link of shown) await nav.getByRole("link", { name: link, exact: true }).waitFor();
          for (const link of hidden) expect(await nav.getByRole("link", { name: link, exact: true }).count()).toBe(0);
          await page.getByRole("button", { name: "退出" }).click();
          await page.getByLabel("邮箱").waitFor();
        }
      },
      T,
    );

    it(
      "city staff plan a delegation (a refusal at its field), confirm it, record its results as DONE, and see it " +
        "in the month's activity",
      async () => {
        const page = await open(city, "回乡考察");
        await page.getByLabel("年份").fill("2014");
        const activity = page.locator(".ant-card").filter({ hasText: "2014 年每月考察团" });
        const june = activity.getByRole("row").filter({ hasText: "6 月" });
        // June 2014 had no delegation: under the goal of two
        await june.getByText("低于目标").waitFor();
        await june.getByRole("cell", { name: "0.00", exact: true }).waitFor();
        expect(await activity.getByRole("row").filter({ hasText: "7 月" }).getByText("低于目标").count()).toBe(0);

        const title = "上海温州商会六月回乡考察团（e2e）";
        const plan = page.getByRole("form", { name: "新建考察团" });
        await plan.getByLabel("考察团名称").fill(title);
        await plan.getByLabel("开始日期").fill("2014-06-10");
        await plan.getByLabel("结束日期").fill("2014-06-08");
        await searchPick(page, plan, "组团商会", "上海市", "上海市温州商会");
        await searchPick(page, plan, "参团温商", "陈一新", "陈一新");
        await plan.getByRole("button", { name: "添加考察点" }).click();
        await plan.getByLabel("地点").fill("瓯江口产业集聚区");
        await plan.getByLabel("企业").fill("温州瓯江口开发建设投资集团");
        await plan.getByRole("button", { name: "新建考察团" }).click();
        // the server's refusal, at the field it names; nothing planned
        const endsOn = plan.locator(".ant-form-item").filter({ has: page.getByLabel("结束日期") });
        await endsOn.getByText("考察团的结束日期不能早于开始日期。").waitFor();
        expect(await page.getByRole("row").filter({ hasText: title }).count()).toBe(0);

        await plan.getByLabel("结束日期").fill("2014-06-12");
        await plan.getByRole("button", { name: "新建考察团" }).click();
        const row = page.getByRole("row").filter({ hasText: title });
        await row.getByText("计划中").waitFor();
        await row.getByRole("button", { name: "详情与操作" }).click();
        await page.getByText("瓯江口产业集聚区 温州瓯江口开发建设投资集团").waitFor();

        await page.getByRole("form", { name: "确认成行" }).getByRole("button", { name: "确认成行" }).click();
        await row.getByText("已确认").waitFor();

        const complete = page.getByRole("form", { name: "登记成果并完成" });
        await complete.getByRole("button", { name: "添加框架协议" }).click();
        await complete.getByLabel("协议名称").fill("三年投资框架协议");
        await complete.getByLabel("协议金额（元）").fill("300000000");
        // a demo project still at 推介 signed on the delegation: its stage move, credited to the delegation
        expect(await page.getByTestId("month-6-signed").textContent()).toBe("0");
        await complete.getByRole("button", { name: "添加推进的项目" }).click();
        await pick(page, complete, "项目", "泰顺廊桥文化产业园");
        await complete.getByRole("button", { name: "登记成果并完成" }).click();
        await row.getByText("已完成").waitFor();
        // the month now counts it with its agreement, pledge and signed project; still under the goal of two
        await june.getByRole("cell", { name: "3.00", exact: true }).waitFor();
        await page.getByTestId("month-6-signed").filter({ hasText: /^1$/ }).waitFor();
        await june.getByText("低于目标").waitFor();
        expect(await page.getByTestId("month-6-count").textContent()).toBe("1");
        // (the pointer left on a link shows its hover colour, which axe would judge)
        await page.mouse.move(0, 0);
        expect(await axeViolations(page)).toEqual([]);
        await screenshot(page, "delegations");
      },
      T,
    );

    it(
      "city staff find the list full, untag a goose, tag another, and see the coverage change as they link and " +
        "contact it",
      async () => {
        const cityToken = await client.token(city[0]);
        const { merchants } = await client.api<{
          merchants: { edges: { node: { name: string; tags: string[]; companies: { name: string }[] } }[] };
        }>(`{ merchants(first: 100) { edges { node { name tags companies { name } } } } }`, {}, cityToken);
        const names = merchants.edges.map((e) => e.node.name);
        const newcomer = merchants.edges
          .map((e) => e.node)
          .find(
            (m) =>
              !m.tags.includes("LEADING_GOOSE") &&
              m.companies[0] &&
              names.filter((name) => name === m.name).length === 1,
          )!;
        const { leadingGooseCoverage } = await client.api<{
          leadingGooseCoverage: { leaders: { geese: number; leader: { displayName: string } }[] };
        }>(`{ leadingGooseCoverage { leaders { geese leader { displayName } } } }`, {}, cityToken);
        const leader = leadingGooseCoverage.leaders.find((l) => l.geese === 2)!.leader.displayName;

        const page = await open(city, "领头雁");
        const count = page.locator(".ant-statistic").filter({ hasText: "领头雁人数" });
        await count.getByText("100", { exact: true }).waitFor();

        const tag = page.getByRole("form", { name: "列为领头雁" });
        await searchPick(page, tag, "温商", newcomer.name, `${newcomer.name} · ${newcomer.companies[0]!.name}`);
        await tag.getByRole("button", { name: "列为领头雁" }).click();
        await tag.getByText("百名领头雁已满 100 名：请先移除一名再添加。").waitFor();
        await count.getByText("100", { exact: true }).waitFor();

        const list = page.locator(".ant-card").filter({ hasText: "领头雁名单" });
        await list.getByRole("row").nth(1).getByRole("button", { name: "移出领头雁" }).click();
        await count.getByText("99", { exact: true }).waitFor();

        await tag.getByRole("button", { name: "列为领头雁" }).click();
        await count.getByText("100", { exact: true }).waitFor();
        const withoutLeader = page.getByTestId("geese-without-leader");
        const notContacted = page.getByTestId("geese-not-contacted");
        await withoutLeader.getByText(newcomer.name, { exact: true }).waitFor();
        await notContacted.getByText(newcomer.name, { exact: true }).waitFor();

        const link = page.getByRole("form", { name: "挂钩市领导" });
        await searchPick(page, link, "领头雁", newcomer.name, newcomer.name);
        await searchPick(page, link, "市领导", leader, leader);
        await link.getByRole("button", { name: "挂钩市领导" }).click();
        await withoutLeader.getByText(newcomer.name, { exact: true }).waitFor({ state: "detached" });
        await page.getByRole("row").filter({ hasText: leader }).filter({ hasText: newcomer.name }).first().waitFor();

        const contact = page.getByRole("form", { name: "登记联系" });
        await searchPick(page, contact, "领头雁", newcomer.name, newcomer.name);
        await contact.getByLabel("记录").fill("走访企业，谈回归项目");
        await contact.getByRole("button", { name: "登记联系" }).click();
        await notContacted.getByText(newcomer.name, { exact: true }).waitFor({ state: "detached" });
        expect(await axeViolations(page)).toEqual([]);
        await screenshot(page, "leading-geese");
      },
      T,
    );

    it(
      "a secretary plans a gathering and invites a member, who answers; the secretary sees the answer",
      async () => {
        const page = await open(shanghai, "活动");
        const title = "新生代温商联谊会（e2e）";
        const create = page.getByRole("form", { name: "新建活动" });
        await create.getByLabel("活动名称").fill(title);
        await create.getByLabel("地点").fill("上海温州大厦");
        await create.getByRole("button", { name: "新建活动" }).click();
        const row = page.getByRole("row").filter({ hasText: title });
        await row.getByText("筹备中").waitFor();
        await row.getByRole("button", { name: "邀请与出席" }).click();
        const invite = page.getByRole("form", { name: "发出邀请" });
        // nobody chosen: the server's refusal
        await invite.getByRole("button", { name: "发出邀请" }).click();
        await invite.locator(".ant-form-item-explain-error, .ant-typography-danger").first().waitFor();
        await searchPick(page, invite, "指定人员", "陈一新", "陈一新");
        await invite.getByRole("button", { name: "发出邀请" }).click();
        const invitations = page
          .locator(".ant-table-expanded-row .ant-table-row")
          .filter({ hasText: "陈一新" })
          .filter({ hasText: "未回复" });
        await invitations.waitFor();

        const memberPage = await open(member, "活动");
        const card = memberPage.locator(".ant-card-type-inner").filter({ hasText: title });
        await card.getByRole("button", { name: "出席", exact: true }).click();
        await card.getByTestId("my-rsvp").getByText("出席", { exact: true }).waitFor();
        await screenshot(memberPage, "gathering-invitation");
        expect(await axeViolations(memberPage)).toEqual([]);

        await page.reload();
        await row.getByText("邀请 1 人，出席 1 人，不出席 0 人").waitFor();
      },
      T,
    );

    it(
      "a secretary nominates a member (twice is refused at the field); city staff recognise them; the year's list " +
        "names them",
      async () => {
        const page = await open(shanghai, "功勋人物");
        const nominate = page.getByRole("form", { name: "提名" });
        const reason = "2014 年带回 3 亿元回归投资（e2e）";
        for (const attempt of [1, 2]) {
          await searchPick(page, nominate, "被提名人", "陈一新", "陈一新");
          await nominate.getByLabel("提名理由").fill(reason);
          await nominate.getByRole("button", { name: "提名" }).click();
          if (attempt === 1) await page.getByRole("row").filter({ hasText: reason }).getByText("待决定").waitFor();
        }
        const nominee = nominate.locator(".ant-form-item").filter({ has: page.getByLabel("被提名人") });
        await nominee
          .locator(".ant-form-item-explain-error")
          .filter({ hasText: "本会已为该温商提名过该年度" })
          .waitFor();
        expect(await page.getByRole("row").filter({ hasText: reason }).count()).toBe(1);

        const cityPage = await open(city, "功勋人物");
        const decide = cityPage.getByRole("form", { name: "提交决定" });
        await decide.getByText("授予", { exact: true }).click();
        await decide.getByLabel("决定说明").fill("市里研究决定");
        await decide.getByRole("button", { name: "提交决定" }).click();
        const recognised = cityPage.locator(".ant-card").filter({ hasText: `${thisYear} 年度功勋人物` });
        await recognised.getByRole("row").filter({ hasText: "陈一新" }).getByText("已授予").waitFor();
        expect(await axeViolations(cityPage)).toEqual([]);
        await screenshot(cityPage, "recognition");
      },
      T,
    );

    it("sends only the documents it was built with", () => {
      expect(h.sent.size).toBeGreaterThan(5);
      expect(untrustedDocuments(h)).toEqual([]);
    });
  });
}
