// The audit trail for federation staff: who changed what, before and after, when — newest first.
import {
  type AuditLogFilter as AuditFilter,
  auditEntriesByIds,
  auditStates,
  countAuditLog,
  listAuditLog,
} from "@wz/core";
import type { AuditRow } from "@wz/db";
import { builder } from "../builder";
import { ChamberRef } from "../chambers/chamber";
import { connectionType, keysetConnection } from "../common/connections";
import { numericNodeKey } from "../common/node-keys";
import { UserRef } from "../viewer/viewer";

const json = (value: unknown) => (value === null || value === undefined ? null : JSON.stringify(value));

const AuditEntryRef = builder.loadableNode("AuditEntry", {
  description:
    "One change in the audit trail (审计日志): who made it, to what, the state before and after, and when. Federation " +
    "staff only: for anyone else its id reads as missing.",
  id: { resolve: (entry: AuditRow) => String(entry.id) },
  load: (ids: string[], ctx) => auditEntriesByIds(ctx, ids.map(numericNodeKey)),
  fields: (t) => ({
    sequence: t.int({
      description: "The entry's place in the trail: later entries have larger numbers.",
      resolve: (e) => e.id,
    }),
    at: t.expose("at", { type: "DateTime" }),
    action: t.exposeString("action", {
      description: "e.g. chamber:create, formation:advance, formation:step-back, checklist:tick.",
    }),
    entityType: t.exposeString("entityType", { description: "Chamber, Formation, FormationPlan, ChecklistItem, …" }),
    entityId: t.exposeString("entityId"),
    chamber: t.field({ type: ChamberRef, nullable: true, resolve: (e) => e.chamberId }),
    actor: t.field({ type: UserRef, nullable: true, resolve: (e) => e.actorUserId }),
    before: t.string({
      nullable: true,
      description: "JSON of the state before; withheld for chambers' private records.",
      resolve: (e) => json(auditStates(e).before),
    }),
    after: t.string({
      nullable: true,
      description: "JSON of the state after; withheld for chambers' private records.",
      resolve: (e) => json(auditStates(e).after),
    }),
    withheld: t.boolean({
      description: "True when before/after exist but belong to a chamber's private records.",
      resolve: (e) => auditStates(e).withheld,
    }),
  }),
});

const AuditEntryConnection = connectionType(AuditEntryRef, "AuditEntry");

const AuditLogFilter = builder.inputType("AuditLogFilter", {
  fields: (t) => ({
    chamberId: t.globalID({ for: ChamberRef }),
    entityTypes: t.stringList(),
    actions: t.stringList(),
    actorId: t.globalID({ for: UserRef }),
    from: t.field({ type: "Date", description: "On or after this date (China time)." }),
    to: t.field({ type: "Date", description: "On or before this date (China time)." }),
  }),
});

builder.queryFields((t) => ({
  auditLog: t.connection(
    {
      type: AuditEntryRef,
      description: "Federation staff: the audit trail, newest first.",
      args: { filter: t.arg({ type: AuditLogFilter }) },
      resolve: (_root, args, ctx) => {
        const f = args.filter;
        const filter: AuditFilter = {
          chamberId: f?.chamberId?.id,
          actorUserId: f?.actorId?.id,
          entityTypes: f?.entityTypes,
          actions: f?.actions,
          from: f?.from,
          to: f?.to,
        };
        return keysetConnection(args, {
          toKey: (e: AuditRow) => [e.id, String(e.id)],
          page: (page) => listAuditLog(ctx, filter, page),
          count: () => countAuditLog(ctx, filter),
        });
      },
    },
    AuditEntryConnection,
  ),
}));
