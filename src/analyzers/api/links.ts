import { posix } from "node:path";
import type { TreeEntry } from "../../git/tree.js";

/**
 * Symlinked directories and files inside a package (git mode 120000, e.g.
 * DeepSpeed's `deepspeed/accelerator -> ../accelerator/`). setuptools copies
 * what a link points to into the wheel, so users import through the link:
 * the link's path is a module path. Only links that stay in the tree are
 * followed (a link's target is read from its blob, relative to the link's
 * directory), never one that leaves it or loops back into itself.
 */

export interface LinkedFile {
  /** The path users import through (under the link). */
  path: string;
  /** The file in the tree the link leads to (the evidence to open). */
  real: string;
  entry: TreeEntry;
}

/** Hops through links pointing at links before giving up (a chain this long is a loop). */
const MAX_HOPS = 8;

/**
 * Files reached through the links under `dir` (a package directory), with
 * the path each is imported as. `target` reads a link's blob (null when it
 * cannot be read: absent from a partial clone). Warnings name each link not
 * followed and why.
 */
export async function followLinks(dir: string, files: readonly TreeEntry[], links: readonly TreeEntry[], target: (link: TreeEntry) => Promise<string | null>): Promise<{ files: LinkedFile[]; warnings: string[] }> {
  const out: LinkedFile[] = [];
  const warnings: string[] = [];
  const linkAt = new Map(links.map((l) => [l.path, l]));
  const fileAt = new Map(files.map((f) => [f.path, f]));
  const targets = new Map<string, string | null>();
  const read = async (l: TreeEntry) => {
    if (!targets.has(l.path)) targets.set(l.path, await target(l));
    return targets.get(l.path)!;
  };

  /** Where a link leads in the tree, through links to links; a reason when it leads nowhere it may go. */
  const resolve = async (link: TreeEntry): Promise<{ to: string } | { why: string }> => {
    let at = link;
    for (let hop = 0; hop < MAX_HOPS; hop++) {
      const text = await read(at);
      if (text === null) return { why: `its target cannot be read (blob ${at.oid} absent, or not text)` };
      if (posix.isAbsolute(text)) return { why: `it points outside the tree (${text})` };
      const to = posix.normalize(posix.join(posix.dirname(at.path), text)).replace(/\/+$/, "");
      if (to === ".." || to.startsWith("../")) return { why: `it points outside the tree (${text})` };
      const next = linkAt.get(to);
      if (!next) return { to: to === "." ? "" : to };
      at = next;
    }
    return { why: `it is a loop of links (more than ${MAX_HOPS} hops)` };
  };

  /** Expands the links under the real directory `real`, seen by users at `seen`; `chain` holds the directories being expanded. */
  const expand = async (real: string, seen: string, chain: string[]): Promise<void> => {
    const prefix = real ? `${real}/` : "";
    for (const link of links) {
      if (!link.path.startsWith(prefix)) continue;
      const r = await resolve(link);
      const shown = `${seen}${link.path.slice(real.length)}`;
      if ("why" in r) {
        warnings.push(`${link.path}: symlink not followed: ${r.why}`);
        continue;
      }
      const to = r.to;
      // A link to a directory that holds it (or one being expanded) would list its files forever.
      if (to === "" || link.path.startsWith(`${to}/`) || chain.some((c) => c === to || c.startsWith(`${to}/`))) {
        warnings.push(`${link.path}: symlink not followed: it is a loop (points to ${to || "the tree's root"}, which holds it)`);
        continue;
      }
      const file = fileAt.get(to);
      if (file) {
        out.push({ path: shown, real: to, entry: file });
        continue;
      }
      for (const f of files) if (f.path.startsWith(`${to}/`)) out.push({ path: `${shown}${f.path.slice(to.length)}`, real: f.path, entry: f });
      await expand(to, shown, [...chain, to]);
    }
  };
  await expand(dir, dir, [dir]);
  return { files: out, warnings };
}
