/**
 * W4 — MLP GAN training on 784-d data, batch 64 (DESIGN.md §6): G z64→256 (LeakyReLU 0.2)→784
 * tanh; D 784→256 (LeakyReLU 0.2)→1; the iteration of bench/lib/gan.ts.
 */
import { manualSeed, nn, rand, randn } from "../../src/index.js";
import { nnzooGanStep, tfjsGanStep } from "../lib/gan.js";
import { nnzooTimed, tfjsTimed } from "../lib/train.js";
import type { Workload } from "./types.js";

const [Z, Hd, X, N] = [64, 256, 784, 64];

export const w4: Workload = {
  id: "W4",
  title: `MLP GAN training: G z${Z}→${Hd}→${X} tanh, D ${X}→${Hd}→1, LeakyReLU 0.2, batch ${N}, BCE with logits, Adam(2e-4, β1 0.5)`,
  unit: "it/s",
  cases: ["mlp-gan-784"],
  python: true,
  pythonEngines: ["torch-1t"],
  async setup(engine) {
    if (engine.startsWith("nnzoo")) {
      return nnzooTimed(engine, 1, () => {
        manualSeed(0);
        const G = new nn.Sequential(new nn.Linear(Z, Hd), new nn.LeakyReLU(0.2), new nn.Linear(Hd, X), new nn.Tanh());
        const D = new nn.Sequential(new nn.Linear(X, Hd), new nn.LeakyReLU(0.2), new nn.Linear(Hd, 1));
        return nnzooGanStep(G, D, rand([N, X]).mul(2).sub(1), randn([N, Z]));
      });
    }
    return tfjsTimed(engine, 1, (tf) => {
      const G = tf.sequential({
        layers: [
          tf.layers.dense({ units: Hd, inputShape: [Z] }), tf.layers.leakyReLU({ alpha: 0.2 }),
          tf.layers.dense({ units: X, activation: "tanh" }),
        ],
      });
      const D = tf.sequential({
        layers: [tf.layers.dense({ units: Hd, inputShape: [X] }), tf.layers.leakyReLU({ alpha: 0.2 }), tf.layers.dense({ units: 1 })],
      });
      return tfjsGanStep(tf, G, D, tf.randomUniform([N, X], -1, 1), tf.randomNormal([N, Z]));
    });
  },
};
