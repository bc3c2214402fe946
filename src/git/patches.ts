import { type CommitInfo, parseCommitRecord } from "./repository.js";
import { GitError } from "../errors.js";
import { missingObjects } from "./objects.js";
import { isMissingObjectError, runGit } from "./run.js";

/** One commit's patch as `git log -p` shows it, reduced to what the analyzers use. */
export interface CommitPatch {
  info: CommitInfo;
  /** Per path (new path; old path for deletions): added and deleted line contents (latin1). */
  files: Map<string, { added: string[]; deleted: string[] }>;
}

export interface PatchLog {
  commits: CommitPatch[];
  /** Commits left out because some of their blobs are missing (partial clones). */
  skipped: string[];
  /** commit id -> `git patch-id --stable` (commits with an empty diff have none). */
  patchIds: Map<string, string>;
}

const FORMAT = "commit %H%x1f%P%x1f%an%x1f%ae%x1f%aI%x1f%cI%x1f%s";

/**
 * Undoes git's C-style path quoting ("a\tb", octal escapes for bytes), as used
 * in patch headers.
 */
export function unquoteGitPath(s: string): string {
  if (!s.startsWith('"')) return s;
  const bytes: number[] = [];
  for (let i = 1; i < s.length; i++) {
    const ch = s[i]!;
    if (ch === '"') break;
    if (ch !== "\\") {
      bytes.push(s.charCodeAt(i) & 0xff);
      continue;
    }
    const n = s[++i] ?? "";
    const simple: Record<string, number> = { a: 7, b: 8, t: 9, n: 10, v: 11, f: 12, r: 13, '"': 34, "\\": 92 };
    if (n in simple) bytes.push(simple[n]!);
    else if (/[0-7]/.test(n)) {
      bytes.push(parseInt(s.slice(i, i + 3), 8));
      i += 2;
    }
  }
  return Buffer.from(bytes).toString("utf8");
}

function headerPath(rest: string): string {
  // `+++ b/path` has a trailing TAB when the path contains a space.
  const trimmed = rest.endsWith("\t") ? rest.slice(0, -1) : rest;
  // Lines are read as latin1; unquoted paths are raw UTF-8 bytes (core.quotepath=off).
  const p = trimmed.startsWith('"') ? unquoteGitPath(trimmed) : Buffer.from(trimmed, "latin1").toString("utf8");
  return p.startsWith("a/") || p.startsWith("b/") ? p.slice(2) : p;
}

/**
 * Runs `git log -p` over the revisions given on stdin (full ids, `^id` to
 * exclude; with `noWalk`, exactly the commits listed) and derives both the
 * per-commit added/deleted lines and each commit's stable patch-id, from one log run.
 */
export async function logPatches(gitDir: string, revisions: readonly string[], opts: { noWalk?: boolean } = {}): Promise<PatchLog> {
  if (revisions.length === 0) return { commits: [], patchIds: new Map(), skipped: [] };
  const limit = opts.noWalk ? ["--no-walk=unsorted"] : [];
  const input = revisions.join("\n") + "\n";
  let log;
  let skipped: string[] = [];
  try {
    log = await runGit(gitDir, [...PATCH_LOG, ...limit, "--stdin"], { input });
  } catch (e) {
    if (!(e instanceof GitError) || !isMissingObjectError(e.message)) throw e;
    ({ log, skipped } = await logPatchesSkippingMissing(gitDir, input, limit));
  }
  const commits = parsePatchLog(log.stdout);
  const patchIds = new Map<string, string>();
  if (commits.length > 0) {
    const pid = await runGit(gitDir, ["patch-id", "--stable"], { input: log.stdout });
    for (const line of pid.stdout.toString("latin1").split("\n")) {
      const [id, commit] = line.split(" ");
      if (id && commit) patchIds.set(commit, id);
    }
  }
  return { commits, patchIds, skipped };
}

const PATCH_LOG = ["log", "--no-merges", "-p", "--no-color", "--no-ext-diff", "--no-textconv", "--no-renames", `--format=${FORMAT}`];

/**
 * Fallback for partial clones: find, without reading blobs, the commits whose
 * diffs need a missing blob, and log the others by explicit id.
 */
async function logPatchesSkippingMissing(gitDir: string, input: string, limit: string[]) {
  const raw = await runGit(gitDir, ["log", "--no-merges", "--no-renames", "--raw", "--no-abbrev", "--format=%x00%H", ...limit, "--stdin"], { input });
  const blobsOf = new Map<string, string[]>();
  let current: string[] | null = null;
  for (const line of raw.stdout.toString("latin1").split("\n")) {
    if (line.startsWith("\0")) {
      current = [];
      blobsOf.set(line.slice(1), current);
    } else if (current && line.startsWith(":")) {
      const [, , a, b] = line.slice(1).split(" ");
      for (const o of [a, b]) if (o && !/^0+$/.test(o)) current.push(o);
    }
  }
  const missing = await missingObjects(gitDir, [...new Set([...blobsOf.values()].flat())]);
  const skipped: string[] = [];
  const keep: string[] = [];
  for (const [c, blobs] of blobsOf) (blobs.some((b) => missing.has(b)) ? skipped : keep).push(c);
  const log = keep.length
    ? await runGit(gitDir, [...PATCH_LOG, "--no-walk=unsorted", "--stdin"], { input: keep.join("\n") + "\n" })
    : { stdout: Buffer.alloc(0), stderr: "", code: 0 };
  return { log, skipped };
}

export function parsePatchLog(buf: Buffer): CommitPatch[] {
  const commits: CommitPatch[] = [];
  let current: CommitPatch | null = null;
  let file: { added: string[]; deleted: string[] } | null = null;
  let inHunk = false;
  let minusPath: string | null = null;
  let start = 0;
  while (start < buf.length) {
    let end = buf.indexOf(10, start);
    if (end === -1) end = buf.length;
    const line = buf.subarray(start, end).toString("latin1");
    start = end + 1;
    if (line.startsWith("commit ") && line.includes("\x1f")) {
      current = { info: parseCommitRecord(Buffer.from(line.slice(7), "latin1").toString("utf8")), files: new Map() };
      commits.push(current);
      file = null;
      inHunk = false;
      continue;
    }
    if (!current) continue;
    if (line.startsWith("diff --git ")) {
      file = null;
      inHunk = false;
      minusPath = null;
      continue;
    }
    if (!inHunk && line.startsWith("--- ")) {
      minusPath = line === "--- /dev/null" ? null : headerPath(line.slice(4));
      continue;
    }
    if (!inHunk && line.startsWith("+++ ")) {
      const path = line === "+++ /dev/null" ? minusPath : headerPath(line.slice(4));
      if (path !== null) {
        file = current.files.get(path) ?? { added: [], deleted: [] };
        current.files.set(path, file);
      }
      continue;
    }
    if (line.startsWith("@@")) {
      inHunk = file !== null;
      continue;
    }
    if (!inHunk || !file) continue;
    const c = line.charCodeAt(0);
    if (c === 0x2b) file.added.push(line.slice(1));
    else if (c === 0x2d) file.deleted.push(line.slice(1));
    else if (c !== 0x20 && c !== 0x5c) inHunk = false;
  }
  return commits;
}

export interface CommitFiles {
  info: CommitInfo;
  /** Paths the commit touches (no rename detection). */
  files: string[];
}

/**
 * Each commit's metadata and the paths it touches (merges left out), from
 * tree diffs only: no blob is read. Used to pre-select the upstream commits
 * whose patch-id could equal a fork commit's (equal patches touch equal sets
 * of files), as `git cherry` does with its header-only ids. Newest first.
 */
export async function filesByCommit(gitDir: string, revisions: readonly string[]): Promise<Map<string, CommitFiles>> {
  const result = new Map<string, CommitFiles>();
  if (revisions.length === 0) return result;
  const out = await runGit(gitDir, ["log", "--no-merges", "--no-renames", "--name-only", "-z", `--format=%x01${FORMAT.slice("commit ".length)}`, "--stdin"], {
    input: revisions.join("\n") + "\n",
  });
  let current: string[] | null = null;
  for (let rec of out.stdout.toString("utf8").split("\0")) {
    if (rec.startsWith("\n")) rec = rec.slice(1);
    if (rec.startsWith("\x01")) {
      const info = parseCommitRecord(rec.slice(1));
      current = [];
      result.set(info.commit, { info, files: current });
      continue;
    }
    if (current && rec) current.push(rec);
  }
  return result;
}

/** A key equal for commits touching the same set of paths. */
export function fileSetKey(paths: readonly string[]): string {
  return [...paths].sort().join("\0");
}
