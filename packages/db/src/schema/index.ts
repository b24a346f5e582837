export * from "./audit";
export * from "./chambers";
export * from "./directory";
export * from "./enums";
export * from "./formation";
export * from "./identity";
export * from "./leads";
export * from "./membership";
