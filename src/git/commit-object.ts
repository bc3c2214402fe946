import type { CommitInfo } from "./repository.js";

/**
 * Parses a raw commit object (as `cat-file --batch` returns it) into the same
 * CommitInfo that `git log --format=%H%P%an%ae%aI%cI%s` gives, so metadata can
 * come through the long-lived cat-file process instead of a git process each.
 */
export function parseCommitObject(oid: string, content: Buffer): CommitInfo {
  const text = content.toString("utf8");
  const end = text.indexOf("\n\n");
  const headers = (end === -1 ? text : text.slice(0, end)).split("\n");
  const message = end === -1 ? "" : text.slice(end + 2);
  const parents: string[] = [];
  let author = { name: "", email: "", date: "" };
  let committer = { name: "", email: "", date: "" };
  for (const h of headers) {
    if (h.startsWith("parent ")) parents.push(h.slice(7));
    else if (h.startsWith("author ")) author = parseIdent(h.slice(7));
    else if (h.startsWith("committer ")) committer = parseIdent(h.slice(10));
  }
  return {
    commit: oid,
    parents,
    authorName: author.name,
    authorEmail: author.email,
    authorDate: author.date,
    commitDate: committer.date,
    // %s: the first paragraph of the message, lines joined by spaces.
    subject: (message.split(/\n\s*\n/)[0] ?? "").trim().split("\n").map((l) => l.trim()).join(" "),
  };
}

function parseIdent(s: string): { name: string; email: string; date: string } {
  const m = /^(.*?) ?<([^>]*)> (-?\d+) ([+-])(\d\d)(\d\d)$/.exec(s);
  if (!m) return { name: s, email: "", date: "" };
  const [, name = "", email = "", ts = "0", sign = "+", hh = "00", mm = "00"] = m;
  const offsetMin = (sign === "-" ? -1 : 1) * (Number(hh) * 60 + Number(mm));
  const local = new Date(Number(ts) * 1000 + offsetMin * 60_000).toISOString().slice(0, 19);
  return { name, email, date: `${local}${sign}${hh}:${mm}` };
}
