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
    at: t.expose("at", { type: "DateTime", description: "When the change was made." }),
    action: t.exposeString("action", {
      description: "e.g. chamber:create, formation:advance, formation:step-back, checklist:tick.",
    }),
    entityType: t.exposeString("entityType", { description: "Chamber, Formation, FormationPlan, ChecklistItem, …" }),
    entityId: t.exposeString("entityId", {
      description: "The changed record's own id (not a global ID), e.g. a chamber's UUID or a province code.",
    }),
    chamber: t.field({
      type: ChamberRef,
      nullable: true,
      description: "The chamber whose records changed; null for federation-wide changes.",
      resolve: (e) => e.chamberId,
    }),
    actor: t.field({
      type: UserRef,
      nullable: true,
      description: "Who made the change; null when made from the command line (npm run admin:create).",
      resolve: (e) => e.actorUserId,
    }),
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
  description: "Narrows the audit trail; every field given must match.",
  fields: (t) => ({
    chamberId: t.globalID({ for: ChamberRef, description: "Only changes to this chamber's records." }),
    entityTypes: t.stringList({ description: "Only these entity types (AuditEntry.entityType), e.g. Chamber." }),
    actions: t.stringList({ description: "Only these actions (AuditEntry.action), e.g. formation:advance." }),
    actorId: t.globalID({ for: UserRef, description: "Only changes made by this user." }),
    from: t.field({ type: "Date", description: "On or after this date (China time)." }),
    to: t.field({ type: "Date", description: "On or before this date (China time)." }),
  }),
});

builder.queryFields((t) => ({
  auditLog: t.connection(
    {
      type: AuditEntryRef,
      description: "Federation staff: the audit trail, newest first.",
      args: { filter: t.arg({ type: AuditLogFilter, description: "Which entries; all when absent." }) },
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
