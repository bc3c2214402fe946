import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, realpathSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { isAbsolute, join, resolve } from "node:path";
import { GitError, InputError } from "../errors.js";
import { forgetObjects } from "./objects.js";
import { assertSafePath, assertSafeRef } from "./refs.js";
import { Repository } from "./repository.js";
import { runGit, runGitNoRepo } from "./run.js";

/**
 * Steward's own object store for comparing two repositories: one bare
 * repository under the cache directory per upstream family (never the user's
 * repositories), each side under its own ref namespace. A URL side is
 * fetched into it (a second fetch only brings what is new); a local side
 * joins it without copying anything: its object directory is listed in the
 * store's objects/info/alternates and its refs are written into the
 * namespace (see `join`).
 */
export function defaultCacheDir(): string {
  const env = process.env.STEWARD_CACHE_DIR;
  if (env) return resolve(env);
  const xdg = process.env.XDG_CACHE_HOME;
  return join(xdg && isAbsolute(xdg) ? xdg : join(homedir(), ".cache"), "steward");
}

const URL_LIKE = /^(?:https?|ssh|git|file):\/\/|^[\w.-]+@[\w.-]+:/;

/** Whether a repository source is a URL (fetched) rather than a local path (read in place). */
export function isUrl(source: string): boolean {
  return URL_LIKE.test(source);
}

/** A repository source: a local path (made absolute) or a URL. */
export function normaliseSource(source: string): { location: string; isUrl: boolean } {
  assertSafePath(source, "repository");
  if (/^[a-z][a-z0-9+.-]*::/i.test(source)) throw new InputError(`unsupported repository transport: ${source}`);
  if (URL_LIKE.test(source)) return { location: source, isUrl: true };
  const abs = resolve(source);
  if (!existsSync(abs)) throw new InputError(`repository path does not exist: ${source}`);
  return { location: abs, isUrl: false };
}

function idOf(location: string): string {
  return createHash("sha256").update(location).digest("hex").slice(0, 16);
}

export interface Namespace {
  /** Ref prefix in the cache, e.g. refs/steward/fork/<id>/ */
  prefix: string;
  source: string;
}

/** A local repository's object and ref home: the common git directory (shared by its worktrees), real path. */
export interface LocalRepository {
  commonDir: string;
  objectDir: string;
}

/** Where a local repository keeps its objects and refs; an InputError when `path` is not a repository. */
export async function localRepository(path: string): Promise<LocalRepository> {
  assertSafePath(path, "repository path");
  const abs = resolve(path);
  if (!existsSync(abs)) throw new InputError(`repository path does not exist: ${path}`);
  let commonDir: string;
  try {
    const out = (await runGitNoRepo(abs, ["rev-parse", "--path-format=absolute", "--git-common-dir"])).stdout.toString("utf8").trim();
    commonDir = realpathSync(out);
  } catch {
    throw new InputError(`not a git repository: ${path}`);
  }
  return { commonDir, objectDir: join(commonDir, "objects") };
}

/** Whether two local paths are one repository (the same common git directory: worktrees of one clone count as one). */
export async function sameRepository(a: string, b: string): Promise<boolean> {
  const [x, y] = await Promise.all([localRepository(a), localRepository(b)]);
  return x.commonDir === y.commonDir;
}

/** Refs of a source that a namespace mirrors. */
const MIRRORED = ["refs/heads/", "refs/tags/", "refs/remotes/"];

/** In-process queue of fetches per workspace store: concurrent fetches of one ref namespace would race on ref locks. */
const fetching = new Map<string, Promise<unknown>>();

export class Workspace {
  private constructor(readonly repo: Repository) {}

  /** Where the store of one upstream family lives. */
  static storeDir(upstreamSource: string, cacheDir = defaultCacheDir()): string {
    const { location } = normaliseSource(upstreamSource);
    return join(resolve(cacheDir), "repos", `${idOf(location)}.git`);
  }

  /** Opens the store of one upstream family if it exists (nothing was fetched for it otherwise). */
  static existing(upstreamSource: string, cacheDir = defaultCacheDir()): Workspace | null {
    const dir = Workspace.storeDir(upstreamSource, cacheDir);
    return existsSync(join(dir, "HEAD")) ? new Workspace(Repository.atGitDir(dir, `workspace of ${upstreamSource}`)) : null;
  }

  /** Opens (creating if needed) the store for one upstream family. */
  static async forFamily(upstreamSource: string, cacheDir = defaultCacheDir()): Promise<Workspace> {
    const dir = Workspace.storeDir(upstreamSource, cacheDir);
    if (!existsSync(join(dir, "HEAD"))) {
      // Created beside and renamed into place: two scans of one family may race here.
      const tmp = `${dir}.tmp-${process.pid}-${Math.random().toString(36).slice(2)}`;
      try {
        mkdirSync(tmp, { recursive: true });
      } catch (e) {
        throw new InputError(`cannot create the workspace cache in ${cacheDir}: ${(e instanceof Error ? e.message : String(e)).replace(/^E[A-Z]+: ([^,]+),.*$/, "$1")}`);
      }
      await runGitNoRepo(tmp, ["init", "-q", "--bare", "."]);
      try {
        renameSync(tmp, dir);
      } catch {
        rmSync(tmp, { recursive: true, force: true }); // another one won the race
      }
    }
    return new Workspace(Repository.atGitDir(dir, `workspace of ${upstreamSource}`));
  }

  /** Fetches every branch, tag and remote-tracking ref of `source` into its namespace (one fetch at a time per store). */
  fetch(source: string, role: "upstream" | "fork"): Promise<Namespace> {
    return this.queued(() => this.fetchNow(source, role));
  }

  /**
   * Makes a local repository readable from the store without copying any
   * object: its object directory goes into the store's
   * objects/info/alternates, and its branches, tags and remote-tracking refs
   * are written (update-ref, refs only) into its namespace, stale ones
   * deleted. Nothing is written into the source. A source that is a partial
   * clone makes the store one too: its promisor remotes are recorded in the
   * store's config (see `recordPromisors`), so reads in the store meet absent
   * blobs exactly as they would in the source. Rejoining an unchanged source
   * writes nothing.
   */
  join(source: string, role: "upstream" | "fork"): Promise<Namespace> {
    return this.queued(() => this.joinNow(source, role));
  }

  /** One fetch or join at a time per store: two on one namespace would race on ref locks. */
  private queued<T>(op: () => Promise<T>): Promise<T> {
    const prev = fetching.get(this.repo.gitDir) ?? Promise.resolve();
    const next = prev.catch(() => undefined).then(op);
    fetching.set(this.repo.gitDir, next);
    return next;
  }

  private async joinNow(source: string, role: "upstream" | "fork"): Promise<Namespace> {
    const { location, isUrl } = normaliseSource(source);
    if (isUrl) throw new InputError(`only a local repository can join the workspace without a fetch: ${source}`);
    const local = await localRepository(location);
    const { prefix } = this.namespace(source, role);
    let changed = this.addAlternate(local.objectDir);
    changed = (await this.recordPromisors(local, location)) || changed;
    // The source's refs, as they are now (read-only: for-each-ref takes no lock).
    const theirs = new Map<string, string>();
    const out = await runGit(local.commonDir, ["for-each-ref", "--format=%(objectname) %(refname)", ...MIRRORED.map((p) => p.slice(0, -1))]);
    for (const line of out.stdout.toString("utf8").split("\n")) {
      const sp = line.indexOf(" ");
      if (sp > 0) theirs.set(prefix + line.slice(sp + 1 + "refs/".length), line.slice(0, sp));
    }
    const ours = new Map<string, string>();
    const mine = await runGit(this.repo.gitDir, ["for-each-ref", "--format=%(objectname) %(refname)", prefix.slice(0, -1)]);
    for (const line of mine.stdout.toString("utf8").split("\n")) {
      const sp = line.indexOf(" ");
      if (sp > 0) ours.set(line.slice(sp + 1), line.slice(0, sp));
    }
    // Ref names cannot hold spaces or newlines (check-ref-format), so one command a line is safe.
    const commands: string[] = [];
    for (const [ref, oid] of theirs) if (ours.get(ref) !== oid) commands.push(`update ${ref} ${oid}`);
    for (const ref of ours.keys()) if (!theirs.has(ref)) commands.push(`delete ${ref}`);
    if (commands.length) {
      try {
        await runGit(this.repo.gitDir, ["update-ref", "--stdin"], { input: commands.join("\n") + "\n" });
      } catch (e) {
        throw new GitError(`cannot record the refs of ${source} in the workspace cache: ${e instanceof Error ? e.message : String(e)}`);
      }
      changed = true;
    }
    // A listing of present objects taken before this join would now be wrong.
    if (changed) forgetObjects(this.repo.gitDir);
    return { prefix, source };
  }

  /**
   * Adds an object directory to the store's alternates, dropping any that no
   * longer exist (a repository moved away: git would warn on every read).
   * Written beside and renamed: never half a file.
   */
  private addAlternate(objectDir: string): boolean {
    const info = join(this.repo.gitDir, "objects", "info");
    const file = join(info, "alternates");
    const listed = existsSync(file) ? readFileSync(file, "utf8").split("\n").filter(Boolean) : [];
    const lines = listed.filter((l) => existsSync(l));
    if (lines.includes(objectDir) && lines.length === listed.length) return false;
    if (!lines.includes(objectDir)) lines.push(objectDir);
    mkdirSync(info, { recursive: true });
    const tmp = `${file}.tmp-${process.pid}-${Math.random().toString(36).slice(2)}`;
    writeFileSync(tmp, lines.join("\n") + "\n");
    renameSync(tmp, file);
    return true;
  }

  /**
   * A partial-clone source keeps blobs it never fetched out of its object
   * directory, and says so with a promisor remote. The store records each of
   * the source's promisor remotes as its own (`steward-promisor-<id>`, with
   * the source's URL and filter) and sets extensions.partialClone: git in
   * the store then treats the source's promisor packs as it does in the
   * source, and Steward's readers take their partial-clone path (absent
   * blobs are never read). Lazy fetches stay refused (protocol.allow=never
   * on every read); a fetch of missing blobs, when asked for, lands in the
   * store, never in the user's repository.
   */
  private async recordPromisors(local: LocalRepository, location: string): Promise<boolean> {
    const read = async (gitDir: string) => {
      const r = await runGit(gitDir, ["config", "-z", "--get-regexp", "^(extensions\\.partialclone|remote\\..*\\.(promisor|url|partialclonefilter))$"], { okCodes: [1] });
      const entries = new Map<string, string>();
      for (const rec of r.stdout.toString("utf8").split("\0")) {
        const nl = rec.indexOf("\n");
        if (nl > 0) entries.set(rec.slice(0, nl).toLowerCase(), rec.slice(nl + 1));
      }
      return entries;
    };
    const theirs = await read(local.commonDir);
    const names = new Set<string>();
    const ext = theirs.get("extensions.partialclone");
    if (ext) names.add(ext.toLowerCase());
    for (const [k, v] of theirs) {
      const m = /^remote\.(.+)\.promisor$/.exec(k);
      if (m && /^(true|yes|on|1)$/i.test(v)) names.add(m[1]!);
    }
    if (names.size === 0) return false;
    const ours = await read(this.repo.gitDir);
    const settings: [string, string][] = [];
    for (const name of names) {
      const id = `steward-promisor-${idOf(`${location}\0${name}`)}`;
      let url = theirs.get(`remote.${name}.url`) ?? "";
      if (url && !isUrl(url) && !isAbsolute(url)) url = resolve(location, url);
      settings.push([`remote.${id}.promisor`, "true"]);
      if (url && !url.startsWith("-")) settings.push([`remote.${id}.url`, url]);
      const filter = theirs.get(`remote.${name}.partialclonefilter`);
      if (filter) settings.push([`remote.${id}.partialclonefilter`, filter]);
      if (!ours.has("extensions.partialclone") && !settings.some(([k]) => k === "extensions.partialClone")) {
        settings.unshift(["core.repositoryformatversion", "1"], ["extensions.partialClone", id]);
      }
    }
    const todo = settings.filter(([k, v]) => ours.get(k.toLowerCase()) !== v);
    for (const [k, v] of todo) await runGit(this.repo.gitDir, ["config", k, v]);
    return todo.length > 0;
  }

  /** The ref namespace `source` is (or would be) fetched into; no fetch. */
  namespace(source: string, role: "upstream" | "fork"): Namespace {
    const { location } = normaliseSource(source);
    return { prefix: `refs/steward/${role}/${idOf(location)}/`, source };
  }

  /** Whether anything was ever fetched into the namespace. */
  async hasRefs(ns: Namespace): Promise<boolean> {
    return (await this.repo.refsMatching([ns.prefix.replace(/\/$/, "")])).length > 0;
  }

  private async fetchNow(source: string, role: "upstream" | "fork"): Promise<Namespace> {
    const { location, isUrl } = normaliseSource(source);
    if (!isUrl) {
      try {
        await Repository.open(location);
      } catch {
        throw new InputError(`not a git repository: ${source}`);
      }
    }
    const { prefix } = this.namespace(source, role);
    try {
      await runGitNoRepo(this.repo.gitDir, [
        "-c", "protocol.allow=always",
        "-c", "protocol.ext.allow=never",
        "--git-dir", this.repo.gitDir,
        "fetch", "--quiet", "--no-tags", "--prune", "--no-write-fetch-head", "--no-recurse-submodules",
        location,
        `+refs/heads/*:${prefix}heads/*`,
        `+refs/tags/*:${prefix}tags/*`,
        `+refs/remotes/*:${prefix}remotes/*`,
      ]);
    } catch (e) {
      throw new GitError(`cannot fetch ${source} into the workspace cache: ${e instanceof Error ? e.message.replace(/^git fetch failed: /, "") : String(e)}`);
    }
    forgetObjects(this.repo.gitDir);
    return { prefix, source };
  }

  /** Resolves a user's ref as it was named in the source repository. */
  async resolve(ns: Namespace, ref: string): Promise<string> {
    assertSafeRef(ref);
    const candidates = ref.startsWith("refs/")
      ? [ns.prefix + ref.slice(5)]
      : [`${ns.prefix}heads/${ref}`, `${ns.prefix}tags/${ref}`, `${ns.prefix}remotes/${ref}`, `${ns.prefix}${ref}`];
    for (const c of candidates) {
      try {
        return await this.repo.resolveCommit(c);
      } catch {
        // try the next spelling
      }
    }
    // A commit id (or an expression on one) resolves as is.
    try {
      return await this.repo.resolveCommit(ref);
    } catch {
      throw new InputError(`unknown ref in ${ns.source}: ${ref}`);
    }
  }

  /** Maps a for-each-ref pattern of the source into the namespace ("1.*" means a branch). */
  pattern(ns: Namespace, pattern: string): string {
    assertSafeRef(pattern, "ref pattern");
    return pattern.startsWith("refs/") ? ns.prefix + pattern.slice(5) : `${ns.prefix}heads/${pattern}`;
  }

  /** The source's own name for a namespaced ref. */
  unprefix(ns: Namespace, ref: string): string {
    return ref.startsWith(ns.prefix) ? "refs/" + ref.slice(ns.prefix.length) : ref;
  }
}

/** The last fetch error of each URL repository, kept in the workspace cache so scan and status can name the cause. */
const FETCH_ERRORS = "fetch-errors.json";

export function readFetchErrors(cacheDir: string = defaultCacheDir()): Record<string, { error: string; at: string }> {
  try {
    const raw: unknown = JSON.parse(readFileSync(join(cacheDir, FETCH_ERRORS), "utf8"));
    return raw && typeof raw === "object" ? (raw as Record<string, { error: string; at: string }>) : {};
  } catch {
    return {};
  }
}

/** Records each fetch outcome: a failure keeps its error, a success clears it. */
export function recordFetchErrors(cacheDir: string, rows: { location: string; state: "fetched" | "failed"; error?: string }[]): void {
  const errors = readFetchErrors(cacheDir);
  const at = new Date().toISOString().replace(/\.\d+Z$/, "Z");
  for (const r of rows) {
    if (r.state === "failed") errors[r.location] = { error: r.error ?? "failed", at };
    else delete errors[r.location];
  }
  const file = join(cacheDir, FETCH_ERRORS);
  if (Object.keys(errors).length === 0) {
    rmSync(file, { force: true });
    return;
  }
  mkdirSync(cacheDir, { recursive: true });
  writeFileSync(file, JSON.stringify(errors, null, 2) + "\n");
}
