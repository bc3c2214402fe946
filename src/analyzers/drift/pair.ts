import { GitError, InputError } from "../../errors.js";
import { diffCommits, rawDiff, type FileDiff } from "../../git/diff.js";
import { fileSetKey, filesByCommit, logPatches, type CommitFiles } from "../../git/patches.js";
import type { CommitInfo } from "../../git/repository.js";
import { Attributor } from "./attribution.js";
import { classifyHunk, snippetOf, type FileSides } from "./classify.js";
import { closestUpstreamCommit } from "./closest.js";
import type { DriftContext } from "./context.js";
import { LineIndex } from "./lines.js";
import { directoryRollup, fileLines, netPatchTotals, reconnection } from "./rollup.js";
import {
  DRIFT_SCHEMA_VERSION,
  type BaseInfo,
  type CommitView,
  type DriftPair,
  type FileResult,
  type HunkResult,
  type HunkStatus,
} from "./types.js";
import { upstreamCopy } from "./upstream-copy.js";
import { coverageOf, describeCoverage } from "../../git/tree.js";

const DAY = 86_400_000;

export interface Side {
  ref: string;
  commit: string;
}

/** Finds the base: the merge-base, or for unrelated histories the closest upstream tree. */
export async function findBase(ctx: DriftContext, upstream: Side, fork: Side, warnings: string[]): Promise<BaseInfo> {
  const mb = await ctx.repo.mergeBase(upstream.commit, fork.commit);
  if (mb) {
    const info = await ctx.commitInfo(mb);
    return { commit: mb, date: info.commitDate, method: "merge-base" };
  }
  if (await ctx.repo.isShallow()) {
    throw new GitError(
      `no merge-base of ${upstream.ref} and ${fork.ref} in a shallow clone (${ctx.repo.label}); run 'git fetch --unshallow' (or deepen it) and retry`,
    );
  }
  ctx.onProgress({ kind: "stage", ref: fork.ref, stage: "unrelated histories: searching the closest upstream tree" });
  const closest = await closestUpstreamCommit(ctx.repo, upstream.commit, fork.commit);
  if (!closest) {
    throw new InputError(`${upstream.ref} and ${fork.ref} share no history and no files: nothing to compare`);
  }
  warnings.push(
    `${upstream.ref} and ${fork.ref} have unrelated histories; used the upstream commit ${closest.commit} whose tree is closest to the fork's (${closest.distance} ${closest.distance === 1 ? "path differs" : "paths differ"}) as the base`,
  );
  const info = await ctx.commitInfo(closest.commit);
  return { commit: closest.commit, date: info.commitDate, method: "closest-tree", treeDistance: closest.distance };
}

/**
 * The net patch base -> fork. If some blobs are absent (a partial clone),
 * the files whose blobs are present are diffed and the others reported in
 * `leftOut`; with --fetch-missing the blobs the pair needs are fetched first,
 * in one request.
 */
async function netDiff(ctx: DriftContext, base: string, fork: string, upstream: string, warnings: string[]): Promise<{ files: FileDiff[]; leftOut: string[]; fetched: number }> {
  const partial = await ctx.repo.promisor();
  let fetched = 0;
  if (partial && ctx.fetchMissing) {
    fetched = await ctx.repo.fetchAbsent(await blobsThePairNeeds(ctx, base, fork, upstream));
    // Upstream changes since this base were maybe matched for renames before these blobs came.
    if (fetched) ctx.forgetUpstreamChanges(base, upstream);
  }
  let failure: GitError | null = null;
  if (!partial) {
    try {
      return { files: await diffCommits(ctx.repo.gitDir, base, fork), leftOut: [], fetched };
    } catch (e) {
      if (!(e instanceof GitError)) throw e;
      failure = e;
    }
  }
  // In a partial clone the whole-range diff would die on the first absent blob: diff only what is present.
  const raw = await rawDiff(ctx.repo.gitDir, base, fork);
  const oids = raw.flatMap((r) => [r.oldOid, r.newOid]).filter((o): o is string => o !== null);
  const missing = await ctx.repo.missingObjects(oids);
  if (missing.size === 0) {
    // Nothing absent: the diff that failed failed for another reason (say so), or a partial clone holds it all.
    if (failure) throw failure;
    return { files: await diffCommits(ctx.repo.gitDir, base, fork), leftOut: [], fetched };
  }
  const present: string[] = [];
  const leftOut: string[] = [];
  for (const r of raw) {
    if ((r.oldOid && missing.has(r.oldOid)) || (r.newOid && missing.has(r.newOid))) leftOut.push(r.path);
    else present.push(r.path);
  }
  warnings.push(`blobs missing (partial clone?): ${leftOut.length} file(s) left out of the net patch: ${leftOut.slice(0, 5).join(", ")}${leftOut.length > 5 ? ", ..." : ""}`);
  const files: FileDiff[] = [];
  for (let i = 0; i < present.length; i += 500) files.push(...(await diffCommits(ctx.repo.gitDir, base, fork, present.slice(i, i + 500))));
  return { files, leftOut, fetched };
}

/**
 * Every blob classifying base -> fork against upstream reads: both sides of
 * each changed file, upstream's copy of it, and (when upstream deleted or
 * moved one of them) the files upstream deleted and added, which rename
 * detection compares.
 */
async function blobsThePairNeeds(ctx: DriftContext, base: string, fork: string, upstream: string): Promise<string[]> {
  const [forkSide, upSide] = await Promise.all([rawDiff(ctx.repo.gitDir, base, fork), rawDiff(ctx.repo.gitDir, base, upstream)]);
  const oids: string[] = [];
  const upByPath = new Map(upSide.map((e) => [e.path, e]));
  let followMoves = false;
  for (const f of forkSide) {
    for (const o of [f.oldOid, f.newOid]) if (o) oids.push(o);
    const u = upByPath.get(f.path);
    if (u?.newOid) oids.push(u.newOid);
    if (u?.status === "D") followMoves = true;
  }
  // Rename detection pairs every deleted file with every added one (a file moved away may match another
  // deleted file better): to decide as on a full clone it needs both sides of all of them.
  if (followMoves) for (const u of upSide) if (u.status === "A" || u.status === "D") oids.push((u.status === "A" ? u.newOid : u.oldOid)!);
  return oids;
}

async function classifyFile(ctx: DriftContext, file: FileDiff, base: string, upstream: string, warnings: string[]): Promise<FileResult> {
  const changes = await ctx.upstreamChangesSince(base, upstream);
  const copy = upstreamCopy(file, changes);
  const upstreamPath = copy.kind === "absent" ? null : copy.path;
  const added = file.hunks.reduce((n, h) => n + h.added.length, 0);
  const deleted = file.hunks.reduce((n, h) => n + h.deleted.length, 0);
  const result: FileResult = {
    path: file.path,
    change: file.status === "A" ? "added" : file.status === "D" ? "deleted" : file.status === "T" ? "type-changed" : "modified",
    binary: file.binary,
    added,
    deleted,
    debt: 0,
    reconnection: null,
    upstreamPath,
    hunks: [],
  };
  if (file.oldMode !== file.newMode && file.oldOid && file.newOid) result.mode = { old: file.oldMode, new: file.newMode };

  const upstreamOid = copy.kind === "absent" ? null : copy.oid;
  const same = (status: HunkStatus, reason: "file-identical-upstream" | "upstream-unchanged" | "file-absent-upstream", line: (h: FileDiff["hunks"][number]) => number | undefined) => {
    result.hunks = file.hunks.map((h) => {
      const snippet = snippetOf(h);
      return hunkResult(h, status, { reason, upstreamPath, ...lineOf(line(h)), ...(snippet !== undefined ? { snippet } : {}) });
    });
  };
  if (file.binary) {
    result.binaryStatus = upstreamOid === file.newOid ? "upstreamed" : upstreamOid === file.oldOid ? "private" : "diverged";
  } else if (upstreamOid !== null && upstreamOid === file.newOid) {
    same("upstreamed", "file-identical-upstream", (h) => (h.newLines > 0 ? h.newStart : undefined));
  } else if (copy.kind === "unchanged") {
    // Upstream still has the base's copy: every pre-image is there, nothing was adopted.
    same("private", "upstream-unchanged", (h) => (h.oldLines > 0 ? h.oldStart : undefined));
  } else if (copy.kind === "absent" && file.oldOid === null) {
    same("private", "file-absent-upstream", () => undefined);
  } else {
    const [baseBlob, upBlob] = await Promise.all([
      file.oldOid ? ctx.blob(file.oldOid) : Promise.resolve(null),
      upstreamOid ? ctx.blob(upstreamOid) : Promise.resolve(null),
    ]);
    if ((file.oldOid && !baseBlob) || (upstreamOid && !upBlob)) {
      warnings.push(`blob missing (partial clone?): ${file.path} classified as diverged without reading it`);
      result.unread = true;
      result.hunks = file.hunks.map((h) => hunkResult(h, "diverged", { reason: "blob-missing", upstreamPath }));
    } else {
      const sides: FileSides = {
        base: baseBlob?.lines ?? null,
        get baseIndex() {
          return baseBlob ? baseBlob.index : file.oldOid ? null : new LineIndex([]);
        },
        upstream: upBlob?.index ?? null,
        upstreamPath,
      };
      result.hunks = file.hunks.map((h) => {
        const c = classifyHunk(h, sides);
        return hunkResult(h, c.status, c.evidence);
      });
    }
  }
  const lines = fileLines(result);
  result.debt = lines.private;
  result.reconnection = reconnection(lines.upstreamed, lines.private, lines.diverged);
  return result;
}

function lineOf(n: number | undefined): { upstreamLine?: number } {
  return n === undefined ? {} : { upstreamLine: n };
}

function hunkResult(h: FileDiff["hunks"][number], status: HunkStatus, evidence: HunkResult["evidence"]): HunkResult {
  return {
    status,
    oldStart: h.oldStart,
    oldLines: h.oldLines,
    newStart: h.newStart,
    newLines: h.newLines,
    added: h.added.length,
    deleted: h.deleted.length,
    evidence,
  };
}

/**
 * Upstream commits' patch-ids, for the commits in `upstream ^exclude` that
 * could equal one of the fork commits: same set of touched files (found from
 * tree diffs, like git cherry's header-only ids), so only those few are
 * diffed in full. Results accumulate in the context, so a series pays once.
 */
export async function upstreamPatchIds(ctx: DriftContext, upstream: string, exclude: string[], forkCommits: Map<string, CommitFiles>): Promise<string[]> {
  const keys = new Set([...forkCommits.values()].map((c) => fileSetKey(c.files)));
  if (keys.size === 0) return [];
  const upstreamSets = await filesByCommit(ctx.repo.gitDir, [upstream, ...exclude.map((e) => `^${e}`)]);
  const candidates: string[] = [];
  for (const [c, { files }] of upstreamSets) {
    const key = fileSetKey(files);
    if (!keys.has(key) || ctx.upstreamPatchIds.has(c)) continue;
    candidates.push(c);
    ctx.candidateFileSets.add(key);
  }
  const log = await logPatches(ctx.repo.gitDir, candidates, { noWalk: true });
  for (const [c, id] of log.patchIds) ctx.upstreamPatchIds.set(c, id);
  return log.skipped.length ? [skippedWarning(log.skipped, "upstream")] : [];
}

export function skippedWarning(skipped: string[], side: string): string {
  return `${skipped.length} ${side} commit(s) left out of the commit view, their blobs are missing (partial clone?): ${skipped.slice(0, 5).join(", ")}${skipped.length > 5 ? ", ..." : ""}`;
}

export interface PairOptions {
  /** Called for each private hunk with its lines (a series tracks how long content is carried). */
  onPrivateHunk?: (path: string, lines: FileDiff["hunks"][number], result: HunkResult) => void;
  /** Warnings of the series-wide steps, repeated on each pair. */
  seriesWarnings?: string[];
  /** Skip the upstream patch-id scan (the caller did it for a whole series). */
  upstreamPatchIdsReady?: boolean;
}

/** Drift of one fork ref against one upstream ref (shared/DESIGN.md §3.1). */
export async function analyzePair(ctx: DriftContext, upstream: Side, fork: Side, opts: PairOptions = {}): Promise<DriftPair> {
  const warnings: string[] = [...(opts.seriesWarnings ?? [])];
  ctx.onProgress({ kind: "stage", ref: fork.ref, stage: "merge-base" });
  const base = await findBase(ctx, upstream, fork, warnings);
  // Everything that needs only the base runs at once: git processes overlap on
  // the other core while this one parses.
  ctx.onProgress({ kind: "stage", ref: fork.ref, stage: "net patch" });
  const forkCommitsP = filesByCommit(ctx.repo.gitDir, [fork.commit, `^${upstream.commit}`]);
  const patchIdsDone = opts.upstreamPatchIdsReady ? Promise.resolve<string[]>([]) : forkCommitsP.then((fc) => upstreamPatchIds(ctx, upstream.commit, [fork.commit], fc));
  // Warm the cache (with --fetch-missing only once the pair's blobs are in: rename detection reads them).
  if (!ctx.fetchMissing) void ctx.upstreamChangesSince(base.commit, upstream.commit).catch(() => undefined);
  const [shallow, infos, counts, sinceBase, net, forkCommits] = await Promise.all([
    base.method === "merge-base" ? ctx.repo.isShallow() : Promise.resolve(false),
    ctx.commitInfos([upstream.commit, fork.commit]),
    ctx.repo.leftRightCount(upstream.commit, fork.commit),
    ctx.repo.countOnly(upstream.commit, base.commit),
    netDiff(ctx, base.commit, fork.commit, upstream.commit, warnings),
    forkCommitsP,
  ]);
  const { files: diff, leftOut, fetched } = net;
  const [upInfo, forkInfo] = infos as [CommitInfo, CommitInfo];
  const { left: behind, right: ahead } = counts;
  if (shallow) warnings.push("the repository is a shallow clone: behind/ahead counts may be short; 'git fetch --unshallow' makes them exact");
  // Patches of fork commits are needed to attribute hunks among several fork
  // commits; a single fork commit (a squashed drop) owns every hunk, and its
  // patch-id is needed only if an upstream commit touches the same files.
  const forkLogP = forkCommits.size > 1 ? logPatches(ctx.repo.gitDir, [fork.commit, `^${upstream.commit}`]) : null;
  ctx.onProgress({ kind: "stage", ref: fork.ref, stage: `classifying ${diff.length} files` });
  const files = await Promise.all(diff.map((f) => classifyFile(ctx, f, base.commit, upstream.commit, warnings)));

  const forkLog = forkLogP ? await forkLogP : null;
  const attributor = new Attributor(forkLog ? forkLog.commits : [...forkCommits.values()].map((c) => ({ info: c.info, files: null })), forkInfo.commitDate);
  const byPath = new Map(diff.map((f) => [f.path, f]));
  for (const f of files) {
    const d = byPath.get(f.path)!;
    f.hunks.forEach((h, i) => {
      if (h.status !== "private") return;
      h.introducedBy = attributor.attribute(f.path, d.hunks[i]!);
      opts.onPrivateHunk?.(f.path, d.hunks[i]!, h);
    });
  }

  ctx.onProgress({ kind: "stage", ref: fork.ref, stage: "commit view (patch-id)" });
  if (forkLog?.skipped.length) warnings.push(skippedWarning(forkLog.skipped, "fork"));
  warnings.push(...(await patchIdsDone));
  const forkPatchIds = forkLog?.patchIds ?? new Map<string, string>();
  const needIds = [...forkCommits.values()].filter((c) => !forkPatchIds.has(c.info.commit) && ctx.candidateFileSets.has(fileSetKey(c.files))).map((c) => c.info.commit);
  if (needIds.length) for (const [c, id] of (await logPatches(ctx.repo.gitDir, needIds, { noWalk: true })).patchIds) forkPatchIds.set(c, id);
  const byPatchId = new Map<string, string>();
  for (const [c, id] of ctx.upstreamPatchIds) if (!byPatchId.has(id)) byPatchId.set(id, c);
  const commits: CommitView[] = [...forkCommits.values()].map(({ info }) => {
    const patchId = forkPatchIds.get(info.commit) ?? null;
    return {
      commit: info.commit,
      author: info.authorName,
      email: info.authorEmail,
      date: info.authorDate,
      subject: info.subject,
      patchId,
      upstreamMatch: patchId ? (byPatchId.get(patchId) ?? null) : null,
    };
  });
  const matched = commits.filter((c) => c.upstreamMatch).length;
  const coverage = await coverageOf(ctx.repo.gitDir, [...files.map((f) => ({ path: f.path, missing: f.unread === true })), ...leftOut.map((path) => ({ path, missing: true }))], fetched);
  if (coverage.files > 0 && coverage.missing === coverage.files) throw new InputError(`nothing to read for ${fork.ref}: ${describeCoverage(coverage)}`);
  for (const w of ctx.warnings) if (!warnings.includes(w)) warnings.push(w);

  return {
    schemaVersion: DRIFT_SCHEMA_VERSION,
    upstream: { ref: upstream.ref, commit: upstream.commit, date: upInfo.commitDate },
    fork: { ref: fork.ref, commit: fork.commit, date: forkInfo.commitDate },
    mergeBase: base.commit,
    base,
    behind,
    ahead,
    baseAgeDays: Math.floor((Date.parse(forkInfo.commitDate) - Date.parse(base.date)) / DAY),
    upstreamSinceBase: sinceBase,
    netPatch: netPatchTotals(files),
    files,
    directories: directoryRollup(files),
    commits,
    cherry: { commits: commits.length, matched, unmatched: commits.length - matched },
    coverage,
    warnings,
  };
}
