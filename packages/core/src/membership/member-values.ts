// Parsing the values secretaries type into spreadsheets: mobiles, dates, levels, hometowns, industries —
// each to the one form the database stores, or a reason why not.
import { industrySectionList, type MembershipLevel, wenzhouDistrictList } from "@wz/db";
import { isIsoDate } from "../dates";
import { type Message, msg } from "../messages";

export type Parsed<T> = { ok: true; value: T } | { ok: false; reason: Message };
const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const bad = <T>(reason: Message): Parsed<T> => ({ ok: false, reason });

/**
 * Mobiles are stored as the bare 11 digits for mainland numbers (how every existing row stores them) and as
 * E.164 ("+39…") for numbers abroad, so one number always has exactly one stored form to match on.
 */
export function normalizeMobile(input: string): Parsed<string> {
  const compact = input.trim().replace(/[\s\-().]/g, "");
  const mainland = /^(?:\+?86|0086)?(1[3-9]\d{9})$/.exec(compact);
  if (mainland) return ok(mainland[1]!);
  if (/^(?:\+|00)86/.test(compact)) return bad(msg("values.mainlandMobile", { value: input }));
  const abroad = /^(?:\+|00)([1-9]\d{6,14})$/.exec(compact);
  if (abroad) return ok(`+${abroad[1]}`);
  return bad(msg("values.mobile", { value: input }));
}

/** YYYY-MM-DD, YYYY/M/D, YYYY.M.D or YYYY年M月D日 → YYYY-MM-DD. */
export function parseDate(input: string): Parsed<string> {
  const m = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$/.exec(input.trim());
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
