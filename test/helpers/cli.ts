import { spawn, spawnSync } from "node:child_process";
import { resolve } from "node:path";
import { expect } from "vitest";

/** The built CLI (test/global-setup.ts rebuilds dist/ when it is older than src/). */
export const BIN = resolve(import.meta.dirname, "../../dist/cli/main.js");

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs `steward ARGS...` to completion: no colour, and git inside it reads neither the user's nor
 * the system's git config (vitest.config.ts sets both for every test process; repeated here so the
 * helper holds on its own).
 */
export function steward(args: readonly string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv; input?: string } = {}): CliResult {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd: opts.cwd ?? process.cwd(),
    encoding: "utf8",
    input: opts.input,
    env: { ...process.env, ...TEST_GIT_ENV, NO_COLOR: "1", ...opts.env },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Starts `steward ARGS...` without waiting (a server, a scan to kill). */
export function stewardChild(args: readonly string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv; stdio?: "ignore" | "pipe" } = {}) {
  return spawn(process.execPath, [BIN, ...args], {
    cwd: opts.cwd ?? process.cwd(),
    stdio: opts.stdio ?? "pipe",
    env: { ...process.env, ...TEST_GIT_ENV, NO_COLOR: "1", ...opts.env },
  });
}

/** git in tests and in the CLI they start: no user or system config (gpg signing, aliases, hooks). */
export const TEST_GIT_ENV = { GIT_CONFIG_GLOBAL: "/dev/null", GIT_CONFIG_NOSYSTEM: "1" } as const;

/**
 * The contract for bad input (shared/DESIGN.md §2): exit 2, one line on stderr (matching `pattern`
 * when given), no stack trace, and nothing on stdout unless `stdout` says what is allowed there.
 */
export function expectOneLineError(r: CliResult, pattern?: RegExp, opts: { stdout?: "empty" | "any" } = {}): void {
  expect({ code: r.code, stderrLines: r.stderr.trim().split("\n").length }).toEqual({ code: 2, stderrLines: 1 });
  if ((opts.stdout ?? "empty") === "empty") expect(r.stdout).toBe("");
  if (pattern) expect(r.stderr).toMatch(pattern);
  expect(r.stderr).not.toMatch(/\n\s+at /);
}
