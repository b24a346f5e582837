// The checklist behind a chamber's approval and its life afterwards, from Wenzhou's rules for chambers away
// from home: what a forming chamber needs before registration, and what a live one must keep.

import { chamberTable, checklistItemTable, type Executor } from "@wz/db";
import { and, eq, inArray, ne } from "drizzle-orm";
import { recordAudit } from "../audit/audit-log";
import { todayIso } from "../dates";
import { ErrorCollector, UserInputError } from "../errors";
import { type Message, msg } from "../messages";
import type { ServiceContext } from "../service-context";
import { isUuid } from "../validation";

export type ChecklistPhase = "BEFORE_APPROVAL" | "LIVE";

export interface ChecklistDefinition {
  key: string;
  phase: ChecklistPhase;
  label: string;
  /** What `value` holds for this item, and the rule it must meet to be ticked. */
  value?: { label: Message; check: (value: number) => Message | null };
}

const wholeNumber = (label: Message, check: (n: number) => Message | null) => ({ label, check });

export const checklistCatalogue: readonly ChecklistDefinition[] = [
  {
    key: "MEMBER_FIRMS",
    phase: "BEFORE_APPROVAL",
    label: "Enough member firms (会员企业)",
    // How many is "enough" is the civil-affairs department's call; the federation records the count it saw.
    value: wholeNumber(msg("checklist.memberFirmsValue"), (n) => (n >= 1 ? null : msg("checklist.memberFirmsRule"))),
  },
  { key: "PREMISES", phase: "BEFORE_APPROVAL", label: "Fixed premises (固定办公场所)" },
  { key: "PRESIDENT_CANDIDATE", phase: "BEFORE_APPROVAL", label: "Candidate for president (会长人选)" },
  {
    key: "SECRETARY_GENERAL_CANDIDATE",
    phase: "BEFORE_APPROVAL",
    label: "Candidate for full-time secretary-general (专职秘书长人选)",
  },
  { key: "CHARTER", phase: "BEFORE_APPROVAL", label: "Charter (章程)" },
  { key: "SUPERVISORY_BOARD", phase: "LIVE", label: "Supervisory board (监事会)" },
  {
    key: "FULL_TIME_STAFF",
    phase: "LIVE",
    label: "At least two full-time staff (专职工作人员)",
    value: wholeNumber(msg("checklist.staffValue"), (n) => (n >= 2 ? null : msg("checklist.staffRule"))),
  },
  {
    key: "PRESIDENT_TERMS",
    phase: "LIVE",
    label: "President serving at most two terms (会长任期)",
    value: wholeNumber(msg("checklist.termValue"), (n) => (n >= 1 && n <= 2 ? null : msg("checklist.termRule"))),
  },
];

export const checklistKeys = new Set(checklistCatalogue.map((d) => d.key));
export const requiredBeforeApproval = checklistCatalogue.filter((d) => d.phase === "BEFORE_APPROVAL");

export interface ChecklistItemView {
  chamberId: string;
  definition: ChecklistDefinition;
  done: boolean;
  doneOn: string | null;
  note: string | null;
  value: string | null;
  checkedBy: string | null;
}

/**
 * Each chamber's checklist for a viewer: null where they may not read it (`checklist:read`) and for a key that is
 * not a chamber id (the federation keeps no checklist). One statement for all chambers.
 */
export async function chamberChecklists(
  ctx: Pick<ServiceContext, "db" | "permissions">,
  chamberIds: readonly string[],
): Promise<(ChecklistItemView[] | null)[]> {
  const readable = [
    ...new Set(chamberIds.filter((id) => isUuid(id) && ctx.permissions.can("checklist:read", { chamberId: id }))),
  ];
  const lists = await loadChecklists(ctx.db, readable);
  const byChamber = new Map(lists.map((list, i) => [readable[i]!, list]));
  return chamberIds.map((id) => byChamber.get(id) ?? null);
}

/** One checklist item: its chamber and catalogue key (the item's node id holds both). */
export interface ChecklistItemKey {
  chamberId: string;
  item: string;
}

/**
 * Checklist items by key, in the order asked for: null for a chamber the viewer may not read the checklist of
 * (`checklist:read`), a chamber that does not exist or keeps none (the federation), or a key not in the catalogue.
 */
export async function checklistItemsByKeys(
  ctx: Pick<ServiceContext, "db" | "permissions">,
  keys: readonly ChecklistItemKey[],
): Promise<(ChecklistItemView | null)[]> {
  const asked = [
    ...new Set(
      keys
        .filter((k) => isUuid(k.chamberId) && checklistKeys.has(k.item))
        .filter((k) => ctx.permissions.can("checklist:read", { chamberId: k.chamberId }))
        .map((k) => k.chamberId),
    ),
  ];
  const chambers = asked.length
    ? await ctx.db
        .select({ id: chamberTable.id })
        .from(chamberTable)
        .where(and(inArray(chamberTable.id, asked), ne(chamberTable.kind, "FEDERATION")))
    : [];
  const ids = chambers.map((c) => c.id);
  const lists = await loadChecklists(ctx.db, ids);
  const byKey = new Map(lists.flat().map((v) => [`${v.chamberId}/${v.definition.key}`, v]));
  return keys.map((k) => byKey.get(`${k.chamberId}/${k.item}`) ?? null);
}

/** Every catalogue item for each chamber, ticked or not, in catalogue order: one statement for all chambers. */
async function loadChecklists(db: Executor, chamberIds: readonly string[]): Promise<ChecklistItemView[][]> {
  const ids = chamberIds.filter(isUuid);
  const rows = ids.length
    ? await db.select().from(checklistItemTable).where(inArray(checklistItemTable.chamberId, ids))
    : [];
  const byKey = new Map(rows.map((r) => [`${r.chamberId}/${r.item}`, r]));
  return chamberIds.map((chamberId) =>
    checklistCatalogue.map((definition) => {
      const row = byKey.get(`${chamberId}/${definition.key}`);
      return {
        chamberId,
        definition,
        done: Boolean(row?.doneOn),
        doneOn: row?.doneOn ?? null,
        note: row?.note ?? null,
        value: row?.value ?? null,
        checkedBy: row?.checkedBy ?? null,
      };
    }),
  );
}

/** The pre-approval items still open for a chamber (all of them when there is no chamber yet). */
export async function openBeforeApproval(db: Executor, chamberId: string | null): Promise<ChecklistDefinition[]> {
  if (!chamberId) return [...requiredBeforeApproval];
  const [list] = await loadChecklists(db, [chamberId]);
  return (list ?? []).filter((i) => i.definition.phase === "BEFORE_APPROVAL" && !i.done).map((i) => i.definition);
}

export interface UpdateChecklistItemInput {
  chamberId: string;
  item: string;
  /** true ticks the item (on `doneOn`, default today); false reopens it. */
  done: boolean;
  doneOn?: string | null | undefined;
  note?: string | null | undefined;
  value?: string | null | undefined;
}

export async function updateChecklistItem(
  ctx: ServiceContext,
  input: UpdateChecklistItemInput,
  today = todayIso(),
): Promise<ChecklistItemView> {
  const viewer = ctx.permissions.assertPerformAction("checklist:update");
  const notFound = UserInputError.of("NOT_FOUND", ["chamberId"], msg("chamber.notFound"));
  if (!isUuid(input.chamberId)) throw notFound;
  const errors = new ErrorCollector();
  const definition = checklistCatalogue.find((d) => d.key === input.item);
  if (!definition)
    errors.add(["item"], msg("checklist.unknownItem", { item: input.item, items: [...checklistKeys].join(", ") }));
  const doneOn = input.done ? (input.doneOn ?? today) : null;
  if (doneOn && doneOn > today) errors.add(["doneOn"], msg("checklist.doneInFuture"));
  const note = input.note?.trim() || null;
  if (note && note.length > 2000) errors.add(["note"], msg("formation.noteTooLong"));
  const value = input.value?.trim() || null;
  if (definition?.value && input.done) {
    const n = value !== null && /^\d{1,6}$/.test(value) ? Number(value) : NaN;
    if (Number.isNaN(n)) errors.add(["value"], msg("checklist.wholeNumber", { what: definition.value.label }));
    else {
      const problem = definition.value.check(n);
      if (problem) errors.add(["value"], problem);
    }
  }
  errors.throwIfAny();

  const result = await ctx.db.transaction(async (tx) => {
    const [chamber] = await tx.select().from(chamberTable).where(eq(chamberTable.id, input.chamberId));
    if (!chamber) throw notFound;
    if (chamber.kind === "FEDERATION" || chamber.status === "DISSOLVED")
      throw UserInputError.of("INVALID", ["chamberId"], msg("checklist.notForThisChamber"));
    const [before] = await tx
      .select()
      .from(checklistItemTable)
      .where(and(eq(checklistItemTable.chamberId, chamber.id), eq(checklistItemTable.item, definition!.key)));
    const values = { doneOn, note, value, checkedBy: viewer.userId, updatedAt: new Date() };
    const [after] = await tx
      .insert(checklistItemTable)
      .values({ chamberId: chamber.id, item: definition!.key, ...values })
      .onConflictDoUpdate({ target: [checklistItemTable.chamberId, checklistItemTable.item], set: values })
      .returning();
    await recordAudit(tx, {
      actorUserId: viewer.userId,
      chamberId: chamber.id,
      action: input.done ? "checklist:tick" : "checklist:reopen",
      entityType: "ChecklistItem",
      entityId: `${chamber.id}/${definition!.key}`,
      before: before ?? null,
      after,
    });
    const item: ChecklistItemView = {
      chamberId: chamber.id,
      definition: definition!,
      done: Boolean(after?.doneOn),
      doneOn: after?.doneOn ?? null,
      note,
      value,
      checkedBy: viewer.userId,
    };
    return { item, provinceCode: chamber.kind === "PROVINCIAL" ? chamber.provinceCode : null };
  });
  // A provincial chamber's checklist is part of its province's formation: dashboards listening should refresh.
  if (result.provinceCode) ctx.events.publish({ topic: "formation:changed", provinceCode: result.provinceCode });
  return result.item;
}
