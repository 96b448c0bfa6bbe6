import { describe, expect, it } from "vitest";
import * as nz from "../../src/index.js";
import { NNZooError, randn, tensor, zeros } from "../../src/index.js";

const i32 = (v: number[]) => tensor(v, { dtype: "int32" });

/** [call, exact message or pattern]: every error names the op, the argument, the expectation and what came. */
const cases: Array<[string, () => unknown, string | RegExp]> = [
  ["matmul inner dims", () => zeros([32, 512]).matmul(zeros([256, 1024])), "matmul: a is [32,512] and b is [256,1024]; inner dimensions 512 and 256 differ"],
  ["matmul 0-d", () => nz.matmul(tensor(1), zeros([2])), "matmul: both arguments need at least one dimension, got a [] and b [2]"],
  ["matmul batch", () => zeros([2, 3, 4]).matmul(zeros([3, 4, 5])), "matmul: cannot broadcast a's batch dims [2] with b's batch dims [3]: dim -1 is 2 vs 3"],
  ["broadcast", () => zeros([2, 3]).add(zeros([4])), "add: cannot broadcast a [2,3] with b [4]: dim -1 is 3 vs 4"],
  ["not a tensor", () => zeros([2]).add([1, 2] as never), "add: b must be a Tensor or a number, got an array (wrap it with tensor())"],
  ["reshape size", () => zeros([2, 3]).reshape([4, 2]), "reshape: cannot reshape [2,3] (6 elements) into [4,2] (8 elements)"],
  ["reshape two -1", () => zeros([2, 3]).reshape([-1, -1]), "reshape: only one dimension can be -1, got [-1,-1]"],
  ["dim range", () => zeros([2, 3]).sum(2), "sum: dim 2 is out of range for a tensor with 2 dimensions (expected -2..1)"],
  ["dim twice", () => zeros([2, 3]).sum([1, -1]), "sum: dim [1,-1] names a dimension twice"],
  ["select index", () => zeros([2, 3]).select(1, 3), "select: index 3 is out of range for dim 1 of size 3"],
  ["narrow length", () => zeros([2, 3]).narrow(1, 2, 2), "narrow: start 2 + length 2 exceeds dim 1 of size 3"],
  ["slice step", () => zeros([4]).slice(0, 0, 4, 0), "slice: step must be a non-zero integer, got 0"],
  ["index part", () => zeros([2, 3]).index("1:x"), 'index: part 0 "1:x" is not a slice like "1:3", "::2" or "-1"'],
  ["index count", () => zeros([2]).index(0, 1), "index: too many indices (2) for a tensor with 1 dims"],
  ["cat shapes", () => nz.cat([zeros([2, 3]), zeros([3, 3])], 1), "cat: tensors[1] has shape [3,3] but tensors[0] has [2,3]; all dims except 1 must match"],
  ["cat empty", () => nz.cat([]), "cat: expected a non-empty array of tensors"],
  ["stack shapes", () => nz.stack([zeros([2]), zeros([3])]), "stack: tensors[1] has shape [3] but tensors[0] has [2]; all must match"],
  ["split sections", () => zeros([5]).split([2, 2]), "split: sections [2,2] must be non-negative integers summing to dim 0's size 5"],
  ["permute dims", () => zeros([2, 3]).permute([0, 0]), "permute: dims must list each of the 2 dims once, got [0,0]"],
  ["expand", () => zeros([2, 3]).expand([4, 3]), "expand: cannot expand [2,3] to [4,3]: dim 0 has size 2, which is not 1"],
  ["gather index dtype", () => zeros([2, 3]).gather(1, zeros([2, 3])), "gather: index must be an int32 tensor, got float32"],
  ["gather index range", () => zeros([2, 3]).gather(1, i32([0, 5, 0, 0, 0, 0]).reshape([2, 3])), "gather: index 5 at flat position 1 is out of range for dim 1 of size 3"],
  ["gather shape", () => zeros([2, 3]).gather(1, i32([0, 0, 0]).reshape([3, 1])), "gather: index has shape [3,1] but x has [2,3]; they must match on every dim except 1"],
  ["indexSelect range", () => zeros([4, 2]).indexSelect(0, i32([1, -1])), "indexSelect: index -1 at flat position 1 is out of range for dim 0 of size 4"],
  ["embedding range", () => nz.embedding(i32([0, 10]), zeros([10, 4])), "embedding: index 10 at flat position 1 is out of range for the embedding table of size 10"],
  ["embedding weight", () => nz.embedding(i32([0]), zeros([10])), "embedding: weight must be 2-D [numEmbeddings, embeddingDim], got [10]"],
  ["oneHot range", () => nz.oneHot(i32([0, 3]), 3), "oneHot: index 3 at flat position 1 is out of range for numClasses of size 3"],
  ["conv2d channels", () => nz.conv2d(zeros([1, 3, 8, 8]), zeros([4, 2, 3, 3])), "conv2d: input has 3 channels but weight [4,2,3,3] with groups=1 expects 2"],
  ["conv2d rank", () => nz.conv2d(zeros([3, 8]), zeros([4, 3, 3, 3])), "conv2d: input must be [N, C, H, W] or [C, H, W], got [3,8]"],
  ["conv2d small", () => nz.conv2d(zeros([1, 1, 2, 2]), zeros([1, 1, 3, 3])), "conv2d: input [1,1,2,2] is too small for kernel [3,3] with padding [0,0] and dilation [1,1]"],
  ["conv2d stride", () => nz.conv2d(zeros([1, 1, 4, 4]), zeros([1, 1, 3, 3]), null, { stride: 0 }), "conv2d: stride must be an integer ≥ 1 or a pair of them, got 0"],
  ["conv2d same stride", () => nz.conv2d(zeros([1, 1, 4, 4]), zeros([1, 1, 3, 3]), null, { stride: 2, padding: "same" }), 'conv2d: padding "same" needs stride 1, got stride [2,2]'],
  ["conv2d bias", () => nz.conv2d(zeros([1, 1, 4, 4]), zeros([2, 1, 3, 3]), zeros([3])), "conv2d: bias must be [2], got [3]"],
  ["convTranspose2d outputPadding", () => nz.convTranspose2d(zeros([1, 1, 4, 4]), zeros([1, 1, 3, 3]), null, { stride: 2, outputPadding: 2 }), "convTranspose2d: outputPadding [2,2] must be smaller than stride [2,2] or dilation [1,1]"],
  ["maxPool2d padding", () => nz.maxPool2d(zeros([1, 1, 4, 4]), 2, { padding: 2 }), "maxPool2d: padding [2,2] must be at most half the kernel size [2,2]"],
  ["upsample args", () => nz.upsampleNearest2d(zeros([1, 1, 2, 2]), {}), "upsampleNearest2d: give exactly one of size and scaleFactor"],
  ["pad odd", () => nz.pad(zeros([2, 2]), [1]), "pad: pads must be an even-length array of integers covering at most 2 dims, got [1]"],
  ["pad reflect too big", () => nz.pad(zeros([1, 2]), [2, 0], { mode: "reflect" }), "pad: reflect pads must be smaller than the dim they pad: dim 1 of [1,2] has size 2, pads [2,0]"],
  ["dropout p", () => nz.dropout(zeros([2]), 1.5), "dropout: p must be a probability in [0, 1], got 1.5"],
  ["clamp order", () => zeros([2]).clamp(1, 0), "clamp: min (1) must not exceed max (0)"],
  ["item", () => zeros([2]).item(), "item: only one-element tensors can be converted to a number, got shape [2]"],
  ["tensor ragged", () => tensor([[1, 2], [3]]), "tensor: ragged nested array: element at [1] is an array of length 1, expected an array of length 2"],
  ["tensor element", () => tensor([1, "2" as never]), 'tensor: element at [1] is string 2, expected a number'],
  ["tensor int32", () => tensor([1.5], { dtype: "int32" }), "tensor: element at [0] is 1.5, which is not an int32"],
  ["tensor shape", () => tensor(new Float32Array(5), { shape: [2, 3] }), "tensor: shape [2,3] holds 6 elements but the array has 5"],
  ["tensor dtype", () => tensor([1], { dtype: "float16" as never }), 'tensor: dtype must be one of "float32", "float64", "int32", got "float16"'],
  ["zeros shape", () => zeros([2, -1]), "zeros: shape must be an array of non-negative integers, got [2,-1]"],
  ["arange step", () => nz.arange(0, 5, -1), "arange: step -1 goes the wrong way from 0 to 5"],
  ["randint range", () => nz.randint(3, 3, [2]), "randint: high (3) must be greater than low (3)"],
  ["to dtype", () => zeros([1]).to("bool" as never), 'to: dtype must be "float32", "float64" or "int32", got "bool"'],
  ["setBackend", () => nz.setBackend("cuda"), /^setBackend: unknown backend "cuda"; available: js/],
  ["reduce empty", () => zeros([0]).amax(), "amax: cannot reduce over dim 0 of size 0"],
  ["softmax dim", () => randn([2, 3]).softmax(3), "softmax: dim 3 is out of range for a tensor with 2 dimensions (expected -2..1)"],
];

describe("error messages name the op, the argument, what was expected and what came", () => {
  for (const [name, call, message] of cases) {
    it(name, () => {
      let caught: unknown;
      try {
        call();
      } catch (e) {
        caught = e;
      }
      expect(caught).toBeInstanceOf(NNZooError);
      if (typeof message === "string") expect((caught as Error).message).toBe(message);
      else expect((caught as Error).message).toMatch(message);
    });
  }
});
