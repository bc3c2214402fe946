import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { storeLabel } from "../../src/store/label.js";
import { buildFamily } from "../drift/fixture.js";
import { steward } from "../helpers/cli.js";
import { tempDir } from "../helpers/git.js";
import { expectMatchesSchema } from "../helpers/schema.js";

const root = tempDir();
const repo = join(root, "family");

beforeAll(async () => {
  await buildFamily().write(repo);
});

/** A portfolio of one local project and one URL fork of it (file://, so fetch works offline). */
function portfolio(name: string, extra = ""): string {
  const cfg = join(root, `${name}.steward.yaml`);
  writeFileSync(cfg, `version: 1\n${extra}projects:\n  - name: core\n    repo: ${repo}\nforks:\n  - name: far\n    of: core\n    repo: file://${repo}\n    refs: [main]\n`);
  return cfg;
}

describe("the portfolio commands' --json outputs have their schemas", () => {
  it("config check --json: the validated config, its repositories and warnings", async () => {
    const r = steward(["config", "check", portfolio("check"), "--json"]);
    expect([r.code, r.stderr]).toEqual([0, ""]);
    const out = JSON.parse(r.stdout);
    await expectMatchesSchema("config-check", out);
    expect(out.repositories.map((x: { name: string; isUrl: boolean }) => [x.name, x.isUrl])).toEqual([["core", false], ["far", true]]);
    // The warning the text prints is in the JSON too.
    expect(out.problems).toEqual([{ name: "far", level: "warning", message: expect.stringMatching(/^never fetched \(run steward fetch /) }]);
    // The JSON still fails the schema of steward.yaml itself only by its added keys, not by shape.
    await expect(expectMatchesSchema("config-check", { ...out, problems: "none" })).rejects.toThrow();
  });

  it("a postgres store's password never appears in config check, text or JSON", () => {
    const cfg = portfolio("pg", "store: postgres://steward:s3cret@db.example:5432/steward\n");
    for (const args of [["config", "check", cfg], ["config", "check", cfg, "--json"]]) {
      const r = steward(args);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain("postgres://steward:***@db.example:5432/steward");
      expect(r.stdout).not.toContain("s3cret");
    }
    expect(storeLabel("postgresql://u:p@h/db")).toBe("postgresql://u:***@h/db");
    expect(storeLabel("postgres://h/db")).toBe("postgres://h/db");
    expect(storeLabel("/var/lib/steward.db")).toBe("/var/lib/steward.db");
  });

  it("fetch --json and scan --json validate; a second fetch says nothing changed", async () => {
    const cfg = portfolio("scan");
    const first = steward(["fetch", cfg, "--json", "--no-progress"]);
    expect([first.code, first.stderr]).toEqual([0, ""]);
    const f = JSON.parse(first.stdout);
    await expectMatchesSchema("fetch", f);
    expect(f.repositories.map((x: { name: string; state: string }) => [x.name, x.state])).toEqual([["far", "fetched"]]);
    expect(f.repositories[0].changed).toBe(f.repositories[0].refs);
    expect(f.local).toEqual(["core"]);

    const again = steward(["fetch", cfg, "--no-progress"]);
    expect(again.stdout).toMatch(/: 1 fetched \(0 with new refs, 1 up to date\), 0 failed\n {2}✓ far {2}up to date \(\d+ refs\)/);

    const s = steward(["scan", cfg, "--json", "--no-progress", "--fetch"]);
    const scan = JSON.parse(s.stdout);
    await expectMatchesSchema("scan", scan);
    expect(scan.fetch.repositories[0].changed).toBe(0);
    // The fixture holds no Python package and declares none: its API analysis does not apply, which
    // is stored and shown, not a failure every scan would repeat.
    expect([s.code, s.stderr]).toEqual([0, ""]);
    expect([scan.analysed, scan.unchanged, scan.failed]).toEqual([5, 0, 0]);
    const status = steward(["status", cfg]);
    expect(status.stdout).toMatch(/\n {6}api: no Python package \(not analysed; name one with packages: in steward\.yaml\)\n/);
    expect(JSON.parse(steward(["status", cfg, "--json"]).stdout).repositories[0].headline.apiNotApplicable).toMatch(/^no Python package found at refs\/heads\/main /);

    // A package that is declared but missing is still a failure: the config says there is one.
    const declared = portfolio("declared").replace(/\.steward\.yaml$/, ".steward.yaml");
    writeFileSync(declared, readFileSync(declared, "utf8").replace("    repo: " + repo + "\nforks:", "    repo: " + repo + "\n    packages: [core]\nforks:"));
    const d = steward(["scan", declared, "--json", "--no-progress"]);
    expect([d.code, d.stderr]).toEqual([2, "steward: 1 of 5 analyses could not be computed: core (api)\n"]);
    expect(scan.tasks.map((t: { repository: string; analyzer: string }) => `${t.repository} ${t.analyzer}`).sort()).toEqual(["core api", "core community", "core deps", "core neutrality", "far drift"]);
  });
});
