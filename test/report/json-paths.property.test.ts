import { join } from "node:path";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { drift } from "../../src/analyzers/drift/index.js";
import { neutrality, neutralityLint } from "../../src/analyzers/neutrality/index.js";
import { RULES } from "../../src/analyzers/neutrality/packs.js";
import { HistoryBuilder } from "../../src/git/builder.js";
import { lintSarif } from "../../src/report/neutrality.js";
import { tempDir, up, vendor } from "../helpers/git.js";
import { FC_RUNS, sampleCases } from "../helpers/property.js";
import { expectMatchesSchema } from "../helpers/schema.js";

/*
 * JSON and SARIF outputs on generated file names: one repository holds FC_RUNS generated paths
 * (spaces, '%', '#', '-' first, quotes, backslashes, non-Latin letters, emoji, a newline), each a
 * Python file with one torch.cuda call at a generated line, added on a fork branch. The lint, the
 * footprint and drift find each file as written, at its line; their --json validates against
 * docs/schema/; the SARIF uri decodes back to the path.
 */

// No ASCII letters: a generated name never spells a vendor, a test or a docs folder.
const UNIT = fc.constantFrom(..." %#?:@!$&'()*+,;=[]{}|^`~-_\"\\\n0123456789é中😀");
const SEGMENT = fc.string({ unit: UNIT, minLength: 1, maxLength: 6 }).filter((s) => s !== "." && s !== "..");
const CASE = fc.record({ dir: SEGMENT, file: SEGMENT, blank: fc.integer({ min: 0, max: 5 }) });

const root = tempDir("steward-json-paths-");
const repo = join(root, "repo");
const cases = [
  ...new Map(
    sampleCases(CASE).map((c, i) => {
      const path = `pkg/${c.dir}/m${i}${c.file}.py`;
      return [path, { path, line: c.blank + 2 }] as const;
    }),
  ).values(),
];

beforeAll(async () => {
  const b = new HistoryBuilder();
  const base = b.commit({ branch: "main", message: "base", author: up("2024-01-01T00:00:00Z"), files: { "pkg/__init__.py": "" } });
  b.commit({ branch: "fork", parents: [base], message: "odd names", author: vendor("2024-02-01T00:00:00Z"), files: Object.fromEntries(cases.map((c) => [c.path, `import torch\n${"\n".repeat(c.line - 2)}x = torch.cuda.synchronize()\n`])) });
  await b.write(repo);
}, 60_000);

describe("generated file names through the real analyses", () => {
  it(`${FC_RUNS} generated names: the lint finds each at its line, its JSON validates, its SARIF decodes back`, async () => {
    expect(cases.length).toBeGreaterThan(FC_RUNS * 0.9);
    const r = await neutralityLint({ repo, ref: "fork", pack: "generic" });
    await expectMatchesSchema("neutrality-lint", r);
    expect(r.findings.map((f) => `${f.line}\t${f.file}`).sort()).toEqual(cases.map((c) => `${c.line}\t${c.path}`).sort());
    const sarif = JSON.parse(JSON.stringify(lintSarif(r, RULES, "0"))) as { runs: { results: { locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }[] }[] }[] };
    expect(sarif.runs[0]!.results.map((x) => `${x.locations[0]!.physicalLocation.region.startLine}\t${decodeURIComponent(x.locations[0]!.physicalLocation.artifactLocation.uri)}`).sort()).toEqual(cases.map((c) => `${c.line}\t${c.path}`).sort());
  }, 60_000);

  it("the footprint lists each file with its one site; drift counts each added file's lines as private debt; both validate", async () => {
    const n = await neutrality({ repo, ref: "fork" });
    await expectMatchesSchema("neutrality", n);
    expect(n.files.map((f) => `${f.sites.map((s) => s.line).join(",")}\t${f.path}`).sort()).toEqual(cases.map((c) => `${c.line}\t${c.path}`).sort());
    const d = await drift({ repo, upstream: "main", forks: ["fork"] });
    await expectMatchesSchema("drift", d);
    const files = (d as { files: { path: string; debt: number }[] }).files;
    // An added file is private whole: its debt is its line count (blank lines included), which is its call's line.
    expect(files.map((f) => `${f.debt}\t${f.path}`).sort()).toEqual(cases.map((c) => `${c.line}\t${c.path}`).sort());
  }, 60_000);
});
