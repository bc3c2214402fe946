import { ConfigError } from "../../errors.js";

/**
 * A `.mailmap` (gitmailmap(5)): maps a commit's name and/or email to the
 * canonical ones. Four forms:
 *   Proper Name <commit@email>
 *   <proper@email> <commit@email>
 *   Proper Name <proper@email> <commit@email>
 *   Proper Name <proper@email> Commit Name <commit@email>
 * Emails and names match case-insensitively. Unlike git, which skips lines it
 * cannot read, Steward refuses them (exit 2 naming file and line): a silently
 * ignored line would silently split a person.
 */
export interface MailmapEntry {
  properName: string | null;
  properEmail: string | null;
  commitName: string | null;
  commitEmail: string;
  line: number;
}

export class Mailmap {
  /** By commit email, then entries with a commit name (more specific) first. */
  private readonly byEmail = new Map<string, MailmapEntry[]>();

  constructor(readonly entries: MailmapEntry[]) {
    for (const e of entries) {
      const k = e.commitEmail.toLowerCase();
      const list = this.byEmail.get(k) ?? [];
      list.push(e);
      list.sort((a, b) => Number(b.commitName !== null) - Number(a.commitName !== null));
      this.byEmail.set(k, list);
    }
  }

  /** The canonical name and email of a commit identity, and the mailmap line that mapped it, if any. */
  map(name: string, email: string): { name: string; email: string; line: number | null } {
    const list = this.byEmail.get(email.toLowerCase());
    const hit = list?.find((e) => e.commitName === null || e.commitName.toLowerCase() === name.toLowerCase());
    if (!hit) return { name, email, line: null };
    return { name: hit.properName ?? name, email: hit.properEmail ?? email, line: hit.line };
  }
}

export function parseMailmap(text: string, file: string): Mailmap {
  const entries: MailmapEntry[] = [];
  text.split("\n").forEach((raw, i) => {
    const line = raw.replace(/\r$/, "");
    const body = line.replace(/(^|\s)#.*$/, "").trim();
    if (!body) return;
    // Name? <email> (Name? <email>)?
    const m = /^([^<>]*?)\s*<([^<>\s]*)>\s*(?:([^<>]*?)\s*<([^<>\s]*)>)?\s*$/.exec(body);
    if (!m) throw new ConfigError(`${file}:${i + 1}: not a mailmap line: ${JSON.stringify(line.slice(0, 120))}`);
    const [, name1, email1, name2, email2] = m;
    const n1 = name1!.trim() || null;
    if (email2 === undefined) {
      if (!n1) throw new ConfigError(`${file}:${i + 1}: a mailmap line with one address needs a name: ${JSON.stringify(line.slice(0, 120))}`);
      entries.push({ properName: n1, properEmail: null, commitName: null, commitEmail: email1!, line: i + 1 });
    } else {
      entries.push({ properName: n1, properEmail: email1 || null, commitName: name2!.trim() || null, commitEmail: email2, line: i + 1 });
    }
  });
  return new Mailmap(entries);
}
