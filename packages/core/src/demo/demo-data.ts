// Demo data for the embedded default: the federation, 31 provinces at mixed formation steps with their
// histories, the nine chambers named in the 2014 speech, a few hundred merchants, memberships, dues and
// leads, and the four demo accounts. Deterministic, so every newcomer sees the same story.
//
// Everything goes through the domain services, as the people in the story would have done it: the
// federation admin creates the chambers and records the formation steps, the secretaries import their
// member lists, decide applications and record dues, merchants set their own profiles and post and answer
// leads. So the demo is audited like any other data, and its lead events are ordered by the lead service.
import {
  chamberTable,
  type Database,
  type FieldVisibility,
  type FormationStatus,
  industrySectionList,
  type LeadKind,
  type LeadVisibility,
  type MembershipLevel,
  mailOutboxTable,
  provinceList,
  wenzhouDistrictList,
} from "@wz/db";
import { stringify } from "csv-stringify/sync";
import { eq, sql } from "drizzle-orm";
import { acceptInvite, createCityStaffAccount, createFederationAdmin, inviteUser, login } from "../auth/auth-service";
import { createChamber } from "../chambers/chamber-service";
import { addDays, todayIso } from "../dates";
import { creditCodeCheckChar } from "../directory/credit-code";
import { latinName, pinyinForms } from "../directory/pinyin";
import { updateMyProfile } from "../directory/profile";
import type { EventPublisher } from "../events/domain-events";
import { requiredBeforeApproval, updateChecklistItem } from "../formation/checklist";
import { advanceFormation, planFormation, provinceFormations } from "../formation/formation-service";
import { postLead, respondToLead, updateLeadStatus } from "../leads/lead-service";
import { recordDuesPayment, setFeeSchedule } from "../membership/dues-service";
import { importMembers } from "../membership/member-import";
import {
  answerMembershipProposal,
  applyForMembership,
  changeMembershipStatus,
  decideMembership,
} from "../membership/membership-service";
import { Permissions } from "../permissions";
import { type CoreSettings, defaultCoreSettings, type ServiceContext } from "../service-context";
import { resolveViewer, type Viewer } from "../viewer";
import { loadDelegationsDemo } from "./delegations-demo";
import { loadGatheringsDemo } from "./gatherings-demo";
import { loadReturnInvestmentDemo } from "./return-investment-demo";

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
const GIVEN =
  "一新建国华明伟志强海平永杰文斌俊晓东丽芳敏静秀英军峰涛亮超宇浩然子轩欣怡佳琪振兴富贵德胜瑞祥洪涛嘉豪雅婷";
const COMPANY_WORDS = [
  "鞋业",
  "服饰",
  "眼镜",
  "电气",
  "阀门",
  "打火机",
  "印刷",
  "汽摩配件",
  "不动产",
  "投资",
  "贸易",
  "科技",
  "物流",
  "五金",
  "包装",
];

interface ChamberSpec {
  key: string;
  kind: "PROVINCIAL" | "MUNICIPAL";
  name: string;
  nameEn: string;
  slug: string;
  provinceCode: string;
  city?: string;
}

type Kind = ChamberSpec["kind"];
const spec = (key: string, kind: Kind, name: string, provinceCode: string, city?: string): ChamberSpec => {
  const place = key[0]!.toUpperCase() + key.slice(1);
  const nameEn = `${place} Wenzhou Chamber of Commerce`;
  return { key, kind, name, nameEn, slug: key, provinceCode, ...(city ? { city } : {}) };
};

// The nine chambers that organised delegations home in 2013, plus the provincial chambers above three of them.
const CHAMBERS: ChamberSpec[] = [
  spec("shanghai", "PROVINCIAL", "上海市温州商会", "31"),
  spec("xinjiang", "PROVINCIAL", "新疆温州商会", "65"),
  spec("jiangsu", "PROVINCIAL", "江苏省温州商会", "32"),
  spec("guangdong", "PROVINCIAL", "广东省温州商会", "44"),
  spec("suzhou", "MUNICIPAL", "苏州温州商会", "32", "苏州"),
  spec("nanjing", "MUNICIPAL", "南京温州商会", "32", "南京"),
  spec("shenzhen", "MUNICIPAL", "深圳温州商会", "44", "深圳"),
  spec("shijiazhuang", "MUNICIPAL", "石家庄温州商会", "13", "石家庄"),
  spec("kunming", "MUNICIPAL", "昆明温州商会", "53", "昆明"),
  spec("hefei", "MUNICIPAL", "合肥温州商会", "34", "合肥"),
  spec("changsha", "MUNICIPAL", "长沙温州商会", "43", "长沙"),
];

const chamberInput = ({ kind, name, nameEn, slug, provinceCode, city }: ChamberSpec) => ({
  kind,
  name,
  nameEn,
  slug,
  provinceCode,
  city: city ?? null,
});

const STEPS: FormationStatus[] = ["NOT_STARTED", "INITIATED", "PREPARATORY", "APPLIED", "APPROVED", "FOUNDED"];
const STEP_NOTES = ["", "发起人到位", "筹备组成立", "已向民政厅申请登记", "登记批准", "成立大会召开"];
// Where each province stood in the demo's story; the rest have not started.
const FORMATION: Record<string, FormationStatus> = {
  "31": "FOUNDED",
  "65": "FOUNDED",
  "32": "FOUNDED",
  "44": "FOUNDED",
  "11": "APPROVED",
  "33": "APPROVED",
  "51": "APPLIED",
  "13": "APPLIED",
  "53": "PREPARATORY",
  "34": "PREPARATORY",
  "43": "PREPARATORY",
  "42": "INITIATED",
  "35": "INITIATED",
  "61": "INITIATED",
  "12": "INITIATED",
  "37": "PREPARATORY",
  "41": "INITIATED",
};
const FEES: { level: MembershipLevel; annualFee: string }[] = [
  { level: "PRESIDENT", annualFee: "200000.00" },
  { level: "EXECUTIVE_VICE_PRESIDENT", annualFee: "100000.00" },
  { level: "VICE_PRESIDENT", annualFee: "50000.00" },
  { level: "STANDING_DIRECTOR", annualFee: "20000.00" },
  { level: "DIRECTOR", annualFee: "10000.00" },
  { level: "MEMBER", annualFee: "2000.00" },
];
const LEVELS: MembershipLevel[] = FEES.map((f) => f.level);
const VISIBILITIES: FieldVisibility[] = ["PUBLIC", "FEDERATION", "CHAMBER", "PRIVATE"];

export interface DemoSummary {
  chambers: number;
  merchants: number;
  memberships: number;
  leads: number;
  /** Return-investment projects. */
  projects: number;
}

export interface DemoOptions {
  settings?: CoreSettings;
  /** Where the services announce their changes; by default nowhere (the demo loads before anyone listens). */
  events?: EventPublisher;
}

const quiet: EventPublisher = { publish: () => {} };

/** One demo merchant as their chamber's member list has them, and what they later set on their profile. */
interface DemoMerchant {
  index: number;
  home: ChamberSpec;
  row: Record<string, string>;
  /** What the merchant set on their profile after the import; null for one who never opened it. */
  profile: Parameters<typeof updateMyProfile>[1] | null;
  status: "ACTIVE" | "LAPSED" | "SUSPENDED";
  /** A second chamber: on its member list too (`row`), or applying there (`roll` decides the application). */
  second: { chamber: ChamberSpec; row: Record<string, string> | null; roll: number } | null;
  merchantId?: string;
  membershipId?: string;
}

/**
 * Loads the demo into an empty database. The whole load is one transaction (each service's own transaction
 * runs inside it as a savepoint): a load that fails leaves nothing behind, and the embedded database
 * commits once instead of several hundred times.
 */
export async function seedDemoData(db: Database, options: DemoOptions = {}): Promise<DemoSummary> {
  return db.transaction((tx) => load(tx, options));
}

async function load(db: Database, options: DemoOptions): Promise<DemoSummary> {
  const r = random(20140529);
  const today = todayIso();
  const settings = options.settings ?? defaultCoreSettings;
  const events = options.events ?? quiet;
  const as = (viewer: Viewer): ServiceContext => ({ db, permissions: new Permissions(viewer), settings, events });
  const signedIn = async (token: string) => {
    const viewer = await resolveViewer(db, token);
    if (!viewer) throw new Error("demo seed: a demo account could not sign in");
    return viewer;
  };

  // The federation's first administrator, by the bootstrap path `npm run admin:create` uses; then signed in.
  await createFederationAdmin(db, {
    email: "admin@example.org",
    password: DEMO_PASSWORD,
    displayName: "总会管理员 Admin",
  });
  const session = await login(db, settings, { email: "admin@example.org", password: DEMO_PASSWORD });
  const staff = await signedIn(session.token);
  const admin = as(staff);

  const federation = await createChamber(admin, {
    kind: "FEDERATION",
    name: "全国温州商会总会",
    nameEn: "National Federation of Wenzhou Chambers of Commerce",
    slug: "federation",
  });
  const chamberIds = new Map<string, string>();
  const foundedOn = new Map<string, string>([[federation.id, "2014-12-18"]]);
  // The provincial chambers of the story exist (forming) before their provinces' first steps are recorded,
  // so the formation service takes them on instead of creating chambers of its own.
  for (const c of CHAMBERS.filter((c) => c.kind === "PROVINCIAL"))
    chamberIds.set(c.key, (await createChamber(admin, chamberInput(c))).id);

  // Formation: each province walks its steps from 2014-06 onwards, about two months a step, and has a plan:
  // one step every two and a half months, FOUNDED by the 2015-12-31 deadline.
  for (const province of provinceList) {
    const targets = [];
    let planned = "2014-09-30";
    for (let step = 1; step < STEPS.length; step++) {
      targets.push({ status: STEPS[step]!, targetOn: step === 5 ? "2015-12-31" : planned });
      planned = addDays(planned, 75);
    }
    await planFormation(admin, { provinceCode: province.code, targets });
    const reached = STEPS.indexOf(FORMATION[province.code] ?? "NOT_STARTED");
    let date = addDays("2014-06-01", r.int(0, 120));
    for (let step = 1; step <= reached; step++) {
      if (STEPS[step] === "APPROVED") {
        // The civil-affairs department approves only a complete file: the pre-approval checklist, ticked.
        const [formation] = await provinceFormations(admin, [province.code]);
        const chamberId = formation!.formation.chamberId!;
        for (const item of requiredBeforeApproval)
          await updateChecklistItem(admin, {
            chamberId,
            item: item.key,
            done: true,
            doneOn: date,
            note: "演示数据 demo",
            value: item.key === "MEMBER_FIRMS" ? "120" : null,
          });
      }
      const note = `${province.name}: ${STEP_NOTES[step]}`;
      await advanceFormation(admin, { provinceCode: province.code, status: STEPS[step]!, date, note });
      if (step < reached) date = addDays(date, r.int(40, 90));
    }
  }

  // Municipal chambers after the foundings, so the rules place each under its province's live chamber.
  for (const c of CHAMBERS.filter((c) => c.kind === "MUNICIPAL")) {
    const chamber = await createChamber(admin, chamberInput(c));
    chamberIds.set(c.key, chamber.id);
    foundedOn.set(chamber.id, addDays("2013-03-01", r.int(0, 600)));
  }
  // No service records when a chamber was founded before the platform knew it (the formation service dates
  // the provincial foundings it records): the story's founding dates of the federation and of the municipal
  // chambers are the one direct write here.
  for (const [id, on] of foundedOn) await db.update(chamberTable).set({ foundedOn: on }).where(eq(chamberTable.id, id));

  // Secretaries, invited by the admin; each accepts and signs in. The two acceptances hash their passwords
  // side by side (their savepoints may interleave in the load's transaction; any failure aborts the whole load).
  const shanghaiId = chamberIds.get("shanghai")!;
  const shenzhenId = chamberIds.get("shenzhen")!;
  const secretaryInvites = [
    { email: "secretary@shanghai.example.org", displayName: "上海商会秘书长", chamberId: shanghaiId },
    { email: "secretary@shenzhen.example.org", displayName: "深圳商会秘书长", chamberId: shenzhenId },
  ];
  const tokens = [];
  for (const invite of secretaryInvites)
    tokens.push((await inviteUser(admin, { ...invite, role: "SECRETARY" })).inviteToken);
  const accepted = await Promise.all(
    tokens.map((token) => acceptInvite(db, settings, { token, password: DEMO_PASSWORD })),
  );
  const secretaries = new Map<string, ServiceContext>();
  secretaries.set(shanghaiId, as(await signedIn(accepted[0]!.token)));
  secretaries.set(shenzhenId, as(await signedIn(accepted[1]!.token)));
  // The other chambers have no secretary account in the demo: their secretariat's work is entered by the
  // admin, acting with those chambers' SECRETARY role for the load only (the role is not granted, so `me`
  // shows the admin as federation staff alone). The audit log names the admin.
  const otherChambers = [...chamberIds.values()].filter((id) => !secretaries.has(id));
  const secretariat = as({ ...staff, secretaryOf: new Set(otherChambers) });
  const secretaryOf = (chamberId: string) => secretaries.get(chamberId) ?? secretariat;

  for (const chamberId of chamberIds.values()) await setFeeSchedule(secretaryOf(chamberId), { chamberId, fees: FEES });

  // Merchants with realistic names, contact fields at every visibility, companies with valid credit codes.
  const merchants: DemoMerchant[] = [];
  for (let i = 0; i < 320; i++) {
    const name = r.pick([...SURNAMES]) + r.pick([...GIVEN]) + (r.next() < 0.7 ? r.pick([...GIVEN]) : "");
    const forms = pinyinForms(name);
    const home = r.pick(CHAMBERS);
    const companies = Array.from({ length: i % 3 === 0 ? 2 : 1 }, (_, k) => {
      const first17 = `91330${String(r.int(100, 399))}${String(r.int(0, 999999999)).padStart(9, "0")}`.slice(0, 17);
      return {
        name: `${k === 0 ? "温州" : (home.city ?? "上海")}${name.slice(1)}${r.pick(COMPANY_WORDS)}有限公司`,
        industry: r.pick(industrySectionList).code,
        role: k === 0 ? "董事长" : "总经理",
        size: r.pick(["SMALL", "MEDIUM", "LARGE"]),
        creditCode: `${first17}${creditCodeCheckChar(first17)}`,
      };
    });
    const roll = r.next();
    const status = roll < 0.87 ? "ACTIVE" : roll < 0.95 ? "LAPSED" : "SUSPENDED";
    const joinedOn = addDays("2013-01-01", r.int(0, 4000));
    // roughly one in twelve has run past its expiry unpaid: it reads as LAPSED
    const expiresOn = addDays(today, status === "LAPSED" ? -r.int(10, 200) : r.int(30, 400));
    const level = i < 11 ? "PRESIDENT" : r.next() < 0.6 ? "MEMBER" : r.pick(LEVELS.slice(1));
    const company = companies[0]!;
    // Some merchants join a second chamber (one imported after their home chamber, so the import there
    // matches them to their directory profile by mobile); some only apply there.
    const later = CHAMBERS.slice(CHAMBERS.indexOf(home) + 1);
    let second: DemoMerchant["second"] = null;
    if (i % 5 === 0 && later.length > 0) {
      const chamber = r.pick(later);
      const roll = r.next();
      const joinedOn = addDays("2014-01-01", r.int(0, 3000));
      const row = {
        姓名: name,
        手机: "",
        职务: "MEMBER",
        入会日期: joinedOn,
        到期日期: addDays(today, r.int(30, 365)),
      };
      second = { chamber, roll, row: roll < 0.5 ? row : null };
    }
    const mobile = `1${r.pick(["3", "5", "8", "9"])}${String(r.int(0, 999999999)).padStart(9, "0")}`;
    if (second?.row) second.row.手机 = mobile;
    merchants.push({
      index: i,
      home,
      status,
      second,
      row: {
        姓名: name,
        英文名: latinName(name),
        手机: mobile,
        邮箱: `${forms.full}${i}@example.com`,
        微信: `wx_${forms.full}${r.int(10, 99)}`,
        籍贯: r.pick(wenzhouDistrictList).code,
        公司: company.name,
        行业: company.industry,
        统一社会信用代码: company.creditCode,
        职务: level,
        入会日期: joinedOn,
        到期日期: expiresOn,
      },
      // About a quarter of the merchants (the leading geese among them) have since kept their profile up; the
      // others are as their chamber's list had them, with the default visibilities (mobile, email: CHAMBER).
      profile: !(i < 24 || i % 5 === 0)
        ? null
        : {
            provinceCode: home.provinceCode,
            city: home.city ?? null,
            tags: [...(r.next() < 0.5 ? ["NEW_GENERATION"] : []), ...(i < 24 ? ["LEADING_GOOSE"] : [])],
            // The import brought the first company; a second one is added on the profile.
            ...(companies.length > 1 ? { companies } : {}),
            mobileVisibility: VISIBILITIES[i % 4]!,
            emailVisibility: VISIBILITIES[(i + 1) % 4]!,
            wechatVisibility: VISIBILITIES[(i + 2) % 4]!,
          },
    });
  }
  // 陈一新, vice-president of the Shanghai chamber since 2014-05-29, is on Shanghai's list like everyone else.
  const chen: DemoMerchant = {
    index: merchants.length,
    home: CHAMBERS[0]!,
    status: "ACTIVE",
    second: null,
    row: {
      姓名: "陈一新",
      英文名: "Chen Yixin",
      手机: "13800000001",
      邮箱: "member@shanghai.example.org",
      微信: "wx_chenyixin",
      籍贯: "330302",
      职务: "VICE_PRESIDENT",
      入会日期: "2014-05-29",
      到期日期: addDays(today, 365),
    },
    profile: {
      provinceCode: "31",
      tags: ["LEADING_GOOSE"],
      mobileVisibility: "CHAMBER",
      emailVisibility: "FEDERATION",
      wechatVisibility: "PRIVATE",
    },
  };

  // Each chamber's secretariat imports its member list: one call per chamber, as the import is made for.
  const columns = Object.keys(merchants[0]!.row);
  for (const [key, chamberId] of chamberIds) {
    const list = [...merchants, chen].filter((m) => m.home.key === key);
    const alsoHere = merchants.filter((m) => m.second?.chamber.key === key && m.second.row).map((m) => m.second!.row!);
    const rows = [...list.map((m) => m.row), ...alsoHere];
    const csv = stringify([columns, ...rows.map((row) => columns.map((c) => row[c] ?? ""))]);
    const result = await importMembers(secretaryOf(chamberId), { chamberId, csv });
    // Someone already imported by their home chamber is matched and asked to join (MATCHED, or PROPOSED when
    // this secretariat cannot see the value that matched); they accept below, as members do.
    if (result.created !== list.length || result.matched + result.proposed !== alsoHere.length)
      throw new Error(`demo seed: the ${key} import went wrong: ${JSON.stringify({ ...result, lines: undefined })}`);
    list.forEach((m, n) => {
      m.merchantId = result.lines[n]!.merchantId!;
      m.membershipId = result.lines[n]!.membershipId!;
    });
  }

  // Merchants keep their own profile: where they work, tags, companies, who sees each contact field.
  // Demo merchants have no accounts (one each would cost a password hash): the loader acts for each with a
  // viewer holding their merchant profile and the admin's user id, so the audit log names the admin.
  const merchantViewer = (merchantId: string, memberOf: Iterable<string> = []): Viewer => ({
    ...staff,
    isFederationStaff: false,
    merchantId,
    secretaryOf: new Set(),
    memberOf: new Set(memberOf),
  });
  for (const m of merchants) if (m.profile) await updateMyProfile(as(merchantViewer(m.merchantId!)), m.profile);
  // The demo's merchants have signed in and agreed to the privacy notice (so the federation directory is full);
  // a few imported ones are held back at the end, found only inside their own chambers.
  await db.execute(sql`insert into privacy_consent (merchant_id, action, notice_version)
    select id, 'AGREED', 1 from merchant`);
  await db.execute(sql`update merchant set listed = true, agreed_notice_version = 1`);

  // Those on a second chamber's list accept its proposal (applying to a chamber that proposed you accepts it).
  for (const m of merchants.filter((m) => m.second?.row))
    await applyForMembership(as(merchantViewer(m.merchantId!)), { chamberId: chamberIds.get(m.second!.chamber.key)! });

  for (const m of merchants.filter((m) => m.status === "SUSPENDED")) {
    const chamberId = chamberIds.get(m.home.key)!;
    await changeMembershipStatus(secretaryOf(chamberId), {
      membershipId: m.membershipId!,
      status: "SUSPENDED",
      reason: "会费争议，暂停会籍 (demo)",
    });
  }

  // The secretariat of a second chamber proposes the merchants not on its list: most accept, it withdraws some,
  // and the rest have not answered yet.
  for (const m of merchants.filter((m) => m.second && !m.second.row)) {
    const chamberId = chamberIds.get(m.second!.chamber.key)!;
    const keeper = secretaryOf(chamberId);
    const applied = await applyForMembership(keeper, { chamberId, merchantId: m.merchantId!, level: "MEMBER" });
    if (m.second!.roll < 0.6) {
      await answerMembershipProposal(as(merchantViewer(m.merchantId!)), { membershipId: applied.id, accept: true });
    } else if (m.second!.roll < 0.7) {
      await decideMembership(keeper, { membershipId: applied.id, approve: false, reason: "不在本会所在地经营 (demo)" });
    }
  }

  // Dues: the last year's payment of some members, recorded by their secretariat.
  const paying = merchants.filter((m) => m.status !== "SUSPENDED" && m.index % 8 === 1);
  for (const [n, m] of paying.entries()) {
    const expiresOn = m.row.到期日期!;
    const periodStart = addDays(expiresOn, -365);
    await recordDuesPayment(secretaryOf(chamberIds.get(m.home.key)!), {
      membershipId: m.membershipId!,
      amount: m.row.职务 === "MEMBER" ? "2000.00" : "10000.00",
      periodStart,
      periodEnd: expiresOn,
      // biome-ignore lint/complexity/useMathMinMax: ISO date strings, which Math.min would turn into NaN
      paidOn: periodStart < today ? periodStart : today,
      method: r.pick(["BANK_TRANSFER", "WECHAT_PAY", "CASH"] as const),
      receiptNo: `R${String(n + 1).padStart(6, "0")}`,
    });
  }

  // 陈一新's account: the Shanghai secretary invites him; accepting links the account to his profile (same email).
  const shanghai = secretaries.get(shanghaiId)!;
  const memberInvite = await inviteUser(shanghai, {
    email: "member@shanghai.example.org",
    displayName: "陈一新",
    chamberId: shanghaiId,
    role: "MEMBER",
  });
  const memberSession = await acceptInvite(db, settings, { token: memberInvite.inviteToken, password: DEMO_PASSWORD });
  await updateMyProfile(as(await signedIn(memberSession.token)), chen.profile!);

  // Leads across chambers and visibilities, posted by active members, some answered, some moved on.
  const kinds: LeadKind[] = ["INVESTMENT_PROJECT", "BUSINESS_OPPORTUNITY", "SUPPLY", "DEMAND", "PARTNERSHIP"];
  const leadVisibilities: LeadVisibility[] = ["FEDERATION", "CHAMBER", "SELECTED_CHAMBERS"];
  const titles = [
    "瓯江口新区智能制造项目招商",
    "鞋服供应链合作伙伴",
    "温州眼镜出口订单",
    "浙南科技城研发中心投资",
    "乐清电气配套采购",
    "龙湾临港物流仓储合作",
  ];
  const active = merchants.filter((m) => m.status === "ACTIVE");
  const memberViewer = (m: DemoMerchant) => as(merchantViewer(m.merchantId!, [chamberIds.get(m.home.key)!]));
  const LEADS = 36;
  let investmentLeadId: string | null = null;
  for (let i = 0; i < LEADS; i++) {
    const poster = active[(i * 7) % active.length]!;
    const chamberId = chamberIds.get(poster.home.key)!;
    const visibility = leadVisibilities[i % 3]!;
    const lead = await postLead(memberViewer(poster), {
      chamberId,
      kind: kinds[i % kinds.length]!,
      title: `${titles[i % titles.length]} #${i + 1}`,
      description: "详情请联系发布人。Contact the poster for details.",
      industry: r.pick(industrySectionList).code,
      provinceCode: r.pick(provinceList).code,
      district: r.pick(wenzhouDistrictList).code,
      amount: `${r.int(50, 5000)}0000.00`,
      expiresOn: addDays(today, r.int(7, 180)),
      visibility,
      selectedChamberIds:
        visibility === "SELECTED_CHAMBERS" ? [chamberId === shanghaiId ? shenzhenId : shanghaiId] : null,
    });
    if (i === 0) investmentLeadId = lead.id; // INVESTMENT_PROJECT, FEDERATION: the city picks it up below
    if (visibility === "FEDERATION" && i % 4 === 0) {
      const responder = active[(i * 7 + 3) % active.length]!;
      await respondToLead(memberViewer(responder), {
        leadId: lead.id,
        kind: "INTEREST",
        message: "有意向，盼进一步沟通。",
      });
    }
    if (i % 9 === 0) {
      const closedValue = `${r.int(50, 900)}0000.00`;
      await updateLeadStatus(memberViewer(poster), { leadId: lead.id, status: "CLOSED_WON", closedValue });
    } else if (i % 11 === 0) await updateLeadStatus(memberViewer(poster), { leadId: lead.id, status: "IN_PROGRESS" });
  }

  // The city's investment staff (a city leader who follows projects), created by the admin; then the
  // return-investment story of the speech, kept by that account.
  const cityAccount = await createCityStaffAccount(admin, {
    email: "city@example.org",
    password: DEMO_PASSWORD,
    displayName: "市招商局 City investment",
  });
  const citySession = await login(db, settings, { email: "city@example.org", password: DEMO_PASSWORD });
  const activeIn = (key: string) => [chen, ...merchants].filter((m) => m.home.key === key && m.status === "ACTIVE");
  const projects = await loadReturnInvestmentDemo({
    city: as(await signedIn(citySession.token)),
    cityUserId: cityAccount.userId,
    chamberIds,
    investorOf: (key, n) => {
      const list = activeIn(key);
      return list.length ? list[n % list.length]!.merchantId : undefined;
    },
    leadId: investmentLeadId,
    today,
  });

  // Delegations home in 2014 and the hundred leading geese with their city leaders (city@example.org is one).
  await loadDelegationsDemo({
    db,
    cityUserId: cityAccount.userId,
    chamberIds,
    activeIn: (key) => activeIn(key).map((m) => m.merchantId!),
    today,
  });
  // Last year's annual meetings, the new-generation joint meeting and the 2013 recognitions.
  await loadGatheringsDemo({ db, cityUserId: cityAccount.userId, chamberIds });
  // Every 20th merchant (by name) with no account, lead, answer, referral or project has not agreed yet: imported
  // by their chamber and never signed in, they are found only inside it.
  await db.execute(sql`with held_back as (
      select id from (
        select m.id, row_number() over (order by m.name, m.mobile) as n from merchant m
        where not exists (select 1 from app_user u where u.merchant_id = m.id)
          and not exists (select 1 from lead l where l.posted_by_merchant_id = m.id)
          and not exists (select 1 from lead_response r where m.id in (r.responder_merchant_id, r.referred_merchant_id))
          and not exists (select 1 from investment_merchant i where i.merchant_id = m.id)
      ) e where n % 20 = 0
    ), cleared as (delete from privacy_consent where merchant_id in (select id from held_back))
    update merchant set listed = false, agreed_notice_version = null where id in (select id from held_back)`);

  // The demo's people are invented (example.org): the mail their seeded invitations, proposals and referrals
  // queued is dropped, so a demo server with SMTP_URL set mails nobody. Only this transaction's rows (now() is
  // its start): a database seeded on request may hold real mail waiting to go.
  await db.delete(mailOutboxTable).where(sql`${mailOutboxTable.createdAt} = now()`);
  const memberships = merchants.length + 1 + merchants.filter((m) => m.second).length;
  return { chambers: chamberIds.size + 1, merchants: merchants.length + 1, memberships, leads: LEADS, projects };
}
