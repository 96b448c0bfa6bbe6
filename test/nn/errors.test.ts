import { describe, expect, it } from "vitest";
import { nn, randn, tensor, zeros } from "../../src/index.js";

/** Bad input gives an error naming the module, the argument, and expected vs received. */
describe("nn: clear errors for bad input", () => {
  it("recurrent layers: input, states, lengths, mask", () => {
    const lstm = new nn.LSTM({ inputSize: 64, hiddenSize: 8, batchFirst: true });
    expect(() => lstm.forward(zeros([32, 10, 65]))).toThrow("LSTM: input must be [batch, time, 64] (batchFirst), got [32,10,65]");
    const gru = new nn.GRU({ inputSize: 4, hiddenSize: 3, numLayers: 2, bidirectional: true });
    expect(() => gru.forward(zeros([5, 2, 3]))).toThrow("GRU: input must be [time, batch, 4], got [5,2,3]");
    expect(() => gru.forward(zeros([5, 3]))).toThrow("GRU: input must be [time, 4] (unbatched), got [5,3]");
    expect(() => gru.forward(zeros([5, 2, 4]), zeros([2, 2, 3]))).toThrow("GRU: h0 must be [4,2,3] (numLayers·directions, batch, hiddenSize), got [2,2,3]");
    expect(() => gru.forward(zeros([5, 2, 4]), null, { lengths: [5] })).toThrow("GRU: lengths must have one entry per batch row (2), got 1");
    expect(() => gru.forward(zeros([5, 2, 4]), null, { lengths: [5, 6] })).toThrow("GRU: lengths[1] must be an integer in [0, 5] (the input's time length), got 6");
    expect(() => gru.forward(zeros([3, 2, 4]), null, { mask: tensor([[1, 0], [0, 1], [1, 1]]) })).toThrow("GRU: mask row 0 is not a prefix mask (a one follows a zero at time 2)");
    expect(() => gru.forward(zeros([3, 2, 4]), null, { mask: zeros([2, 3]) })).toThrow("GRU: mask must be [3,2] (the input's time, batch), got [2,3]");
    expect(() => lstm.forward(zeros([2, 3, 64]), [zeros([1, 2, 8]), zeros([1, 3, 8])])).toThrow("LSTM: c0 must be [1,2,8] (numLayers·directions, batch, hiddenSize), got [1,3,8]");
    expect(() => lstm.forward(tensor([[[1]]], { dtype: "int32" }))).toThrow("LSTM: input must be a float tensor (embed token ids first), got int32");
  });

  it("recurrent constructors", () => {
    expect(() => new nn.LSTM({ inputSize: 0, hiddenSize: 3 })).toThrow("LSTM: inputSize must be a positive integer, got 0");
    expect(() => new nn.GRU({ inputSize: 2, hiddenSize: 3, dropout: 1.5 })).toThrow("GRU: dropout must be a probability in [0, 1], got 1.5");
    expect(() => new nn.RNN({ inputSize: 2, hiddenSize: 3, nonlinearity: "sigmoid" as never })).toThrow('RNN: nonlinearity must be "tanh" or "relu", got "sigmoid"');
    expect(() => new nn.LSTM({ inputSize: 2, hiddenSize: 3, dtype: "float16" as never })).toThrow('LSTM: dtype must be "float32" or "float64", got "float16"');
  });

  it("cells", () => {
    const cell = new nn.LSTMCell(3, 4);
    expect(() => cell.forward(zeros([2, 5]))).toThrow("LSTMCell: input must be [batch, 3] or [3] (inputSize), got [2,5]");
    expect(() => cell.forward(zeros([2, 3]), [zeros([2, 4]), zeros([3, 4])])).toThrow("LSTMCell: c must be [2,4] (batch, hiddenSize), got [3,4]");
    expect(() => new nn.GRUCell(3, 4).forward(zeros([2, 3]), zeros([2, 5]))).toThrow("GRUCell: h must be [2,4] (batch, hiddenSize), got [2,5]");
  });

  it("layers", () => {
    expect(() => new nn.Linear(3, 2).forward(zeros([4, 5]))).toThrow("Linear: input must be [..., 3] (inFeatures), got [4,5]");
    expect(() => new nn.Linear(0, 2)).toThrow("Linear: inFeatures must be a positive integer, got 0");
    expect(() => new nn.Conv2d(3, 8, 3).forward(zeros([1, 1, 8, 8]))).toThrow("Conv2d: input must be [batch, 3, H, W] (inChannels), got [1,1,8,8]");
    expect(() => new nn.Conv2d(3, 8, 3, { groups: 2 })).toThrow("Conv2d: inChannels (3) must be divisible by groups (2)");
    expect(() => new nn.ConvTranspose2d(4, 2, 3).forward(zeros([1, 3, 5, 5]))).toThrow("ConvTranspose2d: input must be [batch, 4, H, W] (inChannels), got [1,3,5,5]");
    expect(() => new nn.BatchNorm1d(4).forward(zeros([8, 5]))).toThrow("BatchNorm1d: input must be [batch, 4] or [batch, 4, length] (numFeatures), got [8,5]");
    expect(() => new nn.BatchNorm2d(4).forward(zeros([8, 4, 3]))).toThrow("BatchNorm2d: input must be [batch, 4, H, W] (numFeatures), got [8,4,3]");
    expect(() => new nn.BatchNorm1d(4).forward(zeros([1, 4]))).toThrow("batchNorm: expected more than 1 value per channel when training, got input [1,4]");
    expect(() => new nn.LayerNorm([3, 4]).forward(zeros([2, 4, 3]))).toThrow("LayerNorm: input must be [..., 3, 4] (normalizedShape), got [2,4,3]");
    expect(() => new nn.Embedding(5, 2).forward(tensor([1, 2]))).toThrow("Embedding: input must be int32 indices, got float32");
    expect(() => new nn.Embedding(5, 2).forward(tensor([1, 7], { dtype: "int32" }))).toThrow("embedding: index 7 at flat position 1 is out of range for the embedding table of size 5");
    expect(() => new nn.Embedding(5, 2, { paddingIdx: 5 })).toThrow("Embedding: paddingIdx must be an integer in [-5, 5), got 5");
    expect(() => new nn.Dropout(2)).toThrow("Dropout: p must be a probability in [0, 1], got 2");
    expect(() => new nn.Linear(2, 2).forward([1, 2] as never)).toThrow("Linear: input must be a Tensor, got an array (wrap it with tensor())");
  });

  it("randn sanity for the suite", () => expect(randn([2]).shape).toEqual([2]));
});
