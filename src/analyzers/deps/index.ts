import { valid } from "@renovatebot/pep440";
import { parse as parseToml } from "smol-toml";
import { InputError } from "../../errors.js";
import { Repository } from "../../git/repository.js";
import { noRefMatches } from "../../git/refs.js";
import { coverageOf, describeCoverage, mergeCoverage, type Coverage, type TreeEntry } from "../../git/tree.js";
import { isRequirementsFile, parsePyproject, parseRequirementsTxt, parseSetupPy, type ParsedFile, type Requirement } from "./requirements.js";

export * from "./requirements.js";

export const DEPS_SCHEMA_VERSION = 1;

export interface ReleaseRequirements {
  ref: string;
  commit: string;
  /**
   * PEP 440 version read from the tag name (leading "v" dropped), or null when it is not one.
   * A branch read as the release (no tag matched): the version its pyproject.toml or setup.py declares, if literal.
   */
  version: string | null;
  /** Present (true) when no release tag matched and the configured branch was read as the one release. */
  branch?: true;
  /** Commit date of the tagged commit. */
  date: string;
  /** Every requirements file of the release merged, each requirement naming its file. */
  requirements: Requirement[];
  files: string[];
}

export interface DepsResult {
  schemaVersion: number;
  repo: string;
  patterns: string[];
  releases: ReleaseRequirements[];
  /** Which downstream release admits which core release (needs a portfolio; empty for one repository). */
  matrix: unknown[];
  /** Upgrade lag (needs a portfolio; empty for one repository). */
  lag: unknown[];
  /** Requirements files of every release, and those not read (absent blobs of a partial clone). */
  coverage: Coverage;
  warnings: string[];
}

/**
 * The version a tag names: `v1.2.0`, `1.2.0`, `release-1.2`, and under a namespace the last
 * component (`hab/v0.9.0`, `release/1.2`), local labels kept (`v0.9.0.1+Gaudi-1.22.0`), PEP 440
 * normalised. Vendor forks tag this way: every one of 50 such tags read "not a PEP 440 version".
 */
export function versionOfTag(ref: string): string | null {
  const name = ref.replace(/^refs\/(tags|heads)\//, "").replace(/^refs\/remotes\/[^/]+\//, "");
  const strip = (s: string) => s.replace(/^[A-Za-z_-]*?(?=\d)/, "");
  return valid(strip(name)) ?? valid(strip(name.slice(name.lastIndexOf("/") + 1)));
}

/** Requirements at one commit: every requirements file, `-r`/`-c` includes followed inside the tree. */
export async function requirementsAt(repo: Repository, commit: string, warnings: string[], opts: { fetchMissing?: boolean } = {}): Promise<{ requirements: Requirement[]; files: string[]; coverage: Coverage }> {
  const tree = await repo.listTree(commit, { sizes: false });
  const inTree = new Map(tree.map((e) => [e.path, e]));
  const queue = tree.filter((e) => isRequirementsFile(e.path)).map((e) => e.path);
  const wanted: TreeEntry[] = [];
  let fetched = 0;
  const seen = new Set<string>();
  const requirements: Requirement[] = [];
  const files: string[] = [];
  while (queue.length) {
    const path = queue.shift()!;
    if (seen.has(path)) continue;
    seen.add(path);
    const entry = inTree.get(path);
    if (!entry) {
      warnings.push(`${commit.slice(0, 10)}: included file not in the tree: ${path}`);
      continue;
    }
    wanted.push(entry);
    if (entry.missing && opts.fetchMissing) {
      // Includes are found while reading, so absent ones are fetched as they come: the top-level files in one request.
      const batch = [entry, ...queue.map((q) => inTree.get(q)).filter((e): e is TreeEntry => e !== undefined && e.missing)];
      fetched += await repo.fetchMissing(batch);
    }
    const blob = entry.missing ? null : await repo.readBlob(entry.oid);
    if (!blob) {
      entry.missing = true;
      continue;
    }
    const text = blob.toString("utf8");
    const kind = isRequirementsFile(path) ?? "txt";
    const parsed: ParsedFile = kind === "pyproject" ? parsePyproject(text, path) : kind === "setup" ? parseSetupPy(text, path) : parseRequirementsTxt(text, path);
    files.push(path);
    requirements.push(...parsed.requirements);
    warnings.push(...parsed.warnings);
    queue.push(...parsed.includes);
  }
  const coverage = await coverageOf(repo.gitDir, wanted, fetched);
  if (coverage.missing) warnings.push(`${commit.slice(0, 10)}: ${describeCoverage(coverage)}: ${coverage.missingPaths.join(", ")}`);
  return { requirements, files: files.sort(), coverage };
}

/** The version a tree's packaging metadata declares as a literal (pyproject.toml [project].version, setup.py version="..."), PEP 440 normalised. */
export async function declaredVersion(repo: Repository, commit: string): Promise<string | null> {
  // Through the tree reader: in a partial clone an absent file reads as none (never a fetch, never a crash).
  const read = async (path: string) => (await repo.fileAt(commit, path))?.content?.toString("utf8") ?? null;
  const pyproject = await read("pyproject.toml");
  if (pyproject !== null) {
    try {
      const v = (parseToml(pyproject).project as Record<string, unknown> | undefined)?.version;
      if (typeof v === "string" && valid(v)) return valid(v);
    } catch {
      // invalid TOML: the requirements reader warns about it
    }
  }
  const setup = await read("setup.py");
  const m = setup === null ? null : /\bversion\s*=\s*(["'])([^"'\n]+)\1/.exec(setup);
  return m ? valid(m[2]) : null;
}

/** `steward deps --repo DIR --tags GLOB`: the requirements declared at each release tag. */
export async function depsReleases(o: {
  repo?: string;
  patterns: string[];
  /** The repository's own name for a ref when it is read from another store (the workspace cache). */
  refName?: (ref: string) => string;
  /** How to name the repository and patterns in the result and errors (default: as given). */
  label?: { repo: string; patterns: string[] };
  /** In a partial clone, fetch the absent requirements files first. */
  fetchMissing?: boolean;
  /**
   * When no ref matches the patterns, read this branch (a full ref, as named
   * in `repo`) as the one release, named by its ref: a plugin or project
   * without release tags still has requirements, a matrix row and a version
   * for `deps check`.
   */
  branch?: string;
  /** One event per release read (the shape drift's progress has). */
  onProgress?: (e: { kind: "ref"; ref: string; index: number; total: number }) => void;
}): Promise<DepsResult> {
  if (o.patterns.length === 0) throw new InputError("no tag pattern given (--tags)");
  const name = o.refName ?? ((r: string) => r);
  const label = o.label ?? { repo: o.repo ?? ".", patterns: o.patterns };
  const repo = await Repository.open(o.repo ?? ".");
  try {
    const refs = await repo.refsMatching(o.patterns);
    const noTag = `no ref matches ${label.patterns.join(" ")}${o.label ? ` in ${label.repo}` : ""}`;
    const warnings: string[] = [];
    const releases: ReleaseRequirements[] = [];
    const coverages: Coverage[] = [];
    if (refs.length === 0) {
      if (!o.branch) throw new InputError(o.label ? noTag : await noRefMatches(o.patterns, (p) => repo.refsMatching(p)));
      const branch = (await repo.refsMatching([o.branch])).find((r) => r.ref === o.branch);
      if (!branch) throw new InputError(`${noTag}, and branch ${name(o.branch)} does not exist`);
      const ref = name(branch.ref);
      const info = await repo.commitInfo(branch.commit);
      const version = await declaredVersion(repo, branch.commit);
      warnings.push(`${noTag}: branch ${ref} read as the one release${version ? ` (version ${version} from its packaging metadata)` : " (no literal version in its packaging metadata)"}`);
      const { coverage, ...read } = await requirementsAt(repo, branch.commit, warnings, { fetchMissing: o.fetchMissing === true });
      coverages.push(coverage);
      releases.push({ ref, commit: branch.commit, version, branch: true, date: info.commitDate, ...read });
    }
    for (const [index, r] of refs.entries()) {
      const ref = name(r.ref);
      o.onProgress?.({ kind: "ref", ref, index, total: refs.length });
      const info = await repo.commitInfo(r.commit);
      const version = versionOfTag(ref);
      if (version === null) warnings.push(`${ref}: not a PEP 440 version`);
      const { coverage, ...read } = await requirementsAt(repo, r.commit, warnings, { fetchMissing: o.fetchMissing === true });
      coverages.push(coverage);
      releases.push({ ref, commit: r.commit, version, date: info.commitDate, ...read });
    }
    releases.sort((a, b) => Date.parse(a.date) - Date.parse(b.date) || (a.ref < b.ref ? -1 : 1));
    const coverage = mergeCoverage(coverages);
    if (coverage.files > 0 && coverage.missing === coverage.files) throw new InputError(`nothing to read in ${label.repo}: ${describeCoverage(coverage)}`);
    return { schemaVersion: DEPS_SCHEMA_VERSION, repo: label.repo, patterns: label.patterns, releases, matrix: [], lag: [], coverage, warnings };
  } finally {
    repo.close();
  }
}
