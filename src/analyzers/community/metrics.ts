/**
 * Concentration metrics over contribution counts, and their best/worst
 * interval when some contributions have no known organisation.
 * Definitions: docs/community.md; CHAOSS wg-risk elephant-factor.md.
 */

export interface Interval {
  /** The most diverse reading: every unknown identity its own organisation. */
  best: number;
  /** The least diverse reading: every unknown contribution folded into the top organisation. */
  worst: number;
}

/**
 * CHAOSS elephant factor: the fewest entities whose contributions together
 * reach `threshold` of the total (sorted descending, added until the sum is
 * at least the threshold — "reaches", so one entity at exactly 50% gives 1).
 * 0 when there is nothing to count.
 */
export function elephantFactor(counts: readonly number[], threshold = 0.5): number {
  const total = counts.reduce((a, b) => a + b, 0);
  if (total <= 0) return 0;
  const sorted = [...counts].sort((a, b) => b - a);
  let sum = 0;
  for (let i = 0; i < sorted.length; i++) {
    sum += sorted[i]!;
    // A relative epsilon: split co-author credit gives fractions that must still reach exactly 50%.
    if (sum >= threshold * total - 1e-9 * total) return i + 1;
  }
  return sorted.length;
}

/** Herfindahl–Hirschman index: the sum of squared shares (1 = one entity; 1/n = n equal ones). */
export function hhi(counts: readonly number[]): number {
  const total = counts.reduce((a, b) => a + b, 0);
  if (total <= 0) return 0;
  return counts.reduce((h, c) => h + (c / total) ** 2, 0);
}

/** Share of the largest and of the two largest entities. */
export function topShares(counts: readonly number[]): { top1: number; top2: number } {
  const total = counts.reduce((a, b) => a + b, 0);
  if (total <= 0) return { top1: 0, top2: 0 };
  const sorted = [...counts].sort((a, b) => b - a);
  return { top1: sorted[0]! / total, top2: (sorted[0]! + (sorted[1] ?? 0)) / total };
}

export interface OrgConcentration {
  elephantFactor: Interval;
  top1Share: Interval;
  top2Share: Interval;
  hhi: Interval;
}

function round(x: number): number {
  return Math.round(x * 10_000) / 10_000;
}

/**
 * The organisation metrics as intervals over the unknowns: `known` holds the
 * contributions of each known organisation, `unknown` those of each identity
 * whose organisation is unknown. Best: each unknown identity is an
 * organisation of its own (never one pooled "independent" giant, research §5
 * pitfall 3). Worst: all unknown contributions belong to the largest known
 * organisation (or form one when none is known).
 */
export function orgConcentration(known: readonly number[], unknown: readonly number[]): OrgConcentration {
  const best = [...known, ...unknown];
  const unknownTotal = unknown.reduce((a, b) => a + b, 0);
  const worst = [...known].sort((a, b) => b - a);
  if (worst.length) worst[0]! += unknownTotal;
  else if (unknownTotal > 0) worst.push(unknownTotal);
  const sb = topShares(best);
  const sw = topShares(worst);
  return {
    elephantFactor: { best: elephantFactor(best), worst: elephantFactor(worst) },
    top1Share: { best: round(sb.top1), worst: round(sw.top1) },
    top2Share: { best: round(sb.top2), worst: round(sw.top2) },
    hhi: { best: round(hhi(best)), worst: round(hhi(worst)) },
  };
}
