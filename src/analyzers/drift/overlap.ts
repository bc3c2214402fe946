import { GitError } from "../../errors.js";
import { diffCommits, type Hunk } from "../../git/diff.js";
import type { DriftContext } from "./context.js";
import type { DriftPair, HunkStatus, OverlapRegion } from "./types.js";

/** Lines of slack: hunks this close count as patching the same region. */
const NEAR = 3;

interface Span {
  fork: number;
  start: number;
  end: number;
  hunk: { newStart: number; newLines: number; status: HunkStatus };
}

/**
 * Maps a base line to the upstream tip through upstream's zero-context hunks
 * (base -> upstream). A line inside a rewritten region maps to that region.
 */
export function mapLine(line: number, upstreamHunks: readonly Hunk[]): number {
  let shift = 0;
  for (const h of upstreamHunks) {
    const oldEnd = h.oldLines > 0 ? h.oldStart + h.oldLines - 1 : h.oldStart;
    if (h.oldLines > 0 && line >= h.oldStart && line <= oldEnd) return Math.max(1, h.newStart);
    if ((h.oldLines > 0 && oldEnd < line) || (h.oldLines === 0 && h.oldStart < line)) shift += h.newLines - h.oldLines;
    else break;
  }
  return line + shift;
}

/**
 * Upstream regions (path + line range in the upstream tip) that two or more
 * forks patch. Each fork's hunks are placed on the upstream tip by mapping
 * their base line ranges through upstream's own changes since that base, so
 * forks on different bases become comparable. Forks that add the same new
 * file meet at lines 0-0 of that path.
 */
export async function overlapRegions(ctx: DriftContext, upstream: string, pairs: DriftPair[]): Promise<OverlapRegion[]> {
  const forksByPath = new Map<string, Set<number>>();
  pairs.forEach((p, i) => {
    for (const f of p.files) {
      const key = f.upstreamPath ?? f.path;
      if (!forksByPath.has(key)) forksByPath.set(key, new Set());
      forksByPath.get(key)!.add(i);
    }
  });
  const shared = [...forksByPath].filter(([, s]) => s.size >= 2).map(([p]) => p);
  if (shared.length === 0) return [];
  const sharedSet = new Set(shared);

  const spans = new Map<string, Span[]>();
  for (const [i, pair] of pairs.entries()) {
    const files = pair.files.filter((f) => sharedSet.has(f.upstreamPath ?? f.path));
    const basePaths = files.filter((f) => f.change !== "added").map((f) => f.path);
    const upstreamDiff = new Map<string, Hunk[]>();
    for (let k = 0; k < basePaths.length; k += 500) {
      try {
        for (const d of await diffCommits(ctx.repo.gitDir, pair.mergeBase, upstream, basePaths.slice(k, k + 500))) upstreamDiff.set(d.path, d.hunks);
      } catch (e) {
        if (!(e instanceof GitError)) throw e;
        // Blobs missing (partial clone): regions stay on base lines for these paths.
        ctx.warnings.add(`overlap of ${pair.fork.ref}: upstream line mapping unavailable (${e.message.replace(/^git diff failed: /, "")})`);
      }
    }
    for (const f of files) {
      const key = f.upstreamPath ?? f.path;
      const list = spans.get(key) ?? [];
      spans.set(key, list);
      for (const h of f.hunks) {
        const hunk = { newStart: h.newStart, newLines: h.newLines, status: h.status };
        if (f.change === "added") {
          list.push({ fork: i, start: 0, end: 0, hunk });
          continue;
        }
        const first = h.oldLines > 0 ? h.oldStart : Math.max(1, h.oldStart);
        const last = h.oldLines > 0 ? h.oldStart + h.oldLines - 1 : first;
        const ups = upstreamDiff.get(f.path) ?? [];
        list.push({ fork: i, start: mapLine(first, ups), end: mapLine(last, ups), hunk });
      }
    }
  }

  const regions: OverlapRegion[] = [];
  for (const [path, list] of [...spans].sort(([a], [b]) => (a < b ? -1 : 1))) {
    list.sort((a, b) => a.start - b.start || a.end - b.end);
    let cluster: Span[] = [];
    let clusterEnd = -Infinity;
    const flush = () => {
      const forks = new Set(cluster.map((s) => s.fork));
      if (forks.size >= 2) {
        regions.push({
          path,
          startLine: Math.min(...cluster.map((s) => s.start)),
          endLine: Math.max(...cluster.map((s) => s.end)),
          forks: [...forks].sort((a, b) => a - b).map((fi) => ({
            ref: pairs[fi]!.fork.ref,
            hunks: cluster.filter((s) => s.fork === fi).map((s) => s.hunk),
          })),
        });
      }
      cluster = [];
    };
    for (const s of list) {
      if (cluster.length && s.start > clusterEnd + NEAR) flush();
      cluster.push(s);
      clusterEnd = cluster.length === 1 ? s.end : Math.max(clusterEnd, s.end);
    }
    if (cluster.length) flush();
  }
  return regions;
}
