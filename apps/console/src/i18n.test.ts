// Every UI string exists in both languages: a key missing (or extra) in one fails here.
import { describe, expect, it } from "vitest";
import { en } from "./locales/en";
import { zhCN } from "./locales/zh-CN";

function keys(value: unknown, prefix = ""): string[] {
  if (typeof value === "string") return [prefix];
  return Object.entries(value as Record<string, unknown>).flatMap(([key, child]) =>
    keys(child, prefix ? `${prefix}.${key}` : key),
  );
}

function placeholders(text: string): string[] {
  return [...text.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]!).sort();
}

describe("UI strings", () => {
  it("zh-CN and en have the same keys", () => {
    expect(keys(en).sort()).toEqual(keys(zhCN).sort());
  });

  it("each string has the same {{placeholders}} in both languages, and none is empty", () => {
    const lookup = (tree: unknown, key: string) =>
      key.split(".").reduce<unknown>((node, part) => (node as Record<string, unknown>)[part], tree) as string;
    for (const key of keys(zhCN)) {
      expect(lookup(en, key), key).not.toBe("");
      expect(placeholders(lookup(en, key)), key).toEqual(placeholders(lookup(zhCN, key)));
    }
  });

  it("the labels the external checks read are as the API contract says", () => {
    expect([zhCN.auth.email, zhCN.auth.password, zhCN.auth.signIn, zhCN.common.search, zhCN.lang.switch]).toEqual([
      "邮箱",
      "密码",
      "登录",
      "搜索",
      "English",
    ]);
    expect([en.auth.email, en.auth.password, en.auth.signIn, en.common.search, en.lang.switch]).toEqual([
      "Email",
      "Password",
      "Sign in",
      "Search",
      "中文",
    ]);
    expect([
      zhCN.nav.directory,
      zhCN.nav.leads,
      zhCN.nav.members,
      zhCN.nav.formation,
      zhCN.nav.returnInvestment,
    ]).toEqual(["名录", "商机", "会员", "组建", "回归项目"]);
    expect([en.nav.directory, en.nav.leads, en.nav.members, en.nav.formation, en.nav.returnInvestment]).toEqual([
      "Directory",
      "Leads",
      "Members",
      "Formation",
      "Return investment",
    ]);
  });
});
