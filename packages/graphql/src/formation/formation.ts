// Formation of the 31 provincial chambers: live updates for federation staff.
import { provinceTable } from "@wz/db";
import { eq } from "drizzle-orm";
import { builder } from "../builder";
import { ProvinceRef } from "../chambers/chamber";

builder.subscriptionFields((t) => ({
  formationChanged: t.field({
    type: ProvinceRef,
    description: "Federation staff: a province's formation changed (sent after the change is committed).",
    subscribe: (_root, _args, ctx) => {
      ctx.permissions.assertPerformAction("formation:advance");
      return ctx.bus.subscribe("formation:changed");
    },
    resolve: async (event, _args, ctx) => {
      const [province] = await ctx.db.select().from(provinceTable).where(eq(provinceTable.code, event.provinceCode));
      if (!province) throw new Error(`formation event for unknown province ${event.provinceCode}`);
      return province;
    },
  }),
}));
