import type { Repository } from "../../git/repository.js";

export interface TreeFile {
  path: string;
  oid: string;
  size: number;
}

/** Every blob of the tree at `commit` with its size (submodules and symlinks left out), from one `ls-tree -r -l`. */
export async function listTree(repo: Repository, commit: string): Promise<TreeFile[]> {
  const out = await repo.text(["ls-tree", "-r", "-l", "-z", "--full-tree", commit]);
  const files: TreeFile[] = [];
  for (const rec of out.split("\0")) {
    if (!rec) continue;
    const tab = rec.indexOf("\t");
    const [mode, type, oid, size] = rec.slice(0, tab).split(/\s+/);
    if (type !== "blob" || mode === "120000") continue;
    // git prints the size of a blob it does not have as BAD: 0 here, and the blob is reported missing.
    files.push({ path: rec.slice(tab + 1), oid: oid!, size: Number(size) || 0 });
  }
  return files;
}

/**
 * What is staged: every blob of the index (stage 0; submodules and symlinks left out). Sizes are
 * not in the index, so the size limit is applied after reading (see readBlobs' callers).
 */
export async function listIndex(repo: Repository): Promise<TreeFile[]> {
  const out = await repo.text(["ls-files", "--stage", "-z"]);
  const files: TreeFile[] = [];
  for (const rec of out.split("\0")) {
    if (!rec) continue;
    const tab = rec.indexOf("\t");
    const [mode, oid, stage] = rec.slice(0, tab).split(" ");
    if (stage !== "0" || mode === "120000" || mode === "160000") continue;
    files.push({ path: rec.slice(tab + 1), oid: oid!, size: 0 });
  }
  return files;
}

/** Paths whose staged content differs from `head` (all of the index when there is no commit yet). */
export async function stagedPaths(repo: Repository, head: string | null): Promise<Set<string>> {
  if (head === null) return new Set((await listIndex(repo)).map((f) => f.path));
  const out = await repo.text(["diff-index", "--cached", "--no-renames", "--name-only", "-z", head]);
  return new Set(out.split("\0").filter(Boolean));
}

export type SkipReason = "binary" | "minified" | "tooLarge" | "missing";

/**
 * Why a blob is not scanned as text: a NUL byte in its first 8 KiB (binary,
 * git's own test), or lines too long to be written by hand (minified or
 * generated).
 */
export function skipReason(content: Buffer): SkipReason | null {
  if (content.subarray(0, 8000).includes(0)) return "binary";
  if (content.length > 20_000) {
    let lines = 1;
    let longest = 0;
    let start = 0;
    for (let i = content.indexOf(10); i !== -1; i = content.indexOf(10, i + 1)) {
      longest = Math.max(longest, i - start);
      start = i + 1;
      lines++;
    }
    longest = Math.max(longest, content.length - start);
    if (longest > 10_000 || content.length / lines > 500) return "minified";
  }
  return null;
}

/**
 * Reads blobs through the repository's cat-file process, at most `window`
 * requests in flight, handing each to `use` in tree order. Blobs over
 * `maxBytes` or absent (partial clones) are never requested.
 */
export async function readBlobs(
  repo: Repository,
  files: TreeFile[],
  opts: { maxBytes: number; missing: Set<string>; window?: number },
  use: (f: TreeFile, content: Buffer | null, skipped: SkipReason | null) => void,
): Promise<void> {
  const window = opts.window ?? 64;
  const reader = repo.objects();
  const pending: Promise<Buffer | null>[] = [];
  const request = (f: TreeFile): Promise<Buffer | null> => (f.size > opts.maxBytes || opts.missing.has(f.oid) ? Promise.resolve(null) : reader.read(f.oid));
  let next = 0;
  for (; next < Math.min(window, files.length); next++) pending.push(request(files[next]!));
  for (let i = 0; i < files.length; i++) {
    const content = await pending[i]!;
    if (next < files.length) pending.push(request(files[next++]!));
    pending[i] = Promise.resolve(null); // let the buffer go
    const f = files[i]!;
    if (content === null) use(f, null, f.size > opts.maxBytes ? "tooLarge" : "missing");
    // Index entries carry no size: the limit applies once read.
    else if (content.length > opts.maxBytes) use(f, null, "tooLarge");
    else use(f, content, skipReason(content));
  }
}
