import { displayLine, type Hunk } from "../../git/diff.js";
import type { HunkEvidence, HunkStatus } from "./types.js";
import { isBlank, isTrivial, LineIndex, nonBlank, normalise } from "./lines.js";

export interface Classification {
  status: HunkStatus;
  evidence: HunkEvidence;
}

/** What is known of one changed file on the three sides. */
export interface FileSides {
  /** Base (merge-base) lines, raw latin1; null when the fork added the file. */
  base: readonly string[] | null;
  /** Index of the base copy (computed lazily by the caller's getter). */
  readonly baseIndex: LineIndex | null;
  /** Upstream tip's copy; null when upstream has no file there (nor moved it). */
  upstream: LineIndex | null;
  upstreamPath: string | null;
}

export function snippetOf(hunk: Hunk): string | undefined {
  const line = [...hunk.added, ...hunk.deleted].map(normalise).find((l) => !isBlank(l));
  return line === undefined ? undefined : displayLine(line.trim()).slice(0, 160);
}

/** Nearest non-blank base lines above and below the hunk's pre-image. */
function anchors(base: readonly string[], hunk: Hunk): { above: string | null; below: string | null } {
  // 0-based indexes of the first line after the region above and the first line below.
  const firstPre = hunk.oldLines > 0 ? hunk.oldStart - 1 : hunk.oldStart;
  const afterPre = hunk.oldLines > 0 ? hunk.oldStart - 1 + hunk.oldLines : hunk.oldStart;
  let above: string | null = null;
  for (let i = firstPre - 1; i >= 0; i--) {
    const n = normalise(base[i]!);
    if (!isBlank(n)) {
      above = n;
      break;
    }
  }
  let below: string | null = null;
  for (let i = afterPre; i < base.length; i++) {
    const n = normalise(base[i]!);
    if (!isBlank(n)) {
      below = n;
      break;
    }
  }
  return { above, below };
}

function withAnchors(run: string[], above: string | null, below: string | null): string[] {
  return [...(above !== null ? [above] : []), ...run, ...(below !== null ? [below] : [])];
}

/**
 * Classifies one hunk of the net patch (merge-base -> fork tip) against the
 * upstream tip (shared/DESIGN.md §3.1, refinements in docs/drift.md):
 * - upstreamed: upstream holds the added lines as a contiguous run more often
 *   than the base did (a run of only trivial lines must carry a neighbouring
 *   base line with it); a deletion is upstreamed when upstream closed the same gap;
 * - private: not upstreamed, and upstream still holds the pre-image;
 * - diverged: neither: upstream rewrote the region.
 */
export function classifyHunk(hunk: Hunk, sides: FileSides): Classification {
  const snippet = snippetOf(hunk);
  const upstreamPath = sides.upstreamPath;
  const A = nonBlank(hunk.added);
  const D = nonBlank(hunk.deleted);
  const U = sides.upstream;
  let baseIdx: LineIndex | null = null;
  const B = () => (baseIdx ??= sides.baseIndex ?? new LineIndex([]));
  const ev = (reason: HunkEvidence["reason"], extra: Partial<HunkEvidence> = {}): HunkEvidence => ({
    reason,
    upstreamPath,
    ...extra,
    ...(snippet !== undefined ? { snippet } : {}),
  });

  if (!U) {
    if (!sides.base) return { status: "private", evidence: ev("file-absent-upstream") };
    if (A.length === 0) return { status: "upstreamed", evidence: ev("file-deleted-upstream") };
    return { status: "diverged", evidence: ev("file-deleted-upstream") };
  }

  const { above, below } = sides.base ? anchors(sides.base, hunk) : { above: null, below: null };
  const significant = (run: string[]) => run.some((l) => !isTrivial(l));

  if (A.length > 0) {
    // A run of only trivial lines is matched together with a neighbouring base line.
    const candidates = significant(A) ? [A] : [withAnchors(A, above, null), withAnchors(A, null, below)].filter((r) => r.length > A.length);
    for (const run of candidates) {
      const inUpstream = U.findRun(run);
      if (inUpstream.count > B().findRun(run).count) {
        return { status: "upstreamed", evidence: ev("added-run-upstream", { upstreamLine: inUpstream.firstLine! }) };
      }
    }
    const pre = preimage(D, above, below, significant);
    const held = pre.length === 0 ? (U.seq.length === 0 ? { count: 1, firstLine: 1 } : { count: 0, firstLine: null }) : U.findRun(pre);
    if (held.count > 0) return { status: "private", evidence: ev("preimage-upstream", { upstreamLine: held.firstLine! }) };
    return { status: "diverged", evidence: ev("region-rewritten", { similarity: round(U.similarity(A)) }) };
  }

  if (D.length > 0) {
    const pre = withAnchors(D, significant(D) ? null : above, significant(D) ? null : below);
    const held = U.findRun(pre);
    if (held.count > 0 && held.count >= B().findRun(pre).count) {
      return { status: "private", evidence: ev("preimage-upstream", { upstreamLine: held.firstLine! }) };
    }
    if (above !== null && below !== null) {
      const closed = U.gapBetween(above, below);
      if (closed) return { status: "upstreamed", evidence: ev("deletion-upstream", { upstreamLine: closed.line }) };
    } else if (above !== null || below !== null) {
      // At a file edge the gap closes against the file's start or end.
      const edge = above === null ? U.seq[0] === below : U.seq[U.seq.length - 1] === above;
      if (edge) return { status: "upstreamed", evidence: ev("deletion-upstream", { upstreamLine: above === null ? 1 : U.lineNo[U.lineNo.length - 1]! }) };
    } else if (U.seq.length === 0 || U.similarity(D) === 0) {
      // The whole content went: upstreamed only if upstream's copy kept none of it
      // (a file upstream merely edited while the fork deleted it is a modify/delete conflict).
      return { status: "upstreamed", evidence: ev("deletion-upstream") };
    }
    return { status: "diverged", evidence: ev("region-rewritten", { similarity: round(U.similarity(D)) }) };
  }

  return classifyBlankOnly(hunk, sides, U, above, below, ev);
}

/** Upstream holds the deleted run, or for a pure addition the two base lines around the insertion point, still adjacent. */
function preimage(D: string[], above: string | null, below: string | null, significant: (r: string[]) => boolean): string[] {
  if (D.length > 0) return significant(D) ? D : withAnchors(D, above, below);
  return withAnchors([], above, below);
}

/** A hunk that only adds or removes blank lines: compare the blank gap between its anchors. */
function classifyBlankOnly(
  hunk: Hunk,
  sides: FileSides,
  U: LineIndex,
  above: string | null,
  below: string | null,
  ev: (reason: HunkEvidence["reason"], extra?: Partial<HunkEvidence>) => HunkEvidence,
): Classification {
  if (above === null || below === null || !sides.baseIndex) {
    return { status: "private", evidence: ev("preimage-upstream") };
  }
  const inUpstream = U.gapBetween(above, below);
  const inBase = sides.baseIndex.gapBetween(above, below);
  if (!inUpstream || !inBase) return { status: "diverged", evidence: ev("region-rewritten") };
  const forkGap = inBase.gap + hunk.added.length - hunk.deleted.length;
  if (inUpstream.gap === forkGap && forkGap !== inBase.gap) {
    return { status: "upstreamed", evidence: ev("added-run-upstream", { upstreamLine: inUpstream.line }) };
  }
  return { status: "private", evidence: ev("preimage-upstream", { upstreamLine: inUpstream.line }) };
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
