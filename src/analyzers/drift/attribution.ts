import type { CommitPatch } from "../../git/patches.js";
import type { Hunk } from "../../git/diff.js";
import { isBlank, normalise } from "./lines.js";
import type { Attribution } from "./types.js";

const DAY = 86_400_000;

/**
 * Attributes net-patch hunks to the fork commit that brought their lines, by
 * content: for each path, the newest fork-only commit whose patch added (or
 * deleted) each line. One pass over the fork's `git log -p`, no blame per file;
 * exact for squashed drops and linear forks, a majority vote otherwise.
 */
export class Attributor {
  private readonly added = new Map<string, Map<string, number>>();
  private readonly deleted = new Map<string, Map<string, number>>();

  /**
   * `commits` newest first, as git log lists them. A lone commit may come
   * without its patch (`files: null`): it owns every hunk.
   */
  constructor(
    private readonly commits: { info: CommitPatch["info"]; files: CommitPatch["files"] | null }[],
    private readonly tipDate: string,
  ) {
    commits.forEach((c, i) => {
      for (const [path, f] of c.files ?? []) {
        record(this.added, path, f.added, i);
        record(this.deleted, path, f.deleted, i);
      }
    });
  }

  attribute(path: string, hunk: Hunk): Attribution | null {
    if (this.commits.length === 1 && this.commits[0]!.files === null) return this.describe(0);
    const votes = new Map<number, number>();
    const vote = (table: Map<string, Map<string, number>>, lines: string[]) => {
      const byLine = table.get(path);
      if (!byLine) return;
      for (const l of lines) {
        const n = normalise(l);
        if (isBlank(n)) continue;
        const i = byLine.get(n);
        if (i !== undefined) votes.set(i, (votes.get(i) ?? 0) + 1);
      }
    };
    vote(this.added, hunk.added);
    if (votes.size === 0) vote(this.deleted, hunk.deleted);
    let best: number | null = null;
    for (const [i, n] of votes) {
      if (best === null || n > votes.get(best)! || (n === votes.get(best)! && i < best)) best = i;
    }
    return best === null ? null : this.describe(best);
  }

  private describe(index: number): Attribution {
    const info = this.commits[index]!.info;
    return {
      commit: info.commit,
      author: info.authorName,
      email: info.authorEmail,
      date: info.authorDate,
      ageDays: Math.max(0, Math.floor((Date.parse(this.tipDate) - Date.parse(info.authorDate)) / DAY)),
      subject: info.subject,
    };
  }
}

function record(table: Map<string, Map<string, number>>, path: string, lines: string[], index: number): void {
  let byLine = table.get(path);
  if (!byLine) {
    byLine = new Map();
    table.set(path, byLine);
  }
  for (const l of lines) {
    const n = normalise(l);
    // Newest first: keep the first (newest) commit seen for a line.
    if (!isBlank(n) && !byLine.has(n)) byLine.set(n, index);
  }
}
