import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const SOURCE_CLI = fileURLToPath(new URL("../../src/cli/main.ts", import.meta.url));
const BUILT_CLI = fileURLToPath(new URL("../../dist/cli/main.js", import.meta.url));
/** tsx's loader by URL, so the CLI runs from source in any working directory. */
const TSX = new URL("../../node_modules/tsx/dist/loader.mjs", import.meta.url).href;

/** The newest modification time of any file under dir (ms). */
function newest(dir: string): number {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

/**
 * The built CLI (dist/, what `npm test` builds first) when it is newer than every source
 * file: a process then starts in ~0.3 s instead of ~2 s of tsx transpiling, and the zoo
 * tests start well over a hundred. Otherwise (vitest run by hand after an edit) the source,
 * through tsx — never a stale build.
 */
function cliArgs(): string[] {
  try {
    if (statSync(BUILT_CLI).mtimeMs > newest(fileURLToPath(new URL("../../src", import.meta.url)))) return [BUILT_CLI];
  } catch {
    // no build
  }
  return ["--import", TSX, SOURCE_CLI];
}

/** Node arguments that run the `nnzoo` CLI: prepend to the CLI's own arguments. */
export const CLI_ARGS = cliArgs();
export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the real `nnzoo` CLI (built, or from source through tsx: see CLI_ARGS). */
export function nnzoo(...args: string[]): CliResult {
  const r = spawnSync(process.execPath, [...CLI_ARGS, ...args], { encoding: "utf8", timeout: 120_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Runs the real CLI without blocking, so independent runs overlap (e.g. all trained at once in a beforeAll). */
export function nnzooRun(...args: string[]): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...CLI_ARGS, ...args], { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "", stderr = "";
    child.stdout.on("data", (d) => { stdout += d; });
    child.stderr.on("data", (d) => { stderr += d; });
    child.on("error", reject);
    child.on("close", (status) => resolve({ status, stdout, stderr }));
  });
}

/** The last stdout line parsed as JSON (what --json prints). */
export function jsonLine(r: CliResult): any {
  const line = r.stdout.trim().split("\n").at(-1);
  if (!line) throw new Error(`no output; stderr: ${r.stderr}`);
  return JSON.parse(line);
}

export function tempDir(prefix = "nnzoo-test-"): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Starts the CLI in the background (for Ctrl-C tests). */
export function nnzooAsync(...args: string[]) {
  return spawn(process.execPath, [...CLI_ARGS, ...args], { stdio: ["ignore", "pipe", "pipe"] });
}

/** Starts the CLI in the background in another working directory. */
export function nnzooAsyncIn(cwd: string, ...args: string[]) {
  return spawn(process.execPath, [...CLI_ARGS, ...args], { cwd, stdio: ["ignore", "pipe", "pipe"] });
}
