import { spawnSync } from "node:child_process";
import { join, resolve } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { buildFamily } from "../drift/fixture.js";
import { git, tempDir } from "../helpers/git.js";

const BIN = resolve("dist/cli/main.js");

function steward(...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Bad input: one line naming the bad value, exit 2, nothing on stdout. */
function expectUsageError(r: ReturnType<typeof steward>, pattern: RegExp) {
  expect(r.stderr).toMatch(pattern);
  expect(r.stderr.trim().split("\n")).toHaveLength(1);
  expect([r.code, r.stdout]).toEqual([2, ""]);
}

const root = tempDir();
const repo = join(root, "family");

beforeAll(async () => {
  await buildFamily().write(repo);
  git(repo, "tag", "v1.0", "main~1");
  git(repo, "tag", "v1.1", "main");
  git(repo, "update-ref", "refs/remotes/gaudi/1.0", "fork");
});

describe("option parsing", () => {
  it("--history and --tags take one value each (repeatable), so the positional after them stays a positional", () => {
    const r = steward("drift", "--repo", repo, "--history", "refs/remotes/gaudi/1.*", "--history", "refs/heads/f*", "main");
    expect([r.code, r.stderr]).toEqual([0, ""]);
    expect(r.stdout).toMatch(/^Drift history against main \([0-9a-f]{10}\) of refs\/remotes\/gaudi\/1\.\* refs\/heads\/f\*: 2 refs\n/);
    expectUsageError(steward("deps", "--tags", "refs/tags/v*", "demo"), /^steward: give either a config or --repo\/--tags, not both \(config given: demo\)\n$/);
    expectUsageError(steward("deps", "--repo", repo, "--tags", "refs/tags/v*", "demo"), /config given: demo/);
    expectUsageError(steward("drift", "--repo", repo, "--history", "refs/heads/f*", "main", "fork"), /^steward: give either fork refs or --history, not both \(fork refs given: fork\)\n$/);
  });

  it("options written before a subcommand apply to it, or are refused; none is dropped", () => {
    const lint = steward("neutrality", "--repo", repo, "lint", "main");
    expect(lint.stderr).toBe("");
    expect(lint.stdout).toMatch(/^Portability lint at main /);
    const json = steward("neutrality", "--json", "lint", "--repo", repo, "main");
    expect(JSON.parse(json.stdout).ref).toBe("main");
    // Given again after the subcommand, the subcommand's own value wins.
    const own = steward("neutrality", "--repo", join(root, "nope"), "lint", "--repo", repo, "--json", "main");
    expect(JSON.parse(own.stdout).ref).toBe("main");
    expectUsageError(steward("deps", "--repo", repo, "check", "core==1.0"), /^steward: --repo is not an option of 'steward deps check' \(see steward deps check --help\)\n$/);
  });

  it("a second --fork-repo is refused, not silently replacing the first", () => {
    expectUsageError(steward("drift", "--upstream-repo", repo, "--fork-repo", repo, "--fork-repo", join(root, "other"), "main", "fork"), /--fork-repo is given twice \(.*family, .*other\); give it once \(see steward drift --help\)\n$/);
  });

  it("one side from a repository and no --repo: names the missing side instead of 'not a git repository: .'", () => {
    expectUsageError(steward("drift", "--upstream-repo", repo, "main", "fork"), /^steward: --upstream-repo needs --fork-repo PATH\|URL \(or --repo DIR\) for the fork refs\n$/);
    expectUsageError(steward("drift", "--fork-repo", repo, "main", "fork"), /^steward: --fork-repo needs --upstream-repo/);
  });

  it("a pattern that matches nothing suggests the full ref name that would", () => {
    expectUsageError(steward("drift", "--repo", repo, "--history", "gaudi/1.*", "main"), /^steward: no ref matches gaudi\/1\.\* \(patterns are full ref names: 'refs\/remotes\/gaudi\/1\.\*' matches 1 ref\)\n$/);
    expectUsageError(steward("deps", "--repo", repo, "--tags", "v*"), /^steward: no ref matches v\* \(patterns are full ref names: 'refs\/tags\/v\*' matches 2 refs\)\n$/);
    expectUsageError(steward("api", "history", "--repo", repo, "--tags", "v*"), /'refs\/tags\/v\*' matches 2 refs/);
    expectUsageError(steward("neutrality", "history", "--repo", repo, "--tags", "v*"), /'refs\/tags\/v\*' matches 2 refs/);
    expectUsageError(steward("neutrality", "history", "--repo", repo, "--tags", "refs/tags/zz*"), /^steward: no ref matches refs\/tags\/zz\*\n$/);
  });

  it("a usage error points to the help of the subcommand it concerns", () => {
    expectUsageError(steward("neutrality", "lint", "--frobnicate"), /^steward: unknown option '--frobnicate' \(see steward neutrality lint --help\)\n$/);
    expectUsageError(steward("identities", "unknown", "--frobnicate"), /\(see steward identities unknown --help\)\n$/);
  });
});
