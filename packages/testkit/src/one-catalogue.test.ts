// One decision, one place: only the permission catalogue (and the contact-visibility rule, and the viewer's
// own resolution) may look at the viewer's roles. Fails when any other source file reads them, so adding a
// role means editing the catalogue and nothing else.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../../..", import.meta.url));
const allowed = new Set([
  "packages/core/src/permissions.ts",
  "packages/core/src/viewer.ts",
  "packages/core/src/directory/visibility.ts",
]);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === "node_modules" ? [] : sourceFiles(path);
    return /\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name) ? [path] : [];
  });
}

// `viewer.secretaryOf`, `v.memberOf`, `ctx.viewer?.isFederationStaff`… but not a table's column
// (`userTable.isFederationStaff`).
const roleRead = /(?<!Table)\??\.(secretaryOf|memberOf|isFederationStaff|isCityStaff)\b/g;

describe("the permission catalogue decides every check", () => {
  it("no source file outside the catalogue and the visibility rule reads the viewer's roles", () => {
    const offenders: string[] = [];
    for (const dir of ["packages", "apps"])
      for (const pkg of readdirSync(join(root, dir))) {
        // the console is a client: it shows what the API lets a viewer do, and the API decides
        if (dir === "apps" && pkg === "console") continue;
        const src = join(root, dir, pkg, "src");
        if (!statSync(join(root, dir, pkg)).isDirectory()) continue;
        let files: string[] = [];
        try {
          files = sourceFiles(src);
        } catch {
          continue;
        }
        for (const file of files) {
          const where = relative(root, file);
          if (allowed.has(where)) continue;
          const lines = readFileSync(file, "utf8").split("\n");
          lines.forEach((line, i) => {
            for (const m of line.matchAll(roleRead)) offenders.push(`${where}:${i + 1} reads ${m[1]}`);
          });
        }
      }
    expect(offenders).toEqual([]);
  });
});
