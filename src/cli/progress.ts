import cliProgress from "cli-progress";

/** A progress bar with loss, throughput and ETA (cli-progress); silent when `quiet`. */
export function progressBar(total: number, label: string, quiet = false): { update(step: number, loss: number): void; stop(): void } {
  if (quiet) return { update() {}, stop() {} };
  const bar = new cliProgress.SingleBar(
    {
      format: `${label} |{bar}| {value}/{total} steps · loss {loss} · {rate} steps/s · ETA {eta_formatted}`,
      hideCursor: true,
      etaBuffer: 50,
    },
    cliProgress.Presets.shades_classic,
  );
  const start = performance.now();
  bar.start(total, 0, { loss: "-", rate: "-" });
  return {
    update(step, loss) {
      const rate = step / ((performance.now() - start) / 1000);
      bar.update(step, { loss: loss.toFixed(5), rate: rate.toFixed(0) });
    },
    stop() {
      bar.stop();
    },
  };
}
