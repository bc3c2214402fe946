import { describe, expect, it } from "vitest";
import { accepts, bindingOf, diffSurfaces, signatureParts, unionMembers } from "../../src/analyzers/api/diff.js";
import type { ApiObject, Surface } from "../../src/analyzers/api/surface.js";
import type { Param } from "../../src/python/facts.js";

/** Signature rules: what breaks callers is reported, what does not break them is not (both sides of each). */
type Kind = Param["kind"];
const p = (name: string, kind: Kind = "positional-or-keyword", dflt: string | null = null, annotation: string | null = null): Param => ({ name, kind, default: dflt, annotation });
const parts = (before: Param[], after: Param[]) => signatureParts(before, after, false).parts;

describe("api diff: parameter kinds", () => {
  it("keyword-only -> positional-or-keyword breaks no caller: no part", () => {
    expect(parts([p("a"), p("flag", "keyword-only", "False")], [p("a"), p("flag", "positional-or-keyword", "False")])).toEqual([]);
  });
  it("positional-only -> positional-or-keyword breaks no caller either", () => {
    expect(parts([p("a", "positional-only")], [p("a")])).toEqual([]);
  });
  it("the other way round breaks callers: positional-or-keyword -> keyword-only, -> positional-only", () => {
    expect(parts([p("a"), p("flag", "positional-or-keyword", "False")], [p("a"), p("flag", "keyword-only", "False")])).toEqual([{ kind: "parameter-kind-changed", name: "flag", to: "keyword-only" }]);
    expect(parts([p("a")], [p("a", "positional-only")])).toEqual([{ kind: "parameter-kind-changed", name: "a", to: "positional-only" }]);
  });
});

describe("api diff: renames", () => {
  it("a new name in the same slot and of the same kind is a rename", () => {
    expect(parts([p("a"), p("b")], [p("a"), p("c")])).toEqual([{ kind: "parameter-renamed", name: "b", to: "c" }]);
  });
  it("a new name in the same slot but of another kind is not a rename: the old one is removed, the new one added", () => {
    expect(parts([p("a"), p("b")], [p("a"), p("c", "keyword-only")])).toEqual([
      { kind: "parameter-removed", name: "b" },
      { kind: "required-parameter-added", name: "c", to: "keyword-only" },
    ]);
  });
});

describe("api diff: harmless changes are not reported", () => {
  it("an optional parameter added at the end (positional or keyword-only)", () => {
    expect(parts([p("a")], [p("a"), p("b", "positional-or-keyword", "None")])).toEqual([]);
    expect(parts([p("a")], [p("a"), p("b", "keyword-only", "1")])).toEqual([]);
    // The boundary: a required one breaks callers.
    expect(parts([p("a")], [p("a"), p("b")])).toEqual([{ kind: "required-parameter-added", name: "b", to: "positional-or-keyword" }]);
  });
  it("a default written differently but the same (quotes, spaces)", () => {
    expect(parts([p("a", "positional-or-keyword", "'x'")], [p("a", "positional-or-keyword", '"x"')])).toEqual([]);
    expect(parts([p("a", "positional-or-keyword", "(1, 2)")], [p("a", "positional-or-keyword", "(1,2)")])).toEqual([]);
  });
  it("self and cls are not parameters callers pass", () => {
    expect(parts([p("self"), p("a")], [p("cls"), p("a")])).toEqual([]);
  });
});

describe("api diff: a default that really changed", () => {
  it("is reported (weak: old calls still work), quotes inside the literal included", () => {
    expect(parts([p("a", "positional-or-keyword", "'x'")], [p("a", "positional-or-keyword", "'y'")])).toEqual([{ kind: "default-changed", name: "a", from: "'x'", to: "'y'", weak: true }]);
    expect(parts([p("a", "positional-or-keyword", `'it"s'`)], [p("a", "positional-or-keyword", `"it's"`)])).toEqual([{ kind: "default-changed", name: "a", from: `'it"s'`, to: `"it's"`, weak: true }]);
  });
});

describe("api diff: *args and **kwargs", () => {
  it("removing *args or **kwargs breaks callers that pass extra arguments; renaming them does not", () => {
    expect(parts([p("a"), p("args", "var-positional"), p("kw", "var-keyword")], [p("a")])).toEqual([
      { kind: "var-positional-removed", name: "args" },
      { kind: "var-keyword-removed", name: "kw" },
    ]);
    expect(parts([p("a"), p("args", "var-positional"), p("kw", "var-keyword")], [p("a"), p("rest", "var-positional"), p("options", "var-keyword")])).toEqual([]);
  });
  it("a parameter that **kwargs now absorbs is a part of its own (weak when the kwargs are forwarded); a positional-only one is removed", () => {
    const before = [p("a", "positional-only"), p("b"), p("c", "keyword-only", "1")];
    const after = [p("kwargs", "var-keyword")];
    expect(parts(before, after)).toEqual([
      { kind: "parameter-removed", name: "a" },
      { kind: "parameter-absorbed-by-kwargs", name: "b", to: "**kwargs" },
      { kind: "parameter-absorbed-by-kwargs", name: "c", to: "**kwargs" },
    ]);
    expect(signatureParts(before, after, true).parts[1]).toEqual({ kind: "parameter-absorbed-by-kwargs", name: "b", weak: true, to: "**kwargs (forwarded)" });
    // Without **kwargs the same parameter is removed.
    expect(parts([p("a"), p("b", "keyword-only")], [p("a")])).toEqual([{ kind: "parameter-removed", name: "b" }]);
  });
  it("an added *args or **kwargs is an addition, never a break", () => {
    expect(signatureParts([p("a")], [p("a"), p("args", "var-positional"), p("kw", "var-keyword")], false)).toEqual({ parts: [], added: [p("args", "var-positional"), p("kw", "var-keyword")] });
  });
});

describe("api diff: renames take one new name once", () => {
  it("two removed parameters cannot both be renamed to the same new one", () => {
    expect(parts([p("a"), p("b"), p("c")], [p("a"), p("x"), p("c")])).toEqual([{ kind: "parameter-renamed", name: "b", to: "x" }]);
    expect(parts([p("b"), p("c")], [p("x")])).toEqual([
      { kind: "parameter-renamed", name: "b", to: "x" },
      { kind: "parameter-removed", name: "c" },
    ]);
    // A slot now holding a name the old signature had is a move, not a rename.
    expect(parts([p("a"), p("b")], [p("b")]).map((x) => x.kind)).toEqual(["parameter-removed"]);
    // The renamed-to name is not also reported as a new parameter.
    expect(signatureParts([p("a")], [p("z")], false).added).toEqual([]);
  });
});

describe("api diff: defaults and annotations", () => {
  it("a default removed makes the parameter required: a break; a **kwargs keeps no default", () => {
    expect(parts([p("a", "positional-or-keyword", "1")], [p("a")])).toEqual([{ kind: "default-removed", name: "a" }]);
    expect(parts([p("a")], [p("a", "positional-or-keyword", "1")])).toEqual([]);
    expect(parts([p("a", "positional-or-keyword", "{'x': 1,}")], [p("a", "positional-or-keyword", '{"x": 1}')])).toEqual([]);
  });
  it("an annotation that accepts every old type is no part; a narrower or different one is a weak part", () => {
    const ann = (a: string | null, b: string | null) => parts([p("a", "positional-or-keyword", null, a)], [p("a", "positional-or-keyword", null, b)]);
    expect(ann("str", "str | None")).toEqual([]);
    expect(ann("str", "Optional[str]")).toEqual([]);
    expect(ann("str", "typing.Union[int, str]")).toEqual([]);
    expect(ann("None", "t.Optional[int]")).toEqual([]);
    expect(ann("str | None", "str")).toEqual([{ kind: "annotation-changed", name: "a", to: "str", weak: true }]);
    expect(ann("int", "float")).toEqual([{ kind: "annotation-changed", name: "a", to: "float", weak: true }]);
    expect(ann(null, "int")).toEqual([]);
    expect(ann("int", null)).toEqual([]);
  });
  it("a union is read through Optional, Union, pipes, quotes and nesting; NoneType and type(None) are None", () => {
    expect([...unionMembers("Optional[Union[int, 'str']]")].sort()).toEqual(["None", "int", "str"]);
    expect([...unionMembers("typing.Optional[Dict[str, int]]")].sort()).toEqual(["Dict[str,int]", "None"]);
    expect([...unionMembers("'int | NoneType'")].sort()).toEqual(["None", "int"]);
    expect([...unionMembers("Callable[[int], str] | type(None)")].sort()).toEqual(["Callable[[int],str]", "None"]);
    expect([...unionMembers("Union[a, b,]")].sort()).toEqual(["a", "b"]);
    expect([...unionMembers("List[int | str]")]).toEqual(["List[int|str]"]);
    expect([...unionMembers("Tuple[(int, str)]")]).toEqual(["Tuple[(int,str)]"]);
    expect([...unionMembers("MyOptional[int]")]).toEqual(["MyOptional[int]"]);
    expect(accepts("Optional[int]", "int | None")).toBe(true);
    expect(accepts("int", "Optional[int]")).toBe(false);
  });
});

describe("api diff: the order of positional parameters", () => {
  it("swapped positional parameters are moved: the fewest, outside the longest common order", () => {
    expect(parts([p("a"), p("b"), p("c")], [p("b"), p("c"), p("a")])).toEqual([{ kind: "parameter-moved", name: "a", to: "position 3" }]);
    // Keyword-only parameters have no position.
    expect(parts([p("a", "keyword-only"), p("b", "keyword-only")], [p("b", "keyword-only"), p("a", "keyword-only")])).toEqual([]);
  });
  it("a new positional parameter inserted before existing ones shifts them: one part for the whole shift", () => {
    expect(parts([p("a"), p("b"), p("c")], [p("x", "positional-or-keyword", "1"), p("a"), p("b"), p("c")])).toEqual([
      { kind: "parameter-moved", name: "a", to: "position 2 (was 1): new 'x' before it; 2 later parameter(s) shift too" },
    ]);
    expect(parts([p("a"), p("b")], [p("a"), p("x", "positional-or-keyword", "1"), p("y", "positional-or-keyword", "2"), p("b")])).toEqual([{ kind: "parameter-moved", name: "b", to: "position 4 (was 2): new 'x', 'y' before it" }]);
    // Appended at the end, or keyword-only: nothing shifts.
    expect(parts([p("a")], [p("a"), p("x", "positional-or-keyword", "1")])).toEqual([]);
    expect(parts([p("a")], [p("x", "keyword-only", "1"), p("a")])).toEqual([]);
    // A removal before a parameter moves it to an earlier position: not a shift to the right.
    expect(parts([p("a"), p("b")], [p("b")]).map((x) => x.kind)).toEqual(["parameter-removed"]);
  });
});

describe("api diff: how a method binds", () => {
  const m = (decorators: string[]): ApiObject => ({ path: "pkg.C.m", kind: "method", file: "pkg/c.py", line: 3, params: [], decorators, deprecations: [] });
  const surface = (o: ApiObject): Surface => ({ packages: ["pkg"], packagesFrom: "test", objects: new Map([[o.path, o]]), importable: new Set(), modules: 1, coverage: { files: 1, missing: 0 } as Surface["coverage"], warnings: [] });
  const binding = (a: string[], b: string[]) => diffSurfaces(surface(m(a)), surface(m(b))).breaking.flatMap((f) => f.parts);
  it("reads static and class methods from their decorators, also qualified", () => {
    expect([bindingOf(m(["staticmethod"])), bindingOf(m(["builtins.staticmethod"])), bindingOf(m(["classmethod"])), bindingOf(m(["abc.classmethod"])), bindingOf(m(["property"])), bindingOf(m(["mystaticmethod"]))]).toEqual(["staticmethod", "staticmethod", "classmethod", "classmethod", "instance method", "instance method"]);
  });
  it("a static or class method becoming an instance method breaks calls through the class; the other way is weak; static <-> class is no part", () => {
    expect(binding(["staticmethod"], [])).toEqual([{ kind: "method-binding-changed", name: "staticmethod", to: "instance method: calls through the class now miss the instance argument" }]);
    expect(binding([], ["classmethod"])).toEqual([{ kind: "method-binding-changed", name: "instance method", to: "classmethod: calls through an instance still work; Class.method(obj, ...) passes one argument too many", weak: true }]);
    expect(binding(["staticmethod"], ["classmethod"])).toEqual([]);
    expect(binding(["functools.cache"], [])).toEqual([]);
  });
});
