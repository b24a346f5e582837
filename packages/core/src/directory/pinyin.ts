// Pinyin forms of a Chinese name, stored beside it so "chenyixin" and "cyx" both find 陈一新.
import { pinyin } from "pinyin-pro";

export function pinyinForms(name: string): { full: string; initials: string } {
  // `surname: "head"` reads a leading surname as a surname: 单 is Shan, 曾 is Zeng.
  const syllables = pinyin(name, { toneType: "none", type: "array", nonZh: "consecutive", v: true, surname: "head" });
  const clean = syllables.map((s) => s.toLowerCase().replace(/[^a-z0-9]/g, "")).filter((s) => s.length > 0);
  return { full: clean.join(""), initials: clean.map((s) => s[0]).join("") };
}

/** "Chen Yixin" style Latin rendering for a Chinese name (surname first). */
export function latinName(name: string): string {
  const syllables = pinyin(name, { toneType: "none", type: "array", v: true, surname: "head" });
  const [surname, ...given] = syllables;
  const cap = (s: string) => (s ? s[0]!.toUpperCase() + s.slice(1) : s);
  return [cap(surname ?? ""), cap(given.join(""))].filter(Boolean).join(" ");
}
