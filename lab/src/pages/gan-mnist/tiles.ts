/**
 * Draws 28×28 digits in [−1, 1] (white ink on black, like MNIST and the CLI's PNGs) as tiles in
 * a canvas, `columns` per row with 1-pixel gaps, scaled up without smoothing and centred. Used by
 * the gan-mnist and detect-fakes pages.
 */
export class DigitTiles {
  private readonly image = document.createElement("canvas");
  private data: ImageData | null = null;
  /** The last layout: tile size in CSS pixels and the grid's offset, for hit-testing and overlays. */
  layout = { x0: 0, y0: 0, tile: 0, columns: 1 };

  constructor(readonly canvas: HTMLCanvasElement) {}

  draw(values: Float32Array, count: number, columns: number, rowsAtLeast = 0): CanvasRenderingContext2D {
    const rows = Math.max(rowsAtLeast, Math.ceil(count / columns));
    const W = columns * 29 + 1, H = rows * 29 + 1;
    if (!this.data || this.data.width !== W || this.data.height !== H) {
      this.image.width = W;
      this.image.height = H;
      this.data = new ImageData(W, H);
    }
    const px = this.data.data;
    px.fill(255);
    for (let t = 0; t < count; t++) {
      const x0 = 1 + (t % columns) * 29, y0 = 1 + Math.floor(t / columns) * 29;
      for (let i = 0; i < 784; i++) {
        const grey = Math.round(127.5 * (Math.min(1, Math.max(-1, values[t * 784 + i])) + 1));
        const at = ((y0 + Math.floor(i / 28)) * W + x0 + (i % 28)) * 4;
        px[at] = px[at + 1] = px[at + 2] = grey;
      }
    }
    this.image.getContext("2d")!.putImageData(this.data, 0, 0);
    const dpr = window.devicePixelRatio || 1;
    const cssW = this.canvas.clientWidth, cssH = this.canvas.clientHeight;
    const cw = Math.max(1, Math.round(cssW * dpr)), ch = Math.max(1, Math.round(cssH * dpr));
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
    this.layout = { x0: ox / dpr, y0: oy / dpr, tile: (29 * scale) / dpr, columns };
    return g;
  }
}
