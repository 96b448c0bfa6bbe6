import { allocArray } from "../../core/dtype.js";
import type { Backend } from "../backend.js";
import { avgPool2d, avgPool2dBackward, col2im, im2col, maxPool2d } from "./conv.js";
import { binary, copy, unary, where } from "./elementwise.js";
import { gemm } from "./gemm.js";
import { gather, indexAdd, indexSelect, scatterAdd } from "./indexing.js";
import { reduce, softmax } from "./reduce.js";
import { gruCell, gruCellBackward, lstmCell, lstmCellBackward, rnnCell, rnnCellBackward } from "./rnn.js";

/** The readable reference backend: plain loops over typed arrays on the JavaScript heap. */
export const jsBackend: Backend = {
  name: "js",
  alloc: allocArray,
  unary, binary, where, copy, reduce, softmax, gemm,
  gather, scatterAdd, indexSelect, indexAdd,
  im2col, col2im, maxPool2d, avgPool2d, avgPool2dBackward,
  lstmCell, lstmCellBackward, gruCell, gruCellBackward, rnnCell, rnnCellBackward,
};
