/**
 * io with the real nn and optim: weights written by PyTorch load into nn.Linear and give torch's
 * outputs; a run saved at step 3 and restored into fresh objects continues bit for bit like the
 * run that never stopped (the in-process twin of fault.test.ts).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { fileURLToPath } from "node:url";
import { type Tensor, manualSeed, nn, noGrad, optim, randint, randn, tensor } from "../../src/index.js";
import * as io from "../../src/io/index.js";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "nnzoo-checkpoint-nn-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function build(seed: number) {
  manualSeed(seed);
  const model = new nn.Sequential(new nn.Linear(6, 8), new nn.Tanh(), new nn.Linear(8, 2));
  const optimizer = new optim.Adam(model.parameters(), { lr: 1e-2 });
  return { model, optimizer };
}

function train(model: nn.Sequential, optimizer: optim.Adam, x: Tensor, y: Tensor, steps: number): void {
  for (let s = 0; s < steps; s++) {
    const idx = randint(0, 32, [8]); // draws from the global RNG, which the checkpoint carries
    optimizer.zeroGrad();
    model.forward(x.indexSelect(0, idx)).sub(y.indexSelect(0, idx)).square().mean().backward();
    optimizer.step();
  }
}

const FIXTURES = fileURLToPath(new URL("../fixtures/io/", import.meta.url));
const fromBits = (bits: number[], shape: number[]): Tensor => tensor(new Float32Array(new Int32Array(bits).buffer), { shape });

describe("weights from PyTorch", () => {
  it("load into nn.Linear and give torch's outputs", async () => {
    const expected = JSON.parse(fs.readFileSync(path.join(FIXTURES, "expected.json"), "utf8"));
    const { x, y } = expected["torch_basic.safetensors"].linear_interop as { x: number[]; y: number[] };
    const dict = await io.loadSafetensors(path.join(FIXTURES, "torch_basic.safetensors"));
    const linear = new nn.Linear(4, 3);
    linear.loadStateDict({ weight: dict["linear.weight"], bias: dict["linear.bias"] }, { strict: true });
    const out = noGrad(() => linear.forward(fromBits(x, [2, 4])));
    const want = fromBits(y, [2, 3]);
    const worst = Math.max(...Array.from(out.data, (v, i) => Math.abs(v - want.data[i]) / Math.max(1e-6, Math.abs(want.data[i]))));
    expect(worst).toBeLessThan(1e-5);
  });
});

describe("checkpoints with nn and optim", () => {
  it("resume bit for bit", async () => {
    manualSeed(0);
    const x = randn([32, 6]);
    const y = randn([32, 2]);

    const straight = build(1);
    train(straight.model, straight.optimizer, x, y, 6);

    const first = build(1);
    train(first.model, first.optimizer, x, y, 3);
    const file = path.join(tmp, "ckpt.safetensors");
    await io.saveCheckpoint(file, { model: first.model, optimizer: first.optimizer, step: 3, config: { hidden: 8 } });

    const resumed = build(99); // other initial weights and RNG state: all overwritten by the restore
    const { step, config } = await io.restoreCheckpoint(file, { model: resumed.model, optimizer: resumed.optimizer });
    expect(step).toBe(3);
    expect(config).toEqual({ hidden: 8 });
    train(resumed.model, resumed.optimizer, x, y, 3);

    const a = straight.model.stateDict();
    const b = resumed.model.stateDict();
    for (const k of Object.keys(a)) expect(Array.from(b[k].data), k).toEqual(Array.from(a[k].data));
    expect(io.serializeSafetensors(b)).toEqual(io.serializeSafetensors(a));
  });
});
