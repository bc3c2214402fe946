import { sarifLog, sarifUri } from "./sarif.js";
import type { NeutralityFootprint, NeutralityHistory, NeutralityLint } from "../index.js";
import { day, pct, plural, short, table } from "./format.js";
export { attributionLabel } from "../analyzers/neutrality/taxonomy.js";

const LAYERS = ["code", "kernels", "tests", "ci", "docs", "build"] as const;

/** The footprint as a vendor × layer table of lines (sites), then concentration and gaps. */
export function footprintText(r: NeutralityFootprint, opts: { limit: number }): string {
  const out: string[] = [];
  out.push(`Hardware footprint at ${r.ref} (${short(r.commit)}): ${r.totals.scanned} of ${r.totals.files} files scanned`);
  // A plugin names its vendor once, by its own package; its imports of itself are not counted as sites.
  for (const id of r.identity ?? []) out.push(`Plugin identity: package ${id.package} (${id.path}) serves ${id.vendor}`);
  out.push("");
  out.push("Lines serving each vendor (sites in parentheses); files dedicated to a vendor count all their lines");
  const rows = [["vendor", ...LAYERS]];
  for (const [v, byLayer] of Object.entries(r.vendors)) {
    rows.push([v, ...LAYERS.map((l) => (byLayer[l] ? `${byLayer[l].lines} (${byLayer[l].sites})` : "-"))]);
  }
  out.push(...table(rows, ["l", "r", "r", "r", "r", "r", "r"]).map((l) => "  " + l));
  out.push("");
  out.push("Concentration per layer (Herfindahl index of line shares; 1 = one vendor)");
  out.push(...table([["layer", "HHI", "top vendor", "top share", "lines"], ...LAYERS.map((l) => [l, r.concentration[l].hhi.toFixed(3), r.concentration[l].top ?? "-", pct(r.concentration[l].topShare), String(r.concentration[l].lines)])], ["l", "r", "l", "r", "r"]).map((l) => "  " + l));
  if (r.gaps.length) {
    out.push("");
    out.push("Vendors with code but missing layers");
    for (const g of r.gaps) out.push(`  ${g.vendor}: has ${g.has.join(", ")}; no ${g.lacks.join(", ")}`);
  }
  const softFail = Object.entries(r.vendors).filter(([, l]) => l.ci?.softFail);
  if (softFail.length) out.push("", `CI jobs allowed to fail: ${softFail.map(([v, l]) => `${v} ${l.ci!.softFail}`).join(", ")}`);
  const generic = r.files.filter((f) => f.dedicatedTo === null && f.sites.length).sort((a, b) => b.sites.length - a.sites.length);
  if (generic.length) {
    out.push("");
    out.push(`Generic files naming vendors most often (of ${generic.length})`);
    for (const f of generic.slice(0, opts.limit)) {
      const by = new Map<string, number>();
      for (const s of f.sites) by.set(s.vendor, (by.get(s.vendor) ?? 0) + 1);
      out.push(`  ${f.path} [${f.layer}]: ${[...by].map(([v, n]) => `${v} ${n}`).join(", ")}`);
    }
  }
  for (const w of r.warnings) out.push(`! ${w}`);
  return out.join("\n") + "\n";
}

export function lintText(r: NeutralityLint, opts: { limit: number }): string {
  const out: string[] = [];
  const open = r.findings.filter((f) => !f.waived);
  out.push(`Portability lint at ${r.ref} (${short(r.commit)}), rule pack ${r.pack.id} (${r.pack.abstraction}): ${plural(r.findings.length, "finding")} (${open.length} open, ${r.findings.length - open.length} waived), ${r.failing} failing`);
  const byRule = new Map<string, number>();
  for (const f of open) byRule.set(f.rule, (byRule.get(f.rule) ?? 0) + 1);
  if (byRule.size) out.push(`  ${[...byRule].map(([k, n]) => `${k} ${n}`).join(", ")}`);
  const shown = open.filter((f) => !f.baseline);
  for (const f of shown.slice(0, opts.limit)) {
    out.push(`${f.file}:${f.line}: ${f.rule} (${f.vendor}) ${f.snippet}`);
    // A pack's suggestion may already start with the verb ("use X instead").
    if (f.suggestion) out.push(`    ${/^use\b/i.test(f.suggestion) ? "" : "use "}${f.suggestion}`);
  }
  if (shown.length > opts.limit) out.push(`... ${shown.length - opts.limit} more (--limit, --json)`);
  if (r.testGating.length) {
    const gated = new Map<string, number>();
    for (const g of r.testGating) gated.set(g.vendor, (gated.get(g.vendor) ?? 0) + 1);
    out.push(`Test gating, not findings: ${plural(r.testGating.length, "skip line")} by vendor (${[...gated].map(([v, n]) => `${v} ${n}`).join(", ")})`);
  }
  for (const w of r.warnings) out.push(`! ${w}`);
  return out.join("\n") + "\n";
}

export function historyText(r: NeutralityHistory): string {
  const vendors = [...new Set(r.history.flatMap((p) => Object.keys(p.vendors)))].sort();
  const rows = [["date", "ref", ...vendors, "code HHI", "lint debt"]];
  for (const p of r.history) rows.push([day(p.date), p.ref.replace(/^refs\/tags\//, ""), ...vendors.map((v) => String(p.vendors[v as keyof typeof p.vendors] ?? 0)), p.concentration.code.hhi.toFixed(3), String(p.lintDebt)]);
  const out = [`Hardware footprint (lines per vendor) and lint debt (pack ${r.pack.id}) across ${r.history.length} refs`, ...table(rows, ["l", "l", ...vendors.map(() => "r" as const), "r", "r"]).map((l) => "  " + l)];
  for (const w of r.warnings) out.push(`! ${w}`);
  return out.join("\n") + "\n";
}

/** SARIF 2.1.0 for GitHub code scanning: one rule per lint rule, one result per open finding (waived ones as suppressed). */
export function lintSarif(r: NeutralityLint, rules: readonly { id: string; description: string; source: string }[], version: string): unknown {
  const used = [...new Set(r.findings.map((f) => f.rule))];
  const rulesUsed = used.map((id) => {
    const rule = rules.find((x) => x.id === id);
    return { id, shortDescription: { text: rule?.description ?? id }, ...(rule?.source.startsWith("http") ? { helpUri: rule.source } : {}), properties: { pack: r.pack.id } };
  });
  return sarifLog(
    { name: "steward-neutrality", version, rules: rulesUsed },
    {
      properties: { ref: r.ref, commit: r.commit, abstraction: r.pack.abstraction },
      results: r.findings.map((f) => ({
        ruleId: f.rule,
        ruleIndex: used.indexOf(f.rule),
        level: "warning",
        message: { text: `${f.snippet} — hard-codes ${f.vendor}${f.suggestion ? `; use ${f.suggestion}` : ""}` },
        locations: [{ physicalLocation: { artifactLocation: { uri: sarifUri(f.file) }, region: { startLine: f.line } } }],
        partialFingerprints: { "steward/v1": `${f.rule}:${f.file}:${f.snippet.replace(/\s+/g, " ")}` },
        ...(f.waived ? { suppressions: [{ kind: "inSource", justification: f.waiver ?? "" }] } : {}),
        ...(f.baseline ? { baselineState: "unchanged" } : { baselineState: "new" }),
      })),
    },
  );
}
