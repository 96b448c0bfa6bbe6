/**
 * nnzoo's nn: modules with PyTorch's names, layouts, initialisations and numerics.
 *
 * ```ts
 * import { nn } from "nnzoo";
 * const lstm = new nn.LSTM({ inputSize: 64, hiddenSize: 256, batchFirst: true });
 * const loss = nn.functional.crossEntropy(logits, targets);
 * ```
 */
export { Module, Sequential, ModuleList, type FloatDType, type ModuleOptions, type StateDict, type LoadStateDictResult } from "./module.js";
export { Linear, Identity, Flatten, Unflatten, type LinearOptions } from "./linear.js";
export { Embedding, type EmbeddingOptions } from "./embedding.js";
export { Conv2d, ConvTranspose2d, type Conv2dOptions, type ConvTranspose2dOptions } from "./conv.js";
export { MaxPool2d, AvgPool2d, Upsample } from "./pool.js";
export { BatchNorm1d, BatchNorm2d, LayerNorm, type BatchNormOptions, type LayerNormOptions } from "./norm.js";
export { Dropout } from "./dropout.js";
export { ReLU, LeakyReLU, ELU, GELU, Tanh, Sigmoid, Softplus, Softmax, LogSoftmax } from "./activation.js";
export {
  RNNCell, LSTMCell, GRUCell, RNN, LSTM, GRU, RNNTrace,
  type CellOptions, type RNNBaseOptions, type RNNOptions, type RecurrentForwardOptions,
} from "./recurrent.js";
export type { ScanRecord } from "../core/ops/rnn.js";
export * as functional from "./functional.js";
export * as init from "./init.js";
export * as utils from "./utils.js";
