import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { apiDiff, apiSurface } from "../../src/analyzers/api/index.js";
import { HistoryBuilder } from "../../src/git/builder.js";
import { tempDir, text, up } from "../helpers/git.js";

/**
 * `name = property(getter, setter)` in a class body is a property, as
 * `@property` is: callers read and set `obj.name` the same way. DeepSpeed's
 * ZeRO optimizer had both in one release and only the `property()` call in
 * the next, reported as `object-kind-changed` (issue 16).
 */
const root = tempDir();
const repo = join(root, "upstream");

const GETTERS = ["    def _get_groups(self):", "        return self.optimizer.param_groups", "", "    def _set_groups(self, value):", "        self.optimizer.param_groups = value", ""];

const V1 = [
  "class Optimizer:",
  ...GETTERS,
  "    groups = property(_get_groups, _set_groups)",
  "",
  "    @property",
  "    def groups(self):",
  "        return self.optimizer.param_groups",
  "",
  "    @property",
  "    def scale(self):",
  "        return 1.0",
  "",
  "    state = property(_get_groups)",
  "",
  "    step_count = property(fget=_get_groups)",
];

// groups: only the property() call now; scale: @property -> property(); state: property() -> a method
// callers would now read as a bound method; step_count: a plain class attribute from a call.
const V2 = [
  "import builtins",
  "",
  "class Optimizer:",
  ...GETTERS,
  "    groups = property(_get_groups, _set_groups)",
  "",
  "    def _get_scale(self):",
  "        return 1.0",
  "",
  "    scale = builtins.property(_get_scale)",
  "",
  "    def state(self):",
  "        return {}",
  "",
  "    step_count = make_counter(_get_groups)",
];

// Back: property() -> @property for groups and scale.
const V3 = [
  "class Optimizer:",
  "    @property",
  "    def groups(self):",
  "        return self.optimizer.param_groups",
  "",
  "    @groups.setter",
  "    def groups(self, value):",
  "        self.optimizer.param_groups = value",
  "",
  "    @property",
  "    def scale(self):",
  "        return 1.0",
  "",
  "    def state(self):",
  "        return {}",
  "",
  "    step_count = make_counter(None)",
];

beforeAll(async () => {
  const b = new HistoryBuilder();
  const files = (body: string[]) => ({ "pkg/__init__.py": "", "pkg/optim.py": text(body) });
  b.tag("v1", b.commit({ branch: "main", message: "v1", author: up("2024-01-01T00:00:00Z"), files: files(V1) }));
  b.tag("v2", b.commit({ branch: "main", message: "v2", author: up("2024-02-01T00:00:00Z"), files: files(V2) }));
  b.tag("v3", b.commit({ branch: "main", message: "v3", author: up("2024-03-01T00:00:00Z"), files: files(V3) }));
  await b.write(repo);
});

const members = async (ref: string) => (await apiSurface({ repo, ref })).objects.filter((o) => o.path.startsWith("pkg.optim.Optimizer.")).map((o) => [o.path.slice("pkg.optim.Optimizer.".length), o.kind, o.line]);

describe("a property() call in a class body", () => {
  it("is a property, as @property is; a class attribute set from another call is an attribute", async () => {
    expect(await members("v1")).toEqual([
      ["groups", "property", 11],
      ["scale", "property", 15],
      ["state", "property", 18],
      ["step_count", "property", 20],
    ]);
    expect(await members("v2")).toEqual([
      ["groups", "property", 10],
      ["scale", "property", 15],
      ["state", "method", 17],
      ["step_count", "attribute", 20],
    ]);
  });

  it("@property -> property() and back is no change; a property that became a method or a plain attribute still is", async () => {
    const down = await apiDiff({ repo, from: "v1", to: "v2" });
    expect(down.breaking.map((b) => [b.object, b.kind, b.to?.kind])).toEqual([
      ["pkg.optim.Optimizer.state", "object-kind-changed", "method"],
      ["pkg.optim.Optimizer.step_count", "object-kind-changed", "attribute"],
    ]);
    const back = await apiDiff({ repo, from: "v2", to: "v3" });
    expect(back.breaking).toEqual([]);
  });
});
