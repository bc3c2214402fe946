import { describe, expect, it } from "vitest";
import { directoryRollup, netPatchTotals } from "../../src/analyzers/drift/rollup.js";
import type { FileResult, HunkStatus } from "../../src/analyzers/drift/types.js";

/** The roll-up rules (docs/drift.md): totals are sums of the hunks, per status; folders sort by debt, then path. */
const file = (path: string, hunks: [HunkStatus, number, number][]): FileResult =>
  ({ path, added: hunks.reduce((n, h) => n + h[1], 0), deleted: hunks.reduce((n, h) => n + h[2], 0), hunks: hunks.map(([status, added, deleted]) => ({ status, added, deleted })) }) as unknown as FileResult;

describe("drift: the net patch's totals count every hunk once, under its own status", () => {
  it("hunks, added and deleted per status sum the listed hunks; the whole equals their sum", () => {
    const t = netPatchTotals([file("a.py", [["private", 2, 1], ["private", 1, 0], ["upstreamed", 3, 3]]), file("b.py", [["diverged", 0, 4]]), file("c.py", [])]);
    expect(t).toEqual({
      files: 3,
      hunks: 4,
      added: 6,
      deleted: 8,
      upstreamed: { hunks: 1, added: 3, deleted: 3 },
      private: { hunks: 2, added: 3, deleted: 1 },
      diverged: { hunks: 1, added: 0, deleted: 4 },
      debt: 4,
      reconnection: 0.4286,
    });
  });

  it("an empty patch has no hunks, no debt and no reconnection (null, not 0)", () => {
    expect(netPatchTotals([])).toEqual({ files: 0, hunks: 0, added: 0, deleted: 0, upstreamed: { hunks: 0, added: 0, deleted: 0 }, private: { hunks: 0, added: 0, deleted: 0 }, diverged: { hunks: 0, added: 0, deleted: 0 }, debt: 0, reconnection: null });
  });
});

describe("drift: folders are listed by debt, largest first, then by path", () => {
  it("more debt first whatever the input order; equal debt in path order, either way round", () => {
    const files = [file("z/a.py", [["private", 1, 0]]), file("m/a.py", [["private", 5, 0]]), file("b/a.py", [["private", 1, 0]]), file("c/a.py", [["upstreamed", 2, 0]])];
    const order = (fs: FileResult[]) => directoryRollup(fs).map((d) => [d.path, d.debt]);
    const expected = [[".", 7], ["m", 5], ["b", 1], ["z", 1], ["c", 0]];
    expect(order(files)).toEqual(expected);
    expect(order([...files].reverse())).toEqual(expected);
  });
});
