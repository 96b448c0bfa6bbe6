import { mnistDigits, firstPerClass, gatherRows, PIXELS } from "./data.js";
import { standardiser, trainSoftmax } from "./features.js";
import { accuracyOf } from "./metrics.js";
const { train, test } = mnistDigits();
for (const count of [100, 1000]) {
  const lab = firstPerClass(train.labels, count / 10);
  const std = standardiser(train.x, PIXELS);
  const xs = std(gatherRows(train.x, PIXELS, lab)), xt = std(test.x);
  for (const steps of [100, 300, 500, 1000]) for (const l2 of [1e-3, 1e-2, 1e-1]) {
    const t = process.cpuUsage();
    const p = trainSoftmax(xs, PIXELS, lab.map((i) => train.labels[i]), 10, { steps, l2 });
    const c = process.cpuUsage(t);
    console.log(count, steps, l2, accuracyOf(p(xt), test.labels).toFixed(4), ((c.user + c.system) / 1e6).toFixed(1) + "s cpu");
  }
}
