/**
 * The dashboard's pages, pure functions of the data read from the store
 * (src/portfolio/dashboard.ts): Portfolio, Fork, Project, Plugin (and
 * downstream). Every chart has its numbers in a table beside it and a link to
 * the stored result it was drawn from.
 */
import { dirname, isAbsolute, relative } from "node:path";
import type { DriftHistory, DriftHistoryPoint, HunkResult } from "../../analyzers/drift/types.js";
import { attributionLabel } from "../../analyzers/neutrality/taxonomy.js";
import type { NeutralityFootprint, NeutralityLint } from "../../analyzers/neutrality/types.js";
import type { CommunityResult } from "../../analyzers/community/types.js";
import type { ApiHistory } from "../../analyzers/api/index.js";
import type { DepsPortfolio } from "../../analyzers/deps/portfolio.js";
import type { PluginContract } from "../../portfolio/contract.js";
import type { DepsResult } from "../../analyzers/deps/index.js";
import type { DashboardData, StoredPoint, StoredResult } from "../../portfolio/dashboard.js";
import type { RepositoryKind } from "../../portfolio/config.js";
import { badgeFile } from "../../gate/claims.js";
import { html, joinHtml, relHref, type Html } from "./escape.js";
import { day, evidenceLink, figure, kpi, num, page, pageOf, shortId, shortRef, shownLocation, table, type NavItem } from "./layout.js";
import { COLORS, orgColor, otherColor, UNKNOWN_COLOR, vendorColor } from "./palette.js";
import { barChart, columnChart, fmt, heatmap, legend, lineChart, pct, sparkline, swatch } from "./svg.js";

const LAYERS = ["code", "kernels", "tests", "ci", "docs", "build"] as const;

/** Shorthand accessors over the data. */
class View {
  constructor(readonly d: DashboardData) {}
  result<T>(repo: string, analyzer: string): (StoredResult & { result: T }) | undefined {
    return this.d.results.get(repo)?.get(analyzer) as (StoredResult & { result: T }) | undefined;
  }
  ok<T>(repo: string, analyzer: string): T | undefined {
    const r = this.result<T>(repo, analyzer);
    return r?.ok ? r.result : undefined;
  }
  points(repo: string, analyzer: string): StoredPoint[] {
    return this.d.points.get(repo)?.get(analyzer) ?? [];
  }
  failures(repo: string): StoredResult[] {
    return [...(this.d.results.get(repo)?.values() ?? [])].filter((r) => !r.ok);
  }
  kindOf(name: string): RepositoryKind | undefined {
    return this.d.repositories.find((r) => r.name === name)?.kind;
  }
  link(name: string): Html {
    const kind = this.kindOf(name);
    return kind ? html`<a href="${pageOf(kind, name)}">${name}</a>` : html`${name}`;
  }
}

/** Every page of the site: path -> HTML. */
export function renderPages(d: DashboardData, generated: string): Map<string, string> {
  return new Map(pageNames(d).map((name) => [name, renderPage(d, name, generated)!]));
}

/** The page names of the site (what renderPages returns keys for), without rendering. */
export function pageNames(d: DashboardData): string[] {
  return ["index.html", ...d.repositories.map((r) => decodeURIComponent(pageOf(r.kind, r.name)))];
}

/** One page only (serve renders what is asked). */
export function renderPage(d: DashboardData, file: string, generated: string): string | undefined {
  const v = new View(d);
  const nav = navOf(d);
  const shell = (title: string, current: string, body: Html) => page({ title, portfolio: portfolioName(d), nav, current, body, generated });
  if (file === "index.html") return shell("Portfolio", "index.html", portfolioBody(v));
  const r = d.repositories.find((x) => decodeURIComponent(pageOf(x.kind, x.name)) === file);
  if (!r) return undefined;
  const body = r.kind === "fork" ? forkBody(v, r.name) : r.kind === "project" ? projectBody(v, r.name) : dependentBody(v, r.name, r.kind);
  return shell(r.name, pageOf(r.kind, r.name), body);
}

function portfolioName(d: DashboardData): string {
  const parts = d.config.file.split(/[\\/]/);
  const file = parts.pop() ?? "steward.yaml";
  return file === "steward.yaml" ? (parts.pop() ?? file) : file;
}

function navOf(d: DashboardData): NavItem[] {
  return [{ href: "index.html", label: "Portfolio" }, ...d.config.projects.map((p) => ({ href: pageOf("project", p.name), label: p.name }))];
}

function failuresBox(v: View, repo: string): Html {
  const f = v.failures(repo);
  if (!f.length) return html``;
  return html`${f.map((r) => html`<div class="fail" role="alert"><span class="bad">${r.analyzer} failed</span> (${day(r.computedAt)}): <span class="err">${r.error ?? "unknown error"}</span></div>`)}`;
}

function notScanned(v: View, repo: string, analyzer: string, what: string): Html {
  const r = v.result(repo, analyzer);
  if (r && !r.ok) return html`<p class="empty">No ${what}: the last ${analyzer} analysis failed (see above).</p>`;
  return html`<p class="empty">No ${what} in the store yet (run <code>steward scan</code>).</p>`;
}

// ---------------------------------------------------------------------------------------------
// Portfolio

function forkSeries(v: View, fork: string): { ref: string; date: string; debt: number; reconnection: number; baseAgeDays: number; behind: number }[] {
  const byRef = new Map<string, { ref: string; date: string; debt: number; reconnection: number; baseAgeDays: number; behind: number }>();
  for (const p of v.points(fork, "drift")) {
    const k = `${p.date}\0${p.ref}`;
    let e = byRef.get(k);
    if (!e) byRef.set(k, (e = { ref: p.ref, date: p.date, debt: 0, reconnection: 0, baseAgeDays: 0, behind: 0 }));
    if (p.metric === "debt" || p.metric === "reconnection" || p.metric === "baseAgeDays" || p.metric === "behind") e[p.metric] = p.value;
  }
  return [...byRef.values()].sort((a, b) => Date.parse(a.date) - Date.parse(b.date) || (a.ref < b.ref ? -1 : 1));
}

/** The change since the previous value, red when it is a worsening (higher debt; lower elephant factor). */
function trend(values: number[], worseWhenUp = true): Html {
  if (values.length < 2) return html``;
  const d = values[values.length - 1]! - values[values.length - 2]!;
  if (d === 0) return html`<span class="muted" title="unchanged since the previous value">→ 0</span>`;
  const bad = d > 0 === worseWhenUp;
  return html`<span class="${bad ? "up" : "down"}" title="change since the previous value (${bad ? "worse" : "better"})">${d > 0 ? "↑" : "↓"} ${fmt(Math.abs(d))}</span>`;
}

/** A 100%-stacked bar per layer: who holds each layer (the family row's neutrality at a glance). */
function layerStrip(f: NeutralityFootprint, title: string): Html {
  const rows = LAYERS.filter((l) => (f.concentration[l]?.lines ?? 0) > 0).map((l) => ({
    label: l,
    segments: Object.entries(f.vendors)
      .map(([vendor, byLayer]) => ({ key: vendor, color: vendorColor(vendor), value: (byLayer?.[l]?.lines ?? 0) / (f.concentration[l]?.lines || 1) }))
      .filter((s) => s.value > 0)
      .sort((a, b) => b.value - a.value),
  }));
  if (!rows.length) return html`<span class="muted">no vendor-specific code</span>`;
  return barChart({ title, xLabel: "", rows: rows.map((r) => ({ ...r, note: r.segments[0] ? `${r.segments[0].key} ${pct(r.segments[0].value)}` : "" })), width: 300, max: 1, format: pct, legend: false });
}

function portfolioBody(v: View): Html {
  const d = v.d;
  const st = d.status;
  const matrix = v.ok<DepsPortfolio>("*", "deps-matrix");
  const allFailures = [...d.results.values()].flatMap((m) => [...m.values()]).filter((r) => !r.ok);
  const counts = (k: RepositoryKind) => d.repositories.filter((r) => r.kind === k).length;
  const families = d.config.projects.map((p) => {
    const forks = d.config.forks.filter((f) => f.of === p.name);
    const deps = [...d.config.plugins, ...d.config.downstreams].filter((x) => x.depends.includes(p.name));
    const fp = v.ok<{ footprint: NeutralityFootprint; lint: NeutralityLint }>(p.name, "neutrality");
    const api = v.ok<ApiHistory>(p.name, "api");
    const last = api?.releases.at(-1);
    const comm = v.ok<CommunityResult>(p.name, "community");
    // Where each risk is heading: the series behind each headline, oldest first.
    const unannounced = (api?.releases ?? []).filter((r) => r.previous !== null).map((r) => r.breaking - r.announced);
    const elephant = (comm?.periods ?? []).map((q) => q.elephantFactor.worst);
    const lintSeries = v.points(p.name, "neutrality").filter((x) => x.metric === "lintDebt").map((x) => x.value);
    const names = [p.name, ...forks.map((f) => f.name), ...deps.map((x) => x.name)];
    const fails = names.flatMap((n) => v.failures(n));
    const lastScan = names.flatMap((n) => [...(d.results.get(n)?.values() ?? [])].map((r) => r.computedAt)).sort().at(-1);
    const lag = matrix?.lag.filter((l) => l.project === p.name) ?? [];
    const newestLag = [...lag].sort((a, b) => Date.parse(a.date) - Date.parse(b.date));
    const forkCells = forks.map((f) => {
      const s = forkSeries(v, f.name);
      const debts = s.map((x) => x.debt);
      const newest = s.at(-1);
      return html`<div class="fork">${v.link(f.name)}${f.vendor ? html` <span class="muted">(${f.vendor})</span>` : ""}: ${newest ? html`<div class="nw"><b data-metric="debt" data-fork="${f.name}" data-v="${newest.debt}">${fmt(newest.debt)}</b> lines ${sparkline(debts, { title: `${f.name}: private lines per release, ${debts.map(fmt).join(", ")}`, color: COLORS.debt })} ${trend(debts)}</div>` : html`<div class="muted">no drift result</div>`}</div>`;
    });
    const lagCell = newestLag.length
      ? joinHtml(
          [...new Set(newestLag.map((l) => l.dependent))].map((dep) => {
            const mine = newestLag.filter((l) => l.dependent === dep);
            const waiting = mine.filter((l) => l.days === null && Date.parse(l.date) >= Date.parse(mine.filter((x) => x.days !== null).at(-1)?.date ?? "0"));
            const lastKnown = mine.filter((l) => l.days !== null).at(-1);
            const days = mine.filter((l) => l.days !== null).map((l) => l.days!);
            return html`<div>${v.link(dep)}: ${lastKnown ? html`${p.name} ${lastKnown.version} in <b>${fmt(lastKnown.days!)}</b> days ${days.length > 1 ? html`<span class="nw">${sparkline(days, { title: `${dep}: days to admit each ${p.name} release, ${days.map(fmt).join(", ")}`, color: otherColor(dep) })} ${trend(days)}</span>` : ""}` : html`<span class="muted">never admitted a release</span>`}${waiting.length ? html`; <span class="bad">${waiting.map((w) => w.version).join(", ")} not admitted yet</span>` : ""}</div>`;
          }),
        )
      : deps.length
        ? html`<span class="muted">no lag measured</span>`
        : html`<span class="muted">no dependents</span>`;
    return html`<tr>
<td><b>${v.link(p.name)}</b><div class="muted">${deps.length ? html`${deps.length} dependent${deps.length > 1 ? "s" : ""}: ${joinHtml(deps.map((x) => v.link(x.name)), ", ")}` : "no plugins"}</div></td>
<td>${forkCells.length ? forkCells : html`<span class="muted">no forks</span>`}</td>
<td>${fp ? html`${layerStrip(fp.footprint, `${p.name}: vendor share of lines per layer`)}<div class="nw">lint debt <b>${fmt(fp.lint.findings.filter((x) => !x.waived).length)}</b> ${lintSeries.length > 1 ? html`${sparkline(lintSeries, { title: `${p.name}: lint debt at each scanned tip, ${lintSeries.map(fmt).join(", ")}`, color: COLORS.debt })} ${trend(lintSeries)}` : ""}</div>` : html`<span class="muted">–</span>`}</td>
<td class="n">${last ? html`<b class="${last.breaking - last.announced > 0 ? "bad" : "good"}" data-metric="unannounced" data-v="${last.breaking - last.announced}">${fmt(last.breaking - last.announced)}</b> of ${fmt(last.breaking)}<div class="muted">in ${shortRef(last.ref)}</div>${unannounced.length > 1 ? html`<div class="nw">${sparkline(unannounced, { title: `${p.name}: unannounced breaks per release, ${unannounced.map(fmt).join(", ")}`, color: COLORS.unannounced })} ${trend(unannounced)}</div>` : ""}` : html`–`}</td>
<td class="n">${comm ? html`<b>${interval(comm.elephantFactor)}</b><div class="muted">best–worst, coverage ${pct(comm.coverage)}</div>${elephant.length > 1 ? html`<div class="nw">${sparkline(elephant, { title: `${p.name}: elephant factor per ${comm.period} (worst case), ${elephant.map(fmt).join(", ")}`, color: COLORS.neutral })} ${trend(elephant, false)}</div>` : ""}` : html`–`}</td>
<td>${lagCell}</td>
<td><span class="nw">${lastScan ? day(lastScan) : html`<span class="muted">never</span>`}</span>${fails.length ? html`${fails.map((f) => html`<div class="err"><b>${f.repository} ${f.analyzer} failed</b>: ${f.error ?? ""}</div>`)}` : ""}</td>
</tr>`;
  });
  const repoRows = st.repositories.map((r) => {
    const h = r.headline;
    return html`<tr><td>${v.link(r.name)}</td><td>${r.kind}</td><td>${r.analyzers.length ? joinHtml(r.analyzers.map((a) => (a.ok ? html`<span class="good">${a.analyzer} ✓</span>` : html`<span class="bad" title="${a.error ?? ""}">${a.analyzer} ✗</span>`)), " ") : html`<span class="muted">not scanned</span>`}</td><td data-v="${r.lastScan ?? ""}">${r.lastScan ? day(r.lastScan) : "never"}</td><td>${headlineText(h)}${r.analyzers.filter((a) => !a.ok).map((a) => html`<div class="err">${a.analyzer}: ${a.error ?? ""}</div>`)}</td></tr>`;
  });
  const scanRows = d.scans.map((s) => html`<tr><td>${s.startedAt.slice(0, 19).replace("T", " ")}</td><td>${s.finishedAt ? s.finishedAt.slice(0, 19).replace("T", " ") : "–"}</td>${num(s.analysed)}${num(s.skipped)}<td class="n${s.failed ? " bad" : ""}" data-v="${s.failed}">${fmt(s.failed)}</td></tr>`);
  return html`<h1>Portfolio</h1>
<p class="lead">${plural(counts("project"), "project")}, ${plural(counts("fork"), "fork")}, ${plural(counts("plugin"), "plugin")}, ${plural(counts("downstream"), "downstream")} · last scan ${st.lastScan ? st.lastScan.slice(0, 16).replace("T", " ") + " UTC" : "never"} · store <code>${storeShown(d)}</code></p>
${d.scanned ? "" : html`<div class="fail" role="alert">The store has no results yet: run <code>steward scan ${d.configPath}</code>.</div>`}
${allFailures.length ? html`<div class="fail" role="alert"><span class="bad">${allFailures.length} analys${allFailures.length > 1 ? "es" : "is"} failed at the last run</span> (details in the rows below).</div>` : ""}
<h2>Project families</h2>
<p class="muted">One row per project with its forks and dependents; each headline has its series as a sparkline (oldest to newest) and the change since the previous value, red when worse. Fork debt: private lines of the newest release. Hardware: each layer's lines split by vendor (hover for shares). API: breaks without an earlier deprecation in the newest release. Elephant factor: fewest organisations making half the commits, best–worst over unknown affiliations. Lag: days until a dependent admitted a project release.</p>
${vendorsLegend(v)}
${table({ head: [{ label: "Project" }, { label: "Fork debt (private lines)" }, { label: "Hardware concentration per layer" }, { label: "Unannounced API breaks", num: true }, { label: "Elephant factor", num: true }, { label: "Upgrade lag" }, { label: "Last scan" }], rows: families, id: "families", sortable: false })}
${claimsSection(d)}
<h2>Repositories</h2>
${table({ head: [{ label: "Repository" }, { label: "Kind" }, { label: "Analyses" }, { label: "Last result" }, { label: "Headline" }], rows: repoRows, id: "repositories" })}
<p class="evidence">Evidence: <a href="api/status.json">status (JSON, as <code>steward status --json</code>)</a>${matrix ? html`, <a href="api/_portfolio/deps-matrix.json">deps matrix (JSON)</a>` : ""}.</p>
<h2>Scans</h2>
${table({ head: [{ label: "Started (UTC)" }, { label: "Finished" }, { label: "Analysed", num: true }, { label: "Unchanged", num: true }, { label: "Failed", num: true }], rows: scanRows, id: "scans", empty: "No scan recorded." })}`;
}

/** The config's claims as re-proven now: verified with evidence, or lapsed since when and why; each with its badge JSON. */
function claimsSection(d: DashboardData): Html {
  if (!d.claims.length) return html``;
  const rows = d.claims.map(
    (c) =>
      html`<tr><td>${c.project}</td><td>${c.claim}</td><td><span class="${c.status === "verified" ? "good" : "bad"}">${c.status}</span></td><td>${c.since ?? "–"}</td><td>${c.why}</td><td><a href="${relHref("badges", badgeFile(c))}">badge JSON</a></td></tr>`,
  );
  return html`<h2>Claims</h2>
<p class="muted">What each project says of itself (steward.yaml <code>claims:</code>), re-proven from the stored evidence every time these pages are drawn; a lapsed claim's shields.io badge turns grey by itself.</p>
${table({ head: [{ label: "Project" }, { label: "Claim" }, { label: "Status" }, { label: "Since" }, { label: "Why" }, { label: "Badge" }], rows, id: "claims" })}`;
}

/** The store as the config names it: a file beside the config by its relative path (a report may be published), a URL without its password. */
function storeShown(d: DashboardData): string {
  const loc = d.status.store;
  if (/^postgres(ql)?:/.test(loc)) return shownLocation(loc);
  const rel = relative(dirname(d.config.file), loc);
  return rel && !rel.startsWith("..") && !isAbsolute(rel) ? rel : loc;
}

function plural(n: number, word: string): string {
  return `${fmt(n)} ${word}${n === 1 ? "" : "s"}`;
}

/** The vendors the families' hardware strips show, in words beside their colours. */
function vendorsLegend(v: View): Html {
  const seen = new Set<string>();
  for (const p of v.d.config.projects) for (const k of Object.keys(v.ok<{ footprint: NeutralityFootprint }>(p.name, "neutrality")?.footprint.vendors ?? {})) seen.add(k);
  return seen.size ? legend([...seen].sort().map((k) => ({ key: k, color: vendorColor(k) }))) : html``;
}

function interval(i: { best: number; worst: number }, f: (n: number) => string = fmt): string {
  return i.best === i.worst ? f(i.best) : `${f(i.best)}–${f(i.worst)}`;
}

/** What a plugin patches and overrides, and what each newer upstream release breaks of it (plugin contract radar). */
function patchesSection(v: View, name: string): Html {
  const r = v.ok<PluginContract>(name, "contract");
  if (!r) return html``;
  const parts = r.projects.map((x) => {
    const rows = x.releases.flatMap((rel) =>
      rel.breaks.map((b) => html`<tr><td>${shortRef(rel.ref)}</td><td>${b.kind}</td><td class="mono">${b.target}</td><td class="bad">${b.status}${b.to ? html` → <code>${b.to}</code>` : ""}${b.signature ? html` <code>${b.signature.from}</code> → <code>${b.signature.to}</code>` : ""}</td><td class="mono">${b.file}:${fmt(b.line)}</td></tr>`),
    );
    return html`<h3>Patches and overrides of ${v.link(x.project)}</h3>
<p>${plural(x.patched, "upstream member")} patched or overridden (${fmt(x.summary.patches)} patch${x.summary.patches === 1 ? "" : "es"}, ${plural(x.summary.overrides, "override")}, ${plural(x.summary.registrations, "registration")}; ${fmt(x.summary.privateObjects)} of ${fmt(x.summary.upstreamObjects)} upstream objects it uses are private), written against ${x.target ? html`<b>${shortRef(x.target.ref)}</b> (${x.target.why})` : "–"}.</p>
${table({ head: [{ label: "Release" }, { label: "Coupling" }, { label: "Upstream member" }, { label: "Verdict" }, { label: "Plugin site" }], rows, id: `contract-${x.project}`, empty: "No newer release breaks a patch, an override or a registration." })}`;
  });
  return html`<h2>What it patches</h2>${parts}${evidenceLink(name, "contract", v.result(name, "contract")?.computedAt)}`;
}

function headlineText(h: Record<string, string | number | null>): Html {
  const parts: Html[] = [];
  // Results computed on a partial clone's present blobs lead the row: their numbers leave files out.
  if ("unreadFiles" in h) parts.push(html`<span class="bad">INCOMPLETE: ${fmt(Number(h.unreadFiles))} file(s) not read</span> (partial clone; <code>scan --fetch-missing</code> reads them)`);
  if ("debt" in h) parts.push(html`${shortRef(String(h.ref))}: debt ${fmt(Number(h.debt))} lines, reconnection ${pct(Number(h.reconnection))}, base ${fmt(Number(h.baseAgeDays))} days old, ${fmt(Number(h.behind))} behind`);
  if ("coverage" in h) parts.push(html`elephant factor ${h.elephantFactorBest === h.elephantFactorWorst ? String(h.elephantFactorBest) : `${h.elephantFactorBest}–${h.elephantFactorWorst}`}, top ${h.topOrganization ?? "–"}`);
  if ("apiBreaks" in h) parts.push(html`${fmt(Number(h.apiBreaks))} API breaks, ${fmt(Number(h.apiAnnounced))} announced`);
  if ("apiNotApplicable" in h) parts.push(html`no Python API`);
  if ("contractPatched" in h) {
    const stale = Number(h.contractRemoved) + Number(h.contractMoved) + Number(h.contractResigned);
    parts.push(html`${plural(Number(h.contractPatched), "patched upstream member")}${h.contractNewest !== null ? html`, <span class="${stale ? "bad" : ""}">${fmt(stale)} stale in ${shortRef(String(h.contractNewest))}</span> since ${shortRef(String(h.contractTarget))}` : ""}`);
  }
  if ("lintDebt" in h) parts.push(h.topVendor ? html`${attributionLabel(String(h.topVendor))} ${pct(Number(h.topVendorShare))} of vendor lines, lint debt ${fmt(Number(h.lintDebt))}` : html`no vendor code, lint debt ${fmt(Number(h.lintDebt))}`);
  if ("releases" in h) parts.push(html`${fmt(Number(h.releases))} releases${h.latestRelease ? html`, latest ${h.latestRelease}` : ""}`);
  return joinHtml(parts, "; ");
}

// ---------------------------------------------------------------------------------------------
// Fork

const changed = (t: { added: number; deleted: number }) => t.added + t.deleted;

function forkBody(v: View, name: string): Html {
  const f = v.d.config.forks.find((x) => x.name === name)!;
  const stored = v.result<DriftHistory>(name, "drift");
  const h = stored?.ok ? stored.result : undefined;
  const head = html`<h1>${name}</h1><p class="lead">Fork of ${v.link(f.of)}${f.vendor ? html` · vendor <b>${f.vendor}</b>` : ""} · refs ${joinHtml(f.refs.map((r) => html`<code>${r}</code>`), ", ")}</p>${failuresBox(v, name)}`;
  if (!h || h.history.length === 0) return html`${head}${notScanned(v, name, "drift", "drift result")}`;
  const hist = h.history;
  const newest = hist[hist.length - 1]!;
  const np = newest.netPatch;
  const series = forkSeries(v, name);
  const kpis = html`<div class="kpis">${kpi(fmt(np.debt), `private lines (debt) in ${shortRef(newest.fork.ref)}`, np.debt > 0 ? "bad" : "")}${kpi(fmt(changed(np.upstreamed)), "lines already upstream")}${kpi(fmt(changed(np.diverged)), "diverged lines (upstream rewrote)")}${kpi(np.reconnection === null ? "–" : pct(np.reconnection), "reconnection")}${kpi(fmt(newest.baseAgeDays), "days: base age")}${kpi(fmt(newest.behind), "upstream commits behind")}${kpi(fmt(newest.ahead), "fork commits ahead")}</div>`;
  const label = (p: DriftHistoryPoint) => shortRef(p.fork.ref);
  const lineSeries = [
    { name: "private (debt)", color: COLORS.debt, points: hist.map((p) => ({ date: p.date, y: p.netPatch.debt, label: label(p) })) },
    { name: "upstreamed", color: COLORS.upstreamed, points: hist.map((p) => ({ date: p.date, y: changed(p.netPatch.upstreamed), label: label(p) })) },
    { name: "diverged", color: COLORS.diverged, points: hist.map((p) => ({ date: p.date, y: changed(p.netPatch.diverged), label: label(p) })) },
  ];
  const pointOf = (p: DriftHistoryPoint) => series.find((s) => s.ref === p.fork.ref && s.date === p.date);
  const histRows = hist.map((p) => {
    const s = pointOf(p);
    return html`<tr data-ref="${p.fork.ref}"><td title="${p.fork.ref}">${label(p)}</td><td class="d">${day(p.date)}</td>${num(s?.debt ?? p.netPatch.debt, { metric: "debt" })}${num(changed(p.netPatch.upstreamed), { metric: "upstreamed" })}${num(changed(p.netPatch.diverged), { metric: "diverged" })}${num(s?.reconnection ?? p.netPatch.reconnection, { metric: "reconnection", format: pct })}${num(s?.baseAgeDays ?? p.baseAgeDays, { metric: "baseAgeDays" })}${num(s?.behind ?? p.behind, { metric: "behind" })}${num(p.ahead, { metric: "ahead" })}</tr>`;
  });
  const histTable = table({ head: [{ label: "Release" }, { label: "Date" }, { label: "Debt", num: true }, { label: "Upstreamed", num: true }, { label: "Diverged", num: true }, { label: "Reconn.", num: true, title: "reconnection: share of changed lines already upstream" }, { label: "Base age (d)", num: true, title: "days between the fork tip and its base" }, { label: "Behind", num: true }, { label: "Ahead", num: true }], rows: histRows, id: "drift-history" });
  const dirs = [...newest.directories].filter((x) => x.path !== "." && x.path !== "" && x.debt + x.diverged + x.upstreamed > 0).sort((a, b) => b.debt - a.debt || b.diverged - a.diverged || (a.path < b.path ? -1 : 1)).slice(0, 15);
  const dirChart = barChart({
    title: `${name} ${label(newest)}: changed lines per directory`,
    xLabel: "changed lines by status",
    rows: dirs.map((x) => ({ label: x.path || "(root)", segments: [{ key: "private (debt)", color: COLORS.debt, value: x.private }, { key: "diverged", color: COLORS.diverged, value: x.diverged }, { key: "upstreamed", color: COLORS.upstreamed, value: x.upstreamed }] })),
  });
  const dirTable = table({ head: [{ label: "Directory" }, { label: "Files", num: true }, { label: "Debt", num: true }, { label: "Diverged", num: true }, { label: "Upstreamed", num: true }, { label: "Reconnection", num: true }], rows: dirs.map((x) => html`<tr><td class="mono">${x.path || "(root)"}</td>${num(x.files)}${num(x.debt, { metric: "debt" })}${num(x.diverged)}${num(x.upstreamed)}${num(x.reconnection, { format: pct })}</tr>`), id: "directories" });
  // Hunks carried longest: private hunks of the newest release, by how long the series has shipped them.
  const hunks: { path: string; h: HunkResult }[] = newest.files.flatMap((file) => file.hunks.filter((x) => x.status === "private").map((x) => ({ path: file.path, h: x })));
  const carried = (x: HunkResult) => x.carriedSince?.days ?? x.introducedBy?.ageDays ?? 0;
  hunks.sort((a, b) => carried(b.h) - carried(a.h) || changed(b.h) - changed(a.h) || (a.path < b.path ? -1 : 1));
  const hunkRows = hunks.slice(0, 20).map(({ path, h: x }) => {
    const by = x.introducedBy;
    return html`<tr><td class="mono">${path}:${x.newStart}</td>${num(changed(x))}<td>${x.carriedSince ? shortRef(x.carriedSince.ref) : "–"}</td>${num(carried(x))}<td class="mono" title="${by?.commit ?? ""}">${by ? shortId(by.commit) : "–"}</td><td>${by?.author ?? "–"}</td><td>${by ? day(by.date) : "–"}</td><td>${by?.subject ?? ""}</td></tr>`;
  });
  const hunkTable = table({ head: [{ label: "Path:line" }, { label: "Lines", num: true }, { label: "Carried since" }, { label: "Days", num: true, title: "days carried through the series (else the age of the commit that brought it)" }, { label: "Commit" }, { label: "Author" }, { label: "Date" }, { label: "Subject" }], rows: hunkRows, id: "hunks", empty: "No private hunk." });
  // Overlap: files this fork patches that other forks of the same project patch too (newest release of each).
  const touched = (p: DriftHistoryPoint) => new Map(p.files.filter((x) => x.hunks.some((k) => k.status !== "upstreamed")).map((x) => [x.path, x.added + x.deleted]));
  const mine = touched(newest);
  const others = v.d.config.forks
    .filter((o) => o.of === f.of && o.name !== name)
    .map((o) => ({ name: o.name, vendor: o.vendor, newest: v.ok<DriftHistory>(o.name, "drift")?.history.at(-1) }))
    .filter((o) => o.newest !== undefined);
  const overlapRows = [...mine.entries()]
    .map(([path, lines]) => ({ path, lines, with: others.map((o) => ({ o, lines: touched(o.newest!).get(path) })).filter((x) => x.lines !== undefined) }))
    .filter((x) => x.with.length > 0)
    .sort((a, b) => b.lines - a.lines || (a.path < b.path ? -1 : 1))
    .map((x) => html`<tr><td class="mono">${x.path}</td>${num(x.lines)}<td>${joinHtml(x.with.map((w) => html`${v.link(w.o.name)}${w.o.vendor ? html` (${w.o.vendor})` : ""}: ${fmt(w.lines!)} lines`), "; ")}</td></tr>`);
  const baseCharts = html`${lineChart({ title: `${name}: base age per release`, yLabel: "base age (days)", series: [{ name: "base age (days)", color: COLORS.neutral, points: hist.map((p) => ({ date: p.date, y: p.baseAgeDays, label: label(p) })) }], width: 420, height: 190 })}${lineChart({ title: `${name}: upstream commits behind per release`, yLabel: "behind (upstream commits)", integer: true, series: [{ name: "behind", color: "#CC79A7", points: hist.map((p) => ({ date: p.date, y: p.behind, label: label(p) })) }], width: 420, height: 190 })}${lineChart({ title: `${name}: reconnection per release`, yLabel: "reconnection (share of changed lines upstream)", series: [{ name: "reconnection", color: COLORS.upstreamed, points: hist.map((p) => ({ date: p.date, y: p.netPatch.reconnection ?? 0, label: label(p) })) }], width: 420, height: 190, yMax: 1, format: pct })}`;
  return html`${head}${kpis}
<h2>Debt over the fork's releases</h2>
${figure({ chart: lineChart({ title: `${name}: changed lines by status per release`, yLabel: "changed lines", series: lineSeries, width: 460 }), caption: html`Net patch of each release against ${shortRef(h.upstream.ref)} (<code>${shortId(h.upstream.commit)}</code>): private lines are the debt; upstreamed lines reached upstream; diverged lines sit where upstream rewrote the code.`, numbers: histTable })}
<h2>Base staleness and reconnection</h2>
<div>${baseCharts}</div>
<h2>Directories by debt (${label(newest)})</h2>
${figure({ chart: dirChart, numbers: dirTable })}
<h2>Hunks carried longest (${label(newest)})</h2>
<p class="muted">Private hunks of the newest release, longest carried first: the release of the series that first shipped them, and the fork commit that brought them.</p>
${hunkTable}${hunks.length > 20 ? html`<p class="muted">${fmt(hunks.length - 20)} more private hunks in the evidence.</p>` : ""}
<h2>Overlap with other forks of ${f.of}</h2>
${others.length === 0 ? html`<p class="empty">No other fork of ${f.of} has a drift result.</p>` : table({ head: [{ label: "Path (also patched elsewhere)" }, { label: "Lines here", num: true }, { label: "Other forks" }], rows: overlapRows, id: "overlap", empty: `No file this fork carries private or diverged lines in is patched by another fork of ${f.of}.` })}
<h2>Commits</h2>
<p>${fmt(newest.cherry.commits)} fork-only commits in ${label(newest)}: ${fmt(newest.cherry.matched)} have an upstream twin (same patch-id), ${fmt(newest.cherry.unmatched)} do not. Base: <code>${shortId(newest.base.commit)}</code> (${newest.base.method}, ${day(newest.base.date)}).</p>
${h.warnings.length || newest.warnings.length ? html`<h3>Warnings</h3><ul>${[...h.warnings, ...newest.warnings].map((w) => html`<li>${w}</li>`)}</ul>` : ""}
${evidenceLink(name, "drift", stored?.computedAt)}`;
}

// ---------------------------------------------------------------------------------------------
// Project

function footprintSection(v: View, name: string): Html {
  const stored = v.result<{ footprint: NeutralityFootprint; lint: NeutralityLint }>(name, "neutrality");
  if (!stored?.ok) return html`<h2>Hardware neutrality</h2>${notScanned(v, name, "neutrality", "neutrality result")}`;
  const { footprint: f, lint } = stored.result;
  const vendors = Object.keys(f.vendors).sort((a, b) => totalLines(f, b) - totalLines(f, a) || (a < b ? -1 : 1));
  const rows = LAYERS.map((l) => ({ label: l, segments: vendors.map((vd) => ({ key: vd, color: vendorColor(vd), value: f.vendors[vd as keyof typeof f.vendors]?.[l]?.lines ?? 0 })) }));
  const fpTable = table({
    head: [{ label: "Vendor" }, ...LAYERS.map((l) => ({ label: l, num: true })), { label: "All", num: true }],
    rows: vendors.map((vd) => html`<tr data-vendor="${vd}"><td>${swatch(vendorColor(vd))} ${vd}</td>${LAYERS.map((l) => num(f.vendors[vd as keyof typeof f.vendors]?.[l]?.lines, { metric: `lines:${vd}:${l}` }))}${num(totalLines(f, vd), { metric: `lines:${vd}` })}</tr>`),
    id: "footprint",
    empty: "No vendor-specific code found.",
  });
  const concRows = LAYERS.filter((l) => f.concentration[l]).map((l) => {
    const c = f.concentration[l];
    return html`<tr><td>${l}</td>${num(c.lines)}${num(c.lines ? c.hhi : null, { metric: `hhi:${l}`, format: (n) => n.toFixed(3) })}<td>${c.top ? html`${swatch(vendorColor(c.top))} ${c.top}` : "–"}</td>${num(c.lines ? c.topShare : null, { format: pct })}</tr>`;
  });
  // History over scans: lines per vendor and HHI per layer at each branch tip the store has seen.
  const pts = v.points(name, "neutrality");
  const vendorSeries = [...new Set(pts.filter((p) => p.metric.startsWith("lines:")).map((p) => p.metric.slice(6)))].map((vd) => ({
    name: vd,
    color: vendorColor(vd),
    points: pts.filter((p) => p.metric === `lines:${vd}`).map((p) => ({ date: p.date, y: p.value, label: `${shortRef(p.ref)} ${day(p.date)}` })),
  }));
  const dates = [...new Set(pts.map((p) => p.date))].sort();
  const hhiLayers = LAYERS.filter((l) => pts.some((p) => p.metric === `hhi:${l}`));
  const histRows = dates.map((dt) => {
    const at = pts.filter((p) => p.date === dt);
    const get = (m: string) => at.find((p) => p.metric === m)?.value;
    return html`<tr><td class="d">${day(dt)}</td><td>${shortRef(at[0]?.ref ?? "")}</td>${vendorSeries.map((s) => num(get(`lines:${s.name}`), { metric: `lines:${s.name}` }))}${hhiLayers.map((l) => num(get(`hhi:${l}`), { metric: `hhi:${l}`, format: (n) => n.toFixed(3) }))}${num(get("lintDebt"), { metric: "lintDebt" })}</tr>`;
  });
  const unwaived = lint.findings.filter((x) => !x.waived);
  const lintRows = unwaived.slice(0, 25).map((x) => html`<tr><td class="mono">${x.file}:${x.line}</td><td>${x.rule}</td><td>${swatch(vendorColor(x.vendor))} ${x.vendor}</td><td class="mono">${x.snippet}</td><td class="mono">${x.suggestion ?? ""}</td></tr>`);
  return html`<h2>Hardware neutrality (${shortRef(f.ref)}, <code>${shortId(f.commit)}</code>)</h2>
${figure({ chart: barChart({ title: `${name}: vendor lines per layer`, xLabel: "lines serving each vendor, per layer", rows }), caption: "Lines of files dedicated to a vendor plus generic files holding its signals, per layer. cuda-api: NVIDIA or AMD (ROCm reuses the CUDA names).", numbers: fpTable })}
<h3>Concentration per layer</h3>
${table({ head: [{ label: "Layer" }, { label: "Vendor lines", num: true }, { label: "HHI", num: true, title: "Herfindahl index of vendor line shares: 1 = one vendor" }, { label: "Top vendor" }, { label: "Top share", num: true }], rows: concRows, id: "concentration" })}
${f.gaps.length ? html`<p>Gaps: ${joinHtml(f.gaps.map((g) => html`<b>${g.vendor}</b> has ${g.has.join(", ")} but no ${g.lacks.join(", ")}`), "; ")}.</p>` : ""}
<h3>Footprint over time</h3>
${figure({ chart: dates.length < 2 ? html`<p class="empty">One scanned tip so far: the chart starts with the second scan of a new commit.</p>` : lineChart({ title: `${name}: vendor lines at each scanned tip`, yLabel: "lines", series: vendorSeries }), caption: `One point per branch tip a scan analysed (${fmt(dates.length)} so far): the series grows with every scan of a new commit.`, numbers: table({ head: [{ label: "Date" }, { label: "Ref" }, ...vendorSeries.map((s) => ({ label: s.name, num: true })), ...hhiLayers.map((l) => ({ label: `HHI ${l}`, num: true })), { label: "Lint debt", num: true }], rows: histRows, id: "neutrality-history" }) })}
<h3>Lint debt: ${fmt(unwaived.length)} unwaived finding${unwaived.length === 1 ? "" : "s"} (rule pack ${lint.pack.id}, abstraction <code>${lint.pack.abstraction}</code>)</h3>
${table({ head: [{ label: "Where" }, { label: "Rule" }, { label: "Vendor" }, { label: "Code" }, { label: "Suggestion" }], rows: lintRows, id: "lint", empty: "No unwaived finding." })}
${unwaived.length > 25 ? html`<p class="muted">${fmt(unwaived.length - 25)} more in the evidence.</p>` : ""}
${evidenceLink(name, "neutrality", stored.computedAt)}`;
}

function totalLines(f: NeutralityFootprint, vendor: string): number {
  return Object.values(f.vendors[vendor as keyof typeof f.vendors] ?? {}).reduce((n, x) => n + (x?.lines ?? 0), 0);
}

function apiSection(v: View, name: string): Html {
  const stored = v.result<ApiHistory>(name, "api");
  if (!stored?.ok) return html`<h2>API ledger</h2>${notScanned(v, name, "API ledger", "API ledger")}`;
  const a = stored.result;
  const rels = a.releases.filter((r) => r.previous !== null);
  const chart = columnChart({
    title: `${name}: breaking changes per release, announced or not`,
    yLabel: "breaking changes",
    integer: true,
    columns: rels.map((r) => ({ label: shortRef(r.ref), segments: [{ key: "announced (deprecated first)", color: COLORS.announced, value: r.announced }, { key: "unannounced", color: COLORS.unannounced, value: r.breaking - r.announced }] })),
  });
  const rows = a.releases.map((r) => html`<tr data-ref="${r.ref}"><td>${shortRef(r.ref)}</td><td class="d">${day(r.date)}</td><td>${r.previous ? shortRef(r.previous) : "–"}</td>${num(r.breaking, { metric: "breaking" })}${num(r.announced, { metric: "announced" })}<td class="n${r.breaking - r.announced > 0 ? " bad" : ""}" data-metric="unannounced" data-v="${r.breaking - r.announced}">${fmt(r.breaking - r.announced)}</td>${num(r.medianGraceReleases)}${num(r.medianGraceDays, { metric: "medianGraceDays" })}${num(r.deprecations)}${num(r.additions)}<td>${r.suggestedBump ?? "–"}</td></tr>`);
  const last = a.releases.at(-1);
  const breaks = (last?.breaks ?? []).map((b) => html`<tr><td class="mono">${b.object}</td><td>${b.kind}</td><td class="${b.verdict === "announced" ? "good" : "bad"}">${b.verdict}</td>${num(b.graceReleases)}${num(b.graceDays)}</tr>`);
  const dependents = [...v.d.config.plugins, ...v.d.config.downstreams].filter((x) => x.depends.includes(name));
  return html`<h2>API ledger (${fmt(a.releases.length)} releases, packages ${a.packages.join(", ") || "–"})</h2>
${figure({ chart, caption: "Per release: breaks of the public Python API against the release before it, announced when an earlier release deprecated the object (grace = releases and days between the first deprecation and the removal).", numbers: table({ head: [{ label: "Release" }, { label: "Date" }, { label: "Against" }, { label: "Breaks", num: true }, { label: "Announced", num: true }, { label: "Unannounced", num: true }, { label: "Grace (releases)", num: true }, { label: "Grace (days)", num: true }, { label: "Deprecations", num: true }, { label: "Additions", num: true }, { label: "Bump" }], rows, id: "api-ledger" }) })}
<h3>Breaks in ${last ? shortRef(last.ref) : "the newest release"}</h3>
${table({ head: [{ label: "Object" }, { label: "Change" }, { label: "Verdict" }, { label: "Grace (releases)", num: true }, { label: "Grace (days)", num: true }], rows: breaks, id: "api-breaks", empty: "No break in the newest release." })}
<h3>Downstream hits</h3>
<p class="muted">${dependents.length ? html`The scan does not record which downstream lines the breaks hit; for each dependent (${joinHtml(dependents.map((x) => v.link(x.name)), ", ")}) run <code>steward api impact FROM TO --downstream PATH</code>.` : "No plugin or downstream of the portfolio depends on this project."}</p>
${evidenceLink(name, "api", stored.computedAt)}`;
}

function communitySection(v: View, name: string): Html {
  const stored = v.result<CommunityResult>(name, "community");
  if (!stored?.ok) return html`<h2>Community</h2>${notScanned(v, name, "community", "community result")}`;
  const c = stored.result;
  const orgs = c.organizations.map((o) => o.name);
  const periodDate = (p: string) => {
    const m = /^(\d{4})(?:-Q(\d)|-(\d{2}))?/.exec(p);
    if (!m) return p;
    const month = m[2] ? (Number(m[2]) - 1) * 3 + 1 : m[3] ? Number(m[3]) : 1;
    return `${m[1]}-${String(month).padStart(2, "0")}-01`;
  };
  const shares = columnChart({
    title: `${name}: share of commits per organisation and ${c.period}`,
    yLabel: "share of commits",
    format: pct,
    max: 1,
    columns: c.periods.map((p) => ({
      label: p.period,
      segments: [...orgs.map((o) => ({ key: o, color: orgColor(o), value: p.commits ? (p.organizations.find((x) => x.name === o)?.commits ?? 0) / p.commits : 0 })), { key: "unknown", color: UNKNOWN_COLOR, value: p.commits ? p.unknownCommits / p.commits : 0 }],
    })),
  });
  const periodRows = c.periods.map((p) => html`<tr data-period="${p.period}"><td class="d">${p.period}</td>${num(p.commits)}${num(p.contributors)}${num(p.coverage, { metric: "coverage", format: pct })}${num(p.elephantFactor.best, { metric: "elephantFactor:best" })}${num(p.elephantFactor.worst, { metric: "elephantFactor:worst" })}${num(p.top1Share.worst, { metric: "top1Share:worst", format: pct })}<td>${joinHtml(p.organizations.slice(0, 3).map((o) => html`${o.name} ${fmt(o.commits)}`), ", ")}${p.unknownCommits ? html`, unknown ${fmt(p.unknownCommits)}` : ""}</td></tr>`);
  const band = lineChart({
    title: `${name}: elephant factor per ${c.period}, best to worst`,
    yLabel: "elephant factor (organisations)",
    integer: true,
    step: false,
    bands: [{ name: "elephant factor", color: COLORS.neutral, points: c.periods.map((p) => ({ date: periodDate(p.period), lo: p.elephantFactor.best, hi: p.elephantFactor.worst, label: p.period })) }],
    series: [
      { name: "elephant factor (worst case)", color: COLORS.neutral, points: c.periods.map((p) => ({ date: periodDate(p.period), y: p.elephantFactor.worst, label: p.period })) },
      { name: `rolling ${c.periods[0]?.rolling.periods ?? ""}-${c.period} window (worst)`, color: "#CC79A7", dashed: true, points: c.periods.map((p) => ({ date: periodDate(p.period), y: p.rolling.elephantFactor.worst, label: p.period })) },
    ],
    width: 480,
  });
  const top1 = lineChart({
    title: `${name}: top organisation's share per ${c.period}, best to worst`,
    yLabel: "top-1 share of commits",
    format: pct,
    yMax: 1,
    bands: [{ name: "top-1 share", color: COLORS.debt, points: c.periods.map((p) => ({ date: periodDate(p.period), lo: p.top1Share.best, hi: p.top1Share.worst, label: p.period })) }],
    series: [{ name: "top-1 share (worst case)", color: COLORS.debt, points: c.periods.map((p) => ({ date: periodDate(p.period), y: p.top1Share.worst, label: p.period })) }],
    width: 480,
  });
  const orgRows = c.organizations.map((o) => html`<tr><td>${swatch(orgColor(o.name))} ${o.name}</td>${num(o.commits)}${num(o.share, { format: pct })}${num(o.lines)}${num(o.contributors)}</tr>`);
  const own = c.ownership;
  const ownership = own
    ? html`<p><b>${pct(own.singleOrganizationShare.files)}</b> of owned files and <b>${pct(own.singleOrganizationShare.lines)}</b> of their lines have every owner in one organisation (<code>${own.file}</code>: ${fmt(own.files.owned)} of ${fmt(own.files.total)} files owned, ${fmt(own.files.unresolved)} with unresolved owners).</p>${table({ head: [{ label: "Organisation holding sole ownership" }, { label: "Files", num: true }, { label: "Lines", num: true }], rows: own.byOrganization.map((o) => html`<tr><td>${swatch(orgColor(o.organization))} ${o.organization}</td>${num(o.files)}${num(o.lines)}</tr>`), id: "ownership", empty: "No single-organisation path." })}`
    : html`<p class="empty">No CODEOWNERS or MAINTAINERS file.</p>`;
  return html`<h2>Community (${shortRef(c.ref)}, ${fmt(c.totals.commits)} human commits)</h2>
<div class="kpis">${kpi(interval(c.elephantFactor), "elephant factor (best–worst)", c.elephantFactor.worst <= 1 ? "bad" : "")}${kpi(interval(c.busFactor), "contributor absence (bus) factor")}${kpi(pct(c.coverage), "commits with a known organisation")}${kpi(interval(c.top1Share, pct), `top organisation share${c.organizations[0] ? ` (${c.organizations[0].name})` : ""}`)}${kpi(fmt(c.totals.contributors), "contributors")}${kpi(fmt(c.bots.commits), "bot commits (apart)")}</div>
${figure({ chart: shares, caption: `Organisation shares of each ${c.period}'s human commits; grey: unknown affiliation (best/worst intervals account for it).`, numbers: table({ head: [{ label: "Period" }, { label: "Commits", num: true }, { label: "People", num: true }, { label: "Coverage", num: true }, { label: "EF best", num: true, title: "elephant factor, best case" }, { label: "EF worst", num: true, title: "elephant factor, worst case" }, { label: "Top-1 worst", num: true, title: "top organisation's share, worst case" }, { label: "Top organisations" }], rows: periodRows, id: "community-periods" }) })}
<div>${band}${top1}</div>
<h3>Organisations (whole history)</h3>
${table({ head: [{ label: "Organisation" }, { label: "Commits", num: true }, { label: "Share", num: true }, { label: "Changed lines", num: true }, { label: "People", num: true }], rows: orgRows, id: "organisations" })}
<p>Unknown: ${fmt(c.unknown.commits)} commits by ${fmt(c.unknown.identities)} identities. Review within the author's own organisation: ${c.review.sameOrganizationRate === null ? "–" : pct(c.review.sameOrganizationRate)} of ${fmt(c.review.reviewed)} reviewed commits.</p>
<h3>Ownership (CODEOWNERS)</h3>
${ownership}
${c.warnings.length ? html`<h3>Warnings</h3><ul>${c.warnings.map((w) => html`<li>${w}</li>`)}</ul>` : ""}
${evidenceLink(name, "community", stored.computedAt)}`;
}

function depsSection(v: View, name: string): Html {
  const stored = v.result<DepsPortfolio>("*", "deps-matrix");
  const own = v.ok<DepsResult>(name, "deps");
  const ownPart = own
    ? html`<p>${fmt(own.releases.length)} releases read (${own.releases.map((r) => r.version ?? shortRef(r.ref)).join(", ") || "none"}).</p>${evidenceLink(name, "deps", v.result(name, "deps")?.computedAt)}`
    : notScanned(v, name, "deps", "release requirements");
  if (!stored?.ok) return html`<h2>Dependents</h2>${ownPart}${v.result("*", "deps-matrix") ? notScanned(v, "*", "deps-matrix", "deps matrix") : html`<p class="empty">No compatibility matrix (the portfolio has no plugin or downstream, or it was not scanned).</p>`}`;
  const m = stored.result;
  const releases = m.projects.find((p) => p.name === name)?.releases.map((r) => r.version ?? shortRef(r.ref)) ?? [];
  const rowsM = m.matrix.filter((x) => x.project === name);
  const heat = heatmap({
    title: `${name}: which project releases each dependent release admits`,
    rows: rowsM.map((x) => `${x.dependent} ${x.version ?? shortRef(x.release)}`),
    cols: releases,
    cells: rowsM.map((x) => releases.map((r) => (x.admits.includes(r) ? 1 : 0))),
    color: (n) => (n ? COLORS.upstreamed : "#f1d0c4"),
    label: (n) => (n ? "admitted" : "not admitted"),
    cellText: (n) => (n ? "✓" : "✗"),
  });
  const matrixRows = rowsM.map((x) => html`<tr><td>${v.link(x.dependent)}</td><td>${x.version ?? shortRef(x.release)}</td><td class="mono">${x.specifiers.map((s) => `${s.specifier || "any"} (${s.file})`).join("; ")}</td><td>${x.admits.join(", ") || html`<span class="bad">none</span>`}</td></tr>`);
  const lag = m.lag.filter((l) => l.project === name);
  const lagPoints = v.points("*", "deps-matrix").filter((p) => p.ref.startsWith(`${name}==`));
  const dependents = [...new Set(lag.map((l) => l.dependent))];
  const lagChart = lineChart({
    title: `${name}: days until each dependent admitted a release`,
    yLabel: "upgrade lag (days)",
    series: dependents.map((dep) => ({ name: dep, color: otherColor(dep), points: lagPoints.filter((p) => p.metric === `lag:${dep}`).map((p) => ({ date: p.date, y: p.value, label: `${p.ref.slice(name.length + 2)}` })) })),
  });
  const lagRows = lag.map((l) => html`<tr data-ref="${`${l.project}==${l.version}`}" data-dependent="${l.dependent}"><td>${l.version}</td><td class="d">${day(l.date)}</td><td>${v.link(l.dependent)}</td><td>${l.firstRelease ? shortRef(l.firstRelease) : html`<span class="bad">not yet</span>`}</td>${num(l.days, { metric: `lag:${l.dependent}` })}</tr>`);
  return html`<h2>Dependents: compatibility and upgrade lag</h2>
${ownPart}
${figure({ chart: heat, caption: "Rows: each dependent release; columns: this project's releases; ✓ when every specifier the release declares admits it (PEP 440).", numbers: table({ head: [{ label: "Dependent" }, { label: "Release" }, { label: "Declares" }, { label: "Admits" }], rows: matrixRows, id: "deps-matrix", empty: "No dependent release names this project." }) })}
${figure({ chart: lagChart, caption: "Upgrade lag: days from each project release to the first dependent release whose range admits it; releases not admitted yet have no point.", numbers: table({ head: [{ label: "Release" }, { label: "Date" }, { label: "Dependent" }, { label: "First admitting release" }, { label: "Days", num: true }], rows: lagRows, id: "upgrade-lag" }) })}
${m.warnings.length ? html`<h3>Warnings</h3><ul>${m.warnings.map((w) => html`<li>${w}</li>`)}</ul>` : ""}
${evidenceLink("*", "deps-matrix", stored.computedAt)}`;
}

function projectBody(v: View, name: string): Html {
  const p = v.d.config.projects.find((x) => x.name === name)!;
  const forks = v.d.config.forks.filter((f) => f.of === name);
  const deps = [...v.d.config.plugins, ...v.d.config.downstreams].filter((x) => x.depends.includes(name));
  return html`<h1>${name}</h1>
<p class="lead">Project · branch <code>${p.branch}</code> · tags <code>${p.tags}</code>${p.packages.length ? html` · packages ${p.packages.join(", ")}` : ""}${forks.length ? html` · forks ${joinHtml(forks.map((f) => v.link(f.name)), ", ")}` : ""}${deps.length ? html` · dependents ${joinHtml(deps.map((x) => v.link(x.name)), ", ")}` : ""}</p>
${failuresBox(v, name)}
${footprintSection(v, name)}
${apiSection(v, name)}
${communitySection(v, name)}
${depsSection(v, name)}`;
}

// ---------------------------------------------------------------------------------------------
// Plugin / downstream

function dependentBody(v: View, name: string, kind: RepositoryKind): Html {
  const cfg = [...v.d.config.plugins, ...v.d.config.downstreams].find((x) => x.name === name)!;
  const stored = v.result<DepsResult>(name, "deps");
  const projects = new Set(cfg.depends);
  const releaseRows = (stored?.ok ? stored.result.releases : []).map((r) => {
    const onPortfolio = r.requirements.filter((q) => projects.has(q.name));
    return html`<tr><td>${r.version ?? shortRef(r.ref)}</td><td class="d">${day(r.date)}</td><td class="mono">${onPortfolio.map((q) => `${q.name}${q.specifier ? " " + q.specifier : ""} (${q.file})`).join("; ") || "–"}</td>${num(r.requirements.length - onPortfolio.length)}<td class="mono">${r.files.join(", ")}</td></tr>`;
  });
  const m = v.ok<DepsPortfolio>("*", "deps-matrix");
  const rowsM = m?.matrix.filter((x) => x.dependent === name) ?? [];
  const contract = cfg.depends.map((proj) => {
    const releases = m?.projects.find((p) => p.name === proj)?.releases.map((r) => r.version ?? shortRef(r.ref)) ?? [];
    const mine = rowsM.filter((x) => x.project === proj);
    const lag = m?.lag.filter((l) => l.project === proj && l.dependent === name) ?? [];
    return html`<h3>Contract with ${v.link(proj)}</h3>
${figure({
  chart: heatmap({ title: `${name}: which ${proj} releases each release admits`, rows: mine.map((x) => x.version ?? shortRef(x.release)), cols: releases, cells: mine.map((x) => releases.map((r) => (x.admits.includes(r) ? 1 : 0))), color: (n) => (n ? COLORS.upstreamed : "#f1d0c4"), label: (n) => (n ? "admitted" : "not admitted"), cellText: (n) => (n ? "✓" : "✗") }),
  numbers: table({ head: [{ label: `${proj} release` }, { label: "Date" }, { label: "First admitting release" }, { label: "Lag (days)", num: true }], rows: lag.map((l) => html`<tr data-ref="${`${l.project}==${l.version}`}"><td>${l.version}</td><td class="d">${day(l.date)}</td><td>${l.firstRelease ? shortRef(l.firstRelease) : html`<span class="bad">not yet</span>`}</td>${num(l.days, { metric: `lag:${name}` })}</tr>`), id: `lag-${proj}`, empty: "No lag measured." }),
})}`;
  });
  const fp = v.ok<{ footprint: NeutralityFootprint; lint: NeutralityLint }>(name, "neutrality");
  return html`<h1>${name}</h1>
<p class="lead">${kind === "plugin" ? "Plugin" : "Downstream"} of ${joinHtml(cfg.depends.map((d) => v.link(d)), ", ")} · tags <code>${cfg.tags}</code></p>
${failuresBox(v, name)}
<h2>Releases and what they require</h2>
${stored?.ok ? table({ head: [{ label: "Release" }, { label: "Date" }, { label: "On portfolio projects" }, { label: "Other requirements", num: true }, { label: "Files" }], rows: releaseRows, id: "releases", empty: "No release tag read." }) : notScanned(v, name, "deps", "release requirements")}
${stored?.ok ? evidenceLink(name, "deps", stored.computedAt) : ""}
<h2>Contract with upstream</h2>
${m ? contract : html`<p class="empty">No compatibility matrix in the store.</p>`}
${m ? evidenceLink("*", "deps-matrix", v.result("*", "deps-matrix")?.computedAt) : ""}
${patchesSection(v, name)}
${fp || v.result(name, "neutrality") ? footprintSection(v, name) : ""}`;
}
