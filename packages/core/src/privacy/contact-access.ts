// Who looked (PIPL Art. 44, the right to know): each time the visibility rule shows a merchant's non-public
// contact value to someone else, the operation's recorder notes it; the entries are written once per operation,
// one set-based statement (group-committed with other operations' in this process), before its answer leaves.
// The merchant reads theirs (`myAccessLog`); nobody else reads any.
import {
  type AccessBasis,
  type AccessChannel,
  asSystem,
  type ContactAccessRow,
  type ContactField,
  chamberTable,
  contactAccessTable,
  type Executor,
  userTable,
} from "@wz/db";
import { and, count, eq, inArray, sql } from "drizzle-orm";
import { keysetPage, type PageRequest } from "../common/paging";
import { type ContactAccessSink, fieldGrant, type ShownContact } from "../directory/visibility";
import type { ServiceContext } from "../service-context";
import type { Viewer } from "../viewer";

/** One entry about to be written: a viewer saw these fields of one merchant in one operation. */
export interface ContactAccessDraft {
  merchantId: string;
  viewerUserId: string;
  fields: ContactField[];
  channel: AccessChannel;
  basis: AccessBasis;
  basisChamberId: string | null;
  exportAuditId: number | null;
}

/** The strongest basis wins when one operation shows fields of a merchant on several (their secretariat first). */
const basisRank: Record<AccessBasis, number> = { SECRETARIAT: 3, CHAMBER: 2, FEDERATION: 1 };
const fieldOrder: Record<ContactField, number> = { MOBILE: 0, LANDLINE: 1, EMAIL: 2, WECHAT: 3 };

/**
 * Collects what one operation showed: one entry per viewer and merchant, with every field shown. Nothing for
 * PUBLIC values, for the merchant's own, or for anonymous viewers (who see PUBLIC values only).
 */
export class ContactAccessRecorder implements ContactAccessSink {
  private readonly entries = new Map<string, Omit<ContactAccessDraft, "channel" | "exportAuditId">>();
  private captured: ShownContact[] | null = null;

  note(viewer: Viewer | null, shown: ShownContact): void {
    if (this.captured) {
      this.captured.push(shown);
      return;
    }
    const grant = fieldGrant(viewer, shown.merchantId, shown.visibility, shown.facts);
    if (!viewer || !grant || grant.basis === "PUBLIC" || grant.basis === "SELF") return;
    const key = `${viewer.userId}/${shown.merchantId}`;
    const entry = this.entries.get(key);
    if (!entry) {
      this.entries.set(key, {
        merchantId: shown.merchantId,
        viewerUserId: viewer.userId,
        fields: [shown.field],
        basis: grant.basis,
        basisChamberId: grant.chamberId,
      });
      return;
    }
    if (!entry.fields.includes(shown.field)) entry.fields.push(shown.field);
    if (basisRank[grant.basis] > basisRank[entry.basis]) {
      entry.basis = grant.basis;
      entry.basisChamberId = grant.chamberId;
    }
  }

  /**
   * Runs `work` noting what it shows without a viewer (a shared subscription execution: one result for many
   * subscribers), so each subscriber's delivery can `replay` it as theirs. One capture at a time per recorder.
   */
  async capture<T>(work: () => Promise<T>): Promise<{ value: T; shown: ShownContact[] }> {
    const shown: ShownContact[] = [];
    this.captured = shown;
    try {
      return { value: await work(), shown };
    } finally {
      this.captured = null;
    }
  }

  /** Notes for this viewer what a shared execution showed (re-deciding each value's basis for them). */
  replay(viewer: Viewer | null, shown: readonly ShownContact[]): void {
    for (const s of shown) this.note(viewer, s);
  }

  /** The entries noted since the last take, stamped with the channel; the recorder starts empty again. */
  take(channel: AccessChannel, exportAuditId: number | null = null): ContactAccessDraft[] {
    const drafts = [...this.entries.values()].map((e) => ({
      ...e,
      fields: e.fields.sort((a, b) => fieldOrder[a] - fieldOrder[b]),
      channel,
      exportAuditId,
    }));
    this.entries.clear();
    return drafts;
  }
}

const WRITE_CHUNK = 5_000;

/** Writes entries in one statement per 5,000 (an export of a large chamber too), as one JSON parameter. */
export async function writeContactAccess(db: Executor, drafts: readonly ContactAccessDraft[]): Promise<void> {
  for (let i = 0; i < drafts.length; i += WRITE_CHUNK) {
    const rows = JSON.stringify(drafts.slice(i, i + WRITE_CHUNK));
    await db.execute(sql`
      insert into ${contactAccessTable}
        (merchant_id, viewer_user_id, fields, channel, basis, basis_chamber_id, export_audit_id)
      select r."merchantId", r."viewerUserId",
             array(select jsonb_array_elements_text(r.fields))::contact_field[],
             r.channel::access_channel, r.basis::access_basis, r."basisChamberId", r."exportAuditId"
      from jsonb_to_recordset(${rows}::jsonb) as r(
        "merchantId" uuid, "viewerUserId" uuid, fields jsonb, channel text, basis text,
        "basisChamberId" uuid, "exportAuditId" bigint)`);
  }
}

/**
 * This process's writer: operations finishing together share one statement (group commit). `write` resolves
 * once the entries it was given are committed and rejects if their statement failed, so the caller can
 * withhold its answer: no contact value leaves without its entry.
 */
export class ContactAccessLog {
  private queue: { drafts: readonly ContactAccessDraft[]; done: (error?: unknown) => void }[] = [];
  private writing = false;

  constructor(private readonly db: Executor) {}

  write(drafts: readonly ContactAccessDraft[]): Promise<void> {
    if (drafts.length === 0) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ drafts, done: (error) => (error === undefined ? resolve() : reject(error)) });
      if (!this.writing) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.writing = true;
    try {
      while (this.queue.length) {
        const batch = this.queue.splice(0);
        try {
          // entries of many viewers' operations in one statement: the system's, not whichever operation started it
          await asSystem(() =>
            writeContactAccess(
              this.db,
              batch.flatMap((b) => b.drafts),
            ),
          );
          for (const b of batch) b.done();
        } catch (error) {
          for (const b of batch) b.done(error ?? new Error("contact access not recorded"));
        }
      }
    } finally {
      this.writing = false;
    }
  }
}

/** An entry as the merchant reads it: who (the account's display name), why, through what, when. */
export interface ContactAccessEntry extends ContactAccessRow {
  viewerName: string;
}

const entryColumns = {
  id: contactAccessTable.id,
  merchantId: contactAccessTable.merchantId,
  viewerUserId: contactAccessTable.viewerUserId,
  fields: contactAccessTable.fields,
  channel: contactAccessTable.channel,
  basis: contactAccessTable.basis,
  basisChamberId: contactAccessTable.basisChamberId,
  exportAuditId: contactAccessTable.exportAuditId,
  at: contactAccessTable.at,
  viewerName: userTable.displayName,
};

/** The viewer's own merchant profile, or null: nobody reads another's access log. */
function ownMerchant(ctx: Pick<ServiceContext, "permissions">): string | null {
  return ctx.permissions.viewer?.merchantId ?? null;
}

/** One page of who saw the viewer's contact fields, newest first. */
export async function listMyContactAccess(
  ctx: Pick<ServiceContext, "db" | "permissions">,
  page: PageRequest,
): Promise<ContactAccessEntry[]> {
  const merchantId = ownMerchant(ctx);
  if (!merchantId) return [];
  const { where, orderBy } = keysetPage(page, contactAccessTable.id, contactAccessTable.id, true);
  return ctx.db
    .select(entryColumns)
    .from(contactAccessTable)
    .innerJoin(userTable, eq(userTable.id, contactAccessTable.viewerUserId))
    .where(and(eq(contactAccessTable.merchantId, merchantId), where))
    .orderBy(...orderBy)
    .limit(page.limit);
}

export async function countMyContactAccess(ctx: Pick<ServiceContext, "db" | "permissions">): Promise<number> {
  const merchantId = ownMerchant(ctx);
  if (!merchantId) return 0;
  const [row] = await ctx.db
    .select({ n: count() })
    .from(contactAccessTable)
    .where(eq(contactAccessTable.merchantId, merchantId));
  return row?.n ?? 0;
}

/** Entries by id, for `node`: only the viewer's own; any other id reads as missing. */
export async function contactAccessByIds(
  ctx: Pick<ServiceContext, "db" | "permissions">,
  ids: readonly number[],
): Promise<(ContactAccessEntry | null)[]> {
  const merchantId = ownMerchant(ctx);
  const wanted = ids.filter((id) => Number.isSafeInteger(id));
  if (!merchantId || !wanted.length) return ids.map(() => null);
  const rows = await ctx.db
    .select(entryColumns)
    .from(contactAccessTable)
    .innerJoin(userTable, eq(userTable.id, contactAccessTable.viewerUserId))
    .where(and(eq(contactAccessTable.merchantId, merchantId), inArray(contactAccessTable.id, wanted)));
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.map((id) => byId.get(id) ?? null);
}

/** The entries about a merchant, oldest first, for their copy (myPersonalData). */
export async function contactAccessOfMerchant(db: Executor, merchantId: string) {
  return db
    .select({
      at: contactAccessTable.at,
      viewer: userTable.displayName,
      fields: contactAccessTable.fields,
      channel: contactAccessTable.channel,
      basis: contactAccessTable.basis,
      chamber: chamberTable.name,
    })
    .from(contactAccessTable)
    .innerJoin(userTable, eq(userTable.id, contactAccessTable.viewerUserId))
    .leftJoin(chamberTable, eq(chamberTable.id, contactAccessTable.basisChamberId))
    .where(eq(contactAccessTable.merchantId, merchantId))
    .orderBy(contactAccessTable.id);
}
