// Every mail the platform sends, in zh-CN and en side by side: a subject and a plain-text body per template,
// rendered from the outbox row's params when the message is sent.
import type { Locale } from "@wz/db";

export type MailParams = Record<string, string | null>;

export interface RenderedMail {
  subject: string;
  text: string;
}

/** What rendering knows beyond the row: where the console is (PUBLIC_URL), when set. */
export interface RenderOptions {
  consoleUrl?: string | undefined;
}

type Param<K extends string> = { [P in K]: string | null };

interface Template<K extends string> {
  /** Param keys that must not outlive the send (the worker strips them from the row once it is SENT). */
  secrets?: readonly K[];
  render: Record<Locale, (p: Param<K>, o: RenderOptions) => RenderedMail>;
}

const levelNames: Record<Locale, Record<string, string>> = {
  "zh-CN": {
    PRESIDENT: "会长",
    EXECUTIVE_VICE_PRESIDENT: "常务副会长",
    VICE_PRESIDENT: "副会长",
    STANDING_DIRECTOR: "常务理事",
    DIRECTOR: "理事",
    MEMBER: "会员",
  },
  en: {
    PRESIDENT: "president",
    EXECUTIVE_VICE_PRESIDENT: "executive vice-president",
    VICE_PRESIDENT: "vice-president",
    STANDING_DIRECTOR: "standing director",
    DIRECTOR: "director",
    MEMBER: "member",
  },
};

const roleNames: Record<Locale, Record<string, string>> = {
  "zh-CN": { SECRETARY: "秘书处成员", MEMBER: "会员" },
  en: { SECRETARY: "secretariat member", MEMBER: "member" },
};

/** The chamber's name in the reader's language: the English name when there is one, for English readers. */
const chamber = (p: { chamberName: string | null; chamberNameEn: string | null }, locale: Locale) =>
  (locale === "en" ? p.chamberNameEn || p.chamberName : p.chamberName) ?? "";

const consoleLine: Record<Locale, (o: RenderOptions) => string> = {
  "zh-CN": (o) => (o.consoleUrl ? `\n平台地址：${o.consoleUrl}\n` : ""),
  en: (o) => (o.consoleUrl ? `\nThe platform: ${o.consoleUrl}\n` : ""),
};

const signature: Record<Locale, string> = {
  "zh-CN": "\n——\n全国温州商会总会信息服务平台（本邮件由系统发送，请勿直接回复）\n",
  en: "\n--\nWenzhou chambers of commerce platform (sent automatically; please do not reply)\n",
};

const invitation: Template<
  "chamberName" | "chamberNameEn" | "displayName" | "inviterName" | "role" | "inviteToken" | "expiresOn"
> = {
  secrets: ["inviteToken"],
  render: {
    "zh-CN": (p, o) => ({
      subject: `${chamber(p, "zh-CN")}邀请您加入温州商会信息服务平台`,
      text:
        `${p.displayName}，您好：\n\n${p.inviterName}邀请您以${roleNames["zh-CN"][p.role ?? ""] ?? p.role}` +
        `身份加入${chamber(p, "zh-CN")}。\n\n请在平台登录页选择“接受邀请”，输入以下邀请码并设置密码：\n\n` +
        `    ${p.inviteToken}\n\n邀请码在 ${p.expiresOn} 之前有效，只能使用一次。\n` +
        consoleLine["zh-CN"](o) +
        signature["zh-CN"],
    }),
    en: (p, o) => ({
      subject: `${chamber(p, "en")} invites you to the Wenzhou chambers platform`,
      text:
        `Dear ${p.displayName},\n\n${p.inviterName} invites you to join ${chamber(p, "en")} as a ` +
        `${roleNames.en[p.role ?? ""] ?? p.role}.\n\nOn the platform's sign-in page choose "Accept invitation", ` +
        `enter this invitation code and choose a password:\n\n    ${p.inviteToken}\n\n` +
        `The code works once, until ${p.expiresOn}.\n` +
        consoleLine.en(o) +
        signature.en,
    }),
  },
};

const membershipProposal: Template<"chamberName" | "chamberNameEn" | "merchantName" | "level" | "hasAccount"> = {
  render: {
    "zh-CN": (p, o) => ({
      subject: `${chamber(p, "zh-CN")}提议您成为${levelNames["zh-CN"][p.level ?? ""] ?? p.level}`,
      text:
        `${p.merchantName}，您好：\n\n${chamber(p, "zh-CN")}秘书处提议您以` +
        `${levelNames["zh-CN"][p.level ?? ""] ?? p.level}身份加入本会。在您同意之前，商会看不到您名录中` +
        `仅限本会可见的联系方式。\n\n` +
        (p.hasAccount === "yes"
          ? "请登录平台接受或谢绝这一提议。\n"
          : "您尚未开通平台账号：接受商会发来的邀请即表示同意；如有疑问，请联系该商会秘书处。\n") +
        consoleLine["zh-CN"](o) +
        signature["zh-CN"],
    }),
    en: (p, o) => ({
      subject: `${chamber(p, "en")} proposes you as a ${levelNames.en[p.level ?? ""] ?? p.level}`,
      text:
        `Dear ${p.merchantName},\n\nThe secretariat of ${chamber(p, "en")} proposes you as a ` +
        `${levelNames.en[p.level ?? ""] ?? p.level} of the chamber. Until you agree, the chamber sees none of ` +
        `your contact details that you show only to your chambers.\n\n` +
        (p.hasAccount === "yes"
          ? "Sign in to the platform to accept or decline the proposal.\n"
          : "You have no account on the platform yet: accepting the chamber's invitation is agreeing; " +
            "with any question, contact the chamber's secretariat.\n") +
        consoleLine.en(o) +
        signature.en,
    }),
  },
};

const leadReferral: Template<"referrerName" | "merchantName" | "leadTitle" | "chamberName" | "chamberNameEn"> = {
  render: {
    "zh-CN": (p, o) => ({
      subject: p.leadTitle ? `${p.referrerName}向您推荐了商机：${p.leadTitle}` : `${p.referrerName}向您推荐了一条商机`,
      text:
        `${p.merchantName}，您好：\n\n${p.referrerName}把${chamber(p, "zh-CN")}发布的一条商机推荐给了您` +
        (p.leadTitle ? `：\n\n    ${p.leadTitle}\n\n` : "。\n\n") +
        "登录平台即可查看您有权查看的商机并与发布者联系。\n" +
        consoleLine["zh-CN"](o) +
        signature["zh-CN"],
    }),
    en: (p, o) => ({
      subject: p.leadTitle
        ? `${p.referrerName} referred you to a lead: ${p.leadTitle}`
        : `${p.referrerName} referred you to a lead`,
      text:
        `Dear ${p.merchantName},\n\n${p.referrerName} referred you to a lead posted in ${chamber(p, "en")}` +
        (p.leadTitle ? `:\n\n    ${p.leadTitle}\n\n` : ".\n\n") +
        "Sign in to the platform to see the leads open to you and to contact their posters.\n" +
        consoleLine.en(o) +
        signature.en,
    }),
  },
};

const duesReminder: Template<"chamberName" | "chamberNameEn" | "merchantName" | "expiresOn"> = {
  render: {
    "zh-CN": (p, o) => ({
      subject: `${chamber(p, "zh-CN")}会籍将于 ${p.expiresOn} 到期`,
      text:
        `${p.merchantName}，您好：\n\n您在${chamber(p, "zh-CN")}的会籍将于 ${p.expiresOn} 到期。` +
        "请在到期前向商会秘书处缴纳会费续期；逾期未缴，会籍将转为失效。\n" +
        consoleLine["zh-CN"](o) +
        signature["zh-CN"],
    }),
    en: (p, o) => ({
      subject: `Your membership of ${chamber(p, "en")} expires on ${p.expiresOn}`,
      text:
        `Dear ${p.merchantName},\n\nYour membership of ${chamber(p, "en")} expires on ${p.expiresOn}. ` +
        "Please pay your dues to the chamber's secretariat before then to renew it; unpaid, it lapses.\n" +
        consoleLine.en(o) +
        signature.en,
    }),
  },
};

export const mailTemplates = {
  invitation,
  "membership-proposal": membershipProposal,
  "lead-referral": leadReferral,
  "dues-reminder": duesReminder,
} as const;

export type MailTemplateKey = keyof typeof mailTemplates;

/** The params a template reads, by key (what enqueueing must supply). */
export type MailTemplateParams<K extends MailTemplateKey> = Parameters<(typeof mailTemplates)[K]["render"]["en"]>[0];

export function isMailTemplateKey(key: string): key is MailTemplateKey {
  return Object.hasOwn(mailTemplates, key);
}

/** Subject and body of a queued message; throws for a template this code does not know. */
export function renderMail(template: string, locale: Locale, params: MailParams, options: RenderOptions): RenderedMail {
  if (!isMailTemplateKey(template)) throw new Error(`unknown mail template "${template}"`);
  const render = mailTemplates[template].render[locale] as (p: MailParams, o: RenderOptions) => RenderedMail;
  return render(params, options);
}

/** Param keys that are stripped from a row once it is sent (an invitation code must not stay in the outbox). */
export function secretParams(template: string): readonly string[] {
  return isMailTemplateKey(template) ? ((mailTemplates[template] as Template<string>).secrets ?? []) : [];
}
