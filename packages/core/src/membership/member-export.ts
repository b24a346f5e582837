// Exporting a chamber's member list as CSV or .xlsx, with the same filters and order as the list on screen.
// Only the chamber's own secretaries export; contact fields still go through the one visibility rule, and
// every export is audited. The columns are the import's, so an exported file can be imported again.
import { companyTable } from "@wz/db";
import { asc } from "drizzle-orm";
import { recordAudit } from "../audit/audit-log";
import { inJson } from "../common/sql-text";
import { todayIso } from "../dates";
import { loadMembershipFacts, type MerchantMembershipFacts, visibleContact } from "../directory/visibility";
import { ContactAccessRecorder, writeContactAccess } from "../privacy/contact-access";
import type { ServiceContext } from "../service-context";
import {
  defaultMemberOrder,
  listChamberMembersForExport,
  type MemberListFilter,
  type MemberListOrder,
} from "./member-list";
import { writeCsv, writeXlsx } from "./member-table-file";
import { districtNameByCode, levelNamesZh } from "./member-values";
import { chamberForAction } from "./membership-access";
import { effectiveMembershipStatus } from "./membership-status";

export type MemberExportFormat = "CSV" | "XLSX";

export interface ExportMembersInput {
  chamberId: string;
  filter?: MemberListFilter | null | undefined;
  orderBy?: MemberListOrder | null | undefined;
  format?: MemberExportFormat | null | undefined;
}

export interface MemberExport {
  format: MemberExportFormat;
  filename: string;
  contentType: string;
  /** CSV text, or the .xlsx workbook base64-encoded. */
  content: string;
  rowCount: number;
}

export const exportHeader = [
  "姓名",
  "英文名",
  "手机",
  "邮箱",
  "微信",
  "籍贯",
  "公司",
  "行业",
  "统一社会信用代码",
  "职务",
  "状态",
  "入会日期",
  "到期日期",
  // last, so the columns before it keep the places they had before landlines were kept
  "座机",
];

const CHUNK = 20_000;

export async function exportMembers(ctx: ServiceContext, input: ExportMembersInput): Promise<MemberExport> {
  const { viewer, chamber } = await chamberForAction(ctx, ctx.db, "member:export", input.chamberId, "chamberId");
  const today = todayIso();
  const order = input.orderBy ?? defaultMemberOrder;
  const rows = await listChamberMembersForExport(ctx, chamber.id, input.filter, order);

  const merchantIds = [...new Set(rows.map((r) => r.merchant.id))];
  const facts = new Map<string, MerchantMembershipFacts>();
  const factList = await loadMembershipFacts(ctx.db, merchantIds, today);
  merchantIds.forEach((id, n) => void facts.set(id, factList[n]!));
  const companies = new Map<string, { name: string; industry: string | null; creditCode: string | null }[]>();
  for (let i = 0; i < merchantIds.length; i += CHUNK) {
    const part = merchantIds.slice(i, i + CHUNK);
    const companyRows = await ctx.db
      .select({
        merchantId: companyTable.merchantId,
        name: companyTable.name,
        industry: companyTable.industry,
        creditCode: companyTable.creditCode,
      })
      .from(companyTable)
      .where(inJson(companyTable.merchantId, part, "uuid"))
      .orderBy(asc(companyTable.createdAt), asc(companyTable.id));
    for (const c of companyRows) companies.set(c.merchantId, [...(companies.get(c.merchantId) ?? []), c]);
  }

  // who looked: one entry per merchant in the file, with the fields it holds (written with the export's audit entry)
  const access = new ContactAccessRecorder();
  const table = rows.map(({ membership, merchant }) => {
    const contact = visibleContact(
      viewer,
      merchant,
      facts.get(merchant.id) ?? { activeChamberIds: [], secretariatChamberIds: [], knownToChamberIds: [] },
      access,
    );
    const company = companies.get(merchant.id)?.[0];
    return [
      merchant.name,
      merchant.nameLatin ?? "",
      contact.mobile ?? "",
      contact.email ?? "",
      contact.wechat ?? "",
      merchant.hometownDistrict ? (districtNameByCode.get(merchant.hometownDistrict) ?? merchant.hometownDistrict) : "",
      company?.name ?? "",
      company?.industry ?? "",
      company?.creditCode ?? "",
      levelNamesZh[membership.level],
      effectiveMembershipStatus(membership, today),
      membership.joinedOn ?? "",
      membership.expiresOn ?? "",
      contact.landline ?? "",
    ];
  });

  const format = input.format ?? "CSV";
  const base = `members-${chamber.slug}-${today}`;
  const file: MemberExport =
    format === "XLSX"
      ? {
          format,
          filename: `${base}.xlsx`,
          contentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
          content: (await writeXlsx("会员", exportHeader, table)).toString("base64"),
          rowCount: table.length,
        }
      : {
          format,
          filename: `${base}.csv`,
          contentType: "text/csv; charset=utf-8",
          content: writeCsv(exportHeader, table),
          rowCount: table.length,
        };

  const auditId = await recordAudit(ctx.db, {
    actorUserId: viewer.userId,
    chamberId: chamber.id,
    action: "member:export",
    entityType: "Chamber",
    entityId: chamber.id,
    after: { format, rowCount: table.length, filter: input.filter ?? null, orderBy: order },
  });
  await writeContactAccess(ctx.db, access.take("EXPORT", auditId));
  return file;
}
