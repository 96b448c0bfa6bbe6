/**
 * Draws 28×28 digits as tiles in a canvas, `columns` per row with 1-pixel gaps, scaled up
 * without smoothing and centred — white ink on black, like MNIST and the CLI's PNGs. Used by
 * every digit page (gan-mnist, detect-fakes, autoencoder, rbm).
 *
 * How values become grey:
 * - "tanh": values in [−1, 1] (the GANs' and autoencoder's Tanh outputs);
 * - "unit": values in [0, 1] (pixel probabilities, an RBM's visible units);
 * - "signed": each tile scaled to [−m, m] by its own largest |v| (filters: weights have no
 *   fixed range, and grey is zero).
 */
export type TileRange = "tanh" | "unit" | "signed";

const SIDE = 28, PIXELS = SIDE * SIDE, CELL = SIDE + 1;

export class DigitTiles {
  private readonly image = document.createElement("canvas");
  private data: ImageData | null = null;
  /** The last layout: tile size in CSS pixels and the grid's offset, for hit-testing and overlays. */
  layout = { x0: 0, y0: 0, tile: 0, columns: 1 };

  constructor(readonly canvas: HTMLCanvasElement, readonly range: TileRange = "tanh") {}

  draw(values: Float32Array, count: number, columns: number, rowsAtLeast = 0): CanvasRenderingContext2D {
    const rows = Math.max(rowsAtLeast, Math.ceil(count / columns));
    const W = columns * CELL + 1, H = rows * CELL + 1;
    if (!this.data || this.data.width !== W || this.data.height !== H) {
      this.image.width = W;
      this.image.height = H;
      this.data = new ImageData(W, H);
    }
    const px = this.data.data;
    px.fill(255);
    for (let t = 0; t < count; t++) {
      const x0 = 1 + (t % columns) * CELL, y0 = 1 + Math.floor(t / columns) * CELL;
      const tile = values.subarray(t * PIXELS, (t + 1) * PIXELS);
      const [scale, offset] = this.toUnit(tile);
      for (let i = 0; i < PIXELS; i++) {
        const grey = Math.round(255 * Math.min(1, Math.max(0, tile[i] * scale + offset)));
        const at = ((y0 + Math.floor(i / SIDE)) * W + x0 + (i % SIDE)) * 4;
        px[at] = px[at + 1] = px[at + 2] = grey;
      }
    }
    this.image.getContext("2d")!.putImageData(this.data, 0, 0);
    const dpr = window.devicePixelRatio || 1;
    const cw = Math.max(1, Math.round(this.canvas.clientWidth * dpr)), ch = Math.max(1, Math.round(this.canvas.clientHeight * dpr));
    if (this.canvas.width !== cw || this.canvas.height !== ch) {
      this.canvas.width = cw;
      this.canvas.height = ch;
    }
    const g = this.canvas.getContext("2d")!;
    g.setTransform(1, 0, 0, 1, 0, 0);
    g.clearRect(0, 0, cw, ch);
    g.imageSmoothingEnabled = false;
    const scale = Math.min(cw / W, ch / H);
    const ox = Math.round((cw - W * scale) / 2), oy = Math.round((ch - H * scale) / 2);
    g.drawImage(this.image, ox, oy, Math.round(W * scale), Math.round(H * scale));
    g.setTransform(dpr, 0, 0, dpr, 0, 0);
    this.layout = { x0: ox / dpr, y0: oy / dpr, tile: (CELL * scale) / dpr, columns };
    return g;
  }

  /** [scale, offset] taking this tile's values to [0, 1]. */
  private toUnit(tile: Float32Array): [number, number] {
    if (this.range === "tanh") return [0.5, 0.5];
    if (this.range === "unit") return [1, 0];
    let m = 1e-12;
    for (let i = 0; i < tile.length; i++) m = Math.max(m, Math.abs(tile[i]));
    return [1 / (2 * m), 0.5];
  }
}
