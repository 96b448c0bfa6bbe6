import { fail } from "../core/errors.js";
import { zeros } from "../core/ops/creation.js";
import { embedding } from "../core/ops/indexing.js";
import type { Tensor } from "../core/tensor.js";
import { badShape, floatDType, isTensor, positiveInt } from "./check.js";
import { normal_ } from "./init.js";
import { Module, type ModuleOptions } from "./module.js";

/** Embedding's options. */
export interface EmbeddingOptions extends ModuleOptions {
  /** This row stays zero-initialised and gets no gradient (a padding token). Negative counts from the end. */
  paddingIdx?: number | null;
}

/**
 * A lookup table: y[..., :] = W[index, :].
 *
 * - `numEmbeddings` (vocabulary size), `embeddingDim`; options `{ paddingIdx, dtype }`
 * - parameter `weight` `[numEmbeddings, embeddingDim]` ~ N(0, 1) (PyTorch's default), the
 *   paddingIdx row zero
 * - input int32 `[batch, time]` (any shape) → output `[batch, time, embeddingDim]`
 *
 * ```ts
 * const emb = new nn.Embedding(65, 64, { paddingIdx: 0 });
 * const x = emb.forward(tokens);   // tokens int32 [32, 64] → [32, 64, 64]
 * ```
 */
export class Embedding extends Module {
  readonly numEmbeddings: number;
  readonly embeddingDim: number;
  readonly paddingIdx: number | null;
  weight: Tensor;

  constructor(numEmbeddings: number, embeddingDim: number, options: EmbeddingOptions = {}) {
    super();
    this.numEmbeddings = positiveInt("Embedding", "numEmbeddings", numEmbeddings);
    this.embeddingDim = positiveInt("Embedding", "embeddingDim", embeddingDim);
    let pad = options.paddingIdx ?? null;
    if (pad !== null) {
      if (!Number.isInteger(pad) || pad < -numEmbeddings || pad >= numEmbeddings) fail("Embedding", `paddingIdx must be an integer in [${-numEmbeddings}, ${numEmbeddings}), got ${pad}`);
      if (pad < 0) pad += numEmbeddings;
    }
    this.paddingIdx = pad;
    this.weight = this.registerParameter("weight", zeros([numEmbeddings, embeddingDim], { dtype: floatDType("Embedding", options.dtype) }));
    this.resetParameters();
  }

  /**
   * An Embedding holding `weights` `[numEmbeddings, embeddingDim]` (copied), frozen
   * (requiresGrad false) unless `freeze: false`.
   */
  static fromPretrained(weights: Tensor, options: { freeze?: boolean; paddingIdx?: number | null } = {}): Embedding {
    isTensor("Embedding.fromPretrained", "weights", weights);
    if (weights.ndim !== 2) badShape("Embedding.fromPretrained", "weights", "[numEmbeddings, embeddingDim]", weights);
    const dtype = weights.dtype === "float64" ? "float64" : "float32";
    const emb = new Embedding(weights.shape[0], weights.shape[1], { paddingIdx: options.paddingIdx, dtype });
    emb.weight.data.set(weights.data);
    if (options.freeze ?? true) emb.weight.requiresGrad = false;
    return emb;
  }

  /** N(0, 1), with the padding row zeroed. */
  resetParameters(): void {
    normal_(this.weight);
    if (this.paddingIdx !== null) this.weight.data.fill(0, this.paddingIdx * this.embeddingDim, (this.paddingIdx + 1) * this.embeddingDim);
  }

  forward(input: Tensor): Tensor {
    isTensor("Embedding", "input", input);
    if (input.dtype !== "int32") fail("Embedding", `input must be int32 indices, got ${input.dtype}`);
    return embedding(input, this.weight, { paddingIdx: this.paddingIdx });
  }

  override extraRepr(): string {
    return `${this.numEmbeddings}, ${this.embeddingDim}${this.paddingIdx === null ? "" : `, paddingIdx=${this.paddingIdx}`}`;
  }
}
