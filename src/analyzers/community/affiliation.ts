import { ConfigError } from "../../errors.js";
import { noreplyLogin, type Person } from "./identities.js";
import { ORG_DOMAINS, WEBMAIL } from "./orgs.js";

/** A dated affiliation from the config: `person` (an email, @login or alias name) works for `organization` from/until (inclusive days). */
export interface DatedAffiliation {
  person: string;
  organization: string;
  from?: string;
  until?: string;
}

/** A real calendar day written YYYY-MM-DD (2024-02-30 is not one). */
export function isDay(d: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(d) && !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().slice(0, 10) === d;
}

export type AffiliationSource = "config" | "domain" | "person" | "webmail" | "unmatched" | "bot";

export interface Attribution {
  /** Organisation, or null when unknown. */
  org: string | null;
  source: AffiliationSource;
  /** The config entry (person, dates) or the domain suffix that decided. */
  evidence: string;
}

/**
 * Who a commit's author worked for on the commit's date: a dated config
 * affiliation first, then the commit email's domain by longest suffix (the
 * config's `domains` over the built-in map), then — when that address says
 * nothing — a company address of the same person that authored commits
 * before and after that day; else unknown (webmail, unmatched), never
 * "independent". Every attribution says which rule decided.
 */
export class Affiliations {
  private readonly domains: Record<string, string>;

  constructor(
    private readonly dated: DatedAffiliation[],
    extraDomains: Record<string, string>,
    private readonly aliases: Record<string, string[]>,
  ) {
    this.domains = { ...ORG_DOMAINS, ...Object.fromEntries(Object.entries(extraDomains).map(([d, o]) => [d.toLowerCase(), o])) };
    for (const a of dated) {
      for (const d of [a.from, a.until]) if (d !== undefined && !isDay(d)) throw new ConfigError(`identities.affiliations (${a.person}): invalid date '${d}' (YYYY-MM-DD)`);
      if (a.from && a.until && a.from > a.until) throw new ConfigError(`identities.affiliations (${a.person}): from ${a.from} is after until ${a.until}`);
    }
  }

  private matches(person: Person, key: string): boolean {
    if (person.name.toLowerCase() === key.toLowerCase() || isAddressOf(person, key)) return true;
    const alias = this.aliases[key];
    return alias !== undefined && alias.some((a) => isAddressOf(person, a));
  }

  /**
   * The organisation of a person on `day` when no commit email says which of
   * their addresses applies (a CODEOWNERS entry, a reviewer named by login):
   * the first of their addresses that decides, taken in order of dated use
   * (authored, committed or named in a trailer) — an address in use on that
   * day, then the one used most recently before it, then the earliest used
   * after it, then addresses with no date. Not the most used address: someone
   * who moved from intel.com to amd.com reviews as AMD after the move,
   * although most of their commits came from Intel.
   */
  ofPerson(person: Person, day: string): Attribution {
    const emails = person.emails.length ? [...person.emails].sort((a, b) => compareRank(useRank(person, a, day), useRank(person, b, day))) : [""];
    const all = emails.map((e) => ({ e, a: this.of(person, e, day) }));
    const hit = all.find((x) => x.a.org !== null);
    if (!hit) return all[0]!.a;
    // Name the address that decided and when it was seen: the evidence for placing someone who made no commit here.
    const d = person.seen[hit.e];
    return hit.a.source === "domain" ? { ...hit.a, evidence: `${hit.a.evidence} (${hit.e}${d ? `, seen ${d.first}..${d.last}` : ""})` } : hit.a;
  }

  /** The organisation of `person` for a commit made from `email` on `day` (YYYY-MM-DD). */
  of(person: Person, email: string, day: string): Attribution {
    if (person.bot) return { org: null, source: "bot", evidence: "automation account" };
    for (const a of this.dated) {
      if (!this.matches(person, a.person)) continue;
      if ((a.from && day < a.from) || (a.until && day > a.until)) continue;
      return { org: a.organization, source: "config", evidence: `${a.person}${a.from ? ` from ${a.from}` : ""}${a.until ? ` until ${a.until}` : ""}` };
    }
    const byDomain = this.byDomain(email);
    if (byDomain.org) return byDomain;
    // The commit's address says nothing (webmail, a GitHub noreply address from a web-UI merge, an
    // unknown domain): the same person's company address in use on that day does — dated evidence.
    const dated = Object.entries(person.used)
      .filter(([e, d]) => e !== email && d.first <= day && day <= d.last)
      .map(([e, d]) => ({ e, d, a: this.byDomain(e) }))
      .filter((x) => x.a.org !== null)
      // The most recently taken up first; on a tie the address decides, not the order the history was read in.
      .sort((x, y) => (x.d.first > y.d.first ? -1 : x.d.first < y.d.first ? 1 : x.e < y.e ? -1 : 1));
    if (dated[0]) return { org: dated[0].a.org, source: "person", evidence: `${dated[0].e} in use ${dated[0].d.first}..${dated[0].d.last}` };
    return byDomain;
  }

  private readonly domainMemo = new Map<string, Attribution>();

  /** The organisation an address's domain names (longest suffix), or why none (memoised: a history repeats its addresses). */
  private byDomain(email: string): Attribution {
    let a = this.domainMemo.get(email);
    if (!a) this.domainMemo.set(email, (a = this.domainOf(email)));
    return a;
  }

  private domainOf(email: string): Attribution {
    const domain = email.slice(email.lastIndexOf("@") + 1).toLowerCase();
    if (!domain || !email.includes("@")) return { org: null, source: "unmatched", evidence: email || "(no email)" };
    if (WEBMAIL.has(domain)) return { org: null, source: "webmail", evidence: domain };
    const parts = domain.split(".");
    for (let i = 0; i < parts.length - 1; i++) {
      const suffix = parts.slice(i).join(".");
      const org = this.domains[suffix];
      if (org) return { org, source: "domain", evidence: suffix };
    }
    return { org: null, source: "unmatched", evidence: domain };
  }
}

/**
 * Whether `address` (an email, or a GitHub login as `@login` or as its noreply address) is one of
 * the person's. A person's logins are kept as `login@users.noreply.github.com` (several logins,
 * several addresses); a noreply address copied from a commit may carry GitHub's numeric id
 * (`123+login@...`), which names the same login.
 */
function isAddressOf(person: Person, address: string): boolean {
  const a = address.toLowerCase();
  if (person.emails.includes(a)) return true;
  const login = a.startsWith("@") ? a.slice(1) : noreplyLogin(a);
  return login !== null && person.emails.includes(`${login}@users.noreply.github.com`);
}

/** How well an address's dated use fits `day`: [tier, tie-break]; lower ranks first (see ofPerson). */
function useRank(person: Person, email: string, day: string): [number, string] {
  const d = person.seen[email];
  if (!d) return [3, ""];
  if (d.first <= day && day <= d.last) return [0, ""];
  // Before the day: the latest last use first (the complement of its digits sorts descending).
  if (d.last < day) return [1, d.last.replace(/\d/g, (c) => String(9 - Number(c)))];
  return [2, d.first];
}

function compareRank(a: [number, string], b: [number, string]): number {
  return a[0] - b[0] || (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0);
}
