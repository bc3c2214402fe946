import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { apiDiff, apiHistory } from "../../src/analyzers/api/index.js";
import { HistoryBuilder } from "../../src/git/builder.js";
import { steward } from "../helpers/cli.js";
import { tempDir, text, up } from "../helpers/git.js";
import { expectMatchesSchema } from "../helpers/schema.js";

/**
 * A changed default breaks no call: every call binds as before, only an
 * argument left out takes the new value. DeepSpeed's op builders turned
 * `is_compatible(self, verbose=True)` into `verbose=False` across a release,
 * and 17 such findings over three release pairs sat among the breaks
 * (issue 16). They are listed apart, as `nonBreaking`; a default change that
 * comes with a real break, and a default removed, stay breaks.
 */
const root = tempDir();
const repo = join(root, "upstream");

const V1 = [
  "class Builder:",
  "    def is_compatible(self, verbose=True):",
  "        return True",
  "",
  "    def load(self, verbose=True):",
  "        return None",
  "",
  "def timer(batch_size, steps_per_output=50, monitor=None):",
  "    return batch_size",
  "",
  "def build(name, jit=False):",
  "    return name",
  "",
  "def launch(world_size=1):",
  "    return world_size",
  "",
  "def save(path, tag: int = 1):",
  "    return path",
];

const V2 = [
  "class Builder:",
  // Only the default: not breaking.
  "    def is_compatible(self, verbose=False):",
  "        return True",
  "",
  // The default and a new required parameter: a break, the default part with it.
  "    def load(self, device, verbose=False):",
  "        return None",
  "",
  // Two defaults, one finding, not breaking.
  "def timer(batch_size, steps_per_output=None, monitor='off'):",
  "    return batch_size",
  "",
  // Written another way (quotes aside, whitespace): no change at all.
  "def build(name, jit = False):",
  "    return name",
  "",
  // The default is gone: calls without the argument break.
  "def launch(world_size):",
  "    return world_size",
  "",
  // A narrowed annotation with the default: still a (weak) break.
  "def save(path, tag: bool = True):",
  "    return path",
];

beforeAll(async () => {
  const b = new HistoryBuilder();
  const files = (body: string[]) => ({ "pkg/__init__.py": text(["from .ops import Builder, timer"]), "pkg/ops.py": text(body) });
  b.tag("v1", b.commit({ branch: "main", message: "v1", author: up("2024-01-01T00:00:00Z"), files: files(V1) }));
  b.tag("v2", b.commit({ branch: "main", message: "v2", author: up("2024-02-01T00:00:00Z"), files: files(V2) }));
  // Defaults only between v2 and v3: no break at all.
  b.tag("v3", b.commit({ branch: "main", message: "v3", author: up("2024-03-01T00:00:00Z"), files: files(V2.map((l) => l.replace("verbose=False):", "verbose=None):"))) }));
  await b.write(repo);
});

const row = (f: { object: string; kind: string; parts: { kind: string; name: string; to?: string; weak?: boolean }[] }) => [f.object, f.kind, f.parts.map((p) => `${p.kind}:${p.name}>${p.to ?? ""}${p.weak ? ":weak" : ""}`)];

describe("a changed default", () => {
  it("alone is not breaking: listed apart with its evidence; with a real break, or removed, it stays a break", async () => {
    const r = await apiDiff({ repo, from: "v1", to: "v2" });
    expect(r.breaking.map(row)).toEqual([
      ["pkg.ops.Builder.load", "signature-changed", ["default-changed:verbose>False:weak", "parameter-moved:verbose>position 2 (was 1): new 'device' before it", "required-parameter-added:device>positional-or-keyword"]],
      ["pkg.ops.launch", "signature-changed", ["default-removed:world_size>"]],
      ["pkg.ops.save", "signature-changed", ["default-changed:tag>True:weak", "annotation-changed:tag>bool:weak"]],
    ]);
    expect(r.nonBreaking.map(row)).toEqual([
      ["pkg.ops.Builder.is_compatible", "signature-changed", ["default-changed:verbose>False:weak"]],
      ["pkg.ops.timer", "signature-changed", ["default-changed:steps_per_output>None:weak", "default-changed:monitor>'off':weak"]],
    ]);
    // Evidence: where it was and is, and the re-export paths of the same definition.
    expect(r.nonBreaking[0]).toEqual({ object: "pkg.ops.Builder.is_compatible", kind: "signature-changed", parts: [{ kind: "default-changed", name: "verbose", from: "True", to: "False", weak: true }], file: "pkg/ops.py", line: 2, to: { file: "pkg/ops.py", line: 2 }, aliases: ["pkg.Builder.is_compatible"] });
    expect([r.summary.breaking, r.summary.weak, r.summary.nonBreaking, r.suggestedBump]).toEqual([3, 1, 2, "major"]);
    await expectMatchesSchema("api-diff", r);
  });

  it("only changed defaults: nothing breaking, a minor bump; history counts no break", async () => {
    const r = await apiDiff({ repo, from: "v2", to: "v3" });
    expect([r.breaking, r.nonBreaking.map(row), r.suggestedBump]).toEqual([
      [],
      [
        ["pkg.ops.Builder.is_compatible", "signature-changed", ["default-changed:verbose>None:weak"]],
        ["pkg.ops.Builder.load", "signature-changed", ["default-changed:verbose>None:weak"]],
      ],
      "minor",
    ]);
    await expectMatchesSchema("api-diff", r);
    const h = await apiHistory({ repo, patterns: ["refs/tags/v*"] });
    expect(h.releases.map((x) => [x.ref, x.breaking])).toEqual([
      ["refs/tags/v1", 0],
      ["refs/tags/v2", 3],
      ["refs/tags/v3", 0],
    ]);
  });

  it("the text report shows it apart from the breaks, and the change gate does not fail on it", () => {
    const t = steward(["api", "diff", "--no-progress", "--repo", repo, "v1", "v2"]);
    expect(t.code).toBe(0);
    const lines = t.stdout.split("\n");
    expect(lines[0]).toContain(": 3 breaking (0 announced by a deprecation, 3 unannounced, 1 weak), 2 not breaking (defaults changed), ");
    expect(lines).toContain("  not breaking, a default changed: pkg.ops.Builder.is_compatible  pkg/ops.py:2");
    expect(lines).toContain("      default changed 'verbose' True -> False");
    expect(lines).toContain("      default changed 'steps_per_output' 50 -> None");
    expect(lines).toContain("  not breaking, defaults changed: pkg.ops.timer  pkg/ops.py:8");
    expect(lines.findIndex((l) => l.startsWith("  not breaking"))).toBeGreaterThan(lines.findIndex((l) => l.includes("pkg.ops.save")));
    const pass = steward(["check", "--repo", repo, "--base", "v2", "--head", "v3", "--date", "2024-04-01"]);
    expect([pass.code, pass.stdout]).toEqual([0, expect.stringMatching(/✓ api\.unannounced .*0 API breaks in the change, 0 announced, suggested bump minor/)]);
    const fail = steward(["check", "--repo", repo, "--base", "v1", "--head", "v2", "--date", "2024-04-01", "--json"]);
    expect(fail.code).toBe(1);
    const j = JSON.parse(fail.stdout) as { results: { policy: string; findings: { object: string }[] }[] };
    expect(j.results.find((x) => x.policy === "api.unannounced")!.findings.map((f) => f.object)).toEqual(["pkg.ops.Builder.load", "pkg.ops.launch", "pkg.ops.save"]);
  });
});
