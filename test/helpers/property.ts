import fc from "fast-check";
import { expect } from "vitest";
import { isStewardError } from "../../src/errors.js";

/**
 * Property-test settings: 200 generated cases per property in the normal run, from a fixed seed
 * (the same cases every run, so CI is reproducible). A long run: FC_RUNS=5000 (a random seed then,
 * printed on failure; FC_SEED=N replays one).
 */
export const FC_RUNS = Number(process.env.FC_RUNS ?? 200);

export function fcParams(runs = FC_RUNS): fc.Parameters<unknown> {
  const seed = process.env.FC_SEED !== undefined ? Number(process.env.FC_SEED) : process.env.FC_RUNS ? undefined : 17;
  return { numRuns: runs, ...(seed !== undefined ? { seed } : {}) };
}

/** `fn` returns, or throws one of Steward's errors (one line, exit 2): never anything else. */
export function onlyStewardErrors<T>(fn: () => T): T | "steward-error" {
  try {
    return fn();
  } catch (e) {
    if (isStewardError(e)) {
      expect(e.message).not.toContain("\n");
      return "steward-error";
    }
    throw e;
  }
}

/** Generated cases drawn up front (for properties that build one git repository for all of them). */
export function sampleCases<T>(arb: fc.Arbitrary<T>, runs = FC_RUNS): T[] {
  const p = fcParams(runs);
  return fc.sample(arb, { numRuns: runs, ...(p.seed !== undefined ? { seed: p.seed } : {}) });
}
