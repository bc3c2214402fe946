import type { Hunk } from "../../git/diff.js";
import { isBlank, normalise } from "./lines.js";
import type { DriftPair, HunkResult } from "./types.js";

const DAY = 86_400_000;

/**
 * Tracks, across a date-ordered series of fork refs, when each private line
 * (per path) first appeared. A fork that squashes each release into one
 * commit re-ships the same private lines every time; commit attribution then
 * says "0 days old", while the series shows they have been carried for years.
 */
export class CarryTracker {
  private readonly firstSeen = new Map<string, Map<string, { ref: string; date: string }>>();

  visit(ref: string, date: string, path: string, hunk: Hunk, result: HunkResult): void {
    let byLine = this.firstSeen.get(path);
    if (!byLine) {
      byLine = new Map();
      this.firstSeen.set(path, byLine);
    }
    const lines = (hunk.added.length ? hunk.added : hunk.deleted).map(normalise).filter((l) => !isBlank(l));
    const votes = new Map<string, { ref: string; date: string; n: number }>();
    for (const l of lines) {
      const seen = byLine.get(l) ?? { ref, date };
      if (!byLine.has(l)) byLine.set(l, seen);
      const v = votes.get(seen.ref) ?? { ...seen, n: 0 };
      v.n++;
      votes.set(seen.ref, v);
    }
    // The origin most of the hunk's lines share; ties go to the earlier ref.
    let best: { ref: string; date: string; n: number } | null = null;
    for (const v of votes.values()) if (!best || v.n > best.n || (v.n === best.n && Date.parse(v.date) < Date.parse(best.date))) best = v;
    const origin = best ?? { ref, date };
    result.carriedSince = { ref: origin.ref, date: origin.date, days: Math.max(0, Math.floor((Date.parse(date) - Date.parse(origin.date)) / DAY)) };
  }
}

/** Line-weighted median carry time of a pair's private hunks, and the private lines carried over 180 days. */
export function carriedSummary(p: DriftPair): { medianDays: number | null; over180Days: number } {
  const items: { days: number; lines: number }[] = [];
  for (const f of p.files) for (const h of f.hunks) if (h.carriedSince) items.push({ days: h.carriedSince.days, lines: h.added + h.deleted });
  const total = items.reduce((s, i) => s + i.lines, 0);
  if (total === 0) return { medianDays: null, over180Days: 0 };
  items.sort((a, b) => a.days - b.days);
  let acc = 0;
  let median = 0;
  for (const i of items) {
    acc += i.lines;
    if (acc * 2 >= total) {
      median = i.days;
      break;
    }
  }
  return { medianDays: median, over180Days: items.filter((i) => i.days > 180).reduce((s, i) => s + i.lines, 0) };
}
