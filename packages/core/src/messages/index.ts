// What the API says to people, in zh-CN and en: domain code names a message by its key (with its values), and
// the edge that knows the reader's language renders it. The catalogues are en.ts and zh-CN.ts; i18next renders.

import type { Locale } from "@wz/db";
import i18next, { type i18n } from "i18next";
import Negotiator from "negotiator";
import { en } from "./en";
import { zhCN } from "./zh-CN";

// the languages are the database's (a user's, a merchant's and a mail's `locale` column): one list
export { type Locale, locales } from "@wz/db";

type Catalogue = typeof en;
type Leaves<T, P extends string = ""> = {
  [K in keyof T & string]: T[K] extends string ? `${P}${K}` : Leaves<T[K], `${P}${K}.`>;
}[keyof T & string];
/** Every message the API can say, e.g. "auth.wrongPassword". */
export type MessageKey = Leaves<Catalogue>;

type Lookup<T, K extends string> = K extends `${infer Head}.${infer Rest}`
  ? Head extends keyof T
    ? Lookup<T[Head], Rest>
    : never
  : K extends keyof T
    ? T[K]
    : never;
type Placeholders<S> = S extends `${string}{{${infer P}}}${infer Rest}` ? P | Placeholders<Rest> : never;
/**
 * A value put into a message: text as given, a number, another message (rendered in the same language), or a list of
 * these (rendered and joined as the language lists things).
 */
export type MessageValue = string | number | Message | readonly MessageValue[];
export type MessageParams<K extends MessageKey> = { [P in Placeholders<Lookup<Catalogue, K>>]: MessageValue };

/** A message not yet put into words: rendered per reader with `renderMessage`. */
export interface Message {
  readonly key: MessageKey;
  readonly params?: Readonly<Record<string, MessageValue>>;
}

/** Names a message; its values are required exactly when the English text has {{placeholders}}. */
export function msg<K extends MessageKey>(
  key: K,
  ...params: [Placeholders<Lookup<Catalogue, K>>] extends [never] ? [] : [MessageParams<K>]
): Message {
  return params[0] ? { key, params: params[0] } : { key };
}

type Enums = Catalogue["enums"];
/** An enum the API names in its messages. */
export type EnumKind = keyof Enums;

/**
 * An enum value as people read it ("registration filed", "已申请登记"), never its code ("APPLIED"): every value a
 * message names goes in through this.
 */
export function label<K extends EnumKind>(kind: K, value: keyof Enums[K] & string): Message {
  return { key: `enums.${kind}.${value}` as MessageKey };
}

export function isMessage(value: unknown): value is Message {
  return typeof value === "object" && value !== null && typeof (value as { key?: unknown }).key === "string";
}

let instance: i18n | undefined;
function renderer(): i18n {
  if (!instance) {
    instance = i18next.createInstance();
    void instance.init({
      resources: { "zh-CN": { translation: zhCN }, en: { translation: en } },
      lng: "en",
      fallbackLng: false,
      initAsync: false,
      interpolation: { escapeValue: false },
      returnNull: false,
    });
  }
  return instance;
}

/** The message in the reader's language. */
export function renderMessage(message: Message, locale: Locale = "en"): string {
  const values: Record<string, string | number> = {};
  for (const [name, value] of Object.entries(message.params ?? {})) values[name] = renderValue(value, locale);
  return renderer().t(message.key, { ...values, lng: locale });
}

function renderValue(value: MessageValue, locale: Locale): string | number {
  if (Array.isArray(value))
    return value.map((item) => renderValue(item, locale)).join(locale === "zh-CN" ? "、" : " / ");
  return isMessage(value) ? renderMessage(value, locale) : (value as string | number);
}

/** The reader's language from an Accept-Language header or a client's own setting; English when none is given. */
export function localeOf(preference: string | null | undefined): Locale {
  if (!preference?.trim()) return "en";
  // "zh" stands for every Chinese tag (zh-TW reads simplified Chinese better than English)
  const best = new Negotiator({ headers: { "accept-language": preference } }).language(["en", "zh-CN", "zh"]);
  return best === "zh-CN" || best === "zh" ? "zh-CN" : "en";
}
