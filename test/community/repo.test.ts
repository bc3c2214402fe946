import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { community, unknownIdentities } from "../../src/analyzers/community/index.js";
import { parseMailmap } from "../../src/analyzers/community/mailmap.js";
import { HistoryBuilder, type Signature } from "../../src/git/builder.js";
import { copyWithoutBlobs, git, sig, tempDir } from "../helpers/git.js";
import { expectMatchesSchema } from "../helpers/schema.js";

const root = tempDir();
const repo = join(root, "project");

const ann = (d: string) => sig("Ann Lee", "ann@nvidia.com", d);
const annHome = (d: string) => sig("Ann Lee", "ann.lee@gmail.com", d);
const bob = (d: string) => sig("Bob Stone", "bob@amd.com", d);
const dan = (d: string) => sig("Dan Wu", "12345+danwu@users.noreply.github.com", d);
const eve = (d: string) => sig("Eve", "eve@gmail.com", d);
const gina = (d: string) => sig("Gina Ho", "gina@meta.com", d);
const ginaLaptop = (d: string) => sig("gh", "gh@laptop.local", d);
const bot = (d: string) => sig("dependabot[bot]", "49699333+dependabot[bot]@users.noreply.github.com", d);

/** The commits: [author, day, message, file, committer?]. */
const COMMITS: [(d: string) => Signature, string, string, string, ((d: string) => Signature)?][] = [
  [ann, "2024-01-05", "csrc: kernel", "csrc/k1.cu"],
  [ann, "2024-01-20", "csrc: kernel 2", "csrc/k2.cu"],
  [annHome, "2024-02-01", "docs: weekend fix", "docs/a.md"],
  [bob, "2024-02-10", "runtime: engine\n\nCo-authored-by: Carol Chen <carol@intel.com>\nReviewed-by: Ann Lee <ann@nvidia.com>", "runtime/engine.py"],
  [dan, "2024-03-01", "runtime: comm", "runtime/comm.py"],
  [dan, "2024-08-01", "runtime: comm 2", "runtime/comm2.py"],
  [eve, "2024-08-15", "docs: typo", "docs/b.md", gina],
  [ginaLaptop, "2024-09-01", "tests: add", "tests/test_a.py"],
  [bot, "2024-09-02", "Bump numpy", "requirements.txt"],
  [gina, "2024-10-01", "tests: more\n\nSigned-off-by: Gina Ho <gina@meta.com>", "tests/test_b.py"],
];

beforeAll(async () => {
  const b = new HistoryBuilder();
  let first = true;
  let last = null as ReturnType<HistoryBuilder["commit"]> | null;
  for (const [author, day, message, file, committer] of COMMITS) {
    const files: Record<string, string> = { [file]: `${file}\n`.repeat(3) };
    if (first) {
      files[".mailmap"] = "Gina Ho <gina@meta.com> <gh@laptop.local>\n";
      files[".github/CODEOWNERS"] = "# owners\n* @org/core-team\n/csrc/ ann@nvidia.com\n/runtime/ @danwu\n/docs/ ann@nvidia.com @bstone\n";
      first = false;
    }
    last = b.commit({ branch: "main", message, author: author(`${day}T10:00:00Z`), ...(committer ? { committer: committer(`${day}T12:00:00Z`) } : {}), files });
  }
  // A side branch merged back: the merge commit counts apart, its work as usual.
  const side = b.commit({ branch: "side", parents: [last!], message: "runtime: side work", author: bob("2024-11-01T10:00:00Z"), files: { "runtime/side.py": "x = 1\n" } });
  // HistoryBuilder starts a merge from its first parent's tree: the side branch's file is brought in explicitly.
  b.commit({ branch: "main", parents: [last!, side], message: "Merge branch 'side'", author: ann("2024-11-02T10:00:00Z"), files: { "runtime/side.py": "x = 1\n" } });
  await b.write(repo);
});

const IDENTITIES = {
  aliases: { "Bob Stone": ["bob@amd.com", "@bstone"] },
  affiliations: [
    { person: "@danwu", organization: "Intel", until: "2024-06-30" },
    { person: "@danwu", organization: "AMD", from: "2024-07-01" },
  ],
  bots: [],
  domains: {},
};

describe("steward community on a repository", () => {
  it("attributes every commit with its rule, merges identities with evidence, and states the uncertainty", async () => {
    const r = await community({ repo, period: "quarter", identities: IDENTITIES });
    expect(r.organizations.map((o) => [o.name, o.commits, o.lines, o.contributors, o.share, o.sources])).toEqual([
      // Ann's two kernels; Bob's engine and side work; Dan at AMD after his move; Gina (Meta) and her laptop address, merged by .mailmap
      ["AMD", 3, 7, 2, 0.3, { domain: 2, config: 1 }],
      ["Meta", 2, 6, 1, 0.2, { domain: 2 }],
      // Ann's first commit also adds .mailmap (1 line) and CODEOWNERS (5 lines)
      ["NVIDIA", 2, 12, 1, 0.2, { domain: 2 }],
      ["Intel", 1, 3, 1, 0.1, { config: 1 }],
    ]);
    // Ann's weekend fix from gmail and Eve: webmail, unknown (never "independent").
    expect(r.unknown).toEqual({ commits: 2, lines: 6, identities: 2, bySource: { webmail: 2 } });
    expect(r.bots).toEqual({ commits: 1, identities: ["dependabot[bot]"] });
    expect(r.totals).toEqual({ commits: 10, merges: 1, lines: 34, contributors: 5, organizations: 4 });
    expect(r.coverage).toBe(0.8);
    // Known AMD 3, Meta 2, NVIDIA 2, Intel 1; unknown: Ann (gmail) 1, Eve 1. Best: 3 + 2 reach half of 10;
    // worst: the unknown 2 join AMD, which alone makes 5.
    expect(r.elephantFactor).toEqual({ best: 2, worst: 1 });
    expect(r.top1Share).toEqual({ best: 0.3, worst: 0.5 });
    expect(r.hhi).toEqual({ best: 0.2, worst: 0.34 });
    // People: Ann 3, Bob 2, Dan 2, Gina 2, Eve 1.
    expect(r.busFactor).toEqual({ best: 2, worst: 2 });
    expect(r.merges.map((m) => [m.name, m.reasons])).toEqual([
      ["Ann Lee", [{ email: "ann.lee@gmail.com", reason: "same full name 'Ann Lee'" }]],
      ["Bob Stone", [{ email: "@bstone", reason: "config alias 'Bob Stone'" }]],
      ["Gina Ho", [{ email: "gh@laptop.local", reason: "mailmap line 1" }]],
    ].sort((a, b) => (a[0]! < b[0]! ? -1 : 1)));
    expect(r.periods.map((p) => [p.period, p.commits, p.newContributors, p.organizations.map((o) => `${o.name} ${o.commits}`)])).toEqual([
      ["2024-Q1", 5, 3, ["NVIDIA 2", "AMD 1", "Intel 1"]],
      ["2024-Q3", 3, 2, ["AMD 1", "Meta 1"]],
      ["2024-Q4", 2, 0, ["AMD 1", "Meta 1"]],
    ]);
    // Per organisation and period: commits, changed lines, active and first-time contributors.
    expect(r.periods.map((p) => [p.period, p.organizations.map((o) => [o.name, o.commits, o.lines, o.contributors, o.newContributors])])).toEqual([
      [
        "2024-Q1",
        [
          ["NVIDIA", 2, 12, 1, 1],
          ["AMD", 1, 3, 1, 1],
          ["Intel", 1, 3, 1, 1],
        ],
      ],
      [
        "2024-Q3",
        [
          ["AMD", 1, 3, 1, 0],
          ["Meta", 1, 3, 1, 1],
        ],
      ],
      [
        "2024-Q4",
        [
          ["AMD", 1, 1, 1, 0],
          ["Meta", 1, 3, 1, 0],
        ],
      ],
    ]);
    expect(r.areas.find((a) => a.area === "csrc")).toEqual({ area: "csrc", lines: 6, top: "NVIDIA", topShare: 1, organizations: [{ name: "NVIDIA", lines: 6 }] });
    // Bob's engine, reviewed by Ann (NVIDIA); Eve's typo, committed by Gina (Meta); Gina's own sign-off does not count.
    expect(r.review.matrix.map(({ examples, ...cell }) => ({ ...cell, examples: examples.map((oid) => git(repo, "log", "-1", "--format=%s", oid).split("\n")[0]) }))).toEqual([
      { author: "(unknown)", reviewer: "Meta", commits: 1, examples: ["docs: typo"] },
      { author: "AMD", reviewer: "NVIDIA", commits: 1, examples: ["runtime: engine"] },
    ]);
    expect([r.review.reviewed, r.review.sameOrganizationRate]).toEqual([2, 0]);
    await expectMatchesSchema("community", r);
  });

  it("resolves CODEOWNERS to organisations: single-vendor veto paths, teams unresolved", async () => {
    const r = await community({ repo, identities: IDENTITIES });
    const own = r.ownership!;
    expect(own.file).toBe(".github/CODEOWNERS");
    expect(own.rules.map((x) => [x.pattern, x.verdict, x.files])).toEqual([
      ["*", "unresolved", 5], // .mailmap, CODEOWNERS, requirements.txt and the two tests
      ["/csrc/", "single-organization", 2],
      ["/runtime/", "single-organization", 4],
      ["/docs/", "multi-organization", 2],
    ]);
    expect(own.byOrganization).toEqual([
      { organization: "AMD", files: 4, lines: 10 },
      { organization: "NVIDIA", files: 2, lines: 6 },
    ]);
    expect(own.owners.find((o) => o.owner === "@org/core-team")).toEqual({ owner: "@org/core-team", kind: "team", organization: null, why: "a team: its members are not in git history", files: 5, lines: 15 });
    // An owner is placed on the ref's day by the address seen then (Ann's last appearance: the merge she made on 2024-11-02).
    expect(own.owners.find((o) => o.owner === "ann@nvidia.com")).toEqual({
      owner: "ann@nvidia.com",
      kind: "email",
      organization: "NVIDIA",
      why: "Ann Lee <ann@nvidia.com>: domain nvidia.com (ann@nvidia.com, seen 2024-01-05..2024-11-02)",
      person: "ann@nvidia.com",
      match: { method: "email", confidence: "high", evidence: "commits by ann@nvidia.com" },
      // csrc/ (2 files, 6 lines) and docs/ (2 files, 6 lines, shared with Bob)
      files: 4,
      lines: 12,
    });
  });

  it.each([
    [
      "OWNERS files (a directory's approvers, with its parents')",
      { OWNERS: "approvers:\n  - annlee\n", "csrc/OWNERS": "approvers: [bstone]\nreviewers: [someone]\n" },
      "OWNERS",
      [
        ["* (OWNERS)", "single-organization", 4],
        ["/csrc/ (csrc/OWNERS)", "single-organization", 2],
      ],
      // csrc/ files answer to Ann (root, NVIDIA) and Bob (csrc, AMD): two organisations.
      { owned: 4, singleOrganization: 2, multiOrganization: 2, unresolved: 0, unowned: 0, total: 4 },
    ],
    [
      "a Linux-style MAINTAINERS file (every matching section counts)",
      { MAINTAINERS: "KERNELS\nM:\tBob Stone <bob@amd.com>\nF:\tcsrc/\n\nEVERYTHING\nM:\tAnn Lee <ann@nvidia.com>\nF:\t*\n" },
      "MAINTAINERS",
      [
        ["csrc/", "single-organization", 1],
        ["*", "single-organization", 3],
      ],
      { owned: 3, singleOrganization: 2, multiOrganization: 1, unresolved: 0, unowned: 0, total: 3 },
    ],
  ])("resolves %s", async (_what, ownerFiles, source, rules, counts) => {
    const b = new HistoryBuilder();
    b.commit({ branch: "main", message: "a", author: sig("Ann Lee", "12+annlee@users.noreply.github.com", "2024-01-01T00:00:00Z"), files: { ...ownerFiles, "csrc/k.cu": "k\n", "README.md": "r\n" } });
    b.commit({ branch: "main", message: "b", author: sig("Ann Lee", "ann@nvidia.com", "2024-02-01T00:00:00Z"), files: { "csrc/k.cu": "k2\n" } });
    b.commit({ branch: "main", message: "c", author: sig("Bob Stone", "bob@amd.com", "2024-03-01T00:00:00Z"), files: { "README.md": "r2\n" } });
    const dir = join(root, `owners-${source}`);
    await b.write(dir);
    const r = await community({ repo: dir, identities: { aliases: { "Bob Stone": ["bob@amd.com", "@bstone"] } } });
    expect(r.ownership?.file).toBe(source);
    expect(r.ownership?.rules.map((x) => [x.pattern, x.verdict, x.files])).toEqual(rules);
    expect(r.ownership?.files).toEqual(counts);
  });

  it("credits co-authors by policy", async () => {
    const full = await community({ repo, coauthors: "full", identities: IDENTITIES });
    const split = await community({ repo, coauthors: "split", identities: IDENTITIES });
    expect(full.organizations.find((o) => o.name === "Intel")?.commits).toBe(2);
    expect(split.organizations.find((o) => o.name === "AMD")?.commits).toBe(2.5);
    expect(split.organizations.find((o) => o.name === "Intel")?.commits).toBe(1.5);
  });

  it("limits the range by author date; lists the unknown identities to resolve", async () => {
    const r = await community({ repo, since: "2024-07-01", until: "2024-09-30", identities: IDENTITIES });
    expect([r.totals.commits, r.bots.commits, r.range]).toEqual([3, 1, { since: "2024-07-01", until: "2024-09-30" }]);
    const u = await unknownIdentities({ repo, identities: IDENTITIES });
    expect(u.identities.map((x) => [x.name, x.commits, x.source, x.evidence])).toEqual([
      ["Ann Lee", 1, "webmail", "gmail.com"],
      ["Eve", 1, "webmail", "gmail.com"],
    ]);
    // Evidence: the commits of the first and last day, to check with git show.
    const subject = (oid: string) => git(repo, "log", "-1", "--format=%s", oid).trim();
    expect(u.identities.map((x) => [subject(x.firstCommit), subject(x.lastCommit)])).toEqual([
      ["docs: weekend fix", "docs: weekend fix"],
      ["docs: typo", "docs: typo"],
    ]);
    await expectMatchesSchema("identities-unknown", u);
  });

  it("reads names in other encodings, empty emails and identical timestamps without failing", async () => {
    const dir = join(root, "encodings");
    git(root, "init", "-q", dir);
    // A Latin-1 name (byte 0xE9, invalid UTF-8), then an empty email, both at the same second.
    const env = "GIT_AUTHOR_DATE='2024-05-01T10:00:00Z' GIT_COMMITTER_DATE='2024-05-01T10:00:00Z' GIT_COMMITTER_NAME=C GIT_COMMITTER_EMAIL=c@x.org";
    spawnSync("bash", ["-c", `${env} GIT_AUTHOR_NAME="$(printf 'Jos\\xe9 Ram\\xedrez')" GIT_AUTHOR_EMAIL=jose@amd.com git -c i18n.commitEncoding=ISO-8859-1 commit -q --allow-empty -m one`], { cwd: dir });
    spawnSync("bash", ["-c", `${env} GIT_AUTHOR_NAME="No Mail" GIT_AUTHOR_EMAIL= git commit -q --allow-empty -m two`], { cwd: dir });
    // The same bytes with no encoding header: invalid UTF-8, which git's log turns into José (as Latin-1).
    spawnSync("bash", ["-c", `${env} GIT_AUTHOR_NAME="$(printf 'Jos\\xe9')" GIT_AUTHOR_EMAIL=jose@startup.io git commit -q --allow-empty -m three`], { cwd: dir });
    const r = await community({ repo: dir });
    expect(r.totals.commits).toBe(3);
    expect(r.organizations.map((o) => [o.name, o.commits])).toEqual([["AMD", 1]]);
    expect(r.unknown).toMatchObject({ commits: 2, identities: 2, bySource: { unmatched: 2 } });
    const u = await unknownIdentities({ repo: dir });
    expect(u.identities.map((x) => [x.name, x.evidence])).toEqual([
      ["No Mail", "(no email)"],
      ["José", "startup.io"],
    ]);
  });

  it("counts a moved file's changed lines, not all its lines; the move's area is where it went; a user's git config changes nothing", async () => {
    const dir = join(root, "renames");
    const b = new HistoryBuilder();
    const big = Array.from({ length: 100 }, (_, i) => `line ${i}`).join("\n") + "\n";
    const first = b.commit({ branch: "main", message: "a kernel", author: ann("2024-01-01T10:00:00Z"), files: { "csrc/kernels/big.cu": big } });
    b.commit({ branch: "main", parents: [first], message: "move it", author: bob("2024-02-01T10:00:00Z"), files: { "csrc/kernels/big.cu": null, "ops/big.cu": big.replace("line 7\n", "line seven\n") } });
    b.commit({ branch: "main", message: "move it again", author: bob("2024-03-01T10:00:00Z"), files: { "ops/big.cu": null, "ops/cuda/big.cu": big.replace("line 7\n", "line seven\n") } });
    b.commit({ branch: "main", message: "docs", author: sig("Zoë Näher", "zoe@gmail.com", "2024-04-01T10:00:00Z"), files: { "docs/a.md": "a\nb\n" } });
    await b.write(dir);
    // Settings a user (or the analysed repository's own config) may have, each of which would change git log's output.
    const configs = {
      default: "",
      "no renames": "[diff]\n\trenames = false\n",
      "no root diff, Latin-1 log output, histogram diff": "[log]\n\tshowRoot = false\n[i18n]\n\tlogOutputEncoding = ISO-8859-1\n[diff]\n\talgorithm = histogram\n",
    };
    const saved = process.env.GIT_CONFIG_GLOBAL;
    const runs: Record<string, unknown> = {};
    for (const [label, text] of Object.entries(configs)) {
      const cfg = join(root, `user-${Object.keys(runs).length}.gitconfig`);
      writeFileSync(cfg, text);
      process.env.GIT_CONFIG_GLOBAL = cfg;
      try {
        const r = await community({ repo: dir });
        const u = await unknownIdentities({ repo: dir });
        runs[label] = { orgs: r.organizations.map((o) => [o.name, o.commits, o.lines]), areas: r.areas.map((a) => [a.area, a.organizations.map((o) => [o.name, o.lines])]), unknown: u.identities.map((x) => [x.name, x.lines]) };
      } finally {
        if (saved === undefined) delete process.env.GIT_CONFIG_GLOBAL;
        else process.env.GIT_CONFIG_GLOBAL = saved;
      }
    }
    const expected = {
      orgs: [
        ["AMD", 2, 2],
        ["NVIDIA", 1, 100],
      ],
      // The first move (numstat's "csrc/kernels/big.cu => ops/big.cu") and the second ("ops/{big.cu => cuda/big.cu}") count in ops, where the file went.
      areas: [
        ["csrc", [["NVIDIA", 100]]],
        ["docs", [["(unknown)", 2]]],
        ["ops", [["AMD", 2]]],
      ],
      unknown: [["Zoë Näher", 2]],
    };
    expect(runs).toEqual(Object.fromEntries(Object.keys(configs).map((k) => [k, expected])));
  });

  it("maps every identity as git's own mailmap does (%aN <%aE>), for every form git reads", async () => {
    const dir = join(root, "mailmap-conformance");
    const ids: [string, string][] = [
      ["ann", "ann@old.example"],
      ["Bob", "bob@laptop.local"],
      ["x", "CC@home.example"],
      ["dan", "DAN@Intel.com"],
      ["Daniel", "dan@intel.com"],
      ["juha", "at solidboot.com"],
      ["Malik", "77+mk@users.noreply.github.com"],
      ["only", "only@email.org"],
      ["three", "e@f.g"],
      ["Nobody", "nobody@nowhere.example"],
    ];
    const mailmap = [
      "# comment",
      "Ann Lee <ann@old.example>",
      "<bob@amd.com> <bob@laptop.local>",
      "Carol Chen <carol@intel.com> <cc@home.example>",
      "Dan Wu <dan@amd.com> dan <dan@intel.com>  # trailing comment",
      "Juha Yrjola <at solidboot.com>",
      "Malik Khan <77+mk@users.noreply.github.com>C",
      "<only@email.org>",
      "  # indented comment",
      "Three <three@x.org> <e@f.g> <h@i.j>",
    ].join("\n");
    const b = new HistoryBuilder();
    let parent: ReturnType<HistoryBuilder["commit"]> | undefined;
    ids.forEach(([name, email], i) => {
      parent = b.commit({ branch: "main", ...(parent ? { parents: [parent] } : {}), message: `c${i}`, author: sig(name, email, `2024-01-0${(i % 9) + 1}T10:00:00Z`), files: i === 0 ? { ".mailmap": mailmap } : { [`f${i}`]: "x\n" } });
    });
    await b.write(dir);
    const byGit = git(dir, "-c", "mailmap.blob=HEAD:.mailmap", "log", "--format=%an%x1f%ae%x1f%aN%x1f%aE", "HEAD")
      .trim()
      .split("\n")
      .map((l) => l.split("\x1f"));
    const m = parseMailmap(mailmap, ".mailmap");
    expect(byGit).toHaveLength(ids.length);
    for (const [an, ae, aN, aE] of byGit) {
      const r = m.map(an!, ae!);
      expect([an, ae, r.name, r.email.toLowerCase()]).toEqual([an, ae, aN, aE!.toLowerCase()]);
    }
    // And the analysis reads the same file at the ref, noting what git ignores.
    const r = await community({ repo: dir });
    expect(r.warnings).toEqual([
      '.mailmap:7: "C" after the address ignored, as git does: "Malik Khan <77+mk@users.noreply.github.com>C"',
      '.mailmap:10: "<h@i.j>" after the addresses ignored, as git does: "Three <three@x.org> <e@f.g> <h@i.j>"',
    ]);
  });

  it("in a shallow clone, counts the boundary commit without the whole tree it seems to add, and says the history is cut", async () => {
    const dir = join(root, "shallow");
    // Depth 4 from the merge: the side work, Gina's two tests commits and the bot's; the boundary is Gina's first ("tests: add").
    git(root, "clone", "-q", "--depth", "4", "--no-local", `file://${repo}`, dir);
    const r = await community({ repo: dir, identities: IDENTITIES });
    const full = await community({ repo, identities: IDENTITIES });
    const boundary = git(dir, "rev-parse", "--git-path", "shallow").trim();
    const ids = readFileSync(resolve(dir, boundary), "utf8").trim().split("\n");
    expect(ids.map((oid) => git(dir, "log", "-1", "--format=%s", oid).trim())).toEqual(["tests: add"]);
    const kept = git(dir, "rev-list", "--no-merges", "HEAD").trim().split("\n");
    // Lines: the full history's lines of the kept commits that are not boundary commits (those count none).
    const linesOf = (oid: string) =>
      git(repo, "show", "--numstat", "--format=", oid)
        .trim()
        .split("\n")
        .filter(Boolean)
        .reduce((n, l) => n + Number(l.split("\t")[0]) + Number(l.split("\t")[1]), 0);
    expect(r.totals.commits).toBe(kept.length - 1); // the bot's commit apart
    expect(r.totals.lines).toBe(kept.filter((oid) => !ids.includes(oid) && git(repo, "log", "-1", "--format=%an", oid).trim() !== "dependabot[bot]").reduce((n, oid) => n + linesOf(oid), 0));
    expect(r.totals.lines).toBeLessThan(full.totals.lines);
    expect(r.warnings).toEqual([expect.stringMatching(/^shallow clone: the history stops at \d+ boundary commits? \([0-9a-f]{10}.*\), counted without their lines .* 'git fetch --unshallow' gives the whole history$/)]);
  });

  it("counts what it can when blobs are missing, and says which files it skipped", async () => {
    // An object store that lacks the blob of docs/a.md.
    const copy = copyWithoutBlobs(repo, join(root, "missing"), "main", ["docs/a.md"]);
    const r = await community({ repo: copy, identities: IDENTITIES });
    expect(r.totals.commits).toBe(10);
    expect(r.totals.lines).toBe(34 - 3);
    expect(r.warnings).toContain("line counts skipped for 1 file(s) whose blobs are missing (partial clone?): docs/a.md");
  });
});

describe("steward community CLI", () => {
  const cli = (...args: string[]) => spawnSync(process.execPath, [resolve("dist/cli/main.js"), ...args], { encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });

  it("a window with no commits says so, instead of a 100% share for (unknown)", () => {
    const r = cli("community", "--repo", repo, "--since", "2099-01-01");
    expect([r.status, r.stderr]).toEqual([0, ""]);
    expect(r.stdout).toMatch(/^Community at HEAD \([0-9a-f]{10}\) from 2099-01-01 to the end: 0 commits .*\n  no commits in this window \(--since\/--until\): no organisations, shares, factors or periods to measure\n/);
    expect(r.stdout).not.toContain("(unknown)");
    expect(r.stdout).not.toContain("100.0%");
  });

  it("prints the organisation table and the intervals, with identities from steward.yaml", () => {
    const cfg = join(root, "steward.yaml");
    writeFileSync(
      cfg,
      [
        "version: 1",
        "projects:",
        "  - name: project",
        "    repo: project",
        "identities:",
        "  aliases:",
        '    "Bob Stone": [bob@amd.com, "@bstone"]',
        "  affiliations:",
        '    - { person: "@danwu", organization: Intel, until: "2024-06-30" }',
        '    - { person: "@danwu", organization: AMD, from: "2024-07-01" }',
      ].join("\n") + "\n",
    );
    const r = cli("community", "--repo", repo, "--period", "year", "--config", cfg);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/elephant factor \d+(–\d+)? · contributor absence factor \d+/);
    expect(r.stdout).toMatch(/elephant factor 2–1 · contributor absence factor 2 · top-1 share 30\.0%–50\.0%/);
    expect(r.stdout).toMatch(/\n\s+AMD\s+3\s+30\.0%\s+7\s+2\n/);
    expect(r.stdout).toMatch(/\(unknown\)\s+2\s+20\.0%\s+6\s+2/);
    // The same identities in a file that holds nothing else: the same result (no portfolio needed for one repository).
    const only = join(root, "identities.yaml");
    writeFileSync(only, readFileSync(cfg, "utf8").replace("projects:\n  - name: project\n    repo: project\n", ""));
    expect(readFileSync(only, "utf8")).not.toMatch(/projects/);
    const r2 = cli("community", "--repo", repo, "--period", "year", "--config", only);
    expect([r2.status, r2.stdout]).toEqual([0, r.stdout]);
    const md = cli("community", "--repo", repo, "--period", "year", "--config", cfg, "--format", "markdown", "--limit", "2");
    expect(md.status).toBe(0);
    expect(md.stdout).toMatch(/^## Community at `HEAD` \([0-9a-f]{10}\)\n\n10 human commits by 5 people \(1 merge and 1 bot commit apart; co-authors: author-only\)\. \*\*Affiliation coverage 80\.0%\*\*; unknown: 2 commits by 2 identities\.\n/);
    expect(md.stdout).toContain(
      [
        "| | best: each unknown identity its own organisation | worst: all unknown commits in the top organisation |",
        "|---|--:|--:|",
        "| elephant factor | 2 | 1 |",
        "| contributor absence factor | 2 | 2 |",
        "| top-1 share | 30.0% | 50.0% |",
        "| top-2 share | 50.0% | 70.0% |",
        "| HHI | 0.200 | 0.340 |",
        "",
        "| organisation | commits | share | changed lines | people |",
        "|---|--:|--:|--:|--:|",
        "| AMD | 3 | 30.0% | 7 | 2 |",
        "| Meta | 2 | 20.0% | 6 | 1 |",
        "| 2 more | 3 | 30.0% | 15 | |",
        "| (unknown) | 2 | 20.0% | 6 | 2 identities |",
      ].join("\n"),
    );
    expect(md.stdout).toContain("| 2024 | 10 | 5 | 5 | 80.0% | 2–1 | 2–1 | AMD 3 |\n");
    expect(md.stdout).toContain("Unresolved owners: `@org/core-team`.\n");
  });

  const bad = join(root, "badmailmap");
  const empty = join(root, "empty");
  beforeAll(() => {
    git(root, "init", "-q", bad);
    writeFileSync(join(bad, ".mailmap"), "Ok Name <ok@x.org>\nBroken <no-end\n");
    git(bad, "add", ".mailmap");
    git(bad, "-c", "user.name=T", "-c", "user.email=t@x.org", "commit", "-q", "-m", "m");
    git(root, "init", "-q", empty);
    writeFileSync(join(root, "baddate.yaml"), "version: 1\nidentities:\n  affiliations:\n    - person: ann@x.org\n      organization: X\n      from: 2024-02-30\n");
  });

  it.each([
    [["community", "--repo", "REPO", "--since", "2024-13-01"], "steward: --since must be a date YYYY-MM-DD: 2024-13-01\n"],
    [["community", "--repo", "REPO", "--period", "week"], /^steward: option '--period <period>' argument 'week' is invalid/],
    [["community", "--repo", "REPO", "nope"], /^steward: unknown ref in .*: nope\n$/],
    [["community", "--repo", "BADMAILMAP"], /^steward: \.mailmap:2: not a mailmap line: "Broken <no-end" \(git skips it silently; --lenient-mailmap skips it with a warning\)\n$/],
    [["community", "--repo", "EMPTY"], /^steward: .* has no commits\n$/],
    [["community", "--repo", "REPO", "--since", "2024-06-01", "--until", "2024-01-01"], "steward: --since 2024-06-01 is after --until 2024-01-01\n"],
    [["community", "--repo", "REPO", "--", "--output=x"], 'steward: ref must not start with \'-\': "--output=x"\n'],
    [["community", "--repo", "REPO", "--config", "BADDATE"], /^steward: .*baddate\.yaml:6: identities\.affiliations\[0\]\.from: Invalid ISO date\n$/],
    [["community", "--repo", "REPO", "--format", "sarif"], /^steward: option '--format <format>' argument 'sarif' is invalid/],
    [["identities", "unknown", "--repo", "EMPTY"], /^steward: .* has no commits\n$/],
    [["identities", "unknown", "--repo", "REPO", "--since", "2024-06-01", "--until", "2024-01-01"], "steward: --since 2024-06-01 is after --until 2024-01-01\n"],
    [["identities", "unknown", "--repo", "BADMAILMAP"], /^steward: \.mailmap:2: not a mailmap line: "Broken <no-end"/],
  ])("bad input %j: one line, exit 2", (args, message) => {
    const files: Record<string, string> = { REPO: repo, BADMAILMAP: bad, EMPTY: empty, BADDATE: join(root, "baddate.yaml") };
    const r = cli(...args.map((a) => files[a] ?? a));
    expect([r.status, r.stdout]).toEqual([2, ""]);
    if (typeof message === "string") expect(r.stderr).toBe(message);
    else expect(r.stderr).toMatch(message);
  });

  it("--lenient-mailmap skips the lines git skips, with a warning, and reads the rest", () => {
    const r = cli("community", "--repo", bad, "--lenient-mailmap", "--json");
    expect(r.status).toBe(0);
    const j = JSON.parse(r.stdout) as { totals: { commits: number }; warnings: string[] };
    expect(j.totals.commits).toBe(1);
    expect(j.warnings).toEqual(['.mailmap:2: not a mailmap line, skipped as git does: "Broken <no-end"']);
    const u = cli("identities", "unknown", "--repo", bad, "--lenient-mailmap", "--json");
    expect([u.status, (JSON.parse(u.stdout) as { warnings: string[] }).warnings]).toEqual([0, j.warnings]);
  });
});
