import fc from "fast-check";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { diffCommits, parsePatchSections, parseRaw, type RawEntry } from "../../src/git/diff.js";
import { HistoryBuilder } from "../../src/git/builder.js";
import { git, tempDir, up } from "../helpers/git.js";
import { fcParams, FC_RUNS, onlyStewardErrors, sampleCases } from "../helpers/property.js";

/** Lines from a small alphabet so that generated versions share lines and diffs interleave. */
const LINE = fc.constantFrom("a", "b", "c", "d", "", "  ", "x = 1", "\tindent", "café", "\xe9t\xe9", "\r", "a\r", "end");
const CONTENT = fc.record({
  lines: fc.array(LINE, { maxLength: 14 }),
  finalNewline: fc.boolean(),
}).map(({ lines, finalNewline }) => {
  const body = lines.join("\n") + (finalNewline && lines.length ? "\n" : "");
  // Bytes: "\xe9" lines are latin1 (not UTF-8), the others UTF-8.
  return Buffer.concat(lines.length ? [Buffer.from(body, body.includes("\xe9t") ? "latin1" : "utf8")] : []);
});
const PATHS = ["f.txt", "pkg/g.py", "h ü.md", "-dash.py", "z/\xe9.bin"];
/** One case: each path absent or with content, before and after. */
const CASE = fc.record({
  before: fc.array(fc.option(CONTENT, { freq: 3 }), { minLength: PATHS.length, maxLength: PATHS.length }),
  after: fc.array(fc.option(CONTENT, { freq: 3 }), { minLength: PATHS.length, maxLength: PATHS.length }),
  nul: fc.boolean(),
});

describe("unified diffs: Steward's hunks against git's own counts", () => {
  const cases = sampleCases(CASE);
  const dir = join(tempDir("steward-diffprop-"), "repo");
  beforeAll(async () => {
    // Every case is a pair of commits on its own branch, all written in one fast-import.
    const b = new HistoryBuilder();
    cases.forEach((c, i) => {
      const files = (side: (Buffer | null)[]) => Object.fromEntries(PATHS.map((p, k) => [p, side[k] ?? null]).filter(([, v]) => v !== null)) as Record<string, Buffer>;
      const before = files(c.before);
      const root = b.commit({ branch: `c${i}`, author: up("2024-01-01T00:00:00Z"), message: `before ${i}`, files: { "keep.txt": "keep\n", ...before } });
      const after: Record<string, Buffer | null> = {};
      PATHS.forEach((p, k) => {
        const v = c.after[k] ?? null;
        const content = c.nul && v ? Buffer.concat([v, Buffer.from([0])]) : v;
        if (content !== null || p in before) after[p] = content;
      });
      b.commit({ branch: `c${i}`, parents: [root], author: up("2024-01-02T00:00:00Z"), message: `after ${i}`, files: after });
    });
    await b.write(dir, { head: "c0" });
  });

  it(`${FC_RUNS} generated pairs of trees: per file, added and deleted lines equal git diff --numstat (binary files: no hunks)`, async () => {
    const gitDir = join(dir, ".git");
    // One git log gives git's numstat of every case.
    const expected = new Map<string, string>();
    let current = "";
    for (const line of git(dir, "log", "--numstat", "--no-renames", "--format=@%s", ...cases.map((_, i) => `c${i}`)).split("\n")) {
      if (line.startsWith("@")) current = line.slice(1);
      else if (line && current.startsWith("after ")) expected.set(current, (expected.get(current) ?? "") + line + "\n");
    }
    for (let i = 0; i < cases.length; i++) {
      const files = await diffCommits(gitDir, `c${i}~1`, `c${i}`);
      const ours = files
        .map((f) => {
          const added = f.hunks.reduce((n, h) => n + h.added.length, 0);
          const deleted = f.hunks.reduce((n, h) => n + h.deleted.length, 0);
          return `${f.binary ? "-" : added}\t${f.binary ? "-" : deleted}\t${f.path}`;
        })
        .sort();
      const theirs = (expected.get(`after ${i}`) ?? "")
        .split("\n")
        .filter(Boolean)
        .map((l) => l.replace(/\t"(.*)"$/, (_, q: string) => `\t${unquote(q)}`))
        .sort();
      expect({ case: i, files: ours }).toEqual({ case: i, files: theirs });
      // Hunks are well-formed: counts match their lines; numbering is -U0's.
      for (const f of files) for (const h of f.hunks) expect([h.oldLines, h.newLines]).toEqual([h.deleted.length, h.added.length]);
    }
  });
});

/** git's C-style quoting of a path with special bytes (core.quotePath default). */
function unquote(q: string): string {
  const bytes: number[] = [];
  for (let i = 0; i < q.length; i++) {
    if (q[i] === "\\") {
      const oct = /^[0-7]{3}/.exec(q.slice(i + 1));
      if (oct) {
        bytes.push(parseInt(oct[0], 8));
        i += 3;
        continue;
      }
      const esc: Record<string, number> = { t: 9, n: 10, '"': 34, "\\": 92 };
      bytes.push(esc[q[i + 1]!] ?? q.charCodeAt(i + 1));
      i++;
    } else bytes.push(...Buffer.from(q[i]!, "utf8"));
  }
  return Buffer.from(bytes).toString("utf8");
}

const HEX40 = fc.string({ unit: fc.constantFrom(..."0123456789abcdef"), minLength: 40, maxLength: 40 });
const MODE = fc.constantFrom("000000", "100644", "100755", "120000", "160000");
const PATH = fc.string({ unit: "grapheme", minLength: 1, maxLength: 20 }).filter((p) => !p.includes("\0"));
const RAW: fc.Arbitrary<RawEntry> = fc
  .record({ status: fc.constantFrom("A", "D", "M", "T", "R", "C", "U", "X"), score: fc.integer({ min: 0, max: 100 }), oldMode: MODE, newMode: MODE, oldOid: fc.option(HEX40), newOid: fc.option(HEX40), path: PATH, oldPath: PATH })
  .map((r) => {
    const moved = r.status === "R" || r.status === "C";
    return { ...r, score: moved ? r.score : null, oldPath: moved ? r.oldPath : null };
  });

/** What `git diff --raw -z --no-abbrev` prints for one entry. */
function printRaw(e: RawEntry): Buffer {
  const zero = "0".repeat(40);
  const meta = `:${e.oldMode} ${e.newMode} ${e.oldOid ?? zero} ${e.newOid ?? zero} ${e.status}${e.score ?? ""}`;
  return Buffer.from(e.oldPath !== null ? `${meta}\0${e.oldPath}\0${e.path}\0` : `${meta}\0${e.path}\0`, "utf8");
}

describe("raw diff records (git diff --raw -z)", () => {
  it("parse(print(records)) = records, and the rest is what follows them", () => {
    fc.assert(
      fc.property(fc.array(RAW, { maxLength: 6 }), fc.uint8Array({ maxLength: 8 }), (entries, tail) => {
        const rest = Buffer.from(tail[0] === 0x3a ? tail.subarray(1) : tail);
        const parsed = parseRaw(Buffer.concat([...entries.map(printRaw), rest]));
        expect(parsed.entries).toEqual(entries);
        expect(Buffer.compare(parsed.rest, rest)).toBe(0);
      }),
      fcParams(),
    );
  });

  const FRAGMENTS = fc.constantFrom(":", ":100644 100644 ", "0".repeat(40) + " ", "M", "R100", "\0", "a.py", "\n", "x", " ");
  it("any bytes (truncated records included): returns or throws a Steward error, and ends", () => {
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 60 }).map((a) => Buffer.from(a)), fc.array(FRAGMENTS, { maxLength: 20 }).map((f) => Buffer.from(f.join(""), "latin1"))), (buf) => {
        onlyStewardErrors(() => parseRaw(buf));
      }),
      fcParams(),
    );
  });
});

describe("patch sections (git diff -p)", () => {
  const PIECES = fc.constantFrom("diff --git a/x b/x\n", "@@ -1,2 +1 @@\n", "@@ -0,0 +1 @@\n", "@@ -3 +0,0 @@\n", "@@ -a +b @@\n", "+added\n", "-deleted\n", " context\n", "\n", "\\ No newline at end of file\n", "Binary files a/x and b/x differ\n", "GIT binary patch\n", "+++ b/x\n", "--- a/x\n", "\xff\xfe\n");
  it("any patch text against any raw records: returns or throws a Steward error; hunk counts match their lines", () => {
    fc.assert(
      fc.property(fc.array(PIECES, { maxLength: 30 }), fc.array(RAW, { maxLength: 3 }), (pieces, raw) => {
        const out = onlyStewardErrors(() => parsePatchSections(Buffer.from(pieces.join(""), "latin1"), raw));
        if (out === "steward-error") return;
        expect(out.length).toBeLessThanOrEqual(raw.length);
        for (const f of out) for (const h of f.hunks) expect([h.oldLines, h.newLines]).toEqual([h.deleted.length, h.added.length]);
      }),
      fcParams(),
    );
  });
});
