import { describe, expect, it } from "vitest";
import { Affiliations } from "../../src/analyzers/community/affiliation.js";
import { IdentityResolver, noreplyLogin } from "../../src/analyzers/community/identities.js";
import { renamedTo } from "../../src/analyzers/community/log.js";
import { parseMailmap } from "../../src/analyzers/community/mailmap.js";
import { elephantFactor, hhi, orgConcentration, topShares } from "../../src/analyzers/community/metrics.js";
import { codeownersPattern } from "../../src/analyzers/community/ownership.js";

describe("CHAOSS metrics", () => {
  it("the elephant factor of CHAOSS's worked example is 2", () => {
    // chaoss/wg-risk elephant-factor.md: 2475 commits, half is 1237.5, the top two make 1433.
    expect(elephantFactor([1000, 433, 343, 332, 202, 90, 42, 33])).toBe(2);
  });

  it.each([
    [[125, 125, 125, 125, 125, 125, 125, 125], 4], // eight at 12.5%
    [[50, 30, 20], 1], // exactly 50% reaches the threshold
    [[49, 30, 21], 2],
    [[], 0],
    [[1 / 3, 1 / 3, 1 / 3], 2], // split co-author credit
  ])("elephantFactor(%j) = %i", (counts, ef) => {
    expect(elephantFactor(counts)).toBe(ef);
  });

  it("HHI and top shares", () => {
    expect(hhi([50, 50])).toBe(0.5);
    expect(hhi([100])).toBe(1);
    expect(topShares([60, 30, 10])).toEqual({ top1: 0.6, top2: 0.9 });
  });

  it("intervals over the unknowns: each unknown identity its own organisation (best) vs folded into the top one (worst)", () => {
    // Known: A 40, B 30, C 10; unknown identities: 12 and 8 commits (total 100).
    expect(orgConcentration([40, 30, 10], [12, 8])).toEqual({
      elephantFactor: { best: 2, worst: 1 }, // best: 40+30 >= 50; worst: A has 60
      top1Share: { best: 0.4, worst: 0.6 },
      top2Share: { best: 0.7, worst: 0.9 },
      hhi: { best: 0.2808, worst: 0.46 }, // 0.16 + 0.09 + 0.01 + 0.0144 + 0.0064; 0.36 + 0.09 + 0.01
    });
    // Nothing known: the worst case is one organisation holding everything.
    expect(orgConcentration([], [5, 5])).toMatchObject({ elephantFactor: { best: 1, worst: 1 }, top1Share: { best: 0.5, worst: 1 } });
  });
});

describe(".mailmap", () => {
  it("reads the four forms, matching case-insensitively", () => {
    const m = parseMailmap(
      [
        "# comment",
        "Ann Lee <ann@old.example>",
        "<bob@amd.com> <bob@laptop.local>",
        "Carol Chen <carol@intel.com> <cc@home.example>",
        "Dan Wu <dan@amd.com> dan <DAN@Intel.com>  # trailing comment",
        "",
      ].join("\n"),
      ".mailmap",
    );
    expect([m.map("A", "ANN@old.example"), m.map("Bob", "bob@laptop.local"), m.map("x", "cc@home.example"), m.map("dan", "dan@intel.com"), m.map("Daniel", "dan@intel.com")]).toEqual([
      { name: "Ann Lee", email: "ANN@old.example", line: 2 },
      { name: "Bob", email: "bob@amd.com", line: 3 },
      { name: "Carol Chen", email: "carol@intel.com", line: 4 },
      { name: "Dan Wu", email: "dan@amd.com", line: 5 },
      { name: "Daniel", email: "dan@intel.com", line: null },
    ]);
  });

  it("reads what git reads: an email with spaces (Linux's .mailmap has one), a lone address (maps nothing), an indented comment", () => {
    const m = parseMailmap(["Juha Yrjola <at solidboot.com>", "<only@email.org>", "  # indented comment", "Dmitry Baryshkov <dbaryshkov@gmail.com> <[dbaryshkov@gmail.com]>"].join("\n"), ".mailmap");
    expect(m.entries.map((e) => [e.line, e.properName, e.properEmail, e.commitName, e.commitEmail])).toEqual([
      [1, "Juha Yrjola", null, null, "at solidboot.com"],
      [4, "Dmitry Baryshkov", "dbaryshkov@gmail.com", null, "[dbaryshkov@gmail.com]"],
    ]);
    expect(m.map("juha", "AT solidboot.com")).toEqual({ name: "Juha Yrjola", email: "AT solidboot.com", line: 1 });
    expect(m.map("x", "only@email.org")).toEqual({ name: "x", email: "only@email.org", line: null });
    expect(m.notes).toEqual([]);
  });

  it.each([
    // numpy's .mailmap line 529 ends in a stray "C" after the address.
    ["Malik Khan <77000356+mkhan@users.noreply.github.com>C", [null, "77000356+mkhan@users.noreply.github.com"], '"C" after the address ignored'],
    ["a <b@c.d> <e@f.g> <h@i.j>", ["b@c.d", "e@f.g"], '"<h@i.j>" after the addresses ignored'],
    ["a <b@c.d> <e@f.g", [null, "b@c.d"], '"<e@f.g" after the address ignored'],
  ])("reads %j as git does, noting the ignored text", (text, [properEmail, commitEmail], note) => {
    const m = parseMailmap(text, ".mailmap");
    expect(m.entries.map((e) => [e.properEmail, e.commitEmail])).toEqual([[properEmail, commitEmail]]);
    expect(m.notes).toEqual([`.mailmap:1: ${note}, as git does: ${JSON.stringify(text)}`]);
  });

  it.each([
    ["Ann <ann@x.org", ".mailmap:1: not a mailmap line"],
    ["ok <a@b.c>\nno address here", ".mailmap:2: not a mailmap line"],
    ["Ann <>", ".mailmap:1: not a mailmap line"],
  ])("refuses %j naming file and line (git would drop it silently); lenient: skips it with a note", (text, message) => {
    expect(() => parseMailmap(text, ".mailmap")).toThrow(message);
    const m = parseMailmap(text, ".mailmap", { lenient: true });
    expect(m.notes).toEqual([expect.stringMatching(/^\.mailmap:\d: not a mailmap line, skipped as git does: /)]);
  });
});

describe("numstat paths", () => {
  it.each([
    ["runtime/engine.py", "runtime/engine.py"],
    ["csrc/kernels/big.cu => ops/big.cu", "ops/big.cu"],
    ["ops/{big.cu => cuda/big.cu}", "ops/cuda/big.cu"],
    ["{csrc => ops}/kernels/big.cu", "ops/kernels/big.cu"],
    ["lib/{sub => }/f.py", "lib/f.py"],
    ["{lib => }/f.py", "f.py"],
    ["lib/{ => sub}/f.py", "lib/sub/f.py"],
  ])("a move %j is read as its new path %j", (path, expected) => {
    expect(renamedTo(path)).toBe(expected);
  });
});

describe("identity resolution", () => {
  const resolve = (seen: [string, string][], opts: { readonly mailmap?: string; readonly aliases?: Readonly<Record<string, readonly string[]>>; readonly bots?: readonly string[] } = {}) => {
    const aliases = Object.fromEntries(Object.entries(opts.aliases ?? {}).map(([k, v]) => [k, [...v]]));
    const ids = new IdentityResolver(opts.mailmap ? parseMailmap(opts.mailmap, ".mailmap") : null, { aliases, bots: [...(opts.bots ?? [])] });
    for (const [n, e] of seen) ids.see(n, e);
    return ids
      .all()
      .map((p) => [p.name, p.emails, p.merges.map((m) => m.reason), p.bot])
      .sort((a, b) => (String(a[0]) < String(b[0]) ? -1 : 1));
  };

  it.each([
    ["the same address, whatever the name", [["Ann", "ann@x.org"], ["Ann Lee", "ANN@x.org"]], {}, [["Ann", ["ann@x.org"], [], false]]],
    ["a mailmap line", [["Gina Ho", "gina@meta.com"], ["gh", "gh@laptop.local"]], { mailmap: "Gina Ho <gina@meta.com> <gh@laptop.local>" }, [["Gina Ho", ["gina@meta.com", "gh@laptop.local"], ["mailmap line 1"], false]]],
    ["a config alias", [["Bob", "bob@amd.com"], ["bobby", "bob@home.example"]], { aliases: { Bob: ["bob@amd.com", "bob@home.example"] } }, [["Bob", ["bob@amd.com", "bob@home.example"], ["config alias 'Bob'"], false]]],
    ["a GitHub noreply login, old and new forms", [["dan", "12345+dan@users.noreply.github.com"], ["Dan", "dan@users.noreply.github.com"]], {}, [["Dan", ["dan@users.noreply.github.com"], [], false]]],
    ["an exact full name seen with both addresses", [["Carol Chen", "carol@intel.com"], ["Carol Chen", "carol@gmail.com"]], {}, [["Carol Chen", ["carol@gmail.com", "carol@intel.com"], ["same full name 'Carol Chen'"], false]]],
    ["never a one-word name", [["ubuntu", "u@host-a"], ["ubuntu", "u@host-b"]], {}, [["ubuntu", ["u@host-a"], [], false], ["ubuntu", ["u@host-b"], [], false]]],
    ["bots by [bot], known accounts and config", [["dependabot[bot]", "49699333+dependabot[bot]@users.noreply.github.com"], ["CI", "ci@corp.example"]], { bots: ["ci@corp.example"] }, [["CI", ["ci@corp.example"], [], true], ["dependabot[bot]", ["dependabot[bot]@users.noreply.github.com"], [], true]]],
  ] as const)("merges by %s", (_why, seen, opts, expected) => {
    expect(resolve(seen.map((x) => [...x] as [string, string]), opts)).toEqual(expected);
  });

  it("reads GitHub noreply logins", () => {
    expect([noreplyLogin("12345+Ann@users.noreply.github.com"), noreplyLogin("ann@users.noreply.github.com"), noreplyLogin("ann@github.com")]).toEqual(["ann", "ann", null]);
  });
});

describe("affiliation", () => {
  const ids = new IdentityResolver(null, { aliases: { Dan: ["dan@users.noreply.github.com"] }, bots: [] });
  for (const [n, e] of [["Dan", "dan@users.noreply.github.com"], ["Iris", "iris@us.ibm.com"], ["Eve", "eve@gmail.com"], ["Frank", "frank@startup.io"], ["Hal", "hal@lab.example"]] as const) ids.see(n, e);
  const aff = new Affiliations(
    [
      { person: "Dan", organization: "Intel", until: "2024-06-30" },
      { person: "Dan", organization: "AMD", from: "2024-07-01" },
    ],
    { "lab.example": "Example Lab" },
    { Dan: ["dan@users.noreply.github.com"] },
  );
  const of = (name: string, email: string, day: string) => aff.of(ids.personOf(name, email), email, day);

  it.each([
    ["a dated config affiliation, before the change", "Dan", "dan@users.noreply.github.com", "2024-06-30", { org: "Intel", source: "config", evidence: "Dan until 2024-06-30" }],
    ["a dated config affiliation, after the change", "Dan", "dan@users.noreply.github.com", "2024-07-01", { org: "AMD", source: "config", evidence: "Dan from 2024-07-01" }],
    ["the longest domain suffix", "Iris", "iris@us.ibm.com", "2024-01-01", { org: "IBM", source: "domain", evidence: "ibm.com" }],
    ["a config domain", "Hal", "hal@lab.example", "2024-01-01", { org: "Example Lab", source: "domain", evidence: "lab.example" }],
    ["webmail is unknown, never independent", "Eve", "eve@gmail.com", "2024-01-01", { org: null, source: "webmail", evidence: "gmail.com" }],
    ["an unmatched domain is unknown", "Frank", "frank@startup.io", "2024-01-01", { org: null, source: "unmatched", evidence: "startup.io" }],
  ])("%s", (_why, name, email, day, expected) => {
    expect(of(name, email, day)).toEqual(expected);
  });

  it("a noreply or webmail commit takes the company address the same person used before and after that day", () => {
    const r = new IdentityResolver(null, { aliases: {}, bots: [] });
    r.see("Lo Adams", "lo@microsoft.com", "2023-01-10");
    r.see("Lo Adams", "lo@microsoft.com", "2023-06-30");
    r.see("Lo Adams", "99+lo@users.noreply.github.com", "2023-03-01");
    r.see("Lo Adams", "99+lo@users.noreply.github.com", "2024-02-01");
    const a = new Affiliations([], {}, {});
    const lo = r.personOf("Lo Adams", "99+lo@users.noreply.github.com");
    expect(a.of(lo, "lo@users.noreply.github.com", "2023-03-01")).toEqual({ org: "Microsoft", source: "person", evidence: "lo@microsoft.com in use 2023-01-10..2023-06-30" });
    // After the last commit from the company address nothing says where Lo works.
    expect(a.of(lo, "lo@users.noreply.github.com", "2024-02-01")).toEqual({ org: null, source: "webmail", evidence: "users.noreply.github.com" });
  });

  it("a reviewer or code owner named without a commit address is placed by the address in use on that day, not the most used one", () => {
    const r = new IdentityResolver(null, { aliases: {}, bots: [] });
    for (const day of ["2019-01-10", "2020-05-01", "2021-12-20"]) r.see("Mo Reyes", "mo@intel.com", day);
    for (const day of ["2023-01-05", "2024-06-30"]) r.see("Mo Reyes", "mo@amd.com", day);
    r.see("Mo Reyes", "mo@gmail.com", "2022-06-01");
    const a = new Affiliations([], {}, {});
    const mo = r.personOf("Mo Reyes", "mo@amd.com");
    // The most used address (Intel) leads the person's list, yet on these days it is not the one in use.
    expect(mo.emails[0]).toBe("mo@intel.com");
    const amd = { org: "AMD", source: "domain", evidence: "amd.com (mo@amd.com, seen 2023-01-05..2024-06-30)" };
    const intel = { org: "Intel", source: "domain", evidence: "intel.com (mo@intel.com, seen 2019-01-10..2021-12-20)" };
    expect(a.ofPerson(mo, "2024-01-15")).toEqual(amd);
    expect(a.ofPerson(mo, "2024-09-01")).toEqual(amd); // the latest before the day
    expect(a.ofPerson(mo, "2020-01-01")).toEqual(intel);
    // Between the two jobs (only the webmail address in use): the company address used most recently before.
    expect(a.ofPerson(mo, "2022-06-01")).toEqual(intel);
    expect(a.ofPerson(mo, "2018-01-01")).toEqual(intel); // before any: the earliest after
    // An address only ever named in trailers (a co-author line on 2025-03-01) dates too: after it, that one.
    r.see("Mo Reyes", "mo@nvidia.com", undefined, "2025-03-01");
    const mo2 = r.personOf("Mo Reyes", "mo@amd.com");
    expect(mo2.used["mo@nvidia.com"]).toBeUndefined(); // not authored: no evidence for the commit rule
    expect(a.ofPerson(mo2, "2025-04-01")).toEqual({ org: "NVIDIA", source: "domain", evidence: "nvidia.com (mo@nvidia.com, seen 2025-03-01..2025-03-01)" });
    expect(a.ofPerson(mo2, "2024-09-01")).toEqual(amd);
  });

  it("refuses invalid config dates, naming them", () => {
    expect(() => new Affiliations([{ person: "x", organization: "Y", from: "2024-13-01" }], {}, {})).toThrow("identities.affiliations (x): invalid date '2024-13-01'");
  });
});

describe("CODEOWNERS patterns", () => {
  it.each([
    ["*", "a/b/c.py", true],
    ["*.py", "a/b/c.py", true],
    ["*.py", "a/b/c.cu", false],
    ["/docs/", "docs/index.md", true],
    ["/docs/", "src/docs/index.md", false],
    ["docs/", "src/docs/index.md", true],
    ["csrc/adam/", "csrc/adam/fused.cu", true],
    ["/csrc/**/*.cu", "csrc/adam/deep/fused.cu", true],
    ["apps/", "apps", false],
    ["README.md", "sub/README.md", true],
  ])("%s matches %s: %s", (pattern, path, expected) => {
    expect(codeownersPattern(pattern).test(path)).toBe(expected);
  });
});
