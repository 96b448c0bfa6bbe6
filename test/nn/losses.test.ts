import { afterAll, describe, expect, it } from "vitest";
import { nn, tensor, type Tensor } from "../../src/index.js";
import { dec, fixture, type FTensor, gradcheck, ParityReport, relErr, tolerance } from "./helpers.js";

const F = nn.functional;

interface LossCase {
  name: string;
  loss: string;
  config: any;
  dtype: string;
  inputs: Record<string, FTensor>;
  output: FTensor;
  gradOutput: FTensor;
  grads: Record<string, FTensor>;
}

/** Calls the nnzoo loss a fixture case names, with PyTorch's options in our spelling. */
function callLoss(c: LossCase, t: Record<string, Tensor>): Tensor {
  const o = c.config;
  switch (c.loss) {
    case "crossEntropy": return F.crossEntropy(t.input, t.target, { weight: t.weight, ignoreIndex: o.ignoreIndex, reduction: o.reduction, labelSmoothing: o.labelSmoothing });
    case "nllLoss": return F.nllLoss(t.input, t.target, { weight: t.weight, ignoreIndex: o.ignoreIndex, reduction: o.reduction });
    case "bceWithLogits": return F.bceWithLogits(t.input, t.target, { weight: t.weight, posWeight: t.posWeight, reduction: o.reduction });
    case "binaryCrossEntropy": return F.binaryCrossEntropy(t.input, t.target, { weight: t.weight, reduction: o.reduction });
    case "mse": return F.mse(t.input, t.target, { reduction: o.reduction });
    case "l1": return F.l1(t.input, t.target, { reduction: o.reduction });
    case "smoothL1": return F.smoothL1(t.input, t.target, { beta: o.beta, reduction: o.reduction });
    case "huber": return F.huber(t.input, t.target, { delta: o.delta, reduction: o.reduction });
    case "klDivergence": return F.klDivergence(t.mu, t.logvar, { reduction: o.reduction });
    case "klDiv": return F.klDiv(t.input, t.target, { reduction: o.reduction, logTarget: o.logTarget });
    default: throw new Error(`unknown loss ${c.loss}`);
  }
}

describe("PyTorch parity: losses", () => {
  const report = new ParityReport();
  afterAll(() => report.print("losses"));
  const cases = fixture<{ cases: LossCase[] }>("losses.json").cases;
  it.each(cases.map((c) => [c.name, c] as const))("%s", (_n, c) => {
    const t: Record<string, Tensor> = {};
    for (const [k, v] of Object.entries(c.inputs)) t[k] = dec(v, k in c.grads);
    const out = callLoss(c, t);
    out.mul(dec(c.gradOutput)).sum().backward();
    const errors: Record<string, number> = { output: relErr(out, c.output) };
    for (const [k, want] of Object.entries(c.grads)) errors[`grad.${k}`] = relErr(t[k].grad, want);
    const tol = tolerance(c.dtype);
    report.add(c.name, errors, tol);
    expect(Object.entries(errors).filter(([, v]) => !(v <= tol))).toEqual([]);
  });
});

describe("losses: behaviour", () => {
  it("crossEntropy takes unbatched logits [C] with a 0-d target", () => {
    const x = tensor([1, 2, 0.5]);
    const loss = F.crossEntropy(x, tensor(1, { dtype: "int32" }));
    expect(loss.item()).toBeCloseTo(-x.logSoftmax(0).data[1], 6);
  });

  it("bceWithLogits stays finite for huge logits and has gradient −½ at x = 0, y = 1", () => {
    const x = tensor([1e4, -1e4, 0], { dtype: "float64", requiresGrad: true });
    const y = tensor([0, 1, 1], { dtype: "float64" });
    const loss = F.bceWithLogits(x, y, { reduction: "sum" });
    expect(loss.item()).toBeCloseTo(2e4 + Math.log(2), 8);
    loss.backward();
    expect(Array.from(x.grad!.data)).toEqual([1, -1, -0.5]);
  });

  it("binaryCrossEntropy clamps log at −100 like PyTorch", () => {
    const loss = F.binaryCrossEntropy(tensor([0, 1]), tensor([1, 0]), { reduction: "none" });
    expect(Array.from(loss.data)).toEqual([100, 100]);
  });

  it("crossEntropy: mean over all-ignored targets is NaN, as PyTorch", () => {
    const loss = F.crossEntropy(tensor([[1, 2]]), tensor([-100], { dtype: "int32" }));
    expect(Number.isNaN(loss.item())).toBe(true);
  });

  it("klDivergence is 0 for the standard normal and batch-averaged by default", () => {
    expect(F.klDivergence(tensor([[0, 0]]), tensor([[0, 0]])).item()).toBe(0);
    const mu = tensor([[1, 0], [0, 0]]);
    const lv = tensor([[0, 0], [0, 0]]);
    expect(F.klDivergence(mu, lv).item()).toBeCloseTo(0.25, 7);
    expect(F.klDivergence(mu, lv, { reduction: "sum" }).item()).toBeCloseTo(0.5, 7);
    expect(Array.from(F.klDivergence(mu, lv, { reduction: "none" }).data)).toEqual([0.5, 0]);
  });

  it("names the loss, the argument and the shapes in errors", () => {
    expect(() => F.mse(tensor([[1], [2]]), tensor([1, 2]))).toThrow("mse: input [2,1] and target [2] must have the same shape");
    expect(() => F.crossEntropy(tensor([[1, 2]]), tensor([2], { dtype: "int32" }))).toThrow("crossEntropy: target 2 at flat position 0 is out of range for 2 classes");
    expect(() => F.crossEntropy(tensor([[1, 2]]), tensor([[0]], { dtype: "int32" }))).toThrow("crossEntropy: target must be [1] (input [1,2] without its class dim), got [1,1]");
    expect(() => F.nllLoss(tensor([[1, 2]]), tensor([0]))).toThrow("nllLoss: target must hold int32 class indices, got float32");
    expect(() => F.crossEntropy(tensor([[1, 2]]), tensor([0], { dtype: "int32" }), { reduction: "avg" as never })).toThrow('crossEntropy: reduction must be "none", "mean" or "sum", got "avg"');
    expect(() => F.crossEntropy(tensor([[1, 2]]), tensor([0], { dtype: "int32" }), { weight: tensor([1, 2, 3]) })).toThrow("crossEntropy: weight must be [2] (one per class), got [3]");
  });
});

describe("gradient checks (float64): losses", () => {
  const f64 = (a: number[] | number[][], rg = true) => tensor(a, { dtype: "float64", requiresGrad: rg });
  const logits = () => f64([[0.3, -1.2, 2.0, 0.1], [1.5, 0.2, -0.4, 0.9], [-0.7, 0.8, 0.05, -1.1]]);
  const labels = tensor([2, 0, 1], { dtype: "int32" });
  const weight = tensor([0.5, 1.5, 1.0, 2.0], { dtype: "float64" });
  const checks: Array<[string, () => { f: () => Tensor; inputs: Tensor[] }]> = [
    ["crossEntropy (weight, labelSmoothing, ignoreIndex)", () => { const x = logits(); return { f: () => F.crossEntropy(x, tensor([2, 3, 1], { dtype: "int32" }), { weight, labelSmoothing: 0.1, ignoreIndex: 3 }), inputs: [x] }; }],
    ["crossEntropy (probability targets)", () => { const x = logits(); const p = f64([[0.1, 0.2, 0.3, 0.4], [0.25, 0.25, 0.25, 0.25], [0.7, 0.1, 0.1, 0.1]]); return { f: () => F.crossEntropy(x, p, { labelSmoothing: 0.2, reduction: "sum" }), inputs: [x, p] }; }],
    ["nllLoss (weight, none)", () => { const x = logits(); return { f: () => F.nllLoss(x.logSoftmax(1), labels, { weight, reduction: "none" }), inputs: [x] }; }],
    ["bceWithLogits (posWeight, weight)", () => { const x = logits(); const y = f64([[0, 1, 0.5, 1], [1, 0, 0.2, 0], [0.3, 0.3, 1, 0]]); return { f: () => F.bceWithLogits(x, y, { posWeight: tensor([1, 2, 3, 0.5], { dtype: "float64" }), weight: tensor([0.5, 1, 2, 1], { dtype: "float64" }) }), inputs: [x, y] }; }],
    ["binaryCrossEntropy", () => { const p = f64([[0.2, 0.7], [0.9, 0.4]]); const y = f64([[0, 1], [0.5, 0.3]]); return { f: () => F.binaryCrossEntropy(p, y), inputs: [p, y] }; }],
    ["mse", () => { const a = logits(), b = logits(); b.data.reverse(); return { f: () => F.mse(a, b, { reduction: "sum" }), inputs: [a, b] }; }],
    ["l1", () => { const a = logits(), b = logits(); b.data.reverse(); return { f: () => F.l1(a, b), inputs: [a, b] }; }],
    ["smoothL1 (beta 0.5)", () => { const a = logits(), b = logits(); b.data.reverse(); return { f: () => F.smoothL1(a, b, { beta: 0.5 }), inputs: [a, b] }; }],
    ["huber (delta 0.7)", () => { const a = logits(), b = logits(); b.data.reverse(); return { f: () => F.huber(a, b, { delta: 0.7 }), inputs: [a, b] }; }],
    ["klDivergence", () => { const mu = logits(), lv = logits(); return { f: () => F.klDivergence(mu, lv.mul(0.3)), inputs: [mu, lv] }; }],
    ["klDiv (batchmean)", () => { const x = logits(); const t = logits().detach().softmax(1); t.requiresGrad = true; return { f: () => F.klDiv(x.logSoftmax(1), t, { reduction: "batchmean" }), inputs: [x, t] }; }],
  ];
  it.each(checks)("%s", (_name, make) => {
    const { f, inputs } = make();
    expect(gradcheck(f, inputs)).toBeLessThanOrEqual(1);
  });
});
