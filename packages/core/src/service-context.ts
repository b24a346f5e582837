// What every domain service receives: the database, the viewer's permissions and the few settings services use.
import type { Database } from "@wz/db";
import type { EventPublisher } from "./events/domain-events";
import type { Permissions } from "./permissions";

export interface CoreSettings {
  sessionTtlMs: number;
  inviteTtlMs: number;
}

export const defaultCoreSettings: CoreSettings = {
  sessionTtlMs: 30 * 24 * 3600_000,
  inviteTtlMs: 14 * 24 * 3600_000,
};

export interface ServiceContext {
  db: Database;
  permissions: Permissions;
  settings: CoreSettings;
  /** Where services announce committed changes (subscriptions listen there). */
  events: EventPublisher;
}
