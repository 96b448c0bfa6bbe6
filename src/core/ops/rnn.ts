import { record } from "../autograd.js";
import type { TypedArray } from "../dtype.js";
import { fail, fmtShape } from "../errors.js";
import type { Tensor } from "../tensor.js";
import type { CellStep } from "../../kernels/backend.js";
import { getBackend } from "../../kernels/registry.js";
import { checkFloat, checkTensor, empty, wrap } from "./util.js";

/** The cell a scan runs: LSTM, GRU, or Elman RNN with tanh or relu. */
export type RecurrentMode = "lstm" | "gru" | "rnnTanh" | "rnnRelu";

/** Gates per mode: W_hh is [G·H, H] and xProj [T, B, G·H]. */
export const GATE_COUNT: Readonly<Record<RecurrentMode, number>> = { lstm: 4, gru: 3, rnnTanh: 1, rnnRelu: 1 };

/**
 * What a scan can leave behind for inspection (the Lab's gate pictures, gradient-flow plots).
 * Forward fills h, c and gates; backward fills gradH. All are indexed by time, not by
 * processing order.
 */
export interface ScanRecord {
  /** Hidden state after each step, [T, B, H] (at padded steps: the carried state). */
  h?: Tensor;
  /** LSTM cell state after each step, [T, B, H]. */
  c?: Tensor;
  /** Gate activations, [T, B, G, H]: LSTM (i, f, g, o), GRU (r, z, n); zero at padded steps. */
  gates?: Tensor;
  /** Total ∂L/∂h_t for every t (through the output and through later steps), [T, B, H]; set by backward. */
  gradH?: Tensor;
}

/** Options of recurrentScan. */
export interface ScanOptions {
  /** Run from the last step to the first (the reverse direction of a bidirectional layer). */
  reverse?: boolean;
  /** Per-row sequence lengths (0 ≤ length ≤ T), or null for full length. */
  lengths?: Int32Array | null;
  /** Filled with per-step states, gates and (after backward) gradients. */
  record?: ScanRecord | null;
}

/** What recurrentScan returns (views of one packed output tensor). */
export interface ScanResult {
  /** Outputs y_t, [T, B, H]; zero past each row's length. */
  output: Tensor;
  /** Final hidden state, [B, H]. */
  h: Tensor;
  /** Final cell state (LSTM), [B, H]; null otherwise. */
  c: Tensor | null;
}

/**
 * One recurrent layer, one direction, all time steps: the fused primitive behind nn.RNN,
 * nn.LSTM and nn.GRU (cuDNN's split). The caller computes the input projection for every
 * step at once, xProj = x·W_ihᵀ + b_ih ([T, B, G·H], one GEMM); the scan runs only the
 * recurrent product h·W_hhᵀ per step and hands the gate arithmetic to the backend's cell
 * kernel (src/kernels/js/rnn.ts holds the equations):
 *
 *   LSTM  i,f,g,o = σ,σ,tanh,σ(xProj_t + W_hh·h + b_hh);  c = f⊙c + i⊙g;  h = o⊙tanh(c)
 *   GRU   r,z = σ(x_{r,z} + W_h{r,z}·h + b_h{r,z});  n = tanh(x_n + r⊙(W_hn·h + b_hn));  h = (1−z)⊙n + z⊙h
 *   RNN   h = tanh or relu(xProj_t + W_hh·h + b_hh)
 *
 * Backward is back-propagation through time, forward and backward side by side below:
 * per step the cell's backward kernel and one GEMM for ∂L/∂h_{t−1}; after the loop one
 * GEMM each for ∂L/∂W_hh = Σ_t δ_tᵀ·h_{t−1} and a column sum for ∂L/∂b_hh.
 *
 * With `lengths`, row b runs only for t < lengths[b]: later outputs are zero and its final
 * state is the one after its own last step; reversed, it starts at its own end (what
 * PyTorch's packed sequences give).
 *
 * - mode; xProj `[time, batch, G·H]`; wHh `[G·H, H]`; bHh `[G·H]` or null; h0, c0 `[batch, H]`
 *   (c0 null unless LSTM); options `{ reverse, lengths, record }`
 * - returns `{ output [time, batch, H], h [batch, H], c [batch, H] | null }`
 *
 * ```ts
 * const xProj = nn.functional.linear(x, wIh, bIh);          // [T, B, 4H]: all steps in one GEMM
 * const { output, h, c } = recurrentScan("lstm", xProj, wHh, bHh, h0, c0, { lengths });
 * ```
 */
export function recurrentScan(mode: RecurrentMode, xProj: Tensor, wHh: Tensor, bHh: Tensor | null, h0: Tensor, c0: Tensor | null, options: ScanOptions = {}): ScanResult {
  const op = "recurrentScan";
  const G = GATE_COUNT[mode] ?? fail(op, `mode must be "lstm", "gru", "rnnTanh" or "rnnRelu", got ${JSON.stringify(mode)}`);
  const lstm = mode === "lstm", gru = mode === "gru", relu = mode === "rnnRelu";
  checkTensor(op, "xProj", xProj);
  checkTensor(op, "wHh", wHh);
  checkTensor(op, "h0", h0);
  checkFloat(op, "xProj", xProj);
  if (wHh.ndim !== 2 || wHh.shape[0] !== G * wHh.shape[1]) fail(op, `wHh must be [${G}·H, H], got ${fmtShape(wHh.shape)}`);
  const H = wHh.shape[1], GH = G * H;
  if (xProj.ndim !== 3 || xProj.shape[2] !== GH) fail(op, `xProj must be [T, B, ${GH}], got ${fmtShape(xProj.shape)}`);
  const [T, B] = xProj.shape;
  if (T < 1) fail(op, `xProj must have at least one time step, got ${fmtShape(xProj.shape)}`);
  const same = (name: string, t: Tensor | null, shape: number[]) => {
    if (t === null) return;
    checkTensor(op, name, t);
    if (t.ndim !== shape.length || t.shape.some((s, i) => s !== shape[i])) fail(op, `${name} must be ${fmtShape(shape)}, got ${fmtShape(t.shape)}`);
    if (t.dtype !== xProj.dtype) fail(op, `${name} is ${t.dtype} but xProj is ${xProj.dtype}`);
  };
  same("wHh", wHh, [GH, H]);
  same("bHh", bHh, [GH]);
  same("h0", h0, [B, H]);
  if (lstm && c0 === null) fail(op, "an LSTM scan needs c0");
  same("c0", lstm ? c0 : null, [B, H]);
  const lengths = options.lengths ?? null;
  if (lengths !== null && (lengths.length !== B || lengths.some((n) => n < 0 || n > T))) fail(op, `lengths must hold ${B} values in [0, ${T}]`);
  const reverse = options.reverse ?? false;

  const be = getBackend();
  const dt = xProj.dtype;
  const BH = B * H, BG = B * GH;
  const at = (a: TypedArray, t: number, n: number) => a.subarray(t * n, (t + 1) * n);
  const timeOf = (k: number) => (reverse ? T - 1 - k : k);
  const step = (t: number): CellStep => ({ batch: B, hidden: H, t, lengths });
  const P = xProj.data, W = wHh.data, bias = bHh === null ? null : bHh.data;

  // ---- forward: saved per step (by time index) for backward and for inspection ----
  const packed = empty([T + (lstm ? 2 : 1), B, H], dt); // y_0..y_{T−1}, h_T, (c_T)
  const Hs = be.alloc(dt, T * BH);
  const Cs = lstm ? be.alloc(dt, T * BH) : null;
  const act = lstm || gru ? be.alloc(dt, T * BG) : null;
  const hnSaved = gru ? be.alloc(dt, T * BH) : null;
  const work = be.alloc(dt, gru ? BG : lstm ? 0 : BH);
  let hPrev = h0.data, cPrev = lstm ? c0!.data : null;
  // A backend may run the whole loop in one call (W_hh copied once, not once per step).
  const fusedForward = be.scanForward?.({
    mode, T, B, H, reverse, lengths, wHh: W, xProj: P, bHh: bias, h0: h0.data, c0: lstm ? c0!.data : null,
    hs: Hs, cs: Cs, act, hn: hnSaved, y: packed.data,
  }) ?? false;
  if (fusedForward) {
    hPrev = at(Hs, timeOf(T - 1), BH);
    if (lstm) cPrev = at(Cs!, timeOf(T - 1), BH);
  }
  for (let k = 0; k < (fusedForward ? 0 : T); k++) {
    const t = timeOf(k);
    const h = at(Hs, t, BH), y = at(packed.data, t, BH);
    if (lstm) {
      const gates = at(act!, t, BG);
      gates.set(at(P, t, BG));
      be.gemm(hPrev, 0, W, 0, gates, 0, B, GH, H, false, true, true);
      const c = at(Cs!, t, BH);
      be.lstmCell(gates, bias, cPrev!, hPrev, c, h, y, step(t));
      cPrev = c;
    } else if (gru) {
      be.gemm(hPrev, 0, W, 0, work, 0, B, GH, H, false, true, false);
      be.gruCell(at(P, t, BG), work, bias, hPrev, at(act!, t, BG), at(hnSaved!, t, BH), h, y, step(t));
    } else {
      work.set(at(P, t, BG));
      be.gemm(hPrev, 0, W, 0, work, 0, B, GH, H, false, true, true);
      be.rnnCell(work, bias, hPrev, h, y, relu, step(t));
    }
    hPrev = h;
  }
  at(packed.data, T, BH).set(hPrev);
  if (lstm) at(packed.data, T + 1, BH).set(cPrev!);

  const rec = options.record ?? null;
  if (rec !== null) {
    rec.h = wrap(Hs, [T, B, H], dt);
    if (lstm) rec.c = wrap(Cs!, [T, B, H], dt);
    if (act !== null) rec.gates = wrap(act, [T, B, G, H], dt);
  }

  // ---- backward: through time, in the opposite order ----
  const inputs = [xProj, wHh, ...(bHh ? [bHh] : []), h0, ...(lstm ? [c0!] : [])];
  const out = record("recurrentScan", packed, inputs, (g) => {
    const gd = g.data;
    const dP = empty([T, B, GH], dt);
    let dh = be.alloc(dt, BH), dhPrev = be.alloc(dt, BH);
    dh.set(at(gd, T, BH));
    const dc = lstm ? at(gd, T + 1, BH).slice() : null;
    const gradH = rec !== null ? be.alloc(dt, T * BH) : null;
    const dW: Tensor | null = wHh.requiresGrad ? empty([GH, H], dt) : null;
    const dB: Tensor | null = bHh !== null && bHh.requiresGrad ? empty([GH], dt) : null;
    const fusedBackward = be.scanBackward?.({
      mode, T, B, H, reverse, lengths, wHh: W, h0: h0.data, c0: lstm ? c0!.data : null, hs: Hs, cs: Cs, act, hn: hnSaved,
      gy: gd, dh, dc, dP: dP.data, dGh: null, gradH, dW: dW?.data ?? null, dB: dB?.data ?? null,
    }) ?? false;
    // ∂L/∂(W_hh·h + b_hh): the same as ∂L/∂xProj except for GRU's n gate.
    const dGh = gru && !fusedBackward ? be.alloc(dt, T * BG) : dP.data;
    for (let k = T - 1; k >= (fusedBackward ? T : 0); k--) {
      const t = timeOf(k);
      const hPrevT = k > 0 ? at(Hs, timeOf(k - 1), BH) : h0.data;
      const dy = at(gd, t, BH), dGx = at(dP.data, t, BG);
      if (lstm) {
        const cPrevT = k > 0 ? at(Cs!, timeOf(k - 1), BH) : c0!.data;
        be.lstmCellBackward(at(act!, t, BG), cPrevT, at(Cs!, t, BH), dy, dh, dc!, dGx, dhPrev, step(t));
      } else if (gru) {
        be.gruCellBackward(at(act!, t, BG), at(hnSaved!, t, BH), hPrevT, dy, dh, dGx, at(dGh, t, BG), dhPrev, step(t));
      } else {
        be.rnnCellBackward(at(Hs, t, BH), dy, dh, dGx, dhPrev, relu, step(t));
      }
      if (gradH !== null) at(gradH, t, BH).set(dh);
      be.gemm(dGh, t * BG, W, 0, dhPrev, 0, B, H, GH, false, false, true); // ∂L/∂h_{t−1} += δ_t·W_hh
      [dh, dhPrev] = [dhPrev, dh];
    }
    if (rec !== null) rec.gradH = wrap(gradH!, [T, B, H], dt);

    if (dW !== null && !fusedBackward) {
      // ∂L/∂W_hh = Σ_t δ_tᵀ·h_{t−1}: the first processed step saw h0, every other step the
      // state at its neighbour in time, so two GEMMs cover all steps without copying.
      if (T > 1) {
        const [dOff, hOff] = reverse ? [0, BH] : [BG, 0];
        be.gemm(dGh, dOff, Hs, hOff, dW.data, 0, GH, H, (T - 1) * B, true, false, false);
      }
      be.gemm(dGh, timeOf(0) * BG, h0.data, 0, dW.data, 0, GH, H, B, true, false, true);
    }
    if (dB !== null && !fusedBackward) be.reduce("sum", dGh, 1, T * B, GH, dB.data);
    const grads: Array<Tensor | null> = [xProj.requiresGrad ? dP : null, dW];
    if (bHh) grads.push(dB);
    grads.push(h0.requiresGrad ? wrap(dh, [B, H], dt) : null);
    if (lstm) grads.push(c0!.requiresGrad ? wrap(dc!, [B, H], dt) : null);
    return grads;
  });
  return {
    output: out.narrow(0, 0, T),
    h: out.select(0, T),
    c: lstm ? out.select(0, T + 1) : null,
  };
}
