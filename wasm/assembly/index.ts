// nnzoo's WebAssembly kernels (AssemblyScript, 128-bit SIMD). Built by wasm/build.mjs into
// src/kernels/wasm/kernels.generated.ts; the loader is src/kernels/wasm/.
export { gemmBlock, gemmScratchBytes } from "./gemm";
export { unary, binary, where } from "./elementwise";
export { reduce, softmax } from "./reduce";
export { im2col, col2im } from "./conv";
export { workerLoop, gemmParallel, shutdown } from "./threads";
export { adam } from "./optim";

/** First byte after the module's static data. */
export function heapBase(): usize {
  return __heap_base;
}
export { lstmCell, lstmCellBackward, gruCell, gruCellBackward, rnnCell, rnnCellBackward } from "./rnn";
