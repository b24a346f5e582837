// Reference lists shipped with the code (copied from the federation's shared data): provinces,
// Wenzhou's districts, GB/T 4754 industry sections.
import industries from "./reference/industries.json" with { type: "json" };
import provinces from "./reference/provinces.json" with { type: "json" };
import districts from "./reference/wenzhou-districts.json" with { type: "json" };

export interface ReferenceEntry {
  code: string;
  name: string;
  nameEn: string;
}

export const provinceList: readonly (ReferenceEntry & { kind: string })[] = provinces.provinces;
export const wenzhouDistrictList: readonly ReferenceEntry[] = districts.districts;
export const industrySectionList: readonly ReferenceEntry[] = industries.sections;

export const provinceCodes = new Set(provinceList.map((p) => p.code));
export const wenzhouDistrictCodes = new Set(wenzhouDistrictList.map((d) => d.code));
export const industrySectionCodes = new Set(industrySectionList.map((s) => s.code));
