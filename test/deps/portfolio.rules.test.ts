import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { depsCheck, depsPortfolio, isBackendFile, type DepsPortfolio } from "../../src/analyzers/deps/portfolio.js";
import { HistoryBuilder } from "../../src/git/builder.js";
import { git, tempDir, up } from "../helpers/git.js";

/** `steward deps CONFIG` rules (matrix, upgrade lag, unreadable pairs), each on both sides of its boundary, on real repositories. */
const root = tempDir("steward-portfoliorules-");
let r: DepsPortfolio;

/** A repository with one tagged commit per [tag, instant, files] (tag null: an untagged commit on main; a file null: deleted). */
async function repo(name: string, commits: [string | null, string, Record<string, string | null>][]): Promise<void> {
  const b = new HistoryBuilder();
  for (const [tag, at, files] of commits) {
    const c = b.commit({ branch: "main", message: tag ?? "work", author: up(at), committer: up(at), files });
    if (tag) b.tag(tag, c);
  }
  await b.write(join(root, name));
}

/** lag.yaml: core (above) and side, whose one release shares core 1.1.0's version; plug and loose depend on them. */
async function lagPortfolio(): Promise<void> {
  await repo("side", [["v1.1.0", "2024-01-01T12:00:00Z", { "requirements.txt": "numpy\n" }]]);
  // Tags named as plug's; v0.1 comes before core 1.1.0 and 2.0.0 and admits both, v0.2 narrows core and names side.
  await repo("loose", [
    ["v0.1", "2024-02-01T12:00:00Z", { "requirements.txt": "core>=1\n" }],
    ["v0.2", "2024-04-01T12:00:00Z", { "requirements.txt": "core<1.1\nside>=1\n" }],
    ["v0.3", "2024-07-01T12:00:00Z", { "requirements.txt": "core>=2\nside>=1\n" }],
  ]);
  writeFileSync(
    join(root, "lag.yaml"),
    [
      "version: 1",
      "projects:",
      "  - name: core",
      "    repo: core",
      "    packages: [core-lib]",
      "  - name: side",
      "    repo: side",
      "plugins:",
      "  - name: plug",
      "    repo: plug",
      "    depends: [core]",
      "  - name: loose",
      "    repo: loose",
      "    depends: [core, side]",
      "",
    ].join("\n"),
  );
}

/** A setup.py declaring these install_requires. */
const setupPy = (...reqs: string[]) => `from setuptools import setup\nsetup(name="x", install_requires=[${reqs.map((q) => JSON.stringify(q)).join(", ")}])\n`;

/** check.yaml: the releases `deps check` rules choose among (per-backend files, pins, shared packages). */
async function checkPortfolio(): Promise<void> {
  await repo("base", [
    ["v1.0", "2024-01-01T00:00:00Z", { "requirements.txt": "numpy\n" }],
    ["v2.0", "2024-02-01T00:00:00Z", { "requirements.txt": "numpy\n" }],
    ["v3.0", "2024-03-01T00:00:00Z", { "requirements.txt": "numpy\n" }],
  ]);
  await repo("kit", [["v1.0", "2024-01-01T00:00:00Z", { "requirements.txt": "numpy\n" }]]);
  // pa rejects base 1.0 in two files with two ranges, and kit with the range it gives base; pb with the same range.
  await repo("pa", [["v1", "2024-03-01T00:00:00Z", { "requirements.txt": 'base>=3\nkit>=3\nnumpy>=1.26 ; python_version >= "3.9"\n', "setup.py": setupPy("base>=2.5", "numpy>=1.26") }]]);
  await repo("pb", [
    ["v1", "2024-03-01T00:00:00Z", { "requirements.txt": "base>=3\nnumpy>=1.26\n" }],
    // Names itself with a range its own version is outside of.
    ["v2", "2024-04-01T00:00:00Z", { "requirements.txt": "pb<1\nbase>=3\n" }],
  ]);
  await repo("gpu", [
    // The CUDA install pins a torch build; the ROCm file leaves torch to the user.
    ["v1.0", "2024-01-01T00:00:00Z", { "requirements.txt": "numpy>=1.24\n", "requirements-cuda.txt": "torch==2.4.0+cu121\n", "requirements-rocm.txt": "numpy>=1.26\n" }],
    // One backend file, and a torch range every install takes.
    ["v1.1", "2024-02-01T00:00:00Z", { "requirements.txt": "torch>=2.0\n", "requirements-rocm.txt": null }],
    // CUDA and ROCm builds of torch, one per backend file.
    ["v1.2", "2024-03-01T00:00:00Z", { "requirements.txt": "numpy>=1.24\n", "requirements-rocm.txt": "torch==2.4.0+rocm6.1\n" }],
  ]);
  await repo("tp", [
    ["v1", "2024-01-01T00:00:00Z", { "requirements.txt": "torch==2.3.0\n", "setup.py": setupPy("torch==2.3.0") }],
    ["v2", "2024-02-01T00:00:00Z", { "requirements.txt": "torch>=2.4\n", "setup.py": null }],
    ["v3", "2024-03-01T00:00:00Z", { "requirements.txt": "torch==2.4.0+cu121\n" }],
    // Its only requirements file is a CUDA one: every install of it pins torch.
    ["v4", "2024-04-01T00:00:00Z", { "requirements.txt": null, "requirements-cuda.txt": "torch==2.3.0\n" }],
    // A direct URL requirement, with a range written after the URL (read as one, not valid PEP 508).
    ["v5", "2024-05-01T00:00:00Z", { "requirements-cuda.txt": null, "requirements.txt": "torch @ https://download.example/torch-2.3.0.whl ==2.3.0\n" }],
  ]);
  // 64 CUDA builds each, one per backend file: 64 x 64 = 4096 installs to try; wb 2 has a 65th file.
  const builds = (from: number, to: number) => Object.fromEntries(Array.from({ length: to - from + 1 }, (_, i) => [`requirements-cu${from + i}.txt`, `torch==2.4.0+cu${from + i}\n`]));
  await repo("wa", [["v1", "2024-01-01T00:00:00Z", builds(101, 164)]]);
  await repo("wb", [
    ["v1", "2024-01-01T00:00:00Z", builds(101, 164)],
    ["v2", "2024-02-01T00:00:00Z", builds(165, 165)],
  ]);
  // No release tag; the branch read as the release is a remote-tracking ref whose name holds refs/heads/.
  await repo("mirror", [[null, "2024-01-01T00:00:00Z", { "requirements.txt": "base>=1\n" }]]);
  git(join(root, "mirror"), "update-ref", "refs/remotes/up/refs/heads/dev", "refs/heads/main");
  writeFileSync(
    join(root, "check.yaml"),
    [
      "version: 1",
      "projects:",
      ...["base", "kit", "gpu", "wa", "wb"].flatMap((n) => [`  - name: ${n}`, `    repo: ${n}`]),
      "plugins:",
      ...[["pa", "base, kit"], ["pb", "base"], ["tp", "gpu"]].flatMap(([n, d]) => [`  - name: ${n}`, `    repo: ${n}`, `    depends: [${d}]`]),
      "  - name: mirror",
      "    repo: mirror",
      "    branch: refs/remotes/up/refs/heads/dev",
      "    depends: [base]",
      "",
    ].join("\n"),
  );
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
  await lagPortfolio();
  await checkPortfolio();
});

// depsPortfolio runs in this block's own hook, not the file's: an error there then fails every
// test of the block, which Stryker counts (a failing file-level hook only skips the tests).
describe("deps portfolio", () => {
  beforeAll(async () => {
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

describe("deps portfolio rules: upgrade lag is judged per dependent release, project and date", () => {
  let lp: DepsPortfolio;
  beforeAll(async () => {
    lp = await depsPortfolio(join(root, "lag.yaml"));
  });

  it("a dependent release admits a project release only through its own row for that project", () => {
    expect(lp.matrix.filter((m) => m.dependent === "loose").map((m) => [m.release, m.project, m.specifiers.map((s) => s.specifier), m.admits])).toEqual([
      ["refs/tags/v0.1", "core", [">=1"], ["1.0.0", "1.1.0", "2.0.0"]],
      ["refs/tags/v0.2", "core", ["<1.1"], ["1.0.0"]],
      ["refs/tags/v0.2", "side", [">=1"], ["1.1.0"]],
      ["refs/tags/v0.3", "core", [">=2"], ["2.0.0"]],
      ["refs/tags/v0.3", "side", [">=1"], ["1.1.0"]],
    ]);
  });

  it("the first release is the first on or after the project release that itself admits it: not an earlier one, not another dependent's release of the same tag, not its row for another project", () => {
    expect(lp.lag.filter((l) => l.dependent === "loose").map((l) => [l.project, l.version, l.firstRelease, l.days])).toEqual([
      // v0.1 (31 days after) admits 1.0.0.
      ["core", "1.0.0", "refs/tags/v0.1", 31],
      // v0.1 admits 1.1.0 but came before it; v0.2 admits side 1.1.0 and only core 1.0.0; plug's v0.2 admits core 1.1.0: none.
      ["core", "1.1.0", null, null],
      // v0.1 admits 2.0.0 but came before it; v0.3 does, 30 days after.
      ["core", "2.0.0", "refs/tags/v0.3", 30],
      // v0.1 does not name side; v0.2 does, 91 days after (2024 is a leap year).
      ["side", "1.1.0", "refs/tags/v0.2", 91],
    ]);
  });
});

describe("deps check rules: which releases clash (check.yaml)", () => {
  const check = (...pins: string[]) => depsCheck(join(root, "check.yaml"), pins);
  const torch = async (...pins: string[]) => {
    const c = await check(...pins);
    return { shared: c.shared.map((x) => [x.name, x.constraints.map((k) => `${k.by} ${k.specifier} (${k.file})`), x.witness]), conflicts: c.conflicts.map((x) => (x.kind === "shared" ? `${x.by} ${x.specifier} (${x.file}) x ${x.other.by} ${x.other.specifier}` : `pin ${x.by} ${x.specifier}`)) };
  };

  it("each rejecting requirement is its own pin conflict: per release, per package and per range; one range in two files stays one", async () => {
    expect((await check("base==1.0", "kit==1.0", "pa==1", "pb==1")).conflicts).toEqual([
      { kind: "pin", by: "pa", byVersion: "1", requires: "base", specifier: ">=3", file: "requirements.txt", chosen: "1.0" },
      { kind: "pin", by: "pa", byVersion: "1", requires: "kit", specifier: ">=3", file: "requirements.txt", chosen: "1.0" },
      { kind: "pin", by: "pa", byVersion: "1", requires: "base", specifier: ">=2.5", file: "setup.py", chosen: "1.0" },
      { kind: "pin", by: "pb", byVersion: "1", requires: "base", specifier: ">=3", file: "requirements.txt", chosen: "1.0" },
    ]);
    expect((await check("base==1.0", "pb==1")).conflicts).toHaveLength(1);
    expect((await check("base==3.0", "pb==1")).conflicts).toEqual([]);
  });

  it("a release's requirement on itself is not judged against itself; on another chosen release it is", async () => {
    expect((await check("pb==2")).conflicts).toEqual([]);
    expect((await check("pb==2", "base==1.0")).conflicts).toEqual([{ kind: "pin", by: "pb", byVersion: "2", requires: "base", specifier: ">=3", file: "requirements.txt", chosen: "1.0" }]);
  });

  it("one constraint of a third-party package is one release's range under one marker: two releases with the same range, or one with two markers, are two", async () => {
    expect((await check("pa==1", "pb==1")).shared.filter((x) => x.name === "numpy")).toEqual([
      {
        name: "numpy",
        constraints: [
          { by: "pa", byVersion: "1", specifier: ">=1.26", file: "requirements.txt", marker: 'python_version >= "3.9"' },
          { by: "pa", byVersion: "1", specifier: ">=1.26", file: "setup.py", marker: "" },
          { by: "pb", byVersion: "1", specifier: ">=1.26", file: "requirements.txt", marker: "" },
        ],
        witness: "1.26",
      },
    ]);
  });

  it("a backend file that does not name a package is an install leaving it free: the ROCm install of gpu 1.0 takes tp 1's torch", async () => {
    expect(await torch("gpu==1.0", "tp==1")).toEqual({ shared: [["torch", ["gpu ==2.4.0+cu121 (requirements-cuda.txt)", "tp ==2.3.0 (requirements.txt)"], "2.3.0"]], conflicts: [] });
    // gpu 1.2's ROCm file pins torch too: no install of it takes 2.3.0.
    expect(await torch("gpu==1.2", "tp==1")).toEqual({
      shared: [["torch", ["gpu ==2.4.0+cu121 (requirements-cuda.txt)", "gpu ==2.4.0+rocm6.1 (requirements-rocm.txt)", "tp ==2.3.0 (requirements.txt)"], null]],
      conflicts: ["gpu ==2.4.0+cu121 (requirements-cuda.txt) x tp ==2.3.0", "gpu ==2.4.0+rocm6.1 (requirements-rocm.txt) x tp ==2.3.0"],
    });
  });

  it("a release's backend files are its own: tp 4, whose only file is a CUDA one, pins torch in every install whatever files gpu has", async () => {
    expect((await torch("gpu==1.2", "tp==4")).conflicts).toEqual(["gpu ==2.4.0+cu121 (requirements-cuda.txt) x tp ==2.3.0", "gpu ==2.4.0+rocm6.1 (requirements-rocm.txt) x tp ==2.3.0"]);
    expect((await torch("tp==4", "gpu==1.2")).conflicts).toEqual(["tp ==2.3.0 (requirements-cuda.txt) x gpu ==2.4.0+cu121", "tp ==2.3.0 (requirements-cuda.txt) x gpu ==2.4.0+rocm6.1"]);
    // tp 3's range fits gpu 1.2's CUDA install.
    expect((await torch("gpu==1.2", "tp==3")).conflicts).toEqual([]);
  });

  it("an install of a release takes its common files and one backend file together; the witness is a version one install of each admits", async () => {
    // gpu 1.1's only install takes torch>=2.0 and the CUDA build: tp 1's 2.3.0 fits the range, not the build.
    expect(await torch("gpu==1.1", "tp==1")).toEqual({
      shared: [["torch", ["gpu ==2.4.0+cu121 (requirements-cuda.txt)", "gpu >=2.0 (requirements.txt)", "tp ==2.3.0 (requirements.txt)"], null]],
      conflicts: ["gpu ==2.4.0+cu121 (requirements-cuda.txt) x tp ==2.3.0"],
    });
    // tp 2's torch>=2.4 fits the CUDA install of gpu 1.2 (and its ROCm one): the witness is the CUDA build.
    expect(await torch("gpu==1.2", "tp==2")).toEqual({
      shared: [["torch", ["gpu ==2.4.0+cu121 (requirements-cuda.txt)", "gpu ==2.4.0+rocm6.1 (requirements-rocm.txt)", "tp >=2.4 (requirements.txt)"], "2.4.0+cu121"]],
      conflicts: [],
    });
    // tp 3 pins the CUDA build: the ROCm file's build clashes with it, but the CUDA install fits, so no conflict.
    expect(await torch("gpu==1.2", "tp==3")).toEqual({
      shared: [["torch", ["gpu ==2.4.0+cu121 (requirements-cuda.txt)", "gpu ==2.4.0+rocm6.1 (requirements-rocm.txt)", "tp ==2.4.0+cu121 (requirements.txt)"], "2.4.0+cu121"]],
      conflicts: [],
    });
  });

  it("a shared conflict names the files its first constraint is declared in", async () => {
    expect((await check("tp==1", "gpu==1.1")).conflicts).toEqual([
      { kind: "shared", requires: "torch", by: "tp", byVersion: "1", specifier: "==2.3.0", file: "requirements.txt", alsoIn: ["setup.py"], other: { by: "gpu", byVersion: "1.1", specifier: "==2.4.0+cu121", file: "requirements-cuda.txt", marker: "" } },
    ]);
  });

  it("a direct URL requirement is not judged, even with a range written after the URL; the same range without a URL is", async () => {
    expect(await torch("gpu==1.2", "tp==5")).toEqual({ shared: [], conflicts: [] });
    expect((await torch("gpu==1.2", "tp==1")).conflicts).toHaveLength(2);
  });

  it("up to 4096 combinations of installs are tried one by one; past that every range is judged as one environment", async () => {
    // 64 x 64: the two cu101 installs fit.
    const at = await check("wa==1", "wb==1");
    expect([at.shared.map((x) => [x.name, x.constraints.length, x.witness]), at.conflicts.length]).toEqual([[["torch", 128, "2.4.0+cu101"]], 0]);
    // 64 x 65: no version admits all 129 builds; every pair of different builds clashes (64 x 65 - 64).
    const past = await check("wa==1", "wb==2");
    expect([past.shared.map((x) => [x.name, x.constraints.length, x.witness]), past.conflicts.length, past.coInstallable]).toEqual([[["torch", 129, null]], 4096, false]);
  });

  it("a release is chosen by its ref with only a leading refs/heads/ or refs/tags/ dropped", async () => {
    expect((await check("mirror==refs/remotes/up/refs/heads/dev")).chosen).toEqual([{ name: "mirror", version: "refs/remotes/up/refs/heads/dev", release: "refs/remotes/up/refs/heads/dev" }]);
    await expect(check("mirror==refs/remotes/up/dev")).rejects.toThrow("mirror has no release refs/remotes/up/dev (releases: refs/remotes/up/refs/heads/dev)");
  });
});

describe("deps: a backend word followed by a dot names a backend file whatever follows", () => {
  it.each([
    ["requirements-cuda.inference.txt", true],
    ["requirements/rocm.in", true],
    ["requirements-cudnn.inference.txt", false],
    ["requirements-inference.txt", false],
  ])("%s: %s", (file, backend) => {
    expect(isBackendFile(file)).toBe(backend);
  });
});
