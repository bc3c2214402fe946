import type { Mailmap } from "./mailmap.js";
import { KNOWN_BOTS } from "./orgs.js";

/** One person: the identities merged into them, each merge with its evidence. */
export interface Person {
  id: string;
  name: string;
  emails: string[];
  /** GitHub login, when a noreply address names it. */
  login?: string;
  bot: boolean;
  /** How each further address joined: "mailmap line 3", "config alias 'Ann'", "GitHub noreply login ann", "same full name 'Ann Lee'", "shared address". */
  merges: { email: string; reason: string }[];
  /** First and last day each address authored a commit (dated evidence of where the person worked). */
  used: Record<string, { first: string; last: string }>;
  /**
   * First and last day each address appeared at all: authored, committed, merged or named in a
   * trailer (Co-authored-by, Signed-off-by...). Weaker than `used` (a trailer may be typed by
   * someone else), so only for placing a person named without a commit address (reviewers, code owners).
   */
  seen: Record<string, { first: string; last: string }>;
}

export interface IdentityConfig {
  /** person -> addresses (emails, or @login) that are the same person. */
  aliases: Record<string, string[]>;
  /** Emails, names or @logins of automation accounts. */
  bots: string[];
  /** GitHub login -> one address of the person (CODEOWNERS names logins, commits carry addresses). */
  logins?: Record<string, string>;
}

const NOREPLY = /^(?:(\d+)\+)?([^@]+)@users\.noreply\.github\.com$/i;

/** The GitHub login a noreply address names (`123+ann@users.noreply.github.com` -> ann), if it is one. */
export function noreplyLogin(email: string): string | null {
  const m = NOREPLY.exec(email);
  return m ? m[2]!.toLowerCase() : null;
}

/** Text decoded from a commit: names and emails in any encoding arrive as UTF-8 with replacement characters, trimmed. */
export function clean(s: string): string {
  return s.replace(/[\u0000-\u001f\u007f]/g, " ").replace(/\s+/g, " ").trim();
}

/**
 * Merges commit identities into people, only with evidence: the same address,
 * a mailmap or config entry, a GitHub noreply login, or an exact full name
 * (two words or more) seen with both addresses. Never by a one-word name, so
 * two "ubuntu"s or "root"s stay apart (research §5, pitfall 1).
 */
export class IdentityResolver {
  private readonly parent = new Map<string, string>();
  private readonly reasons = new Map<string, string>();
  private readonly names = new Map<string, Map<string, number>>();
  private readonly uses = new Map<string, number>();
  private readonly byName = new Map<string, string>();
  private readonly days = new Map<string, { first: string; last: string }>();
  private readonly seenDays = new Map<string, { first: string; last: string }>();
  private readonly bots: { emails: Set<string>; names: Set<string> };
  private people: Map<string, Person> | null = null;
  /**
   * Memos keyed by the raw "name\0email" of a commit (a history names a few thousand identities
   * tens of thousands of times): the canonical identity, what `see` learnt from its first
   * sighting, and the person once resolved (dropped whenever `see` may change the groups).
   */
  private readonly canonicalMemo = new Map<string, { name: string; email: string; mailmapLine: number | null }>();
  private readonly seenMemo = new Map<string, { key: string; name: string }>();
  private personMemo = new Map<string, Person>();

  constructor(
    private readonly mailmap: Mailmap | null,
    private readonly config: IdentityConfig,
  ) {
    this.bots = { emails: new Set(config.bots.map((b) => b.toLowerCase())), names: new Set(config.bots.map((b) => b.toLowerCase())) };
    for (const [person, addresses] of Object.entries(config.aliases)) {
      const keys = addresses.map((a) => this.keyOf(a));
      for (const k of keys.slice(1)) this.union(keys[0]!, k, `config alias '${person}'`);
    }
    for (const [login, address] of Object.entries(config.logins ?? {})) this.union(this.keyOf(address), this.keyOf(`@${login.replace(/^@/, "")}`), `config login '${login.replace(/^@/, "").toLowerCase()}'`);
  }

  private keyOf(address: string): string {
    const a = address.trim().toLowerCase();
    if (a.startsWith("@")) return `login:${a.slice(1)}`;
    const login = noreplyLogin(a);
    return login ? `login:${login}` : a;
  }

  private find(k: string): string {
    let r = k;
    while (this.parent.has(r) && this.parent.get(r) !== r) r = this.parent.get(r)!;
    if (!this.parent.has(k)) this.parent.set(k, k);
    return r;
  }

  private union(a: string, b: string, reason: string): void {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra === rb) return;
    this.parent.set(rb, ra);
    // Either side may end up listed as the merged one (the most used address leads): both keep the evidence.
    if (!this.reasons.has(b)) this.reasons.set(b, reason);
    if (!this.reasons.has(a)) this.reasons.set(a, reason);
  }

  /** The canonical identity of a commit's name and email (mailmap applied), and the mailmap line used. */
  canonical(name: string, email: string): { readonly name: string; readonly email: string; readonly mailmapLine: number | null } {
    const raw = `${name}\0${email}`;
    let c = this.canonicalMemo.get(raw);
    if (!c) {
      const n = clean(name);
      const e = clean(email).toLowerCase();
      const m = this.mailmap?.map(n, e);
      c = m ? { name: clean(m.name), email: m.email.toLowerCase(), mailmapLine: m.line } : { name: n, email: e, mailmapLine: null };
      this.canonicalMemo.set(raw, c);
    }
    return c;
  }

  /**
   * Records one use of an identity (first pass over the history): `authoredOn`
   * when it authored a non-merge commit that day, `seenOn` when it appeared
   * otherwise (committer, merge author, trailer).
   */
  see(rawName: string, rawEmail: string, authoredOn?: string, seenOn?: string): void {
    const raw = `${rawName}\0${rawEmail}`;
    const again = this.seenMemo.get(raw);
    if (again) {
      // Seen before: its merges are made (union is idempotent); only its days and counts grow.
      this.count(again.key, again.name, authoredOn, seenOn);
      return;
    }
    this.people = null;
    if (this.personMemo.size) this.personMemo = new Map();
    const { name, email, mailmapLine } = this.canonical(rawName, rawEmail);
    const rawKey = clean(rawEmail).toLowerCase();
    const key = this.keyOf(email || `(no email) ${name}`);
    this.seenMemo.set(raw, { key, name });
    this.find(key);
    this.count(key, name, authoredOn, seenOn, true);
    if (mailmapLine !== null && rawKey && rawKey !== email) this.union(key, this.keyOf(rawKey), `mailmap line ${mailmapLine}`);
    if (name.split(" ").length >= 2 && !this.isBotIdentity(name, email)) {
      const other = this.byName.get(name);
      if (other === undefined) this.byName.set(name, key);
      else if (other !== key) this.union(other, key, `same full name '${name}'`);
    }
  }

  /** One more use of an identity: its days widened, its address and name counted. */
  private count(key: string, name: string, authoredOn: string | undefined, seenOn: string | undefined, first = false): void {
    if (authoredOn) widen(this.days, key, authoredOn);
    const day = authoredOn ?? seenOn;
    if (day) widen(this.seenDays, key, day);
    this.uses.set(key, (this.uses.get(key) ?? 0) + 1);
    if (!first && this.people) {
      // Counts decide a person's primary address and name: the people are resolved again.
      this.people = null;
      if (this.personMemo.size) this.personMemo = new Map();
    }
    let names = this.names.get(key);
    if (!names) this.names.set(key, (names = new Map<string, number>()));
    names.set(name, (names.get(name) ?? 0) + 1);
  }

  private isBotIdentity(name: string, email: string): boolean {
    const n = name.toLowerCase();
    if (this.bots.emails.has(email) || this.bots.names.has(n) || (noreplyLogin(email) !== null && this.bots.emails.has(`@${noreplyLogin(email)}`))) return true;
    if (/\[bot\]$/.test(n) || /\bbot\b/.test(n.replace(/[-_]/g, " "))) return true;
    return KNOWN_BOTS.some((re) => re.test(email) || re.test(n));
  }

  /** The person an identity belongs to (after every `see`). */
  personOf(rawName: string, rawEmail: string): Person {
    const people = this.resolve();
    const raw = `${rawName}\0${rawEmail}`;
    let p = this.personMemo.get(raw);
    if (!p) {
      const { email, name } = this.canonical(rawName, rawEmail);
      p = people.get(this.find(this.keyOf(email || `(no email) ${name}`)))!;
      this.personMemo.set(raw, p);
    }
    return p;
  }

  /** Every person, each with the identities merged into it and why. */
  all(): Person[] {
    return [...new Set(this.resolve().values())];
  }

  private resolve(): Map<string, Person> {
    if (this.people) return this.people;
    const groups = new Map<string, string[]>();
    for (const k of this.parent.keys()) {
      const r = this.find(k);
      groups.set(r, [...(groups.get(r) ?? []), k]);
    }
    const people = new Map<string, Person>();
    for (const [root, keys] of groups) {
      // Every address of the group (also ones only a mailmap or alias names), the most used first.
      const used = [...keys].sort((a, b) => (this.uses.get(b) ?? 0) - (this.uses.get(a) ?? 0) || (a < b ? -1 : 1));
      const primary = used[0]!;
      const nameCounts = new Map<string, number>();
      for (const k of keys) for (const [n, c] of this.names.get(k) ?? []) nameCounts.set(n, (nameCounts.get(n) ?? 0) + c);
      const name = [...nameCounts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]?.[0] ?? primary;
      const emails = used.map((k) => (k.startsWith("login:") ? `${k.slice(6)}@users.noreply.github.com` : k));
      const login = keys.find((k) => k.startsWith("login:"))?.slice(6);
      const person: Person = {
        id: emails[0] ?? primary,
        name,
        emails,
        ...(login ? { login } : {}),
        bot: keys.some((k) => this.isBotIdentity(name, k.startsWith("login:") ? `${k.slice(6)}@users.noreply.github.com` : k)) || this.isBotIdentity(name, emails[0] ?? ""),
        merges: used.slice(1).map((k) => ({ email: k.startsWith("login:") ? `@${k.slice(6)}` : k, reason: this.reasons.get(k) ?? "shared address" })),
        used: Object.fromEntries(keys.filter((k) => this.days.has(k) && !k.startsWith("login:")).map((k) => [k, this.days.get(k)!])),
        seen: Object.fromEntries(keys.filter((k) => this.seenDays.has(k) && !k.startsWith("login:")).map((k) => [k, this.seenDays.get(k)!])),
      };
      for (const k of keys) people.set(k, person);
      people.set(root, person);
    }
    this.people = people;
    return people;
  }
}

/** Widens the first..last range of `key` to include `day`. */
function widen(ranges: Map<string, { first: string; last: string }>, key: string, day: string): void {
  const d = ranges.get(key);
  if (!d) ranges.set(key, { first: day, last: day });
  else {
    if (day < d.first) d.first = day;
    if (day > d.last) d.last = day;
  }
}
