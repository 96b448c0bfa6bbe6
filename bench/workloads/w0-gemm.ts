/**
 * W0 — GEMM throughput (GFLOP/s = 2·M·K·N / s) at (M,K,N) = (32,512,1024), (128,784,256),
 * (1024,1024,1024): float32 C = A·B through each library's public matmul, result read back.
 */
import { noGrad, randn, manualSeed } from "../../src/index.js";
import { useNnzoo, useTfjs } from "../lib/engines.js";
import type { Workload } from "./types.js";

const SHAPES: Record<string, [number, number, number]> = {
  "32x512x1024": [32, 512, 1024],
  "128x784x256": [128, 784, 256],
  "1024x1024x1024": [1024, 1024, 1024],
};

export const w0: Workload = {
  id: "W0",
  title: "GEMM float32, C[M,N] = A[M,K]·B[K,N]",
  unit: "GFLOP/s",
  cases: Object.keys(SHAPES),
  python: true,
  async setup(engine, caseName) {
    const [M, K, N] = SHAPES[caseName];
    const scale = (2 * M * K * N) / 1e9;
    if (engine.startsWith("nnzoo")) {
      const why = await useNnzoo(engine);
      if (why) return why;
      manualSeed(0);
      const a = randn([M, K]), b = randn([K, N]);
      return { scale, step: () => void noGrad(() => a.matmul(b)), activate: async () => void (await useNnzoo(engine)) };
    }
    const tf = await useTfjs(engine === "tfjs-cpu" ? "cpu" : "wasm");
    if (typeof tf === "string") return tf;
    const backend = engine === "tfjs-cpu" ? "cpu" : "wasm";
    const a = tf.randomNormal([M, K]), b = tf.randomNormal([K, N]);
    return {
      scale,
      activate: async () => void (await tf.setBackend(backend)),
      step: () => {
        const c = tf.matMul(a, b);
        c.dataSync();
        c.dispose();
      },
      dispose: () => tf.dispose([a, b]),
    };
  },
};
