#!/usr/bin/env node
import { writeFileSync } from "node:fs";
import { Command, CommanderError, InvalidArgumentError, Option } from "commander";
import { apiContract, apiDiff, apiHistory, apiImpact, apiSurface, community, depsCheck, depsPortfolio, unknownIdentities, depsReleases, fetchPortfolio, lintBaseline, lintRules, loadLintInputs, neutrality, neutralityHistory, neutralityLint, portfolioStatus, scanPortfolio, enqueueScan, runWorker, drift, driftHistory, generateDemo, isStewardError, loadIdentities, loadPortfolio, ownersToResolve, VERSION, type DriftProgress, type FetchSummary, type QueueScanSummary, type NeutralityLint, type NeutralityProgress, type ScanSummary } from "../index.js";
import { driftMarkdown, driftText } from "../report/drift.js";
import { attributionLabel, footprintText, historyText, lintSarif, lintText } from "../report/neutrality.js";
import { communityMarkdown, communityText, ownersToResolveText, unknownIdentitiesText } from "../report/community.js";
import { apiContractText, apiDiffText, apiHistoryText, apiImpactText, surfaceText } from "../report/api.js";
import { coverageHeadline } from "../report/coverage.js";
import { storeLabel } from "../store/label.js";
import { portfolioProgress, progressReporter } from "./progress.js";
import { registerReport } from "./commands/report.js";
import { registerCheck } from "./commands/check.js";
import { declaredIn } from "../report/format.js";

/** `--fetch-missing`, on every command that reads file contents. */
const FETCH_MISSING = ["--fetch-missing", "in a partial clone, first fetch the absent blobs this analysis reads from the promisor remote (one request per ref); without it, absent files are counted and left out"] as const;

/** Text output of a result, led by its INCOMPLETE headline when a partial clone left files unread. */
function writeReport(result: unknown, text: string): void {
  process.stdout.write(coverageHeadline(result, process.argv.slice(2)) + text);
}

type Format = "text" | "json" | "markdown" | "sarif";

interface OutputOpts {
  json?: boolean;
  format?: Format;
  limit?: string;
  progress?: boolean;
}

function formatOf(o: OutputOpts): Format {
  return o.json ? "json" : (o.format ?? "text");
}

function limitOf(o: OutputOpts): number {
  const n = Number(o.limit ?? 15);
  if (!Number.isInteger(n) || n < 1) usage(`--limit must be a positive integer: ${o.limit}`);
  return n;
}

/** An option given twice would silently keep the last: refuse instead. */
function once(flag: string): (value: string, previous: string | undefined) => string {
  return (value, previous) => {
    if (previous !== undefined) throw new InvalidArgumentError(`${flag} is given twice (${previous}, ${value}); give it once`);
    return value;
  };
}

/** A repeatable option's values: `--package a --package b`. A variadic option (`<name...>`) would swallow the positional refs after it. */
function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

function usage(message: string): never {
  throw new CommanderError(2, "steward.usage", message);
}

/** Node's "ENOENT: no such file or directory, open 'x'" as "no such file or directory". */
function systemReason(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).replace(/^E[A-Z]+: ([^,]+),.*$/s, "$1");
}

/** A filesystem error (no such directory, a file in the way, no permission): one line naming the path, exit 2. */
function isSystemError(e: unknown): e is NodeJS.ErrnoException & { path: string } {
  return e instanceof Error && typeof (e as NodeJS.ErrnoException).code === "string" && /^E[A-Z]+$/.test((e as NodeJS.ErrnoException).code!) && typeof (e as NodeJS.ErrnoException).path === "string";
}

/** Writes an output file the user named; a missing directory is their input, not a crash. */
function writeFileOrFail(file: string, text: string): void {
  try {
    writeFileSync(file, text);
  } catch (e) {
    usage(`cannot write ${file}: ${systemReason(e)}`);
  }
}

const program = new Command("steward")
  .description("Stewardship observatory: fork drift, hardware neutrality, API legibility and vendor concentration, from git history alone.")
  .version(VERSION)
  .exitOverride()
  // Options after a subcommand belong to it (`neutrality lint --repo X`, not `neutrality`'s --repo).
  .enablePositionalOptions()
  // Usage errors: one line, "steward: ...", exit 2 (see main()).
  .configureOutput({ outputError: (s, write) => write(`steward: ${s.replace(/^error: /, "").trimEnd()} (see steward --help)\n`) });

program
  .command("drift")
  .summary("measure a fork's private patch: behind/ahead, net patch upstreamed/private/diverged, debt")
  .description(
    "Fork drift of FORK_REF(s) against UPSTREAM_REF (shared/DESIGN.md §3.1). With several fork refs, also the overlap report;\n" +
      "with --history, the same for every ref matching the patterns, ordered by date.",
  )
  .argument("<upstream-ref>", "upstream branch, tag or commit")
  .argument("[fork-refs...]", "fork branch(es), tag(s) or commit(s)")
  .option("--repo <dir>", "repository holding both sides", ".")
  .option("--upstream-repo <path|url>", "take the upstream from this repository (fetched into the workspace cache)", once("--upstream-repo"))
  .option("--fork-repo <path|url>", "take the fork refs from this repository (fetched into the workspace cache); one fork repository per run", once("--fork-repo"))
  .option("--history <pattern>", "a for-each-ref pattern of fork refs to analyse as a time series, e.g. 'refs/remotes/gaudi/1.*' (repeat for more)", collect)
  .option("--cache-dir <dir>", "workspace cache directory (default $STEWARD_CACHE_DIR or ~/.cache/steward)")
  .option(...FETCH_MISSING)
  .option("--json", "print the JSON result (docs/schema/drift.schema.json)")
  .addOption(new Option("--format <format>", "output format").choices(["text", "json", "markdown"]).default("text"))
  .option("--limit <n>", "rows per list in text and markdown output", "15")
  .option("--no-progress", "do not show progress on stderr")
  .action(async (upstream: string, forks: string[], o: OutputOpts & { repo: string; upstreamRepo?: string; forkRepo?: string; history?: string[]; cacheDir?: string; fetchMissing?: boolean }, cmd: Command) => {
    const format = formatOf(o);
    const limit = limitOf(o);
    if (o.history && forks.length) usage(`give either fork refs or --history, not both (fork refs given: ${forks.join(" ")})`);
    // One side from a repository and the other from the current directory is rarely meant: say which is missing.
    if (cmd.getOptionValueSource("repo") !== "cli") {
      if (o.upstreamRepo && !o.forkRepo) usage("--upstream-repo needs --fork-repo PATH|URL (or --repo DIR) for the fork refs");
      if (o.forkRepo && !o.upstreamRepo) usage("--fork-repo needs --upstream-repo PATH|URL (or --repo DIR) for the upstream ref");
    }
    if (!o.history && forks.length === 0) usage("missing fork ref (or --history PATTERN)");
    const progress = progressReporter(o.progress !== false);
    const sources = {
      repo: o.repo,
      ...(o.upstreamRepo ? { upstreamRepo: o.upstreamRepo } : {}),
      ...(o.forkRepo ? { forkRepo: o.forkRepo } : {}),
      ...(o.cacheDir ? { cacheDir: o.cacheDir } : {}),
      fetchMissing: o.fetchMissing === true,
      onProgress: progress.onProgress,
    };
    try {
      const result = o.history ? await driftHistory({ ...sources, upstream, patterns: o.history }) : await drift({ ...sources, upstream, forks });
      progress.done();
      if (format === "json") process.stdout.write(JSON.stringify(result, null, 2) + "\n");
      else if (format === "markdown") writeReport(result, driftMarkdown(result, { limit }));
      else writeReport(result, driftText(result, { limit }));
    } finally {
      progress.done();
    }
  });

program
  .command("demo")
  .summary("write the offline demo portfolio (git repositories with realistic shapes)")
  .argument("[dir]", "where to write it", "steward-demo")
  .option("--force", "replace the demo repositories if DIR already has them")
  .option("--json", "print the manifest as JSON")
  .action(async (dir: string, o: { force?: boolean; json?: boolean }) => {
    const manifest = await generateDemo(dir, { force: Boolean(o.force) });
    if (o.json) {
      process.stdout.write(JSON.stringify(manifest, null, 2) + "\n");
      return;
    }
    process.stdout.write(`Demo portfolio written to ${manifest.dir}\n`);
    for (const r of manifest.repositories) process.stdout.write(`  ${r.kind.padEnd(8)} ${r.path.padEnd(28)} ${r.description}\n`);
    process.stdout.write(`\nTry: steward drift --upstream-repo ${dir}/tensorforge --fork-repo ${dir}/forks/tensorforge-gaudi main 1.2.0\n`);
  });

const deps = program
  .command("deps")
  .summary("requirements at each release; with a config, which versions work together and upgrade lag")
  .argument("[config]", "steward.yaml (portfolio mode: matrix and lag)")
  .option("--repo <dir>", "one repository: the requirements declared at each release tag")
  .option("--tags <pattern>", "with --repo: a for-each-ref pattern of the release tags, e.g. 'refs/tags/v*' (repeat for more)", collect)
  .option(...FETCH_MISSING)
  .option("--json", "print the JSON result")
  .option("--no-progress", "do not show progress on stderr")
  .action(async (file: string | undefined, o: { repo?: string; tags?: string[]; json?: boolean; fetchMissing?: boolean; progress?: boolean }) => {
    if (o.repo || o.tags) {
      if (file) usage(`give either a config or --repo/--tags, not both (config given: ${file})`);
      if (!o.tags) usage("--repo needs --tags PATTERN");
      const patterns = o.tags;
      const r = await withProgress(o, (onProgress) => depsReleases({ repo: o.repo ?? ".", patterns, fetchMissing: o.fetchMissing === true, onProgress }));
      if (o.json) return void process.stdout.write(JSON.stringify(r, null, 2) + "\n");
      writeReport(r, "");
      for (const rel of r.releases) {
        process.stdout.write(`${rel.ref} (${rel.version ?? "no version"}, ${rel.date.slice(0, 10)}): ${rel.requirements.length} requirements in ${rel.files.join(", ") || "no files"}\n`);
        for (const q of rel.requirements) process.stdout.write(`  ${q.name}${q.specifier ? " " + q.specifier : ""}${q.marker ? " ; " + q.marker : ""}  (${q.file}${q.group ? ", extra " + q.group : ""})\n`);
      }
      for (const w of r.warnings) process.stdout.write(`! ${w}\n`);
      return;
    }
    const r = await depsPortfolio(file ?? "steward.yaml");
    if (o.json) return void process.stdout.write(JSON.stringify(r, null, 2) + "\n");
    process.stdout.write("Which project releases each dependent release admits\n");
    for (const m of r.matrix) process.stdout.write(`  ${m.dependent} ${m.version ?? m.release} -> ${m.project} ${m.specifiers.map((s) => s.specifier || "any").join(" & ")}: ${m.admits.join(", ") || "none"}\n`);
    process.stdout.write("Upgrade lag (days from a project release to the first dependent release admitting it)\n");
    // A release no dependent release admits while a later one is admitted was skipped: "not yet" would promise support that will not come.
    const skipped = (l: (typeof r.lag)[number]) => r.lag.some((x) => x.project === l.project && x.dependent === l.dependent && x.days !== null && Date.parse(x.date) > Date.parse(l.date));
    for (const l of r.lag) process.stdout.write(`  ${l.project} ${l.version} (${l.date.slice(0, 10)}) -> ${l.dependent}: ${l.days !== null ? `${l.days} days (${l.firstRelease})` : skipped(l) ? "skipped (a later release is admitted)" : "not yet"}\n`);
    for (const w of r.warnings) process.stdout.write(`! ${w}\n`);
  });

deps
  .command("check")
  .summary("are these portfolio versions co-installable? (steward deps check NAME==VER ...)")
  .argument("<pins...>", "NAME==VERSION of portfolio projects, plugins or downstreams")
  .option("--config <file>", "steward.yaml", "steward.yaml")
  .option("--json", "print JSON")
  .action(async (pins: string[], o: { config: string; json?: boolean }) => {
    const r = await depsCheck(o.config, pins);
    if (o.json) process.stdout.write(JSON.stringify(r, null, 2) + "\n");
    else {
      process.stdout.write(`${r.chosen.map((c) => `${c.name}==${c.version}`).join(" ")}: ${r.coInstallable ? "co-installable" : "NOT co-installable"}\n`);
      for (const x of r.conflicts) {
        if (x.kind === "pin") process.stdout.write(`  ✗ ${x.by} ${x.byVersion} requires ${x.requires}${x.specifier} (${declaredIn(x)}), chosen ${x.chosen}\n`);
        else process.stdout.write(`  ✗ ${x.requires}: ${x.by} ${x.byVersion} requires ${x.specifier} (${declaredIn(x)}), ${x.other.by} ${x.other.byVersion} requires ${x.other.specifier} (${declaredIn(x.other)}): no version satisfies both\n`);
      }
      // A release's several pins on one package come from its per-backend files: name them.
      const shown = (d: (typeof r.shared)[number], k: (typeof r.shared)[number]["constraints"][number]) => `${k.by} ${k.specifier}${d.constraints.filter((x) => x.by === k.by).length > 1 ? ` (${k.file})` : ""}`;
      for (const d of r.shared.filter((x) => x.witness !== null)) process.stdout.write(`  ✓ ${d.name}: ${d.constraints.map((k) => shown(d, k)).join(", ")} (e.g. ${d.witness})\n`);
    }
    if (!r.coInstallable) process.exitCode = 1;
  });

/** Fetches the portfolio's URL repositories, rendering progress on stderr. */
async function fetchWithProgress(file: string, o: { json?: boolean; progress?: boolean }): Promise<FetchSummary> {
  const progress = portfolioProgress(o.progress !== false, "fetching");
  try {
    return await fetchPortfolio(file, {
      onProgress: (e) => (e.kind === "fetch-start" ? progress.start(e.repository) : progress.finish(e.repository, e.state, e.done, e.total, e.error)),
    });
  } finally {
    progress.done();
  }
}

function fetchText(s: FetchSummary): string {
  const fetched = s.repositories.filter((r) => r.state === "fetched");
  const current = fetched.filter((r) => r.changed === 0).length;
  const lines = [`Workspace cache ${s.cacheDir}: ${fetched.length} fetched (${fetched.length - current} with new refs, ${current} up to date), ${s.repositories.length - fetched.length} failed`];
  const width = Math.max(0, ...s.repositories.map((r) => r.name.length));
  for (const r of s.repositories) {
    if (r.state === "failed") lines.push(`  ✗ ${r.name.padEnd(width)}  ${r.error}`);
    else lines.push(`  ✓ ${r.name.padEnd(width)}  ${r.changed ? `${r.changed} of ${r.refs} refs new or moved` : `up to date (${r.refs} refs)`}, ${r.ms} ms  ${r.location}`);
  }
  if (s.local.length) lines.push(`  read in place (local): ${s.local.join(", ")}`);
  return lines.join("\n") + "\n";
}

program
  .command("fetch")
  .summary("bring the portfolio's URL repositories into the workspace cache (forks share their project's store)")
  .argument("[config]", "steward.yaml, or a directory holding one", "steward.yaml")
  .option("--json", "print the fetch summary as JSON")
  .option("--no-progress", "do not show progress on stderr")
  .action(async (file: string, o: { json?: boolean; progress?: boolean }) => {
    const s = await fetchWithProgress(file, o);
    process.stdout.write(o.json ? JSON.stringify(s, null, 2) + "\n" : fetchText(s));
    const failed = s.repositories.filter((r) => r.state === "failed");
    if (failed.length) {
      process.stderr.write(`steward: ${failed.length} of ${s.repositories.length} repositories could not be fetched: ${failed.map((r) => r.name).join(", ")}\n`);
      process.exitCode = 2;
    }
  });

program
  .command("scan")
  .summary("analyse every repository of the portfolio into the store (incremental, resumable)")
  .argument("[config]", "steward.yaml, or a directory holding one", "steward.yaml")
  .option("--fetch", "run steward fetch first (URL repositories are otherwise read as last fetched)")
  .option("--fetch-missing", "for every repository that is a partial clone, fetch the absent blobs the analyses read (per repository: fetchMissing: true in steward.yaml)")
  .option("--queue", "enqueue the tasks whose results are not stored as jobs for steward worker processes (PostgreSQL store), and return")
  .option("--wait", "with --queue: wait until the workers have run every job, showing progress")
  .option("--json", "print the scan summary as JSON")
  .option("--no-progress", "do not show progress on stderr")
  .action(async (file: string, o: { json?: boolean; progress?: boolean; fetch?: boolean; fetchMissing?: boolean; queue?: boolean; wait?: boolean }) => {
    if (o.wait && !o.queue) usage("--wait goes with --queue (an in-process scan always waits)");
    const started = Date.now();
    const fetched = o.fetch ? await fetchWithProgress(file, o) : null;
    if (fetched && !o.json) process.stdout.write(fetchText(fetched));
    if (o.queue) {
      await queuedScan(file, o, fetched, started);
      return;
    }
    const progress = portfolioProgress(o.progress !== false, "analysing");
    let s: ScanSummary;
    try {
      s = await scanPortfolio(file, {
        fetchMissing: o.fetchMissing === true,
        onProgress: (e) => {
          if (e.kind === "start") progress.start(`${e.repository} ${e.analyzer}`);
          else if (e.kind === "task") progress.finish(`${e.repository} ${e.analyzer}`, e.state, e.done, e.total, e.error);
        },
      });
    } finally {
      progress.done();
    }
    if (o.json) process.stdout.write(JSON.stringify(fetched ? { ...s, fetch: fetched } : s, null, 2) + "\n");
    else {
      process.stdout.write(`Scanned ${s.tasks.length} analyses into ${s.store} in ${Date.now() - started} ms: ${s.analysed} analysed, ${s.unchanged} unchanged, ${s.failed} failed\n`);
      for (const t of s.tasks) if (t.state === "failed") process.stdout.write(`  ! ${t.repository} (${t.analyzer}): ${t.error}\n`);
    }
    // As steward fetch: every result that could be computed is stored; a nightly job still sees the rest failed.
    if (s.failed > 0) {
      const failed = [...new Set(s.tasks.filter((t) => t.state === "failed").map((t) => `${t.repository} (${t.analyzer})`))];
      process.stderr.write(`steward: ${s.failed} of ${s.tasks.length} analyses could not be computed: ${failed.join(", ")}\n`);
      process.exitCode = 2;
    }
  });

/** "12 patched upstream members of P, 1 removed and 3 re-signed in v2 since v1, the release it targets". */
function contractHeadlineText(h: Record<string, string | number | null>): string {
  const head = `contract: ${h.contractPatched} patched upstream member${h.contractPatched === 1 ? "" : "s"} of ${h.contractProject}`;
  const target = String(h.contractTarget).replace(/^refs\/tags\//, "");
  if (h.contractNewest === null) return `${head}; it targets ${target}, the newest release`;
  const moved = Number(h.contractMoved) ? `, ${h.contractMoved} moved` : "";
  return `${head}, ${h.contractRemoved} removed${moved} and ${h.contractResigned} re-signed in ${String(h.contractNewest).replace(/^refs\/tags\//, "")} since ${target}, the release it targets`;
}

/** `steward scan --queue [--wait]`: enqueue, and with --wait follow the workers until every job has ended. */
async function queuedScan(file: string, o: { json?: boolean; progress?: boolean; fetchMissing?: boolean; wait?: boolean }, fetched: FetchSummary | null, started: number): Promise<void> {
  const tty = o.progress !== false && process.stderr.isTTY;
  let lastLine = "";
  let noWorkerSaid = false;
  let s: QueueScanSummary;
  try {
    s = await enqueueScan(file, {
      fetchMissing: o.fetchMissing === true,
      wait: o.wait === true,
      onProgress: (e) => {
        // Said even with --no-progress, once each time it becomes true: --wait on a queue nobody works waits forever.
        const idle = e.workers === 0 && e.done < e.total;
        if (idle && !noWorkerSaid) process.stderr.write(`${tty ? "\r\x1b[2K" : ""}steward: no worker seen in the last minute; the jobs wait for one (start it: steward worker ${file})\n`);
        noWorkerSaid = idle;
        if (o.progress === false) return;
        const line = `[${e.done}/${e.total}] jobs ended, ${e.active} running${e.failed ? `, ${e.failed} failed` : ""}`;
        // A terminal gets one line rewritten in place; a log gets a line per change.
        if (tty) process.stderr.write(`\r\x1b[2K${line}`);
        else if (line !== lastLine) process.stderr.write(`${line}\n`);
        lastLine = line;
      },
    });
  } finally {
    if (tty && lastLine) process.stderr.write("\r\x1b[2K");
  }
  if (o.json) process.stdout.write(JSON.stringify(fetched ? { ...s, fetch: fetched } : s, null, 2) + "\n");
  else {
    process.stdout.write(`Queued the scan of ${s.planned} analyses in ${s.store}: ${s.enqueued} enqueued, ${s.alreadyQueued} already queued, ${s.unchanged} unchanged\n`);
    if (s.outcome) process.stdout.write(`Workers finished in ${Date.now() - started} ms: ${s.outcome.analysed} analysed, ${s.outcome.unchanged} unchanged, ${s.outcome.failed} failed\n`);
    for (const t of s.outcome?.tasks ?? []) if (t.state === "failed") process.stdout.write(`  ! ${t.repository} (${t.analyzer}): ${t.error}\n`);
  }
  const failed = s.outcome?.tasks.filter((t) => t.state === "failed") ?? [];
  if (failed.length) {
    process.stderr.write(`steward: ${failed.length} of ${s.planned} analyses could not be computed: ${[...new Set(failed.map((t) => `${t.repository} (${t.analyzer})`))].join(", ")}\n`);
    process.exitCode = 2;
  }
}

program
  .command("worker")
  .summary("run the jobs that steward scan --queue enqueued (one process per core, on any machine reaching the store)")
  .argument("[config]", "steward.yaml, or a directory holding one (the scan's; local paths as seen from this machine)", "steward.yaml")
  .option("--concurrency <n>", "jobs run at once by this process", "1")
  .option("--exit-when-idle", "stop when no job is waiting, retrying or running anywhere (default: wait for more)")
  .option("--cache-dir <dir>", "this worker's own workspace cache for URL repositories (default: the config's cache)")
  .option("--json", "print the worker's summary as JSON when it stops")
  .action(async (file: string, o: { concurrency: string; exitWhenIdle?: boolean; cacheDir?: string; json?: boolean }) => {
    const concurrency = Number(o.concurrency);
    if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64) usage(`--concurrency must be an integer from 1 to 64: ${o.concurrency}`);
    const stop = new AbortController();
    // SIGTERM/SIGINT: no new job; the running ones finish (or are released for another worker).
    const onSignal = () => stop.abort();
    process.on("SIGTERM", onSignal);
    process.on("SIGINT", onSignal);
    const log = (line: string) => process.stderr.write(`steward worker: ${line}\n`);
    try {
      const s = await runWorker(file, {
        concurrency,
        exitWhenIdle: o.exitWhenIdle === true,
        ...(o.cacheDir ? { cacheDir: o.cacheDir } : {}),
        signal: stop.signal,
        onEvent: (e) => {
          if (e.kind === "ready") log(`${e.id} ready, ${e.concurrency} at a time`);
          else if (e.kind === "start") log(`started ${e.repository} ${e.analyzer} (try ${e.attempt} of ${e.attempts}, job ${e.job})`);
          else if (e.kind === "done") log(`${e.state === "failed" ? (e.final ? "failed" : "failed, will retry") : e.state} ${e.repository} ${e.analyzer} in ${e.ms} ms${e.error ? `: ${e.error}` : ""}`);
          else if (e.kind === "fetch") log(`fetching ${e.repository} (${e.location})`);
          else if (e.kind === "waiting-for-database") log(`database unreachable, retrying: ${e.error}`);
          else if (e.kind === "released") log(`released ${e.task} (job ${e.job}) unfinished: another worker retries it`);
          else log("stopping: finishing the running jobs");
        },
      });
      if (o.json) process.stdout.write(JSON.stringify(s, null, 2) + "\n");
      else log(`stopped after ${s.done} jobs (${s.failed} failed for good)`);
    } finally {
      process.off("SIGTERM", onSignal);
      process.off("SIGINT", onSignal);
    }
  });

program
  .command("status")
  .summary("the portfolio at a glance, from the store")
  .argument("[config]", "steward.yaml, or a directory holding one", "steward.yaml")
  .option("--json", "print JSON")
  .action(async (file: string, o: { json?: boolean }) => {
    const st = await portfolioStatus(file);
    if (o.json) {
      process.stdout.write(JSON.stringify(st, null, 2) + "\n");
      return;
    }
    process.stdout.write(`Portfolio ${st.config} (store ${st.store}), last scan ${st.lastScan ?? "never"}\n`);
    const headline = (h: Record<string, string | number | null>) => {
      const parts: string[] = [];
      // Incomplete results lead: their numbers leave out files a partial clone does not hold.
      if ("unreadFiles" in h) parts.push(`INCOMPLETE: ${h.unreadFiles} file(s) not read (partial clone; scan --fetch-missing reads them)`);
      if ("debt" in h) parts.push(`${String(h.ref).replace(/^refs\/(heads|tags)\//, "")}: debt ${h.debt} lines, reconnection ${Math.round(Number(h.reconnection) * 1000) / 10}%, base ${h.baseAgeDays} days old, ${h.behind} behind`);
      if ("coverage" in h) parts.push(`community: elephant factor ${h.elephantFactorBest === h.elephantFactorWorst ? String(h.elephantFactorBest) : `${h.elephantFactorBest}–${h.elephantFactorWorst} (best–worst)`}, top ${h.topOrganization ?? "-"}, coverage ${Math.round(Number(h.coverage) * 100)}%`);
      if ("apiBreaks" in h) parts.push(`api: ${h.apiBreaks} breaks across releases, ${h.apiAnnounced} announced`);
      if ("apiNotApplicable" in h) parts.push("api: no Python package (not analysed; name one with packages: in steward.yaml)");
      if ("contractPatched" in h) parts.push(contractHeadlineText(h));
      if ("lintDebt" in h) parts.push(h.topVendor ? `hardware: ${attributionLabel(String(h.topVendor))} ${Math.round(Number(h.topVendorShare) * 100)}% of vendor lines, lint debt ${h.lintDebt}` : `hardware: no vendor code, lint debt ${h.lintDebt}`);
      if ("releases" in h) parts.push(`${h.releases} releases${h.latestRelease ? `, latest ${h.latestRelease}` : ""}`);
      if ("matrixRows" in h) parts.push(`${h.matrixRows} matrix rows, ${h.releasesAwaitingSupport} project releases no dependent admits yet`);
      return parts;
    };
    for (const r of st.repositories) {
      const a = r.analyzers.map((x) => `${x.analyzer} ${x.ok ? "ok" : "FAILED"}`).join(", ") || "not scanned";
      // One headline fits the line; several go one per line, so a project's line stays readable.
      const parts = r.ok ? headline(r.headline) : [];
      process.stdout.write(`  ${r.ok ? "✓" : "✗"} ${r.kind.padEnd(10)} ${r.name.padEnd(28)} ${a}${parts.length === 1 ? `  ${parts[0]}` : ""}\n`);
      if (parts.length > 1) for (const part of parts) process.stdout.write(`      ${part}\n`);
      // One error shared by every analyzer of a repository (it could not be read) is shown once.
      const errors = new Map<string, string[]>();
      for (const x of r.analyzers) if (x.error) errors.set(x.error, [...(errors.get(x.error) ?? []), x.analyzer]);
      for (const [error, analyzers] of errors) process.stdout.write(`      ${r.analyzers.length > 1 ? `${analyzers.join(", ")}: ` : ""}${error}\n`);
    }
    for (const x of st.portfolio.analyzers) {
      process.stdout.write(`  ${x.ok ? "✓" : "✗"} ${"portfolio".padEnd(10)} ${x.analyzer.padEnd(28)} ${x.ok ? headline(st.portfolio.headline).join("; ") : x.error}\n`);
    }
    const q = st.queue;
    if (q) {
      process.stdout.write(`Queue: ${q.waiting} waiting, ${q.retrying} retrying, ${q.active.length} running, ${q.completed} completed, ${q.failed.length} failed; ${q.workers.length} worker(s) seen in the last minute\n`);
      for (const a of q.active) process.stdout.write(`  running ${a.repository} ${a.analyzer} since ${a.startedAt} (try ${a.try})\n`);
      for (const f of q.failed) process.stdout.write(`  ✗ failed ${f.repository} ${f.analyzer} after ${f.tries} tries (${f.at}): ${f.error}\n`);
      for (const w of q.workers) process.stdout.write(`  worker ${w.id} seen ${w.seenAt}: ${w.done} jobs done, ${w.failed} failed${w.running ? `, running ${w.running}` : ""}\n`);
    }
  });

const neutralityCmd = program
  .command("neutrality")
  .summary("hardware footprint per vendor and layer, concentration, gaps; `lint` and `history` below")
  .description("How much of the code, kernels, tests, CI, docs and build at REF serves each hardware vendor (shared/DESIGN.md §3.3).")
  .argument("[ref]", "branch, tag or commit", "HEAD")
  .option("--repo <dir>", "repository", ".")
  .option("--max-file-size <bytes>", "skip files larger than this", "2097152")
  .option(...FETCH_MISSING)
  .option("--json", "print the JSON result (docs/schema/neutrality.schema.json)")
  .addOption(new Option("--format <format>", "output format").choices(["text", "json"]).default("text"))
  .option("--limit <n>", "rows per list in text output", "15")
  .option("--no-progress", "do not show progress on stderr")
  // `neutrality lint --repo X`: the subcommand's own options, not the parent's.
  .enablePositionalOptions()
  .action(async (ref: string, o: OutputOpts & { repo: string; maxFileSize: string; fetchMissing?: boolean }) => {
    const limit = limitOf(o);
    const progress = progressReporter(o.progress !== false);
    try {
      const r = await neutrality({ repo: o.repo, ref, maxFileBytes: bytesOf(o.maxFileSize), fetchMissing: o.fetchMissing === true, onProgress: (e) => progress.onProgress(neutralityProgress(e)) });
      progress.done();
      if (formatOf(o) === "json") process.stdout.write(JSON.stringify(r, null, 2) + "\n");
      else writeReport(r, footprintText(r, { limit }));
    } finally {
      progress.done();
    }
  });

function bytesOf(s: string): number {
  const n = Number(s);
  if (!Number.isInteger(n) || n < 1) usage(`--max-file-size must be a positive number of bytes: ${s}`);
  return n;
}

function neutralityProgress(e: NeutralityProgress): { kind: "stage"; stage: string; ref?: string } {
  return e.kind === "files" ? { kind: "stage", stage: `${e.done}/${e.total} files`, ...(e.ref ? { ref: e.ref } : {}) } : e;
}

neutralityCmd
  .command("lint")
  .summary("generic code that hard-codes a vendor where the project has an abstraction (exit 1 on new findings)")
  .argument("[ref]", "branch, tag or commit", "HEAD")
  .option("--repo <dir>", "repository", ".")
  .option("--rules <pack>", "rule pack: deepspeed, vllm, pytorch, generic, or a YAML file (default: detected from the tree)")
  .option("--waivers <file>", "YAML: waivers: [{path, rule, reason}]")
  .option("--baseline <file>", "JSON baseline: findings it holds do not fail")
  .option("--write-baseline <file>", "write the current unwaived findings as a baseline and exit 0")
  .option("--staged", "lint what is staged (the index) instead of REF, reporting findings in the staged files: a pre-commit hook")
  .option("--max-file-size <bytes>", "skip files larger than this", "2097152")
  .option(...FETCH_MISSING)
  .option("--json", "print the JSON result (docs/schema/neutrality-lint.schema.json)")
  .addOption(new Option("--format <format>", "output format").choices(["text", "json", "sarif"]).default("text"))
  .option("--limit <n>", "findings shown in text output", "30")
  .option("--no-progress", "do not show progress on stderr")
  .action(async (ref: string, o: OutputOpts & { repo: string; rules?: string; waivers?: string; baseline?: string; writeBaseline?: string; maxFileSize: string; fetchMissing?: boolean; staged?: boolean }) => {
    const limit = limitOf(o);
    const format = formatOf(o);
    const inputs = await loadLintInputs({ ...(o.rules ? { rules: o.rules } : {}), ...(o.waivers ? { waivers: o.waivers } : {}), ...(o.baseline ? { baseline: o.baseline } : {}) });
    const progress = progressReporter(o.progress !== false);
    let r: NeutralityLint;
    try {
      r = await neutralityLint({
        repo: o.repo,
        ref,
        maxFileBytes: bytesOf(o.maxFileSize),
        ...(inputs.pack ? { pack: inputs.pack } : {}),
        waivers: inputs.waivers,
        ...(inputs.baseline ? { baseline: inputs.baseline } : {}),
        ...(o.staged ? { staged: true } : {}),
        fetchMissing: o.fetchMissing === true,
        onProgress: (e) => progress.onProgress(neutralityProgress(e)),
      });
    } finally {
      progress.done();
    }
    if (o.writeBaseline) {
      writeFileOrFail(o.writeBaseline, JSON.stringify(await lintBaseline(r.findings), null, 2) + "\n");
      process.stderr.write(`steward: wrote ${r.findings.filter((f) => !f.waived).length} findings to ${o.writeBaseline}\n`);
      return;
    }
    if (format === "json") process.stdout.write(JSON.stringify(r, null, 2) + "\n");
    else if (format === "sarif") process.stdout.write(JSON.stringify(lintSarif(r, await lintRules(), VERSION), null, 2) + "\n");
    else writeReport(r, lintText(r, { limit }));
    if (r.failing > 0) process.exitCode = 1;
  });

neutralityCmd
  .command("history")
  .summary("footprint and lint debt at every release tag, as a time series")
  .requiredOption("--tags <pattern>", "a for-each-ref pattern of the refs, e.g. 'refs/tags/v*' (repeat for more)", collect)
  .option("--repo <dir>", "repository", ".")
  .option("--rules <pack>", "rule pack for the lint debt (default: detected from the newest ref)")
  .option("--waivers <file>", "YAML: waivers: [{path, rule, reason}]")
  .option("--max-file-size <bytes>", "skip files larger than this", "2097152")
  .option(...FETCH_MISSING)
  .option("--json", "print the JSON result (docs/schema/neutrality-history.schema.json)")
  .option("--no-progress", "do not show progress on stderr")
  .action(async (o: { tags: string[]; repo: string; rules?: string; waivers?: string; maxFileSize: string; json?: boolean; progress?: boolean; fetchMissing?: boolean }) => {
    const inputs = await loadLintInputs({ ...(o.rules ? { rules: o.rules } : {}), ...(o.waivers ? { waivers: o.waivers } : {}) });
    const progress = progressReporter(o.progress !== false);
    try {
      const r = await neutralityHistory({
        repo: o.repo,
        patterns: o.tags,
        maxFileBytes: bytesOf(o.maxFileSize),
        ...(inputs.pack ? { pack: inputs.pack } : {}),
        waivers: inputs.waivers,
        fetchMissing: o.fetchMissing === true,
        onProgress: (e) => progress.onProgress(neutralityProgress(e)),
      });
      progress.done();
      if (o.json) process.stdout.write(JSON.stringify(r, null, 2) + "\n");
      else writeReport(r, historyText(r));
    } finally {
      progress.done();
    }
  });

interface CommunityCliOpts {
  repo: string;
  since?: string;
  until?: string;
  period?: string;
  coauthors?: string;
  window?: string;
  config?: string;
  lenientMailmap?: boolean;
  fetchMissing?: boolean;
  json?: boolean;
  format?: Format;
  limit?: string;
  progress?: boolean;
}

/** The community options from the CLI: identities from --config's steward.yaml, numbers checked. */
async function communityOptions(ref: string, o: CommunityCliOpts) {
  // A portfolio's steward.yaml, or one that holds only `version` and `identities`.
  const identities = o.config ? await loadIdentities(o.config) : undefined;
  const window = Number(o.window ?? 4);
  if (!Number.isInteger(window) || window < 1) usage(`--window must be a positive integer: ${o.window}`);
  return {
    repo: o.repo,
    ref,
    ...(o.since ? { since: o.since } : {}),
    ...(o.until ? { until: o.until } : {}),
    ...(o.period ? { period: o.period as "month" | "quarter" | "year" } : {}),
    ...(o.coauthors ? { coauthors: o.coauthors as "author-only" | "full" | "split" } : {}),
    window,
    ...(o.lenientMailmap ? { lenientMailmap: true } : {}),
    ...(o.fetchMissing ? { fetchMissing: true } : {}),
    ...(identities ? { identities } : {}),
  };
}

program
  .command("community")
  .summary("which organisations write, review and own the code; elephant and bus factors as best/worst intervals")
  .description("Organisations per period, concentration with its uncertainty, who writes which part, the review matrix and CODEOWNERS ownership (shared/DESIGN.md §3.4).")
  .argument("[ref]", "branch, tag or commit", "HEAD")
  .option("--repo <dir>", "repository", ".")
  .option("--since <date>", "first day (YYYY-MM-DD, author date)")
  .option("--until <date>", "last day (YYYY-MM-DD, author date)")
  .addOption(new Option("--period <period>", "period of the time series").choices(["month", "quarter", "year"]).default("quarter"))
  .addOption(new Option("--coauthors <policy>", "credit for Co-authored-by").choices(["author-only", "full", "split"]).default("author-only"))
  .option("--window <n>", "periods in the rolling trend", "4")
  .option("--config <file>", "steward.yaml with identities: aliases, affiliations, bots, domains")
  .option("--lenient-mailmap", "skip .mailmap lines git skips (with a warning) instead of refusing them")
  .option(...FETCH_MISSING)
  .option("--json", "print the JSON result (docs/schema/community.schema.json); same as --format json")
  .addOption(new Option("--format <format>", "output format").choices(["text", "json", "markdown"]).default("text"))
  .option("--limit <n>", "rows per list in text and markdown output", "15")
  .option("--no-progress", "do not show progress on stderr")
  .action(async (ref: string, o: CommunityCliOpts) => {
    const limit = limitOf({ ...(o.limit ? { limit: o.limit } : {}) });
    const progress = progressReporter(o.progress !== false);
    try {
      const r = await community({ ...(await communityOptions(ref, o)), onProgress: (e) => progress.onProgress(e.kind === "commits" ? { kind: "stage", stage: `${e.done} commits` } : e) });
      progress.done();
      const format = formatOf(o);
      process.stdout.write(format === "json" ? JSON.stringify(r, null, 2) + "\n" : format === "markdown" ? communityMarkdown(r, { limit }) : communityText(r, { limit }));
    } finally {
      progress.done();
    }
  });

program
  .command("identities")
  .summary("identities: `unknown` lists the most active ones without an organisation")
  .command("unknown")
  .summary("the most active identities without an organisation, to complete the config where it matters")
  .argument("[ref]", "branch, tag or commit", "HEAD")
  .option("--repo <dir>", "repository", ".")
  .option("--since <date>", "first day (YYYY-MM-DD)")
  .option("--until <date>", "last day (YYYY-MM-DD)")
  .option("--config <file>", "steward.yaml with identities")
  .option("--lenient-mailmap", "skip .mailmap lines git skips (with a warning) instead of refusing them")
  .option("--json", "print JSON; same as --format json")
  .addOption(new Option("--format <format>", "output format").choices(["text", "json"]).default("text"))
  .option("--limit <n>", "rows in text output", "25")
  .option("--owners", "instead: the CODEOWNERS/OWNERS/MAINTAINERS owners not tied to an organisation, or tied only by a heuristic")
  .action(async (ref: string, o: CommunityCliOpts & { owners?: boolean }) => {
    const limit = limitOf({ ...(o.limit ? { limit: o.limit } : {}) });
    const { window: _w, ...opts } = await communityOptions(ref, o);
    void _w;
    if (o.owners) {
      const r = await ownersToResolve(opts);
      process.stdout.write(formatOf(o) === "json" ? JSON.stringify(r, null, 2) + "\n" : ownersToResolveText(r, { limit }));
      return;
    }
    const r = await unknownIdentities(opts);
    process.stdout.write(formatOf(o) === "json" ? JSON.stringify(r, null, 2) + "\n" : unknownIdentitiesText(r, { limit }));
  });

/** Runs one analysis with its progress on stderr (a terminal only, unless --no-progress), cleared when it ends. */
async function withProgress<T>(o: { progress?: boolean }, run: (onProgress: (e: DriftProgress) => void) => Promise<T>): Promise<T> {
  const progress = progressReporter(o.progress !== false);
  try {
    return await run(progress.onProgress);
  } finally {
    progress.done();
  }
}

const apiCmd = program.command("api").summary("Python API change legibility: surface, diff with deprecation verdicts, history, downstream impact, plugin contracts");

apiCmd
  .command("surface")
  .summary("the public API model at a ref: modules, classes, functions, signatures, re-exports, __all__")
  .argument("<ref>", "branch, tag or commit")
  .option("--repo <dir>", "repository", ".")
  .option("--package <name>", "package to read, repeatable (default: from pyproject.toml, setup.py or the tree)", collect)
  .option(...FETCH_MISSING)
  .option("--json", "print JSON (docs/schema/api-surface.schema.json)")
  .option("--no-progress", "do not show progress on stderr")
  .option("--limit <n>", "objects shown in text output", "40")
  .action(async (ref: string, o: { repo: string; package?: string[]; fetchMissing?: boolean; json?: boolean; progress?: boolean; limit?: string }) => {
    const r = await withProgress(o, (onProgress) => apiSurface({ repo: o.repo, ref, ...(o.package ? { packages: o.package } : {}), fetchMissing: o.fetchMissing === true, onProgress }));
    if (o.json) process.stdout.write(JSON.stringify(r, null, 2) + "\n");
    else writeReport(r, surfaceText(r, { limit: limitOf({ ...(o.limit ? { limit: o.limit } : {}) }) }));
  });

apiCmd
  .command("diff")
  .summary("breaking changes between two refs, each announced by a deprecation or not; additions; suggested bump")
  .argument("<from>", "earlier ref")
  .argument("<to>", "later ref")
  .option("--repo <dir>", "repository", ".")
  .option("--package <name>", "package to read, repeatable (default: from pyproject.toml, setup.py or the tree)", collect)
  .option(...FETCH_MISSING)
  .option("--json", "print JSON (docs/schema/api-diff.schema.json)")
  .option("--no-progress", "do not show progress on stderr")
  .option("--limit <n>", "findings shown in text output", "30")
  .action(async (from: string, to: string, o: { repo: string; package?: string[]; fetchMissing?: boolean; json?: boolean; progress?: boolean; limit?: string }) => {
    const r = await withProgress(o, (onProgress) => apiDiff({ repo: o.repo, from, to, ...(o.package ? { packages: o.package } : {}), fetchMissing: o.fetchMissing === true, onProgress }));
    if (o.json) process.stdout.write(JSON.stringify(r, null, 2) + "\n");
    else writeReport(r, apiDiffText(r, { limit: limitOf({ ...(o.limit ? { limit: o.limit } : {}) }) }));
  });

apiCmd
  .command("history")
  .summary("the deprecation ledger across consecutive releases: breaks, share announced, median grace")
  .requiredOption("--tags <pattern>", "a for-each-ref pattern of the releases, e.g. 'refs/tags/v*' (repeat for more)", collect)
  .option("--repo <dir>", "repository", ".")
  .option("--package <name>", "package to read, repeatable (default: from pyproject.toml, setup.py or the tree)", collect)
  .option(...FETCH_MISSING)
  .option("--json", "print JSON (docs/schema/api-history.schema.json)")
  .option("--no-progress", "do not show progress on stderr")
  .action(async (o: { tags: string[]; repo: string; package?: string[]; fetchMissing?: boolean; json?: boolean; progress?: boolean }) => {
    const r = await withProgress(o, (onProgress) => apiHistory({ repo: o.repo, patterns: o.tags, ...(o.package ? { packages: o.package } : {}), fetchMissing: o.fetchMissing === true, onProgress }));
    if (o.json) process.stdout.write(JSON.stringify(r, null, 2) + "\n");
    else writeReport(r, apiHistoryText(r));
  });

apiCmd
  .command("impact")
  .summary("the downstream imports and calls the breaks hit, and downstream coupling to upstream private names")
  .argument("<from>", "earlier ref")
  .argument("<to>", "later ref")
  .requiredOption("--downstream <spec>", "downstream repository as PATH[:REF] (default ref HEAD), repeatable", collect)
  .option("--repo <dir>", "upstream repository", ".")
  .option("--package <name>", "upstream package, repeatable (default: from pyproject.toml, setup.py or the tree)", collect)
  .option(...FETCH_MISSING)
  .option("--json", "print JSON (docs/schema/api-impact.schema.json)")
  .option("--no-progress", "do not show progress on stderr")
  .option("--limit <n>", "rows in text output", "30")
  .action(async (from: string, to: string, o: { downstream: string[]; repo: string; package?: string[]; fetchMissing?: boolean; json?: boolean; progress?: boolean; limit?: string }) => {
    const r = await withProgress(o, (onProgress) => apiImpact({ repo: o.repo, from, to, downstreams: o.downstream, ...(o.package ? { packages: o.package } : {}), fetchMissing: o.fetchMissing === true, onProgress }));
    if (o.json) process.stdout.write(JSON.stringify(r, null, 2) + "\n");
    else writeReport(r, apiImpactText(r, { limit: limitOf({ ...(o.limit ? { limit: o.limit } : {}) }) }));
  });

apiCmd
  .command("contract")
  .summary("everything a plugin couples to in its upstream at a ref: imports, calls, subclasses, overrides, patches, registrations")
  .argument("<ref>", "upstream ref the downstream is read against")
  .requiredOption("--downstream <spec>", "downstream repository as PATH[:REF] (default ref HEAD)", once("--downstream"))
  .option("--repo <dir>", "upstream repository", ".")
  .option("--package <name>", "upstream package, repeatable (default: from pyproject.toml, setup.py or the tree)", collect)
  .option(...FETCH_MISSING)
  .option("--json", "print JSON (docs/schema/api-contract.schema.json)")
  .option("--no-progress", "do not show progress on stderr")
  .option("--limit <n>", "rows in text output", "30")
  .action(async (ref: string, o: { downstream: string; repo: string; package?: string[]; fetchMissing?: boolean; json?: boolean; limit?: string; progress?: boolean }) => {
    const r = await withProgress(o, (onProgress) => apiContract({ repo: o.repo, ref, downstream: o.downstream, ...(o.package ? { packages: o.package } : {}), fetchMissing: o.fetchMissing === true, onProgress }));
    if (o.json) process.stdout.write(JSON.stringify(r, null, 2) + "\n");
    else writeReport(r, apiContractText(r, { limit: limitOf({ ...(o.limit ? { limit: o.limit } : {}) }) }));
  });

registerReport(program);

const config = program.command("config").summary("portfolio configuration (steward.yaml)");
config
  .command("check")
  .summary("validate a steward.yaml and list its repositories")
  .argument("[config]", "the file, or a directory holding steward.yaml", "steward.yaml")
  .option("--json", "print the validated configuration as JSON")
  .action(async (file: string, o: { json?: boolean }) => {
    const { config: c, repositories: repos, problems } = await loadPortfolio(file);
    const errors = problems.filter((p) => p.level === "error");
    if (errors.length) usage(`${file}: ${errors[0]!.name}: ${errors[0]!.message}${errors.length > 1 ? ` (and ${errors.length - 1} more: ${errors.slice(1).map((p) => p.name).join(", ")})` : ""}`);
    if (o.json) {
      process.stdout.write(JSON.stringify({ ...c, store: c.store === undefined ? undefined : storeLabel(c.store), storeLocation: storeLabel(c.storeLocation), repositories: repos, problems }, null, 2) + "\n");
      return;
    }
    process.stdout.write(`${file}: valid (${repos.length} repositories; store ${storeLabel(c.storeLocation)})\n`);
    for (const r of repos) process.stdout.write(`  ${r.kind.padEnd(10)} ${r.name.padEnd(28)} ${r.location}\n`);
    for (const p of problems) process.stdout.write(`  ! ${p.name}: ${p.message}\n`);
  });

registerCheck(program);

/**
 * `neutrality --repo R lint`, `deps --json check`: an option written before the subcommand is
 * parsed by the parent. The subcommand adopts it when it has the same option (unless given again
 * after it); an option the subcommand does not have is refused rather than dropped.
 */
program.hook("preAction", (_root, action) => {
  const parent = action.parent;
  if (!parent || parent === program) return;
  for (const opt of parent.options) {
    const key = opt.attributeName();
    if (parent.getOptionValueSource(key) !== "cli") continue;
    const own = action.options.find((x) => x.attributeName() === key);
    if (!own) usage(`${opt.long ?? opt.flags} is not an option of 'steward ${parent.name()} ${action.name()}' (see steward ${parent.name()} ${action.name()} --help)`);
    if (action.getOptionValueSource(key) !== "cli") action.setOptionValueWithSource(key, parent.getOptionValue(key), "cli");
  }
});

/** Usage errors point to the help of the command they concern: `(see steward neutrality lint --help)`. */
function pointToOwnHelp(cmd: Command, path: string[]): void {
  for (const sub of cmd.commands) {
    const full = [...path, sub.name()];
    sub.configureOutput({ outputError: (s, write) => write(`steward: ${s.replace(/^error: /, "").trimEnd()} (see steward ${full.join(" ")} --help)\n`) });
    pointToOwnHelp(sub, full);
  }
}
pointToOwnHelp(program, []);

async function main(argv: string[]): Promise<number> {
  try {
    await program.parseAsync(argv);
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === "commander.helpDisplayed" || e.code === "commander.version" || e.code === "commander.help") return 0;
      if (e.code === "steward.usage") process.stderr.write(`steward: ${e.message}\n`);
      return 2;
    }
    if (isStewardError(e)) {
      process.stderr.write(`steward: ${e.message}\n`);
      return e.exitCode;
    }
    // A path the user gave (or one under it) that cannot be created, read or written.
    if (isSystemError(e)) {
      process.stderr.write(`steward: cannot ${e.syscall ?? "use"} ${e.path}: ${systemReason(e)}\n`);
      return 2;
    }
    throw e;
  }
}

// `steward ... | head`: a closed pipe ends the output, not with a stack trace.
process.stdout.on("error", (e: NodeJS.ErrnoException) => {
  if (e.code === "EPIPE") process.exit(0);
  throw e;
});

main(process.argv).then(
  (code) => {
    // A command may have set 1 (findings, e.g. not co-installable); errors set 2.
    process.exitCode = code === 0 ? (process.exitCode ?? 0) : code;
    // Safety net: a child process left open by a bug must not hang a CI job.
    setTimeout(() => process.exit(code), 5000).unref();
  },
  (e: unknown) => {
    process.stderr.write(`steward: internal error\n${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exitCode = 70;
  },
);
