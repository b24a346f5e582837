// The membership domain: lifecycle, dues, the member list and the other reads, import and export.

export * from "./dues-service";
export * from "./member-export";
export * from "./member-import";
export * from "./member-list";
export * from "./member-values";
export * from "./membership-access";
export * from "./membership-reads";
export * from "./membership-service";
