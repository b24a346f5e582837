// The web console (apps/console) at "/": built with Vite when its dist/ is missing or older than its sources,
// then served as static files (gzip where the browser takes it), every other path without a file extension
// answering with index.html so the console's own routes load. /graphql, /healthz and /readyz are not ours.
import { spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import { createRequire } from "node:module";
import { dirname, extname, join, normalize, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

interface Log {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export const consoleDir = fileURLToPath(new URL("../../console/", import.meta.url));
export const consoleDist = join(consoleDir, "dist");
const sourcePaths = ["src", "index.html", "vite.config.ts", "package.json"];

// Tests beside the sources are not part of the build.
const notBuilt = (name: string) => name === "e2e" || /\.test\.tsx?$/.test(name);

function newestMtime(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(path)
    .filter((name) => !notBuilt(name))
    .reduce((newest, name) => Math.max(newest, newestMtime(join(path, name))), stat.mtimeMs);
}

/** Why the console needs building, or null when dist/ is newer than every source file. */
export function consoleBuildReason(): string | null {
  const index = join(consoleDist, "index.html");
  if (!existsSync(index)) return "apps/console/dist is missing";
  const built = statSync(index).mtimeMs;
  const sources = Math.max(
    ...sourcePaths
      .map((p) => join(consoleDir, p))
      .filter(existsSync)
      .map(newestMtime),
  );
  return sources > built ? "apps/console has changed since it was built" : null;
}

/** `vite build` in a child process: its own NODE_ENV=production (the API's, or vitest's "test", would give a
 * development React build), and the bundler's memory is given back when it ends. */
function viteBuild(outDir: string): Promise<void> {
  const vite = join(dirname(createRequire(import.meta.url).resolve("vite/package.json")), "bin", "vite.js");
  return new Promise((resolve, reject) => {
    let output = "";
    const child = spawn(process.execPath, [vite, "build", "--outDir", outDir, "--logLevel", "warn"], {
      cwd: consoleDir,
      env: { ...process.env, NODE_ENV: "production" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.on("error", reject);
    child.on("exit", (code) =>
      code === 0 ? resolve() : reject(new Error(`vite build exited ${code}: ${output.slice(-2000)}`)),
    );
  });
}

let building: Promise<void> | undefined;

/** Builds the console when needed (once per process). A failed build is logged; the API serves on without it. */
export function ensureConsoleBuilt(logger: Log): Promise<void> {
  building ??= (async () => {
    const reason = consoleBuildReason();
    if (!reason) {
      logger.info({}, "the console is up to date (apps/console/dist)");
      return;
    }
    const started = Date.now();
    logger.info({ reason }, `building the console (${reason})`);
    // Into a folder of our own first, so another process serving or building dist/ never sees half a build.
    const outDir = join(consoleDir, `.dist-${process.pid}`);
    try {
      await viteBuild(outDir);
      rmSync(consoleDist, { recursive: true, force: true });
      renameSync(outDir, consoleDist);
      logger.info({ ms: Date.now() - started }, `console built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    } catch (err) {
      rmSync(outDir, { recursive: true, force: true });
      logger.error({ err }, "console build failed: the API runs without the console");
    }
  })();
  return building;
}

const contentTypes: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".woff2": "font/woff2",
};
const compressible = new Set([".html", ".js", ".css", ".json", ".svg"]);
const apiPaths = new Set(["/graphql", "/healthz", "/readyz"]);

interface CachedFile {
  body: Buffer;
  gzip: Buffer | null;
  type: string;
  immutable: boolean;
}

/** A request handler for the built console; returns false for requests it leaves to the API. */
export function createConsoleHandler(
  dist: string = consoleDist,
): (req: IncomingMessage, res: ServerResponse) => boolean {
  const cache = new Map<string, CachedFile | null>();
  const load = (relative: string): CachedFile | null => {
    if (cache.has(relative)) return cache.get(relative)!;
    const path = normalize(join(dist, relative));
    let file: CachedFile | null = null;
    if (path.startsWith(dist + sep) && existsSync(path) && statSync(path).isFile()) {
      const ext = extname(path);
      const body = readFileSync(path);
      file = {
        body,
        gzip: compressible.has(ext) && body.length > 1024 ? gzipSync(body) : null,
        type: contentTypes[ext] ?? "application/octet-stream",
        immutable: relative.startsWith("assets/"),
      };
    }
    // index.html changes with each build: only hashed assets are cached for the process's life.
    if (file?.immutable) cache.set(relative, file);
    return file;
  };
  return (req, res) => {
    if (req.method !== "GET" && req.method !== "HEAD") return false;
    let path: string;
    try {
      path = decodeURIComponent((req.url ?? "/").split("?")[0] ?? "/");
    } catch {
      return false;
    }
    if (apiPaths.has(path) || path.startsWith("/graphql/")) return false;
    let file = load(path.replace(/^\/+/, ""));
    if (!file && extname(path) === "") file = load("index.html");
    if (!file) {
      if (path !== "/") return false;
      res.writeHead(503, { "content-type": "text/plain; charset=utf-8" }).end("The console is not built.\n");
      return true;
    }
    const gzip = file.gzip && /\bgzip\b/.test(String(req.headers["accept-encoding"] ?? ""));
    const body = gzip ? file.gzip! : file.body;
    res.writeHead(200, {
      "content-type": file.type,
      "content-length": body.length,
      "cache-control": file.immutable ? "public, max-age=31536000, immutable" : "no-cache",
      "x-content-type-options": "nosniff",
      vary: "accept-encoding",
      ...(gzip ? { "content-encoding": "gzip" } : {}),
    });
    res.end(req.method === "HEAD" ? undefined : body);
    return true;
  };
}
