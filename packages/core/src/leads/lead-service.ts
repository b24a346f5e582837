// Posting, answering and closing leads. Each change writes the lead, its ordered event and the audit entry
// in one transaction, then announces the event after commit.

import {
  chamberTable,
  type Executor,
  industrySectionCodes,
  type LeadEventKind,
  type LeadKind,
  type LeadResponseKind,
  type LeadRow,
  type LeadStatus,
  type LeadVisibility,
  leadAudienceTable,
  leadEventTable,
  leadResponseTable,
  leadTable,
  merchantTable,
  provinceCodes,
  wenzhouDistrictCodes,
} from "@wz/db";
import { and, eq, inArray, isNull, sql } from "drizzle-orm";
import { recordAudit } from "../audit/audit-log";
import { isIsoDate, todayIso } from "../dates";
import { merchantReachable } from "../directory/visibility";
import { ErrorCollector, ForbiddenError, UserInputError } from "../errors";
import { announceMailQueued, enqueueMail, merchantRecipients } from "../mail/outbox";
import { label, msg } from "../messages";
import type { ServiceContext } from "../service-context";
import { isUuid, requiredText } from "../validation";
import { selectedChamberIdsByLeadIds, visibleLeadsByIds } from "./lead-queries";
import { allowedLeadTransitions, canManageLead, effectiveLeadStatus } from "./lead-rules";

const DECIMAL = /^\d{1,14}(\.\d{1,2})?$/;

/** The lead if the viewer may see it; otherwise NOT_FOUND, exactly as for a missing one. */
async function visibleLeadOrNotFound(ctx: ServiceContext, db: Executor, leadId: string): Promise<LeadRow> {
  const [lead] = await visibleLeadsByIds({ db, permissions: ctx.permissions }, [leadId]);
  if (!lead) throw UserInputError.of("NOT_FOUND", ["leadId"], msg("lead.notFound"));
  return lead;
}

/**
 * Appends to the lead event log. The advisory lock makes sequence numbers follow commit order, so a
 * reader that has seen event N never later finds an event below N appear (which would be lost to it).
 */
async function appendLeadEvent(
  tx: Executor,
  lead: { chamberId: string; id: string },
  kind: LeadEventKind,
): Promise<number> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext('lead_event'))`);
  const [event] = await tx
    .insert(leadEventTable)
    .values({ chamberId: lead.chamberId, leadId: lead.id, kind })
    .returning({ seq: leadEventTable.seq });
  return event!.seq;
}

function announce(
  ctx: ServiceContext,
  lead: { chamberId: string; id: string },
  seq: number,
  kind: LeadEventKind,
): void {
  ctx.events.publish({ topic: "lead:event", seq, leadId: lead.id, chamberId: lead.chamberId, kind });
}

export interface PostLeadInput {
  chamberId: string;
  kind: LeadKind;
  title: string;
  description: string;
  industry?: string | null | undefined;
  provinceCode?: string | null | undefined;
  district?: string | null | undefined;
  amount?: string | null | undefined;
  expiresOn?: string | null | undefined;
  visibility: LeadVisibility;
  selectedChamberIds?: readonly string[] | null | undefined;
}

export async function postLead(ctx: ServiceContext, input: PostLeadInput): Promise<LeadRow> {
  if (!isUuid(input.chamberId)) throw UserInputError.of("NOT_FOUND", ["chamberId"], msg("chamber.notFound"));
  const viewer = ctx.permissions.assertPerformAction("lead:post", { chamberId: input.chamberId });
  if (!viewer.merchantId) throw UserInputError.of("INVALID", null, msg("lead.postNeedsProfile"));
  const errors = new ErrorCollector();
  const titleError = requiredText(input.title, msg("lead.titleLabel"), 200);
  if (titleError) errors.add(["title"], titleError);
  const descriptionError = requiredText(input.description, msg("lead.descriptionLabel"), 5000);
  if (descriptionError) errors.add(["description"], descriptionError);
  if (input.industry && !industrySectionCodes.has(input.industry))
    errors.add(["industry"], msg("reference.unknownIndustry", { code: input.industry }));
  if (input.provinceCode && !provinceCodes.has(input.provinceCode))
    errors.add(["provinceCode"], msg("reference.unknownProvince", { code: input.provinceCode }));
  if (input.district && !wenzhouDistrictCodes.has(input.district))
    errors.add(["district"], msg("reference.unknownDistrict", { code: input.district }));
  if (input.amount != null && !DECIMAL.test(input.amount)) errors.add(["amount"], msg("lead.amountForm"));
  if (input.expiresOn != null && (!isIsoDate(input.expiresOn) || input.expiresOn < todayIso()))
    errors.add(["expiresOn"], msg("lead.expiresInPast"));
  const selected = [...new Set(input.selectedChamberIds ?? [])].filter((id) => id !== input.chamberId);
  if (input.visibility === "SELECTED_CHAMBERS" && selected.length === 0)
    errors.add(["selectedChamberIds"], msg("lead.selectedEmpty"));
  if (input.visibility !== "SELECTED_CHAMBERS" && (input.selectedChamberIds?.length ?? 0) > 0)
    errors.add(["selectedChamberIds"], msg("lead.selectedOnlyForSelected"));
  if (selected.some((id) => !isUuid(id))) errors.add(["selectedChamberIds"], msg("chamber.notFound"), "NOT_FOUND");
  errors.throwIfAny();

  const { lead, seq } = await ctx.db.transaction(async (tx) => {
    if (selected.length > 0) {
      const found = await tx
        .select({ id: chamberTable.id })
        .from(chamberTable)
        .where(inArray(chamberTable.id, selected));
      if (found.length !== selected.length)
        throw UserInputError.of("NOT_FOUND", ["selectedChamberIds"], msg("chamber.notFound"));
    }
    const [lead] = await tx
      .insert(leadTable)
      .values({
        chamberId: input.chamberId,
        postedByMerchantId: viewer.merchantId!,
        postedByUserId: viewer.userId,
        kind: input.kind,
        title: input.title.trim(),
        description: input.description.trim(),
        industry: input.industry ?? null,
        provinceCode: input.provinceCode ?? null,
        district: input.district ?? null,
        amount: input.amount ?? null,
        expiresOn: input.expiresOn ?? null,
        visibility: input.visibility,
      })
      .returning();
    if (!lead) throw new Error("lead insert returned nothing");
    if (selected.length > 0)
      await tx
        .insert(leadAudienceTable)
        .values(selected.map((chamberId) => ({ leadChamberId: lead.chamberId, leadId: lead.id, chamberId })));
    await recordAudit(tx, {
      actorUserId: viewer.userId,
      chamberId: lead.chamberId,
      action: "lead:post",
      entityType: "Lead",
      entityId: lead.id,
      after: { ...lead, selectedChamberIds: selected },
    });
    const seq = await appendLeadEvent(tx, lead, "POSTED");
    return { lead, seq };
  });
  announce(ctx, lead, seq, "POSTED");
  return lead;
}

export interface RespondToLeadInput {
  leadId: string;
  kind: LeadResponseKind;
  message: string;
  referredMerchantId?: string | null | undefined;
}

export async function respondToLead(ctx: ServiceContext, input: RespondToLeadInput) {
  const viewer = ctx.permissions.assertPerformAction("lead:respond");
  if (!viewer.merchantId) throw UserInputError.of("INVALID", null, msg("lead.answerNeedsProfile"));
  const errors = new ErrorCollector();
  const messageError = requiredText(input.message, msg("lead.messageLabel"), 2000);
  if (messageError) errors.add(["message"], messageError);
  if (input.kind === "REFERRAL" && !input.referredMerchantId)
    errors.add(["referredMerchantId"], msg("lead.referralNeedsMerchant"));
  if (input.kind === "INTEREST" && input.referredMerchantId)
    errors.add(["referredMerchantId"], msg("lead.onlyReferralNames"));
  if (input.referredMerchantId && input.referredMerchantId === viewer.merchantId)
    errors.add(["referredMerchantId"], msg("lead.referSomeoneElse"));
  errors.throwIfAny();

  const { response, lead, seq, mailQueued } = await ctx.db.transaction(async (tx) => {
    const lead = await visibleLeadOrNotFound(ctx, tx, input.leadId);
    if (lead.postedByMerchantId === viewer.merchantId)
      throw UserInputError.of("INVALID", ["leadId"], msg("lead.ownLead"));
    const status = effectiveLeadStatus(lead, todayIso());
    if (status !== "OPEN" && status !== "IN_PROGRESS")
      throw UserInputError.of(
        "INVALID_TRANSITION",
        ["leadId"],
        msg("lead.noLongerAnswered", { status: label("leadStatus", status) }),
      );
    if (input.referredMerchantId) {
      const [referred] = isUuid(input.referredMerchantId)
        ? await tx
            .select({ id: merchantTable.id })
            .from(merchantTable)
            .where(
              and(
                eq(merchantTable.id, input.referredMerchantId),
                isNull(merchantTable.mergedIntoId),
                // someone the responder finds in the directory, and not an erased profile
                isNull(merchantTable.erasedAt),
                merchantReachable(ctx.permissions.viewer),
              ),
            )
        : [];
      if (!referred) throw UserInputError.of("NOT_FOUND", ["referredMerchantId"], msg("merchant.notFound"));
    }
    // Credit for a referral goes to the chamber the responder answered from: one that can see the lead.
    const [audienceChamberIds = []] = await selectedChamberIdsByLeadIds(tx, [lead.id]);
    const creditable = ctx.permissions.chambersFor("lead:respond-for");
    const candidates = [lead.chamberId, ...audienceChamberIds].filter((chamberId) =>
      ctx.permissions.can("lead:respond-for", { chamberId }),
    );
    const responderChamberId = candidates[0] ?? (creditable.all ? null : creditable.ids[0]) ?? null;
    const [response] = await tx
      .insert(leadResponseTable)
      .values({
        chamberId: lead.chamberId,
        leadId: lead.id,
        kind: input.kind,
        message: input.message.trim(),
        responderMerchantId: viewer.merchantId!,
        responderUserId: viewer.userId,
        responderChamberId,
        referredMerchantId: input.referredMerchantId ?? null,
      })
      .returning();
    await recordAudit(tx, {
      actorUserId: viewer.userId,
      chamberId: lead.chamberId,
      action: "lead:respond",
      entityType: "LeadResponse",
      entityId: response!.id,
      after: response,
    });
    const seq = await appendLeadEvent(tx, lead, "RESPONDED");
    const mailQueued = response!.referredMerchantId ? await queueReferralMail(tx, lead, response!, viewer) : false;
    return { response: response!, lead, seq, mailQueued };
  });
  announce(ctx, lead, seq, "RESPONDED");
  announceMailQueued(ctx, mailQueued);
  return { response, lead };
}

/**
 * Tells the merchant a lead was referred to them ("you were referred to a lead"), when they have an email. The
 * lead's title goes only with a FEDERATION lead to someone with an account (who may read it signed in); any other
 * lead is named by its chamber alone, so a chamber's private lead never leaves it by mail.
 */
async function queueReferralMail(
  tx: Executor,
  lead: LeadRow,
  response: { id: string; referredMerchantId: string | null },
  referrer: { displayName: string },
): Promise<boolean> {
  const merchantId = response.referredMerchantId!;
  const recipient = (await merchantRecipients(tx, [merchantId])).get(merchantId);
  if (!recipient) return false;
  const [chamber] = await tx
    .select({ name: chamberTable.name, nameEn: chamberTable.nameEn })
    .from(chamberTable)
    .where(eq(chamberTable.id, lead.chamberId));
  return enqueueMail(tx, {
    dedupeKey: `lead-referral:${response.id}`,
    recipient: recipient.email,
    locale: recipient.locale,
    template: "lead-referral",
    params: {
      referrerName: referrer.displayName,
      merchantName: recipient.name,
      leadTitle: lead.visibility === "FEDERATION" && recipient.hasAccount ? lead.title : null,
      chamberName: chamber?.name ?? null,
      chamberNameEn: chamber?.nameEn ?? null,
    },
    chamberId: lead.chamberId,
  });
}

export interface UpdateLeadStatusInput {
  leadId: string;
  status: LeadStatus;
  closedValue?: string | null | undefined;
}

export async function updateLeadStatus(ctx: ServiceContext, input: UpdateLeadStatusInput): Promise<LeadRow> {
  const viewer = ctx.permissions.requireViewer();
  const errors = new ErrorCollector();
  if (input.status === "CLOSED_WON" && (input.closedValue == null || !DECIMAL.test(input.closedValue)))
    errors.add(["closedValue"], msg("lead.closedValueNeeded"));
  if (input.status !== "CLOSED_WON" && input.closedValue != null)
    errors.add(["closedValue"], msg("lead.closedValueOnlyWon"));
  errors.throwIfAny();

  const { lead, seq } = await ctx.db.transaction(async (tx) => {
    const before = await visibleLeadOrNotFound(ctx, tx, input.leadId);
    if (!canManageLead(ctx.permissions, before)) throw new ForbiddenError();
    const from = effectiveLeadStatus(before, todayIso());
    if (!allowedLeadTransitions(from).includes(input.status))
      throw UserInputError.of(
        "INVALID_TRANSITION",
        ["status"],
        msg("lead.transition", { from: label("leadStatus", from), to: label("leadStatus", input.status) }),
      );
    const closing = input.status === "CLOSED_WON" || input.status === "CLOSED_LOST" || input.status === "WITHDRAWN";
    // Compare-and-set on the stored status: a concurrent change makes this one fail instead of overwriting it.
    const [lead] = await tx
      .update(leadTable)
      .set({
        status: input.status,
        closedValue: input.status === "CLOSED_WON" ? input.closedValue! : null,
        closedAt: closing ? new Date() : null,
        updatedAt: new Date(),
      })
      .where(
        and(
          eq(leadTable.chamberId, before.chamberId),
          eq(leadTable.id, before.id),
          eq(leadTable.status, before.status),
        ),
      )
      .returning();
    if (!lead) throw UserInputError.of("CONFLICT", ["leadId"], msg("lead.changedMeanwhile"));
    await recordAudit(tx, {
      actorUserId: viewer.userId,
      chamberId: lead.chamberId,
      action: "lead:update-status",
      entityType: "Lead",
      entityId: lead.id,
      before: { status: from, closedValue: before.closedValue },
      after: { status: lead.status, closedValue: lead.closedValue },
    });
    const seq = await appendLeadEvent(tx, lead, "UPDATED");
    return { lead, seq };
  });
  announce(ctx, lead, seq, "UPDATED");
  return lead;
}
