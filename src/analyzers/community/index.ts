import { readFile } from "node:fs/promises";
import { InputError } from "../../errors.js";
import { Repository } from "../../git/repository.js";
import { Affiliations, isDay, type Attribution, type DatedAffiliation } from "./affiliation.js";
import { clean, IdentityResolver, type IdentityConfig, type Person } from "./identities.js";
import { streamCommits, streamIdentities, personOfTrailer, type CommitRecord, type UnreadLines } from "./log.js";
import { parseMailmap, type Mailmap } from "./mailmap.js";
import { elephantFactor, orgConcentration, type Interval } from "./metrics.js";
import { ownershipOf, placingMatch, readOwnershipTree, type OwnerInfo } from "./ownership.js";
import { vendorOfPath } from "../neutrality/paths.js";
import { COMMUNITY_SCHEMA_VERSION, type CoauthorPolicy, type CommunityProgress, type CommunityResult, type OrgRow, type Period, type PeriodRow, type UnknownIdentity } from "./types.js";

export * from "./types.js";
export { elephantFactor, hhi, orgConcentration, topShares } from "./metrics.js";

export interface CommunityOptions {
  repo?: string;
  ref?: string;
  /** Inclusive days (YYYY-MM-DD) on the author date. */
  since?: string;
  until?: string;
  period?: Period;
  coauthors?: CoauthorPolicy;
  /** Trailing periods in the rolling trend (default 4). */
  window?: number;
  /** Skip `.mailmap` lines git skips (with a warning) instead of refusing them. */
  lenientMailmap?: boolean;
  /** In a partial clone, fetch the absent blobs of the history first (line counts need them), in one request. */
  fetchMissing?: boolean;
  identities?: Partial<IdentityConfig> & { affiliations?: DatedAffiliation[]; domains?: Record<string, string> };
  onProgress?: (e: CommunityProgress) => void;
}

const REVIEW_TRAILERS = new Set(["reviewed-by", "approved-by", "acked-by", "signed-off-by", "merged-by"]);
/** Committers that are a platform, not a person who merged (GitHub's web flow). */
const PLATFORM_COMMITTER = /^(?:noreply@github\.com|web-flow@users\.noreply\.github\.com|noreply@gitlab\.com)$/i;

function checkDay(value: string | undefined, what: string): void {
  if (value === undefined) return;
  if (!isDay(value)) {
    throw new InputError(`${what} must be a date YYYY-MM-DD: ${value}`);
  }
}

function periodOf(day: string, period: Period): string {
  if (period === "year") return day.slice(0, 4);
  if (period === "month") return day.slice(0, 7);
  return `${day.slice(0, 4)}-Q${Math.floor((Number(day.slice(5, 7)) - 1) / 3) + 1}`;
}

/** A path's top-level directory (moves already read as their new path), "(root)" for files at the top. */
function topLevel(path: string): string {
  const p = path.startsWith('"') ? path.slice(1) : path;
  const slash = p.indexOf("/");
  return slash < 0 ? "(root)" : p.slice(0, slash);
}

interface Bucket {
  commits: number;
  lines: number;
  people: Set<string>;
  sources: Map<string, number>;
}
const bucket = (): Bucket => ({ commits: 0, lines: 0, people: new Set(), sources: new Map() });

/** Everything aggregated while streaming: bounded by people, organisations, periods and areas, not by commits. */
class Aggregate {
  orgs = new Map<string, Bucket>();
  unknownByPerson = new Map<string, { commits: number; lines: number; source: string; evidence: string; first: string; last: string; firstCommit: string; lastCommit: string; email: string }>();
  bots = { commits: 0, names: new Set<string>() };
  periods = new Map<string, { orgs: Map<string, Bucket>; unknown: Map<string, number>; people: Set<string>; commits: number; lines: number }>();
  firstSeen = new Map<string, string>();
  areas = new Map<string, Map<string, number>>();
  vendorAreas = new Map<string, Map<string, number>>();
  review = new Map<string, number>();
  /** Up to three commit ids per review-matrix cell: evidence a reader can check with git show. */
  reviewExamples = new Map<string, string[]>();
  reviewed = 0;
  byPersonCommits = new Map<string, number>();
  merges = 0;
  commits = 0;
  lines = 0;
  people = new Set<string>();
}

/** The range options checked: real days, in order. */
function checkRange(o: { since?: string; until?: string }): void {
  checkDay(o.since, "--since");
  checkDay(o.until, "--until");
  if (o.since && o.until && o.since > o.until) throw new InputError(`--since ${o.since} is after --until ${o.until}`);
}

/**
 * The boundary commits of a shallow clone (CI checkouts are often depth 1):
 * git shows them without parents, so their diff adds the whole tree — lines
 * nobody wrote in that commit. Empty for a full clone.
 */
async function shallowBoundary(repo: Repository): Promise<Set<string>> {
  if (!(await repo.isShallow())) return new Set();
  const path = await repo.gitPath("shallow");
  const text = await readFile(path, "utf8").catch(() => "");
  return new Set(text.split("\n").filter((l) => /^[0-9a-f]{40,64}$/.test(l)));
}

/** The commit a ref names; an empty repository says so in one line instead of "unknown ref HEAD". */
async function tipOf(repo: Repository, ref: string, dir: string): Promise<string> {
  try {
    return await repo.resolveCommit(ref);
  } catch (e) {
    if (ref === "HEAD" && !(await repo.hasCommits())) throw new InputError(`${dir} has no commits`);
    throw e;
  }
}

/**
 * `steward community`: which organisations write, review and own the code —
 * per organisation and period commits, changed lines, contributors and
 * first-time contributors; elephant factor, contributor absence factor,
 * top-1/top-2 shares and Herfindahl index, each as a best/worst interval
 * over the unknowns; organisation × area, the review matrix and CODEOWNERS
 * ownership (shared/DESIGN.md §3.4). From git alone, offline, reproducibly.
 */
export async function community(o: CommunityOptions = {}): Promise<CommunityResult> {
  checkRange(o);
  const period = o.period ?? "quarter";
  const coauthors = o.coauthors ?? "author-only";
  const window = o.window ?? 4;
  const repo = await Repository.open(o.repo ?? ".");
  try {
    const ref = o.ref ?? "HEAD";
    const commit = await tipOf(repo, ref, o.repo ?? ".");
    const warnings: string[] = [];
    // Ownership's tree (every file's lines at the tip) needs no identity: it is read while the history
    // streams, except with --fetch-missing, where the history's fetch may bring blobs it would miss.
    const early = o.fetchMissing ? null : readOwnershipTree(repo, commit);
    early?.catch(() => undefined); // a failure of the history is reported first
    const { agg, ids, affiliations, unread } = await readHistory(repo, commit, o, { period, coauthors }, warnings);
    const day = (await repo.commitInfo(commit)).commitDate.slice(0, 10);
    o.onProgress?.({ kind: "stage", stage: "ownership" });
    const ownership = ownershipOf(await (early ?? readOwnershipTree(repo, commit)), day, ids, affiliations, warnings);
    const result = summarise(agg, { ref, commit, since: o.since ?? null, until: o.until ?? null, period, coauthors, window, ids, ownership, warnings });
    // Only where blobs are absent (a partial clone): which changed files' line counts were skipped.
    if (unread.files) result.lineCoverage = { files: unread.files, missing: unread.paths.length, missingPaths: unread.paths.slice(0, 20), promisor: unread.paths.length ? await repo.promisor() : null, fetched: unread.fetched };
    return result;
  } finally {
    repo.close();
  }
}

/**
 * Both passes over the history up to `commit`: the identity pass and the
 * numstat pass run at once, and commits are attributed only after every
 * identity is known (the numstat output is held, bounded, meanwhile).
 */
async function readHistory(
  repo: Repository,
  commit: string,
  o: Omit<CommunityOptions, "period" | "window">,
  how: { period: Period; coauthors: CoauthorPolicy },
  warnings: string[],
): Promise<{ agg: Aggregate; ids: IdentityResolver; affiliations: Affiliations; unread: UnreadLines }> {
  const { ids, affiliations } = await setUp(repo, commit, o, warnings);
  const boundary = await shallowBoundary(repo);
  o.onProgress?.({ kind: "stage", stage: "identities" });
  const identities = streamIdentities(repo, commit, (n, e, authored, seen) => ids.see(n, e, authored, seen));
  let agg = new Aggregate();
  let seen = 0;
  const context: AddContext = { ids, affiliations, since: o.since, until: o.until, period: how.period, coauthors: how.coauthors, boundary, vendors: new Map() };
  const unread: UnreadLines = { files: 0, paths: [], fetched: 0 };
  const commits = streamCommits(
    repo,
    commit,
    (c) => {
      add(agg, c, context);
      if (++seen % 5000 === 0) o.onProgress?.({ kind: "commits", done: seen });
    },
    {
      warnings,
      unread,
      fetchMissing: o.fetchMissing === true,
      hold: identities.then(() => o.onProgress?.({ kind: "stage", stage: "commits and changed lines" })),
      // A few MB cover the identity pass at 100k commits (the whole numstat log is ~20 MB there).
      holdBytes: 8 * 1024 * 1024,
      onRestart: () => {
        agg = new Aggregate();
        seen = 0;
      },
    },
  );
  const [{ merges }] = await Promise.all([identities, commits]);
  agg.merges = merges;
  if (boundary.size) {
    warnings.push(`shallow clone: the history stops at ${boundary.size} boundary commit${boundary.size === 1 ? "" : "s"} (${[...boundary].slice(0, 3).map((x) => x.slice(0, 10)).join(", ")}${boundary.size > 3 ? ", ..." : ""}), counted without their lines (git shows them adding the whole tree); everything older is missing — 'git fetch --unshallow' gives the whole history`);
  }
  return { agg, ids, affiliations, unread };
}

async function setUp(repo: Repository, commit: string, o: CommunityOptions, warnings: string[]): Promise<{ ids: IdentityResolver; affiliations: Affiliations }> {
  let mailmap: Mailmap | null = null;
  const file = await repo.fileAt(commit, ".mailmap");
  if (file && !file.content) warnings.push(".mailmap: blob missing (partial clone?); identities merged without it");
  if (file?.content) mailmap = parseMailmap(file.content.toString("utf8"), ".mailmap", { lenient: o.lenientMailmap === true });
  if (mailmap) warnings.push(...mailmap.notes);
  const config: IdentityConfig = { aliases: o.identities?.aliases ?? {}, bots: o.identities?.bots ?? [], logins: o.identities?.logins ?? {} };
  const ids = new IdentityResolver(mailmap, config);
  const affiliations = new Affiliations(o.identities?.affiliations ?? [], o.identities?.domains ?? {}, config.aliases);
  return { ids, affiliations };
}

interface AddContext {
  ids: IdentityResolver;
  affiliations: Affiliations;
  since: string | undefined;
  until: string | undefined;
  period: Period;
  coauthors: CoauthorPolicy;
  /** Shallow-clone boundary commits: counted, their lines not. */
  boundary?: Set<string>;
  /** The vendor each path is dedicated to (null: none), memoised: a history touches its files again and again. */
  vendors: Map<string, NonNullable<ReturnType<typeof vendorOfPath>>["vendor"] | null>;
}

function add(agg: Aggregate, c: CommitRecord, x: AddContext): void {
  const day = c.authorDate.slice(0, 10);
  const author = x.ids.personOf(c.authorName, c.authorEmail);
  // First commit ever (up to the ref), for first-time contributors: before the range filter.
  const credited: { person: Person; email: string }[] = [{ person: author, email: x.ids.canonical(c.authorName, c.authorEmail).email }];
  if (x.coauthors !== "author-only") {
    for (const t of c.trailers) {
      const p = personOfTrailer(`${t.key}: ${t.value}`);
      if (p && p.key === "co-authored-by") {
        const person = x.ids.personOf(p.name, p.email);
        if (!credited.some((k) => k.person === person)) credited.push({ person, email: x.ids.canonical(p.name, p.email).email });
      }
    }
  }
  for (const k of credited) if (!k.person.bot && (!agg.firstSeen.has(k.person.id) || day < agg.firstSeen.get(k.person.id)!)) agg.firstSeen.set(k.person.id, day);
  if ((x.since && day < x.since) || (x.until && day > x.until)) return;
  // A shallow boundary commit's diff is the whole tree: no lines, no areas.
  if (x.boundary?.has(c.oid)) c = { ...c, files: [] };
  const lines = c.files ? c.files.reduce((n, f) => n + f.added + f.deleted, 0) : 0;
  if (author.bot) {
    agg.bots.commits++;
    agg.bots.names.add(author.name);
    return;
  }
  const humans = credited.filter((k) => !k.person.bot);
  const weight = x.coauthors === "split" ? 1 / humans.length : 1;
  agg.commits++;
  agg.lines += lines;
  const periodKey = periodOf(day, x.period);
  let p = agg.periods.get(periodKey);
  if (!p) agg.periods.set(periodKey, (p = { orgs: new Map(), unknown: new Map(), people: new Set(), commits: 0, lines: 0 }));
  p.commits++;
  p.lines += lines;
  let authorOrg: string | null = null;
  for (const [i, k] of humans.entries()) {
    const a: Attribution = x.affiliations.of(k.person, k.email, day);
    if (i === 0) authorOrg = a.org;
    agg.people.add(k.person.id);
    p.people.add(k.person.id);
    agg.byPersonCommits.set(k.person.id, (agg.byPersonCommits.get(k.person.id) ?? 0) + weight);
    if (a.org) {
      for (const b of [agg.orgs, p.orgs]) {
        let e = b.get(a.org);
        if (!e) b.set(a.org, (e = bucket()));
        e.commits += weight;
        e.lines += weight * lines;
        e.people.add(k.person.id);
        e.sources.set(a.source, (e.sources.get(a.source) ?? 0) + weight);
      }
    } else {
      const u = agg.unknownByPerson.get(k.person.id) ?? { commits: 0, lines: 0, source: a.source, evidence: a.evidence, first: day, last: day, firstCommit: c.oid, lastCommit: c.oid, email: k.email };
      u.commits += weight;
      u.lines += weight * lines;
      if (day < u.first) [u.first, u.firstCommit] = [day, c.oid];
      if (day > u.last) [u.last, u.lastCommit] = [day, c.oid];
      agg.unknownByPerson.set(k.person.id, u);
      p.unknown.set(k.person.id, (p.unknown.get(k.person.id) ?? 0) + weight);
    }
    // Who writes which part: changed lines per top-level directory.
    const label = a.org ?? "(unknown)";
    for (const f of c.files ?? []) {
      const area = topLevel(f.path);
      let m = agg.areas.get(area);
      if (!m) agg.areas.set(area, (m = new Map<string, number>()));
      m.set(label, (m.get(label) ?? 0) + weight * (f.added + f.deleted));
      // The hardware a file is dedicated to (by its name, as the neutrality analyzer reads it): who writes each vendor's code.
      let vendor = x.vendors.get(f.path);
      if (vendor === undefined) x.vendors.set(f.path, (vendor = vendorOfPath(f.path)?.vendor ?? null));
      if (vendor) {
        let v = agg.vendorAreas.get(vendor);
        if (!v) agg.vendorAreas.set(vendor, (v = new Map<string, number>()));
        v.set(label, (v.get(label) ?? 0) + weight * (f.added + f.deleted));
      }
    }
  }
  // Review and merge: trailer people other than the author, and a committer who is not the author.
  const reviewers = new Set<Person>();
  for (const t of c.trailers) {
    const r = personOfTrailer(`${t.key}: ${t.value}`);
    if (r && REVIEW_TRAILERS.has(r.key)) {
      const person = x.ids.personOf(r.name, r.email);
      if (person !== author && !person.bot) reviewers.add(person);
    }
  }
  const committer = x.ids.personOf(c.committerName, c.committerEmail);
  if (committer !== author && !committer.bot && !PLATFORM_COMMITTER.test(clean(c.committerEmail))) reviewers.add(committer);
  if (reviewers.size) {
    agg.reviewed++;
    const from = authorOrg ?? "(unknown)";
    for (const r of reviewers) {
      const org = x.affiliations.ofPerson(r, day).org ?? "(unknown)";
      const key = `${from}\0${org}`;
      agg.review.set(key, (agg.review.get(key) ?? 0) + 1);
      const ex = agg.reviewExamples.get(key) ?? [];
      if (ex.length < 3 && !ex.includes(c.oid)) agg.reviewExamples.set(key, [...ex, c.oid]);
    }
    // Same-organisation review: every reviewer/merger is in the author's (known) organisation.
    const orgs = [...reviewers].map((r) => x.affiliations.ofPerson(r, day).org);
    if (authorOrg && orgs.every((g) => g !== null)) {
      const key = `\0same\0${authorOrg}`;
      const e = agg.review.get(key) ?? 0;
      const all = `\0known\0${authorOrg}`;
      agg.review.set(all, (agg.review.get(all) ?? 0) + 1);
      if (orgs.every((g) => g === authorOrg)) agg.review.set(key, e + 1);
    }
  }
}

function round(x: number): number {
  return Math.round(x * 10_000) / 10_000;
}

function summarise(
  agg: Aggregate,
  o: { ref: string; commit: string; since: string | null; until: string | null; period: Period; coauthors: CoauthorPolicy; window: number; ids: IdentityResolver; ownership: CommunityResult["ownership"]; warnings: string[] },
): CommunityResult {
  const known = [...agg.orgs].map(([name, b]) => ({ name, ...b }));
  const total = agg.commits;
  const unknownCommits = [...agg.unknownByPerson.values()].reduce((n, u) => n + u.commits, 0);
  const knownCommits = known.reduce((n, k) => n + k.commits, 0);
  const creditTotal = knownCommits + unknownCommits;
  const organizations: OrgRow[] = known
    .map((k) => ({ name: k.name, commits: round(k.commits), lines: Math.round(k.lines), contributors: k.people.size, share: creditTotal ? round(k.commits / creditTotal) : 0, sources: Object.fromEntries(k.sources) }))
    .sort((a, b) => b.commits - a.commits || (a.name < b.name ? -1 : 1));
  const conc = orgConcentration(
    known.map((k) => k.commits),
    [...agg.unknownByPerson.values()].map((u) => u.commits),
  );
  // People: as merged with evidence (best), and also merging identities whose names match once lower-cased (worst).
  const people = o.ids.all();
  const byId = new Map(people.map((p) => [p.id, p]));
  const bestPeople = [...agg.byPersonCommits.values()];
  const byName = new Map<string, number>();
  for (const [id, n] of agg.byPersonCommits) {
    const name = (byId.get(id)?.name ?? id).toLowerCase();
    byName.set(name, (byName.get(name) ?? 0) + n);
  }
  const busFactor: Interval = { best: elephantFactor(bestPeople), worst: elephantFactor([...byName.values()]) };
  const bySource: Record<string, number> = {};
  for (const u of agg.unknownByPerson.values()) bySource[u.source] = round((bySource[u.source] ?? 0) + u.commits);

  // Periods, with a rolling window over the trailing ones.
  const keys = [...agg.periods.keys()].sort();
  const newBy = new Map<string, number>();
  for (const [id, day] of agg.firstSeen) if (agg.people.has(id)) newBy.set(periodOf(day, o.period), (newBy.get(periodOf(day, o.period)) ?? 0) + 1);
  const periods: PeriodRow[] = keys.map((key, i) => {
    const p = agg.periods.get(key)!;
    const c = orgConcentration([...p.orgs.values()].map((b) => b.commits), [...p.unknown.values()]);
    const win = keys.slice(Math.max(0, i - o.window + 1), i + 1).map((k) => agg.periods.get(k)!);
    const wOrgs = new Map<string, number>();
    const wUnknown = new Map<string, number>();
    for (const w of win) {
      for (const [name, b] of w.orgs) wOrgs.set(name, (wOrgs.get(name) ?? 0) + b.commits);
      for (const [id, n] of w.unknown) wUnknown.set(id, (wUnknown.get(id) ?? 0) + n);
    }
    const rc = orgConcentration([...wOrgs.values()], [...wUnknown.values()]);
    const pKnown = [...p.orgs.values()].reduce((n, b) => n + b.commits, 0);
    const pUnknown = [...p.unknown.values()].reduce((n, b) => n + b, 0);
    return {
      period: key,
      commits: p.commits,
      lines: p.lines,
      contributors: p.people.size,
      newContributors: newBy.get(key) ?? 0,
      organizations: [...p.orgs]
        .map(([name, b]) => ({
          name,
          commits: round(b.commits),
          lines: Math.round(b.lines),
          contributors: b.people.size,
          // Its people whose first commit in the whole history falls in this period.
          newContributors: [...b.people].filter((id) => agg.firstSeen.has(id) && periodOf(agg.firstSeen.get(id)!, o.period) === key).length,
        }))
        .sort((a, b) => b.commits - a.commits || (a.name < b.name ? -1 : 1)),
      unknownCommits: round(pUnknown),
      coverage: pKnown + pUnknown ? round(pKnown / (pKnown + pUnknown)) : 0,
      elephantFactor: c.elephantFactor,
      top1Share: c.top1Share,
      rolling: { periods: win.length, elephantFactor: rc.elephantFactor, top1Share: rc.top1Share },
    };
  });
  /** Lines per organisation in each area, the top known organisation and its share, largest areas first. */
  const byArea = (areasMap: Map<string, Map<string, number>>) =>
    [...areasMap]
      .map(([key, m]) => {
        const rows = [...m].map(([name, lines]) => ({ name, lines: Math.round(lines) })).sort((a, b) => b.lines - a.lines || (a.name < b.name ? -1 : 1));
        const sum = rows.reduce((n, r) => n + r.lines, 0);
        const top = rows.find((r) => r.name !== "(unknown)") ?? null;
        return { key, lines: sum, top: top?.name ?? null, topShare: top && sum ? round(top.lines / sum) : 0, organizations: rows };
      })
      .sort((a, b) => b.lines - a.lines || (a.key < b.key ? -1 : 1));
  const areas = byArea(agg.areas).map(({ key, ...rest }) => ({ area: key, ...rest }));
  const vendorAreas = byArea(agg.vendorAreas).map(({ key, ...rest }) => ({ vendor: key, ...rest }));
  const matrix: CommunityResult["review"]["matrix"] = [];
  const byOrg: CommunityResult["review"]["byOrganization"] = [];
  let same = 0;
  let knownReviewed = 0;
  for (const [k, n] of agg.review) {
    if (k.startsWith("\0known\0")) {
      const org = k.slice(7);
      const s = agg.review.get(`\0same\0${org}`) ?? 0;
      byOrg.push({ organization: org, reviewed: n, sameOrganization: s, rate: round(s / n) });
      same += s;
      knownReviewed += n;
    } else if (!k.startsWith("\0")) {
      const [author, reviewer] = k.split("\0") as [string, string];
      matrix.push({ author, reviewer, commits: n, examples: agg.reviewExamples.get(k) ?? [] });
    }
  }
  matrix.sort((a, b) => b.commits - a.commits || (a.author < b.author ? -1 : 1) || (a.reviewer < b.reviewer ? -1 : 1));
  byOrg.sort((a, b) => b.reviewed - a.reviewed || (a.organization < b.organization ? -1 : 1));
  const merged = people
    .filter((p) => p.merges.length && agg.people.has(p.id))
    .map((p) => ({ person: p.id, name: p.name, emails: p.emails, reasons: p.merges }))
    .sort((a, b) => (a.person < b.person ? -1 : 1));
  return {
    schemaVersion: COMMUNITY_SCHEMA_VERSION,
    ref: o.ref,
    commit: o.commit,
    range: { since: o.since, until: o.until },
    period: o.period,
    coauthors: o.coauthors,
    organizations,
    unknown: { commits: round(unknownCommits), lines: Math.round([...agg.unknownByPerson.values()].reduce((n, u) => n + u.lines, 0)), identities: agg.unknownByPerson.size, bySource },
    bots: { commits: agg.bots.commits, identities: [...agg.bots.names].sort() },
    coverage: creditTotal ? round(knownCommits / creditTotal) : 0,
    elephantFactor: conc.elephantFactor,
    busFactor,
    top1Share: conc.top1Share,
    top2Share: conc.top2Share,
    hhi: conc.hhi,
    totals: { commits: total, merges: agg.merges, lines: agg.lines, contributors: agg.people.size, organizations: organizations.length },
    merges: merged,
    periods,
    areas,
    vendorAreas,
    review: { reviewed: agg.reviewed, matrix, sameOrganizationRate: knownReviewed ? round(same / knownReviewed) : null, byOrganization: byOrg },
    ownership: o.ownership,
    warnings: o.warnings,
  };
}

/**
 * `steward identities unknown`: the most active identities without an
 * organisation, so a steward completes the config where it matters most.
 */
export async function unknownIdentities(o: Omit<CommunityOptions, "period" | "window"> = {}): Promise<{ schemaVersion: number; ref: string; commit: string; identities: UnknownIdentity[]; warnings: string[] }> {
  checkRange(o);
  const repo = await Repository.open(o.repo ?? ".");
  try {
    const ref = o.ref ?? "HEAD";
    const commit = await tipOf(repo, ref, o.repo ?? ".");
    const warnings: string[] = [];
    const { agg, ids } = await readHistory(repo, commit, o, { period: "year", coauthors: o.coauthors ?? "author-only" }, warnings);
    const people = new Map(ids.all().map((p) => [p.id, p]));
    const identities = [...agg.unknownByPerson]
      .map(([id, u]) => {
        const p = people.get(id);
        return { person: id, name: p?.name ?? id, emails: p?.emails ?? [id], commits: round(u.commits), lines: Math.round(u.lines), firstSeen: u.first, lastSeen: u.last, firstCommit: u.firstCommit, lastCommit: u.lastCommit, source: u.source as UnknownIdentity["source"], evidence: u.evidence };
      })
      .sort((a, b) => b.commits - a.commits || b.lines - a.lines || (a.person < b.person ? -1 : 1));
    return { schemaVersion: COMMUNITY_SCHEMA_VERSION, ref, commit, identities, warnings };
  } finally {
    repo.close();
  }
}

/** One CODEOWNERS owner a steward should look at: not tied to an organisation, or tied only by a heuristic. */
export interface OwnerToResolve extends OwnerInfo {
  state: "unresolved" | "guessed";
}

/**
 * `steward identities unknown --owners`: the owners of the ownership file at the ref that are
 * still unresolved (no person, an ambiguous login, no affiliation, a team), and those placed only
 * by a medium- or low-confidence heuristic, each with the files and lines it owns, most first:
 * the entries of `identities.logins` worth writing.
 */
export async function ownersToResolve(o: Omit<CommunityOptions, "period" | "window"> = {}): Promise<{ schemaVersion: number; ref: string; commit: string; file: string | null; owners: OwnerToResolve[]; warnings: string[] }> {
  const r = await community({ ...o, period: "year" });
  const owners = (r.ownership?.owners ?? [])
    .filter((x) => x.organization === null || (placingMatch(x) ?? { confidence: "high" }).confidence !== "high")
    .map((x) => ({ ...x, state: x.organization === null ? ("unresolved" as const) : ("guessed" as const) }))
    .sort((a, b) => (a.state === b.state ? 0 : a.state === "unresolved" ? -1 : 1) || b.lines - a.lines || (a.owner < b.owner ? -1 : 1));
  return { schemaVersion: COMMUNITY_SCHEMA_VERSION, ref: r.ref, commit: r.commit, file: r.ownership?.file ?? null, owners, warnings: r.warnings };
}
