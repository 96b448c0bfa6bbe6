import { describe, expect, it } from "vitest";
import { Tensor, tensor, zeros } from "../../src/core/index.js";
import * as optim from "../../src/optim/index.js";
import { type OptimCase, loadFixture, makeOptimizer, makeParams, setGrads } from "./fixtures.js";

// One case per optimizer feature set: 10 steps, save, a fresh optimizer over copies of the
// parameters loads the state, 10 more steps → bit for bit the 20 uninterrupted steps.
const CASES: Array<[string, string]> = [
  ["sgd", "momentum"], ["sgd", "nesterov"], ["sgd", "momentum with missing grads"],
  ["adam", "amsgrad"], ["adam", "missing grads (per-parameter step counts)"], ["adamw", "weight decay 0.1 + amsgrad"],
  ["rmsprop", "centered + momentum + weight decay, alpha 0.9"], ["adagrad", "lrDecay + weightDecay + initial accumulator"],
  ["groups", "SGD, two groups (lr 0.1 / lr 0.01 with own momentum)"], ["groups", "Adam, two groups (lr 0.01 / lr 0.05 with weight decay)"],
];

function find(family: string, name: string): OptimCase {
  const c = loadFixture<OptimCase>(`${family}.json`).cases.find((x) => x.name === name);
  if (c === undefined) throw new Error(`no fixture case ${family}/${name}`);
  return c;
}

function run(c: OptimCase, opt: { step(): unknown }, params: Tensor[], from: number, to: number): void {
  for (let s = from; s < to; s++) {
    setGrads(c, params, s);
    opt.step();
  }
}

describe("stateDict / loadStateDict", () => {
  for (const [family, name] of CASES) {
    it(`resumes ${family}: ${name} bit for bit`, () => {
      const c = find(family, name);
      const straight = makeParams(c);
      run(c, makeOptimizer(c, straight), straight, 0, 20);

      const first = makeParams(c);
      const opt1 = makeOptimizer(c, first);
      run(c, opt1, first, 0, 10);
      const saved = opt1.stateDict();
      const resumed = first.map((p) => tensor(p.data.slice(), { shape: p.shape, requiresGrad: true }));
      // Keep stepping the first optimizer: the saved dict must not change (it holds copies).
      run(c, opt1, first, 10, 12);

      const opt2 = makeOptimizer({ ...c, options: { ...c.options } }, resumed);
      opt2.loadStateDict(saved);
      run(c, opt2, resumed, 10, 20);
      resumed.forEach((p, i) => expect(Array.from(p.data)).toEqual(Array.from(straight[i].data)));
    });
  }

  it("holds Tensors and numbers only, with PyTorch's layout", () => {
    const c = find("groups", "Adam, two groups (lr 0.01 / lr 0.05 with weight decay)");
    const params = makeParams(c);
    const opt = makeOptimizer(c, params) as optim.Adam;
    run(c, opt, params, 0, 3);
    const sd = opt.stateDict();
    expect(Object.keys(sd.state)).toEqual(["0", "1"]);
    expect(sd.paramGroups.map((g) => g.params)).toEqual([[0], [1]]);
    expect(sd.paramGroups[1]).toMatchObject({ lr: 0.05, weightDecay: 0.1, betas: [0.9, 0.999], eps: 1e-8, amsgrad: false, maximize: false });
    for (const [i, s] of Object.entries(sd.state)) {
      expect(Object.keys(s).sort()).toEqual(["expAvg", "expAvgSq", "step"]);
      expect(s.step).toBe(3);
      for (const v of Object.values(s)) {
        expect(typeof v === "number" || v instanceof Tensor).toBe(true);
        if (v instanceof Tensor) {
          expect(v.shape).toEqual(params[Number(i)].shape);
          expect(v.data).not.toBe(opt.state.get(params[Number(i)])!.expAvg.data);
          expect(v.data.buffer).not.toBe(params[Number(i)].data.buffer);
        }
      }
    }
    // Mutating the groups after saving does not change the dict.
    opt.paramGroups[0].betas[0] = 0.5;
    expect(sd.paramGroups[0].betas).toEqual([0.9, 0.999]);
  });

  it("restores hyperparameters from the dict and accepts typed arrays as buffers", () => {
    const p = tensor([1, 2, 3], { requiresGrad: true });
    const opt = new optim.SGD([p], { lr: 0.1, momentum: 0.9 });
    opt.loadStateDict({
      state: { 0: { momentumBuffer: Float32Array.from([1, 1, 1]) } },
      paramGroups: [{ lr: 0.5, momentum: 0.5, dampening: 0, weightDecay: 0, nesterov: false, maximize: false, params: [0] }],
    });
    expect(opt.paramGroups[0].lr).toBe(0.5);
    p.grad = tensor([1, 1, 1]);
    opt.step(); // buf = 0.5·1 + 1 = 1.5; p −= 0.5·1.5
    expect(Array.from(p.data)).toEqual([0.25, 1.25, 2.25]);
  });

  it("casts loaded buffers to the parameter's dtype", () => {
    const p = zeros([2], { dtype: "float64", requiresGrad: true });
    const opt = new optim.Adagrad([p]);
    opt.loadStateDict({ state: { 0: { step: 4, sum: tensor([1, 2]) } }, paramGroups: [{ ...opt.stateDict().paramGroups[0] }] });
    expect(opt.state.get(p)!.sum.dtype).toBe("float64");
    expect(opt.state.get(p)!.step).toBe(4);
  });

  it("rejects mismatched dicts with a clear error, changing nothing", () => {
    const a = tensor([1, 2], { requiresGrad: true });
    const b = tensor([[1, 2, 3]], { requiresGrad: true });
    const opt = new optim.Adam([a, b], { lr: 0.01 });
    a.grad = tensor([1, 1]);
    opt.step();
    const good = opt.stateDict();
    const g0 = good.paramGroups[0];
    expect(() => opt.loadStateDict({ state: {}, paramGroups: [g0, g0] })).toThrow("Adam: loadStateDict: the state dict has 2 parameter group(s), this optimizer has 1");
    expect(() => opt.loadStateDict({ state: {}, paramGroups: [{ ...g0, params: [0] }] })).toThrow("paramGroups[0] has 1 parameter(s) in the state dict and 2 in this optimizer");
    expect(() => opt.loadStateDict({ ...good, state: { 5: good.state[0] } })).toThrow("state has an entry for parameter index 5");
    expect(() => opt.loadStateDict({ ...good, state: { 1: good.state[0] } })).toThrow("Adam: loadStateDict: state[1].expAvg: has shape [2] but the parameter has shape [1,3]");
    expect(() => opt.loadStateDict({ ...good, state: { 0: { ...good.state[0], momentumBuffer: zeros([2]) } } })).toThrow('state[0] has an unexpected entry "momentumBuffer"');
    const { expAvgSq: _, ...partial } = good.state[0];
    expect(() => opt.loadStateDict({ ...good, state: { 0: partial } })).toThrow('state[0] is missing "expAvgSq"');
    expect(() => opt.loadStateDict({ ...good, paramGroups: [{ ...g0, lr: -1 }] })).toThrow("Adam: loadStateDict: paramGroups[0].lr must be a non-negative number, got -1");
    expect(() => opt.loadStateDict({ ...good, paramGroups: [{ ...g0, momentum: 0.9 }] })).toThrow('unknown option "momentum"');
    // Nothing changed: the next step continues as before.
    expect(opt.state.get(a)!.step).toBe(1);
    expect(opt.paramGroups[0].lr).toBe(0.01);
  });
});
