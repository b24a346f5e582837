// What every resolver receives. The viewer is resolved once, from the bearer token only.
import type {
  ContactAccessLog,
  ContactAccessRecorder,
  CoreSettings,
  EventPublisher,
  Locale,
  Permissions,
  Viewer,
} from "@wz/core";
import type { Database } from "@wz/db";
import type { EventBus } from "./common/event-bus";
import type { LoginThrottle } from "./common/login-throttle";
import type { LeadFeed } from "./leads/lead-feed";

/** The logging surface resolvers use (pino's Logger satisfies it). */
export interface Logger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
  child(bindings: Record<string, unknown>): Logger;
}

export interface GraphQLContext {
  db: Database;
  /** The viewer as resolved when the request or operation began; decisions read `permissions` (current on sockets). */
  viewer: Viewer | null;
  permissions: Permissions;
  /** The reader's language (Accept-Language, or the socket's `connectionParams.locale`): for every message. */
  locale: Locale;
  /** The raw bearer token of this request or connection (needed by `logout`). */
  token: string | null;
  settings: CoreSettings;
  requestId: string;
  logger: Logger;
  /** Announce committed changes (domain services call this after commit). */
  events: EventPublisher;
  /** Subscribe to announced changes (subscription resolvers). */
  bus: EventBus;
  /** Where the request comes from (the balancer's X-Forwarded-For when trusted): for sign-in throttling. */
  clientAddress: string;
  /** Counts failed sign-ins per account and address (in Redis across instances). */
  loginThrottle: LoginThrottle;
  /** This process's reader of the lead event log (subscriptions). */
  leadFeed: LeadFeed;
  /** What this operation showed of merchants' non-public contact fields (written as it ends: privacy/access-log). */
  access: ContactAccessRecorder;
  /** This process's writer of those entries (one statement for operations ending together). */
  accessLog: ContactAccessLog;
}
