import type { DirectoryRollup, FileResult, HunkStatus, LineTotals, NetPatch } from "./types.js";

function emptyTotals(): LineTotals {
  return { hunks: 0, added: 0, deleted: 0 };
}

export function reconnection(upstreamed: number, priv: number, diverged: number): number | null {
  const all = upstreamed + priv + diverged;
  return all === 0 ? null : Math.round((upstreamed / all) * 10_000) / 10_000;
}

/** Totals of the net patch; files, hunks, added and deleted equal `git diff --numstat` of the range. */
export function netPatchTotals(files: FileResult[]): NetPatch {
  const by: Record<HunkStatus, LineTotals> = { upstreamed: emptyTotals(), private: emptyTotals(), diverged: emptyTotals() };
  let hunks = 0;
  let added = 0;
  let deleted = 0;
  for (const f of files) {
    added += f.added;
    deleted += f.deleted;
    for (const h of f.hunks) {
      hunks++;
      const t = by[h.status];
      t.hunks++;
      t.added += h.added;
      t.deleted += h.deleted;
    }
  }
  const lines = (t: LineTotals) => t.added + t.deleted;
  return {
    files: files.length,
    hunks,
    added,
    deleted,
    upstreamed: by.upstreamed,
    private: by.private,
    diverged: by.diverged,
    debt: lines(by.private),
    reconnection: reconnection(lines(by.upstreamed), lines(by.private), lines(by.diverged)),
  };
}

/** Per-file line sums by status (changed lines = added + deleted). */
export function fileLines(f: FileResult): Record<HunkStatus, number> {
  const r: Record<HunkStatus, number> = { upstreamed: 0, private: 0, diverged: 0 };
  for (const h of f.hunks) r[h.status] += h.added + h.deleted;
  return r;
}

/** Rolls files up into every ancestor directory ("." is the root), largest debt first. */
export function directoryRollup(files: FileResult[]): DirectoryRollup[] {
  const dirs = new Map<string, DirectoryRollup>();
  for (const f of files) {
    const lines = fileLines(f);
    const parts = f.path.split("/").slice(0, -1);
    const chain = ["."];
    for (let i = 1; i <= parts.length; i++) chain.push(parts.slice(0, i).join("/"));
    for (const d of chain) {
      let r = dirs.get(d);
      if (!r) {
        r = { path: d, files: 0, upstreamed: 0, private: 0, diverged: 0, debt: 0, reconnection: null };
        dirs.set(d, r);
      }
      r.files++;
      r.upstreamed += lines.upstreamed;
      r.private += lines.private;
      r.diverged += lines.diverged;
    }
  }
  const out = [...dirs.values()];
  for (const r of out) {
    r.debt = r.private;
    r.reconnection = reconnection(r.upstreamed, r.private, r.diverged);
  }
  return out.sort((a, b) => b.debt - a.debt || (a.path < b.path ? -1 : 1));
}
