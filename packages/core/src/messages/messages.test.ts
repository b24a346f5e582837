// Every message exists in both languages with the same {{placeholders}}; a key missing (or extra) in one, an
// empty text, or a zh-CN text left in English fails here. The negotiation of the reader's language is checked too.

import {
  delegationOutcomeEnum,
  delegationStatusEnum,
  formationStatusEnum,
  gatheringStatusEnum,
  investmentStageEnum,
  leadStatusEnum,
  membershipLevelEnum,
  membershipStatusEnum,
  recognitionStatusEnum,
} from "@wz/db";
import { describe, expect, it } from "vitest";
import { en } from "./en";
import { label, localeOf, msg, renderMessage } from "./index";
import { zhCN } from "./zh-CN";

function keys(value: unknown, prefix = ""): string[] {
  if (typeof value === "string") return [prefix];
  return Object.entries(value as Record<string, unknown>).flatMap(([key, child]) =>
    keys(child, prefix ? `${prefix}.${key}` : key),
  );
}
const lookup = (tree: unknown, key: string) =>
  key.split(".").reduce<unknown>((node, part) => (node as Record<string, unknown>)?.[part], tree) as string;
const placeholders = (text: string) => [...text.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]!).sort();

// Texts that are only a value put through (graphql-js's own words) have nothing of their own to translate.
const PASS_THROUGH = new Set(["input.badValue", "errors.syntax", "errors.invalidQuery", "errors.refused"]);

describe("the message catalogues", () => {
  it("zh-CN and en have the same keys", () => {
    expect(keys(zhCN).sort()).toEqual(keys(en).sort());
  });

  it("each message has the same {{placeholders}} in both languages, and none is empty", () => {
    for (const key of keys(en)) {
      expect(lookup(en, key).trim(), key).not.toBe("");
      expect(lookup(zhCN, key).trim(), key).not.toBe("");
      if (!PASS_THROUGH.has(key)) expect(placeholders(lookup(zhCN, key)), key).toEqual(placeholders(lookup(en, key)));
    }
  });

  it("every zh-CN message is written in Chinese", () => {
    const untranslated = keys(zhCN).filter((key) => !/\p{Script=Han}/u.test(lookup(zhCN, key)));
    expect(untranslated).toEqual([]);
  });

  it("renders values, and messages inside messages, in the reader's language", () => {
    const hint = msg("membership.applyAgainHint");
    const message = msg("membership.invalidTransition", { status: label("membershipStatus", "ACTIVE"), hint });
    expect(renderMessage(message, "en")).toBe(
      "This membership is active: only someone whose application was rejected, or who left, can apply again.",
    );
    expect(renderMessage(message, "zh-CN")).toBe("该会籍当前为 有效：只有申请被拒绝或已退会的人才能再次申请。");
    // a list of values is joined as each language lists things
    const allowed = [label("membershipStatus", "SUSPENDED"), label("membershipStatus", "LEFT")];
    const only = msg("membership.cannotBecomeOnlyHint", { status: label("membershipStatus", "APPLIED"), allowed });
    expect(renderMessage(only, "en")).toBe("it cannot become awaiting a decision (only suspended / left).");
    expect(renderMessage(only, "zh-CN")).toBe("不能改为 申请中（只能改为 暂停、已退会）。");
    // values are put in as given, never as HTML entities
    expect(renderMessage(msg("chamber.slugTaken", { slug: "a&b<c>" }), "en")).toBe('The slug "a&b<c>" is taken.');
  });
});

describe("enum values in messages", () => {
  // every value of each enum a message names has a label in both languages (never its code)
  it.each([
    ["formationStatus", formationStatusEnum.enumValues],
    ["membershipStatus", membershipStatusEnum.enumValues],
    ["membershipLevel", membershipLevelEnum.enumValues],
    ["leadStatus", leadStatusEnum.enumValues],
    ["investmentStage", investmentStageEnum.enumValues],
    ["delegationStatus", delegationStatusEnum.enumValues],
    ["delegationOutcome", delegationOutcomeEnum.enumValues],
    ["gatheringStatus", gatheringStatusEnum.enumValues],
    ["recognitionStatus", recognitionStatusEnum.enumValues],
  ] as const)("%s has a label for each value", (kind, values) => {
    expect(Object.keys(en.enums[kind]).sort()).toEqual([...values].sort());
    expect(Object.keys(zhCN.enums[kind]).sort()).toEqual([...values].sort());
  });

  it("a formation step out of order names the steps by their labels", () => {
    const message = msg("formation.planInOrder", {
      status: label("formationStatus", "APPLIED"),
      targetOn: "2015-03-01",
      previous: label("formationStatus", "PREPARATORY"),
      previousOn: "2015-05-01",
    });
    expect(renderMessage(message, "zh-CN")).toBe(
      "须按顺序推进：已申请登记（2015-03-01）不能排在 筹备组成立（2015-05-01）之前。",
    );
    expect(renderMessage(message, "zh-CN")).not.toMatch(/[A-Z]{3,}/);
  });
});

describe("the reader's language", () => {
  it.each([
    [undefined, "en"],
    ["", "en"],
    ["zh-CN", "zh-CN"],
    ["zh", "zh-CN"],
    ["zh-TW,zh;q=0.9", "zh-CN"],
    ["en-US,en;q=0.9,zh-CN;q=0.8", "en"],
    ["zh-CN,zh;q=0.9,en;q=0.8", "zh-CN"],
    ["fr-FR,zh-CN;q=0.5", "zh-CN"],
    ["en;q=0.2,zh-CN;q=0.9", "zh-CN"],
    ["fr-FR", "en"],
    ["*", "en"],
  ])("%j reads as %s", (header, locale) => {
    expect(localeOf(header)).toBe(locale);
  });
});
