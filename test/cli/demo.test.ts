import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const main = fileURLToPath(new URL("../../src/cli/main.ts", import.meta.url));
const run = (...args: string[]) => spawnSync(process.execPath, ["--import", "tsx", main, ...args], { encoding: "utf8", timeout: 60_000 });

describe("nnzoo demo (fit sin(x) in the terminal)", () => {
  it("fits sin(x): the loss falls by two orders of magnitude", () => {
    const r = run("demo", "--steps", "1500", "--json");
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout.trim().split("\n").at(-1)!);
    expect(out.task).toBe("demo");
    expect(out.steps).toBe(1500);
    expect(out.metrics.mse).toBeLessThan(out.metrics.initialMse / 100);
    expect(out.metrics.mse).toBeLessThan(2e-3);
  });

  it("prints the fit table when not in --json mode", () => {
    const r = run("demo", "--steps", "100");
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/sin\(x\) vs the 16-unit MLP after 100 steps/);
  });

  it("rejects bad options with exit code 2 and a message naming the option", () => {
    const bad = run("demo", "--hidden", "0");
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('nnzoo: --hidden must be a positive integer, got "0"');
    const unknown = run("demo", "--wat");
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain("--wat");
    const cmd = run("fly");
    expect(cmd.status).toBe(2);
    expect(cmd.stderr).toContain('unknown command "fly"');
  });
});
