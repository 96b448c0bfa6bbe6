/**
 * W3 — MLP training (DESIGN.md §6): 784→256→256→10 with ReLU, batch 128, cross-entropy,
 * Adam(1e-3), on fixed random inputs and labels. One step is worth 128 samples.
 */
import { manualSeed, nn, optim, randint, randn } from "../../src/index.js";
import { tfjsTimed, nnzooTimed, tfMinimize, tfVars } from "../lib/train.js";
import type { Workload } from "./types.js";

const [D, Hd, C, N] = [784, 256, 10, 128];

export const w3: Workload = {
  id: "W3",
  title: `MLP training ${D}→${Hd}→${Hd}→${C} (ReLU), batch ${N}, cross-entropy, Adam(1e-3)`,
  unit: "samples/s",
  cases: ["mlp-784-256-256-10"],
  python: true,
  pythonEngines: ["torch-1t"],
  async setup(engine) {
    if (engine.startsWith("nnzoo")) {
      return nnzooTimed(engine, N, () => {
        manualSeed(0);
        const model = new nn.Sequential(new nn.Linear(D, Hd), new nn.ReLU(), new nn.Linear(Hd, Hd), new nn.ReLU(), new nn.Linear(Hd, C));
        const opt = new optim.Adam(model.parameters(), { lr: 1e-3 });
        const x = randn([N, D]), y = randint(0, C, [N]);
        return () => {
          const loss = nn.functional.crossEntropy(model.forward(x), y);
          opt.zeroGrad();
          loss.backward();
          opt.step();
          loss.item();
        };
      });
    }
    return tfjsTimed(engine, N, (tf) => {
      const model = tf.sequential({
        layers: [
          tf.layers.dense({ units: Hd, activation: "relu", inputShape: [D] }),
          tf.layers.dense({ units: Hd, activation: "relu" }),
          tf.layers.dense({ units: C }),
        ],
      });
      const opt = tf.train.adam(1e-3);
      const x = tf.randomNormal([N, D]), y = tf.oneHot(tf.randomUniform([N], 0, C, "int32"), C);
      const vars = tfVars(tf, model);
      const loss = () => tf.losses.softmaxCrossEntropy(y, model.apply(x, { training: true }) as InstanceType<typeof tf.Tensor>) as never;
      return {
        step: () => void tfMinimize(tf, opt, loss, vars),
        dispose: () => {
          tf.dispose([x, y]);
          model.dispose();
          opt.dispose();
        },
      };
    });
  },
};
