/**
 * A 2-D plot on a canvas for the pages' pictures: x and y ranges, axes and grid drawn once into
 * a cached background (redrawn only when the size or the ranges change), so a frame costs a
 * blit plus the curves. Coordinates are in CSS pixels; the backing store follows devicePixelRatio.
 */

export interface Box { left: number; top: number; right: number; bottom: number }

export interface Ranges {
  x: [number, number];
  y: [number, number];
  xTicks: number[];
  yTicks: number[];
}

export class Plot {
  readonly g: CanvasRenderingContext2D;
  box: Box = { left: 0, top: 0, right: 1, bottom: 1 };
  private ranges: Ranges;
  private readonly background = document.createElement("canvas");
  private backgroundKey = "";
  width = 1;
  height = 1;

  constructor(readonly canvas: HTMLCanvasElement, ranges: Ranges, private readonly margin: Box = { left: 42, top: 12, right: 12, bottom: 24 }) {
    this.g = canvas.getContext("2d")!;
    this.ranges = ranges;
  }

  /** Data → CSS pixels. */
  px = (x: number): number => this.box.left + ((x - this.ranges.x[0]) / (this.ranges.x[1] - this.ranges.x[0])) * (this.box.right - this.box.left);
  py = (y: number): number => this.box.top + ((this.ranges.y[1] - y) / (this.ranges.y[1] - this.ranges.y[0])) * (this.box.bottom - this.box.top);
  /** CSS pixels → data. */
  fromPixel(cx: number, cy: number): [number, number] {
    const { box, ranges } = this;
    return [
      ranges.x[0] + ((cx - box.left) / (box.right - box.left)) * (ranges.x[1] - ranges.x[0]),
      ranges.y[1] - ((cy - box.top) / (box.bottom - box.top)) * (ranges.y[1] - ranges.y[0]),
    ];
  }

  setRanges(ranges: Ranges): void {
    this.ranges = ranges;
  }

  /** Sizes the canvas, paints the (cached) axes and returns the context, clipped to the plot area. */
  begin(): CanvasRenderingContext2D {
    const dpr = window.devicePixelRatio || 1;
    this.width = this.canvas.clientWidth;
    this.height = this.canvas.clientHeight;
    const w = Math.max(1, Math.round(this.width * dpr)), h = Math.max(1, Math.round(this.height * dpr));
    if (this.canvas.width !== w || this.canvas.height !== h) {
      this.canvas.width = w;
      this.canvas.height = h;
    }
    const m = this.margin;
    this.box = { left: m.left, top: m.top, right: this.width - m.right, bottom: this.height - m.bottom };
    const key = JSON.stringify([w, h, dpr, this.ranges]);
    if (key !== this.backgroundKey) {
      this.backgroundKey = key;
      this.background.width = w;
      this.background.height = h;
      const bg = this.background.getContext("2d")!;
      bg.setTransform(dpr, 0, 0, dpr, 0, 0);
      this.drawAxes(bg);
    }
    const g = this.g;
    g.setTransform(1, 0, 0, 1, 0, 0);
    g.clearRect(0, 0, w, h);
    g.drawImage(this.background, 0, 0);
    g.setTransform(dpr, 0, 0, dpr, 0, 0);
    g.save();
    g.beginPath();
    g.rect(this.box.left, this.box.top - 4, this.box.right - this.box.left, this.box.bottom - this.box.top + 8);
    g.clip();
    return g;
  }

  /** Ends the clipped drawing started by begin(); drawing after it may use the margins. */
  end(): void {
    this.g.restore();
  }

  /** A polyline through (xs[i], ys[i]) with the current stroke style. */
  curve(xs: ArrayLike<number>, ys: ArrayLike<number>): void {
    const g = this.g;
    g.beginPath();
    for (let i = 0; i < xs.length; i++) {
      const x = this.px(xs[i]), y = this.py(ys[i]);
      if (i === 0) g.moveTo(x, y);
      else g.lineTo(x, y);
    }
    g.stroke();
  }

  private drawAxes(g: CanvasRenderingContext2D): void {
    const { box } = this;
    g.lineWidth = 1;
    g.font = "11px system-ui, sans-serif";
    g.fillStyle = "#7a8591";
    g.textAlign = "right";
    g.textBaseline = "middle";
    for (const y of this.ranges.yTicks) {
      g.strokeStyle = y === 0 ? "#c9d0d8" : "#eef0f3";
      line(g, box.left, this.py(y), box.right, this.py(y));
      g.fillText(formatTick(y), box.left - 6, this.py(y));
    }
    g.textAlign = "center";
    g.textBaseline = "top";
    for (const x of this.ranges.xTicks) {
      g.strokeStyle = x === 0 ? "#c9d0d8" : "#eef0f3";
      line(g, this.px(x), box.top, this.px(x), box.bottom);
      g.fillText(formatTick(x), this.px(x), box.bottom + 5);
    }
  }
}

function line(g: CanvasRenderingContext2D, x0: number, y0: number, x1: number, y1: number): void {
  g.beginPath();
  g.moveTo(x0, y0);
  g.lineTo(x1, y1);
  g.stroke();
}

function formatTick(v: number): string {
  return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(2)));
}

/** 1, 1.5, 2, 3, 5, 7.5 × 10ᵏ: the smallest at or above v (for axis ranges that rarely change). */
export function niceCeil(v: number): number {
  const k = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 1.5, 2, 3, 5, 7.5]) if (m * k >= v) return m * k;
  return 10 * k;
}
