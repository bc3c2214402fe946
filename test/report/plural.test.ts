import { spawnSync } from "node:child_process";
import { join, resolve } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { generateDemo } from "../../src/demo/index.js";
import { tempDir } from "../helpers/git.js";

const root = tempDir();
const demo = join(root, "demo");
const cli = (...args: string[]) => spawnSync(process.execPath, [resolve("dist/cli/main.js"), ...args], { encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });

beforeAll(async () => {
  await generateDemo(demo);
});

describe("text reports count in words that agree with the number", () => {
  it("api impact: '1 use of 1 broken object', not '1 uses of 1 broken objects'", () => {
    const r = cli("api", "impact", "--repo", join(demo, "tensorforge"), "v0.4.0", "v0.5.0", "--downstream", join(demo, "plugins/tensorforge-npu"));
    expect([r.status, r.stderr]).toEqual([0, ""]);
    expect(r.stdout).toMatch(/: 1 use of 1 broken object, 1 that break; 2 imports of upstream private names\n/);
  });

  it("deps: a project release no dependent release admits while a later one is admitted reads as skipped, not 'not yet'", () => {
    const r = cli("deps", demo);
    expect([r.status, r.stderr]).toEqual([0, ""]);
    expect(r.stdout).toContain("  tensorforge 0.1.0 (2024-02-15) -> tensorforge-npu: skipped (a later release is admitted)\n");
    expect(r.stdout).toContain("  tensorforge 0.4.0 (2024-11-14) -> tensorforge-npu: 96 days (refs/tags/v0.1.0)\n");
    expect(r.stdout).not.toContain("not yet");
  });
});
