/**
 * Before/after for the wasm backend's fused recurrent scan (src/kernels/wasm/scan.ts): one
 * LSTM and one GRU scan of W1's shape (T 64, B 32, H 256), forward + backward, alternating
 * the per-step loop (scanForward/scanBackward removed) and the fused scan on one thread; the
 * best of 22 runs each. Needs a quiet machine to mean much.
 *
 *   npx tsx bench/scan-ab.ts
 */
import { manualSeed, randn } from "../src/index.js";
import { recurrentScan, type RecurrentMode } from "../src/core/ops/rnn.js";
import { tuning, wasmBackend } from "../src/kernels/wasm/index.js";
tuning.maxThreads = 1;
const saved = { scanForward: wasmBackend.scanForward, scanBackward: wasmBackend.scanBackward };
const [T, B, H] = [64, 32, 256];
const best: Record<string, number> = {};
for (const mode of ["lstm", "gru"] as RecurrentMode[]) {
  const G = mode === "lstm" ? 4 : 3;
  manualSeed(0);
  const xProj = randn([T, B, G * H]).requiresGrad_(), w = randn([G * H, H]).mul(0.06).detach().requiresGrad_(), b = randn([G * H]).mul(0.1).detach().requiresGrad_();
  const h0 = randn([B, H]), c0 = mode === "lstm" ? randn([B, H]) : null;
  const run = () => { const r = recurrentScan(mode, xProj, w, b, h0, c0); r.output.sum().backward(); xProj.grad = null; w.grad = null; b.grad = null; };
  for (let rep = 0; rep < 25; rep++)
    for (const fused of [false, true]) {
      Object.assign(wasmBackend, fused ? saved : { scanForward: undefined, scanBackward: undefined });
      const t0 = performance.now(); run(); const ms = performance.now() - t0;
      const k = `${mode} ${fused ? "fused" : "per-step"}`;
      if (rep > 2) best[k] = Math.min(best[k] ?? Infinity, ms);
    }
}
for (const [k, v] of Object.entries(best)) console.log(`${k}: best ${v.toFixed(1)} ms (forward + backward of one scan, T64 B32 H256, 1 thread)`);
