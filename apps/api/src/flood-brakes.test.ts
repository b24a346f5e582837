// Brakes on flooding (issue 11, defect 5): open WebSockets are capped per signed-in user (4429) and per client
// address (HTTP 429 at the upgrade), and operations per minute per user and per address, over HTTP and
// WebSocket alike, are refused before they run with RATE_LIMITED and when to retry.
import { leadTable } from "@wz/db";
import { createOperationThrottle } from "@wz/graphql";
import {
  globalId,
  seed,
  startTestServer,
  type TestServer,
  testServerDefaults,
  waitUntil,
  wsExecute,
} from "@wz/testkit";
import { count, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { type ApiServer, createApiServer } from "./server";

const ME = "{ me { user { email } } }";

describe("sockets per user and per address", () => {
  let harness: TestServer<ApiServer>;
  beforeAll(async () => {
    harness = await startTestServer((db) =>
      createApiServer({ ...testServerDefaults, database: db, maxSocketsPerUser: 2, maxSocketsPerAddress: 5 }),
    );
  });
  afterAll(() => harness?.close());

  /** Opens a bare socket (no connection_init): resolves with it once open, or with the upgrade's HTTP status. */
  const rawSocket = (): Promise<WebSocket | number> =>
    new Promise((resolve, reject) => {
      const socket = new WebSocket(harness.ws, "graphql-transport-ws");
      socket.once("open", () => resolve(socket));
      socket.once("unexpected-response", (_req, res) => resolve(res.statusCode ?? 0));
      socket.once("error", reject);
    });
  const closeAll = async (sockets: WebSocket[]) => {
    await Promise.all(
      sockets.map(
        (s) =>
          new Promise<void>((resolve) => {
            s.once("close", () => resolve());
            s.close();
          }),
      ),
    );
  };

  it("a client address may hold 5 sockets, signed in or not; the next upgrade is refused with 429", async () => {
    const open: WebSocket[] = [];
    for (let i = 0; i < 5; i++) {
      const socket = await rawSocket();
      expect(socket).toBeInstanceOf(WebSocket);
      open.push(socket as WebSocket);
    }
    expect(await rawSocket()).toBe(429);
    await closeAll(open);
    // Closed sockets free their places (the server sees the close a moment after the client does).
    const again = await waitUntil(
      async () => {
        const socket = await rawSocket();
        return typeof socket === "number" ? null : socket;
      },
      { what: "a socket accepted again after the others closed" },
    );
    await closeAll([again]);
  });

  /** A socket through connection_init: "acked" once the server accepts it, or the code it was closed with. */
  const signedIn = (token: string) =>
    new Promise<{ socket: WebSocket; outcome: "acked" | number }>((resolve, reject) => {
      const socket = new WebSocket(harness.ws, "graphql-transport-ws");
      socket.once("open", () =>
        socket.send(JSON.stringify({ type: "connection_init", payload: { authorization: `Bearer ${token}` } })),
      );
      socket.on("message", (data) => {
        if (JSON.parse(String(data)).type === "connection_ack") resolve({ socket, outcome: "acked" });
      });
      socket.once("close", (code) => resolve({ socket, outcome: code }));
      socket.once("error", reject);
    });

  it("a user may hold 2 signed-in sockets; a third closes with 4429, and a place frees when one closes", async () => {
    const s = seed(harness.database.db);
    const user = (await (await s.chamber()).member()).user;
    const first = await signedIn(user.token);
    const second = await signedIn(user.token);
    expect([first.outcome, second.outcome]).toEqual(["acked", "acked"]);
    expect((await signedIn(user.token)).outcome).toBe(4429);
    // Someone else is not held back by this user's sockets.
    const other = await signedIn((await s.user()).token);
    expect(other.outcome).toBe("acked");
    await closeAll([first.socket]);
    const fourth = await waitUntil(
      async () => {
        const attempt = await signedIn(user.token);
        return attempt.outcome === "acked" ? attempt : null;
      },
      { what: "a new socket for the user once one closed" },
    );
    await closeAll([second.socket, other.socket, fourth.socket]);
  });
});

describe("operations per minute per user and per address", () => {
  let harness: TestServer<ApiServer>;
  beforeAll(async () => {
    harness = await startTestServer((db) =>
      createApiServer({
        ...testServerDefaults,
        database: db,
        operationThrottle: createOperationThrottle({ perUserPerMinute: 5, perAddressPerMinute: 8 }),
      }),
    );
  });
  afterAll(() => harness?.close());

  const post = async (query: string, variables: Record<string, unknown>, token: string | null) => {
    const response = await fetch(`${harness.base}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    return (await response.json()) as {
      data?: unknown;
      errors?: { message: string; extensions?: Record<string, unknown> }[];
    };
  };
  const refused = (answer: { errors?: { extensions?: Record<string, unknown> }[] }) =>
    answer.errors?.[0]?.extensions?.code === "RATE_LIMITED";

  it("a user's sixth operation in a minute is refused, and the address's ninth, whoever sends it", async () => {
    const s = seed(harness.database.db);
    const chamber = await s.chamber();
    const a = (await chamber.member()).user;
    const b = (await chamber.member()).user;
    for (let i = 0; i < 5; i++) expect(refused(await post(ME, {}, a.token))).toBe(false);
    const sixth = await post(ME, {}, a.token);
    expect(sixth.data ?? null).toBeNull();
    expect(sixth.errors).toEqual([
      {
        message: expect.stringMatching(/^Too many requests; try again in \d+ s\.$/),
        extensions: { code: "RATE_LIMITED", retryAfterSeconds: expect.any(Number) },
      },
    ]);
    const wait = sixth.errors![0]!.extensions!.retryAfterSeconds as number;
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(60);

    // Over a WebSocket the same counts apply: b's first operation is the address's seventh, then its eighth.
    const socket = harness.connect(b.token);
    expect((await wsExecute(socket, ME)).errors).toBeUndefined();
    expect((await wsExecute(socket, ME)).errors).toBeUndefined();
    const ninth = await wsExecute(socket, ME);
    expect(ninth.errors?.[0]?.extensions).toMatchObject({ code: "RATE_LIMITED" });

    // A refused mutation changes nothing; anonymous visitors from the address are held back as well.
    const input = {
      chamberId: globalId("Chamber", chamber.id),
      kind: "SUPPLY",
      title: "被拒的商机",
      description: "详情",
      visibility: "CHAMBER",
    };
    const posted = await post(
      "mutation ($input: PostLeadInput!) { postLead(input: $input) { lead { id } userErrors { message } } }",
      { input },
      b.token,
    );
    expect(refused(posted)).toBe(true);
    const [leads] = await harness.database.db
      .select({ n: count() })
      .from(leadTable)
      .where(eq(leadTable.title, "被拒的商机"));
    expect(leads!.n).toBe(0);
    expect(refused(await post("{ federation { name } }", {}, null))).toBe(true);
    await socket.dispose();
  });
});
