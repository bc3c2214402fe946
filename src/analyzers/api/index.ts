import { InputError } from "../../errors.js";
import { Repository } from "../../git/repository.js";
import { noRefMatches } from "../../git/refs.js";
import { mergeCoverage, type Coverage } from "../../git/tree.js";
import type { Marker } from "../../python/facts.js";
import { diffSurfaces, type Addition, type Finding } from "./diff.js";
import { downstreamImpact, type DownstreamImpact } from "./impact.js";
import { surfaceAt, type ApiObject, type Surface } from "./surface.js";
import { extractContract, judgeContract, mentionedGroups, type ContractSummary, type JudgedContract, type OverrideCoupling, type PatchCoupling, type RegistrationCoupling, type ThirdPartyPatch, type Unresolved } from "./contract.js";
import { upstreamIndex, type UpstreamIndex } from "./upstream.js";

export type { DownstreamImpact, ImpactHit } from "./impact.js";
export type { Addition, Finding, Part } from "./diff.js";
export type { ApiObject } from "./surface.js";
export type { CallCoupling, ContractSummary, CouplingStatus, ImportCoupling, JudgedContract, OverrideCoupling, PatchCoupling, RegistrationCoupling, SubclassCoupling, ThirdPartyPatch, Unresolved } from "./contract.js";

export const API_SCHEMA_VERSION = 1;

export interface MarkerEvidence {
  marker: Marker;
  /** The object (or an enclosing class or module) that carries it. */
  object: string;
  param?: string;
  file: string;
  line: number;
  message: string;
  /** The first release examined that had it. */
  since: string;
}

export interface Verdict {
  verdict: "announced" | "unannounced";
  markers: MarkerEvidence[];
  /** When announced: strong (a warning, decorator, helper or directive) or weak (only docstring prose or a logger warning). */
  strength?: "strong" | "weak";
  /** Releases and days between the first marker and the break (when announced). */
  graceReleases?: number;
  graceDays?: number;
}

export interface ApiBreak extends Finding {
  deprecation: Verdict;
}

export interface ApiDiff {
  schemaVersion: number;
  from: { ref: string; commit: string; date: string };
  to: { ref: string; commit: string; date: string };
  packages: string[];
  /** How the packages were chosen (at FROM): `--package`, the packaging file that declares them, or the layout. */
  packagesFrom: string;
  breaking: ApiBreak[];
  /** Signature changes that break no call: every part a changed default (calls bind as before; behaviour may differ). */
  nonBreaking: Finding[];
  additions: Addition[];
  /** Objects (or parameters) that carry a deprecation marker at TO but not at FROM. */
  deprecations: { object: string; param?: string; marker: Marker; file: string; line: number; message: string; aliases?: string[] }[];
  suggestedBump: "major" | "minor" | "patch";
  summary: { breaking: number; announced: number; weak: number; nonBreaking: number; additions: number; deprecations: number };
  /** Python files of the packages at FROM and TO, and those not read (absent blobs): a diff over unread files is incomplete. */
  coverage: Coverage;
  warnings: string[];
}

export interface ApiSurfaceResult {
  schemaVersion: number;
  ref: string;
  commit: string;
  packages: string[];
  /** How the packages were chosen: `--package`, the packaging file that declares them, or the layout. */
  packagesFrom: string;
  modules: number;
  objects: ApiObject[];
  coverage: Coverage;
  warnings: string[];
}

const WEAK_MARKERS = new Set<Marker>(["logger-warning", "docstring"]);

/** The deprecation markers of a surface by object path: all the verdicts need of an earlier release. */
type Markers = Map<string, ApiObject["deprecations"]>;

/**
 * A surface's markers alone. A history keeps every earlier release's markers (a break may have
 * been announced many releases ago) but only the previous release's surface: keeping every surface
 * held 900 MB over DeepSpeed's 126 releases.
 */
function markersOf(surface: Surface): Markers {
  const out: Markers = new Map();
  for (const [path, o] of surface.objects) if (o.deprecations.length) out.set(path, o.deprecations);
  return out;
}

/** Every marker that announces a change to `path` (and, for a parameter, to that parameter): its own, its class's, its module's. */
function markersFor(markers: Markers, path: string, param: string | null): { object: string; m: ApiObject["deprecations"][number] }[] {
  const out: { object: string; m: ApiObject["deprecations"][number] }[] = [];
  const parts = path.split(".");
  for (let i = parts.length; i > 0; i--) {
    const p = parts.slice(0, i).join(".");
    const ds = markers.get(p);
    if (!ds) continue;
    for (const m of ds) {
      // A marker about one parameter announces only that parameter's change.
      if (m.param && (i !== parts.length || m.param !== param)) continue;
      out.push({ object: p, m });
    }
  }
  return out;
}

/** Deprecation verdicts for findings, looking markers up in earlier surfaces (oldest first). */
function verdicts(findings: Finding[], earlier: Earlier[], to: { date: string; index: number }): ApiBreak[] {
  return findings.map((f) => {
    const needs = f.parts.length ? f.parts.filter((p) => !p.weak).map((p) => (p.kind === "base-removed" ? null : p.name)) : [null];
    const evidence: MarkerEvidence[] = [];
    let announcedAll = needs.length > 0;
    let first: number | null = null;
    for (const param of needs.length ? needs : [null]) {
      let found = false;
      for (const [i, e] of earlier.entries()) {
        const ms = markersFor(e.markers, f.object, param);
        if (!ms.length) continue;
        found = true;
        first = first === null ? i : Math.min(first, i);
        for (const { object, m } of ms) {
          if (!evidence.some((x) => x.object === object && x.line === m.line && x.file === m.file && x.param === m.param)) {
            evidence.push({ marker: m.marker, object, ...(m.param ? { param: m.param } : {}), file: m.file, line: m.line, message: m.message, since: e.ref });
          }
        }
        break;
      }
      if (!found) announcedAll = false;
    }
    const announced = announcedAll && evidence.length > 0;
    const verdict: Verdict = { verdict: announced ? "announced" : "unannounced", markers: evidence };
    if (announced) verdict.strength = evidence.some((m) => !WEAK_MARKERS.has(m.marker)) ? "strong" : "weak";
    if (announced && first !== null) {
      verdict.graceReleases = to.index - first;
      verdict.graceDays = Math.max(0, Math.round((Date.parse(to.date) - Date.parse(earlier[first]!.date)) / 86_400_000));
    }
    return { ...f, deprecation: verdict };
  });
}

/** Markers at TO that FROM did not have: one entry per marker, its other public paths (re-exports) as aliases. */
function newDeprecations(from: Surface, to: Surface): ApiDiff["deprecations"] {
  const byMarker = new Map<string, ApiDiff["deprecations"]>();
  for (const [path, o] of to.objects) {
    const before = from.objects.get(path);
    for (const m of o.deprecations) {
      if (before?.deprecations.some((x) => x.marker === m.marker && x.param === m.param)) continue;
      // The marker's place and the object's own name: re-export paths of one definition (its methods too) fold.
      const key = `${m.file}:${m.line}\0${m.marker}\0${m.param ?? ""}\0${path.slice(path.lastIndexOf(".") + 1)}`;
      const entry = { object: path, ...(m.param ? { param: m.param } : {}), marker: m.marker, file: m.file, line: m.line, message: m.message };
      const group = byMarker.get(key);
      if (group) group.push(entry);
      else byMarker.set(key, [entry]);
    }
  }
  const out: ApiDiff["deprecations"] = [];
  for (const g of byMarker.values()) {
    const [first, ...rest] = g.sort((a, b) => a.object.split(".").length - b.object.split(".").length || (a.object < b.object ? -1 : 1));
    out.push({ ...first!, ...(rest.length ? { aliases: rest.map((x) => x.object) } : {}) });
  }
  return out.sort((a, b) => (a.object < b.object ? -1 : 1));
}

function bump(breaking: ApiBreak[], nonBreaking: Finding[], additions: Addition[]): ApiDiff["suggestedBump"] {
  if (breaking.some((b) => b.parts.length === 0 || b.parts.some((p) => !p.weak))) return "major";
  // A changed default changes behaviour, not calls: minor, as weak breaks and additions.
  return additions.length || breaking.length || nonBreaking.length ? "minor" : "patch";
}

async function at(repo: Repository, ref: string): Promise<{ ref: string; commit: string; date: string }> {
  const commit = await repo.resolveCommit(ref);
  return { ref, commit, date: (await repo.commitInfo(commit)).commitDate };
}

/** `steward api surface`: the public API model at a ref. */
export async function apiSurface(o: { repo?: string; ref: string; packages?: string[]; fetchMissing?: boolean; onProgress?: (e: ApiProgress) => void }): Promise<ApiSurfaceResult> {
  const repo = await Repository.open(o.repo ?? ".");
  try {
    const { commit } = await at(repo, o.ref);
    o.onProgress?.({ kind: "stage", ref: o.ref, stage: "reading the API surface" });
    const s = await surfaceAt(repo, commit, o.ref, o.packages, { fetchMissing: o.fetchMissing === true });
    return { schemaVersion: API_SCHEMA_VERSION, ref: o.ref, commit, packages: s.packages, packagesFrom: s.packagesFrom, modules: s.modules, objects: [...s.objects.values()].sort((a, b) => (a.path < b.path ? -1 : 1)), coverage: s.coverage, warnings: s.warnings };
  } finally {
    repo.close();
  }
}

/**
 * `steward api diff FROM TO`: breaking changes with their parts, each with
 * its deprecation verdict (a marker at FROM announces it), additions, newly
 * deprecated objects and the suggested semver bump.
 */
/** Progress of the API analyses (the shape drift's progress has, so one reporter renders both). */
export type ApiProgress = { kind: "stage"; ref?: string; stage: string } | { kind: "ref"; ref: string; index: number; total: number };

export async function apiDiff(o: { repo?: string; from: string; to: string; packages?: string[]; fetchMissing?: boolean; onProgress?: (e: ApiProgress) => void }): Promise<ApiDiff> {
  return (await diffWithSurfaces(o)).diff;
}

async function diffWithSurfaces(o: { repo?: string; from: string; to: string; packages?: string[]; fetchMissing?: boolean; onProgress?: (e: ApiProgress) => void }): Promise<{ diff: ApiDiff; a: Surface; b: Surface }> {
  const repo = await Repository.open(o.repo ?? ".");
  try {
    const [from, to] = [await at(repo, o.from), await at(repo, o.to)];
    const fetchMissing = o.fetchMissing === true;
    o.onProgress?.({ kind: "stage", ref: o.from, stage: "reading the API surface" });
    const a = await surfaceAt(repo, from.commit, o.from, o.packages, { fetchMissing });
    o.onProgress?.({ kind: "stage", ref: o.to, stage: "reading the API surface" });
    const b = await surfaceAt(repo, to.commit, o.to, o.packages ?? a.packages, { fetchMissing });
    return { diff: diffResult(from, to, a, b, [{ ref: o.from, date: from.date, markers: markersOf(a) }], 1), a, b };
  } finally {
    repo.close();
  }
}

/** A downstream's impact with its contract judged between FROM and TO: what it patches, overrides and registers. */
export interface DownstreamContractImpact extends DownstreamImpact {
  patches: PatchCoupling[];
  overrides: OverrideCoupling[];
  registrations: RegistrationCoupling[];
  unresolved: Unresolved[];
  thirdPartyPatches: ThirdPartyPatch[];
  contract: ContractSummary;
}

export interface ApiImpact extends ApiDiff {
  downstreams: DownstreamContractImpact[];
}

/**
 * `steward api impact FROM TO --downstream PATH[:REF]...`: the diff, and for
 * each downstream the imports and calls its breaks hit (whether the call
 * shape really breaks), plus its coupling to the upstream's private names.
 */
export async function apiImpact(o: { repo?: string; from: string; to: string; packages?: string[]; downstreams: string[]; fetchMissing?: boolean; onProgress?: (e: ApiProgress) => void }): Promise<ApiImpact> {
  if (!o.downstreams.length) throw new InputError("no downstream given (--downstream PATH[:REF])");
  const { diff, a, b } = await diffWithSurfaces(o);
  const fetchMissing = o.fetchMissing === true;
  const repo = await Repository.open(o.repo ?? ".");
  try {
    const packages = o.packages ?? a.packages;
    const from = await upstreamIndex(repo, diff.from.commit, o.from, packages, { fetchMissing });
    const to = await upstreamIndex(repo, diff.to.commit, o.to, packages, { fetchMissing });
    const downstreams: DownstreamContractImpact[] = [];
    for (const [index, d] of o.downstreams.entries()) {
      o.onProgress?.({ kind: "ref", ref: `downstream ${d}`, index, total: o.downstreams.length });
      const impact = await downstreamImpact(d, diff.breaking, a, b, { fetchMissing });
      const contract = await judgedContract(repo, d, from, to, fetchMissing);
      downstreams.push({
        ...impact,
        patches: contract.judged.patches,
        overrides: contract.judged.overrides,
        registrations: contract.judged.registrations,
        unresolved: contract.judged.unresolved,
        thirdPartyPatches: contract.judged.thirdPartyPatches,
        contract: contract.judged.summary,
        warnings: [...new Set([...impact.warnings, ...contract.warnings])],
      });
    }
    return { ...diff, downstreams };
  } finally {
    repo.close();
  }
}

/** A downstream's contract extracted and judged between two upstream indexes of `repo`. */
export async function judgedContract(repo: Repository, downstream: string, from: UpstreamIndex, to: UpstreamIndex, fetchMissing = false): Promise<{ judged: JudgedContract; source: string; ref: string; commit: string; files: number; coverage: Coverage; warnings: string[] }> {
  const ex = await extractContract(downstream, new Set([...from.packages, ...to.packages]), { fetchMissing });
  const groups = [...new Set(ex.registrations.filter((r) => r.kind === "entry-point").map((r) => r.target))];
  const mentioned = { from: await mentionedGroups(repo, from.commit, groups), to: from === to ? new Set<string>() : await mentionedGroups(repo, to.commit, groups) };
  if (from === to) mentioned.to = mentioned.from;
  return { judged: judgeContract(ex, from, to, mentioned), source: ex.source, ref: ex.ref, commit: ex.commit, files: ex.files, coverage: ex.coverage, warnings: ex.warnings };
}

export interface ApiContract extends JudgedContract {
  schemaVersion: number;
  upstream: { ref: string; commit: string; packages: string[]; packagesFrom: string };
  downstream: { source: string; ref: string; commit: string; files: number };
  coverage: Coverage;
  warnings: string[];
}

/**
 * `steward api contract --downstream PATH[:REF] REF`: the downstream's whole
 * contract with the upstream at REF — imports, calls, subclasses, overrides,
 * patches, registrations — each resolved to an upstream path, with how much
 * of it is private. Statuses at one ref: ok, private or not-found.
 */
export async function apiContract(o: { repo?: string; ref: string; packages?: string[]; downstream: string; fetchMissing?: boolean; onProgress?: (e: ApiProgress) => void }): Promise<ApiContract> {
  const repo = await Repository.open(o.repo ?? ".");
  try {
    const { commit } = await at(repo, o.ref);
    o.onProgress?.({ kind: "stage", ref: o.ref, stage: "reading the upstream's definitions" });
    const idx = await upstreamIndex(repo, commit, o.ref, o.packages, { fetchMissing: o.fetchMissing === true });
    o.onProgress?.({ kind: "stage", ref: o.downstream, stage: "reading the downstream's couplings" });
    const c = await judgedContract(repo, o.downstream, idx, idx, o.fetchMissing === true);
    return {
      schemaVersion: API_SCHEMA_VERSION,
      upstream: { ref: o.ref, commit, packages: idx.packages, packagesFrom: idx.packagesFrom },
      downstream: { source: c.source, ref: c.ref, commit: c.commit, files: c.files },
      ...c.judged,
      coverage: mergeCoverage([idx.coverage, c.coverage]),
      warnings: [...idx.warnings.map((w) => `upstream ${o.ref}: ${w}`), ...c.warnings],
    };
  } finally {
    repo.close();
  }
}

/** An earlier release as the verdicts see it. */
interface Earlier {
  ref: string;
  date: string;
  markers: Markers;
}

function diffResult(from: ApiDiff["from"], to: ApiDiff["to"], a: Surface, b: Surface, earlier: Earlier[], index: number): ApiDiff {
  const { breaking, nonBreaking, additions } = diffSurfaces(a, b);
  const judged = verdicts(breaking, earlier, { date: to.date, index });
  const deprecations = newDeprecations(a, b);
  return {
    schemaVersion: API_SCHEMA_VERSION,
    from,
    to,
    packages: b.packages,
    packagesFrom: a.packagesFrom,
    breaking: judged,
    nonBreaking,
    additions,
    deprecations,
    suggestedBump: bump(judged, nonBreaking, additions),
    summary: {
      breaking: judged.length,
      announced: judged.filter((x) => x.deprecation.verdict === "announced").length,
      weak: judged.filter((x) => x.parts.length > 0 && x.parts.every((p) => p.weak)).length,
      nonBreaking: nonBreaking.length,
      additions: additions.length,
      deprecations: deprecations.length,
    },
    coverage: mergeCoverage([a.coverage, b.coverage]),
    warnings: [...new Set([...a.warnings.map((w) => `${from.ref}: ${w}`), ...b.warnings.map((w) => `${to.ref}: ${w}`)])],
  };
}

export interface ApiHistory {
  schemaVersion: number;
  patterns: string[];
  packages: string[];
  /** How the packages were chosen at the first release read. */
  packagesFrom: string | null;
  releases: {
    ref: string;
    commit: string;
    date: string;
    /** Compared with the release before it (null for the first). */
    previous: string | null;
    breaking: number;
    announced: number;
    /** Share of breaks announced by a deprecation in an earlier release (null without breaks). */
    announcedShare: number | null;
    medianGraceReleases: number | null;
    medianGraceDays: number | null;
    deprecations: number;
    additions: number;
    suggestedBump: ApiDiff["suggestedBump"] | null;
    breaks: { object: string; kind: string; verdict: string; graceReleases?: number; graceDays?: number }[];
    /** Python files of the packages at this release, and those not read (absent blobs). */
    coverage: { files: number; missing: number };
  }[];
  /** Summed over the releases. */
  coverage: Coverage;
  warnings: string[];
}

function median(xs: number[]): number | null {
  if (!xs.length) return null;
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/**
 * `steward api history --tags GLOB`: the deprecation ledger across
 * consecutive releases — per release its breaks, the share announced in an
 * earlier release, and the median grace in releases and days.
 */
export async function apiHistory(o: { repo?: string; patterns: string[]; packages?: string[]; fetchMissing?: boolean; onProgress?: (e: ApiProgress) => void }): Promise<ApiHistory> {
  if (!o.patterns.length) throw new InputError("no tag pattern given (--tags)");
  const repo = await Repository.open(o.repo ?? ".");
  try {
    const refs = await repo.refsMatching(o.patterns);
    if (refs.length === 0) throw new InputError(await noRefMatches(o.patterns, (p) => repo.refsMatching(p)));
    const dated = await Promise.all(refs.map(async (r) => ({ ref: r.ref, commit: r.commit, date: (await repo.commitInfo(r.commit)).commitDate })));
    dated.sort((a, b) => Date.parse(a.date) - Date.parse(b.date) || (a.ref < b.ref ? -1 : 1));
    const earlier: Earlier[] = [];
    let prev: { ref: string; date: string; surface: Surface } | null = null;
    const releases: ApiHistory["releases"] = [];
    const warnings: string[] = [];
    let packages = o.packages;
    let packagesFrom: string | null = null;
    const coverages: Coverage[] = [];
    for (const [i, r] of dated.entries()) {
      o.onProgress?.({ kind: "ref", ref: r.ref, index: i, total: dated.length });
      let s: Surface;
      try {
        s = await surfaceAt(repo, r.commit, r.ref, packages, { fetchMissing: o.fetchMissing === true });
      } catch (e) {
        if (e instanceof InputError && i < dated.length - 1) {
          warnings.push(`${r.ref}: ${e.message}`);
          continue;
        }
        throw e;
      }
      packages ??= s.packages;
      packagesFrom ??= s.packagesFrom;
      coverages.push(s.coverage);
      const coverage = { files: s.coverage.files, missing: s.coverage.missing };
      warnings.push(...s.warnings.map((w) => `${r.ref}: ${w}`));
      if (!prev) {
        releases.push({ ref: r.ref, commit: r.commit, date: r.date, previous: null, breaking: 0, announced: 0, announcedShare: null, medianGraceReleases: null, medianGraceDays: null, deprecations: 0, additions: 0, suggestedBump: null, breaks: [], coverage });
      } else {
        const d = diffResult({ ref: prev.ref, commit: "", date: prev.date }, r, prev.surface, s, earlier, earlier.length);
        const announced = d.breaking.filter((b) => b.deprecation.verdict === "announced");
        releases.push({
          ref: r.ref,
          commit: r.commit,
          date: r.date,
          previous: prev.ref,
          breaking: d.breaking.length,
          announced: announced.length,
          announcedShare: d.breaking.length ? Math.round((announced.length / d.breaking.length) * 1000) / 1000 : null,
          medianGraceReleases: median(announced.map((b) => b.deprecation.graceReleases!)),
          medianGraceDays: median(announced.map((b) => b.deprecation.graceDays!)),
          deprecations: d.deprecations.length,
          additions: d.additions.length,
          suggestedBump: d.suggestedBump,
          breaks: d.breaking.map((b) => ({ object: b.object, kind: b.kind, verdict: b.deprecation.verdict, ...(b.deprecation.graceReleases !== undefined ? { graceReleases: b.deprecation.graceReleases, graceDays: b.deprecation.graceDays! } : {}) })),
          coverage,
        });
      }
      earlier.push({ ref: r.ref, date: r.date, markers: markersOf(s) });
      prev = { ref: r.ref, date: r.date, surface: s };
    }
    return { schemaVersion: API_SCHEMA_VERSION, patterns: o.patterns, packages: packages ?? [], packagesFrom, releases, coverage: mergeCoverage(coverages), warnings };
  } finally {
    repo.close();
  }
}
