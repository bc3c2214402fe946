import { spawnSync } from "node:child_process";
import { join, resolve } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { HistoryBuilder } from "../../src/git/builder.js";
import { moduleFacts, type Def, type ModuleFacts } from "../../src/python/facts.js";
import { loadParser } from "../../src/python/parser.js";
import { tempDir, text, up } from "../helpers/git.js";

/** One module exercising every fact the Python layer extracts. */
const SOURCE = [
  '"""Module doc."""',
  'from __future__ import annotations',
  'import os.path',
  'from . import sibling',
  'from ..up import thing as other',
  'from .sub.mod import *',
  '__all__ = ["Engine", "run"]',
  '__all__ += ["extra"]',
  'VERSION: str = "1.0"',
  '',
  '@dataclass(frozen=True)',
  'class Engine(Base, metaclass=Meta):',
  '    """An engine."""',
  '    kind = "x"',
  '    limit: int = 3',
  '',
  '    def __init__(self, model, *, lr=0.1):',
  '        self.model = model',
  '        if lr:',
  '            self.lr: float = lr',
  '        self._private = 1',
  '',
  '    @property',
  '    def name(self) -> str:',
  '        return "e"',
  '',
  '    @name.setter',
  '    def name(self, v):',
  '        pass',
  '',
  '    @staticmethod',
  '    def make(a, b=2):',
  '        return Engine(a)',
  '',
  '    class Inner:',
  '        pass',
  '',
  'try:',
  '    from fast import run',
  'except ImportError:',
  '    def run(x, /, y, *args, z: int = 1, **kw) -> None:',
  '        helper(x, 2, key=y, **kw)',
  '        obj.method(1)',
  '',
  'if TYPE_CHECKING:',
  '    import torch'
].join("\n") + "\n";

/** Facts as plain data (maps become objects), to compare whole objects. */
function plain(f: ModuleFacts): unknown {
  const def = (d: Def): unknown => ({ ...d, ...(d.members ? { members: Object.fromEntries([...d.members].map(([k, v]) => [k, def(v)])) } : {}) });
  return { ...f, defs: Object.fromEntries([...f.defs].map(([k, v]) => [k, def(v)])) };
}

const P = (name: string, kind: string, d: string | null = null, annotation: string | null = null) => ({ name, kind, default: d, annotation });
const V = (name: string, line: number) => ({ kind: "variable", name, line, decorators: [], deprecations: [] });

const EXPECTED = {
  defs: {
    VERSION: V("VERSION", 9),
    Engine: {
      kind: "class",
      name: "Engine",
      line: 12,
      decorators: ["dataclass(frozen=True)"],
      // The metaclass keyword is not a base.
      bases: ["Base"],
      members: {
        kind: V("kind", 14),
        limit: V("limit", 15),
        __init__: { kind: "function", name: "__init__", line: 17, decorators: [], params: [P("self", "positional-or-keyword"), P("model", "positional-or-keyword"), P("lr", "keyword-only", "0.1")], deprecations: [] },
        // Instance attributes assigned in __init__, also under a condition and annotated; private ones are kept here (the surface drops them).
        model: V("model", 18),
        lr: V("lr", 20),
        _private: V("_private", 21),
        // The getter stands for the property; its setter does not replace it.
        name: { kind: "function", name: "name", line: 24, decorators: ["property"], params: [P("self", "positional-or-keyword")], returns: "str", deprecations: [], property: true },
        make: { kind: "function", name: "make", line: 32, decorators: ["staticmethod"], params: [P("a", "positional-or-keyword"), P("b", "positional-or-keyword", "2")], deprecations: [] },
        Inner: { kind: "class", name: "Inner", line: 35, decorators: [], bases: [], members: {}, deprecations: [] },
      },
      deprecations: [],
    },
    // Defined in an except clause: a conditional definition still defines the name.
    run: {
      kind: "function",
      name: "run",
      line: 41,
      decorators: [],
      params: [P("x", "positional-only"), P("y", "positional-or-keyword"), P("args", "var-positional"), P("z", "keyword-only", "1", "int"), P("kw", "var-keyword")],
      returns: "None",
      forwardsKwargs: true,
      deprecations: [],
    },
  },
  // A literal __all__ and its += extension.
  all: ["Engine", "run", "extra"],
  imports: [
    { module: "os.path", level: 0, name: null, alias: "os", line: 3 },
    { module: "", level: 1, name: "sibling", alias: "sibling", line: 4 },
    { module: "up", level: 2, name: "thing", alias: "other", line: 5 },
    { module: "sub.mod", level: 1, name: "*", alias: "*", line: 6 },
    { module: "fast", level: 0, name: "run", alias: "run", line: 39 },
    { module: "torch", level: 0, name: null, alias: "torch", line: 46 },
  ],
  calls: [
    { callee: "Engine", line: 33, positional: 1, keywords: [], splat: false },
    { callee: "helper", line: 42, positional: 2, keywords: ["key"], splat: true },
    { callee: "obj.method", line: 43, positional: 1, keywords: [], splat: false },
  ],
  deprecations: [],
  errors: [],
  python2: [],
};

describe("syntax facts of a module", () => {
  it.each(["native", "wasm"] as const)("the %s binding gives every fact, as whole objects", async (binding) => {
    const parser = await loadParser(binding);
    expect(parser.binding).toBe(binding);
    expect(plain(moduleFacts(parser.parse(SOURCE).rootNode, { calls: true }))).toEqual(EXPECTED);
  });

  it("collects call sites only when asked (the API surface does not need them)", async () => {
    const parser = await loadParser("native");
    expect(moduleFacts(parser.parse(SOURCE).rootNode).calls).toEqual([]);
  });
});

describe("the WebAssembly fallback", () => {
  const root = tempDir();
  const repo = join(root, "repo");
  beforeAll(async () => {
    const b = new HistoryBuilder();
    const v1 = b.commit({ branch: "main", message: "v1", author: up("2024-01-01T00:00:00Z"), files: { "pkg/__init__.py": text(SOURCE.split("\n")) } });
    b.tag("v1", v1);
    const v2 = b.commit({ branch: "main", message: "v2", author: up("2024-02-01T00:00:00Z"), files: { "pkg/__init__.py": text(SOURCE.replace("def make(a, b=2):", "def make(a, b):").replace("kind = ", "# kind = ").split("\n")) } });
    b.tag("v2", v2);
    await b.write(repo);
  });

  it("STEWARD_TREE_SITTER=wasm gives the CLI the same diff as the native binding", () => {
    const run = (binding: string) => spawnSync(process.execPath, [resolve("dist/cli/main.js"), "api", "diff", "--repo", repo, "v1", "v2", "--json"], { encoding: "utf8", env: { ...process.env, NO_COLOR: "1", STEWARD_TREE_SITTER: binding } });
    const native = run("native");
    const wasm = run("wasm");
    expect([native.status, wasm.status, wasm.stderr]).toEqual([0, 0, ""]);
    const diff = JSON.parse(native.stdout) as { breaking: { object: string; kind: string }[] };
    expect(diff.breaking.map((b) => [b.object, b.kind])).toEqual([
      ["pkg.Engine.kind", "object-removed"],
      ["pkg.Engine.make", "signature-changed"],
    ]);
    expect(wasm.stdout).toBe(native.stdout);
  });
});

describe("a module's script block", () => {
  it("defines nothing importable under if __name__ == \"__main__\" (either side, either quote); another if still does", async () => {
    const parser = await loadParser("native");
    const src = [
      "def api():",
      "    pass",
      'if __name__ == "__main__":',
      "    class TestDataset:",
      "        pass",
      "    helper = 1",
      "if '__main__' == __name__:",
      "    def script_only():",
      "        pass",
      "if TYPE_CHECKING:",
      "    Kept = int",
      'if __name__ != "__main__":',
      "    imported_only = 1",
    ].join("\n");
    const defs = [...moduleFacts(parser.parse(src).rootNode).defs.keys()].sort();
    expect(defs).toEqual(["Kept", "api", "imported_only"]);
  });
});

describe("class attributes set from methods", () => {
  it("through a classmethod's cls or the class's own name are members; through another class's name are not", async () => {
    const parser = await loadParser("native");
    const src = [
      "class Engine:",
      "    def patch(self):",
      "        Engine.linear_bk = self.forward",
      "        Other.elsewhere = 1",
      "    @classmethod",
      "    def reset(cls):",
      "        cls.registry = {}",
      "    @staticmethod",
      "    def tune():",
      "        Engine.tuned = True",
    ].join("\n");
    const engine = moduleFacts(parser.parse(src).rootNode).defs.get("Engine")!;
    expect([...(engine.members?.keys() ?? [])].sort()).toEqual(["linear_bk", "patch", "registry", "reset", "tune", "tuned"]);
  });
});
