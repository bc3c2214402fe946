import { GitError } from "../errors.js";
import { runGit } from "./run.js";

/**
 * Zero-context diffs. Lines are kept as latin1 strings: one char per byte, so
 * non-UTF-8 content round-trips exactly and compares byte for byte with blob
 * contents read the same way. Convert with `displayLine` only for output.
 */
export interface Hunk {
  oldStart: number;
  oldLines: number;
  newStart: number;
  newLines: number;
  deleted: string[];
  added: string[];
}

export type FileStatus = "A" | "D" | "M" | "T";

export interface FileDiff {
  /** Path in the new tree (the old path for deletions); decoded as UTF-8. */
  path: string;
  status: FileStatus;
  oldMode: string;
  newMode: string;
  oldOid: string | null;
  newOid: string | null;
  binary: boolean;
  hunks: Hunk[];
}

export interface RawEntry {
  status: string;
  /** Similarity score for renames/copies (R100 -> 100). */
  score: number | null;
  oldMode: string;
  newMode: string;
  oldOid: string | null;
  newOid: string | null;
  path: string;
  /** Source path of a rename or copy. */
  oldPath: string | null;
}

const ZERO_OID = /^0+$/;

/** Parses `git diff --raw -z` records (with --no-abbrev). */
export function parseRaw(buf: Buffer): { entries: RawEntry[]; rest: Buffer } {
  const entries: RawEntry[] = [];
  let pos = 0;
  while (pos < buf.length && buf[pos] === 0x3a /* ':' */) {
    const end = buf.indexOf(0, pos);
    // A record cut short (no NUL after it) would otherwise be read again forever.
    if (end === -1) throw new GitError("truncated git diff --raw record");
    const meta = buf.subarray(pos + 1, end).toString("latin1").split(" ");
    const [oldMode = "", newMode = "", oldOid = "", newOid = "", st = ""] = meta;
    pos = end + 1;
    const p1End = buf.indexOf(0, pos);
    if (p1End === -1) throw new GitError("truncated git diff --raw record");
    const p1 = buf.subarray(pos, p1End).toString("utf8");
    pos = p1End + 1;
    let oldPath: string | null = null;
    let path = p1;
    if (st.startsWith("R") || st.startsWith("C")) {
      const p2End = buf.indexOf(0, pos);
      if (p2End === -1) throw new GitError("truncated git diff --raw record");
      oldPath = p1;
      path = buf.subarray(pos, p2End).toString("utf8");
      pos = p2End + 1;
    }
    entries.push({
      status: st.charAt(0),
      score: st.length > 1 ? Number(st.slice(1)) : null,
      oldMode,
      newMode,
      oldOid: ZERO_OID.test(oldOid) ? null : oldOid,
      newOid: ZERO_OID.test(newOid) ? null : newOid,
      path,
      oldPath,
    });
  }
  return { entries, rest: buf.subarray(pos) };
}

const HUNK_HEADER = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/;

/**
 * Parses the patch part of `git diff -p -U1`: one section per file, in the
 * same order as the raw records, which give each section its exact path and
 * ids. Each run of changed lines between context lines becomes one
 * zero-context hunk, numbered as `-U0` would number it.
 *
 * Why not `-U0` directly: with no context git trims the files' common tail
 * before diffing, which can align lines differently from `git diff --numstat`
 * (and from any diff with context); `-U1` split at context lines gives exactly
 * the numstat counts.
 */
export function parsePatchSections(patch: Buffer, raw: RawEntry[]): FileDiff[] {
  const files: FileDiff[] = [];
  let current: FileDiff | null = null;
  let inHunk = false;
  let oldLine = 0;
  let newLine = 0;
  let block: Hunk | null = null;
  const close = () => {
    if (!block || !current) return;
    block.oldLines = block.deleted.length;
    block.newLines = block.added.length;
    // Zero-context numbering: an empty side names the line before the change.
    if (block.oldLines === 0) block.oldStart -= 1;
    if (block.newLines === 0) block.newStart -= 1;
    current.hunks.push(block);
    block = null;
  };
  let index = 0;
  let start = 0;
  while (start < patch.length) {
    let end = patch.indexOf(10, start);
    if (end === -1) end = patch.length;
    const line = patch.subarray(start, end).toString("latin1");
    start = end + 1;
    if (line.startsWith("diff --git ")) {
      close();
      const r = raw[index++];
      if (!r) throw new GitError("diff output has more file sections than raw records");
      current = {
        path: r.path,
        status: r.status === "A" || r.status === "D" || r.status === "T" ? r.status : "M",
        oldMode: r.oldMode,
        newMode: r.newMode,
        oldOid: r.oldOid,
        newOid: r.newOid,
        binary: false,
        hunks: [],
      };
      files.push(current);
      inHunk = false;
      continue;
    }
    if (!current) continue;
    const c = line.charCodeAt(0);
    if (inHunk && (c === 0x2b /* + */ || c === 0x2d) /* - */) {
      block ??= { oldStart: oldLine, oldLines: 0, newStart: newLine, newLines: 0, deleted: [], added: [] };
      if (c === 0x2b) {
        block.added.push(line.slice(1));
        newLine++;
      } else {
        block.deleted.push(line.slice(1));
        oldLine++;
      }
    } else if (inHunk && c === 0x20 /* context */) {
      close();
      oldLine++;
      newLine++;
    } else if (c === 0x40 /* @ */) {
      const m = HUNK_HEADER.exec(line);
      if (!m) continue;
      close();
      inHunk = true;
      oldLine = Number(m[1]);
      newLine = Number(m[3]);
      // An empty side's header number is the line before; the next line is one more.
      if (m[2] === "0") oldLine++;
      if (m[4] === "0") newLine++;
    } else if (inHunk && c === 0x5c /* \ No newline */) {
      continue;
    } else if (!inHunk && (line.startsWith("Binary files ") || line === "GIT binary patch")) {
      current.binary = true;
    }
  }
  close();
  return files;
}

/** Base diff options: exact, machine-stable, no user config (renames off unless asked). */
export const DIFF_OPTS = [
  "--no-color",
  "--no-ext-diff",
  "--no-textconv",
  "--no-abbrev",
  "--full-index",
  "--src-prefix=a/",
  "--dst-prefix=b/",
  "--ignore-submodules=none",
  "--diff-algorithm=myers",
];

/**
 * The zero-context hunks between two commits, with rename detection off (so
 * totals equal `git diff --numstat` of the same range). `paths` limits it.
 */
export async function diffCommits(gitDir: string, from: string, to: string, paths?: readonly string[]): Promise<FileDiff[]> {
  const args = ["diff", ...DIFF_OPTS, "--no-renames", "-z", "--raw", "-p", "-U1", from, to];
  if (paths) args.push("--", ...paths);
  const r = await runGit(gitDir, args);
  const { entries, rest } = parseRaw(r.stdout);
  // With -z, an empty record separates the raw part from the patch.
  const patch = rest[0] === 0 ? rest.subarray(1) : rest;
  return parsePatchSections(patch, entries);
}

/** Tree-level changes between two commits (no blob reads), optionally with rename detection. */
export async function rawDiff(gitDir: string, from: string, to: string, opts: { renames?: boolean; paths?: readonly string[] } = {}): Promise<RawEntry[]> {
  const args = ["diff", "--no-abbrev", "-z", "--raw", "--ignore-submodules=none", opts.renames ? "-M" : "--no-renames", from, to];
  if (opts.paths) args.push("--", ...opts.paths);
  const r = await runGit(gitDir, args);
  return parseRaw(r.stdout).entries;
}

/** Text for humans: UTF-8 when the bytes are valid UTF-8, else the latin1 reading. */
export function displayLine(latin1: string): string {
  const utf8 = Buffer.from(latin1, "latin1").toString("utf8");
  return utf8.includes("\uFFFD") ? latin1 : utf8;
}

/** Splits blob bytes into latin1 lines (no trailing empty line for a final newline). */
export function blobLines(blob: Buffer): string[] {
  if (blob.length === 0) return [];
  const text = blob.toString("latin1");
  const lines = text.split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  return lines;
}
