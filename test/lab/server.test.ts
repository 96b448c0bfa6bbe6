import { spawnSync } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { allowedHosts, contentType, createLabServer, hostName, resolveRequestPath } from "../../src/cli/lab-server.js";
import { REPO } from "./browser.js";

/** A small site to serve, a secret beside it, a directory without index and a symlink out. */
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "nnzoo-lab-server-"));
const root = path.join(tmp, "site");
fs.mkdirSync(path.join(root, "assets"), { recursive: true });
fs.mkdirSync(path.join(root, "empty"));
fs.writeFileSync(path.join(root, "index.html"), "<!doctype html><title>lab</title>");
fs.writeFileSync(path.join(root, "assets", "app-1a2b.js"), "export {};");
fs.writeFileSync(path.join(root, "assets", "kernels.wasm"), Buffer.from([0, 97, 115, 109, 1, 0, 0, 0]));
fs.writeFileSync(path.join(tmp, "secret.txt"), "TOP SECRET");
fs.symlinkSync(path.join(tmp, "secret.txt"), path.join(root, "link.txt"));

let server: http.Server;
let port: number;

beforeAll(async () => {
  server = createLabServer({ root, host: "nnzoo.test" });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as net.AddressInfo).port;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  fs.rmSync(tmp, { recursive: true, force: true });
});

interface Reply { status: number; headers: http.IncomingHttpHeaders; body: string }

/** A raw request: the path goes out exactly as written (no client-side normalisation). */
function request(target: string, { host = `127.0.0.1:${port}`, method = "GET" } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: "127.0.0.1", port, path: target, method, headers: { Host: host } }, (res) => {
      let body = "";
      res.on("data", (c) => (body += c));
      res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, body }));
    });
    req.on("error", reject);
    req.end();
  });
}

describe("lab server: files", () => {
  it("serves index.html at / with cross-origin isolation, a strict CSP and nosniff", async () => {
    const r = await request("/");
    expect(r.status).toBe(200);
    expect(r.headers["content-type"]).toBe("text/html; charset=utf-8");
    expect(r.body).toContain("<title>lab</title>");
    expect(r.headers["cross-origin-opener-policy"]).toBe("same-origin");
    expect(r.headers["cross-origin-embedder-policy"]).toBe("require-corp");
    expect(r.headers["x-content-type-options"]).toBe("nosniff");
    const csp = r.headers["content-security-policy"] as string;
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self' 'wasm-unsafe-eval'");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).toContain("worker-src 'self' blob:");
    expect(csp).not.toContain("unsafe-inline");
  });

  it("sends the right MIME types, application/wasm included", async () => {
    const js = await request("/assets/app-1a2b.js?v=1");
    expect(js.status).toBe(200);
    expect(js.headers["content-type"]).toBe("text/javascript; charset=utf-8");
    expect(js.headers["cache-control"]).toContain("immutable");
    const wasm = await request("/assets/kernels.wasm");
    expect(wasm.status).toBe(200);
    expect(wasm.headers["content-type"]).toBe("application/wasm");
    expect(contentType("a/b.css")).toBe("text/css; charset=utf-8");
    expect(contentType("weights.safetensors")).toBe("application/octet-stream");
  });

  it("answers HEAD without a body and refuses other methods", async () => {
    const head = await request("/", { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(head.body).toBe("");
    const post = await request("/", { method: "POST" });
    expect(post.status).toBe(405);
    expect(post.headers.allow).toBe("GET, HEAD");
  });

  it("lists no directories and serves nothing outside the root (symlinks included)", async () => {
    for (const p of ["/assets/", "/assets", "/empty/", "/missing.js", "/link.txt", "/.env"]) {
      const r = await request(p);
      expect(r.status, p).toBe(404);
      expect(r.body).not.toContain("app-1a2b");
      expect(r.body).not.toContain("SECRET");
    }
  });

  it("refuses /../ and every encoded variant of it with 400", async () => {
    const attacks = [
      "/../secret.txt", "/assets/../../secret.txt", "/%2e%2e/secret.txt", "/%2E%2E/secret.txt", "/.%2e/secret.txt",
      "/assets/..%2f..%2fsecret.txt", "/..%5csecret.txt", "/%252e%252e/secret.txt", "/assets/%2e%2e%2f%2e%2e%2fsecret.txt",
      "/./index.html", "/index.html%00.js", "/%",
    ];
    for (const p of attacks) {
      const r = await request(p);
      expect(r.status, p).toBe(400);
      expect(r.body, p).not.toContain("SECRET");
      expect(r.headers["content-security-policy"], p).toBeDefined();
    }
  });

  it("resolveRequestPath keeps every path inside the root", () => {
    expect(resolveRequestPath("/srv/lab", "/")).toEqual({ file: "/srv/lab/index.html" });
    expect(resolveRequestPath("/srv/lab", "/assets/a.js?x=1#y")).toEqual({ file: "/srv/lab/assets/a.js" });
    expect(resolveRequestPath("/srv/lab", "/a//b.js")).toEqual({ file: "/srv/lab/a/b.js" });
    expect(resolveRequestPath("/srv/lab", "/../lab2/x")).toMatchObject({ status: 400 });
    expect(resolveRequestPath("/srv/lab", "//etc/passwd")).toEqual({ file: "/srv/lab/etc/passwd" });
  });
});

describe("lab server: Host header (DNS rebinding)", () => {
  it("answers localhost, 127.0.0.1, [::1] and the --host name", async () => {
    for (const host of [`localhost:${port}`, "127.0.0.1", `[::1]:${port}`, "LOCALHOST", "nnzoo.test:80"]) {
      expect((await request("/", { host })).status, host).toBe(200);
    }
  });

  it("refuses any other Host with 403", async () => {
    for (const host of ["evil.example", `evil.example:${port}`, "localhost.evil.example", "127.0.0.2", "[::2]"]) {
      const r = await request("/", { host });
      expect(r.status, host).toBe(403);
      expect(r.body).not.toContain("<title>");
    }
  });

  it("refuses a request with no Host header", async () => {
    const reply = await new Promise<string>((resolve, reject) => {
      const socket = net.connect(port, "127.0.0.1", () => socket.end("GET / HTTP/1.0\r\n\r\n"));
      let data = "";
      socket.on("data", (c) => (data += c));
      socket.on("end", () => resolve(data));
      socket.on("error", reject);
    });
    expect(reply).toMatch(/^HTTP\/1\.[01] 400/);
  });

  it("accepts any Host only when bound to a wildcard address", () => {
    expect(allowedHosts("0.0.0.0")).toBeNull();
    expect(allowedHosts("::")).toBeNull();
    expect([...allowedHosts("127.0.0.1")!]).toEqual(expect.arrayContaining(["localhost", "127.0.0.1", "[::1]"]));
    expect(hostName("[::1]:5180")).toBe("[::1]");
    expect(hostName("Example.COM:80")).toBe("example.com");
  });
});

describe("lab server: CLI", () => {
  const cli = (...args: string[]) =>
    spawnSync(process.execPath, ["--import", "tsx", path.join(REPO, "src/cli/lab-server.ts"), ...args], { encoding: "utf8", timeout: 30_000 });

  it("rejects a bad --port and explains a missing build", () => {
    const bad = cli("--port", "http");
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain("--port must be an integer");
    const missing = cli("--port", "0", "--root", path.join(tmp, "nowhere"));
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain("the Lab is not built");
  });
});
