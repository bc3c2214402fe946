import { GitError, InputError } from "../errors.js";
import { missingInTree, objectSizes, promisorOf, type Promisor } from "./objects.js";
import { isMissingObjectError, runGit } from "./run.js";

/**
 * The one way Steward lists a tree. `ls-tree -l` asks for the size of every
 * blob, including images and data files nobody reads; in a partial clone that
 * makes git try the promisor remote and die (git 2.39), and in a store joined
 * by alternates it prints `BAD`. Here the listing reads only tree objects,
 * the caller's filter runs on paths first, and sizes are asked only for
 * present blobs that passed it.
 */

export type EntryKind = "file" | "symlink" | "submodule";

export interface TreeEntry {
  path: string;
  /** git's mode: 100644, 100755, 120000 (symlink), 160000 (submodule). */
  mode: string;
  kind: EntryKind;
  oid: string;
  /** Byte size of a present blob; null when absent or not asked. */
  size: number | null;
  /** The blob is absent from the object store (partial clone). */
  missing: boolean;
}

export interface TreeOptions {
  /** Which kinds to keep (default: files only). */
  kinds?: readonly EntryKind[];
  /** Keeps an entry by path (and kind) before anything else is asked about it. */
  filter?: (path: string, kind: EntryKind) => boolean;
  /** Ask the sizes of kept present blobs (default true). */
  sizes?: boolean;
}

function kindOf(mode: string): EntryKind | null {
  if (mode === "120000") return "symlink";
  if (mode === "160000") return "submodule";
  if (mode.startsWith("100")) return "file";
  return null;
}

/** Entries of the tree at `commit` (recursive, full paths), see TreeOptions. */
export async function listTree(gitDir: string, commit: string, opts: TreeOptions = {}): Promise<TreeEntry[]> {
  const kinds = new Set(opts.kinds ?? ["file"]);
  let out: Buffer;
  try {
    // No -l: only tree objects are read, never a blob.
    out = (await runGit(gitDir, ["ls-tree", "-r", "-z", "--full-tree", commit])).stdout;
  } catch (e) {
    if (e instanceof GitError && isMissingObjectError(e.message) && (await promisorOf(gitDir))) {
      throw new InputError(`tree objects of ${commit} are absent from this partial clone (a tree filter?): fetch them with git fetch, then rerun`);
    }
    throw e;
  }
  const entries: TreeEntry[] = [];
  for (const rec of out.toString("utf8").split("\0")) {
    if (!rec) continue;
    const tab = rec.indexOf("\t");
    const [mode = "", , oid = ""] = rec.slice(0, tab).split(" ");
    const kind = kindOf(mode);
    if (!kind || !kinds.has(kind)) continue;
    const path = rec.slice(tab + 1);
    if (opts.filter && !opts.filter(path, kind)) continue;
    entries.push({ path, mode, kind, oid, size: null, missing: false });
  }
  const blobs = entries.filter((e) => e.kind !== "submodule");
  const missing = await missingInTree(gitDir, commit);
  for (const e of blobs) e.missing = missing.has(e.oid);
  if (opts.sizes !== false) {
    const present = [...new Set(blobs.filter((e) => !e.missing).map((e) => e.oid))];
    const sizes = await objectSizes(gitDir, present);
    for (const e of blobs) {
      if (e.missing) continue;
      const size = sizes.get(e.oid);
      // Absent without a promisor (a store joined by alternates): git says "missing".
      if (size === null || size === undefined) e.missing = true;
      else e.size = size;
    }
  }
  return entries;
}

/**
 * What is staged: every blob of the index (stage 0; submodules and symlinks left out). Sizes are
 * not in the index, so a size limit is applied after reading.
 */
export async function listIndex(gitDir: string): Promise<TreeEntry[]> {
  const out = (await runGit(gitDir, ["ls-files", "--stage", "-z"])).stdout.toString("utf8");
  const files: TreeEntry[] = [];
  for (const rec of out.split("\0")) {
    if (!rec) continue;
    const tab = rec.indexOf("\t");
    const [mode, oid, stage] = rec.slice(0, tab).split(" ");
    if (stage !== "0" || mode === "120000" || mode === "160000") continue;
    files.push({ path: rec.slice(tab + 1), mode: mode!, kind: "file", oid: oid!, size: null, missing: false });
  }
  return files;
}

/** Paths whose staged content differs from `head` (all of the index when there is no commit yet). */
export async function stagedPaths(gitDir: string, head: string | null): Promise<Set<string>> {
  if (head === null) return new Set((await listIndex(gitDir)).map((f) => f.path));
  const out = (await runGit(gitDir, ["diff-index", "--cached", "--no-renames", "--name-only", "-z", head])).stdout.toString("utf8");
  return new Set(out.split("\0").filter(Boolean));
}

/** Paths of the files (and symlinks) in the tree at `commit`, reading no blob. */
export async function listPaths(gitDir: string, commit: string): Promise<string[]> {
  const out = await runGit(gitDir, ["ls-tree", "-r", "-z", "--name-only", "--full-tree", commit]);
  return out.stdout.toString("utf8").split("\0").filter(Boolean);
}

/**
 * What an analysis could read of what it wanted. Every result computed from
 * file contents carries one, so a reviewer sees when a partial clone left
 * files out, and how to fetch them.
 */
export type { Promisor };

export interface Coverage {
  /** Files the analysis set out to read. */
  files: number;
  /** Of those, files whose blobs are absent (partial clone) and were not read. */
  missing: number;
  /** Up to 20 of the unread paths. */
  missingPaths: string[];
  /** Where the absent blobs would come from (`--fetch-missing`), or null in a complete repository. */
  promisor: Promisor | null;
  /** Blobs fetched for this analysis with --fetch-missing. */
  fetched: number;
}

/** Coverage of `wanted` entries (missing flags as listed). */
export async function coverageOf(gitDir: string, wanted: readonly { path: string; missing: boolean }[], fetched = 0): Promise<Coverage> {
  const unread = wanted.filter((e) => e.missing);
  return { files: wanted.length, missing: unread.length, missingPaths: unread.slice(0, 20).map((e) => e.path), promisor: unread.length ? await promisorOf(gitDir) : null, fetched };
}

/** Adds coverages of several reads (several refs, several repositories). */
export function mergeCoverage(list: readonly Coverage[]): Coverage {
  const out: Coverage = { files: 0, missing: 0, missingPaths: [], promisor: null, fetched: 0 };
  for (const c of list) {
    out.files += c.files;
    out.missing += c.missing;
    out.fetched += c.fetched;
    for (const p of c.missingPaths) if (out.missingPaths.length < 20 && !out.missingPaths.includes(p)) out.missingPaths.push(p);
    out.promisor ??= c.promisor;
  }
  return out;
}

/** A one-line account of what was not read, for headlines and warnings ("" when everything was read). */
export function describeCoverage(c: Coverage): string {
  if (c.missing === 0) return "";
  const from = c.promisor ? `; --fetch-missing fetches them from ${c.promisor.remote} (${c.promisor.url})` : "";
  return `INCOMPLETE: ${c.missing} of ${c.files} file${c.files === 1 ? "" : "s"} not read (blobs absent from this partial clone${c.promisor ? "" : " or object store"})${from}`;
}

function isCoverage(v: unknown): v is Coverage {
  return typeof v === "object" && v !== null && typeof (v as Coverage).missing === "number" && typeof (v as Coverage).files === "number" && Array.isArray((v as Coverage).missingPaths);
}

/** Every coverage record inside a result (one per drift pair, one per downstream, ...), wherever it sits. */
export function findCoverages(result: unknown): Coverage[] {
  if (isCoverage(result)) return [result];
  if (Array.isArray(result)) return result.flatMap(findCoverages);
  if (typeof result !== "object" || result === null) return [];
  return Object.values(result).flatMap(findCoverages);
}
