import { HistoryBuilder, type CommitRef, type Signature } from "../git/builder.js";

/** Tree of a small demo repository: path -> text. */
export type Tree = Map<string, string>;

/**
 * A HistoryBuilder that also keeps each commit's full tree, so a story can
 * apply a vendor's changes to "upstream as of that commit". Demo repositories
 * are small, so copying trees is cheap.
 */
export class TrackedBuilder {
  readonly b = new HistoryBuilder();
  private readonly trees = new Map<number, Tree>();

  commit(branch: string, message: string, author: Signature, change: (t: Tree) => void, opts: { parents?: CommitRef[]; committer?: Signature } = {}): CommitRef {
    const parent = opts.parents ? opts.parents[0] : this.b.tip(branch);
    const before = parent ? this.tree(parent) : new Map<string, string>();
    const after = new Map(before);
    change(after);
    const files: Record<string, string | null> = {};
    for (const [p, c] of after) if (before.get(p) !== c) files[p] = c;
    for (const p of before.keys()) if (!after.has(p)) files[p] = null;
    const ref = this.b.commit({ branch, message, author, files, ...(opts.parents ? { parents: opts.parents } : {}), ...(opts.committer ? { committer: opts.committer } : {}) });
    this.trees.set(ref.mark, after);
    return ref;
  }

  tree(ref: CommitRef): Tree {
    const t = this.trees.get(ref.mark);
    if (!t) throw new Error(`demo: unknown commit :${ref.mark}`);
    return t;
  }
}

/** ISO date at noon UTC, the demo's clock. */
export const at = (day: string) => `${day}T12:00:00+00:00`;

export const person = (name: string, email: string) => (day: string): Signature => ({ name, email, date: at(day) });
