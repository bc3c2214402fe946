import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { HistoryBuilder } from "../../src/git/builder.js";
import { sameRepository, Workspace } from "../../src/git/workspace.js";
import { InputError } from "../../src/errors.js";
import { git, tempDir, up } from "../helpers/git.js";

const root = tempDir();

async function source(): Promise<string> {
  const b = new HistoryBuilder();
  const c1 = b.commit({ branch: "main", message: "one", author: up("2024-01-01T00:00:00Z"), files: { "a.py": "x = 1\n" } });
  b.commit({ branch: "topic", parents: [c1], message: "two", author: up("2024-01-02T00:00:00Z"), files: { "b.py": "y = 2\n" } });
  b.tag("v1", c1, { message: "v1", tagger: up("2024-01-03T00:00:00Z") });
  const dir = join(root, "src");
  await b.write(dir);
  return dir;
}

const state = (gitDir: string) => [git(gitDir, "for-each-ref"), readFileSync(join(gitDir, "config"), "utf8"), git(gitDir, "count-objects", "-v")];

describe("workspace: a local repository joins through alternates", () => {
  it("mirrors refs without copying objects, follows the source, and writes nothing into it", async () => {
    const src = await source();
    const before = state(join(src, ".git"));
    const ws = await Workspace.forFamily(src, join(root, "cache"));
    const ns = await ws.join(src, "upstream");
    const refs = () => git(ws.repo.gitDir, "for-each-ref", "--format=%(refname) %(objectname)").trim().split("\n");
    expect(refs()).toEqual(git(src, "for-each-ref", "--format=%(refname) %(objectname)").trim().split("\n").map((l) => l.replace("refs/", ns.prefix)));
    expect(readFileSync(join(ws.repo.gitDir, "objects/info/alternates"), "utf8")).toBe(`${join(src, ".git/objects")}\n`);
    expect(git(ws.repo.gitDir, "count-objects", "-v")).toMatch(/^count: 0\n[^]*in-pack: 0\n/);
    // Reads go through the alternate: the tag peels, the tree is there.
    expect(await ws.resolve(ns, "v1")).toBe(git(src, "rev-parse", "v1^{commit}").trim());
    expect(git(ws.repo.gitDir, "cat-file", "-p", `${ns.prefix}heads/topic:b.py`)).toBe("y = 2\n");

    // The source moves on: a deleted branch leaves the namespace, a new commit is seen; still no copy.
    git(src, "branch", "-D", "topic");
    git(src, "-c", "user.name=T", "-c", "user.email=t@x", "commit", "-q", "--allow-empty", "-m", "three");
    const moved = state(join(src, ".git"));
    await ws.join(src, "upstream");
    expect(refs()).toEqual([`${ns.prefix}heads/main ${git(src, "rev-parse", "main").trim()}`, `${ns.prefix}tags/v1 ${git(src, "rev-parse", "v1").trim()}`]);
    expect(readFileSync(join(ws.repo.gitDir, "objects/info/alternates"), "utf8")).toBe(`${join(src, ".git/objects")}\n`);
    expect(git(ws.repo.gitDir, "count-objects", "-v")).toMatch(/^count: 0\n[^]*in-pack: 0\n/);
    // Nothing of the joins landed in the source (its own commit and branch deletion aside).
    expect(state(join(src, ".git"))).toEqual(moved);
    expect(before[2]).not.toEqual(moved[2]);
    // Not a partial clone: the store records no promisor.
    expect(existsSync(join(ws.repo.gitDir, "config")) && readFileSync(join(ws.repo.gitDir, "config"), "utf8")).not.toMatch(/promisor|partialclone/i);
    ws.repo.close();
  });

  it("tells one repository (and its worktrees) from two, and refuses what is not one", async () => {
    const src = join(root, "src");
    git(src, "worktree", "add", "-q", join(root, "wt"), "v1");
    expect(await sameRepository(src, join(root, "wt"))).toBe(true);
    expect(await sameRepository(src, join(src, ".git"))).toBe(true);
    expect(await sameRepository(src, join(root, "cache/repos", readdirSync(join(root, "cache/repos"))[0]!))).toBe(false);
    await expect(sameRepository(src, join(root, "nowhere"))).rejects.toThrow(InputError);
    const ws = await Workspace.forFamily(src, join(root, "cache"));
    await expect(ws.join("https://example.org/x.git", "fork")).rejects.toThrow(/only a local repository can join/);
    await expect(ws.join(root, "fork")).rejects.toThrow(`not a git repository: ${root}`);
  });
});
