import { afterAll, describe, expect, it } from "vitest";
import { jsBackend } from "../../src/kernels/js/index.js";
import { getNumThreads, setNumThreads, shutdownWasm, stats, tuning, wasmBackend, wasmMemoryBytes, wasmRuntime, wasmThreads } from "../../src/kernels/wasm/index.js";
import { relaxedSimd, threadBudget, WasmRuntime } from "../../src/kernels/wasm/runtime.js";
import { relError, runBackendSuite } from "./conformance.js";
import { setBackend } from "../../src/kernels/registry.js";
import { conv2d, convTranspose2d, manualSeed, randn, type Tensor } from "../../src/core/index.js";
import { adamUpdate } from "../../src/optim/adam.js";
import { type OptimCase, loadFixture, makeOptimizer, makeParams, relErr, setGrads } from "../optim/fixtures.js";

runBackendSuite("wasm", () => wasmBackend);

describe("wasm runtime", () => {
  afterAll(() => shutdownWasm());

  it("starts, with a worker pool where threads are possible", async () => {
    const rt = wasmRuntime();
    expect(rt).not.toBeNull();
    // The pool starts on the first large GEMM; give its workers a moment to come up.
    const a = new Float32Array(256 * 256).fill(1);
    const c = new Float32Array(256 * 256);
    wasmBackend.gemm(a, 0, a, 0, c, 0, 256, 256, 256, false, false, false);
    for (let i = 0; i < 500 && wasmThreads() < threadBudget(); i++) await new Promise((r) => setTimeout(r, 20));
    expect(wasmThreads()).toBe(threadBudget());
    wasmBackend.gemm(a, 0, a, 0, c, 0, 256, 256, 256, false, false, false);
    expect(c.every((v) => v === 256)).toBe(true);
  });

  it("split GEMMs (by columns and by rows, packed and in-place B) match the js reference", async () => {
    if (threadBudget() < 2) return;
    // Run alone (-t), this test must itself wait for the pool the first large GEMM starts.
    wasmThreads();
    for (let i = 0; i < 500 && wasmThreads() < threadBudget(); i++) await new Promise((r) => setTimeout(r, 20));
    const before = stats.parallelGemms;
    for (const [m, n, k] of [[200, 300, 520], [37, 1000, 64], [300, 50, 200], [64, 1024, 256]])
      for (const transA of [false, true])
        for (const transB of [false, true]) {
          const a = Float32Array.from({ length: m * k }, (_, i) => Math.sin(i));
          const b = Float32Array.from({ length: k * n }, (_, i) => Math.cos(i * 0.7));
          const x = Float32Array.from({ length: m * n }, (_, i) => Math.sin(i * 0.3)), y = x.slice();
          tuning.parallelMinMacs = tuning.parallelFloorMacs; // the adaptive threshold may have risen on a busy machine
          wasmBackend.gemm(a, 0, b, 0, x, 0, m, n, k, transA, transB, true);
          jsBackend.gemm(a, 0, b, 0, y, 0, m, n, k, transA, transB, true);
          expect(relError(x, y), `m=${m} n=${n} k=${k} transA=${transA} transB=${transB}`).toBeLessThan(1e-5);
        }
    expect(stats.parallelGemms - before).toBe(16);
  });

  it("runs the relaxed-SIMD build where the engine has it; both builds match the js reference", () => {
    // Node 20 needs the flag relaxedSimd() sets; Node 22+ and Chromium validate it by default.
    if (process.env.NNZOO_RELAXED_SIMD !== "0") expect(relaxedSimd()).toBe(true);
    expect(wasmRuntime()!.relaxed).toBe(relaxedSimd());
    const builds = relaxedSimd() ? [false, true] : [false];
    for (const relaxed of builds) {
      const rt = new WasmRuntime(1, { relaxed });
      expect(rt.relaxed).toBe(relaxed);
      for (const [m, n, k] of [[33, 70, 300], [4, 8, 1], [128, 256, 784]])
        for (const transA of [false, true])
          for (const transB of [false, true]) {
            const a = Float32Array.from({ length: m * k }, (_, i) => Math.sin(i)), b = Float32Array.from({ length: k * n }, (_, i) => Math.cos(i * 0.7));
            const pa = rt.put(a), pb = rt.put(b), pc = rt.alloc(m * n * 4);
            rt.k.gemmBlock(pa, transA ? m : k, +transA, pb, transB ? k : n, +transB, pc, n, 0, 0, m, n, k, 0, rt.scratch);
            const x = new Float32Array(m * n), y = new Float32Array(m * n);
            rt.get(pc, x, 0, m * n);
            rt.reset();
            jsBackend.gemm(a, 0, b, 0, y, 0, m, n, k, transA, transB, false);
            expect(relError(x, y), `relaxed=${relaxed} m=${m} n=${n} k=${k} transA=${transA} transB=${transB}`).toBeLessThan(1e-5);
          }
      // (1+2⁻¹²)² = 1 + 2⁻¹¹ + 2⁻²⁴ rounds (ties to even) to 1 + 2⁻¹¹: added to −(1 + 2⁻¹¹) the
      // plain build must give exactly 0; the relaxed one 2⁻²⁴ where it fuses (FMA), else 0.
      const e = 1 + 2 ** -12, a = new Float32Array([-(1 + 2 ** -11), e, ...new Array(6).fill(0)]);
      const b = new Float32Array(16).fill(0);
      b.fill(1, 0, 8).fill(e, 8, 16);
      const pa = rt.put(a), pb = rt.put(b), pc = rt.alloc(4 * 8 * 4);
      rt.k.gemmBlock(pa, 2, 0, pb, 8, 0, pc, 8, 0, 0, 4, 8, 2, 0, rt.scratch);
      const c = new Float32Array(32);
      rt.get(pc, c, 0, 32);
      if (relaxed) expect([0, 2 ** -24]).toContain(c[0]);
      else expect(c[0]).toBe(0);
      expect(Array.from(c.subarray(8))).toEqual(new Array(24).fill(0));
    }
  });

  it("setNumThreads(1) keeps every GEMM on the calling thread; bad counts are refused", () => {
    const saved = tuning.maxThreads;
    try {
      setNumThreads(1);
      expect(getNumThreads()).toBe(1);
      const before = stats.parallelGemms;
      tuning.parallelMinMacs = tuning.parallelFloorMacs;
      const a = Float32Array.from({ length: 256 * 256 }, (_, i) => Math.sin(i)), c = new Float32Array(256 * 256), d = c.slice();
      wasmBackend.gemm(a, 0, a, 0, c, 0, 256, 256, 256, false, true, false);
      jsBackend.gemm(a, 0, a, 0, d, 0, 256, 256, 256, false, true, false);
      expect(stats.parallelGemms).toBe(before);
      expect(relError(c, d)).toBeLessThan(1e-5);
      setNumThreads(64);
      expect(getNumThreads()).toBe(threadBudget());
      for (const bad of [0, -1, 1.5, NaN]) expect(() => setNumThreads(bad)).toThrow(`setNumThreads: n must be a positive integer, got ${bad}`);
    } finally {
      tuning.maxThreads = saved;
    }
  });

  it("10,000 kernel calls leave WASM memory and the JS heap flat", () => {
    const x = Float32Array.from({ length: 32 * 256 }, (_, i) => Math.sin(i));
    const w = Float32Array.from({ length: 256 * 256 }, (_, i) => Math.cos(i) * 0.05);
    const h = new Float32Array(32 * 256), y = new Float32Array(32 * 256), s = new Float32Array(32);
    const step = () => {
      wasmBackend.gemm(x, 0, w, 0, h, 0, 32, 256, 256, false, true, false);
      wasmBackend.unary("tanh", h, y);
      wasmBackend.binary("add", y, [256, 1], x, [0, 1], h, [32, 256]);
      wasmBackend.softmax(h, y, 32, 256, 1, true);
      wasmBackend.reduce("sum", y, 32, 256, 1, s);
    };
    for (let i = 0; i < 500; i++) step();
    const gc = (globalThis as { gc?: () => void }).gc;
    gc?.();
    const wasmBefore = wasmMemoryBytes();
    const heapBefore = process.memoryUsage().heapUsed;
    for (let i = 0; i < 2000; i++) step(); // 5 kernels per step: 10,000 calls
    gc?.();
    expect(wasmMemoryBytes()).toBe(wasmBefore);
    // Without --expose-gc the heap is only roughly comparable; garbage from the loop is tiny
    // (subarray views and stride arrays), so a leak of even 100 bytes per call would show.
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(gc ? 1_000_000 : 8_000_000);
  });
});

describe("wasm Adam step", () => {
  const variants = [
    { name: "adam", decoupled: false, weightDecay: 0, amsgrad: false, maximize: false },
    { name: "adam, L2 decay, maximize", decoupled: false, weightDecay: 0.1, amsgrad: false, maximize: true },
    { name: "adam, amsgrad", decoupled: false, weightDecay: 0, amsgrad: true, maximize: false },
    { name: "adamw", decoupled: true, weightDecay: 0.05, amsgrad: true, maximize: false },
  ];
  for (const v of variants)
    it(`${v.name}: matches the js loop over 30 steps (1,001 parameters)`, () => {
      const n = 1001;
      const init = () => ({
        p: Float32Array.from({ length: n }, (_, i) => Math.sin(i)), m: new Float32Array(n), s: new Float32Array(n), u: new Float32Array(n),
      });
      const h = { lr: 0.01, betas: [0.9, 0.999] as [number, number], eps: 1e-8, weightDecay: v.weightDecay, amsgrad: v.amsgrad, maximize: v.maximize };
      const js = init(), wasm = init();
      const before = stats.adamSteps;
      for (let t = 1; t <= 30; t++) {
        const g = Float32Array.from({ length: n }, (_, i) => Math.cos(i * 0.37 + t));
        setBackend("js");
        adamUpdate(js.p, g, js.m, js.s, v.amsgrad ? js.u : null, t, h, v.decoupled);
        setBackend("wasm");
        adamUpdate(wasm.p, g, wasm.m, wasm.s, v.amsgrad ? wasm.u : null, t, h, v.decoupled);
      }
      expect(stats.adamSteps - before).toBe(30);
      for (const k of ["p", "m", "s", "u"] as const) expect(relError(wasm[k], js[k]), k).toBeLessThan(1e-6);
    });

  it("Adam and AdamW trajectories match torch's (the optimizer fixtures, run through the kernel)", () => {
    const saved = tuning.minElements;
    tuning.minElements = 1; // the fixtures' parameters have 12 and 5 elements
    setBackend("wasm");
    try {
      const before = stats.adamSteps;
      for (const family of ["adam", "adamw"])
        for (const c of loadFixture<OptimCase>(`${family}.json`).cases) {
          const params = makeParams(c);
          const opt = makeOptimizer(c, params);
          for (let step = 0; step < c.grads.length; step++) {
            setGrads(c, params, step);
            opt.step();
            params.forEach((p, i) => expect(relErr(p.data, c.expected[step][i]), `${c.name} step ${step + 1} param ${i}`).toBeLessThan(1e-6));
          }
        }
      expect(stats.adamSteps - before).toBeGreaterThan(100);
    } finally {
      tuning.minElements = saved;
    }
  });
});

describe("wasm batched convolution (Backend.convBatch)", () => {
  type Case = { name: string; x: number[]; w: number[]; run: (x: Tensor, w: Tensor) => Tensor };
  const cases: Case[] = [
    { name: "conv2d 3×3, padding 1", x: [4, 3, 9, 9], w: [8, 3, 3, 3], run: (x, w) => conv2d(x, w, null, { padding: 1 }) },
    { name: "conv2d 4×4, stride 2, padding 1 (DCGAN D)", x: [5, 16, 14, 14], w: [32, 16, 4, 4], run: (x, w) => conv2d(x, w, null, { stride: 2, padding: 1 }) },
    { name: "conv2d, groups 2, dilation 2", x: [3, 8, 11, 11], w: [12, 4, 3, 3], run: (x, w) => conv2d(x, w, null, { groups: 2, dilation: 2 }) },
    { name: "convTranspose2d 4×4, stride 2, padding 1 (DCGAN G)", x: [4, 24, 7, 7], w: [24, 12, 4, 4], run: (x, w) => convTranspose2d(x, w, null, { stride: 2, padding: 1 }) },
    { name: "convTranspose2d 7×7 from 1×1", x: [6, 20, 1, 1], w: [20, 16, 7, 7], run: (x, w) => convTranspose2d(x, w) },
  ];
  for (const c of cases)
    it(`${c.name}: output and both gradients match the js backend's per-image loop`, () => {
      const run = (backend: string): Float32Array[] => {
        setBackend(backend);
        manualSeed(11);
        const x = randn(c.x, { requiresGrad: true }), w = randn(c.w, { requiresGrad: true });
        const y = c.run(x, w);
        const gy = randn(y.shape);
        y.mul(gy).sum().backward();
        return [y.data, x.grad!.data, w.grad!.data] as Float32Array[];
      };
      const ref = run("js");
      const before = stats.convBatches;
      const got = run("wasm");
      expect(stats.convBatches - before, "forward, input grad and weight grad each one batched call").toBe(3);
      ["output", "input grad", "weight grad"].forEach((what, i) => expect(relError(got[i], ref[i]), what).toBeLessThan(1e-5));
    });
});
