/**
 * The fused recurrent scan of the `wasm` backend (Backend.scanForward / scanBackward): one
 * arena session per scan instead of one per kernel call. The per-step loop in
 * src/core/ops/rnn.ts copies W_hh ([G·H, H], 1 MB for W1's LSTM) into the arena for every
 * step's GEMM, forward and backward, and the gates in and out around every cell kernel; here
 * W_hh, the projections and the saved states are copied in once, the steps run on arena
 * addresses (the same GEMM and cell kernels), and the results are copied out once.
 *
 * W_hh is also laid out for the GEMM's in-place path (wasm/assembly/gemm.ts reads B without
 * packing when C has few rows and B's row stride is an odd number of cache lines): forward
 * uses W_hhᵀ [H, G·H], backward W_hh itself, each with such a stride, so no step packs B.
 */
import type { TypedArray } from "../../core/dtype.js";
import type { ScanBackwardArgs, ScanForwardArgs } from "../backend.js";
import { ArenaFull, SPIN, type WasmRuntime } from "./runtime.js";

/** What the scan needs from the backend's GEMM machinery (src/kernels/wasm/index.ts). */
export interface ScanHost {
  /** The runtime for a run of GEMMs of `macs` multiply-adds each, and the worker mask (0: one thread). */
  pick(macs: number): { rt: WasmRuntime; mask: number } | null;
  /** Reports one GEMM's time, so the backend's thread threshold keeps adapting. */
  timed(macs: number, parallel: boolean, ms: number): void;
  /** A row stride ≥ n that is an odd multiple of 16 floats. */
  directStride(n: number): number;
  /** Below this many multiply-adds a GEMM is not timed (too short to time). */
  timeMinMacs(): number;
  /** Counts split GEMMs (the backend's stats). */
  countParallel(): void;
}

const GATES = { lstm: 4, gru: 3, rnnTanh: 1, rnnRelu: 1 } as const;
const isF32 = (a: TypedArray | null): boolean => a === null || a instanceof Float32Array;

/**
 * Runs a GEMM on arena operands (split across the runtime's workers when `mask` is set, by
 * columns of C when B is the larger operand, so it is packed once), timing the big ones. The
 * backend's gemm and convBatch run theirs through here too.
 */
export function gemmOn(host: ScanHost, rt: WasmRuntime, mask: number, a: number, lda: number, transA: boolean, b: number, ldb: number, transB: boolean,
  c: number, m: number, n: number, k: number, accumulate: boolean): void {
  const macs = m * n * k;
  const t0 = macs >= host.timeMinMacs() ? performance.now() : 0;
  if (mask !== 0) {
    host.countParallel();
    rt.k.gemmParallel(rt.ctrl, mask, n >= m ? 1 : 0, SPIN, a, lda, +transA, b, ldb, +transB, c, n, m, n, k, +accumulate);
  } else {
    rt.k.gemmBlock(a, lda, +transA, b, ldb, +transB, c, n, 0, 0, m, n, k, +accumulate, rt.scratch);
  }
  if (t0) host.timed(macs, mask !== 0, performance.now() - t0);
}

/** Copies float32 arrays in; `null` gives address 0. Allocates first, so no view goes stale. */
function putF32(rt: WasmRuntime, a: TypedArray | null): number {
  return a === null ? 0 : rt.put(a as Float32Array);
}

/** Runs `body` in one arena session; false (nothing written) if the arena cannot hold it. */
function session(rt: WasmRuntime, body: () => void): boolean {
  try {
    body();
    return true;
  } catch (e) {
    if (e instanceof ArenaFull) return false;
    throw e;
  } finally {
    rt.reset();
  }
}

/** W [rows, cols] copied in with row stride `ld` (≥ cols), or transposed to [cols, rows] with stride `ld`. */
function putMatrix(rt: WasmRuntime, w: Float32Array, rows: number, cols: number, ld: number, transpose: boolean): number {
  if (!transpose) return rt.putRows(w, 0, rows, cols, ld);
  const p = rt.alloc(cols * ld * 4);
  const f = rt.f32, base = p >> 2;
  for (let r = 0; r < rows; r++) {
    const src = r * cols;
    for (let c = 0, d = base + r; c < cols; c++, d += ld) f[d] = w[src + c];
  }
  return p;
}

export function scanForward(host: ScanHost, s: ScanForwardArgs): boolean {
  const { mode, T, B, H, reverse, lengths } = s;
  if (![s.xProj, s.wHh, s.bHh, s.h0, s.c0, s.hs, s.cs, s.act, s.hn, s.y].every(isF32) || B * H < 16) return false;
  const G = GATES[mode], GH = G * H, BH = B * H, BG = B * GH;
  const lstm = mode === "lstm", gru = mode === "gru";
  const picked = host.pick(B * GH * H);
  if (!picked) return false;
  const { rt, mask } = picked;
  return session(rt, () => {
    const ldw = host.directStride(GH);
    const pW = putMatrix(rt, s.wHh as Float32Array, GH, H, ldw, true); // W_hhᵀ [H, G·H]
    // LSTM and RNN: the projections become the pre-activations in place (LSTM: then the gates).
    const pP = putF32(rt, s.xProj);
    const pBias = putF32(rt, s.bHh);
    const pH0 = putF32(rt, s.h0), pC0 = putF32(rt, s.c0);
    const pLen = lengths === null ? 0 : rt.putInt32(lengths);
    const pHs = rt.alloc(T * BH * 4), pY = rt.alloc(T * BH * 4);
    const pCs = lstm ? rt.alloc(T * BH * 4) : 0;
    const pAct = gru ? rt.alloc(T * BG * 4) : pP, pHn = gru ? rt.alloc(T * BH * 4) : 0;
    const pWork = gru ? rt.alloc(BG * 4) : 0;
    const timeOf = (k: number) => (reverse ? T - 1 - k : k);
    let hPrev = pH0, cPrev = pC0;
    for (let k = 0; k < T; k++) {
      const t = timeOf(k);
      const h = pHs + t * BH * 4, y = pY + t * BH * 4, pre = pP + t * BG * 4;
      if (lstm) {
        gemmOn(host, rt, mask, hPrev, H, false, pW, ldw, false, pre, B, GH, H, true);
        const c = pCs + t * BH * 4;
        rt.k.lstmCell(pre, pBias, cPrev, hPrev, c, h, y, B, H, t, pLen);
        cPrev = c;
      } else if (gru) {
        gemmOn(host, rt, mask, hPrev, H, false, pW, ldw, false, pWork, B, GH, H, false);
        rt.k.gruCell(pre, pWork, pBias, hPrev, pAct + t * BG * 4, pHn + t * BH * 4, h, y, B, H, t, pLen);
      } else {
        gemmOn(host, rt, mask, hPrev, H, false, pW, ldw, false, pre, B, GH, H, true);
        rt.k.rnnCell(pre, pBias, hPrev, h, y, mode === "rnnRelu" ? 1 : 0, B, H, t, pLen);
      }
      hPrev = h;
    }
    rt.refresh();
    rt.get(pHs, s.hs as Float32Array, 0, T * BH);
    rt.get(pY, s.y as Float32Array, 0, T * BH);
    if (lstm) rt.get(pCs, s.cs as Float32Array, 0, T * BH);
    if (s.act !== null) rt.get(pAct, s.act as Float32Array, 0, T * BG);
    if (gru) rt.get(pHn, s.hn as Float32Array, 0, T * BH);
  });
}

export function scanBackward(host: ScanHost, s: ScanBackwardArgs): boolean {
  const { mode, T, B, H, reverse, lengths } = s;
  if (![s.wHh, s.h0, s.c0, s.hs, s.cs, s.act, s.hn, s.gy, s.dh, s.dc, s.dP, s.dGh, s.gradH, s.dW, s.dB].every(isF32) || B * H < 16) return false;
  const G = GATES[mode], GH = G * H, BH = B * H, BG = B * GH;
  const lstm = mode === "lstm", gru = mode === "gru", relu = mode === "rnnRelu" ? 1 : 0;
  const picked = host.pick(B * GH * H);
  if (!picked) return false;
  const { rt, mask } = picked;
  return session(rt, () => {
    const ldw = host.directStride(H);
    const pW = putMatrix(rt, s.wHh as Float32Array, GH, H, ldw, false); // W_hh [G·H, H]
    const pAct = putF32(rt, s.act), pHn = putF32(rt, s.hn);
    const pHs = putF32(rt, s.hs), pCs = putF32(rt, s.cs);
    const pH0 = putF32(rt, s.h0), pC0 = putF32(rt, s.c0);
    const pGy = rt.put((s.gy as Float32Array).subarray(0, T * BH));
    let pdh = putF32(rt, s.dh), pdhPrev = rt.alloc(BH * 4);
    const pdc = putF32(rt, s.dc);
    const pLen = lengths === null ? 0 : rt.putInt32(lengths);
    const pdP = rt.alloc(T * BG * 4);
    const pdGh = gru ? rt.alloc(T * BG * 4) : pdP;
    const pGradH = s.gradH !== null ? rt.alloc(T * BH * 4) : 0;
    const pdW = s.dW !== null ? rt.alloc(GH * H * 4) : 0;
    const pdB = s.dB !== null ? rt.alloc(GH * 4) : 0, pAcc = s.dB !== null ? rt.alloc(GH * 8) : 0;
    const timeOf = (k: number) => (reverse ? T - 1 - k : k);
    for (let k = T - 1; k >= 0; k--) {
      const t = timeOf(k);
      const dy = pGy + t * BH * 4, dGx = pdP + t * BG * 4;
      // dhPrev is overwritten by the cell kernel (the part of ∂L/∂h_{t−1} bypassing W_hh).
      if (lstm) {
        const cPrevT = k > 0 ? pCs + timeOf(k - 1) * BH * 4 : pC0;
        rt.k.lstmCellBackward(pAct + t * BG * 4, cPrevT, pCs + t * BH * 4, dy, pdh, pdc, dGx, pdhPrev, B, H, t, pLen);
      } else if (gru) {
        const hPrevT = k > 0 ? pHs + timeOf(k - 1) * BH * 4 : pH0;
        rt.k.gruCellBackward(pAct + t * BG * 4, pHn + t * BH * 4, hPrevT, dy, pdh, dGx, pdGh + t * BG * 4, pdhPrev, B, H, t, pLen);
      } else {
        rt.k.rnnCellBackward(pHs + t * BH * 4, dy, pdh, dGx, pdhPrev, relu, B, H, t, pLen);
      }
      if (pGradH) rt.f32.copyWithin((pGradH >> 2) + t * BH, pdh >> 2, (pdh >> 2) + BH);
      gemmOn(host, rt, mask, pdGh + t * BG * 4, GH, false, pW, ldw, false, pdhPrev, B, H, GH, true); // ∂L/∂h_{t−1} += δ_t·W_hh
      [pdh, pdhPrev] = [pdhPrev, pdh];
    }
    if (pdW) {
      // ∂L/∂W_hh = Σ_t δ_tᵀ·h_{t−1}, as in src/core/ops/rnn.ts: two GEMMs over the saved states.
      if (T > 1) {
        const [dOff, hOff] = reverse ? [0, BH] : [BG, 0];
        gemmOn(host, rt, mask, pdGh + dOff * 4, GH, true, pHs + hOff * 4, H, false, pdW, GH, H, (T - 1) * B, false);
      }
      gemmOn(host, rt, mask, pdGh + timeOf(0) * BG * 4, GH, true, pH0, H, false, pdW, GH, H, B, T > 1);
    }
    if (pdB) rt.k.reduce(0, pdGh, 1, T * B, GH, pdB, pAcc);
    rt.refresh();
    rt.get(pdP, s.dP as Float32Array, 0, T * BG);
    if (gru && s.dGh !== null) rt.get(pdGh, s.dGh as Float32Array, 0, T * BG);
    if (pGradH) rt.get(pGradH, s.gradH as Float32Array, 0, T * BH);
    rt.get(pdh, s.dh as Float32Array, 0, BH);
    if (lstm) rt.get(pdc, s.dc as Float32Array, 0, BH);
    if (pdW) rt.get(pdW, s.dW as Float32Array, 0, GH * H);
    if (pdB) rt.get(pdB, s.dB as Float32Array, 0, GH);
  });
}
