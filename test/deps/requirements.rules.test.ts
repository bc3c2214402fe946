import { describe, expect, it } from "vitest";
import { isRequirementsFile, parsePyproject, parseRequirement, parseRequirementsTxt, parseSetupPy } from "../../src/analyzers/deps/requirements.js";

/**
 * What the requirement readers accept, skip and warn about: a line is a requirement, an include,
 * an option or a path, else a warning naming file and line; only literal lists are read.
 */
describe("requirements: which files declare requirements", () => {
  it.each([
    ["pyproject.toml", "pyproject"],
    ["setup.py", "setup"],
    ["requirements.txt", "txt"],
    ["requirements-cuda.txt", "txt"],
    ["requirements_rocm.in", "txt"],
    ["Requirements.TXT", "txt"],
    ["constraints.txt", "txt"],
    ["sub/requirements.dev.txt", "txt"],
    ["requirements/common.txt", "txt"],
    ["deep/requirements/x-y.txt", "txt"],
  ])("%s is %s", (path, kind) => {
    expect(isRequirementsFile(path)).toBe(kind);
  });

  it.each(["sub/pyproject.toml", "pkg/setup.py", "requirements.md", "my-requirements.txt", "requirements/a/b.txt", "requirements/notes.md", "xrequirements/a.txt", "README.txt", "requirements.txt.bak", "requirements/a.txt.orig"])("%s is not one", (path) => {
    expect(isRequirementsFile(path)).toBeNull();
  });
});

describe("requirements.txt: one logical line, one verdict", () => {
  it("includes (-r, --requirement, -c, --constraint, with = or a space) resolve against the file's folder, `..` and `.` folded", () => {
    const r = parseRequirementsTxt("-r base.txt\n--requirement=./more/x.txt\n-c ../../c.txt\n--constraint ../k.txt\n-rtight.txt\n", "a/b/requirements.txt");
    expect(r.includes).toEqual(["a/b/base.txt", "a/b/more/x.txt", "c.txt", "a/k.txt", "a/b/tight.txt"]);
    expect(parseRequirementsTxt("-r sub/base.txt\n", "requirements.txt").includes).toEqual(["sub/base.txt"]);
    expect([r.requirements, r.warnings]).toEqual([[], []]);
  });

  it("options, bare URLs and local paths are skipped silently; an include with two words is an option too", () => {
    const text = "--index-url https://x/simple\n-e .\nhttps://example.org/p.whl\ngit+https://example.org/r.git\nfile:///w/p.whl\n./local/pkg\n../other\n-r a.txt b.txt\nnumpy\n";
    const r = parseRequirementsTxt(text, "requirements.txt");
    expect(r.requirements.map((q) => q.name)).toEqual(["numpy"]);
    expect([r.includes, r.warnings]).toEqual([[], []]);
  });

  it("a comment starts at `#` at the line start or after a space, not inside a word", () => {
    const r = parseRequirementsTxt("# all comment\ntorch==2.4  # why\nnumpy#x\n   # indented\n", "requirements.txt");
    expect(r.requirements.map((q) => [q.name, q.specifier])).toEqual([["torch", "==2.4"]]);
    expect(r.warnings).toEqual(["requirements.txt:3: not a requirement: numpy#x"]);
  });

  it("a warning names the first physical line of a continued line, and the line cut to 80 characters", () => {
    const long = "x".repeat(70) + " yy zz ww qq rr";
    const r = parseRequirementsTxt(`ok\r\nbad \\\r\n  words\r\n${long}\nlast \\`, "r/requirements.txt");
    expect(r.warnings).toEqual(["r/requirements.txt:2: not a requirement: bad    words", `r/requirements.txt:4: not a requirement: ${long.slice(0, 80)}`]);
    // A trailing backslash on the last line still yields the line: "last" is a requirement.
    expect(r.requirements.map((q) => q.name)).toEqual(["ok", "last"]);
  });
});

describe("requirements.txt: lines end where pip ends them", () => {
  it("a lone CR, a form feed or a Unicode line separator ends a line as a newline does (pip reads lines with str.splitlines)", () => {
    const r = parseRequirementsTxt("torch==2.4 # gpu build\rnumpy>=1\fbad words\u2028ray\r\nsix\n", "requirements.txt");
    expect(r.requirements.map((q) => [q.name, q.specifier])).toEqual([["torch", "==2.4"], ["numpy", ">=1"], ["ray", ""], ["six", ""]]);
    expect(r.warnings).toEqual(["requirements.txt:3: not a requirement: bad words"]);
    // A vertical tab ends a line too; a capital V inside a name does not.
    expect(parseRequirementsTxt("PyVISA>=1\vVTK\n", "requirements.txt").requirements.map((q) => q.name)).toEqual(["pyvisa", "vtk"]);
  });

  it("a CRLF pair is one line end, not two: line numbers count it once", () => {
    expect(parseRequirementsTxt("a\r\n\r\nbad words\r\n", "requirements.txt").warnings).toEqual(["requirements.txt:3: not a requirement: bad words"]);
  });

  it("bare http: and https: URLs are skipped silently; a name starting with http is a requirement", () => {
    const r = parseRequirementsTxt("http://example.org/p.whl\nhttps://example.org/q.whl\nhttpx>=0.27\n", "requirements.txt");
    expect([r.requirements.map((q) => q.name), r.warnings]).toEqual([["httpx"], []]);
  });

  it("an include's empty path segments (a doubled or leading slash) are dropped, as `.` is", () => {
    expect(parseRequirementsTxt("-r more//x.txt\n-c /abs.txt\n", "a/requirements.txt").includes).toEqual(["a/more/x.txt", "a/abs.txt"]);
  });
});

describe("PEP 508: a requirement or not", () => {
  it("names are PEP 503 normalised: a run of `-`, `_` and `.` is one `-`, case folded", () => {
    expect(parseRequirement("Foo__Bar.-_baz>=1", "f")?.name).toBe("foo-bar-baz");
    expect(parseRequirement("foo-bar", "f")?.name).toBe("foo-bar");
  });

  it("a direct reference needs no space after `@`; the URL is kept either way", () => {
    for (const text of ["pkg@https://example.org/p.whl", "pkg @ https://example.org/p.whl", "pkg@ https://example.org/p.whl"]) {
      expect(parseRequirement(text, "f")).toMatchObject({ name: "pkg", specifier: "", url: "https://example.org/p.whl" });
    }
  });

  it("a version without an operator, an operator without a version, or a name not starting with a letter or digit is not a requirement", () => {
    for (const bad of ["torch 2.4", "torch >=", "torch ==", "torch ~=", "torch>=1,<", "torch >=1,", "-torch", "torch==1 2", "torch>=1,,<2"]) expect(parseRequirement(bad, "f")).toBeNull();
  });

  it("every operator is accepted, clauses may be spaced and parenthesised; the specifier is kept without spaces", () => {
    for (const op of ["==", "!=", "<=", ">=", "<", ">", "~=", "==="]) expect(parseRequirement(`p ${op} 1.0`, "f")?.specifier).toBe(`${op}1.0`);
    expect(parseRequirement("p (>= 1.0 , < 2)", "f")?.specifier).toBe(">=1.0,<2");
  });

  it("extras are trimmed and empty ones dropped; the marker is trimmed; a group and a URL are kept only when present", () => {
    expect(parseRequirement("  Ray [ default , ,tune ] >=2 ;  python_version < '3.12'  ", "f", "gpu")).toEqual({ name: "ray", specifier: ">=2", file: "f", marker: "python_version < '3.12'", extras: ["default", "tune"], group: "gpu" });
    const plain = parseRequirement("ray", "f")!;
    expect(Object.keys(plain).sort()).toEqual(["extras", "file", "marker", "name", "specifier"]);
  });
});

describe("pyproject.toml: [project] lists only", () => {
  it("invalid TOML is one warning with the parser's first line, and nothing read", () => {
    const r = parsePyproject("[project\ndependencies = [\"a\"]\n", "sub/pyproject.toml");
    expect(r.requirements).toEqual([]);
    expect(r.warnings).toHaveLength(1);
    // The parser's whole first line, not a piece of it (its later lines draw the text with a caret).
    expect(r.warnings[0]).toMatch(/^sub\/pyproject\.toml: invalid TOML \(Invalid TOML document: [^\n]{5,}\)$/);
  });

  it("a non-string or malformed item is a warning; a dependencies value that is not a list is ignored; no [project] reads nothing", () => {
    const r = parsePyproject('[project]\ndependencies = ["a>=1", 3, "b c"]\n[project.optional-dependencies]\ngpu = "not-a-list"\ncpu = ["d"]\n', "pyproject.toml");
    expect(r.requirements.map((q) => [q.name, q.group ?? null])).toEqual([["a", null], ["d", "cpu"]]);
    expect(r.warnings).toEqual(["pyproject.toml: not a requirement: 3", 'pyproject.toml: not a requirement: "b c"']);
    expect(parsePyproject('[tool.x]\ndependencies = ["a"]\n', "pyproject.toml")).toEqual({ requirements: [], includes: [], warnings: [] });
  });

  it("a non-string item is shown as JSON cut to 80 characters", () => {
    const r = parsePyproject(`[project]\ndependencies = [{ name = "${"x".repeat(100)}" }]\n`, "pyproject.toml");
    expect(r.warnings).toEqual([`pyproject.toml: not a requirement: ${`{"name":"${"x".repeat(100)}"}`.slice(0, 80)}`]);
  });

  it("dynamic dependencies are named in a warning; other dynamic fields are not", () => {
    expect(parsePyproject('[project]\ndynamic = ["version", "dependencies"]\n', "pyproject.toml").warnings).toEqual(["pyproject.toml: dependencies are dynamic (computed at build time); read from the files it names, if any"]);
    expect(parsePyproject('[project]\ndynamic = ["version"]\n', "pyproject.toml").warnings).toEqual([]);
  });
});

describe("setup.py: the literal install_requires list only", () => {
  it("no install_requires reads nothing and warns of nothing", () => {
    expect(parseSetupPy("setup(name='x', requires=['a'])\n", "setup.py")).toEqual({ requirements: [], includes: [], warnings: [] });
  });

  it("a list mixing literals with names warns and reads the literals; comments and commas are not expressions", () => {
    const mixed = parseSetupPy("setup(install_requires=['a', EXTRA, \"b\"])", "setup.py");
    expect(mixed.requirements.map((q) => q.name)).toEqual(["a", "b"]);
    expect(mixed.warnings).toEqual(["setup.py: install_requires mixes literals with expressions; only the literals were read"]);
    const clean = parseSetupPy("install_requires = [\n  'a',  # why\n  'b',\n]\n", "setup.py");
    expect([clean.requirements.map((q) => q.name), clean.warnings]).toEqual([["a", "b"], []]);
  });

  it("the list ends at its own `]`, past escaped quotes and brackets inside strings; an unclosed list is read to the end", () => {
    const r = parseSetupPy("install_requires=['a[x]>=1', \"b\\\"]\", 'c'], extras_require={'z': ['zz']}", "setup.py");
    expect(r.requirements.map((q) => q.name)).toEqual(["a", "c"]);
    expect(r.warnings).toEqual(['setup.py: not a requirement: b\\"]']);
    const long = "bad " + "y".repeat(100);
    expect(parseSetupPy(`install_requires=['${long}']`, "setup.py").warnings).toEqual([`setup.py: not a requirement: ${long.slice(0, 80)}`]);
    const open = parseSetupPy("install_requires=['a', 'b'", "setup.py");
    expect(open.requirements.map((q) => q.name)).toEqual(["a", "b"]);
  });
});
