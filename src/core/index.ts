/** The tensor engine: tensors, autograd, ops, randomness. */
export { Tensor, type NestedArray } from "./tensor.js";
export { type DType, type TypedArray, DTYPES } from "./dtype.js";
export { NNZooError } from "./errors.js";
export { useStorageSlabs, isSlabView } from "./storage.js";
export { noGrad, isGradEnabled, setGradEnabled } from "./autograd.js";
export { Generator, manualSeed, getRngState, setRngState, type RngState } from "./random.js";
export {
  tensor, zeros, ones, full, zerosLike, onesLike, fullLike, arange, linspace, eye,
  rand, randn, randint, randLike, randnLike, type TensorOptions, type RandomOptions,
} from "./ops/creation.js";
export { add, sub, mul, div, pow, maximum, minimum, eq, ne, lt, le, gt, ge, where } from "./ops/binary.js";
export {
  neg, abs, sign, exp, log, log1p, sqrt, rsqrt, square, reciprocal, sin, cos, erf,
  tanh, sigmoid, relu, leakyRelu, elu, gelu, softplus, clamp,
} from "./ops/unary.js";
export { sum, mean, variance as var, std, amax, amin, argmax, argmin, logsumexp, type VarOptions } from "./ops/reduce.js";
export { softmax, logSoftmax } from "./ops/softmax.js";
export { matmul } from "./ops/matmul.js";
export { reshape, flatten, squeeze, unsqueeze, permute, transpose, expand } from "./ops/shape.js";
export { slice, narrow, select, index, flip, cat, stack, split, chunk, type IndexPart } from "./ops/slice.js";
export { indexSelect, gather, scatterAdd, embedding, oneHot } from "./ops/indexing.js";
export { pad, type PadOptions } from "./ops/pad.js";
export { conv2d, convTranspose2d, type Conv2dOptions, type ConvTranspose2dOptions } from "./ops/conv.js";
export { maxPool2d, avgPool2d, upsampleNearest2d, type MaxPool2dOptions, type AvgPool2dOptions } from "./ops/pool.js";
export { dropout } from "./ops/dropout.js";
