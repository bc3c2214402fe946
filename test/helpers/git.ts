import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll } from "vitest";
import { TEST_GIT_ENV } from "./cli.js";
import type { Signature } from "../../src/git/builder.js";

/** Fixed identities and dates: the same input gives the same commit ids every run. */
export const ANN = "Ann Upstream <ann@upstream.org>";

export function sig(name: string, email: string, date: string): Signature {
  return { name, email, date };
}

export const up = (date: string) => sig("Ann Upstream", "ann@upstream.org", date);
export const vendor = (date: string) => sig("Vic Vendor", "vic@vendor.example", date);

/** A temporary directory removed after the test file. */
export function tempDir(prefix = "steward-test-"): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Runs git in a repository (tests may; Steward's own code runs git only through src/git). */
export function git(cwd: string, ...args: string[]): string {
  return execFileSync("git", args, { cwd, encoding: "utf8", env: { ...process.env, ...TEST_GIT_ENV, LC_ALL: "C" } });
}

/** `git diff --numstat` totals of a range: files, added, deleted (binary counts as 0 lines). */
export function numstat(cwd: string, from: string, to: string): { files: number; added: number; deleted: number } {
  const out = git(cwd, "diff", "--numstat", "--no-renames", "-z", from, to);
  let files = 0;
  let added = 0;
  let deleted = 0;
  for (const rec of out.split("\0")) {
    const m = /^(\d+|-)\t(\d+|-)\t/.exec(rec);
    if (!m) continue;
    files++;
    added += m[1] === "-" ? 0 : Number(m[1]);
    deleted += m[2] === "-" ? 0 : Number(m[2]);
  }
  return { files, added, deleted };
}

/** Numbered, distinct source lines. */
export function lines(prefix: string, n: number, from = 1): string[] {
  return Array.from({ length: n }, (_, i) => `${prefix}_${from + i} = compute("${prefix}", ${from + i})`);
}

export const text = (ls: string[]) => ls.join("\n") + "\n";

/**
 * A bare copy of `repo` whose object store lacks the blobs at `paths` (of `ref`): what a partial
 * clone or an incomplete mirror looks like to a reader. Objects are unpacked so one can be deleted.
 */
export function copyWithoutBlobs(repo: string, dest: string, ref: string, paths: string[]): string {
  git(dirname(dest), "clone", "-q", "--bare", "--no-local", repo, dest);
  git(dest, "repack", "-a", "-d", "-q");
  const pack = readdirSync(join(dest, "objects/pack")).find((f) => f.endsWith(".pack"))!;
  const data = readFileSync(join(dest, "objects/pack", pack));
  rmSync(join(dest, "objects/pack"), { recursive: true });
  spawnSync("git", ["--git-dir", dest, "unpack-objects", "-q"], { input: data, env: { ...process.env, ...TEST_GIT_ENV } });
  for (const p of paths) {
    const blob = git(repo, "rev-parse", `${ref}:${p}`).trim();
    rmSync(join(dest, "objects", blob.slice(0, 2), blob.slice(2)));
  }
  return dest;
}

