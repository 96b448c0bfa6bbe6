import { describe, expect, it } from "vitest";
import { manualSeed, nn, randn, tensor, type Tensor } from "../../src/index.js";

type Module = nn.Module;
import { gradcheck } from "./helpers.js";

/**
 * Finite-difference gradient checks in float64 for every layer: the module's parameters and
 * its input are perturbed one entry at a time (up to 24 entries per tensor) and the central
 * difference must match backward's gradient.
 */

type Check = [string, () => { f: () => Tensor; inputs: Tensor[] }];

function moduleCheck(name: string, make: () => Module, shape: number[], run?: (m: Module, x: Tensor) => Tensor, int?: number): Check {
  return [name, () => {
    manualSeed(11);
    const m = make().to("float64");
    if (int !== undefined) {
      const x = tensor(Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => (i * 7) % int), { dtype: "int32", shape });
      return { f: () => m.forward(x), inputs: m.parameters() };
    }
    const x = randn(shape, { dtype: "float64", requiresGrad: true });
    return { f: () => (run ? run(m, x) : m.forward(x)), inputs: [x, ...m.parameters()] };
  }];
}

const lstmRun = (lengths?: number[], init?: boolean) => (m: Module, x: Tensor) => {
  const lstm = m as nn.LSTM;
  const D = lstm.bidirectional ? 2 : 1;
  const B = lstm.batchFirst ? x.shape[0] : x.shape[1];
  const h0 = init ? randnFixed([lstm.numLayers * D, B, lstm.hiddenSize]) : null;
  const [out, [h, c]] = lstm.forward(x, h0 ? [h0, h0.mul(0.5)] : null, { lengths });
  return out.sum().add(h.mul(2).sum()).add(c.sum()).add(out.square().sum());
};

const gruRun = (lengths?: number[]) => (m: Module, x: Tensor) => {
  const [out, h] = (m as nn.GRU).forward(x, null, { lengths });
  return out.square().sum().add(h.sum());
};

function randnFixed(shape: number[]): Tensor {
  manualSeed(99);
  return randn(shape, { dtype: "float64" });
}

const checks: Check[] = [
  moduleCheck("Linear", () => new nn.Linear(4, 3), [2, 4]),
  moduleCheck("Linear (3-D input, no bias)", () => new nn.Linear(4, 3, { bias: false }), [2, 2, 4]),
  moduleCheck("Conv2d (stride 2, padding 1)", () => new nn.Conv2d(2, 3, 3, { stride: 2, padding: 1 }), [2, 2, 5, 5]),
  moduleCheck("Conv2d (groups, dilation, reflect)", () => new nn.Conv2d(4, 2, 3, { groups: 2, dilation: 2, padding: 2, paddingMode: "reflect" }), [1, 4, 6, 6]),
  moduleCheck("ConvTranspose2d (stride 2, outputPadding)", () => new nn.ConvTranspose2d(3, 2, 3, { stride: 2, padding: 1, outputPadding: 1 }), [2, 3, 3, 3]),
  moduleCheck("Embedding", () => new nn.Embedding(6, 3), [2, 5], undefined, 6), // paddingIdx rows get no gradient by design (parity fixture)
  moduleCheck("BatchNorm1d (train)", () => new nn.BatchNorm1d(3), [5, 3]),
  moduleCheck("BatchNorm1d (eval)", () => new nn.BatchNorm1d(3).eval(), [5, 3, 2]),
  moduleCheck("BatchNorm2d (train)", () => new nn.BatchNorm2d(2), [3, 2, 2, 3]),
  moduleCheck("LayerNorm", () => new nn.LayerNorm([2, 3]), [4, 2, 3]),
  moduleCheck("ReLU", () => new nn.ReLU(), [3, 4]),
  moduleCheck("LeakyReLU", () => new nn.LeakyReLU(0.2), [3, 4]),
  moduleCheck("ELU", () => new nn.ELU(0.7), [3, 4]),
  moduleCheck("GELU", () => new nn.GELU(), [3, 4]),
  moduleCheck("GELU (tanh)", () => new nn.GELU("tanh"), [3, 4]),
  moduleCheck("Tanh", () => new nn.Tanh(), [3, 4]),
  moduleCheck("Sigmoid", () => new nn.Sigmoid(), [3, 4]),
  moduleCheck("Softplus", () => new nn.Softplus(2, 3), [3, 4]),
  moduleCheck("Softmax", () => new nn.Softmax(1), [3, 4]),
  moduleCheck("LogSoftmax", () => new nn.LogSoftmax(-1), [3, 4]),
  moduleCheck("MaxPool2d", () => new nn.MaxPool2d(2), [1, 2, 4, 4]),
  moduleCheck("RNNCell (tanh)", () => new nn.RNNCell(3, 4), [2, 3], (m, x) => (m as nn.RNNCell).forward(x, x.narrow(1, 0, 3).matmul(randnFixed([3, 4])))),
  moduleCheck("LSTMCell", () => new nn.LSTMCell(3, 4), [2, 3], (m, x) => { const [h, c] = (m as nn.LSTMCell).forward(x, [randnFixed([2, 4]), randnFixed([2, 4]).mul(2)]); return h.add(c); }),
  moduleCheck("GRUCell", () => new nn.GRUCell(3, 4), [2, 3], (m, x) => (m as nn.GRUCell).forward(x, randnFixed([2, 4]))),
  moduleCheck("RNN (relu, 2 layers, bidirectional, lengths)", () => new nn.RNN({ inputSize: 3, hiddenSize: 3, numLayers: 2, bidirectional: true, nonlinearity: "relu" }), [4, 3, 3], (m, x) => (m as nn.RNN).forward(x, null, { lengths: [4, 2, 3] })[0]),
  moduleCheck("RNN (tanh, batchFirst, h0)", () => new nn.RNN({ inputSize: 3, hiddenSize: 4, batchFirst: true }), [2, 5, 3], (m, x) => { const [o, h] = (m as nn.RNN).forward(x, randnFixed([1, 2, 4])); return o.sum().add(h.square().sum()); }),
  moduleCheck("LSTM (2 layers, bidirectional, lengths, initial state)", () => new nn.LSTM({ inputSize: 3, hiddenSize: 3, numLayers: 2, bidirectional: true }), [4, 3, 3], lstmRun([4, 1, 3], true)),
  moduleCheck("LSTM (batchFirst, no bias)", () => new nn.LSTM({ inputSize: 2, hiddenSize: 4, batchFirst: true, bias: false }), [2, 5, 2], lstmRun()),
  moduleCheck("GRU (3 layers, bidirectional, lengths)", () => new nn.GRU({ inputSize: 2, hiddenSize: 3, numLayers: 3, bidirectional: true }), [5, 2, 2], gruRun([3, 5])),
  moduleCheck("GRU (batchFirst)", () => new nn.GRU({ inputSize: 3, hiddenSize: 4, batchFirst: true }), [3, 4, 3], gruRun()),
];

describe("gradient checks (float64): layers", () => {
  it.each(checks)("%s", (_name, make) => {
    const { f, inputs } = make();
    expect(gradcheck(f, inputs)).toBeLessThanOrEqual(1);
  });

  it("the initial states get gradients too", () => {
    manualSeed(5);
    const lstm = new nn.LSTM({ inputSize: 2, hiddenSize: 3, numLayers: 2, bidirectional: true, dtype: "float64" });
    const x = randn([4, 2, 2], { dtype: "float64" });
    const h0 = randn([4, 2, 3], { dtype: "float64", requiresGrad: true });
    const c0 = randn([4, 2, 3], { dtype: "float64", requiresGrad: true });
    const f = () => {
      const [out, [h, c]] = lstm.forward(x, [h0, c0], { lengths: [2, 4] });
      return out.square().sum().add(h.sum()).add(c.mul(3).sum());
    };
    expect(gradcheck(f, [h0, c0], { maxPerTensor: 48 })).toBeLessThanOrEqual(1);
  });
});
