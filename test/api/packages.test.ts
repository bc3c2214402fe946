import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { apiSurface } from "../../src/analyzers/api/index.js";
import { declaredRoots, fromPyproject, fromSetupPy } from "../../src/analyzers/api/packages.js";
import { HistoryBuilder } from "../../src/git/builder.js";
import { pythonParser } from "../../src/python/parser.js";
import { tempDir, text, up } from "../helpers/git.js";

/** A tree with a shipped package, helper packages beside it, a src/ layout and a single module. */
const TREE = new Set([
  "deepspeed/__init__.py",
  "deepspeed/ops/__init__.py",
  "op_builder/__init__.py",
  "accelerator/__init__.py",
  "tests/__init__.py",
  "src/lib/__init__.py",
  "src/lib_extra/__init__.py",
  "tool.py",
]);

describe("packages declared by pyproject.toml", () => {
  it.each([
    ["setuptools packages list", '[tool.setuptools]\npackages = ["deepspeed", "deepspeed.ops"]\n', ["deepspeed"], "pyproject.toml: [tool.setuptools] packages"],
    ["setuptools find with where and include", '[tool.setuptools.packages.find]\nwhere = ["src"]\ninclude = ["lib*"]\nexclude = ["lib_extra"]\n', ["lib"], "pyproject.toml: [tool.setuptools.packages.find]"],
    ["setuptools package-dir", '[tool.setuptools]\npackage-dir = {"" = "src"}\npackages = ["lib_extra"]\n', ["lib_extra"], "pyproject.toml: [tool.setuptools] packages"],
    ["setuptools py-modules", '[tool.setuptools]\npy-modules = ["tool"]\n', ["tool"], "pyproject.toml: [tool.setuptools] py-modules"],
    ["poetry packages with from", '[tool.poetry]\nname = "x"\npackages = [{ include = "lib", from = "src" }]\n', ["lib"], "pyproject.toml: [tool.poetry] packages"],
    ["hatch wheel packages", '[tool.hatch.build.targets.wheel]\npackages = ["src/lib"]\n', ["lib"], "pyproject.toml: [tool.hatch.build.targets.wheel] packages"],
    ["flit module", '[tool.flit.module]\nname = "accelerator"\n', ["accelerator"], "pyproject.toml: [tool.flit.module] name"],
    ["project name only", '[project]\nname = "Deep-Speed"\n', [], "pyproject.toml: project name Deep-Speed"],
    ["project name matching a package", '[project]\nname = "op-builder"\n', ["op_builder"], "pyproject.toml: project name op-builder"],
  ])("%s", (_what, toml, roots, source) => {
    const d = fromPyproject(toml)!;
    expect(d.source).toBe(source);
    expect(declaredRoots(d, TREE).map((r) => r.name)).toEqual(roots);
  });

  it("says nothing when it declares nothing or does not parse", () => {
    expect(fromPyproject("[build-system]\nrequires = []\n")).toBeNull();
    expect(fromPyproject("[tool.setuptools\n")).toBeNull();
  });
});

describe("packages declared by setup.py (read, not run)", () => {
  it.each([
    ["find_packages(include=...) (DeepSpeed)", "from setuptools import setup, find_packages\nsetup(name='deepspeed', packages=find_packages(include=['deepspeed', 'deepspeed.*']))\n", ["deepspeed"], "setup.py: find_packages(include=['deepspeed', 'deepspeed.*'])"],
    ["find_packages(exclude=...)", "setup(packages=find_packages(exclude=['op_builder', 'tests*']))\n", ["accelerator", "deepspeed"], "setup.py: find_packages(exclude=['op_builder', 'tests*'])"],
    ["find_packages('src') with package_dir", "setup(package_dir={'': 'src'}, packages=find_packages('src'))\n", ["lib", "lib_extra"], "setup.py: find_packages('src')"],
    ["setuptools.find_namespace_packages(where=...)", "import setuptools\nsetuptools.setup(packages=setuptools.find_namespace_packages(where='src', include=['lib']))\n", ["lib"], "setup.py: setuptools.find_namespace_packages(where='src', include=['lib'])"],
    ["a literal list", "setup(packages=['accelerator', 'accelerator.real'])\n", ["accelerator"], "setup.py: packages=[...]"],
    ["a list assigned above, under __main__", "PKGS = ['op_builder']\nif __name__ == '__main__':\n    setup(packages=PKGS)\n", ["op_builder"], "setup.py: packages=[...]"],
    ["py_modules", "setup(py_modules=['tool'])\n", ["tool"], "setup.py: py_modules=[...]"],
  ])("%s", async (_what, source, roots, declared) => {
    const d = fromSetupPy((await pythonParser()).parse(source).rootNode)!;
    expect(d.source).toBe(declared);
    expect(declaredRoots(d, TREE).map((r) => r.name)).toEqual(roots);
  });

  it("says nothing when the packages are computed", async () => {
    const parser = await pythonParser();
    expect(fromSetupPy(parser.parse("setup(packages=get_packages())\n").rootNode)).toBeNull();
    expect(fromSetupPy(parser.parse("print('no setup call')\n").rootNode)).toBeNull();
  });
});

describe("steward api surface: which packages", () => {
  const root = tempDir();
  const repo = join(root, "repo");
  beforeAll(async () => {
    const b = new HistoryBuilder();
    const files = {
      "deepspeed/__init__.py": text(["def init():", "    pass"]),
      "op_builder/__init__.py": text(["def build():", "    pass"]),
      "setup.py": text(["from setuptools import setup, find_packages", "setup(packages=find_packages(include=['deepspeed', 'deepspeed.*']))"]),
    };
    b.tag("declared", b.commit({ branch: "main", message: "declared", author: up("2024-01-01T00:00:00Z"), files }));
    // setup.py names a package that is not in the tree: the layout decides, and a warning says so.
    b.tag("stale", b.commit({ branch: "main", message: "stale", author: up("2024-02-01T00:00:00Z"), files: { "setup.py": text(["from setuptools import setup", "setup(packages=['gone'])"]) } }));
    b.tag("layout", b.commit({ branch: "main", message: "layout", author: up("2024-03-01T00:00:00Z"), files: { "setup.py": null } }));
    await b.write(repo);
  });

  it.each([
    ["declared", ["deepspeed"], "setup.py: find_packages(include=['deepspeed', 'deepspeed.*'])", []],
    ["stale", ["deepspeed", "op_builder"], "layout: top-level directories with an __init__.py", ["setup.py: packages=[...]: no such package at stale; packages found from the tree's layout instead"]],
    ["layout", ["deepspeed", "op_builder"], "layout: top-level directories with an __init__.py", []],
  ])("at %s", async (ref, packages, from, warnings) => {
    const s = await apiSurface({ repo, ref });
    expect([s.packages, s.packagesFrom, s.warnings]).toEqual([packages, from, warnings]);
  });

  it("--package overrides what setup.py declares", async () => {
    const s = await apiSurface({ repo, ref: "declared", packages: ["op_builder"] });
    expect([s.packages, s.packagesFrom, s.objects.map((o) => o.path)]).toEqual([["op_builder"], "--package", ["op_builder", "op_builder.build"]]);
  });
});
