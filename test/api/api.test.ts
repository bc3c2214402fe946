import { spawnSync } from "node:child_process";
import { join, resolve } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { apiDiff, apiHistory, apiImpact, apiSurface } from "../../src/analyzers/api/index.js";
import { signatureParts } from "../../src/analyzers/api/diff.js";
import { HistoryBuilder } from "../../src/git/builder.js";
import { moduleFacts } from "../../src/python/facts.js";
import { loadParser, pythonParser } from "../../src/python/parser.js";
import { copyWithoutBlobs, tempDir, text, up } from "../helpers/git.js";
import { expectMatchesSchema } from "../helpers/schema.js";

const root = tempDir();

const repo = join(root, "upstream");
const downstream = join(root, "plugin");

const CORE_V1 = [
  "import warnings",
  "from typing_extensions import deprecated",
  "",
  "def run(a, b, c=1):",
  "    return a",
  "",
  "def helper(x):",
  "    return x",
  "",
  "def old_fn(x):",
  '    warnings.warn("old_fn is deprecated, use run", DeprecationWarning)',
  "    return x",
  "",
  "def renamed(src, dst):",
  "    return src",
  "",
  "def moved_param(a, b, c):",
  "    return a",
  "",
  "def kind_change(a, b):",
  "    return a",
  "",
  "def req_added(a):",
  "    return a",
  "",
  "def default_removed(a, b=1):",
  "    return a",
  "",
  "def varargs(a, *args, **kw):",
  "    return a",
  "",
  "def kwargs_absorbed(a, verbose=False, **kwargs):",
  "    return a",
  "",
  "def kwargs_forwarded(a, verbose=False, **kwargs):",
  "    return a",
  "",
  "class Base:",
  "    pass",
  "",
  "class Engine(Base):",
  "    def __init__(self, model):",
  "        self.model = model",
  "",
  "    def step(self, lr, momentum=0.9):",
  "        return lr",
  "",
  "    def deprecated_method(self):",
  '        """Deprecated: use step."""',
  "        return None",
  "",
  '@deprecated("use run")',
  "def legacy(x):",
  "    return x",
  "",
  "CONST = 1",
  "",
  "def retyped(x: int = 1) -> int:",
  "    return x",
];

const CORE_V2 = [
  "import warnings",
  "",
  "def run(a, b, c=1, d=None):",
  "    if c != 1:",
  "        warnings.warn(\"'c' is deprecated\", DeprecationWarning)",
  "    return a",
  "",
  "def renamed(source, dst):",
  "    return source",
  "",
  "def moved_param(b, a, c):",
  "    return a",
  "",
  "def kind_change(a, *, b):",
  "    return a",
  "",
  "def req_added(a, b):",
  "    return a",
  "",
  "def default_removed(a, b):",
  "    return a",
  "",
  "def varargs(a):",
  "    return a",
  "",
  "def kwargs_absorbed(a, **kwargs):",
  "    return a",
  "",
  "def inner(a, **kwargs):",
  "    return a",
  "",
  "def kwargs_forwarded(a, **kwargs):",
  "    return inner(a, **kwargs)",
  "",
  "class Engine:",
  "    def __init__(self, model):",
  "        self.model = model",
  "",
  "    def step(self, lr):",
  "        return lr",
  "",
  "def CONST():",
  "    return 1",
  "",
  "def fresh(x):",
  "    return x",
  "",
  "def retyped(x: float = 2) -> float:",
  "    return x",
];

const INIT_V1 = ["from .core import run, helper, old_fn, renamed, moved_param, kind_change, req_added, default_removed, varargs, kwargs_absorbed, kwargs_forwarded, Engine, legacy, CONST, retyped", "from ._impl import secret as api"];
const INIT_V2 = ["from .core import run, renamed, moved_param, kind_change, req_added, default_removed, varargs, kwargs_absorbed, kwargs_forwarded, Engine, CONST, fresh, retyped", "from .core import api"];

beforeAll(async () => {
  const b = new HistoryBuilder();
  const v1 = b.commit({
    branch: "main",
    message: "v1",
    author: up("2024-01-01T00:00:00Z"),
    files: {
      "pkg/__init__.py": text(INIT_V1),
      "pkg/core.py": text(CORE_V1),
      "pkg/_impl.py": text(["def secret(x):", "    return x"]),
      "pkg/py2.py": text(["def ok():", "    pass", 'print "hello"', "def after(x):", "    return x"]),
      "pkg/broken.py": text(["def good():", "    pass", "def bad(x:", "    pass"]),
      // A generated table over the size limit: skipped, and said so.
      "pkg/generated.py": `TABLE = [\n${"    0,\n".repeat(200_000)}]\n`,
      "pkg/latin.py": Buffer.from("# caf\xe9\nx = 1\n", "latin1"),
      "tests/test_core.py": text(["def test_run():", "    pass"]),
      "setup.py": text(["from setuptools import setup", "setup(name='pkg')"]),
    },
  });
  b.tag("v1", v1);
  // v2 moves the private secret into core (still exported as pkg.api: no break), and changes the rest.
  const v2 = b.commit({ branch: "main", message: "v2", author: up("2024-04-01T00:00:00Z"), files: { "pkg/__init__.py": text(INIT_V2), "pkg/core.py": text([...CORE_V2, "", "def api(x):", "    return x"]), "pkg/_impl.py": null } });
  b.tag("v2", v2);
  // v3 drops run's parameter c, deprecated since v2.
  const v3 = b.commit({ branch: "main", message: "v3", author: up("2024-07-01T00:00:00Z"), files: { "pkg/core.py": text([...CORE_V2.join("\n").replace("def run(a, b, c=1, d=None):", "def run(a, b, d=None):").split("\n"), "", "def api(x):", "    return x"]) } });
  b.tag("v3", v3);
  await b.write(repo);

  const d = new HistoryBuilder();
  d.commit({
    branch: "main",
    message: "plugin",
    author: up("2024-05-01T00:00:00Z"),
    files: {
      "plugin/ops.py": text([
        "from pkg import renamed, req_added, helper, kwargs_forwarded",
        "from pkg.core import Engine",
        "import pkg._impl as impl",
        "",
        'renamed(src="a", dst="b")',
        'renamed("a", "b")',
        "req_added(1)",
        "helper(3)",
        "kwargs_forwarded(1, verbose=True)",
        "opts = dict(x=1)",
        "req_added(**opts)",
      ]),
    },
  });
  await d.write(downstream);
});

describe("the Python layer", () => {
  it.each(["native", "wasm"] as const)("parses signatures with every parameter kind (%s binding)", async (binding) => {
    const parser = await loadParser(binding);
    expect(parser.binding).toBe(binding);
    const f = moduleFacts(parser.parse("from .core import A, B as C\nimport x.y as z\ndef f(a, b=1, /, c=2, *args, d: int, e=3, **kw):\n    pass\n").rootNode);
    expect(f.imports.map((i) => [i.module, i.level, i.name, i.alias])).toEqual([
      ["core", 1, "A", "A"],
      ["core", 1, "B", "C"],
      ["x.y", 0, null, "z"],
    ]);
    expect(f.defs.get("f")!.params).toEqual([
      { name: "a", kind: "positional-only", default: null, annotation: null },
      { name: "b", kind: "positional-only", default: "1", annotation: null },
      { name: "c", kind: "positional-or-keyword", default: "2", annotation: null },
      { name: "args", kind: "var-positional", default: null, annotation: null },
      { name: "d", kind: "keyword-only", default: null, annotation: "int" },
      { name: "e", kind: "keyword-only", default: "3", annotation: null },
      { name: "kw", kind: "var-keyword", default: null, annotation: null },
    ]);
  });

  it.each([
    ["warnings.warn with DeprecationWarning", 'def f():\n    warnings.warn("f is deprecated", DeprecationWarning)\n', "warnings.warn", undefined],
    ["FutureWarning about one parameter", "def f(a, old=None):\n    if old is not None:\n        warnings.warn('old is going away', FutureWarning)\n", "warnings.warn", "old"],
    ["@deprecated (PEP 702)", '@deprecated("use g")\ndef f():\n    pass\n', "@deprecated", undefined],
    ["@deprecation.deprecated", "@deprecation.deprecated(deprecated_in='1.0')\ndef f():\n    pass\n", "@deprecated", undefined],
    ["a deprecate* helper", 'def f():\n    deprecate("f", "2.0")\n', "deprecate-helper", undefined],
    ["a .. deprecated:: directive", 'def f():\n    """Do f.\n\n    .. deprecated:: 1.2\n    """\n', "docstring-directive", undefined],
    ["prose in the docstring", 'def f():\n    """This function is deprecated."""\n', "docstring", undefined],
    ["logger.warning mentioning deprecation (weak)", 'def f():\n    logger.warning("f() is deprecated")\n', "logger-warning", undefined],
    ["a deprecate_kwarg helper", 'def f(x):\n    deprecate_kwarg("x", "2.0")\n', "deprecate-helper", "x"],
  ])("recognises %s", async (_what, source, marker, param) => {
    const f = moduleFacts((await pythonParser()).parse(source).rootNode);
    expect(f.defs.get("f")!.deprecations.map((d) => [d.marker, d.param])).toEqual([[marker, param]]);
  });

  it("does not take a mention of deprecated fields for a deprecation, nor a UserWarning, nor a check of deprecated fields", async () => {
    const f = moduleFacts((await pythonParser()).parse('def f():\n    """Allows deprecated fields."""\n    warnings.warn("careful", UserWarning)\n    self._deprecated_fields_check(self)\n').rootNode);
    expect(f.defs.get("f")!.deprecations).toEqual([]);
  });

  it.each([
    ["a heading that opens with Deprecated (DeepSpeed's config base class)", '"""Base of all configs.\n\n    Deprecated Field kwargs:\n    - deprecated: [True|False]\n    """', []],
    ["Deprecated: as a notice", '"""Deprecated: use g."""', ["docstring"]],
    ["Deprecated since", '"""Do f.\n\n    Deprecated since 1.2, use g.\n    """', ["docstring"]],
    ["DEPRECATED alone on a line", '"""DEPRECATED\n\n    Use g.\n    """', ["docstring"]],
  ])("docstring prose: %s", async (_what, doc, markers) => {
    const f = moduleFacts((await pythonParser()).parse(`def f():\n    ${doc}\n`).rootNode);
    expect(f.defs.get("f")!.deprecations.map((d) => d.marker)).toEqual(markers);
  });

  it.each([
    // DeepSpeed's DeepSpeedEngine.backward: the notice documents one argument, the function stays.
    ["an argument's entry (Google style)", '"""Backward.\n    Arguments:\n        loss: the loss\n        allreduce_gradients: is deprecated, ignored, and will soon be removed\n    """', "allreduce_gradients", 5, "allreduce_gradients: is deprecated, ignored, and will soon be removed"],
    ["a continuation line of an entry", '"""Backward.\n\n    Args:\n        old (bool): whether to sync.\n            This argument is deprecated.\n    """', "old", 6, "This argument is deprecated."],
    [":param name: (Sphinx style)", '"""Backward.\n\n    :param old: is deprecated, use loss.\n    """', "old", 4, ":param old: is deprecated, use loss."],
    ["prose about the function", '"""Backward.\n\n    This function is deprecated; use step.\n    """', undefined, 4, "This function is deprecated; use step."],
  ])("docstring prose about %s", async (_what, doc, param, line, message) => {
    const f = moduleFacts((await pythonParser()).parse(`def f(loss, old=None, allreduce_gradients=True):\n    ${doc}\n`).rootNode);
    expect(f.defs.get("f")!.deprecations).toEqual([{ marker: "docstring", line, message, ...(param ? { param } : {}) }]);
  });
});

describe("signature parts (no cascades)", () => {
  const P = (name: string, kind = "positional-or-keyword", d: string | null = null) => ({ name, kind: kind as "positional-or-keyword", default: d, annotation: null });
  it("inserting a parameter is one shift, not a cascade; removing one is one part", () => {
    expect(signatureParts([P("a"), P("b"), P("c")], [P("a"), P("x", "positional-or-keyword", "1"), P("b"), P("c")], false).parts).toEqual([
      { kind: "parameter-moved", name: "b", to: "position 3 (was 2): new 'x' before it; 1 later parameter(s) shift too" },
    ]);
    // Appended at the end, or keyword-only: nothing moves.
    expect(signatureParts([P("a"), P("b")], [P("a"), P("b"), P("x", "positional-or-keyword", "1"), P("y", "keyword-only", "2")], false).parts).toEqual([]);
    expect(signatureParts([P("a"), P("b"), P("c"), P("d")], [P("a"), P("c"), P("d")], false).parts).toEqual([{ kind: "parameter-removed", name: "b" }]);
    expect(signatureParts([P("a"), P("b"), P("c")], [P("b"), P("a"), P("c")], false).parts).toEqual([{ kind: "parameter-moved", name: "a", to: "position 2" }]);
  });
});

describe("steward api diff", () => {
  it("finds each kind of break with its parts and deprecation verdict", async () => {
    const r = await apiDiff({ repo, from: "v1", to: "v2" });
    const rows = r.breaking.map((b) => [b.object, b.kind, b.parts.map((p) => `${p.kind}:${p.name}${p.to ? `>${p.to}` : ""}${p.weak ? ":weak" : ""}`), b.deprecation.verdict, b.deprecation.markers.map((m) => m.marker)]);
    // The definition's own path is the finding's object; re-export paths are its aliases (removals too: one finding per definition).
    expect(rows).toEqual([
      ["pkg.core.Base", "object-removed", [], "unannounced", []],
      ["pkg.core.CONST", "object-kind-changed", [], "unannounced", []],
      ["pkg.core.Engine", "base-removed", ["base-removed:pkg.core.Base"], "unannounced", []],
      ["pkg.core.Engine.deprecated_method", "object-removed", [], "announced", ["docstring"]],
      ["pkg.core.Engine.step", "signature-changed", ["parameter-removed:momentum"], "unannounced", []],
      ["pkg.core.default_removed", "signature-changed", ["default-removed:b"], "unannounced", []],
      ["pkg.core.helper", "object-removed", [], "unannounced", []],
      ["pkg.core.kind_change", "signature-changed", ["parameter-kind-changed:b>keyword-only"], "unannounced", []],
      ["pkg.core.kwargs_absorbed", "signature-changed", ["parameter-absorbed-by-kwargs:verbose>**kwargs"], "unannounced", []],
      ["pkg.core.kwargs_forwarded", "signature-changed", ["parameter-absorbed-by-kwargs:verbose>**kwargs (forwarded):weak"], "unannounced", []],
      ["pkg.core.legacy", "object-removed", [], "announced", ["@deprecated"]],
      ["pkg.core.moved_param", "signature-changed", ["parameter-moved:a>position 2"], "unannounced", []],
      ["pkg.core.old_fn", "object-removed", [], "announced", ["warnings.warn"]],
      ["pkg.core.renamed", "signature-changed", ["parameter-renamed:src>source"], "unannounced", []],
      ["pkg.core.req_added", "signature-changed", ["required-parameter-added:b>positional-or-keyword"], "unannounced", []],
      // Calls still bind: weak parts, as griffe's "default changed" and annotation changes.
      ["pkg.core.retyped", "signature-changed", ["default-changed:x>2:weak", "annotation-changed:x>float:weak", "return-annotation-changed:return>float:weak"], "unannounced", []],
      ["pkg.core.varargs", "signature-changed", ["var-positional-removed:args", "var-keyword-removed:kw"], "unannounced", []],
    ]);
    expect(r.breaking.find((b) => b.object === "pkg.core.helper")!.aliases).toEqual(["pkg.helper"]);
    expect(r.breaking.find((b) => b.object === "pkg.core.Engine.deprecated_method")!.aliases).toEqual(["pkg.Engine.deprecated_method"]);
    // Re-exported as pkg.X and defined as pkg.core.X: one signature finding, the other path an alias.
    expect(r.breaking.find((b) => b.object === "pkg.core.renamed")!.aliases).toEqual(["pkg.renamed"]);
    // pkg.api moved from a private module into core, still exported: no break.
    expect(r.breaking.some((b) => b.object === "pkg.api")).toBe(false);
    expect(r.additions.filter((a) => a.object === "pkg.fresh" || a.object === "pkg.run").map((a) => [a.object, a.kind, a.parts])).toEqual([
      ["pkg.fresh", "object-added", []],
      ["pkg.run", "parameter-added", [{ name: "d", kind: "positional-or-keyword" }]],
    ]);
    // One entry per marker, re-export paths as aliases.
    expect(r.deprecations).toEqual([{ object: "pkg.run", param: "c", marker: "warnings.warn", file: "pkg/core.py", line: 5, message: "\"'c' is deprecated\"", aliases: ["pkg.core.run"] }]);
    expect(r.suggestedBump).toBe("major");
    const old = r.breaking.find((b) => b.object === "pkg.core.old_fn")!.deprecation;
    expect(old).toEqual({ verdict: "announced", strength: "strong", markers: [{ marker: "warnings.warn", object: "pkg.core.old_fn", file: "pkg/core.py", line: 11, message: '"old_fn is deprecated, use run"', since: "v1" }], graceReleases: 1, graceDays: 91 });
    // Each ref says what it could not read; unchanged files say it at both.
    expect(r.warnings).toEqual([
      "v1: pkg/broken.py:3: syntax error; read what parses",
      "v1: pkg/generated.py: 1400012 bytes, over the 1048576-byte limit for Python files; not read",
      "v1: pkg/latin.py: not UTF-8; not read",
      "v1: pkg/py2.py:3: Python 2 syntax (print or exec statement); read what parses",
      "v2: pkg/broken.py:3: syntax error; read what parses",
      "v2: pkg/generated.py: 1400012 bytes, over the 1048576-byte limit for Python files; not read",
      "v2: pkg/latin.py: not UTF-8; not read",
      "v2: pkg/py2.py:3: Python 2 syntax (print or exec statement); read what parses",
    ]);
    await expectMatchesSchema("api-diff", r);
  });

  it("a module whose blob is missing is skipped with a warning; the rest of the surface stands", async () => {
    const copy = copyWithoutBlobs(repo, join(root, "missing"), "v1", ["pkg/py2.py"]);
    const s = await apiSurface({ repo: copy, ref: "v1" });
    expect(s.coverage).toEqual({ files: s.coverage.files, missing: 1, missingPaths: ["pkg/py2.py"], promisor: null, fetched: 0 });
    expect(s.coverage.files).toBeGreaterThan(1);
    expect(s.warnings).toContain(`INCOMPLETE: 1 of ${s.coverage.files} files not read (blobs absent from this partial clone or object store): pkg/py2.py`);
    expect(s.objects.some((o) => o.path === "pkg.py2")).toBe(false);
    expect(s.objects.some((o) => o.path === "pkg.renamed")).toBe(true);
  });

  it("the surface excludes tests and setup scripts, keeps what parses in a Python 2 file", async () => {
    const s = await apiSurface({ repo, ref: "v1" });
    expect(s.packages).toEqual(["pkg"]);
    expect(s.objects.filter((o) => o.path.startsWith("pkg.py2")).map((o) => o.path)).toEqual(["pkg.py2", "pkg.py2.after", "pkg.py2.ok"]);
    expect(s.objects.find((o) => o.path === "pkg.api")).toMatchObject({ kind: "function", aliasOf: "pkg._impl.secret", file: "pkg/_impl.py" });
    expect(s.objects.some((o) => o.file.startsWith("tests/") || o.path.startsWith("pkg._impl"))).toBe(false);
    await expectMatchesSchema("api-surface", s);
  });
});

describe("steward api history", () => {
  it("dates each break's announcement and grace across releases", async () => {
    const h = await apiHistory({ repo, patterns: ["refs/tags/v*"] });
    expect(h.releases.map((r) => [r.ref, r.breaking, r.announced, r.announcedShare, r.medianGraceReleases, r.medianGraceDays])).toEqual([
      ["refs/tags/v1", 0, 0, null, null, null],
      ["refs/tags/v2", 17, 3, 0.176, 1, 91],
      // run's c: deprecated in v2 (param-level warning), removed in v3, one release and 91 days later.
      ["refs/tags/v3", 1, 1, 1, 1, 91],
    ]);
    expect(h.releases[2]!.breaks).toEqual([{ object: "pkg.core.run", kind: "signature-changed", verdict: "announced", graceReleases: 1, graceDays: 91 }]);
    await expectMatchesSchema("api-history", h);
  });
});

describe("steward api impact", () => {
  it("finds the downstream calls and imports that break, and its private coupling", async () => {
    const r = await apiImpact({ repo, from: "v1", to: "v2", downstreams: [downstream] });
    const d = r.downstreams[0]!;
    // A hit names the definition, and the path the downstream wrote when it is another (it imports pkg's re-exports).
    expect(d.hits.map((h) => [h.line, h.use, h.object, h.via ?? null, h.breaks, h.why])).toEqual([
      [1, "import", "pkg.core.helper", "pkg.helper", true, "no longer importable"],
      [5, "call", "pkg.core.renamed", "pkg.renamed", true, "keyword 'src' is no longer accepted"],
      [6, "call", "pkg.core.renamed", "pkg.renamed", false, "the call still binds to the new signature"],
      [7, "call", "pkg.core.req_added", "pkg.req_added", true, "required 'b' not given"],
      [8, "call", "pkg.core.helper", "pkg.helper", true, "object removed"],
      [9, "call", "pkg.core.kwargs_forwarded", "pkg.kwargs_forwarded", false, "the call still binds to the new signature"],
      [11, "call", "pkg.core.req_added", "pkg.req_added", "unknown", "*args or **kwargs at the call"],
    ]);
    expect(d.privateCoupling).toEqual([{ file: "plugin/ops.py", line: 3, path: "pkg._impl" }]);
    await expectMatchesSchema("api-impact", r);
  });
});

describe("steward api CLI", () => {
  const cli = (...args: string[]) => spawnSync(process.execPath, [resolve("dist/cli/main.js"), ...args], { encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
  it("prints the diff", () => {
    const r = cli("api", "diff", "--repo", repo, "v1", "v2");
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^API changes in pkg from v1 to v2: 17 breaking \(3 announced by a deprecation, 14 unannounced, 2 weak\)/);
  });
  it("takes --package before the refs, and each --downstream as PATH[:REF]; JSON from the CLI follows the schemas", async () => {
    const s = cli("api", "surface", "--repo", repo, "--package", "pkg", "v1", "--json");
    expect(s.status).toBe(0);
    const surface = JSON.parse(s.stdout);
    expect([surface.ref, surface.packages, surface.packagesFrom]).toEqual(["v1", ["pkg"], "--package"]);
    await expectMatchesSchema("api-surface", surface);
    const i = cli("api", "impact", "--repo", repo, "--package", "pkg", "v1", "v2", "--downstream", `${downstream}:main`, "--downstream", downstream, "--json");
    expect(i.status).toBe(0);
    const impact = JSON.parse(i.stdout);
    expect(impact.downstreams.map((d: { ref: string; summary: { breaking: number } }) => [d.ref, d.summary.breaking])).toEqual([
      ["main", 4],
      ["HEAD", 4],
    ]);
    await expectMatchesSchema("api-impact", impact);
    const h = cli("api", "history", "--repo", repo, "--tags", "refs/tags/v*", "--json");
    expect(h.status).toBe(0);
    const history = JSON.parse(h.stdout);
    expect([history.packages, history.packagesFrom, history.releases.length]).toEqual([["pkg"], "layout: top-level directories with an __init__.py", 3]);
    await expectMatchesSchema("api-history", history);
  });
  it.each([
    [["api", "diff", "--repo", "REPO", "v1", "nope"], /^steward: unknown ref in .*: nope\n$/],
    [["api", "diff", "--repo", "REPO", "--", "-x", "v2"], /^steward: ref must not start with '-': "-x"\n$/],
    [["api", "impact", "--repo", "REPO", "v1", "v2", "--downstream", "REPO:--output=x"], /^steward: ref must not start with '-': "--output=x"\n$/],
    [["api", "impact", "--repo", "REPO", "v1", "v2", "--downstream", "REPO/no-such-dir"], /^steward: repository path does not exist: .*no-such-dir\n$/],
    [["api", "history", "--repo", "REPO", "--tags", "refs/tags/none*"], /^steward: no ref matches refs\/tags\/none\*\n$/],
    [["api", "surface", "--repo", "REPO", "v1", "--package", "nope"], /^steward: package nope not found at v1 \(looked for nope\/__init__\.py, src\/nope\/__init__\.py, nope\.py\)\n$/],
    [["api", "impact", "--repo", "REPO", "v1", "v2"], /^steward: required option '--downstream <spec>' not specified/],
  ])("bad input %j: one line, exit 2", (args, message) => {
    const r = cli(...args.map((a) => a.replace(/^REPO/, repo)));
    expect([r.status, r.stdout]).toEqual([2, ""]);
    expect(r.stderr).toMatch(message);
  });
});
