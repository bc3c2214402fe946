import { rawDiff } from "../../git/diff.js";
import type { Repository } from "../../git/repository.js";

/**
 * For unrelated histories (a vendored copy of upstream with no shared
 * commits): the upstream first-parent commit whose tree differs from the
 * fork tip's in the fewest paths. A coarse sample of the first-parent chain
 * is scored by tree diffs (no blob reads), then the neighbourhood of the best
 * sample is scored in full. Returns null when nothing shares a single file.
 */
export async function closestUpstreamCommit(
  repo: Repository,
  upstream: string,
  fork: string,
): Promise<{ commit: string; distance: number } | null> {
  const chain = await repo.firstParentChain(upstream);
  if (chain.length === 0) return null;
  const forkFiles = (await repo.listPaths(fork)).length;
  const distance = new Map<number, number>();
  const score = async (i: number) => {
    if (!distance.has(i)) distance.set(i, (await rawDiff(repo.gitDir, chain[i]!, fork)).length);
    return distance.get(i)!;
  };
  const SAMPLES = 64;
  const step = Math.max(1, Math.floor(chain.length / SAMPLES));
  for (let i = 0; i < chain.length; i += step) await score(i);
  await score(chain.length - 1);
  const bestSample = [...distance.entries()].sort((a, b) => a[1] - b[1] || a[0] - b[0])[0]![0];
  for (let i = Math.max(0, bestSample - step); i <= Math.min(chain.length - 1, bestSample + step); i++) await score(i);
  // Smallest distance; among equals the newest (lowest index), the least stale claim.
  const [index, d] = [...distance.entries()].sort((a, b) => a[1] - b[1] || a[0] - b[0])[0]!;
  const upstreamFiles = (await repo.listPaths(chain[index]!)).length;
  // If every path differs, the trees share nothing: there is no meaningful base.
  if (d >= forkFiles + upstreamFiles) return null;
  return { commit: chain[index]!, distance: d };
}
