import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { ConfigError } from "../../src/errors.js";
import { parseConfig, repositoriesOf } from "../../src/portfolio/config.js";
import { fcParams, onlyStewardErrors } from "../helpers/property.js";

const NAME = fc.string({ unit: fc.constantFrom(..."abcXY09._-"), minLength: 1, maxLength: 8 }).map((s) => `n${s}`);
const REPO = fc.oneof(
  fc.string({ unit: fc.constantFrom(..."abc/._ü"), minLength: 1, maxLength: 12 }).map((s) => `r${s}`),
  fc.constantFrom("https://example.org/x.git", "git@github.com:o/r.git", "/abs/path"),
);
const REF = fc.constantFrom("main", "refs/tags/v*", "release/*", "1.*");

const CONFIG = fc
  .record({
    projects: fc.uniqueArray(fc.record({ name: NAME, repo: REPO, branch: REF, tags: REF, packages: fc.array(fc.constantFrom("core", "core_ext"), { maxLength: 2 }) }), { minLength: 1, maxLength: 3, selector: (p) => p.name }),
    forks: fc.array(fc.record({ name: NAME, repo: REPO, refs: fc.array(REF, { minLength: 1, maxLength: 3 }), vendor: fc.option(fc.constantFrom("amd", "intel"), { nil: undefined }) }), { maxLength: 2 }),
  })
  .map((c) => ({
    version: 1,
    projects: c.projects,
    // Fork names distinct from every project name; each forks the first project.
    forks: c.forks.map((f, i) => ({ ...f, name: `fork${i}-${f.name}`, of: c.projects[0]!.name, ...(f.vendor === undefined ? {} : { vendor: f.vendor }) })).map((f) => (f.vendor === undefined ? (({ vendor: _, ...rest }) => rest)(f) : f)),
  }));

describe("steward.yaml: parse(print(x)) = x", () => {
  it("every project and fork read back with its fields, and listed as a repository", () => {
    fc.assert(
      fc.property(CONFIG, (c) => {
        const parsed = parseConfig(stringify(c), "/p/steward.yaml");
        expect(parsed.projects).toEqual(c.projects.map((p) => ({ ...p, fetchMissing: false })));
        expect(parsed.forks).toEqual(c.forks.map((f) => ({ ...f, fetchMissing: false })));
        expect(repositoriesOf(parsed).map((r) => r.name)).toEqual([...c.projects, ...c.forks].map((x) => x.name));
      }),
      fcParams(),
    );
  });
});

describe("steward.yaml on any text", () => {
  it("an alias with no anchor is invalid YAML: a ConfigError, not a crash", () => {
    expect(() => parseConfig("version: 1\nprojects: *nowhere\n", "/p/steward.yaml", "steward.yaml")).toThrow(new ConfigError("steward.yaml: invalid YAML: Unresolved alias (the anchor must be set before the alias): nowhere"));
  });

  const PIECE = fc.oneof(fc.string({ maxLength: 10 }), fc.constantFrom("version: 1\n", "projects:\n", "  - name: a\n", "    repo: ", "-x\n", ": ", "\n", "  ", "[", "{", "&a ", "*a", "!!binary ", "forks: []\n", "identities:\n", "\t", "'", '"'));
  it("a config, or one ConfigError on one line naming the file", () => {
    fc.assert(
      fc.property(fc.array(PIECE, { maxLength: 20 }), (pieces) => {
        const r = onlyStewardErrors(() => parseConfig(pieces.join(""), "/p/steward.yaml", "steward.yaml"));
        if (r === "steward-error") expect(() => parseConfig(pieces.join(""), "/p/steward.yaml", "steward.yaml")).toThrow(/^steward\.yaml(:\d+)?: /);
      }),
      fcParams(),
    );
  });

  it("a repo: that starts with '-' is refused wherever it appears (git would read it as an option)", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 10 }).map((s) => `-${s}`), fc.constantFrom("projects", "forks", "plugins", "downstreams"), (repo, section) => {
        const item = section === "projects" ? { name: "core", repo } : section === "forks" ? { name: "f", of: "core", repo, refs: ["main"] } : { name: "d", repo, depends: ["core"] };
        const c = { version: 1, projects: [section === "projects" ? item : { name: "core", repo: "core" }], ...(section === "projects" ? {} : { [section]: [item] }) };
        expect(() => parseConfig(stringify(c), "/p/steward.yaml", "steward.yaml")).toThrow(ConfigError);
        expect(() => parseConfig(stringify(c), "/p/steward.yaml", "steward.yaml")).toThrow(new RegExp(`${section}\\[0\\] \\((core|f|d)\\)\\.repo: must not start with '-'`));
        // The boundary: the same text without the dash is accepted.
        expect(() => parseConfig(stringify(JSON.parse(JSON.stringify(c).replace(`"repo":${JSON.stringify(repo)}`, () => `"repo":${JSON.stringify("x" + repo)}`))), "/p/steward.yaml")).not.toThrow();
      }),
      fcParams(),
    );
  });
});
