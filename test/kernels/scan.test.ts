/**
 * The wasm backend's fused recurrent scan (src/kernels/wasm/scan.ts: a whole sequence in one
 * session, W_hh read in place) against the js reference and against the same backend's
 * per-step loop: outputs, final states, every gradient and the traces, for each cell type,
 * both directions, variable lengths, no bias, and both GEMM paths (one and two threads).
 * NNZOO_SCAN_SWEEP=long adds the shapes of the longer sweep (W1's 32×256, a single step).
 */
import { afterAll, describe, expect, it } from "vitest";
import { GATE_COUNT, type RecurrentMode, recurrentScan, type ScanRecord } from "../../src/core/ops/rnn.js";
import { manualSeed, randn, setBackend, type Tensor } from "../../src/index.js";
import { shutdownWasm, tuning, wasmBackend, wasmThreads } from "../../src/kernels/wasm/index.js";
import { threadBudget } from "../../src/kernels/wasm/runtime.js";

interface Case { mode: RecurrentMode; T: number; B: number; H: number; reverse: boolean; lengths: number[] | null; bias: boolean; trace: boolean }

function run(c: Case): Float32Array[] {
  manualSeed(1);
  const G = GATE_COUNT[c.mode];
  const leaf = (shape: number[], s = 1) => randn(shape).mul(s).detach().requiresGrad_();
  const xProj = leaf([c.T, c.B, G * c.H]), w = leaf([G * c.H, c.H], 1 / Math.sqrt(c.H)), b = c.bias ? leaf([G * c.H], 0.1) : null;
  const h0 = leaf([c.B, c.H]), c0 = c.mode === "lstm" ? leaf([c.B, c.H]) : null;
  const record: ScanRecord | null = c.trace ? {} : null;
  const res = recurrentScan(c.mode, xProj, w, b, h0, c0, { reverse: c.reverse, lengths: c.lengths ? Int32Array.from(c.lengths) : null, record });
  res.output.tanh().sum().add(res.h.square().sum()).add(res.c ? res.c.sum() : 0).backward();
  const out: Tensor[] = [res.output, res.h, ...(res.c ? [res.c] : []), ...[xProj, w, b, h0, c0].filter((t): t is Tensor => t !== null).map((t) => t.grad!)];
  if (record) out.push(...[record.h, record.c, record.gates, record.gradH].filter((t): t is Tensor => t !== undefined));
  return out.map((t) => Float32Array.from(t.data as Float32Array));
}

/** The worst max-abs difference relative to the reference's max-abs, over all outputs. */
function relError(a: Float32Array[], b: Float32Array[]): number {
  if (a.length !== b.length) return Infinity;
  let worst = 0;
  a.forEach((x, i) => {
    if (x.length !== b[i].length) worst = Infinity;
    let num = 0, den = 0;
    for (let j = 0; j < x.length; j++) {
      num = Math.max(num, Math.abs(x[j] - b[i][j]));
      den = Math.max(den, Math.abs(b[i][j]));
    }
    worst = Math.max(worst, num / Math.max(den, 1e-6));
  });
  return worst;
}

/** [T, B, H]: odd sizes for the SIMD tails; the long sweep adds a single step and W1's shape. */
const SHAPES = [[5, 3, 7], [4, 70, 33], [3, 8, 130], ...(process.env.NNZOO_SCAN_SWEEP === "long" ? [[1, 4, 8], [6, 32, 256]] : [])];
const cases: Case[] = [];
for (const mode of ["lstm", "gru", "rnnTanh", "rnnRelu"] as RecurrentMode[])
  for (const [T, B, H] of SHAPES)
    for (const reverse of [false, true])
      cases.push({ mode, T, B, H, reverse, lengths: null, bias: true, trace: false },
        { mode, T, B, H, reverse, lengths: Array.from({ length: B }, (_, i) => (i * 3 + 2) % (T + 1)), bias: (T + B) % 2 === 0, trace: true });

describe("wasm fused recurrent scan", () => {
  const saved = { f: wasmBackend.scanForward, b: wasmBackend.scanBackward, maxThreads: tuning.maxThreads, min: tuning.parallelMinMacs, floor: tuning.parallelFloorMacs };
  afterAll(() => {
    Object.assign(tuning, { maxThreads: saved.maxThreads, parallelMinMacs: saved.min, parallelFloorMacs: saved.floor });
    setBackend("wasm");
    shutdownWasm();
  });

  it("the backend offers the fused scan (or the comparison below would test the loop against itself)", () => {
    expect(typeof wasmBackend.scanForward).toBe("function");
    expect(typeof wasmBackend.scanBackward).toBe("function");
  });

  for (const threads of [1, 2]) {
    it(`${threads} thread(s): matches the js reference within 1e-5 and the per-step wasm loop`, async () => {
      if (threads === 2 && threadBudget() < 2) return;
      tuning.maxThreads = threads;
      if (threads === 2) {
        // Small GEMMs split too, so the threaded path is the one tested.
        tuning.parallelMinMacs = tuning.parallelFloorMacs = 1 << 12;
        for (let i = 0; i < 500 && wasmThreads() < 2; i++) await new Promise((r) => setTimeout(r, 10));
      }
      for (const c of cases) {
        setBackend("js");
        const ref = run(c);
        setBackend("wasm");
        Object.assign(wasmBackend, { scanForward: undefined, scanBackward: undefined });
        const perStep = run(c);
        Object.assign(wasmBackend, { scanForward: saved.f, scanBackward: saved.b });
        const fused = run(c);
        const name = `${c.mode} T${c.T} B${c.B} H${c.H}${c.reverse ? " reverse" : ""}${c.lengths ? " lengths" : ""}${c.bias ? "" : " no-bias"}${c.trace ? " trace" : ""}`;
        expect(relError(fused, ref), `${name}: fused vs js`).toBeLessThan(1e-5);
        expect(relError(fused, perStep), `${name}: fused vs per-step wasm`).toBeLessThan(1e-5);
      }
    }, 120_000);
  }
});
