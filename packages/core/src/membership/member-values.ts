// Parsing the values secretaries type into spreadsheets: mobiles, dates, levels, hometowns, industries —
// each to the one form the database stores, or a reason why not.
import { industrySectionList, type MembershipLevel, wenzhouDistrictList } from "@wz/db";
import { isIsoDate } from "../dates";
import { type Message, msg } from "../messages";

export type Parsed<T> = { ok: true; value: T } | { ok: false; reason: Message };
const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const bad = <T>(reason: Message): Parsed<T> => ({ ok: false, reason });

/** Full-width digits, letters and punctuation (１３８, ＡＢＣ, －) as their ASCII forms; the ideographic space too. */
export function halfWidth(input: string): string {
  return input
    .replace(/[\uFF01-\uFF5E]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/\u3000/g, " ")
    .replace(/[\u2010-\u2015\u2212]/g, "-");
}

/**
 * Mobiles are stored as the bare 11 digits for mainland numbers (how every existing row stores them) and as
 * E.164 ("+39…") for numbers abroad, so one number always has exactly one stored form to match on.
 */
export function normalizeMobile(input: string): Parsed<string> {
  const compact = halfWidth(input)
    .trim()
    .replace(/[\s\-().]/g, "");
  const mainland = /^(?:\+?86|0086)?(1[3-9]\d{9})$/.exec(compact);
  if (mainland) return ok(mainland[1]!);
  if (/^(?:\+|00)86/.test(compact)) return bad(msg("values.mainlandMobile", { value: input }));
  const abroad = /^(?:\+|00)([1-9]\d{6,14})$/.exec(compact);
  if (abroad) return ok(`+${abroad[1]}`);
  return bad(msg("values.mobile", { value: input }));
}

/**
 * Landlines as "area code-number" ("0577-88881234", an extension after another "-"), from "(0577)88881234",
 * "0577 8888 1234", "+86 577 88881234" or "057788881234"; a local number without area code as it is. Area codes
 * 010 and 02x have two digits after the 0, all others three, so the split is never a guess.
 */
export function normalizeLandline(input: string): Parsed<string> {
  const compact = halfWidth(input)
    .trim()
    .replace(/[\s().]/g, "")
    .replace(/(?:转|ext|x)(\d{1,6})$/i, "-$1");
  const m = /^(?:(?:\+|00)86-?|0)(10|2\d|[3-9]\d{2})-?([2-9]\d{6,7})(?:-(\d{1,6}))?$/.exec(compact);
  if (m) return ok(`0${m[1]}-${m[2]}${m[3] ? `-${m[3]}` : ""}`);
  const local = /^([2-9]\d{6,7})(?:-(\d{1,6}))?$/.exec(compact);
  if (local) return ok(`${local[1]}${local[2] ? `-${local[2]}` : ""}`);
  return bad(msg("values.landline", { value: input }));
}

export type PhoneNumber = { kind: "mobile" | "landline"; value: string };

/**
 * A phone cell as people fill it: a mobile, a landline, or both ("13812345678 / 0577-88881234"); each number
 * goes where it belongs. `prefer` says which reason to give when nothing in it is a phone number.
 */
export function parsePhones(input: string, prefer: "mobile" | "landline"): Parsed<PhoneNumber[]> {
  const parts = halfWidth(input)
    .split(/[/,;、，；|]|\s{2,}/)
    .map((p) => p.trim())
    .filter((p) => p !== "");
  const numbers: PhoneNumber[] = [];
  for (const part of parts) {
    const mobile = normalizeMobile(part);
    if (mobile.ok) {
      numbers.push({ kind: "mobile", value: mobile.value });
      continue;
    }
    const landline = normalizeLandline(part);
    if (landline.ok) {
      numbers.push({ kind: "landline", value: landline.value });
      continue;
    }
    return prefer === "mobile" ? mobile : landline;
  }
  return ok(numbers);
}

/** YYYY-MM-DD, YYYY/M/D, YYYY.M.D, YYYY年M月D日 or YYYYMMDD → YYYY-MM-DD. */
export function parseDate(input: string): Parsed<string> {
  const text = halfWidth(input).trim();
  const m =
    /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$/.exec(text) ?? /^(\d{4})(\d{2})(\d{2})$/.exec(text);
  if (m) {
    const iso = `${m[1]}-${m[2]!.padStart(2, "0")}-${m[3]!.padStart(2, "0")}`;
    if (isIsoDate(iso)) return ok(iso);
  }
  return bad(msg("values.date", { value: input }));
}

export const levelNamesZh: Record<MembershipLevel, string> = {
  PRESIDENT: "会长",
  EXECUTIVE_VICE_PRESIDENT: "常务副会长",
  VICE_PRESIDENT: "副会长",
  STANDING_DIRECTOR: "常务理事",
  DIRECTOR: "理事",
  MEMBER: "会员",
};
const levelByName = new Map<string, MembershipLevel>();
for (const [level, zh] of Object.entries(levelNamesZh) as [MembershipLevel, string][]) {
  levelByName.set(zh, level);
  levelByName.set(level.toLowerCase(), level);
  levelByName.set(level.toLowerCase().replace(/_/g, " "), level);
  levelByName.set(level.toLowerCase().replace(/_/g, "-"), level);
}

export function parseLevel(input: string): Parsed<MembershipLevel> {
  const level = levelByName.get(input.trim().toLowerCase());
  return level ? ok(level) : bad(msg("values.level", { value: input }));
}

const districtByName = new Map<string, string>();
for (const d of wenzhouDistrictList) {
  for (const key of [
    d.code,
    d.name,
    d.name.replace(/[区县市]$/, ""),
    d.nameEn.toLowerCase(),
    d.nameEn.toLowerCase().replace(/'/g, ""),
  ])
    districtByName.set(key, d.code);
}
export const districtNameByCode = new Map(wenzhouDistrictList.map((d) => [d.code, d.name]));

/** A Wenzhou district by code (330381), Chinese name (瑞安市, 瑞安, 温州市瑞安市) or English name (Rui'an). */
export function parseHometown(input: string): Parsed<string> {
  const key = input
    .trim()
    .replace(/^(?:浙江省)?温州市?/, "")
    .toLowerCase();
  const code = districtByName.get(key) ?? districtByName.get(key.replace(/'/g, ""));
  return code ? ok(code) : bad(msg("values.hometown", { value: input }));
}

const industryByName = new Map<string, string>();
for (const s of industrySectionList) {
  industryByName.set(s.code.toLowerCase(), s.code);
  industryByName.set(s.name, s.code);
  industryByName.set(s.nameEn.toLowerCase(), s.code);
}

/** An industry section (GB/T 4754) by letter or by its Chinese or English name. */
export function parseIndustry(input: string): Parsed<string> {
  const code = industryByName.get(input.trim().toLowerCase());
  return code ? ok(code) : bad(msg("values.industry", { value: input }));
}
