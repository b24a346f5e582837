// Dependencies point one way — db ← core ← graphql ← apps/api — and nothing in packages/ reads the
// environment. Fails when a package imports "upwards" or sideways.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../../..", import.meta.url));

const allowed: Record<string, string[]> = {
  "packages/db": [],
  "packages/core": ["@wz/db"],
  "packages/graphql": ["@wz/db", "@wz/core"],
  "packages/testkit": ["@wz/db", "@wz/core", "@wz/graphql"],
  "apps/api": ["@wz/db", "@wz/core", "@wz/graphql"],
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === "node_modules" ? [] : sourceFiles(path);
    return /\.ts$/.test(name) && !/\.test\.ts$/.test(name) ? [path] : [];
  });
}

const importPattern = /(?:import|export)\s[^"';]*?from\s+["']([^"']+)["']|import\s*\(?\s*["']([^"']+)["']/g;

describe("layering", () => {
  for (const [pkg, deps] of Object.entries(allowed)) {
    it(`${pkg} imports only ${deps.join(", ") || "no other workspace package"}`, () => {
      const violations: string[] = [];
      for (const file of sourceFiles(join(root, pkg, "src"))) {
        const text = readFileSync(file, "utf8");
        const where = relative(root, file);
        for (const match of text.matchAll(importPattern)) {
          const spec = match[1] ?? match[2] ?? "";
          if (spec.startsWith("@wz/") && !deps.some((d) => spec === d || spec.startsWith(`${d}/`)))
            violations.push(`${where} → ${spec}`);
          if (spec.startsWith(".") && !join(file, "..", spec).startsWith(join(root, pkg)))
            violations.push(`${where} → ${spec} (leaves the package)`);
        }
        // testkit is the test harness: TEST_DATABASE_URL is its one input from the environment.
        if (pkg.startsWith("packages/") && pkg !== "packages/testkit" && /process\.env/.test(text))
          violations.push(`${where} reads process.env`);
      }
      expect(violations).toEqual([]);
      const manifest = JSON.parse(readFileSync(join(root, pkg, "package.json"), "utf8")) as {
        dependencies?: Record<string, string>;
      };
      const declared = Object.keys(manifest.dependencies ?? {}).filter((d) => d.startsWith("@wz/"));
      expect(declared.filter((d) => !deps.includes(d))).toEqual([]);
    });
  }
});
