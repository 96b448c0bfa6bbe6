import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { manualSeed, tensor } from "../../src/index.js";
import { balancedIndices } from "../../src/zoo/rbm/data.js";
import { DBN } from "../../src/zoo/dbn/task.js";
import { jsonLine, nnzoo, tempDir } from "../helpers/cli.js";

describe("dbn", () => {
  it("the classifier starts from the RBMs' weights and hidden biases, and computes what the stack's up-pass computes", () => {
    manualSeed(0);
    const dbn = new DBN([6, 4, 3], 2);
    for (const r of dbn.rbms) r.hbias.data.set(r.hbias.data.map((_, j) => 0.1 * (j + 1)));
    dbn.initialiseFromRBMs();
    const x = tensor([[1, 0, 1, 1, 0, 0], [0, 1, 0, 0, 1, 1]]);
    // Output layer aside, the MLP's sigmoid layers equal the RBMs' p(h | v), layer after layer.
    const up = dbn.propagate(x, 2);
    const hidden = dbn.net.at(3).forward(dbn.net.at(2).forward(dbn.net.at(1).forward(dbn.net.at(0).forward(x))));
    Array.from(hidden.data).forEach((v, i) => expect(v).toBeCloseTo(up.data[i], 6));
    // The control network keeps its own (PyTorch default) initialisation.
    expect(Array.from((dbn.scratch.at(0) as unknown as { weight: { data: Float32Array } }).weight.data)).not.toEqual(Array.from(dbn.rbms[0].weight.data));
  });

  it("few-label subsets are balanced over the classes", () => {
    const labels = Int32Array.from({ length: 500 }, (_, i) => (i * 7) % 10);
    const picked = balancedIndices(labels, 100);
    expect(picked).toHaveLength(100);
    const counts = new Array(10).fill(0);
    for (const i of picked) counts[labels[i]]++;
    expect(counts).toEqual(new Array(10).fill(10));
  });

  it("trains through the real CLI: pretraining per layer, then fine-tuning both networks", () => {
    const out = join(tempDir(), "run");
    const args = ["--hidden", "16", "--layers", "2", "--pretrain-steps", "6", "--labels", "20", "--batch", "10", "--log-every", "3", "--checkpoint-every", "6", "--json", "--out", out];
    const r = nnzoo("train", "dbn", ...args, "--steps", "6");
    expect(r.status, r.stderr).toBe(0);
    const j = jsonLine(r);
    expect(j.steps).toBe(2 * 6 + 6);
    expect(Object.keys(j.metrics)).toEqual(expect.arrayContaining(["accuracy", "accuracyNoPretrain", "labels", "layerReconError"]));
    expect(j.metrics.labels).toBe(20);
    expect(j.metrics.accuracy).toBeGreaterThanOrEqual(0);
    expect(j.metrics.accuracy).toBeLessThanOrEqual(1);
    const lines = readFileSync(join(out, "metrics.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l));
    expect(lines.map((l) => l.layer ?? "finetune")).toEqual([0, 0, 1, 1, "finetune", "finetune"]);
    expect(lines[5].lossNoPretrain).toBeGreaterThan(0);
  }, 180_000); // a CLI process that loads MNIST: slow on a busy machine
});
