/**
 * W1/W2 (DESIGN.md §6): char-level language-model training, vocab 65, Embedding(65,64) →
 * LSTM(256) or GRU(256), seq 64, batch 32 → Linear(256,65) on every step → cross-entropy
 * (mean over all 32·64 tokens) → Adam(1e-3). One step = forward, loss, backward, Adam step;
 * worth 32·64 tokens.
 */
import { manualSeed, nn, optim, randint } from "../../src/index.js";
import type { Workload } from "../workloads/types.js";
import { nnzooTimed, tfjsTimed, tfMinimize, tfVars } from "./train.js";

export const [V, E, H, T, B] = [65, 64, 256, 64, 32];

export function charRnnWorkload(id: string, cell: "lstm" | "gru"): Workload {
  const name = cell === "lstm" ? "LSTM" : "GRU";
  return {
    id,
    title: `char-${name} LM training: Embedding(${V},${E}) → ${name}(${H}) → Linear(${H},${V}), seq ${T}, batch ${B}, cross-entropy, Adam(1e-3)`,
    unit: "tokens/s",
    cases: [`${cell}-${H}`],
    python: true,
    pythonEngines: ["torch-1t"],
    async setup(engine) {
      const scale = B * T;
      if (engine.startsWith("nnzoo")) {
        return nnzooTimed(engine, scale, () => {
          manualSeed(0);
          const emb = new nn.Embedding(V, E);
          const rnn = cell === "lstm" ? new nn.LSTM({ inputSize: E, hiddenSize: H, batchFirst: true }) : new nn.GRU({ inputSize: E, hiddenSize: H, batchFirst: true });
          const head = new nn.Linear(H, V);
          const opt = new optim.Adam([...emb.parameters(), ...rnn.parameters(), ...head.parameters()], { lr: 1e-3 });
          const x = randint(0, V, [B, T]), y = randint(0, V, [B * T]);
          return () => {
            const [out] = rnn.forward(emb.forward(x));
            const loss = nn.functional.crossEntropy(head.forward(out).reshape([-1, V]), y);
            opt.zeroGrad();
            loss.backward();
            opt.step();
            loss.item();
          };
        });
      }
      const onWasm = engine === "tfjs-wasm";
      return tfjsTimed(engine, scale, (tf) => {
        // tfjs-wasm cannot train an embedding layer (its gradient needs UnsortedSegmentSum, which wasm lacks):
        // the same parameters as a one-hot input times a bias-free Dense(65→64).
        const input = onWasm
          ? [tf.layers.dense({ units: E, useBias: false, inputShape: [T, V] })]
          : [tf.layers.embedding({ inputDim: V, outputDim: E, inputLength: T })];
        // Sigmoid gates as PyTorch (tfjs defaults to hardSigmoid); glorot instead of tfjs's orthogonal
        // recurrent init, which warns and is slow at this size (initialisation is not timed).
        const rnnArgs = { units: H, returnSequences: true, recurrentActivation: "sigmoid" as const, recurrentInitializer: "glorotUniform" as const };
        const model = tf.sequential({
          layers: [...input, cell === "lstm" ? tf.layers.lstm(rnnArgs) : tf.layers.gru(rnnArgs), tf.layers.dense({ units: V })],
        });
        const opt = tf.train.adam(1e-3);
        const ids = tf.randomUniform([B, T], 0, V, "int32");
        const x = onWasm ? tf.oneHot(ids, V).toFloat() : ids;
        const y = tf.oneHot(tf.randomUniform([B * T], 0, V, "int32"), V);
        const vars = tfVars(tf, model);
        const loss = () => tf.losses.softmaxCrossEntropy(y, (model.apply(x, { training: true }) as InstanceType<typeof tf.Tensor>).reshape([-1, V])) as never;
        return {
          step: () => void tfMinimize(tf, opt, loss, vars),
          dispose: () => {
            tf.dispose([ids, x, y]);
            model.dispose();
            opt.dispose();
          },
          note: [
            onWasm ? "one-hot input × Dense(65→64, no bias) instead of Embedding (tfjs-wasm cannot train its embedding)" : "",
            cell === "gru" ? "tfjs GRU supports only resetAfter=false (r applied before W_hn; PyTorch applies it after)" : "",
          ].filter(Boolean).join("; ") || undefined,
        };
      });
    },
  };
}
