import { describe, expect, it } from "vitest";
import { getBackend, manualSeed, nn, randn, stack, tensor, zeros, type Tensor } from "../../src/index.js";

const maxDiff = (a: Tensor, b: Tensor) => {
  expect(a.shape).toEqual(b.shape);
  let m = 0;
  for (let i = 0; i < a.data.length; i++) m = Math.max(m, Math.abs(a.data[i] - b.data[i]));
  return m;
};

/** An LSTM layer's forward direction of layer 0 as an LSTMCell with the same weights. */
function cellOf(lstm: nn.LSTM, suffix = "_l0"): nn.LSTMCell {
  const cell = new nn.LSTMCell(lstm.inputSize, lstm.hiddenSize, { dtype: "float64" });
  const sd = lstm.stateDict();
  cell.loadStateDict({ weight_ih: sd[`weight_ih${suffix}`], weight_hh: sd[`weight_hh${suffix}`], bias_ih: sd[`bias_ih${suffix}`], bias_hh: sd[`bias_hh${suffix}`] });
  return cell;
}

describe("recurrent layers: inspection with RNNTrace", () => {
  it("records h_t, c_t and gates, and after backward ∂L/∂h_t equal to retainGrad in an unrolled loop", () => {
    manualSeed(3);
    const T = 6, B = 2;
    const lstm = new nn.LSTM({ inputSize: 3, hiddenSize: 4, dtype: "float64" });
    const x = randn([T, B, 3], { dtype: "float64" });
    const trace = new nn.RNNTrace();
    const [out] = lstm.forward(x, null, { trace });
    // loss on the last step only: the gradient has to flow back through time
    out.select(0, T - 1).square().sum().backward();
    expect(trace.gateNames).toEqual(["i", "f", "g", "o"]);
    expect(trace.gates().shape).toEqual([T, B, 4, 4]);
    expect(maxDiff(trace.hidden(), out)).toBe(0);

    const cell = cellOf(lstm);
    let state: [Tensor, Tensor] | null = null;
    const hs: Tensor[] = [];
    for (let t = 0; t < T; t++) {
      state = cell.forward(x.select(0, t), state);
      hs.push(state[0].retainGrad());
    }
    hs[T - 1].square().sum().backward();
    const gradH = trace.gradHidden()!;
    for (let t = 0; t < T; t++) expect(maxDiff(gradH.select(0, t), hs[t].grad!)).toBeLessThan(1e-14);
    expect(maxDiff(trace.cell().select(0, T - 1), state![1])).toBeLessThan(1e-14);
    // the forget gate at step 2 recomputed from the cell's equations
    const h1 = hs[1].detach();
    const pre = x.select(0, 2).matmul(cell.weight_ih.t()).add(cell.bias_ih!).add(h1.matmul(cell.weight_hh.t())).add(cell.bias_hh!);
    expect(maxDiff(trace.gate("f").select(0, 2), pre.narrow(1, 4, 4).sigmoid())).toBeLessThan(1e-14);
    const norms = trace.gradNorms()!;
    expect(norms.length).toBe(T);
    expect(norms[0]).toBeLessThan(norms[T - 1]);
  });

  it("traces every layer and direction, time-indexed, with GRU gate names", () => {
    const gru = new nn.GRU({ inputSize: 2, hiddenSize: 3, numLayers: 2, bidirectional: true, batchFirst: true });
    const trace = new nn.RNNTrace();
    const [out] = gru.forward(randn([4, 5, 2]), null, { trace });
    expect(trace.layers.length).toBe(2);
    expect(trace.layers[1].length).toBe(2);
    expect(trace.gateNames).toEqual(["r", "z", "n"]);
    // the top layer's reverse hidden states are the second half of the (batch-first) output
    expect(maxDiff(trace.hidden(-1, 1), out.narrow(2, 3, 3).transpose(0, 1))).toBe(0);
    expect(trace.gradHidden()).toBe(null);
    out.sum().backward();
    expect(trace.gradHidden(0, 1)!.shape).toEqual([5, 4, 3]);
    expect(() => trace.gate("i")).toThrow('RNNTrace: gate must be one of ["r","z","n"], got "i"');
  });
});

describe("recurrent layers: variable lengths", () => {
  it("a prefix mask gives the same result as lengths", () => {
    const lstm = new nn.LSTM({ inputSize: 2, hiddenSize: 3, batchFirst: true, bidirectional: true });
    const x = randn([3, 4, 2]);
    const mask = tensor([[1, 1, 1, 1], [1, 1, 0, 0], [1, 0, 0, 0]]);
    const [a, [ha]] = lstm.forward(x, null, { lengths: [4, 2, 1] });
    const [b, [hb]] = lstm.forward(x, null, { mask });
    expect(a.toArray()).toEqual(b.toArray());
    expect(ha.toArray()).toEqual(hb.toArray());
  });

  it("each sequence gives what it gives alone, at its own length", () => {
    const gru = new nn.GRU({ inputSize: 2, hiddenSize: 3, numLayers: 2, bidirectional: true, dtype: "float64" });
    const x = randn([5, 3, 2], { dtype: "float64" });
    const lengths = [5, 2, 3];
    const [out, hN] = gru.forward(x, null, { lengths });
    lengths.forEach((L, b) => {
      const [alone, hAlone] = gru.forward(x.narrow(0, 0, L).narrow(1, b, 1));
      expect(maxDiff(out.narrow(0, 0, L).narrow(1, b, 1), alone)).toBeLessThan(1e-14);
      expect(maxDiff(hN.narrow(1, b, 1), hAlone)).toBeLessThan(1e-14);
      if (L < 5) expect(out.narrow(0, L, 5 - L).narrow(1, b, 1).abs().sum().item()).toBe(0);
    });
  });

  it("a zero length keeps the initial state and outputs zeros", () => {
    const rnn = new nn.RNN({ inputSize: 2, hiddenSize: 3 });
    const h0 = randn([1, 2, 3]);
    const [out, hN] = rnn.forward(randn([4, 2, 2]), h0, { lengths: [0, 4] });
    expect(out.narrow(1, 0, 1).abs().sum().item()).toBe(0);
    expect(hN.select(1, 0).toArray()).toEqual(h0.select(1, 0).toArray());
  });
});

describe("recurrent layers: shapes and modes", () => {
  it("unbatched input equals a batch of one", () => {
    const lstm = new nn.LSTM({ inputSize: 3, hiddenSize: 2, numLayers: 2 });
    const x = randn([5, 3]);
    const [o1, [h1, c1]] = lstm.forward(x);
    const [o2, [h2, c2]] = lstm.forward(x.unsqueeze(1));
    expect(o1.shape).toEqual([5, 2]);
    expect(h1.shape).toEqual([2, 2]);
    expect(o1.toArray()).toEqual(o2.squeeze(1).toArray());
    expect(h1.toArray()).toEqual(h2.squeeze(1).toArray());
    expect(c1.toArray()).toEqual(c2.squeeze(1).toArray());
  });

  it("returns PyTorch's shapes: batchFirst output, states [layers·dirs, batch, H]", () => {
    const lstm = new nn.LSTM(8, 16, { numLayers: 3, bidirectional: true, batchFirst: true });
    const [out, [hN, cN]] = lstm.forward(randn([4, 7, 8]));
    expect(out.shape).toEqual([4, 7, 32]);
    expect(hN.shape).toEqual([6, 4, 16]);
    expect(cN.shape).toEqual([6, 4, 16]);
    expect(lstm.namedParameters().length).toBe(24);
    expect(String(lstm)).toBe("LSTM(8, 16, numLayers=3, batchFirst=true, bidirectional=true)");
  });

  it("dropout acts between layers only while training", () => {
    manualSeed(0);
    const gru = new nn.GRU({ inputSize: 3, hiddenSize: 8, numLayers: 2, dropout: 0.5 });
    const x = randn([4, 2, 3]);
    const [a] = gru.forward(x);
    const [b] = gru.forward(x);
    expect(a.toArray()).not.toEqual(b.toArray());
    gru.eval();
    const [c] = gru.forward(x);
    const [d] = gru.forward(x);
    expect(c.toArray()).toEqual(d.toArray());
    const single = new nn.GRU({ inputSize: 3, hiddenSize: 8, dropout: 0.5 });
    expect(single.forward(x)[0].toArray()).toEqual(single.forward(x)[0].toArray()); // no layer above the last
  });

  it("projects the input for all time steps in one GEMM per layer and direction", () => {
    const T = 6, B = 2;
    const lstm = new nn.LSTM({ inputSize: 3, hiddenSize: 4, numLayers: 2, bidirectional: true });
    const be = getBackend();
    const original = be.gemm;
    const rows: number[] = [];
    (be as { gemm: typeof original }).gemm = (...args: Parameters<typeof original>) => {
      rows.push(args[6]);
      return original(...args);
    };
    try {
      lstm.forward(randn([T, B, 3]));
    } finally {
      (be as { gemm: typeof original }).gemm = original;
    }
    expect(rows.filter((m) => m === T * B).length).toBe(4); // x·W_ihᵀ: one per layer and direction
    expect(rows.filter((m) => m === B).length).toBe(4 * T); // h·W_hhᵀ: one per step
    expect(rows.length).toBe(4 + 4 * T);
  });

  it("accepts positional sizes or an options object, and a dtype", () => {
    const a = new nn.GRU(3, 4, { numLayers: 2 });
    const b = new nn.GRU({ inputSize: 3, hiddenSize: 4, numLayers: 2 });
    expect(Object.keys(a.stateDict())).toEqual(Object.keys(b.stateDict()));
    const c = new nn.RNN({ inputSize: 1, hiddenSize: 2, nonlinearity: "relu", dtype: "float64" });
    expect(c.forward(zeros([3, 1, 1], { dtype: "float64" }))[0].dtype).toBe("float64");
  });
});

describe("cells", () => {
  it("take unbatched input and default to zero state", () => {
    const cell = new nn.GRUCell(3, 2);
    const x = randn([3]);
    const h = cell.forward(x);
    expect(h.shape).toEqual([2]);
    expect(h.toArray()).toEqual(cell.forward(x.unsqueeze(0), zeros([1, 2])).squeeze(0).toArray());
  });

  it("step by step equal the layer", () => {
    const lstm = new nn.LSTM({ inputSize: 3, hiddenSize: 4, dtype: "float64" });
    const cell = cellOf(lstm);
    const x = randn([5, 2, 3], { dtype: "float64" });
    const [out] = lstm.forward(x);
    let s: [Tensor, Tensor] | null = null;
    const hs: Tensor[] = [];
    for (let t = 0; t < 5; t++) hs.push((s = cell.forward(x.select(0, t), s))[0]);
    expect(maxDiff(stack(hs, 0), out)).toBeLessThan(1e-14);
  });
});
