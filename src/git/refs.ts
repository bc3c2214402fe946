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
