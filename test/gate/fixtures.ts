/** Stored analyzer results shaped as the gate reads them, shared by the gate's tests. */

/** An api history: one entry per release, its breaks with their verdicts. */
export function apiOf(releases: { ref: string; previous: string | null; suggestedBump?: string | null; breaks?: { object: string; verdict: string; graceReleases?: number; graceDays?: number }[] }[]) {
  return {
    releases: releases.map((r) => ({
      ref: r.ref,
      commit: "c".repeat(40),
      date: "2025-01-01T00:00:00Z",
      previous: r.previous,
      breaking: r.breaks?.length ?? 0,
      announced: r.breaks?.filter((b) => b.verdict === "announced").length ?? 0,
      additions: 0,
      medianGraceReleases: null,
      medianGraceDays: null,
      suggestedBump: r.suggestedBump ?? null,
      breaks: (r.breaks ?? []).map((b) => ({ kind: "object-removed", ...b })),
    })),
  };
}
