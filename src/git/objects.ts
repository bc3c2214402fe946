import { runGit } from "./run.js";

/**
 * Which objects are absent from a repository, without ever asking git to read
 * (and so, in a partial clone, to fetch or die on) an absent one. In an
 * ordinary repository `cat-file --batch-check` answers "missing"; in a partial
 * clone it dies on a promisor object, so there the present objects are
 * listed once instead.
 */
const presentCache = new Map<string, Promise<Set<string> | null>>();

async function isPartialClone(gitDir: string): Promise<boolean> {
  const r = await runGit(gitDir, ["config", "--get-regexp", "^(extensions\\.partialclone|remote\\..*\\.promisor)$"], { okCodes: [1] });
  return r.stdout.toString("utf8").trim() !== "";
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

/** Forgets what was listed for `gitDir`: Steward's workspace store after a fetch or a join brought objects. */
export function forgetObjects(gitDir: string): void {
  presentCache.delete(gitDir);
}

/**
 * Whether reading `oid` is safe: always in an ordinary repository (cat-file
 * answers "missing"), only for present objects in a partial clone.
 */
export async function safeToRead(gitDir: string, oid: string): Promise<boolean> {
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
