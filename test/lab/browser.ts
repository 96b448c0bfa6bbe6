/**
 * Shared helpers of the Lab's browser tests: Debian's chromium (driven by playwright-core),
 * a fresh Lab build, and the real server CLI on a free port.
 */
import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { type Browser, chromium } from "playwright-core";

export const REPO = fileURLToPath(new URL("../../", import.meta.url));
export const CHROMIUM = "/usr/bin/chromium";
export const ARTIFACTS = path.join(REPO, "test-artifacts", "lab");

/** "skip" only when NNZOO_SKIP_BROWSER=1 says so; "missing" fails the suite loudly. */
export function browserStatus(): "ok" | "skip" | "missing" {
  if (process.env.NNZOO_SKIP_BROWSER === "1") return "skip";
  return fs.existsSync(CHROMIUM) ? "ok" : "missing";
}

export const MISSING_MESSAGE = [
  "",
  "##################################################################################",
  `##  The Lab's browser tests need Debian's chromium at ${CHROMIUM}, and it is missing.`,
  "##  Install it:   sudo apt-get update && sudo apt-get install -y chromium",
  "##  (.ci/run does this in CI.) To skip these tests on purpose: NNZOO_SKIP_BROWSER=1",
  "##################################################################################",
  "",
].join("\n");

export function launchChromium(): Promise<Browser> {
  // Playwright gives every launch a fresh temporary profile (user-data dir) and removes it on close.
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-quic", "--no-first-run"],
  });
}

/** Builds the Lab into a fresh temporary directory (so concurrent runs never share a build). */
export async function buildLab(): Promise<string> {
  const { build } = await import("vite");
  const outDir = fs.mkdtempSync(path.join(os.tmpdir(), "nnzoo-lab-"));
  await build({ configFile: path.join(REPO, "lab/vite.config.ts"), logLevel: "error", build: { outDir, emptyOutDir: true } });
  return outDir;
}

/** Starts `lab-server --port 0 --root DIR` as a child process; resolves with its printed URL. */
export function startServer(root: string, ...args: string[]): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ["--import", "tsx", path.join(REPO, "src/cli/lab-server.ts"), "--port", "0", "--root", root, ...args], {
    cwd: REPO,
    stdio: ["ignore", "pipe", "pipe"],
  });
  return new Promise((resolve, reject) => {
    let out = "";
    const timer = setTimeout(() => reject(new Error(`lab-server did not start in 20 s:\n${out}`)), 20_000);
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      const m = /nnzoo Lab: (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ url: m[1], child });
      }
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`lab-server exited with ${code}:\n${out}`));
    });
  });
}

/** Routes with a live page: lab/src/pages/<route>/view.ts exists. */
export function liveRoutes(): string[] {
  const dir = path.join(REPO, "lab/src/pages");
  return fs.readdirSync(dir).filter((d) => fs.existsSync(path.join(dir, d, "view.ts"))).sort();
}

/**
 * CPU seconds used so far by the whole machine and by this process with all its descendants
 * (chromium, the server), from /proc; null where /proc is not there. The difference over a
 * measurement window says how busy the machine was with other people's work.
 */
export function cpuSeconds(): { machine: number; ours: number } | null {
  const HZ = 100; // USER_HZ, the unit of /proc's times on Linux
  try {
    const fields = fs.readFileSync("/proc/stat", "utf8").split("\n")[0].trim().split(/\s+/).slice(1).map(Number);
    const [user, nice, system, , , irq, softirq, steal = 0] = fields;
    const procs = new Map<number, { ppid: number; ticks: number }>();
    for (const entry of fs.readdirSync("/proc")) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        const stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
        const rest = stat.slice(stat.lastIndexOf(")") + 2).split(" "); // from field 3 (state) on
        procs.set(Number(entry), { ppid: Number(rest[1]), ticks: Number(rest[11]) + Number(rest[12]) });
      } catch {
        // the process ended meanwhile
      }
    }
    const ours = new Set([process.pid]);
    for (let grew = true; grew;) {
      grew = false;
      for (const [pid, p] of procs) if (!ours.has(pid) && ours.has(p.ppid)) { ours.add(pid); grew = true; }
    }
    let ticks = 0;
    for (const pid of ours) ticks += procs.get(pid)?.ticks ?? 0;
    return { machine: (user + nice + system + irq + softirq + steal) / HZ, ours: ticks / HZ };
  } catch {
    return null;
  }
}

/** One task of the page's main thread: wall-clock and CPU milliseconds, from a Chrome trace. */
export interface MainThreadTask {
  wallMs: number;
  cpuMs: number;
}

/**
 * The main-thread tasks of a Chrome trace (browser.startTracing … stopTracing) that took over
 * `overMs` of wall-clock time, with the CPU time each really used. A task that is long in
 * wall-clock time but short in CPU time waited for a core (the machine was busy); one that is
 * long in CPU time is the page's own work.
 */
export function longMainThreadTasks(trace: Buffer, overMs: number): MainThreadTask[] {
  type TraceEvent = { name: string; ph: string; pid: number; tid: number; dur?: number; tdur?: number; args?: { name?: string } };
  const events = (JSON.parse(trace.toString("utf8")) as { traceEvents: TraceEvent[] }).traceEvents;
  const main = new Set(events.filter((e) => e.name === "thread_name" && e.args?.name === "CrRendererMain").map((e) => `${e.pid}:${e.tid}`));
  return events
    .filter((e) => e.ph === "X" && e.name === "RunTask" && main.has(`${e.pid}:${e.tid}`) && (e.dur ?? 0) > overMs * 1000)
    .map((e) => ({ wallMs: Math.round((e.dur ?? 0) / 100) / 10, cpuMs: Math.round((e.tdur ?? 0) / 100) / 10 }));
}
