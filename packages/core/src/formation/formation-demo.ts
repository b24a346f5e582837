// Demo data under the formation rules: a province past NOT_STARTED has its forming chamber, and one at
// APPROVED has its before-approval checklist ticked (as advanceFormation would have required).
import { and, eq, inArray, isNull } from "drizzle-orm";
import { checklistItemTable, formationStepTable, formationTable, type Executor } from "@wz/db";
import { requiredBeforeApproval } from "./checklist";
import { createFormingChamber } from "./formation-service";

export async function seedFormingChambers(tx: Executor, staffUserId: string): Promise<void> {
  const forming = await tx
    .select()
    .from(formationTable)
    .where(and(inArray(formationTable.status, ["INITIATED", "PREPARATORY", "APPLIED", "APPROVED"]), isNull(formationTable.chamberId)));
  for (const f of forming) {
    const chamberId = await createFormingChamber(tx, f.provinceCode, staffUserId);
    await tx.update(formationTable).set({ chamberId }).where(eq(formationTable.provinceCode, f.provinceCode));
    if (f.status !== "APPROVED") continue;
    const [approved] = await tx
      .select({ reachedOn: formationStepTable.reachedOn })
      .from(formationStepTable)
      .where(and(eq(formationStepTable.provinceCode, f.provinceCode), eq(formationStepTable.toStatus, "APPROVED")));
    await tx.insert(checklistItemTable).values(
      requiredBeforeApproval.map((d) => ({
        chamberId,
        item: d.key,
        doneOn: approved?.reachedOn ?? f.reachedOn,
        value: d.key === "MEMBER_FIRMS" ? "120" : null,
        note: "演示数据 demo",
        checkedBy: staffUserId,
      })),
    );
  }
}
