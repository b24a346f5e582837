// "Who looked at my contact details" (谁看过我的联系方式, PIPL Art. 44) as GraphQL: the signed-in merchant's
// access entries, newest first. Entries are written by privacy/access-log.ts; nobody reads another's.
import { type ContactAccessEntry, contactAccessByIds, countMyContactAccess, listMyContactAccess } from "@wz/core";
import { accessBasisEnum, accessChannelEnum, contactFieldEnum } from "@wz/db";
import { builder } from "../builder";
import { ChamberRef } from "../chambers/chamber";
import { connectionType, keysetConnection } from "../common/connections";
import { describedValues } from "../common/enum-values";
import { numericNodeKey } from "../common/node-keys";

const ContactFieldEnum = builder.enumType("ContactField", {
  description: "One of a merchant's contact fields.",
  values: describedValues(contactFieldEnum.enumValues, {
    MOBILE: "The mobile number (手机).",
    LANDLINE: "The landline (座机).",
    EMAIL: "The email address (邮箱).",
    WECHAT: "The WeChat ID (微信号).",
  }),
});

const AccessChannelEnum = builder.enumType("AccessChannel", {
  description: "How contact details reached someone.",
  values: describedValues(accessChannelEnum.enumValues, {
    QUERY: "In the answer to a query or mutation: a profile, the directory, a lead's poster… (查询).",
    EXPORT: "In a member list a chamber's secretariat exported (导出).",
    SUBSCRIPTION: "In a live update they were subscribed to, e.g. a new lead and its poster (实时推送).",
  }),
});

const AccessBasisEnum = builder.enumType("AccessBasis", {
  description: "Why the viewer was allowed to see the fields (the field's visibility and how they relate to you).",
  values: describedValues(accessBasisEnum.enumValues, {
    SECRETARIAT: "They are on the secretariat (秘书处) of `chamber`, a chamber you belong to.",
    CHAMBER: "They are a fellow member of `chamber` (同会会员), and the field is visible to your chambers.",
    FEDERATION: "They are a signed-in user of the platform, and the field is visible to the federation (全平台).",
  }),
});

export const ContactAccessRef = builder.loadableNode("ContactAccess", {
  description:
    "One time someone else was shown contact fields of yours that are not public (查看记录): who, which fields, " +
    "why, how and when. The viewer is named by their account's display name and their role toward you (never " +
    "their email or contact details). Only you read these: for anyone else the id reads as missing. Kept for a " +
    "retention period (180 days by default), then deleted.",
  id: { resolve: (e: ContactAccessEntry) => String(e.id) },
  load: (ids: string[], ctx) => contactAccessByIds(ctx, ids.map(numericNodeKey)),
  fields: (t) => ({
    at: t.expose("at", { type: "DateTime", description: "When the fields were shown." }),
    viewerName: t.exposeString("viewerName", { description: "The display name of the account that saw them." }),
    basis: t.expose("basis", { type: AccessBasisEnum, description: "Why they were allowed to see them." }),
    chamber: t.field({
      type: ChamberRef,
      nullable: true,
      description: "The chamber through which they saw them (SECRETARIAT, CHAMBER); null for FEDERATION.",
      resolve: (e) => e.basisChamberId,
    }),
    fields: t.field({
      type: [ContactFieldEnum],
      description: "The fields shown (only those with a value that is not public).",
      resolve: (e) => e.fields,
    }),
    channel: t.expose("channel", { type: AccessChannelEnum, description: "How they were shown." }),
    exportNumber: t.int({
      nullable: true,
      description:
        "For EXPORT: the export's number in the audit trail (its AuditEntry.sequence), to quote when asking the " +
        "chamber or the federation about it; null otherwise.",
      resolve: (e) => e.exportAuditId,
    }),
  }),
});

const ContactAccessConnection = connectionType(ContactAccessRef, "ContactAccess");

builder.queryFields((t) => ({
  myAccessLog: t.connection(
    {
      type: ContactAccessRef,
      nullable: true,
      description:
        "Who has been shown your contact fields that are not public, newest first (谁看过我的联系方式): each " +
        "query, export or live update that showed them to someone other than you. Null when not signed in; " +
        "empty for an account without a merchant profile.",
      resolve: (_root, args, ctx) =>
        ctx.permissions.viewer
          ? keysetConnection(args, {
              toKey: (e: ContactAccessEntry) => [e.id, String(e.id)],
              page: (page) => listMyContactAccess(ctx, page),
              count: () => countMyContactAccess(ctx),
            })
          : null,
    },
    ContactAccessConnection,
  ),
}));
