import { satisfies } from "@renovatebot/pep440";
import { admits, witness } from "./witness.js";
import { InputError, isStewardError } from "../../errors.js";
import { loadConfig } from "../../portfolio/config.js";
import { depsOf, viewOf } from "../../portfolio/sources.js";
import { normaliseName, type ReleaseRequirements } from "./index.js";

export interface MatrixRow {
  dependent: string;
  release: string;
  version: string | null;
  project: string;
  /** The specifier(s) the release declares for the project ("" = any version); one per file that names it. */
  specifiers: { specifier: string; file: string; marker: string }[];
  /** Project releases every declared specifier admits. */
  admits: string[];
}

export interface LagRow {
  project: string;
  version: string;
  date: string;
  dependent: string;
  /** First dependent release (on or after the project release) admitting it; null: none yet. */
  firstRelease: string | null;
  days: number | null;
}

export interface DepsPortfolio {
  schemaVersion: number;
  config: string;
  projects: { name: string; releases: ReleaseRequirements[] }[];
  dependents: { name: string; releases: ReleaseRequirements[] }[];
  matrix: MatrixRow[];
  lag: LagRow[];
  /** How many (dependent, project) pairs the config declares. */
  pairs: number;
  /** Pairs whose releases could not be read on one side or both, with why; the matrix holds the others. */
  unreadable: { dependent: string; project: string; error: string }[];
  warnings: string[];
}

const DAY = 86_400_000;

/**
 * `steward deps CONFIG`: for every plugin and downstream release, which
 * releases of each portfolio project it depends on its declared ranges admit
 * (the matrix), and for every project release how many days passed until a
 * dependent release admitted it (upgrade lag). Pre-releases are admitted only
 * where a specifier names one (PEP 440).
 */
export async function depsPortfolio(configPath: string): Promise<DepsPortfolio> {
  const c = loadConfig(configPath);
  const warnings: string[] = [];
  const errors = new Map<string, string>();
  const releasesOf = async (x: { name: string; tags: string; branch: string }) => {
    try {
      const r = await depsOf(await viewOf(c, x.name), x.tags, x.branch);
      // A branch read as the release says so; other warnings belong to the repository's own deps result.
      warnings.push(...r.warnings.filter((w) => w.startsWith("no ref matches")).map((w) => `${x.name}: ${w}`));
      return r.releases;
    } catch (e) {
      if (!isStewardError(e)) throw e;
      errors.set(x.name, e.message);
      warnings.push(`${x.name}: ${e.message}`);
      return [];
    }
  };
  const projects = [];
  for (const p of c.projects) projects.push({ name: p.name, distributions: new Set([p.name, ...p.packages].map(normaliseName)), releases: await releasesOf(p) });
  const dependents = [];
  for (const d of [...c.plugins, ...c.downstreams]) dependents.push({ name: d.name, depends: d.depends, releases: await releasesOf(d) });
  const unreadable: DepsPortfolio["unreadable"] = [];
  for (const d of dependents) {
    for (const pname of d.depends) {
      const why = [errors.get(d.name), errors.get(pname)].filter((x) => x !== undefined);
      if (why.length) unreadable.push({ dependent: d.name, project: pname, error: why.join("; ") });
    }
  }

  const matrix: MatrixRow[] = [];
  for (const d of dependents) {
    for (const rel of d.releases) {
      for (const pname of d.depends) {
        const project = projects.find((p) => p.name === pname)!;
        // What a plain install pulls in, as in `deps check`: an optional group's or an extra's range does not bind it.
        const specifiers = rel.requirements.filter((q) => !optional(q) && project.distributions.has(q.name)).map((q) => ({ specifier: q.specifier, file: q.file, marker: q.marker }));
        if (specifiers.length === 0) continue;
        const admitted = project.releases.filter((pr) => pr.version !== null && specifiers.every((s) => s.specifier === "" || admits(pr.version!, s.specifier))).map((pr) => pr.version!);
        matrix.push({ dependent: d.name, release: rel.ref, version: rel.version, project: pname, specifiers, admits: admitted });
      }
    }
  }
  const lag: LagRow[] = [];
  for (const project of projects) {
    for (const pr of project.releases) {
      if (pr.version === null) continue;
      for (const d of dependents.filter((x) => x.depends.includes(project.name))) {
        const first = d.releases.find((rel) => Date.parse(rel.date) >= Date.parse(pr.date) && matrix.some((m) => m.dependent === d.name && m.release === rel.ref && m.project === project.name && m.admits.includes(pr.version!)));
        lag.push({
          project: project.name,
          version: pr.version,
          date: pr.date,
          dependent: d.name,
          firstRelease: first?.ref ?? null,
          days: first ? Math.floor((Date.parse(first.date) - Date.parse(pr.date)) / DAY) : null,
        });
      }
    }
  }
  return {
    schemaVersion: 1,
    config: configPath,
    projects: projects.map((p) => ({ name: p.name, releases: p.releases })),
    dependents: dependents.map((d) => ({ name: d.name, releases: d.releases })),
    matrix,
    lag,
    pairs: dependents.reduce((n, d) => n + d.depends.length, 0),
    unreadable,
    warnings,
  };
}

/** One chosen release's requirement on a distribution. */
export interface Constraint {
  by: string;
  byVersion: string;
  specifier: string;
  file: string;
  /** Other files of the same release declaring the same constraint (requirements.txt and setup.py). */
  alsoIn?: string[];
  marker: string;
}

export type Conflict =
  /** A chosen release does not admit the version chosen for another portfolio package. */
  | { kind: "pin"; by: string; byVersion: string; requires: string; specifier: string; file: string; alsoIn?: string[]; chosen: string }
  /** Two chosen releases require versions of a third-party package that no version satisfies together. */
  | { kind: "shared"; requires: string; by: string; byVersion: string; specifier: string; file: string; alsoIn?: string[]; other: Constraint };

export interface CheckResult {
  schemaVersion: number;
  chosen: { name: string; version: string; release: string }[];
  conflicts: Conflict[];
  /**
   * Third-party packages that two or more chosen releases constrain, with a
   * version satisfying all of them (the evidence of compatibility) or null.
   */
  shared: { name: string; constraints: Constraint[]; witness: string | null }[];
  coInstallable: boolean;
}

/**
 * A per-backend requirements file (`requirements-cuda.txt`, `requirements/rocm.txt`,
 * `requirements-cu118.txt`): one install uses one of a release's backend files, never two.
 */
const BACKEND_FILE = /(?:^|[-_./])(?:cuda|cu\d{2,3}|rocm|hip|cpu|xpu|tpu|neuron|hpu|gaudi|habana|npu|ascend|mps|xla|openvino|musa|mlu)(?=$|[-_./\d])/i;

/** Whether a requirements file is one backend's alternative rather than part of every install. */
export function isBackendFile(file: string): boolean {
  return BACKEND_FILE.test(file.replace(/\.(?:txt|in)$/i, ""));
}

/**
 * A version of one third-party package that some install of every chosen release admits, or null.
 * An install of a release takes its common files plus at most one of its backend files, so the
 * backend files' pins are alternatives: `==2.4.0+cu118` (CUDA) and `==2.4.0+rocm6.1` (ROCm) of
 * one release do not clash, and a dependent pinning `==2.4.0+cu118` fits its CUDA install.
 */
function environmentWitness(constraints: Constraint[], chosen: { name: string; release: ReleaseRequirements }[]): string | null {
  const perRelease: string[][][] = [];
  for (const by of [...new Set(constraints.map((k) => k.by))]) {
    const own = constraints.filter((k) => k.by === by);
    const common = own.filter((k) => !isBackendFile(k.file)).map((k) => k.specifier);
    const files = chosen.find((x) => x.name === by)?.release.files.filter(isBackendFile) ?? [];
    const backends = [...new Set([...files, ...own.filter((k) => isBackendFile(k.file)).map((k) => k.file)])];
    perRelease.push(backends.length === 0 ? [common] : backends.map((f) => [...common, ...own.filter((k) => k.file === f).map((k) => k.specifier)]));
  }
  // Every combination of one install per release (a handful: releases have few backend files).
  let combos: string[][] = [[]];
  for (const alternatives of perRelease) {
    combos = combos.flatMap((c) => alternatives.map((a) => [...c, ...a]));
    if (combos.length > 4096) return witness(constraints.map((k) => k.specifier));
  }
  for (const specs of combos) {
    const w = specs.length ? witness(specs) : null;
    if (w !== null) return w;
  }
  return null;
}

/** A requirement only an optional-dependency group or an extra pulls in. */
function optional(q: ReleaseRequirements["requirements"][number]): boolean {
  return q.group !== undefined || /\bextra\b/.test(q.marker);
}

/** Requirements that apply to a plain install and can be judged: optional ones and direct URL requirements are left out. */
function installed(q: ReleaseRequirements["requirements"][number]): boolean {
  return !optional(q) && q.url === undefined;
}

/**
 * `steward deps check NAME==VER ...`: are these portfolio versions
 * co-installable? Reads each chosen release's requirements and reports every
 * pin another chosen release does not admit, and every third-party package
 * (torch, numpy...) two chosen releases pin to disjoint ranges — the question
 * OpenStack's global requirements and upper constraints answer, asked of the
 * whole portfolio. A release's own files are not compared with each other:
 * per-backend files (requirements-cuda.txt, requirements-rocm.txt) are
 * alternatives, not one environment.
 */
export async function depsCheck(configPath: string, pins: string[]): Promise<CheckResult> {
  const c = loadConfig(configPath);
  const entries = [...c.projects, ...c.plugins, ...c.downstreams];
  const chosen: { name: string; dist: Set<string>; version: string; release: ReleaseRequirements }[] = [];
  for (const pin of pins) {
    const m = /^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s=]+)$/.exec(pin);
    if (!m) throw new InputError(`expected NAME==VERSION: ${pin}`);
    const entry = entries.find((e) => normaliseName(e.name) === normaliseName(m[1]!) || e.packages.some((p) => normaliseName(p) === normaliseName(m[1]!)));
    if (!entry) throw new InputError(`not in the portfolio: ${m[1]}`);
    if (chosen.some((x) => x.name === entry.name)) throw new InputError(`${entry.name} is chosen twice: ${pin}`);
    const r = await depsOf(await viewOf(c, entry.name), entry.tags, entry.branch);
    // A release is chosen by its version, or by its ref when it has none (a branch read as the release: NAME==main).
    const byRef = (x: ReleaseRequirements) => x.ref === m[2] || x.ref.replace(/^refs\/(?:heads|tags)\//, "") === m[2];
    const release = r.releases.find((x) => x.version !== null && satisfies(x.version, `==${m[2]}`)) ?? r.releases.find((x) => x.version === null && byRef(x));
    if (!release) throw new InputError(`${entry.name} has no release ${m[2]} (releases: ${r.releases.map((x) => x.version ?? x.ref).join(", ")})`);
    chosen.push({ name: entry.name, dist: new Set([entry.name, ...entry.packages].map(normaliseName)), version: release.version ?? m[2]!, release });
  }
  const conflicts: Conflict[] = [];
  for (const by of chosen) {
    for (const q of by.release.requirements.filter(installed)) {
      for (const other of chosen) {
        // A release chosen by its ref (no version) cannot be judged against a pin.
        if (other === by || !other.dist.has(q.name) || q.specifier === "" || other.release.version === null) continue;
        if (admits(other.version, q.specifier)) continue;
        // One release declaring the same requirement in several files (requirements.txt and setup.py) is one conflict.
        const same = conflicts.find((x) => x.kind === "pin" && x.by === by.name && x.requires === q.name && x.specifier === q.specifier);
        if (same) same.alsoIn = [...(same.alsoIn ?? []), q.file];
        else conflicts.push({ kind: "pin", by: by.name, byVersion: by.version, requires: q.name, specifier: q.specifier, file: q.file, chosen: other.version });
      }
    }
  }
  const portfolioDists = new Set(chosen.flatMap((x) => [...x.dist]));
  const byDist = new Map<string, Constraint[]>();
  for (const x of chosen) {
    for (const q of x.release.requirements.filter(installed)) {
      if (portfolioDists.has(q.name) || q.specifier === "") continue;
      // The same constraint in another file of the same release is one constraint declared twice.
      const same = byDist.get(q.name)?.find((k) => k.by === x.name && k.specifier === q.specifier && k.marker === q.marker);
      if (same) {
        same.alsoIn = [...(same.alsoIn ?? []), q.file];
        continue;
      }
      byDist.set(q.name, [...(byDist.get(q.name) ?? []), { by: x.name, byVersion: x.version, specifier: q.specifier, file: q.file, marker: q.marker }]);
    }
  }
  const shared: CheckResult["shared"] = [];
  for (const [name, constraints] of [...byDist].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (new Set(constraints.map((k) => k.by)).size < 2) continue;
    const w = environmentWitness(constraints, chosen);
    shared.push({ name, constraints, witness: w });
    if (w !== null) continue;
    // Name the pairs that clash; a release's own (per-backend) files are alternatives, not compared.
    for (let i = 0; i < constraints.length; i++) {
      for (let j = i + 1; j < constraints.length; j++) {
        const [a, b] = [constraints[i]!, constraints[j]!];
        if (a.by !== b.by && witness([a.specifier, b.specifier]) === null) conflicts.push({ kind: "shared", requires: name, by: a.by, byVersion: a.byVersion, specifier: a.specifier, file: a.file, ...(a.alsoIn ? { alsoIn: a.alsoIn } : {}), other: b });
      }
    }
  }
  return { schemaVersion: 1, chosen: chosen.map((x) => ({ name: x.name, version: x.version, release: x.release.ref })), conflicts, shared, coInstallable: conflicts.length === 0 };
}
