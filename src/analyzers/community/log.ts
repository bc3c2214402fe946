import { isStewardError } from "../../errors.js";
import { fetchObjects, isPartialClone, missingObjects } from "../../git/objects.js";
import type { Repository } from "../../git/repository.js";
import { isMissingObjectError, streamGit } from "../../git/run.js";

/** One non-merge commit as the community analysis needs it. */
export interface CommitRecord {
  oid: string;
  parents: string[];
  authorName: string;
  authorEmail: string;
  /** Author date, ISO 8601 with offset. */
  authorDate: string;
  committerName: string;
  committerEmail: string;
  trailers: { key: string; value: string }[];
  /** Changed lines per file; null when they could not be read (blobs missing from a partial clone). */
  files: { path: string; added: number; deleted: number }[] | null;
  /** Paths whose line counts are unknown (missing blobs) although the rest of the commit was read. */
  unknownPaths?: string[];
}

const FIELDS = ["%H", "%P", "%an", "%ae", "%aI", "%cn", "%ce", "%(trailers:unfold,separator=%x1d)"];
const FORMAT = `--format=%x1e${FIELDS.join("%x1f")}%x1f`;

function parseHeader(header: string): Omit<CommitRecord, "files"> {
  const [oid = "", parents = "", an = "", ae = "", ad = "", cn = "", ce = "", trailers = ""] = header.split("\x1f");
  return {
    oid,
    parents: parents ? parents.split(" ") : [],
    authorName: an,
    authorEmail: ae,
    authorDate: ad,
    committerName: cn,
    committerEmail: ce,
    trailers: trailers
      .split("\x1d")
      .map((t) => /^([\w-]+)\s*:\s*(.*)$/s.exec(t.trim()))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => ({ key: m[1]!, value: m[2]!.trim() })),
  };
}

/**
 * The path a numstat line's file ends up at: under rename detection git
 * writes a move as `dir/{old => new}/f` or `old/f => new/f`; the new path
 * is the one that exists at the ref (areas, vendor files).
 */
export function renamedTo(path: string): string {
  const at = path.indexOf(" => ");
  if (at < 0) return path;
  const open = path.lastIndexOf("{", at);
  const close = path.indexOf("}", at);
  if (open >= 0 && close > at) return (path.slice(0, open) + path.slice(at + 4, close) + path.slice(close + 1)).replace(/\/\/+/g, "/").replace(/^\//, "");
  return path.slice(at + 4);
}

/** A `git log --numstat` record: header fields, then one "added<TAB>deleted<TAB>path" line per file. */
function parseRecord(rec: Buffer): CommitRecord | null {
  const text = rec.toString("utf8");
  const end = text.lastIndexOf("\x1f");
  if (end < 0) return null;
  const head = parseHeader(text.slice(0, end));
  const files: { path: string; added: number; deleted: number }[] = [];
  for (const line of text.slice(end + 1).split("\n")) {
    if (!line) continue;
    const m = /^(\d+|-)\t(\d+|-)\t(.*)$/.exec(line);
    // Binary files: "-\t-", no lines.
    if (m) files.push({ path: renamedTo(m[3]!), added: m[1] === "-" ? 0 : Number(m[1]), deleted: m[2] === "-" ? 0 : Number(m[2]) });
  }
  const c = head as CommitRecord;
  c.files = files;
  return c;
}

/**
 * Streams every non-merge commit reachable from `commit` with its changed
 * lines, in one `git log --numstat` (bounded memory: records are handed on as
 * they arrive). When git cannot read a blob (a partial clone, or an object
 * store missing some blobs), the rest is read the careful way: metadata and
 * blob ids from a tree-only `--raw` log, line counts only for commits whose
 * blobs are all present, the files with missing blobs named in warnings. The
 * commits the fast log had handed on stay counted when the careful way finds
 * them complete; otherwise `onRestart` tells the caller to drop what it
 * aggregated and every commit is handed on again, in the careful way's order.
 */
export async function streamCommits(
  repo: Repository,
  commit: string,
  onCommit: (c: CommitRecord) => void,
  opts: { onRestart: () => void; warnings: string[]; hold?: Promise<unknown>; holdBytes?: number; fetchMissing?: boolean; unread?: UnreadLines },
): Promise<void> {
  // A partial clone goes the careful way at once: the fast log would only die on the first absent blob.
  const read = { count: 0, last: "" };
  const counted = (c: CommitRecord) => {
    read.count++;
    read.last = c.oid;
    onCommit(c);
  };
  if (!(await isPartialClone(repo.gitDir)) && (await fastLog(repo, commit, counted, opts))) return;
  if (opts.hold) await opts.hold.catch(() => undefined);
  // The commits the fast log handed on before it died (a prefix of the log, every one read whole) stay
  // counted when the careful way finds them all complete; otherwise everything is read again.
  if (!read.count) opts.onRestart();
  await careful(repo, commit, onCommit, opts.warnings, opts.fetchMissing === true, read.count ? { ...read, restart: opts.onRestart } : null, opts.unread);
}

/** What the careful way could not count: changed files of the history whose blobs are absent. */
export interface UnreadLines {
  /** Distinct paths the history changes (the careful way only). */
  files: number;
  /** Of those, paths whose line counts were skipped for at least one commit. */
  paths: string[];
  fetched: number;
}

/** The whole history's numstat in one log; false when an absent blob stopped it (the careful way follows). */
async function fastLog(repo: Repository, commit: string, onCommit: (c: CommitRecord) => void, opts: { hold?: Promise<unknown>; holdBytes?: number }): Promise<boolean> {
  try {
    // git starts at once; its records wait (bounded) until `hold` settles (the identity pass).
    await streamGit(
      repo.gitDir,
      // -M pins rename detection (git's default) against a user's diff.renames: a moved file counts its changed lines, not all of them twice.
      ["log", "--no-merges", "--numstat", "-M", FORMAT, commit],
      0x1e,
      (rec) => {
        const c = rec.length ? parseRecord(rec) : null;
        if (c) onCommit(c);
      },
      opts.hold ? { hold: opts.hold, ...(opts.holdBytes ? { holdBytes: opts.holdBytes } : {}) } : {},
    );
    return true;
  } catch (e) {
    if (!(isStewardError(e) && isMissingObjectError(e.message))) throw e;
    return false;
  }
}

type Change = { old: string; new: string; path: string };

/** One record of the tree-only `--raw -z` log: the commit's header and its blob changes. */
function parseRaw(rec: Buffer): { head: Omit<CommitRecord, "files">; changes: Change[] } {
  const text = rec.toString("utf8");
  const end = text.lastIndexOf("\x1f");
  const head = parseHeader(text.slice(0, end));
  const parts = text.slice(end + 1).replace(/^[\0\n]+/, "").split("\0");
  const changes: Change[] = [];
  for (let i = 0; i + 1 < parts.length; i += 2) {
    const m = /^:(\d+) (\d+) ([0-9a-f]+) ([0-9a-f]+) \w/.exec(parts[i]!.replace(/^\n/, ""));
    // Submodules (mode 160000) name commits of another repository, not blobs: nothing to read.
    if (m && m[1] !== "160000" && m[2] !== "160000") changes.push({ old: m[3]!, new: m[4]!, path: parts[i + 1]! });
  }
  return { head, changes };
}

/**
 * The careful way, in bounded memory (no list of all commits: a blobless
 * clone of a large project would otherwise hold every commit's changes):
 * 1. the distinct blob ids of the history (a tree-only log), checked once;
 * 2. the same log again: a commit whose blobs are all present keeps only its
 *    id, one with a missing blob is counted at once without those files;
 * 3. the line counts of the complete commits, in one log over exactly those.
 */
async function careful(
  repo: Repository,
  commit: string,
  onCommit: (c: CommitRecord) => void,
  warnings: string[],
  fetchMissing: boolean,
  prefix: { count: number; last: string; restart: () => void } | null,
  unread?: UnreadLines,
): Promise<void> {
  const RAW = ["log", "--no-merges", "--raw", "--no-abbrev", "--no-renames", "-z", FORMAT, commit];
  const zero = /^0+$/;
  const blobs = new Set<string>();
  const paths = new Set<string>();
  await streamGit(repo.gitDir, RAW, 0x1e, (rec) => {
    if (!rec.length) return;
    for (const x of parseRaw(rec).changes) {
      paths.add(x.path);
      for (const o of [x.old, x.new]) if (!zero.test(o)) blobs.add(o);
    }
  });
  if (unread) unread.files = paths.size;
  paths.clear();
  let missing = await missingObjects(repo.gitDir, [...blobs]);
  if (fetchMissing && missing.size) {
    const { fetched, unavailable } = await fetchObjects(repo.gitDir, [...missing]);
    if (unread) unread.fetched = fetched;
    warnings.push(`fetched ${fetched} absent blob${fetched === 1 ? "" : "s"} of the history from the promisor remote (--fetch-missing)${unavailable.length ? `; ${unavailable.length} the remote does not have` : ""}`);
    missing = await missingObjects(repo.gitDir, [...missing]);
  }
  blobs.clear();
  const goodIds: string[] = [];
  // The log's first `prefix.count` commits were counted by the fast log: kept apart until each proves
  // complete here (and the last is the one the fast log ended on), else the caller drops them and all is read.
  let prefixIds: string[] | null = prefix ? [] : null;
  let index = 0;
  const restart = () => {
    if (!prefixIds) return;
    goodIds.push(...prefixIds);
    prefixIds = null;
    prefix!.restart();
  };
  const incomplete: { head: Omit<CommitRecord, "files">; present: string[]; absent: string[] }[] = [];
  const unknown = new Set<string>();
  // Per-commit diffs are slow: beyond this many incomplete commits, their present files' lines are skipped too (and said so).
  const LIMIT = 500;
  let beyond = 0;
  await streamGit(repo.gitDir, RAW, 0x1e, (rec) => {
    if (!rec.length) return;
    const { head, changes } = parseRaw(rec);
    const isMissing = (x: Change) => missing.has(x.old) || missing.has(x.new);
    const complete = !changes.some(isMissing);
    const i = index++;
    if (prefixIds && i < prefix!.count) {
      if (complete && (i < prefix!.count - 1 || head.oid === prefix!.last)) {
        prefixIds.push(head.oid);
        return;
      }
      restart();
    }
    if (complete) {
      goodIds.push(head.oid);
      return;
    }
    const absent = changes.filter(isMissing).map((x) => x.path);
    absent.forEach((p) => unknown.add(p));
    if (incomplete.length < LIMIT) incomplete.push({ head, present: changes.filter((x) => !isMissing(x)).map((x) => x.path), absent });
    else {
      // These are handed on now, before the complete ones: the fast log's prefix would come first.
      restart();
      beyond++;
      onCommit({ ...head, files: null, unknownPaths: absent });
    }
  });
  if (prefixIds && index < prefix!.count) restart();
  if (goodIds.length) {
    await streamGit(
      repo.gitDir,
      ["log", "--no-walk=unsorted", "--stdin", "--numstat", "-M", FORMAT],
      0x1e,
      (rec) => {
        const c = rec.length ? parseRecord(rec) : null;
        if (c) onCommit(c);
      },
      { input: goodIds.join("\n") + "\n" },
    );
  }
  // The incomplete commits: the files whose blobs are present, diffed one commit at a time (few in
  // practice), a few diffs at once; handed on in log order.
  const diffed: Promise<{ path: string; added: number; deleted: number }[]>[] = [];
  const diff = async (c: (typeof incomplete)[number]) => {
    return c.present.length ? repo.numstat(c.head.oid, c.head.parents[0] ?? null, c.present) : [];
  };
  const AHEAD = 4;
  for (let i = 0; i < incomplete.length; i++) {
    for (let j = diffed.length; j < Math.min(incomplete.length, i + AHEAD); j++) {
      const p = diff(incomplete[j]!);
      p.catch(() => undefined); // an earlier failure is the one reported
      diffed.push(p);
    }
    const c = incomplete[i]!;
    onCommit({ ...c.head, files: await diffed[i]!, unknownPaths: c.absent });
  }
  if (unread) unread.paths = [...unknown].sort();
  if (unknown.size) {
    const list = [...unknown].sort();
    warnings.push(`line counts skipped for ${list.length} file(s) whose blobs are missing (partial clone?): ${list.slice(0, 5).join(", ")}${list.length > 5 ? ", ..." : ""}`);
  }
  if (beyond) warnings.push(`line counts skipped entirely for ${beyond} more commit(s) with missing blobs (beyond the first ${LIMIT})`);
}

/**
 * The first pass: every identity the history names (authors, committers,
 * trailer people), without diffs — fast, so people can be merged before any
 * commit is attributed.
 */
export async function streamIdentities(repo: Repository, commit: string, onIdentity: (name: string, email: string, authoredOn?: string, seenOn?: string) => void): Promise<{ commits: number; merges: number }> {
  let commits = 0;
  let merges = 0;
  await streamGit(repo.gitDir, ["log", "--format=%P%x1f%an%x1f%ae%x1f%as%x1f%cn%x1f%ce%x1f%(trailers:unfold,separator=%x1d)%x1e", commit], 0x1e, (rec) => {
    const text = rec.toString("utf8").replace(/^\n/, "");
    if (!text) return;
    commits++;
    const [parents = "", an = "", ae = "", as = "", cn = "", ce = "", trailers = ""] = text.split("\x1f");
    // Merges are counted here, so no separate rev-list pass is needed.
    if (parents.includes(" ")) merges++;
    // Merges carry no authored work: their author's address is not dated evidence of employment.
    onIdentity(an, ae, parents.includes(" ") ? undefined : as, as);
    // Committers and trailer people: the address was in use that day (weaker evidence, see Person.seen).
    onIdentity(cn, ce, undefined, as);
    for (const t of trailers.split("\x1d")) {
      const p = personOfTrailer(t);
      if (p) onIdentity(p.name, p.email, undefined, as);
    }
  });
  return { commits, merges };
}

/** "Name <email>" of a trailer value that names a person (Co-authored-by, Reviewed-by...), if it does. */
export function personOfTrailer(trailer: string): { key: string; name: string; email: string } | null {
  const m = /^([\w-]+)\s*:\s*(.*?)\s*<([^<>\s]+@[^<>\s]+)>\s*$/.exec(trailer.trim());
  return m ? { key: m[1]!.toLowerCase(), name: m[2]!, email: m[3]! } : null;
}
