// Problems a project raises (重点项目服务员制度): land, funds, approvals, environment capacity… each with the
// department that must clear it, a due date, and a resolution; every change is in the audit log.
import {
  type InvestmentProblemKind,
  type InvestmentProblemRow,
  investmentProblemTable,
  investmentProjectTable,
} from "@wz/db";
import { eq } from "drizzle-orm";
import { recordAudit } from "../audit/audit-log";
import { isIsoDate } from "../dates";
import { ErrorCollector, UserInputError } from "../errors";
import { msg } from "../messages";
import type { ServiceContext } from "../service-context";
import { isUuid, requiredText } from "../validation";
import { announceInvestmentEvent, appendInvestmentEvent } from "./investment-events";

export interface RaiseInvestmentProblemInput {
  projectId: string;
  kind: InvestmentProblemKind;
  description: string;
  department: string;
  dueOn: string;
}

export async function raiseInvestmentProblem(
  ctx: ServiceContext,
  input: RaiseInvestmentProblemInput,
): Promise<InvestmentProblemRow> {
  const viewer = ctx.permissions.assertPerformAction("investment:problems");
  const errors = new ErrorCollector();
  const descriptionError = requiredText(input.description, msg("lead.descriptionLabel"), 2000);
  if (descriptionError) errors.add(["description"], descriptionError);
  const departmentError = requiredText(input.department, msg("investment.departmentLabel"), 200);
  if (departmentError) errors.add(["department"], departmentError);
  if (!isIsoDate(input.dueOn)) errors.add(["dueOn"], msg("investment.dateForm"));
  errors.throwIfAny();
  const result = await ctx.db.transaction(async (tx) => {
    const [project] = isUuid(input.projectId)
      ? await tx
          .select({ id: investmentProjectTable.id })
          .from(investmentProjectTable)
          .where(eq(investmentProjectTable.id, input.projectId))
      : [];
    if (!project) throw UserInputError.of("NOT_FOUND", ["projectId"], msg("investment.projectNotFound"));
    const [problem] = await tx
      .insert(investmentProblemTable)
      .values({
        projectId: project.id,
        kind: input.kind,
        description: input.description.trim(),
        department: input.department.trim(),
        dueOn: input.dueOn,
        raisedByUserId: viewer.userId,
      })
      .returning();
    await recordAudit(tx, {
      actorUserId: viewer.userId,
      chamberId: null,
      action: "investment:problem-raise",
      entityType: "InvestmentProblem",
      entityId: problem!.id,
      after: problem,
    });
    return { problem: problem!, event: await appendInvestmentEvent(tx, project.id, "PROBLEM_OPENED") };
  });
  announceInvestmentEvent(ctx, result.event);
  return result.problem;
}

export interface UpdateInvestmentProblemInput {
  problemId: string;
  dueOn?: string | null | undefined;
  department?: string | null | undefined;
  /** Resolving: the resolution and the day it was cleared. */
  resolution?: string | null | undefined;
  resolvedOn?: string | null | undefined;
}

export async function updateInvestmentProblem(
  ctx: ServiceContext,
  input: UpdateInvestmentProblemInput,
): Promise<InvestmentProblemRow> {
  const viewer = ctx.permissions.assertPerformAction("investment:problems");
  const errors = new ErrorCollector();
  if (input.dueOn != null && !isIsoDate(input.dueOn)) errors.add(["dueOn"], msg("investment.dateForm"));
  if (input.department != null) {
    const departmentError = requiredText(input.department, msg("investment.departmentLabel"), 200);
    if (departmentError) errors.add(["department"], departmentError);
  }
  const resolving = input.resolution != null || input.resolvedOn != null;
  if (resolving) {
    const resolutionError = requiredText(input.resolution, msg("investment.resolutionLabel"), 2000);
    if (resolutionError) errors.add(["resolution"], resolutionError);
    if (input.resolvedOn == null || !isIsoDate(input.resolvedOn))
      errors.add(["resolvedOn"], msg("investment.resolvedOnNeeded"));
  }
  errors.throwIfAny();
  const result = await ctx.db.transaction(async (tx) => {
    const [before] = isUuid(input.problemId)
      ? await tx
          .select()
          .from(investmentProblemTable)
          .where(eq(investmentProblemTable.id, input.problemId))
          .for("update")
      : [];
    if (!before) throw UserInputError.of("NOT_FOUND", ["problemId"], msg("investment.problemNotFound"));
    if (before.status === "RESOLVED")
      throw UserInputError.of("INVALID_TRANSITION", ["problemId"], msg("investment.problemResolved"));
    const [problem] = await tx
      .update(investmentProblemTable)
      .set({
        dueOn: input.dueOn ?? before.dueOn,
        // a new due date may go overdue again, and is announced again when it does
        ...(input.dueOn != null && input.dueOn !== before.dueOn ? { overdueAnnouncedAt: null } : {}),
        department: input.department?.trim() ?? before.department,
        ...(resolving
          ? { status: "RESOLVED" as const, resolution: input.resolution!.trim(), resolvedOn: input.resolvedOn! }
          : {}),
        updatedAt: new Date(),
      })
      .where(eq(investmentProblemTable.id, before.id))
      .returning();
    await recordAudit(tx, {
      actorUserId: viewer.userId,
      chamberId: null,
      action: resolving ? "investment:problem-resolve" : "investment:problem-update",
      entityType: "InvestmentProblem",
      entityId: before.id,
      before,
      after: problem,
    });
    const event = resolving ? await appendInvestmentEvent(tx, before.projectId, "PROBLEM_RESOLVED") : null;
    return { problem: problem!, event };
  });
  if (result.event) announceInvestmentEvent(ctx, result.event);
  return result.problem;
}
