/**
 * A page's own browser check (test/lab/checks/<route>.ts, default export): pages.test.ts opens
 * the page, waits for its first frame, runs the check, then asserts no console or page errors.
 * Not a test file itself (vitest collects *.test.ts only).
 */
import type { Page } from "playwright-core";

export interface PageCheck {
  /** What the check shows, as the test's name after "<route>: ". */
  title: string;
  run(ctx: { page: Page; shot: (name: string) => Promise<unknown> }): Promise<void>;
  /** Default 60 s. */
  timeoutMs?: number;
}
