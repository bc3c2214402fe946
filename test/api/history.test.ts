import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { apiHistory } from "../../src/analyzers/api/index.js";
import { HistoryBuilder } from "../../src/git/builder.js";
import { BIN, steward, TEST_GIT_ENV } from "../helpers/cli.js";
import { tempDir, text, up } from "../helpers/git.js";

const root = tempDir();
const repo = join(root, "upstream");

/** backward(loss, sync, keep): the docstring deprecates `sync` only (as DeepSpeed's engine did). */
const doc = ['    """Backward pass.', "", "    Args:", "        loss: the loss", "        sync: is deprecated and will be removed", '    """', "    return loss"];

beforeAll(async () => {
  const b = new HistoryBuilder();
  const at = (tag: string, date: string, sig: string) => b.tag(tag, b.commit({ branch: "main", message: tag, author: up(date), files: { "pkg/__init__.py": text([`def backward(${sig}):`, ...doc]) } }));
  at("v1", "2024-01-01T00:00:00Z", "loss, sync=True, keep=False");
  at("v2", "2024-03-01T00:00:00Z", "loss, sync=True");
  at("v3", "2024-06-01T00:00:00Z", "loss");
  await b.write(repo);
});

describe("a docstring that deprecates one argument", () => {
  it("announces the removal of that argument, not of another one", async () => {
    const h = await apiHistory({ repo, patterns: ["refs/tags/v*"] });
    expect(h.releases.map((r) => [r.ref, r.breaks])).toEqual([
      ["refs/tags/v1", []],
      // keep was never deprecated.
      ["refs/tags/v2", [{ object: "pkg.backward", kind: "signature-changed", verdict: "unannounced" }]],
      // sync was, since v1: two releases and 152 days of grace.
      ["refs/tags/v3", [{ object: "pkg.backward", kind: "signature-changed", verdict: "announced", graceReleases: 2, graceDays: 152 }]],
    ]);
  });
});

describe("progress of the API analyses", () => {
  it("api history reports each release it reads, in date order", async () => {
    const events: unknown[] = [];
    await apiHistory({ repo, patterns: ["refs/tags/v*"], onProgress: (e) => events.push(e) });
    expect(events).toEqual([1, 2, 3].map((n, index) => ({ kind: "ref", ref: `refs/tags/v${n}`, index, total: 3 })));
  });

  it("shows it on a terminal's stderr, cleared at the end; --no-progress and pipes show none", () => {
    // script(1) gives the command a pseudo-terminal (stdout and stderr merged there).
    const run = (extra: string) => spawnSync("script", ["-qec", `${process.execPath} ${BIN} api history --repo ${repo} --tags 'refs/tags/v*' ${extra}`, "/dev/null"], { encoding: "utf8", env: { ...process.env, ...TEST_GIT_ENV, NO_COLOR: "1" } }).stdout;
    const shown = run("");
    expect(shown).toContain("[3/3] refs/tags/v3");
    expect(shown).toMatch(/\r\x1b\[2K\S/);
    expect(run("--no-progress")).not.toContain("[1/3]");
    const piped = steward(["api", "history", "--repo", repo, "--tags", "refs/tags/v*"]);
    expect([piped.code, piped.stderr]).toEqual([0, ""]);
    for (const args of [["api", "diff", "--no-progress", "--repo", repo, "v1", "v3"], ["api", "surface", "--no-progress", "--repo", repo, "v3"], ["deps", "--no-progress", "--repo", repo, "--tags", "refs/tags/v*"]]) {
      expect(steward(args).code, args.join(" ")).toBe(0);
    }
  });
});
