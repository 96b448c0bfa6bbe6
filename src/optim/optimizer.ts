import { isGradEnabled, noGrad, setGradEnabled } from "../core/autograd.js";
import { fail, fmtShape } from "../core/errors.js";
import { Tensor } from "../core/tensor.js";
import { tensor } from "../core/ops/creation.js";

/** The element arrays optimizers work on (parameters are float32 or float64). */
export type FloatArray = Float32Array | Float64Array;

/** A group as the user gives it: its parameters and any options that differ from the optimizer's. */
export type ParamGroupSpec<O> = { params: Iterable<Tensor> | Tensor } & O;

/** What an optimizer takes: parameters (one group), or parameter groups with their own options. */
export type Params<O> = Iterable<Tensor> | Iterable<ParamGroupSpec<O>>;

/** A live parameter group: the parameters and every hyperparameter, resolved. Schedulers write `lr`. */
export type ParamGroup<H> = H & { params: Tensor[] };

/** One parameter's optimizer state: buffers (tensors of the parameter's shape and dtype) and counters. */
export type ParamState = Record<string, Tensor | number>;

/**
 * An optimizer's state in PyTorch's layout: `state` is keyed by the parameter's index in
 * the concatenation of all groups' parameters (only parameters that have state appear),
 * and each group lists its hyperparameters and the indices of its parameters. State values
 * are Tensors (own copies) or numbers, never references to parameters, so a checkpoint
 * writer can serialise them as they are.
 */
export interface OptimizerStateDict {
  state: Record<number, ParamState>;
  paramGroups: Array<Record<string, unknown> & { params: number[] }>;
}

/**
 * What loadStateDict() accepts: an OptimizerStateDict, or the same with buffers as typed arrays
 * (of the parameter's length) instead of Tensors, and counters as one-element Tensors.
 */
export interface OptimizerStateDictLike {
  state: Record<number, Record<string, Tensor | FloatArray | number>>;
  paramGroups: Array<Record<string, unknown> & { params: number[] }>;
}

/** Which state entries an optimizer keeps: counters (numbers), buffers (tensors), and those that must be present. */
export interface StateSpec {
  numbers: readonly string[];
  tensors: readonly string[];
  required: readonly string[];
}

/**
 * The base of every optimizer (PyTorch's torch.optim.Optimizer): parameter groups, per-parameter
 * state created lazily on a parameter's first step, `zeroGrad()`, `step()`, `stateDict()` /
 * `loadStateDict()` and `addParamGroup()`. Subclasses supply the hyperparameter defaults, their
 * validation, and the update of one parameter (a thin wrapper over a pure function on typed
 * arrays).
 *
 * Updates run under noGrad and write each parameter's `data` in place, so modules keep their
 * references. Parameters whose `grad` is null are skipped (their state does not advance).
 * Non-finite gradients are not checked here: a NaN or Inf gradient propagates into the
 * parameters and the state exactly as in PyTorch, so training loops must check the loss or the
 * gradient norm (e.g. `nn.utils.clipGradNorm`'s return value) before calling `step()`.
 */
export abstract class Optimizer<H extends object = { lr: number }, S extends object = object> {
  /** The optimizer's name, used in error messages ("Adam"). */
  readonly name: string;
  /** Hyperparameters for groups that do not set their own (the constructor's options over the defaults). */
  readonly defaults: Readonly<Partial<H>>;
  /** The parameter groups; edit a group's hyperparameters (e.g. `lr`) between steps as in PyTorch. */
  readonly paramGroups: Array<ParamGroup<H>> = [];
  /** Per-parameter state, created on each parameter's first step. */
  readonly state = new Map<Tensor, S>();
  private readonly optionKeys: readonly string[];

  /**
   * @param name the optimizer's name for messages.
   * @param params parameters or parameter groups.
   * @param options the user's options (unknown keys are rejected).
   * @param builtin every option with its default (`undefined` for required options such as SGD's lr).
   */
  protected constructor(name: string, params: Params<Partial<H>>, options: Partial<H>, builtin: Partial<H>) {
    this.name = name;
    this.optionKeys = Object.keys(builtin);
    if (options === null || typeof options !== "object" || Array.isArray(options)) {
      this.fail(`options must be an object, got ${show(options)}`);
    }
    this.checkKeys(options as object, "", false);
    this.defaults = Object.freeze({ ...builtin, ...defined(options as object) }) as Partial<H>;
    this.validate(this.defaults, "", false);
    for (const spec of this.normalizeParams(params)) this.addGroup(spec.params, spec.options, spec.where);
  }

  /**
   * Checks a group's hyperparameters, throwing `Name: <where><option> must be …, got …`.
   * `complete` is false for the defaults (required options may still be missing there).
   */
  protected abstract validate(group: Partial<H>, where: string, complete: boolean): void;

  /** Creates the state of a parameter on its first step. */
  protected abstract initState(param: Tensor, group: ParamGroup<H>): S;

  /** Updates one parameter in place from its gradient; called under noGrad. */
  protected abstract update(param: Tensor, grad: Tensor, state: S, group: ParamGroup<H>): void;

  /** The state entries this optimizer keeps, for loadStateDict's checks. */
  protected abstract readonly stateSpec: StateSpec;

  /**
   * Sets every parameter's gradient to null (the default, as PyTorch ≥ 2.0), or to zeros in
   * place with `{ setToNone: false }`.
   */
  zeroGrad(options: { setToNone?: boolean } = {}): void {
    const setToNone = options.setToNone ?? true;
    for (const group of this.paramGroups) {
      for (const p of group.params) {
        if (setToNone) p.grad = null;
        else if (p.grad !== null) p.grad.data.fill(0);
      }
    }
  }

  /**
   * Performs one update of every parameter that has a gradient. An optional closure
   * re-evaluates the model and returns the loss (it runs with gradients enabled, before the
   * update); its value is returned.
   */
  step<T = undefined>(closure?: () => T): T | undefined {
    let loss: T | undefined;
    if (closure !== undefined) {
      const prev = isGradEnabled();
      setGradEnabled(true);
      try {
        loss = closure();
      } finally {
        setGradEnabled(prev);
      }
    }
    noGrad(() => {
      for (let gi = 0; gi < this.paramGroups.length; gi++) {
        const group = this.paramGroups[gi];
        for (let pi = 0; pi < group.params.length; pi++) {
          const p = group.params[pi];
          const g = p.grad;
          if (g === null) continue;
          if (g.ndim !== p.ndim || g.shape.some((d, k) => d !== p.shape[k])) {
            this.fail(`step: the gradient of paramGroups[${gi}].params[${pi}] has shape ${fmtShape(g.shape)} but the parameter has shape ${fmtShape(p.shape)}`);
          }
          let s = this.state.get(p);
          if (s === undefined) {
            s = this.initState(p, group);
            this.state.set(p, s);
          }
          this.update(p, g, s, group);
        }
      }
    });
    return loss;
  }

  /**
   * Adds a parameter group (e.g. layers unfrozen during fine-tuning); options it does not set
   * come from the optimizer's defaults. A parameter may belong to one group only.
   */
  addParamGroup(group: ParamGroupSpec<Partial<H>>): void {
    const where = `paramGroups[${this.paramGroups.length}]`;
    const [spec] = this.normalizeParams([group], where);
    this.addGroup(spec.params, spec.options, spec.where);
  }

  /**
   * The optimizer's state in PyTorch's layout (see OptimizerStateDict). Tensors are copies:
   * later steps do not change a saved dict.
   */
  stateDict(): OptimizerStateDict {
    const state: Record<number, ParamState> = {};
    const paramGroups: OptimizerStateDict["paramGroups"] = [];
    let index = 0;
    for (const group of this.paramGroups) {
      const { params, ...hyper } = group as ParamGroup<H>;
      const ids: number[] = [];
      for (const p of params) {
        const s = this.state.get(p);
        if (s !== undefined) state[index] = copyState(s as ParamState);
        ids.push(index++);
      }
      paramGroups.push({ ...copyHyper(hyper as Record<string, unknown>), params: ids });
    }
    return { state, paramGroups };
  }

  /**
   * Restores state saved by stateDict() into an optimizer built over the same parameters
   * (same groups, same order). Hyperparameters come from the dict (as in PyTorch); buffers are
   * copied and cast to each parameter's dtype. Everything is checked before anything changes.
   */
  loadStateDict(dict: OptimizerStateDictLike): void {
    const op = "loadStateDict";
    if (dict === null || typeof dict !== "object") this.fail(`${op}: expected { state, paramGroups }, got ${show(dict)}`);
    const { state, paramGroups } = dict;
    if (!Array.isArray(paramGroups)) this.fail(`${op}: paramGroups must be an array, got ${show(paramGroups)}`);
    if (state === null || typeof state !== "object") this.fail(`${op}: state must be an object keyed by parameter index, got ${show(state)}`);
    if (paramGroups.length !== this.paramGroups.length) {
      this.fail(`${op}: the state dict has ${paramGroups.length} parameter group(s), this optimizer has ${this.paramGroups.length}`);
    }
    const byIndex = new Map<number, Tensor>();
    const groups: Array<ParamGroup<H>> = [];
    paramGroups.forEach((saved, gi) => {
      const where = `paramGroups[${gi}]`;
      if (saved === null || typeof saved !== "object" || !Array.isArray(saved.params)) {
        this.fail(`${op}: ${where} must be an object with a params array of indices, got ${show(saved)}`);
      }
      const live = this.paramGroups[gi];
      if (saved.params.length !== live.params.length) {
        this.fail(`${op}: ${where} has ${saved.params.length} parameter(s) in the state dict and ${live.params.length} in this optimizer`);
      }
      saved.params.forEach((id, pi) => {
        if (!Number.isInteger(id) || byIndex.has(id)) this.fail(`${op}: ${where}.params[${pi}] must be a unique integer index, got ${show(id)}`);
        byIndex.set(id, live.params[pi]);
      });
      const { params: _ids, ...hyper } = saved;
      this.checkKeys(hyper, `${op}: ${where}`, true);
      const { params: _live, ...liveHyper } = live as ParamGroup<H>;
      const merged = { ...copyHyper(liveHyper as Record<string, unknown>), ...copyHyper(hyper), params: live.params } as unknown as ParamGroup<H>;
      this.validate(merged, `${op}: ${where}.`, true);
      groups.push(merged);
    });
    const newState = new Map<Tensor, S>();
    for (const key of Object.keys(state)) {
      const id = Number(key);
      const p = byIndex.get(id);
      if (p === undefined) this.fail(`${op}: state has an entry for parameter index ${key}, which no parameter group lists`);
      newState.set(p, this.loadParamState(p, (state as Record<string, unknown>)[key], `${op}: state[${key}]`) as S);
    }
    // Nothing has failed: commit.
    groups.forEach((g, i) => Object.assign(this.paramGroups[i], g));
    this.state.clear();
    for (const [p, s] of newState) this.state.set(p, s);
  }

  /** Throws `Name: message`. */
  protected fail(message: string): never {
    fail(this.name, message);
  }

  private loadParamState(p: Tensor, saved: unknown, where: string): ParamState {
    if (saved === null || typeof saved !== "object" || Array.isArray(saved) || saved instanceof Tensor) {
      this.fail(`${where} must be an object of buffers and counters, got ${show(saved)}`);
    }
    const spec = this.stateSpec;
    const out: ParamState = {};
    for (const [k, v] of Object.entries(saved as Record<string, unknown>)) {
      if (spec.numbers.includes(k)) {
        const n = v instanceof Tensor && v.numel() === 1 ? v.item() : v;
        if (typeof n !== "number" || !Number.isFinite(n)) this.fail(`${where}.${k} must be a finite number, got ${show(v)}`);
        out[k] = n;
      } else if (spec.tensors.includes(k)) {
        out[k] = loadBuffer(p, v, () => `${this.name}: ${where}.${k}`);
      } else {
        this.fail(`${where} has an unexpected entry "${k}" (expected ${[...spec.numbers, ...spec.tensors].join(", ")})`);
      }
    }
    for (const k of spec.required) if (!(k in out)) this.fail(`${where} is missing "${k}"`);
    return out;
  }

  private addGroup(params: Tensor[], options: Record<string, unknown>, where: string): void {
    const prefix = where === "" ? "" : `${where}.`;
    this.checkKeys(options, where, true);
    const seen = new Map<Tensor, string>();
    this.paramGroups.forEach((g, gi) => g.params.forEach((p, pi) => seen.set(p, `paramGroups[${gi}].params[${pi}]`)));
    params.forEach((p, i) => {
      const at = `${prefix}params[${i}]`;
      const before = seen.get(p);
      if (before !== undefined) {
        this.fail(`${at} is the same tensor as ${before}; a parameter can appear only once, in one group`);
      }
      seen.set(p, at);
    });
    const group = { ...this.defaults, ...defined(options), params } as ParamGroup<H>;
    if (Array.isArray((group as Record<string, unknown>).betas)) {
      (group as Record<string, unknown>).betas = [...((group as Record<string, unknown>).betas as number[])];
    }
    this.validate(group, prefix, true);
    this.paramGroups.push(group);
  }

  private checkKeys(options: object, where: string, allowParams: boolean): void {
    for (const k of Object.keys(options)) {
      if (allowParams && k === "params") continue;
      if (!this.optionKeys.includes(k)) {
        this.fail(`${where === "" ? "" : `${where}: `}unknown option "${k}" (options: ${this.optionKeys.join(", ")})`);
      }
    }
  }

  private normalizeParams(params: unknown, groupWhere?: string): Array<{ params: Tensor[]; options: Record<string, unknown>; where: string }> {
    const what = "params must be an iterable of Tensors or of parameter groups { params, ...options }";
    if (params instanceof Tensor) this.fail(`${what}, got a single Tensor (wrap it in an array)`);
    if (params === null || typeof params !== "object" || typeof (params as Iterable<unknown>)[Symbol.iterator] !== "function") {
      this.fail(`${what}, got ${show(params)}`);
    }
    const items = [...(params as Iterable<unknown>)];
    if (items.length === 0) this.fail("got an empty parameter list");
    if (groupWhere === undefined && items[0] instanceof Tensor) {
      return [{ params: items.map((p, i) => this.checkParam(p, `params[${i}]`)), options: {}, where: "" }];
    }
    return items.map((g, gi) => {
      const where = groupWhere ?? `paramGroups[${gi}]`;
      if (g === null || typeof g !== "object" || g instanceof Tensor || !("params" in g)) {
        this.fail(`${where} must be a parameter group { params, ...options }${g instanceof Tensor ? " (do not mix Tensors and groups)" : ""}, got ${show(g)}`);
      }
      const { params: ps, ...options } = g as { params: unknown };
      let list: unknown[];
      if (ps instanceof Tensor) list = [ps];
      else if (ps !== null && typeof ps === "object" && typeof (ps as Iterable<unknown>)[Symbol.iterator] === "function") list = [...(ps as Iterable<unknown>)];
      else this.fail(`${where}.params must be a Tensor or an iterable of Tensors, got ${show(ps)}`);
      if (list.length === 0) this.fail(`${where}.params is empty`);
      return { params: list.map((p, i) => this.checkParam(p, `${where}.params[${i}]`)), options, where };
    });
  }

  private checkParam(p: unknown, where: string): Tensor {
    if (!(p instanceof Tensor)) this.fail(`${where} must be a Tensor, got ${show(p)}`);
    if (!p.requiresGrad) this.fail(`${where} does not require grad (shape ${fmtShape(p.shape)}); only tensors with requiresGrad can be optimized`);
    if (!p.isLeaf) this.fail(`${where} is not a leaf tensor (it was computed by ${p.gradFn?.name}); optimize the leaves it came from`);
    return p;
  }
}

// ---------------------------------------------------------------- validation helpers

/** A value for messages: numbers and strings as written, others by kind. */
export function show(v: unknown): string {
  if (v === undefined) return "undefined";
  if (v === null) return "null";
  if (typeof v === "number") return String(v);
  if (typeof v === "string") return JSON.stringify(v);
  if (typeof v === "boolean") return String(v);
  if (v instanceof Tensor) return `a Tensor of shape ${fmtShape(v.shape)}`;
  if (Array.isArray(v)) return `[${v.map(show).join(", ")}]`;
  if (typeof v === "object") return (v as object).constructor?.name ?? "an object";
  return typeof v;
}

/** Throws unless v is a finite number ≥ 0: `Adam: lr must be a non-negative number, got -1`. */
export function checkNonNegative(name: string, key: string, v: unknown): void {
  if (typeof v !== "number" || !Number.isFinite(v) || v < 0) fail(name, `${key} must be a non-negative number, got ${show(v)}`);
}

/** Throws unless v is a number in [lo, hi) (or [lo, hi] when closed). */
export function checkInRange(name: string, key: string, v: unknown, lo: number, hi: number, closed = false): void {
  const ok = typeof v === "number" && v >= lo && (closed ? v <= hi : v < hi);
  if (!ok) fail(name, `${key} must be in [${lo}, ${hi}${closed ? "]" : ")"}, got ${show(v)}`);
}

export function checkBoolean(name: string, key: string, v: unknown): void {
  if (typeof v !== "boolean") fail(name, `${key} must be a boolean, got ${show(v)}`);
}

export function checkNumber(name: string, key: string, v: unknown): void {
  if (typeof v !== "number" || !Number.isFinite(v)) fail(name, `${key} must be a finite number, got ${show(v)}`);
}

/** The options without keys whose value is undefined (so `{ lr: undefined }` keeps the default). */
function defined(o: object): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) out[k] = v;
  return out;
}

function copyHyper(h: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(h)) out[k] = Array.isArray(v) ? [...v] : v;
  return out;
}

function copyState(s: ParamState): ParamState {
  const out: ParamState = {};
  for (const [k, v] of Object.entries(s)) out[k] = v instanceof Tensor ? tensor(v) : v;
  return out;
}

/** A saved buffer (Tensor or typed array) as a fresh tensor of the parameter's shape and dtype. */
function loadBuffer(p: Tensor, v: unknown, where: () => string): Tensor {
  let src: ArrayLike<number>;
  if (v instanceof Tensor) {
    if (v.ndim !== p.ndim || v.shape.some((d, i) => d !== p.shape[i])) {
      fail(where(), `has shape ${fmtShape(v.shape)} but the parameter has shape ${fmtShape(p.shape)}`);
    }
    src = v.data;
  } else if (v instanceof Float32Array || v instanceof Float64Array) {
    if (v.length !== p.numel()) fail(where(), `has ${v.length} elements but the parameter has shape ${fmtShape(p.shape)} (${p.numel()} elements)`);
    src = v;
  } else {
    fail(where(), `must be a Tensor or a Float32Array/Float64Array, got ${show(v)}`);
  }
  const out = tensor(new (p.data.constructor as Float32ArrayConstructor)(p.numel()), { shape: p.shape, dtype: p.dtype });
  (out.data as FloatArray).set(src);
  return out;
}
