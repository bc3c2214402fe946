import type { CommunityResult, OwnerToResolve, UnknownIdentity } from "../index.js";
import { placingMatch } from "../analyzers/community/ownership.js";
import { mdEscape, pct, plural, short, table } from "./format.js";

type Interval = { best: number; worst: number };
const iv = (x: Interval, f: (n: number) => string = String) => (x.best === x.worst ? f(x.best) : `${f(x.best)}–${f(x.worst)}`);
const num = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(1));

/** The community result for a terminal: headline, organisations, periods, areas, review, ownership. */
export function communityText(r: CommunityResult, opts: { limit: number }): string {
  const out: string[] = [];
  const range = r.range.since || r.range.until ? ` from ${r.range.since ?? "the start"} to ${r.range.until ?? "the end"}` : "";
  out.push(`Community at ${r.ref} (${short(r.commit)})${range}: ${plural(r.totals.commits, "commit")} (merges and ${plural(r.bots.commits, "bot commit")} apart) by ${plural(r.totals.contributors, "person", "people")}; co-authors: ${r.coauthors}`);
  if (r.totals.commits === 0) {
    // Shares of nothing would read as "(unknown) 100%": say there is nothing to measure instead.
    out.push(`  no commits${range ? " in this window (--since/--until)" : ""}: no organisations, shares, factors or periods to measure`);
  } else {
    out.push(`  affiliation coverage ${pct(r.coverage)} of commits; unknown: ${num(r.unknown.commits)} commits by ${plural(r.unknown.identities, "identity", "identities")} (${Object.entries(r.unknown.bySource).map(([k, v]) => `${k} ${num(v)}`).join(", ") || "none"})`);
    out.push(`  best–worst: elephant factor ${iv(r.elephantFactor)} · contributor absence factor ${iv(r.busFactor)} · top-1 share ${iv(r.top1Share, pct)} · top-2 ${iv(r.top2Share, pct)} · HHI ${iv(r.hhi, (n) => n.toFixed(3))}`);
    out.push("    (best: each unknown identity its own organisation; worst: all unknown commits in the top one)");
    out.push("");
    const rows = [["organisation", "commits", "share", "lines", "people"], ...r.organizations.slice(0, opts.limit).map((o) => [o.name, num(o.commits), pct(o.share), String(o.lines), String(o.contributors)])];
    rows.push(["(unknown)", num(r.unknown.commits), pct(r.totals.commits ? 1 - r.coverage : 0), String(r.unknown.lines), String(r.unknown.identities)]);
    out.push(...table(rows, ["l", "r", "r", "r", "r"]).map((l) => "  " + l));
    if (r.organizations.length > opts.limit) out.push(`  ... ${r.organizations.length - opts.limit} more organisations (--limit, --json)`);
    out.push("");
    out.push(`Per ${r.period}: commits, new contributors, coverage, elephant factor (and over the last ${r.periods.at(-1)?.rolling.periods ?? 0})`);
    out.push(
      ...table(
        [["period", "commits", "people", "new", "coverage", "EF", "rolling EF", "top org"], ...r.periods.map((p) => [p.period, String(p.commits), String(p.contributors), String(p.newContributors), pct(p.coverage), iv(p.elephantFactor), iv(p.rolling.elephantFactor), p.organizations[0] ? `${p.organizations[0].name} ${num(p.organizations[0].commits)}` : "-"])],
        ["l", "r", "r", "r", "r", "r", "r", "l"],
      ).map((l) => "  " + l),
    );
  }
  if (r.areas.length) {
    out.push("");
    out.push("Who writes which part (changed lines per top-level directory)");
    for (const a of r.areas.slice(0, opts.limit)) out.push(`  ${a.area}: ${a.lines} lines; ${a.organizations.slice(0, 3).map((o) => `${o.name} ${pct(a.lines ? o.lines / a.lines : 0)}`).join(", ")}`);
  }
  if (r.vendorAreas.length) {
    out.push("");
    out.push("Who writes each vendor's code (files dedicated to one vendor by name)");
    for (const a of r.vendorAreas.slice(0, opts.limit)) out.push(`  ${a.vendor}: ${a.lines} lines; ${a.organizations.slice(0, 3).map((o) => `${o.name} ${pct(a.lines ? o.lines / a.lines : 0)}`).join(", ")}`);
  }
  out.push("");
  out.push(`Review and merge: ${r.review.reviewed} commits with a reviewer, approver, other sign-off or distinct committer; same-organisation rate ${r.review.sameOrganizationRate === null ? "n/a" : pct(r.review.sameOrganizationRate)}`);
  for (const m of r.review.matrix.slice(0, Math.min(opts.limit, 8))) out.push(`  ${m.author} -> ${m.reviewer}: ${m.commits}`);
  if (r.ownership) {
    const own = r.ownership;
    out.push("");
    out.push(`Ownership (${own.file}): ${own.files.owned} of ${own.files.total} files owned; ${pct(own.singleOrganizationShare.files)} of owned files and ${pct(own.singleOrganizationShare.lines)} of their lines have every owner in one organisation`);
    for (const b of own.byOrganization) out.push(`  only ${b.organization}: ${plural(b.files, "file")}, ${plural(b.lines, "line")}`);
    const unresolved = own.owners.filter((o) => o.organization === null);
    if (unresolved.length) out.push(`  unresolved owners (${unresolved.length}): ${unresolved.slice(0, 6).map((o) => o.owner).join(", ")}${unresolved.length > 6 ? ", ..." : ""}`);
    const guessed = own.owners.filter((o) => o.organization !== null && placingMatch(o) && placingMatch(o)!.confidence !== "high");
    if (guessed.length) out.push(`  placed by a heuristic only (${guessed.length}): ${guessed.slice(0, 6).map((o) => `${o.owner} (${placingMatch(o)!.confidence})`).join(", ")}${guessed.length > 6 ? ", ..." : ""}`);
    if (unresolved.length || guessed.length) out.push("  settle them: steward identities unknown --owners");
  }
  if (r.merges.length) out.push("", `${plural(r.merges.length, "person", "people")} seen under several addresses (merges with their evidence in --json)`);
  for (const w of r.warnings) out.push(`! ${w}`);
  return out.join("\n") + "\n";
}

export function ownersToResolveText(r: { ref: string; commit: string; file: string | null; owners: OwnerToResolve[]; warnings: string[] }, opts: { limit: number }): string {
  if (r.file === null) return `No CODEOWNERS, OWNERS or MAINTAINERS file at ${r.ref} (${short(r.commit)})\n`;
  const unresolved = r.owners.filter((o) => o.state === "unresolved");
  const guessed = r.owners.filter((o) => o.state === "guessed");
  const out = [`Owners in ${r.file} at ${r.ref} (${short(r.commit)}): ${unresolved.length} unresolved, ${guessed.length} placed by a heuristic only`];
  const rows = (list: OwnerToResolve[], why: (o: OwnerToResolve) => string) => table([["files", "lines", "owner", "why"], ...list.slice(0, opts.limit).map((o) => [String(o.files), String(o.lines), o.owner, why(o)])], ["r", "r", "l", "l"]).map((l) => "  " + l);
  if (unresolved.length) out.push("", "Unresolved (their files count as unresolved ownership):", ...rows(unresolved, (o) => o.why));
  if (guessed.length) out.push("", "Placed by a heuristic (confirm, then write them in identities.logins):", ...rows(guessed, (o) => `${o.organization}: ${placingMatch(o)!.confidence} confidence, ${o.also ? `${o.match!.evidence}, and ` : ""}${placingMatch(o)!.evidence}`));
  if (r.owners.length > opts.limit) out.push(`  ... see --json for all ${r.owners.length}`);
  out.push("", "Tie a login to a person in steward.yaml: identities.logins: {LOGIN: ADDRESS-THEY-COMMIT-WITH}.");
  for (const w of r.warnings) out.push(`! ${w}`);
  return out.join("\n") + "\n";
}

export function unknownIdentitiesText(r: { ref: string; commit: string; identities: UnknownIdentity[]; warnings: string[] }, opts: { limit: number }): string {
  const out = [`Most active identities without an organisation at ${r.ref} (${short(r.commit)}): ${r.identities.length}`];
  out.push(
    ...table(
      [["commits", "lines", "name", "emails", "why", "active"], ...r.identities.slice(0, opts.limit).map((u) => [num(u.commits), String(u.lines), u.name, u.emails.join(", "), `${u.source} ${u.evidence}`, `${u.firstSeen}..${u.lastSeen}`])],
      ["r", "r", "l", "l", "l", "l"],
    ).map((l) => "  " + l),
  );
  out.push("Add them to steward.yaml: identities.affiliations (person, organization, from, until) or identities.domains.");
  for (const w of r.warnings) out.push(`! ${w}`);
  return out.join("\n") + "\n";
}

/**
 * The community result as Markdown (a README or an issue comment): the
 * intervals side by side, organisations, periods, ownership and review.
 */
export function communityMarkdown(r: CommunityResult, opts: { limit: number }): string {
  const md = (s: string) => mdEscape(s);
  const range = r.range.since || r.range.until ? ` from ${r.range.since ?? "the start"} to ${r.range.until ?? "the end"}` : "";
  const out: string[] = [`## Community at \`${md(r.ref)}\` (${short(r.commit)})${range}`, ""];
  out.push(
    `${plural(r.totals.commits, "human commit")} by ${plural(r.totals.contributors, "person", "people")} (${plural(r.totals.merges, "merge")} and ${plural(r.bots.commits, "bot commit")} apart; co-authors: ${r.coauthors}). ` +
      `**Affiliation coverage ${pct(r.coverage)}**; unknown: ${num(r.unknown.commits)} commits by ${plural(r.unknown.identities, "identity", "identities")}.`,
    "",
    "| | best: each unknown identity its own organisation | worst: all unknown commits in the top organisation |",
    "|---|--:|--:|",
    `| elephant factor | ${r.elephantFactor.best} | ${r.elephantFactor.worst} |`,
    `| contributor absence factor | ${r.busFactor.best} | ${r.busFactor.worst} |`,
    `| top-1 share | ${pct(r.top1Share.best)} | ${pct(r.top1Share.worst)} |`,
    `| top-2 share | ${pct(r.top2Share.best)} | ${pct(r.top2Share.worst)} |`,
    `| HHI | ${r.hhi.best.toFixed(3)} | ${r.hhi.worst.toFixed(3)} |`,
    "",
    "| organisation | commits | share | changed lines | people |",
    "|---|--:|--:|--:|--:|",
    ...r.organizations.slice(0, opts.limit).map((o) => `| ${md(o.name)} | ${num(o.commits)} | ${pct(o.share)} | ${o.lines} | ${o.contributors} |`),
  );
  const rest = r.organizations.slice(opts.limit);
  if (rest.length) out.push(`| ${rest.length} more | ${num(rest.reduce((n, o) => n + o.commits, 0))} | ${pct(rest.reduce((n, o) => n + o.share, 0))} | ${rest.reduce((n, o) => n + o.lines, 0)} | |`);
  out.push(`| (unknown) | ${num(r.unknown.commits)} | ${pct(r.totals.commits ? 1 - r.coverage : 0)} | ${r.unknown.lines} | ${plural(r.unknown.identities, "identity", "identities")} |`, "");
  if (r.periods.length) {
    out.push(`### Per ${r.period} (rolling: the last ${r.periods.at(-1)!.rolling.periods})`, "", "| period | commits | people | new | coverage | elephant factor | rolling | top organisation |", "|---|--:|--:|--:|--:|--:|--:|---|");
    for (const p of r.periods) out.push(`| ${p.period} | ${p.commits} | ${p.contributors} | ${p.newContributors} | ${pct(p.coverage)} | ${iv(p.elephantFactor)} | ${iv(p.rolling.elephantFactor)} | ${p.organizations[0] ? `${md(p.organizations[0].name)} ${num(p.organizations[0].commits)}` : "-"} |`);
    out.push("");
  }
  if (r.ownership) {
    const own = r.ownership;
    out.push(`### Ownership (\`${md(own.file)}\`)`, "", `${own.files.owned} of ${own.files.total} files owned; ${pct(own.singleOrganizationShare.files)} of owned files and ${pct(own.singleOrganizationShare.lines)} of their lines have every owner in one organisation.`, "");
    if (own.byOrganization.length) out.push("| only | files | lines |", "|---|--:|--:|", ...own.byOrganization.map((b) => `| ${md(b.organization)} | ${b.files} | ${b.lines} |`), "");
    const unresolved = own.owners.filter((o) => o.organization === null);
    if (unresolved.length) out.push(`Unresolved owners: ${unresolved.map((o) => `\`${md(o.owner)}\``).join(", ")}.`, "");
  }
  out.push(`### Review and merge`, "", `${r.review.reviewed} commits with a reviewer, approver, other sign-off or distinct committer; same-organisation rate ${r.review.sameOrganizationRate === null ? "n/a" : pct(r.review.sameOrganizationRate)}.`);
  if (r.review.matrix.length) out.push("", "| author organisation | reviewer organisation | commits |", "|---|---|--:|", ...r.review.matrix.slice(0, opts.limit).map((m) => `| ${md(m.author)} | ${md(m.reviewer)} | ${m.commits} |`));
  if (r.warnings.length) out.push("", ...r.warnings.map((w) => `- ⚠ ${md(w)}`));
  return out.join("\n") + "\n";
}
