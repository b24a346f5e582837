// Who may see a return-investment project, and how its stage may move. City and federation staff see every
// project; a chamber's secretaries those credited to their chamber (now or before); a merchant those they
// invest in or brought. Problems and arrivals are seen with their project.
import {
  type InvestmentStage,
  investmentCreditTable,
  investmentMerchantTable,
  investmentProjectTable,
  investmentStageEnum,
} from "@wz/db";
import { exists, inArray, or, type SQL, sql } from "drizzle-orm";
import type { Permissions } from "../permissions";

/** The stages in order; DROPPED is off the line. */
export const investmentStageOrder: readonly InvestmentStage[] = investmentStageEnum.enumValues.filter(
  (s) => s !== "DROPPED",
);

/** Stages at which capital can arrive: the deal is signed. */
export const capitalStages: ReadonlySet<InvestmentStage> = new Set(investmentStageOrder.slice(2));

export type StageMove = "forward" | "back" | "drop" | "revive" | "invalid";

/** Forward one step at a time; back any number of steps (with a reason); drop from anywhere (with a reason). */
export function stageMove(from: InvestmentStage, to: InvestmentStage): StageMove {
  if (from === to) return "invalid";
  if (to === "DROPPED") return "drop";
  if (from === "DROPPED") return "revive";
  const a = investmentStageOrder.indexOf(from);
  const b = investmentStageOrder.indexOf(to);
  if (b === a + 1) return "forward";
  if (b < a) return "back";
  return "invalid";
}

/** The projects the viewer may see, as a WHERE condition on investmentProjectTable. */
export function visibleInvestmentProjectsSql(permissions: Permissions): SQL {
  if (!permissions.viewer) return sql`false`;
  if (permissions.can("investment:read-all")) return sql`true`;
  const conditions: SQL[] = [];
  const chambers = permissions.chambersFor("investment:read");
  if (chambers.all) return sql`true`;
  if (chambers.ids.length > 0)
    conditions.push(
      exists(
        sql`(select 1 from ${investmentCreditTable}
          where ${investmentCreditTable.projectId} = ${investmentProjectTable.id}
          and ${inArray(investmentCreditTable.chamberId, [...chambers.ids])})`,
      ),
    );
  const me = permissions.merchantId;
  if (me)
    conditions.push(
      exists(
        sql`(select 1 from ${investmentMerchantTable}
          where ${investmentMerchantTable.projectId} = ${investmentProjectTable.id}
          and ${investmentMerchantTable.merchantId} = ${me})`,
      ),
    );
  return conditions.length > 0 ? or(...conditions)! : sql`false`;
}
