import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError } from "../../src/errors.js";
import { configJsonSchema, loadConfig, parseConfig, repositoriesOf } from "../../src/portfolio/config.js";

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

  it("names a missing file", () => {
    expect(() => loadConfig("no/such/steward.yaml")).toThrow("config file not found: no/such/steward.yaml");
  });
});
