// The GraphQL layer: the schema and the yoga handler built on it.

export { type CompiledExecutionOptions, defaultCompiledExecution } from "./common/compiled-execution";
export { createEventBus, type EventBus, eventPublisher } from "./common/event-bus";
export {
  createLoginThrottle,
  defaultLoginThrottlePolicy,
  type LoginThrottle,
  type LoginThrottlePolicy,
} from "./common/login-throttle";
export { codedError, localizeResult, useLocalizedErrors } from "./common/messages";
export {
  createOperationThrottle,
  type OperationThrottle,
  type OperationThrottlePolicy,
} from "./common/operation-throttle";
export type { ThrottleRedis } from "./common/rate-limiter";
export { type SharedSubscriptions, sharedSubscriptions } from "./common/shared-subscriptions";
export type { GraphQLContext, Logger } from "./context";
export { schema } from "./schema";
export * from "./yoga";
