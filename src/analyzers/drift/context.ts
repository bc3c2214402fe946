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

  /**
   * What upstream did to each base path between `base` and `upstream`, with
   * rename detection so a file upstream moved can be followed.
   */
  upstreamChangesSince(base: string, upstream: string): Promise<UpstreamChanges> {
    const key = `${base}..${upstream}`;
    let p = this.upstreamChanges.get(key);
    if (!p) {
      const gitDir = this.repo.gitDir;
      // Rename scoring reads blobs; in a partial clone with some missing, fall back to exact paths.
      const entries = rawDiff(gitDir, base, upstream, { renames: true }).catch((e: unknown) => {
        if (!(e instanceof GitError)) throw e;
        this.warnings.add(`rename detection on upstream changes turned off (${e.message.replace(/^git diff failed: /, "")}); files upstream moved are not followed`);
        return rawDiff(gitDir, base, upstream);
      });
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
