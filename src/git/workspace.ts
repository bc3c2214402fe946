import { createHash } from "node:crypto";
import { existsSync, mkdirSync, renameSync, rmSync } from "node:fs";
import { homedir } from "node:os";
import { isAbsolute, join, resolve } from "node:path";
import { GitError, InputError } from "../errors.js";
import { assertSafePath, assertSafeRef } from "./refs.js";
import { Repository } from "./repository.js";
import { runGitNoRepo } from "./run.js";

/**
 * Steward's own object store for comparing two repositories: both sides are
 * fetched into one bare repository under the cache directory (never into the
 * user's repositories), each under its own ref namespace, and reused next
 * time (a second fetch only brings what is new).
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
      mkdirSync(tmp, { recursive: true });
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
    const prev = fetching.get(this.repo.gitDir) ?? Promise.resolve();
    const next = prev.catch(() => undefined).then(() => this.fetchNow(source, role));
    fetching.set(this.repo.gitDir, next);
    return next;
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
