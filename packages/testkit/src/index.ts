// Test support: fresh databases, the API as clients call it, fluent seeds.
export * from "./database";
export * from "./api";
export * from "./seed";
export * from "./ws";
export * from "./server";
export * from "./probe";
export * from "./tcp-proxy";
export * from "./process";
export * from "./wait";
