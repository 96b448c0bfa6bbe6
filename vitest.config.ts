import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts", "src/**/*.test.ts"],
    // Gradient checks and training smoke runs are CPU-bound; two cores, two workers.
    pool: "forks",
    maxWorkers: 2,
    testTimeout: 60_000,
  },
});
