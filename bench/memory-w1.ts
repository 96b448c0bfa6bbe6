/**
 * Issue #4's memory target on W1 (DESIGN.md §6): a plain char-LSTM training loop — forward,
 * loss, backward, Adam step, no dispose calls — for N steps (10,000 by default), sampling the
 * JS heap, ArrayBuffers and WebAssembly memory after a forced GC ten times along the way.
 * "Flat" means the last sample is within a few MB of the second (the first is before JIT
 * and caches settle). W1 at 10,000 steps takes about 20–40 minutes on a quiet 2-core machine.
 *
 *   node --expose-gc --import tsx bench/memory-w1.ts [steps]
 */
import { getBackend, manualSeed, nn, optim, randint } from "../src/index.js";
import { shutdownWasm, wasmMemoryBytes } from "../src/kernels/wasm/index.js";

const steps = Number(process.argv[2] ?? 10_000);
const [V, E, H, T, B] = [65, 64, 256, 64, 32];
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error("run with node --expose-gc");
manualSeed(0);
const emb = new nn.Embedding(V, E);
const lstm = new nn.LSTM({ inputSize: E, hiddenSize: H, batchFirst: true });
const head = new nn.Linear(H, V);
const opt = new optim.Adam([...emb.parameters(), ...lstm.parameters(), ...head.parameters()], { lr: 1e-3 });
// A fixed batch, so the loss falls and shows the loop really trains.
const x = randint(0, V, [B, T]), y = randint(0, V, [B * T]);
const MB = (n: number) => +(n / 2 ** 20).toFixed(2);
const samples: Array<{ step: number; heapMB: number; arrayBuffersMB: number; wasmMB: number; loss: number }> = [];
const t0 = performance.now();
for (let step = 1; step <= steps; step++) {
  const [out] = lstm.forward(emb.forward(x));
  const loss = nn.functional.crossEntropy(head.forward(out).reshape([-1, V]), y);
  opt.zeroGrad();
  loss.backward();
  opt.step();
  if (step % Math.max(1, Math.floor(steps / 10)) === 0) {
    gc();
    gc();
    const m = process.memoryUsage();
    samples.push({ step, heapMB: MB(m.heapUsed), arrayBuffersMB: MB(m.arrayBuffers), wasmMB: MB(wasmMemoryBytes()), loss: +loss.item().toFixed(4) });
    console.error(`step ${step}: ${JSON.stringify(samples.at(-1))} (${((performance.now() - t0) / 1000).toFixed(0)} s)`);
  }
}
const first = samples[1] ?? samples[0], last = samples.at(-1)!;
const growth = last.heapMB + last.arrayBuffersMB + last.wasmMB - (first.heapMB + first.arrayBuffersMB + first.wasmMB);
console.error(`${getBackend().name}: ${steps} steps; heap + ArrayBuffers + wasm grew ${growth.toFixed(2)} MB from step ${first.step} to ${last.step}`);
process.stdout.write(JSON.stringify(samples) + "\n");
shutdownWasm();
