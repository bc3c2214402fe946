import { describe, expect, it } from "vitest";
import { signatureParts } from "../../src/analyzers/api/diff.js";
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
