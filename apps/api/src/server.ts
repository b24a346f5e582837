// The composition root's server: node:http with yoga at /graphql, graphql-ws on the same port and path
// (running every operation through yoga's envelop), health and readiness, and graceful shutdown.
import { resolveViewer, type CoreSettings, type Viewer } from "@wz/core";
import type { DatabaseHandle } from "@wz/db";
import {
  bearerToken,
  createEventBus,
  createGraphQLApp,
  isGraphQLError,
  sharedSubscriptions,
  type EventBus,
  type Logger,
  type QueryLimits,
  type SocketContext,
} from "@wz/graphql";
import type { ExecutionArgs } from "graphql";
import type { Context as WsContext } from "graphql-ws";
import { useServer } from "graphql-ws/use/ws";
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server } from "node:http";
import { createGraphQLError, type Plugin } from "graphql-yoga";
import type { AddressInfo } from "node:net";
import { WebSocketServer, type WebSocket } from "ws";
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
  leadFeedPollMs?: number;
  /** GET /metrics and the counters behind it (off when absent). */
  metrics?: ApiMetrics;
  /** More envelop plugins (tracing). */
  plugins?: Plugin[];
}

type SocketExtra = {
  socket: WebSocket;
  request: IncomingMessage;
  viewer?: Viewer | null;
  token?: string | null;
  expiryTimer?: NodeJS.Timeout;
  operations?: Set<string>;
};

type ExecuteFn = (args: ExecutionArgs) => unknown;
interface EnvelopRoot {
  execute: ExecuteFn;
  subscribe: ExecuteFn;
}

export interface ApiServer {
  httpServer: Server;
  listen(port: number, host: string): Promise<AddressInfo>;
  /** Stops accepting, lets in-flight requests finish (up to the grace period), closes sockets and the database. */
  close(): Promise<void>;
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
    plugins: [...(options.metrics?.plugins ?? []), ...(options.plugins ?? [])],
  });

  const httpServer = createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0];
    if (path === "/healthz") {
      res.writeHead(200, { "content-type": "application/json" }).end('{"status":"ok"}');
      return;
    }
    if (path === "/readyz") {
      database.ping().then(
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
    void yoga.handle(req, res);
  });

  const socketExtras = new WeakMap<WebSocket, SocketExtra>();
  const sharing = sharedSubscriptions(logger, options.production);
  const wsServer = new WebSocketServer({ server: httpServer, path: "/graphql", maxPayload: options.wsMaxPayloadBytes });
  const wsLogger = logger.child({ transport: "ws" });

  const instrumentWs = options.metrics?.instrumentWebSocket ?? (<O>(o: O) => o);
  const graphqlWs = useServer<Record<string, unknown> | undefined, SocketExtra>(
    instrumentWs({
      execute: (args) => (args.rootValue as EnvelopRoot).execute(args) as never,
      subscribe: async (args) => {
        const root = args.rootValue as EnvelopRoot;
        // Operations that read the same for every subscriber share one execution per event.
        return ((await sharing.subscribe(args)) ?? root.subscribe(args)) as never;
      },
      onConnect: async (ctx: WsContext<Record<string, unknown> | undefined, SocketExtra>) => {
        const raw = ctx.connectionParams?.["authorization"];
        const token = typeof raw === "string" ? (bearerToken(raw) ?? raw) : null;
        const viewer = await resolveViewer(database.db, token);
        // Subscriptions are for signed-in users: a missing, bad, expired or revoked token closes with 4403.
        if (!viewer) return false;
        ctx.extra.viewer = viewer;
        socketExtras.set(ctx.extra.socket, ctx.extra);
        ctx.extra.token = token;
        const ms = viewer.sessionExpiresAt.getTime() - Date.now();
        ctx.extra.expiryTimer = setTimeout(() => ctx.extra.socket.close(4403, "Session expired"), Math.min(ms, 2_147_000_000));
        return true;
      },
      onClose: (ctx) => {
        clearTimeout(ctx.extra.expiryTimer);
      },
      onComplete: (ctx, id) => {
        ctx.extra.operations?.delete(id);
      },
      onSubscribe: async (ctx, id, payload) => {
        const operations = (ctx.extra.operations ??= new Set());
        if (operations.size >= maxOperations)
          return [createGraphQLError(`At most ${maxOperations} operations may run at once on one connection.`, { extensions: { code: "TOO_MANY_OPERATIONS" } })];
        const requestId = randomUUID();
        const socketContext: SocketContext = { socketViewer: ctx.extra.viewer ?? null, socketToken: ctx.extra.token ?? null, requestId };
        const { schema, execute, subscribe, contextFactory, parse, validate } = yoga.getEnveloped({
          ...ctx,
          req: ctx.extra.request,
          socket: ctx.extra.socket,
          params: payload,
          ...socketContext,
        });
        // Limits (armor) reject by throwing from parse or validate: report those as the operation's errors.
        let document;
        try {
          document = parse(payload.query);
          const errors = validate(schema, document);
          if (errors.length > 0) return errors;
        } catch (error) {
          if (isGraphQLError(error)) return [error];
          throw error;
        }
        operations.add(id);
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

  const inFlight = new Set<import("node:http").ServerResponse>();
  httpServer.on("request", (_req, res) => {
    inFlight.add(res);
    res.on("close", () => inFlight.delete(res));
  });

  let closing: Promise<void> | undefined;
  return {
    httpServer,
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
        const stopped = new Promise<void>((resolve) => httpServer.close(() => resolve()));
        httpServer.closeIdleConnections();
        await revocations.return?.();
        await graphqlWs.dispose();
        for (const client of wsServer.clients) client.terminate();
        await new Promise<void>((resolve) => wsServer.close(() => resolve()));
        const deadline = Date.now() + options.shutdownGraceMs;
        while (inFlight.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
        httpServer.closeAllConnections();
        await stopped;
        options.metrics?.close();
        await database.close();
        wsLogger.info({}, "server closed");
      })()),
  };
}
