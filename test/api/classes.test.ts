import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { apiDiff, apiImpact, apiSurface } from "../../src/analyzers/api/index.js";
import { HistoryBuilder } from "../../src/git/builder.js";
import { tempDir, text, up } from "../helpers/git.js";

const root = tempDir();
const repo = join(root, "upstream");
const plugin = join(root, "plugin");

const V1 = [
  "class Ops:",
  "    @staticmethod",
  "    def make(size):",
  "        return size",
  "",
  "    def fallback(self, scores, mask):",
  "        return scores",
  "",
  "    @classmethod",
  "    def build(cls, n):",
  "        return cls()",
  "",
  "    def step(self, lr):",
  "        return lr",
];

const V2 = [
  "class Ops:",
  "    def make(self, size):",
  "        return size",
  "",
  "    @staticmethod",
  "    def fallback(scores, mask):",
  "        return scores",
  "",
  "    @staticmethod",
  "    def build(n):",
  "        return Ops()",
  "",
  "    def step(self, lr, momentum):",
  "        return lr",
];

beforeAll(async () => {
  const b = new HistoryBuilder();
  const models1 = ["import torch", "from .base import Layer", "", "class Net(torch.nn.Module):", "    pass", "", "class Block(Layer):", "    pass", "", "class Head(Layer):", "    pass", "", "class Linear(torch.nn.Module):", "    pass"];
  // Net's base written another way, Layer moved (still re-exported where it was), Head's base really gone.
  // Linear's direct base is now Net, which still derives from torch.nn.Module: no base was lost.
  const models2 = ["from torch import nn", "from .layers import Layer", "", "class Net(nn.Module):", "    pass", "", "class Block(Layer):", "    pass", "", "class Head(object):", "    pass", "", "class Linear(Net):", "    pass"];
  b.tag("v1", b.commit({ branch: "main", message: "v1", author: up("2024-01-01T00:00:00Z"), files: { "pkg/__init__.py": text(["from .ops import Ops"]), "pkg/ops.py": text(V1), "pkg/base.py": text(["class Layer:", "    pass"]), "pkg/models.py": text(models1) } }));
  b.tag("v2", b.commit({ branch: "main", message: "v2", author: up("2024-02-01T00:00:00Z"), files: { "pkg/ops.py": text(V2), "pkg/base.py": text(["from .layers import Layer"]), "pkg/layers.py": text(["class Layer:", "    pass"]), "pkg/models.py": text(models2) } }));
  await b.write(repo);
  const d = new HistoryBuilder();
  d.commit({
    branch: "main",
    message: "plugin",
    author: up("2024-03-01T00:00:00Z"),
    files: { "plugin/use.py": text(["from pkg import Ops", "", "Ops.make(4)", "Ops.fallback(None, 1, 2)", "Ops.step(None, 0.1, 0.9)", "Ops.step(None, 0.1)"]) },
  });
  await d.write(plugin);
});

describe("a method that changes how it binds", () => {
  it("static -> instance breaks calls through the class; instance -> static is weak; class -> static is no change", async () => {
    const r = await apiDiff({ repo, from: "v1", to: "v2" });
    expect(r.breaking.filter((b) => b.object.startsWith("pkg.ops.Ops.")).map((b) => [b.object, b.kind, b.parts, b.aliases])).toEqual([
      ["pkg.ops.Ops.fallback", "signature-changed", [{ kind: "method-binding-changed", name: "instance method", to: "staticmethod: calls through an instance still work; Class.method(obj, ...) passes one argument too many", weak: true }], ["pkg.Ops.fallback"]],
      ["pkg.ops.Ops.make", "signature-changed", [{ kind: "method-binding-changed", name: "staticmethod", to: "instance method: calls through the class now miss the instance argument" }], ["pkg.Ops.make"]],
      ["pkg.ops.Ops.step", "signature-changed", [{ kind: "required-parameter-added", name: "momentum", to: "positional-or-keyword" }], ["pkg.Ops.step"]],
    ]);
    expect([r.summary.weak, r.suggestedBump]).toEqual([1, "major"]);
  });

  it("calls through the class are bound with the instance argument explicit", async () => {
    const r = await apiImpact({ repo, from: "v1", to: "v2", downstreams: [plugin] });
    expect(r.downstreams[0]!.hits.map((h) => [h.line, h.object, h.breaks, h.why])).toEqual([
      [3, "pkg.ops.Ops.make", true, "required 'size' not given"],
      [4, "pkg.ops.Ops.fallback", true, "3 positional arguments, the signature takes 2"],
      [5, "pkg.ops.Ops.step", false, "the call still binds to the new signature"],
      [6, "pkg.ops.Ops.step", true, "required 'momentum' not given"],
    ]);
  });
});

describe("base classes", () => {
  it("are compared as dotted names through imports: the same base written another way, moved and still re-exported, or still inherited through a new base, is no removal", async () => {
    const r = await apiDiff({ repo, from: "v1", to: "v2" });
    expect(r.breaking.filter((b) => b.kind === "base-removed")).toEqual([
      { object: "pkg.models.Head", kind: "base-removed", parts: [{ kind: "base-removed", name: "pkg.base.Layer" }], file: "pkg/models.py", line: 10, to: { file: "pkg/models.py", line: 10 }, deprecation: { verdict: "unannounced", markers: [] } },
    ]);
    const s = await apiSurface({ repo, ref: "v2" });
    expect(s.objects.filter((o) => o.kind === "class" && o.path.startsWith("pkg.models.")).map((o) => [o.path, o.bases])).toEqual([
      ["pkg.models.Block", ["pkg.layers.Layer"]],
      ["pkg.models.Head", ["object"]],
      ["pkg.models.Layer", []],
      ["pkg.models.Linear", ["pkg.models.Net"]],
      ["pkg.models.Net", ["torch.nn.Module"]],
    ]);
  });
});
