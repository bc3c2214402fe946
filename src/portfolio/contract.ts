import { extractContract, judgeContract, mentionedGroups, type ContractSummary, type CouplingStatus, type OverrideCoupling, type PatchCoupling, type RegistrationCoupling, type ThirdPartyPatch, type Unresolved } from "../analyzers/api/contract.js";
import { API_SCHEMA_VERSION } from "../analyzers/api/index.js";
import { upstreamIndex } from "../analyzers/api/upstream.js";
import { admits } from "../analyzers/deps/witness.js";
import { normaliseName, requirementsAt, versionOfTag } from "../analyzers/deps/index.js";
import { Repository } from "../git/repository.js";
import { mergeCoverage, type Coverage } from "../git/tree.js";
import type { PortfolioConfig } from "./config.js";
import { fullPattern, resolveIn, viewOf } from "./sources.js";

/**
 * A portfolio plugin's contract with each project it depends on: read at
 * the plugin's branch tip, resolved against the project release it targets
 * (the oldest release its requirement admits — the one its patches were
 * written for — else the newest release before its tip), then judged
 * against every newer release: which patched or overridden member each
 * release removed, moved or re-signed.
 */

export interface ContractBreak {
  kind: "patch" | "override" | "registration";
  target: string;
  file: string;
  line: number;
  status: CouplingStatus;
  why?: string;
  to?: string;
  signature?: { from: string; to: string };
}

export interface PluginContract {
  schemaVersion: number;
  plugin: string;
  ref: string;
  commit: string;
  projects: {
    project: string;
    /** The release the plugin targets, and why that one. */
    target: { ref: string; commit: string; date: string; version: string | null; why: string } | null;
    /** Distinct upstream members the plugin patches or overrides. */
    patched: number;
    /** The contract at the target release. */
    summary: ContractSummary;
    patches: PatchCoupling[];
    overrides: OverrideCoupling[];
    registrations: RegistrationCoupling[];
    unresolved: Unresolved[];
    thirdPartyPatches: ThirdPartyPatch[];
    /** Each release newer than the target, oldest first: what it breaks of the contract. */
    releases: {
      ref: string;
      commit: string;
      date: string;
      version: string | null;
      /** Does the plugin's requirement admit this release (null: no requirement on the project)? */
      admitted: boolean | null;
      stale: ContractSummary["stale"];
      breaks: ContractBreak[];
    }[];
  }[];
  coverage: Coverage;
  warnings: string[];
}

/** What a release did to the contract (`not-found` at both refs is the plugin's own reach, not the release's doing). */
const STALE = new Set<CouplingStatus | undefined>(["removed", "moved", "signature-changed"]);

export async function pluginContract(c: PortfolioConfig, p: PortfolioConfig["plugins"][number], fetchMissing: (name: string) => boolean): Promise<PluginContract> {
  const view = await viewOf(c, p.name);
  const repo = await Repository.open(view.path);
  let commit: string;
  let tipDate: string;
  const warnings: string[] = [];
  let requirements: Awaited<ReturnType<typeof requirementsAt>>["requirements"];
  try {
    commit = await resolveIn(view, repo, p.branch);
    tipDate = (await repo.commitInfo(commit)).commitDate;
    requirements = (await requirementsAt(repo, commit, warnings, { fetchMissing: fetchMissing(p.name) })).requirements;
  } finally {
    repo.close();
  }
  // The plugin at its tip, by commit id: the same reader as `api contract --downstream PATH:REF`.
  const spec = `${view.path}:${commit}`;
  const out: PluginContract = { schemaVersion: API_SCHEMA_VERSION, plugin: p.name, ref: p.branch, commit, projects: [], coverage: mergeCoverage([]), warnings };
  const coverages: Coverage[] = [];
  for (const name of p.depends) {
    const project = c.projects.find((x) => x.name === name)!;
    const pview = await viewOf(c, name);
    const prepo = await Repository.open(pview.path);
    try {
      const refs = await prepo.refsMatching([pview.toStore(project.tags)]);
      const releases = (await Promise.all(refs.map(async (r) => ({ ref: pview.fromStore(r.ref), commit: r.commit, date: (await prepo.commitInfo(r.commit)).commitDate })))).map((r) => ({ ...r, version: versionOfTag(r.ref) }));
      releases.sort((a, b) => Date.parse(a.date) - Date.parse(b.date) || (a.ref < b.ref ? -1 : 1));
      if (!releases.length) {
        // As the api ledger does: without release tags the project's branch is its one release (nothing newer to judge against).
        const tip = await resolveIn(pview, prepo, project.branch);
        releases.push({ ref: fullPattern(project.branch), commit: tip, date: (await prepo.commitInfo(tip)).commitDate, version: null });
        warnings.push(`${name}: no ref matches ${project.tags}: branch ${fullPattern(project.branch)} read as the one release`);
      }
      const dists = new Set([project.name, ...project.packages].map(normaliseName));
      const reqs = requirements.filter((r) => dists.has(r.name));
      const admitted = (v: string | null): boolean | null => (reqs.length === 0 ? null : v !== null && reqs.every((r) => r.specifier === "" || admits(v, r.specifier)));
      const said = [...new Set(reqs.map((r) => `${r.name}${r.specifier}`))].join(", ");
      let target = reqs.length ? releases.find((r) => admitted(r.version) === true) : undefined;
      let why = target ? `the oldest release ${said} (${[...new Set(reqs.map((r) => r.file))].join(", ")}) admits` : "";
      if (!target) {
        target = [...releases].reverse().find((r) => Date.parse(r.date) <= Date.parse(tipDate)) ?? releases[0]!;
        why = reqs.length ? `no release admitted by ${said}: the newest release before the plugin's tip` : "no requirement on the project: the newest release before the plugin's tip";
      }
      const packages = project.packages.length ? project.packages : undefined;
      const from = await upstreamIndex(prepo, target.commit, target.ref, packages, { fetchMissing: fetchMissing(name) });
      coverages.push(from.coverage);
      const extracted = await extractContract(spec, new Set(from.packages), { fetchMissing: fetchMissing(p.name) });
      coverages.push(extracted.coverage);
      warnings.push(...extracted.warnings.map((w) => `${p.name}: ${w}`));
      const groups = [...new Set(extracted.registrations.filter((r) => r.kind === "entry-point").map((r) => r.target))];
      const atTarget = await mentionedGroups(prepo, target.commit, groups);
      const base = judgeContract(extracted, from, from, { from: atTarget, to: atTarget });
      const patched = new Set([...base.patches.map((x) => x.target), ...base.overrides.map((x) => x.target)]).size;
      const entry: PluginContract["projects"][number] = {
        project: name,
        target: { ref: target.ref, commit: target.commit, date: target.date, version: target.version, why },
        patched,
        summary: base.summary,
        patches: base.patches,
        overrides: base.overrides,
        registrations: base.registrations,
        unresolved: base.unresolved,
        thirdPartyPatches: base.thirdPartyPatches,
        releases: [],
      };
      for (const rel of releases.slice(releases.indexOf(target) + 1)) {
        const to = await upstreamIndex(prepo, rel.commit, rel.ref, packages ?? from.packages, { fetchMissing: fetchMissing(name) });
        coverages.push(to.coverage);
        const j = judgeContract(extracted, from, to, { from: atTarget, to: await mentionedGroups(prepo, rel.commit, groups) });
        const breaks: ContractBreak[] = [
          ...j.patches.map((x) => ({ ...x, use: "patch" as const })),
          ...j.overrides.map((x) => ({ ...x, use: "override" as const })),
          ...j.registrations.map((x) => ({ ...x, use: "registration" as const })),
        ]
          .filter((x) => STALE.has(x.status))
          .map((x) => ({ kind: x.use, target: x.target, file: x.file, line: x.line, status: x.status!, ...(x.why ? { why: x.why } : {}), ...("to" in x && x.to ? { to: x.to } : {}), ...("signature" in x && x.signature ? { signature: { from: x.signature.from, to: x.signature.to } } : {}) }));
        entry.releases.push({ ref: rel.ref, commit: rel.commit, date: rel.date, version: rel.version, admitted: admitted(rel.version), stale: j.summary.stale, breaks });
      }
      out.projects.push(entry);
    } finally {
      prepo.close();
    }
  }
  out.coverage = mergeCoverage(coverages);
  return out;
}
