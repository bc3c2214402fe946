import type { ApiDiff, ApiHistory, ApiImpact, ApiSurfaceResult } from "../index.js";
import { day, pct, plural, short, table } from "./format.js";

const partText = (p: { kind: string; name: string; to?: string; weak?: boolean }) => `${p.kind.replace(/-/g, " ")} '${p.name}'${p.to ? ` -> ${p.to}` : ""}${p.weak ? " (weak)" : ""}`;

export function surfaceText(r: ApiSurfaceResult, opts: { limit: number }): string {
  const by = new Map<string, number>();
  for (const o of r.objects) by.set(o.kind, (by.get(o.kind) ?? 0) + 1);
  const out = [`Public API of ${r.packages.join(", ")} at ${r.ref} (${short(r.commit)}): ${r.objects.length} objects in ${r.modules} modules (${[...by].map(([k, n]) => `${n} ${k}`).join(", ")})`, `  packages from ${r.packagesFrom}`];
  for (const o of r.objects.slice(0, opts.limit)) {
    const sig = o.params ? `(${o.params.map((p) => (p.kind === "var-positional" ? "*" : p.kind === "var-keyword" ? "**" : "") + p.name + (p.default !== null ? "=" + p.default : "")).join(", ")})` : "";
    out.push(`  ${o.kind.padEnd(9)} ${o.path}${sig}  ${o.file}:${o.line}${o.aliasOf ? ` (from ${o.aliasOf})` : ""}${o.deprecations.length ? "  [deprecated]" : ""}`);
  }
  if (r.objects.length > opts.limit) out.push(`  ... ${r.objects.length - opts.limit} more (--limit, --json)`);
  for (const w of r.warnings) out.push(`! ${w}`);
  return out.join("\n") + "\n";
}

export function apiDiffText(r: ApiDiff, opts: { limit: number }): string {
  const s = r.summary;
  const out = [
    `API changes in ${r.packages.join(", ")} from ${r.from.ref} to ${r.to.ref}: ${s.breaking} breaking (${s.announced} announced by a deprecation, ${s.breaking - s.announced} unannounced${s.weak ? `, ${s.weak} weak` : ""}), ${s.additions} additions, ${s.deprecations} newly deprecated; suggested bump: ${r.suggestedBump}`,
    `  packages from ${r.packagesFrom}`,
  ];
  for (const b of r.breaking.slice(0, opts.limit)) {
    const d = b.deprecation;
    const v = d.verdict === "announced" ? `announced (${d.markers.map((m) => `${m.marker} at ${m.file}:${m.line} since ${m.since}`).join("; ")}${d.graceDays !== undefined ? `; grace ${d.graceReleases} release(s), ${d.graceDays} days` : ""})` : "UNANNOUNCED";
    out.push(`  ${b.kind}: ${b.object}${b.to?.path ? ` -> ${b.to.path}` : ""}  ${b.file}:${b.line}  ${v}`);
    for (const p of b.parts) out.push(`      ${partText(p)}`);
    if (b.aliases?.length) out.push(`      also as ${b.aliases.join(", ")}`);
  }
  if (r.breaking.length > opts.limit) out.push(`  ... ${r.breaking.length - opts.limit} more (--limit, --json)`);
  for (const d of r.deprecations.slice(0, opts.limit)) out.push(`  newly deprecated: ${d.object}${d.param ? `(${d.param})` : ""} by ${d.marker} at ${d.file}:${d.line}${d.aliases?.length ? ` (also as ${d.aliases.join(", ")})` : ""}`);
  for (const w of r.warnings.slice(0, 10)) out.push(`! ${w}`);
  if (r.warnings.length > 10) out.push(`! ... ${r.warnings.length - 10} more warnings (--json)`);
  return out.join("\n") + "\n";
}

export function apiHistoryText(r: ApiHistory): string {
  const rows = [["date", "release", "breaking", "announced", "median grace", "deprecations", "additions", "bump"]];
  for (const x of r.releases) rows.push([day(x.date), x.ref.replace(/^refs\/tags\//, ""), String(x.breaking), x.announcedShare === null ? "-" : pct(x.announcedShare), x.medianGraceDays === null ? "-" : `${x.medianGraceReleases} rel, ${x.medianGraceDays} d`, String(x.deprecations), String(x.additions), x.suggestedBump ?? "-"]);
  const out = [`Deprecation ledger of ${r.packages.join(", ")} across ${r.releases.length} releases`, ...table(rows, ["l", "l", "r", "r", "r", "r", "r", "l"]).map((l) => "  " + l)];
  for (const w of r.warnings.slice(0, 10)) out.push(`! ${w}`);
  return out.join("\n") + "\n";
}

export function apiImpactText(r: ApiImpact, opts: { limit: number }): string {
  const out = [apiDiffText(r, { limit: Math.min(opts.limit, 10) }).trimEnd()];
  for (const d of r.downstreams) {
    out.push("");
    out.push(`Downstream ${d.source} at ${d.ref} (${short(d.commit)}): ${plural(d.summary.hits, "use")} of ${plural(d.summary.objects, "broken object")}, ${d.summary.breaking} that break; ${plural(d.summary.privateImports, "import")} of upstream private names`);
    for (const h of d.hits.slice(0, opts.limit)) out.push(`  ${h.file}:${h.line}: ${h.use} of ${h.object}: ${h.breaks === true ? "BREAKS" : h.breaks === false ? "still works" : "cannot tell"} (${h.why})`);
    for (const p of d.privateCoupling.slice(0, opts.limit)) out.push(`  ${p.file}:${p.line}: imports private ${p.path}`);
    for (const w of d.warnings.slice(0, 5)) out.push(`! ${w}`);
  }
  return out.join("\n") + "\n";
}
