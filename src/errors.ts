/**
 * The error classes that the CLI prints as one readable line with exit code 2
 * (shared/DESIGN.md §2, "Exit codes are a contract"). Anything else is a bug and
 * keeps its stack.
 */
export class StewardError extends Error {
  /** Process exit code the CLI should use. */
  readonly exitCode: number = 2;
}

/** Bad or missing configuration. */
export class ConfigError extends StewardError {
  override name = "ConfigError";
}

/** git refused or the repository is unusable for the analysis (shallow, unknown ref...). */
export class GitError extends StewardError {
  override name = "GitError";
}

/** Bad user input: refs, paths, globs, options. */
export class InputError extends StewardError {
  override name = "InputError";
}

/** The results store failed under a running command (a PostgreSQL server gone, a disk full). */
export class StoreError extends StewardError {
  override name = "StoreError";
}

export function isStewardError(e: unknown): e is StewardError {
  return e instanceof StewardError;
}
