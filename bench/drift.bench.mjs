#!/usr/bin/env node
// Steward drift benchmark (plain ESM; run with `npm run bench`, which builds dist/ first).
//
// 1. Generates, deterministically (seeded PRNG), a repository with a long upstream
//    history (~4,000 commits over two years, ~1,500 Python-like files) and a
//    squashed fork: 20 release branches, each ONE "content drop" commit on an
//    upstream commit ~4 months older than the drop, carrying the previous drops'
//    changes forward plus new ones; some fork content is later adopted verbatim
//    by upstream (upstreamed), some upstream rewrites fork-touched regions (diverged).
// 2. Times the git baseline (diff -U0 + cherry), `steward drift` on one pair and
//    `steward drift --history` over the 20 release refs, with peak RSS, and checks
//    Steward's net-patch totals against `git diff --numstat`.
// 3. Prints a markdown table and writes it (with parameters and machine facts) to
//    bench/results.md. Exit 1 only on a correctness mismatch or a crash.

import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, openSync, closeSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { mulberry32 } from "../dist/demo/content.js";
import { HistoryBuilder } from "../dist/git/builder.js";

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, "..");
const CLI = join(ROOT, "dist", "cli", "main.js");
const RESULTS = join(HERE, "results.md");

// ---------------------------------------------------------------------------
// Parameters
// ---------------------------------------------------------------------------

const P = {
  seed: 0x5ee0d,
  upstreamCommits: 4000,
  days: 730,
  start: Date.UTC(2023, 0, 2, 9, 0, 0),
  initialFiles: 1420,
  fileLines: [30, 300],
  addFileProb: 0.03,
  deleteFileProb: 0.008,
  filesPerCommit: [1, 4],
  releases: 20,
  firstBaseDay: 20,
  baseSpacingDays: 30.5,
  dropLagDays: 120,
  // Fork patch units: the first drop, then new units per later drop.
  firstDrop: { newFiles: 30, edits: 150, removals: 4 },
  laterDrop: { newFiles: 1, edits: 3 },
  newFileLines: [30, 130],
  editAdd: [4, 42],
  editDelProb: 0.6,
  editDel: [1, 11],
  evolveProb: 0.05,
  upstreamProb: 0.025,
  upstreamDelayDays: [20, 200],
  rewriteProb: 0.01,
  rewriteDelayDays: [10, 150],
};

const DAY = 86_400_000;

// ---------------------------------------------------------------------------
// Deterministic randomness
// ---------------------------------------------------------------------------

const rand = mulberry32(P.seed);
const int = (lo, hi) => lo + Math.floor(rand() * (hi - lo + 1));
const pick = (arr) => arr[Math.floor(rand() * arr.length)];
const chance = (p) => rand() < p;

const WORDS = (
  "alpha beta gamma delta tensor shape stride dtype device stream event graph node edge kernel launch grid block " +
  "warp lane shard rank world group bucket buffer cache page slab arena pool alloc free copy fill scale bias weight " +
  "grad loss step epoch batch sample token vocab embed attn head query key value mask causal rotary norm layer " +
  "linear conv pool relu gelu silu softmax logits probs topk beam sched warmup decay clip momentum adam sgd param " +
  "state dict module config option flag level mode phase span trace timer clock counter metric gauge hist bin " +
  "quant dequant int8 fp16 bf16 fp8 packed tile split merge fuse lower emit pass rewrite pattern match region " +
  "loop index offset length count limit bound range slice chunk window stride pad crop resize reorder permute view " +
  "reshape expand squeeze gather scatter reduce sum mean max min argmax cumsum sort unique where select masked " +
  "load store read write flush sync barrier fence signal wait poll queue worker thread task future promise result " +
  "error retry timeout backoff handle socket channel peer route table entry record frame packet header payload"
).split(" ");

const wordsN = (n) => Array.from({ length: n }, () => pick(WORDS)).join(" ");
const ident = () => (chance(0.5) ? `${pick(WORDS)}_${pick(WORDS)}` : `${pick(WORDS)}${int(0, 99)}`);

function codeLine(indent) {
  const ind = " ".repeat(indent);
  switch (int(0, 11)) {
    case 0:
    case 1:
      return `${ind}${ident()} = ${ident()}(${ident()}, ${int(0, 4096)})`;
    case 2:
      return `${ind}if ${ident()} ${pick([">", "<", "==", "!=", ">="])} ${int(0, 512)}:`;
    case 3:
      return `${ind}return ${ident()} ${pick(["+", "-", "*", "//", "%"])} ${ident()}`;
    case 4:
      return `${ind}${ident()}.${ident()}(${ident()}=${ident()})`;
    case 5:
      return `${ind}# ${wordsN(int(3, 9))}`;
    case 6:
      return `${ind}for ${ident()} in range(${ident()}, ${int(1, 64)}):`;
    case 7:
      return `${ind}self.${ident()} = ${ident()}[${int(0, 31)}]`;
    case 8:
      return "";
    case 9:
      return `${ind}assert ${ident()} is not None, "${wordsN(int(2, 6))}"`;
    case 10:
      return `${ind}logger.debug("${wordsN(int(2, 5))} %s", ${ident()})`;
    default:
      return `${ind}${ident()} += ${ident()} * ${int(1, 9)}`;
  }
}

/** A Python-like function: def line, body, blank line. */
function functionBlock(maxLines) {
  const out = [`def ${ident()}(${ident()}, ${ident()}=${int(0, 64)}):`];
  const body = Math.max(1, Math.min(int(3, 14), maxLines - 2));
  for (let i = 0; i < body; i++) out.push(codeLine(4 + (chance(0.3) ? 4 : 0)));
  out.push("");
  return out;
}

function newFileLines(n) {
  const lines = [`"""${wordsN(int(4, 9))}."""`, "", `import ${pick(WORDS)}`, `from ${pick(WORDS)}.${pick(WORDS)} import ${ident()}`, ""];
  while (lines.length < n) lines.push(...functionBlock(n - lines.length));
  return lines.slice(0, n);
}

/** A run of body lines, to insert inside a file. */
function bodyLines(n) {
  const out = [];
  while (out.length < n) {
    if (n - out.length > 5 && chance(0.3)) out.push(...functionBlock(n - out.length));
    else out.push(codeLine(4));
  }
  return out.slice(0, n);
}

const text = (lines) => lines.join("\n") + "\n";

// ---------------------------------------------------------------------------
// Layout and people
// ---------------------------------------------------------------------------

const TOP = ["core", "nn", "ops", "optim", "data", "utils", "distributed", "compiler", "runtime", "kernels", "quant", "serving", "io", "models"];
const DIRS = [];
for (const t of TOP) {
  const subs = int(2, 5);
  for (let i = 0; i < subs; i++) DIRS.push(`tensorlite/${t}/${pick(WORDS)}${i}`);
}
DIRS.push("tests/unit", "tests/integration", "tools", "benchmarks");

const UPSTREAM_PEOPLE = Array.from({ length: 24 }, (_, i) => ({
  name: `Upstream Dev ${String.fromCharCode(65 + (i % 26))}${i}`,
  email: `dev${i}@upstream.example.org`,
}));
const FORK_PERSON = { name: "Fork Integration", email: "integration@fork.example.com" };
const ADOPTER = { name: "Upstream Maintainer", email: "maintainer@upstream.example.org" };

const iso = (ms) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
let fileCounter = 0;
const newPath = (dir, prefix = "") => `${dir}/${prefix}${pick(WORDS)}_${pick(WORDS)}_${fileCounter++}.py`;

// ---------------------------------------------------------------------------
// Fork patch units: how a squashed fork re-applies its changes onto a new base
// ---------------------------------------------------------------------------

/** Edit of an existing file: insert `add` after the anchor line, deleting `del` right after it. */
function applyEdit(lines, u) {
  let at = -1;
  if (u.anchor !== null) at = lines.indexOf(u.anchor);
  if (at < 0) at = Math.min(lines.length - 1, Math.floor(u.frac * lines.length));
  const out = lines.slice(0, at + 1);
  let rest = at + 1;
  if (u.del.length && u.del.every((l, i) => lines[rest + i] === l)) rest += u.del.length;
  out.push(...u.add, ...lines.slice(rest));
  return out;
}

function makeEditUnit(id, path, lines) {
  const maxAnchor = Math.max(1, lines.length - 10);
  let a = int(3, maxAnchor);
  // Anchor on a distinctive line (not blank, not a comment) so it can be found again.
  for (let k = 0; k < 10 && (lines[a] === "" || /^\s*#/.test(lines[a] ?? "")); k++) a = int(3, maxAnchor);
  const del = chance(P.editDelProb) ? lines.slice(a + 1, a + 1 + int(...P.editDel)) : [];
  const add = [`    # HPU: ${wordsN(int(3, 7))}`, ...bodyLines(int(...P.editAdd))];
  return { id, kind: "edit", path, anchor: lines[a] ?? null, frac: a / lines.length, add, del, upstreamedAt: null, scheduled: false };
}

// ---------------------------------------------------------------------------
// Generation
// ---------------------------------------------------------------------------

function generate() {
  const b = new HistoryBuilder();
  const tree = new Map(); // path -> lines (arrays are never mutated in place)
  const paths = [];
  const pathIndex = new Map();
  const addPath = (p, lines) => {
    tree.set(p, lines);
    pathIndex.set(p, paths.length);
    paths.push(p);
  };
  const removePath = (p) => {
    tree.delete(p);
    const i = pathIndex.get(p);
    const last = paths.pop();
    if (last !== p) {
      paths[i] = last;
      pathIndex.set(last, i);
    }
    pathIndex.delete(p);
  };
  // Hot files get more edits: skewed pick over the path list.
  const pickHot = () => paths[Math.floor(paths.length * rand() ** 1.6)];

  // Release plan: base day, drop day.
  const releases = Array.from({ length: P.releases }, (_, i) => {
    const baseDay = P.firstBaseDay + i * P.baseSpacingDays + (rand() - 0.5) * 6;
    return { name: `release/1.${i}`, baseDay, dropDay: baseDay + P.dropLagDays + (rand() - 0.5) * 12, base: null, snapshot: null, baseIndex: -1, done: false };
  });

  const units = [];
  const deletedAt = new Map(); // path -> upstream commit index that deleted it
  const lastEditAt = new Map(); // path -> last upstream commit index that edited it (ordinary commits)
  const events = []; // scheduled upstream events: { day, kind: "adopt"|"rewrite", unit }
  const step = (P.days * DAY) / P.upstreamCommits;
  let commitIndex = -1;
  let lastMs = P.start - 1000;
  const marks = [];
  const stats = { upstreamFilesAdded: 0, upstreamFilesDeleted: 0, adopted: 0, rewrites: 0, drops: [] };

  // Initial import.
  {
    const files = {};
    for (let i = 0; i < P.initialFiles; i++) {
      const p = newPath(pick(DIRS));
      const lines = newFileLines(int(...P.fileLines));
      addPath(p, lines);
      files[p] = text(lines);
    }
    commitIndex = 0;
    marks.push(b.commit({ branch: "main", message: "Initial import", author: { ...pick(UPSTREAM_PEOPLE), date: iso(P.start) }, files }));
    lastMs = P.start;
  }

  const makeDrop = (r, ri) => {
    const base = r.snapshot;
    // New units of this drop.
    const spec = ri === 0 ? P.firstDrop : P.laterDrop;
    const touched = new Set(units.filter((u) => u.kind !== "new").map((u) => u.path));
    const existing = [...base.keys()].sort();
    for (let i = 0; i < spec.newFiles; i++) {
      const dir = chance(0.4) ? `tensorlite/backends/hpu/${pick(["ops", "runtime", "graph", "kernels"])}` : pick(DIRS);
      units.push({ id: units.length, kind: "new", path: newPath(dir, "hpu_"), lines: newFileLines(int(...P.newFileLines)), upstreamedAt: null, scheduled: false });
    }
    for (let i = 0; i < spec.edits; i++) {
      let p;
      for (let k = 0; k < 20 && (!p || touched.has(p)); k++) p = pick(existing);
      touched.add(p);
      units.push(makeEditUnit(units.length, p, base.get(p)));
    }
    for (let i = 0; i < (spec.removals ?? 0); i++) {
      let p;
      for (let k = 0; k < 20 && (!p || touched.has(p)); k++) p = pick(existing);
      touched.add(p);
      units.push({ id: units.length, kind: "rm", path: p, upstreamedAt: null, scheduled: false });
    }
    // Carried units evolve a little (new lines in this drop), unless upstream is adopting them.
    if (ri > 0) {
      for (const u of units) {
        if (u.scheduled || u.upstreamedAt !== null || !chance(P.evolveProb)) continue;
        if (u.kind === "edit") u.add = [...u.add, ...bodyLines(int(2, 6))];
        else if (u.kind === "new") u.lines = [...u.lines, ...functionBlock(int(4, 8))];
      }
    }
    // Re-apply every unit not already in the base onto the new base.
    const files = new Map();
    for (const u of units) {
      if (u.upstreamedAt !== null && u.upstreamedAt <= r.baseIndex) continue;
      if (u.kind === "new") {
        if (!base.has(u.path)) files.set(u.path, u.lines);
      } else if (u.kind === "rm") {
        if (base.has(u.path)) files.set(u.path, null);
      } else {
        const cur = files.has(u.path) ? files.get(u.path) : base.get(u.path);
        if (cur) files.set(u.path, applyEdit(cur, u));
      }
    }
    const dropMs = P.start + r.dropDay * DAY;
    const commitFiles = {};
    for (const [p, l] of files) commitFiles[p] = l === null ? null : text(l);
    r.mark = b.commit({
      branch: r.name,
      parents: [r.base],
      message: `Content drop ${r.name.slice(8)}\n\nSquashed fork changes re-applied on upstream ${iso(P.start + r.baseDay * DAY).slice(0, 10)}.`,
      author: { ...FORK_PERSON, date: iso(dropMs) },
      files: commitFiles,
    });
    stats.drops.push({ ref: r.name, files: files.size, units: units.length });
    // Which unit each path of the drop comes from (one unit per path), for the ground truth.
    r.applied = [];
    for (const u of units) if (files.has(u.path) && !r.applied.some((a) => a.path === u.path)) r.applied.push({ path: u.path, unit: u });
    // Schedule upstream adoption (verbatim) and rewrites of fork-touched regions.
    for (const u of units) {
      if (u.scheduled || u.upstreamedAt !== null) continue;
      if (chance(P.upstreamProb)) {
        u.scheduled = true;
        events.push({ day: r.dropDay + int(...P.upstreamDelayDays), kind: "adopt", unit: u });
      } else if (u.kind === "edit" && chance(P.rewriteProb)) {
        events.push({ day: r.dropDay + int(...P.rewriteDelayDays), kind: "rewrite", unit: u });
      }
    }
    events.sort((x, y) => x.day - y.day || x.unit.id - y.unit.id);
    r.done = true;
  };

  for (let k = 1; k < P.upstreamCommits; k++) {
    const ms = Math.max(lastMs + 60_000, Math.round(P.start + k * step + (rand() - 0.5) * step * 0.6));
    const day = (ms - P.start) / DAY;
    // Releases whose base date has passed take a snapshot of the current tip; due drops are made.
    for (const [ri, r] of releases.entries()) {
      if (!r.snapshot && day > r.baseDay) {
        r.snapshot = new Map(tree);
        r.base = marks[marks.length - 1];
        r.baseIndex = commitIndex;
      }
      if (r.snapshot && !r.done && day > r.dropDay) makeDrop(r, ri);
    }
    const files = {};
    let message;
    let author = pick(UPSTREAM_PEOPLE);
    if (events.length && events[0].day <= day) {
      const e = events.shift();
      const u = e.unit;
      if (e.kind === "adopt") {
        author = ADOPTER;
        message = `Adopt fork change ${u.id} (${u.kind} ${u.path.split("/").pop()})`;
        if (u.kind === "new" && !tree.has(u.path)) {
          addPath(u.path, u.lines);
          files[u.path] = text(u.lines);
        } else if (u.kind === "rm" && tree.has(u.path)) {
          removePath(u.path);
          files[u.path] = null;
        } else if (u.kind === "edit" && tree.has(u.path)) {
          const l = applyEdit(tree.get(u.path), u);
          tree.set(u.path, l);
          files[u.path] = text(l);
        }
        u.upstreamedAt = commitIndex + 1;
        stats.adopted++;
      } else if (tree.has(u.path)) {
        // Rewrite the region around the fork's anchor (and move on: the fork's pre-image is gone).
        const lines = tree.get(u.path);
        let at = lines.indexOf(u.anchor);
        if (at < 0) at = Math.floor(u.frac * lines.length);
        const l = [...lines.slice(0, Math.max(0, at - 2)), ...bodyLines(int(6, 14)), ...lines.slice(at + 3 + u.del.length)];
        tree.set(u.path, l);
        files[u.path] = text(l);
        message = `Refactor ${u.path.split("/").pop()}`;
        stats.rewrites++;
        if (u.rewrittenAt === undefined) u.rewrittenAt = commitIndex + 1;
      }
    }
    if (!message) {
      message = `${pick(["Fix", "Improve", "Refactor", "Speed up", "Clean up", "Add", "Support"])} ${wordsN(int(2, 5))}`;
      const n = int(...P.filesPerCommit);
      for (let f = 0; f < n; f++) {
        const p = pickHot();
        if (p in files) continue;
        const lines = tree.get(p);
        const op = rand();
        let l;
        if (op < 0.5) {
          l = lines.slice();
          for (let j = int(1, 4); j > 0; j--) l[int(0, l.length - 1)] = codeLine(4);
        } else if (op < 0.85 || lines.length < 40) {
          const at = int(1, lines.length);
          l = [...lines.slice(0, at), ...bodyLines(int(2, 18)), ...lines.slice(at)];
        } else {
          const at = int(1, lines.length - 8);
          l = [...lines.slice(0, at), ...lines.slice(at + int(1, 5))];
        }
        tree.set(p, l);
        files[p] = text(l);
        lastEditAt.set(p, commitIndex + 1);
      }
      if (chance(P.addFileProb)) {
        const p = newPath(pick(DIRS));
        const l = newFileLines(int(...P.fileLines));
        addPath(p, l);
        files[p] = text(l);
        stats.upstreamFilesAdded++;
      }
      if (chance(P.deleteFileProb) && paths.length > 100) {
        const p = paths[int(0, paths.length - 1)];
        if (!(p in files)) {
          removePath(p);
          files[p] = null;
          stats.upstreamFilesDeleted++;
          deletedAt.set(p, commitIndex + 1);
        }
      }
    }
    marks.push(b.commit({ branch: "main", message, author: { ...author, date: iso(ms) }, files }));
    commitIndex++;
    lastMs = ms;
  }
  for (const [ri, r] of releases.entries()) if (!r.done) throw new Error(`release ${r.name} never dropped (ri ${ri})`);
  stats.upstreamCommits = marks.length;
  stats.upstreamFilesAtTip = tree.size;
  stats.lastDay = (lastMs - P.start) / DAY;
  stats.units = units.length;
  stats.unitsAdopted = units.filter((u) => u.upstreamedAt !== null).length;
  // Ground truth for the last release: what each changed path should classify as, by construction.
  const last = releases[releases.length - 1];
  const truth = new Map();
  for (const { path, unit: u } of last.applied) {
    const after = (i) => i !== undefined && i !== null && i > last.baseIndex;
    truth.set(
      path,
      after(u.upstreamedAt)
        ? "upstreamed"
        : after(deletedAt.get(path))
          ? u.kind === "rm"
            ? "upstreamed"
            : "diverged"
          : after(u.rewrittenAt)
            ? "diverged"
            : "private",
    );
  }
  const editedSinceBase = new Set([...lastEditAt].filter(([, i]) => i > last.baseIndex).map(([p]) => p));
  return { builder: b, stats, releases, truth, editedSinceBase };
}

// ---------------------------------------------------------------------------
// Measurement helpers
// ---------------------------------------------------------------------------

const log = (s) => process.stderr.write(`[bench] ${s}\n`);

function git(dir, args, opts = {}) {
  const r = spawnSync("git", ["-C", dir, ...args], { maxBuffer: 1 << 30, encoding: opts.encoding ?? "utf8" });
  if (r.status !== 0) throw new Error(`git ${args.join(" ")} failed: ${r.stderr}`);
  return r.stdout;
}

function timeMs(fn) {
  const t = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - t) / 1e6;
}

/** GNU time's %M (peak RSS of the child and the largest of its waited-for descendants), if available. */
function haveGnuTime() {
  if (!existsSync("/usr/bin/time")) return false;
  const r = spawnSync("/usr/bin/time", ["-f", "%M", "true"], { encoding: "utf8" });
  return r.status === 0 && /^\d+\s*$/.test(r.stderr.trim().split("\n").pop() ?? "");
}
// STEWARD_BENCH_RSS=proc forces the /proc method (what a machine without GNU time gets).
const GNU_TIME = process.env.STEWARD_BENCH_RSS !== "proc" && haveGnuTime();
const RSS_METHOD = GNU_TIME
  ? "/usr/bin/time -f %M (the larger of the process and its largest git child)"
  : "/proc/PID/status VmHWM polled every 10 ms (the measured process only, not its git children)";

/**
 * Runs `node args` with stdout to a file; resolves { ms, rssKiB, code, stderr }.
 * The timing includes /usr/bin/time's own fork+exec (about a millisecond).
 */
function runNode(args, outFile, tmp) {
  return runMeasured(process.execPath, args, outFile, tmp);
}

function runMeasured(file, args, outFile, tmp) {
  return new Promise((resolvePromise, reject) => {
    const out = openSync(outFile, "w");
    const rssFile = join(tmp, "rss.txt");
    const [cmd, argv] = GNU_TIME ? ["/usr/bin/time", ["-f", "%M", "-o", rssFile, file, ...args]] : [file, args];
    const t0 = process.hrtime.bigint();
    const child = spawn(cmd, argv, { cwd: ROOT, stdio: ["ignore", out, "pipe"] });
    let stderr = "";
    let hwm = 0;
    child.stderr.on("data", (d) => (stderr += d));
    const poll = GNU_TIME
      ? null
      : setInterval(() => {
          try {
            const m = /VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, "utf8"));
            if (m) hwm = Math.max(hwm, Number(m[1]));
          } catch {
            /* exited */
          }
        }, 10);
    child.on("error", reject);
    child.on("close", (code) => {
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      if (poll) clearInterval(poll);
      closeSync(out);
      let rssKiB = hwm;
      if (GNU_TIME) {
        const lines = readFileSync(rssFile, "utf8").trim().split("\n");
        rssKiB = Number(lines[lines.length - 1]);
      }
      resolvePromise({ ms, rssKiB, code, stderr });
    });
  });
}

/** Files, added and deleted lines of `git diff --numstat` (binary files count 0); extra args e.g. -U0. */
function numstatTotals(dir, base, fork, extra = []) {
  const t = { files: 0, added: 0, deleted: 0 };
  for (const line of git(dir, ["diff", ...extra, "--numstat", base, fork]).split("\n")) {
    const m = /^(\d+|-)\t(\d+|-)\t/.exec(line);
    if (!m) continue; // -U0 implies -p: skip the patch lines
    t.files++;
    t.added += m[1] === "-" ? 0 : Number(m[1]);
    t.deleted += m[2] === "-" ? 0 : Number(m[2]);
  }
  return t;
}

/**
 * Compares Steward's net patch totals with `git diff --numstat`. On a mismatch, says whether
 * Steward agrees with `git diff -U0 --numstat` instead: with zero context git trims the common
 * tail of both files before running xdiff (xdi_diff's trim_common_tail), so the myers alignment,
 * and the counts, can differ from the default -U3 diff.
 */
function checkTotals(mismatches, label, np, expect, dir, base, fork) {
  const bad = ["files", "added", "deleted"].filter((k) => np?.[k] !== expect[k]);
  if (!bad.length) return;
  const u0 = numstatTotals(dir, base, fork, ["-U0"]);
  const asU0 = ["files", "added", "deleted"].every((k) => np?.[k] === u0[k]);
  mismatches.push(
    `${label}: netPatch ${np?.files}/${np?.added}/${np?.deleted} (files/added/deleted) != git diff --numstat ${expect.files}/${expect.added}/${expect.deleted}` +
      (asU0 ? ` (it equals git diff -U0 --numstat: the -U0 diff trims the common tail, a different alignment)` : ` (git diff -U0 --numstat: ${u0.files}/${u0.added}/${u0.deleted})`),
  );
}

async function bestOf(label, n, args, outFile, tmp) {
  const runs = [];
  for (let i = 0; i <= n; i++) {
    const r = await runNode(args, outFile, tmp);
    if (r.code !== 0) throw new Error(`${label} exited ${r.code}:\n${r.stderr}`);
    log(`${label}: ${i === 0 ? "warm-up" : `run ${i}/${n}`} ${r.ms.toFixed(0)} ms, peak RSS ${(r.rssKiB / 1024).toFixed(0)} MiB`);
    runs.push(r);
  }
  const timed = runs.slice(1);
  return { ms: Math.min(...timed.map((r) => r.ms)), rssKiB: Math.max(...runs.map((r) => r.rssKiB)), runs: timed.map((r) => Math.round(r.ms)) };
}

// ---------------------------------------------------------------------------
// Main
// ---------------------------------------------------------------------------

async function main() {
  const t0 = Date.now();
  const tmp = mkdtempSync(join(tmpdir(), "steward-bench-"));
  const dir = join(tmp, "repo");
  const mismatches = [];
  try {
    log(`generating (seed ${P.seed}) ...`);
    let gen;
    const genMs = timeMs(() => (gen = generate()));
    log(`generated in memory in ${genMs.toFixed(0)} ms; writing with git fast-import ...`);
    const writeT = Date.now();
    await gen.builder.write(dir, { head: "main" });
    const writeMs = Date.now() - writeT;
    gen.builder = null;
    log(`repository written in ${writeMs} ms at ${dir}`);

    const FORK = "release/1.19";
    const BASE = git(dir, ["merge-base", "main", FORK]).trim();
    const expect = numstatTotals(dir, BASE, FORK);
    const facts = {
      upstreamCommits: Number(git(dir, ["rev-list", "--count", "main"]).trim()),
      filesAtTip: Number(git(dir, ["ls-tree", "-r", "--name-only", "main"]).trim().split("\n").length),
      releaseRefs: git(dir, ["for-each-ref", "--format=%(refname)", "refs/heads/release/"]).trim().split("\n").length,
      behind: Number(git(dir, ["rev-list", "--count", `${FORK}..main`]).trim()),
      baseDate: git(dir, ["show", "-s", "--format=%cI", BASE]).trim(),
      forkDate: git(dir, ["show", "-s", "--format=%cI", FORK]).trim(),
      packMiB: null,
      tips: git(dir, ["rev-parse", "main", FORK]).trim().split("\n").map((x) => x.slice(0, 12)).join(" / "),
    };
    const count = git(dir, ["count-objects", "-v"]);
    const size = /size-pack: (\d+)/.exec(count);
    const loose = /^size: (\d+)/m.exec(count);
    facts.packMiB = ((Number(size?.[1] ?? 0) + Number(loose?.[1] ?? 0)) / 1024).toFixed(1);
    log(`upstream ${facts.upstreamCommits} commits, ${facts.filesAtTip} files at tip; ${FORK}: base ${facts.baseDate.slice(0, 10)}, drop ${facts.forkDate.slice(0, 10)}, ${facts.behind} behind; net patch ${expect.files} files +${expect.added} -${expect.deleted}`);

    // Baseline: git diff -U0 BASE FORK + git cherry main FORK, timed together.
    const baselineOnce = () =>
      timeMs(() => {
        for (const args of [["diff", "-U0", BASE, FORK], ["cherry", "main", FORK]]) {
          const r = spawnSync("git", ["-C", dir, ...args], { maxBuffer: 1 << 30 });
          if (r.status !== 0) throw new Error(`git ${args.join(" ")} failed: ${r.stderr}`);
        }
      });
    const baseRuns = [];
    for (let i = 0; i <= 3; i++) {
      const ms = baselineOnce();
      log(`baseline: ${i === 0 ? "warm-up" : `run ${i}/3`} ${ms.toFixed(0)} ms`);
      if (i > 0) baseRuns.push(ms);
    }
    // Peak RSS of the larger of the two git commands.
    let baseRss = 0;
    for (const args of [["diff", "-U0", BASE, FORK], ["cherry", "main", FORK]]) {
      const r = await runMeasured("git", ["-C", dir, ...args], join(tmp, "git.out"), tmp);
      if (r.code !== 0) throw new Error(`git ${args.join(" ")} exited ${r.code}: ${r.stderr}`);
      baseRss = Math.max(baseRss, r.rssKiB);
    }
    const baseline = { ms: Math.min(...baseRuns), rssKiB: baseRss || null, runs: baseRuns.map(Math.round) };

    // Steward, one pair.
    const pairOut = join(tmp, "pair.json");
    const pair = await bestOf("steward pair", 3, [CLI, "drift", "--repo", dir, "--json", "--no-progress", "main", FORK], pairOut, tmp);
    const pj = JSON.parse(readFileSync(pairOut, "utf8"));
    const np = pj.netPatch;
    checkTotals(mismatches, `pair ${FORK}`, np, expect, dir, BASE, FORK);
    if (pj.mergeBase !== BASE) mismatches.push(`pair mergeBase ${pj.mergeBase} != ${BASE}`);
    if (pj.behind !== facts.behind) mismatches.push(`pair behind ${pj.behind} != ${facts.behind}`);

    // Steward, history over the 20 release refs.
    const histOut = join(tmp, "history.json");
    const hist = await bestOf("steward history", 2, [CLI, "drift", "--repo", dir, "--json", "--no-progress", "main", "--history", "refs/heads/release/*"], histOut, tmp);
    const hj = JSON.parse(readFileSync(histOut, "utf8"));
    const points = hj.history ?? [];
    if (points.length !== P.releases) mismatches.push(`history has ${points.length} points, expected ${P.releases}`);
    if (!points.some((p) => p.fork?.ref === FORK || p.fork?.ref === `refs/heads/${FORK}`)) mismatches.push(`history has no point for ${FORK}`);
    // Every point's net patch against git (cheap: one numstat per ref).
    for (const p of points) {
      const b = p.mergeBase;
      const f = p.fork?.commit;
      if (!b || !f) {
        mismatches.push(`history point ${p.fork?.ref} lacks mergeBase/fork.commit`);
        continue;
      }
      checkTotals(mismatches, `history ${p.fork.ref}`, p.netPatch, numstatTotals(dir, b, f), dir, b, f);
    }
    if (points.length > 1 && points.some((p, i) => i > 0 && Date.parse(p.date) < Date.parse(points[i - 1].date))) mismatches.push("history points are not ordered by date");

    // The same history on a blobless clone (`git clone --filter=blob:none`, a promisor remote): the
    // first run fetches what it reads (--fetch-missing, one request per ref), later runs read a
    // partial clone that holds those blobs. Its results must equal the full clone's.
    git(dir, ["config", "uploadpack.allowFilter", "true"]);
    const partialDir = join(tmp, "partial.git");
    git(tmp, ["clone", "-q", "--bare", "--filter=blob:none", `file://${dir}`, partialDir]);
    const partialOut = join(tmp, "partial.json");
    const firstFetch = await runNode([CLI, "drift", "--repo", partialDir, "--json", "--no-progress", "--fetch-missing", "main", "--history", "refs/heads/release/*"], partialOut, tmp);
    if (firstFetch.code !== 0) throw new Error(`partial-clone history with --fetch-missing exited ${firstFetch.code}:\n${firstFetch.stderr}`);
    const fetchedBlobs = JSON.parse(readFileSync(partialOut, "utf8")).history.reduce((n, p) => n + p.coverage.fetched, 0);
    log(`steward history on a blobless clone with --fetch-missing (first run, fetches ${fetchedBlobs} blobs): ${firstFetch.ms.toFixed(0)} ms`);
    const partial = await bestOf("steward history (blobless clone)", 2, [CLI, "drift", "--repo", partialDir, "--json", "--no-progress", "main", "--history", "refs/heads/release/*"], partialOut, tmp);
    const strip = (j) => JSON.stringify(j.history.map(({ coverage: _c, warnings: _w, ...rest }) => rest));
    const partialJson = JSON.parse(readFileSync(partialOut, "utf8"));
    if (strip(partialJson) !== strip(hj)) mismatches.push("history on the blobless clone differs from the full clone's");
    if (partialJson.history.some((p) => p.coverage.missing > 0)) mismatches.push("history on the blobless clone left files unread after --fetch-missing");

    // Report.
    const mib = (kib) => (kib ? (kib / 1024).toFixed(0) : "n/a");
    const pairRatio = pair.ms / baseline.ms;
    const histRatio = hist.ms / pair.ms;
    const pairPass = pairRatio <= 3;
    const histPass = histRatio <= 10;
    const table = [
      "| run | time (ms) | ratio to baseline | peak RSS (MiB) |",
      "|---|---:|---:|---:|",
      `| git baseline (diff -U0 + cherry) | ${baseline.ms.toFixed(0)} | 1.0× | ${mib(baseline.rssKiB)} |`,
      `| steward drift (one pair) | ${pair.ms.toFixed(0)} | ${pairRatio.toFixed(1)}× | ${mib(pair.rssKiB)} |`,
      `| steward drift --history (${points.length} refs) | ${hist.ms.toFixed(0)} | ${(hist.ms / baseline.ms).toFixed(1)}× | ${mib(hist.rssKiB)} |`,
      `| same, blobless clone (partial, promisor remote) | ${partial.ms.toFixed(0)} | ${(partial.ms / baseline.ms).toFixed(1)}× | ${mib(partial.rssKiB)} |`,
      `| same, blobless clone, first run with --fetch-missing (fetches ${fetchedBlobs} blobs) | ${firstFetch.ms.toFixed(0)} | ${(firstFetch.ms / baseline.ms).toFixed(1)}× | ${mib(firstFetch.rssKiB)} |`,
      "",
      `- target: history on a blobless clone ≤ 1.3× the same on the full clone: ${(partial.ms / hist.ms).toFixed(2)}× — ${partial.ms / hist.ms <= 1.3 ? "PASS" : "FAIL"} (results identical: ${strip(partialJson) === strip(hj) ? "yes" : "NO"})`,
      `- target: one pair ≤ 3× baseline: ${pairRatio.toFixed(2)}× — ${pairPass ? "PASS" : "FAIL"}`,
      `- target: history (${points.length} refs) ≤ 10× one steward pair: ${histRatio.toFixed(2)}× — ${histPass ? "PASS" : "FAIL"}`,
      `- correctness: ${
        mismatches.length
          ? `MISMATCH (${mismatches.length} problem(s); first: ${mismatches[0]})`
          : `PASS: netPatch files/added/deleted = git diff --numstat for the pair (${expect.files}/${expect.added}/${expect.deleted}) and all ${points.length} history points`
      }`,
    ].join("\n");
    process.stdout.write(table + "\n");

    // Per-file verdicts against the generator's ground truth (informational, not a failure).
    const confusion = new Map();
    let agree = 0;
    let plausible = 0;
    const disagreements = [];
    for (const f of pj.files ?? []) {
      const statuses = new Set(f.binaryStatus ? [f.binaryStatus] : f.hunks.map((h) => h.status));
      const got = statuses.size === 1 ? [...statuses][0] : "mixed";
      const want = gen.truth.get(f.path) ?? "unknown";
      const key = `${want} -> ${got}`;
      confusion.set(key, (confusion.get(key) ?? 0) + 1);
      if (want === got) agree++;
      // Ordinary upstream edits next to a private hunk can legitimately make it diverged.
      else if (want === "private" && (got === "diverged" || got === "mixed") && gen.editedSinceBase.has(f.path)) plausible++;
      else disagreements.push(`${f.path} (${want} -> ${got}: ${f.hunks.map((h) => `${h.status}/${h.evidence.reason}`).join(", ")})`);
    }
    const truthLine = `per-file verdicts vs the generator's ground truth: ${agree}/${pj.files?.length ?? 0} agree, ${plausible} plausible (private -> diverged/mixed where upstream edited the file after the base), ${disagreements.length} suspect${disagreements.length ? ` (${disagreements.join("; ")})` : ""}; ${[...confusion]
      .sort()
      .map(([k, n]) => `${k}: ${n}`)
      .join(", ")}`;
    log(truthLine);

    const classes = np
      ? `upstreamed ${np.upstreamed.hunks} hunks (+${np.upstreamed.added} -${np.upstreamed.deleted}), private ${np.private.hunks} hunks (+${np.private.added} -${np.private.deleted}), diverged ${np.diverged.hunks} hunks (+${np.diverged.added} -${np.diverged.deleted}); reconnection ${np.reconnection}`
      : "n/a";
    const nodeV = process.version;
    const gitV = spawnSync("git", ["--version"], { encoding: "utf8" }).stdout.trim();
    const nproc = spawnSync("nproc", { encoding: "utf8" }).stdout.trim() || String(cpus().length);
    const md = [
      "# Steward drift benchmark",
      "",
      "Generated by `npm run bench` (bench/drift.bench.mjs); this file is overwritten on every run.",
      "",
      "## Results",
      "",
      table,
      "",
      `Times are the best of ${baseline.runs.length} (baseline: ${baseline.runs.join(", ")} ms), 3 (pair: ${pair.runs.join(", ")} ms) and 2 (history: ${hist.runs.join(", ")} ms) after one warm-up run each.`,
      `Steward runs are \`node dist/cli/main.js drift --repo DIR --json --no-progress main ${FORK}\` and \`... main --history 'refs/heads/release/*'\`, stdout to a file.`,
      `The baseline is \`git diff -U0 BASE ${FORK}\` then \`git cherry main ${FORK}\` (BASE = \`git merge-base main ${FORK}\`, computed beforehand), each a child process.`,
      `Peak RSS: ${RSS_METHOD}; baseline RSS is the larger of the two git commands.`,
      "",
      `${FORK} net patch by Steward: ${classes}.`,
      "",
      `Classification check (informational, never fails the run): ${truthLine}.`,
      "A file agrees when all its hunks have the status the generator built it to have (upstreamed: upstream adopted the fork's change",
      "verbatim after the base; diverged: upstream rewrote the region or deleted the file after the base; otherwise private).",
      "",
      ...(mismatches.length
        ? [
            "## Correctness mismatches",
            "",
            ...mismatches.map((m) => `- ${m}`),
            "",
            "With zero context (`-U0`, which Steward's net-patch diff uses) git trims the common tail of both files before",
            "running xdiff (xdiff-interface.c `xdi_diff`: `trim_common_tail` when `ctxlen == 0`), so the myers alignment and",
            "the added/deleted counts can differ from the default `git diff --numstat` (3 lines of context, no trimming).",
            "",
          ]
        : []),
      "## Generated repository",
      "",
      `- upstream \`main\`: ${facts.upstreamCommits} commits over ${gen.stats.lastDay.toFixed(0)} days, ${facts.filesAtTip} Python-like files at the tip (initial ${P.initialFiles}, ${P.fileLines[0]}–${P.fileLines[1]} lines each; each commit edits ${P.filesPerCommit[0]}–${P.filesPerCommit[1]} files; ${gen.stats.upstreamFilesAdded} files added, ${gen.stats.upstreamFilesDeleted} deleted over the history)`,
      `- fork: ${facts.releaseRefs} branches \`refs/heads/release/1.0\` … \`release/1.${P.releases - 1}\`, one squashed content-drop commit each, on an upstream commit ~${P.dropLagDays} days older than the drop (bases every ~${P.baseSpacingDays} days from day ${P.firstBaseDay})`,
      `- fork patch: ${gen.stats.units} units in all (first drop: ${P.firstDrop.newFiles} new files, ${P.firstDrop.edits} edits, ${P.firstDrop.removals} removals; each later drop +${P.laterDrop.newFiles} new files, +${P.laterDrop.edits} edits, ${P.evolveProb * 100}% of carried units grow); ${gen.stats.adopted} units adopted verbatim by upstream commits, ${gen.stats.rewrites} upstream rewrites of fork-touched regions`,
      `- files changed per drop: ${gen.stats.drops.map((d) => d.files).join(", ")}`,
      `- ${FORK}: base ${facts.baseDate}, drop ${facts.forkDate}, ${facts.behind} commits behind main; net patch (git diff --numstat) ${expect.files} files, +${expect.added} / -${expect.deleted} lines`,
      `- tips (main / ${FORK}), identical on every run: ${facts.tips}`,
      `- repository size ${facts.packMiB} MiB; generation ${genMs.toFixed(0)} ms in memory + ${writeMs} ms fast-import; seed ${P.seed} (mulberry32)`,
      "",
      "## Machine",
      "",
      `- nproc: ${nproc}; CPU: ${cpus()[0]?.model ?? "unknown"}`,
      `- node ${nodeV}; ${gitV}; ${process.platform} ${process.arch}`,
      `- total bench wall time: ${((Date.now() - t0) / 1000).toFixed(0)} s`,
      "",
    ].join("\n");
    writeFileSync(RESULTS, md);
    log(`wrote ${RESULTS} (${((Date.now() - t0) / 1000).toFixed(0)} s total)`);
    if (mismatches.length) {
      for (const m of mismatches) log(`MISMATCH: ${m}`);
      return 1;
    }
    return 0;
  } finally {
    if (process.env.STEWARD_BENCH_KEEP) log(`kept ${tmp} (STEWARD_BENCH_KEEP)`);
    else rmSync(tmp, { recursive: true, force: true });
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (e) => {
    process.stderr.write(`[bench] crashed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exitCode = 1;
  },
);
