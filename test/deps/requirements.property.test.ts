import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { normaliseName, parsePyproject, parseRequirement, parseRequirementsTxt, parseSetupPy, type Requirement } from "../../src/analyzers/deps/requirements.js";
import { fcParams, onlyStewardErrors } from "../helpers/property.js";

/** A PEP 508 requirement as a generator builds it, before printing. */
interface Spec {
  name: string;
  extras: string[];
  clauses: string[];
  marker: string;
  url: string | null;
  spaces: string;
}

const NAME = fc
  .tuple(fc.string({ unit: fc.constantFrom(..."abcXYZ019"), minLength: 1, maxLength: 6 }), fc.array(fc.tuple(fc.constantFrom("-", "_", ".", "__", "-."), fc.string({ unit: fc.constantFrom(..."abcQ7"), minLength: 1, maxLength: 4 })), { maxLength: 2 }))
  .map(([head, rest]) => head + rest.map(([s, w]) => s + w).join(""));
const VERSION = fc.constantFrom("1", "1.0", "2.1.0", "0.4.0rc1", "1.0.*", "2024.1", "1.0.post1", "3.0.dev2", "1.0+cu118");
const CLAUSE = fc.tuple(fc.constantFrom("==", ">=", "<=", "<", ">", "!=", "~=", "==="), VERSION).map(([op, v]) => op + v);
const MARKER = fc.constantFrom("", 'python_version >= "3.9"', "sys_platform == 'linux'", 'extra == "cuda"', '(os_name == "nt" or platform_machine == "x86_64")');
const SPEC: fc.Arbitrary<Spec> = fc.record({
  name: NAME,
  extras: fc.uniqueArray(fc.constantFrom("cuda", "rocm", "dev", "all_x"), { maxLength: 2 }),
  clauses: fc.array(CLAUSE, { maxLength: 3 }),
  marker: MARKER,
  url: fc.option(fc.constantFrom("https://example.org/p-1.0.tar.gz", "git+https://example.org/r.git@v1", "file:///wheels/p.whl"), { freq: 6 }),
  spaces: fc.constantFrom("", " ", "  "),
});

function print(s: Spec): string {
  const sp = s.spaces;
  const extras = s.extras.length ? `${sp}[${s.extras.join(`,${sp}`)}]` : "";
  const version = s.url ? ` @ ${s.url}` : s.clauses.length ? `${sp}${s.clauses.join(`${sp},${sp}`)}` : "";
  const marker = s.marker ? `${s.url ? " " : sp};${sp}${s.marker}` : "";
  return `${s.name}${extras}${version}${marker}`;
}

function expected(s: Spec, file: string, group?: string): Requirement {
  return {
    name: normaliseName(s.name),
    specifier: s.url ? "" : s.clauses.join(","),
    file,
    marker: s.marker,
    extras: s.extras,
    ...(group ? { group } : {}),
    ...(s.url ? { url: s.url } : {}),
  };
}

describe("PEP 508 requirements: parse(print(x)) = x", () => {
  it("one requirement string", () => {
    fc.assert(
      fc.property(SPEC, (s) => {
        expect(parseRequirement(print(s), "requirements.txt")).toEqual(expected(s, "requirements.txt"));
      }),
      fcParams(),
    );
  });

  it("names normalise once (PEP 503): idempotent, and equal for names that differ only in case and separators", () => {
    fc.assert(
      fc.property(NAME, (n) => {
        expect(normaliseName(normaliseName(n))).toBe(normaliseName(n));
        expect(normaliseName(n.toUpperCase().replace(/[-_.]/g, "_"))).toBe(normaliseName(n));
      }),
      fcParams(),
    );
  });

  const COMMENT = fc.constantFrom("", "  # pinned for CUDA", "\t# why");
  it("requirements.txt: every line read in order, with comments, blank lines, CRLF, continuations and includes", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(SPEC, COMMENT, fc.constantFrom("\n", "\r\n"), fc.boolean()), { maxLength: 8 }),
        fc.array(fc.constantFrom("-r base.txt", "--constraint=../c.txt", "-c constraints.txt"), { maxLength: 2 }),
        (lines, includes) => {
          const text =
            includes.map((l) => l + "\n").join("") +
            "# header\n\n" +
            lines
              .map(([s, comment, eol, split]) => {
                const line = print(s);
                // A backslash continuation between the name and the rest of the line.
                const cut = split && !s.url && s.clauses.length ? s.name.length : -1;
                return (cut > 0 ? `${line.slice(0, cut)} \\${eol}${line.slice(cut)}` : line) + (s.url ? "" : comment) + eol;
              })
              .join("");
          const r = parseRequirementsTxt(text, "reqs/requirements-cuda.txt");
          expect(r.warnings).toEqual([]);
          expect(r.requirements).toEqual(lines.map(([s]) => expected(s, "reqs/requirements-cuda.txt")));
          expect(r.includes).toEqual(includes.map((l) => ({ "-r base.txt": "reqs/base.txt", "--constraint=../c.txt": "c.txt", "-c constraints.txt": "reqs/constraints.txt" })[l]));
        },
      ),
      fcParams(),
    );
  });

  it("pyproject.toml: [project] dependencies and optional groups", () => {
    fc.assert(
      fc.property(fc.array(SPEC, { maxLength: 5 }), fc.dictionary(fc.constantFrom("cuda", "rocm", "dev-tools"), fc.array(SPEC, { maxLength: 3 }), { maxKeys: 2 }), (deps, groups) => {
        const list = (xs: Spec[]) => `[${xs.map((s) => JSON.stringify(print(s))).join(", ")}]`;
        const toml = `[project]\nname = "p"\ndependencies = ${list(deps)}\n\n[project.optional-dependencies]\n${Object.entries(groups).map(([g, xs]) => `${g} = ${list(xs)}`).join("\n")}\n`;
        const r = parsePyproject(toml, "pyproject.toml");
        expect(r.warnings).toEqual([]);
        expect(r.requirements).toEqual([...deps.map((s) => expected(s, "pyproject.toml")), ...Object.entries(groups).flatMap(([g, xs]) => xs.map((s) => expected(s, "pyproject.toml", g)))]);
      }),
      fcParams(),
    );
  });

  it("setup.py: the literal install_requires list, quoted either way", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(SPEC, fc.constantFrom('"', "'")), { maxLength: 6 }), fc.boolean(), (items, trailingComma) => {
        const literal = items.filter(([s, q]) => !print(s).includes(q)).map(([s, q]) => `${q}${print(s)}${q}`);
        const py = `from setuptools import setup\nsetup(\n    name="p",\n    install_requires=[\n        ${literal.join(",\n        ")}${trailingComma && literal.length ? "," : ""}\n    ],\n)\n`;
        const r = parseSetupPy(py, "setup.py");
        expect(r.warnings).toEqual([]);
        expect(r.requirements).toEqual(items.filter(([s, q]) => !print(s).includes(q)).map(([s]) => expected(s, "setup.py")));
      }),
      fcParams(),
    );
  });
});

describe("requirements parsers on any text", () => {
  const PIECE = fc.oneof(
    fc.string({ maxLength: 12 }),
    fc.constantFrom("\n", "\\\n", "#", "-r ", "[", "]", "install_requires=", "'", '"', "@ ", ";", ">=", ",", "[project]\n", "dependencies = ", "[project.optional-dependencies]\n", "dynamic = [\"dependencies\"]\n", "= 1\n", "\r\n", "\0"),
  );
  it("never throw, and every warning names its file", () => {
    fc.assert(
      fc.property(fc.array(PIECE, { maxLength: 25 }), (pieces) => {
        const text = pieces.join("");
        for (const [parse, file] of [[parseRequirementsTxt, "requirements.txt"], [parsePyproject, "pyproject.toml"], [parseSetupPy, "setup.py"]] as const) {
          const r = onlyStewardErrors(() => parse(text, file));
          expect(r).not.toBe("steward-error");
          if (r === "steward-error") return;
          for (const w of r.warnings) expect(w.startsWith(file + ":")).toBe(true);
          for (const q of r.requirements) expect(q.name).toBe(normaliseName(q.name));
        }
      }),
      fcParams(),
    );
  });
});

describe("setup.py literals", () => {
  it("a requirement with extras inside install_requires is read (the list ends at its own ']', not at one inside a string)", () => {
    const r = parseSetupPy(`setup(install_requires=["ray[default]>=2.9", 'numpy'])\n`, "setup.py");
    expect(r).toEqual({ requirements: [expected({ name: "ray", extras: ["default"], clauses: [">=2.9"], marker: "", url: null, spaces: "" }, "setup.py"), expected({ name: "numpy", extras: [], clauses: [], marker: "", url: null, spaces: "" }, "setup.py")], includes: [], warnings: [] });
  });
});
