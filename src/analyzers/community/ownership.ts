import type { Repository } from "../../git/repository.js";
import type { Affiliations } from "./affiliation.js";
import { noreplyLogin, type IdentityResolver, type Person } from "./identities.js";

/** Where GitHub looks for CODEOWNERS, in its order: the first that exists is used. */
const CODEOWNERS_PATHS = [".github/CODEOWNERS", "CODEOWNERS", "docs/CODEOWNERS"];

interface Rule {
  line: number;
  pattern: string;
  owners: string[];
  re: RegExp;
}

/**
 * The ownership rules at a ref, from the first source present: CODEOWNERS
 * (GitHub; last matching rule wins), else OWNERS files (Kubernetes/Prow: a
 * directory's `approvers`, with its parents'), else a Linux-style MAINTAINERS
 * file (`M:` maintainers of `F:` paths; every matching section counts).
 */
async function ownershipRules(paths: string[], read: (path: string) => Promise<string | null>): Promise<{ source: string; rules: Rule[]; union: boolean } | null> {
  const codeowners = CODEOWNERS_PATHS.find((p) => paths.includes(p));
  if (codeowners) {
    const text = await read(codeowners);
    if (text === null) return null;
    const rules: Rule[] = [];
    text.split("\n").forEach((raw, i) => {
      const line = raw.replace(/(^|\s)#.*$/, "").trim();
      if (!line) return;
      const [pattern, ...owners] = line.split(/\s+/);
      rules.push({ line: i + 1, pattern: pattern!, owners, re: codeownersPattern(pattern!) });
    });
    return { source: codeowners, rules, union: false };
  }
  const ownersFiles = paths.filter((p) => p === "OWNERS" || p.endsWith("/OWNERS")).sort();
  if (ownersFiles.length) {
    const rules: Rule[] = [];
    for (const file of ownersFiles) {
      const text = await read(file);
      if (text === null) return null;
      // approvers: [a, b] or a block list; reviewers do not approve.
      const approvers: string[] = [];
      let inApprovers = false;
      text.split("\n").forEach((raw) => {
        const line = raw.replace(/#.*$/, "");
        const inline = /^approvers:\s*\[(.*)\]\s*$/.exec(line.trim());
        if (inline) approvers.push(...inline[1]!.split(",").map((x) => x.trim().replace(/^["']|["']$/g, "")).filter(Boolean));
        else if (/^approvers:\s*$/.test(line.trim())) inApprovers = true;
        else if (inApprovers && /^\s*-\s*\S/.test(line)) approvers.push(line.replace(/^\s*-\s*/, "").trim().replace(/^["']|["']$/g, ""));
        else if (/^\S/.test(line)) inApprovers = false;
      });
      const dir = file === "OWNERS" ? "" : file.slice(0, -"/OWNERS".length);
      const pattern = dir ? `/${dir}/` : "*";
      rules.push({ line: 1, pattern: `${pattern} (${file})`, owners: approvers.map((a) => (a.includes("@") || a.startsWith("@") ? a : `@${a}`)), re: codeownersPattern(pattern) });
    }
    return { source: "OWNERS", rules, union: true };
  }
  if (paths.includes("MAINTAINERS")) {
    const text = await read("MAINTAINERS");
    if (text === null) return null;
    const rules: Rule[] = [];
    let section: { line: number; owners: string[]; patterns: string[] } | null = null;
    const flush = () => {
      if (section) for (const p of section.patterns) rules.push({ line: section.line, pattern: p, owners: section.owners, re: codeownersPattern(p.startsWith("/") || p === "*" ? p : `/${p}`) });
      section = null;
    };
    text.split("\n").forEach((raw, i) => {
      const m = /^([A-Z]):\s*(.*)$/.exec(raw.trim());
      if (!m) {
        if (!raw.trim()) flush();
        return;
      }
      section ??= { line: i + 1, owners: [], patterns: [] };
      if (m[1] === "M") {
        const email = /<([^<>\s]+@[^<>\s]+)>/.exec(m[2]!)?.[1] ?? (/^\S+@\S+$/.test(m[2]!) ? m[2]! : null);
        if (email) section.owners.push(email);
      } else if (m[1] === "F") section.patterns.push(m[2]!.trim());
    });
    flush();
    return { source: "MAINTAINERS", rules, union: true };
  }
  return null;
}

export interface OwnerInfo {
  owner: string;
  kind: "user" | "team" | "email";
  /** The organisation every file this owner owns counts for; null when unresolved. */
  organization: string | null;
  /** Why it is (un)resolved: the person and the affiliation rule, or what is missing. */
  why: string;
  /** The person the owner was tied to (their primary address), when one was. */
  person?: string;
  /** How the owner was tied to that person, with its confidence and evidence. */
  match?: OwnerMatch;
  /**
   * Another identity the login spells (a heuristic tie) that placed the owner because the
   * identity `match` tied names no organisation: its person and how it was tied.
   */
  also?: { person: string; match: OwnerMatch };
  /** Files and lines this owner owns at the ref (alone or with others). */
  files: number;
  lines: number;
}

export interface OwnershipRule {
  line: number;
  pattern: string;
  owners: string[];
  organizations: string[];
  verdict: "single-organization" | "multi-organization" | "unresolved" | "unowned";
  files: number;
  lines: number;
}

type Counts = { owned: number; singleOrganization: number; multiOrganization: number; unresolved: number; unowned: number; total: number };

export interface Ownership {
  file: string;
  owners: OwnerInfo[];
  files: Counts;
  lines: Counts;
  /** Of owned files and lines, the share whose every owner belongs to one organisation: single-vendor veto paths. */
  singleOrganizationShare: { files: number; lines: number };
  byOrganization: { organization: string; files: number; lines: number }[];
  rules: OwnershipRule[];
}

/** The tie that placed an owner in its organisation: the other identity's when that one did. */
export function placingMatch(o: OwnerInfo): OwnerMatch | undefined {
  return o.also?.match ?? o.match;
}

/** A CODEOWNERS pattern (gitignore syntax) as a regular expression over repository paths. */
export function codeownersPattern(pattern: string): RegExp {
  let p = pattern;
  const dirOnly = p.endsWith("/");
  if (dirOnly) p = p.slice(0, -1);
  const anchored = p.startsWith("/") || p.includes("/");
  if (p.startsWith("/")) p = p.slice(1);
  let body = "";
  for (let i = 0; i < p.length; i++) {
    const c = p[i]!;
    if (c === "*" && p[i + 1] === "*") {
      if (p[i + 2] === "/") {
        body += "(?:.*/)?";
        i += 2;
      } else {
        body += ".*";
        i++;
      }
    } else if (c === "*") body += "[^/]*";
    else if (c === "?") body += "[^/]";
    else body += c.replace(/[.+^${}()|[\]\\]/g, "\\$&");
  }
  return new RegExp(`^${anchored ? "" : "(?:.*/)?"}${body}${dirOnly ? "/.*" : "(?:/.*)?"}$`);
}

/**
 * How an owner was tied to a person, and how far to trust it: `high` for an exact address, a
 * GitHub noreply address or the config (`identities.logins` / `aliases`), `medium` for a login
 * equal to the local part of one person's address, `low` for a login equal to one person's full
 * name or first initial + last name. A vendor suffix on the login (`jdoe-intel`) is ignored for
 * the heuristics. Every match carries its evidence.
 */
export interface OwnerMatch {
  method: "email" | "noreply" | "config" | "local-part" | "name" | "prefix";
  confidence: "high" | "medium" | "low";
  evidence: string;
}

/** Suffixes vendors add to their employees' GitHub logins (`jdoe-intel`, `asmith_amd`). */
const VENDOR_SUFFIX = /[-_](?:intel|amd|nv|nvidia|habana|hab|gaudi|huawei|ascend|ibm|arm|google|goog|msft|microsoft|aws|amzn|meta|fb|qcom|qualcomm|apple|redhat|rh)$/;

const letters = (s: string) => s.toLowerCase().normalize("NFKD").replace(/[^a-z0-9]/g, "");

/**
 * The person a CODEOWNERS entry names: by email; by GitHub login when a noreply address or the
 * config ties it to a person; else, weaker and labelled so, the one person whose address's local
 * part, or whose name, the login spells. Two or more candidates at the best level: no match (a
 * guess between two people would be a wrong verdict), said in `ambiguous`.
 */
function personByOwner(owner: string, people: Person[]): { person: Person; match: OwnerMatch; also?: { person: Person; match: OwnerMatch } } | { ambiguous: Person[] } | null {
  if (!owner.startsWith("@")) {
    const p = people.find((x) => x.emails.includes(owner.toLowerCase()));
    return p ? { person: p, match: { method: "email", confidence: "high", evidence: `commits by ${owner.toLowerCase()}` } } : null;
  }
  const login = owner.slice(1).toLowerCase();
  const noreply = `${login}@users.noreply.github.com`;
  const byLogin = people.find((p) => p.emails.includes(noreply));
  const humans = people.filter((p) => !p.bot);
  if (!byLogin) return spelledBy(login, humans);
  // A login joins a person through a noreply address in the history or through the config; the merge says which.
  const merged = byLogin.merges.find((m) => m.email === `@${login}`)?.reason;
  const match: OwnerMatch = merged?.startsWith("config ") ? { method: "config", confidence: "high", evidence: merged } : { method: "noreply", confidence: "high", evidence: `commits by ${noreply}` };
  // The same login may also spell another identity of that person, one the merge rules kept apart
  // (Alexei-V-Ivanov-AMD's noreply commits and Alexei V. Ivanov's amd.com ones): kept beside the
  // tie, it can place a person whose own addresses name no organisation.
  const other = spelledBy(login, humans.filter((p) => p !== byLogin));
  return { person: byLogin, match, ...(other && "person" in other ? { also: other } : {}) };
}

/**
 * The one person a login spells, by the heuristics from strongest to weakest: an address's local
 * part, a name, then (for a long login) a name or local part the login is a truncation of. Two
 * people at the first level that matches anyone: ambiguous.
 */
function spelledBy(login: string, humans: Person[]): { person: Person; match: OwnerMatch } | { ambiguous: Person[] } | null {
  const bare = login.replace(VENDOR_SUFFIX, "");
  const unique = (found: Person[], match: (p: Person) => OwnerMatch) => (found.length === 1 ? { person: found[0]!, match: match(found[0]!) } : found.length > 1 ? { ambiguous: found } : null);
  const localPart = (e: string) => e.slice(0, e.indexOf("@"));
  const companyParts = (p: Person) => p.emails.filter((e) => !noreplyLogin(e)).map(localPart);
  const byLocal = humans.filter((p) => companyParts(p).some((part) => [login, bare].some((l) => part === l || letters(part) === letters(l))));
  const local = unique(byLocal, (p) => {
    const e = p.emails.find((x) => !noreplyLogin(x) && [login, bare].some((l) => localPart(x) === l || letters(localPart(x)) === letters(l)))!;
    return { method: "local-part", confidence: "medium", evidence: `login ${login} spells the local part of ${e}` };
  });
  if (local) return local;
  const byName = humans.filter((p) => nameSpellings(p.name).includes(letters(bare)));
  const named = unique(byName, (p) => ({ method: "name", confidence: "low", evidence: `login ${login} spells the name ${p.name}` }));
  if (named) return named;
  // A login cut short of a name or local part (mswiniarsk, vivekgoe): long enough that a prefix
  // is unlikely to be someone else's by chance, and short of the whole by one or two letters only.
  const cut = letters(bare);
  if (cut.length < TRUNCATED_MIN) return null;
  const truncates = (whole: string) => whole.startsWith(cut) && whole.length > cut.length && whole.length - cut.length <= TRUNCATED_MAX_CUT;
  const byPrefix = humans.filter((p) => companyParts(p).some((part) => truncates(letters(part))) || nameSpellings(p.name).some(truncates));
  return unique(byPrefix, (p) => {
    const part = companyParts(p).find((x) => truncates(letters(x)));
    const what = part !== undefined ? `the local part of ${p.emails.find((e) => localPart(e) === part)}` : `the name ${p.name}`;
    return { method: "prefix", confidence: "low", evidence: `login ${login} is ${what} cut short` };
  });
}

/** A truncated login: at least this many letters, at most this many short of the whole. */
const TRUNCATED_MIN = 8;
const TRUNCATED_MAX_CUT = 2;

/** How a person's name may be spelled as a login: "Chendi Xue", "Chendi.Xue" and "chendi_xue" are the same two words. */
function nameSpellings(name: string): string[] {
  const words = name.split(/[\s._-]+/).map(letters).filter(Boolean);
  // A one-word name spelled like the login is git's user.name set to the GitHub login (PatrykWo);
  // too short a word (bo, li) could be anyone's. A name with no Latin letters ("李雷") spells no login.
  if (words.length < 2) return words.length === 1 && words[0]!.length >= 5 ? [words[0]!] : [];
  return [words.join(""), words[0]![0]! + words[words.length - 1]!, words[words.length - 1]! + words[0]!];
}

/** Lines of a blob as `git diff --numstat` would count them; 0 for a binary one (a NUL in its first 8000 bytes, as git decides). */
function countLines(blob: Buffer): number {
  if (blob.subarray(0, 8000).includes(0)) return 0;
  let lines = 0;
  for (let i = blob.indexOf(10); i !== -1; i = blob.indexOf(10, i + 1)) lines++;
  if (blob.length && blob[blob.length - 1] !== 10) lines++;
  return lines;
}

/** Blob reads in flight at once: keeps cat-file busy without a round trip per file, memory bounded. */
const READ_WINDOW = 128;

/**
 * What ownership reads from the tree at a ref, needing no identity: the
 * rules of the first ownership source and every file's line count. Started
 * beside the history passes (it is most of ownership's time on a real tree);
 * its warnings are kept apart so they keep their place after the history's.
 */
export interface OwnershipTree {
  source: string;
  rules: Rule[];
  union: boolean;
  /** Every file and symlink at the ref, in tree order; lines null when its blob is absent. */
  files: { path: string; lines: number | null }[];
  warnings: string[];
}

export async function readOwnershipTree(repo: Repository, commit: string): Promise<OwnershipTree | { source: null; warnings: string[] }> {
  const warnings: string[] = [];
  // Line counts need every file's blob: sizes are not asked (absent ones are flagged either way).
  const files = await repo.listTree(commit, { kinds: ["file", "symlink"], sizes: false });
  const read = async (path: string): Promise<string | null> => {
    const f = files.find((x) => x.path === path)!;
    const blob = f.missing ? null : await repo.readBlob(f.oid);
    if (!blob) {
      warnings.push(`${path}: blob missing (partial clone?); ownership not computed`);
      return null;
    }
    return blob.toString("utf8");
  };
  const found = await ownershipRules(files.map((f) => f.path), read);
  if (!found) return { source: null, warnings };
  // Each distinct blob read once (copies of a file share one).
  const oids = [...new Set(files.filter((f) => !f.missing).map((f) => f.oid))];
  const lines = new Map<string, number>();
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < oids.length) {
      const oid = oids[next++]!;
      const blob = await repo.readBlob(oid);
      if (blob) lines.set(oid, countLines(blob));
    }
  };
  await Promise.all(Array.from({ length: Math.min(READ_WINDOW, oids.length) }, worker));
  return { ...found, files: files.map((f) => ({ path: f.path, lines: f.missing ? null : (lines.get(f.oid) ?? null) })), warnings };
}

/**
 * Ownership at a ref from CODEOWNERS (a tree read by readOwnershipTree), once
 * every identity is known: every file's owners (last matching rule wins, as
 * on GitHub) resolved to people and organisations on the ref's date, and the
 * share of files and lines whose every owner is in one organisation. Teams
 * (@org/team) cannot be resolved from git alone and say so.
 */
export function ownershipOf(tree: OwnershipTree | { source: null; warnings: string[] }, day: string, ids: IdentityResolver, affiliations: Affiliations, warnings: string[]): Ownership | null {
  warnings.push(...tree.warnings);
  if (tree.source === null) return null;
  const { source, rules, union, files } = tree;
  const people = ids.all();
  const ownerInfo = new Map<string, OwnerInfo>();
  for (const o of new Set(rules.flatMap((r) => r.owners))) {
    const kind = o.startsWith("@") ? (o.includes("/") ? "team" : "user") : "email";
    if (kind === "team") {
      ownerInfo.set(o, { owner: o, kind, organization: null, why: "a team: its members are not in git history", files: 0, lines: 0 });
      continue;
    }
    const found = personByOwner(o, people);
    if (!found && kind === "email") {
      // An address that made no commit here still names its organisation by its domain (or a config affiliation).
      const address = o.toLowerCase();
      const a = affiliations.of({ id: address, name: address, emails: [address], bot: false, merges: [], used: {}, seen: {} }, address, day);
      ownerInfo.set(
        o,
        a.org
          ? { owner: o, kind, organization: a.org, why: `${address} (no commits by this address in the history): ${a.source} ${a.evidence}`, match: { method: "email", confidence: "high", evidence: `the owner's own address (no commits by it)` }, files: 0, lines: 0 }
          : { owner: o, kind, organization: null, why: `no commits by this address in the history, and ${a.source === "webmail" ? "a webmail" : "an unknown"} domain (add identities.domains or identities.affiliations)`, files: 0, lines: 0 },
      );
      continue;
    }
    if (!found) {
      ownerInfo.set(o, { owner: o, kind, organization: null, why: `no commits by this owner in the history (add identities.logins: {${o.replace(/^@/, "")}: ADDRESS})`, files: 0, lines: 0 });
      continue;
    }
    if ("ambiguous" in found) {
      ownerInfo.set(o, { owner: o, kind, organization: null, why: `ambiguous: the login matches ${[...found.ambiguous].sort((a, b) => (a.emails[0]! < b.emails[0]! ? -1 : 1)).map((p) => `${p.name} <${p.emails[0]}>`).join(" and ")} (add identities.logins)`, files: 0, lines: 0 });
      continue;
    }
    const { person, match } = found;
    const a = affiliations.ofPerson(person, day);
    const describe = (p: Person, m: OwnerMatch) => `${p.name} <${p.emails[0]}>${m.confidence === "high" ? "" : ` (${m.confidence} confidence: ${m.evidence})`}`;
    const who = describe(person, match);
    const also = !a.org && "also" in found && found.also ? { ...found.also, affiliation: affiliations.ofPerson(found.also.person, day) } : null;
    if (also?.affiliation.org) {
      // The tied identity names no organisation; the other identity the login spells does, so it
      // places the owner, as weakly as that spelling ties them.
      const b = also.affiliation;
      const why = `${who}: affiliation unknown (${a.source} ${a.evidence}); also ${describe(also.person, also.match)}: ${b.source} ${b.evidence}`;
      ownerInfo.set(o, { owner: o, kind, organization: b.org, why, person: person.id, match, also: { person: also.person.id, match: also.match }, files: 0, lines: 0 });
      continue;
    }
    ownerInfo.set(o, { owner: o, kind, organization: a.org, why: a.org ? `${who}: ${a.source} ${a.evidence}` : `${who}: affiliation unknown (${a.source} ${a.evidence})`, person: person.id, match, files: 0, lines: 0 });
  }

  const zero = (): Counts => ({ owned: 0, singleOrganization: 0, multiOrganization: 0, unresolved: 0, unowned: 0, total: 0 });
  const fileCounts = zero();
  const lineCounts = zero();
  const byOrg = new Map<string, { files: number; lines: number }>();
  const ruleStats = rules.map((r) => ({ ...r, files: 0, lines: 0 }));
  let unreadable = 0;
  for (const f of files) {
    const lines = f.lines ?? 0;
    if (f.lines === null) unreadable++;
    // CODEOWNERS: the last matching rule decides; MAINTAINERS and OWNERS: every matching entry's owners together.
    const matching = ruleStats.filter((r) => r.re.test(f.path));
    const applied = union ? matching.filter((r) => r.owners.length) : matching.slice(-1);
    const owners = [...new Set(applied.flatMap((r) => r.owners))];
    fileCounts.total++;
    lineCounts.total += lines;
    let verdict: OwnershipRule["verdict"] = "unowned";
    if (owners.length) {
      for (const r of applied) {
        r.files++;
        r.lines += lines;
      }
      for (const o of owners) {
        ownerInfo.get(o)!.files++;
        ownerInfo.get(o)!.lines += lines;
      }
      const orgs = owners.map((o) => ownerInfo.get(o)!.organization);
      verdict = orgs.some((o) => o === null) ? "unresolved" : new Set(orgs).size === 1 ? "single-organization" : "multi-organization";
      fileCounts.owned++;
      lineCounts.owned += lines;
      if (verdict === "single-organization") {
        const e = byOrg.get(orgs[0]!) ?? { files: 0, lines: 0 };
        e.files++;
        e.lines += lines;
        byOrg.set(orgs[0]!, e);
      }
    }
    const key = verdict === "single-organization" ? "singleOrganization" : verdict === "multi-organization" ? "multiOrganization" : verdict;
    fileCounts[key]++;
    lineCounts[key] += lines;
  }
  if (unreadable) warnings.push(`ownership: ${unreadable} file(s) with missing blobs counted with 0 lines`);
  const share = (a: number, b: number) => (b ? Math.round((a / b) * 10_000) / 10_000 : 0);
  return {
    file: source,
    owners: [...ownerInfo.values()].sort((a, b) => (a.owner < b.owner ? -1 : 1)),
    files: fileCounts,
    lines: lineCounts,
    singleOrganizationShare: { files: share(fileCounts.singleOrganization, fileCounts.owned), lines: share(lineCounts.singleOrganization, lineCounts.owned) },
    byOrganization: [...byOrg].map(([organization, v]) => ({ organization, ...v })).sort((a, b) => b.lines - a.lines || (a.organization < b.organization ? -1 : 1)),
    rules: ruleStats.map((r) => {
      const orgs = r.owners.map((o) => ownerInfo.get(o)!.organization);
      const verdict: OwnershipRule["verdict"] = !r.owners.length ? "unowned" : orgs.some((o) => o === null) ? "unresolved" : new Set(orgs).size === 1 ? "single-organization" : "multi-organization";
      return { line: r.line, pattern: r.pattern, owners: r.owners, organizations: [...new Set(orgs.filter((o): o is string => o !== null))], verdict, files: r.files, lines: r.lines };
    }),
  };
}
