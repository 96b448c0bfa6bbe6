import type { Tensor } from "../../core/tensor.js";
import { crossEntropy, mse } from "../../nn/losses.js";
import type { RNNTrace } from "../../nn/recurrent.js";
import type { AddingBatch, CopyBatch } from "./data.js";
import type { MemoryNet } from "./model.js";

/**
 * The training loss of a batch (no file access, so the Lab's worker shares it with the CLI):
 * MSE of the sum (adding), or cross-entropy of the recalled symbols (copy, `alphabet` logits).
 * `out` is the prediction: [batch] sums, or [batch, K, alphabet] logits.
 */
export function memoryLoss(model: MemoryNet, problem: "adding" | "copy", alphabet: number, b: AddingBatch | CopyBatch, trace?: RNNTrace): { loss: Tensor; out: Tensor } {
  const out = model.forward(b.inputs, trace);
  if (problem === "adding") {
    const pred = out.reshape([-1]);
    return { loss: mse(pred, b.targets), out: pred };
  }
  return { loss: crossEntropy(out.reshape([-1, alphabet]), b.targets.reshape([-1])), out };
}
