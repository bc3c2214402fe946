import type { ApiContract, ApiDiff, ApiHistory, ApiImpact, ApiSurfaceResult, CouplingStatus } from "../index.js";
import type { OverrideCoupling, PatchCoupling, RegistrationCoupling, ThirdPartyPatch, Unresolved } from "../analyzers/api/contract.js";
import { day, pct, plural, short, table } from "./format.js";

const partText = (p: { kind: string; name: string; from?: string; to?: string; weak?: boolean }) => `${p.kind.replace(/-/g, " ")} '${p.name}'${p.from !== undefined ? ` ${p.from}` : ""}${p.to ? ` -> ${p.to}` : ""}${p.weak ? " (weak)" : ""}`;

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
    `API changes in ${r.packages.join(", ")} from ${r.from.ref} to ${r.to.ref}: ${s.breaking} breaking (${s.announced} announced by a deprecation, ${s.breaking - s.announced} unannounced${s.weak ? `, ${s.weak} weak` : ""}), ${s.nonBreaking ? `${s.nonBreaking} not breaking (defaults changed), ` : ""}${s.additions} additions, ${s.deprecations} newly deprecated; suggested bump: ${r.suggestedBump}`,
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
  // Changed defaults break no call: shown apart, after the breaks.
  for (const c of r.nonBreaking.slice(0, opts.limit)) {
    out.push(`  not breaking, ${c.parts.length === 1 ? "a default" : "defaults"} changed: ${c.object}  ${c.file}:${c.line}`);
    for (const p of c.parts) out.push(`      ${partText({ ...p, weak: false })}`);
    if (c.aliases?.length) out.push(`      also as ${c.aliases.join(", ")}`);
  }
  if (r.nonBreaking.length > opts.limit) out.push(`  ... ${r.nonBreaking.length - opts.limit} more not breaking (--limit, --json)`);
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

/** Listed first: what the range broke, then targets found at neither ref, then the rest. */
const rank = (s: CouplingStatus | undefined) => (s === "removed" || s === "moved" || s === "signature-changed" ? 0 : s === "not-found" ? 1 : 2);

/** One coupling's verdict in words: REMOVED, MOVED to X, RE-SIGNED old -> new. */
function statusText(x: { status?: CouplingStatus; to?: string; signature?: { from: string; to: string }; why?: string; private?: boolean }): string {
  const priv = x.private ? " [private]" : "";
  switch (x.status) {
    case "removed":
      return `REMOVED${priv}`;
    case "moved":
      return `MOVED to ${x.to ?? "?"}${priv}`;
    case "signature-changed":
      return `RE-SIGNED ${x.signature?.from ?? ""} -> ${x.signature?.to ?? ""}${priv}`;
    case "not-found":
      return `NOT FOUND${priv}${x.why ? ` (${x.why})` : ""}`;
    case "private":
      return "ok [private]";
    default:
      return `ok${priv}`;
  }
}

const patchLine = (p: PatchCoupling) => `  ${p.file}:${p.line}: patch (${p.kind}) of ${p.target}: ${statusText(p)}`;
const overrideLine = (o: OverrideCoupling) => `  ${o.file}:${o.line}: ${o.class}.${o.method} overrides ${o.target}: ${statusText(o)}`;
const registrationLine = (x: RegistrationCoupling) => `  ${x.file}:${x.line}: ${x.kind === "entry-point" ? `entry point ${x.spec ?? ""} in group ${x.target}` : `registers through ${x.target}`}: ${statusText(x)}${x.kind === "entry-point" && x.status !== "ok" && x.why ? ` (${x.why})` : ""}`;
const unresolvedLine = (u: Unresolved) => `  ${u.file}:${u.line}: ${u.expression}: unresolved (${u.why})`;
const thirdPartyLine = (t: ThirdPartyPatch) => `  ${t.file}:${t.line}: patch (${t.kind}) of ${t.target} (${t.module}, not upstream)`;

/** Stale couplings first (what breaks), then the rest up to the limit. */
function contractLines(c: { patches: PatchCoupling[]; overrides: OverrideCoupling[]; registrations: RegistrationCoupling[]; unresolved: Unresolved[]; thirdPartyPatches: ThirdPartyPatch[] }, limit: number): string[] {
  const rows: { rank: number; text: string }[] = [
    ...c.patches.map((p) => ({ rank: rank(p.status), text: patchLine(p) })),
    ...c.overrides.map((o) => ({ rank: rank(o.status), text: overrideLine(o) })),
    ...c.registrations.map((x) => ({ rank: rank(x.status), text: registrationLine(x) })),
  ];
  // A stable sort: file order within each rank.
  const ordered = rows.sort((a, b) => a.rank - b.rank).map((x) => x.text);
  const out = ordered.slice(0, limit);
  if (ordered.length > limit) out.push(`  ... ${ordered.length - limit} more (--limit, --json)`);
  out.push(...c.unresolved.slice(0, limit).map(unresolvedLine), ...c.thirdPartyPatches.slice(0, limit).map(thirdPartyLine));
  return out;
}

export function apiImpactText(r: ApiImpact, opts: { limit: number }): string {
  const out = [apiDiffText(r, { limit: Math.min(opts.limit, 10) }).trimEnd()];
  for (const d of r.downstreams) {
    out.push("");
    const k = d.contract;
    const stale = k.stale.removed + k.stale.moved + k.stale.signatureChanged;
    const parts = [k.stale.removed ? `${k.stale.removed} removed` : "", k.stale.moved ? `${k.stale.moved} moved` : "", k.stale.signatureChanged ? `${k.stale.signatureChanged} re-signed` : ""].filter(Boolean);
    out.push(`Downstream ${d.source} at ${d.ref} (${short(d.commit)}): ${plural(d.summary.hits, "use")} of ${plural(d.summary.objects, "broken object")}, ${d.summary.breaking} that break; ${plural(d.summary.privateImports, "import")} of upstream private names`);
    // What breaks leads: stale patches, overrides and registrations, then the uses the breaks hit.
    out.push(`  contract: ${plural(k.patches, "patch", "patches")}, ${plural(k.overrides, "override")}, ${plural(k.registrations, "registration")} of upstream; ${stale} stale${parts.length ? ` (${parts.join(", ")})` : ""}${k.stale.notFound ? `; ${k.stale.notFound} found at neither ref` : ""}`);
    out.push(...contractLines(d, opts.limit));
    for (const h of d.hits.slice(0, opts.limit)) out.push(`  ${h.file}:${h.line}: ${h.use} of ${h.object}${h.via ? ` (as ${h.via})` : ""}: ${h.breaks === true ? "BREAKS" : h.breaks === false ? "still works" : "cannot tell"} (${h.why})`);
    for (const p of d.privateCoupling.slice(0, opts.limit)) out.push(`  ${p.file}:${p.line}: imports private ${p.path}`);
    for (const w of d.warnings.slice(0, 5)) out.push(`! ${w}`);
  }
  return out.join("\n") + "\n";
}

export function apiContractText(r: ApiContract, opts: { limit: number }): string {
  const s = r.summary;
  const out = [
    `Contract of ${r.downstream.source} at ${r.downstream.ref} (${short(r.downstream.commit)}) with ${r.upstream.packages.join(", ")} at ${r.upstream.ref}: ${plural(s.upstreamObjects, "upstream object")} (${s.privateObjects} private, ${pct(s.privateShare)}): ${plural(s.imports, "import")}, ${plural(s.calls, "call")}, ${plural(s.subclasses, "subclass", "subclasses")}, ${plural(s.overrides, "override")}, ${plural(s.patches, "patch", "patches")}, ${plural(s.registrations, "registration")}; ${s.unresolved} unresolved, ${plural(s.thirdPartyPatches, "third-party patch", "third-party patches")}`,
    ...contractLines(r, opts.limit),
  ];
  for (const x of r.subclasses.slice(0, opts.limit)) out.push(`  ${x.file}:${x.line}: class ${x.class} subclasses ${x.base}: ${statusText(x)}`);
  const missing = [...r.imports, ...r.calls].filter((x) => x.status === "not-found");
  for (const x of missing.slice(0, opts.limit)) out.push(`  ${x.file}:${x.line}: uses ${x.target}: ${statusText(x)}`);
  for (const w of r.warnings.slice(0, 10)) out.push(`! ${w}`);
  if (r.warnings.length > 10) out.push(`! ... ${r.warnings.length - 10} more warnings (--json)`);
  return out.join("\n") + "\n";
}
