// Mail as `npm start` wires it: two API processes on one PostgreSQL with SMTP_URL pointing at a real SMTP server
// started here send each invitation once between them, and stop cleanly on SIGTERM; without SMTP_URL a process
// writes the message to its log and marks it sent. Needs TEST_DATABASE_URL and TEST_REDIS_URL (as .ci/run sets
// them); skipped, with the reason, otherwise.

import { fileURLToPath } from "node:url";
import { mailOutboxTable } from "@wz/db";
import {
  type ChamberSeed,
  createTestDatabase,
  freePort,
  globalId,
  SmtpSink,
  seed,
  type TestDatabase,
  type WatchedProcess,
  waitUntil,
  watchProcess,
} from "@wz/testkit";
import { inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const databaseUrl = process.env.TEST_DATABASE_URL;
const redisUrl = process.env.TEST_REDIS_URL;
const main = fileURLToPath(new URL("./main.ts", import.meta.url));
const processes: WatchedProcess[] = [];

// Processes compile the TypeScript as they start: on a loaded machine that alone takes tens of seconds.
const PROCESS_TEST_MS = 180_000;

async function startApi(env: Record<string, string>): Promise<{ url: string; process: WatchedProcess }> {
  const api = watchProcess(process.execPath, ["--import", "tsx", main], {
    env: { ...process.env, PORT: "0", LOG_LEVEL: "info", NODE_ENV: "test", MAIL_POLL_MS: "600000", ...env },
  });
  processes.push(api);
  const [, port] = await api.waitFor(/Serving GraphQL on http:\/\/[^/]*:(\d+)\//, 90_000);
  return { url: `http://127.0.0.1:${port}/graphql`, process: api };
}

async function invite(url: string, token: string, chamberId: string, email: string): Promise<void> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    body: JSON.stringify({
      query: `mutation ($input: InviteUserInput!) { inviteUser(input: $input) { userErrors { message } } }`,
      variables: { input: { email, displayName: "李明", chamberId: globalId("Chamber", chamberId), role: "MEMBER" } },
    }),
  });
  const body = (await response.json()) as { data?: { inviteUser: { userErrors: unknown[] } } };
  expect(body.data?.inviteUser.userErrors).toEqual([]);
}

describe.skipIf(!databaseUrl || !redisUrl)(
  "mail from API processes (needs TEST_DATABASE_URL and TEST_REDIS_URL)",
  () => {
    let database: TestDatabase;
    let sink: SmtpSink;
    let chamber: ChamberSeed;
    let token: string;

    beforeAll(async () => {
      database = await createTestDatabase();
      sink = new SmtpSink(await freePort());
      await sink.start();
      chamber = await seed(database.db).chamber({ name: "合肥温州商会" });
      token = (await chamber.secretary()).token;
    });
    afterAll(async () => {
      await Promise.all(processes.map((p) => p.kill("SIGKILL")));
      await sink?.stop();
      await database?.dispose();
    });

    it(
      "two processes send each message once, and stop cleanly on SIGTERM",
      async () => {
        const env = { DATABASE_URL: database.url!, REDIS_URL: redisUrl!, SMTP_URL: `smtp://127.0.0.1:${sink.port}` };
        const [a, b] = await Promise.all([startApi(env), startApi(env)]);
        const emails = Array.from({ length: 10 }, (_, i) => `proc${i}-${Date.now().toString(36)}@example.net`);
        for (const [i, email] of emails.entries()) await invite((i % 2 ? b : a).url, token, chamber.id, email);
        // MAIL_POLL_MS is ten minutes: arriving within seconds means the commit woke a worker
        await waitUntil(() => emails.every((e) => sink.to(e).length > 0), {
          what: "all ten messages",
          timeoutMs: 15_000,
        });
        await waitUntil(
          async () => {
            const rows = await database.db
              .select()
              .from(mailOutboxTable)
              .where(inArray(mailOutboxTable.recipient, emails));
            return rows.length === emails.length && rows.every((r) => r.status === "SENT" && r.attempts === 1);
          },
          { what: "every row SENT at the first attempt" },
        );
        expect(emails.map((e) => sink.to(e).length)).toEqual(emails.map(() => 1));
        for (const api of [a, b]) api.process.child.kill("SIGTERM");
        expect(await Promise.all([a.process.exited, b.process.exited])).toEqual([0, 0]);
        expect(sink.received.filter((m) => emails.includes(m.to))).toHaveLength(emails.length);
      },
      PROCESS_TEST_MS,
    );

    it(
      "without SMTP_URL a process writes the message to its log and marks it sent",
      async () => {
        const api = await startApi({ DATABASE_URL: database.url!, REDIS_URL: redisUrl! });
        const email = `logged-${Date.now().toString(36)}@example.net`;
        await invite(api.url, token, chamber.id, email);
        await api.process.waitFor(new RegExp(`mail to ${email.replace(/[.]/g, "\\.")} \\(SMTP_URL unset`), 15_000);
        await waitUntil(
          async () =>
            (
              await database.db
                .select()
                .from(mailOutboxTable)
                .where(inArray(mailOutboxTable.recipient, [email]))
            )[0]?.status === "SENT",
          { what: "the logged message marked SENT" },
        );
        expect(sink.to(email)).toEqual([]);
        api.process.child.kill("SIGTERM");
        expect(await api.process.exited).toBe(0);
      },
      PROCESS_TEST_MS,
    );
  },
);
