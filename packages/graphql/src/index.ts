// The GraphQL layer: the schema and the yoga handler built on it.
export { schema } from "./schema";
export * from "./yoga";
export type { GraphQLContext, Logger } from "./context";
export { createEventBus, type EventBus } from "./common/event-bus";
export { sharedSubscriptions, type SharedSubscriptions } from "./common/shared-subscriptions";
