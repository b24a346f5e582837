// Builds the console into dist/, served by the API at "/". The build also writes dist/trusted-documents.json:
// every operation the console can send, by SHA-256 of the exact text it sends (with the __typename fields
// graphcache adds).

import { createHash } from "node:crypto";
import { fileURLToPath } from "node:url";
import { formatDocument, stringifyDocument } from "@urql/core";
import react from "@vitejs/plugin-react";
import { defineConfig, type Plugin } from "vite";
import * as operations from "./src/operations.ts";

export function trustedDocuments(): Record<string, string> {
  const manifest: Record<string, string> = {};
  for (const document of Object.values(operations)) {
    const text = stringifyDocument(formatDocument(document));
    manifest[`sha256:${createHash("sha256").update(text).digest("hex")}`] = text;
  }
  return manifest;
}

function trustedDocumentsManifest(): Plugin {
  return {
    name: "wz-trusted-documents",
    generateBundle() {
      this.emitFile({
        type: "asset",
        fileName: "trusted-documents.json",
        source: JSON.stringify(trustedDocuments(), null, 2),
      });
    },
  };
}

export default defineConfig({
  root: fileURLToPath(new URL(".", import.meta.url)),
  // The API process runs without NODE_ENV; the console is always built for production.
  mode: "production",
  define: { "process.env.NODE_ENV": JSON.stringify("production") },
  plugins: [react(), trustedDocumentsManifest()],
  build: {
    outDir: "dist",
    emptyOutDir: true,
    chunkSizeWarningLimit: 2000,
  },
  server: { proxy: { "/graphql": { target: "http://127.0.0.1:4000", ws: true } } },
});
