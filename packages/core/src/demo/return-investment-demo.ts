// The return-investment part of the demo: the speech's story in figures. The 2014 target of 800亿 split by
// district; arrivals such that on 2014-04-30 progress reads 106.29亿 of out-of-province return capital (+14.9 % on
// January–April 2013's 92.51亿) plus 92.46亿 of out-of-city real-estate capital = 198.75亿, 24.84 % of the target;
// projects at every stage credited to the chambers the speech names, key projects with their service officer
// and problems (some overdue). Everything through the services, by the city account.
import type { CapitalCategory, InvestmentStage } from "@wz/db";
import { addDays } from "../dates";
import { raiseInvestmentProblem, updateInvestmentProblem } from "../return-investment/investment-problems";
import { setReturnInvestmentTarget } from "../return-investment/investment-progress";
import {
  assignServiceOfficer,
  changeInvestmentInvestor,
  changeInvestmentStage,
  createInvestmentProject,
  recordCapitalArrival,
  reviseInvestmentPledge,
} from "../return-investment/investment-service";
import type { ServiceContext } from "../service-context";

const YI = 100_000_000n; // 亿, in yuan

/** 亿 with up to two decimals ("106.29") as yuan with two decimals ("10629000000.00"). */
function yi(value: string): bigint {
  const [whole = "0", fraction = ""] = value.split(".");
  return BigInt(whole) * YI + (BigInt(`${fraction}00`.slice(0, 2)) * YI) / 100n;
}
const yuan = (amount: bigint) => `${amount}.00`;

/** The 2014 target's split by district (分解到部门): 800亿 in all. */
export const DEMO_DISTRICT_TARGETS_2014: Record<string, string> = {
  "330302": "110",
  "330303": "100",
  "330304": "90",
  "330305": "30",
  "330324": "60",
  "330326": "55",
  "330327": "55",
  "330328": "20",
  "330329": "20",
  "330381": "110",
  "330382": "110",
  "330383": "40",
};

interface DemoProject {
  name: string;
  company: string;
  industry: string;
  district: string;
  /** 亿 */
  pledged: string;
  credits: [string, string][];
  stage: InvestmentStage;
  promotedOn: string;
  key?: boolean;
  green?: boolean;
  /** Its share of each window's arrivals (weights), by category. */
  weight?: Partial<Record<CapitalCategory, number>>;
}

const PROJECTS: DemoProject[] = [
  {
    name: "瓯江口新区智能装备产业园",
    company: "温州瓯江口智能装备有限公司",
    industry: "C",
    district: "330303",
    pledged: "120",
    credits: [["shanghai", "100"]],
    stage: "UNDER_CONSTRUCTION",
    promotedOn: "2012-03-01",
    key: true,
    green: true,
    weight: { RETURN_OUTSIDE_PROVINCE: 5 },
  },
  {
    name: "浙南科技城研发总部",
    company: "温州浙南科创投资有限公司",
    industry: "M",
    district: "330304",
    pledged: "100",
    credits: [["shenzhen", "100"]],
    stage: "IN_OPERATION",
    promotedOn: "2012-02-01",
    key: true,
    weight: { RETURN_OUTSIDE_PROVINCE: 4 },
  },
  {
    name: "鹿城中央商务区综合体",
    company: "温州鹿城置业有限公司",
    industry: "K",
    district: "330302",
    pledged: "150",
    credits: [
      ["suzhou", "60"],
      ["shanghai", "40"],
    ],
    stage: "UNDER_CONSTRUCTION",
    promotedOn: "2012-05-10",
    key: true,
    weight: { REAL_ESTATE_OUTSIDE_CITY: 5 },
  },
  {
    name: "瑞安滨江新城住宅",
    company: "瑞安滨江房地产开发有限公司",
    industry: "K",
    district: "330381",
    pledged: "120",
    credits: [["nanjing", "100"]],
    stage: "TO_START",
    promotedOn: "2012-06-01",
    weight: { REAL_ESTATE_OUTSIDE_CITY: 4 },
  },
  {
    name: "乐清电气产业升级基地",
    company: "乐清正泰回归电气有限公司",
    industry: "C",
    district: "330382",
    pledged: "75",
    credits: [["hefei", "100"]],
    stage: "UNDER_CONSTRUCTION",
    promotedOn: "2012-04-01",
    key: true,
    green: true,
    weight: { RETURN_OUTSIDE_PROVINCE: 3 },
  },
  {
    name: "永嘉楠溪江旅游度假区",
    company: "永嘉楠溪江文旅发展有限公司",
    industry: "R",
    district: "330324",
    pledged: "50",
    credits: [["kunming", "100"]],
    stage: "SIGNED",
    promotedOn: "2012-09-01",
    weight: { RETURN_OUTSIDE_PROVINCE: 2 },
  },
  {
    name: "平阳宠物用品产业园",
    company: "平阳宠物科技有限公司",
    industry: "C",
    district: "330326",
    pledged: "50",
    credits: [["changsha", "100"]],
    stage: "TO_START",
    promotedOn: "2012-10-01",
    weight: { RETURN_OUTSIDE_PROVINCE: 2 },
  },
  {
    name: "苍南新城商业中心",
    company: "苍南新城置业有限公司",
    industry: "K",
    district: "330327",
    pledged: "80",
    credits: [["shijiazhuang", "100"]],
    stage: "UNDER_CONSTRUCTION",
    promotedOn: "2012-07-01",
    weight: { REAL_ESTATE_OUTSIDE_CITY: 3 },
  },
  {
    name: "龙港印刷包装产业园",
    company: "龙港新型印刷有限公司",
    industry: "C",
    district: "330383",
    pledged: "70",
    credits: [["xinjiang", "100"]],
    stage: "IN_OPERATION",
    promotedOn: "2012-01-15",
    weight: { RETURN_OUTSIDE_PROVINCE: 2, REAL_ESTATE_OUTSIDE_CITY: 1 },
  },
  {
    name: "洞头海洋渔业综合体",
    company: "洞头海洋发展有限公司",
    industry: "A",
    district: "330305",
    pledged: "25",
    credits: [["suzhou", "100"]],
    stage: "SIGNED",
    promotedOn: "2012-11-01",
    weight: { RETURN_OUTSIDE_PROVINCE: 1 },
  },
  // not (yet) bringing capital: projects at the early stages, and one dropped
  {
    name: "文成生态康养小镇",
    company: "文成康养投资有限公司",
    industry: "Q",
    district: "330328",
    pledged: "20",
    credits: [["kunming", "100"]],
    stage: "NEGOTIATING",
    promotedOn: "2014-02-01",
  },
  {
    name: "泰顺廊桥文化产业园",
    company: "泰顺廊桥文创有限公司",
    industry: "R",
    district: "330329",
    pledged: "12",
    credits: [["changsha", "100"]],
    stage: "PROMOTED",
    promotedOn: "2014-03-15",
  },
  {
    name: "龙湾临港物流中心",
    company: "温州龙湾临港物流有限公司",
    industry: "G",
    district: "330303",
    pledged: "18",
    credits: [
      ["shenzhen", "50"],
      ["hefei", "50"],
    ],
    stage: "NEGOTIATING",
    promotedOn: "2014-01-20",
  },
  {
    name: "瓯海眼镜小镇",
    company: "瓯海眼镜产业投资有限公司",
    industry: "C",
    district: "330304",
    pledged: "15",
    credits: [["shijiazhuang", "100"]],
    stage: "DROPPED",
    promotedOn: "2013-06-01",
  },
];

/** Splits `total` over the weights exactly (the last takes the rounding). */
function split(total: bigint, weights: number[]): bigint[] {
  const sum = BigInt(weights.reduce((s, w) => s + w, 0));
  const parts = weights.map((w) => (total * BigInt(w)) / sum);
  parts[parts.length - 1]! += total - parts.reduce((s, p) => s + p, 0n);
  return parts;
}

/** Arrivals per category in each window: [from, to, total in 亿]. */
const WINDOWS: { category: CapitalCategory; from: string; months: number; total: string }[] = [
  // 2013: 410亿 of domestic capital in the year, 172.51亿 of it January–April
  { category: "RETURN_OUTSIDE_PROVINCE", from: "2013-01", months: 4, total: "92.51" },
  { category: "REAL_ESTATE_OUTSIDE_CITY", from: "2013-01", months: 4, total: "80" },
  { category: "RETURN_OUTSIDE_PROVINCE", from: "2013-05", months: 8, total: "137.49" },
  { category: "REAL_ESTATE_OUTSIDE_CITY", from: "2013-05", months: 8, total: "100" },
  // 2014 to 30 April: the speech's 106.29亿 + 92.46亿
  { category: "RETURN_OUTSIDE_PROVINCE", from: "2014-01", months: 4, total: "106.29" },
  { category: "REAL_ESTATE_OUTSIDE_CITY", from: "2014-01", months: 4, total: "92.46" },
  // and May–June 2014, after the speech's date
  { category: "RETURN_OUTSIDE_PROVINCE", from: "2014-05", months: 2, total: "31.2" },
  { category: "REAL_ESTATE_OUTSIDE_CITY", from: "2014-05", months: 2, total: "18.8" },
];

const STAGES: InvestmentStage[] = [
  "PROMOTED",
  "NEGOTIATING",
  "SIGNED",
  "TO_START",
  "UNDER_CONSTRUCTION",
  "IN_OPERATION",
];

function monthDay(from: string, offset: number, day: number): string {
  const [y, m] = from.split("-").map(Number) as [number, number];
  const month = m - 1 + offset;
  const date = new Date(Date.UTC(y + Math.floor(month / 12), month % 12, day));
  return date.toISOString().slice(0, 10);
}

export interface ReturnInvestmentDemoInput {
  city: ServiceContext;
  /** The city account, service officer of the key projects. */
  cityUserId: string;
  chamberIds: ReadonlyMap<string, string>;
  /** An active merchant of each chamber (by key), recorded as the investor of that chamber's projects. */
  investorOf: (chamberKey: string, n: number) => string | undefined;
  /** An INVESTMENT_PROJECT lead to turn into a project. */
  leadId: string | null;
  today: string;
}

export async function loadReturnInvestmentDemo(input: ReturnInvestmentDemoInput): Promise<number> {
  const { city, chamberIds, today } = input;
  const districts = Object.entries(DEMO_DISTRICT_TARGETS_2014).map(([districtCode, amount]) => ({
    districtCode,
    amount: yuan(yi(amount)),
  }));
  await setReturnInvestmentTarget(city, { year: 2014, amount: yuan(yi("800")), districts });

  const ids: string[] = [];
  for (const [n, p] of PROJECTS.entries()) {
    const investor = input.investorOf(p.credits[0]![0], n);
    const project = await createInvestmentProject(city, {
      name: p.name,
      companyName: p.company,
      industry: p.industry,
      district: p.district,
      pledged: yuan(yi(p.pledged)),
      keyProject: p.key ?? false,
      greenChannel: p.green ?? false,
      promotedOn: p.promotedOn,
      credits: p.credits.map(([key, sharePercent]) => ({ chamberId: chamberIds.get(key)!, sharePercent })),
      investorMerchantIds: investor ? [investor] : [],
    });
    ids.push(project.id);
    // a stage every few weeks from the promotion: the projects bringing capital were signed by the end of 2012
    const last = p.stage === "DROPPED" ? 1 : STAGES.indexOf(p.stage);
    let on = p.promotedOn;
    for (let s = 1; s <= last; s++) {
      on = addDays(on, p.weight ? 20 : 45);
      await changeInvestmentStage(city, { projectId: project.id, stage: STAGES[s]!, on });
    }
    if (p.stage === "DROPPED")
      await changeInvestmentStage(city, {
        projectId: project.id,
        stage: "DROPPED",
        on: addDays(on, 60),
        reason: "投资方资金链紧张，项目终止 (demo)",
      });
    if (p.key) await assignServiceOfficer(city, { projectId: project.id, userId: input.cityUserId });
  }

  // capital: each window's total over the projects with a weight in its category, one arrival a month each
  for (const w of WINDOWS) {
    const takers = PROJECTS.map((p, i) => ({ i, weight: p.weight?.[w.category] ?? 0 })).filter((t) => t.weight > 0);
    const perProject = split(
      yi(w.total),
      takers.map((t) => t.weight),
    );
    for (const [k, taker] of takers.entries()) {
      const monthly = split(
        perProject[k]!,
        Array.from({ length: w.months }, (_, m) => m + 1),
      );
      for (const [m, amount] of monthly.entries())
        await recordCapitalArrival(city, {
          projectId: ids[taker.i]!,
          amount: yuan(amount),
          arrivedOn: monthDay(w.from, m, 5 + ((taker.i * 3) % 20)),
          category: w.category,
        });
    }
  }

  // a capital increase (counts only the increase) and a new investor (credited afresh)
  await reviseInvestmentPledge(city, {
    projectId: ids[0]!,
    pledged: yuan(yi("150")),
    on: "2014-03-18",
    kind: "INCREASE",
    reason: "二期增资 (demo)",
  });
  const newInvestor = input.investorOf("hefei", 99);
  if (newInvestor)
    await changeInvestmentInvestor(city, {
      projectId: ids[6]!,
      on: "2014-02-01",
      investorMerchantIds: [newInvestor],
      credits: [{ chamberId: chamberIds.get("hefei")!, sharePercent: "100" }],
      reason: "长沙商会会员转让股权，合肥商会会员接手 (demo)",
    });

  // problems on the key projects: cleared, open and overdue, open and not yet due
  const problems: {
    project: number;
    kind: "LAND" | "FUNDS" | "APPROVAL" | "ENVIRONMENT_CAPACITY" | "OTHER";
    description: string;
    department: string;
    dueOn: string;
    resolved?: string;
  }[] = [
    { project: 0, kind: "LAND", description: "二期用地指标尚未落实", department: "市国土资源局", dueOn: "2014-05-31" },
    {
      project: 0,
      kind: "APPROVAL",
      description: "环评批复待出",
      department: "市环保局",
      dueOn: "2014-03-31",
      resolved: "绿色通道加急办理，已批复",
    },
    { project: 2, kind: "FUNDS", description: "配套贷款授信未到位", department: "市金融办", dueOn: "2014-04-15" },
    {
      project: 4,
      kind: "ENVIRONMENT_CAPACITY",
      description: "排污总量指标不足",
      department: "乐清市环保局",
      dueOn: addDays(today, 30),
    },
    {
      project: 1,
      kind: "OTHER",
      description: "人才公寓配套",
      department: "瓯海区人社局",
      dueOn: "2014-02-28",
      resolved: "已安排人才公寓 120 套",
    },
  ];
  for (const p of problems) {
    const raised = await raiseInvestmentProblem(city, {
      projectId: ids[p.project]!,
      kind: p.kind,
      description: p.description,
      department: p.department,
      dueOn: p.dueOn,
    });
    if (p.resolved)
      await updateInvestmentProblem(city, { problemId: raised.id, resolution: p.resolved, resolvedOn: p.dueOn });
  }

  // an INVESTMENT_PROJECT lead the city picked up: credited to the lead's chamber and poster
  if (input.leadId)
    await createInvestmentProject(city, { leadId: input.leadId, district: "330302", promotedOn: today });
  return PROJECTS.length + (input.leadId ? 1 : 0);
}
