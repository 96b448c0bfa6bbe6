import { existsSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

// npm test runs `npm run build` first; these check what a user of the published package gets.
const root = fileURLToPath(new URL("..", import.meta.url));

describe("the built package", () => {
  it("was built (run `npm run build`)", () => {
    expect(existsSync(`${root}/dist/index.js`)).toBe(true);
  });

  it("resolves by its own name through the exports map, root and subpaths", () => {
    const script = `
      const root = await import("nnzoo");
      const subs = await Promise.all(["nnzoo/core", "nnzoo/nn", "nnzoo/optim", "nnzoo/io"].map((s) => import(s)));
      const t = root.tensor([[1, 2], [3, 4]], { requiresGrad: true });
      t.matmul(t).sum().backward();
      console.log(JSON.stringify({ grad: t.grad.toArray(), nn: typeof root.nn, core: typeof subs[0].tensor }));`;
    const r = spawnSync(process.execPath, ["--input-type=module", "-e", script], { cwd: root, encoding: "utf8" });
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ grad: [[7, 11], [9, 13]], nn: "object", core: "function" });
  });

  it("ships a working bin", () => {
    const r = spawnSync(process.execPath, [`${root}/dist/cli/main.js`, "demo", "--steps", "50", "--json"], { encoding: "utf8" });
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).steps).toBe(50);
  });
});
