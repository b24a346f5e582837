// The membership domain: lifecycle, dues, the member list and the other reads, import and export.
export * from "./membership-access";
export * from "./membership-service";
export * from "./dues-service";
export * from "./member-list";
export * from "./membership-reads";
export * from "./member-values";
export * from "./member-import";
export * from "./member-export";

