import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { Affiliations, isDay, type DatedAffiliation } from "../../src/analyzers/community/affiliation.js";
import { community } from "../../src/analyzers/community/index.js";
import { IdentityResolver, type IdentityConfig, type Person } from "../../src/analyzers/community/identities.js";
import { parseMailmap } from "../../src/analyzers/community/mailmap.js";
import { HistoryBuilder } from "../../src/git/builder.js";
import { sig, tempDir } from "../helpers/git.js";

/** One sighting of an identity: [name, email, day it authored a commit, day it appeared otherwise (committer, trailer)]. */
type Sighting = [name: string, email: string, authoredOn?: string, seenOn?: string];

/** People as the community analysis builds them: every sighting through the identity resolver (mailmap, aliases, logins). */
function resolver(sightings: Sighting[], config: Partial<IdentityConfig> = {}, mailmap?: string): IdentityResolver {
  const r = new IdentityResolver(mailmap === undefined ? null : parseMailmap(mailmap, ".mailmap"), { aliases: {}, bots: [], ...config });
  for (const [name, email, authoredOn, seenOn] of sightings) r.see(name, email, authoredOn, seenOn);
  return r;
}

const webmail = (domain: string) => ({ org: null, source: "webmail", evidence: domain });
const unmatched = (evidence: string) => ({ org: null, source: "unmatched", evidence });
const byDomain = (org: string, suffix: string) => ({ org, source: "domain", evidence: suffix });

describe("affiliation rules: calendar days", () => {
  it("a day is YYYY-MM-DD and exists: 29 February only in leap years, no month 13, nothing around it", () => {
    expect([isDay("2024-02-29"), isDay("2024-12-31"), isDay("2024-01-01")]).toEqual([true, true, true]);
    expect([isDay("2023-02-29"), isDay("2024-02-30"), isDay("2024-04-31"), isDay("2024-13-01"), isDay("2024-00-10")]).toEqual([false, false, false, false, false]);
    expect([isDay("2024-1-01"), isDay("2024-01-1"), isDay("24-01-01"), isDay("2024/01/01"), isDay("")]).toEqual([false, false, false, false, false]);
    expect([isDay(" 2024-01-01"), isDay("2024-01-01 "), isDay("2024-01-01T00:00:00Z"), isDay("x2024-01-01"), isDay("12024-01-01")]).toEqual([false, false, false, false, false]);
  });

  it("a config date on either side is checked, and a range ending before it starts is refused; one day (from = until) is a range", () => {
    const at = (from?: string, until?: string) => () => new Affiliations([{ person: "ann@x.org", organization: "X", ...(from ? { from } : {}), ...(until ? { until } : {}) }], {}, {});
    expect(at("2024-02-30")).toThrow("identities.affiliations (ann@x.org): invalid date '2024-02-30' (YYYY-MM-DD)");
    expect(at(undefined, "2024-1-31")).toThrow("identities.affiliations (ann@x.org): invalid date '2024-1-31' (YYYY-MM-DD)");
    expect(at("2024-05-02", "2024-05-01")).toThrow("identities.affiliations (ann@x.org): from 2024-05-02 is after until 2024-05-01");
    expect(at("2024-05-01", "2024-05-01")).not.toThrow();
    expect(at("2024-05-01")).not.toThrow();
    expect(at(undefined, "2024-05-01")).not.toThrow();
  });
});

describe("affiliation rules: explicit config", () => {
  const ids = resolver([
    ["Ann Lee", "ann@nvidia.com", "2024-01-10"],
    ["Bob Stone", "bob@amd.com", "2024-01-10"],
  ]);
  const ann = ids.personOf("Ann Lee", "ann@nvidia.com");
  const bob = ids.personOf("Bob Stone", "bob@amd.com");

  it("a dated config affiliation applies from its first to its last day inclusive; outside them the address's domain decides", () => {
    const a = new Affiliations([{ person: "ann@nvidia.com", organization: "Example Lab", from: "2024-03-01", until: "2024-03-31" }], {}, {});
    const lab = { org: "Example Lab", source: "config", evidence: "ann@nvidia.com from 2024-03-01 until 2024-03-31" };
    expect(a.of(ann, "ann@nvidia.com", "2024-02-29")).toEqual(byDomain("NVIDIA", "nvidia.com"));
    expect(a.of(ann, "ann@nvidia.com", "2024-03-01")).toEqual(lab);
    expect(a.of(ann, "ann@nvidia.com", "2024-03-31")).toEqual(lab);
    expect(a.of(ann, "ann@nvidia.com", "2024-04-01")).toEqual(byDomain("NVIDIA", "nvidia.com"));
  });

  it("an open end is unbounded, and the evidence names only the dates the entry has", () => {
    const a = new Affiliations(
      [
        { person: "ann@nvidia.com", organization: "Old Co", until: "2019-12-31" },
        { person: "ann@nvidia.com", organization: "New Co", from: "2030-01-01" },
        { person: "bob@amd.com", organization: "Always Co" },
      ],
      {},
      {},
    );
    expect(a.of(ann, "ann@nvidia.com", "1990-01-01")).toEqual({ org: "Old Co", source: "config", evidence: "ann@nvidia.com until 2019-12-31" });
    expect(a.of(ann, "ann@nvidia.com", "2020-01-01")).toEqual(byDomain("NVIDIA", "nvidia.com"));
    expect(a.of(ann, "ann@nvidia.com", "2029-12-31")).toEqual(byDomain("NVIDIA", "nvidia.com"));
    expect(a.of(ann, "ann@nvidia.com", "2099-01-01")).toEqual({ org: "New Co", source: "config", evidence: "ann@nvidia.com from 2030-01-01" });
    expect(a.of(bob, "bob@amd.com", "2024-01-10")).toEqual({ org: "Always Co", source: "config", evidence: "bob@amd.com" });
  });

  it("entries for someone else are skipped, and of two entries covering the day the first listed decides", () => {
    const dated: DatedAffiliation[] = [
      { person: "bob@amd.com", organization: "Bob's Co" },
      { person: "ann@nvidia.com", organization: "First", from: "2024-01-01" },
      { person: "Ann Lee", organization: "Second", from: "2023-01-01" },
    ];
    const a = new Affiliations(dated, {}, {});
    expect(a.of(ann, "ann@nvidia.com", "2024-06-01")).toEqual({ org: "First", source: "config", evidence: "ann@nvidia.com from 2024-01-01" });
    // Before the first entry starts, the second one (by display name) still covers the day.
    expect(a.of(ann, "ann@nvidia.com", "2023-06-01")).toEqual({ org: "Second", source: "config", evidence: "Ann Lee from 2023-01-01" });
    expect(a.of(bob, "bob@amd.com", "2024-06-01")).toEqual({ org: "Bob's Co", source: "config", evidence: "bob@amd.com" });
  });

  it("an automation account is never placed in an organisation, not even by config or a company address", () => {
    const r = resolver([["ci-bot", "ci@nvidia.com", "2024-01-10"]], { bots: ["ci@nvidia.com"] });
    const bot = r.personOf("ci-bot", "ci@nvidia.com");
    const a = new Affiliations([{ person: "ci@nvidia.com", organization: "X" }], {}, {});
    expect(bot.bot).toBe(true);
    expect(a.of(bot, "ci@nvidia.com", "2024-01-10")).toEqual({ org: null, source: "bot", evidence: "automation account" });
    expect(a.ofPerson(bot, "2024-01-10")).toEqual({ org: null, source: "bot", evidence: "automation account" });
  });
});

describe("affiliation rules: how a config entry names its person", () => {
  // One person with a company address, a webmail address, and a GitHub login (noreply address).
  const ids = resolver(
    [
      ["Ann Lee", "Ann@Lab.Example", "2024-01-10"],
      ["Ann Lee", "ann.lee@gmail.com", "2024-01-11"],
      ["annl", "123+AnnL@users.noreply.github.com", "2024-01-12"],
      ["Bo Chen", "bo@lab.example", "2024-01-10"],
    ],
    { aliases: { Annie: ["ann@lab.example", "ann.lee@gmail.com", "@annl"] } },
  );
  const ann = ids.personOf("Ann Lee", "ann.lee@gmail.com");
  const bo = ids.personOf("Bo Chen", "bo@lab.example");
  const placed = (person: string, aliases: Record<string, string[]> = {}, who: Person = ann) =>
    new Affiliations([{ person, organization: "Placed" }], { "lab.example": "Lab" }, aliases).of(who, who.emails.includes("ann@lab.example") ? "ann@lab.example" : "bo@lab.example", "2024-01-10").org;

  it("the resolver made one person of the three addresses (the premise of the rules below)", () => {
    expect([ann.name, [...ann.emails].sort(), ann.login]).toEqual(["Ann Lee", ["ann.lee@gmail.com", "ann@lab.example", "annl@users.noreply.github.com"], "annl"]);
  });

  it("by any of the person's addresses or by display name, whatever the case", () => {
    expect([placed("ann@lab.example"), placed("ANN@LAB.EXAMPLE"), placed("ann.lee@gmail.com"), placed("Ann Lee"), placed("ann lee"), placed("ANN LEE")]).toEqual(["Placed", "Placed", "Placed", "Placed", "Placed", "Placed"]);
    // Someone else's address or name does not place her.
    expect([placed("bo@lab.example"), placed("Bo Chen"), placed("Ann"), placed("ann@lab")]).toEqual(["Lab", "Lab", "Lab", "Lab"]);
  });

  it("by @login only with the @: the bare word is a name, not a login", () => {
    expect([placed("@annl"), placed("@AnnL")]).toEqual(["Placed", "Placed"]);
    expect([placed("annl"), placed("@ann"), placed("@bo")]).toEqual(["Lab", "Lab", "Lab"]);
  });

  it("by the noreply address as commits spell it, with or without the numeric id", () => {
    expect([placed("annl@users.noreply.github.com"), placed("123+AnnL@users.noreply.github.com"), placed("999+annl@users.noreply.github.com")]).toEqual(["Placed", "Placed", "Placed"]);
    expect(placed("123+bo@users.noreply.github.com")).toBe("Lab");
  });

  it("an address that is no login never matches a person by login, even one whose login is 'null'", () => {
    const r = resolver([["Nul Li", "null@users.noreply.github.com", "2024-01-10"]]);
    const nul = r.personOf("Nul Li", "null@users.noreply.github.com");
    expect(nul.login).toBe("null");
    const place = (person: string) => new Affiliations([{ person, organization: "Placed" }], {}, {}).of(nul, "null@users.noreply.github.com", "2024-01-10").org;
    expect([place("someone@else.org"), place("nobody")]).toEqual([null, null]);
    expect([place("@null"), place("5+null@users.noreply.github.com")]).toEqual(["Placed", "Placed"]);
  });

  it("by a config alias name, when one of the alias's addresses or @logins is the person's", () => {
    expect([placed("Annie", { Annie: ["ANN@LAB.EXAMPLE"] }), placed("Annie", { Annie: ["nobody@x.org", "@AnnL"] }), placed("Annie", { Annie: ["123+annl@users.noreply.github.com"] })]).toEqual(["Placed", "Placed", "Placed"]);
    // An alias of other addresses, a bare login word, or an alias name spelt otherwise does not.
    expect([placed("Annie", { Annie: ["bo@lab.example"] }), placed("Annie", { Annie: ["annl"] }), placed("annie", { Annie: ["ann@lab.example"] }), placed("Annie", {})]).toEqual(["Lab", "Lab", "Lab", "Lab"]);
    // Bo is not Annie, whatever the alias says about Ann.
    expect(placed("Annie", { Annie: ["ann@lab.example"] }, bo)).toBe("Lab");
  });
});

describe("affiliation rules: the commit address's domain", () => {
  const nobody = resolver([["Zed Ray", "zed@x.org", "2024-01-10"]]).personOf("Zed Ray", "zed@x.org");
  const of = (email: string, domains: Record<string, string> = {}) => new Affiliations([], domains, {}).of(nobody, email, "2024-01-10");

  it("a subdomain takes its parent's organisation, and the evidence names the suffix that matched", () => {
    expect([of("a@nvidia.com"), of("a@research.nvidia.com"), of("a@a.b.nvidia.com")]).toEqual([byDomain("NVIDIA", "nvidia.com"), byDomain("NVIDIA", "nvidia.com"), byDomain("NVIDIA", "nvidia.com")]);
  });

  it("the longest listed suffix decides: a configured subdomain over its parent, the parent for the subdomain's siblings", () => {
    const domains = { "research.nvidia.com": "NV Research" };
    expect([of("a@research.nvidia.com", domains), of("a@x.research.nvidia.com", domains), of("a@dev.nvidia.com", domains)]).toEqual([
      byDomain("NV Research", "research.nvidia.com"),
      byDomain("NV Research", "research.nvidia.com"),
      byDomain("NVIDIA", "nvidia.com"),
    ]);
  });

  it("domains match by whole labels: notnvidia.com is not nvidia.com, nor is nvidia.com.evil.example", () => {
    expect([of("a@notnvidia.com"), of("a@nvidia.com.evil.example")]).toEqual([unmatched("notnvidia.com"), unmatched("nvidia.com.evil.example")]);
  });

  it("a top-level label alone never names an organisation, even when the config lists it", () => {
    const domains = { lab: "Lab TLD", "corp.lab": "Corp" };
    expect([of("a@x.lab", domains), of("a@lab", domains), of("a@corp.lab", domains), of("a@eng.corp.lab", domains)]).toEqual([unmatched("x.lab"), unmatched("lab"), byDomain("Corp", "corp.lab"), byDomain("Corp", "corp.lab")]);
  });

  it("the config's domains override the built-in map and are case-folded, as addresses are", () => {
    expect(of("a@nvidia.com", { "nvidia.com": "Renamed" })).toEqual(byDomain("Renamed", "nvidia.com"));
    expect(of("a@NVIDIA.COM")).toEqual(byDomain("NVIDIA", "nvidia.com"));
    expect([of("a@lab.example", { "Lab.Example": "Lab" }), of("a@LAB.example", { "lab.EXAMPLE": "Lab" })]).toEqual([byDomain("Lab", "lab.example"), byDomain("Lab", "lab.example")]);
    // Without the config entry the same domain is unknown.
    expect(of("a@lab.example")).toEqual(unmatched("lab.example"));
  });

  it("a public mail domain never names an organisation (whatever its case, even listed in the config); its company neighbour does", () => {
    expect([of("eve@gmail.com"), of("EVE@GMail.Com"), of("eve@gmail.com", { "gmail.com": "Google" }), of("eve@users.noreply.github.com")]).toEqual([
      webmail("gmail.com"),
      webmail("gmail.com"),
      webmail("gmail.com"),
      webmail("users.noreply.github.com"),
    ]);
    expect([of("eve@google.com"), of("eve@mail.google.com")]).toEqual([byDomain("Google", "google.com"), byDomain("Google", "google.com")]);
  });

  it("an address without a domain is unmatched and says what it was; the domain is what follows the last @", () => {
    expect([of(""), of("nobody"), of("nvidia.com"), of("ann@")]).toEqual([unmatched("(no email)"), unmatched("nobody"), unmatched("nvidia.com"), unmatched("ann@")]);
    expect([of("a@b@nvidia.com"), of("a@nvidia.com@b.example")]).toEqual([byDomain("NVIDIA", "nvidia.com"), unmatched("b.example")]);
  });

  it("the same address gets the same answer whichever person or day asks (answers are remembered, never mixed up)", () => {
    const a = new Affiliations([], {}, {});
    const first = [a.of(nobody, "x@gmail.com", "2024-01-10"), a.of(nobody, "x@amd.com", "2024-01-10"), a.of(nobody, "x@startup.io", "2024-01-10")];
    const again = [a.of(nobody, "x@gmail.com", "2025-01-10"), a.of(nobody, "x@amd.com", "2025-01-10"), a.of(nobody, "x@startup.io", "2025-01-10")];
    expect(first).toEqual([webmail("gmail.com"), byDomain("AMD", "amd.com"), unmatched("startup.io")]);
    expect(again).toEqual(first);
  });
});

describe("affiliation rules: the same person's company address on the commit's day", () => {
  const a = new Affiliations([], {}, {});

  it("applies from the company address's first authored day to its last, inclusive, and not a day outside", () => {
    const ids = resolver([
      ["Lo Adams", "lo@microsoft.com", "2023-01-10"],
      ["Lo Adams", "lo@microsoft.com", "2023-06-30"],
      ["Lo Adams", "lo@gmail.com", "2023-01-01"],
      ["Lo Adams", "lo@gmail.com", "2023-12-01"],
    ]);
    const lo = ids.personOf("Lo Adams", "lo@gmail.com");
    const person = { org: "Microsoft", source: "person", evidence: "lo@microsoft.com in use 2023-01-10..2023-06-30" };
    expect(a.of(lo, "lo@gmail.com", "2023-01-09")).toEqual(webmail("gmail.com"));
    expect(a.of(lo, "lo@gmail.com", "2023-01-10")).toEqual(person);
    expect(a.of(lo, "lo@gmail.com", "2023-06-30")).toEqual(person);
    expect(a.of(lo, "lo@gmail.com", "2023-07-01")).toEqual(webmail("gmail.com"));
    // An unknown domain says nothing either: the company address decides the same way.
    expect(a.of(lo, "lo@startup.io", "2023-03-01")).toEqual(person);
    expect(a.of(lo, "lo@startup.io", "2023-08-01")).toEqual(unmatched("startup.io"));
  });

  it("never overrides a commit address that names an organisation", () => {
    const ids = resolver([
      ["Lo Adams", "lo@microsoft.com", "2023-01-10"],
      ["Lo Adams", "lo@microsoft.com", "2023-12-31"],
      ["Lo Adams", "lo@amd.com", "2023-06-01"],
    ]);
    const lo = ids.personOf("Lo Adams", "lo@amd.com");
    expect(a.of(lo, "lo@amd.com", "2023-06-01")).toEqual(byDomain("AMD", "amd.com"));
    expect(a.of(lo, "lo@gmail.com", "2023-03-01")).toEqual({ org: "Microsoft", source: "person", evidence: "lo@microsoft.com in use 2023-01-10..2023-12-31" });
  });

  it("another address that names nothing (webmail in use the same day) does not place the commit", () => {
    const ids = resolver([
      ["Lo Adams", "lo@gmail.com", "2023-01-10"],
      ["Lo Adams", "lo@gmail.com", "2023-12-31"],
      ["Lo Adams", "lo@startup.io", "2023-02-01"],
      ["Lo Adams", "lo@startup.io", "2023-11-01"],
    ]);
    const lo = ids.personOf("Lo Adams", "lo@gmail.com");
    expect(a.of(lo, "lo@users.noreply.github.com", "2023-06-01")).toEqual(webmail("users.noreply.github.com"));
  });

  it("only authored commits date an address: one named in a trailer on the day does not place a commit", () => {
    const ids = resolver([
      ["Lo Adams", "lo@gmail.com", "2023-06-01"],
      ["Lo Adams", "lo@microsoft.com", undefined, "2023-05-01"],
      ["Lo Adams", "lo@microsoft.com", undefined, "2023-07-01"],
    ]);
    const lo = ids.personOf("Lo Adams", "lo@gmail.com");
    expect(lo.seen["lo@microsoft.com"]).toEqual({ first: "2023-05-01", last: "2023-07-01" });
    expect(a.of(lo, "lo@gmail.com", "2023-06-01")).toEqual(webmail("gmail.com"));
  });

  it("of two company addresses in use that day, the one taken up most recently decides, whichever was recorded first", () => {
    const sightings: Sighting[] = [
      ["Lo Adams", "lo@intel.com", "2020-01-01"],
      ["Lo Adams", "lo@intel.com", "2024-12-31"],
      ["Lo Adams", "lo@amd.com", "2023-01-01"],
      ["Lo Adams", "lo@amd.com", "2023-12-31"],
      ["Lo Adams", "lo@gmail.com", "2023-06-01"],
    ];
    const amd = { org: "AMD", source: "person", evidence: "lo@amd.com in use 2023-01-01..2023-12-31" };
    const intel = { org: "Intel", source: "person", evidence: "lo@intel.com in use 2020-01-01..2024-12-31" };
    for (const order of [sightings, [...sightings].reverse()]) {
      const lo = resolver(order).personOf("Lo Adams", "lo@gmail.com");
      expect(a.of(lo, "lo@gmail.com", "2023-06-01")).toEqual(amd);
      // Outside the newer address's use, the older one still in use decides.
      expect(a.of(lo, "lo@gmail.com", "2024-06-01")).toEqual(intel);
    }
    // The same with the newer address last by name: recency decides, not the address.
    const swapped: Sighting[] = [
      ["Lo Adams", "lo@amd.com", "2020-01-01"],
      ["Lo Adams", "lo@amd.com", "2024-12-31"],
      ["Lo Adams", "lo@intel.com", "2023-01-01"],
      ["Lo Adams", "lo@intel.com", "2023-12-31"],
      ["Lo Adams", "lo@gmail.com", "2023-06-01"],
    ];
    for (const order of [swapped, [...swapped].reverse()]) {
      const lo = resolver(order).personOf("Lo Adams", "lo@gmail.com");
      expect(a.of(lo, "lo@gmail.com", "2023-06-01")).toEqual({ org: "Intel", source: "person", evidence: "lo@intel.com in use 2023-01-01..2023-12-31" });
    }
  });

  it("two company addresses taken up the same day tie: the first by address decides, whichever the history recorded first", () => {
    const sightings: Sighting[] = [
      ["Lo Adams", "lo@nvidia.com", "2023-01-01"],
      ["Lo Adams", "lo@nvidia.com", "2023-12-31"],
      ["Lo Adams", "lo@amd.com", "2023-01-01"],
      ["Lo Adams", "lo@amd.com", "2023-06-30"],
      ["Lo Adams", "lo@gmail.com", "2023-03-01"],
    ];
    for (const order of [sightings, [...sightings].reverse()]) {
      const lo = resolver(order).personOf("Lo Adams", "lo@gmail.com");
      expect(a.of(lo, "lo@gmail.com", "2023-03-01")).toEqual({ org: "AMD", source: "person", evidence: "lo@amd.com in use 2023-01-01..2023-06-30" });
      // Once amd.com is out of use nvidia.com is the only one.
      expect(a.of(lo, "lo@gmail.com", "2023-07-01")).toEqual({ org: "NVIDIA", source: "person", evidence: "lo@nvidia.com in use 2023-01-01..2023-12-31" });
    }
  });

  it("a mailmap that maps webmail to the company address makes those commits the company's (domain), a config entry still overrides it", () => {
    const ids = resolver([["Kai Wu", "kai@gmail.com", "2024-02-01"]], {}, "Kai Wu <kai@amd.com> <kai@gmail.com>\n");
    const c = ids.canonical("Kai Wu", "kai@gmail.com");
    const kai = ids.personOf("Kai Wu", "kai@gmail.com");
    expect(c.email).toBe("kai@amd.com");
    expect(new Affiliations([], {}, {}).of(kai, c.email, "2024-02-01")).toEqual(byDomain("AMD", "amd.com"));
    expect(new Affiliations([{ person: "kai@gmail.com", organization: "Lab", until: "2024-01-31" }], {}, {}).of(kai, c.email, "2024-02-01")).toEqual(byDomain("AMD", "amd.com"));
    expect(new Affiliations([{ person: "kai@gmail.com", organization: "Lab", until: "2024-02-01" }], {}, {}).of(kai, c.email, "2024-02-01")).toEqual({ org: "Lab", source: "config", evidence: "kai@gmail.com until 2024-02-01" });
  });
});

describe("affiliation rules: placing a person named without a commit address (reviewer, code owner)", () => {
  const a = new Affiliations([], {}, {});
  const seenAt = (org: string, suffix: string, e: string, first: string, last: string) => ({ org, source: "domain", evidence: `${suffix} (${e}, seen ${first}..${last})` });

  it("an address in use on the day decides from its first to its last day inclusive, over one used before or after", () => {
    // intel.com is the most used (it leads the person's addresses), amd.com is in use from 2023-01-05 to 2024-06-30.
    const ids = resolver([
      ["Mo Reyes", "mo@intel.com", "2019-01-10"],
      ["Mo Reyes", "mo@intel.com", "2020-05-01"],
      ["Mo Reyes", "mo@intel.com", "2021-12-20"],
      ["Mo Reyes", "mo@amd.com", "2023-01-05"],
      ["Mo Reyes", "mo@amd.com", "2024-06-30"],
      ["Mo Reyes", "mo@nvidia.com", "2026-01-01"],
    ]);
    const mo = ids.personOf("Mo Reyes", "mo@amd.com");
    expect(mo.emails[0]).toBe("mo@intel.com");
    const amd = seenAt("AMD", "amd.com", "mo@amd.com", "2023-01-05", "2024-06-30");
    const intel = seenAt("Intel", "intel.com", "mo@intel.com", "2019-01-10", "2021-12-20");
    const nvidia = seenAt("NVIDIA", "nvidia.com", "mo@nvidia.com", "2026-01-01", "2026-01-01");
    expect(a.ofPerson(mo, "2023-01-04")).toEqual(intel); // the latest before the day, over the earliest after it
    expect(a.ofPerson(mo, "2023-01-05")).toEqual(amd);
    expect(a.ofPerson(mo, "2024-06-30")).toEqual(amd);
    expect(a.ofPerson(mo, "2024-07-01")).toEqual(amd); // the latest before, over the older one before and the one after
    expect(a.ofPerson(mo, "2021-12-20")).toEqual(intel);
    expect(a.ofPerson(mo, "2026-01-01")).toEqual(nvidia);
  });

  it("of addresses used only before the day the latest last use decides; of those only after, the earliest first use; whatever their use counts", () => {
    // xilinx.com (AMD) is the most used, so it leads the list; its last use is older than intel.com's.
    const ids = resolver([
      ["Mo Reyes", "mo@xilinx.com", "2015-01-01"],
      ["Mo Reyes", "mo@xilinx.com", "2016-01-01"],
      ["Mo Reyes", "mo@xilinx.com", "2019-05-31"],
      ["Mo Reyes", "mo@intel.com", "2019-05-30"],
      ["Mo Reyes", "mo@intel.com", "2019-06-01"],
    ]);
    const mo = ids.personOf("Mo Reyes", "mo@intel.com");
    expect(mo.emails[0]).toBe("mo@xilinx.com");
    expect(a.ofPerson(mo, "2025-01-01")).toEqual(seenAt("Intel", "intel.com", "mo@intel.com", "2019-05-30", "2019-06-01"));
    // Before either: the earliest first use (xilinx.com, 2015) — also the first listed, so the next case turns the counts around.
    expect(a.ofPerson(mo, "2010-01-01")).toEqual(seenAt("AMD", "xilinx.com", "mo@xilinx.com", "2015-01-01", "2019-05-31"));
    const later = resolver([
      ["Mo Reyes", "mo@intel.com", "2030-01-01"],
      ["Mo Reyes", "mo@intel.com", "2030-02-01"],
      ["Mo Reyes", "mo@intel.com", "2030-03-01"],
      ["Mo Reyes", "mo@amd.com", "2028-12-31"],
      ["Mo Reyes", "mo@amd.com", "2029-01-01"],
    ]).personOf("Mo Reyes", "mo@amd.com");
    expect(later.emails[0]).toBe("mo@intel.com");
    expect(a.ofPerson(later, "2027-01-01")).toEqual(seenAt("AMD", "amd.com", "mo@amd.com", "2028-12-31", "2029-01-01"));
    // Past both, the latest last use: intel.com (2030-03-01) over amd.com (2029-01-01), across a year boundary and digits that differ.
    expect(a.ofPerson(later, "2031-01-01")).toEqual(seenAt("Intel", "intel.com", "mo@intel.com", "2030-01-01", "2030-03-01"));
  });

  it("addresses with no dated use come last and say so (no 'seen' range)", () => {
    // meta.com is only named by a config alias: it never appeared in the history.
    const config = { aliases: { "Mo Reyes": ["mo@meta.com", "mo@gmail.com"] } };
    const ids = resolver(
      [
        ["Mo Reyes", "mo@meta.com", undefined, undefined],
        ["Mo Reyes", "mo@gmail.com", "2024-01-01"],
      ],
      config,
    );
    const mo = ids.personOf("Mo Reyes", "mo@gmail.com");
    expect(mo.seen["mo@meta.com"]).toBeUndefined();
    expect(a.ofPerson(mo, "2024-01-01")).toEqual({ org: "Meta", source: "domain", evidence: "meta.com (mo@meta.com)" });
    const withAmd = resolver(
      [
        ["Mo Reyes", "mo@meta.com", undefined, undefined],
        ["Mo Reyes", "mo@meta.com", undefined, undefined],
        ["Mo Reyes", "mo@gmail.com", "2024-01-01"],
        ["Mo Reyes", "mo@amd.com", "2030-01-01"],
      ],
      { aliases: { "Mo Reyes": ["mo@meta.com", "mo@gmail.com", "mo@amd.com"] } },
    ).personOf("Mo Reyes", "mo@gmail.com");
    expect(withAmd.emails[0]).toBe("mo@meta.com");
    // An address used only after the day still outranks one never dated.
    expect(a.ofPerson(withAmd, "2024-01-01")).toEqual(seenAt("AMD", "amd.com", "mo@amd.com", "2030-01-01", "2030-01-01"));
  });

  it("when no address decides, what the best-placed address says is returned (webmail or unmatched), never a guess", () => {
    const ids = resolver([
      ["Mo Reyes", "mo@gmail.com", "2024-01-01"],
      ["Mo Reyes", "mo@gmail.com", "2024-06-30"],
      ["Mo Reyes", "mo@startup.io", "2024-07-01"],
      ["Mo Reyes", "mo@startup.io", "2024-12-31"],
    ]);
    const mo = ids.personOf("Mo Reyes", "mo@gmail.com");
    expect(a.ofPerson(mo, "2024-03-01")).toEqual(webmail("gmail.com"));
    expect(a.ofPerson(mo, "2024-09-01")).toEqual(unmatched("startup.io"));
    expect(a.ofPerson(mo, "2025-09-01")).toEqual(unmatched("startup.io"));
    expect(a.ofPerson(mo, "2023-09-01")).toEqual(webmail("gmail.com"));
  });

  it("a config or same-person decision is returned as it is; only a domain decision names the address behind it", () => {
    const ids = resolver([
      ["Lo Adams", "lo@gmail.com", "2023-01-01"],
      ["Lo Adams", "lo@gmail.com", "2023-03-01"],
      ["Lo Adams", "lo@gmail.com", "2023-12-31"],
      ["Lo Adams", "lo@microsoft.com", "2023-02-01"],
      ["Lo Adams", "lo@microsoft.com", "2023-11-30"],
    ]);
    const lo = ids.personOf("Lo Adams", "lo@gmail.com");
    // Both addresses are in use; the most used (gmail) comes first and its commits are Microsoft's by the person rule.
    expect(lo.emails[0]).toBe("lo@gmail.com");
    expect(a.ofPerson(lo, "2023-06-01")).toEqual({ org: "Microsoft", source: "person", evidence: "lo@microsoft.com in use 2023-02-01..2023-11-30" });
    const config = new Affiliations([{ person: "Lo Adams", organization: "Lab", from: "2023-06-01" }], {}, {});
    expect(config.ofPerson(lo, "2023-06-01")).toEqual({ org: "Lab", source: "config", evidence: "Lo Adams from 2023-06-01" });
  });

  it("a person with no address at all is unknown, never an error", () => {
    const none: Person = { id: "ghost", name: "Ghost", emails: [], bot: false, merges: [], used: {}, seen: {} };
    expect(a.ofPerson(none, "2024-01-01")).toEqual(unmatched("(no email)"));
    expect(new Affiliations([{ person: "Ghost", organization: "Lab" }], {}, {}).ofPerson(none, "2024-01-01")).toEqual({ org: "Lab", source: "config", evidence: "Ghost" });
  });
});

describe("affiliation rules on a built repository: which rule placed each commit", () => {
  const repo = join(tempDir(), "project");
  const commits: [ReturnType<typeof sig>, string][] = [
    [sig("Max Roe", "max@nvidia.com", "2024-01-10T10:00:00Z"), "a.py"], // config (Lab) until 2024-02-15
    [sig("Max Roe", "max@nvidia.com", "2024-03-10T10:00:00Z"), "b.py"], // domain NVIDIA
    [sig("Kai Wu", "kai@gmail.com", "2024-01-20T10:00:00Z"), "c.py"], // mailmap -> amd.com: domain AMD
    [sig("Lu Pan", "lu@intel.com", "2024-01-05T10:00:00Z"), "d.py"], // domain Intel
    [sig("Lu Pan", "7+lupan@users.noreply.github.com", "2024-02-01T10:00:00Z"), "e.py"], // same person, Intel in use: person
    [sig("Lu Pan", "lu@intel.com", "2024-03-01T10:00:00Z"), "f.py"], // domain Intel
    [sig("Lu Pan", "7+lupan@users.noreply.github.com", "2024-04-01T10:00:00Z"), "g.py"], // after the last Intel commit: webmail
    [sig("Sam Ng", "sam@startup.io", "2024-04-02T10:00:00Z"), "h.py"], // unmatched
  ];

  beforeAll(async () => {
    const b = new HistoryBuilder();
    let first = true;
    for (const [author, file] of commits) {
      const files: Record<string, string> = { [file]: "x = 1\n" };
      if (first) files[".mailmap"] = "Kai Wu <kai@amd.com> <kai@gmail.com>\n";
      first = false;
      b.commit({ branch: "main", message: `add ${file}`, author, files });
    }
    await b.write(repo);
  });

  it("config before domain before the same person's address; what names nothing stays unknown by its reason", async () => {
    const r = await community({
      repo,
      identities: {
        aliases: { "Lu Pan": ["lu@intel.com", "@lupan"] },
        affiliations: [{ person: "Max Roe", organization: "Example Lab", until: "2024-02-15" }],
        bots: [],
        domains: {},
      },
    });
    expect(r.organizations.map((o) => [o.name, o.commits, o.sources])).toEqual([
      ["Intel", 3, { domain: 2, person: 1 }],
      ["AMD", 1, { domain: 1 }],
      ["Example Lab", 1, { config: 1 }],
      ["NVIDIA", 1, { domain: 1 }],
    ]);
    expect(r.unknown).toEqual({ commits: 2, lines: 2, identities: 2, bySource: { webmail: 1, unmatched: 1 } });
  });
});
