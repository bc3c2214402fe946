import { writeFileSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { join, resolve } from "node:path";
import { satisfies } from "@renovatebot/pep440";
import { describe, expect, it } from "vitest";
import { depsReleases, parseRequirement, parseRequirementsTxt, parseSetupPy, versionOfTag } from "../../src/analyzers/deps/index.js";
import { admits, witness } from "../../src/analyzers/deps/witness.js";
import { HistoryBuilder } from "../../src/git/builder.js";
import { tempDir, up } from "../helpers/git.js";
import { expectMatchesSchema } from "../helpers/schema.js";

const root = tempDir();

describe("requirement parsing", () => {
  it.each([
    ["torch>=2.1", { name: "torch", specifier: ">=2.1", marker: "", extras: [] }],
    ["Torch_NPU >= 2.1 , <3", { name: "torch-npu", specifier: ">=2.1,<3", marker: "", extras: [] }],
    ["vllm[tensorizer]==0.6.3.post1; platform_system == 'Linux'", { name: "vllm", specifier: "==0.6.3.post1", marker: "platform_system == 'Linux'", extras: ["tensorizer"] }],
    ["numpy (>=1.24)", { name: "numpy", specifier: ">=1.24", marker: "", extras: [] }],
    ["triton ; platform_machine == 'x86_64'", { name: "triton", specifier: "", marker: "platform_machine == 'x86_64'", extras: [] }],
    ["pkg @ https://example.org/pkg-1.0.tar.gz", { name: "pkg", specifier: "", marker: "", extras: [], url: "https://example.org/pkg-1.0.tar.gz" }],
  ])("%s", (text, expected) => {
    expect(parseRequirement(text, "f.txt")).toEqual({ ...expected, file: "f.txt" });
  });

  it("reads requirements files: comments, continuations, options, includes", () => {
    const r = parseRequirementsTxt("# core\n-r common.txt\n-c ../constraints.txt\n--extra-index-url https://x\ntorch==2.4.0+cu121 \\\n  ; sys_platform == 'linux'\n\nbad line here\n", "requirements/cuda.txt");
    expect(r.includes).toEqual(["requirements/common.txt", "constraints.txt"]);
    expect(r.requirements.map((q) => [q.name, q.specifier, q.marker])).toEqual([["torch", "==2.4.0+cu121", "sys_platform == 'linux'"]]);
    expect(r.warnings).toEqual(["requirements/cuda.txt:8: not a requirement: bad line here"]);
  });

  it("reads only literal install_requires lists from setup.py, never runs it", () => {
    expect(parseSetupPy('setup(install_requires=["a>=1", \'b\'], name="x")', "setup.py").requirements.map((q) => q.name)).toEqual(["a", "b"]);
    expect(parseSetupPy("setup(install_requires=fetch_requirements('r.txt'))", "setup.py").warnings).toEqual(["setup.py: install_requires is not a literal list; not evaluated"]);
  });

  it("reads versions from tag names", () => {
    expect(["refs/tags/v1.2.0", "refs/tags/1.2.0rc1", "refs/tags/release-2.0", "refs/tags/ray-2.9.0", "refs/tags/nightly"].map(versionOfTag)).toEqual(["1.2.0", "1.2.0rc1", "2.0", "2.9.0", null]);
    // Vendor forks' namespaced tags and local labels: the last component, label kept.
    expect(["refs/tags/hab/v0.9.0", "refs/tags/release/1.2", "refs/tags/v0.9.0.1+Gaudi-1.22.0", "refs/tags/hab/v0.9.0.1+Gaudi-1.22.0", "refs/remotes/gaudi/1.21.0", "refs/tags/hab/nightly", "refs/tags/v1.2/notes"].map(versionOfTag)).toEqual([
      "0.9.0",
      "1.2",
      "0.9.0.1+Gaudi-1.22.0",
      "0.9.0.1+Gaudi-1.22.0",
      "1.21.0",
      null,
      null,
    ]);
  });
});

describe("PEP 440 semantics Steward relies on", () => {
  it.each([
    ["2.0.0rc1", ">=1.0", false], // pre-releases are excluded unless the specifier names one
    ["2.0.0rc1", ">=2.0.0rc1", true],
    ["1.0+cu121", "==1.0", true], // local versions match the public version
    ["1.4.5", "~=1.4.2", true], // compatible release
    ["1.5.0", "~=1.4.2", false],
    ["1.5.0", "~=1.4", true],
    ["1.5.3", "!=1.5.*", false],
    ["1.6", "!=1.5.*", true],
    ["0.5.0", ">=0.4,<0.6", true],
  ])("%s satisfies %s: %s", (version, spec, expected) => {
    expect(satisfies(version, spec)).toBe(expected);
  });
});

describe("a version satisfying several specifier sets (witness)", () => {
  it.each([
    [[">=1.0,<1.5", ">1.2"], "1.3"], // inside an open interval: the next minor
    [["==2.4.0", ">=2.5"], null],
    [[">=2.1", "==2.4.*"], "2.4"],
    [["~=2.4.1", "<2.4.3"], "2.4.1"],
    [[">1.2", "<1.2.1"], "1.2.0.0.1"], // only a version just above 1.2 fits
    [["!=1.0", ">=1.0,<=1.0"], null],
    [["==1.0+cu118", "==1.0+cu121"], null], // local versions are exact when pinned
    [["==1.0+cu118", ">=1.0"], "1.0+cu118"],
    [[">=2.5.0rc1", "<2.6"], "2.5.0rc1"], // a named pre-release counts
    [[">=2.0", "<2.5.0rc1"], "2.0"],
    [["<2", "==1.*"], "1"],
    [[">=2.1", ""], "2.1"],
    [[], null],
  ] as const)("%j -> %s", (sets, expected) => {
    expect(witness(sets)).toBe(expected);
  });

  it("admits: a pinned local version admits only itself (@renovatebot/pep440 alone does not)", () => {
    expect(satisfies("1.0+cu121", "==1.0+cu118")).toBe(true);
    expect([admits("1.0+cu121", "==1.0+cu118"), admits("1.0+cu118", "==1.0+cu118"), admits("1.0+cu121", "==1.0"), admits("1.0+cu121", ">=1.0,!=1.0+cu118"), admits("1.0+cu118", ">=1.0,!=1.0+cu118"), admits("2.0rc1", ">=1.0"), admits("2.0rc1", ">=1.0,!=2.0rc2")]).toEqual([false, true, true, true, false, false, true]);
  });
});

describe("steward deps --repo --tags", () => {
  it("merges every requirements file of each release, each requirement naming its file", async () => {
    const b = new HistoryBuilder();
    const c1 = b.commit({
      branch: "main",
      message: "0.1",
      author: up("2024-01-01T00:00:00Z"),
      files: {
        "requirements/common.txt": "numpy>=1.24\n",
        "requirements/cuda.txt": "-r common.txt\ntorch==2.3.0\n",
        "requirements-rocm.txt": "-r requirements/common.txt\ntorch==2.3.0+rocm6.0 ; platform_machine == 'x86_64'\n",
        "pyproject.toml": '[project]\nname = "core"\ndependencies = ["packaging>=23"]\n[project.optional-dependencies]\ntpu = ["torch_xla>=2.3"]\n',
      },
    });
    b.tag("v0.1.0", c1, { message: "0.1.0", tagger: up("2024-01-01T00:00:00Z") });
    const c2 = b.commit({ branch: "main", message: "0.2", author: up("2024-03-01T00:00:00Z"), files: { "requirements/cuda.txt": "-r common.txt\ntorch==2.4.0\n" } });
    b.tag("v0.2.0rc1", c2);
    b.tag("nightly", c2);
    const dir = join(root, "core");
    await b.write(dir);
    const r = await depsReleases({ repo: dir, patterns: ["refs/tags/v*"] });
    expect(r.releases.map((x) => [x.ref, x.version, x.date, x.files])).toEqual([
      ["refs/tags/v0.1.0", "0.1.0", "2024-01-01T00:00:00+00:00", ["pyproject.toml", "requirements-rocm.txt", "requirements/common.txt", "requirements/cuda.txt"]],
      ["refs/tags/v0.2.0rc1", "0.2.0rc1", "2024-03-01T00:00:00+00:00", ["pyproject.toml", "requirements-rocm.txt", "requirements/common.txt", "requirements/cuda.txt"]],
    ]);
    const v2 = r.releases[1]!.requirements.map((q) => `${q.name}${q.specifier}${q.marker ? ";" + q.marker : ""}${q.group ? "[" + q.group + "]" : ""} @${q.file}`).sort();
    expect(v2).toEqual([
      "numpy>=1.24 @requirements/common.txt",
      "packaging>=23 @pyproject.toml",
      "torch-xla>=2.3[tpu] @pyproject.toml",
      "torch==2.3.0+rocm6.0;platform_machine == 'x86_64' @requirements-rocm.txt",
      "torch==2.4.0 @requirements/cuda.txt",
    ]);
    expect(r.warnings).toEqual([]);
    expect(r.matrix).toEqual([]);
    await expectMatchesSchema("deps", r);
  });
});

describe("steward deps CONFIG (portfolio)", () => {
  it("builds the compatibility matrix and the upgrade lag of the demo", async () => {
    const { generateDemo } = await import("../../src/demo/index.js");
    const { depsPortfolio } = await import("../../src/analyzers/deps/portfolio.js");
    const dir = join(root, "demo");
    await generateDemo(dir);
    const r = await depsPortfolio(dir);
    expect(r.matrix.map((m) => [m.dependent, m.version, m.project, m.specifiers.map((s) => `${s.specifier}@${s.file}`), m.admits])).toEqual([
      ["tensorforge-npu", "0.1.0", "tensorforge", [">=0.4,<0.6@requirements.txt", ">=0.4,<0.6@setup.py"], ["0.4.0", "0.5.0"]],
      ["tensorforge-npu", "0.2.0", "tensorforge", [">=0.4,<0.6@requirements.txt", ">=0.4,<0.6@setup.py"], ["0.4.0", "0.5.0"]],
    ]);
    expect(r.lag.map((l) => [l.version, l.firstRelease, l.days])).toEqual([
      ["0.1.0", null, null],
      ["0.2.0", null, null],
      ["0.3.0", null, null],
      ["0.4.0", "refs/tags/v0.1.0", 96],
      // v0.1.0 of the plugin already admitted 0.5 but predates it: the lag runs to v0.2.0.
      ["0.5.0", "refs/tags/v0.2.0", 70],
    ]);
    expect(r.warnings).toEqual([]);
    await expectMatchesSchema("deps-portfolio", r);

    const { depsCheck } = await import("../../src/analyzers/deps/portfolio.js");
    expect(await depsCheck(dir, ["tensorforge==0.5.0", "tensorforge-npu==0.2.0"])).toMatchObject({ coInstallable: true, conflicts: [] });
    const bad = await depsCheck(dir, ["tensorforge==0.3.0", "tensorforge_npu==0.2.0"]);
    expect(bad.coInstallable).toBe(false);
    expect(bad.conflicts).toEqual([
      // Declared in requirements.txt and setup.py: one conflict naming both files.
      { kind: "pin", by: "tensorforge-npu", byVersion: "0.2.0", requires: "tensorforge", specifier: ">=0.4,<0.6", file: "requirements.txt", alsoIn: ["setup.py"], chosen: "0.3.0" },
    ]);
    await expect(depsCheck(dir, ["tensorforge==9.9"])).rejects.toThrow("tensorforge has no release 9.9 (releases: 0.1.0, 0.2.0, 0.3.0, 0.4.0, 0.5.0)");
    await expect(depsCheck(dir, ["torch>=2"])).rejects.toThrow("expected NAME==VERSION: torch>=2");
  });
});

describe("steward deps check: third-party pins", () => {
  it("finds the disjoint torch pins of two chosen releases, and shows a witness where they agree", async () => {
    const core = new HistoryBuilder();
    const c1 = core.commit({ branch: "main", message: "1.0", author: up("2024-01-01T00:00:00Z"), files: { "requirements.txt": "torch>=2.1,<2.5\nnumpy>=1.24\n" } });
    core.tag("v1.0", c1);
    const c2 = core.commit({ branch: "main", message: "2.0", author: up("2024-06-01T00:00:00Z"), files: { "requirements.txt": "torch>=2.5\nnumpy>=2.0\n" } });
    core.tag("v2.0", c2);
    await core.write(join(root, "pins/core"));
    const plugin = new HistoryBuilder();
    const p1 = plugin.commit({
      branch: "main",
      message: "0.1",
      author: up("2024-02-01T00:00:00Z"),
      files: {
        "requirements.txt": "core>=1.0,<2\ntorch==2.4.0\nnumpy<2\n",
        "requirements-rocm.txt": "-r requirements.txt\ntorch==2.4.0+rocm6.1\n",
        "pyproject.toml": '[project]\nname = "plugin"\n[project.optional-dependencies]\ndev = ["numpy==1.0"]\n',
      },
    });
    plugin.tag("v0.1", p1);
    await plugin.write(join(root, "pins/plugin"));
    writeFileSync(
      join(root, "pins/steward.yaml"),
      "version: 1\nprojects:\n  - name: core\n    repo: core\nplugins:\n  - name: plugin\n    repo: plugin\n    depends: [core]\n",
    );
    const { depsCheck } = await import("../../src/analyzers/deps/portfolio.js");
    const ok = await depsCheck(join(root, "pins"), ["core==1.0", "plugin==0.1"]);
    expect(ok.coInstallable).toBe(true);
    expect(ok.shared).toEqual([
      {
        name: "numpy",
        constraints: [
          { by: "core", byVersion: "1.0", specifier: ">=1.24", file: "requirements.txt", marker: "" },
          { by: "plugin", byVersion: "0.1", specifier: "<2", file: "requirements.txt", marker: "" },
        ],
        witness: "1.24",
      },
      {
        name: "torch",
        constraints: [
          { by: "core", byVersion: "1.0", specifier: ">=2.1,<2.5", file: "requirements.txt", marker: "" },
          { by: "plugin", byVersion: "0.1", specifier: "==2.4.0+rocm6.1", file: "requirements-rocm.txt", marker: "" },
          { by: "plugin", byVersion: "0.1", specifier: "==2.4.0", file: "requirements.txt", marker: "" },
        ],
        witness: "2.4.0+rocm6.1",
      },
    ]);

    const bad = await depsCheck(join(root, "pins"), ["core==2.0", "plugin==0.1"]);
    expect(bad.coInstallable).toBe(false);
    expect(bad.conflicts).toEqual([
      { kind: "pin", by: "plugin", byVersion: "0.1", requires: "core", specifier: ">=1.0,<2", file: "requirements.txt", chosen: "2.0" },
      { kind: "shared", requires: "numpy", by: "core", byVersion: "2.0", specifier: ">=2.0", file: "requirements.txt", other: { by: "plugin", byVersion: "0.1", specifier: "<2", file: "requirements.txt", marker: "" } },
      { kind: "shared", requires: "torch", by: "core", byVersion: "2.0", specifier: ">=2.5", file: "requirements.txt", other: { by: "plugin", byVersion: "0.1", specifier: "==2.4.0+rocm6.1", file: "requirements-rocm.txt", marker: "" } },
      { kind: "shared", requires: "torch", by: "core", byVersion: "2.0", specifier: ">=2.5", file: "requirements.txt", other: { by: "plugin", byVersion: "0.1", specifier: "==2.4.0", file: "requirements.txt", marker: "" } },
    ]);
    for (const r of [ok, bad]) await expectMatchesSchema("deps-check", r);
    await expect(depsCheck(join(root, "pins"), ["core==1.0", "core==2.0"])).rejects.toThrow("core is chosen twice: core==2.0");
  });
});

describe("steward deps check: per-backend files are alternatives", () => {
  it("a dependent pinning the CUDA build fits the CUDA alternative of a release that also has a ROCm file", async () => {
    const core = new HistoryBuilder();
    const c1 = core.commit({
      branch: "main",
      message: "2.4",
      author: up("2024-01-01T00:00:00Z"),
      files: { "requirements-common.txt": "numpy>=1.24\n", "requirements-cuda.txt": "-r requirements-common.txt\ntorch==2.4.0+cu118\n", "requirements-rocm.txt": "-r requirements-common.txt\ntorch==2.4.0+rocm6.1\n" },
    });
    core.tag("v2.4", c1);
    await core.write(join(root, "backends/core"));
    const plugin = new HistoryBuilder();
    const p1 = plugin.commit({ branch: "main", message: "0.1", author: up("2024-02-01T00:00:00Z"), files: { "requirements.txt": "core==2.4\ntorch==2.4.0+cu118\n" } });
    plugin.tag("v0.1", p1);
    const p2 = plugin.commit({ branch: "main", message: "0.2", author: up("2024-03-01T00:00:00Z"), files: { "requirements.txt": "core==2.4\ntorch==2.4.0\n" } });
    plugin.tag("v0.2", p2);
    const p3 = plugin.commit({ branch: "main", message: "0.3", author: up("2024-04-01T00:00:00Z"), files: { "requirements.txt": "core==2.4\ntorch==2.4.0+xpu\n" } });
    plugin.tag("v0.3", p3);
    await plugin.write(join(root, "backends/plugin"));
    writeFileSync(join(root, "backends/steward.yaml"), "version: 1\nprojects:\n  - name: core\n    repo: core\nplugins:\n  - name: plugin\n    repo: plugin\n    depends: [core]\n");
    const { depsCheck } = await import("../../src/analyzers/deps/portfolio.js");
    const cuda = await depsCheck(join(root, "backends"), ["core==2.4", "plugin==0.1"]);
    expect(cuda.conflicts).toEqual([]);
    expect(cuda.coInstallable).toBe(true);
    expect(cuda.shared.map((d) => [d.name, d.witness])).toEqual([["torch", "2.4.0+cu118"]]);
    // An unlabelled pin fits either backend: the witness is named, not null.
    const plain = await depsCheck(join(root, "backends"), ["core==2.4", "plugin==0.2"]);
    expect(plain.coInstallable).toBe(true);
    expect(plain.shared.map((d) => [d.name, d.witness])).toEqual([["torch", "2.4.0+cu118"]]);
    // A build no alternative provides still clashes, with each alternative named.
    const xpu = await depsCheck(join(root, "backends"), ["core==2.4", "plugin==0.3"]);
    expect(xpu.coInstallable).toBe(false);
    expect(xpu.conflicts.map((x) => (x.kind === "shared" ? `${x.file} ${x.specifier} / ${x.other.file} ${x.other.specifier}` : ""))).toEqual([
      "requirements-cuda.txt ==2.4.0+cu118 / requirements.txt ==2.4.0+xpu",
      "requirements-rocm.txt ==2.4.0+rocm6.1 / requirements.txt ==2.4.0+xpu",
    ]);
    const r = spawnSync(process.execPath, [resolve("dist/cli/main.js"), "deps", "check", "--config", join(root, "backends"), "core==2.4", "plugin==0.2"], { encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(
      "core==2.4 plugin==0.2: co-installable\n  ✓ torch: core ==2.4.0+cu118 (requirements-cuda.txt), core ==2.4.0+rocm6.1 (requirements-rocm.txt), plugin ==2.4.0 (e.g. 2.4.0+cu118)\n",
    );
  });
});
