import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { RULES } from "../../src/analyzers/neutrality/packs.js";
import { ATTRIBUTIONS } from "../../src/analyzers/neutrality/taxonomy.js";
import type { LintFinding, NeutralityLint } from "../../src/analyzers/neutrality/types.js";
import type { GateFinding, GateResult, PolicyResult, WaiverResult } from "../../src/gate/types.js";
import { checkSarif } from "../../src/report/gate.js";
import { lintSarif } from "../../src/report/neutrality.js";
import { sarifUri } from "../../src/report/sarif.js";
import { tempDir } from "../helpers/git.js";
import { fcParams, sampleCases } from "../helpers/property.js";

/*
 * SARIF round-trips: generated lint and gate results (paths with spaces, unicode, a leading '-',
 * '%', '#', '?', ':', backslashes) -> SARIF -> parsed back give the same locations, rule ids and
 * messages, every uri is an RFC 3986 URI reference, and the official validator accepts the logs.
 */

const SARIF_MULTITOOL = resolve("node_modules/.bin/sarif-multitool");

/** Characters that break a raw URI (and the ones that do not), plus any unicode. */
const ODD = [..."ab-_.~ %#?:@!$&'()*+,;=[]\\\"<>{}|^`é中😀\t"];
const SEGMENT = fc
  .oneof(fc.string({ unit: fc.constantFrom(...ODD), minLength: 1, maxLength: 8 }), fc.string({ unit: "grapheme", minLength: 1, maxLength: 6 }), fc.constantFrom("-rf", "--help", "%20", "%zz", "#x", "a b", "50%.py"))
  .filter((s) => !s.includes("/") && s !== "." && s !== ".." && !s.includes("\0"));
const PATH = fc.array(SEGMENT, { minLength: 1, maxLength: 4 }).map((segs) => segs.join("/"));

/**
 * RFC 3986, what Steward writes: a relative-ref of a path (pchar = unreserved / pct-encoded /
 * sub-delims / ":" / "@"; no ':' in the first segment, no leading '/'), or file:// and an absolute path.
 */
const URI_PATH = /^(?:file:\/\/\/|(?=[^/]))(?:[A-Za-z0-9\-._~!$&'()*+,;=@/]|%[0-9A-F]{2})+(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/]|%[0-9A-F]{2})*$/;

interface SarifLog {
  version: string;
  runs: {
    tool: { driver: { rules: { id: string }[] } };
    results: { ruleId: string; ruleIndex: number; message: { text: string }; locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }[]; suppressions?: { justification: string }[]; baselineState?: string }[];
  }[];
}

/** The path as UTF-8 can carry it (String.prototype.toWellFormed, Node 20; not in the ES2023 typings). */
const wellFormed = (s: string) => (s as unknown as { toWellFormed(): string }).toWellFormed();
const roundTrip = (x: unknown) => JSON.parse(JSON.stringify(x)) as SarifLog;
/** A uri read back as a path: an absolute path is a file:// URI, anything else a relative reference. */
const pathOf = (uri: string) => decodeURIComponent(uri.replace(/^file:\/\/(?=\/)/, ""));
const located = (r: SarifLog["runs"][0]["results"][0]) => r.locations.map((l) => ({ path: pathOf(l.physicalLocation.artifactLocation.uri), line: l.physicalLocation.region.startLine }));

describe("sarifUri", () => {
  it("percent-encodes what a URI reads specially, and decodes back to the path", () => {
    expect(sarifUri("pkg/a b/m#1 %20ü.py")).toBe("pkg/a%20b/m%231%20%2520%C3%BC.py");
    expect(sarifUri("-rf/x:y.py")).toBe("-rf/x%3Ay.py");
    expect(sarifUri("/abs/my portfolio/steward.yaml")).toBe("file:///abs/my%20portfolio/steward.yaml");
    fc.assert(
      fc.property(PATH, (p) => {
        const uri = sarifUri(p);
        expect(uri).toMatch(URI_PATH);
        expect(pathOf(uri)).toBe(wellFormed(p));
      }),
      fcParams(),
    );
  });
});

const RULE_IDS = RULES.map((r) => r.id);
const TEXT = fc.string({ unit: "grapheme", maxLength: 40 });

const FINDING: fc.Arbitrary<LintFinding> = fc
  .record({ rule: fc.constantFrom(...RULE_IDS), file: PATH, line: fc.integer({ min: 1, max: 100_000 }), vendor: fc.constantFrom(...ATTRIBUTIONS), snippet: TEXT, suggestion: fc.option(TEXT, { nil: undefined }), waiver: fc.option(TEXT, { nil: undefined }), baseline: fc.boolean() })
  .map(({ suggestion, waiver, baseline, ...f }) => ({ ...f, waived: waiver !== undefined, ...(suggestion ? { suggestion } : {}), ...(waiver !== undefined ? { waiver } : {}), ...(baseline ? { baseline } : {}) }));

const LINT: fc.Arbitrary<NeutralityLint> = fc.array(FINDING, { maxLength: 6 }).map((findings) => ({
  schemaVersion: 2,
  ref: "refs/heads/main",
  commit: "0".repeat(40),
  pack: { id: "deepspeed", abstraction: "get_accelerator()" },
  findings,
  testGating: [],
  failing: findings.filter((f) => !f.waived && !f.baseline).length,
  coverage: { files: 1, missing: 0, missingPaths: [] } as unknown as NeutralityLint["coverage"],
  warnings: [],
}));

describe("steward neutrality lint --format sarif: parse(print(findings)) = findings", () => {
  it("one result per finding, in order, with its rule, location, message, suppression and baseline state", () => {
    fc.assert(
      fc.property(LINT, (lint) => {
        const run = roundTrip(lintSarif(lint, RULES, "0.0.0")).runs[0]!;
        expect(run.results).toHaveLength(lint.findings.length);
        lint.findings.forEach((f, i) => {
          const r = run.results[i]!;
          expect(r.ruleId).toBe(f.rule);
          expect(run.tool.driver.rules[r.ruleIndex]!.id).toBe(f.rule);
          expect(r.locations[0]!.physicalLocation.artifactLocation.uri).toMatch(URI_PATH);
          expect(located(r)).toEqual([{ path: wellFormed(f.file), line: f.line }]);
          expect(r.message.text).toBe(`${f.snippet} — hard-codes ${f.vendor}${f.suggestion ? `; use ${f.suggestion}` : ""}`);
          expect(r.suppressions?.[0]?.justification).toBe(f.waived ? (f.waiver ?? "") : undefined);
          expect(r.baselineState).toBe(f.baseline ? "unchanged" : "new");
        });
        expect(new Set(run.tool.driver.rules.map((x) => x.id))).toEqual(new Set(lint.findings.map((f) => f.rule)));
      }),
      fcParams(),
    );
  });
});

const POLICIES = ["neutrality.lint", "api.unannounced", "api.grace", "drift.baseAge", "community.ownership", "deps.lag", "custom.policy"];
const GATE_FINDING: fc.Arbitrary<GateFinding> = fc
  .record({ fingerprint: TEXT, message: TEXT, path: fc.option(PATH, { nil: undefined }), line: fc.option(fc.integer({ min: 0, max: 5000 }), { nil: undefined }), waived: fc.boolean() })
  .map(({ path, line, waived, ...f }) => ({ ...f, evidence: { n: 1 }, ...(path !== undefined ? { path } : {}), ...(line !== undefined ? { line } : {}), ...(waived ? { waivedBy: 0 } : {}) }));
// Portfolio mode names steward.yaml relative to the working directory; change mode as the user gave it (maybe absolute).
const CONFIG_AT = fc.option(fc.record({ file: fc.oneof(PATH.map((p) => `/${p}/steward.yaml`), PATH.map((p) => `../${p}/steward.yaml`)), line: fc.integer({ min: 1, max: 500 }) }), { nil: undefined });
const POLICY: fc.Arbitrary<PolicyResult> = fc
  .record({ policy: fc.constantFrom(...POLICIES), repository: TEXT, status: fc.constantFrom("pass", "fail", "waived", "error"), summary: TEXT, findings: fc.array(GATE_FINDING, { maxLength: 4 }), definedAt: CONFIG_AT })
  .map(({ definedAt, ...p }) => ({ ...p, reason: "why", threshold: {}, evidence: {}, ...(definedAt ? { definedAt } : {}) }));
const WAIVER: fc.Arbitrary<WaiverResult> = fc
  .record({ status: fc.constantFrom("active", "expired", "stale"), match: TEXT, definedAt: CONFIG_AT })
  .map(({ definedAt, ...w }) => ({ ...w, index: 0, policy: "neutrality.lint", repository: "core", reason: "r", owner: "o@x", expires: "2030-01-01", matched: 0, ...(definedAt ? { definedAt } : {}) }));
const GATE: fc.Arbitrary<GateResult> = fc.record({ results: fc.array(POLICY, { maxLength: 4 }), waivers: fc.array(WAIVER, { minLength: 1, maxLength: 3 }) }).map(({ results, waivers }) => ({
  schemaVersion: 1,
  mode: "portfolio",
  config: "steward.yaml",
  date: "2026-06-01",
  verdict: "fail",
  results,
  waivers: waivers.map((w, index) => ({ ...w, index })),
  summary: { pass: 0, fail: 0, waived: 0, error: 0, expiredWaivers: 0, staleWaivers: 0 },
  warnings: [],
}));

/** What checkSarif should say for a gate result, read from the result alone (a second, simple reading). */
function expectedGateResults(g: GateResult) {
  const out: { ruleId: string; locations: { path: string; line: number }[]; message: string; suppressed: boolean }[] = [];
  const at = (d?: { file: string; line: number }) => (d ? [{ path: wellFormed(d.file), line: d.line }] : []);
  for (const p of g.results) {
    if (p.status === "error") {
      out.push({ ruleId: p.policy, locations: at(p.definedAt), message: `${p.repository}: could not judge: ${p.summary}`, suppressed: false });
      continue;
    }
    for (const f of p.findings) out.push({ ruleId: p.policy, locations: f.path ? [{ path: wellFormed(f.path), line: Math.max(1, f.line ?? 1) }] : at(p.definedAt), message: `${p.repository}: ${f.message}. ${p.reason}`, suppressed: f.waivedBy !== undefined });
  }
  for (const w of g.waivers.filter((x) => x.status !== "active")) out.push({ ruleId: "steward.waiver", locations: at(w.definedAt), message: w.status === "expired" ? `waiver ${w.index} (${w.policy}, ${w.repository}, ${w.match}) expired on ${w.expires}; owner ${w.owner}` : `waiver ${w.index} (${w.policy}, ${w.repository}, ${w.match}) matches nothing: remove it`, suppressed: false });
  return out;
}

describe("steward check --format sarif: parse(print(result)) = result", () => {
  it("one result per finding, per policy that could not be judged and per expired or stale waiver, with rule, location and message", () => {
    fc.assert(
      fc.property(GATE, (g) => {
        const run = roundTrip(checkSarif(g, "0.0.0")).runs[0]!;
        const back = run.results.map((r) => {
          expect(run.tool.driver.rules[r.ruleIndex]!.id).toBe(r.ruleId);
          for (const l of r.locations) expect(l.physicalLocation.artifactLocation.uri).toMatch(URI_PATH);
          return { ruleId: r.ruleId, locations: located(r), message: r.message.text, suppressed: r.suppressions !== undefined };
        });
        expect(back).toEqual(expectedGateResults(g));
      }),
      fcParams(),
    );
  });
});

describe("the official SARIF validator accepts every generated log", () => {
  it("lint and check logs with odd paths: no error, warning or note", () => {
    const dir = tempDir("steward-sarif-");
    // The validator costs seconds per file: every generated log's run goes into one log of many runs.
    const lints = sampleCases(LINT);
    const gates = sampleCases(GATE);
    const runs = [...lints.map((l) => lintSarif(l, RULES, "0.0.0")), ...gates.map((g) => checkSarif(g, "0.0.0"))].flatMap((log) => (log as { runs: unknown[] }).runs);
    expect(lints.some((l) => l.findings.some((f) => /[ #%|]/.test(f.file)))).toBe(true);
    // A canary the validator must reject: a raw '|' in a uri (what Steward wrote before sarifUri)
    // makes it skip the whole file silently, so an empty report alone would prove nothing.
    const canary = { tool: { driver: { name: "canary", version: "1", informationUri: "https://example.org/canary", rules: [] } }, results: [{ ruleId: "c", message: { text: "c" }, locations: [{ physicalLocation: { artifactLocation: { uri: "canary path.py" }, region: { startLine: 1 } } }] }] };
    const file = join(dir, "generated.sarif");
    writeFileSync(file, JSON.stringify({ ...(lintSarif(lints[0]!, RULES, "0.0.0") as object), runs: [...runs, canary] }, null, 2));
    const v = spawnSync(SARIF_MULTITOOL, ["validate", file], { encoding: "utf8" });
    expect(v.status).toBe(0);
    expect(`${v.stdout}\n${v.stderr}`).toContain("Done. 1 files scanned.");
    const problems = `${v.stdout}\n${v.stderr}`.split("\n").filter((l) => /: (error|warning|note) [A-Z]+\d+/.test(l));
    expect(problems).toEqual([expect.stringMatching(new RegExp(`error SARIF1002: runs\\[${runs.length}\\]\\.results\\[0\\].*'canary path\\.py' is not a valid URI reference`))]);
  }, 120_000);
});
