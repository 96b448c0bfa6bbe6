import { fail } from "../core/errors.js";
import { Optimizer, checkInRange, checkNonNegative, checkNumber, show } from "./optimizer.js";

/** A JSON-able scheduler value. */
export type ScheduleValue = number | boolean | string | number[];

/**
 * A scheduler's state (torch's `state_dict()` in spirit): the step counters, the base and last
 * learning rates, and the scheduler's settings. Plain numbers and arrays: JSON-serialisable.
 */
export interface SchedulerStateDict {
  lastEpoch: number;
  stepCount: number;
  baseLrs: number[];
  lastLr: number[];
  [setting: string]: ScheduleValue;
}

/**
 * The base of the learning-rate schedulers (PyTorch's `_LRScheduler`). A scheduler owns a step
 * counter `lastEpoch` and writes `lr` into every parameter group of its optimizer: at
 * construction (step 0) and at each `step()`. Call `optimizer.step()` first, then
 * `scheduler.step()`, once per epoch or per batch as the schedule is meant.
 *
 * The formulas are PyTorch 1.13's chainable ones (each step updates the groups' current lr,
 * so that schedulers compose as in PyTorch), and the values match torch's to rounding.
 * Resuming: PyTorch's `last_epoch` constructor argument is replaced by `loadStateDict()`;
 * the groups' current lr lives in the optimizer's state dict, so restore both.
 */
export abstract class LRScheduler {
  readonly name: string;
  readonly optimizer: Optimizer;
  /** The number of step() calls since construction (0 right after it). */
  lastEpoch = -1;
  /** Each group's initial lr: its lr when the first scheduler on the optimizer was made (OneCycleLR: maxLr / divFactor). */
  baseLrs: number[];
  /** step() calls including the one the constructor makes. */
  protected stepCount = 0;
  private lastLr: number[] = [];

  protected constructor(name: string, optimizer: Optimizer) {
    this.name = name;
    if (!(optimizer instanceof Optimizer)) fail(name, `optimizer must be an Optimizer, got ${show(optimizer)}`);
    this.optimizer = optimizer;
    this.baseLrs = optimizer.paramGroups.map((g) => {
      if (!initialLrs.has(g)) initialLrs.set(g, g.lr);
      return initialLrs.get(g)!;
    });
  }

  /** The learning rates of the groups at lastEpoch, computed from the groups' current values. */
  protected abstract computeLr(): number[];

  /** The scheduler's settings (hyperparameters), saved in its state dict. */
  protected abstract settings(): Record<string, ScheduleValue>;

  /** Restores the settings from a validated state dict. */
  protected abstract loadSettings(dict: Record<string, ScheduleValue>): void;

  /** The first step, made by every subclass constructor once its settings are in place. */
  protected initialStep(): void {
    this.stepCount = 0;
    this.step();
  }

  /** Advances the schedule by one and writes the new lr into every group. */
  step(): void {
    const groups = this.optimizer.paramGroups;
    if (groups.length !== this.baseLrs.length) {
      fail(this.name, `the optimizer has ${groups.length} parameter group(s) but the scheduler was made for ${this.baseLrs.length}`);
    }
    this.lastEpoch += 1;
    let lrs: number[];
    try {
      lrs = this.computeLr();
    } catch (e) {
      this.lastEpoch -= 1; // a refused step changes nothing
      throw e;
    }
    this.stepCount += 1;
    groups.forEach((g, i) => {
      g.lr = lrs[i];
    });
    this.lastLr = groups.map((g) => g.lr);
  }

  /** The learning rate of each group after the last step (PyTorch's get_last_lr()). */
  getLastLr(): number[] {
    return this.lastLr.slice();
  }

  stateDict(): SchedulerStateDict {
    return {
      ...this.settings(),
      lastEpoch: this.lastEpoch,
      stepCount: this.stepCount,
      baseLrs: this.baseLrs.slice(),
      lastLr: this.lastLr.slice(),
    };
  }

  /**
   * Restores a state saved by stateDict() (same scheduler type, same number of groups). The
   * groups' lr themselves are the optimizer's state: load the optimizer's state dict too.
   */
  loadStateDict(dict: SchedulerStateDict): void {
    const op = `${this.name}: loadStateDict`;
    if (dict === null || typeof dict !== "object") fail(op, `expected an object, got ${show(dict)}`);
    const n = this.baseLrs.length;
    const mine = this.stateDict();
    for (const key of Object.keys(mine)) if (!(key in dict)) fail(op, `missing "${key}"`);
    for (const [key, v] of Object.entries(dict)) {
      if (!(key in mine)) fail(op, `unexpected entry "${key}" (expected ${Object.keys(mine).join(", ")})`);
      const ref = mine[key];
      if (Array.isArray(ref)) {
        if (!Array.isArray(v) || v.length !== ref.length || v.some((x) => typeof x !== "number")) {
          fail(op, `${key} must be an array of ${ref.length} numbers (one per parameter group), got ${show(v)}`);
        }
      } else if (typeof v !== typeof ref) {
        fail(op, `${key} must be a ${typeof ref}, got ${show(v)}`);
      }
    }
    if (!Number.isInteger(dict.lastEpoch) || dict.lastEpoch < 0) fail(op, `lastEpoch must be a non-negative integer, got ${show(dict.lastEpoch)}`);
    if (dict.baseLrs.length !== n) fail(op, `baseLrs has ${dict.baseLrs.length} entries but the optimizer has ${n} groups`);
    this.lastEpoch = dict.lastEpoch;
    this.stepCount = dict.stepCount;
    this.baseLrs = dict.baseLrs.slice();
    this.lastLr = dict.lastLr.slice();
    const settings: Record<string, ScheduleValue> = {};
    for (const key of Object.keys(this.settings())) settings[key] = Array.isArray(dict[key]) ? (dict[key] as number[]).slice() : dict[key];
    this.loadSettings(settings);
  }

  /** The groups' current learning rates. */
  protected groupLrs(): number[] {
    return this.optimizer.paramGroups.map((g) => g.lr);
  }
}

function checkPositiveInteger(name: string, key: string, v: unknown): asserts v is number {
  if (typeof v !== "number" || !Number.isInteger(v) || v <= 0) fail(name, `${key} must be a positive integer, got ${show(v)}`);
}

/**
 * Each group's lr before the first scheduler touched it (PyTorch's `group["initial_lr"]`), so
 * that schedulers stacked on one optimizer (e.g. LinearLR warmup + CosineAnnealingLR, both
 * stepped: PyTorch's ChainedScheduler) share one base lr, as in PyTorch. OneCycleLR sets it to
 * maxLr / divFactor.
 */
const initialLrs = new WeakMap<object, number>();

// ---------------------------------------------------------------- StepLR

export interface StepLROptions {
  /** Decay every stepSize steps. */
  stepSize: number;
  /** Multiplicative factor (default 0.1). */
  gamma?: number;
}

/**
 * Multiplies each group's lr by γ every `stepSize` steps (torch.optim.lr_scheduler.StepLR):
 * lr_t = lr_0 · γ^⌊t / stepSize⌋.
 *
 * @example
 * const sched = new optim.StepLR(opt, { stepSize: 30, gamma: 0.1 });
 * for (let epoch = 0; epoch < 100; epoch++) { train(); sched.step(); }
 */
export class StepLR extends LRScheduler {
  private stepSize: number;
  private gamma: number;

  constructor(optimizer: Optimizer, options: StepLROptions) {
    super("StepLR", optimizer);
    const { stepSize, gamma = 0.1 } = options ?? ({} as StepLROptions);
    checkPositiveInteger(this.name, "stepSize", stepSize);
    checkNonNegative(this.name, "gamma", gamma);
    this.stepSize = stepSize;
    this.gamma = gamma;
    this.initialStep();
  }

  protected computeLr(): number[] {
    const lrs = this.groupLrs();
    if (this.lastEpoch === 0 || this.lastEpoch % this.stepSize !== 0) return lrs;
    return lrs.map((lr) => lr * this.gamma);
  }

  protected settings(): Record<string, ScheduleValue> {
    return { stepSize: this.stepSize, gamma: this.gamma };
  }

  protected loadSettings(d: Record<string, ScheduleValue>): void {
    this.stepSize = d.stepSize as number;
    this.gamma = d.gamma as number;
  }
}

// ---------------------------------------------------------------- ExponentialLR

export interface ExponentialLROptions {
  /** Multiplicative factor per step. */
  gamma: number;
}

/**
 * Multiplies each group's lr by γ at every step (torch.optim.lr_scheduler.ExponentialLR):
 * lr_t = lr_0 · γᵗ.
 */
export class ExponentialLR extends LRScheduler {
  private gamma: number;

  constructor(optimizer: Optimizer, options: ExponentialLROptions) {
    super("ExponentialLR", optimizer);
    checkNonNegative(this.name, "gamma", options?.gamma);
    this.gamma = options.gamma;
    this.initialStep();
  }

  protected computeLr(): number[] {
    const lrs = this.groupLrs();
    return this.lastEpoch === 0 ? lrs : lrs.map((lr) => lr * this.gamma);
  }

  protected settings(): Record<string, ScheduleValue> {
    return { gamma: this.gamma };
  }

  protected loadSettings(d: Record<string, ScheduleValue>): void {
    this.gamma = d.gamma as number;
  }
}

// ---------------------------------------------------------------- CosineAnnealingLR

export interface CosineAnnealingLROptions {
  /** Steps from the base lr down to etaMin (half a cosine period). */
  tMax: number;
  /** The lowest lr (default 0). */
  etaMin?: number;
}

/**
 * Cosine annealing from each group's lr to etaMin over tMax steps (torch's CosineAnnealingLR,
 * the annealing part of SGDR without restarts):
 *
 *     η_t = η_min + (η_max − η_min)(1 + cos(π t / T_max)) / 2
 *
 * computed in PyTorch's chainable form; past tMax the lr rises again along the cosine (as in
 * PyTorch), so set tMax to the length of training.
 */
export class CosineAnnealingLR extends LRScheduler {
  private tMax: number;
  private etaMin: number;

  constructor(optimizer: Optimizer, options: CosineAnnealingLROptions) {
    super("CosineAnnealingLR", optimizer);
    const { tMax, etaMin = 0 } = options ?? ({} as CosineAnnealingLROptions);
    checkPositiveInteger(this.name, "tMax", tMax);
    checkNumber(this.name, "etaMin", etaMin);
    this.tMax = tMax;
    this.etaMin = etaMin;
    this.initialStep();
  }

  protected computeLr(): number[] {
    const { lastEpoch: t, tMax: T, etaMin } = this;
    const lrs = this.groupLrs();
    if (t === 0) return lrs;
    if ((t - 1 - T) % (2 * T) === 0) {
      return lrs.map((lr, i) => lr + ((this.baseLrs[i] - etaMin) * (1 - Math.cos(Math.PI / T))) / 2);
    }
    return lrs.map((lr) => ((1 + Math.cos((Math.PI * t) / T)) / (1 + Math.cos((Math.PI * (t - 1)) / T))) * (lr - etaMin) + etaMin);
  }

  protected settings(): Record<string, ScheduleValue> {
    return { tMax: this.tMax, etaMin: this.etaMin };
  }

  protected loadSettings(d: Record<string, ScheduleValue>): void {
    this.tMax = d.tMax as number;
    this.etaMin = d.etaMin as number;
  }
}

// ---------------------------------------------------------------- LinearLR

export interface LinearLROptions {
  /** Factor at step 0, in [0, 1] (default 1/3). */
  startFactor?: number;
  /** Factor from step totalIters on, in [0, 1] (default 1). */
  endFactor?: number;
  /** Steps of the linear ramp (default 5). */
  totalIters?: number;
}

/**
 * Scales each group's lr by a factor that moves linearly from startFactor to endFactor over
 * totalIters steps, then stays (torch.optim.lr_scheduler.LinearLR): PyTorch's linear warmup.
 *
 *     lr_t = lr_0 · (s + (e − s) · min(t, T) / T)
 *
 * @example
 * // warm up from lr/10 to lr over the first 100 steps
 * const warmup = new optim.LinearLR(opt, { startFactor: 0.1, totalIters: 100 });
 */
export class LinearLR extends LRScheduler {
  private startFactor: number;
  private endFactor: number;
  private totalIters: number;

  constructor(optimizer: Optimizer, options: LinearLROptions = {}) {
    super("LinearLR", optimizer);
    const { startFactor = 1 / 3, endFactor = 1, totalIters = 5 } = options;
    // PyTorch allows startFactor 0 but then divides by zero on step 1; require > 0.
    if (typeof startFactor !== "number" || !(startFactor > 0 && startFactor <= 1)) fail(this.name, `startFactor must be in (0, 1], got ${show(startFactor)}`);
    checkInRange(this.name, "endFactor", endFactor, 0, 1, true);
    checkPositiveInteger(this.name, "totalIters", totalIters);
    this.startFactor = startFactor;
    this.endFactor = endFactor;
    this.totalIters = totalIters;
    this.initialStep();
  }

  protected computeLr(): number[] {
    const { lastEpoch: t, startFactor: s, endFactor: e, totalIters: T } = this;
    const lrs = this.groupLrs();
    if (t === 0) return lrs.map((lr) => lr * s);
    if (t > T) return lrs;
    return lrs.map((lr) => lr * (1 + (e - s) / (T * s + (t - 1) * (e - s))));
  }

  protected settings(): Record<string, ScheduleValue> {
    return { startFactor: this.startFactor, endFactor: this.endFactor, totalIters: this.totalIters };
  }

  protected loadSettings(d: Record<string, ScheduleValue>): void {
    this.startFactor = d.startFactor as number;
    this.endFactor = d.endFactor as number;
    this.totalIters = d.totalIters as number;
  }
}

// ---------------------------------------------------------------- LambdaLR

/** A factor for the base lr as a function of the step number t = 0, 1, 2, … */
export type LrLambda = (step: number) => number;

export interface LambdaLROptions {
  /** One function for all groups, or one per group. */
  lrLambda: LrLambda | LrLambda[];
}

/**
 * Sets each group's lr to its base lr times lrLambda(t) (torch.optim.lr_scheduler.LambdaLR).
 * The functions are not part of the state dict (as in PyTorch for plain functions): pass the
 * same ones when resuming.
 *
 * @example
 * const sched = new optim.LambdaLR(opt, { lrLambda: optim.linearWarmup(1000) });
 */
export class LambdaLR extends LRScheduler {
  private readonly lambdas: LrLambda[];

  constructor(optimizer: Optimizer, options: LambdaLROptions) {
    super("LambdaLR", optimizer);
    const f = options?.lrLambda;
    const n = this.baseLrs.length;
    if (Array.isArray(f)) {
      if (f.length !== n) fail(this.name, `lrLambda has ${f.length} functions but the optimizer has ${n} parameter groups`);
      f.forEach((fn, i) => {
        if (typeof fn !== "function") fail(this.name, `lrLambda[${i}] must be a function, got ${show(fn)}`);
      });
      this.lambdas = f.slice();
    } else {
      if (typeof f !== "function") fail(this.name, `lrLambda must be a function or an array of functions, got ${show(f)}`);
      this.lambdas = new Array<LrLambda>(n).fill(f);
    }
    this.initialStep();
  }

  protected computeLr(): number[] {
    return this.baseLrs.map((base, i) => {
      const factor = this.lambdas[i](this.lastEpoch);
      if (typeof factor !== "number" || Number.isNaN(factor)) fail(this.name, `lrLambda${this.lambdas.length > 1 ? `[${i}]` : ""}(${this.lastEpoch}) returned ${show(factor)}, expected a number`);
      return base * factor;
    });
  }

  protected settings(): Record<string, ScheduleValue> {
    return {};
  }

  protected loadSettings(): void {}
}

/**
 * A linear-warmup factor for LambdaLR: (t + 1) / warmupSteps for the first warmupSteps steps
 * (so the first optimizer step already moves, with lr/warmupSteps), then `after(t − warmupSteps)`
 * (default: 1, the full lr).
 *
 * @example
 * // warm up over 500 steps, then decay by 0.999 per step
 * new optim.LambdaLR(opt, { lrLambda: optim.linearWarmup(500, (t) => 0.999 ** t) });
 */
export function linearWarmup(warmupSteps: number, after: LrLambda = () => 1): LrLambda {
  checkPositiveInteger("linearWarmup", "warmupSteps", warmupSteps);
  if (typeof after !== "function") fail("linearWarmup", `after must be a function, got ${show(after)}`);
  return (t) => (t < warmupSteps ? (t + 1) / warmupSteps : after(t - warmupSteps));
}

// ---------------------------------------------------------------- OneCycleLR

export interface OneCycleLROptions {
  /** The peak lr, for all groups or one per group. */
  maxLr: number | number[];
  /** Steps in the cycle; or give epochs and stepsPerEpoch. */
  totalSteps?: number;
  epochs?: number;
  stepsPerEpoch?: number;
  /** Fraction of the cycle spent increasing the lr (default 0.3). */
  pctStart?: number;
  /** "cos" (default) or "linear". */
  annealStrategy?: "cos" | "linear";
  /**
   * Cycle momentum (SGD/RMSprop `momentum`, Adam's β1) inversely to the lr, between
   * maxMomentum and baseMomentum (default true, as PyTorch; needs an optimizer with momentum or betas).
   */
  cycleMomentum?: boolean;
  /** Momentum at the lr peak (default 0.85). */
  baseMomentum?: number | number[];
  /** Momentum at the start and end (default 0.95). */
  maxMomentum?: number | number[];
  /** Initial lr = maxLr / divFactor (default 25). */
  divFactor?: number;
  /** Final lr = initial lr / finalDivFactor (default 1e4). */
  finalDivFactor?: number;
  /** Three phases (up, down to initial, annihilate) as in the paper, instead of fastai's two (default false). */
  threePhase?: boolean;
}

interface Phase {
  endStep: number;
  lr: ["initial" | "max" | "min", "initial" | "max" | "min"];
  momentum: ["max" | "base", "max" | "base"];
}

/**
 * The 1cycle policy (Smith & Topin, 2017; torch.optim.lr_scheduler.OneCycleLR with its
 * defaults): the lr rises from maxLr/divFactor to maxLr over pctStart of totalSteps, then
 * anneals to maxLr/(divFactor·finalDivFactor); momentum moves the opposite way. Step it after
 * every batch: the constructor sets the lr of the first of totalSteps optimizer steps, and
 * totalSteps − 1 calls of step() reach the final lr (more than totalSteps calls is an error,
 * as in PyTorch). Anneal (cos):
 *
 *     lr(pct) = end + (start − end)(1 + cos(π·pct)) / 2
 *
 * @example
 * const sched = new optim.OneCycleLR(opt, { maxLr: 0.01, totalSteps: 1000 });
 */
export class OneCycleLR extends LRScheduler {
  private totalSteps: number;
  private annealStrategy: "cos" | "linear";
  private threePhase: boolean;
  private pctStart: number;
  private cycleMomentum: boolean;
  private initialLrs: number[];
  private maxLrs: number[];
  private minLrs: number[];
  private maxMomenta: number[];
  private baseMomenta: number[];
  private phases: Phase[] = [];

  constructor(optimizer: Optimizer, options: OneCycleLROptions) {
    super("OneCycleLR", optimizer);
    const o = options ?? ({} as OneCycleLROptions);
    const name = this.name;
    if (o.totalSteps !== undefined) {
      checkPositiveInteger(name, "totalSteps", o.totalSteps);
      this.totalSteps = o.totalSteps;
    } else if (o.epochs !== undefined || o.stepsPerEpoch !== undefined) {
      checkPositiveInteger(name, "epochs", o.epochs);
      checkPositiveInteger(name, "stepsPerEpoch", o.stepsPerEpoch);
      this.totalSteps = o.epochs * o.stepsPerEpoch;
    } else {
      fail(name, "give totalSteps, or epochs and stepsPerEpoch");
    }
    const pctStart = o.pctStart ?? 0.3;
    checkInRange(name, "pctStart", pctStart, 0, 1, true);
    this.pctStart = pctStart;
    const anneal = o.annealStrategy ?? "cos";
    if (anneal !== "cos" && anneal !== "linear") fail(name, `annealStrategy must be "cos" or "linear", got ${show(anneal)}`);
    this.annealStrategy = anneal;
    this.threePhase = o.threePhase ?? false;
    if (typeof this.threePhase !== "boolean") fail(name, `threePhase must be a boolean, got ${show(this.threePhase)}`);
    const divFactor = o.divFactor ?? 25;
    const finalDivFactor = o.finalDivFactor ?? 1e4;
    if (typeof divFactor !== "number" || !(divFactor > 0)) fail(name, `divFactor must be a positive number, got ${show(divFactor)}`);
    if (typeof finalDivFactor !== "number" || !(finalDivFactor > 0)) fail(name, `finalDivFactor must be a positive number, got ${show(finalDivFactor)}`);
    this.maxLrs = this.perGroup("maxLr", o.maxLr);
    this.maxLrs.forEach((v, i) => checkNonNegative(name, `maxLr[${i}]`, v));
    this.initialLrs = this.maxLrs.map((m) => m / divFactor);
    this.minLrs = this.initialLrs.map((l) => l / finalDivFactor);
    this.cycleMomentum = o.cycleMomentum ?? true;
    if (typeof this.cycleMomentum !== "boolean") fail(name, `cycleMomentum must be a boolean, got ${show(this.cycleMomentum)}`);
    this.maxMomenta = this.perGroup("maxMomentum", o.maxMomentum ?? 0.95);
    this.baseMomenta = this.perGroup("baseMomentum", o.baseMomentum ?? 0.85);
    if (this.cycleMomentum) {
      if (this.momentumKey() === null) {
        fail(name, `cycleMomentum needs an optimizer with momentum or betas, and ${optimizer.name} has neither; pass cycleMomentum: false`);
      }
      this.maxMomenta.forEach((v, i) => checkInRange(name, `maxMomentum[${i}]`, v, 0, 1));
      this.baseMomenta.forEach((v, i) => checkInRange(name, `baseMomentum[${i}]`, v, 0, 1));
      this.optimizer.paramGroups.forEach((g, i) => this.setMomentum(g, this.maxMomenta[i]));
    }
    this.baseLrs = this.initialLrs.slice();
    this.optimizer.paramGroups.forEach((g, i) => initialLrs.set(g, this.initialLrs[i]));
    this.buildPhases();
    this.initialStep();
  }

  private buildPhases(): void {
    const { pctStart: p, totalSteps: n } = this;
    this.phases = this.threePhase
      ? [
          { endStep: p * n - 1, lr: ["initial", "max"], momentum: ["max", "base"] },
          { endStep: 2 * p * n - 2, lr: ["max", "initial"], momentum: ["base", "max"] },
          { endStep: n - 1, lr: ["initial", "min"], momentum: ["max", "max"] },
        ]
      : [
          { endStep: p * n - 1, lr: ["initial", "max"], momentum: ["max", "base"] },
          { endStep: n - 1, lr: ["max", "min"], momentum: ["base", "max"] },
        ];
  }

  private perGroup(key: string, v: number | number[] | undefined): number[] {
    const n = this.baseLrs.length;
    if (Array.isArray(v)) {
      if (v.length !== n) fail(this.name, `${key} has ${v.length} values but the optimizer has ${n} parameter groups`);
      return v.slice();
    }
    if (typeof v !== "number") fail(this.name, `${key} must be a number or an array of numbers, got ${show(v)}`);
    return new Array<number>(n).fill(v);
  }

  private momentumKey(): "betas" | "momentum" | null {
    const d = this.optimizer.defaults as Record<string, unknown>;
    return "betas" in d ? "betas" : "momentum" in d ? "momentum" : null;
  }

  private setMomentum(group: Record<string, unknown>, m: number): void {
    if (this.momentumKey() === "betas") group.betas = [m, ...(group.betas as number[]).slice(1)];
    else group.momentum = m;
  }

  private anneal(start: number, end: number, pct: number): number {
    return this.annealStrategy === "cos" ? end + ((start - end) / 2) * (Math.cos(Math.PI * pct) + 1) : (end - start) * pct + start;
  }

  protected computeLr(): number[] {
    const t = this.lastEpoch;
    if (t > this.totalSteps) fail(this.name, `tried to step ${t + 1} times; totalSteps is ${this.totalSteps}`);
    const lrOf = { initial: this.initialLrs, max: this.maxLrs, min: this.minLrs };
    const momOf = { max: this.maxMomenta, base: this.baseMomenta };
    return this.optimizer.paramGroups.map((group, i) => {
      let start = 0;
      for (let k = 0; k < this.phases.length; k++) {
        const ph = this.phases[k];
        if (t <= ph.endStep || k === this.phases.length - 1) {
          const pct = (t - start) / (ph.endStep - start);
          if (this.cycleMomentum) this.setMomentum(group, this.anneal(momOf[ph.momentum[0]][i], momOf[ph.momentum[1]][i], pct));
          return this.anneal(lrOf[ph.lr[0]][i], lrOf[ph.lr[1]][i], pct);
        }
        start = ph.endStep;
      }
      return fail(this.name, "internal error: no phase");
    });
  }

  protected settings(): Record<string, ScheduleValue> {
    return {
      totalSteps: this.totalSteps, pctStart: this.pctStart, annealStrategy: this.annealStrategy, threePhase: this.threePhase,
      cycleMomentum: this.cycleMomentum, initialLrs: this.initialLrs.slice(), maxLrs: this.maxLrs.slice(),
      minLrs: this.minLrs.slice(), maxMomenta: this.maxMomenta.slice(), baseMomenta: this.baseMomenta.slice(),
    };
  }

  protected loadSettings(d: Record<string, ScheduleValue>): void {
    this.totalSteps = d.totalSteps as number;
    this.pctStart = d.pctStart as number;
    this.annealStrategy = d.annealStrategy as "cos" | "linear";
    this.threePhase = d.threePhase as boolean;
    this.cycleMomentum = d.cycleMomentum as boolean;
    this.initialLrs = d.initialLrs as number[];
    this.maxLrs = d.maxLrs as number[];
    this.minLrs = d.minLrs as number[];
    this.maxMomenta = d.maxMomenta as number[];
    this.baseMomenta = d.baseMomenta as number[];
    this.buildPhases();
  }
}
