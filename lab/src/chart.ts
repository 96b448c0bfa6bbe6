/** The loss curve (uPlot): steps on x, loss on a log scale; one curve per run. */
import uPlot from "uplot";

/** Above this many points the history is thinned by half (every other point kept). */
const MAX_POINTS = 4000;

const decades = (_u: uPlot, splits: number[]) => splits.map((v) => (Math.abs(Math.log10(v) - Math.round(Math.log10(v))) < 1e-9 ? v : null));

export class LossChart {
  private readonly plot: uPlot;
  private steps: number[] = [];
  private losses: number[] = [];
  private dirty = false;
  private readonly resize: ResizeObserver;

  constructor(private readonly parent: HTMLElement) {
    this.plot = new uPlot({
      width: Math.max(200, parent.clientWidth),
      height: 170,
      legend: { show: false },
      cursor: { drag: { x: false, y: false } },
      scales: { x: { time: false }, y: { distr: 3 } },
      axes: [
        { size: 28, font: "11px system-ui, sans-serif", grid: { stroke: "#eee" } },
        // Decades only on the log axis (uPlot would draw a line at every 2…9 × 10ᵏ).
        { size: 52, font: "11px system-ui, sans-serif", grid: { stroke: "#eee", filter: decades }, ticks: { show: false }, filter: decades },
      ],
      series: [{ label: "step" }, { label: "loss", stroke: "#1f6feb", width: 1.5, points: { show: false } }],
    }, [[], []], parent);
    this.resize = new ResizeObserver(() => this.plot.setSize({ width: Math.max(200, parent.clientWidth), height: 170 }));
    this.resize.observe(parent);
  }

  /** Adds a point (a repeated step replaces the last point). */
  push(step: number, loss: number): void {
    if (!Number.isFinite(loss)) return;
    const value = Math.max(loss, 1e-12);
    const n = this.steps.length;
    if (n > 0 && step <= this.steps[n - 1]) this.losses[n - 1] = value;
    else {
      this.steps.push(step);
      this.losses.push(value);
      if (this.steps.length > MAX_POINTS) {
        this.steps = this.steps.filter((_, i) => i % 2 === 0 || i === this.steps.length - 1);
        this.losses = this.losses.filter((_, i) => i % 2 === 0 || i === this.losses.length - 1);
      }
    }
    this.dirty = true;
  }

  clear(): void {
    this.steps = [];
    this.losses = [];
    this.dirty = true;
  }

  /** Redraws if anything changed since the last render (call once per animation frame). */
  render(): void {
    if (!this.dirty) return;
    this.dirty = false;
    this.plot.setData([this.steps, this.losses]);
  }

  destroy(): void {
    this.resize.disconnect();
    this.plot.destroy();
    this.parent.replaceChildren();
  }
}
