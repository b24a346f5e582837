// GraphiQL served entirely by the API: yoga's own bundle (@graphql-yoga/render-graphiql ships the GraphiQL
// script with React inside, its CSS with fonts inlined, the Monaco workers and the favicon) as separate,
// cacheable files under /graphql/graphiql/, so the page works on a network that reaches nothing but the API.

import { createHash } from "node:crypto";
import {
  css,
  editorWorkerService,
  favicon,
  graphqlWorker,
  js,
  jsonWorker,
} from "@graphql-yoga/render-graphiql/graphiql";
import type { GraphiQLOptions, Plugin } from "graphql-yoga";

export const GRAPHIQL_ASSET_PATH = "/graphql/graphiql/";

/** The tab GraphiQL opens on: the README's sign-in, then `me` with the token in the headers. */
export const graphiqlExample = `# Sign in: press ▶ and pick Login. Copy the token into Headers below as
#   {"Authorization": "Bearer <token>"}
# then press ▶ and pick Me. Demo accounts (password demo-password) are listed in the README.
mutation Login {
  login(input: { email: "admin@example.org", password: "demo-password" }) {
    token
    userErrors { field message code }
  }
}

query Me {
  me {
    isFederationStaff
    user { email }
    chamberRoles { role chamber { name } }
  }
}
`;

export const graphiqlOptions: GraphiQLOptions = {
  title: "Wenzhou chambers federation",
  defaultQuery: graphiqlExample,
  headers: JSON.stringify({ Authorization: "Bearer <token from login>" }),
};

interface Asset {
  body: Buffer;
  type: string;
  etag: string;
}

function asset(body: string | Buffer, type: string): Asset {
  const bytes = typeof body === "string" ? Buffer.from(body, "utf8") : body;
  return { body: bytes, type, etag: `"${createHash("sha256").update(bytes).digest("base64url").slice(0, 27)}"` };
}

const javascript = "application/javascript; charset=utf-8";
const iconBase64 = favicon.slice(favicon.indexOf(",") + 1);
const assets = new Map<string, Asset>([
  ["graphiql.js", asset(js, javascript)],
  ["graphiql.css", asset(css, "text/css; charset=utf-8")],
  ["editor.worker.js", asset(editorWorkerService, javascript)],
  ["json.worker.js", asset(jsonWorker, javascript)],
  ["graphql.worker.js", asset(graphqlWorker, javascript)],
  ["favicon.ico", asset(Buffer.from(iconBase64, "base64"), "image/x-icon")],
]);

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** JSON inside a <script>: `</script>` or `<!--` in a string must not end the element. */
const scriptJson = (value: unknown) => JSON.stringify(value).replace(/</g, "\\u003c");

/** yoga's `renderGraphiQL`: the same page as render-graphiql's, with every asset a URL on this server. */
export function renderOfflineGraphiQL(options: GraphiQLOptions): string {
  const base = GRAPHIQL_ASSET_PATH;
  const title = escapeHtml(options.title ?? "GraphiQL");
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8" />
<title>${title}</title>
<link rel="icon" href="${base}favicon.ico" />
<link rel="stylesheet" href="${base}graphiql.css" />
</head>
<body id="body" class="no-focus-outline">
<noscript>You need to enable JavaScript to run GraphiQL.</noscript>
<div id="root"></div>
<script>
self.MonacoEnvironment = {
  globalAPI: false,
  getWorkerUrl: function (moduleId, label) {
    var file = { json: "json.worker.js", graphql: "graphql.worker.js" }[label] || "editor.worker.js";
    return ${scriptJson(base)} + file;
  },
};
</script>
<script src="${base}graphiql.js"></script>
<script>YogaGraphiQL.renderYogaGraphiQL(document.querySelector("#root"), ${scriptJson(options)});</script>
</body>
</html>
`;
}

/** Serves the GraphiQL assets (GET/HEAD, ETag, cached for a day); anything else under the path is a 404. */
export function useGraphiQLAssets(): Plugin {
  return {
    onRequest({ request, url, fetchAPI, endResponse }) {
      if (!url.pathname.startsWith(GRAPHIQL_ASSET_PATH)) return;
      const found = assets.get(url.pathname.slice(GRAPHIQL_ASSET_PATH.length));
      if (!found || (request.method !== "GET" && request.method !== "HEAD")) {
        endResponse(new fetchAPI.Response("Not found", { status: 404, headers: { "content-type": "text/plain" } }));
        return;
      }
      const headers = { "content-type": found.type, etag: found.etag, "cache-control": "public, max-age=86400" };
      if (request.headers.get("if-none-match") === found.etag) {
        endResponse(new fetchAPI.Response(null, { status: 304, headers }));
        return;
      }
      const body = request.method === "HEAD" ? null : new Uint8Array(found.body);
      const length = String(found.body.length);
      endResponse(new fetchAPI.Response(body, { status: 200, headers: { ...headers, "content-length": length } }));
    },
  };
}
