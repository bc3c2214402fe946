import { describe, expect, it } from "vitest";
import { isBlank, isTrivial, LineIndex, nonBlank, normalise } from "../../src/analyzers/drift/lines.js";

/**
 * The line comparison hunk classification rests on: which differences are noise (trailing
 * whitespace, blank lines), which lines prove nothing (a lone bracket or keyword), and how a run of
 * lines is found in a file (contiguous over non-blank lines, every occurrence counted).
 */
describe("drift lines: trailing whitespace is noise, the rest of the line is not", () => {
  it.each([
    ["space", " "],
    ["tab", "\t"],
    ["carriage return (CRLF)", "\r"],
    ["vertical tab", "\v"],
    ["form feed", "\f"],
    ["no-break space", "\u00a0"],
    ["several kinds", " \t \r"],
  ])("a trailing %s is dropped", (_, ws) => {
    expect(normalise(`  x = 1${ws}`)).toBe("  x = 1");
  });

  it("leading and inner whitespace are kept; a line not ending in whitespace is returned as is", () => {
    expect(normalise("\t if a  and b:")).toBe("\t if a  and b:");
    expect(normalise("  a \t b \t")).toBe("  a \t b");
    expect(normalise("")).toBe("");
  });

  it("a line is blank when only whitespace is left, whatever its kind", () => {
    expect([isBlank(""), isBlank("   "), isBlank("\t"), isBlank(normalise(" \r"))]).toEqual([true, true, true, true]);
    expect([isBlank("x"), isBlank("  )")]).toEqual([false, false]);
  });

  it("nonBlank keeps the non-blank lines, normalised, in order", () => {
    expect(nonBlank(["a \r", "", "  ", "\tb", " \t", "c"])).toEqual(["a", "\tb", "c"]);
  });
});

describe("drift lines: a trivial line says nothing about where it came from", () => {
  it.each([")", "  ]", "}", "})", "),", "];", ":", "#", "//", "*", "/*", "/**", "*/", '"""', "'''", "-", "", "pass", "    pass", "else", "else:", "try:", "finally:", "return", "return;", "break", "break;", "continue", "continue;", "end", "fi", "done"])("`%s` is trivial", (line) => {
    expect(isTrivial(line)).toBe(true);
  });

  it.each(["x", "x)", ") x", "return x", "passed", "pass  # why", "else: x = 1", "try: x", "# a comment", "end_of_loop", "done()", "fi x", "ending", '"""Docstring."""', "continue_x"])("`%s` is not", (line) => {
    expect(isTrivial(line)).toBe(false);
  });
});

describe("drift lines: the index of a file's non-blank lines", () => {
  const file = ["def f():", "", "    a = 1", "    b = 2", "   ", "    a = 1", "    b = 2", "    c = 3", ""];
  const ix = new LineIndex(file);

  it("holds the non-blank lines normalised with their 1-based line numbers, and the file's length", () => {
    expect(ix.seq).toEqual(["def f():", "    a = 1", "    b = 2", "    a = 1", "    b = 2", "    c = 3"]);
    expect(ix.lineNo).toEqual([1, 3, 4, 6, 7, 8]);
    expect(ix.totalLines).toBe(9);
    expect([ix.has("    a = 1"), ix.has("    a = 1 "), ix.has(""), ix.has("    c")]).toEqual([true, false, false, false]);
  });

  it("a run is counted at every occurrence, the first line is the earliest, blank lines do not break it", () => {
    expect(ix.findRun(["    a = 1", "    b = 2"])).toEqual({ count: 2, firstLine: 3 });
    expect(ix.findRun(["def f():", "    a = 1"])).toEqual({ count: 1, firstLine: 1 });
  });

  it("a run whose rarest line is not its first is found at the start of the file and at its end, and not past either", () => {
    // "    c = 3" is the rarest: the candidate start is counted back from it.
    expect(ix.findRun(["    a = 1", "    b = 2", "    c = 3"])).toEqual({ count: 1, firstLine: 6 });
    expect(ix.findRun(["def f():", "    a = 1", "    b = 2", "    a = 1", "    b = 2", "    c = 3"])).toEqual({ count: 1, firstLine: 1 });
    // Rarest line at the very start, the run would begin before the file: not found.
    expect(ix.findRun(["    x", "def f():"])).toEqual({ count: 0, firstLine: null });
    const short = new LineIndex(["x", "y"]);
    expect(short.findRun(["w", "x"])).toEqual({ count: 0, firstLine: null });
    expect(short.findRun(["y", "z"])).toEqual({ count: 0, firstLine: null });
    expect(short.findRun(["x", "y"])).toEqual({ count: 1, firstLine: 1 });
  });

  it("a run starting before the file or running past its end is not counted, even when its other lines are there", () => {
    // Every line of the run is in the file, but the only place the rare one sits leaves no room around it.
    const f = new LineIndex(["b", "a", "a", "b", "c", "a"]);
    expect(f.findRun(["a", "c"])).toEqual({ count: 0, firstLine: null }); // c is preceded by b
    expect(f.findRun(["a", "b", "c"])).toEqual({ count: 1, firstLine: 3 });
    expect(f.findRun(["c", "a", "b"])).toEqual({ count: 0, firstLine: null }); // would run past the end
    expect(f.findRun(["a", "b", "a"])).toEqual({ count: 0, firstLine: null });
    expect(f.findRun(["b", "a"])).toEqual({ count: 1, firstLine: 1 });
  });

  it("overlapping occurrences all count; an empty run or a missing line is never found", () => {
    const f = new LineIndex(["a", "a", "a"]);
    expect(f.findRun(["a", "a"])).toEqual({ count: 2, firstLine: 1 });
    expect(f.findRun(["a"])).toEqual({ count: 3, firstLine: 1 });
    expect(f.findRun([])).toEqual({ count: 0, firstLine: null });
    expect(f.findRun(["a", "b"])).toEqual({ count: 0, firstLine: null });
  });

  it("the gap between two lines is the blank lines between their first adjacent pair, null when never adjacent in that order", () => {
    const f = new LineIndex(["a", "b", "", "", "a", "", "c", "a", "b"]);
    expect(f.gapBetween("a", "b")).toEqual({ gap: 0, line: 1 });
    expect(f.gapBetween("a", "c")).toEqual({ gap: 1, line: 5 });
    expect(f.gapBetween("b", "a")).toEqual({ gap: 2, line: 2 });
    expect(f.gapBetween("c", "b")).toBeNull(); // c then a then b: not adjacent
    expect(f.gapBetween("b", "c")).toBeNull();
    expect(f.gapBetween("x", "a")).toBeNull();
    expect(f.gapBetween("b", "x")).toBeNull(); // the last b has nothing after it
  });

  it("similarity is the share of the lines present anywhere in the file, 0 for no lines", () => {
    const f = new LineIndex(["a", "b", "c"]);
    expect(f.similarity(["a", "x", "c", "y"])).toBe(0.5);
    expect(f.similarity(["c", "b", "a"])).toBe(1);
    expect(f.similarity(["x"])).toBe(0);
    expect(f.similarity([])).toBe(0);
  });
});
