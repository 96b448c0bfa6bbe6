/**
 * Checks the wasm backend's fused recurrent scan (src/kernels/wasm/scan.ts) against the
 * per-step loop (the same backend without scanForward/scanBackward) and the js reference, over
 * modes, directions, lengths, missing biases, traces and sizes on both GEMM paths and both
 * thread counts. Prints the worst relative error per case; exits 1 past 1e-5.
 *
 *   npx tsx bench/check-scan.ts
 */
import { manualSeed, randn, setBackend, type Tensor } from "../src/index.js";
import { GATE_COUNT, type RecurrentMode, recurrentScan, type ScanRecord } from "../src/core/ops/rnn.js";
import { shutdownWasm, tuning, wasmBackend, wasmThreads } from "../src/kernels/wasm/index.js";

type Case = { mode: RecurrentMode; T: number; B: number; H: number; reverse: boolean; lengths: number[] | null; bias: boolean; trace: boolean };

function run(c: Case): Float32Array[] {
  manualSeed(1);
  const G = GATE_COUNT[c.mode];
  const leaf = (shape: number[], s = 1) => randn(shape).mul(s).detach().requiresGrad_();
  const xProj = leaf([c.T, c.B, G * c.H]), w = leaf([G * c.H, c.H], 1 / Math.sqrt(c.H)), b = c.bias ? leaf([G * c.H], 0.1) : null;
  const h0 = leaf([c.B, c.H]), c0 = c.mode === "lstm" ? leaf([c.B, c.H]) : null;
  const record: ScanRecord | null = c.trace ? {} : null;
  const res = recurrentScan(c.mode, xProj, w, b, h0, c0, { reverse: c.reverse, lengths: c.lengths ? Int32Array.from(c.lengths) : null, record });
  const loss = res.output.tanh().sum().add(res.h.square().sum()).add(res.c ? res.c.sum() : 0);
  loss.backward();
  const out: Tensor[] = [res.output, res.h, ...(res.c ? [res.c] : []), ...[xProj, w, b, h0, c0].filter((t): t is Tensor => t !== null).map((t) => t.grad!)];
  if (record) out.push(...[record.h, record.c, record.gates, record.gradH].filter((t): t is Tensor => t !== undefined));
  return out.map((t) => Float32Array.from(t.data as Float32Array));
}

function relErr(a: Float32Array[], b: Float32Array[]): number {
  let worst = 0;
  a.forEach((x, i) => {
    let num = 0, den = 0;
    for (let j = 0; j < x.length; j++) {
      num = Math.max(num, Math.abs(x[j] - b[i][j]));
      den = Math.max(den, Math.abs(b[i][j]));
    }
    if (x.length !== b[i].length) worst = Infinity;
    worst = Math.max(worst, num / Math.max(den, 1e-6));
  });
  return worst;
}

const cases: Case[] = [];
for (const mode of ["lstm", "gru", "rnnTanh", "rnnRelu"] as RecurrentMode[])
  for (const [T, B, H] of [[5, 3, 7], [1, 4, 8], [6, 32, 256], [4, 70, 33], [3, 8, 130]])
    for (const reverse of [false, true])
      cases.push({ mode, T, B, H, reverse, lengths: null, bias: true, trace: false },
        { mode, T, B, H, reverse, lengths: Array.from({ length: B }, (_, i) => (i * 3 + 2) % (T + 1)), bias: (T + B) % 2 === 0, trace: true });

const saved = { f: wasmBackend.scanForward, b: wasmBackend.scanBackward };
let bad = 0;
for (const threads of [1, 2]) {
  tuning.maxThreads = threads;
  if (threads === 2) {
    tuning.parallelMinMacs = tuning.parallelFloorMacs = 1 << 12;
    for (let i = 0; i < 200 && wasmThreads() < 2; i++) await new Promise((r) => setTimeout(r, 10));
  }
  for (const c of cases) {
    setBackend("js");
    const ref = run(c);
    setBackend("wasm");
    Object.assign(wasmBackend, { scanForward: undefined, scanBackward: undefined });
    const perStep = run(c);
    Object.assign(wasmBackend, { scanForward: saved.f, scanBackward: saved.b });
    const fused = run(c);
    const e1 = relErr(fused, ref), e2 = relErr(fused, perStep);
    const flag = e1 > 1e-5 || !Number.isFinite(e1) ? "  <-- BAD" : "";
    if (flag) bad++;
    console.log(`${threads}t ${c.mode} T${c.T} B${c.B} H${c.H}${c.reverse ? " reverse" : ""}${c.lengths ? " lengths" : ""}${c.bias ? "" : " no-bias"}${c.trace ? " trace" : ""}: fused vs js ${e1.toExponential(1)}, vs per-step wasm ${e2.toExponential(1)}${flag}`);
  }
}
shutdownWasm();
console.log(bad ? `${bad} cases off` : "all cases within 1e-5");
process.exit(bad ? 1 : 0);
