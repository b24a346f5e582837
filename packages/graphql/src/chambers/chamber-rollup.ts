// Chamber.rollup: a chamber's figures for itself and summed over its descendants. Federation staff read
// every chamber's; a chamber's secretaries read their own; everyone else gets null. One statement per batch.
import { type ChamberRollup, chamberRollups, type RollupFigures } from "@wz/core";
import type { MembershipLevel } from "@wz/db";
import { builder } from "../builder";
import { contextLoader } from "../common/context-loader";
import { MembershipLevelEnum } from "../membership/membership";
import { ChamberRef } from "./chamber";

const LevelCountRef = builder.objectRef<{ level: MembershipLevel; count: number }>("MembershipLevelCount").implement({
  description: "How many active memberships one level has.",
  fields: (t) => ({
    level: t.expose("level", { type: MembershipLevelEnum, description: "The level." }),
    count: t.exposeInt("count", { description: "Active memberships at that level." }),
  }),
});

const RollupFiguresRef = builder.objectRef<RollupFigures>("RollupFigures").implement({
  description: "Counts and sums only; no member's name, contact or note is behind them.",
  fields: (t) => ({
    activeMembers: t.exposeInt("activeMembers", {
      description: "Memberships whose effective status is ACTIVE (lapsed ones excluded).",
    }),
    activeMembersByLevel: t.field({
      type: [LevelCountRef],
      description: "activeMembers split by level.",
      resolve: (f) => f.activeMembersByLevel,
    }),
    newMembersThisYear: t.exposeInt("newMembersThisYear", {
      description: "Memberships that joined this calendar year.",
    }),
    leadsPostedThisYear: t.exposeInt("leadsPostedThisYear", { description: "Leads posted here this calendar year." }),
    closedValueThisYear: t.expose("closedValueThisYear", {
      type: "Decimal",
      description: "Won leads posted here, closed this year (CNY).",
    }),
    referralClosedValueThisYear: t.expose("referralClosedValueThisYear", {
      type: "Decimal",
      description: "Won leads closed this year that members here referred; each lead counted once (CNY).",
    }),
  }),
});

const ChamberRollupRef = builder.objectRef<ChamberRollup>("ChamberRollup").implement({
  description: "Roll-up figures, the same at every level: city → provincial → federation.",
  fields: (t) => ({
    year: t.exposeInt("year", { description: "The calendar year (China time) the ThisYear figures count." }),
    chamberCount: t.exposeInt("chamberCount", { description: "This chamber and all chambers beneath it." }),
    own: t.field({ type: RollupFiguresRef, description: "This chamber alone.", resolve: (r) => r.own }),
    total: t.field({
      type: RollupFiguresRef,
      description: "This chamber plus all its descendants.",
      resolve: (r) => r.total,
    }),
  }),
});

builder.objectFields(ChamberRef, (t) => ({
  rollup: t.field({
    type: ChamberRollupRef,
    nullable: true,
    description: "Federation staff and this chamber's secretaries (rollup:read); null for anyone else.",
    resolve: (chamber, _args, ctx) =>
      contextLoader(ctx, "chamberRollups", (ids) => chamberRollups(ctx, ids)).load(chamber.id),
  }),
}));
