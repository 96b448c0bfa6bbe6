import { linspace, manualSeed, noGrad, randn, type Tensor, zeros } from "../index.js";
import { progressBar } from "./progress.js";

export interface DemoOptions {
  hidden: number;
  steps: number;
  lr: number;
  seed: number;
  quiet: boolean;
}

export interface DemoResult {
  initialLoss: number;
  finalLoss: number;
  steps: number;
  seconds: number;
}

/**
 * The universal approximator in miniature: a one-hidden-layer tanh MLP fits sin(x) on
 * [−π, π] by full-batch gradient descent with momentum, written with the tensor engine only.
 */
export function fitSine(o: DemoOptions, log: (line: string) => void = console.log): DemoResult {
  manualSeed(o.seed);
  const x = linspace(-Math.PI, Math.PI, 256).reshape([-1, 1]);
  const y = x.sin();
  const w1 = randn([1, o.hidden]).requiresGrad_();
  const b1 = randn([o.hidden]).requiresGrad_();
  const w2 = randn([o.hidden, 1]).mul(1 / Math.sqrt(o.hidden)).requiresGrad_();
  const b2 = zeros([1], { requiresGrad: true });
  const params = [w1, b1, w2, b2];
  const velocity = params.map((p) => new Float32Array(p.numel()));
  const forward = (input: Tensor) => input.matmul(w1).add(b1).tanh().matmul(w2).add(b2);

  const bar = progressBar(o.steps, "fit sin(x)", o.quiet);
  const start = performance.now();
  let initialLoss = NaN;
  let loss = NaN;
  for (let step = 1; step <= o.steps; step++) {
    const l = forward(x).sub(y).square().mean();
    for (const p of params) p.grad = null;
    l.backward();
    loss = l.item();
    if (!Number.isFinite(loss)) throw new Error(`demo: loss became ${loss} at step ${step}; try a smaller --lr`);
    if (step === 1) initialLoss = loss;
    noGrad(() => params.forEach((p, k) => {
      const d = p.data, g = p.grad!.data, v = velocity[k];
      for (let i = 0; i < d.length; i++) {
        v[i] = 0.9 * v[i] + g[i];
        d[i] -= o.lr * v[i];
      }
    }));
    if (step % 25 === 0 || step === o.steps) bar.update(step, loss);
  }
  bar.stop();
  const seconds = (performance.now() - start) / 1000;

  if (!o.quiet) {
    log(`\nsin(x) vs the ${o.hidden}-unit MLP after ${o.steps} steps (mse ${loss.toExponential(2)}, was ${initialLoss.toFixed(3)}):`);
    const probe = linspace(-Math.PI, Math.PI, 9).reshape([-1, 1]);
    const fit = noGrad(() => forward(probe));
    for (let i = 0; i < 9; i++) {
      const xv = probe.data[i], t = Math.sin(xv), f = fit.data[i];
      log(`  x=${xv.toFixed(2).padStart(5)}  sin=${t.toFixed(3).padStart(6)}  mlp=${f.toFixed(3).padStart(6)}  ${bar1(t)}|${bar1(f)}`);
    }
  }
  return { initialLoss, finalLoss: loss, steps: o.steps, seconds };
}

function bar1(v: number): string {
  const n = Math.round((v + 1) * 10);
  return " ".repeat(Math.max(0, n)) + "*" + " ".repeat(Math.max(0, 20 - n));
}
