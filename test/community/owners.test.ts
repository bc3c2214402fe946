import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { community, ownersToResolve } from "../../src/analyzers/community/index.js";
import { HistoryBuilder, type Signature } from "../../src/git/builder.js";
import { steward } from "../helpers/cli.js";
import { sig, tempDir } from "../helpers/git.js";
import { expectMatchesSchema } from "../helpers/schema.js";

/**
 * CODEOWNERS names GitHub logins; commits carry addresses. Each owner below is tied (or not) to a
 * person by one rule, so each rule is tried on its own and on the side where it must not match.
 */
const root = tempDir("steward-owners-");
const repo = join(root, "fork");

const PEOPLE: Record<string, (d: string) => Signature> = {
  jane: (d) => sig("Jane Doe", "jane.doe@intel.com", d), // @jdoe-intel: first initial + last name, vendor suffix dropped (low)
  ann: (d) => sig("Ann Smith", "asmith@amd.com", d), // @asmith: the local part of her address (medium)
  bob: (d) => sig("Bob Stone", "robert@nvidia.com", d), // @rocketbob: nothing ties it but the config (high)
  carl: (d) => sig("Carl Ng", "777+carlng@users.noreply.github.com", d), // @carlng: a noreply address (high)
  carlWork: (d) => sig("Carl Ng", "carl@arm.com", d),
  dan: (d) => sig("Dan Lee", "dlee@amd.com", d), // @dlee: two people's local part: ambiguous, no guess
  dora: (d) => sig("Dora Lee", "dlee@intel.com", d),
};

const IDENTITIES = { domains: { "intel.com": "Intel", "amd.com": "AMD", "nvidia.com": "NVIDIA", "arm.com": "Arm" } };

beforeAll(async () => {
  const b = new HistoryBuilder();
  const files: Record<string, string> = {
    ".github/CODEOWNERS": ["* @org/core", "/intel/ @jdoe-intel", "/amd/ @asmith", "/nv/ @rocketbob", "/arm/ @carlng", "/shared/ @dlee", "/old/ @ghost", "/gaudi/ nobody@habana.ai", "/home/ nobody@gmail.com", ""].join("\n"),
  };
  let day = 1;
  for (const [who, dir] of [["jane", "intel"], ["ann", "amd"], ["bob", "nv"], ["carl", "arm"], ["carlWork", "arm"], ["dan", "shared"], ["dora", "shared"]] as const) {
    files[`${dir}/${who}.py`] = "x = 1\ny = 2\n";
    b.commit({ branch: "main", message: `${dir}: ${who}`, author: PEOPLE[who]!(`2024-01-${String(day++).padStart(2, "0")}T10:00:00Z`), files: { ...files } });
  }
  files["old/legacy.py"] = "z = 3\n";
  files["gaudi/ops.py"] = "a = 1\n";
  files["home/notes.py"] = "b = 1\n";
  b.commit({ branch: "main", message: "old", author: PEOPLE.ann!("2024-02-01T10:00:00Z"), files: { ...files } });
  await b.write(repo);
});

const owner = (r: Awaited<ReturnType<typeof community>>, o: string) => r.ownership!.owners.find((x) => x.owner === o)!;

describe("CODEOWNERS logins are tied to people with evidence and a confidence", () => {
  it("places each owner by the strongest rule that holds, and labels the heuristics", async () => {
    const r = await community({ repo, identities: IDENTITIES });
    const placed = Object.fromEntries(r.ownership!.owners.map((o) => [o.owner, [o.organization, o.match?.method ?? null, o.match?.confidence ?? null]]));
    expect(placed).toEqual({
      "@org/core": [null, null, null],
      "@jdoe-intel": ["Intel", "name", "low"],
      "@asmith": ["AMD", "local-part", "medium"],
      "@rocketbob": [null, null, null],
      "@carlng": ["Arm", "noreply", "high"],
      "@dlee": [null, null, null],
      "@ghost": [null, null, null],
      // An address that made no commit here still names its organisation by its domain; a webmail one does not.
      "nobody@habana.ai": ["Intel", "email", "high"],
      "nobody@gmail.com": [null, null, null],
    });
    expect(owner(r, "nobody@habana.ai").why).toBe("nobody@habana.ai (no commits by this address in the history): domain habana.ai");
    expect(owner(r, "nobody@gmail.com").why).toBe("no commits by this address in the history, and a webmail domain (add identities.domains or identities.affiliations)");
    expect(owner(r, "@jdoe-intel").match!.evidence).toBe("login jdoe-intel spells the name Jane Doe");
    expect(owner(r, "@asmith").match!.evidence).toBe("login asmith spells the local part of asmith@amd.com");
    expect(owner(r, "@carlng").match!.evidence).toBe("commits by carlng@users.noreply.github.com");
    expect(owner(r, "@dlee").why).toBe("ambiguous: the login matches Dan Lee <dlee@amd.com> and Dora Lee <dlee@intel.com> (add identities.logins)");
    expect(owner(r, "@rocketbob").why).toBe("no commits by this owner in the history (add identities.logins: {rocketbob: ADDRESS})");
    // Files and lines each owner owns: the last matching rule decides, as on GitHub.
    expect([owner(r, "@dlee").files, owner(r, "@dlee").lines, owner(r, "@org/core").files]).toEqual([2, 4, 1]);
    expect(r.ownership!.rules.find((x) => x.pattern === "/arm/")!.verdict).toBe("single-organization");
    await expectMatchesSchema("community", r);
  });

  it("identities.logins ties a login to a person (high confidence, the config as evidence) and resolves an ambiguity", async () => {
    const r = await community({ repo, identities: { ...IDENTITIES, logins: { rocketbob: "robert@nvidia.com", "@dlee": "dlee@intel.com" } } });
    expect([owner(r, "@rocketbob").organization, owner(r, "@rocketbob").match]).toEqual(["NVIDIA", { method: "config", confidence: "high", evidence: "config login 'rocketbob'" }]);
    expect([owner(r, "@dlee").organization, owner(r, "@dlee").match!.method]).toEqual(["Intel", "config"]);
  });

  it("a login that matches no one's address or name is not guessed", async () => {
    const r = await community({ repo, identities: IDENTITIES });
    // "ghost" is nobody's local part or name; "rocketbob" is not Bob Stone's (bobstone, bstone, stonebob).
    expect([owner(r, "@ghost").person, owner(r, "@rocketbob").person]).toEqual([undefined, undefined]);
  });

  it("identities unknown --owners lists the unresolved owners first, then the heuristic ones, with what they own", async () => {
    const r = await ownersToResolve({ repo, identities: IDENTITIES });
    // Most lines first: the team owns the 9-line CODEOWNERS itself.
    expect(r.owners.map((o) => [o.owner, o.state, o.files, o.lines])).toEqual([
      ["@org/core", "unresolved", 1, 9],
      ["@dlee", "unresolved", 2, 4],
      ["@rocketbob", "unresolved", 1, 2],
      ["@ghost", "unresolved", 1, 1],
      ["nobody@gmail.com", "unresolved", 1, 1],
      ["@asmith", "guessed", 1, 2],
      ["@jdoe-intel", "guessed", 1, 2],
    ]);
    const cfg = join(root, "steward.yaml");
    writeFileSync(cfg, "version: 1\nidentities:\n  domains: {intel.com: Intel, amd.com: AMD, nvidia.com: NVIDIA, arm.com: Arm}\n  logins:\n    rocketbob: robert@nvidia.com\n");
    const json = steward(["identities", "unknown", "--owners", "--repo", repo, "--config", cfg, "--json"]);
    expect(json.code).toBe(0);
    const out = JSON.parse(json.stdout);
    await expectMatchesSchema("identities-owners", out);
    expect(out.owners.map((o: { owner: string }) => o.owner)).toEqual(["@org/core", "@dlee", "@ghost", "nobody@gmail.com", "@asmith", "@jdoe-intel"]);
    const text = steward(["identities", "unknown", "--owners", "--repo", repo, "--config", cfg]);
    expect(text.stdout).toMatch(/^Owners in \.github\/CODEOWNERS at HEAD \(\w{10}\): 4 unresolved, 2 placed by a heuristic only\n/);
    const report = steward(["community", "--repo", repo, "--config", cfg, "--no-progress"]).stdout;
    expect(report).toContain("\n  unresolved owners (4): @dlee, @ghost, @org/core, nobody@gmail.com\n  placed by a heuristic only (2): @asmith (medium), @jdoe-intel (low)\n  settle them: steward identities unknown --owners\n");
    expect(text.stdout).toMatch(/\n +1 +2 +@jdoe-intel +Intel: low confidence, login jdoe-intel spells the name Jane Doe\n/);
  });

  it("a malformed login or address in identities.logins is a one-line config error", () => {
    const cfg = join(root, "bad.yaml");
    writeFileSync(cfg, "version: 1\nidentities:\n  logins:\n    rocketbob: Bob Stone\n");
    const r = steward(["community", "--repo", repo, "--config", cfg]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^steward: .*bad\.yaml:4: .*identities\.logins.*rocketbob.*an email address the person commits with\n$/);
  });
});

describe("a login spelled by a name written with dots, or by a one-word name", () => {
  const repo2 = join(root, "names");
  beforeAll(async () => {
    const b = new HistoryBuilder();
    const files: Record<string, string> = { ".github/CODEOWNERS": "/a/ @xuechendi\n/b/ @PatrykWo\n/c/ @bo\n" };
    let day = 1;
    for (const [who, dir] of [[sig("Chendi.Xue", "chendi@intel.com", ""), "a"], [sig("PatrykWo", "pwo@intel.com", ""), "b"], [sig("Bo", "bz@amd.com", ""), "c"], [sig("李雷", "lilei@example.cn", ""), "d"]] as const) {
      files[`${dir}/x.py`] = "x = 1\n";
      b.commit({ branch: "main", message: dir, author: { ...who, date: `2024-03-0${day++}T10:00:00Z` }, files: { ...files } });
    }
    await b.write(repo2);
  });

  it("Chendi.Xue is two words (surname first: xuechendi); PatrykWo is the login itself; Bo is too short to tell; a name without Latin letters spells nothing", async () => {
    const r = await community({ repo: repo2, identities: IDENTITIES });
    expect(r.ownership!.owners.map((o) => [o.owner, o.organization, o.match?.evidence ?? null])).toEqual([
      ["@PatrykWo", "Intel", "login patrykwo spells the name PatrykWo"],
      ["@bo", null, null],
      ["@xuechendi", "Intel", "login xuechendi spells the name Chendi.Xue"],
    ]);
  });
});

describe("a noreply identity kept apart from the same person's company address, and truncated logins", () => {
  const repo3 = join(root, "apart");
  // Each owner's directory, and who commits there. The login of the first two spells a second identity
  // of the person; the truncated logins are one or two letters short of a name or local part.
  const OWNERS = [
    ["alexi", "@Alexi-Q-Petrov-AMD"], // noreply (name = login) + "Alexi Q. Petrov" at amd.com: placed by the name, low
    ["lone", "@lone-wolf"], // noreply only, spelling no one else: stays unknown
    ["twin", "@kim-lee"], // noreply only; two others spell "kimlee": ambiguous, no guess
    ["marek", "@mkowalczy"], // 9 letters, 1 short of the local part mkowalczyk: prefix, low
    ["vera", "@verakova"], // 8 letters, 2 short of the name Vera Kovacs: prefix, low
    ["three", "@jsandoval"], // 9 letters, 3 short of jsandovalxyz: too much cut
    ["short", "@tomasze"], // 7 letters, 1 short of tomaszew: too short to trust
    ["pair", "@nakamura"], // a prefix of both nakamurak and nakamurat: ambiguous, no guess
  ] as const;
  const AUTHORS: [string, Signature[]][] = [
    ["alexi", [sig("Alexi-Q-Petrov-AMD", "900+Alexi-Q-Petrov-AMD@users.noreply.github.com", ""), sig("Alexi Q. Petrov", "alexi.petrov@amd.com", "")]],
    ["lone", [sig("lone-wolf", "901+lone-wolf@users.noreply.github.com", "")]],
    ["twin", [sig("kim-lee", "902+kim-lee@users.noreply.github.com", ""), sig("Kim Lee", "kim@amd.com", ""), sig("Lee Kim", "lkim@intel.com", "")]],
    ["marek", [sig("Marek K", "mkowalczyk@intel.com", "")]],
    ["vera", [sig("Vera Kovacs", "vk@amd.com", "")]],
    ["three", [sig("J S", "jsandovalxyz@intel.com", "")]],
    ["short", [sig("T W", "tomaszew@intel.com", "")]],
    ["pair", [sig("N K", "nakamurak@intel.com", ""), sig("N T", "nakamurat@amd.com", "")]],
  ];
  beforeAll(async () => {
    const b = new HistoryBuilder();
    const files: Record<string, string> = { ".github/CODEOWNERS": OWNERS.map(([dir, login]) => `/${dir}/ ${login}`).join("\n") + "\n" };
    let day = 1;
    for (const [dir, people] of AUTHORS) {
      for (const [i, who] of people.entries()) {
        files[`${dir}/f${i}.py`] = "x = 1\n";
        b.commit({ branch: "main", message: `${dir} ${i}`, author: { ...who, date: `2024-04-${String(day++).padStart(2, "0")}T10:00:00Z` }, files: { ...files } });
      }
    }
    await b.write(repo3);
  });

  it("places an owner by the other identity its login spells only when the tied one names no organisation", async () => {
    const r = await community({ repo: repo3, identities: IDENTITIES });
    const alexi = owner(r, "@Alexi-Q-Petrov-AMD");
    expect([alexi.organization, alexi.match!.method, alexi.also!.match]).toEqual(["AMD", "noreply", { method: "name", confidence: "low", evidence: "login alexi-q-petrov-amd spells the name Alexi Q. Petrov" }]);
    expect(alexi.person).toBe("alexi-q-petrov-amd@users.noreply.github.com");
    expect(alexi.also!.person).toBe("alexi.petrov@amd.com");
    expect(alexi.why).toBe(
      "Alexi-Q-Petrov-AMD <alexi-q-petrov-amd@users.noreply.github.com>: affiliation unknown (webmail users.noreply.github.com); also Alexi Q. Petrov <alexi.petrov@amd.com> (low confidence: login alexi-q-petrov-amd spells the name Alexi Q. Petrov): domain amd.com (alexi.petrov@amd.com, seen 2024-04-02..2024-04-02)",
    );
    expect([owner(r, "@lone-wolf").organization, owner(r, "@lone-wolf").also]).toEqual([null, undefined]);
    expect([owner(r, "@kim-lee").organization, owner(r, "@kim-lee").also]).toEqual([null, undefined]);
    // A tie that already names an organisation is never overridden by a spelling (Carl Ng: noreply + arm.com).
    const first = await community({ repo, identities: IDENTITIES });
    expect([owner(first, "@carlng").organization, owner(first, "@carlng").also]).toEqual(["Arm", undefined]);
    await expectMatchesSchema("community", r);
  });

  it("a login cut short by one or two letters of one person's local part or name is a low-confidence prefix match; shorter logins, longer cuts and two candidates are not", async () => {
    const r = await community({ repo: repo3, identities: IDENTITIES });
    const placed = Object.fromEntries(["@mkowalczy", "@verakova", "@jsandoval", "@tomasze", "@nakamura"].map((o) => [o, [owner(r, o).organization, owner(r, o).match?.evidence ?? null]]));
    expect(placed).toEqual({
      "@mkowalczy": ["Intel", "login mkowalczy is the local part of mkowalczyk@intel.com cut short"],
      "@verakova": ["AMD", "login verakova is the name Vera Kovacs cut short"],
      "@jsandoval": [null, null],
      "@tomasze": [null, null],
      "@nakamura": [null, null],
    });
    expect(owner(r, "@nakamura").why).toBe("ambiguous: the login matches N K <nakamurak@intel.com> and N T <nakamurat@amd.com> (add identities.logins)");
    expect(owner(r, "@mkowalczy").match!.confidence).toBe("low");
    const todo = await ownersToResolve({ repo: repo3, identities: IDENTITIES });
    expect(todo.owners.filter((o) => o.state === "guessed").map((o) => o.owner)).toEqual(["@Alexi-Q-Petrov-AMD", "@mkowalczy", "@verakova"]);
    const text = steward(["identities", "unknown", "--owners", "--repo", repo3, "--no-progress"].filter((a) => a !== "--no-progress"));
    expect(text.stdout).toContain("AMD: low confidence, commits by alexi-q-petrov-amd@users.noreply.github.com, and login alexi-q-petrov-amd spells the name Alexi Q. Petrov");
  });
});
