// schema.graphql is printed from the code and committed; this fails when someone forgets to reprint it.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { printedSchema, schemaFile } from "./print-schema";

describe("schema.graphql", () => {
  it("is current (run `npm run schema:print` after changing the schema)", () => {
    expect(readFileSync(schemaFile, "utf8")).toBe(printedSchema());
  });
});
