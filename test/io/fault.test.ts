/**
 * Fault test: a training process (fault-child.ts) checkpointing every SAVE_EVERY steps is killed
 * with SIGKILL, again and again, then resumed from its last checkpoint; the final weights must be
 * identical, bit for bit, to those of an uninterrupted run, and every kill must leave a checkpoint
 * that loads and verifies (without falling back to the backup).
 *
 * Kill points:
 * - random: two chains of three kills each; each kill comes a random 0–16 ms after the child
 *   reports a randomly chosen save, so it lands anywhere in the next steps or in the middle of the
 *   next save (a stray temp file afterwards shows a kill inside a save);
 * - injected: one run is killed inside a save at each step of the atomic write in turn (temp
 *   file half written, before its fsync, before the backup link, before the rename, after it).
 */
import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { Generator } from "../../src/index.js";
import * as io from "../../src/io/index.js";
import { SAVE_EVERY, TOTAL_STEPS } from "./fault-config.js";

const CHILD = fileURLToPath(new URL("./fault-child.ts", import.meta.url));
const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const tmpRoot = fs.mkdtempSync(path.join(os.tmpdir(), "nnzoo-fault-"));
afterAll(() => fs.rmSync(tmpRoot, { recursive: true, force: true }));

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  lines: string[];
  stderr: string;
}

/** Runs the child; `killAfter` = [step, ms]: SIGKILL it `ms` after it reports `saved <step>`. */
function runChild(dir: string, args: string[] = [], killAfter?: [number, number]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", CHILD, dir, ...args], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
    const lines: string[] = [];
    let stderr = "";
    let pending = "";
    child.stdout!.on("data", (chunk: Buffer) => {
      pending += chunk.toString();
      const parts = pending.split("\n");
      pending = parts.pop()!;
      for (const line of parts) {
        lines.push(line);
        if (killAfter && line === `saved ${killAfter[0]}`) setTimeout(() => child.kill("SIGKILL"), killAfter[1]);
      }
    });
    child.stdout!.on("error", () => {});
    child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code, signal) => resolve({ code, signal, lines, stderr }));
  });
}

/** Runs tasks with at most `limit` at once. */
async function pool<T>(tasks: Array<() => Promise<T>>, limit: number): Promise<T[]> {
  const results: T[] = new Array(tasks.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < tasks.length) {
      const i = next++;
      results[i] = await tasks[i]();
    }
  };
  await Promise.all(Array.from({ length: limit }, worker));
  return results;
}

const finalBytes = (dir: string): Buffer => fs.readFileSync(path.join(dir, "final.safetensors"));
const ckptPath = (dir: string): string => path.join(dir, "ckpt.safetensors");
const strayTemps = (dir: string): string[] => fs.readdirSync(dir).filter((f) => f.endsWith(".tmp"));

interface KillReport {
  kind: string;
  step: number;
  midSave: boolean;
}

/** Kills the child at random moments `kills` times, then lets it finish. */
async function randomChain(name: string, seed: number, kills: number): Promise<{ dir: string; reports: KillReport[] }> {
  const dir = path.join(tmpRoot, name);
  fs.mkdirSync(dir);
  const rng = new Generator(seed);
  // `kills` distinct saves, in order, none of them the last: after each, a random delay of up to
  // about one save cycle (three steps and a save), so that the kill lands anywhere in it.
  const saves = Math.floor(TOTAL_STEPS / SAVE_EVERY) - 1;
  const picked = new Set<number>();
  while (picked.size < kills) picked.add(rng.randint(1, saves));
  const targets = [...picked].sort((a, b) => a - b).map((i) => i * SAVE_EVERY);
  const reports: KillReport[] = [];
  let done = 0; // the step the last checkpoint holds
  for (let [k, target] of targets.entries()) {
    target = Math.min(Math.max(target, done + SAVE_EVERY), TOTAL_STEPS - SAVE_EVERY); // an earlier kill may have passed it
    const delay = rng.random() * 16;
    const run = await runChild(dir, [], [target, delay]);
    expect(run.signal, `${name} kill ${k}: ${run.stderr}`).toBe("SIGKILL");
    const midSave = strayTemps(dir).length > 0;
    const ck = await io.loadCheckpoint(ckptPath(dir), { fallback: false });
    expect(ck.step).toBeGreaterThanOrEqual(target);
    done = ck.step;
    reports.push({ kind: `random (saved ${target} + ${delay.toFixed(1)} ms)`, step: ck.step, midSave });
  }
  const run = await runChild(dir);
  expect(run.code, run.stderr).toBe(0);
  expect(run.lines[0]).toBe(`resumed ${done}`);
  return { dir, reports };
}

/**
 * One run killed once at each phase of the atomic write: each incarnation resumes and then kills
 * itself inside its own 3rd save; the last one finishes.
 */
async function injectedChain(phases: string[]): Promise<{ dir: string; reports: KillReport[] }> {
  const dir = path.join(tmpRoot, "injected");
  fs.mkdirSync(dir);
  const reports: KillReport[] = [];
  let done = 0;
  for (const phase of phases) {
    const run = await runChild(dir, [`--crash=${phase}:3`]);
    expect(run.signal, `${phase}: ${run.stderr}`).toBe("SIGKILL");
    if (done > 0) expect(run.lines[0]).toBe(`resumed ${done}`);
    const ck = await io.loadCheckpoint(ckptPath(dir), { fallback: false });
    // Before the rename the incarnation's 2nd save is the last complete one; after it, its 3rd.
    expect(ck.step, phase).toBe(done + (phase === "after-rename" ? 3 : 2) * SAVE_EVERY);
    reports.push({ kind: `injected ${phase}`, step: ck.step, midSave: strayTemps(dir).length > 0 });
    done = ck.step;
  }
  const run = await runChild(dir);
  expect(run.code, run.stderr).toBe(0);
  expect(run.lines[0]).toBe(`resumed ${done}`);
  expect(strayTemps(dir)).toEqual([]); // the next save cleaned up after the dead writers
  return { dir, reports };
}

describe("checkpoints survive SIGKILL", () => {
  it("resumed runs end bit for bit where an uninterrupted run ends", { timeout: 120_000 }, async () => {
    const refDir = path.join(tmpRoot, "reference");
    fs.mkdirSync(refDir);
    const tasks: Array<() => Promise<{ dir: string; reports: KillReport[] }>> = [
      () => injectedChain(["write-half", "fsync", "before-link", "rename", "after-rename"]),
      async () => {
        const run = await runChild(refDir);
        expect(run.code, run.stderr).toBe(0);
        return { dir: refDir, reports: [] };
      },
      () => randomChain("chain-a", 1, 3),
      () => randomChain("chain-b", 2, 3),
    ];
    const results = await pool(tasks, 3);
    const reference = finalBytes(refDir);
    const reports = results.flatMap((r) => r.reports);
    for (const r of results) expect(finalBytes(r.dir).equals(reference), r.dir).toBe(true);
    expect(reports.length).toBe(11);
    console.log(
      `fault test: ${reports.length} kills, all resumed to identical weights; ` +
        `${reports.filter((r) => r.midSave).length} landed inside a save\n` +
        reports.map((r) => `  ${r.kind} → resumed from step ${r.step}${r.midSave ? " (mid-save)" : ""}`).join("\n"),
    );
  });
});
