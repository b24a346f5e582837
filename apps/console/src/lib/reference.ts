// Reference data shared with the API (GB/T 4754 industries, GB/T 2260 provinces, Wenzhou districts).
import industries from "../../../../packages/db/src/reference/industries.json";
import provinces from "../../../../packages/db/src/reference/provinces.json";
import districts from "../../../../packages/db/src/reference/wenzhou-districts.json";
import type { Language } from "../i18n";

interface Named {
  code: string;
  name: string;
  nameEn: string;
}

function lookup(list: readonly Named[]) {
  const byCode = new Map(list.map((item) => [item.code, item]));
  return {
    list,
    label: (code: string | null | undefined, language: Language) => {
      if (!code) return "";
      const item = byCode.get(code);
      return item ? (language === "en" ? item.nameEn : item.name) : code;
    },
    options: (language: Language) =>
      list.map((item) => ({ value: item.code, label: language === "en" ? item.nameEn : item.name })),
  };
}

export const industry = lookup(industries.sections);
export const province = lookup(provinces.provinces);
export const district = lookup(districts.districts);

/** A chamber's name in the chosen language. */
export function chamberName(chamber: { name: string; nameEn?: string | null }, language: Language): string {
  return language === "en" && chamber.nameEn ? chamber.nameEn : chamber.name;
}

export function todayIso(): string {
  // China time: the API's dates are China dates.
  return new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
}
