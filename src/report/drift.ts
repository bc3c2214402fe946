import type { DriftHistory, DriftMulti, DriftPair, FileResult, HunkResult } from "../analyzers/drift/types.js";
import { day, mdEscape, pct, plural, short, shown, table } from "./format.js";

export type DriftResult = DriftPair | DriftMulti | DriftHistory;

export interface ReportOptions {
  /** Rows per list (files, directories, hunks). */
  limit?: number;
}

function isMulti(r: DriftResult): r is DriftMulti {
  return "forks" in r;
}
function isHistory(r: DriftResult): r is DriftHistory {
  return "history" in r;
}

const lines = (t: { added: number; deleted: number }) => t.added + t.deleted;

function topFiles(p: DriftPair, limit: number): FileResult[] {
  return [...p.files].sort((a, b) => b.debt - a.debt || (a.path < b.path ? -1 : 1)).slice(0, limit);
}

function oldestPrivate(p: DriftPair, limit: number): { file: string; hunk: HunkResult }[] {
  const all: { file: string; hunk: HunkResult }[] = [];
  for (const f of p.files) for (const h of f.hunks) if (h.status === "private" && h.introducedBy) all.push({ file: f.path, hunk: h });
  return all.sort((a, b) => b.hunk.introducedBy!.ageDays - a.hunk.introducedBy!.ageDays || b.hunk.added - a.hunk.added).slice(0, limit);
}

// ---------- text ----------

function pairText(p: DriftPair, o: Required<ReportOptions>): string[] {
  const n = p.netPatch;
  const out: string[] = [];
  out.push(`Drift of ${p.fork.ref} (${short(p.fork.commit)}, ${day(p.fork.date)}) against ${p.upstream.ref} (${short(p.upstream.commit)}, ${day(p.upstream.date)})`);
  const how = p.base.method === "merge-base" ? "merge-base" : `closest upstream tree, ${plural(p.base.treeDistance ?? 0, "path differs", "paths differ")}`;
  out.push(`  base       ${short(p.mergeBase)} (${how}), ${day(p.base.date)}: ${plural(p.baseAgeDays, "day")} older than the fork tip`);
  out.push(`  behind     ${plural(p.behind, "upstream commit")} not in the fork (${p.upstreamSinceBase} since the base)`);
  out.push(`  ahead      ${plural(p.ahead, "fork commit")} not upstream`);
  out.push(`  git cherry ${p.cherry.matched} of ${plural(p.cherry.commits, "fork commit")} found upstream by patch-id`);
  out.push("");
  out.push(`Net patch, base -> fork tip (squash-proof): ${plural(n.files, "file")}, ${plural(n.hunks, "hunk")}, +${n.added} -${n.deleted}`);
  out.push(
    ...table(
      [
        ["", "hunks", "added", "deleted", "lines"],
        ["upstreamed", `${n.upstreamed.hunks}`, `+${n.upstreamed.added}`, `-${n.upstreamed.deleted}`, `${lines(n.upstreamed)}`],
        ["private", `${n.private.hunks}`, `+${n.private.added}`, `-${n.private.deleted}`, `${lines(n.private)}`],
        ["diverged", `${n.diverged.hunks}`, `+${n.diverged.added}`, `-${n.diverged.deleted}`, `${lines(n.diverged)}`],
      ],
      ["l", "r", "r", "r", "r"],
    ).map((l) => "  " + l),
  );
  out.push(`  debt ${n.debt} private lines; reconnection ${pct(n.reconnection)} of changed lines already upstream`);
  const allDirs = p.directories.filter((d) => d.path !== "." && d.debt > 0);
  const dirs = allDirs.slice(0, o.limit);
  if (dirs.length) {
    out.push("", "Directories by debt");
    out.push(
      ...table(
        [["directory", "files", "debt", "upstreamed", "diverged", "reconnection"], ...dirs.map((d) => [d.path + "/", `${d.files}`, `${d.debt}`, `${d.upstreamed}`, `${d.diverged}`, pct(d.reconnection)])],
        ["l", "r", "r", "r", "r", "r"],
      ).map((l) => "  " + l),
    );
    out.push(...more(allDirs.length - dirs.length, "directory", "directories"));
  }
  const files = topFiles(p, o.limit);
  if (files.length) {
    out.push("", "Files by debt");
    const rows = files.map((f) => {
      const up = f.hunks.filter((h) => h.status === "upstreamed").reduce((s, h) => s + h.added + h.deleted, 0);
      const dv = f.hunks.filter((h) => h.status === "diverged").reduce((s, h) => s + h.added + h.deleted, 0);
      const note = f.binary ? `binary, ${f.binaryStatus}` : f.upstreamPath && f.upstreamPath !== f.path ? `upstream moved it to ${f.upstreamPath}` : f.change;
      return [f.path, `${f.debt}`, `${up}`, `${dv}`, note];
    });
    out.push(...table([["file", "debt", "upstreamed", "diverged", ""], ...rows], ["l", "r", "r", "r", "l"]).map((l) => "  " + l));
    out.push(...more(p.files.length - files.length, "file"));
  }
  const old = oldestPrivate(p, Math.min(o.limit, 10));
  if (old.length) {
    out.push("", "Oldest private hunks (fork commit that brought them; age from its author date, which a rebase keeps, to the fork tip's commit date)");
    for (const { file, hunk } of old) {
      const a = hunk.introducedBy!;
      out.push(`  ${shown(file)}:${hunk.newStart} +${hunk.added} -${hunk.deleted}  ${short(a.commit)} ${a.author}, authored ${plural(a.ageDays, "day")} before the tip: ${a.subject}`);
    }
  }
  if (p.commits.some((c) => c.upstreamMatch)) {
    out.push("", "Fork commits found upstream by patch-id");
    const matched = p.commits.filter((c) => c.upstreamMatch);
    for (const c of matched.slice(0, o.limit)) out.push(`  ${short(c.commit)} = ${short(c.upstreamMatch!)}  ${c.subject}`);
    out.push(...more(matched.length - o.limit, "commit"));
  }
  out.push(...warningsText(p.warnings));
  return out;
}

/** "... N more" under a list cut at --limit, so a short list never reads as the whole. */
function more(n: number, word: string, many = `${word}s`): string[] {
  return n > 0 ? [`  ... ${plural(n, word, many)} more (--limit N, --json)`] : [];
}

function warningsText(warnings: string[]): string[] {
  return warnings.length ? ["", "Warnings", ...warnings.map((w) => `  ! ${w}`)] : [];
}

export function driftText(r: DriftResult, opts: ReportOptions = {}): string {
  const o = { limit: opts.limit ?? 15 };
  if (isHistory(r)) {
    const out = [`Drift history against ${r.upstream.ref} (${short(r.upstream.commit)}) of ${r.patterns.join(" ")}: ${plural(r.history.length, "ref")}`, ""];
    out.push(
      ...table(
        [
          ["date", "ref", "base age", "behind", "ahead", "files", "debt", "upstreamed", "diverged", "reconnection", "carried (median)"],
          ...r.history.map((p) => [
            day(p.date),
            p.fork.ref,
            `${p.baseAgeDays}d`,
            `${p.behind}`,
            `${p.ahead}`,
            `${p.netPatch.files}`,
            `${p.netPatch.debt}`,
            `${lines(p.netPatch.upstreamed)}`,
            `${lines(p.netPatch.diverged)}`,
            pct(p.netPatch.reconnection),
            p.carried.medianDays === null ? "-" : `${p.carried.medianDays}d`,
          ]),
        ],
        ["l", "l", "r", "r", "r", "r", "r", "r", "r", "r", "r"],
      ).map((l) => "  " + l),
    );
    const warnings = [...new Set([...r.warnings, ...r.history.flatMap((p) => p.warnings)])];
    out.push(...warningsText(warnings));
    return out.join("\n") + "\n";
  }
  if (isMulti(r)) {
    const out: string[] = [];
    for (const p of r.forks) out.push(...pairText(p, o), "", "");
    out.push(`Overlap: ${plural(r.overlap.length, "upstream region")} patched by several forks`);
    for (const reg of r.overlap.slice(0, o.limit)) {
      const where = reg.startLine === 0 ? "(new file in several forks)" : `lines ${reg.startLine}-${reg.endLine}`;
      out.push(`  ${shown(reg.path)} ${where}: ${reg.forks.map((f) => `${f.ref} (${plural(f.hunks.length, "hunk")})`).join(", ")}`);
    }
    out.push(...more(r.overlap.length - o.limit, "region"));
    out.push(...warningsText(r.warnings));
    return out.join("\n") + "\n";
  }
  return pairText(r, o).join("\n") + "\n";
}

// ---------- markdown ----------

function pairMarkdown(p: DriftPair, o: Required<ReportOptions>): string[] {
  const n = p.netPatch;
  const out = [
    `## Drift of \`${mdEscape(p.fork.ref)}\` against \`${mdEscape(p.upstream.ref)}\``,
    "",
    `| | |`,
    `|---|---|`,
    `| fork tip | \`${short(p.fork.commit)}\` (${day(p.fork.date)}) |`,
    `| upstream tip | \`${short(p.upstream.commit)}\` (${day(p.upstream.date)}) |`,
    `| base | \`${short(p.mergeBase)}\` (${p.base.method}), ${p.baseAgeDays} days older than the fork tip |`,
    `| behind / ahead | ${p.behind} / ${p.ahead} commits |`,
    `| git cherry | ${p.cherry.matched} of ${p.cherry.commits} fork commits found upstream |`,
    `| debt | **${n.debt}** private lines |`,
    `| reconnection | **${pct(n.reconnection)}** |`,
    "",
    `| net patch | hunks | added | deleted |`,
    `|---|--:|--:|--:|`,
    `| upstreamed | ${n.upstreamed.hunks} | ${n.upstreamed.added} | ${n.upstreamed.deleted} |`,
    `| private | ${n.private.hunks} | ${n.private.added} | ${n.private.deleted} |`,
    `| diverged | ${n.diverged.hunks} | ${n.diverged.added} | ${n.diverged.deleted} |`,
    `| **total** (${n.files} files) | ${n.hunks} | ${n.added} | ${n.deleted} |`,
  ];
  const files = topFiles(p, o.limit);
  if (files.length) {
    out.push("", "| file | debt | reconnection | change |", "|---|--:|--:|---|");
    for (const f of files) out.push(`| \`${mdEscape(f.path)}\` | ${f.debt} | ${pct(f.reconnection)} | ${f.change}${f.binary ? ", binary" : ""} |`);
    if (p.files.length > files.length) out.push(`| … ${plural(p.files.length - files.length, "file")} more (--limit N, --json) | | | |`);
  }
  if (p.warnings.length) out.push("", ...p.warnings.map((w) => `> ⚠ ${mdEscape(w)}`));
  return out;
}

export function driftMarkdown(r: DriftResult, opts: ReportOptions = {}): string {
  const o = { limit: opts.limit ?? 15 };
  if (isHistory(r)) {
    const out = [
      `## Drift history against \`${mdEscape(r.upstream.ref)}\``,
      "",
      "| date | ref | base age (days) | behind | ahead | files | debt | reconnection | private lines carried (median days) |",
      "|---|---|--:|--:|--:|--:|--:|--:|--:|",
      ...r.history.map(
        (p) => `| ${day(p.date)} | \`${mdEscape(p.fork.ref)}\` | ${p.baseAgeDays} | ${p.behind} | ${p.ahead} | ${p.netPatch.files} | ${p.netPatch.debt} | ${pct(p.netPatch.reconnection)} | ${p.carried.medianDays ?? "-"} |`,
      ),
    ];
    return out.join("\n") + "\n";
  }
  if (isMulti(r)) {
    const out: string[] = [];
    for (const p of r.forks) out.push(...pairMarkdown(p, o), "");
    out.push("## Overlap across forks", "", "| path | lines | forks |", "|---|---|---|");
    for (const reg of r.overlap) out.push(`| \`${mdEscape(reg.path)}\` | ${reg.startLine === 0 ? "new file" : `${reg.startLine}-${reg.endLine}`} | ${reg.forks.map((f) => `\`${mdEscape(f.ref)}\``).join(", ")} |`);
    return out.join("\n") + "\n";
  }
  return pairMarkdown(r, o).join("\n") + "\n";
}
