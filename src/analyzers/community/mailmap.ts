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

  /** `notes`: lines git reads while ignoring part of them (reported as warnings). */
  constructor(
    readonly entries: MailmapEntry[],
    readonly notes: string[] = [],
  ) {
    for (const e of entries) {
      const k = e.commitEmail.toLowerCase();
      const list = this.byEmail.get(k) ?? [];
      // As git: a later line for the same commit identity overrides only the fields it gives.
      const i = list.findIndex((o) => (o.commitName ?? "").toLowerCase() === (e.commitName ?? "").toLowerCase() && (o.commitName === null) === (e.commitName === null));
      if (i >= 0) list[i] = { ...e, properName: e.properName ?? list[i]!.properName, properEmail: e.properEmail ?? list[i]!.properEmail };
      else list.push(e);
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

/** git's parse_name_and_email: a name (trimmed, maybe empty) before `<`, the email up to the next `>` (spaces allowed, as git allows them), the rest. */
function nameAndEmail(s: string, allowEmptyEmail: boolean): { name: string | null; email: string; rest: string } | null {
  const left = s.indexOf("<");
  if (left < 0) return null;
  const right = s.indexOf(">", left + 1);
  if (right < 0 || (!allowEmptyEmail && right === left + 1)) return null;
  return { name: s.slice(0, left).trim() || null, email: s.slice(left + 1, right), rest: s.slice(right + 1) };
}

/**
 * Reads a `.mailmap` as git does (mailmap.c): every line git maps is read the
 * same way, including emails with spaces (`Juha Yrjola <at solidboot.com>` in
 * Linux's) and a lone `<email>` (git keeps it; it maps nothing); text git
 * ignores after the addresses (`<a@b.org>C` in numpy's) is ignored too and
 * noted. A line git would drop whole — no `<email>` in it — is refused naming
 * file and line: dropping it silently would silently split a person. With
 * `lenient` (the repository's file is not the user's to fix: numpy's has an
 * unclosed `<`) such lines are skipped as git skips them, and noted.
 */
export function parseMailmap(text: string, file: string, opts: { lenient?: boolean } = {}): Mailmap {
  const entries: MailmapEntry[] = [];
  const notes: string[] = [];
  text.split("\n").forEach((raw, i) => {
    const line = raw.replace(/\r$/, "");
    if (!line.trim() || line.trimStart().startsWith("#")) return;
    const quoted = JSON.stringify(line.slice(0, 120));
    const first = nameAndEmail(line, false);
    if (!first) {
      // The analysed repository's file cannot be fixed by the user: --lenient-mailmap skips such lines as git does.
      if (!opts.lenient) throw new ConfigError(`${file}:${i + 1}: not a mailmap line: ${quoted} (git skips it silently; --lenient-mailmap skips it with a warning)`);
      notes.push(`${file}:${i + 1}: not a mailmap line, skipped as git does: ${quoted}`);
      return;
    }
    const second = nameAndEmail(first.rest, true);
    const ignored = (second ? second.rest : first.rest).trim();
    if (ignored && !ignored.startsWith("#")) notes.push(`${file}:${i + 1}: ${JSON.stringify(ignored.slice(0, 60))} after the address${second ? "es" : ""} ignored, as git does: ${quoted}`);
    if (!second) {
      // One address: the proper name for commits from that address (no name: git keeps the line, which maps nothing).
      if (first.name) entries.push({ properName: first.name, properEmail: null, commitName: null, commitEmail: first.email, line: i + 1 });
      return;
    }
    entries.push({ properName: first.name, properEmail: first.email || null, commitName: second.name, commitEmail: second.email, line: i + 1 });
  });
  return new Mailmap(entries, notes);
}
