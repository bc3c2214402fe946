import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { GitError } from "../errors.js";

/**
 * The only place that starts git. Arguments are always an array (never a shell),
 * output is taken as bytes, and the environment pins behaviour that would
 * otherwise depend on the user's config: no pager, no colour, no prompts, no
 * optional locks (so even a read never refreshes the analysed repo's index),
 * literal pathspecs (a path named `*.py` or `:x` means exactly that file).
 */
const GIT_ENV: Record<string, string> = {
  GIT_TERMINAL_PROMPT: "0",
  GIT_OPTIONAL_LOCKS: "0",
  GIT_LITERAL_PATHSPECS: "1",
  GIT_CONFIG_NOSYSTEM: "1",
  GIT_NO_REPLACE_OBJECTS: "1",
  GIT_PAGER: "cat",
  PAGER: "cat",
  // git >= 2.44: never lazily fetch missing objects of a partial clone.
  GIT_NO_LAZY_FETCH: "1",
  LC_ALL: "C",
  LANG: "C",
};

/** Options every git invocation gets before its subcommand. */
const GLOBAL_ARGS = [
  "--no-pager",
  "-c", "core.quotepath=off",
  "-c", "color.ui=false",
  "-c", "diff.external=",
  "-c", "diff.noprefix=false",
  "-c", "diff.mnemonicPrefix=false",
  "-c", "diff.relative=false",
  "-c", "log.showSignature=false",
  "-c", "core.precomposeUnicode=false",
  // git log's output must not depend on a user's (or the analysed repository's) config: names and
  // messages re-encoded to UTF-8 (what every reader decodes), the root commit's diff shown (its
  // lines count), line counts by git's default diff algorithm and rename limit.
  "-c", "i18n.logOutputEncoding=UTF-8",
  "-c", "log.showRoot=true",
  "-c", "diff.algorithm=myers",
  "-c", "diff.renameLimit=1000",
  // Patch text (parsed hunks, patch-ids) must not follow a user's diff.context, blank-context or
  // hunk-merging settings either.
  "-c", "diff.context=3",
  "-c", "diff.interHunkContext=0",
  "-c", "diff.suppressBlankEmpty=false",
  // Reads must not fetch: in a partial clone a missing blob would otherwise be
  // fetched into the user's repository. Only the workspace cache fetch re-allows it.
  "-c", "protocol.allow=never",
];

export interface GitRunOptions {
  /** Bytes written to git's standard input. */
  input?: string | Buffer;
  /** Exit codes other than 0 that are not failures (e.g. 1 for `merge-base`). */
  okCodes?: number[];
}

export interface GitResult {
  stdout: Buffer;
  stderr: string;
  code: number;
}

export function gitEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...GIT_ENV };
  // A caller's GIT_DIR / GIT_WORK_TREE would silently redirect us elsewhere.
  delete env.GIT_DIR;
  delete env.GIT_WORK_TREE;
  delete env.GIT_INDEX_FILE;
  delete env.GIT_OBJECT_DIRECTORY;
  delete env.GIT_ALTERNATE_OBJECT_DIRECTORIES;
  return env;
}

/** Starts git in `gitDir` (a .git directory or bare repository) and returns the child. */
export function spawnGit(gitDir: string, args: readonly string[]): ChildProcessWithoutNullStreams {
  return spawn("git", [...GLOBAL_ARGS, "--git-dir", gitDir, ...args], {
    env: gitEnv(),
    stdio: ["pipe", "pipe", "pipe"],
  });
}

/** Runs git to completion, buffering stdout. Throws GitError on an unexpected exit code. */
export function runGit(gitDir: string, args: readonly string[], opts: GitRunOptions = {}): Promise<GitResult> {
  return collect(spawnGit(gitDir, args), args, opts);
}

/** Runs git outside any repository (init, fetch into the cache). */
export function runGitNoRepo(cwd: string, args: readonly string[]): Promise<GitResult> {
  return collect(spawn("git", [...GLOBAL_ARGS, ...args], { cwd, env: gitEnv(), stdio: ["pipe", "pipe", "pipe"] }), args, {});
}

/** STEWARD_TRACE_GIT=1: each git call and its wall time on stderr (for profiling). */
const TRACE = process.env.STEWARD_TRACE_GIT === "1";

function collect(child: ChildProcessWithoutNullStreams, args: readonly string[], opts: GitRunOptions): Promise<GitResult> {
  const started = TRACE ? performance.now() : 0;
  return new Promise((resolve, reject) => {
    if (TRACE) child.on("close", () => process.stderr.write(`[git ${(performance.now() - started).toFixed(1)}ms @${started.toFixed(0)}] ${subcommand(args)} ${args.filter((a) => a.length < 60).slice(-4).join(" ")}\n`));
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (b: Buffer) => out.push(b));
    child.stderr.on("data", (b: Buffer) => err.push(b));
    child.on("error", (e) => reject(new GitError(`cannot run git: ${e.message}`)));
    child.on("close", (code) => {
      const result = { stdout: Buffer.concat(out), stderr: Buffer.concat(err).toString("utf8"), code: code ?? -1 };
      if (code === 0 || (code !== null && opts.okCodes?.includes(code))) resolve(result);
      else reject(new GitError(`git ${subcommand(args)} failed: ${firstLine(result.stderr) || `exit code ${code}`}`));
    });
    child.stdin.on("error", () => undefined); // git may exit before reading all input
    if (opts.input !== undefined) child.stdin.end(opts.input);
    else child.stdin.end();
  });
}

/** The git subcommand among leading `-c key=value` / `--git-dir X` options. */
function subcommand(args: readonly string[]): string {
  for (let i = 0; i < args.length; i++) {
    if (args[i] === "-c" || args[i] === "--git-dir") i++;
    else if (!args[i]!.startsWith("-")) return args[i]!;
  }
  return "";
}

/** The line of git's stderr that says what went wrong (fatal/error before warnings). */
export function firstLine(s: string): string {
  const lines = s.split("\n").filter((l) => l.trim() !== "");
  const line = lines.find((l) => /^(fatal|error): /.test(l)) ?? lines.find((l) => !l.startsWith("warning: ")) ?? lines[0] ?? "";
  return line.replace(/^(fatal|error): /, "").trim();
}

/** Whether a git failure is about objects absent from a partial clone. */
export function isMissingObjectError(message: string): boolean {
  return /unable to read|missing|could not fetch|promisor/.test(message);
}

/**
 * Streams git's stdout as records split on `separator` (NUL or newline), calling
 * `onRecord` for each without holding the whole output in memory.
 */
export function streamGit(
  gitDir: string,
  args: readonly string[],
  separator: number,
  onRecord: (record: Buffer) => void,
  opts: GitRunOptions & {
    /**
     * Records are not handed on before this settles: git starts at once and its
     * output waits in memory (up to `holdBytes`, then git is paused), so a
     * caller can run a short pass first without git idling meanwhile.
     */
    hold?: Promise<unknown>;
    holdBytes?: number;
  } = {},
): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawnGit(gitDir, args);
    const err: Buffer[] = [];
    let pending: Buffer = Buffer.alloc(0);
    let failed: Error | null = null;
    let held: Buffer[] | null = opts.hold ? [] : null;
    let heldBytes = 0;
    const closed = { code: null as number | null, done: false };
    if (opts.hold) {
      const release = () => {
        const chunks = held ?? [];
        held = null;
        for (const c of chunks) onData(c);
        child.stdout.resume();
        if (closed.done) finish(closed.code);
      };
      opts.hold.then(release, release);
    }
    const onData = (chunk: Buffer) => {
      if (held) {
        held.push(chunk);
        heldBytes += chunk.length;
        if (heldBytes > (opts.holdBytes ?? 32 * 1024 * 1024)) child.stdout.pause();
        return;
      }
      if (failed) return;
      let buf = pending.length ? Buffer.concat([pending, chunk]) : chunk;
      let start = 0;
      try {
        for (let i = buf.indexOf(separator, start); i !== -1; i = buf.indexOf(separator, start)) {
          onRecord(buf.subarray(start, i));
          start = i + 1;
        }
      } catch (e) {
        failed = e instanceof Error ? e : new Error(String(e));
        child.kill();
        return;
      }
      pending = start < buf.length ? Buffer.from(buf.subarray(start)) : Buffer.alloc(0);
      buf = pending;
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", (b: Buffer) => err.push(b));
    child.on("error", (e) => reject(new GitError(`cannot run git: ${e.message}`)));
    const finish = (code: number | null) => {
      if (failed) return reject(failed);
      const stderr = Buffer.concat(err).toString("utf8");
      if (code !== 0 && !(code !== null && opts.okCodes?.includes(code))) {
        return reject(new GitError(`git ${subcommand(args)} failed: ${firstLine(stderr) || `exit code ${code}`}`));
      }
      try {
        if (pending.length) onRecord(pending);
      } catch (e) {
        return reject(e instanceof Error ? e : new Error(String(e)));
      }
      resolve();
    };
    child.on("close", (code) => {
      // Output still held: finish once it has been handed on.
      if (held) {
        closed.code = code;
        closed.done = true;
        return;
      }
      finish(code);
    });
    child.stdin.on("error", () => undefined);
    if (opts.input !== undefined) child.stdin.end(opts.input);
    else child.stdin.end();
  });
}
