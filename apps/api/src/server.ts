// The composition root's server: node:http with yoga at /graphql, graphql-ws on the same port and path
// (running every operation through yoga's envelop), health and readiness, and graceful shutdown.

import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { type AddressInfo, Server as NetServer } from "node:net";
import {
  type CoreSettings,
  InvestmentOverdueSweep,
  type Locale,
  localeOf,
  MailWorker,
  type MailWorkerOptions,
  msg,
  RetentionWorker,
  type RetentionWorkerOptions,
  resolveViewer,
  type Viewer,
} from "@wz/core";
import type { DatabaseHandle } from "@wz/db";
import {
  addressOf,
  bearerToken,
  codedError,
  createEventBus,
  createGraphQLApp,
  type EventBus,
  eventPublisher,
  isGraphQLError,
  type Logger,
  type LoginThrottle,
  localizeResult,
  type OperationThrottle,
  type QueryLimits,
  type SocketContext,
  sharedSubscriptions,
} from "@wz/graphql";
import type { ExecutionArgs, GraphQLError } from "graphql";
import type { SubscribeMessage, Context as WsContext } from "graphql-ws";
import { useServer } from "graphql-ws/use/ws";
import type { Plugin } from "graphql-yoga";
import { type WebSocket, WebSocketServer } from "ws";
import type { ApiMetrics } from "./telemetry/metrics";

export interface ApiServerOptions {
  database: DatabaseHandle;
  logger: Logger;
  settings: CoreSettings;
  production: boolean;
  wsMaxPayloadBytes: number;
  shutdownGraceMs: number;
  limits?: QueryLimits;
  bus?: EventBus;
  /** Operations one socket may have running at once (subscriptions included). */
  maxOperationsPerSocket?: number;
  /** Open WebSockets one signed-in user may hold (more close with 4429); no limit when absent. */
  maxSocketsPerUser?: number;
  /** Open WebSockets from one client address, before sign-in too (more are refused with HTTP 429). */
  maxSocketsPerAddress?: number;
  /** Operations per user and per address per minute, over HTTP and WebSocket; no limit when absent. */
  operationThrottle?: OperationThrottle;
  leadFeedPollMs?: number;
  /** Failed sign-ins per account and address (Redis-backed with REDIS_URL, so it holds across instances). */
  loginThrottle?: LoginThrottle;
  trustProxy?: boolean;
  /** Node's headersTimeout / requestTimeout: a trickled request is cut (408) instead of held open. */
  headersTimeoutMs?: number;
  requestTimeoutMs?: number;
  /** How often an open socket re-reads its viewer's roles even without a `roles:changed` nudge (a lost one). */
  roleRefreshMs?: number;
  /** Serves the web console at "/" (see console.ts); returns false for what it leaves to the API. */
  console?: (req: IncomingMessage, res: ServerResponse) => boolean;
  /** GET /metrics and the counters behind it (off when absent). */
  metrics?: ApiMetrics;
  /** More envelop plugins (tracing). */
  plugins?: Plugin[];
  /** `false`: every operation on graphql-js (COMPILED_EXECUTION=off); repeated documents compiled otherwise. */
  compiledExecution?: false;
  /** Sends the mail outbox (main.ts always gives it; tests that look at mail do). No worker when absent. */
  mail?: Omit<MailWorkerOptions, "db" | "logger">;
  /**
   * Announces problems that went overdue (PROBLEM_OVERDUE in the project event log), on a timer; main.ts always
   * gives it, tests that look at it do. Safe with several processes: each problem is announced once.
   */
  investmentOverdueSweep?: { everyMs?: number; today?: () => string };
  /** Purges records past their retention periods on a schedule (main.ts always gives it). No worker when absent. */
  retention?: Omit<RetentionWorkerOptions, "db" | "logger">;
}

type SocketExtra = {
  socket: WebSocket;
  request: IncomingMessage;
  viewer?: Viewer | null;
  token?: string | null;
  /** The connection's language for every message: `connectionParams.locale`, else the upgrade's Accept-Language. */
  locale?: Locale;
  expiryTimer?: NodeJS.Timeout;
  refreshTimer?: NodeJS.Timeout;
  operations?: Set<string>;
};

type ExecuteFn = (args: ExecutionArgs) => unknown;
interface EnvelopRoot {
  execute: ExecuteFn;
  subscribe: ExecuteFn;
}

export interface ShutdownReport {
  /** Requests still running when the grace period ran out, as "POST /graphql (running 12034 ms)". */
  cut: string[];
  /** WebSockets closed (their clients reconnect, to another instance behind a balancer). */
  socketsClosed: number;
}

export interface ApiServer {
  httpServer: Server;
  /** The mail outbox's worker, when `mail` was given. */
  mailWorker: MailWorker | undefined;
  /** The overdue-problem sweep, when `investmentOverdueSweep` was given. */
  overdueSweep: InvestmentOverdueSweep | undefined;
  /** The retention worker, when `retention` was given. */
  retentionWorker: RetentionWorker | undefined;
  listen(port: number, host: string): Promise<AddressInfo>;
  /**
   * Drains: /readyz turns 503, requests already sent (even those still in the accept queue) are served with
   * `Connection: close`, then the listener closes; in-flight requests get the grace period, and any still
   * running then are cut (503 if nothing was sent yet) and reported. Closes sockets and the database.
   */
  close(): Promise<ShutdownReport>;
}

const unavailableBody = (message: string, code: string) =>
  JSON.stringify({ errors: [{ message, extensions: { code } }] });

/**
 * yoga writes a response's body, then ends it with an empty write: two socket writes per response. The body's
 * first chunk is held until `end()` (sent with it, in one write) or the next turn of the event loop (a stream:
 * server-sent events go out as they come).
 */
function writeInOnePiece(res: ServerResponse) {
  const write = res.write.bind(res) as (chunk: unknown) => boolean;
  const end = res.end.bind(res) as (chunk?: unknown) => ServerResponse;
  let held: unknown;
  const flush = () => {
    if (held === undefined) return;
    const chunk = held;
    held = undefined;
    write(chunk);
  };
  res.write = ((chunk: unknown, ...rest: unknown[]) => {
    if (held === undefined && rest.length === 0 && !res.headersSent && chunk != null) {
      held = chunk;
      setImmediate(flush);
      return true;
    }
    flush();
    return (write as (...args: unknown[]) => boolean)(chunk, ...rest);
  }) as ServerResponse["write"];
  res.end = ((chunk?: unknown, ...rest: unknown[]) => {
    if (held !== undefined && (chunk == null || typeof chunk === "function")) {
      const body = held;
      held = undefined;
      return (end as (...args: unknown[]) => ServerResponse)(body, ...(chunk ? [chunk] : []), ...rest);
    }
    flush();
    return (end as (...args: unknown[]) => ServerResponse)(chunk, ...rest);
  }) as ServerResponse["end"];
}

export function createApiServer(options: ApiServerOptions): ApiServer {
  const { database, logger } = options;
  const bus = options.bus ?? createEventBus();
  const maxOperations = options.maxOperationsPerSocket ?? 20;
  const yoga = createGraphQLApp({
    db: database.db,
    logger,
    settings: options.settings,
    production: options.production,
    ...(options.limits ? { limits: options.limits } : {}),
    bus,
    ...(options.leadFeedPollMs ? { leadFeedPollMs: options.leadFeedPollMs } : {}),
    ...(options.loginThrottle ? { loginThrottle: options.loginThrottle } : {}),
    ...(options.operationThrottle ? { operationThrottle: options.operationThrottle } : {}),
    trustProxy: options.trustProxy ?? false,
    plugins: [...(options.metrics?.plugins ?? []), ...(options.plugins ?? [])],
    ...(options.compiledExecution === false ? { compiledExecution: false } : {}),
  });

  let draining = false;
  let readiness: Promise<void> | undefined;
  // One probe at a time however many balancers ask. The probe gives up after 750 ms, so that /readyz answers
  // within 1 s with the response's own time and a busy event loop included (1,000 ms measured 1,014 under load).
  const ready = () =>
    (readiness ??= database.ping(750).finally(() => {
      readiness = undefined;
    }));

  // A client trickling its headers or its body is cut off (408) instead of holding a connection open; the
  // timeouts are checked every second rather than Node's default 30.
  const timeouts = {
    headersTimeout: options.headersTimeoutMs ?? 10_000,
    requestTimeout: options.requestTimeoutMs ?? 30_000,
    connectionsCheckingInterval: 1_000,
  };
  const httpServer = createServer(timeouts, (req, res) => {
    const path = (req.url ?? "/").split("?")[0];
    if (draining) res.shouldKeepAlive = false;
    if (path === "/healthz") {
      res.writeHead(200, { "content-type": "application/json" }).end('{"status":"ok"}');
      return;
    }
    if (path === "/readyz") {
      if (draining) {
        res.writeHead(503, { "content-type": "application/json" }).end('{"status":"shutting down"}');
        return;
      }
      ready().then(
        () => res.writeHead(200, { "content-type": "application/json" }).end('{"status":"ready"}'),
        (err: unknown) => {
          logger.warn({ err }, "readiness check failed: database did not answer");
          res.writeHead(503, { "content-type": "application/json" }).end('{"status":"database unavailable"}');
        },
      );
      return;
    }
    if (path === "/metrics" && options.metrics) {
      options.metrics.handle(req, res);
      return;
    }
    if (options.console?.(req, res)) return;
    // While the database is known to be unreachable, GraphQL requests fail at once instead of queueing.
    if (req.method === "POST" && !database.available()) {
      res
        .writeHead(503, { "content-type": "application/json; charset=utf-8", "retry-after": "1" })
        .end(unavailableBody("The database is unavailable; try again shortly.", "DATABASE_UNAVAILABLE"));
      return;
    }
    writeInOnePiece(res);
    void yoga.handle(req, res);
  });

  const socketExtras = new WeakMap<WebSocket, SocketExtra>();
  // Roles change while a socket stays open: re-read them before every operation, when a `roles:changed` nudge
  // names the viewer, and on a timer for a nudge that was lost. A session that ended closes the socket.
  const refreshViewer = async (extra: SocketExtra) => {
    const fresh = await resolveViewer(database.db, extra.token);
    if (!fresh) extra.socket.close(4403, "Session ended");
    else extra.viewer = fresh;
  };
  const roleRefreshMs = options.roleRefreshMs ?? 60_000;
  const sharing = sharedSubscriptions(logger, options.production);
  // Open sockets per client address, counted from the upgrade (a socket waiting for connection_init counts too).
  const socketsByAddress = new Map<string, number>();
  const addressOfUpgrade = (req: IncomingMessage) => addressOf({ req }, options.trustProxy ?? false);
  const wsServer = new WebSocketServer({
    server: httpServer,
    path: "/graphql",
    maxPayload: options.wsMaxPayloadBytes,
    verifyClient: ({ req }, done) => {
      const max = options.maxSocketsPerAddress;
      if (max && (socketsByAddress.get(addressOfUpgrade(req)) ?? 0) >= max)
        done(false, 429, `At most ${max} connections from one address`, { "retry-after": "60" });
      else done(true);
    },
  });
  wsServer.on("connection", (socket, req) => {
    const address = addressOfUpgrade(req);
    socketsByAddress.set(address, (socketsByAddress.get(address) ?? 0) + 1);
    socket.once("close", () => {
      const left = (socketsByAddress.get(address) ?? 1) - 1;
      if (left > 0) socketsByAddress.set(address, left);
      else socketsByAddress.delete(address);
    });
  });
  // Signed-in sockets per user (on this instance).
  const socketsByUser = new Map<string, Set<WebSocket>>();
  const wsLogger = logger.child({ transport: "ws" });

  const instrumentWs = options.metrics?.instrumentWebSocket ?? (<O>(o: O) => o);
  /** The viewer re-read, then the operation parsed and validated: its execution arguments, or its errors. */
  const prepareOperation = async (
    ctx: WsContext<Record<string, unknown> | undefined, SocketExtra>,
    id: string,
    payload: SubscribeMessage["payload"],
  ): Promise<ExecutionArgs | readonly GraphQLError[]> => {
    const requestId = randomUUID();
    await refreshViewer(ctx.extra);
    const extra = ctx.extra;
    const socketContext: SocketContext = {
      socketViewer: extra.viewer ?? null,
      currentViewer: () => extra.viewer ?? null,
      socketToken: extra.token ?? null,
      socketLocale: extra.locale ?? "en",
      requestId,
    };
    const { schema, execute, subscribe, contextFactory, parse, validate } = yoga.getEnveloped({
      ...ctx,
      req: ctx.extra.request,
      socket: ctx.extra.socket,
      params: payload,
      ...socketContext,
    });
    // Limits (armor) reject by throwing from parse or validate: report those as the operation's errors.
    let document: ReturnType<typeof parse>;
    try {
      document = parse(payload.query);
      const errors = validate(schema, document);
      if (errors.length > 0) return errors;
    } catch (error) {
      if (isGraphQLError(error)) return [error];
      throw error;
    }
    const args: ExecutionArgs = {
      schema,
      operationName: payload.operationName ?? null,
      document,
      variableValues: payload.variables ?? null,
      contextValue: await contextFactory(),
      rootValue: { execute, subscribe } satisfies EnvelopRoot,
    };
    sharing.prepare(args, { id, query: payload.query, socket: ctx.extra.socket });
    return args;
  };

  const graphqlWs = useServer<Record<string, unknown> | undefined, SocketExtra>(
    instrumentWs({
      execute: (args) => (args.rootValue as EnvelopRoot).execute(args) as never,
      subscribe: async (args) => {
        const root = args.rootValue as EnvelopRoot;
        // Operations that read the same for every subscriber share one execution per event.
        return ((await sharing.subscribe(args)) ?? root.subscribe(args)) as never;
      },
      onConnect: async (ctx: WsContext<Record<string, unknown> | undefined, SocketExtra>) => {
        const raw = ctx.connectionParams?.authorization;
        const token = typeof raw === "string" ? (bearerToken(raw) ?? raw) : null;
        const locale = ctx.connectionParams?.locale;
        ctx.extra.locale = localeOf(typeof locale === "string" ? locale : ctx.extra.request.headers["accept-language"]);
        const viewer = await resolveViewer(database.db, token);
        // Subscriptions are for signed-in users: a missing, bad, expired or revoked token closes with 4403.
        if (!viewer) return false;
        const mine = socketsByUser.get(viewer.userId) ?? new Set<WebSocket>();
        const maxPerUser = options.maxSocketsPerUser;
        if (maxPerUser && mine.size >= maxPerUser) {
          ctx.extra.socket.close(4429, `At most ${maxPerUser} connections per user`);
          return false;
        }
        mine.add(ctx.extra.socket);
        socketsByUser.set(viewer.userId, mine);
        const socket = ctx.extra.socket;
        socket.once("close", () => {
          mine.delete(socket);
          if (mine.size === 0 && socketsByUser.get(viewer.userId) === mine) socketsByUser.delete(viewer.userId);
        });
        ctx.extra.viewer = viewer;
        socketExtras.set(ctx.extra.socket, ctx.extra);
        ctx.extra.token = token;
        const ms = viewer.sessionExpiresAt.getTime() - Date.now();
        ctx.extra.expiryTimer = setTimeout(
          () => ctx.extra.socket.close(4403, "Session expired"),
          Math.min(ms, 2_147_000_000),
        );
        const extra = ctx.extra;
        extra.refreshTimer = setInterval(() => {
          refreshViewer(extra).catch((err: unknown) => wsLogger.warn({ err }, "could not re-read a viewer's roles"));
        }, roleRefreshMs);
        return true;
      },
      onClose: (ctx) => {
        clearTimeout(ctx.extra.expiryTimer);
        clearInterval(ctx.extra.refreshTimer);
      },
      onComplete: (ctx, id) => {
        ctx.extra.operations?.delete(id);
      },
      // Coded errors in the connection's language (one shared execution may reach readers of both).
      onNext: (ctx, _id, _payload, _args, result) => localizeResult(result, ctx.extra.locale ?? "en"),
      onError: (ctx, _id, _payload, errors) =>
        localizeResult({ errors: [...errors] }, ctx.extra.locale ?? "en").errors ?? [...errors],
      onSubscribe: async (ctx, id, payload) => {
        ctx.extra.operations ??= new Set();
        const operations = ctx.extra.operations;
        if (operations.size >= maxOperations)
          return [
            codedError(msg("limits.operationsPerSocket", { max: maxOperations }), {
              extensions: { code: "TOO_MANY_OPERATIONS" },
            }),
          ];
        // The slot is taken before anything is awaited: operations sent back to back are counted in order.
        operations.add(id);
        try {
          const prepared = await prepareOperation(ctx, id, payload);
          if (Array.isArray(prepared)) operations.delete(id);
          return prepared;
        } catch (error) {
          operations.delete(id);
          throw error;
        }
      },
    }),
    wsServer,
  );

  // A revoked session (logout, here or on another server process) closes its sockets at once.
  const revocations = bus.subscribe("session:revoked")[Symbol.asyncIterator]();
  void (async () => {
    for (;;) {
      const next = await revocations.next();
      if (next.done) return;
      for (const client of wsServer.clients) {
        const extra = socketExtras.get(client);
        if (extra?.viewer?.sessionId === next.value.sessionId) client.close(4403, "Session revoked");
      }
    }
  })().catch((err: unknown) => logger.warn({ err }, "session revocation listener ended"));

  // Memberships changed (here or on another process): sockets of those merchants re-read their roles at once.
  const roleChanges = bus.subscribe("roles:changed")[Symbol.asyncIterator]();
  void (async () => {
    for (;;) {
      const next = await roleChanges.next();
      if (next.done) return;
      const merchants = new Set(next.value.merchantIds);
      for (const client of wsServer.clients) {
        const extra = socketExtras.get(client);
        if (extra?.viewer?.merchantId && merchants.has(extra.viewer.merchantId))
          refreshViewer(extra).catch((err: unknown) => wsLogger.warn({ err }, "could not re-read a viewer's roles"));
      }
    }
  })().catch((err: unknown) => logger.warn({ err }, "role change listener ended"));

  // Retention: a purge at start and then on its interval; every process runs it (set-based, idempotent deletes).
  const retentionWorker = options.retention
    ? new RetentionWorker({ ...options.retention, db: database.db, logger: logger.child({ component: "retention" }) })
    : undefined;
  retentionWorker?.start();

  // The outbox's worker: woken by every commit that queued mail (on any process, through the bus), and by a timer.
  const mailWorker = options.mail
    ? new MailWorker({ ...options.mail, db: database.db, logger: logger.child({ component: "mail" }) })
    : undefined;
  const mailQueued = mailWorker && bus.subscribe("mail:queued")[Symbol.asyncIterator]();
  if (mailWorker && mailQueued) {
    mailWorker.start();
    void (async () => {
      for (;;) {
        const next = await mailQueued.next();
        if (next.done) return;
        mailWorker.wake();
      }
    })().catch((err: unknown) => logger.warn({ err }, "mail notification listener ended"));
  }

  const overdueSweep = options.investmentOverdueSweep
    ? new InvestmentOverdueSweep({
        ...options.investmentOverdueSweep,
        db: database.db,
        events: eventPublisher(bus, logger),
        logger: logger.child({ component: "overdue-sweep" }),
      })
    : undefined;
  overdueSweep?.start();

  const inFlight = new Map<ServerResponse, { what: string; since: number }>();
  let lastArrival = Date.now();
  httpServer.on("connection", () => (lastArrival = Date.now()));
  httpServer.on("request", (req: IncomingMessage, res: ServerResponse) => {
    lastArrival = Date.now();
    inFlight.set(res, { what: `${req.method} ${(req.url ?? "/").split("?")[0]}`, since: Date.now() });
    res.on("close", () => inFlight.delete(res));
  });

  let closing: Promise<ShutdownReport> | undefined;
  return {
    httpServer,
    mailWorker,
    overdueSweep,
    retentionWorker,
    listen: (port, host) =>
      new Promise((resolve, reject) => {
        httpServer.once("error", reject);
        httpServer.listen(port, host, () => {
          httpServer.off("error", reject);
          resolve(httpServer.address() as AddressInfo);
        });
      }),
    close: () =>
      (closing ??= (async () => {
        draining = true;
        // Connections the kernel accepted while the event loop was busy are still in the listen queue, and
        // requests on open connections may be unread: closing now would reset them. Let the loop take them in:
        // a few turns of it (each accepts what is queued and reads what arrived) and 100 ms with nothing new.
        const drainDeadline = Date.now() + 2000;
        for (let turns = 0; turns < 10 || Date.now() - lastArrival < 100; turns++) {
          if (Date.now() > drainDeadline) break;
          await new Promise((r) => (turns < 10 ? setImmediate(r) : setTimeout(r, 10)));
        }
        // net.Server's close, not http.Server's: that one also drops idle keep-alive connections at once.
        const stopped = new Promise<void>((resolve) => NetServer.prototype.close.call(httpServer, () => resolve()));
        httpServer.closeIdleConnections();
        await revocations.return?.();
        await roleChanges.return?.();
        const socketsClosed = wsServer.clients.size;
        await graphqlWs.dispose();
        for (const client of wsServer.clients) client.terminate();
        await new Promise<void>((resolve) => wsServer.close(() => resolve()));
        const deadline = Date.now() + options.shutdownGraceMs;
        while (inFlight.size > 0 && Date.now() < deadline) {
          await new Promise((r) => setTimeout(r, 20));
          httpServer.closeIdleConnections();
        }
        const cut = [...inFlight].map(([res, { what, since }]) => {
          if (!res.headersSent)
            res
              .writeHead(503, { "content-type": "application/json; charset=utf-8", connection: "close" })
              .end(unavailableBody("The server is shutting down; try again.", "SHUTTING_DOWN"));
          return `${what} (running ${Date.now() - since} ms)`;
        });
        if (cut.length > 0)
          logger.error(
            { cut, graceMs: options.shutdownGraceMs },
            `shutdown grace period ran out: cut ${cut.length} request(s)`,
          );
        httpServer.closeAllConnections();
        await stopped;
        // after the last request, so mail its commits queued is still picked up now; the rest waits in the outbox
        await mailQueued?.return?.();
        await mailWorker?.stop();
        await overdueSweep?.stop();
        await retentionWorker?.stop();
        await options.mail?.transport.close?.();
        options.metrics?.close();
        await database.close();
        wsLogger.info({ socketsClosed }, "server closed");
        return { cut, socketsClosed };
      })()),
  };
}
