import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { BlobReader } from "../../src/git/blobs.js";
import { HistoryBuilder } from "../../src/git/builder.js";
import { diffCommits, displayLine } from "../../src/git/diff.js";
import { filesByCommit, logPatches, unquoteGitPath } from "../../src/git/patches.js";
import { Repository } from "../../src/git/repository.js";
import { InputError } from "../../src/errors.js";
import { git, tempDir, up } from "../helpers/git.js";

const root = tempDir();

async function oddRepo() {
  const b = new HistoryBuilder();
  const c1 = b.commit({ branch: "main", message: "one", author: up("2024-01-01T00:00:00Z"), files: { "plain.txt": "a\nb\n", "new\nline.txt": "x\n", 'q"uote.txt': "q\n", "ü/ß.txt": "u\n" } });
  b.commit({
    branch: "main",
    message: "two",
    author: up("2024-01-02T00:00:00Z"),
    files: { "plain.txt": "a\nB\nc\n", "new\nline.txt": "y\n", 'q"uote.txt': null, "ü/ß.txt": Buffer.from("caf\xe9\n", "latin1") },
  });
  const dir = join(root, `odd-${Math.random().toString(36).slice(2)}`);
  await b.write(dir);
  void c1;
  return dir;
}

describe("git layer", () => {
  it("parses zero-context diffs with exact paths and bytes", async () => {
    const dir = await oddRepo();
    const repo = await Repository.open(dir);
    const files = await diffCommits(repo.gitDir, await repo.resolveCommit("main~1"), await repo.resolveCommit("main"));
    expect(files.map((f) => ({ path: f.path, status: f.status, hunks: f.hunks.map((h) => [h.oldStart, h.oldLines, h.newStart, h.newLines, h.deleted, h.added]) }))).toEqual([
      { path: "new\nline.txt", status: "M", hunks: [[1, 1, 1, 1, ["x"], ["y"]]] },
      { path: "plain.txt", status: "M", hunks: [[2, 1, 2, 2, ["b"], ["B", "c"]]] },
      { path: 'q"uote.txt', status: "D", hunks: [[1, 1, 0, 0, ["q"], []]] },
      { path: "ü/ß.txt", status: "M", hunks: [[1, 1, 1, 1, ["u"], ["caf\xe9"]]] },
    ]);
    expect(displayLine("caf\xe9")).toBe("café");
    expect(displayLine(Buffer.from("café", "utf8").toString("latin1"))).toBe("café");
  });

  it("reads log patches, patch-ids and file sets with quoted paths", async () => {
    const dir = await oddRepo();
    const repo = await Repository.open(dir);
    const head = await repo.resolveCommit("main");
    const log = await logPatches(repo.gitDir, [head, `^${head}~1`]);
    expect(log.commits).toHaveLength(1);
    expect([...log.commits[0]!.files.keys()].sort()).toEqual(["new\nline.txt", "plain.txt", 'q"uote.txt', "ü/ß.txt"]);
    const patchId = log.patchIds.get(head);
    // Paths are hashed as written in the patch: compare with git's own, non-quoted headers.
    // As bytes: the patch holds non-UTF-8 content.
    const { execFileSync } = await import("node:child_process");
    const expected = execFileSync("git", ["-c", "core.quotepath=off", "log", "-1", "-p", "--format=commit %H", "main"], { cwd: dir });
    const gitId = execFileSync("git", ["patch-id", "--stable"], { cwd: dir, input: expected, encoding: "utf8" }).split(" ")[0];
    expect(patchId).toBe(gitId);
    const sets = await filesByCommit(repo.gitDir, [head, `^${head}~1`]);
    expect([...sets.get(head)!.files].sort()).toEqual(["new\nline.txt", "plain.txt", 'q"uote.txt', "ü/ß.txt"]);
  });

  it("reads commit metadata from commit objects exactly as git log formats it", async () => {
    const dir = join(root, "meta");
    const b = new HistoryBuilder();
    b.commit({ branch: "main", message: "Subject line\ncontinued\n\nBody text", author: { name: "Zoë Ü", email: "z@x.org", date: "2024-05-06T07:08:09+05:30" }, committer: { name: "C", email: "c@x.org", date: "2024-05-07T01:02:03-08:00" } });
    b.commit({ branch: "main", message: "second", author: up("2024-06-01T00:00:00Z") });
    await b.write(dir);
    const repo = await Repository.open(dir);
    try {
      for (const rev of ["main", "main~1"]) {
        const oid = await repo.resolveCommit(rev);
        const [h, p, an, ae, ad, cd, s] = git(dir, "log", "-1", "--format=%H%x00%P%x00%an%x00%ae%x00%aI%x00%cI%x00%s", oid).replace(/\n$/, "").split("\0");
        expect(await repo.commitInfo(oid)).toEqual({ commit: h, parents: p ? p.split(" ") : [], authorName: an, authorEmail: ae, authorDate: ad, commitDate: cd, subject: s });
      }
    } finally {
      repo.close();
    }
  });

  it("streams the log commit by commit", async () => {
    const dir = await oddRepo();
    const repo = await Repository.open(dir);
    const seen: string[] = [];
    await repo.log([await repo.resolveCommit("main")], (c) => seen.push(`${c.subject} ${c.parents.length}`));
    repo.close();
    expect(seen).toEqual(["two 1", "one 0"]);
  });

  it("unquotes C-style git paths", () => {
    expect(unquoteGitPath('"a\\tb\\"c\\\\d\\303\\274"')).toBe('a\tb"c\\dü');
    expect(unquoteGitPath("plain path")).toBe("plain path");
  });

  it("reads blobs through one cat-file process and reports missing ones as null", async () => {
    const dir = await oddRepo();
    const repo = await Repository.open(dir);
    const reader = new BlobReader(repo.gitDir);
    const oid = git(dir, "rev-parse", "main:plain.txt").trim();
    const [a, missing, b] = await Promise.all([reader.read(oid), reader.read("0".repeat(39) + "1"), reader.read(oid)]);
    reader.close();
    expect(a?.toString()).toBe("a\nB\nc\n");
    expect(missing).toBeNull();
    expect(b?.toString()).toBe("a\nB\nc\n");
  });

  it("refuses refs and paths that git could read as options", async () => {
    const dir = await oddRepo();
    const repo = await Repository.open(dir);
    await expect(repo.resolveCommit("--output=/tmp/x")).rejects.toThrow(InputError);
    await expect(repo.resolveCommit("no-such")).rejects.toThrow(/unknown ref in .*: no-such/);
    await expect(Repository.open("-C")).rejects.toThrow(/must not start with '-'/);
    await expect(repo.refsMatching(["--contains"])).rejects.toThrow(/must not start with '-'/);
  });

  it("builds the same commit ids from the same input", async () => {
    const a = await oddRepo();
    const b = await oddRepo();
    expect(git(a, "rev-parse", "main")).toBe(git(b, "rev-parse", "main"));
  });
});
