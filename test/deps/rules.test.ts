import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { depsCheck, isBackendFile } from "../../src/analyzers/deps/portfolio.js";
import { admits, witness } from "../../src/analyzers/deps/witness.js";
import { HistoryBuilder } from "../../src/git/builder.js";
import { tempDir, up } from "../helpers/git.js";

/** deps check rules, each on both sides of its boundary, on real repositories. */
const root = tempDir("steward-depsrules-");

beforeAll(async () => {
  const core = new HistoryBuilder();
  // One release ships alternative per-backend files that pin torch builds no single environment could hold together.
  const c1 = core.commit({
    branch: "main",
    message: "1.0.0",
    author: up("2024-01-01T00:00:00Z"),
    files: { "requirements.txt": "numpy>=1.24\n", "requirements-cuda.txt": "torch==2.4.0+cu121\n", "requirements-rocm.txt": "torch==2.4.0+rocm6.1\n" },
  });
  core.tag("v1.0.0", c1);
  const c2 = core.commit({ branch: "main", message: "1.1.0", author: up("2024-03-01T00:00:00Z"), files: { "requirements.txt": "numpy>=1.26\n" } });
  core.tag("v1.1.0", c2);
  await core.write(join(root, "core"));
  for (const [name, torch] of [["plugin", "torch>=2.4"], ["oldplugin", "torch==2.3.0"]] as const) {
    const b = new HistoryBuilder();
    b.tag("v0.1", b.commit({ branch: "main", message: "0.1", author: up("2024-02-01T00:00:00Z"), files: { "requirements.txt": `core>=1,<1.1\n${torch}\n` } }));
    await b.write(join(root, name));
  }
  // A plugin declaring its requirements twice: requirements.txt and setup.py's install_requires.
  const twice = new HistoryBuilder();
  const both = { "requirements.txt": "core>=1,<1.1\ntorch==2.3.0\n", "setup.py": 'from setuptools import setup\nsetup(name="twice", install_requires=["core>=1,<1.1", "torch==2.3.0"])\n' };
  twice.tag("v0.1", twice.commit({ branch: "main", message: "0.1", author: up("2024-02-01T00:00:00Z"), files: both }));
  await twice.write(join(root, "twice"));
  // A plugin whose clashing torch pins apply only to an extra, or only on an old Python.
  const marked = new HistoryBuilder();
  marked.tag("v0.1", marked.commit({ branch: "main", message: "0.1", author: up("2024-02-01T00:00:00Z"), files: { "requirements.txt": 'core>=1\ntorch==2.3.0 ; extra == "bench"\n' } }));
  marked.tag("v0.2", marked.commit({ branch: "main", message: "0.2", author: up("2024-02-02T00:00:00Z"), files: { "requirements.txt": 'core>=1\ntorch==2.3.0 ; python_version < "3.9"\n' } }));
  await marked.write(join(root, "marked"));
  writeFileSync(
    join(root, "steward.yaml"),
    "version: 1\nprojects:\n  - name: core\n    repo: core\nplugins:\n  - name: plugin\n    repo: plugin\n    depends: [core]\n  - name: oldplugin\n    repo: oldplugin\n    depends: [core]\n  - name: twice\n    repo: twice\n    depends: [core]\n  - name: marked\n    repo: marked\n    depends: [core]\n",
  );
});

describe("deps check: a pin names a release by PEP 440 version, not by its text", () => {
  it("core==1 and core==1.0 choose release 1.0.0 (1 == 1.0 == 1.0.0); core==1.1 chooses 1.1.0", async () => {
    for (const pin of ["core==1", "core==1.0", "core==1.0.0"]) expect((await depsCheck(root, [pin])).chosen).toEqual([{ name: "core", version: "1.0.0", release: "refs/tags/v1.0.0" }]);
    expect((await depsCheck(root, ["core==1.1"])).chosen).toEqual([{ name: "core", version: "1.1.0", release: "refs/tags/v1.1.0" }]);
  });
  it("a version no release equals is refused, naming the releases", async () => {
    await expect(depsCheck(root, ["core==1.0.1"])).rejects.toThrow("core has no release 1.0.1 (releases: 1.0.0, 1.1.0)");
  });
  it("the plugin's core>=1,<1.1 admits 1.0.0 and not 1.1.0", async () => {
    expect((await depsCheck(root, ["core==1", "plugin==0.1"])).coInstallable).toBe(true);
    expect((await depsCheck(root, ["core==1.1", "plugin==0.1"])).conflicts).toEqual([{ kind: "pin", by: "plugin", byVersion: "0.1", requires: "core", specifier: ">=1,<1.1", file: "requirements.txt", chosen: "1.1.0" }]);
  });
});

describe("deps check: one release's CUDA and ROCm files are alternatives, not one environment", () => {
  it("core 1.0.0 pinning torch+cu121 in one file and torch+rocm6.1 in another is no conflict with a plugin admitting both", async () => {
    const r = await depsCheck(root, ["core==1.0.0", "plugin==0.1"]);
    expect({ coInstallable: r.coInstallable, conflicts: r.conflicts }).toEqual({ coInstallable: true, conflicts: [] });
  });
  it("a plugin admitting neither clashes with each of them", async () => {
    const r = await depsCheck(root, ["core==1.0.0", "oldplugin==0.1"]);
    expect(r.coInstallable).toBe(false);
    expect(r.conflicts.map((c) => (c.kind === "shared" ? `${c.by} ${c.specifier} (${c.file}) x ${c.other.by} ${c.other.specifier}` : c.kind))).toEqual([
      "core ==2.4.0+cu121 (requirements-cuda.txt) x oldplugin ==2.3.0",
      "core ==2.4.0+rocm6.1 (requirements-rocm.txt) x oldplugin ==2.3.0",
    ]);
  });
});

describe("deps check: one requirement declared in two files of a release is one conflict", () => {
  it("a pin in requirements.txt and setup.py is one conflict naming both files", async () => {
    expect((await depsCheck(root, ["core==1.1", "twice==0.1"])).conflicts.filter((c) => c.kind === "pin")).toEqual([{ kind: "pin", by: "twice", byVersion: "0.1", requires: "core", specifier: ">=1,<1.1", file: "requirements.txt", alsoIn: ["setup.py"], chosen: "1.1.0" }]);
  });
  it("a third-party pin clashes once per alternative of the other release, not once per file", async () => {
    const r = await depsCheck(root, ["core==1.0.0", "twice==0.1"]);
    expect(r.conflicts.map((c) => (c.kind === "shared" ? `${c.other.by} ${c.other.specifier} (${[c.other.file, ...(c.other.alsoIn ?? [])].join(", ")}) x ${c.by} ${c.specifier} (${c.file})` : c.kind))).toEqual([
      "twice ==2.3.0 (requirements.txt, setup.py) x core ==2.4.0+cu121 (requirements-cuda.txt)",
      "twice ==2.3.0 (requirements.txt, setup.py) x core ==2.4.0+rocm6.1 (requirements-rocm.txt)",
    ]);
  });
});

describe("witness: the lowest version every specifier set admits", () => {
  it.each([
    // Candidates are tried lowest first, whatever order the sets name them in.
    [["<=3.0", ">=2.0"], "2.0"],
    // The next version at each release segment, with multi-digit segments kept whole.
    [[">2.10", "<2.12"], "2.11"],
    [[">10.1", "<10.3"], "10.2"],
    // An epoch stays on derived candidates (a bare 2.1 sorts below 1!2.0).
    [[">1!2.0"], "1!2.1"],
    [[">1!2.0", "<1!2.0.1"], "1!2.0.0.0.1"],
    [[">10!2.0"], "10!2.1"],
    // A clause written with spaces after the comma is still a local-version clause.
    [[">=0.9, ==1.0+cu118", "==1.0+rocm6.1"], null],
  ])("%j -> %s", (sets, expected) => {
    expect(witness(sets)).toBe(expected);
  });
});

describe("PEP 440 admission: pre-releases count when a clause names one", () => {
  it.each([
    // A pre-release of a later release: admitted only because the clause names a pre-release.
    ["2.1.0b1", ">=2.0.0b1", true],
    ["2.1rc1", ">=2.0rc", true],
    ["2.0.0b2", ">=1.0", false],
    // Clauses are trimmed: a local pin after ", " is exact, not compared without its label.
    ["1.0+rocm6.1", ">=0.9, ==1.0+cu118", false],
    ["1.0+cu118", ">=0.9, ==1.0+cu118", true],
  ])("%s satisfies %s: %s", (version, specifier, expected) => {
    expect(admits(version, specifier)).toBe(expected);
  });
});

describe("PEP 440 admission", () => {
  it.each([
    ["1.0.0", "==1", true],
    ["1.0.0", "==1.0.*", true],
    ["1.1.0", "==1.0.*", false],
    ["2.4.0+cu121", "==2.4.0", true],
    ["2.4.0", "==2.4.0+cu121", false],
    ["2.4.0+rocm6.1", "==2.4.0+cu121", false],
    ["2.4.0+cu121", "!=2.4.0+cu121", false],
    ["2.4.0+rocm6.1", "!=2.4.0+cu121", true],
    ["2.5.0rc1", ">=2.4", false],
    ["2.5.0rc1", ">=2.5.0rc1", true],
  ] as const)("%s against %s: %s", (version, specifier, ok) => {
    expect(admits(version, specifier)).toBe(ok);
  });
});

describe("deps check: what a pin names", () => {
  it("NAME==VERSION of a portfolio entry, each chosen once; anything else is refused by name", async () => {
    await expect(depsCheck(root, ["core>=1"])).rejects.toThrow("expected NAME==VERSION: core>=1");
    await expect(depsCheck(root, ["core==1 "])).rejects.toThrow("expected NAME==VERSION: core==1 ");
    await expect(depsCheck(root, ["-core==1"])).rejects.toThrow("expected NAME==VERSION: -core==1");
    await expect(depsCheck(root, ["ghost==1"])).rejects.toThrow("not in the portfolio: ghost");
    await expect(depsCheck(root, ["core==1", "Core==1.1"])).rejects.toThrow("core is chosen twice: Core==1.1");
    expect((await depsCheck(root, ["CORE==1.1"])).chosen).toEqual([{ name: "core", version: "1.1.0", release: "refs/tags/v1.1.0" }]);
  });
});

describe("deps check: only what a plain install pulls in is compared", () => {
  it("a pin under an extra is left out; one under any other marker counts", async () => {
    expect((await depsCheck(root, ["core==1.0.0", "marked==0.1"])).conflicts).toEqual([]);
    expect((await depsCheck(root, ["core==1.0.0", "marked==0.2"])).conflicts.map((c) => `${c.kind} ${c.requires}`)).toEqual(["shared torch", "shared torch"]);
  });
});

describe("deps: a per-backend requirements file names one backend as a whole word", () => {
  it.each([
    ["requirements-cuda.txt", true],
    ["requirements/rocm.txt", true],
    ["requirements-cu118.txt", true],
    ["requirements_cpu.in", true],
    ["requirements.hpu.txt", true],
    ["Requirements-ROCM.txt", true],
    ["requirements-tpu2.txt", true],
    ["rocm/requirements.txt", true],
    ["requirements.txt", false],
    ["requirements-cudagraph.txt", false],
    ["requirements-cu1.txt", false],
    ["requirements-common.txt", false],
    ["docs/accuracy.txt", false],
  ])("%s: %s", (file, backend) => {
    expect(isBackendFile(file)).toBe(backend);
  });
});
