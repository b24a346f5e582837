// Pinyin forms of a Chinese name, stored beside it so "chenyixin" and "cyx" both find 陈一新.
import { pinyin } from "pinyin-pro";

export function pinyinForms(name: string): { full: string; initials: string } {
  // `surname: "head"` reads a leading surname as a surname: 单 is Shan, 曾 is Zeng.
  const syllables = pinyin(name, { toneType: "none", type: "array", nonZh: "consecutive", v: true, surname: "head" });
  const clean = syllables.map((s) => s.toLowerCase().replace(/[^a-z0-9]/g, "")).filter((s) => s.length > 0);
  return { full: clean.join(""), initials: clean.map((s) => s[0]).join("") };
}

/**
 * A key that sorts names as Chinese readers expect, by pinyin: each character becomes its pinyin with the tone
 * as a digit (read in context, so 重庆 is chong2 qing4) followed by its code point, so homophones group and every
 * name has one place; a character with no pinyin (Latin, digits, spaces) becomes "0" and its code point, before
 * every Chinese one. Only [0-9a-z], so it compares the same under any collation, and byte order (COLLATE "C")
 * is the order: 北京 < 全国温州商会总会 < 上海 < 云南 < 重庆.
 */
export function pinyinSortKey(name: string): string {
  return pinyin(name, { toneType: "num", type: "all", v: true })
    .map(({ origin, pinyin: syllable, isZh }) => {
      const point = (origin.toLowerCase().codePointAt(0) ?? 0).toString(16).padStart(6, "0");
      return isZh && /^[a-z]+[0-5]$/.test(syllable) ? `${syllable}${point}` : `0${point}`;
    })
    .join("");
}

/** "Chen Yixin" style Latin rendering for a Chinese name (surname first). */
export function latinName(name: string): string {
  const syllables = pinyin(name, { toneType: "none", type: "array", v: true, surname: "head" });
  const [surname, ...given] = syllables;
  const cap = (s: string) => (s ? s[0]!.toUpperCase() + s.slice(1) : s);
  return [cap(surname ?? ""), cap(given.join(""))].filter(Boolean).join(" ");
}
