import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    // Gradient checks and training smoke runs are CPU-bound; two cores, two workers.
    pool: "forks",
    maxWorkers: 2,
    testTimeout: 60_000,
    projects: [
      {
        extends: true,
        test: { name: "unit", include: ["test/**/*.test.ts", "src/**/*.test.ts"], exclude: ["test/lab/**", "**/node_modules/**"] },
      },
      {
        // The Lab in a real browser runs after the rest has finished, so its frame-rate and
        // long-task figures measure the Lab rather than two cores shared with gradient checks.
        extends: true,
        test: { name: "lab", include: ["test/lab/**/*.test.ts"], sequence: { groupOrder: 1 } },
      },
    ],
  },
});
