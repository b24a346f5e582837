// The GraphQL handler: schema, context, limits and error masking, as one yoga instance. The HTTP server and
// the graphql-ws server in apps/api both run operations through its envelop, so every limit applies to both.

import { randomUUID } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { blockFieldSuggestionsPlugin } from "@escape.tech/graphql-armor-block-field-suggestions";
import { maxAliasesPlugin } from "@escape.tech/graphql-armor-max-aliases";
import { maxDepthPlugin } from "@escape.tech/graphql-armor-max-depth";
import { maxDirectivesPlugin } from "@escape.tech/graphql-armor-max-directives";
import { maxTokensPlugin } from "@escape.tech/graphql-armor-max-tokens";
import { useCSRFPrevention } from "@graphql-yoga/plugin-csrf-prevention";
import { useDisableIntrospection } from "@graphql-yoga/plugin-disable-introspection";
import {
  ContactAccessLog,
  ContactAccessRecorder,
  type CoreSettings,
  ForbiddenError,
  type Locale,
  msg,
  Permissions,
  RateLimitedError,
  resolveViewer,
  UnauthenticatedError,
  UserInputError,
  type Viewer,
} from "@wz/core";
import { type Database, isConnectionError } from "@wz/db";
import type { ExecutionResult, GraphQLError } from "graphql";
import { createGraphQLError, createYoga, type Plugin, type YogaServerInstance } from "graphql-yoga";
import {
  type CompiledExecutionOptions,
  defaultCompiledExecution,
  useCompiledExecution,
} from "./common/compiled-execution";
import { useDatabaseScope } from "./common/database-scope";
import { createEventBus, type EventBus, eventPublisher } from "./common/event-bus";
import { graphiqlOptions, renderOfflineGraphiQL, useGraphiQLAssets } from "./common/graphiql";
import { useCodedInputErrors } from "./common/input-errors";
import { useInputLimits } from "./common/input-limits";
import { createLoginThrottle, type LoginThrottle } from "./common/login-throttle";
import { codedError, requestLocale, useLocalizedErrors } from "./common/messages";
import { type OperationThrottle, useOperationThrottle } from "./common/operation-throttle";
import { rejectAs, useQueryCost } from "./common/query-cost";
import type { GraphQLContext, Logger } from "./context";
import { LeadFeed } from "./leads/lead-feed";
import { useContactAccessLog } from "./privacy/access-log";
import { schema } from "./schema";

export interface QueryLimits {
  maxDepth: number;
  maxAliases: number;
  maxTokens: number;
  /** The price of an operation's work (common/query-cost.ts): field values, plus 50 per statement. */
  maxCost: number;
  maxDirectives: number;
}

export const defaultQueryLimits: QueryLimits = {
  maxDepth: 12,
  maxAliases: 15,
  maxTokens: 2000,
  maxCost: 10_000,
  maxDirectives: 20,
};

export interface GraphQLAppOptions {
  db: Database;
  logger: Logger;
  settings: CoreSettings;
  production: boolean;
  limits?: QueryLimits;
  /** Pub/sub for subscriptions; in-process when absent (apps/api passes a Redis-backed one with REDIS_URL). */
  bus?: EventBus;
  /** How often the lead feed polls the event log for events whose pub/sub nudge was lost. */
  leadFeedPollMs?: number;
  /** Failed sign-ins per account and address; in memory when absent (apps/api passes a Redis one with REDIS_URL). */
  loginThrottle?: LoginThrottle;
  /** Operations per user and per address per minute; no limit when absent (apps/api configures it). */
  operationThrottle?: OperationThrottle;
  /** Behind a balancer: take the client address from the first X-Forwarded-For entry. */
  trustProxy?: boolean;
  /** More envelop plugins from the composition root (metrics, tracing), run after the limits. */
  plugins?: Plugin[];
  /** When repeated documents run compiled (common/compiled-execution.ts); `false` keeps all on graphql-js. */
  compiledExecution?: CompiledExecutionOptions | false;
}

/** What the WebSocket server hands to the context factory: the viewer it resolved once, at connection_init. */
export interface SocketContext {
  socketViewer: Viewer | null;
  /**
   * The connection's viewer as it is now: roles change while a socket stays open (a suspension, a lapse), so
   * a subscription's `permissions` (every decision, and `permissions.viewer`) follows this when it is given.
   */
  currentViewer?: () => Viewer | null;
  socketToken: string | null;
  /** The connection's language: `connectionParams.locale`, else the upgrade request's Accept-Language. */
  socketLocale?: Locale;
  requestId: string;
}

export function bearerToken(header: string | null | undefined): string | null {
  if (!header) return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1] ?? null;
}

const requestIds = new WeakMap<Request, string>();

/** The client's address: the balancer's first X-Forwarded-For entry when trusted, else the peer's. */
export function addressOf(initial: { req?: IncomingMessage }, trustProxy: boolean): string {
  const req = initial.req;
  if (!req) return "local";
  const forwarded = req.headers["x-forwarded-for"];
  const first = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(",")[0]?.trim();
  return (trustProxy && first) || req.socket?.remoteAddress || "unknown";
}

/** Gives every HTTP request an id (the caller's `x-request-id` when sane), logged with it and echoed back. */
function useRequestId(): Plugin {
  return {
    onRequest({ request }) {
      const given = request.headers.get("x-request-id");
      requestIds.set(request, given && /^[\w.-]{1,64}$/.test(given) ? given : randomUUID());
    },
    onResponse({ request, response }) {
      const id = requestIds.get(request);
      if (id) response.headers.set("x-request-id", id);
    },
  };
}

/** graphql-js errors by shape: the executor may raise them from another copy of the module. */
export function isGraphQLError(error: unknown): error is GraphQLError {
  return Object.prototype.toString.call(error) === "[object GraphQLError]";
}

/** graphql-js's own "Did you mean …?" hints (fields, arguments, enum values): a map of the schema in production. */
const SUGGESTION = /\s*Did you mean [^?]*\?/g;
const withoutSuggestions = (message: string) => message.replace(SUGGESTION, "");

/** Strips the hints from validation errors too (armor's plugin misses "Did you mean the enum value …?"). */
function useNoSuggestions(): Plugin {
  return {
    onValidate:
      () =>
      ({ result, setResult }) => {
        if (!result.some((e) => withoutSuggestions(e.message) !== e.message)) return;
        setResult(
          result.map((e) =>
            createGraphQLError(withoutSuggestions(e.message), { nodes: e.nodes, extensions: e.extensions }),
          ),
        );
      },
  };
}

function maskError(logger: Logger, production: boolean) {
  return (error: unknown): Error => {
    const located = isGraphQLError(error) ? error : null;
    const original: unknown = located ? located.originalError : error;
    const where = { nodes: located?.nodes, path: located?.path };
    if (original instanceof RateLimitedError)
      return codedError(original.said, {
        ...where,
        extensions: { code: original.code, retryAfterSeconds: Math.ceil(original.retryAfterMs / 1000) },
      });
    if (original instanceof UnauthenticatedError || original instanceof ForbiddenError)
      return codedError(original.said, { ...where, extensions: { code: original.code } });
    if (original instanceof UserInputError) {
      const first = original.errors[0];
      return first
        ? codedError(first.message, { ...where, extensions: { code: first.code } })
        : createGraphQLError(original.message, { ...where, extensions: { code: "INVALID" } });
    }
    // The database unreachable (or no pooled connection free in time): coded, so clients retry; no internals.
    if (isConnectionError(original ?? error))
      return codedError(msg("errors.databaseUnavailable"), { ...where, extensions: { code: "DATABASE_UNAVAILABLE" } });
    // Errors graphql-js or yoga raised themselves (syntax, validation, limits, bad variables) are safe to show.
    if (located && (!original || isGraphQLError(original))) {
      if (production && withoutSuggestions(located.message) !== located.message)
        return createGraphQLError(withoutSuggestions(located.message), {
          nodes: located.nodes,
          path: located.path,
          extensions: located.extensions,
        });
      return located;
    }
    logger.error({ err: original ?? error, path: located?.path }, "unexpected error");
    return codedError(msg("errors.unexpected"), { ...where, extensions: { code: "INTERNAL_SERVER_ERROR" } });
  };
}

const MASKED_MESSAGE = "Unexpected error.";

const bodyTooLarge = () =>
  createGraphQLError("Request body too large", {
    extensions: { http: { status: 413 }, code: "REQUEST_ENTITY_TOO_LARGE" },
  });

/**
 * Refuses a body over `limit` bytes (413 REQUEST_ENTITY_TOO_LARGE) before it is parsed, in place of yoga's own
 * limit, which pipes every body through a counting stream (and an abort signal, and the DOMException its end
 * raises: about a tenth of the CPU of a small request). A body with a Content-Length is judged by the header
 * alone: Node's HTTP parser delivers exactly that many bytes, never more. Only a body without one (chunked, or a
 * stream handed to `fetch` in-process) is counted as it is read. A multipart body (a member file upload) that
 * overflows fails inside yoga's form parser, which would report a bad request (400): it is the same refusal.
 */
function useRequestBodyLimit(limit: number): Plugin {
  return {
    onRequestParse({ request, requestParser, setRequestParser, fetchAPI }) {
      const length = request.headers.get("content-length");
      if (length != null) {
        if (!/^\d+$/.test(length))
          throw createGraphQLError("Content-Length header is invalid.", {
            extensions: { http: { status: 400 }, code: "BAD_REQUEST" },
          });
        if (Number(length) > limit) throw bodyTooLarge();
      }
      if (!requestParser) return;
      const counted = (req: Request): Request => {
        if (length != null || !req.body) return req;
        // a native stream needs the native TransformStream, a ponyfilled one the ponyfill's (graphql-yoga#4583)
        const Transform = req.body instanceof ReadableStream ? globalThis.TransformStream : fetchAPI.TransformStream;
        let bytes = 0;
        const body = req.body.pipeThrough(
          new Transform<Uint8Array, Uint8Array>({
            transform(chunk, controller) {
              bytes += chunk.byteLength;
              if (bytes > limit) controller.error(bodyTooLarge());
              else controller.enqueue(chunk);
            },
          }),
        );
        return new fetchAPI.Request(req.url, {
          method: req.method,
          headers: req.headers,
          signal: req.signal,
          body,
          duplex: "half",
        } as RequestInit);
      };
      setRequestParser(async (req) => {
        try {
          return await requestParser(counted(req));
        } catch (error) {
          if (isGraphQLError(error) && error.message.endsWith("Request body too large")) throw bodyTooLarge();
          throw error;
        }
      });
    },
  };
}

/** Requests larger than this are refused (413) while they are read, before anything is parsed. */
export const MAX_REQUEST_BODY_BYTES = 20 * 1024 * 1024;

/** Masks a result's errors as every response's are masked, for results the server executes itself. */
export function maskResultErrors(logger: Logger, production = false): (result: ExecutionResult) => ExecutionResult {
  const mask = maskError(logger, production);
  return (result) =>
    result.errors?.length ? { ...result, errors: result.errors.map((e) => mask(e) as GraphQLError) } : result;
}

export type GraphQLApp = YogaServerInstance<Record<string, unknown>, GraphQLContext>;

export function createGraphQLApp(options: GraphQLAppOptions): GraphQLApp {
  const { db, logger, settings, production } = options;
  const limits = options.limits ?? defaultQueryLimits;
  const bus = options.bus ?? createEventBus();
  const leadFeed = new LeadFeed(db, bus, logger, options.leadFeedPollMs ?? 2000);
  const loginThrottle = options.loginThrottle ?? createLoginThrottle();
  const accessLog = new ContactAccessLog(db);
  const compiled = options.compiledExecution ?? defaultCompiledExecution;
  const plugins: Plugin[] = [
    // first, so that every plugin wrapping execution (the database scope) wraps the compiled one too
    ...(compiled ? [useCompiledExecution(compiled, logger)] : []),
    useRequestId(),
    // every resolver's statements in the viewer's database scope (row-level security)
    useDatabaseScope(),
    useLocalizedErrors(),
    useCSRFPrevention({ requestHeaders: ["x-graphql-yoga-csrf", "apollo-require-preflight"] }),
    // each refusal is a QUERY_TOO_COMPLEX error saying what to change (armor's own read "Syntax Error: …")
    maxTokensPlugin({ n: limits.maxTokens, onReject: rejectAs("tokens") }),
    maxDepthPlugin({ n: limits.maxDepth, flattenFragments: true, onReject: rejectAs("depth") }),
    // armor lets aliases of __typename through by default: 10,000 of them are as costly as any
    maxAliasesPlugin({ n: limits.maxAliases, allowList: [], onReject: rejectAs("aliases") }),
    maxDirectivesPlugin({ n: limits.maxDirectives, onReject: rejectAs("directives") }),
    useCodedInputErrors({ production }),
    useInputLimits(),
    // priced with the variables, so it runs as execution starts, before any resolver (after the input limits,
    // whose errors name the argument)
    useQueryCost(limits.maxCost),
    // who saw which merchant's contact fields, written as each operation ends (privacy/access-log.ts)
    useContactAccessLog() as Plugin,
  ];
  if (options.operationThrottle) plugins.push(useOperationThrottle(options.operationThrottle));
  if (production) plugins.push(useDisableIntrospection(), blockFieldSuggestionsPlugin(), useNoSuggestions());
  else plugins.push(useGraphiQLAssets());
  plugins.push(...(options.plugins ?? []));
  // after every plugin that picks a request parser, so it wraps whichever one was picked
  plugins.push(useRequestBodyLimit(MAX_REQUEST_BODY_BYTES));

  return createYoga<Record<string, unknown>, GraphQLContext>({
    schema,
    graphqlEndpoint: "/graphql",
    graphiql: !production && graphiqlOptions,
    renderGraphiQL: renderOfflineGraphiQL,
    landingPage: false,
    // the largest thing anyone sends is a member file; nothing else comes near this (useRequestBodyLimit)
    maxRequestBodySize: false,
    logging: false,
    maskedErrors: { maskError: maskError(logger, production), errorMessage: MASKED_MESSAGE },
    plugins,
    context: async (initial): Promise<GraphQLContext> => {
      const socket = initial as Partial<SocketContext> & { request?: Request };
      let viewer: Viewer | null;
      let token: string | null;
      let requestId: string;
      let locale: Locale;
      if (socket.socketViewer !== undefined) {
        viewer = socket.socketViewer;
        token = socket.socketToken ?? null;
        requestId = socket.requestId ?? randomUUID();
        locale = socket.socketLocale ?? "en";
      } else {
        token = bearerToken(socket.request?.headers.get("authorization"));
        viewer = await resolveViewer(db, token);
        requestId = (socket.request && requestIds.get(socket.request)) ?? randomUUID();
        locale = requestLocale(socket.request);
      }
      const clientAddress = addressOf(initial as { req?: IncomingMessage }, options.trustProxy ?? false);
      const requestLogger = logger.child({ requestId, userId: viewer?.userId });
      const context: GraphQLContext = {
        db,
        viewer,
        // over a socket, the connection's viewer as it is now (see SocketContext.currentViewer)
        permissions: new Permissions(socket.currentViewer ?? viewer),
        locale,
        token,
        settings,
        requestId,
        logger: requestLogger,
        events: eventPublisher(bus, requestLogger),
        bus,
        leadFeed,
        clientAddress,
        loginThrottle,
        access: new ContactAccessRecorder(),
        accessLog,
      };
      return context;
    },
  });
}
