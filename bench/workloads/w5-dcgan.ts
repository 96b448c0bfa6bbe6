/**
 * W5 — DCGAN training on 28×28, batch 64 (DESIGN.md §6):
 *   G z100 → ConvT(100→128, 7) BN ReLU → ConvT(128→64, 4, s2, p1) BN ReLU → ConvT(64→1, 4, s2, p1) tanh
 *   D Conv(1→64, 4, s2, p1) LReLU → Conv(64→128, 4, s2, p1) BN LReLU → Linear(128·7·7 → 1)
 * with the iteration of bench/lib/gan.ts. TensorFlow.js runs the same layers in its NHWC
 * layout ("same" padding gives the stride-2 layers the same 14×14 / 28×28 / 7×7 sizes).
 */
import { manualSeed, nn, rand, randn } from "../../src/index.js";
import { nnzooGanStep, tfjsGanStep } from "../lib/gan.js";
import { nnzooTimed, tfjsTimed } from "../lib/train.js";
import type { Workload } from "./types.js";

const [Z, N] = [100, 64];

export const w5: Workload = {
  id: "W5",
  title: `DCGAN training on 28×28, batch ${N}, z${Z}, BCE with logits, Adam(2e-4, β1 0.5)`,
  unit: "it/s",
  cases: ["dcgan-28"],
  python: true,
  pythonEngines: ["torch-1t"],
  async setup(engine) {
    if (engine.startsWith("nnzoo")) {
      return nnzooTimed(engine, 1, () => {
        manualSeed(0);
        const G = new nn.Sequential(
          new nn.ConvTranspose2d(Z, 128, 7), new nn.BatchNorm2d(128), new nn.ReLU(),
          new nn.ConvTranspose2d(128, 64, 4, { stride: 2, padding: 1 }), new nn.BatchNorm2d(64), new nn.ReLU(),
          new nn.ConvTranspose2d(64, 1, 4, { stride: 2, padding: 1 }), new nn.Tanh(),
        );
        const D = new nn.Sequential(
          new nn.Conv2d(1, 64, 4, { stride: 2, padding: 1 }), new nn.LeakyReLU(0.2),
          new nn.Conv2d(64, 128, 4, { stride: 2, padding: 1 }), new nn.BatchNorm2d(128), new nn.LeakyReLU(0.2),
          new nn.Flatten(), new nn.Linear(128 * 7 * 7, 1),
        );
        return nnzooGanStep(G, D, rand([N, 1, 28, 28]).mul(2).sub(1), randn([N, Z, 1, 1]));
      });
    }
    return tfjsTimed(engine, 1, (tf) => {
      const L = tf.layers;
      const G = tf.sequential({
        layers: [
          L.conv2dTranspose({ filters: 128, kernelSize: 7, inputShape: [1, 1, Z] }), L.batchNormalization(), L.reLU(),
          L.conv2dTranspose({ filters: 64, kernelSize: 4, strides: 2, padding: "same" }), L.batchNormalization(), L.reLU(),
          L.conv2dTranspose({ filters: 1, kernelSize: 4, strides: 2, padding: "same", activation: "tanh" }),
        ],
      });
      const D = tf.sequential({
        layers: [
          L.conv2d({ filters: 64, kernelSize: 4, strides: 2, padding: "same", inputShape: [28, 28, 1] }), L.leakyReLU({ alpha: 0.2 }),
          L.conv2d({ filters: 128, kernelSize: 4, strides: 2, padding: "same" }), L.batchNormalization(), L.leakyReLU({ alpha: 0.2 }),
          L.flatten(), L.dense({ units: 1 }),
        ],
      });
      return tfjsGanStep(tf, G, D, tf.randomUniform([N, 28, 28, 1], -1, 1), tf.randomNormal([N, 1, 1, Z]));
    });
  },
};
