import { describe, expect, it } from "vitest";
import { accepts, defaultsOnly, diffSurfaces, signatureParts, unionMembers, type Finding } from "../../src/analyzers/api/diff.js";
import type { ApiObject, ObjectKind, Surface } from "../../src/analyzers/api/surface.js";
import type { Param } from "../../src/python/facts.js";

/**
 * Rules of the API diff, each tried on both sides: the harmless change is not
 * reported and its breaking neighbour is. Inputs are what the diff reads: two
 * surfaces (objects by dotted path, with file, line, signature, bases and
 * decorators) and parameter lists as the Python reader gives them.
 */
type Kind = Param["kind"];
const p = (name: string, kind: Kind = "positional-or-keyword", dflt: string | null = null, annotation: string | null = null): Param => ({ name, kind, default: dflt, annotation });
const parts = (before: Param[], after: Param[]) => signatureParts(before, after, false).parts;

/** An object at `path` defined in `file` at `line`. */
const o = (path: string, kind: ObjectKind, file: string, line: number, extra: Partial<ApiObject> = {}): ApiObject => ({ path, kind, file, line, deprecations: [], ...extra });
const surface = (objects: ApiObject[], importable: string[] = []): Surface => ({
  packages: ["pkg"],
  packagesFrom: "test",
  objects: new Map(objects.map((x) => [x.path, x])),
  importable: new Set(importable),
  modules: objects.filter((x) => x.kind === "module").length,
  coverage: { files: 1, missing: 0, missingPaths: [], promisor: null, fetched: 0 },
  warnings: [],
});
const diff = (from: ApiObject[], to: ApiObject[], importable: string[] = []) => diffSurfaces(surface(from), surface(to, importable));
const pkg = o("pkg", "module", "pkg/__init__.py", 1);

describe("signature: self and cls", () => {
  it("a leading self or cls is not a parameter callers pass; any other leading name is", () => {
    expect(parts([p("self"), p("a")], [p("a")])).toEqual([]);
    expect(parts([p("cls"), p("a")], [p("a")])).toEqual([]);
    expect(parts([p("me"), p("a")], [p("a")])).toEqual([{ kind: "parameter-removed", name: "me" }]);
  });
  it("a parameter named self that is not the first is an ordinary parameter", () => {
    expect(parts([p("a"), p("self")], [p("a")])).toEqual([{ kind: "parameter-removed", name: "self" }]);
  });
  it("a function without parameters at both releases has no part", () => {
    expect(signatureParts([], [], false)).toEqual({ parts: [], added: [] });
  });
});

describe("signature: *args and **kwargs are told apart", () => {
  it("*args replaced by **kwargs removes *args; **kwargs replaced by *args removes **kwargs", () => {
    expect(parts([p("args", "var-positional")], [p("kw", "var-keyword")])).toEqual([{ kind: "var-positional-removed", name: "args" }]);
    expect(parts([p("kw", "var-keyword")], [p("args", "var-positional")])).toEqual([{ kind: "var-keyword-removed", name: "kw" }]);
  });
  it("a parameter absorbed by a new **kwargs is weak only when the function forwards its kwargs", () => {
    expect(signatureParts([p("a")], [p("kw", "var-keyword")], true).parts).toEqual([{ kind: "parameter-absorbed-by-kwargs", name: "a", weak: true, to: "**kwargs (forwarded)" }]);
    expect(signatureParts([p("a")], [p("kw", "var-keyword")], false).parts).toEqual([{ kind: "parameter-absorbed-by-kwargs", name: "a", to: "**kwargs" }]);
  });
});

describe("signature: kinds", () => {
  it("positional-only <-> keyword-only breaks callers both ways; a kind kept is no part", () => {
    expect(parts([p("a", "positional-only")], [p("a", "keyword-only")])).toEqual([{ kind: "parameter-kind-changed", name: "a", to: "keyword-only" }]);
    expect(parts([p("a", "keyword-only")], [p("a", "positional-only")])).toEqual([{ kind: "parameter-kind-changed", name: "a", to: "positional-only" }]);
    expect(parts([p("a", "keyword-only")], [p("a", "keyword-only")])).toEqual([]);
    expect(parts([p("a", "positional-only")], [p("a", "positional-only")])).toEqual([]);
  });
  it("a parameter with a default turned into **kwargs of the same name changes kind; a **kwargs has no default to lose", () => {
    expect(parts([p("a"), p("options", "positional-or-keyword", "None")], [p("a"), p("options", "var-keyword")])).toEqual([{ kind: "parameter-kind-changed", name: "options", to: "var-keyword" }]);
    // The neighbour: made keyword-only without its default, it changes kind and loses its default.
    expect(parts([p("a"), p("options", "positional-or-keyword", "None")], [p("a"), p("options", "keyword-only")])).toEqual([
      { kind: "parameter-kind-changed", name: "options", to: "keyword-only" },
      { kind: "default-removed", name: "options" },
    ]);
  });
});

describe("signature: defaults written differently", () => {
  it("the same string in other quotes, a trailing comma in a list or call, spaces: no part", () => {
    expect(parts([p("a", "positional-or-keyword", "'abc'")], [p("a", "positional-or-keyword", '"abc"')])).toEqual([]);
    expect(parts([p("a", "positional-or-keyword", "[1, 2,]")], [p("a", "positional-or-keyword", "[1, 2]")])).toEqual([]);
    expect(parts([p("a", "positional-or-keyword", "dict(x=1, y=2,)")], [p("a", "positional-or-keyword", "dict(x=1, y=2)")])).toEqual([]);
    expect(parts([p("a", "positional-or-keyword", "1 + 2")], [p("a", "positional-or-keyword", "1+2")])).toEqual([]);
  });
  it("another string, another number: a weak part with both defaults as written", () => {
    expect(parts([p("a", "positional-or-keyword", "'abc'")], [p("a", "positional-or-keyword", '"abd"')])).toEqual([{ kind: "default-changed", name: "a", from: "'abc'", to: '"abd"', weak: true }]);
    expect(parts([p("a", "positional-or-keyword", "[1, 2,]")], [p("a", "positional-or-keyword", "[1, 3]")])).toEqual([{ kind: "default-changed", name: "a", from: "[1, 2,]", to: "[1, 3]", weak: true }]);
  });
});

describe("signature: annotations read as unions", () => {
  it("a parenthesised member is one member: `type(None) | int` is None or int", () => {
    expect([...unionMembers("type(None) | int")].sort()).toEqual(["None", "int"]);
    expect(accepts("type(None) | int", "int")).toBe(true);
    expect(accepts("int", "type(None) | int")).toBe(false);
  });
  it("an Optional followed by more members keeps them all", () => {
    expect([...unionMembers("Optional[int] | str")].sort()).toEqual(["None", "int", "str"]);
    expect(accepts("Optional[int] | str", "str")).toBe(true);
    expect(accepts("Optional[int] | str", "bytes")).toBe(false);
  });
});

describe("signature: positions", () => {
  it("of two swapped positional parameters the first is the one moved (one part, not two)", () => {
    expect(parts([p("a"), p("b")], [p("b"), p("a")])).toEqual([{ kind: "parameter-moved", name: "a", to: "position 2" }]);
  });
  it("a parameter that became keyword-only changed kind: it is not also moved", () => {
    expect(parts([p("a"), p("b"), p("c")], [p("b"), p("c"), p("a", "keyword-only")])).toEqual([{ kind: "parameter-kind-changed", name: "a", to: "keyword-only" }]);
  });
  it("a reordering is reported as moves, without a shift part for a new parameter inserted too", () => {
    expect(parts([p("a"), p("b"), p("c")], [p("x", "positional-or-keyword", "1"), p("c"), p("a"), p("b")])).toEqual([{ kind: "parameter-moved", name: "c", to: "position 2" }]);
  });
  it("optional parameters appended at the end shift nothing, however many", () => {
    expect(parts([p("a")], [p("a"), p("x", "positional-or-keyword", "1"), p("y", "positional-or-keyword", "2")])).toEqual([]);
    expect(parts([p("a"), p("b")], [p("a"), p("b"), p("x", "positional-or-keyword", "1"), p("y", "positional-or-keyword", "2"), p("z", "positional-or-keyword", "3")])).toEqual([]);
  });
  it("a shift names the first shifted parameter and its new position; a single shifted one has no 'later' note", () => {
    expect(parts([p("a"), p("b"), p("c")], [p("a"), p("x", "positional-or-keyword", "1"), p("b"), p("c")])).toEqual([
      { kind: "parameter-moved", name: "b", to: "position 3 (was 2): new 'x' before it; 1 later parameter(s) shift too" },
    ]);
    expect(parts([p("a"), p("b"), p("c")], [p("a"), p("b"), p("x", "positional-or-keyword", "1"), p("c")])).toEqual([{ kind: "parameter-moved", name: "c", to: "position 4 (was 3): new 'x' before it" }]);
  });
});

describe("signature: the fewest moved", () => {
  it("two positional parameters swapped far apart move two, never one that kept its place at either end", () => {
    // f(a, b, c, d, e) -> f(a, d, c, b, e): a longest common order keeps three (a, ·, e), so two moved.
    const names = ["a", "b", "c", "d", "e"];
    const moved = parts(names.map((n) => p(n)), ["a", "d", "c", "b", "e"].map((n) => p(n)));
    expect(moved.map((x) => x.kind)).toEqual(["parameter-moved", "parameter-moved"]);
    expect(moved.map((x) => x.name)).not.toContain("a");
    expect(moved.map((x) => x.name)).not.toContain("e");
    // Nothing reordered: nothing moved.
    expect(parts(names.map((n) => p(n)), names.map((n) => p(n)))).toEqual([]);
  });
});

describe("signature: a keyword-only parameter made positional", () => {
  it("at the end breaks no caller; in front of positional parameters it shifts them (f(1) now binds 1 to it)", () => {
    // def f(a=0, *, k=None) -> def f(a=0, k=None): no caller breaks.
    expect(parts([p("a", "positional-or-keyword", "0"), p("k", "keyword-only", "None")], [p("a", "positional-or-keyword", "0"), p("k", "positional-or-keyword", "None")])).toEqual([]);
    // def f(a=0, *, k=None) -> def f(k=None, a=0): f(1) passed a, now passes k.
    expect(parts([p("a", "positional-or-keyword", "0"), p("k", "keyword-only", "None")], [p("k", "positional-or-keyword", "None"), p("a", "positional-or-keyword", "0")])).toEqual([
      { kind: "parameter-moved", name: "a", to: "position 2 (was 1): new 'k' before it" },
    ]);
  });
});

describe("signature: a shift beside other changes", () => {
  it("is reported with the other parts, and names only the parameters inserted before the shifted one", () => {
    expect(parts([p("a"), p("b", "positional-or-keyword", "1")], [p("x", "positional-or-keyword", "0"), p("a"), p("b", "positional-or-keyword", "2")])).toEqual([
      { kind: "default-changed", name: "b", from: "1", to: "2", weak: true },
      { kind: "parameter-moved", name: "a", to: "position 2 (was 1): new 'x' before it; 1 later parameter(s) shift too" },
    ]);
    expect(parts([p("a")], [p("x", "positional-or-keyword", "0"), p("a"), p("y", "positional-or-keyword", "1")])).toEqual([{ kind: "parameter-moved", name: "a", to: "position 2 (was 1): new 'x' before it" }]);
  });
  it("an annotation kept as written is no part, whatever else changed", () => {
    expect(parts([p("a", "positional-or-keyword", null, "Optional[int]")], [p("a", "positional-or-keyword", "None", "Optional[int]")])).toEqual([]);
    expect(accepts("Optional[int]", "Optional[int]")).toBe(true);
  });
});

describe("signature: what is added", () => {
  it("a new optional parameter is an addition, a new required one a part; a renamed-to name is neither", () => {
    expect(signatureParts([p("a")], [p("a"), p("b", "keyword-only", "1")], false)).toEqual({ parts: [], added: [p("b", "keyword-only", "1")] });
    expect(signatureParts([p("a")], [p("a"), p("b", "keyword-only")], false)).toEqual({ parts: [{ kind: "required-parameter-added", name: "b", to: "keyword-only" }], added: [] });
    expect(signatureParts([p("a")], [p("z", "positional-or-keyword", "1")], false)).toEqual({ parts: [{ kind: "parameter-renamed", name: "a", to: "z" }], added: [] });
  });
});

describe("objects: removed or moved", () => {
  const f = o("pkg.core.run", "function", "pkg/core.py", 3, { params: [] });
  it("a removed object with exactly one new object of the same name and kind moved there; the finding says where", () => {
    expect(diff([pkg, f], [pkg, o("pkg.engine.run", "function", "pkg/engine.py", 7, { params: [] })]).breaking).toEqual([
      { object: "pkg.core.run", kind: "object-moved", parts: [], file: "pkg/core.py", line: 3, to: { path: "pkg.engine.run", file: "pkg/engine.py", line: 7 } },
    ]);
  });
  it("two candidates, a candidate of another kind, or none: removed", () => {
    const removed = [{ object: "pkg.core.run", kind: "object-removed", parts: [], file: "pkg/core.py", line: 3 }];
    expect(diff([pkg, f], [pkg, o("pkg.a.run", "function", "pkg/a.py", 1, { params: [] }), o("pkg.b.run", "function", "pkg/b.py", 1, { params: [] })]).breaking).toEqual(removed);
    expect(diff([pkg, f], [pkg, o("pkg.a.run", "class", "pkg/a.py", 1)]).breaking).toEqual(removed);
    expect(diff([pkg, f], [pkg]).breaking).toEqual(removed);
  });
  it("an object of the same name that existed already is no destination", () => {
    const other = o("pkg.other.run", "function", "pkg/other.py", 2, { params: [] });
    expect(diff([pkg, f, other], [pkg, other]).breaking).toEqual([{ object: "pkg.core.run", kind: "object-removed", parts: [], file: "pkg/core.py", line: 3 }]);
  });
});

describe("objects: members of a removed class or module", () => {
  it("are one finding with the class or module; an object whose name only starts like it is its own finding", () => {
    const from = [
      pkg,
      o("pkg.A", "class", "pkg/a.py", 1, { bases: [] }),
      o("pkg.A.m", "method", "pkg/a.py", 2, { params: [p("self")] }),
      o("pkg.A.x", "attribute", "pkg/a.py", 3),
      o("pkg.A_b", "function", "pkg/a.py", 5, { params: [] }),
      o("pkg.sub", "module", "pkg/sub.py", 1),
      o("pkg.sub.f", "function", "pkg/sub.py", 1, { params: [] }),
    ];
    expect(diff(from, [pkg]).breaking.map((x) => [x.object, x.kind])).toEqual([
      ["pkg.A", "object-removed"],
      ["pkg.A_b", "object-removed"],
      ["pkg.sub", "object-removed"],
    ]);
  });
});

describe("objects: members of a removed class or module, in any surface order", () => {
  it("members listed before their class in the surface are still one finding with it", () => {
    const from = [o("pkg.A.m", "method", "pkg/a.py", 2, { params: [p("self")] }), o("pkg.sub.f", "function", "pkg/sub.py", 1, { params: [] }), o("pkg.A", "class", "pkg/a.py", 1, { bases: [] }), o("pkg.sub", "module", "pkg/sub.py", 1), pkg];
    expect(diff(from, [pkg]).breaking.map((x) => [x.object, x.kind])).toEqual([
      ["pkg.A", "object-removed"],
      ["pkg.sub", "object-removed"],
    ]);
  });
});

describe("objects: members a subclass stops defining", () => {
  const base = o("pkg.Base", "class", "pkg/base.py", 1, { bases: [] });
  const sub = o("pkg.Sub", "class", "pkg/sub.py", 1, { bases: ["pkg.Base"] });
  it.each([
    ["method", "pkg.Base.m"],
    ["attribute", "pkg.Base.m"],
    ["property", "pkg.Base.m"],
  ] as const)("a %s the base class still provides is not removed; without it in the base it is", (kind, inBase) => {
    const member = o("pkg.Sub.m", kind, "pkg/sub.py", 2, kind === "method" ? { params: [p("self")] } : {});
    expect(diff([pkg, base, sub, member], [pkg, base, sub, o(inBase, kind, "pkg/base.py", 2, kind === "method" ? { params: [p("self")] } : {})]).breaking).toEqual([]);
    expect(diff([pkg, base, sub, member], [pkg, base, sub]).breaking).toEqual([{ object: "pkg.Sub.m", kind: "object-removed", parts: [], file: "pkg/sub.py", line: 2 }]);
  });
  it("a nested class is no inherited member: removed even when the base has one of that name", () => {
    const inner = o("pkg.Sub.Inner", "class", "pkg/sub.py", 2, { bases: [] });
    const baseInner = o("pkg.Base.Inner", "class", "pkg/base.py", 2, { bases: [] });
    expect(diff([pkg, base, sub, inner, baseInner], [pkg, base, sub, baseInner]).breaking).toEqual([{ object: "pkg.Sub.Inner", kind: "object-removed", parts: [], file: "pkg/sub.py", line: 2 }]);
  });
  it("bases are followed seven levels up: a member the eighth class up defines is not found (and a cycle of bases ends)", () => {
    // C0(C1), C1(C2), ..., the member defined in C7 (seven levels up) or in C8.
    const chain = (n: number) => Array.from({ length: n }, (_, i) => o(`pkg.C${i}`, "class", "pkg/c.py", i + 1, { bases: [`pkg.C${i + 1}`] }));
    const member = o("pkg.C0.m", "method", "pkg/c.py", 20, { params: [p("self")] });
    const at = (i: number) => o(`pkg.C${i}.m`, "method", "pkg/c.py", 30, { params: [p("self")] });
    expect(diff([pkg, ...chain(9), member, at(7)], [pkg, ...chain(9), at(7)]).breaking).toEqual([]);
    expect(diff([pkg, ...chain(9), member, at(8)], [pkg, ...chain(9), at(8)]).breaking.map((x) => [x.object, x.kind])).toEqual([["pkg.C0.m", "object-removed"]]);
    const cycle = [o("pkg.C0", "class", "pkg/c.py", 1, { bases: ["pkg.C1"] }), o("pkg.C1", "class", "pkg/c.py", 2, { bases: ["pkg.C0"] })];
    expect(diff([pkg, ...cycle, member], [pkg, ...cycle]).breaking.map((x) => [x.object, x.kind])).toEqual([["pkg.C0.m", "object-removed"]]);
  });
});

describe("objects: still importable at the old path", () => {
  it("a function a module still binds is neither removed nor moved; one no module binds is removed", () => {
    const f = o("pkg.core.run", "function", "pkg/core.py", 3, { params: [] });
    const core = o("pkg.core", "module", "pkg/core.py", 1);
    expect(diff([pkg, core, f], [pkg, core], ["pkg.core.run"]).breaking).toEqual([]);
    expect(diff([pkg, core, f], [pkg, core], ["pkg.core.other"]).breaking.map((x) => [x.object, x.kind])).toEqual([["pkg.core.run", "object-removed"]]);
  });
  it("a class or submodule still importable keeps its members", () => {
    const core = o("pkg.core", "module", "pkg/core.py", 1);
    const cls = o("pkg.core.Engine", "class", "pkg/core.py", 2, { bases: [] });
    const m = o("pkg.core.Engine.step", "method", "pkg/core.py", 3, { params: [p("self")] });
    expect(diff([pkg, core, cls, m], [pkg, core], ["pkg.core.Engine"]).breaking).toEqual([]);
    const sub = o("pkg.sub", "module", "pkg/sub.py", 1);
    const g = o("pkg.sub.g", "function", "pkg/sub.py", 1, { params: [] });
    expect(diff([pkg, sub, g], [pkg], ["pkg.sub"]).breaking).toEqual([]);
    // A function still importable says nothing of the objects after it whose names start the same.
    const run = o("pkg.core.run", "function", "pkg/core.py", 5, { params: [] });
    const runner = o("pkg.core.run_all", "function", "pkg/core.py", 9, { params: [] });
    expect(diff([pkg, core, run, runner], [pkg, core], ["pkg.core.run"]).breaking.map((x) => [x.object, x.kind])).toEqual([["pkg.core.run_all", "object-removed"]]);
  });
  it("a class still importable keeps only its own members: an object after them that was removed is reported", () => {
    const core = o("pkg.core", "module", "pkg/core.py", 1);
    const cls = o("pkg.core.Engine", "class", "pkg/core.py", 2, { bases: [] });
    const m = o("pkg.core.Engine.step", "method", "pkg/core.py", 3, { params: [p("self")] });
    const later = o("pkg.core.zoo", "function", "pkg/core.py", 9, { params: [] });
    expect(diff([pkg, core, cls, m, later], [pkg, core], ["pkg.core.Engine"]).breaking.map((x) => [x.object, x.kind])).toEqual([["pkg.core.zoo", "object-removed"]]);
  });
  it("a member of a class is not kept by a module that binds the same dotted name", () => {
    // pkg.C was a class and is now a module that imports `m`: the class member is gone with the class.
    const from = [pkg, o("pkg.C", "class", "pkg/c.py", 1, { bases: [] }), o("pkg.C.m", "method", "pkg/c.py", 2, { params: [p("self")] })];
    expect(diff(from, [pkg, o("pkg.C", "module", "pkg/C/__init__.py", 1)], ["pkg.C.m"]).breaking.map((x) => [x.object, x.kind])).toEqual([
      ["pkg.C", "object-kind-changed"],
      ["pkg.C.m", "object-removed"],
    ]);
  });
});

describe("objects: kinds", () => {
  it("a function that became a class changed kind (the finding names the new kind); function <-> method and unresolved objects did not", () => {
    const fn = o("pkg.make", "function", "pkg/__init__.py", 3, { params: [] });
    expect(diff([pkg, fn], [pkg, o("pkg.make", "class", "pkg/__init__.py", 4, { bases: [] })]).breaking).toEqual([
      { object: "pkg.make", kind: "object-kind-changed", parts: [], file: "pkg/__init__.py", line: 3, to: { file: "pkg/__init__.py", line: 4, kind: "class" } },
    ]);
    expect(diff([pkg, fn], [pkg, o("pkg.make", "method", "pkg/__init__.py", 4, { params: [] })]).breaking).toEqual([]);
    expect(diff([pkg, fn], [pkg, o("pkg.make", "unresolved", "pkg/__init__.py", 4)]).breaking).toEqual([]);
    expect(diff([pkg, o("pkg.make", "unresolved", "pkg/__init__.py", 3)], [pkg, o("pkg.make", "class", "pkg/__init__.py", 4, { bases: [] })]).breaking).toEqual([]);
  });
  it("a kind change is the whole finding: the new signature is not compared too", () => {
    const fn = o("pkg.make", "function", "pkg/__init__.py", 3, { params: [p("a")] });
    expect(diff([pkg, fn], [pkg, o("pkg.make", "variable", "pkg/__init__.py", 3, { params: [p("b")] })]).breaking.map((x) => x.kind)).toEqual(["object-kind-changed"]);
  });
});

describe("objects: signatures", () => {
  const at = (params: Param[], extra: Partial<ApiObject> = {}, line = 3) => o("pkg.run", "function", "pkg/run.py", line, { params, ...extra });
  it("the same signature read again (other lists, same contents) is no change; each field that differs is", () => {
    expect(diff([pkg, at([p("a", "positional-or-keyword", "1", "int")])], [pkg, at([p("a", "positional-or-keyword", "1", "int")])]).breaking).toEqual([]);
    const one = (before: Param, after: Param) => diff([pkg, at([p("x"), before])], [pkg, at([p("x"), after], {}, 5)]);
    expect(one(p("a"), p("b")).breaking).toEqual([{ object: "pkg.run", kind: "signature-changed", parts: [{ kind: "parameter-renamed", name: "a", to: "b" }], file: "pkg/run.py", line: 3, to: { file: "pkg/run.py", line: 5 } }]);
    expect(one(p("a"), p("a", "keyword-only")).breaking.flatMap((x) => x.parts)).toEqual([{ kind: "parameter-kind-changed", name: "a", to: "keyword-only" }]);
    expect(one(p("a", "positional-or-keyword", "1"), p("a", "positional-or-keyword", "2")).nonBreaking.flatMap((x) => x.parts)).toEqual([{ kind: "default-changed", name: "a", from: "1", to: "2", weak: true }]);
    expect(one(p("a", "positional-or-keyword", null, "int"), p("a", "positional-or-keyword", null, "str")).breaking.flatMap((x) => x.parts)).toEqual([{ kind: "annotation-changed", name: "a", to: "str", weak: true }]);
  });
  it("a lone parameter that changed only its kind, or only its annotation, is a change", () => {
    const lone = (before: Param, after: Param) => diff([pkg, at([before])], [pkg, at([after])]).breaking.flatMap((x) => x.parts);
    expect(lone(p("a"), p("a", "keyword-only"))).toEqual([{ kind: "parameter-kind-changed", name: "a", to: "keyword-only" }]);
    expect(lone(p("a", "positional-or-keyword", null, "int"), p("a", "positional-or-keyword", null, "str"))).toEqual([{ kind: "annotation-changed", name: "a", to: "str", weak: true }]);
  });
  it("a required parameter added at the end is a part; one added to a shorter list is no addition", () => {
    expect(diff([pkg, at([p("a")])], [pkg, at([p("a"), p("b")])]).breaking.flatMap((x) => x.parts)).toEqual([{ kind: "required-parameter-added", name: "b", to: "positional-or-keyword" }]);
    expect(diff([pkg, at([p("a"), p("b")])], [pkg, at([p("a")])]).breaking.flatMap((x) => x.parts)).toEqual([{ kind: "parameter-removed", name: "b" }]);
  });
  it("an optional parameter added is an addition at the new definition, not a break", () => {
    expect(diff([pkg, at([p("a")])], [pkg, at([p("a"), p("b", "keyword-only", "None")], {}, 8)])).toEqual({
      breaking: [],
      nonBreaking: [],
      additions: [{ object: "pkg.run", kind: "parameter-added", parts: [{ name: "b", kind: "keyword-only" }], file: "pkg/run.py", line: 8 }],
    });
  });
  it("a parameter absorbed by **kwargs is weak when the new definition forwards its kwargs", () => {
    const absorbed = (forwardsKwargs: boolean) => diff([pkg, at([p("a"), p("b")])], [pkg, at([p("a"), p("kw", "var-keyword")], { forwardsKwargs })]).breaking.flatMap((x) => x.parts);
    expect(absorbed(true)).toEqual([{ kind: "parameter-absorbed-by-kwargs", name: "b", weak: true, to: "**kwargs (forwarded)" }]);
    expect(absorbed(false)).toEqual([{ kind: "parameter-absorbed-by-kwargs", name: "b", to: "**kwargs" }]);
  });
  it("a return type that narrowed breaks no caller; one that widened or changed is a weak part; one added or dropped is none", () => {
    const ret = (a: string | undefined, b: string | undefined) =>
      diff([pkg, at([p("a")], a === undefined ? {} : { returns: a })], [pkg, at([p("a")], b === undefined ? {} : { returns: b })]).breaking.flatMap((x) => x.parts);
    expect(ret("str | None", "str")).toEqual([]);
    expect(ret("str", "str | None")).toEqual([{ kind: "return-annotation-changed", name: "return", to: "str | None", weak: true }]);
    expect(ret("int", "float")).toEqual([{ kind: "return-annotation-changed", name: "return", to: "float", weak: true }]);
    expect(ret("int", "int")).toEqual([]);
    expect(ret(undefined, "int")).toEqual([]);
    expect(ret("int", undefined)).toEqual([]);
  });
  it("a binding change comes first among the parts of a method", () => {
    const m = (decorators: string[], params: Param[]) => o("pkg.C.m", "method", "pkg/c.py", 2, { params, decorators });
    const cls = o("pkg.C", "class", "pkg/c.py", 1, { bases: [] });
    expect(diff([pkg, cls, m(["staticmethod"], [p("a")])], [pkg, cls, m([], [p("self"), p("a"), p("b")])]).breaking.flatMap((x) => x.parts)).toEqual([
      { kind: "method-binding-changed", name: "staticmethod", to: "instance method: calls through the class now miss the instance argument" },
      { kind: "required-parameter-added", name: "b", to: "positional-or-keyword" },
    ]);
  });
  it("a function (not a method) that gains or loses @staticmethod has no binding part", () => {
    expect(diff([pkg, at([p("a")], { decorators: ["staticmethod"] })], [pkg, at([p("a")], { decorators: [] })]).breaking).toEqual([]);
    expect(diff([pkg, at([p("a")], { decorators: [] })], [pkg, at([p("a")], { decorators: ["classmethod"] })]).breaking).toEqual([]);
  });
});

describe("objects: changed defaults alone break no call", () => {
  const at = (params: Param[]) => o("pkg.run", "function", "pkg/run.py", 3, { params });
  it("a signature whose only parts are changed defaults is non-breaking; with any other part it is a break", () => {
    const d = diff([pkg, at([p("a", "positional-or-keyword", "1"), p("b", "keyword-only", "2")])], [pkg, at([p("a", "positional-or-keyword", "3"), p("b", "keyword-only", "4")])]);
    expect(d.breaking).toEqual([]);
    expect(d.nonBreaking.map((x) => [x.object, x.parts.map((y) => y.kind)])).toEqual([["pkg.run", ["default-changed", "default-changed"]]]);
    const e = diff([pkg, at([p("a", "positional-or-keyword", "1")])], [pkg, at([p("a", "positional-or-keyword", "3"), p("c")])]);
    expect(e.nonBreaking).toEqual([]);
    expect(e.breaking.map((x) => [x.object, x.parts.map((y) => y.kind)])).toEqual([["pkg.run", ["default-changed", "required-parameter-added"]]]);
  });
  it("only a signature change with parts can be defaults-only", () => {
    const f: Finding = { object: "pkg.run", kind: "signature-changed", parts: [], file: "pkg/run.py", line: 3 };
    expect(defaultsOnly(f)).toBe(false);
    expect(defaultsOnly({ ...f, parts: [{ kind: "default-changed", name: "a", from: "1", to: "2", weak: true }] })).toBe(true);
    expect(defaultsOnly({ ...f, kind: "object-moved", parts: [{ kind: "default-changed", name: "a", from: "1", to: "2", weak: true }] })).toBe(false);
  });
});

describe("classes: bases", () => {
  const cls = (bases: string[], line = 1) => o("pkg.Head", "class", "pkg/head.py", line, { bases });
  const layer = o("pkg.Layer", "class", "pkg/layer.py", 1, { bases: [] });
  it("a base replaced by another is removed; `object` dropped, or the same bases, is nothing", () => {
    expect(diff([pkg, layer, cls(["pkg.Layer"])], [pkg, layer, cls(["object"], 2)]).breaking).toEqual([
      { object: "pkg.Head", kind: "base-removed", parts: [{ kind: "base-removed", name: "pkg.Layer" }], file: "pkg/head.py", line: 1, to: { file: "pkg/head.py", line: 2 } },
    ]);
    expect(diff([pkg, layer, cls(["object"])], [pkg, layer, cls(["pkg.Layer"])]).breaking).toEqual([]);
    expect(diff([pkg, layer, cls(["pkg.Layer", "torch.nn.Module"])], [pkg, layer, cls(["pkg.Layer", "torch.nn.Module"])]).breaking).toEqual([]);
    expect(diff([pkg, layer, cls(["pkg.Layer", "torch.nn.Module"])], [pkg, layer, cls(["torch.nn.Module", "pkg.Layer"])]).breaking).toEqual([]);
  });
  it("the second of two bases replaced is removed (the first kept)", () => {
    expect(diff([pkg, layer, cls(["pkg.Layer", "torch.nn.Module"])], [pkg, layer, cls(["pkg.Layer", "abc.ABC"])]).breaking.flatMap((x) => x.parts)).toEqual([{ kind: "base-removed", name: "torch.nn.Module" }]);
  });
  it("the first of two bases dropped is removed, as is the second", () => {
    expect(diff([pkg, layer, cls(["pkg.Layer", "torch.nn.Module"])], [pkg, layer, cls(["torch.nn.Module"])]).breaking.flatMap((x) => x.parts)).toEqual([{ kind: "base-removed", name: "pkg.Layer" }]);
    expect(diff([pkg, layer, cls(["pkg.Layer", "torch.nn.Module"])], [pkg, layer, cls(["pkg.Layer"])]).breaking.flatMap((x) => x.parts)).toEqual([{ kind: "base-removed", name: "torch.nn.Module" }]);
  });
  it("a base written as a re-export of the same class is the same base", () => {
    const def = o("pkg.layers.Layer", "class", "pkg/layers.py", 1, { bases: [] });
    const reexport = o("pkg.Layer", "class", "pkg/layers.py", 1, { bases: [], aliasOf: "pkg.layers.Layer" });
    expect(diff([pkg, def, reexport, cls(["pkg.layers.Layer"])], [pkg, def, reexport, cls(["pkg.Layer"])]).breaking).toEqual([]);
    expect(diff([pkg, def, reexport, cls(["pkg.Layer"])], [pkg, def, reexport, cls(["pkg.layers.Layer"])]).breaking).toEqual([]);
  });
  it("a base class that moved is reported once, as moved, not again at its subclass; a base now missing is removed at the subclass", () => {
    const moved = o("pkg.layers.Layer", "class", "pkg/layers.py", 1, { bases: [] });
    expect(diff([pkg, layer, cls(["pkg.Layer"])], [pkg, moved, cls(["pkg.layers.Layer"])]).breaking.map((x) => [x.object, x.kind])).toEqual([["pkg.Layer", "object-moved"]]);
    expect(diff([pkg, layer, cls(["pkg.Layer"])], [pkg, moved, cls(["pkg.Other"])]).breaking.map((x) => [x.object, x.kind, x.parts.map((y) => y.name)])).toEqual([
      ["pkg.Head", "base-removed", ["pkg.Layer"]],
      ["pkg.Layer", "object-moved", []],
    ]);
  });
  it("a base replaced by a new class of the same name while the old one still exists is removed", () => {
    const other = o("pkg.other.Layer", "class", "pkg/other.py", 1, { bases: [] });
    expect(diff([pkg, layer, cls(["pkg.Layer"])], [pkg, layer, other, cls(["pkg.other.Layer"])]).breaking.flatMap((x) => x.parts)).toEqual([{ kind: "base-removed", name: "pkg.Layer" }]);
  });
  it("a base now reached through a new base is still a base; one the new base does not derive from is removed", () => {
    const net = (bases: string[]) => o("pkg.Net", "class", "pkg/net.py", 1, { bases });
    expect(diff([pkg, net(["torch.nn.Module"]), cls(["torch.nn.Module"])], [pkg, net(["torch.nn.Module"]), cls(["pkg.Net"])]).breaking).toEqual([]);
    expect(diff([pkg, net(["object"]), cls(["torch.nn.Module"])], [pkg, net(["object"]), cls(["pkg.Net"])]).breaking.flatMap((x) => x.parts)).toEqual([{ kind: "base-removed", name: "torch.nn.Module" }]);
    // Two levels up, and through a re-export of the intermediate class.
    const mid = o("pkg.Mid", "class", "pkg/mid.py", 1, { bases: ["torch.nn.Module"] });
    const alias = o("pkg.M", "class", "pkg/mid.py", 1, { bases: ["torch.nn.Module"], aliasOf: "pkg.Mid" });
    expect(diff([pkg, mid, alias, net(["pkg.M"]), cls(["torch.nn.Module"])], [pkg, mid, alias, net(["pkg.M"]), cls(["pkg.Net"])]).breaking).toEqual([]);
  });
  it("a base reached through any one of several new bases is still a base (a mixin beside it changes nothing)", () => {
    const net = o("pkg.Net", "class", "pkg/net.py", 1, { bases: ["torch.nn.Module"] });
    const mixin = o("pkg.Mixin", "class", "pkg/mixin.py", 1, { bases: [] });
    for (const bases of [["pkg.Net", "pkg.Mixin"], ["pkg.Mixin", "pkg.Net"]]) {
      expect(diff([pkg, net, mixin, cls(["torch.nn.Module"])], [pkg, net, mixin, cls(bases)]).breaking).toEqual([]);
    }
    expect(diff([pkg, net, mixin, cls(["torch.nn.Module"])], [pkg, net, mixin, cls(["pkg.Mixin"])]).breaking.flatMap((x) => x.parts)).toEqual([{ kind: "base-removed", name: "torch.nn.Module" }]);
  });
  it("a base reached through a base written as its re-export is still a base", () => {
    const def = o("pkg.layers.Layer", "class", "pkg/layers.py", 1, { bases: [] });
    const reexport = o("pkg.Layer", "class", "pkg/layers.py", 1, { bases: [], aliasOf: "pkg.layers.Layer" });
    const net = o("pkg.Net", "class", "pkg/net.py", 1, { bases: ["pkg.Layer"] });
    expect(diff([pkg, def, reexport, net, cls(["pkg.layers.Layer"])], [pkg, def, reexport, net, cls(["pkg.Net"])]).breaking).toEqual([]);
  });
  it("new bases are followed seventeen classes deep, and a cycle among them ends", () => {
    // Head(torch.nn.Module) -> Head(pkg.N0), N0(N1), ..., the last one deriving from torch.nn.Module.
    const chain = (n: number) => Array.from({ length: n }, (_, i) => o(`pkg.N${i}`, "class", "pkg/n.py", i + 1, { bases: [i === n - 1 ? "torch.nn.Module" : `pkg.N${i + 1}`] }));
    expect(diff([pkg, ...chain(17), cls(["torch.nn.Module"])], [pkg, ...chain(17), cls(["pkg.N0"])]).breaking).toEqual([]);
    expect(diff([pkg, ...chain(18), cls(["torch.nn.Module"])], [pkg, ...chain(18), cls(["pkg.N0"])]).breaking.flatMap((x) => x.parts)).toEqual([{ kind: "base-removed", name: "torch.nn.Module" }]);
    const cycle = [o("pkg.N0", "class", "pkg/n.py", 1, { bases: ["pkg.N1"] }), o("pkg.N1", "class", "pkg/n.py", 2, { bases: ["pkg.N0"] })];
    expect(diff([pkg, ...cycle, cls(["torch.nn.Module"])], [pkg, ...cycle, cls(["pkg.N0"])]).breaking.flatMap((x) => x.parts)).toEqual([{ kind: "base-removed", name: "torch.nn.Module" }]);
  });
});

describe("additions", () => {
  it("every new path is an addition, sorted; a member inherited from a public base is added once, at the base", () => {
    const base = o("pkg.Base", "class", "pkg/base.py", 1, { bases: [] });
    const sub = o("pkg.Sub", "class", "pkg/sub.py", 1, { bases: ["pkg.Base"] });
    const own = o("pkg.Base.fit", "method", "pkg/base.py", 4, { params: [p("self")] });
    const inherited = o("pkg.Sub.fit", "method", "pkg/base.py", 4, { params: [p("self")], aliasOf: "pkg.Base.fit", inheritedFrom: "pkg.Base" });
    expect(diff([pkg, base, sub], [pkg, sub, base, inherited, own, o("pkg.a", "function", "pkg/a.py", 2, { params: [] })]).additions).toEqual([
      { object: "pkg.Base.fit", kind: "object-added", parts: [], file: "pkg/base.py", line: 4 },
      { object: "pkg.a", kind: "object-added", parts: [], file: "pkg/a.py", line: 2 },
    ]);
  });
  it("a member inherited from a private base (its definition not public) is added at the subclass", () => {
    const sub = o("pkg.Sub", "class", "pkg/sub.py", 1, { bases: ["pkg._base.Base"] });
    const inherited = o("pkg.Sub.fit", "method", "pkg/_base.py", 4, { params: [p("self")], aliasOf: "pkg._base.Base.fit", inheritedFrom: "pkg._base.Base" });
    expect(diff([pkg, sub], [pkg, sub, inherited]).additions).toEqual([{ object: "pkg.Sub.fit", kind: "object-added", parts: [], file: "pkg/_base.py", line: 4 }]);
  });
  it("a re-export (not inherited) of a public definition is added at each path", () => {
    const def = o("pkg.core.run", "function", "pkg/core.py", 2, { params: [] });
    const reexport = o("pkg.run", "function", "pkg/core.py", 2, { params: [], aliasOf: "pkg.core.run" });
    expect(diff([pkg], [pkg, reexport, def]).additions.map((x) => x.object)).toEqual(["pkg.core.run", "pkg.run"]);
  });
});

describe("findings: one per definition", () => {
  const def = (path: string, aliasOf?: string) => o(path, "function", "pkg/_impl.py", 4, { params: [p("a")], ...(aliasOf ? { aliasOf } : {}) });
  it("the same change at several public paths of one definition is one finding, named by the definition's own path", () => {
    const from = [pkg, def("pkg.api.run", "pkg.core.run"), def("pkg.core.run"), def("pkg.run", "pkg.core.run")];
    expect(diff(from, [pkg]).breaking).toEqual([{ object: "pkg.core.run", kind: "object-removed", parts: [], file: "pkg/_impl.py", line: 4, aliases: ["pkg.run", "pkg.api.run"] }]);
  });
  it("with a private definition, by its shortest public path, then the first in order", () => {
    expect(diff([pkg, def("pkg.api.run", "pkg._impl.run"), def("pkg.run", "pkg._impl.run")], [pkg]).breaking).toEqual([{ object: "pkg.run", kind: "object-removed", parts: [], file: "pkg/_impl.py", line: 4, aliases: ["pkg.api.run"] }]);
    expect(diff([pkg, def("pkg.b.run", "pkg._impl.run"), def("pkg.a.run", "pkg._impl.run")], [pkg]).breaking).toEqual([{ object: "pkg.a.run", kind: "object-removed", parts: [], file: "pkg/_impl.py", line: 4, aliases: ["pkg.b.run"] }]);
  });
  it("different changes of one definition stay apart, sorted by object; a lone finding has no aliases", () => {
    const from = [pkg, def("pkg.run", "pkg._impl.run"), def("pkg.api.run", "pkg._impl.run")];
    const to = [pkg, o("pkg.api.run", "function", "pkg/_impl.py", 4, { params: [p("b")], aliasOf: "pkg._impl.run" })];
    expect(diff(from, to).breaking).toEqual([
      { object: "pkg.api.run", kind: "signature-changed", parts: [{ kind: "parameter-renamed", name: "a", to: "b" }], file: "pkg/_impl.py", line: 4, to: { file: "pkg/_impl.py", line: 4 } },
      { object: "pkg.run", kind: "object-removed", parts: [], file: "pkg/_impl.py", line: 4 },
    ]);
  });
  it("one definition moved to two different places from two paths is two findings, each with its destination", () => {
    // pkg.core.run and its re-export under another name, pkg.go: each path moved somewhere else.
    const from = [pkg, def("pkg.core.run"), def("pkg.go", "pkg.core.run")];
    const to = [pkg, o("pkg.engine.run", "function", "pkg/engine.py", 7, { params: [p("a")] }), o("pkg.start.go", "function", "pkg/start.py", 2, { params: [p("a")] })];
    expect(diff(from, to).breaking).toEqual([
      { object: "pkg.core.run", kind: "object-moved", parts: [], file: "pkg/_impl.py", line: 4, to: { path: "pkg.engine.run", file: "pkg/engine.py", line: 7 } },
      { object: "pkg.go", kind: "object-moved", parts: [], file: "pkg/_impl.py", line: 4, to: { path: "pkg.start.go", file: "pkg/start.py", line: 2 } },
    ]);
    // Moved to one place from both paths: one finding.
    const one = [pkg, o("pkg.engine.run", "function", "pkg/engine.py", 7, { params: [p("a")] }), o("pkg.engine.go", "function", "pkg/engine.py", 7, { params: [p("a")], aliasOf: "pkg.engine.run" })];
    expect(diff(from, one).breaking.map((x) => [x.object, x.kind, x.aliases])).toEqual([
      ["pkg.core.run", "object-moved", undefined],
      ["pkg.go", "object-moved", undefined],
    ]);
  });
  it("one definition that became a class at one path and an attribute at another is two findings, each naming its new kind", () => {
    const from = [pkg, def("pkg.core.run"), def("pkg.go", "pkg.core.run")];
    const to = [pkg, o("pkg.core.run", "class", "pkg/_impl.py", 9, { bases: [] }), o("pkg.go", "attribute", "pkg/__init__.py", 3)];
    expect(diff(from, to).breaking).toEqual([
      { object: "pkg.core.run", kind: "object-kind-changed", parts: [], file: "pkg/_impl.py", line: 4, to: { file: "pkg/_impl.py", line: 9, kind: "class" } },
      { object: "pkg.go", kind: "object-kind-changed", parts: [], file: "pkg/_impl.py", line: 4, to: { file: "pkg/__init__.py", line: 3, kind: "attribute" } },
    ]);
    // The same new kind at both paths: one finding, with the other path as its alias.
    const same = [pkg, o("pkg.core.run", "class", "pkg/_impl.py", 9, { bases: [] }), o("pkg.go", "class", "pkg/_impl.py", 9, { bases: [], aliasOf: "pkg.core.run" })];
    expect(diff(from, same).breaking.map((x) => [x.object, x.kind, x.aliases])).toEqual([["pkg.core.run", "object-kind-changed", ["pkg.go"]]]);
  });
  it("several findings of one object keep the order they are found in: its signature, then its bases", () => {
    const head = (params: Param[], bases: string[]) => o("pkg.Head", "class", "pkg/head.py", 1, { params, bases });
    const layer = o("pkg.Layer", "class", "pkg/layer.py", 1, { bases: [] });
    expect(diff([pkg, layer, head([p("a")], ["pkg.Layer"])], [pkg, layer, head([p("b")], ["object"])]).breaking.map((x) => [x.object, x.kind])).toEqual([
      ["pkg.Head", "signature-changed"],
      ["pkg.Head", "base-removed"],
    ]);
  });
  it("two definitions at different lines are never folded, nor removals and moves", () => {
    const a = o("pkg.a.run", "function", "pkg/a.py", 1, { params: [] });
    const b = o("pkg.b.run", "function", "pkg/a.py", 2, { params: [] });
    expect(diff([pkg, b, a], [pkg]).breaking.map((x) => [x.object, x.aliases])).toEqual([
      ["pkg.a.run", undefined],
      ["pkg.b.run", undefined],
    ]);
  });
});

describe("surfaces: a signature compared part by part", () => {
  const run = (params: Param[]) => o("pkg.run", "function", "pkg/a.py", 3, { params });
  it("an optional parameter added at the end is an addition only: no finding without parts, breaking or not", () => {
    const d = diff([pkg, run([p("a")])], [pkg, run([p("a"), p("b", "positional-or-keyword", "1")])]);
    expect([d.breaking, d.nonBreaking, d.additions.map((x) => [x.object, x.kind])]).toEqual([[], [], [["pkg.run", "parameter-added"]]]);
    // The neighbour: a required one added is a break.
    expect(diff([pkg, run([p("a")])], [pkg, run([p("a"), p("b")])]).breaking.map((x) => [x.object, x.parts.map((y) => y.kind)])).toEqual([["pkg.run", ["required-parameter-added"]]]);
  });
  it("a function its module also imports under the same name is still compared", () => {
    const d = diff([pkg, run([p("a")])], [pkg, run([p("b")])], ["pkg.run"]);
    expect(d.breaking.map((x) => [x.object, x.kind])).toEqual([["pkg.run", "signature-changed"]]);
  });
});

describe("surfaces: which parameters stay and the order of findings", () => {
  it("the parameters that stay are the longest run kept in order: a first parameter moved to the end is the one moved", () => {
    expect(parts([p("a"), p("b"), p("c"), p("d")], [p("b"), p("c"), p("d"), p("a")])).toEqual([{ kind: "parameter-moved", name: "a", to: "position 4" }]);
    expect(parts([p("a"), p("b"), p("c"), p("d")], [p("d"), p("a"), p("b"), p("c")])).toEqual([{ kind: "parameter-moved", name: "d", to: "position 1" }]);
    // a b c d e f -> a b e d c f: a, b, f and one of c, d, e stay; two are moved, not three.
    const moved = parts("abcdef".split("").map((x) => p(x)), "abedcf".split("").map((x) => p(x)));
    expect(moved.map((x) => x.kind)).toEqual(["parameter-moved", "parameter-moved"]);
  });
  it("findings are listed by the path they are reported at, after aliases fold into a definition's own path", () => {
    const f = (path: string, extra: Partial<ApiObject> = {}) => o(path, "function", "pkg/z.py", 5, extra);
    // pkg.f re-exports pkg.z.f: one finding, at the definition's own path, listed after pkg.m.
    const d = diff([pkg, f("pkg.f", { aliasOf: "pkg.z.f" }), o("pkg.m", "function", "pkg/m.py", 1), f("pkg.z.f")], [pkg]);
    expect(d.breaking.map((x) => [x.object, x.aliases ?? []])).toEqual([
      ["pkg.m", []],
      ["pkg.z.f", ["pkg.f"]],
    ]);
  });
});
