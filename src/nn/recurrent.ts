import { isFloat } from "../core/dtype.js";
import { fail, fmtShape } from "../core/errors.js";
import { zeros } from "../core/ops/creation.js";
import { dropout } from "../core/ops/dropout.js";
import { GATE_COUNT, recurrentScan, type RecurrentMode, type ScanRecord } from "../core/ops/rnn.js";
import { cat, stack } from "../core/ops/slice.js";
import type { Generator } from "../core/random.js";
import { Tensor } from "../core/tensor.js";
import { badShape, floatDType, isTensor, positiveInt, probability } from "./check.js";
import { uniform_ } from "./init.js";
import { linear } from "./linear.js";
import { Module, type FloatDType, type ModuleOptions } from "./module.js";

/**
 * The recurrent family with PyTorch's weights, names, gate orders and return shapes.
 *
 *   RNN   h' = tanh(W_ih x + b_ih + W_hh h + b_hh)                    (or relu)
 *   LSTM  i, f, g, o = σ, σ, tanh, σ(W_ih x + b_ih + W_hh h + b_hh)    (four H-blocks, in that order)
 *         c' = f⊙c + i⊙g,   h' = o⊙tanh(c')
 *   GRU   r, z = σ(W_i{r,z} x + b_i{r,z} + W_h{r,z} h + b_h{r,z})
 *         n = tanh(W_in x + b_in + r⊙(W_hn h + b_hn)),   h' = (1 − z)⊙n + z⊙h
 *
 * The cells (RNNCell, LSTMCell, GRUCell) are these equations written with tensor ops, one
 * step per call. The layers (RNN, LSTM, GRU) run whole sequences: per layer and direction
 * one GEMM projects every time step's input (x·W_ihᵀ + b_ih), then the fused scan
 * (src/core/ops/rnn.ts) runs only the recurrent product per step, with the cell arithmetic
 * and its backward in the backend's kernels (src/kernels/js/rnn.ts). Both match PyTorch.
 */

type Nonlinearity = "tanh" | "relu";

function initUniform(m: Module, hiddenSize: number): void {
  const stdv = 1 / Math.sqrt(hiddenSize);
  for (const p of m.parameters()) uniform_(p, -stdv, stdv);
}

// ---------------------------------------------------------------------------------------
// Cells
// ---------------------------------------------------------------------------------------

/** Options of RNNCell, LSTMCell and GRUCell. */
export interface CellOptions extends ModuleOptions {
  /** Learn b_ih and b_hh (default true). */
  bias?: boolean;
}

/** Shared by the cells: PyTorch's four parameters and the input/state checks. */
abstract class CellBase extends Module {
  readonly inputSize: number;
  readonly hiddenSize: number;
  weight_ih: Tensor;
  weight_hh: Tensor;
  bias_ih: Tensor | null;
  bias_hh: Tensor | null;

  constructor(gates: number, inputSize: number, hiddenSize: number, options: CellOptions) {
    super();
    const op = this.typeName;
    this.inputSize = positiveInt(op, "inputSize", inputSize);
    this.hiddenSize = positiveInt(op, "hiddenSize", hiddenSize);
    const dtype = floatDType(op, options.dtype);
    const G = gates * hiddenSize;
    this.weight_ih = this.registerParameter("weight_ih", zeros([G, inputSize], { dtype }));
    this.weight_hh = this.registerParameter("weight_hh", zeros([G, hiddenSize], { dtype }));
    this.bias_ih = this.registerParameter("bias_ih", options.bias === false ? null : zeros([G], { dtype }));
    this.bias_hh = this.registerParameter("bias_hh", options.bias === false ? null : zeros([G], { dtype }));
    this.resetParameters();
  }

  /** Every weight and bias U(−1/√hiddenSize, 1/√hiddenSize), as PyTorch. */
  resetParameters(): void {
    initUniform(this, this.hiddenSize);
  }

  /** Checks x ([batch, inputSize] or [inputSize]) and returns it batched, in the parameters' dtype. */
  protected batchedInput(input: Tensor): [Tensor, boolean] {
    const op = this.typeName;
    isTensor(op, "input", input);
    if (!isFloat(input.dtype)) fail(op, `input must be a float tensor, got ${input.dtype}`);
    if ((input.ndim !== 1 && input.ndim !== 2) || input.shape[input.ndim - 1] !== this.inputSize) {
      badShape(op, "input", `[batch, ${this.inputSize}] or [${this.inputSize}] (inputSize)`, input);
    }
    const x = input.to(this.weight_ih.dtype);
    return input.ndim === 1 ? [x.unsqueeze(0), true] : [x, false];
  }

  /** A state tensor [batch, hiddenSize] (zeros if absent), batched like the input. */
  protected stateTensor(name: string, t: Tensor | null | undefined, batch: number, unbatched: boolean): Tensor {
    const dtype = this.weight_ih.dtype;
    if (t == null) return zeros([batch, this.hiddenSize], { dtype });
    isTensor(this.typeName, name, t);
    const want = unbatched ? [this.hiddenSize] : [batch, this.hiddenSize];
    if (t.ndim !== want.length || t.shape.some((s, i) => s !== want[i])) badShape(this.typeName, name, `${fmtShape(want)} (${unbatched ? "hiddenSize" : "batch, hiddenSize"})`, t);
    return (unbatched ? t.unsqueeze(0) : t).to(dtype);
  }

  override extraRepr(): string {
    return `${this.inputSize}, ${this.hiddenSize}${this.bias_ih ? "" : ", bias=false"}`;
  }
}

function cellArgs(a: number | (CellOptions & { inputSize: number; hiddenSize: number }), b?: number, c?: CellOptions): [number, number, CellOptions] {
  return typeof a === "object" ? [a.inputSize, a.hiddenSize, a] : [a, b as number, c ?? {}];
}

/**
 * One Elman RNN step: h' = tanh(W_ih·x + b_ih + W_hh·h + b_hh) (or relu).
 *
 * - `inputSize`, `hiddenSize`; options `{ bias = true, nonlinearity = "tanh", dtype }`
 * - parameters `weight_ih` `[H, inputSize]`, `weight_hh` `[H, H]`, `bias_ih`, `bias_hh` `[H]`
 * - input `[batch, inputSize]`, h `[batch, H]` (zeros if omitted) → h' `[batch, H]`
 *
 * ```ts
 * const cell = new nn.RNNCell(10, 20);
 * let h = zeros([3, 20]);
 * for (const x of steps) h = cell.forward(x, h);   // x [3, 10]
 * ```
 */
export class RNNCell extends CellBase {
  readonly nonlinearity: Nonlinearity;

  constructor(options: CellOptions & { inputSize: number; hiddenSize: number; nonlinearity?: Nonlinearity });
  constructor(inputSize: number, hiddenSize: number, options?: CellOptions & { nonlinearity?: Nonlinearity });
  constructor(a: number | (CellOptions & { inputSize: number; hiddenSize: number; nonlinearity?: Nonlinearity }), b?: number, c?: CellOptions & { nonlinearity?: Nonlinearity }) {
    const [inputSize, hiddenSize, options] = cellArgs(a, b, c);
    super(1, inputSize, hiddenSize, options);
    this.nonlinearity = checkNonlinearity("RNNCell", (options as { nonlinearity?: Nonlinearity }).nonlinearity);
  }

  forward(input: Tensor, h?: Tensor | null): Tensor {
    const [x, unbatched] = this.batchedInput(input);
    const hPrev = this.stateTensor("h", h, x.shape[0], unbatched);
    const pre = linear(x, this.weight_ih, this.bias_ih).add(linear(hPrev, this.weight_hh, this.bias_hh));
    const hNext = this.nonlinearity === "tanh" ? pre.tanh() : pre.relu();
    return unbatched ? hNext.squeeze(0) : hNext;
  }
}

/**
 * One LSTM step, gates in PyTorch's order i, f, g, o:
 * i, f, g, o = σ, σ, tanh, σ(W_ih·x + b_ih + W_hh·h + b_hh);  c' = f⊙c + i⊙g;  h' = o⊙tanh(c').
 *
 * - `inputSize`, `hiddenSize`; options `{ bias = true, dtype }`
 * - parameters `weight_ih` `[4H, inputSize]`, `weight_hh` `[4H, H]`, `bias_ih`, `bias_hh` `[4H]`
 * - input `[batch, inputSize]`, state `[h, c]` each `[batch, H]` (zeros if omitted) →
 *   `[h', c']`
 *
 * ```ts
 * const cell = new nn.LSTMCell(64, 128);
 * let state: [Tensor, Tensor] | null = null;
 * for (const x of steps) state = cell.forward(x, state);   // decoder loop; h.retainGrad() works
 * ```
 */
export class LSTMCell extends CellBase {
  constructor(options: CellOptions & { inputSize: number; hiddenSize: number });
  constructor(inputSize: number, hiddenSize: number, options?: CellOptions);
  constructor(a: number | (CellOptions & { inputSize: number; hiddenSize: number }), b?: number, c?: CellOptions) {
    super(4, ...cellArgs(a, b, c));
  }

  forward(input: Tensor, state?: readonly [Tensor, Tensor] | null): [Tensor, Tensor] {
    const [x, unbatched] = this.batchedInput(input);
    const h = this.stateTensor("h", state?.[0], x.shape[0], unbatched);
    const c = this.stateTensor("c", state?.[1], x.shape[0], unbatched);
    const gates = linear(x, this.weight_ih, this.bias_ih).add(linear(h, this.weight_hh, this.bias_hh));
    const [i, f, g, o] = gates.chunk(4, 1);
    const cNext = f.sigmoid().mul(c).add(i.sigmoid().mul(g.tanh()));
    const hNext = o.sigmoid().mul(cNext.tanh());
    return unbatched ? [hNext.squeeze(0), cNext.squeeze(0)] : [hNext, cNext];
  }
}

/**
 * One GRU step, gates in PyTorch's order r, z, n, with b_hn inside the reset product:
 * r = σ(W_ir x + b_ir + W_hr h + b_hr), z = σ(W_iz x + b_iz + W_hz h + b_hz),
 * n = tanh(W_in x + b_in + r⊙(W_hn h + b_hn)),  h' = (1 − z)⊙n + z⊙h.
 *
 * - `inputSize`, `hiddenSize`; options `{ bias = true, dtype }`
 * - parameters `weight_ih` `[3H, inputSize]`, `weight_hh` `[3H, H]`, `bias_ih`, `bias_hh` `[3H]`
 * - input `[batch, inputSize]`, h `[batch, H]` (zeros if omitted) → h' `[batch, H]`
 *
 * ```ts
 * const cell = new nn.GRUCell(64, 128);
 * const h1 = cell.forward(x, h0);
 * ```
 */
export class GRUCell extends CellBase {
  constructor(options: CellOptions & { inputSize: number; hiddenSize: number });
  constructor(inputSize: number, hiddenSize: number, options?: CellOptions);
  constructor(a: number | (CellOptions & { inputSize: number; hiddenSize: number }), b?: number, c?: CellOptions) {
    super(3, ...cellArgs(a, b, c));
  }

  forward(input: Tensor, h?: Tensor | null): Tensor {
    const [x, unbatched] = this.batchedInput(input);
    const hPrev = this.stateTensor("h", h, x.shape[0], unbatched);
    const [xr, xz, xn] = linear(x, this.weight_ih, this.bias_ih).chunk(3, 1);
    const [hr, hz, hn] = linear(hPrev, this.weight_hh, this.bias_hh).chunk(3, 1);
    const r = xr.add(hr).sigmoid();
    const z = xz.add(hz).sigmoid();
    const n = xn.add(r.mul(hn)).tanh();
    const hNext = n.add(z.mul(hPrev.sub(n))); // (1 − z)⊙n + z⊙h
    return unbatched ? hNext.squeeze(0) : hNext;
  }
}

function checkNonlinearity(op: string, v: unknown): Nonlinearity {
  const n = v ?? "tanh";
  if (n !== "tanh" && n !== "relu") fail(op, `nonlinearity must be "tanh" or "relu", got ${JSON.stringify(v)}`);
  return n;
}

// ---------------------------------------------------------------------------------------
// Inspection
// ---------------------------------------------------------------------------------------

/**
 * A recorder for what a recurrent layer did at every step. Pass it to forward and read it
 * afterwards; after `loss.backward()` it also holds ∂L/∂h_t for every t — the total
 * gradient (through the output and through later steps), what `h_t.retainGrad()` would give
 * in an unrolled loop — for gradient-flow plots. Every tensor is time-major, `[time, batch, …]`,
 * whatever batchFirst says, and is indexed by time (the reverse direction included).
 *
 * ```ts
 * const trace = new nn.RNNTrace();
 * const [out] = lstm.forward(x, null, { trace });
 * trace.gate("f");                  // forget gate, last layer, [time, batch, hidden]
 * loss.backward();
 * trace.gradNorms();                // ‖∂L/∂h_t‖ for t = 0…T−1
 * ```
 */
export class RNNTrace {
  /** The records of the last forward: `layers[layer][direction]` (direction 0 forward, 1 reverse). */
  layers: ScanRecord[][] = [];
  /** Gate names in storage order: LSTM ["i","f","g","o"], GRU ["r","z","n"], RNN []. */
  gateNames: readonly string[] = [];

  /** @internal Called by the layer at the start of forward. */
  _begin(mode: RecurrentMode): void {
    this.layers = [];
    this.gateNames = mode === "lstm" ? ["i", "f", "g", "o"] : mode === "gru" ? ["r", "z", "n"] : [];
  }

  private entry(layer: number, direction: number): ScanRecord {
    const l = layer < 0 ? layer + this.layers.length : layer;
    const e = this.layers[l]?.[direction];
    if (e === undefined) fail("RNNTrace", `no record for layer ${layer}, direction ${direction} (recorded ${this.layers.length} layers; run forward with { trace } first)`);
    return e;
  }

  /** Hidden state after every step, `[time, batch, hidden]` (default: last layer, forward direction). */
  hidden(layer = -1, direction = 0): Tensor {
    return this.entry(layer, direction).h!;
  }

  /** LSTM cell state after every step, `[time, batch, hidden]`. */
  cell(layer = -1, direction = 0): Tensor {
    return this.entry(layer, direction).c ?? fail("RNNTrace", "only an LSTM has a cell state");
  }

  /** All gate activations, `[time, batch, gate, hidden]` (gate order as gateNames). */
  gates(layer = -1, direction = 0): Tensor {
    return this.entry(layer, direction).gates ?? fail("RNNTrace", "a plain RNN has no gates");
  }

  /** One gate's activations by name ("i", "f", "g", "o" or "r", "z", "n"), `[time, batch, hidden]`. */
  gate(name: string, layer = -1, direction = 0): Tensor {
    const k = this.gateNames.indexOf(name);
    if (k < 0) fail("RNNTrace", `gate must be one of ${JSON.stringify(this.gateNames)}, got ${JSON.stringify(name)}`);
    return this.gates(layer, direction).select(2, k);
  }

  /** ∂L/∂h_t for every t, `[time, batch, hidden]`; null until backward has run. */
  gradHidden(layer = -1, direction = 0): Tensor | null {
    return this.entry(layer, direction).gradH ?? null;
  }

  /** ‖∂L/∂h_t‖₂ over batch and units, for t = 0…T−1; null until backward has run. */
  gradNorms(layer = -1, direction = 0): number[] | null {
    const g = this.gradHidden(layer, direction);
    if (g === null) return null;
    const [T] = g.shape;
    const n = g.numel() / T;
    return Array.from({ length: T }, (_, t) => {
      let s = 0;
      for (let i = t * n; i < (t + 1) * n; i++) s += g.data[i] * g.data[i];
      return Math.sqrt(s);
    });
  }
}

// ---------------------------------------------------------------------------------------
// Layers
// ---------------------------------------------------------------------------------------

/** Options of the LSTM and GRU layers (PyTorch's constructor arguments, camelCased). */
export interface RNNBaseOptions extends ModuleOptions {
  inputSize: number;
  hiddenSize: number;
  /** Stacked layers (default 1). */
  numLayers?: number;
  /** Learn b_ih and b_hh (default true). */
  bias?: boolean;
  /** Input and output are [batch, time, features] instead of [time, batch, features] (states stay [layers·dirs, batch, hidden]). */
  batchFirst?: boolean;
  /** Dropout on each layer's output except the last, while training (default 0). */
  dropout?: number;
  /** Also run each layer backwards and concatenate: outputs get 2·hiddenSize features. */
  bidirectional?: boolean;
  /** Random source for the between-layer dropout. */
  generator?: Generator;
}

/** Options of the RNN layer: LSTM/GRU's plus the nonlinearity. */
export interface RNNOptions extends RNNBaseOptions {
  nonlinearity?: Nonlinearity;
}

/** Per-call options of RNN/LSTM/GRU forward. */
export interface RecurrentForwardOptions {
  /**
   * Each sequence's length (int32 or numbers, one per batch row, each in 0…time). Outputs
   * past a row's length are zero, its final state is the one after its own last step, and
   * the reverse direction starts at its own end — PyTorch's packed-sequence results. The
   * output keeps the input's full time length.
   */
  lengths?: readonly number[] | Int32Array | Tensor;
  /** Instead of lengths: a 0/1 mask shaped like the input's [batch, time] (or [time, batch]) whose ones come first in each row. */
  mask?: Tensor;
  /** Records per-step states and gates (and, after backward, ∂L/∂h_t). */
  trace?: RNNTrace;
}

type LayerNames = { wIh: string; wHh: string; bIh: string | null; bHh: string | null };

/** PyTorch's RNNBase: parameters per layer and direction, shape checks, and the stacked run. */
abstract class RNNBase extends Module {
  readonly mode: RecurrentMode;
  readonly inputSize: number;
  readonly hiddenSize: number;
  readonly numLayers: number;
  readonly bias: boolean;
  readonly batchFirst: boolean;
  readonly dropout: number;
  readonly bidirectional: boolean;
  readonly generator: Generator | undefined;
  /** Parameter names by [layer][direction]: weight_ih_l{k}[_reverse], … */
  readonly weightNames: LayerNames[][] = [];

  constructor(mode: RecurrentMode, options: RNNBaseOptions) {
    super();
    const op = this.typeName;
    if (options === null || typeof options !== "object") fail(op, "expected options { inputSize, hiddenSize, … } or (inputSize, hiddenSize, options)");
    this.mode = mode;
    this.inputSize = positiveInt(op, "inputSize", options.inputSize);
    this.hiddenSize = positiveInt(op, "hiddenSize", options.hiddenSize);
    this.numLayers = positiveInt(op, "numLayers", options.numLayers ?? 1);
    this.bias = options.bias ?? true;
    this.batchFirst = options.batchFirst ?? false;
    this.dropout = probability(op, "dropout", options.dropout ?? 0);
    this.bidirectional = options.bidirectional ?? false;
    this.generator = options.generator;
    const dtype: FloatDType = floatDType(op, options.dtype);
    const G = GATE_COUNT[mode] * this.hiddenSize;
    const dirs = this.bidirectional ? 2 : 1;
    for (let l = 0; l < this.numLayers; l++) {
      const layerIn = l === 0 ? this.inputSize : this.hiddenSize * dirs;
      const row: LayerNames[] = [];
      for (let d = 0; d < dirs; d++) {
        const sfx = `_l${l}${d === 1 ? "_reverse" : ""}`;
        const names: LayerNames = { wIh: `weight_ih${sfx}`, wHh: `weight_hh${sfx}`, bIh: this.bias ? `bias_ih${sfx}` : null, bHh: this.bias ? `bias_hh${sfx}` : null };
        this.registerParameter(names.wIh, zeros([G, layerIn], { dtype }));
        this.registerParameter(names.wHh, zeros([G, this.hiddenSize], { dtype }));
        if (this.bias) {
          this.registerParameter(names.bIh!, zeros([G], { dtype }));
          this.registerParameter(names.bHh!, zeros([G], { dtype }));
        }
        row.push(names);
      }
      this.weightNames.push(row);
    }
    this.resetParameters();
  }

  /** Every weight and bias U(−1/√hiddenSize, 1/√hiddenSize), as PyTorch. */
  resetParameters(): void {
    initUniform(this, this.hiddenSize);
  }

  protected get directions(): number {
    return this.bidirectional ? 2 : 1;
  }

  /** The input layout this module expects, for messages. */
  private layout(features: string): string {
    return this.batchFirst ? `[batch, time, ${features}] (batchFirst)` : `[time, batch, ${features}]`;
  }

  /**
   * Runs all layers and directions. Returns the output (caller's layout), the final
   * hidden states [layers·dirs, batch, H] and, for LSTM, the final cell states.
   */
  protected run(input: Tensor, h0: Tensor | null | undefined, c0: Tensor | null | undefined, options: RecurrentForwardOptions): [Tensor, Tensor, Tensor | null] {
    const op = this.typeName;
    const lstm = this.mode === "lstm";
    isTensor(op, "input", input);
    if (!isFloat(input.dtype)) fail(op, `input must be a float tensor (embed token ids first), got ${input.dtype}`);
    const unbatched = input.ndim === 2;
    if ((input.ndim !== 2 && input.ndim !== 3) || input.shape[input.ndim - 1] !== this.inputSize) {
      badShape(op, "input", input.ndim === 2 ? `[time, ${this.inputSize}] (unbatched)` : this.layout(String(this.inputSize)), input);
    }
    const dtype = this.getParameter(this.weightNames[0][0].wIh).dtype as FloatDType;
    // Time-major [T, B, features] inside.
    let x = unbatched ? input.unsqueeze(1) : this.batchFirst ? input.transpose(0, 1) : input;
    x = x.to(dtype);
    const [T, B] = x.shape;
    if (T === 0) badShape(op, "input", "at least one time step", input);
    const LD = this.numLayers * this.directions;
    const lengths = this.resolveLengths(options, T, B, unbatched);
    if (!lstm && c0 != null) fail(op, "only an LSTM takes a cell state");
    const h = this.initialState("h0", h0, LD, B, unbatched, dtype);
    const c = lstm ? this.initialState("c0", c0, LD, B, unbatched, dtype) : null;
    const trace = options.trace ?? null;
    if (trace !== null && !(trace instanceof RNNTrace)) fail(op, "options.trace must be an nn.RNNTrace");
    trace?._begin(this.mode);

    const hN: Tensor[] = [], cN: Tensor[] = [];
    for (let l = 0; l < this.numLayers; l++) {
      const outs: Tensor[] = [];
      const records: ScanRecord[] = [];
      for (let d = 0; d < this.directions; d++) {
        const names = this.weightNames[l][d];
        const k = l * this.directions + d;
        const record: ScanRecord | null = trace ? {} : null;
        const xProj = linear(x, this.getParameter(names.wIh), names.bIh ? this.getParameter(names.bIh) : null); // [T, B, G·H]: one GEMM
        const res = recurrentScan(this.mode, xProj, this.getParameter(names.wHh), names.bHh ? this.getParameter(names.bHh) : null,
          h.select(0, k), c ? c.select(0, k) : null, { reverse: d === 1, lengths, record });
        outs.push(res.output);
        hN.push(res.h);
        if (res.c) cN.push(res.c);
        if (record) records.push(record);
      }
      trace?.layers.push(records);
      x = outs.length === 1 ? outs[0] : cat(outs, 2);
      if (this.dropout > 0 && this.training && l < this.numLayers - 1) x = dropout(x, this.dropout, true, this.generator);
    }
    let out = x;
    let hOut = stack(hN, 0), cOut = lstm ? stack(cN, 0) : null;
    if (unbatched) {
      out = out.squeeze(1);
      hOut = hOut.squeeze(1);
      cOut = cOut?.squeeze(1) ?? null;
    } else if (this.batchFirst) out = out.transpose(0, 1);
    return [out, hOut, cOut];
  }

  private initialState(name: string, t: Tensor | null | undefined, LD: number, B: number, unbatched: boolean, dtype: FloatDType): Tensor {
    const op = this.typeName;
    const H = this.hiddenSize;
    if (t == null) return zeros([LD, B, H], { dtype });
    isTensor(op, name, t);
    const want = unbatched ? [LD, H] : [LD, B, H];
    if (t.ndim !== want.length || t.shape.some((s, i) => s !== want[i])) {
      badShape(op, name, `${fmtShape(want)} (numLayers·directions, ${unbatched ? "" : "batch, "}hiddenSize)`, t);
    }
    return (unbatched ? t.unsqueeze(1) : t).to(dtype);
  }

  private resolveLengths(options: RecurrentForwardOptions, T: number, B: number, unbatched: boolean): Int32Array | null {
    const op = this.typeName;
    if (options.lengths != null && options.mask != null) fail(op, "give lengths or mask, not both");
    if (options.mask != null) {
      const m = isTensor(op, "mask", options.mask);
      const want = unbatched ? [T] : this.batchFirst ? [B, T] : [T, B];
      if (m.ndim !== want.length || m.shape.some((s, i) => s !== want[i])) badShape(op, "mask", `${fmtShape(want)} (the input's ${unbatched ? "time" : this.batchFirst ? "batch, time" : "time, batch"})`, m);
      const out = new Int32Array(B);
      for (let b = 0; b < B; b++) {
        let len = 0;
        for (let t = 0; t < T; t++) {
          const v = m.data[unbatched ? t : this.batchFirst ? b * T + t : t * B + b];
          if (v !== 0 && len !== t) fail(op, `mask row ${b} is not a prefix mask (a one follows a zero at time ${t}); pass lengths for packed sequences`);
          if (v !== 0) len++;
        }
        out[b] = len;
      }
      return out;
    }
    if (options.lengths == null) return null;
    const raw = options.lengths;
    const values = raw instanceof Tensor ? Array.from(raw.data) : Array.from(raw as ArrayLike<number>);
    if (raw instanceof Tensor && raw.ndim !== 1) badShape(op, "lengths", `[${B}] (batch)`, raw);
    if (values.length !== B) fail(op, `lengths must have one entry per batch row (${B}), got ${values.length}`);
    values.forEach((n, b) => {
      if (!Number.isInteger(n) || n < 0 || n > T) fail(op, `lengths[${b}] must be an integer in [0, ${T}] (the input's time length), got ${n}`);
    });
    return values.every((n) => n === T) ? null : Int32Array.from(values);
  }

  override extraRepr(): string {
    const parts = [`${this.inputSize}, ${this.hiddenSize}`];
    if (this.numLayers !== 1) parts.push(`numLayers=${this.numLayers}`);
    if (!this.bias) parts.push("bias=false");
    if (this.batchFirst) parts.push("batchFirst=true");
    if (this.dropout) parts.push(`dropout=${this.dropout}`);
    if (this.bidirectional) parts.push("bidirectional=true");
    return parts.join(", ");
  }
}

function layerArgs<O extends RNNBaseOptions>(a: number | O, b?: number, c?: Omit<O, "inputSize" | "hiddenSize">): O {
  if (typeof a === "object") return a;
  return { ...(c ?? {}), inputSize: a, hiddenSize: b } as O;
}

/**
 * Elman RNN over whole sequences, stacked and optionally bidirectional:
 * h_t = tanh(W_ih·x_t + b_ih + W_hh·h_{t−1} + b_hh) (or relu), per layer and direction.
 *
 * - options `{ inputSize, hiddenSize, numLayers = 1, nonlinearity = "tanh", bias = true,
 *   batchFirst = false, dropout = 0, bidirectional = false, dtype }` (or
 *   `(inputSize, hiddenSize, options)`)
 * - parameters per layer k (and `_reverse`): `weight_ih_l{k}` `[H, in]`, `weight_hh_l{k}`
 *   `[H, H]`, `bias_ih_l{k}`, `bias_hh_l{k}` `[H]`
 * - input `[time, batch, inputSize]` (`[batch, time, inputSize]` with batchFirst), h0
 *   `[layers·dirs, batch, H]` (zeros if omitted) → `[output, hN]`: output
 *   `[time, batch, dirs·H]` (batchFirst: `[batch, time, dirs·H]`), hN `[layers·dirs, batch, H]`
 * - forward options: `{ lengths, mask, trace }` (see RecurrentForwardOptions, RNNTrace)
 *
 * ```ts
 * const rnn = new nn.RNN({ inputSize: 1, hiddenSize: 128, batchFirst: true });
 * const [out, hN] = rnn.forward(x);   // x [50, 100, 1] → out [50, 100, 128], hN [1, 50, 128]
 * ```
 */
export class RNN extends RNNBase {
  readonly nonlinearity: Nonlinearity;

  constructor(options: RNNOptions);
  constructor(inputSize: number, hiddenSize: number, options?: Omit<RNNOptions, "inputSize" | "hiddenSize">);
  constructor(a: number | RNNOptions, b?: number, c?: Omit<RNNOptions, "inputSize" | "hiddenSize">) {
    const options = layerArgs<RNNOptions>(a, b, c);
    const nonlinearity = checkNonlinearity("RNN", options?.nonlinearity);
    super(nonlinearity === "tanh" ? "rnnTanh" : "rnnRelu", options);
    this.nonlinearity = nonlinearity;
  }

  forward(input: Tensor, h0?: Tensor | null, options: RecurrentForwardOptions = {}): [Tensor, Tensor] {
    const [out, hN] = this.run(input, h0, null, options);
    return [out, hN];
  }

  override extraRepr(): string {
    return super.extraRepr() + (this.nonlinearity === "relu" ? `, nonlinearity="relu"` : "");
  }
}

/**
 * Long short-term memory over whole sequences, stacked and optionally bidirectional. Per
 * layer and direction, with gates in PyTorch's order:
 * i, f, g, o = σ, σ, tanh, σ(W_ih·x_t + b_ih + W_hh·h_{t−1} + b_hh);
 * c_t = f⊙c_{t−1} + i⊙g;  h_t = o⊙tanh(c_t).
 *
 * - options `{ inputSize, hiddenSize, numLayers = 1, bias = true, batchFirst = false,
 *   dropout = 0, bidirectional = false, dtype }` (or `(inputSize, hiddenSize, options)`)
 * - parameters per layer k (and `_reverse`): `weight_ih_l{k}` `[4H, in]`, `weight_hh_l{k}`
 *   `[4H, H]`, `bias_ih_l{k}`, `bias_hh_l{k}` `[4H]` — in = inputSize for k = 0, dirs·H above
 * - input `[time, batch, inputSize]` (`[batch, time, inputSize]` with batchFirst), state
 *   `[h0, c0]` each `[layers·dirs, batch, H]` (zeros if omitted) → `[output, [hN, cN]]`:
 *   output `[time, batch, dirs·H]` (batchFirst: `[batch, time, dirs·H]`), hN, cN
 *   `[layers·dirs, batch, H]` (index layer·dirs + direction)
 * - forward options: `{ lengths, mask, trace }` — variable lengths as packed sequences;
 *   `trace: new nn.RNNTrace()` records h_t, c_t, the gates and, after backward, ∂L/∂h_t
 *
 * ```ts
 * const lstm = new nn.LSTM({ inputSize: 64, hiddenSize: 256, numLayers: 2, batchFirst: true, bidirectional: true });
 * const [out, [hN, cN]] = lstm.forward(x);              // x [32, 64, 64] → out [32, 64, 512]
 * const [o2] = lstm.forward(x, null, { lengths: [64, 50, …] });
 * ```
 */
export class LSTM extends RNNBase {
  constructor(options: RNNBaseOptions);
  constructor(inputSize: number, hiddenSize: number, options?: Omit<RNNBaseOptions, "inputSize" | "hiddenSize">);
  constructor(a: number | RNNBaseOptions, b?: number, c?: Omit<RNNBaseOptions, "inputSize" | "hiddenSize">) {
    super("lstm", layerArgs<RNNBaseOptions>(a, b, c));
  }

  forward(input: Tensor, state?: readonly [Tensor, Tensor] | null, options: RecurrentForwardOptions = {}): [Tensor, [Tensor, Tensor]] {
    if (state != null && (!Array.isArray(state) || state.length !== 2)) fail("LSTM", "state must be [h0, c0] or null");
    const [out, hN, cN] = this.run(input, state?.[0], state?.[1], options);
    return [out, [hN, cN!]];
  }
}

/**
 * Gated recurrent unit over whole sequences, stacked and optionally bidirectional. Per
 * layer and direction, gates in PyTorch's order r, z, n:
 * r, z = σ(W_i{r,z}·x_t + b_i{r,z} + W_h{r,z}·h_{t−1} + b_h{r,z});
 * n = tanh(W_in·x_t + b_in + r⊙(W_hn·h_{t−1} + b_hn));  h_t = (1 − z)⊙n + z⊙h_{t−1}.
 *
 * - options as LSTM; parameters `weight_ih_l{k}` `[3H, in]`, `weight_hh_l{k}` `[3H, H]`,
 *   `bias_ih_l{k}`, `bias_hh_l{k}` `[3H]` (and `_reverse`)
 * - input `[time, batch, inputSize]` (batchFirst: `[batch, time, inputSize]`), h0
 *   `[layers·dirs, batch, H]` → `[output, hN]` as RNN
 * - forward options: `{ lengths, mask, trace }`
 *
 * ```ts
 * const gru = new nn.GRU(64, 64, { batchFirst: true });
 * const [out, hN] = gru.forward(emb.forward(tokens));   // [32, T, 64] → [32, T, 64], [1, 32, 64]
 * ```
 */
export class GRU extends RNNBase {
  constructor(options: RNNBaseOptions);
  constructor(inputSize: number, hiddenSize: number, options?: Omit<RNNBaseOptions, "inputSize" | "hiddenSize">);
  constructor(a: number | RNNBaseOptions, b?: number, c?: Omit<RNNBaseOptions, "inputSize" | "hiddenSize">) {
    super("gru", layerArgs<RNNBaseOptions>(a, b, c));
  }

  forward(input: Tensor, h0?: Tensor | null, options: RecurrentForwardOptions = {}): [Tensor, Tensor] {
    const [out, hN] = this.run(input, h0, null, options);
    return [out, hN];
  }
}
