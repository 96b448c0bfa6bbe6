/**
 * Heat-map drawing shared by the memory and charlm pages: a colour ramp, a grid of cells
 * painted through a small ImageData scaled up without smoothing, and a canvas sized to its
 * CSS box. Main-thread drawing only (the values come computed from the worker).
 */

/** Stops of a dark-to-bright ramp (a viridis-like palette: dark blue → green → yellow). */
const RAMP: Array<[number, number, number]> = [[68, 1, 84], [59, 82, 139], [33, 145, 140], [94, 201, 98], [253, 231, 37]];
/** Stops of a diverging ramp: blue (−1) → white (0) → red (+1). */
const DIVERGING: Array<[number, number, number]> = [[33, 102, 172], [146, 197, 222], [247, 247, 247], [244, 165, 130], [178, 24, 43]];

function lerpRamp(stops: Array<[number, number, number]>, t: number, out: Uint8ClampedArray, at: number): void {
  const x = Math.min(1, Math.max(0, Number.isFinite(t) ? t : 0)) * (stops.length - 1);
  const i = Math.min(stops.length - 2, Math.floor(x)), f = x - i;
  for (let c = 0; c < 3; c++) out[at + c] = stops[i][c] + (stops[i + 1][c] - stops[i][c]) * f;
  out[at + 3] = 255;
}

/** t in [0, 1] → ramp colour (sequential). */
export function rampColour(t: number): string {
  const px = new Uint8ClampedArray(4);
  lerpRamp(RAMP, t, px, 0);
  return `rgb(${px[0]}, ${px[1]}, ${px[2]})`;
}

/** v in [−1, 1] → diverging colour. */
export function divergingColour(v: number): string {
  const px = new Uint8ClampedArray(4);
  lerpRamp(DIVERGING, (v + 1) / 2, px, 0);
  return `rgb(${px[0]}, ${px[1]}, ${px[2]})`;
}

/** Sizes a canvas's backing store to its CSS box and returns the context in CSS pixels. */
export function fitCanvas(canvas: HTMLCanvasElement): { g: CanvasRenderingContext2D; width: number; height: number } {
  const dpr = window.devicePixelRatio || 1;
  const width = canvas.clientWidth, height = canvas.clientHeight;
  const w = Math.max(1, Math.round(width * dpr)), hgt = Math.max(1, Math.round(height * dpr));
  if (canvas.width !== w || canvas.height !== hgt) {
    canvas.width = w;
    canvas.height = hgt;
  }
  const g = canvas.getContext("2d")!;
  g.setTransform(dpr, 0, 0, dpr, 0, 0);
  g.clearRect(0, 0, width, height);
  return { g, width, height };
}

/** A rows × columns grid of cells, painted from values mapped to [0, 1] (sequential) or [−1, 1] (diverging). */
export class HeatGrid {
  private readonly image = document.createElement("canvas");
  private data: ImageData | null = null;

  /** values[r·columns + c]; `map` gives each value's position on the ramp. */
  draw(g: CanvasRenderingContext2D, values: ArrayLike<number>, rows: number, columns: number, x: number, y: number, w: number, hgt: number, map: (v: number) => number, diverging = false): void {
    if (rows < 1 || columns < 1) return;
    if (!this.data || this.data.width !== columns || this.data.height !== rows) {
      this.image.width = columns;
      this.image.height = rows;
      this.data = new ImageData(columns, rows);
    }
    const px = this.data.data;
    for (let i = 0; i < rows * columns; i++) {
      const t = map(values[i]);
      lerpRamp(diverging ? DIVERGING : RAMP, diverging ? (t + 1) / 2 : t, px, 4 * i);
    }
    this.image.getContext("2d")!.putImageData(this.data, 0, 0);
    g.imageSmoothingEnabled = false;
    g.drawImage(this.image, x, y, w, hgt);
  }
}
