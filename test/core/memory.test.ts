import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";

it("10,000 steps of a plain training loop leave the heap flat (no dispose calls)", () => {
  const child = fileURLToPath(new URL("./memory-child.ts", import.meta.url));
  const out = execFileSync(process.execPath, ["--expose-gc", "--import", "tsx", child, "10000"], { encoding: "utf8", timeout: 120_000 });
  const samples = JSON.parse(out.trim().split("\n").at(-1)!) as Array<{ step: number; bytes: number; loss: number }>;
  expect(samples.length).toBe(10);
  // Compare the second sample (after warm-up: JIT, caches) with the last.
  const growth = samples.at(-1)!.bytes - samples[1].bytes;
  expect(growth, `heap+ArrayBuffers grew by ${growth} bytes: ${JSON.stringify(samples)}`).toBeLessThan(1_000_000);
  // And it was really training.
  expect(samples.at(-1)!.loss).toBeLessThan(samples[0].loss);
}, 120_000);
