import { jsBackend } from "../../src/kernels/js/index.js";
import { runBackendSuite } from "./conformance.js";

// The reference against itself: checks the suite's own plumbing and the js kernels' edge cases.
runBackendSuite("js", () => jsBackend);
