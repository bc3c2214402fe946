import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { depsCheck, depsPortfolio, type DepsPortfolio } from "../../src/analyzers/deps/portfolio.js";
import { HistoryBuilder } from "../../src/git/builder.js";
import { tempDir, up } from "../helpers/git.js";

/** `steward deps CONFIG` rules (matrix, upgrade lag, unreadable pairs), each on both sides of its boundary, on real repositories. */
const root = tempDir("steward-portfoliorules-");
let r: DepsPortfolio;

/** A repository with one tagged commit per [tag, instant, files] (tag null: an untagged commit on main). */
async function repo(name: string, commits: [string | null, string, Record<string, string>][]): Promise<void> {
  const b = new HistoryBuilder();
  for (const [tag, at, files] of commits) {
    const c = b.commit({ branch: "main", message: tag ?? "work", author: up(at), committer: up(at), files });
    if (tag) b.tag(tag, c);
  }
  await b.write(join(root, name));
}

beforeAll(async () => {
  // The project: three releases, and a v* tag that is no PEP 440 version.
  await repo("core", [
    ["v1.0.0", "2024-01-01T12:00:00Z", { "requirements.txt": "numpy\n" }],
    ["v1.1.0", "2024-03-01T12:00:00Z", { "requirements.txt": "numpy>=1.26\n" }],
    ["vnext", "2024-03-15T12:00:00Z", { "requirements.txt": "numpy>=1.26\n" }],
    ["v2.0.0", "2024-06-01T12:00:00Z", { "requirements.txt": "numpy>=2\n" }],
  ]);
  await repo("aux", [["v5.0", "2024-01-01T00:00:00Z", { "requirements.txt": "numpy\n" }]]);
  await repo("plug", [
    // Released the same instant as core 1.0.0, admitting it.
    ["v0.1", "2024-01-01T12:00:00Z", { "requirements.txt": "core>=1,<1.1\nzeta>=1\nalpha<3\n" }],
    // Names core by its other distribution name, in two files: both ranges must admit.
    ["v0.2", "2024-04-10T06:00:00Z", { "requirements.txt": "Core_Lib>=1.1\n", "setup.py": 'from setuptools import setup\nsetup(name="plug", install_requires=["core<2"])\n' }],
    // Names core only in an optional group and under an extra: not part of a plain install.
    [
      "v0.3",
      "2024-05-01T12:00:00Z",
      {
        "requirements.txt": 'numpy\ncore<1 ; extra == "old"\n',
        "setup.py": "",
        "pyproject.toml": '[project]\nname = "plug"\n[project.optional-dependencies]\ntest = ["core>=9"]\n',
      },
    ],
    // Names core with no version: every versioned release.
    ["v0.4", "2024-07-01T11:59:59Z", { "requirements.txt": "core\n" }],
  ]);
  // No release tag: the branch is read as the one release.
  await repo("branchy", [[null, "2024-08-01T12:00:00Z", { "requirements.txt": "core==1.1.0\nzeta<2\nalpha>=2\n" }]]);
  // Depends on aux only, although its requirements name core too.
  await repo("auxplug", [["v1.0", "2024-02-01T00:00:00Z", { "requirements.txt": "aux>=5\ncore>=1\n" }]]);
  writeFileSync(
    join(root, "steward.yaml"),
    [
      "version: 1",
      "projects:",
      "  - name: core",
      "    repo: core",
      "    packages: [core-lib]",
      "  - name: aux",
      "    repo: aux",
      "  - name: lost",
      "    repo: lost",
      "plugins:",
      "  - name: plug",
      "    repo: plug",
      "    depends: [core]",
      "  - name: branchy",
      "    repo: branchy",
      "    depends: [core]",
      "  - name: auxplug",
      "    repo: auxplug",
      "    depends: [aux]",
      "downstreams:",
      "  - name: ghost",
      "    repo: ghost",
      "    depends: [core, lost]",
      "",
    ].join("\n"),
  );
  r = await depsPortfolio(root);
});

describe("deps portfolio rules: the matrix", () => {
  it("a release has a row per project it depends on and names; every specifier it declares must admit a project release", () => {
    expect(r.matrix.map((m) => [m.dependent, m.release, m.version, m.project, m.specifiers.map((s) => `${s.specifier}@${s.file}`), m.admits])).toEqual([
      ["plug", "refs/tags/v0.1", "0.1", "core", [">=1,<1.1@requirements.txt"], ["1.0.0"]],
      ["plug", "refs/tags/v0.2", "0.2", "core", [">=1.1@requirements.txt", "<2@setup.py"], ["1.1.0"]],
      // v0.3 names core only for an extra and an optional group: no row (a plain install of it takes any core).
      // v0.4 names core without a version: every versioned release (not vnext).
      ["plug", "refs/tags/v0.4", "0.4", "core", ["@requirements.txt"], ["1.0.0", "1.1.0", "2.0.0"]],
      ["branchy", "refs/heads/main", null, "core", ["==1.1.0@requirements.txt"], ["1.1.0"]],
      // auxplug names core too, but depends on aux only: no core row.
      ["auxplug", "refs/tags/v1.0", "1.0", "aux", [">=5@requirements.txt"], ["5.0"]],
    ]);
  });

  it("each specifier keeps the file and marker it came from", () => {
    expect(r.matrix.find((m) => m.release === "refs/tags/v0.2")!.specifiers).toEqual([
      { specifier: ">=1.1", file: "requirements.txt", marker: "" },
      { specifier: "<2", file: "setup.py", marker: "" },
    ]);
  });
});

describe("deps portfolio rules: upgrade lag", () => {
  const lagOf = (dependent: string) => r.lag.filter((l) => l.dependent === dependent).map((l) => [l.project, l.version, l.date, l.firstRelease, l.days]);

  it("the first dependent release on or after the project release that admits it, in whole days; released the same instant counts", () => {
    expect(lagOf("plug")).toEqual([
      ["core", "1.0.0", "2024-01-01T12:00:00+00:00", "refs/tags/v0.1", 0],
      // 2024-03-01 12:00 to 2024-04-10 06:00 is 39.75 days: 39.
      ["core", "1.1.0", "2024-03-01T12:00:00+00:00", "refs/tags/v0.2", 39],
      // v0.2 does not admit 2.0.0, v0.3 names core only optionally; v0.4 comes one second short of 30 days after: 29.
      ["core", "2.0.0", "2024-06-01T12:00:00+00:00", "refs/tags/v0.4", 29],
    ]);
  });

  it("a release no later dependent release admits has no first release; a dependent that could not be read neither", () => {
    expect(lagOf("branchy")).toEqual([
      ["core", "1.0.0", "2024-01-01T12:00:00+00:00", null, null],
      ["core", "1.1.0", "2024-03-01T12:00:00+00:00", "refs/heads/main", 153],
      ["core", "2.0.0", "2024-06-01T12:00:00+00:00", null, null],
    ]);
    expect(lagOf("ghost")).toEqual([
      ["core", "1.0.0", "2024-01-01T12:00:00+00:00", null, null],
      ["core", "1.1.0", "2024-03-01T12:00:00+00:00", null, null],
      ["core", "2.0.0", "2024-06-01T12:00:00+00:00", null, null],
    ]);
  });

  it("only dependents of the project are lagged, and a project tag that is no version is not a release to lag", () => {
    expect(lagOf("auxplug")).toEqual([["aux", "5.0", "2024-01-01T00:00:00+00:00", "refs/tags/v1.0", 31]]);
    expect(r.lag.filter((l) => l.project === "core").map((l) => l.dependent)).toEqual(["plug", "branchy", "ghost", "plug", "branchy", "ghost", "plug", "branchy", "ghost"]);
    expect(r.projects.find((p) => p.name === "core")!.releases.map((x) => [x.ref, x.version])).toEqual([
      ["refs/tags/v1.0.0", "1.0.0"],
      ["refs/tags/v1.1.0", "1.1.0"],
      ["refs/tags/vnext", null],
      ["refs/tags/v2.0.0", "2.0.0"],
    ]);
  });
});

describe("deps portfolio rules: what could not be read", () => {
  it("every declared pair is counted; a pair with either side unreadable is listed with every reason, and kept out of the matrix", () => {
    expect(r.pairs).toBe(5);
    const missing = (name: string) => `repository path does not exist: ${join(root, name)}`;
    expect(r.unreadable).toEqual([
      { dependent: "ghost", project: "core", error: missing("ghost") },
      { dependent: "ghost", project: "lost", error: `${missing("ghost")}; ${missing("lost")}` },
    ]);
    expect(r.matrix.some((m) => m.dependent === "ghost")).toBe(false);
  });

  it("warnings: each unreadable repository once, and a branch read as the release; not the repositories' own warnings (a tag that is no version)", () => {
    expect(r.warnings).toEqual([
      `lost: repository path does not exist: ${join(root, "lost")}`,
      "branchy: no ref matches refs/tags/v*: branch refs/heads/main read as the one release (no literal version in its packaging metadata)",
      `ghost: repository path does not exist: ${join(root, "ghost")}`,
    ]);
    expect(r.warnings.some((w) => w.includes("not a PEP 440 version"))).toBe(false);
  });

  it("the result names its config and lists every project and dependent, readable or not", () => {
    expect([r.schemaVersion, r.config]).toEqual([1, root]);
    expect(r.projects.map((p) => [p.name, p.releases.length])).toEqual([
      ["core", 4],
      ["aux", 1],
      ["lost", 0],
    ]);
    expect(r.dependents.map((d) => [d.name, d.releases.length])).toEqual([
      ["plug", 4],
      ["branchy", 1],
      ["auxplug", 1],
      ["ghost", 0],
    ]);
  });
});

describe("deps check rules on the same portfolio", () => {
  it("a pin may name a project by any of its distribution names", async () => {
    const c = await depsCheck(root, ["core-lib==1.1", "plug==0.2"]);
    expect([c.chosen, c.conflicts, c.coInstallable]).toEqual([
      [
        { name: "core", version: "1.1.0", release: "refs/tags/v1.1.0" },
        { name: "plug", version: "0.2", release: "refs/tags/v0.2" },
      ],
      [],
      true,
    ]);
  });

  it("a release without a version is chosen by its ref; one with a version only by its version", async () => {
    expect((await depsCheck(root, ["branchy==main"])).chosen).toEqual([{ name: "branchy", version: "main", release: "refs/heads/main" }]);
    expect((await depsCheck(root, ["branchy==refs/heads/main"])).chosen).toEqual([{ name: "branchy", version: "refs/heads/main", release: "refs/heads/main" }]);
    expect((await depsCheck(root, ["core==vnext"])).chosen).toEqual([{ name: "core", version: "vnext", release: "refs/tags/vnext" }]);
    await expect(depsCheck(root, ["plug==refs/tags/v0.1"])).rejects.toThrow("plug has no release refs/tags/v0.1 (releases: 0.1, 0.2, 0.3, 0.4)");
    await expect(depsCheck(root, ["core==3"])).rejects.toThrow("core has no release 3 (releases: 1.0.0, 1.1.0, refs/tags/vnext, 2.0.0)");
    await expect(depsCheck(root, ["branchy==master"])).rejects.toThrow("branchy has no release master (releases: refs/heads/main)");
  });

  it("a pin on a release chosen by its ref cannot be judged; on a versioned one it is, and a bare name admits any version", async () => {
    expect((await depsCheck(root, ["core==vnext", "plug==0.1"])).conflicts).toEqual([]);
    expect((await depsCheck(root, ["core==2", "plug==0.1"])).conflicts).toEqual([{ kind: "pin", by: "plug", byVersion: "0.1", requires: "core", specifier: ">=1,<1.1", file: "requirements.txt", chosen: "2.0.0" }]);
    expect((await depsCheck(root, ["core==2", "plug==0.4"])).conflicts).toEqual([]);
    // Nor do ranges of an optional group or an extra bind a plain install.
    expect((await depsCheck(root, ["core==2", "plug==0.3"])).conflicts).toEqual([]);
  });

  it("a portfolio project chosen in the check is judged by pins; one not chosen is a third-party package the others share", async () => {
    const without = await depsCheck(root, ["plug==0.1", "branchy==main"]);
    expect(without.shared.map((x) => [x.name, x.constraints.map((k) => `${k.by} ${k.specifier}`), x.witness])).toEqual([
      ["alpha", ["plug <3", "branchy >=2"], "2"],
      ["core", ["plug >=1,<1.1", "branchy ==1.1.0"], null],
      ["zeta", ["plug >=1", "branchy <2"], "1"],
    ]);
    expect(without.conflicts).toEqual([
      { kind: "shared", requires: "core", by: "plug", byVersion: "0.1", specifier: ">=1,<1.1", file: "requirements.txt", other: { by: "branchy", byVersion: "main", specifier: "==1.1.0", file: "requirements.txt", marker: "" } },
    ]);
    expect(without.coInstallable).toBe(false);
    const withCore = await depsCheck(root, ["plug==0.1", "branchy==main", "core==1.0"]);
    expect(withCore.shared.map((x) => x.name)).toEqual(["alpha", "zeta"]);
    expect(withCore.conflicts).toEqual([{ kind: "pin", by: "branchy", byVersion: "main", requires: "core", specifier: "==1.1.0", file: "requirements.txt", chosen: "1.0.0" }]);
  });

  it("a package is shared only when two chosen releases constrain it with a version", async () => {
    // plug 0.4 names core with no version, branchy pins it: one constraint, nothing shared.
    expect(await depsCheck(root, ["plug==0.4", "branchy==main"])).toEqual({
      schemaVersion: 1,
      chosen: [
        { name: "plug", version: "0.4", release: "refs/tags/v0.4" },
        { name: "branchy", version: "main", release: "refs/heads/main" },
      ],
      conflicts: [],
      shared: [],
      coInstallable: true,
    });
  });
});
