// The demo's formation story under the formation rules: 31 provinces at mixed steps with histories, a forming
// chamber for every province under way, a complete checklist behind every APPROVED, and no forecast at the
// 2014–2015 pace.
import { todayIso } from "@wz/core";
import { seedDemoData } from "@wz/core/demo";
import { createTestApi, type TestApi } from "@wz/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

let api: TestApi;
let admin: string;
beforeAll(async () => {
  api = await createTestApi();
  await seedDemoData(api.db.db);
  const login = await api.data(
    `mutation { login(input: { email: "admin@example.org", password: "demo-password" }) { token } }`,
  );
  admin = login.login.token;
}, 240_000); // the whole demo is loaded: minutes on a loaded machine
afterAll(() => api.close());

describe("demo formation data", () => {
  it("31 provinces at mixed steps; every province under way has its provincial chamber, forming or live", async () => {
    const { provinces, formationProgress } = await api.data(
      `{ provinces { code formationStatus chamber { status checklist { item done phase } } formationHistory { toStatus
        reachedOn } }
         formationProgress { founded byStatus { status count } forecast { forecastDate onTrack } } }`,
      {},
      admin,
    );
    expect(provinces).toHaveLength(31);
    const counts = Object.fromEntries(
      formationProgress.byStatus.map((b: { status: string; count: number }) => [b.status, b.count]),
    );
    expect(counts).toEqual({ NOT_STARTED: 14, INITIATED: 5, PREPARATORY: 4, APPLIED: 2, APPROVED: 2, FOUNDED: 4 });
    for (const p of provinces) {
      expect(p.formationHistory).toHaveLength(
        ["NOT_STARTED", "INITIATED", "PREPARATORY", "APPLIED", "APPROVED", "FOUNDED"].indexOf(p.formationStatus),
      );
      if (p.formationStatus === "NOT_STARTED") expect(p.chamber).toBeNull();
      else expect(p.chamber.status).toBe(p.formationStatus === "FOUNDED" ? "ACTIVE" : "FORMING");
      if (p.formationStatus === "APPROVED")
        expect(
          p.chamber.checklist.filter((i: { phase: string; done: boolean }) => i.phase === "BEFORE_APPROVAL" && !i.done),
        ).toEqual([]);
    }
    // The demo's foundings are dated 2014–2015: no pace in the last 12 months, so no forecast.
    if (todayIso() > "2016-12-31") expect(formationProgress.forecast).toEqual({ forecastDate: null, onTrack: false });
  });

  it("a demo province moves on under the rules: APPROVED → FOUNDED makes Beijing's chamber live", async () => {
    const result = await api.data(
      `mutation { advanceFormation(input: { provinceCode: "11", status: FOUNDED, date: "${todayIso()}", note: "成立大会"
        }) {
        province { formationStatus chamber { status } } userErrors { message } } }`,
      {},
      admin,
    );
    expect(result.advanceFormation).toEqual({
      province: { formationStatus: "FOUNDED", chamber: { status: "ACTIVE" } },
      userErrors: [],
    });
    const refused = await api.data(
      `mutation { advanceFormation(input: { provinceCode: "51", status: APPROVED, date: "${todayIso()}" }) {
        userErrors { code } } }`,
      {},
      admin,
    );
    expect(refused.advanceFormation.userErrors).toEqual([{ code: "INVALID_TRANSITION" }]);
  });
});
