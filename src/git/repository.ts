import { existsSync, statSync } from "node:fs";
import { resolve } from "node:path";
import { GitError, InputError } from "../errors.js";
import { assertSafePath, assertSafeRef } from "./refs.js";
import { BlobReader } from "./blobs.js";
import { parseCommitObject } from "./commit-object.js";
import { fetchObjects, missingObjects, objectSizes, promisorOf, safeToRead, type Promisor } from "./objects.js";
import { listIndex, listPaths, listTree, stagedPaths, type TreeEntry, type TreeOptions } from "./tree.js";
import { runGit, runGitNoRepo, streamGit } from "./run.js";

export interface CommitInfo {
  commit: string;
  parents: string[];
  authorName: string;
  authorEmail: string;
  /** Author date, ISO 8601 with offset. */
  authorDate: string;
  /** Committer date, ISO 8601 with offset. */
  commitDate: string;
  subject: string;
}

export interface RefInfo {
  ref: string;
  commit: string;
}

const COMMIT_FORMAT = "%H%x1f%P%x1f%an%x1f%ae%x1f%aI%x1f%cI%x1f%s";

export function parseCommitRecord(rec: string): CommitInfo {
  const [commit = "", parents = "", authorName = "", authorEmail = "", authorDate = "", commitDate = "", subject = ""] =
    rec.replace(/^\n+/, "").split("\x1f");
  return { commit, parents: parents ? parents.split(" ") : [], authorName, authorEmail, authorDate, commitDate, subject };
}

/**
 * A read-only handle on one git repository. Every user ref goes through
 * `resolveCommit` first, so later commands only ever see full object ids.
 */
export class Repository {
  private constructor(
    /** Absolute path of the git directory. */
    readonly gitDir: string,
    /** What the user called it (for messages). */
    readonly label: string,
    private shallow: boolean | null = null,
  ) {}

  private reader: BlobReader | null = null;

  /** The repository's long-lived cat-file reader (objects, and refs resolved by name). */
  objects(): BlobReader {
    return (this.reader ??= new BlobReader(this.gitDir));
  }

  /** Ends the cat-file process, if one was started. */
  close(): void {
    this.reader?.close();
    this.reader = null;
  }

  private readonly infoCache = new Map<string, CommitInfo>();

  static async open(path: string): Promise<Repository> {
    assertSafePath(path, "repository path");
    const abs = resolve(path);
    if (!existsSync(abs)) throw new InputError(`repository path does not exist: ${path}`);
    if (!statSync(abs).isDirectory()) throw new InputError(`repository path is not a directory: ${path}`);
    let out: string[];
    try {
      out = (await runGitNoRepo(abs, ["rev-parse", "--absolute-git-dir", "--is-shallow-repository"])).stdout.toString("utf8").trim().split("\n");
    } catch {
      throw new InputError(`not a git repository: ${path}`);
    }
    return new Repository(out[0]!, path, out[1] === "true");
  }

  /** Opens a git directory Steward owns (the workspace cache). */
  static atGitDir(gitDir: string, label: string): Repository {
    return new Repository(gitDir, label);
  }

  run(args: readonly string[], okCodes?: number[]) {
    return runGit(this.gitDir, args, okCodes ? { okCodes } : {});
  }

  async text(args: readonly string[], input?: string): Promise<string> {
    const r = await runGit(this.gitDir, args, input !== undefined ? { input } : {});
    return r.stdout.toString("utf8");
  }

  /** Resolves a user ref to a commit id; unknown refs are an InputError naming the ref. */
  async resolveCommit(ref: string): Promise<string> {
    assertSafeRef(ref);
    // Through cat-file's stdin: no process per ref, and never parsed as an option.
    const obj = await this.objects().readObject(`${ref}^{commit}`);
    if (!obj || obj.type !== "commit") throw new InputError(`unknown ref in ${this.label}: ${ref}`);
    this.infoCache.set(obj.oid, parseCommitObject(obj.oid, obj.content));
    return obj.oid;
  }

  async isShallow(): Promise<boolean> {
    this.shallow ??= (await this.text(["rev-parse", "--is-shallow-repository"])).trim() === "true";
    return this.shallow;
  }

  /** The best common ancestor, or null for unrelated histories. */
  async mergeBase(a: string, b: string): Promise<string | null> {
    const r = await runGit(this.gitDir, ["merge-base", a, b], { okCodes: [1] });
    const oid = r.stdout.toString("utf8").trim();
    return r.code === 0 && oid ? oid : null;
  }

  /** The best common ancestor of several commits (`merge-base --octopus`), or null. */
  async octopusBase(oids: readonly string[]): Promise<string | null> {
    const r = await runGit(this.gitDir, ["merge-base", "--octopus", ...oids], { okCodes: [1] });
    const oid = r.stdout.toString("utf8").trim();
    return r.code === 0 && oid ? oid : null;
  }

  /** The first-parent chain from `oid` back to the root, newest first. */
  async firstParentChain(oid: string): Promise<string[]> {
    return (await this.text(["rev-list", "--first-parent", oid])).split("\n").filter(Boolean);
  }

  /** Whether any ref points at a commit (an empty repository has none). */
  async hasCommits(): Promise<boolean> {
    return (await this.text(["rev-list", "--all", "--max-count=1"]).catch(() => "")).trim() !== "";
  }

  /** Absolute path of a file inside the git directory (`rev-parse --git-path`), e.g. "shallow". */
  async gitPath(name: string): Promise<string> {
    return resolve(this.gitDir, (await this.text(["rev-parse", "--git-path", name])).trim());
  }

  /** Number of commits reachable from `include` but not from `exclude`. */
  async countOnly(include: string, exclude: string): Promise<number> {
    return Number((await this.text(["rev-list", "--count", include, `^${exclude}`])).trim());
  }

  /** Behind/ahead in one walk: commits only in `left`, only in `right`. */
  async leftRightCount(left: string, right: string): Promise<{ left: number; right: number }> {
    const [l = "0", r = "0"] = (await this.text(["rev-list", "--count", "--left-right", `${left}...${right}`])).trim().split(/\s+/);
    return { left: Number(l), right: Number(r) };
  }

  /** Metadata of several commits, in the order given (read through cat-file, no process). */
  async commitInfos(oids: readonly string[]): Promise<CommitInfo[]> {
    return Promise.all(oids.map((o) => this.commitInfo(o)));
  }

  async commitInfo(oid: string): Promise<CommitInfo> {
    const cached = this.infoCache.get(oid);
    if (cached) return cached;
    const obj = await this.objects().readObject(oid);
    if (!obj || obj.type !== "commit") throw new GitError(`cannot read commit ${oid} in ${this.label}`);
    const info = parseCommitObject(obj.oid, obj.content);
    this.infoCache.set(oid, info);
    return info;
  }

  /** Streams commits of a rev-list (`args` are rev-list arguments of full ids only). */
  async log(args: readonly string[], onCommit: (c: CommitInfo) => void): Promise<void> {
    await streamGit(this.gitDir, ["log", "-z", `--format=${COMMIT_FORMAT}`, ...args], 0, (rec) => {
      if (rec.length) onCommit(parseCommitRecord(rec.toString("utf8")));
    });
  }

  /**
   * Refs matching git for-each-ref patterns (fnmatch, or a prefix up to a slash),
   * peeled to commits; refs that do not point at commits are skipped.
   */
  async refsMatching(patterns: readonly string[]): Promise<RefInfo[]> {
    for (const p of patterns) assertSafeRef(p, "ref pattern");
    const out = await this.text([
      "for-each-ref",
      "--format=%(refname)%00%(objecttype)%00%(objectname)%00%(*objecttype)%00%(*objectname)",
      ...patterns,
    ]);
    const refs: RefInfo[] = [];
    for (const line of out.split("\n")) {
      if (!line) continue;
      const [ref = "", type, oid = "", peeledType, peeled = ""] = line.split("\0");
      if (type === "commit") refs.push({ ref, commit: oid });
      else if (type === "tag" && peeledType === "commit") refs.push({ ref, commit: peeled });
    }
    return refs;
  }

  /** Object ids among `oids` that are absent from the object store (partial clones). */
  missingObjects(oids: readonly string[]): Promise<Set<string>> {
    return missingObjects(this.gitDir, oids);
  }

  /** The tree at `commit`: paths, modes, ids, sizes of present blobs, absent ones flagged (src/git/tree.ts). */
  listTree(commit: string, opts?: TreeOptions): Promise<TreeEntry[]> {
    return listTree(this.gitDir, commit, opts);
  }

  /** The index's staged blobs (src/git/tree.ts). */
  listIndex(): Promise<TreeEntry[]> {
    return listIndex(this.gitDir);
  }

  /** Paths whose staged content differs from `head` (all of the index without a commit). */
  stagedPaths(head: string | null): Promise<Set<string>> {
    return stagedPaths(this.gitDir, head);
  }

  /** Lines added and deleted per path by one commit (against its first parent, or the empty tree for a root), limited to `paths`. */
  async numstat(commit: string, parent: string | null, paths: readonly string[]): Promise<{ path: string; added: number; deleted: number }[]> {
    const out = await this.text(["diff-tree", "-r", "--numstat", "--no-renames", ...(parent ? [parent] : ["--root"]), commit, "--", ...paths]);
    const files: { path: string; added: number; deleted: number }[] = [];
    for (const line of out.split("\n")) {
      const m = /^(\d+|-)\t(\d+|-)\t(.*)$/.exec(line);
      if (m) files.push({ path: m[3]!, added: m[1] === "-" ? 0 : Number(m[1]), deleted: m[2] === "-" ? 0 : Number(m[2]) });
    }
    return files;
  }

  /** Paths of the files at `commit`, reading no blob. */
  listPaths(commit: string): Promise<string[]> {
    return listPaths(this.gitDir, commit);
  }

  /** A blob's bytes, or null when it is absent; never makes git fetch (or die in a partial clone). */
  async readBlob(oid: string): Promise<Buffer | null> {
    if (!(await safeToRead(this.gitDir, oid))) return null;
    return this.objects().read(oid);
  }

  /** The file at `path` in `commit` (null when there is none), its blob absent or read. */
  async fileAt(commit: string, path: string): Promise<{ entry: TreeEntry; content: Buffer | null } | null> {
    assertSafePath(path);
    const out = await runGit(this.gitDir, ["ls-tree", "-z", "--full-tree", commit, "--", path]);
    const rec = out.stdout.toString("utf8").split("\0")[0];
    if (!rec) return null;
    const tab = rec.indexOf("\t");
    const [mode = "", type = "", oid = ""] = rec.slice(0, tab).split(" ");
    if (type !== "blob") return null;
    const content = await this.readBlob(oid);
    return { entry: { path, mode, kind: mode === "120000" ? "symlink" : "file", oid, size: content?.length ?? null, missing: content === null }, content };
  }

  /** The promisor remote when this is a partial clone, else null. */
  promisor(): Promise<Promisor | null> {
    return promisorOf(this.gitDir);
  }

  /** `--fetch-missing` by object id: fetches the absent ones among `oids` in one request; returns how many. */
  async fetchAbsent(oids: readonly string[]): Promise<number> {
    const missing = [...(await this.missingObjects([...new Set(oids)]))];
    return missing.length ? (await this.fetchNow(missing)).fetched : 0;
  }

  private fetchNow(oids: string[]): ReturnType<typeof fetchObjects> {
    // The cat-file process may hold a view of the packs from before the fetch.
    this.close();
    return fetchObjects(this.gitDir, oids);
  }

  /**
   * `--fetch-missing`: fetches the absent blobs among `entries` from the
   * promisor remote in one request, and marks them present. Returns how many.
   */
  async fetchMissing(entries: readonly TreeEntry[]): Promise<number> {
    const oids = [...new Set(entries.filter((e) => e.missing).map((e) => e.oid))];
    if (oids.length === 0) return 0;
    const { fetched } = await this.fetchNow(oids);
    // Sizes only of what arrived: asking about one the remote lacked would make git try it again and die.
    const still = await this.missingObjects(oids);
    const sizes = await objectSizes(this.gitDir, oids.filter((o) => !still.has(o)));
    for (const e of entries) {
      const size = sizes.get(e.oid);
      if (e.missing && size !== undefined && size !== null) {
        e.missing = false;
        e.size = size;
      }
    }
    return fetched;
  }
}
