/**
 * The detect-fakes page's worker side: src/zoo/detect-fakes' CNN detector learns to tell the
 * page's real digits from the digits of a GAN (src/zoo/gan-mnist's MLP GAN) that trains in the
 * same worker. Each `step()`: one GAN iteration (unless the generator is frozen), then one
 * detector update on 32 real and 32 freshly generated digits (8-bit rounded, as saved images
 * would be). The loss is the detector's (binary cross-entropy).
 */
import { noGrad } from "../../../../src/core/autograd.ts";
import { randint, randn, tensor } from "../../../../src/core/ops/creation.ts";
import { Generator } from "../../../../src/core/random.ts";
import { Adam } from "../../../../src/optim/adam.ts";
import { accuracyAt } from "../../../../src/zoo/detect-fakes/auc.ts";
import { detectorLoss, FakeDetector, fakeProbability, quantise } from "../../../../src/zoo/detect-fakes/model.ts";
import { throwIfNotFinite } from "../../../../src/zoo/gan2d/gan.ts";
import { type DigitData, GanMnist } from "../../../../src/zoo/gan-mnist/game.ts";
import { loadDigits } from "../gan-mnist/digits.ts";
import { defineTrainer } from "../../protocol.ts";
import { type DetectParams, type DetectPayload, GALLERY } from "./shared.ts";

const BATCH = 32;
const Z_DIM = 64;
const CHECK = 100;
const CHECK_EVERY = 50;

export default defineTrainer<DetectParams, DetectPayload>({
  async create(initial, seed) {
    const params = { ...initial };
    const { train, heldOut } = await loadDigits();
    const gan = new GanMnist(train, {
      model: "mlp", zDim: Z_DIM, hidden: 128, layers: 2, channels: 0, loss: "nonsaturating", batch: BATCH,
      g: { optimizer: "adam", lr: 5e-4, beta1: 0.5 }, d: { optimizer: "adam", lr: 5e-4, beta1: 0.5 },
    });
    const detector = new FakeDetector();
    const opt = new Adam(detector.parameters(), { lr: params.lr });
    const fakes = (n: number, gen?: Generator) => quantise(Float32Array.from(gan.generate(n, gen).data));
    const rows = (data: DigitData, idx: ArrayLike<number>) => {
      const x = new Float32Array(idx.length * 784);
      for (let i = 0; i < idx.length; i++) x.set(data.images.subarray(idx[i] * 784, (idx[i] + 1) * 784), i * 784);
      return x;
    };
    const asImages = (x: Float32Array) => tensor(x, { shape: [x.length / 784, 1, 28, 28] });

    let ganIterations = 0, since = CHECK_EVERY, lastLoss = NaN, accuracy = NaN;
    // Accuracy on held-out real digits and fresh fakes (fixed noise), refreshed now and then.
    const checkReal = rows(heldOut, Array.from({ length: Math.min(CHECK, heldOut.count) }, (_, i) => i));
    const checkZ = new Generator(seed + 11);
    const check = () => {
      const real = fakeProbability(detector, checkReal);
      const fake = fakeProbability(detector, fakes(CHECK, new Generator(checkZ.nextUint32())));
      const scores = new Float32Array(real.length + fake.length);
      scores.set(real);
      scores.set(fake, real.length);
      accuracy = accuracyAt(scores, Uint8Array.from({ length: scores.length }, (_, i) => (i < real.length ? 0 : 1)));
      since = 0;
    };
    const detectorLossNow = () => noGrad(() => {
      const idx = randint(0, train.count, [BATCH], { generator: new Generator(seed + 12) }).data;
      return detectorLoss(detector, asImages(rows(train, idx)), asImages(fakes(BATCH, new Generator(seed + 13)))).item();
    });

    // The quiz: a coin flip between a held-out real digit and a fresh fake, fixed once drawn.
    let quiz: { image: Float32Array<ArrayBufferLike>; fake: boolean } = { image: new Float32Array(784), fake: false };
    const drawQuiz = () => {
      const g = new Generator(seed * 7919 + 17 + params.quiz);
      const fake = g.random() < 0.5;
      quiz = { image: fake ? fakes(1, g) : rows(heldOut, [g.randint(0, heldOut.count)]), fake };
    };
    drawQuiz();
    const galleryFake = Uint8Array.from({ length: GALLERY }, (_, i) => [1, 0, 0, 1, 0, 1, 1, 0][i % 8]);
    const galleryReal = rows(heldOut, Array.from({ length: GALLERY }, (_, i) => (i * 37) % heldOut.count));
    const galleryZ = randn([GALLERY, Z_DIM], { generator: new Generator(seed + 14) });

    return {
      modules: () => ({ detector, gan: gan.pair }),
      step() {
        if (params.trainGenerator) gan.iterate(++ganIterations, throwIfNotFinite);
        const idx = randint(0, train.count, [BATCH]).data;
        const loss = detectorLoss(detector, asImages(rows(train, idx)), asImages(fakes(BATCH)));
        throwIfNotFinite(ganIterations, "the detector's loss", loss);
        opt.zeroGrad();
        loss.backward();
        opt.step();
        lastLoss = loss.item();
        if (++since >= CHECK_EVERY) check();
        return lastLoss;
      },
      loss: () => {
        check();
        return (lastLoss = detectorLossNow());
      },
      frame() {
        const gFakes = quantise(Float32Array.from(noGrad(() => gan.G.forward(galleryZ)).data));
        const gallery = new Float32Array(GALLERY * 784);
        for (let i = 0; i < GALLERY; i++) gallery.set((galleryFake[i] ? gFakes : galleryReal).subarray(i * 784, (i + 1) * 784), i * 784);
        const pFake = fakeProbability(detector, gallery);
        const payload: DetectPayload = {
          gallery, isFake: galleryFake.slice(), pFake,
          quizImage: quiz.image.slice(), quizFake: quiz.fake, quizPFake: fakeProbability(detector, quiz.image)[0], quiz: params.quiz,
          ganIterations,
        };
        return {
          payload,
          metrics: { detectorAccuracy: accuracy, ganIterations },
          transfer: [payload.gallery.buffer, payload.isFake.buffer, payload.pFake.buffer, payload.quizImage.buffer],
        };
      },
      update(change) {
        Object.assign(params, change);
        opt.paramGroups[0].lr = params.lr;
        if (change.quiz !== undefined) drawQuiz();
        return true;
      },
    };
  },
});
