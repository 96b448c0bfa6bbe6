import { afterAll, describe, expect, it } from "vitest";
import { tensor } from "../../src/core/index.js";
import * as optim from "../../src/optim/index.js";
import { OPTIMIZERS, type SchedCase, loadFixture } from "./fixtures.js";

// Learning-rate sequences (30+ steps, two groups) from torch.optim.lr_scheduler 1.13.
const fixture = loadFixture<SchedCase>("schedulers.json") as ReturnType<typeof loadFixture<SchedCase>> & { chained: ChainedCase[] };

/** Several schedulers on one SGD optimizer, all stepped each time (PyTorch's ChainedScheduler). */
interface ChainedCase {
  name: string;
  chain: Array<{ scheduler: SchedCase["scheduler"]; options: Record<string, unknown> }>;
  groupLrs: number[];
  lrs: number[][];
}
const LAMBDAS: Record<string, optim.LrLambda> = {
  warmup10: optim.linearWarmup(10),
  decay95: (e) => 0.95 ** e,
};
const TOL = 1e-12;
const worst: Array<[string, number]> = [];

function setup(c: SchedCase) {
  const params = c.groupLrs.map(() => tensor([0, 0], { requiresGrad: true }));
  const Ctor = OPTIMIZERS[c.optimizer] as unknown as new (p: unknown, o: unknown) => optim.Optimizer;
  const opt = new Ctor(c.groupLrs.map((lr, i) => ({ params: [params[i]], lr })), c.optimizerOptions);
  const options = c.lambdas === undefined ? c.options : { lrLambda: c.lambdas.length === 1 ? LAMBDAS[c.lambdas[0]] : c.lambdas.map((n) => LAMBDAS[n]) };
  const Sched = (optim as unknown as Record<string, new (o: optim.Optimizer, opts: unknown) => optim.LRScheduler>)[c.scheduler];
  return { opt, sched: new Sched(opt, options) };
}

function momenta(opt: optim.Optimizer): number[] {
  return opt.paramGroups.map((group) => {
    const g = group as Record<string, unknown>;
    return Array.isArray(g.betas) ? (g.betas as number[])[0] : ((g.momentum as number | undefined) ?? 0);
  });
}

function rel(a: number, b: number): number {
  return b === 0 ? Math.abs(a) : Math.abs(a - b) / Math.abs(b);
}

describe(`learning-rate schedules match torch ${fixture.torch}`, () => {
  for (const c of fixture.cases) {
    it(`${c.scheduler}: ${c.name}`, () => {
      const { opt, sched } = setup(c);
      let maxErr = 0;
      for (let k = 0; k < c.lrs.length; k++) {
        if (k > 0) {
          opt.step();
          sched.step();
        }
        const lrs = sched.getLastLr();
        expect(lrs).toEqual(opt.paramGroups.map((g) => g.lr));
        lrs.forEach((lr, i) => {
          const err = Math.max(rel(lr, c.lrs[k][i]), rel(momenta(opt)[i], c.momenta[k][i]));
          maxErr = Math.max(maxErr, err);
          if (!(err <= TOL)) expect.fail(`after ${k} steps, group ${i}: lr ${lr} / momentum ${momenta(opt)[i]}, torch ${c.lrs[k][i]} / ${c.momenta[k][i]}`);
        });
      }
      worst.push([`${c.scheduler}: ${c.name}`, maxErr]);
    });
  }
});

describe("stacked schedulers share the initial lr, as in PyTorch", () => {
  for (const c of fixture.chained) {
    it(c.name, () => {
      const opt = new optim.SGD(c.groupLrs.map((lr) => ({ params: [tensor([0], { requiresGrad: true })], lr })), { lr: 0.1 });
      const Sched = (name: string) => (optim as unknown as Record<string, new (o: optim.Optimizer, opts: unknown) => optim.LRScheduler>)[name];
      const scheds = c.chain.map((s) => new (Sched(s.scheduler))(opt, s.options));
      for (let k = 0; k < c.lrs.length; k++) {
        if (k > 0) for (const s of scheds) s.step();
        opt.paramGroups.forEach((g, i) => {
          const err = rel(g.lr, c.lrs[k][i]);
          if (!(err <= TOL)) expect.fail(`after ${k} steps, group ${i}: lr ${g.lr}, torch ${c.lrs[k][i]}`);
        });
      }
    });
  }
});

describe("scheduler state", () => {
  for (const c of fixture.cases) {
    it(`${c.scheduler} (${c.name}) resumes from stateDict at step 12`, () => {
      const a = setup(c);
      for (let k = 0; k < 12; k++) a.sched.step();
      const optState = a.opt.stateDict();
      const saved = JSON.parse(JSON.stringify(a.sched.stateDict()));
      const b = setup(c);
      b.opt.loadStateDict(optState);
      b.sched.loadStateDict(saved);
      for (let k = 12; k < c.lrs.length - 1; k++) {
        a.sched.step();
        b.sched.step();
        expect(b.sched.getLastLr()).toEqual(a.sched.getLastLr());
        expect(momenta(b.opt)).toEqual(momenta(a.opt));
      }
    });
  }

  it("rejects a state dict of another scheduler", () => {
    const p = tensor([1], { requiresGrad: true });
    const opt = new optim.SGD([p], { lr: 0.1 });
    const step = new optim.StepLR(opt, { stepSize: 3 });
    const cos = new optim.CosineAnnealingLR(opt, { tMax: 10 });
    expect(() => cos.loadStateDict(step.stateDict())).toThrow('CosineAnnealingLR: loadStateDict: missing "tMax"');
    expect(() => step.loadStateDict({ ...step.stateDict(), baseLrs: [1, 2] })).toThrow("baseLrs must be an array of 1 numbers (one per parameter group), got [1, 2]");
  });
});

describe("scheduler arguments", () => {
  const opt = () => new optim.SGD([tensor([1], { requiresGrad: true })], { lr: 0.1 });
  const any = (x: unknown) => x as never;
  it("are validated with clear errors", () => {
    expect(() => new optim.StepLR(any({}), { stepSize: 3 })).toThrow("StepLR: optimizer must be an Optimizer, got Object");
    expect(() => new optim.StepLR(opt(), { stepSize: 0 })).toThrow("StepLR: stepSize must be a positive integer, got 0");
    expect(() => new optim.ExponentialLR(opt(), { gamma: -1 })).toThrow("ExponentialLR: gamma must be a non-negative number, got -1");
    expect(() => new optim.CosineAnnealingLR(opt(), { tMax: 2.5 })).toThrow("CosineAnnealingLR: tMax must be a positive integer, got 2.5");
    expect(() => new optim.LinearLR(opt(), { startFactor: 0 })).toThrow("LinearLR: startFactor must be in (0, 1], got 0");
    expect(() => new optim.LambdaLR(opt(), { lrLambda: [(e) => e, (e) => e] })).toThrow("LambdaLR: lrLambda has 2 functions but the optimizer has 1 parameter groups");
    expect(() => new optim.OneCycleLR(opt(), { maxLr: 1 })).toThrow("OneCycleLR: give totalSteps, or epochs and stepsPerEpoch");
    expect(() => new optim.OneCycleLR(opt(), { maxLr: 1, totalSteps: 10, pctStart: 1.5 })).toThrow("OneCycleLR: pctStart must be in [0, 1], got 1.5");
    expect(() => new optim.OneCycleLR(opt(), { maxLr: [1, 2], totalSteps: 10 })).toThrow("OneCycleLR: maxLr has 2 values but the optimizer has 1 parameter groups");
    expect(() => new optim.OneCycleLR(new optim.Adagrad([tensor([1], { requiresGrad: true })]), { maxLr: 1, totalSteps: 10 }))
      .toThrow("OneCycleLR: cycleMomentum needs an optimizer with momentum or betas, and Adagrad has neither; pass cycleMomentum: false");
    expect(() => optim.linearWarmup(0)).toThrow("linearWarmup: warmupSteps must be a positive integer, got 0");
  });

  it("OneCycleLR refuses to step past totalSteps, as PyTorch", () => {
    const s = new optim.OneCycleLR(opt(), { maxLr: 1, totalSteps: 5 });
    for (let i = 0; i < 5; i++) s.step();
    expect(() => s.step()).toThrow("OneCycleLR: tried to step 7 times; totalSteps is 5");
  });

  it("linearWarmup ramps to 1 over warmupSteps, then hands over", () => {
    const f = optim.linearWarmup(4, (t) => 0.5 ** t);
    expect([0, 1, 2, 3, 4, 5].map(f)).toEqual([0.25, 0.5, 0.75, 1, 1, 0.5]);
  });
});

afterAll(() => {
  if (process.env.OPTIM_PARITY_REPORT) for (const [name, err] of worst) console.log(`${err.toExponential(2)}  ${name}`);
});
