export * from "./enums";
export * from "./chambers";
export * from "./identity";
export * from "./directory";
export * from "./membership";
export * from "./formation";
export * from "./leads";
export * from "./audit";
