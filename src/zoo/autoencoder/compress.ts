/**
 * compress — an autoencoder as a lossy codec: a code of N values, each quantised to 8 bits,
 * is N bytes per image. The codes are quantised after training, each dimension uniformly over
 * its range on the training digits (256 levels); the ranges, like the decoder's weights, are
 * shared by every image and not counted per image. Next to it, at the same rate: PCA with N
 * components, its coefficients quantised the same way, and JPEG (jpeg-js) at the highest
 * quality whose scan bytes fit N bytes. Reports MSE and PSNR on the held-out digits (JPEG on
 * the first --jpeg-images of them) and writes reconstructions.png (rows: original, AE, PCA, JPEG).
 *
 * (Training through the rounding — a sigmoid code with a straight-through estimator — was tried
 * first: the sigmoid-bounded code learned several times slower than a linear one, and at 8 bits
 * the rounding after training costs almost nothing: compare `mse` with `mseUnquantised`.)
 */
import { PIXELS, randomBatch, SIDE } from "./data.js";
import { digitRows, digits, type Mode, round6, savePicture } from "./common.js";
import { decodeAll, encodeAll, type ImageAEState, pcaOf, reconstructionLoss, setupImageAE } from "./images.js";
import { jpegAtBytes, jpegRoundTrip } from "./jpeg.js";
import { meanSquaredError, psnr } from "./metrics.js";
import { pcaDecode, pcaEncode } from "./pca.js";
import { BITS, codeEntropyBytes, columnRanges, quantiseColumns } from "./quantise.js";

export const compress: Mode<ImageAEState> = {
  defaults: { code: 32, hidden: 512, layers: 2, steps: 3000 },

  setup(config, ctx) {
    return setupImageAE("compress", config, this.defaults, ctx);
  },

  loss(state) {
    const { x } = randomBatch(state.train.x, PIXELS, state.train.count, state.batch);
    return { loss: reconstructionLoss(state.lossKind, state.model.forward(x).logits, x) };
  },

  evaluate(state, config, ctx) {
    const { model, train, test } = state;
    const k = model.codeSize;
    const bytes = (k * BITS) / 8;
    // The autoencoder: codes quantised to 8 bits over their training ranges, decoded.
    const range = columnRanges(encodeAll(model, train.x), k);
    const codes = encodeAll(model, test.x);
    const ae = decodeAll(model, quantiseColumns(codes, k, range.lo, range.hi));
    const mse = meanSquaredError(ae, test.x);
    const mseFloat = meanSquaredError(decodeAll(model, codes), test.x);
    // PCA with k components, coefficients quantised the same way.
    const pca = pcaOf(state, k);
    const pcaRange = columnRanges(pcaEncode(pca, train.x, k), k);
    const coef = pcaEncode(pca, test.x, k);
    const pcaImages = pcaDecode(pca, quantiseColumns(coef, k, pcaRange.lo, pcaRange.hi), k);
    const pcaMse = meanSquaredError(pcaImages, test.x);
    const pcaMseFloat = meanSquaredError(pcaDecode(pca, coef, k), test.x);
    // JPEG at the same byte budget, on the first --jpeg-images test digits.
    const nJpeg = Math.min(test.count, config.jpegImages as number);
    const jpegSet = test.x.subarray(0, nJpeg * PIXELS);
    const { best, points } = jpegAtBytes(jpegSet, SIDE, SIDE, bytes);
    const aeOnJpegSet = meanSquaredError(ae.subarray(0, nJpeg * PIXELS), jpegSet);

    const shown = 10;
    const rows = [digits(test.x, 0, shown), digits(ae, 0, shown), digits(pcaImages, 0, shown)];
    if (best) rows.push(digits(jpegSet, 0, shown).map((img) => jpegRoundTrip(img, SIDE, SIDE, best.quality).decoded));
    savePicture(ctx, "reconstructions.png", digitRows(rows));

    return {
      mse: round6(mse),
      psnr: round6(psnr(mse)),
      mseUnquantised: round6(mseFloat),
      pcaMse: round6(pcaMse),
      pcaPsnr: round6(psnr(pcaMse)),
      pcaMseUnquantised: round6(pcaMseFloat),
      bytesPerImage: bytes,
      codeEntropyBytes: round6(codeEntropyBytes(codes, k, range.lo, range.hi)),
      pcaCodeEntropyBytes: round6(codeEntropyBytes(coef, k, pcaRange.lo, pcaRange.hi)),
      jpegPsnrAtBytes: best ? round6(psnr(best.mse)) : null,
      jpegMseAtBytes: best ? round6(best.mse) : null,
      jpegQuality: best?.quality ?? null,
      jpegBytes: best ? round6(best.bytes) : null,
      jpegFileBytes: best ? round6(best.fileBytes) : null,
      jpegMinBytes: round6(points[0].bytes),
      jpegImages: nJpeg,
      psnrOnJpegImages: round6(psnr(aeOnJpegSet)),
      code: k,
    };
  },
};
