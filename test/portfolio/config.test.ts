import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError } from "../../src/errors.js";
import { configCheckJsonSchema, configJsonSchema, configLocator, loadConfig, loadIdentities, parseConfig, repositoriesOf } from "../../src/portfolio/config.js";
import { tempDir } from "../helpers/git.js";

const minimal = "version: 1\nprojects:\n  - name: core\n    repo: core\n";

describe("steward.yaml", () => {
  it("fills defaults and resolves paths against the config file", () => {
    const c = parseConfig(minimal + "forks:\n  - name: vendor\n    of: core\n    repo: https://example.org/vendor.git\n    refs: [release/*]\n", "/p/steward.yaml");
    expect(c.projects[0]).toEqual({ name: "core", repo: "core", branch: "main", packages: [], tags: "refs/tags/v*", fetchMissing: false });
    expect(c.storeLocation).toBe(resolve("/p/steward.db"));
    expect(repositoriesOf(c)).toEqual([
      { name: "core", kind: "project", location: resolve("/p/core"), isUrl: false },
      { name: "vendor", kind: "fork", location: "https://example.org/vendor.git", isUrl: true },
    ]);
    expect(parseConfig(minimal + "store: postgres://u@localhost/steward\n", "/p/s.yaml").storeLocation).toBe("postgres://u@localhost/steward");
  });

  it.each([
    ["version: 2\nprojects: []\n", /^s\.yaml:1: version: Invalid input: expected 1/],
    [minimal + "colour: blue\n", /^s\.yaml:5: \(top level\): unknown key 'colour'/],
    [minimal.replace("repo: core", "repo: core\n    brnach: main"), /^s\.yaml:5: projects\[0\] \(core\): unknown key 'brnach'/],
    ["version: 1\nprojects:\n  - name: core\n", /^s\.yaml:3: projects\[0\] \(core\)\.repo: /],
    [minimal + "forks:\n  - name: v\n    of: nope\n    repo: v\n    refs: [main]\n", /^s\.yaml:7: forks\[0\] \(v\)\.of: unknown project 'nope'/],
    [minimal + "plugins:\n  - name: core\n    repo: p\n    depends: [core]\n", /^s\.yaml:6: plugins\[0\]\.name: duplicate name 'core' \(also projects\[0\]\)/],
    [minimal + "plugins:\n  - name: p\n    repo: p\n    depends: [core, ghost]\n", /^s\.yaml:8: plugins\[0\] \(p\)\.depends\[1\]: unknown project 'ghost'/],
    [minimal + "forks:\n  - name: v\n    of: core\n    repo: v\n    refs: [--all]\n", /^s\.yaml:9: forks\[0\] \(v\)\.refs\[0\]: must not start with '-'/],
    ["version: 1\nprojects: [\n", /s\.yaml:\d+: invalid YAML/],
    ["version: 1\nversion: 1\nprojects: []\n", /s\.yaml:\d+: invalid YAML: Map keys must be unique/],
    [minimal + "identities:\n  affiliations:\n    - person: a@b.c\n      organization: X\n      from: 2024-13-01\n", /^s\.yaml:9: identities\.affiliations\[0\]\.from: /],
    [minimal + "identities:\n  affiliations:\n    - person: a@b.c\n      organization: X\n      from: 2024-06-01\n      until: 2024-01-01\n", /^s\.yaml:10: identities\.affiliations\[0\]\.until: 2024-01-01 is before from 2024-06-01$/],
  ])("rejects %j with a message naming the line and key", (text, message) => {
    expect(() => parseConfig(text, "s.yaml")).toThrow(ConfigError);
    expect(() => parseConfig(text, "s.yaml")).toThrow(message);
  });

  it("a file of identities alone is enough for one repository (steward community --config), not for a portfolio", () => {
    const text = "version: 1\nidentities:\n  bots: [ci@corp.example]\n  domains: {lab.example: Example Lab}\n";
    expect(parseConfig(text, "s.yaml", "s.yaml", { projects: "optional" }).identities).toEqual({ aliases: {}, affiliations: [], bots: ["ci@corp.example"], domains: { "lab.example": "Example Lab" }, logins: {} });
    expect(() => parseConfig(text, "s.yaml")).toThrow(/^s\.yaml:1: projects: /);
    expect(() => parseConfig(text + "  colour: blue\n", "s.yaml", "s.yaml", { projects: "optional" })).toThrow(/^s\.yaml:5: identities: unknown key 'colour'$/);
  });

  it("accepts both example configs", () => {
    for (const f of ["examples/demo.steward.yaml", "examples/pytorch-foundation.steward.yaml"]) expect(() => loadConfig(f)).not.toThrow();
    expect(repositoriesOf(loadConfig("examples/pytorch-foundation.steward.yaml")).filter((r) => r.kind === "fork").map((r) => r.name)).toEqual([
      "deepspeed-gaudi",
      "deepspeed-rocm",
      "vllm-gaudi-fork",
      "vllm-rocm",
    ]);
  });

  it("the demo writes the committed demo config", async () => {
    const { DEMO_CONFIG } = await import("../../src/demo/config.js");
    expect(readFileSync(join("examples", "demo.steward.yaml"), "utf8")).toBe(DEMO_CONFIG);
  });

  it("documents itself: docs/schema/steward-config.schema.json is generated from the zod schema", async () => {
    const committed = JSON.parse(readFileSync("docs/schema/steward-config.schema.json", "utf8"));
    expect(committed).toEqual(JSON.parse(JSON.stringify(configJsonSchema())));
    const { Ajv2020 } = await import("ajv/dist/2020.js");
    const validate = new Ajv2020({ strict: false }).compile(committed);
    const { parse } = await import("yaml");
    for (const f of ["examples/demo.steward.yaml", "examples/pytorch-foundation.steward.yaml"]) expect(validate(parse(readFileSync(f, "utf8"))), f).toBe(true);
  });

  it("documents `config check --json` too: docs/schema/config-check.schema.json is generated from the zod schema", () => {
    expect(JSON.parse(readFileSync("docs/schema/config-check.schema.json", "utf8"))).toEqual(JSON.parse(JSON.stringify(configCheckJsonSchema())));
  });

  it("a file of identities alone is read for one repository by loadIdentities", () => {
    const file = join(tempDir(), "ids.yaml");
    writeFileSync(file, "version: 1\nidentities:\n  domains: {intel.com: Intel}\n");
    expect(loadIdentities(file).domains).toEqual({ "intel.com": "Intel" });
  });

  it("names a missing file", () => {
    expect(() => loadConfig("no/such/steward.yaml")).toThrow("config file not found: no/such/steward.yaml");
  });
});

/** The validation rules of steward.yaml, each tried on both sides. */
describe("steward.yaml rules", () => {
  const error = (text: string, label = "s.yaml") => {
    try {
      parseConfig(text, "/p/s.yaml", label);
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      return (e as Error).message;
    }
    return null;
  };
  const project = (fields: string) => `version: 1\nprojects:\n  - name: core\n    repo: core\n${fields}`;

  it("a name starts with a letter or digit and holds only letters, digits, '.', '_' and '-'", () => {
    expect(error(project("").replace("name: core", "name: 0a.b_c-D"))).toBeNull();
    for (const bad of ["_core", ".core", "-core", "co re", "core/x"]) expect(error(project("").replace("name: core", `name: "${bad}"`)), bad).toBe(`s.yaml:3: projects[0] (${bad}).name: a name: letters, digits, '.', '_' or '-'`);
  });

  it("a branch, tag pattern, fork ref or cache is never empty and never starts with '-' (git would read an option)", () => {
    expect(error(project("    branch: '-x'\n"))).toBe("s.yaml:5: projects[0] (core).branch: must not start with '-'");
    expect(error(project("    tags: ''\n"))).toMatch(/^s\.yaml:5: projects\[0\] \(core\)\.tags: Too small/);
    expect(error(project("    branch: x-\n    tags: refs/tags/-v*\n"))).toBeNull();
    expect(error(project("cache: -cache\n"))).toBe("s.yaml:5: cache: must not start with '-'");
    expect(error(project("cache: .cache-\n"))).toBeNull();
    expect(error(project("forks:\n  - name: f\n    of: core\n    repo: f\n    refs: []\n"))).toMatch(/^s\.yaml:9: forks\[0\] \(f\)\.refs: Too small/);
    expect(error(project("forks:\n  - name: f\n    of: core\n    repo: '-f'\n    refs: [main]\n"))).toBe("s.yaml:8: forks[0] (f).repo: must not start with '-'");
  });

  it("unknown keys are named, one or several, at the first one's line", () => {
    expect(error(project("colour: blue\nsize: 2\n"))).toBe("s.yaml:5: (top level): unknown keys 'colour', 'size'");
    expect(error(project("identities:\n  bots: []\n  robots: []\n"))).toBe("s.yaml:7: identities: unknown key 'robots'");
  });

  it("a name is unique across projects, forks, plugins and downstreams", () => {
    expect(error(project("downstreams:\n  - name: core\n    repo: d\n    depends: [core]\n"))).toBe("s.yaml:6: downstreams[0].name: duplicate name 'core' (also projects[0])");
    expect(error(project("forks:\n  - name: f\n    of: core\n    repo: f\n    refs: [main]\nplugins:\n  - name: f\n    repo: p\n    depends: [core]\n"))).toBe("s.yaml:11: plugins[0].name: duplicate name 'f' (also forks[0])");
    expect(error(project("plugins:\n  - name: p\n    repo: p\n    depends: [core]\ndownstreams:\n  - name: d\n    repo: d\n    depends: [core]\n"))).toBeNull();
  });

  it("a fork is of a project, and a plugin or downstream depends on projects, not on other dependents", () => {
    expect(error(project("plugins:\n  - name: p\n    repo: p\n    depends: [core]\nforks:\n  - name: f\n    of: p\n    repo: f\n    refs: [main]\n"))).toBe("s.yaml:11: forks[0] (f).of: unknown project 'p'");
    expect(error(project("plugins:\n  - name: p\n    repo: p\n    depends: [core]\ndownstreams:\n  - name: d\n    repo: d\n    depends: [core, p]\n"))).toBe("s.yaml:12: downstreams[0] (d).depends[1]: unknown project 'p'");
  });

  it("an affiliation may start and end the same day, not end before it starts", () => {
    const aff = (from: string, until: string) => project(`identities:\n  affiliations:\n    - person: a@b.c\n      organization: X\n      from: ${from}\n      until: ${until}\n`);
    expect(error(aff("2024-06-01", "2024-06-01"))).toBeNull();
    expect(error(aff("2024-06-02", "2024-06-01"))).toBe("s.yaml:10: identities.affiliations[0].until: 2024-06-01 is before from 2024-06-02");
  });

  it("identities: a login and its address, a domain, each checked for its form (a bad key is named)", () => {
    expect(error(project("identities:\n  logins: {'@jdoe-intel': jd@intel.com, a: a@b}\n  domains: {lab.example.org: Lab}\n"))).toBeNull();
    expect(error(project("identities:\n  logins: {'jdoe-': jd@intel.com}\n"))).toBe("s.yaml:6: identities.logins.jdoe-: not a GitHub login like jdoe-intel");
    expect(error(project("identities:\n  logins: {jdoe: jd at intel.com}\n"))).toMatch(/^s\.yaml:6: identities\.logins\.jdoe: an email address the person commits with/);
    expect(error(project("identities:\n  domains: {localhost: Lab}\n"))).toBe("s.yaml:6: identities.domains.localhost: not a domain like example.com");
  });

  it("an error points at the bad key's own line, below the map that holds it; a duplicate name or a claim's project at its own line, not its item's", () => {
    expect(error(project("identities:\n  logins:\n    jdoe: jd@intel.com\n    'bad login': x@intel.com\n"))).toBe("s.yaml:8: identities.logins.bad login: not a GitHub login like jdoe-intel");
    expect(error(project("plugins:\n  - repo: p\n    depends: [core]\n    name: core\n"))).toBe("s.yaml:8: plugins[0].name: duplicate name 'core' (also projects[0])");
    expect(error(project("claims:\n  - supports: [amd]\n    project: ghost\n"))).toBe("s.yaml:7: claims[0].project: unknown project or plugin 'ghost'");
  });

  it("an item is named in the key path by its name only when that name is a string", () => {
    expect(error("version: 1\nprojects:\n  - name: 5\n    repo: core\n")).toMatch(/^s\.yaml:3: projects\[0\]\.name: /);
    expect(error("version: 1\nprojects:\n  - name: core\n    repo: 5\n")).toMatch(/^s\.yaml:4: projects\[0\] \(core\)\.repo: /);
  });

  it("invalid YAML is the parser's message alone, at the line it names", () => {
    expect(error("version: 1\nprojects: [core\nforks: []\n")).toBe("s.yaml:3: invalid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]");
  });

  it("a claim is about a project or a plugin, not a fork or a downstream", () => {
    const claim = (who: string) => project(`plugins:\n  - name: p\n    repo: p\n    depends: [core]\ndownstreams:\n  - name: d\n    repo: d\n    depends: [core]\nforks:\n  - name: f\n    of: core\n    repo: f\n    refs: [main]\nclaims:\n  - project: ${who}\n    supports: [amd]\n`);
    expect(error(claim("core"))).toBeNull();
    expect(error(claim("p"))).toBeNull();
    expect(error(claim("f"))).toBe("s.yaml:19: claims[0].project: unknown project or plugin 'f'");
    expect(error(claim("d"))).toBe("s.yaml:19: claims[0].project: unknown project or plugin 'd'");
  });

  it("policies name repositories of any section", () => {
    const over = (who: string) => project(`forks:\n  - name: f\n    of: core\n    repo: f\n    refs: [main]\npolicies:\n  repositories:\n    ${who}:\n      drift:\n        baseAge: false\n`);
    expect(error(over("f"))).toBeNull();
    expect(error(over("g"))).toBe("s.yaml:12: policies.repositories: unknown repository 'g'");
  });

  it("the store: a postgres:// or postgresql:// URL as written, else a file beside the config; the cache likewise", () => {
    const at = (fields: string) => parseConfig(project(fields), "/p/s.yaml");
    expect(at("store: postgresql://u@db/s\n").storeLocation).toBe("postgresql://u@db/s");
    expect(at("store: data/postgres://x\n").storeLocation).toBe(resolve("/p/data/postgres:/x"));
    expect(at("store: /var/s.db\ncache: c\n")).toMatchObject({ storeLocation: "/var/s.db", cacheDir: resolve("/p/c") });
    expect(at("").cacheDir).toBe(resolve("/p/.steward-cache"));
  });

  it("a repository is a URL (http, https, ssh, git, file, or user@host:path) or a path relative to the config", () => {
    const loc = (repo: string) => repositoriesOf(parseConfig(project("").replace("repo: core", `repo: "${repo}"`), "/p/s.yaml"))[0]!;
    for (const url of ["http://h/r.git", "https://h/r.git", "ssh://git@h/r.git", "git://h/r.git", "file:///srv/r.git", "git@github.com:o/r.git"]) expect(loc(url), url).toMatchObject({ location: url, isUrl: true });
    for (const [path, location] of [["/abs/r", "/abs/r"], ["../r", resolve("/r")], ["me@dir/r", resolve("/p/me@dir/r")], ["x/https://h", resolve("/p/x/https:/h")], ["dir/me@host:r", resolve("/p/dir/me@host:r")]]) expect(loc(path!), path).toEqual({ name: "core", kind: "project", location, isUrl: false });
  });

  it("loadConfig: a directory holding steward.yaml; a path starting with '-', a missing or unreadable file refused by name", () => {
    const dir = tempDir();
    writeFileSync(join(dir, "steward.yaml"), minimal);
    expect(loadConfig(dir).file).toBe(join(dir, "steward.yaml"));
    expect(loadConfig(join(dir, "steward.yaml")).projects[0]!.name).toBe("core");
    mkdirSync(join(dir, "sub.yaml"));
    writeFileSync(join(dir, "sub.yaml", "steward.yaml"), minimal);
    // A directory named like a config file is taken for the file, .yaml or .yml (and cannot be read).
    mkdirSync(join(dir, "sub.yml"));
    writeFileSync(join(dir, "sub.yml", "steward.yaml"), minimal);
    for (const name of ["sub.yaml", "sub.yml"]) expect(() => loadConfig(join(dir, name))).toThrow(new RegExp(`^cannot read config ${join(dir, name)}: EISDIR`));
    // A config file under another name is read as it is.
    writeFileSync(join(dir, "portfolio.conf"), minimal);
    expect(loadConfig(join(dir, "portfolio.conf")).file).toBe(join(dir, "portfolio.conf"));
    expect(() => loadConfig("-c")).toThrow(new ConfigError("config path must not start with '-': -c"));
    expect(() => loadConfig(join(dir, "empty"))).toThrow(`config file not found: ${join(dir, "empty")}`);
  });

  it("the locator gives a key's own line, and an item's line for an index", () => {
    const dir = tempDir();
    const file = join(dir, "steward.yaml");
    writeFileSync(file, `${minimal}policies:\n  drift:\n    baseAge:\n      reason: r\n      maxDays: 3\n  waivers:\n    - policy: drift.baseAge\n      repository: core\n      match: '*'\n      reason: r\n      owner: o\n      expires: 2030-01-01\n`);
    const at = configLocator(file);
    expect([at(["policies", "drift", "baseAge"]), at(["policies", "waivers", 0]), at(["policies", "drift", "debtGrowth"])]).toEqual([7, 11, 7]); // a key not in the file: where its parent's content starts
    // A key after the first of its map: its own line, not the map's.
    writeFileSync(file, `${minimal}policies:\n  drift:\n    baseAge:\n      reason: r\n      maxDays: 3\n    debtGrowth:\n      reason: r\n      maxPercent: 5\n`);
    expect(configLocator(file)(["policies", "drift", "debtGrowth"])).toBe(10);
  });
});
