import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const CLI = fileURLToPath(new URL("../../src/cli/main.ts", import.meta.url));

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the real `nnzoo` CLI (from source, through tsx). */
export function nnzoo(...args: string[]): CliResult {
  const r = spawnSync(process.execPath, ["--import", "tsx", CLI, ...args], { encoding: "utf8", timeout: 120_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
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
  return spawn(process.execPath, ["--import", "tsx", CLI, ...args], { stdio: ["ignore", "pipe", "pipe"] });
}

/** tsx's loader by URL, so the CLI runs from source in any working directory. */
const TSX = new URL("../../node_modules/tsx/dist/loader.mjs", import.meta.url).href;

/** Starts the CLI in the background in another working directory. */
export function nnzooAsyncIn(cwd: string, ...args: string[]) {
  return spawn(process.execPath, ["--import", TSX, CLI, ...args], { cwd, stdio: ["ignore", "pipe", "pipe"] });
}
