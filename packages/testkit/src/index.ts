// Test support: fresh databases, the API as clients call it, fluent seeds.

export * from "./api";
export * from "./browser";
export * from "./database";
export * from "./ports";
export * from "./probe";
export * from "./process";
export * from "./redis";
export * from "./seed";
export * from "./server";
export * from "./smtp";
export * from "./tcp-proxy";
export * from "./wait";
export * from "./ws";
