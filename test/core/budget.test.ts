import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";

// tinygrad's rule: the core stays small by removing complexity, not by cramming.
// Raise the budget only with a reason in the commit message.
const CORE_BUDGET = 3000;
const FILE_BUDGET = 400;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? sourceFiles(p) : p.endsWith(".ts") ? [p] : [];
  });
}

it(`src/core stays under ${CORE_BUDGET} non-blank lines, no file over ${FILE_BUDGET}`, () => {
  const core = fileURLToPath(new URL("../../src/core", import.meta.url));
  const counts = sourceFiles(core).map((f) => [f, readFileSync(f, "utf8").split("\n").filter((l) => l.trim() !== "").length] as const);
  const total = counts.reduce((a, [, n]) => a + n, 0);
  expect(total).toBeLessThan(CORE_BUDGET);
  expect(counts.filter(([, n]) => n > FILE_BUDGET)).toEqual([]);
});
