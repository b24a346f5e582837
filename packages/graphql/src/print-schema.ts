// Prints the schema to packages/graphql/schema.graphql (npm run schema:print); a test fails when it is stale.

import { writeFileSync } from "node:fs";
import { lexicographicSortSchema, printSchema } from "graphql";
import { schema } from "./schema";

export const schemaFile = new URL("../schema.graphql", import.meta.url);
export const printedSchema = () => `${printSchema(lexicographicSortSchema(schema))}\n`;

if (import.meta.url === `file://${process.argv[1]}`) {
  writeFileSync(schemaFile, printedSchema());
  console.log(`wrote ${schemaFile.pathname}`);
}
