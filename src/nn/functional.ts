/**
 * nn.functional: the stateless forms of the layers and every loss, like
 * torch.nn.functional. Activations, convolutions, pooling, dropout, embedding and padding
 * are the core ops (src/core/ops), re-exported here so models can import one namespace.
 *
 * ```ts
 * const F = nn.functional;
 * const h = F.relu(F.linear(x, w1, b1));
 * const loss = F.crossEntropy(F.linear(h, w2, b2), labels);
 * ```
 */
export {
  crossEntropy, nllLoss, bceWithLogits, binaryCrossEntropy, mse, l1, smoothL1, huber,
  mseLoss, l1Loss, smoothL1Loss, huberLoss, klDivergence, klDiv,
  type Reduction, type ClassLossOptions, type CrossEntropyOptions, type BinaryLossOptions,
} from "./losses.js";
export { linear } from "./linear.js";
export { batchNorm, layerNorm, type BatchNormFunctionalOptions } from "./norm.js";
export { gelu } from "./activation.js";
export { relu, leakyRelu, elu, sigmoid, tanh, softplus } from "../core/ops/unary.js";
export { softmax, logSoftmax } from "../core/ops/softmax.js";
export { dropout } from "../core/ops/dropout.js";
export { embedding, oneHot } from "../core/ops/indexing.js";
export { conv2d, convTranspose2d, type Conv2dOptions, type ConvTranspose2dOptions } from "../core/ops/conv.js";
export { maxPool2d, avgPool2d, upsampleNearest2d, type MaxPool2dOptions, type AvgPool2dOptions } from "../core/ops/pool.js";
export { pad, type PadOptions } from "../core/ops/pad.js";
