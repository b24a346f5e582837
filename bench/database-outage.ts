// The outage timeline of a PostgreSQL cut under load: one API instance whose database connections go through
// a TCP proxy of our own (packages/testkit/src/tcp-proxy.ts), eight clients posting leads in a closed loop
// and a balancer-like /readyz poll every 100 ms. The proxy is cut for `--seconds`, then restored, once
// dropping every connection ("reset": the server stopped or restarted) and once forwarding nothing
// ("blackhole": a network partition). Reports the time to the first /readyz 503 and to the first fast
// DATABASE_UNAVAILABLE failure after the cut, the slowest request, the time to the first successful write
// after the restore, and acknowledged writes missing from the database afterwards (must be 0).
//   npm run bench -- database-outage [--seconds 3]
// Needs PostgreSQL (BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/postgres).

import { mkdirSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { leadTable, openDatabase } from "@wz/db";
import { createTestDatabase, globalId, seed, startTcpProxy, testServerDefaults } from "@wz/testkit";
import { inArray } from "drizzle-orm";
import { createApiServer } from "../apps/api/src/server";

const { values } = parseArgs({ options: { seconds: { type: "string", default: "3" } } });
const CUT_MS = Number(values.seconds) * 1000;
const root = fileURLToPath(new URL("..", import.meta.url));
process.env.TEST_DATABASE_URL ??= process.env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const database = await createTestDatabase();
const timelines: Record<string, unknown>[] = [];
try {
  const chamber = await seed(database.db).chamber();
  const token = (await chamber.member()).user.token;
  const chamberId = globalId("Chamber", chamber.id);
  const target = new URL(database.url!);
  const proxy = await startTcpProxy(target.hostname, Number(target.port || 5432));
  target.port = String(proxy.port);
  // The server's defaults (env.ts): statement timeout 30 s, pool wait 2 s, connect timeout 5 s.
  const handle = await openDatabase({
    url: target.toString(),
    poolSize: 10,
    statementTimeoutMs: 30_000,
    poolWaitMs: 2000,
  });
  const server = createApiServer({ ...testServerDefaults, database: handle });
  const base = `http://127.0.0.1:${(await server.listen(0, "127.0.0.1")).port}`;

  let counter = 0;
  for (const mode of ["reset", "blackhole"] as const) {
    const acknowledged: string[] = [];
    const outcomes: { sentAt: number; ms: number; ok: boolean; code?: string }[] = [];
    const readiness: { at: number; ms: number; status: number }[] = [];
    let stop = false;
    const writers = Array.from({ length: 8 }, async () => {
      while (!stop) {
        const title = `停机基准 ${counter++}`;
        const sentAt = Date.now();
        let ok = false;
        let code: string | undefined;
        try {
          const response = await fetch(`${base}/graphql`, {
            method: "POST",
            headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
            body: JSON.stringify({
              query: "mutation ($input: PostLeadInput!) { postLead(input: $input) { lead { title } } }",
              variables: { input: { chamberId, kind: "SUPPLY", title, description: "停机", visibility: "CHAMBER" } },
            }),
          });
          const body = (await response.json()) as {
            data?: { postLead: { lead: { title: string } | null } };
            errors?: { extensions?: { code?: string } }[];
          };
          ok = body.data?.postLead.lead?.title === title;
          code = body.errors?.[0]?.extensions?.code;
        } catch {
          code = "NETWORK";
        }
        if (ok) acknowledged.push(title);
        outcomes.push({ sentAt, ms: Date.now() - sentAt, ok, ...(code ? { code } : {}) });
        if (!ok) await sleep(10);
      }
    });
    const poller = (async () => {
      while (!stop) {
        const at = Date.now();
        const response = await fetch(`${base}/readyz`);
        readiness.push({ at, ms: Date.now() - at, status: response.status });
        await sleep(100);
      }
    })();
    await sleep(2000);
    const cutAt = Date.now();
    proxy.cut(mode);
    await sleep(CUT_MS);
    const restoredAt = Date.now();
    proxy.restore();
    for (let i = 0; i < 200 && !outcomes.some((o) => o.ok && o.sentAt >= restoredAt); i++) await sleep(50);
    await sleep(1000);
    stop = true;
    await Promise.all([...writers, poller]);

    const stored = await database.db
      .select({ title: leadTable.title })
      .from(leadTable)
      .where(inArray(leadTable.title, acknowledged));
    const firstUnready = readiness.find((r) => r.at >= cutAt && r.status === 503);
    const firstFastFailure = outcomes.find((o) => o.sentAt >= cutAt && o.code === "DATABASE_UNAVAILABLE" && o.ms < 100);
    const firstSuccess = outcomes.find((o) => o.ok && o.sentAt >= restoredAt);
    const readyAgain = readiness.find((r) => r.at >= restoredAt && r.status === 200);
    const duringCut = outcomes.filter((o) => o.sentAt >= cutAt && o.sentAt < restoredAt);
    timelines.push({
      mode,
      cutMs: CUT_MS,
      msToFirstReadyz503: firstUnready ? firstUnready.at + firstUnready.ms - cutAt : null,
      slowestReadyzMs: Math.max(...readiness.map((r) => r.ms)),
      msToFirstFastCodedFailure: firstFastFailure ? firstFastFailure.sentAt + firstFastFailure.ms - cutAt : null,
      requestsDuringCut: duringCut.length,
      codesDuringCut: [...new Set(duringCut.map((o) => o.code ?? "ok"))],
      slowestRequestMs: Math.max(...outcomes.map((o) => o.ms)),
      msFromRestoreToFirstSuccess: firstSuccess ? firstSuccess.sentAt + firstSuccess.ms - restoredAt : null,
      msFromRestoreToReadyz200: readyAgain ? readyAgain.at + readyAgain.ms - restoredAt : null,
      acknowledgedWrites: acknowledged.length,
      acknowledgedWritesLost: acknowledged.length - stored.length,
    });
    process.stderr.write(`${JSON.stringify(timelines.at(-1))}\n`);
  }
  await server.close();
  await proxy.close();
} finally {
  await database.dispose();
}
const result = {
  benchmark: "database-outage",
  when: new Date().toISOString(),
  machine: { cpus: cpus().length, model: cpus()[0]?.model },
  setup:
    "one API instance, PostgreSQL through a TCP proxy, 8 closed-loop writers (postLead), /readyz polled every 100 ms",
  targets:
    "readyz ≤ 1000 ms always; requests fail fast while down; first success ≤ 2000 ms after restore; " +
    "0 acknowledged writes lost",
  timelines,
};
console.log(JSON.stringify(result, null, 2));
mkdirSync(`${root}/bench/results`, { recursive: true });
writeFileSync(`${root}/bench/results/database-outage.json`, `${JSON.stringify(result, null, 2)}\n`);
