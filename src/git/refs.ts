import { InputError } from "../errors.js";

/**
 * User-given ref names and paths must never be read by git as options. Besides
 * `--end-of-options`, we refuse them up front with a clear message, and refuse
 * control characters that no sane ref contains.
 */
export function assertSafeRef(ref: string, what = "ref"): void {
  if (ref === "") throw new InputError(`empty ${what}`);
  if (ref.startsWith("-")) throw new InputError(`${what} must not start with '-': ${JSON.stringify(ref)}`);
  if (/[\x00-\x1f\x7f]/.test(ref)) throw new InputError(`${what} contains control characters: ${JSON.stringify(ref)}`);
}

export function assertSafePath(path: string, what = "path"): void {
  if (path === "") throw new InputError(`empty ${what}`);
  if (path.startsWith("-")) throw new InputError(`${what} must not start with '-': ${JSON.stringify(path)}`);
  if (path.includes("\0")) throw new InputError(`${what} contains a NUL byte`);
}

/** A full hexadecimal object id (SHA-1 or SHA-256). */
export function isObjectId(s: string): boolean {
  return /^[0-9a-f]{40}([0-9a-f]{24})?$/.test(s);
}

/**
 * The error for ref patterns that match nothing, with the spelling that would match:
 * for-each-ref patterns are full ref names, so `v*` matches no tag while `refs/tags/v*` does,
 * and `gaudi/1.*` names remote-tracking branches as `refs/remotes/gaudi/1.*`.
 * `lookup` lists the refs a set of patterns matches (in the repository or namespace searched).
 */
export async function noRefMatches(patterns: readonly string[], lookup: (patterns: string[]) => Promise<{ ref: string }[]>): Promise<string> {
  const hints: string[] = [];
  for (const p of patterns) {
    if (p.startsWith("refs/")) continue;
    for (const candidate of [`refs/tags/${p}`, `refs/heads/${p}`, `refs/remotes/${p}`, `refs/remotes/*/${p}`]) {
      const n = (await lookup([candidate])).length;
      if (n > 0) {
        hints.push(`'${candidate}' matches ${n} ref${n === 1 ? "" : "s"}`);
        break;
      }
    }
  }
  return `no ref matches ${patterns.join(" ")}${hints.length ? ` (patterns are full ref names: ${hints.join("; ")})` : ""}`;
}
