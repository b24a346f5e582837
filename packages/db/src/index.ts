// The data layer: drizzle schema, the client for PostgreSQL or PGlite, migrations, reference data.

export * from "./client";
export { clusterTemplatePath, holdsCluster, readDump, writeDump } from "./cluster-template";
export * from "./reference";
export * from "./schema/index";
