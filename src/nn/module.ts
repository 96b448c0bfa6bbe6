import { noGrad } from "../core/autograd.js";
import { isFloat } from "../core/dtype.js";
import { fail, fmtShape } from "../core/errors.js";
import { Tensor } from "../core/tensor.js";
import { describe } from "../core/ops/util.js";

/** The dtypes a module's parameters can have. */
export type FloatDType = "float32" | "float64";

/** What every layer's options accept besides its own settings. */
export interface ModuleOptions {
  /** Parameter dtype: "float32" (default) or "float64" (for gradient checks). */
  dtype?: FloatDType;
}

/** A state dict: tensors by dotted name, in PyTorch's order. */
export type StateDict = Record<string, Tensor>;

/** What loadStateDict reports (non-strict loads); a strict load throws instead of returning non-empty lists. */
export interface LoadStateDictResult {
  missingKeys: string[];
  unexpectedKeys: string[];
}

/**
 * The base of every layer and model (PyTorch's nn.Module). A module owns named parameters
 * (trainable leaf tensors), buffers (state such as running means, saved in the state dict
 * unless non-persistent) and child modules, each registered explicitly in the constructor:
 *
 * ```ts
 * class MLP extends nn.Module {
 *   fc1 = this.registerModule("fc1", new nn.Linear(784, 256));
 *   fc2 = this.registerModule("fc2", new nn.Linear(256, 10));
 *   forward(x: Tensor): Tensor { return this.fc2.forward(this.fc1.forward(x).relu()); }
 * }
 * ```
 *
 * Names and order follow PyTorch: `namedParameters()` walks the module tree in preorder,
 * each module's own parameters (in registration order) before its children's, with dotted
 * names (`fc1.weight`); `stateDict()` lists, per module, parameters, then persistent
 * buffers, then children. So weights move between nnzoo and PyTorch without renaming.
 *
 * A registered tensor is also kept on the property of the same name when there is one
 * (`this.weight = this.registerParameter("weight", w)`): `to("float64")` replaces both.
 */
export abstract class Module {
  /** Training mode (dropout active, batch norm on batch statistics); set with train()/eval(). */
  training = true;
  readonly #parameters = new Map<string, Tensor | null>();
  readonly #buffers = new Map<string, Tensor | null>();
  readonly #nonPersistent = new Set<string>();
  readonly #modules = new Map<string, Module>();

  /** The computation; each module declares its own arguments and result. */
  abstract forward(...args: any[]): any;

  /** The module's type name for messages ("LSTM"). */
  get typeName(): string {
    return this.constructor.name;
  }

  // ---- registration ----

  /**
   * Registers a parameter under `name` (no dots) and returns it. The tensor must be a
   * floating-point leaf; it is made to require gradients. `null` registers an absent
   * parameter (e.g. `bias: false`), which PyTorch lists nowhere. Registering an existing
   * name replaces it (weight tying: `dec.registerParameter("weight", enc.weight)`).
   */
  registerParameter(name: string, value: Tensor): Tensor;
  registerParameter(name: string, value: Tensor | null): Tensor | null;
  registerParameter(name: string, value: Tensor | null): Tensor | null {
    this.#checkName("registerParameter", name, this.#parameters);
    if (value !== null) {
      if (!(value instanceof Tensor)) fail(`${this.typeName}.registerParameter`, `parameter "${name}" must be a Tensor or null, got ${describe(value)}`);
      if (!isFloat(value.dtype)) fail(`${this.typeName}.registerParameter`, `parameter "${name}" must be float32 or float64, got ${value.dtype}`);
      if (!value.isLeaf) fail(`${this.typeName}.registerParameter`, `parameter "${name}" must be a leaf tensor (not the result of an op); pass t.detach()`);
      value.requiresGrad = true;
    }
    this.#set(this.#parameters, name, value);
    return value;
  }

  /**
   * Registers a buffer: module state that is not trained (BatchNorm's running_mean). It is
   * in the state dict unless `persistent: false`, and `to(dtype)` converts it if it is float.
   */
  registerBuffer(name: string, value: Tensor, options?: { persistent?: boolean }): Tensor;
  registerBuffer(name: string, value: Tensor | null, options?: { persistent?: boolean }): Tensor | null;
  registerBuffer(name: string, value: Tensor | null, options: { persistent?: boolean } = {}): Tensor | null {
    this.#checkName("registerBuffer", name, this.#buffers);
    if (value !== null && !(value instanceof Tensor)) fail(`${this.typeName}.registerBuffer`, `buffer "${name}" must be a Tensor or null, got ${describe(value)}`);
    this.#set(this.#buffers, name, value);
    if (options.persistent === false) this.#nonPersistent.add(name);
    else this.#nonPersistent.delete(name);
    return value;
  }

  /** Registers a child module under `name` and returns it. */
  registerModule<M extends Module>(name: string, module: M): M {
    this.#checkName("registerModule", name, this.#modules);
    if (!(module instanceof Module)) fail(`${this.typeName}.registerModule`, `"${name}" must be a Module, got ${describe(module)}`);
    this.#set(this.#modules, name, module);
    return module;
  }

  #checkName(op: string, name: string, own: Map<string, unknown>): void {
    if (typeof name !== "string" || name === "" || name.includes(".")) fail(`${this.typeName}.${op}`, `name must be a non-empty string without dots, got ${JSON.stringify(name)}`);
    for (const [kind, map] of [["parameter", this.#parameters], ["buffer", this.#buffers], ["module", this.#modules]] as const) {
      if (map !== own && map.has(name)) fail(`${this.typeName}.${op}`, `"${name}" is already registered as a ${kind}`);
    }
  }

  /** Stores a registration and keeps a same-named property pointing at it. */
  #set<V>(map: Map<string, V>, name: string, value: V): void {
    const old = map.get(name);
    map.set(name, value);
    const self = this as unknown as Record<string, unknown>;
    if (old !== undefined && old !== null && self[name] === old) self[name] = value;
  }

  // ---- traversal ----

  /** This module's own parameters (not its children's), as [name, tensor], absent ones skipped. */
  ownParameters(): Array<[string, Tensor]> {
    return [...this.#parameters].filter((e): e is [string, Tensor] => e[1] !== null);
  }

  /** This module's own buffers, as [name, tensor]. */
  ownBuffers(): Array<[string, Tensor]> {
    return [...this.#buffers].filter((e): e is [string, Tensor] => e[1] !== null);
  }

  /** Direct children as [name, module], in registration order (duplicates kept; Sequential runs them all). */
  ownModules(): Array<[string, Module]> {
    return [...this.#modules];
  }

  /** Every module of the tree in preorder, this one first under the name "" (each module once). */
  namedModules(prefix = ""): Array<[string, Module]> {
    const out: Array<[string, Module]> = [];
    const seen = new Set<Module>();
    const stack: Array<[string, Module]> = [[prefix, this]];
    while (stack.length > 0) {
      const [name, m] = stack.pop()!;
      if (seen.has(m)) continue;
      seen.add(m);
      out.push([name, m]);
      const kids = m.ownModules();
      for (let i = kids.length - 1; i >= 0; i--) stack.push([name === "" ? kids[i][0] : `${name}.${kids[i][0]}`, kids[i][1]]);
    }
    return out;
  }

  modules(): Module[] {
    return this.namedModules().map((e) => e[1]);
  }

  /** Direct children as [name, module] (each module once). */
  namedChildren(): Array<[string, Module]> {
    const seen = new Set<Module>();
    const out: Array<[string, Module]> = [];
    for (const [name, m] of this.ownModules()) {
      if (seen.has(m)) continue;
      seen.add(m);
      out.push([name, m]);
    }
    return out;
  }

  children(): Module[] {
    return this.namedChildren().map((e) => e[1]);
  }

  /**
   * All parameters as [dotted name, tensor] in PyTorch's order (preorder over modules, own
   * parameters first); a parameter shared by two modules appears once, under its first name.
   */
  namedParameters(): Array<[string, Tensor]> {
    return this.#namedTensors((m) => m.ownParameters());
  }

  parameters(): Tensor[] {
    return this.namedParameters().map((e) => e[1]);
  }

  /** All buffers as [dotted name, tensor] (persistent or not). */
  namedBuffers(): Array<[string, Tensor]> {
    return this.#namedTensors((m) => m.ownBuffers());
  }

  buffers(): Tensor[] {
    return this.namedBuffers().map((e) => e[1]);
  }

  #namedTensors(own: (m: Module) => Array<[string, Tensor]>): Array<[string, Tensor]> {
    const out: Array<[string, Tensor]> = [];
    const seen = new Set<Tensor>();
    for (const [prefix, m] of this.namedModules()) {
      for (const [name, t] of own(m)) {
        if (seen.has(t)) continue;
        seen.add(t);
        out.push([prefix === "" ? name : `${prefix}.${name}`, t]);
      }
    }
    return out;
  }

  /** The module at a dotted path ("encoder.0"); "" is this module. */
  getSubmodule(target: string): Module {
    let m: Module = this;
    if (target === "") return m;
    for (const part of target.split(".")) {
      const next = m.#modules.get(part);
      if (next === undefined) fail(`${this.typeName}.getSubmodule`, `${m.typeName} has no child "${part}" (in "${target}")`);
      m = next;
    }
    return m;
  }

  /** The parameter at a dotted path ("lstm.weight_ih_l0"). */
  getParameter(target: string): Tensor {
    const [path, name] = splitLast(target);
    const t = this.getSubmodule(path).#parameters.get(name);
    if (!t) fail(`${this.typeName}.getParameter`, `no parameter "${target}"`);
    return t;
  }

  /** The buffer at a dotted path ("bn.running_mean"). */
  getBuffer(target: string): Tensor {
    const [path, name] = splitLast(target);
    const t = this.getSubmodule(path).#buffers.get(name);
    if (!t) fail(`${this.typeName}.getBuffer`, `no buffer "${target}"`);
    return t;
  }

  /** Calls fn on every module, children before parents (PyTorch's apply); returns this. */
  apply(fn: (m: Module) => void): this {
    for (const m of this.children()) m.apply(fn);
    fn(this);
    return this;
  }

  // ---- modes, gradients, dtype ----

  /** Sets training mode on this module and every descendant; returns this. */
  train(mode = true): this {
    for (const m of this.modules()) m.training = mode;
    return this;
  }

  /** Evaluation mode: train(false). */
  eval(): this {
    return this.train(false);
  }

  /** Sets every parameter's grad to null (PyTorch 2's set_to_none default). */
  zeroGrad(): void {
    for (const p of this.parameters()) p.grad = null;
  }

  /**
   * Converts every float parameter and buffer to `dtype` (new tensors, gradients dropped),
   * in place on the module tree; returns this. Do it before handing parameters to an
   * optimizer, which keeps references to the old ones.
   */
  to(dtype: FloatDType): this {
    if (dtype !== "float32" && dtype !== "float64") fail(`${this.typeName}.to`, `dtype must be "float32" or "float64", got ${JSON.stringify(dtype)}`);
    const converted = new Map<Tensor, Tensor>();
    const convert = (t: Tensor): Tensor => {
      if (!isFloat(t.dtype) || t.dtype === dtype) return t;
      let n = converted.get(t);
      if (n === undefined) {
        n = noGrad(() => t.detach().to(dtype));
        if (t.requiresGrad) n.requiresGrad = true;
        converted.set(t, n);
      }
      return n;
    };
    for (const m of this.modules()) {
      for (const [name, t] of m.ownParameters()) m.#set(m.#parameters, name, convert(t));
      for (const [name, t] of m.ownBuffers()) m.#set(m.#buffers, name, convert(t));
    }
    return this;
  }

  double(): this {
    return this.to("float64");
  }

  float(): this {
    return this.to("float32");
  }

  // ---- state dict ----

  /**
   * Parameters and persistent buffers by dotted name, in PyTorch's state_dict order. The
   * values share storage with the module (detached): copy them if you keep them across
   * training steps.
   */
  stateDict(): StateDict {
    const out: StateDict = {};
    const visit = (m: Module, prefix: string) => {
      for (const [name, t] of m.ownParameters()) out[prefix + name] = t.detach();
      for (const [name, t] of m.ownBuffers()) if (!m.#nonPersistent.has(name)) out[prefix + name] = t.detach();
      for (const [name, child] of m.ownModules()) visit(child, `${prefix}${name}.`);
    };
    visit(this, "");
    return out;
  }

  /**
   * Copies values from `dict` into this module's parameters and buffers (in place, so
   * optimizers keep their references; dtypes convert). Shapes must match. With `strict`
   * (the default) the keys must match exactly; otherwise missing and unexpected keys are
   * returned. Nothing is copied unless every check passes; the error lists every missing,
   * unexpected and mis-shaped key.
   */
  loadStateDict(dict: StateDict | Map<string, Tensor>, options: { strict?: boolean } = {}): LoadStateDictResult {
    const op = `${this.typeName}.loadStateDict`;
    const strict = options.strict ?? true;
    if (dict === null || typeof dict !== "object") fail(op, `dict must be an object of tensors, got ${describe(dict)}`);
    const given = dict instanceof Map ? dict : new Map(Object.entries(dict));
    const own = new Map(Object.entries(this.stateDict()));
    const missingKeys = [...own.keys()].filter((k) => !given.has(k));
    const unexpectedKeys = [...given.keys()].filter((k) => !own.has(k));
    const problems: string[] = [];
    if (strict && missingKeys.length > 0) problems.push(`missing keys: ${missingKeys.map((k) => `"${k}"`).join(", ")}`);
    if (strict && unexpectedKeys.length > 0) problems.push(`unexpected keys: ${unexpectedKeys.map((k) => `"${k}"`).join(", ")}`);
    for (const [key, target] of own) {
      const src = given.get(key);
      if (src === undefined) continue;
      if (!(src instanceof Tensor)) problems.push(`"${key}" is ${describe(src)}, not a Tensor`);
      else if (src.shape.length !== target.shape.length || src.shape.some((s, i) => s !== target.shape[i])) {
        problems.push(`size mismatch for "${key}": the dict has ${fmtShape(src.shape)}, the module has ${fmtShape(target.shape)}`);
      }
    }
    if (problems.length > 0) fail(op, `cannot load the state dict into ${this.typeName}:\n  ${problems.join("\n  ")}`);
    for (const [key, target] of own) {
      const src = given.get(key);
      if (src !== undefined) target.data.set(src.data);
    }
    return { missingKeys, unexpectedKeys };
  }

  // ---- printing ----

  /** Extra text shown between the parentheses, e.g. "3, 4, bias=true". */
  extraRepr(): string {
    return "";
  }

  toString(): string {
    const kids = this.ownModules();
    if (kids.length === 0) return `${this.typeName}(${this.extraRepr()})`;
    const lines = kids.map(([name, m]) => `  (${name}): ${m.toString().split("\n").join("\n  ")}`);
    const extra = this.extraRepr();
    return `${this.typeName}(${extra ? `\n  ${extra}` : ""}\n${lines.join("\n")}\n)`;
  }

  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return this.toString();
  }
}

function splitLast(target: string): [string, string] {
  const i = target.lastIndexOf(".");
  return i < 0 ? ["", target] : [target.slice(0, i), target.slice(i + 1)];
}

/**
 * Runs modules one after another: forward(x) = mₙ(…m₂(m₁(x))). Children are named "0",
 * "1", … as in PyTorch, so `Sequential(Linear, ReLU, Linear)` has keys `0.weight`, `2.bias`.
 *
 * ```ts
 * const mlp = new nn.Sequential(new nn.Linear(2, 64), new nn.Tanh(), new nn.Linear(64, 1));
 * const y = mlp.forward(x);   // x [batch, 2] → y [batch, 1]
 * ```
 */
export class Sequential extends Module {
  constructor(...modules: Module[]) {
    super();
    modules.forEach((m) => this.append(m));
  }

  /** Adds a module at the end; returns this. */
  append(module: Module): this {
    this.registerModule(String(this.length), module);
    return this;
  }

  get length(): number {
    return this.ownModules().length;
  }

  /** The i-th module (negative counts from the end). */
  at(i: number): Module {
    const mods = this.ownModules();
    const m = mods[i < 0 ? i + mods.length : i];
    if (m === undefined) fail("Sequential.at", `index ${i} is out of range for ${mods.length} modules`);
    return m[1];
  }

  [Symbol.iterator](): Iterator<Module> {
    return this.ownModules().map((e) => e[1])[Symbol.iterator]();
  }

  forward(input: any): any {
    let x = input;
    for (const [, m] of this.ownModules()) x = m.forward(x);
    return x;
  }
}

/**
 * A list of modules whose parameters are registered (children "0", "1", …) but which has
 * no forward of its own: index it and call the modules yourself.
 *
 * ```ts
 * const blocks = new nn.ModuleList([new nn.Linear(8, 8), new nn.Linear(8, 8)]);
 * for (const b of blocks) x = b.forward(x).relu();
 * ```
 */
export class ModuleList<M extends Module = Module> extends Module {
  constructor(modules: Iterable<M> = []) {
    super();
    for (const m of modules) this.append(m);
  }

  append(module: M): this {
    this.registerModule(String(this.length), module);
    return this;
  }

  get length(): number {
    return this.ownModules().length;
  }

  at(i: number): M {
    const mods = this.ownModules();
    const m = mods[i < 0 ? i + mods.length : i];
    if (m === undefined) fail("ModuleList.at", `index ${i} is out of range for ${mods.length} modules`);
    return m[1] as M;
  }

  [Symbol.iterator](): Iterator<M> {
    return this.ownModules().map((e) => e[1] as M)[Symbol.iterator]();
  }

  forward(): never {
    return fail("ModuleList.forward", "a ModuleList has no forward; call its modules yourself");
  }
}
