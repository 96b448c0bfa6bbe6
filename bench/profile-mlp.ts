/**
 * A matmul-heavy loop to profile where time goes (used for the numbers in bench/README.md):
 * an MLP 784→256→256→10 (ReLU), batch 128, cross-entropy, forward + backward + an SGD step.
 *
 *   NNZOO_BACKEND=wasm node --cpu-prof --cpu-prof-dir=/tmp/prof --import tsx bench/profile-mlp.ts [steps]
 *   node --import tsx bench/profile-summary.ts /tmp/prof/<file>.cpuprofile
 */
import { getBackend, manualSeed, noGrad, randint, randn, type Tensor } from "../src/index.js";

const steps = Number(process.argv[2] ?? 200);
manualSeed(0);
const layer = (i: number, o: number) => [randn([i, o]).mul(Math.sqrt(2 / i)).requiresGrad_(), randn([o]).mul(0).requiresGrad_()];
const params: Tensor[] = [...layer(784, 256), ...layer(256, 256), ...layer(256, 10)];
const x = randn([128, 784]);
const y = randint(0, 10, [128, 1]);
const t0 = performance.now();
for (let s = 0; s < steps; s++) {
  const [w1, b1, w2, b2, w3, b3] = params;
  const logits = x.matmul(w1).add(b1).relu().matmul(w2).add(b2).relu().matmul(w3).add(b3);
  const loss = logits.logSoftmax(1).gather(1, y).mean().neg();
  for (const p of params) p.grad = null;
  loss.backward();
  noGrad(() => {
    for (const p of params) {
      const d = p.data, g = p.grad!.data;
      for (let i = 0; i < d.length; i++) d[i] -= 0.01 * g[i];
    }
  });
}
const ms = performance.now() - t0;
console.log(`${getBackend().name}: ${steps} steps in ${ms.toFixed(0)} ms = ${((steps * 128) / (ms / 1000)).toFixed(0)} samples/s`);
