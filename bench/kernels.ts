/**
 * Per-kernel timings, js vs wasm backend (µs per call, median of 5 rounds), on the shapes the
 * zoo's models produce. Not part of `npm run bench`; run: npx tsx bench/kernels.ts
 */
import type { Backend, CellStep, ConvGeom } from "../src/kernels/backend.js";
import { jsBackend } from "../src/kernels/js/index.js";
import { shutdownWasm, tuning, wasmBackend } from "../src/kernels/wasm/index.js";
import { median } from "./lib/measure.js";

tuning.maxThreads = 1;
const rand = (n: number) => Float32Array.from({ length: n }, () => Math.random() * 4 - 2);
const f = (n: number) => new Float32Array(n);

const B = 32, H = 256;
const g: ConvGeom = { c: 32, h: 14, w: 14, kh: 3, kw: 3, sh: 1, sw: 1, ph: 1, pw: 1, dh: 1, dw: 1, oh: 14, ow: 14 };
const x32k = rand(B * H * 4), out32k = f(B * H * 4);
const act = rand(B * 4 * H).map((v) => 1 / (1 + Math.exp(-v)));
const step: CellStep = { batch: B, hidden: H, t: 0, lengths: null };
const img = rand(g.c * g.h * g.w), col = f(g.c * 9 * g.oh * g.ow);
const logits = rand(B * 64 * 65), lsm = f(B * 64 * 65);
const bias = rand(H), hb = rand(128 * H), hbOut = f(128 * H), colSum = f(H);

const cases: Array<[string, (be: Backend) => void]> = [
  ["unary tanh [32768]", (be) => be.unary("tanh", x32k, out32k)],
  ["unary exp [32768]", (be) => be.unary("exp", x32k, out32k)],
  ["unary relu [32768]", (be) => be.unary("relu", x32k, out32k)],
  ["binary add [128,256]+[256]", (be) => be.binary("add", hb, [H, 1], bias, [0, 1], hbOut, [128, H])],
  ["binary mul [32768]·[32768]", (be) => be.binary("mul", x32k, [1], x32k, [1], out32k, [x32k.length])],
  ["reduce sum [128,256] over dim 0", (be) => be.reduce("sum", hb, 1, 128, H, colSum)],
  ["logSoftmax [2048,65]", (be) => be.softmax(logits, lsm, B * 64, 65, 1, true)],
  ["im2col 32×14×14, 3×3 pad 1", (be) => be.im2col(img, 0, col, 0, g)],
  ["col2im 32×14×14, 3×3 pad 1", (be) => be.col2im(col, 0, img, 0, g)],
  ["lstmCell B=32 H=256", (be) => be.lstmCell(x32k.slice(), bias.length ? rand(4 * H) : null, hb.subarray(0, B * H), hb.subarray(0, B * H), f(B * H), f(B * H), f(B * H), step)],
  ["lstmCellBackward B=32 H=256", (be) => be.lstmCellBackward(act, hb.subarray(0, B * H), hb.subarray(0, B * H), hb.subarray(0, B * H), f(B * H), f(B * H), f(4 * B * H), f(B * H), step)],
  ["gemm 32×1024×256 (LSTM step, transB)", (be) => be.gemm(hb, 0, x32k, 0, out32k, 0, 32, 1024, 256, false, true, true)],
];

function time(fn: () => void): number {
  for (let i = 0; i < 3; i++) fn();
  let n = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < 60) { fn(); n++; }
  return ((performance.now() - t0) / n) * 1000;
}

console.log("| kernel | js µs | wasm µs | speed-up |\n|---|---:|---:|---:|");
for (const [name, fn] of cases) {
  const js: number[] = [], wa: number[] = [];
  for (let r = 0; r < 5; r++) { js.push(time(() => fn(jsBackend))); wa.push(time(() => fn(wasmBackend))); }
  const a = median(js), b = median(wa);
  console.log(`| ${name} | ${a.toFixed(1)} | ${b.toFixed(1)} | ${(a / b).toFixed(1)}× |`);
}
shutdownWasm();
