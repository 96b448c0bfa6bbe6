/**
 * Serves the built Lab (lab/dist, made by `vite build --config lab/vite.config.ts`) on
 * localhost. `npm start` builds the Lab and runs this file:
 *
 *     node dist/cli/lab-server.js [--port 5180] [--host 127.0.0.1]
 *
 * - Only regular files inside the build directory: no directory listings; every path is
 *   decoded once, normalised and checked to stay inside it (`..`, `%2e%2e`, backslashes,
 *   NUL and double-encoded variants are refused with 400; symlinks must resolve inside).
 * - GET and HEAD only.
 * - Cross-origin isolation (COOP same-origin + COEP require-corp, so the engine's worker
 *   threads may share memory), a strict Content-Security-Policy (scripts, workers, fetches
 *   from this origin only; WebAssembly allowed; no inline code), nosniff, no referrer.
 * - DNS rebinding: requests whose Host header is not localhost / 127.0.0.1 / [::1] (or the
 *   --host given) are refused with 403. Binding a wildcard address (--host 0.0.0.0 or ::)
 *   turns the check off, since the user chose to serve other machines.
 */
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

/** The built Lab: lab/dist beside this file's package (the same from src/cli and dist/cli). */
export const LAB_DIST = fileURLToPath(new URL("../../lab/dist/", import.meta.url));
export const DEFAULT_PORT = 5180;

/** Content types by extension; anything else is served as application/octet-stream. */
export const MIME_TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".map": "application/json; charset=utf-8",
  ".wasm": "application/wasm",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".ico": "image/x-icon",
  ".txt": "text/plain; charset=utf-8",
  ".woff2": "font/woff2",
  ".safetensors": "application/octet-stream",
};

export function contentType(file: string): string {
  return MIME_TYPES[path.extname(file).toLowerCase()] ?? "application/octet-stream";
}

/** No inline scripts or styles; WebAssembly may be compiled; workers and fetches from here only. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "worker-src 'self' blob:",
  "connect-src 'self'",
  "img-src 'self' data: blob:",
  "style-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join("; ");

/** Sent with every response, errors included. */
export const SECURITY_HEADERS: Record<string, string> = {
  "Cross-Origin-Opener-Policy": "same-origin",
  "Cross-Origin-Embedder-Policy": "require-corp",
  "Cross-Origin-Resource-Policy": "same-origin",
  "Content-Security-Policy": CONTENT_SECURITY_POLICY,
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "no-referrer",
};

const LOOPBACK_NAMES = ["localhost", "127.0.0.1", "::1", "[::1]"];
const WILDCARDS = ["0.0.0.0", "::", "[::]"];

export interface LabServerOptions {
  /** The directory to serve (default: LAB_DIST). */
  root?: string;
  /** The address to bind (default 127.0.0.1). */
  host?: string;
  /** The port (default 5180; 0 picks a free one). */
  port?: number;
}

type Resolved = { file: string } | { status: number; reason: string };

/**
 * Maps a request target ("/assets/x.js?v=1") to a file under `root`, or to the status that
 * refuses it. Pure: does not touch the file system.
 */
export function resolveRequestPath(root: string, target: string): Resolved {
  if (!target.startsWith("/")) return { status: 400, reason: "the request target must be a path" };
  const rawPath = target.split(/[?#]/, 1)[0];
  let decoded: string;
  try {
    decoded = decodeURIComponent(rawPath);
  } catch {
    return { status: 400, reason: "malformed percent-encoding" };
  }
  if (/[\0\\]/.test(decoded) || /%(2e|2f|5c|00)/i.test(decoded)) return { status: 400, reason: "forbidden characters in the path" };
  const segments = decoded.split("/");
  if (segments.some((s) => s === ".." || s === ".")) return { status: 400, reason: "path traversal is not allowed" };
  if (segments.some((s) => s.startsWith("."))) return { status: 404, reason: "not found" };
  const relative = decoded.endsWith("/") ? `${decoded}index.html` : decoded;
  const base = path.resolve(root);
  const file = path.resolve(base, `.${relative}`);
  if (!file.startsWith(base + path.sep)) return { status: 400, reason: "path traversal is not allowed" };
  return { file };
}

/** The hostname of a Host header ("localhost:5180" → "localhost", "[::1]:80" → "[::1]"), lower-cased. */
export function hostName(header: string): string {
  const h = header.trim().toLowerCase();
  if (h.startsWith("[")) return h.slice(0, h.indexOf("]") + 1);
  const colon = h.lastIndexOf(":");
  return colon >= 0 ? h.slice(0, colon) : h;
}

/** The Host names the server answers: loopback names and the bound host; null = any (wildcard bind). */
export function allowedHosts(bindHost: string): Set<string> | null {
  if (WILDCARDS.includes(bindHost)) return null;
  return new Set([...LOOPBACK_NAMES, bindHost.toLowerCase()]);
}

export function createLabServer(options: LabServerOptions = {}): http.Server {
  const root = path.resolve(options.root ?? LAB_DIST);
  const allowed = allowedHosts(options.host ?? "127.0.0.1");
  let realRoot: string | undefined;

  const reply = (res: http.ServerResponse, status: number, text: string, extra: Record<string, string> = {}) => {
    res.writeHead(status, { ...SECURITY_HEADERS, "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store", ...extra });
    res.end(`${status} ${text}\n`);
  };

  return http.createServer(async (req, res) => {
    try {
      const host = req.headers.host;
      if (!host) return reply(res, 400, "missing Host header");
      if (allowed && !allowed.has(hostName(host))) return reply(res, 403, `unknown Host "${host}" (the Lab answers localhost only; see --host)`);
      if (req.method !== "GET" && req.method !== "HEAD") return reply(res, 405, "method not allowed", { Allow: "GET, HEAD" });
      const resolved = resolveRequestPath(root, req.url ?? "");
      if ("status" in resolved) return reply(res, resolved.status, resolved.reason);
      realRoot ??= await fs.promises.realpath(root);
      let real: string;
      let stat: fs.Stats;
      try {
        real = await fs.promises.realpath(resolved.file);
        stat = await fs.promises.stat(real);
      } catch {
        return reply(res, 404, "not found");
      }
      if (!real.startsWith(realRoot + path.sep) || !stat.isFile()) return reply(res, 404, "not found");
      const body = await fs.promises.readFile(real);
      const immutable = real.startsWith(path.join(realRoot, "assets") + path.sep);
      res.writeHead(200, {
        ...SECURITY_HEADERS,
        "Content-Type": contentType(real),
        "Content-Length": String(body.length),
        "Cache-Control": immutable ? "public, max-age=31536000, immutable" : "no-cache",
      });
      res.end(req.method === "HEAD" ? undefined : body);
    } catch (e) {
      if (!res.headersSent) reply(res, 500, "internal error");
      else res.destroy();
      console.error(`lab-server: ${(e as Error).message}`);
    }
  });
}

/** Starts the server; resolves with it and its URL once it listens. */
export function startLabServer(options: LabServerOptions = {}): Promise<{ server: http.Server; url: string }> {
  const host = options.host ?? "127.0.0.1";
  const server = createLabServer(options);
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? DEFAULT_PORT, host, () => {
      server.off("error", reject);
      const { port } = server.address() as { port: number };
      const shown = WILDCARDS.includes(host) ? "127.0.0.1" : host.includes(":") && !host.startsWith("[") ? `[${host}]` : host;
      resolve({ server, url: `http://${shown}:${port}/` });
    });
  });
}

const USAGE = `Usage: node dist/cli/lab-server.js [--port N] [--host ADDRESS]   (npm start -- --port N)

Serves the built nnzoo Lab (lab/dist) on http://127.0.0.1:${DEFAULT_PORT}/.
  --port N         port to listen on (default ${DEFAULT_PORT}; 0 picks a free one)
  --host ADDRESS   address to bind (default 127.0.0.1). Requests must name localhost,
                   127.0.0.1, [::1] or this address in their Host header;
                   0.0.0.0 or :: serves every interface and accepts any Host.
  --root DIR       serve another build of the Lab (default: lab/dist)`;

async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { port: { type: "string" }, host: { type: "string" }, root: { type: "string" }, help: { type: "boolean", short: "h" } },
    strict: true,
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const port = values.port === undefined ? DEFAULT_PORT : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`lab-server: --port must be an integer from 0 to 65535, got ${JSON.stringify(values.port)}`);
    return 2;
  }
  const host = values.host ?? "127.0.0.1";
  const root = path.resolve(values.root ?? LAB_DIST);
  if (!fs.existsSync(path.join(root, "index.html"))) {
    console.error(`lab-server: the Lab is not built (${path.join(root, "index.html")} is missing); run \`npm start\` or \`npm run lab:build\``);
    return 1;
  }
  try {
    const { url } = await startLabServer({ root, host, port });
    console.log(`nnzoo Lab: ${url}`);
    if (allowedHosts(host) === null) console.log(`lab-server: listening on every interface (${host}); any Host header is accepted`);
    console.log("Press Ctrl-C to stop.");
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (err.code === "EADDRINUSE") console.error(`lab-server: port ${port} is in use; try --port ${port + 1} (or --port 0 for any free port)`);
    else console.error(`lab-server: cannot listen on ${host}:${port}: ${err.message}`);
    return 1;
  }
  return 0;
}

const invokedDirectly = process.argv[1] !== undefined && fs.realpathSync(process.argv[1]) === fs.realpathSync(fileURLToPath(import.meta.url));
if (invokedDirectly) {
  main(process.argv.slice(2)).then(
    (code) => { if (code !== 0) process.exit(code); },
    (e: Error & { code?: string }) => {
      console.error(`lab-server: ${e.message}`);
      process.exit(e.code?.startsWith("ERR_PARSE_ARGS") ? 2 : 1);
    },
  );
}
