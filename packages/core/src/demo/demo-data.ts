// Demo data for the embedded default: the federation, 31 provinces at mixed formation steps with their
// histories, the nine chambers named in the 2014 speech, a few hundred merchants, memberships, dues and
// leads, and the four demo accounts. Deterministic, so every newcomer sees the same story.
import {
  chamberRoleTable,
  chamberTable,
  companyTable,
  duesPaymentTable,
  feeScheduleTable,
  formationPlanTable,
  formationStepTable,
  formationTable,
  industrySectionList,
  leadAudienceTable,
  leadEventTable,
  leadTable,
  membershipTable,
  merchantTable,
  provinceList,
  userTable,
  wenzhouDistrictList,
  type Database,
  type FieldVisibility,
  type FormationStatus,
  type LeadKind,
  type LeadVisibility,
  type MembershipLevel,
  type MembershipStatus,
} from "@wz/db";
import { eq } from "drizzle-orm";
import { hashPassword } from "../auth/passwords";
import { addDays, todayIso } from "../dates";
import { creditCodeCheckChar } from "../directory/credit-code";
import { latinName, pinyinForms } from "../directory/pinyin";
import { seedFormingChambers } from "../formation/formation-demo";

export const DEMO_PASSWORD = "demo-password";

/** mulberry32: a tiny seeded PRNG so the demo is the same on every machine. */
function random(seed: number) {
  let a = seed;
  const next = () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)]!;
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  return { next, pick, int };
}

// Surnames common in Wenzhou, and characters for given names.
const SURNAMES = "陈林王黄李张周吴郑徐叶潘金胡朱杨刘谢蔡邵池薛郭施戴项董余钱孙苏章";
const GIVEN = "一新建国华明伟志强海平永杰文斌俊晓东丽芳敏静秀英军峰涛亮超宇浩然子轩欣怡佳琪振兴富贵德胜瑞祥洪涛嘉豪雅婷";
const COMPANY_WORDS = ["鞋业", "服饰", "眼镜", "电气", "阀门", "打火机", "印刷", "汽摩配件", "不动产", "投资", "贸易", "科技", "物流", "五金", "包装"];

interface ChamberSpec {
  key: string;
  kind: "PROVINCIAL" | "MUNICIPAL";
  name: string;
  nameEn: string;
  slug: string;
  provinceCode: string;
  city?: string;
}

// The nine chambers that organised delegations home in 2013, plus the provincial chambers above three of them.
const CHAMBERS: ChamberSpec[] = [
  { key: "shanghai", kind: "PROVINCIAL", name: "上海市温州商会", nameEn: "Shanghai Wenzhou Chamber of Commerce", slug: "shanghai", provinceCode: "31" },
  { key: "xinjiang", kind: "PROVINCIAL", name: "新疆温州商会", nameEn: "Xinjiang Wenzhou Chamber of Commerce", slug: "xinjiang", provinceCode: "65" },
  { key: "jiangsu", kind: "PROVINCIAL", name: "江苏省温州商会", nameEn: "Jiangsu Wenzhou Chamber of Commerce", slug: "jiangsu", provinceCode: "32" },
  { key: "guangdong", kind: "PROVINCIAL", name: "广东省温州商会", nameEn: "Guangdong Wenzhou Chamber of Commerce", slug: "guangdong", provinceCode: "44" },
  { key: "suzhou", kind: "MUNICIPAL", name: "苏州温州商会", nameEn: "Suzhou Wenzhou Chamber of Commerce", slug: "suzhou", provinceCode: "32", city: "苏州" },
  { key: "nanjing", kind: "MUNICIPAL", name: "南京温州商会", nameEn: "Nanjing Wenzhou Chamber of Commerce", slug: "nanjing", provinceCode: "32", city: "南京" },
  { key: "shenzhen", kind: "MUNICIPAL", name: "深圳温州商会", nameEn: "Shenzhen Wenzhou Chamber of Commerce", slug: "shenzhen", provinceCode: "44", city: "深圳" },
  { key: "shijiazhuang", kind: "MUNICIPAL", name: "石家庄温州商会", nameEn: "Shijiazhuang Wenzhou Chamber of Commerce", slug: "shijiazhuang", provinceCode: "13", city: "石家庄" },
  { key: "kunming", kind: "MUNICIPAL", name: "昆明温州商会", nameEn: "Kunming Wenzhou Chamber of Commerce", slug: "kunming", provinceCode: "53", city: "昆明" },
  { key: "hefei", kind: "MUNICIPAL", name: "合肥温州商会", nameEn: "Hefei Wenzhou Chamber of Commerce", slug: "hefei", provinceCode: "34", city: "合肥" },
  { key: "changsha", kind: "MUNICIPAL", name: "长沙温州商会", nameEn: "Changsha Wenzhou Chamber of Commerce", slug: "changsha", provinceCode: "43", city: "长沙" },
];

const STEPS: FormationStatus[] = ["NOT_STARTED", "INITIATED", "PREPARATORY", "APPLIED", "APPROVED", "FOUNDED"];
// Where each province stood in the demo's story; the rest have not started.
const FORMATION: Record<string, FormationStatus> = {
  "31": "FOUNDED", "65": "FOUNDED", "32": "FOUNDED", "44": "FOUNDED",
  "11": "APPROVED", "33": "APPROVED", "51": "APPLIED", "13": "APPLIED", "53": "PREPARATORY",
  "34": "PREPARATORY", "43": "PREPARATORY", "42": "INITIATED", "35": "INITIATED", "61": "INITIATED",
  "12": "INITIATED", "37": "PREPARATORY", "41": "INITIATED",
};

export interface DemoSummary {
  chambers: number;
  merchants: number;
  memberships: number;
  leads: number;
}

export async function seedDemoData(db: Database): Promise<DemoSummary> {
  const r = random(20140529);
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const today = todayIso();

  return db.transaction(async (tx) => {
    const [admin] = await tx
      .insert(userTable)
      .values({ email: "admin@example.org", displayName: "总会管理员 Admin", passwordHash, isFederationStaff: true })
      .returning();
    const [federation] = await tx
      .insert(chamberTable)
      .values({ kind: "FEDERATION", name: "全国温州商会总会", nameEn: "National Federation of Wenzhou Chambers of Commerce", slug: "federation", foundedOn: "2014-12-18" })
      .returning();
    if (!admin || !federation) throw new Error("demo seed: insert returned nothing");

    // Formation: each province walks its steps from 2014-06 onwards, about two months a step.
    const chamberIds = new Map<string, string>();
    for (const province of provinceList) {
      const target = FORMATION[province.code] ?? "NOT_STARTED";
      const reached = STEPS.indexOf(target);
      let date = addDays("2014-06-01", r.int(0, 120));
      for (let step = 1; step <= reached; step++) {
        await tx.insert(formationStepTable).values({
          provinceCode: province.code,
          fromStatus: STEPS[step - 1]!,
          toStatus: STEPS[step]!,
          reachedOn: date,
          note: `${province.name}: ${["", "发起人到位", "筹备组成立", "已向民政厅申请登记", "登记批准", "成立大会召开"][step]}`,
          recordedBy: admin.id,
        });
        if (step < reached) date = addDays(date, r.int(40, 90));
      }
      // A plan for every province: one step every two months, FOUNDED by the 2015-12-31 deadline.
      let planned = "2014-09-30";
      for (let step = 1; step < STEPS.length; step++) {
        await tx.insert(formationPlanTable).values({ provinceCode: province.code, status: STEPS[step]!, targetOn: step === 5 ? "2015-12-31" : planned });
        planned = addDays(planned, 75);
      }
      await tx
        .update(formationTable)
        .set({ status: target, reachedOn: reached > 0 ? date : null, responsibleUserId: admin.id })
        .where(eq(formationTable.provinceCode, province.code));
    }

    for (const spec of CHAMBERS) {
      const parentId = spec.kind === "MUNICIPAL" ? (chamberIds.get(provincialKeyFor(spec.provinceCode)) ?? federation.id) : federation.id;
      const [chamber] = await tx
        .insert(chamberTable)
        .values({
          kind: spec.kind,
          name: spec.name,
          nameEn: spec.nameEn,
          slug: spec.slug,
          provinceCode: spec.provinceCode,
          city: spec.city ?? null,
          parentId,
          foundedOn: addDays("2013-03-01", r.int(0, 600)),
        })
        .returning({ id: chamberTable.id });
      chamberIds.set(spec.key, chamber!.id);
      if (spec.kind === "PROVINCIAL")
        await tx.update(formationTable).set({ chamberId: chamber!.id }).where(eq(formationTable.provinceCode, spec.provinceCode));
      const fees: [MembershipLevel, string][] = [
        ["PRESIDENT", "200000.00"], ["EXECUTIVE_VICE_PRESIDENT", "100000.00"], ["VICE_PRESIDENT", "50000.00"],
        ["STANDING_DIRECTOR", "20000.00"], ["DIRECTOR", "10000.00"], ["MEMBER", "2000.00"],
      ];
      await tx.insert(feeScheduleTable).values(fees.map(([level, annualFee]) => ({ chamberId: chamber!.id, level, annualFee })));
    }

    await seedFormingChambers(tx, admin.id);

    // Merchants with realistic names, contact fields at every visibility, companies with valid credit codes.
    const visibilities: FieldVisibility[] = ["PUBLIC", "FEDERATION", "CHAMBER", "PRIVATE"];
    const merchantRows = [];
    for (let i = 0; i < 320; i++) {
      const name = r.pick([...SURNAMES]) + r.pick([...GIVEN]) + (r.next() < 0.7 ? r.pick([...GIVEN]) : "");
      const forms = pinyinForms(name);
      const spec = r.pick(CHAMBERS);
      merchantRows.push({
        name,
        nameLatin: latinName(name),
        namePinyin: forms.full,
        nameInitials: forms.initials,
        hometownDistrict: r.pick(wenzhouDistrictList).code,
        provinceCode: spec.provinceCode,
        city: spec.city ?? null,
        tags: [...(r.next() < 0.25 ? ["NEW_GENERATION"] : []), ...(i < 24 ? ["LEADING_GOOSE"] : [])],
        mobile: `1${r.pick(["3", "5", "8", "9"])}${String(r.int(0, 999999999)).padStart(9, "0")}`,
        mobileVisibility: visibilities[i % 4]!,
        email: `${forms.full}${i}@example.com`,
        emailVisibility: visibilities[(i + 1) % 4]!,
        wechat: `wx_${forms.full}${r.int(10, 99)}`,
        wechatVisibility: visibilities[(i + 2) % 4]!,
      });
    }
    const merchants = await tx.insert(merchantTable).values(merchantRows).returning({ id: merchantTable.id, name: merchantTable.name, city: merchantTable.city, provinceCode: merchantTable.provinceCode });
    await tx.insert(companyTable).values(
      merchants.flatMap((m, i) => {
        const count = i % 3 === 0 ? 2 : 1;
        return Array.from({ length: count }, (_, k) => {
          const first17 = `91330${String(r.int(100, 399))}${String(r.int(0, 999999999)).padStart(9, "0")}`.slice(0, 17);
          return {
            merchantId: m.id,
            name: `温州${m.name.slice(1)}${r.pick(COMPANY_WORDS)}有限公司`.replace("温州", k === 0 ? "温州" : m.city ?? "上海"),
            industry: r.pick(industrySectionList).code,
            role: k === 0 ? "董事长" : "总经理",
            size: r.pick(["SMALL", "MEDIUM", "LARGE"]),
            creditCode: `${first17}${creditCodeCheckChar(first17)}`,
          };
        });
      }),
    );

    // Memberships: each merchant in the chamber of where they work, some in a second chamber too.
    const levels: MembershipLevel[] = ["PRESIDENT", "EXECUTIVE_VICE_PRESIDENT", "VICE_PRESIDENT", "STANDING_DIRECTOR", "DIRECTOR", "MEMBER"];
    const membershipRows: (typeof membershipTable.$inferInsert)[] = [];
    const specByProvince = (m: { provinceCode: string | null; city: string | null }) =>
      CHAMBERS.find((c) => c.provinceCode === m.provinceCode && (c.city ?? null) === m.city) ?? CHAMBERS[0]!;
    merchants.forEach((m, i) => {
      const home = specByProvince(m);
      const chambers = new Set([home.key]);
      if (i % 5 === 0) chambers.add(r.pick(CHAMBERS).key);
      for (const key of chambers) {
        const roll = r.next();
        const status: MembershipStatus = roll < 0.8 ? "ACTIVE" : roll < 0.88 ? "APPLIED" : roll < 0.95 ? "ACTIVE" : "SUSPENDED";
        const joinedOn = status === "APPLIED" ? null : addDays("2013-01-01", r.int(0, 4000));
        // roughly one in eight active memberships has run past its expiry unpaid: it reads as LAPSED
        const expiresOn = joinedOn ? addDays(today, roll >= 0.88 && roll < 0.95 ? -r.int(10, 200) : r.int(30, 400)) : null;
        membershipRows.push({
          chamberId: chamberIds.get(key)!,
          merchantId: m.id,
          level: i < 11 ? "PRESIDENT" : r.next() < 0.6 ? "MEMBER" : r.pick(levels.slice(1)),
          status,
          joinedOn,
          expiresOn,
          decidedBy: admin.id,
        });
      }
    });
    const memberships = await tx.insert(membershipTable).values(membershipRows).returning();
    await tx.insert(duesPaymentTable).values(
      memberships
        .filter((m) => m.expiresOn && m.joinedOn)
        .slice(0, 200)
        .map((m, i) => ({
          chamberId: m.chamberId,
          membershipId: m.id,
          amount: m.level === "MEMBER" ? "2000.00" : "10000.00",
          periodStart: addDays(m.expiresOn!, -365),
          periodEnd: m.expiresOn!,
          paidOn: addDays(m.expiresOn!, -365),
          method: r.pick(["BANK_TRANSFER", "WECHAT_PAY", "CASH"]),
          receiptNo: `R${String(i + 1).padStart(6, "0")}`,
          recordedBy: admin.id,
        })),
    );

    // Demo accounts.
    const shanghaiId = chamberIds.get("shanghai")!;
    const shenzhenId = chamberIds.get("shenzhen")!;
    const [shanghaiSecretary, shenzhenSecretary] = await tx
      .insert(userTable)
      .values([
        { email: "secretary@shanghai.example.org", displayName: "上海商会秘书长", passwordHash },
        { email: "secretary@shenzhen.example.org", displayName: "深圳商会秘书长", passwordHash },
      ])
      .returning();
    await tx.insert(chamberRoleTable).values([
      { chamberId: shanghaiId, userId: shanghaiSecretary!.id, role: "SECRETARY", grantedBy: admin.id },
      { chamberId: shenzhenId, userId: shenzhenSecretary!.id, role: "SECRETARY", grantedBy: admin.id },
    ]);
    const memberForms = pinyinForms("陈一新");
    const [memberMerchant] = await tx
      .insert(merchantTable)
      .values({
        name: "陈一新",
        nameLatin: "Chen Yixin",
        namePinyin: memberForms.full,
        nameInitials: memberForms.initials,
        hometownDistrict: "330302",
        provinceCode: "31",
        mobile: "13800000001",
        mobileVisibility: "CHAMBER",
        email: "member@shanghai.example.org",
        emailVisibility: "FEDERATION",
        wechat: "wx_chenyixin",
        wechatVisibility: "PRIVATE",
        tags: ["LEADING_GOOSE"],
      })
      .returning();
    await tx.insert(userTable).values({ email: "member@shanghai.example.org", displayName: "陈一新", passwordHash, merchantId: memberMerchant!.id });
    await tx.insert(membershipTable).values({
      chamberId: shanghaiId,
      merchantId: memberMerchant!.id,
      level: "VICE_PRESIDENT",
      status: "ACTIVE",
      joinedOn: "2014-05-29",
      expiresOn: addDays(today, 365),
      decidedBy: shanghaiSecretary!.id,
    });

    // Leads across chambers and visibilities.
    const kinds: LeadKind[] = ["INVESTMENT_PROJECT", "BUSINESS_OPPORTUNITY", "SUPPLY", "DEMAND", "PARTNERSHIP"];
    const leadVisibilities: LeadVisibility[] = ["FEDERATION", "CHAMBER", "SELECTED_CHAMBERS"];
    const titles = ["瓯江口新区智能制造项目招商", "鞋服供应链合作伙伴", "温州眼镜出口订单", "浙南科技城研发中心投资", "乐清电气配套采购", "龙湾临港物流仓储合作"];
    const active = memberships.filter((m) => m.status === "ACTIVE");
    let leadCount = 0;
    for (let i = 0; i < 36; i++) {
      const poster = active[(i * 7) % active.length]!;
      const visibility = leadVisibilities[i % 3]!;
      const [lead] = await tx
        .insert(leadTable)
        .values({
          chamberId: poster.chamberId,
          postedByMerchantId: poster.merchantId,
          postedByUserId: admin.id,
          kind: kinds[i % kinds.length]!,
          title: `${titles[i % titles.length]} #${i + 1}`,
          description: "详情请联系发布人。Contact the poster for details.",
          industry: r.pick(industrySectionList).code,
          provinceCode: r.pick(provinceList).code,
          district: r.pick(wenzhouDistrictList).code,
          amount: `${r.int(50, 5000)}0000.00`,
          expiresOn: addDays(today, r.int(-30, 180)),
          visibility,
          status: i % 9 === 0 ? "CLOSED_WON" : i % 11 === 0 ? "IN_PROGRESS" : "OPEN",
          closedValue: i % 9 === 0 ? `${r.int(50, 900)}0000.00` : null,
          closedAt: i % 9 === 0 ? new Date() : null,
        })
        .returning();
      if (visibility === "SELECTED_CHAMBERS")
        await tx.insert(leadAudienceTable).values({ leadChamberId: lead!.chamberId, leadId: lead!.id, chamberId: lead!.chamberId === shanghaiId ? shenzhenId : shanghaiId });
      await tx.insert(leadEventTable).values({ chamberId: lead!.chamberId, leadId: lead!.id, kind: "POSTED" });
      leadCount++;
    }

    return { chambers: CHAMBERS.length + 1, merchants: merchants.length + 1, memberships: memberships.length + 1, leads: leadCount };
  });
}

function provincialKeyFor(provinceCode: string): string {
  return CHAMBERS.find((c) => c.kind === "PROVINCIAL" && c.provinceCode === provinceCode)?.key ?? "";
}
