import { describe, expect, it } from "vitest";
import { getBackend, listBackends, manualSeed, nn, noGrad, randint, randn, setBackend, zeros, type Tensor } from "../../src/index.js";
import { recurrentScan, type RecurrentMode } from "../../src/core/ops/rnn.js";

describe("DESIGN §3: the nn contract, as written there", () => {
  it("runs the documented snippet", () => {
    const lstm = new nn.LSTM({ inputSize: 64, hiddenSize: 16, numLayers: 2, bias: true, batchFirst: true, dropout: 0, bidirectional: true });
    const x = randn([3, 5, 64]);
    const h0 = zeros([4, 3, 16]), c0 = zeros([4, 3, 16]);
    const [out, [hn, cn]] = lstm.forward(x, [h0, c0]);
    expect([out.shape, hn.shape, cn.shape]).toEqual([[3, 5, 32], [4, 3, 16], [4, 3, 16]]);
    expect(lstm.namedParameters()[0][0]).toBe("weight_ih_l0");
    expect(Object.keys(lstm.stateDict()).slice(0, 8)).toEqual([
      "weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0",
      "weight_ih_l0_reverse", "weight_hh_l0_reverse", "bias_ih_l0_reverse", "bias_hh_l0_reverse",
    ]);
    lstm.loadStateDict(lstm.stateDict(), { strict: true });
    const emb = new nn.Embedding(65, 64, { paddingIdx: 0 });
    const fc = new nn.Linear(32, 65, { bias: true });
    const conv = new nn.Conv2d(1, 32, 3, { stride: 1, padding: 1 });
    expect(conv.forward(randn([2, 1, 8, 8])).shape).toEqual([2, 32, 8, 8]);
    const tokens = randint(0, 65, [3, 5]);
    const [h] = lstm.forward(emb.forward(tokens));
    const logits = fc.forward(h);
    const loss = nn.functional.crossEntropy(logits.reshape([-1, 65]), randint(0, 65, [15]));
    loss.backward();
    const norm = nn.utils.clipGradNorm([...lstm.parameters(), ...fc.parameters(), ...emb.parameters()], 5);
    expect(Number.isFinite(norm)).toBe(true);
    noGrad(() => expect(fc.forward(h).requiresGrad).toBe(false));
  });
});

describe("the fused recurrent scan gives the same results on every backend", () => {
  const modes: RecurrentMode[] = ["lstm", "gru", "rnnTanh", "rnnRelu"];
  it.each(modes)("%s", (mode) => {
    const G = mode === "lstm" ? 4 : mode === "gru" ? 3 : 1;
    const T = 7, B = 5, H = 24;
    manualSeed(8);
    const xProj = randn([T, B, G * H]);
    const w = randn([G * H, H]).mul(0.2).detach();
    const b = randn([G * H]);
    const h0 = randn([B, H]), c0 = randn([B, H]);
    const gOut = randn([T, B, H]);
    const run = (): Tensor[] => {
      const leaves = [xProj, w, b, h0, c0].map((t) => t.detach().clone().requiresGrad_());
      const [p, ww, bb, hh, cc] = leaves;
      const res = recurrentScan(mode, p, ww, bb, hh, mode === "lstm" ? cc : null, { reverse: true, lengths: Int32Array.from([7, 3, 5, 1, 7]) });
      res.output.mul(gOut).sum().add(res.h.sum()).backward();
      return [res.output, res.h, ...leaves.slice(0, mode === "lstm" ? 5 : 4).map((t) => t.grad!)];
    };
    const before = getBackend().name;
    const results = new Map<string, Tensor[]>();
    try {
      for (const name of listBackends()) {
        setBackend(name);
        results.set(name, run());
      }
    } finally {
      setBackend(before);
    }
    const ref = results.get("js")!;
    for (const [name, got] of results) {
      got.forEach((t, i) => {
        let d = 0, n = 0;
        for (let k = 0; k < t.data.length; k++) { d += (t.data[k] - ref[i].data[k]) ** 2; n += ref[i].data[k] ** 2; }
        expect(Math.sqrt(d / n), `${name} result ${i}`).toBeLessThan(1e-5);
      });
    }
  });
});
