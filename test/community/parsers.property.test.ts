import fc from "fast-check";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { personOfTrailer, streamCommits, type CommitRecord } from "../../src/analyzers/community/log.js";
import { codeownersPattern } from "../../src/analyzers/community/ownership.js";
import { HistoryBuilder } from "../../src/git/builder.js";
import { Repository } from "../../src/git/repository.js";
import { tempDir, up } from "../helpers/git.js";
import { fcParams, FC_RUNS, sampleCases } from "../helpers/property.js";

const SEGMENT = fc.string({ unit: fc.constantFrom(..."abcxyz._-"), minLength: 1, maxLength: 4 }).filter((s) => s !== "." && s !== "..");
const PATH = fc.array(SEGMENT, { minLength: 1, maxLength: 4 }).map((s) => s.join("/"));

describe("CODEOWNERS patterns", () => {
  it("any pattern text compiles (never throws)", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 30 }), (p) => {
        expect(codeownersPattern(p)).toBeInstanceOf(RegExp);
      }),
      fcParams(),
    );
  });

  it("a literal path owns itself and everything under it, never a sibling sharing its prefix nor the same path elsewhere (anchored)", () => {
    fc.assert(
      fc.property(PATH, SEGMENT, fc.constantFrom("", "x"), (path, child, extra) => {
        const anchored = codeownersPattern(`/${path}`);
        expect([anchored.test(path), anchored.test(`${path}/${child}`), anchored.test(`${path}${extra || "z"}`), anchored.test(`q/${path}`)]).toEqual([true, true, false, false]);
        // A directory pattern owns what is under it, not a file of that name.
        const dir = codeownersPattern(`/${path}/`);
        expect([dir.test(`${path}/${child}`), dir.test(path)]).toEqual([true, false]);
      }),
      fcParams(),
    );
  });

  it("a name without a slash matches at any depth; '*' stays within one directory, '**/' crosses them", () => {
    fc.assert(
      fc.property(SEGMENT, PATH, SEGMENT, (name, dirs, other) => {
        fc.pre(name !== other && name !== "x" && !dirs.split("/").includes(name));
        const p = codeownersPattern(name);
        expect([p.test(name), p.test(`${dirs}/${name}`), p.test(`${dirs}/${name}/f`), p.test(`${dirs}/${other}`)]).toEqual([true, true, true, false]);
        expect(codeownersPattern(`/${dirs}/*`).test(`${dirs}/${name}`)).toBe(true);
        expect(codeownersPattern(`/*/${name}`).test(`${dirs}/x/${name}`)).toBe(false);
        expect(codeownersPattern(`/**/${name}`).test(`${dirs}/x/${name}`)).toBe(true);
      }),
      fcParams(),
    );
  });
});

/** Trailer keys git recognises (letters, digits, '-') and values without newlines. */
const KEY = fc.constantFrom("Co-authored-by", "Signed-off-by", "Reviewed-by", "Acked-by", "Fixes", "Change-Id", "X-Vendor-Ref");
const VALUE = fc.oneof(
  fc.tuple(fc.constantFrom("Ann Lee", "José Ramírez", "bob", "O'Neil, Jr."), fc.constantFrom("ann@x.org", "jose@amd.com", "12+bob@users.noreply.github.com")).map(([n, e]) => `${n} <${e}>`),
  fc.string({ unit: fc.constantFrom(..."abc 123:#[]()é"), minLength: 1, maxLength: 20 }).map((s) => s.trim()).filter((s) => s.length > 0),
);
const MESSAGE = fc.record({
  subject: fc.string({ unit: fc.constantFrom(..."abc: fix()é"), minLength: 1, maxLength: 20 }).map((s) => s.trim() || "x"),
  body: fc.array(fc.constantFrom("Some text.", "Key looking: but a sentence in a paragraph with more words", "", "    indented"), { maxLength: 3 }),
  trailers: fc.array(fc.tuple(KEY, VALUE), { maxLength: 4 }),
});

describe("commit messages and trailers", () => {
  const cases = sampleCases(MESSAGE);
  const dir = join(tempDir("steward-trailers-"), "repo");
  const seen = new Map<string, CommitRecord>();
  beforeAll(async () => {
    const b = new HistoryBuilder();
    cases.forEach((c, i) => {
      const body = c.body.filter(Boolean).join("\n");
      const message = [c.subject, ...(body ? [body] : []), ...(c.trailers.length ? [c.trailers.map(([k, v]) => `${k}: ${v}`).join("\n")] : [])].join("\n\n");
      b.commit({ branch: "main", author: up(`2024-01-01T00:00:${String(i % 60).padStart(2, "0")}Z`), message: `${message}\n`, files: { [`f${i}.txt`]: `${i}\n` } });
    });
    await b.write(dir, { head: "main" });
    const repo = await Repository.open(dir);
    await streamCommits(repo, "main", (c) => seen.set(c.oid, c), { onRestart: () => seen.clear(), warnings: [] });
  });

  it(`${FC_RUNS} generated messages: trailers read back as written, in order; people named in them parsed`, () => {
    expect(seen.size).toBe(cases.length);
    // git log lists newest first; the commits were written in case order.
    const records = [...seen.values()].reverse();
    records.forEach((r, i) => {
      expect({ case: i, trailers: r.trailers }).toEqual({ case: i, trailers: cases[i]!.trailers.map(([key, value]) => ({ key, value })) });
      for (const t of r.trailers) {
        const person = personOfTrailer(`${t.key}: ${t.value}`);
        const m = /^(.*) <(.*)>$/.exec(t.value);
        expect(person).toEqual(m ? { key: t.key.toLowerCase(), name: m[1], email: m[2] } : null);
      }
    });
  });
});
