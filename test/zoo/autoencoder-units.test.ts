import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { tensor } from "../../src/core/ops/creation.js";
import { Generator, manualSeed } from "../../src/core/random.js";
import { codeEntropyBytes, columnRanges, quantiseColumns } from "../../src/zoo/autoencoder/quantise.js";
import { standardiser, trainSoftmax } from "../../src/zoo/autoencoder/features.js";
import { normalQuantile } from "../../src/zoo/autoencoder/generate.js";
import { jpegAtBytes, jpegRoundTrip, scanBytes } from "../../src/zoo/autoencoder/jpeg.js";
import { knnAccuracy, knnPredict, meanSquaredError, psnr, rocAuc } from "../../src/zoo/autoencoder/metrics.js";
import { AutoRec } from "../../src/zoo/autoencoder/model.js";
import { gaussianNoise, saltPepperNoise } from "../../src/zoo/autoencoder/noise.js";
import { fitPca, pcaDecode, pcaEncode, topEigen } from "../../src/zoo/autoencoder/pca.js";
import { symmetricEigen } from "../../src/zoo/linalg.js";
import { BiasBaseline, generateRatings, itemMatrix, loadMovieLens, splitRatings } from "../../src/zoo/autoencoder/ratings.js";
import { parseSensorCsv, sensorWindows } from "../../src/zoo/autoencoder/sensors.js";

/** A random d×d orthogonal matrix (rows), by Gram–Schmidt on normals. */
function randomOrthogonal(d: number, seed: number): Float64Array {
  const g = new Generator(seed);
  const q = Float64Array.from({ length: d * d }, () => g.normal());
  for (let i = 0; i < d; i++) {
    for (let j = 0; j < i; j++) {
      let dot = 0;
      for (let r = 0; r < d; r++) dot += q[i * d + r] * q[j * d + r];
      for (let r = 0; r < d; r++) q[i * d + r] -= dot * q[j * d + r];
    }
    let n = 0;
    for (let r = 0; r < d; r++) n += q[i * d + r] ** 2;
    for (let r = 0; r < d; r++) q[i * d + r] /= Math.sqrt(n);
  }
  return q;
}

const dot = (a: ArrayLike<number>, b: ArrayLike<number>, offA = 0, offB = 0, n = a.length) => {
  let s = 0;
  for (let i = 0; i < n; i++) s += a[offA + i] * b[offB + i];
  return s;
};

describe("PCA", () => {
  it("symmetricEigen: a matrix with a known decomposition", () => {
    // [[2, 1], [1, 2]] has eigenvalues 3 and 1 with eigenvectors (1, 1)/√2 and (1, −1)/√2.
    const { values, vectors } = symmetricEigen([2, 1, 1, 2], 2);
    expect(values[0]).toBeCloseTo(3, 12);
    expect(values[1]).toBeCloseTo(1, 12);
    expect(Math.abs(vectors[0] * Math.SQRT1_2 + vectors[1] * Math.SQRT1_2)).toBeCloseTo(1, 12);
    expect(Math.abs(vectors[2] * Math.SQRT1_2 - vectors[3] * Math.SQRT1_2)).toBeCloseTo(1, 12);
  });

  it("topEigen recovers the top eigenpairs of C = V·diag(λ)·Vᵀ", () => {
    const d = 24, k = 4;
    const V = randomOrthogonal(d, 3);
    const lambda = Array.from({ length: d }, (_, i) => 10 / (i + 1));
    const C = new Float32Array(d * d);
    for (let a = 0; a < d; a++) for (let b = 0; b < d; b++) {
      let s = 0;
      for (let i = 0; i < d; i++) s += V[i * d + a] * lambda[i] * V[i * d + b];
      C[a * d + b] = s;
    }
    const { values, vectors } = topEigen(C, d, k);
    for (let i = 0; i < k; i++) {
      expect(values[i]).toBeCloseTo(lambda[i], 4);
      expect(Math.abs(dot(vectors, V, i * d, i * d, d))).toBeCloseTo(1, 5);
    }
  });

  it("fitPca finds the axes of data spread along known directions; k = d reconstructs exactly", () => {
    const d = 6, n = 4000;
    const V = randomOrthogonal(d, 11);
    const scales = [5, 3, 2, 1, 0.5, 0.25];
    const mean = [1, -2, 3, 0, 0.5, 4];
    const g = new Generator(5);
    const x = new Float32Array(n * d);
    for (let i = 0; i < n; i++) {
      const s = scales.map((sc) => sc * g.normal());
      for (let c = 0; c < d; c++) {
        let v = mean[c];
        for (let j = 0; j < d; j++) v += s[j] * V[j * d + c];
        x[i * d + c] = v;
      }
    }
    const pca = fitPca(x, d, 3);
    for (let j = 0; j < 3; j++) {
      expect(Math.abs(dot(pca.components, V, j * d, j * d, d))).toBeGreaterThan(0.995);
      expect(pca.variances[j] / scales[j] ** 2).toBeGreaterThan(0.9);
      expect(pca.variances[j] / scales[j] ** 2).toBeLessThan(1.1);
    }
    for (let c = 0; c < d; c++) expect(pca.mean[c]).toBeCloseTo(mean[c], 0);
    const full = fitPca(x, d, d);
    const back = pcaDecode(full, pcaEncode(full, x));
    expect(meanSquaredError(back, x)).toBeLessThan(1e-8);
    // Three components leave the variance of the last three axes: 1 + 0.25 + 0.0625 over 6 dims.
    expect(meanSquaredError(pcaDecode(pca, pcaEncode(pca, x)), x)).toBeCloseTo((1 + 0.25 + 0.0625) / d, 1);
  });
});

describe("metrics", () => {
  it("PSNR: 10·log10(peak²/MSE)", () => {
    expect(psnr(0.01)).toBeCloseTo(20, 12);
    expect(psnr(1)).toBe(0);
    expect(psnr(0)).toBe(Infinity);
    expect(psnr(65.025, 255)).toBeCloseTo(30, 10);
    expect(psnr(meanSquaredError([0, 0.5, 1, 1], [0.1, 0.5, 1, 0.9]))).toBeCloseTo(10 * Math.log10(1 / 0.005), 10);
    expect(() => psnr(-1)).toThrow(/≥ 0/);
  });

  it("k-NN: majority of the k nearest, ties to the nearest label", () => {
    const ref = [0, 0, 0, 1, 10, 10, 10, 11, 11, 10];
    const refLabels = [0, 0, 1, 1, 1];
    expect(Array.from(knnPredict(ref, refLabels, [0.1, 0.2, 10.2, 10.4], 2, 1))).toEqual([0, 1]);
    expect(Array.from(knnPredict(ref, refLabels, [0.1, 0.2, 10.2, 10.4], 2, 3))).toEqual([0, 1]);
    // k = 2 at (0, 0.9): neighbours (0, 1) label 0 and (0, 0) label 0.
    expect(Array.from(knnPredict(ref, refLabels, [0, 0.9], 2, 2))).toEqual([0]);
    // A 1–1 tie at k = 2 goes to the nearer point's label.
    expect(Array.from(knnPredict([0, 0, 3, 0], [7, 8], [1, 0], 2, 2))).toEqual([7]);
    expect(knnAccuracy(ref, refLabels, [0.1, 0.2, 10.2, 10.4], [0, 0], 2, 1)).toBe(0.5);
    expect(() => knnPredict(ref, refLabels, [0, 0], 2, 9)).toThrow(/k must be in/);
  });

  it("ROC AUC: the Mann–Whitney statistic with ties at one half", () => {
    expect(rocAuc([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1])).toBeCloseTo(0.75, 12); // scikit-learn's example
    expect(rocAuc([1, 2, 3, 4], [0, 0, 1, 1])).toBe(1);
    expect(rocAuc([1, 2, 3, 4], [1, 1, 0, 0])).toBe(0);
    expect(rocAuc([5, 5, 5, 5], [0, 1, 0, 1])).toBe(0.5);
    expect(rocAuc([1, 2, 2, 3], [0, 1, 0, 1])).toBeCloseTo(0.875, 12);
    expect(() => rocAuc([1, 2], [0, 0])).toThrow(/positives and negatives/);
    expect(() => rocAuc([1, 2], [0, 2])).toThrow(/0 or 1/);
  });
});

describe("AutoRec", () => {
  it("unobserved ratings contribute no loss and no gradient, whatever the matrix holds there", () => {
    manualSeed(1);
    const model = new AutoRec(5, 3);
    const mask = tensor([[1, 0, 1, 0, 0], [0, 1, 1, 1, 0]]);
    const observed = [[4, 0, 2, 0, 0], [0, 5, 3, 1, 0]];
    const garbage = [[4, 99, 2, -7, 1e3], [42, 5, 3, 1, -1]];
    const run = (values: number[][]) => {
      model.zeroGrad();
      const r = tensor(values, { requiresGrad: true });
      const loss = model.maskedLoss(r, mask);
      loss.backward();
      return { loss: loss.item(), grads: model.parameters().map((p) => Array.from(p.grad!.data)), input: Array.from(r.grad!.data) };
    };
    const a = run(observed), b = run(garbage);
    expect(b.loss).toBe(a.loss);
    expect(b.grads).toEqual(a.grads);
    // No gradient flows into the unobserved entries either.
    mask.data.forEach((m, i) => { if (m === 0) expect(Math.abs(b.input[i])).toBe(0); });
    // The loss is the mean squared error over the 5 observed entries only.
    const pred = model.forward(tensor(observed)).data;
    let se = 0;
    mask.data.forEach((m, i) => { if (m) se += (pred[i] - observed.flat()[i]) ** 2; });
    expect(a.loss).toBeCloseTo(se / 5, 5);
  });

  it("the item matrix puts each rating at [item, user] with mask 1, zeros elsewhere", () => {
    const { values, mask } = itemMatrix({ users: 3, items: 2, user: Int32Array.of(0, 2, 1), item: Int32Array.of(1, 1, 0), rating: Float32Array.of(4, 2, 5), min: 1, max: 5 });
    expect(Array.from(values)).toEqual([0, 5, 0, 4, 0, 2]);
    expect(Array.from(mask)).toEqual([0, 1, 0, 1, 0, 1]);
  });
});

describe("ratings", () => {
  it("the generator: MovieLens-100k-like sizes, integer ratings 1–5, popularity skew, every user ≥ 5 ratings, seeded", () => {
    const r = generateRatings({ seed: 1 });
    expect(r.users).toBe(943);
    expect(r.items).toBe(1682);
    const n = r.rating.length;
    expect(n).toBeGreaterThan(70_000);
    expect(n).toBeLessThan(130_000);
    expect(r.rating.every((v) => Number.isInteger(v) && v >= 1 && v <= 5)).toBe(true);
    const perUser = new Int32Array(r.users), perItem = new Int32Array(r.items);
    const pairs = new Set<number>();
    for (let k = 0; k < n; k++) {
      perUser[r.user[k]]++;
      perItem[r.item[k]]++;
      pairs.add(r.user[k] * r.items + r.item[k]);
    }
    expect(pairs.size).toBe(n); // no user rates an item twice
    expect(Math.min(...perUser)).toBeGreaterThanOrEqual(5);
    // Long tails: the top 10% of items get well over a third of the ratings; the most active user rates ≥ 4× the median.
    const sorted = Array.from(perItem).sort((a, b) => b - a);
    expect(sorted.slice(0, 168).reduce((a, b) => a + b, 0) / n).toBeGreaterThan(0.35);
    const users = Array.from(perUser).sort((a, b) => a - b);
    expect(users[users.length - 1]).toBeGreaterThan(4 * users[users.length >> 1]);
    // Ratings spread over the scale with a mean near MovieLens's 3.5.
    const mean = r.rating.reduce((a, b) => a + b, 0) / n;
    expect(mean).toBeGreaterThan(3.2);
    expect(mean).toBeLessThan(3.9);
    for (let v = 1; v <= 5; v++) expect(r.rating.filter((x) => x === v).length / n).toBeGreaterThan(0.02);
    // Ratings carry signal: the bias baseline beats the global mean on held-out ratings.
    const { train, test } = splitRatings(r, 0.1, 0);
    const b = new BiasBaseline(train);
    const rmse = (f: (u: number, i: number) => number) => Math.sqrt(test.rating.reduce((a, v, k) => a + (f(test.user[k], test.item[k]) - v) ** 2, 0) / test.rating.length);
    expect(rmse((u, i) => b.predict(u, i))).toBeLessThan(rmse(() => b.mu) - 0.03);
    const again = generateRatings({ seed: 1, users: 50, items: 80 });
    expect(Array.from(generateRatings({ seed: 1, users: 50, items: 80 }).rating)).toEqual(Array.from(again.rating));
  });

  it("splitRatings holds out about the fraction asked, disjointly", () => {
    const r = generateRatings({ seed: 2, users: 100, items: 200, perUser: 30 });
    const { train, test } = splitRatings(r, 0.2, 7);
    expect(train.rating.length + test.rating.length).toBe(r.rating.length);
    expect(test.rating.length / r.rating.length).toBeGreaterThan(0.15);
    expect(test.rating.length / r.rating.length).toBeLessThan(0.25);
  });

  describe("MovieLens loader", () => {
    const dir = mkdtempSync(join(tmpdir(), "nnzoo-ml-"));
    const file = (name: string, text: string) => {
      const path = join(dir, name);
      writeFileSync(path, text);
      return path;
    };

    it("reads ratings.csv (header, half stars) and u.data (tabs, no header) with dense indices", () => {
      const csv = loadMovieLens(file("ratings.csv", "userId,movieId,rating,timestamp\n1,31,2.5,1260759144\n1,1029,3.0,1260759179\n7,31,4.5,1260759182\r\n\n"));
      expect(csv).toMatchObject({ users: 2, items: 2, min: 0.5, max: 5, userIds: [1, 7], itemIds: [31, 1029] });
      expect(Array.from(csv.user)).toEqual([0, 0, 1]);
      expect(Array.from(csv.item)).toEqual([0, 1, 0]);
      expect(Array.from(csv.rating)).toEqual([2.5, 3, 4.5]);
      const udata = loadMovieLens(file("u.data", "196\t242\t3\t881250949\n186\t302\t3\t891717742\n22\t377\t1\t878887116\n196\t377\t5\t881250950\n"));
      expect(udata).toMatchObject({ users: 3, items: 3, min: 1, userIds: [196, 186, 22], itemIds: [242, 302, 377] });
      expect(Array.from(udata.rating)).toEqual([3, 3, 1, 5]);
    });

    it("names the file and the line of a bad row", () => {
      const cases: Array<[string, string, RegExp]> = [
        ["fields.csv", "userId,movieId,rating,timestamp\n1,31,2.5,1\n1,32\n", /fields\.csv line 3: expected 4 fields \(userId,movieId,rating,timestamp\), got 2/],
        ["rating.csv", "userId,movieId,rating,timestamp\n1,31,2.5,1\n2,31,great,5\n", /rating\.csv line 3: the rating must be a number from 0\.5 to 5, got "great"/],
        ["range.data", "1\t2\t3\t4\n1\t3\t7\t4\n", /range\.data line 2: the rating must be a number from 0\.5 to 5, got "7"/],
        ["id.data", "1\t2\t3\t4\nx1\t3\t4\t4\n", /id\.data line 2: the user id must be a whole number, got "x1"/],
        ["item.csv", "userId,movieId,rating,timestamp\n1,-3,4,5\n", /item\.csv line 2: the item id must be a whole number, got "-3"/],
        ["dup.csv", "userId,movieId,rating,timestamp\n1,31,2.5,1\n\n1,31,4,2\n", /dup\.csv line 4: user 1 rated item 31 already on line 2/],
        ["header.csv", "user,movie,stars\n1,2,3\n", /header\.csv line 1: expected the header userId,movieId,rating,timestamp/],
        ["time.data", "1\t2\t3\tnoon\n", /time\.data line 1: the timestamp must be a whole number, got "noon"/],
        ["empty.csv", "userId,movieId,rating,timestamp\n", /empty\.csv: no ratings/],
      ];
      for (const [name, text, message] of cases) expect(() => loadMovieLens(file(name, text)), name).toThrow(message);
      expect(() => loadMovieLens(join(dir, "missing.csv"))).toThrow(/ratings file .*missing\.csv does not exist/);
    });
  });
});

describe("codes, noise, JPEG, features, sensors", () => {
  it("quantiseColumns and the entropy of the codes", () => {
    const q = quantiseColumns(Float32Array.of(0, 10, 0.5, 15, 1, 20, 2, -5), 2, Float32Array.of(0, 10), Float32Array.of(1, 20), 3);
    expect(Array.from(q)).toEqual([0, 10, 0.5, 15, 1, 20, 1, 10]);
    // Column 0 takes 4 symbols equally often (2 bits); column 1 is constant (0 bits): 0.25 bytes.
    const codes = Float32Array.of(0, 0.5, 1 / 3, 0.5, 2 / 3, 0.5, 1, 0.5);
    const { lo, hi } = columnRanges(codes, 2);
    expect(Array.from(lo)).toEqual([0, 0.5]);
    expect(Array.from(hi)).toEqual([1, 0.5]);
    expect(codeEntropyBytes(codes, 2, lo, hi, 4)).toBeCloseTo(0.25, 12);
  });

  it("noise: Gaussian stays in [0, 1]; salt-and-pepper flips about the share asked", () => {
    const x = new Float32Array(20000).fill(0.5);
    const g = gaussianNoise(x, 1, new Generator(1));
    expect(Math.min(...g)).toBe(0);
    expect(Math.max(...g)).toBe(1);
    const sp = saltPepperNoise(x, 0.2, new Generator(1));
    const flipped = sp.filter((v) => v !== 0.5).length / x.length;
    expect(flipped).toBeGreaterThan(0.18);
    expect(flipped).toBeLessThan(0.22);
    expect(sp.every((v) => v === 0 || v === 1 || v === 0.5)).toBe(true);
  });

  it("JPEG: scan bytes exclude the headers; the quality search respects the budget", () => {
    const img = Float32Array.from({ length: 784 }, (_, i) => ((i % 28) > 8 && (i % 28) < 18 && i > 200 && i < 600 ? 1 : 0));
    const { file, decoded } = jpegRoundTrip(img, 28, 28, 75);
    expect(file[0]).toBe(0xff);
    expect(file[1]).toBe(0xd8);
    expect(scanBytes(file)).toBeGreaterThan(10);
    expect(scanBytes(file)).toBeLessThan(file.length - 500); // tables and headers are ~600 bytes
    expect(meanSquaredError(decoded, img)).toBeLessThan(0.01);
    const { best, points } = jpegAtBytes(img, 28, 28, 120);
    expect(best).not.toBeNull();
    expect(best!.bytes).toBeLessThanOrEqual(120);
    const next = points.find((p) => p.quality === best!.quality + 1);
    if (next) expect(next.bytes).toBeGreaterThan(120);
    expect(jpegAtBytes(img, 28, 28, 4).best).toBeNull();
  });

  it("softmax regression separates separable classes; the standardiser centres and scales", () => {
    const x = Float32Array.of(0, 0, 0, 1, 5, 5, 5, 6, -5, 5, -5, 6);
    const labels = [0, 0, 1, 1, 2, 2];
    const std = standardiser(x, 2);
    const s = std(x);
    expect(Math.abs(s.reduce((a, b) => a + b, 0))).toBeLessThan(1e-5);
    const predict = trainSoftmax(s, 2, labels, 3, { steps: 300, lr: 0.1 });
    expect(Array.from(predict(std(Float32Array.of(0.2, 0.3, 5.2, 5.5, -5.1, 5.4))))).toEqual([0, 1, 2]);
  });

  it("normal quantiles", () => {
    expect(normalQuantile(0.5)).toBeCloseTo(0, 9);
    expect(normalQuantile(0.975)).toBeCloseTo(1.959964, 5);
    expect(normalQuantile(0.01)).toBeCloseTo(-2.326348, 5);
  });

  it("sensor data: bad rows are named; windows repeat the first reading and standardise per mote", () => {
    expect(() => parseSensorCsv("reading,mote_id,indoor,humidity,temperature,label\n1,1,1,45,27,0\n2,1,1,x,27,0\n", "d.csv")).toThrow(/d\.csv line 3: expected 6 numbers/);
    expect(() => parseSensorCsv("a,b\n", "d.csv")).toThrow(/d\.csv line 1: expected the header/);
    const rows = parseSensorCsv("reading,mote_id,indoor,humidity,temperature,label\n1,1,1,40,20,0\n2,1,1,41,21,0\n3,1,1,42,22,1\n1,2,0,50,30,0\n2,2,0,52,30,0\n3,2,0,54,30,0\n", "d.csv");
    const w = sensorWindows(rows, 2);
    expect(w.dims).toBe(4);
    expect(Array.from(w.labels)).toEqual([0, 0, 1, 0, 0, 0]);
    // Mote 1 humidity 40, 41, 42: median 41, MAD 1·1.4826. Row 0's window repeats its reading.
    const z = (v: number) => (v - 41) / 1.4826;
    expect(Array.from(w.x.subarray(0, 2))).toEqual([z(40), z(40)].map(Math.fround));
    expect(Array.from(w.x.subarray(8, 10))).toEqual([z(41), z(42)].map(Math.fround));
  });
});
