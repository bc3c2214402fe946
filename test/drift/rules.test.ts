import { describe, expect, it } from "vitest";
import { classifyHunk, type FileSides } from "../../src/analyzers/drift/classify.js";
import { LineIndex } from "../../src/analyzers/drift/lines.js";
import { directoryRollup } from "../../src/analyzers/drift/rollup.js";
import type { FileResult } from "../../src/analyzers/drift/types.js";
import type { Hunk } from "../../src/git/diff.js";

/** The classification rules (docs/drift.md), each tried on both sides of its boundary. */
const BASE = ["import os", "def setup():", "    x = configure()", "    y = device()", "    return x, y", "def run():", "    go()"];

function sides(base: string[] | null, upstream: string[] | null): FileSides {
  return { base, baseIndex: base ? new LineIndex(base) : null, upstream: upstream ? new LineIndex(upstream) : null, upstreamPath: upstream ? "pkg/a.py" : null };
}
/** A pure addition of `added` after base line `after` (1-based; 0 = at the top). */
const addition = (after: number, added: string[]): Hunk => ({ oldStart: after, oldLines: 0, newStart: after + 1, newLines: added.length, deleted: [], added });
/** A pure deletion of base lines from..to (1-based, inclusive). */
const deletion = (base: string[], from: number, to: number): Hunk => ({ oldStart: from, oldLines: to - from + 1, newStart: from - 1, newLines: 0, deleted: base.slice(from - 1, to), added: [] });
const status = (h: Hunk, s: FileSides) => {
  const c = classifyHunk(h, s);
  return `${c.status}/${c.evidence.reason}`;
};

describe("drift: an added run is upstreamed only if upstream holds it more often than the base did", () => {
  // The fork adds a second copy of "    x = configure()" after line 4.
  const hunk = addition(4, ["    x = configure()"]);
  it("upstream holds the run as often as the base (once): not upstreamed, private (upstream still has the fork's pre-image)", () => {
    expect(status(hunk, sides(BASE, BASE))).toBe("private/preimage-upstream");
  });
  it("upstream holds it once more than the base: upstreamed", () => {
    const upstream = [...BASE.slice(0, 4), "    x = configure()", ...BASE.slice(4)];
    expect(status(hunk, sides(BASE, upstream))).toBe("upstreamed/added-run-upstream");
  });
  it("a new line upstream does not hold at all, upstream unchanged around it: private", () => {
    expect(status(addition(4, ["    z = vendor_hook()"]), sides(BASE, BASE))).toBe("private/preimage-upstream");
  });
});

describe("drift: a pure deletion is private while upstream still holds the deleted lines", () => {
  it("upstream still holds them (as often as the base): private", () => {
    expect(status(deletion(BASE, 4, 4), sides(BASE, BASE))).toBe("private/preimage-upstream");
  });
  it("upstream deleted the same lines (the gap closed): upstreamed", () => {
    const upstream = BASE.filter((_, i) => i !== 3);
    expect(status(deletion(BASE, 4, 4), sides(BASE, upstream))).toBe("upstreamed/deletion-upstream");
  });
  it("the base held the run twice and upstream dropped one copy, as the fork did: not private", () => {
    const base = [...BASE, "    y = device()"];
    const upstream = BASE; // one copy left: fewer than the base's two
    expect(status(deletion(base, 4, 4), sides(base, upstream))).not.toBe("private/preimage-upstream");
    // Upstream keeping both copies: private.
    expect(status(deletion(base, 4, 4), sides(base, base))).toBe("private/preimage-upstream");
  });
  it("upstream rewrote the region (neither holds the lines nor closed the gap): diverged", () => {
    const upstream = BASE.map((l, i) => (i === 3 || i === 2 ? `    ${"w".repeat(i)} = rewritten(${i})` : l));
    expect(status(deletion(BASE, 4, 4), sides(BASE, upstream))).toBe("diverged/region-rewritten");
  });
});

describe("drift: folder roll-up", () => {
  const file = (path: string, hunks: [status: "upstreamed" | "private" | "diverged", added: number, deleted: number][]): FileResult =>
    ({ path, hunks: hunks.map(([s, added, deleted]) => ({ status: s, added, deleted })) }) as unknown as FileResult;

  it("reconnection counts diverged lines in its denominator: upstreamed / (upstreamed + private + diverged)", () => {
    const dirs = directoryRollup([file("pkg/a.py", [["upstreamed", 3, 1], ["diverged", 4, 0]]), file("pkg/sub/b.py", [["private", 2, 0]]), file("top.py", [["diverged", 0, 5]])]);
    expect(dirs).toEqual([
      { path: ".", files: 3, upstreamed: 4, private: 2, diverged: 9, debt: 2, reconnection: 0.2667 },
      { path: "pkg", files: 2, upstreamed: 4, private: 2, diverged: 4, debt: 2, reconnection: 0.4 },
      { path: "pkg/sub", files: 1, upstreamed: 0, private: 2, diverged: 0, debt: 2, reconnection: 0 },
    ]);
  });

  it("a folder with only diverged lines has reconnection 0, not null; one with no changed lines is not listed", () => {
    expect(directoryRollup([file("d/x.py", [["diverged", 1, 1]])]).find((d) => d.path === "d")).toEqual({ path: "d", files: 1, upstreamed: 0, private: 0, diverged: 2, debt: 0, reconnection: 0 });
    expect(directoryRollup([file("d/x.py", [])]).find((d) => d.path === "d")).toEqual({ path: "d", files: 1, upstreamed: 0, private: 0, diverged: 0, debt: 0, reconnection: null });
  });
});

describe("drift: whole files", () => {
  it("a file only the fork has is private; one upstream deleted is upstreamed if the fork deleted lines only, else diverged", () => {
    expect(status(addition(0, ["x = 1"]), sides(null, null))).toBe("private/file-absent-upstream");
    expect(status(deletion(BASE, 4, 4), sides(BASE, null))).toBe("upstreamed/file-deleted-upstream");
    expect(status(addition(4, ["    z = vendor_hook()"]), sides(BASE, null))).toBe("diverged/file-deleted-upstream");
  });
});

describe("drift: deletions at a file's edge close against its start or end", () => {
  it("the first line: upstreamed when upstream's copy now starts with the line below it, diverged when it starts with something else", () => {
    expect(classifyHunk(deletion(BASE, 1, 1), sides(BASE, BASE.slice(1)))).toMatchObject({ status: "upstreamed", evidence: { reason: "deletion-upstream", upstreamLine: 1 } });
    expect(status(deletion(BASE, 1, 1), sides(BASE, ["import sys", ...BASE.slice(1)]))).toBe("diverged/region-rewritten");
  });
  it("the last line: upstreamed when upstream's copy now ends with the line above it, diverged when it ends with something else", () => {
    expect(classifyHunk(deletion(BASE, 7, 7), sides(BASE, BASE.slice(0, 6)))).toMatchObject({ status: "upstreamed", evidence: { reason: "deletion-upstream", upstreamLine: 6 } });
    expect(status(deletion(BASE, 7, 7), sides(BASE, [...BASE.slice(0, 6), "    stop()"]))).toBe("diverged/region-rewritten");
  });
  it("the whole content: upstreamed when upstream kept none of it, diverged when it kept some", () => {
    const base = ["a = 1", "b = 2"];
    expect(status(deletion(base, 1, 2), sides(base, []))).toBe("upstreamed/deletion-upstream");
    expect(status(deletion(base, 1, 2), sides(base, ["c = 3"]))).toBe("upstreamed/deletion-upstream");
    expect(status(deletion(base, 1, 2), sides(base, ["a = 1", "c = 3"]))).toBe("diverged/region-rewritten");
  });
});

describe("drift: a hunk that only removes a blank line", () => {
  const base = ["a = 1", "", "b = 2"];
  const hunk: Hunk = { oldStart: 2, oldLines: 1, newStart: 1, newLines: 0, deleted: [""], added: [] };
  it("upstreamed when upstream's gap between the same lines is the fork's; private while upstream keeps the base's gap", () => {
    expect(status(hunk, sides(base, ["a = 1", "b = 2"]))).toBe("upstreamed/added-run-upstream");
    expect(status(hunk, sides(base, base))).toBe("private/preimage-upstream");
    expect(status(hunk, sides(base, ["b = 2", "a = 1"]))).toBe("diverged/region-rewritten");
  });
});

describe("drift: the evidence names the upstream line that decided, and the hunk's first non-blank line", () => {
  const at = (h: Hunk, s: FileSides) => classifyHunk(h, s).evidence;
  it("a deletion upstream still holds: the held line; one upstream closed: the line above the closed gap", () => {
    expect(at(deletion(BASE, 4, 4), sides(BASE, BASE))).toEqual({ reason: "preimage-upstream", upstreamPath: "pkg/a.py", upstreamLine: 4, snippet: "y = device()" });
    // Upstream inserted a line on top, so its line numbers differ from the base's by one.
    const upstream = ["import sys", ...BASE.filter((_, i) => i !== 3)];
    expect(at(deletion(BASE, 4, 4), sides(BASE, upstream))).toEqual({ reason: "deletion-upstream", upstreamPath: "pkg/a.py", upstreamLine: 4, snippet: "y = device()" });
  });
  it("an added run upstream holds: its first line upstream; a private addition: where upstream holds the lines around it", () => {
    const upstream = ["import sys", ...BASE.slice(0, 4), "    w = accelerator()", ...BASE.slice(4)];
    expect(at(addition(4, ["    w = accelerator()"]), sides(BASE, upstream))).toEqual({ reason: "added-run-upstream", upstreamPath: "pkg/a.py", upstreamLine: 6, snippet: "w = accelerator()" });
    expect(at(addition(4, ["    z = vendor_hook()"]), sides(BASE, ["import sys", ...BASE]))).toEqual({ reason: "preimage-upstream", upstreamPath: "pkg/a.py", upstreamLine: 5, snippet: "z = vendor_hook()" });
  });
  it("a rewritten region: the share of the fork's lines upstream holds anywhere, rounded to 3 places", () => {
    const upstream = [BASE[0]!, "def setup():", "    a = 1", "    b = 2", "def run():", "    go()"];
    const h: Hunk = { oldStart: 3, oldLines: 2, newStart: 3, newLines: 3, deleted: BASE.slice(2, 4), added: ["    x = hpu()", "    go()", "    y = hpu()"] };
    expect(at(h, sides(BASE, upstream))).toEqual({ reason: "region-rewritten", upstreamPath: "pkg/a.py", similarity: 0.333, snippet: "x = hpu()" });
    const d = deletion(BASE, 3, 5);
    expect(at(d, sides(BASE, [...upstream.slice(0, 4), "    return x, y", "def run():"]))).toEqual({ reason: "region-rewritten", upstreamPath: "pkg/a.py", similarity: 0.333, snippet: "x = configure()" });
  });
  it("the snippet: the first non-blank line, added before deleted, trimmed, cut at 160 characters; none for a blank-only hunk", () => {
    const long = `    ${"v".repeat(200)} = 1   `;
    const h: Hunk = { oldStart: 4, oldLines: 1, newStart: 4, newLines: 3, deleted: ["    y = device()"], added: ["", "   ", long] };
    expect(at(h, sides(BASE, BASE)).snippet).toBe("v".repeat(160));
    const onlyDeleted: Hunk = { oldStart: 4, oldLines: 1, newStart: 4, newLines: 1, deleted: ["    y = device()"], added: [""] };
    expect(at(onlyDeleted, sides(BASE, BASE)).snippet).toBe("y = device()");
    const blank: Hunk = { oldStart: 2, oldLines: 0, newStart: 3, newLines: 1, deleted: [], added: [""] };
    expect(at(blank, sides(BASE, BASE))).toStrictEqual({ reason: "preimage-upstream", upstreamPath: "pkg/a.py", upstreamLine: 2 });
  });
});

describe("drift: a run of only trivial lines is upstreamed only with a neighbouring base line", () => {
  // The fork adds a lone ")" after line 3.
  const hunk = addition(3, [")"]);
  it("upstream holds ')' right below the line above the insertion: upstreamed; elsewhere only: not", () => {
    const withAbove = [...BASE.slice(0, 3), ")", "    extra = 1", ...BASE.slice(3)];
    expect(classifyHunk(hunk, sides(BASE, withAbove))).toMatchObject({ status: "upstreamed", evidence: { reason: "added-run-upstream", upstreamLine: 3 } });
    const elsewhere = [...BASE, ")"];
    expect(status(hunk, sides(BASE, elsewhere))).toBe("private/preimage-upstream");
  });
  it("upstream holds ')' right above the line below the insertion: upstreamed, from the ')'", () => {
    const withBelow = [...BASE.slice(0, 3), "    extra = 1", ")", ...BASE.slice(3)];
    expect(classifyHunk(hunk, sides(BASE, withBelow))).toMatchObject({ status: "upstreamed", evidence: { reason: "added-run-upstream", upstreamLine: 5 } });
  });
  it("the base already holding the anchor and ')' as often as upstream: not upstreamed", () => {
    const base = [...BASE.slice(0, 3), ")", ...BASE.slice(3)];
    const h = addition(4, [")"]); // a second ')' after the first
    expect(status(h, sides(base, base))).toBe("private/preimage-upstream");
  });
  it("the anchors skip blank lines, and the file's first and last lines are anchors", () => {
    const base = ["a = 1", "", "b = 2"];
    // Inserted after the blank line: the line above is "a = 1".
    expect(status(addition(2, [")"]), sides(base, ["a = 1", "", ")", "z = 0", "b = 2"]))).toBe("upstreamed/added-run-upstream");
    // Inserted after the first line, upstream holds it after that line only.
    expect(status(addition(1, [")"]), sides(BASE, [BASE[0]!, ")", "z = 0", ...BASE.slice(1)]))).toBe("upstreamed/added-run-upstream");
    // Inserted before the last line, upstream holds it before that line only.
    expect(status(addition(6, [")"]), sides(BASE, [...BASE.slice(0, 6), "z = 0", ")", BASE[6]!]))).toBe("upstreamed/added-run-upstream");
    // Inserted before a blank line and the last line: the line below is the last line.
    const tail = ["a = 1", "b = 2", "", "c = 3"];
    expect(status(addition(2, [")"]), sides(tail, ["a = 1", "b = 2", "z = 0", ")", "", "c = 3"]))).toBe("upstreamed/added-run-upstream");
  });
});

describe("drift: a pure addition with no base line around it", () => {
  it("into a file empty in the base: private while upstream's copy is still empty, diverged once upstream wrote something", () => {
    expect(classifyHunk(addition(0, ["x = 1"]), sides([], []))).toMatchObject({ status: "private", evidence: { reason: "preimage-upstream", upstreamLine: 1 } });
    expect(status(addition(0, ["x = 1"]), sides([], ["y = 2"]))).toBe("diverged/region-rewritten");
  });
});

describe("drift: only a run with a significant line is matched alone", () => {
  it("a significant line with a ')' is upstreamed wherever upstream holds the run, with no base line beside it", () => {
    const h = addition(4, ["    w = accelerator()", ")"]);
    const upstream = [...BASE, "def other():", "    w = accelerator()", ")"];
    expect(status(h, sides(BASE, upstream))).toBe("upstreamed/added-run-upstream");
  });
  it("a ')' added at the top of a file has no line above: only the line below can carry it", () => {
    // Upstream holds a ')' but not right above the first line: not upstreamed.
    expect(status(addition(0, [")"]), sides(BASE, [...BASE, ")"]))).toBe("private/preimage-upstream");
    expect(status(addition(0, [")"]), sides(BASE, [")", ...BASE]))).toBe("upstreamed/added-run-upstream");
    // At the end of a file, likewise with the line above.
    expect(status(addition(7, [")"]), sides(BASE, [")", ...BASE]))).toBe("private/preimage-upstream");
    expect(status(addition(7, [")"]), sides(BASE, [...BASE, ")"]))).toBe("upstreamed/added-run-upstream");
  });
});

describe("drift: a hunk that only adds a blank line, or swaps one blank line for another", () => {
  const base = ["a = 1", "b = 2"];
  it("an added blank line is upstreamed when upstream's gap grew the same, from the line above the gap", () => {
    const h: Hunk = { oldStart: 1, oldLines: 0, newStart: 2, newLines: 1, deleted: [], added: [""] };
    expect(classifyHunk(h, sides(base, ["x = 0", "a = 1", "", "b = 2"]))).toEqual({ status: "upstreamed", evidence: { reason: "added-run-upstream", upstreamPath: "pkg/a.py", upstreamLine: 2 } });
    expect(classifyHunk(h, sides(base, ["x = 0", "a = 1", "b = 2"]))).toEqual({ status: "private", evidence: { reason: "preimage-upstream", upstreamPath: "pkg/a.py", upstreamLine: 2 } });
    expect(status(h, sides(base, ["a = 1", "", "", "b = 2"]))).toBe("private/preimage-upstream");
  });
  it("a blank line replaced by a whitespace-only one leaves the gap as it was: private even where upstream's gap is the same", () => {
    const b3 = ["a = 1", "", "b = 2"];
    const h: Hunk = { oldStart: 2, oldLines: 1, newStart: 2, newLines: 1, deleted: [""], added: ["    "] };
    expect(status(h, sides(b3, b3))).toBe("private/preimage-upstream");
  });
});
