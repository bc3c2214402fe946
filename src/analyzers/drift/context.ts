import { GitError } from "../../errors.js";
import { BlobReader } from "../../git/blobs.js";
import { safeToRead } from "../../git/objects.js";
import { blobLines, rawDiff, type RawEntry } from "../../git/diff.js";
import type { CommitInfo, Repository } from "../../git/repository.js";
import { LineIndex } from "./lines.js";
import type { DriftProgress } from "./types.js";

export interface UpstreamChanges {
  /** Keyed by the path at the base: modified, deleted, renamed away. */
  byBasePath: Map<string, RawEntry>;
  /** Keyed by the path at the upstream tip: added, modified, renamed to. */
  byNewPath: Map<string, RawEntry>;
}

/**
 * State shared by every pair analysed in one run (several forks, or a
 * --history series): one cat-file process, and caches of what does not change
 * between pairs (upstream blobs, commit metadata, upstream diffs per base).
 */
export class DriftContext {
  readonly blobs: BlobReader;
  private readonly indexes = new Map<string, Promise<{ lines: string[]; index: LineIndex } | null>>();
  private readonly upstreamChanges = new Map<string, Promise<UpstreamChanges>>();
  /** Warnings from shared steps, reported with every pair. */
  readonly warnings = new Set<string>();
  /** File-set keys of upstream commits whose patch-ids were computed (fork commits with these need theirs). */
  readonly candidateFileSets = new Set<string>();
  /** Upstream commit id -> stable patch-id, filled by the commit view. */
  readonly upstreamPatchIds = new Map<string, string>();

  constructor(
    readonly repo: Repository,
    readonly onProgress: (e: DriftProgress) => void = () => undefined,
    /** In a partial clone, fetch the blobs each pair needs first (--fetch-missing). */
    readonly fetchMissing = false,
  ) {
    this.blobs = repo.objects();
    // Start what classification will need while git computes the diffs.
    this.blobs.warmUp();
    void safeToRead(repo.gitDir, "").catch(() => undefined);
  }

  close(): void {
    this.repo.close();
  }

  /** A blob's lines and index, read once; null when the object is missing. */
  blob(oid: string): Promise<{ lines: string[]; index: LineIndex } | null> {
    let p = this.indexes.get(oid);
    if (!p) {
      // Never ask cat-file for an absent object: in a partial clone it would die.
      p = safeToRead(this.repo.gitDir, oid)
        .then((ok) => (ok ? this.blobs.read(oid) : null))
        .then((b) => {
        if (!b) return null;
        const lines = blobLines(b);
        // Indexed on first use: many base copies are only read for anchors.
        let index: LineIndex | null = null;
        return {
          lines,
          get index() {
            return (index ??= new LineIndex(lines));
          },
        };
        });
      this.indexes.set(oid, p);
    }
    return p;
  }

  /** Commit metadata (the repository caches it; reads go through its cat-file process). */
  commitInfos(oids: string[]): Promise<CommitInfo[]> {
    return this.repo.commitInfos(oids);
  }

  commitInfo(oid: string): Promise<CommitInfo> {
    return this.repo.commitInfo(oid);
  }

  /** Drops the upstream changes computed for a base (blobs were fetched since: renames may match differently). */
  forgetUpstreamChanges(base: string, upstream: string): void {
    this.upstreamChanges.delete(`${base}..${upstream}`);
  }

  /**
   * What upstream did to each base path between `base` and `upstream`, with
   * rename detection so a file upstream moved can be followed.
   */
  upstreamChangesSince(base: string, upstream: string): Promise<UpstreamChanges> {
    const key = `${base}..${upstream}`;
    let p = this.upstreamChanges.get(key);
    if (!p) {
      const gitDir = this.repo.gitDir;
      const amongPresent = () => renamesAmongPresent(this.repo, base, upstream, (w) => this.warnings.add(w));
      // Rename scoring reads blobs: where some are absent (a partial clone, or a store joined by
      // alternates that lacks some), renames are matched among the present ones.
      const entries = this.repo.promisor().then((partial) =>
        partial
          ? amongPresent()
          : rawDiff(gitDir, base, upstream, { renames: true }).catch((e: unknown) => {
              if (!(e instanceof GitError)) throw e;
              return amongPresent();
            }),
      );
      p = entries.then((entries) => {
        const byBasePath = new Map<string, RawEntry>();
        const byNewPath = new Map<string, RawEntry>();
        for (const e of entries) {
          if (e.status !== "A") byBasePath.set(e.oldPath ?? e.path, e);
          if (e.status !== "D") byNewPath.set(e.path, e);
        }
        return { byBasePath, byNewPath };
      });
      this.upstreamChanges.set(key, p);
    }
    return p;
  }
}

/** Pathspecs longer than this (bytes) are not passed on a command line: renames are then matched by blob id only. */
const MAX_PATHSPEC_BYTES = 100_000;

/**
 * Upstream changes with rename detection in a partial clone, where `diff -M`
 * would die on the first absent blob (git 2.39 tries the promisor). Deleted
 * and added files whose blobs are absent are paired by blob id (git's own
 * exact-rename step, which reads no content); the similarity step runs on
 * the deleted and added files whose blobs are present, by pathspec.
 */
export async function renamesAmongPresent(repo: Repository, base: string, upstream: string, warn: (w: string) => void): Promise<RawEntry[]> {
  const raw = await rawDiff(repo.gitDir, base, upstream);
  const deleted = raw.filter((e) => e.status === "D");
  const added = raw.filter((e) => e.status === "A");
  if (!deleted.length || !added.length) return raw;
  const missing = await repo.missingObjects([...deleted.map((e) => e.oldOid!), ...added.map((e) => e.newOid!)]);
  const consumed = new Set<RawEntry>();
  const out: RawEntry[] = [];
  // Exact renames among absent blobs: same id, no content needed.
  const addedByOid = new Map<string, RawEntry[]>();
  for (const a of added) if (missing.has(a.newOid!)) addedByOid.set(a.newOid!, [...(addedByOid.get(a.newOid!) ?? []), a]);
  for (const d of deleted) {
    if (!missing.has(d.oldOid!)) continue;
    const a = addedByOid.get(d.oldOid!)?.shift();
    if (!a) continue;
    consumed.add(d).add(a);
    out.push({ ...a, status: "R", score: 100, oldMode: d.oldMode, oldOid: d.oldOid, oldPath: d.path });
  }
  // A path that is a file on one side and a directory on the other (DeepSpeed's deepspeed/accelerator
  // became a symlink) would, as a pathspec, also match every file under the directory, absent ones too.
  const dirs = new Set<string>();
  for (const e of raw) for (let i = e.path.indexOf("/"); i !== -1; i = e.path.indexOf("/", i + 1)) dirs.add(e.path.slice(0, i));
  const present = [...deleted.filter((e) => !missing.has(e.oldOid!)).map((e) => e.path), ...added.filter((e) => !missing.has(e.newOid!)).map((e) => e.path)].filter((p) => !dirs.has(p));
  const bytes = present.reduce((n, p) => n + Buffer.byteLength(p) + 1, 0);
  if (present.length && bytes <= MAX_PATHSPEC_BYTES) {
    const renamed = (await rawDiff(repo.gitDir, base, upstream, { renames: true, paths: present })).filter((e) => e.status.startsWith("R"));
    const byPath = new Map(raw.map((e) => [`${e.status}\0${e.path}`, e]));
    for (const r of renamed) {
      consumed.add(byPath.get(`D\0${r.oldPath}`)!).add(byPath.get(`A\0${r.path}`)!);
      out.push(r);
    }
  } else if (present.length) {
    warn(`${present.length} deleted and added upstream files: too many for similarity-based rename detection in a partial clone; only renames of identical content are followed`);
  }
  if (missing.size) warn(`upstream renames matched among present blobs (${missing.size} absent deleted or added blob${missing.size === 1 ? "" : "s"} matched by id only)`);
  return [...raw.filter((e) => !consumed.has(e)), ...out];
}
