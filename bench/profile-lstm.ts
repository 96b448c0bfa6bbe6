/**
 * W1's training step (DESIGN §6; bench/workloads/w1-char-lstm.ts) for profiling: vocab 65,
 * Embedding(65,64) → LSTM(256) → Linear(256,65) on every step, seq 64, batch 32,
 * cross-entropy (mean over all tokens), Adam(1e-3).
 *
 *   NNZOO_BACKEND=wasm node --cpu-prof --cpu-prof-dir=/tmp/prof --import tsx bench/profile-lstm.ts [steps] [--per-step]
 *   npx tsx bench/profile-summary.ts /tmp/prof
 */
import { getBackend, manualSeed, nn, optim, randint } from "../src/index.js";
import { wasmBackend } from "../src/kernels/wasm/index.js";

const steps = Number(process.argv[2] ?? 20);
// --per-step: without the wasm backend's fused scan (src/kernels/wasm/scan.ts), for before/after.
if (process.argv.includes("--per-step")) Object.assign(wasmBackend, { scanForward: undefined, scanBackward: undefined });
const [V, E, H, T, B] = [65, 64, 256, 64, 32];
manualSeed(0);
const emb = new nn.Embedding(V, E);
const lstm = new nn.LSTM({ inputSize: E, hiddenSize: H, batchFirst: true });
const head = new nn.Linear(H, V);
const params = [...emb.parameters(), ...lstm.parameters(), ...head.parameters()];
const opt = new optim.Adam(params, { lr: 1e-3 });
const x = randint(0, V, [B, T]), y = randint(0, V, [B * T]);
const step = () => {
  const [out] = lstm.forward(emb.forward(x));
  const loss = nn.functional.crossEntropy(head.forward(out).reshape([-1, V]), y);
  opt.zeroGrad();
  loss.backward();
  opt.step();
  return loss.item();
};
step();
const t0 = performance.now(), cpu0 = process.cpuUsage();
for (let s = 0; s < steps; s++) step();
const ms = performance.now() - t0, cpu = process.cpuUsage(cpu0);
// CPU time (this process, all threads) per step: steadier than wall time when other processes share the cores.
const cpuMs = (cpu.user + cpu.system) / 1000 / steps;
console.log(`${getBackend().name}${process.argv.includes("--per-step") ? " (per-step scan)" : ""}: ${steps} steps in ${ms.toFixed(0)} ms = ${((steps * B * T) / (ms / 1000)).toFixed(0)} tokens/s; CPU ${cpuMs.toFixed(0)} ms/step`);
