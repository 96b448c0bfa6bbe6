/**
 * The Lab's Vite config: lab/ is the app root, the engine is bundled straight from ../src,
 * and the build lands in lab/dist (served by src/cli/lab-server.ts: `npm start`).
 */
import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

const lab = fileURLToPath(new URL(".", import.meta.url));
const repo = fileURLToPath(new URL("..", import.meta.url));

/** Cross-origin isolation, so the engine's threads may use SharedArrayBuffer (dev server too). */
const isolation = {
  "Cross-Origin-Opener-Policy": "same-origin",
  "Cross-Origin-Embedder-Policy": "require-corp",
};

/**
 * Minify, but keep class and function names: the engine's error messages name the module
 * ("ApproxMLP.loadStateDict: …"), and a learner should read that, not "l.loadStateDict".
 */
const KEEP_NAMES = {
  compress: { keepNames: { function: true, class: true } },
  mangle: { keepNames: { function: true, class: true } },
};

export default defineConfig({
  root: lab,
  base: "/",
  publicDir: "public",
  clearScreen: false,
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "es2022",
    sourcemap: true,
    // One engine chunk shared by the worker's pages; the warning limit fits the whole engine.
    chunkSizeWarningLimit: 1500,
    rolldownOptions: {
      output: { minify: KEEP_NAMES },
      // src/io and the wasm backend import node: modules only inside the functions that touch
      // files or threads in Node; the browser never calls them, so the stubs Vite puts there
      // are expected and their warnings are noise.
      onwarn(warning, warn) {
        if (/Module "node:[\w/]+" has been externalized for browser compatibility/.test(warning.message)) return;
        warn(warning);
      },
    },
  },
  worker: { format: "es", rolldownOptions: { output: { minify: KEEP_NAMES } } },
  server: { host: "127.0.0.1", headers: isolation, fs: { allow: [repo] } },
  preview: { host: "127.0.0.1", headers: isolation },
});
