/**
 * Child process for memory.test.ts: a plain training loop (forward, backward, SGD update;
 * no dispose calls) for N steps, printing heap + ArrayBuffer bytes after a forced GC at
 * checkpoints. Run with: node --expose-gc --import tsx test/core/memory-child.ts [steps]
 */
import { manualSeed, noGrad, randn, type Tensor } from "../../src/index.js";

const steps = Number(process.argv[2] ?? 10_000);
manualSeed(0);
const w1 = randn([16, 32]).mul(0.2).requiresGrad_();
const b1 = randn([32]).mul(0).requiresGrad_();
const w2 = randn([32, 1]).mul(0.2).requiresGrad_();
const params: Tensor[] = [w1, b1, w2];
const x = randn([64, 16]);
const y = x.sum(1, true).sin();

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error("run with --expose-gc");
const samples: Array<{ step: number; bytes: number; loss: number }> = [];
for (let step = 1; step <= steps; step++) {
  const pred = x.matmul(w1).add(b1).tanh().matmul(w2);
  const loss = pred.sub(y).square().mean();
  for (const p of params) p.grad = null;
  loss.backward();
  noGrad(() => {
    for (const p of params) {
      const d = p.data, g = p.grad!.data;
      for (let i = 0; i < d.length; i++) d[i] -= 0.05 * g[i];
    }
  });
  if (step % (steps / 10) === 0) {
    gc();
    gc();
    const m = process.memoryUsage();
    samples.push({ step, bytes: m.heapUsed + m.arrayBuffers, loss: loss.item() });
  }
}
process.stdout.write(JSON.stringify(samples) + "\n");
