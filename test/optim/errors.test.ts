import { describe, expect, it } from "vitest";
import { tensor, zeros } from "../../src/core/index.js";
import * as optim from "../../src/optim/index.js";

const w = () => tensor([[1, 2], [3, 4]], { requiresGrad: true });
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const any = (x: unknown): any => x;

describe("optimizers validate their arguments at construction", () => {
  it("rejects bad hyperparameters, naming the optimizer, the option, the expectation and the value", () => {
    expect(() => new optim.Adam([w()], { lr: -1 })).toThrow("Adam: lr must be a non-negative number, got -1");
    expect(() => new optim.Adam([w()], { lr: NaN })).toThrow("Adam: lr must be a non-negative number, got NaN");
    expect(() => new optim.Adam([w()], { betas: [0.9, 1.2] })).toThrow("Adam: betas[1] must be in [0, 1), got 1.2");
    expect(() => new optim.AdamW([w()], { betas: [1, 0.999] })).toThrow("AdamW: betas[0] must be in [0, 1), got 1");
    expect(() => new optim.Adam([w()], any({ betas: 0.9 }))).toThrow("Adam: betas must be a pair [beta1, beta2], got 0.9");
    expect(() => new optim.Adam([w()], { eps: -1e-8 })).toThrow("Adam: eps must be a non-negative number, got -1e-8");
    expect(() => new optim.AdamW([w()], { weightDecay: -0.1 })).toThrow("AdamW: weightDecay must be a non-negative number, got -0.1");
    expect(() => new optim.Adam([w()], any({ amsgrad: "yes" }))).toThrow('Adam: amsgrad must be a boolean, got "yes"');
    expect(() => new optim.SGD([w()], { lr: 0.1, momentum: -0.5 })).toThrow("SGD: momentum must be a non-negative number, got -0.5");
    expect(() => new optim.SGD([w()], { lr: 0.1, nesterov: true })).toThrow("SGD: nesterov requires momentum > 0 and dampening 0, got momentum 0 and dampening 0");
    expect(() => new optim.SGD([w()], { lr: 0.1, momentum: 0.9, dampening: 0.1, nesterov: true })).toThrow("dampening 0.1");
    expect(() => new optim.RMSprop([w()], { alpha: 1.5 })).toThrow("RMSprop: alpha must be in [0, 1], got 1.5");
    expect(() => new optim.RMSprop([w()], any({ centered: 1 }))).toThrow("RMSprop: centered must be a boolean, got 1");
    expect(() => new optim.Adagrad([w()], { lrDecay: -1 })).toThrow("Adagrad: lrDecay must be a non-negative number, got -1");
    expect(() => new optim.Adagrad([w()], { initialAccumulatorValue: -0.1 })).toThrow("Adagrad: initialAccumulatorValue must be a non-negative number, got -0.1");
  });

  it("requires SGD's lr (in the options or in every group), as PyTorch 1.13", () => {
    expect(() => new optim.SGD([w()])).toThrow("SGD: lr is required (give it in the options or in every parameter group)");
    expect(() => new optim.SGD([{ params: [w()], lr: 0.1 }, { params: [w()] }])).toThrow("SGD: paramGroups[1].lr is required");
    expect(new optim.SGD([{ params: [w()], lr: 0.1 }]).paramGroups[0].lr).toBe(0.1);
  });

  it("rejects unknown options (e.g. PyTorch's snake_case names)", () => {
    expect(() => new optim.Adam([w()], any({ weight_decay: 0.1 }))).toThrow('Adam: unknown option "weight_decay" (options: lr, betas, eps, weightDecay, amsgrad, maximize)');
    expect(() => new optim.SGD([{ params: [w()], lr: 0.1, momentun: 0.9 }] as never)).toThrow('SGD: paramGroups[0]: unknown option "momentun"');
  });

  it("names the bad group option", () => {
    expect(() => new optim.Adam([{ params: [w()] }, { params: [w()], lr: -2 }])).toThrow("Adam: paramGroups[1].lr must be a non-negative number, got -2");
  });

  it("rejects parameters that cannot be optimized", () => {
    expect(() => new optim.Adam([])).toThrow("Adam: got an empty parameter list");
    expect(() => new optim.Adam(any(w()))).toThrow("Adam: params must be an iterable of Tensors or of parameter groups { params, ...options }, got a single Tensor (wrap it in an array)");
    expect(() => new optim.Adam(any(42))).toThrow("Adam: params must be an iterable of Tensors or of parameter groups { params, ...options }, got 42");
    expect(() => new optim.Adam([w(), any([1, 2])])).toThrow("Adam: params[1] must be a Tensor, got [1, 2]");
    expect(() => new optim.Adam([w(), zeros([3])])).toThrow("Adam: params[1] does not require grad (shape [3]); only tensors with requiresGrad can be optimized");
    const leaf = w();
    expect(() => new optim.Adam([leaf.mul(2)])).toThrow("Adam: params[0] is not a leaf tensor (it was computed by mul)");
    expect(() => new optim.Adam([{ params: [] }])).toThrow("Adam: paramGroups[0].params is empty");
    expect(() => new optim.Adam(any([{ lr: 0.1 }]))).toThrow("Adam: paramGroups[0] must be a parameter group { params, ...options }");
  });

  it("rejects the same parameter twice, within or across groups", () => {
    const p = w();
    expect(() => new optim.Adam([p, p])).toThrow("Adam: params[1] is the same tensor as params[0]; a parameter can appear only once, in one group");
    expect(() => new optim.Adam([{ params: [p] }, { params: [w(), p] }])).toThrow("Adam: paramGroups[1].params[1] is the same tensor as paramGroups[0].params[0]");
    const opt = new optim.SGD([p], { lr: 0.1 });
    expect(() => opt.addParamGroup({ params: [p] })).toThrow("SGD: paramGroups[1].params[0] is the same tensor as paramGroups[0].params[0]");
  });

  it("addParamGroup fills options from the defaults and validates the rest", () => {
    const opt = new optim.Adam([w()], { lr: 0.01, betas: [0.8, 0.9] });
    opt.addParamGroup({ params: w(), lr: 0.1 });
    expect(opt.paramGroups[1]).toMatchObject({ lr: 0.1, betas: [0.8, 0.9], eps: 1e-8 });
    expect(opt.paramGroups[1].betas).not.toBe(opt.paramGroups[0].betas);
    expect(() => opt.addParamGroup({ params: [w()], eps: -1 })).toThrow("Adam: paramGroups[2].eps must be a non-negative number, got -1");
    expect(opt.paramGroups.length).toBe(2);
  });

  it("checks the gradient's shape at step()", () => {
    const p = w();
    const opt = new optim.SGD([p], { lr: 0.1 });
    p.grad = tensor([1, 2, 3, 4]);
    expect(() => opt.step()).toThrow("SGD: step: the gradient of paramGroups[0].params[0] has shape [4] but the parameter has shape [2,2]");
  });
});

describe("optimizer behaviour", () => {
  it("writes parameters in place, skips null grads, and zeroGrad sets grads to null (or zeros)", () => {
    const p = w();
    const q = tensor([5], { requiresGrad: true });
    const data = p.data;
    const opt = new optim.SGD([p, q], { lr: 0.5 });
    p.grad = tensor([[1, 1], [1, 1]]);
    opt.step();
    expect(p.data).toBe(data);
    expect(Array.from(p.data)).toEqual([0.5, 1.5, 2.5, 3.5]);
    expect(Array.from(q.data)).toEqual([5]);
    expect(opt.state.has(q)).toBe(false);
    opt.zeroGrad({ setToNone: false });
    expect(Array.from(p.grad!.data)).toEqual([0, 0, 0, 0]);
    opt.zeroGrad();
    expect(p.grad).toBeNull();
  });

  it("step(closure) evaluates the loss with gradients enabled and returns it", () => {
    const p = tensor([3], { requiresGrad: true });
    const opt = new optim.SGD([p], { lr: 0.25 });
    const loss = opt.step(() => {
      opt.zeroGrad();
      const l = p.mul(p).sum();
      l.backward();
      return l.item();
    });
    expect(loss).toBe(9);
    expect(p.item()).toBe(1.5); // 3 − 0.25·6
  });

  it("turning amsgrad, RMSprop momentum or centering on mid-run creates the buffer instead of failing", () => {
    const p = tensor([1, 2], { requiresGrad: true });
    const adam = new optim.Adam([p]);
    p.grad = tensor([1, 1]);
    adam.step();
    adam.paramGroups[0].amsgrad = true;
    adam.step();
    expect(adam.state.get(p)!.maxExpAvgSq).toBeDefined();
    const rms = new optim.RMSprop([p]);
    rms.step();
    rms.paramGroups[0].momentum = 0.9;
    rms.paramGroups[0].centered = true;
    rms.step();
    expect(rms.state.get(p)!.momentumBuffer).toBeDefined();
    expect(rms.state.get(p)!.gradAvg).toBeDefined();
    expect(Array.from(p.data).every(Number.isFinite)).toBe(true);
  });

  it("updates float64 parameters in float64", () => {
    const p = tensor([1], { dtype: "float64", requiresGrad: true });
    const opt = new optim.SGD([p], { lr: 1e-10 });
    p.grad = tensor([1], { dtype: "float64" });
    opt.step();
    expect(p.item()).toBe(1 - 1e-10);
  });
});
