import fc from "fast-check";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseMailmap, type MailmapEntry } from "../../src/analyzers/community/mailmap.js";
import { git, tempDir } from "../helpers/git.js";
import { fcParams, FC_RUNS, onlyStewardErrors, sampleCases } from "../helpers/property.js";

/** Few names and emails, in varying case, so that lines and identities collide. */
const NAME = fc.constantFrom("Ann Lee", "ann lee", "ANN LEE", "Bob", "bob", "Carol Díaz", "Dan");
const EMAIL = fc.constantFrom("ann@x.org", "ANN@X.org", "bob@y.com", "carol@amd.com", "dan@z.io", "ann.lee@home.net");

type Line = { properName: string | null; properEmail: string | null; commitName: string | null; commitEmail: string };
/** The four forms of gitmailmap(5). */
const LINE: fc.Arbitrary<Line> = fc.oneof(
  fc.record({ properName: NAME, properEmail: fc.constant(null), commitName: fc.constant(null), commitEmail: EMAIL }),
  fc.record({ properName: fc.constant(null), properEmail: EMAIL, commitName: fc.constant(null), commitEmail: EMAIL }),
  fc.record({ properName: NAME, properEmail: EMAIL, commitName: fc.constant(null), commitEmail: EMAIL }),
  fc.record({ properName: NAME, properEmail: EMAIL, commitName: NAME, commitEmail: EMAIL }),
);

function print(l: Line): string {
  if (l.properEmail === null) return `${l.properName} <${l.commitEmail}>`;
  const proper = `${l.properName ? l.properName + " " : ""}<${l.properEmail}>`;
  return `${proper} ${l.commitName ? l.commitName + " " : ""}<${l.commitEmail}>`;
}

describe(".mailmap: parse(print(x)) = x", () => {
  it("every form, with comments and blank lines between", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(LINE, fc.constantFrom("", "# a comment", "   ")), { maxLength: 8 }), (lines) => {
        const text = lines.flatMap(([l, extra]) => (extra ? [extra, print(l)] : [print(l)])).join("\n") + "\n";
        const m = parseMailmap(text, ".mailmap");
        let no = 0;
        const expected: MailmapEntry[] = [];
        for (const [l, extra] of lines) {
          no += extra ? 2 : 1;
          expected.push({ ...l, line: no });
        }
        expect(m.entries).toEqual(expected);
        expect(m.notes).toEqual([]);
      }),
      fcParams(),
    );
  });

  it("any text: a mailmap, or one ConfigError naming file and line; lenient never throws", () => {
    const PIECE = fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom("<", ">", "<a@b>", " ", "\n", "\r\n", "#", "Name "));
    fc.assert(
      fc.property(fc.array(PIECE, { maxLength: 20 }), (pieces) => {
        const text = pieces.join("");
        const strict = onlyStewardErrors(() => parseMailmap(text, ".mailmap"));
        if (strict === "steward-error") expect(() => parseMailmap(text, ".mailmap")).toThrow(/^\.mailmap:\d+: not a mailmap line/);
        const lenient = parseMailmap(text, ".mailmap", { lenient: true });
        for (const n of lenient.notes) expect(n).toMatch(/^\.mailmap:\d+: /);
      }),
      fcParams(),
    );
  });
});

describe(".mailmap: Steward maps every identity as git check-mailmap does", () => {
  const dir = tempDir("steward-mailmap-");
  git(dir, "init", "-q");
  const cases = sampleCases(fc.record({ lines: fc.array(LINE, { minLength: 1, maxLength: 6 }), who: fc.array(fc.tuple(NAME, EMAIL), { minLength: 1, maxLength: 6 }) }));

  it(`${FC_RUNS} generated mailmaps and identities`, () => {
    cases.forEach((c, i) => {
      const file = join(dir, `m${i}`);
      writeFileSync(file, c.lines.map(print).join("\n") + "\n");
      const m = parseMailmap(c.lines.map(print).join("\n") + "\n", ".mailmap");
      const theirs = git(dir, "-c", `mailmap.file=${file}`, "check-mailmap", ...c.who.map(([n, e]) => `${n} <${e}>`)).trim().split("\n");
      const ours = c.who.map(([n, e]) => {
        const r = m.map(n, e);
        return `${r.name} <${r.email}>`;
      });
      expect({ case: i, mailmap: c.lines.map(print), ours }).toEqual({ case: i, mailmap: c.lines.map(print), ours: theirs });
    });
  });
});

describe(".mailmap: lines for the same commit identity combine, as git combines them", () => {
  it("a later line gives the name an earlier line left out (and a name-specific line still wins for its name)", () => {
    const m = parseMailmap("<carol@amd.com> <ann@x.org>\nCarol Díaz <ANN@x.org>\nAnn Lee <ann@nvidia.com> ann <ann@x.org>\n", ".mailmap");
    expect([m.map("Bob", "ann@x.org"), m.map("ANN", "ann@x.org"), m.map("Bob", "bob@y.com")]).toEqual([
      { name: "Carol Díaz", email: "carol@amd.com", line: 2 },
      { name: "Ann Lee", email: "ann@nvidia.com", line: 3 },
      { name: "Bob", email: "bob@y.com", line: null },
    ]);
  });
});
