// Domain services and rules. No GraphQL here: every function takes the viewer's permissions explicitly.
export * from "./errors";
export * from "./dates";
export * from "./viewer";
export * from "./permissions";
export * from "./service-context";
export * from "./events/domain-events";
export * from "./validation";
export * from "./audit/audit-log";
export * from "./auth/tokens";
export * from "./auth/passwords";
export * from "./auth/auth-service";
export * from "./chambers/chamber-service";
export * from "./directory/pinyin";
export * from "./directory/visibility";
export * from "./membership/membership-status";
export * from "./directory/credit-code";
export * from "./demo/demo-data";
