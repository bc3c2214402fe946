import { GitError } from "../errors.js";
import { runGit } from "./run.js";

/**
 * Which objects are absent from a repository, without ever asking git to read
 * (and so, in a partial clone, to fetch or die on) an absent one. In an
 * ordinary repository (or one joined to a store by alternates) `cat-file
 * --batch-check` answers "missing"; in a partial clone git 2.39 tries the
 * promisor remote instead, `protocol.allow=never` refuses, and git dies
 * (`GIT_NO_LAZY_FETCH` only exists from git 2.44). There the present objects
 * are learnt from `rev-list --missing=print` (per tree, cheap) or, for
 * objects that come from no listed tree, from one listing of all objects.
 */

/** A promisor remote of a partial clone: where absent objects could be fetched from. */
export interface Promisor {
  remote: string;
  url: string;
}

const promisorCache = new Map<string, Promise<Promisor | null>>();
const presentCache = new Map<string, Promise<Set<string> | null>>();
/** Objects known absent per repository (learnt from tree listings), so a later read never asks git. */
const knownMissing = new Map<string, Set<string>>();

/** The promisor remote when `gitDir` is a partial clone, else null. */
export function promisorOf(gitDir: string): Promise<Promisor | null> {
  let p = promisorCache.get(gitDir);
  if (!p) {
    p = (async () => {
      const r = await runGit(gitDir, ["config", "--get-regexp", "^(extensions\\.partialclone|remote\\..*\\.(promisor|url))$"], { okCodes: [1] });
      const conf = new Map<string, string>();
      for (const line of r.stdout.toString("utf8").split("\n")) {
        const sp = line.indexOf(" ");
        if (sp > 0) conf.set(line.slice(0, sp).toLowerCase(), line.slice(sp + 1));
      }
      let remote = conf.get("extensions.partialclone");
      if (!remote) {
        for (const [k, v] of conf) if (k.endsWith(".promisor") && v === "true") remote = k.slice("remote.".length, -".promisor".length);
      }
      if (!remote) return null;
      return { remote, url: conf.get(`remote.${remote.toLowerCase()}.url`) ?? "" };
    })();
    promisorCache.set(gitDir, p);
  }
  return p;
}

export async function isPartialClone(gitDir: string): Promise<boolean> {
  return (await promisorOf(gitDir)) !== null;
}

function presentObjects(gitDir: string): Promise<Set<string> | null> {
  let p = presentCache.get(gitDir);
  if (!p) {
    p = (async () => {
      if (!(await isPartialClone(gitDir))) return null;
      const out = await runGit(gitDir, ["cat-file", "--batch-all-objects", "--batch-check=%(objectname)"]);
      return new Set(out.stdout.toString("latin1").split("\n").filter(Boolean));
    })();
    presentCache.set(gitDir, p);
  }
  return p;
}

function noteMissing(gitDir: string, oids: Iterable<string>): void {
  let s = knownMissing.get(gitDir);
  if (!s) knownMissing.set(gitDir, (s = new Set()));
  for (const o of oids) s.add(o);
}

/**
 * The objects absent from the tree of `commit` (blobs, or trees of a
 * tree-filtered clone), from `rev-list --objects --missing=print`, which
 * reports them instead of fetching them on every git since 2.17.
 */
export async function missingInTree(gitDir: string, commit: string): Promise<Set<string>> {
  const missing = new Set<string>();
  if (!(await isPartialClone(gitDir))) return missing;
  const out = await runGit(gitDir, ["rev-list", "--objects", "--no-object-names", "--missing=print", "--no-walk", commit]);
  for (const line of out.stdout.toString("latin1").split("\n")) if (line.startsWith("?")) missing.add(line.slice(1));
  noteMissing(gitDir, missing);
  return missing;
}

/** Forgets what was listed for `gitDir`: Steward's workspace store after a fetch or a join brought objects. */
export function forgetObjects(gitDir: string): void {
  presentCache.delete(gitDir);
  knownMissing.delete(gitDir);
  promisorCache.delete(gitDir);
}

/**
 * Whether reading `oid` is safe: always in an ordinary repository (cat-file
 * answers "missing"), only for present objects in a partial clone.
 */
export async function safeToRead(gitDir: string, oid: string): Promise<boolean> {
  if (knownMissing.get(gitDir)?.has(oid)) return false;
  const present = await presentObjects(gitDir);
  return present === null || present.has(oid);
}

/** The ids among `oids` whose objects are not in the repository. */
export async function missingObjects(gitDir: string, oids: readonly string[]): Promise<Set<string>> {
  const missing = new Set<string>();
  if (oids.length === 0) return missing;
  const present = await presentObjects(gitDir);
  if (present) {
    for (const o of oids) if (!present.has(o)) missing.add(o);
    return missing;
  }
  const out = await runGit(gitDir, ["cat-file", "--batch-check=%(objectname)"], { input: oids.join("\n") + "\n" });
  for (const line of out.stdout.toString("latin1").split("\n")) {
    if (line.endsWith(" missing")) missing.add(line.slice(0, line.indexOf(" ")));
  }
  return missing;
}

/**
 * Sizes of objects, null for absent ones. Asks git only about objects it
 * has (in a partial clone the caller passes present ones: the others would
 * make git try the promisor and die).
 */
export async function objectSizes(gitDir: string, oids: readonly string[]): Promise<Map<string, number | null>> {
  const sizes = new Map<string, number | null>();
  if (oids.length === 0) return sizes;
  const out = await runGit(gitDir, ["cat-file", "--batch-check=%(objectname) %(objectsize)"], { input: oids.join("\n") + "\n" });
  for (const line of out.stdout.toString("latin1").split("\n")) {
    if (!line) continue;
    const [oid = "", size = ""] = line.split(" ");
    sizes.set(oid, size === "missing" ? null : Number(size));
  }
  return sizes;
}

/**
 * Fetches exactly `oids` from the promisor remote in one request (what git's
 * own lazy fetch does object by object). The one write Steward makes into a
 * user's repository, and only when asked (`--fetch-missing`): objects, no
 * refs, no FETCH_HEAD, no maintenance.
 */
export async function fetchObjects(gitDir: string, oids: readonly string[]): Promise<{ fetched: number; unavailable: string[] }> {
  if (oids.length === 0) return { fetched: 0, unavailable: [] };
  const promisor = await promisorOf(gitDir);
  if (!promisor) throw new GitError(`cannot fetch missing objects: ${gitDir} has no promisor remote`);
  let want = [...oids];
  const unavailable: string[] = [];
  try {
    // A remote that lacks one object refuses the whole request ("not our ref X"): X is left out
    // and reported unread, the rest is asked again (a few times at most).
    for (let attempt = 0; ; attempt++) {
      try {
        await runGit(
          gitDir,
          [
            "-c", "protocol.allow=always",
            "-c", "protocol.ext.allow=never",
            "-c", "maintenance.auto=false",
            "-c", "gc.auto=0",
            "fetch", "--quiet", "--no-tags", "--no-write-fetch-head", "--recurse-submodules=no", "--no-auto-maintenance",
            "--filter=blob:none", "--stdin", "--end-of-options", promisor.remote,
          ],
          { input: want.join("\n") + "\n" },
        );
        return { fetched: want.length, unavailable };
      } catch (e) {
        const lacking = e instanceof GitError ? /not our ref ([0-9a-f]{40,64})/.exec(e.message)?.[1] : undefined;
        if (!lacking || attempt >= 20 || !want.includes(lacking)) throw e;
        unavailable.push(lacking);
        want = want.filter((o) => o !== lacking);
        if (want.length === 0) return { fetched: 0, unavailable };
      }
    }
  } catch (e) {
    throw new GitError(`cannot fetch ${want.length} missing object${want.length === 1 ? "" : "s"} from promisor remote ${promisor.remote} (${promisor.url}): ${e instanceof Error ? e.message.replace(/^git fetch failed: /, "") : String(e)}`);
  } finally {
    forgetObjects(gitDir);
  }
}
