// Mail through the outbox, against a real SMTP server (smtp-server) started here: mutations that cause mail
// deliver it once, in the recipient's language; an SMTP outage delays it and loses nothing; several workers on
// one outbox send each message once; a refused mutation queues nothing.
import { addDays, MailWorker, todayIso } from "@wz/core";
import { mailOutboxTable, merchantTable, openDatabase, userTable } from "@wz/db";
import {
  type ChamberSeed,
  freePort,
  globalId,
  type ReceivedMail,
  type SeededUser,
  SmtpSink,
  seed,
  silentLogger,
  startTestServer,
  type TestServer,
  testServerDefaults,
  waitUntil,
} from "@wz/testkit";
import { eq, inArray, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMailTransport } from "./mail";
import { type ApiServer, createApiServer } from "./server";

let sink: SmtpSink;
let harness: TestServer<ApiServer>;
let chamber: ChamberSeed;
let otherChamber: ChamberSeed;
let secretary: SeededUser;
let otherSecretary: SeededUser;

const transportFor = (port: number) =>
  createMailTransport({ smtpUrl: `smtp://127.0.0.1:${port}`, from: "商会 <no-reply@mail.test>" }, silentLogger);

beforeAll(async () => {
  sink = new SmtpSink(await freePort());
  await sink.start();
  harness = await startTestServer((database) =>
    createApiServer({
      ...testServerDefaults,
      database,
      mail: {
        transport: transportFor(sink.port),
        pollMs: 300,
        retryBaseMs: 50,
        retryCapMs: 300,
        messageIdDomain: "mail.test",
      },
    }),
  );
  const s = seed(harness.database.db);
  chamber = await s.chamber({ name: "苏州温州商会" });
  otherChamber = await s.chamber({ name: "昆明温州商会" });
  secretary = await chamber.secretary();
  otherSecretary = await otherChamber.secretary();
});
afterAll(async () => {
  await harness?.close();
  await sink?.stop();
});

const db = () => harness.database.db;
const worker = () => harness.server.mailWorker!;
const gql = async (query: string, variables: Record<string, unknown>, token: string) =>
  // biome-ignore lint/suspicious/noExplicitAny: each test reads its own payload's fields
  Object.values(await harness.graphql(query, variables, token))[0] as any;
const outbox = (keyPrefix: string) =>
  db()
    .select()
    .from(mailOutboxTable)
    .where(sql`${mailOutboxTable.dedupeKey} like ${`${keyPrefix}%`}`);
const outboxCount = async () => (await db().select({ id: mailOutboxTable.id }).from(mailOutboxTable)).length;

let n = 0;
const address = (what: string) => `${what}-${Date.now().toString(36)}-${n++}@example.net`;

const INVITE = `mutation ($input: InviteUserInput!) { inviteUser(input: $input) { inviteToken
  userErrors { field message code } } }`;
const invite = (email: string, extra: Record<string, unknown> = {}, token = secretary.token, at = chamber.id) =>
  gql(
    INVITE,
    { input: { email, displayName: "王小明", chamberId: globalId("Chamber", at), role: "MEMBER", ...extra } },
    token,
  );

/** Waits for the message to `to`, then for its outbox row to read SENT; after one more pass it is still alone. */
async function deliveredOnce(to: string): Promise<ReceivedMail> {
  await waitUntil(() => sink.to(to).length > 0, { what: `mail to ${to}` });
  await waitUntil(
    async () => {
      const rows = await db().select().from(mailOutboxTable).where(eq(mailOutboxTable.recipient, to.toLowerCase()));
      return rows.length > 0 && rows.every((r) => r.status === "SENT");
    },
    { what: `the outbox row to ${to} marked SENT` },
  );
  await worker().runOnce();
  expect(sink.to(to)).toHaveLength(1);
  return sink.to(to)[0]!;
}

describe("invitations", () => {
  it("arrive once, in Chinese by default, with the code the mutation gave and a Message-ID from the row", async () => {
    const email = address("zh");
    const { inviteToken, userErrors } = await invite(email);
    expect(userErrors).toEqual([]);
    const mail = await deliveredOnce(email);
    expect(mail.subject).toBe("苏州温州商会邀请您加入温州商会信息服务平台");
    expect(mail.text).toContain(inviteToken);
    expect(mail.text).toContain("王小明，您好");
    expect(mail.language).toBe("zh-CN");
    const rows = await db().select().from(mailOutboxTable).where(eq(mailOutboxTable.recipient, email));
    expect(rows).toHaveLength(1);
    expect(mail.messageId).toBe(`<${rows[0]!.id}@mail.test>`);
    // the code is not kept in the outbox once sent (only its hash is stored anywhere else)
    expect(rows[0]!.params).not.toHaveProperty("inviteToken");
    expect(JSON.stringify(rows[0]!.params)).not.toContain(inviteToken);
  });

  it("arrive in English when asked for, and an account's own language wins over the one asked for", async () => {
    const email = address("en");
    const { inviteToken } = await invite(email, { locale: "EN" });
    const mail = await deliveredOnce(email);
    expect(mail.subject).toMatch(/^Test chamber \S+ invites you to the Wenzhou chambers platform$/);
    expect(mail.text).toContain("Dear 王小明");
    expect(mail.text).toContain(inviteToken);
    expect(mail.language).toBe("en");
    // the account made by accepting keeps the invitation's language
    const ACCEPT = `mutation ($input: AcceptInviteInput!) { acceptInvite(input: $input) {
      viewer { user { locale } } } }`;
    const accepted = await harness.graphql(ACCEPT, { input: { token: inviteToken, password: "a-long-password" } }, "");
    expect(accepted.acceptInvite.viewer.user.locale).toBe("EN");

    const existing = await seed(db()).user({ email: address("existing") });
    await db().update(userTable).set({ locale: "en" }).where(eq(userTable.id, existing.id));
    await invite(existing.email, { locale: "ZH_CN" });
    expect((await deliveredOnce(existing.email)).subject).toMatch(/invites you/);
  });

  it("a refused invitation (userErrors, or another chamber's) queues nothing", async () => {
    const before = await outboxCount();
    const bad = await invite("not-an-email");
    expect(bad.userErrors.map((e: { field: string[] }) => e.field)).toEqual([["input", "email"]]);
    const response = await fetch(`${harness.base}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${otherSecretary.token}` },
      body: JSON.stringify({
        query: INVITE,
        variables: {
          input: { email: address("x"), displayName: "x", chamberId: globalId("Chamber", chamber.id), role: "MEMBER" },
        },
      }),
    });
    const body = (await response.json()) as { errors?: { extensions: { code: string } }[] };
    expect(body.errors?.[0]?.extensions.code).toBe("FORBIDDEN");
    expect(await outboxCount()).toBe(before);
  });
});

describe("membership proposals", () => {
  it("mail the merchant a secretary proposed, when they have an email", async () => {
    const email = address("proposed");
    const merchant = await seed(db()).merchant({ name: "周建华", email });
    const APPLY = `mutation ($input: ApplyForMembershipInput!) { applyForMembership(input: $input) {
      membership { id status } userErrors { field message code } } }`;
    const input = { chamberId: globalId("Chamber", chamber.id), merchantId: globalId("Merchant", merchant.id) };
    const result = await gql(APPLY, { input: { ...input, level: "DIRECTOR" } }, secretary.token);
    expect(result.userErrors).toEqual([]);
    const mail = await deliveredOnce(email);
    expect(mail.subject).toBe("苏州温州商会提议您成为理事");
    expect(mail.text).toContain("接受商会发来的邀请即表示同意");
    // another chamber's secretary cannot propose into this chamber: nothing queued for it
    const before = await outboxCount();
    const other = await seed(db()).merchant({ email: address("other") });
    const refused = await fetch(`${harness.base}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${otherSecretary.token}` },
      body: JSON.stringify({
        query: APPLY,
        variables: { input: { ...input, merchantId: globalId("Merchant", other.id) } },
      }),
    });
    const body = (await refused.json()) as { data?: { applyForMembership: { userErrors: unknown[] } } };
    expect(body.data?.applyForMembership.userErrors).toHaveLength(1);
    expect(await outboxCount()).toBe(before);
  });
});

describe("proposals made by an import", () => {
  it("mail each merchant the file matched in the directory (one statement), and nobody on a dry run", async () => {
    const email = address("imported");
    const known = await seed(db()).merchant({ name: "潘志远", email, emailVisibility: "PUBLIC" });
    await db().update(merchantTable).set({ locale: "en" }).where(eq(merchantTable.id, known.id));
    const IMPORT = `mutation ($input: ImportMembersInput!) { importMembers(input: $input) { rows created matched
      userErrors { field message code } } }`;
    const csv = `姓名,邮箱,职务\n潘志远,${email},理事\n新会员,${address("new")},会员\n`;
    const input = { chamberId: globalId("Chamber", chamber.id), csv };
    const before = await outboxCount();
    const dry = await gql(IMPORT, { input: { ...input, dryRun: true } }, secretary.token);
    expect(dry.userErrors).toEqual([]);
    expect(await outboxCount()).toBe(before);
    const result = await gql(IMPORT, { input }, secretary.token);
    expect(result).toMatchObject({ rows: 2, created: 1, matched: 1, userErrors: [] });
    const mail = await deliveredOnce(email);
    expect(mail.subject).toMatch(/proposes you as a director$/);
    expect(await outboxCount()).toBe(before + 1);
  });
});

describe("referral notices", () => {
  const POST = `mutation ($input: PostLeadInput!) { postLead(input: $input) { lead { id } userErrors { message } } }`;
  const RESPOND = `mutation ($input: RespondToLeadInput!) { respondToLead(input: $input) { response { id }
    userErrors { field message code } } }`;

  it("tell the merchant a lead was referred to, with the title only for a lead they may read", async () => {
    const poster = await chamber.member({ name: "陈一新" });
    const referrer = await chamber.member({ name: "林海平" });
    const referred = await otherChamber.member({ name: "黄文杰" });
    expect((await setLocale("EN", referred.user.token)).user.locale).toBe("EN");
    const lead = async (title: string, visibility: string) =>
      (
        await gql(
          POST,
          {
            input: {
              chamberId: globalId("Chamber", chamber.id),
              kind: "SUPPLY",
              title,
              description: "长期供货",
              visibility,
            },
          },
          poster.user.token,
        )
      ).lead.id as string;
    const refer = (leadId: string) =>
      gql(
        RESPOND,
        {
          input: {
            leadId,
            kind: "REFERRAL",
            message: "他做这个",
            referredMerchantId: globalId("Merchant", referred.merchantId),
          },
        },
        referrer.user.token,
      );
    expect((await refer(await lead("瓯海眼镜配件供应", "FEDERATION"))).userErrors).toEqual([]);
    const mail = await deliveredOnce(referred.user.email);
    expect(mail.subject).toBe(`${referrer.user.email} referred you to a lead: 瓯海眼镜配件供应`);
    expect(mail.language).toBe("en");

    // a chamber-only lead is referred by name of its chamber only: its title stays in the chamber
    await setLocale("ZH_CN", referred.user.token);
    await refer(await lead("本会内部采购", "CHAMBER"));
    const inside = await waitUntil(() => sink.to(referred.user.email)[1], { what: "the second referral" });
    expect(inside.subject).toBe(`${referrer.user.email}向您推荐了一条商机`);
    expect(inside.text).not.toContain("本会内部采购");

    // an interest (not a referral) mails nobody
    const before = await outboxCount();
    const INTEREST = { leadId: await lead("另一条", "FEDERATION"), kind: "INTEREST", message: "感兴趣" };
    expect((await gql(RESPOND, { input: INTEREST }, referrer.user.token)).userErrors).toEqual([]);
    expect(await outboxCount()).toBe(before);
  });
});

const SET_LOCALE = `mutation ($input: SetMyLocaleInput!) { setMyLocale(input: $input) { user { id locale }
  userErrors { field message code } } }`;
const setLocale = (locale: string, token: string) => gql(SET_LOCALE, { input: { locale } }, token);

describe("setMyLocale", () => {
  it("sets the signed-in person's language (account and profile) and nobody else's; anonymous is refused", async () => {
    const me = await chamber.member();
    const other = await otherChamber.member();
    const result = await setLocale("EN", me.user.token);
    expect(result).toEqual({ user: { id: globalId("User", me.user.id), locale: "EN" }, userErrors: [] });
    const locales = async (userId: string, merchantId: string) => [
      (await db().select().from(userTable).where(eq(userTable.id, userId)))[0]!.locale,
      (await db().select().from(merchantTable).where(eq(merchantTable.id, merchantId)))[0]!.locale,
    ];
    expect(await locales(me.user.id, me.merchantId)).toEqual(["en", "en"]);
    expect(await locales(other.user.id, other.merchantId)).toEqual(["zh-CN", "zh-CN"]);
    const anonymous = await fetch(`${harness.base}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query: SET_LOCALE, variables: { input: { locale: "EN" } } }),
    });
    const body = (await anonymous.json()) as { errors?: { extensions: { code: string } }[] };
    expect(body.errors?.[0]?.extensions.code).toBe("UNAUTHENTICATED");
  });
});

describe("dues reminders", () => {
  it("are queued for memberships expiring within 30 days and arrive once however often the scan runs", async () => {
    const s = seed(db());
    const soonEmail = address("soon");
    const later = address("later");
    const soon = await s.merchant({ name: "郑国强", email: soonEmail });
    const notYet = await s.merchant({ name: "吴敏", email: later });
    await db().update(merchantTable).set({ locale: "en" }).where(eq(merchantTable.id, soon.id));
    const today = todayIso();
    // approved through GraphQL with an expiry 20 days out (and one 40 days out, not yet due)
    const DECIDE = `mutation ($input: DecideMembershipInput!) { decideMembership(input: $input) {
      membership { expiresOn } userErrors { message } } }`;
    for (const [merchantId, days] of [
      [soon.id, 20],
      [notYet.id, 40],
    ] as const) {
      const membershipId = await chamber.addMembership(merchantId, { status: "APPLIED", expiresOn: null });
      const decided = await gql(
        DECIDE,
        {
          input: {
            membershipId: globalId("Membership", membershipId),
            approve: true,
            joinedOn: addDays(today, days - 365),
            expiresOn: addDays(today, days),
          },
        },
        secretary.token,
      );
      expect(decided.userErrors).toEqual([]);
    }
    expect(await worker().scanDuesReminders()).toBeGreaterThanOrEqual(1);
    const mail = await deliveredOnce(soonEmail);
    expect(mail.subject).toBe(`Your membership of ${await chamberNameEn(chamber.id)} expires on ${addDays(today, 20)}`);
    expect(await worker().scanDuesReminders()).toBe(0);
    await worker().runOnce();
    expect(sink.to(soonEmail)).toHaveLength(1);
    expect(await outbox(`dues-reminder:`)).toHaveLength(1);
    expect(sink.to(later)).toEqual([]);
  });
});

async function chamberNameEn(id: string): Promise<string> {
  const rows = await db().execute(sql`select name_en from chamber where id = ${id}`);
  const list = (Array.isArray(rows) ? rows : (rows as { rows: { name_en: string }[] }).rows) as { name_en: string }[];
  return list[0]!.name_en;
}

describe("an SMTP outage", () => {
  it("with the server down delays the mail (retried with backoff); it arrives once the server is back", async () => {
    await sink.stop();
    const email = address("outage");
    await invite(email);
    const [pending] = await waitUntil(
      async () => {
        const rows = await db().select().from(mailOutboxTable).where(eq(mailOutboxTable.recipient, email));
        return rows[0] && rows[0].attempts >= 3 && rows[0].status === "PENDING" ? rows : null;
      },
      { what: "three failed attempts" },
    );
    expect(pending!.lastError).toMatch(/ECONNREFUSED|connect/i);
    expect(sink.to(email)).toEqual([]);
    const back = Date.now();
    await sink.start();
    await deliveredOnce(email);
    expect(Date.now() - back).toBeLessThan(5000);
  });

  it("with the server answering 451 (try later) delays the mail; it arrives once it is accepted", async () => {
    sink.refuseWith = 451;
    const email = address("refused");
    await invite(email);
    const [row] = await waitUntil(
      async () => {
        const rows = await db().select().from(mailOutboxTable).where(eq(mailOutboxTable.recipient, email));
        return rows[0] && rows[0].attempts >= 2 ? rows : null;
      },
      { what: "two refused attempts" },
    );
    expect(row!.lastError).toMatch(/451/);
    sink.refuseWith = null;
    await deliveredOnce(email);
  });
});

describe("a permanent refusal", () => {
  it("(550) is retried five times, then the row is FAILED and keeps no invitation code", async () => {
    sink.refuseWith = 550;
    try {
      const email = address("refused-for-good");
      const { inviteToken } = await invite(email);
      const [row] = await waitUntil(
        async () => {
          const rows = await db().select().from(mailOutboxTable).where(eq(mailOutboxTable.recipient, email));
          return rows[0]?.status === "FAILED" ? rows : null;
        },
        { what: "the row given up" },
      );
      expect(row!.attempts).toBe(5);
      expect(row!.lastError).toMatch(/550/);
      expect(JSON.stringify(row!.params)).not.toContain(inviteToken);
      expect(sink.to(email)).toEqual([]);
    } finally {
      sink.refuseWith = null;
    }
  });
});

describe("several workers on one outbox", () => {
  it("send each message once", async () => {
    // a second worker with its own connections, as another API process has (PGlite: one connection, shared)
    const url = harness.database.url;
    const second = url ? await openDatabase({ url, poolSize: 2 }) : undefined;
    const others = [1, 2].map(
      () =>
        new MailWorker({
          db: second?.db ?? db(),
          transport: transportFor(sink.port),
          logger: silentLogger,
          pollMs: 50,
          messageIdDomain: "mail.test",
        }),
    );
    for (const other of others) other.start();
    try {
      const emails = Array.from({ length: 12 }, (_, i) => address(`many${i}`));
      for (const email of emails) await invite(email);
      for (const email of emails) await deliveredOnce(email);
      const rows = await db().select().from(mailOutboxTable).where(inArray(mailOutboxTable.recipient, emails));
      expect(rows.map((r) => [r.status, r.attempts])).toEqual(emails.map(() => ["SENT", 1]));
    } finally {
      for (const other of others) await other.stop();
      await second?.close();
    }
  });
});

describe("without SMTP_URL", () => {
  it("writes each message to the log and marks it sent", async () => {
    const logged: { obj: { mail?: { to: string; subject: string } }; msg?: string }[] = [];
    const logger = { ...silentLogger, info: (obj: object, msg?: string) => void logged.push({ obj, msg }) };
    const logWorker = new MailWorker({
      db: db(),
      transport: createMailTransport({ from: "x <a@b.c>" }, logger),
      logger: silentLogger,
    });
    // the server's own worker is stopped for this, so the log worker is the one that sends
    await worker().stop();
    try {
      const email = address("logged");
      await invite(email, { locale: "EN" });
      const report = await logWorker.runOnce();
      expect(report.sent).toBe(1);
      expect(logged.map((l) => [l.obj.mail?.to, l.obj.mail?.subject])).toEqual([
        [email, expect.stringMatching(/invites you/)],
      ]);
      const [row] = await db().select().from(mailOutboxTable).where(eq(mailOutboxTable.recipient, email));
      expect(row!.status).toBe("SENT");
    } finally {
      worker().start();
    }
  });
});

describe("a worker that died between sending and recording it", () => {
  it("leaves the row SENDING; after the lease another worker resends it with the same Message-ID", async () => {
    const email = address("crash");
    await invite(email);
    const first = await deliveredOnce(email);
    // as if the worker had sent it and died before its UPDATE committed: still SENDING, its lease run out
    await db()
      .update(mailOutboxTable)
      .set({ status: "SENDING", sentAt: null, nextAttemptAt: sql`now() - interval '1 second'` })
      .where(eq(mailOutboxTable.recipient, email));
    worker().wake();
    await waitUntil(() => sink.to(email).length === 2, { what: "the resend" });
    const [again] = sink.to(email).slice(1);
    // at least once, not exactly once: the receiver can tell the copy by its Message-ID
    expect(again!.messageId).toBe(first.messageId);
    await waitUntil(
      async () => (await db().select().from(mailOutboxTable).where(eq(mailOutboxTable.recipient, email)))[0]?.sentAt,
      { what: "the resend recorded" },
    );
  });
});

describe("stopping", () => {
  it("waits for the message being sent, records it, hands back the rest and claims nothing more", async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const sending: string[] = [];
    const blocking = new MailWorker({
      db: db(),
      transport: {
        send: async (mail) => {
          sending.push(mail.to);
          await gate;
        },
      },
      logger: silentLogger,
      pollMs: 50,
    });
    await worker().stop();
    try {
      const emails = [address("stopping"), address("stopping")];
      for (const email of emails) await invite(email);
      blocking.start();
      await waitUntil(() => sending.length === 1, { what: "the send to begin" });
      let stopped = false;
      const stopping = blocking.stop().then(() => {
        stopped = true;
      });
      await new Promise((resolve) => setImmediate(resolve));
      expect(stopped).toBe(false);
      release();
      await stopping;
      // the one being sent is recorded; the rest of the batch it claimed is handed back untried
      const rows = await db().select().from(mailOutboxTable).where(inArray(mailOutboxTable.recipient, emails));
      const byStatus = Object.fromEntries(rows.map((r) => [r.status, r]));
      expect(Object.keys(byStatus).sort()).toEqual(["PENDING", "SENT"]);
      expect(sending).toEqual([byStatus.SENT!.recipient]);
      expect(byStatus.PENDING!.attempts).toBe(0);
      const later = address("after-stop");
      await invite(later);
      const [waiting] = await db().select().from(mailOutboxTable).where(eq(mailOutboxTable.recipient, later));
      expect(waiting!.status).toBe("PENDING");
      expect(sending).toHaveLength(1);
    } finally {
      worker().start();
    }
  });
});
