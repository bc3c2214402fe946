import { describe, expect, it } from "vitest";
import type { FileScan } from "../../src/analyzers/neutrality/file-scan.js";
import { rollUp } from "../../src/analyzers/neutrality/footprint.js";
import type { Attribution } from "../../src/analyzers/neutrality/taxonomy.js";

/**
 * The footprint roll-up (rollUp over the scans of one tree): what a line counts for, who owns a CI
 * file's allowed failures, how concentrated a layer is and which vendors lack tests, CI or docs.
 */
type ScanSite = FileScan["sites"][number];
const scanOf = (path: string, layer: FileScan["layer"], lines: number, dedicatedTo: Attribution | null, sites: [number, Attribution][], softFail = 0): FileScan => ({
  path,
  layer,
  kind: "python",
  lines,
  dedicatedTo,
  sites: sites.map(([line, vendor]): ScanSite => ({ line, vendor, signal: `sig.${vendor}`, kind: "api", snippet: `line ${line}` })),
  softFail,
});

describe("neutrality footprint: what a line counts for", () => {
  it("a file dedicated to a vendor counts all its lines once for it, its own sites add sites but no lines", () => {
    const r = rollUp([scanOf("pkg/hpu.py", "code", 40, "intel-gaudi", [[3, "intel-gaudi"], [9, "intel-gaudi"]])]);
    expect(r.vendors).toEqual({ "intel-gaudi": { code: { sites: 2, lines: 40, files: 1, dedicatedFiles: 1 } } });
  });

  it("a generic file counts the distinct lines holding a vendor's sites (two sites on one line: one line), one file, not dedicated", () => {
    const r = rollUp([scanOf("pkg/mod.py", "code", 40, null, [[3, "nvidia"], [3, "nvidia"], [7, "nvidia"], [8, "amd"]])]);
    expect(r.vendors).toEqual({
      amd: { code: { sites: 1, lines: 1, files: 1, dedicatedFiles: 0 } },
      nvidia: { code: { sites: 3, lines: 2, files: 1, dedicatedFiles: 0 } },
    });
  });

  it("another vendor's site inside a dedicated file counts its line for that vendor, in the file's layer", () => {
    const r = rollUp([scanOf("tests/test_hpu.py", "tests", 10, "intel-gaudi", [[2, "intel-gaudi"], [5, "nvidia"]])]);
    expect(r.vendors).toEqual({
      "intel-gaudi": { tests: { sites: 1, lines: 10, files: 1, dedicatedFiles: 1 } },
      nvidia: { tests: { sites: 1, lines: 1, files: 1, dedicatedFiles: 0 } },
    });
  });

  it("the vendors are listed by name whatever the order of the files", () => {
    const files = [scanOf("a.py", "code", 5, null, [[1, "nvidia"]]), scanOf("b.py", "code", 5, null, [[1, "amd"]]), scanOf("c.py", "code", 5, null, [[1, "apple"]])];
    expect(Object.keys(rollUp(files).vendors)).toEqual(["amd", "apple", "nvidia"]);
    expect(Object.keys(rollUp([...files].reverse()).vendors)).toEqual(["amd", "apple", "nvidia"]);
  });
});

describe("neutrality footprint: a CI file's allowed failures belong to its owner", () => {
  it("a dedicated CI file's soft failures are its vendor's, whatever its sites say", () => {
    const r = rollUp([scanOf(".buildkite/amd.yml", "ci", 20, "amd", [[1, "nvidia"], [2, "nvidia"]], 3)]);
    expect(r.vendors.amd?.ci?.softFail).toBe(3);
    expect(r.vendors.nvidia?.ci?.softFail).toBeUndefined();
  });

  it("a generic CI file's soft failures go to the vendor with the most sites (more sites, not the first met), and add up over files", () => {
    const one = scanOf(".github/workflows/a.yml", "ci", 20, null, [[1, "amd"], [2, "nvidia"], [3, "nvidia"]], 2);
    const two = scanOf(".github/workflows/b.yml", "ci", 20, null, [[1, "nvidia"], [2, "amd"], [3, "amd"]], 1);
    const three = scanOf(".github/workflows/c.yml", "ci", 20, null, [[1, "nvidia"], [2, "amd"], [3, "amd"]], 4);
    const r = rollUp([one, two, three]);
    expect([r.vendors.nvidia?.ci?.softFail, r.vendors.amd?.ci?.softFail]).toEqual([2, 5]);
  });

  it("soft failures outside CI, or in a CI file naming no vendor, are nobody's", () => {
    const r = rollUp([scanOf("pkg/mod.py", "code", 5, null, [[1, "nvidia"]], 2), scanOf(".github/workflows/lint.yml", "ci", 5, null, [], 4)]);
    expect(r.vendors).toEqual({ nvidia: { code: { sites: 1, lines: 1, files: 1, dedicatedFiles: 0 } } });
  });
});

describe("neutrality footprint: concentration of a layer's lines", () => {
  it("HHI is the sum of squared line shares (rounded to 4 places), top the vendor with most lines and its share", () => {
    // 60 + 30 + 10 lines: HHI = 0.36 + 0.09 + 0.01 = 0.46; 2 of 3 lines: 0.6667.
    const r = rollUp([scanOf("a/nv.py", "code", 60, "nvidia", []), scanOf("a/amd.py", "code", 30, "amd", []), scanOf("a/tpu.py", "code", 10, "google-tpu", []), scanOf("tests/t_nv.py", "tests", 2, "nvidia", []), scanOf("tests/t_amd.py", "tests", 1, "amd", [])]);
    expect(r.concentration.code).toEqual({ hhi: 0.46, top: "nvidia", topShare: 0.6, lines: 100 });
    expect(r.concentration.tests).toEqual({ hhi: 0.5556, top: "nvidia", topShare: 0.6667, lines: 3 });
  });

  it("one vendor alone is HHI 1; a layer with no vendor lines is 0 with no top", () => {
    const r = rollUp([scanOf("pkg/x.py", "code", 7, "amd", [])]);
    expect(r.concentration.code).toEqual({ hhi: 1, top: "amd", topShare: 1, lines: 7 });
    expect(r.concentration.docs).toEqual({ hhi: 0, top: null, topShare: 0, lines: 0 });
  });

  it("a tie for the top goes to the first name, whatever the order of the files; the top has the most lines, not the first met", () => {
    const tie = [scanOf("a.py", "code", 5, "nvidia", []), scanOf("b.py", "code", 5, "amd", [])];
    expect(rollUp(tie).concentration.code.top).toBe("amd");
    expect(rollUp([...tie].reverse()).concentration.code.top).toBe("amd");
    expect(rollUp([scanOf("a.py", "code", 3, "amd", []), scanOf("b.py", "code", 5, "nvidia", [])]).concentration.code.top).toBe("nvidia");
  });

  it("a vendor with lines in another layer only does not dilute this one", () => {
    const r = rollUp([scanOf("pkg/a.py", "code", 4, "amd", []), scanOf("docs/nv.md", "docs", 9, "nvidia", [])]);
    expect(r.concentration.code).toEqual({ hhi: 1, top: "amd", topShare: 1, lines: 4 });
  });
});

describe("neutrality footprint: gaps", () => {
  it("a vendor in code, kernels or build lacking tests, CI or docs is a gap naming what it has and lacks (layer order)", () => {
    const r = rollUp([scanOf("docs/a.md", "docs", 2, "amd", []), scanOf("pkg/a.py", "code", 2, "amd", []), scanOf("csrc/k.hip", "kernels", 2, "amd", [])]);
    expect(r.gaps).toEqual([{ vendor: "amd", has: ["code", "kernels", "docs"], lacks: ["tests", "ci"] }]);
  });

  it("each of code, kernels and build alone makes a vendor liable; tests, CI or docs alone do not", () => {
    for (const layer of ["code", "kernels", "build"] as const) expect(rollUp([scanOf("x", layer, 1, "apple", [])]).gaps).toEqual([{ vendor: "apple", has: [layer], lacks: ["tests", "ci", "docs"] }]);
    for (const layer of ["tests", "ci", "docs"] as const) expect(rollUp([scanOf("x", layer, 1, "apple", [])]).gaps).toEqual([]);
  });

  it("a vendor with tests, CI and docs has no gap", () => {
    const r = rollUp([scanOf("a", "code", 1, "apple", []), scanOf("b", "tests", 1, "apple", []), scanOf("c", "ci", 1, "apple", []), scanOf("d", "docs", 1, "apple", [])]);
    expect(r.gaps).toEqual([]);
  });

  it("a family's layer is covered by a member's, a member's is not covered by its family's", () => {
    const r = rollUp([scanOf("a", "code", 1, "cuda-api", []), scanOf("b", "tests", 1, "nvidia", []), scanOf("c", "ci", 1, "amd", []), scanOf("d", "code", 1, "amd", []), scanOf("e", "docs", 1, "cuda-api", [])]);
    expect(r.gaps).toEqual([{ vendor: "amd", has: ["code", "ci"], lacks: ["tests", "docs"] }]);
  });

  it("a family lacks a layer none of its members has lines in; a member's empty file there (0 lines) covers nothing", () => {
    const r = rollUp([scanOf("a", "code", 3, "cuda-api", []), scanOf("tests/test_nv.py", "tests", 2, "nvidia", []), scanOf("ci/amd.yml", "ci", 0, "amd", [])]);
    expect(r.gaps).toEqual([{ vendor: "cuda-api", has: ["code"], lacks: ["ci", "docs"] }]);
  });

  it("gaps are listed by vendor name whatever the order of the files", () => {
    const files = [scanOf("a", "code", 1, "nvidia", []), scanOf("b", "code", 1, "amd", []), scanOf("c", "code", 1, "apple", [])];
    expect(rollUp(files).gaps.map((g) => g.vendor)).toEqual(["amd", "apple", "nvidia"]);
    expect(rollUp([...files].reverse()).gaps.map((g) => g.vendor)).toEqual(["amd", "apple", "nvidia"]);
  });
});
