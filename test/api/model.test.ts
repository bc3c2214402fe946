import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { apiDiff, apiSurface } from "../../src/analyzers/api/index.js";
import { accepts } from "../../src/analyzers/api/diff.js";
import { HistoryBuilder } from "../../src/git/builder.js";
import { tempDir, text, up } from "../helpers/git.js";
import { expectMatchesSchema } from "../helpers/schema.js";

/**
 * The API model sees what users import: symlinked directories inside the
 * package, star imports of its own modules, members inherited by public
 * subclasses, the definition's own path as a finding's name, widened
 * annotations, and old paths that still import.
 */

const root = tempDir();
const repo = join(root, "upstream");

const V1: Record<string, string> = {
  "setup.py": text(["from setuptools import setup, find_packages", "setup(name='ds', packages=find_packages(include=['ds', 'ds.*']))"]),
  "ds/__init__.py": text(["from .utils import *"]),
  // Helper packages beside ds, not shipped themselves, shipped through links inside ds (DeepSpeed's layout).
  "accelerator/__init__.py": text(["from .real import get_accelerator"]),
  "accelerator/real.py": text(["def get_accelerator(name):", "    return name"]),
  "accelerator/back": "../ds",
  "op_builder/__init__.py": "",
  "op_builder/builder.py": text(["class OpBuilder:", "    def load(self, verbose=True):", "        return None"]),
  // C++ sources with test scripts, linked into the package but no Python package (no __init__.py): not shipped.
  "csrc/aio/py_test/bench.py": text(["def run():", "    pass"]),
  "ds/ops/csrc": "../../csrc",
  "ds/accelerator": "../accelerator/",
  "ds/ops/__init__.py": "",
  "ds/ops/op_builder": "../../op_builder",
  "ds/ops/outside": "../../../etc",
  "ds/ops/loop": ".",
  // Star imports: __all__ respected, absolute and relative forms, a cycle.
  "ds/utils/__init__.py": text(["from .helpers import *"]),
  "ds/utils/helpers.py": text(['__all__ = ["clip", "_hidden_ok"]', "def clip(x):", "    return x", "def scale(x):", "    return x", "def _hidden_ok():", "    pass"]),
  "ds/utils/more.py": text(["from ds.utils.helpers import *", "from .cyc import *", "def more_fn():", "    pass"]),
  "ds/utils/cyc.py": text(["from .more import *", "def cyc_fn():", "    pass"]),
  // A model whose base comes in through `from .. import *` (DeepSpeed's inference v2 models).
  "ds/models/__init__.py": text(["from .base import *"]),
  "ds/models/base.py": text(["class ModelBase:", "    def forward(self, x):", "        return x", "", "    def flops(self):", "        return 0"]),
  "ds/models/qwen/__init__.py": text(["from .model import QwenModel"]),
  "ds/models/qwen/model.py": text(["from .. import *", "", "class QwenModel(ModelBase):", "    def forward(self, x):", "        return x"]),
  // Inherited members: a public base, a private mixin, two levels of subclasses; infer.py imports TrainEngine for its own use.
  "ds/engine/__init__.py": "",
  "ds/engine/base.py": text([
    "class EngineBase:",
    "    def step(self, lr):",
    "        return lr",
    "",
    "    def legacy(self):",
    "        return None",
    "",
    "class _Mixin:",
    "    def helper_api(self, a):",
    "        return a",
  ]),
  "ds/engine/train.py": text(["from .base import EngineBase, _Mixin", "", "class TrainEngine(EngineBase, _Mixin):", "    def train(self):", "        return None"]),
  "ds/engine/infer.py": text(["from .train import TrainEngine", "", "class InferEngine(TrainEngine):", "    def infer(self):", "        return None"]),
  // Annotations.
  "ds/api.py": text([
    "from typing import Optional, Union",
    "",
    'def load(path: str, mode: str = "r"):',
    "    return path",
    "",
    "def save(obj: Union[int, str]):",
    "    return obj",
    "",
    'def fmt(x: "int") -> Optional[str]:',
    "    return None",
    "",
    "def parse(x) -> str:",
    "    return x",
  ]),
  // Old paths that still import.
  "ds/io/__init__.py": text(["from .reader import Reader"]),
  "ds/io/reader.py": text(["class Reader:", "    pass"]),
  "ds/flags.py": text(['__all__ = ["ON", "OFF", "Switch"]', "ON = 1", "OFF = 0", "class Switch:", "    def flip(self):", "        pass"]),
};

const V2: Record<string, string | null> = {
  "accelerator/real.py": text(["def get_accelerator(name, device):", "    return name"]),
  "ds/models/qwen/model.py": text(["from .. import *", "", "class QwenModel(ModelBase):", "    pass"]),
  "ds/engine/base.py": text(["class EngineBase:", "    def step(self, lr):", "        return lr", "", "class _Mixin:", "    def helper_api(self, a, b):", "        return a"]),
  "ds/engine/train.py": text(["from .base import EngineBase, _Mixin", "", "class TrainEngine(EngineBase, _Mixin):", "    def train(self, steps):", "        return None"]),
  "ds/api.py": text([
    "from typing import Optional, Union",
    "",
    'def load(path: Optional[str], mode: str | None = "r"):',
    "    return path",
    "",
    "def save(obj: int):",
    "    return obj",
    "",
    "def fmt(x: int) -> str:",
    "    return None",
    "",
    "def parse(x) -> str | None:",
    "    return x",
  ]),
  "ds/io/__init__.py": text(["from ds.core.reader import Reader"]),
  "ds/io/reader.py": null,
  "ds/core/__init__.py": "",
  "ds/core/reader.py": text(["class Reader:", "    pass"]),
  "ds/flags.py": text(['__all__ = ["ON"]', "ON = 1", "OFF = 0", "class Switch:", "    def flip(self):", "        pass"]),
};

const LINKS = ["accelerator/back", "ds/accelerator", "ds/ops/op_builder", "ds/ops/outside", "ds/ops/loop", "ds/ops/csrc"];

beforeAll(async () => {
  const b = new HistoryBuilder();
  b.tag("v1", b.commit({ branch: "main", message: "v1", author: up("2024-01-01T00:00:00Z"), files: V1, symlinks: LINKS }));
  b.tag("v2", b.commit({ branch: "main", message: "v2", author: up("2024-02-01T00:00:00Z"), files: V2 }));
  await b.write(repo);
});

const paths = async (ref: string) => new Map((await apiSurface({ repo, ref })).objects.map((o) => [o.path, o]));

describe("symlinked directories inside a package", () => {
  it("are part of the package: modules under the link, with the file the link leads to", async () => {
    const s = await apiSurface({ repo, ref: "v1" });
    expect(s.packages).toEqual(["ds"]);
    const by = new Map(s.objects.map((o) => [o.path, o]));
    expect(by.get("ds.accelerator.real.get_accelerator")).toMatchObject({ kind: "function", file: "accelerator/real.py", line: 1 });
    expect(by.get("ds.accelerator.get_accelerator")).toMatchObject({ kind: "function", aliasOf: "ds.accelerator.real.get_accelerator" });
    expect(by.get("ds.ops.op_builder.builder.OpBuilder.load")).toMatchObject({ kind: "method", file: "op_builder/builder.py", line: 2 });
    // The helper packages themselves are not shipped; links leaving the tree or looping are not followed.
    expect(s.objects.filter((o) => /^(?:accelerator|op_builder|csrc)\b|^ds\.ops\.(?:outside|loop|csrc)\b|^ds\.accelerator\.back\b/.test(o.path))).toEqual([]);
    expect(s.warnings).toEqual([
      "accelerator/back: symlink not followed: it is a loop (points to ds, which holds it)",
      "ds/ops/loop: symlink not followed: it is a loop (points to ds/ops, which holds it)",
      "ds/ops/outside: symlink not followed: it points outside the tree (../../../etc)",
    ]);
    await expectMatchesSchema("api-surface", s);
  });

  it("a change behind the link is a change of the package", async () => {
    const r = await apiDiff({ repo, from: "v1", to: "v2" });
    const f = r.breaking.find((b) => b.object === "ds.accelerator.real.get_accelerator");
    expect(f).toMatchObject({ kind: "signature-changed", parts: [{ kind: "required-parameter-added", name: "device" }], file: "accelerator/real.py", line: 1, aliases: ["ds.accelerator.get_accelerator"] });
  });
});

describe("star imports of the package's own modules", () => {
  it("re-export the target's public names, its __all__ when it has one, transitively and through cycles", async () => {
    const by = await paths("v1");
    expect(by.get("ds.utils.clip")).toMatchObject({ kind: "function", aliasOf: "ds.utils.helpers.clip" });
    expect(by.get("ds.utils._hidden_ok")).toMatchObject({ kind: "function", aliasOf: "ds.utils.helpers._hidden_ok" });
    expect(by.has("ds.utils.scale")).toBe(false);
    // ds.utils has no __all__: `from .utils import *` in ds takes its names without a leading _.
    expect(by.get("ds.clip")).toMatchObject({ kind: "function", aliasOf: "ds.utils.helpers.clip" });
    expect(by.has("ds._hidden_ok")).toBe(false);
    expect(by.get("ds.utils.more.cyc_fn")).toMatchObject({ aliasOf: "ds.utils.cyc.cyc_fn" });
    expect(by.get("ds.utils.cyc.more_fn")).toMatchObject({ aliasOf: "ds.utils.more.more_fn" });
    expect(by.get("ds.utils.more.clip")).toMatchObject({ aliasOf: "ds.utils.helpers.clip" });
  });

  it("a base class imported with `from .. import *` is resolved: a method the subclass now inherits is not removed", async () => {
    const by = await paths("v2");
    expect(by.get("ds.models.qwen.model.QwenModel")!.bases).toEqual(["ds.models.base.ModelBase"]);
    expect(by.get("ds.models.qwen.model.QwenModel.forward")).toMatchObject({ file: "ds/models/base.py", line: 2, inheritedFrom: "ds.models.base.ModelBase" });
    const r = await apiDiff({ repo, from: "v1", to: "v2" });
    expect(r.breaking.filter((b) => b.object.includes("QwenModel") || b.aliases?.some((a) => a.includes("QwenModel")))).toEqual([]);
  });
});

describe("members inherited by public subclasses", () => {
  it("are in the surface at the subclass's path, from a public base or a private one", async () => {
    const by = await paths("v1");
    expect(by.get("ds.engine.infer.InferEngine.legacy")).toMatchObject({ kind: "method", file: "ds/engine/base.py", line: 5, aliasOf: "ds.engine.base.EngineBase.legacy", inheritedFrom: "ds.engine.base.EngineBase" });
    expect(by.get("ds.engine.train.TrainEngine.helper_api")).toMatchObject({ file: "ds/engine/base.py", line: 9, inheritedFrom: "ds.engine.base._Mixin" });
    // Its own members win over inherited ones.
    expect(by.get("ds.engine.infer.InferEngine.train")).toMatchObject({ line: 4, file: "ds/engine/train.py", inheritedFrom: "ds.engine.train.TrainEngine" });
  });

  it("a member removed from a base is one finding, named at the base, with the subclass paths as aliases", async () => {
    const r = await apiDiff({ repo, from: "v1", to: "v2" });
    const legacy = r.breaking.filter((b) => [b.object, ...(b.aliases ?? [])].some((p) => p.endsWith(".legacy")));
    expect(legacy.map((b) => [b.object, b.kind, b.file, b.line, [...(b.aliases ?? [])].sort()])).toEqual([
      ["ds.engine.base.EngineBase.legacy", "object-removed", "ds/engine/base.py", 5, ["ds.engine.infer.InferEngine.legacy", "ds.engine.infer.TrainEngine.legacy", "ds.engine.train.EngineBase.legacy", "ds.engine.train.TrainEngine.legacy"]],
    ]);
    // A private base's member is named at the shortest public path that reaches it.
    const helper = r.breaking.filter((b) => [b.object, ...(b.aliases ?? [])].some((p) => p.endsWith(".helper_api")));
    expect(helper.map((b) => [b.object, b.kind, b.parts.map((p) => p.kind), [...(b.aliases ?? [])].sort()])).toEqual([
      ["ds.engine.infer.InferEngine.helper_api", "signature-changed", ["required-parameter-added"], ["ds.engine.infer.TrainEngine.helper_api", "ds.engine.train.TrainEngine.helper_api"]],
    ]);
    await expectMatchesSchema("api-diff", r);
  });
});

describe("a finding's object", () => {
  it("is the definition's own path, not a module that imports the class for its own use", async () => {
    const r = await apiDiff({ repo, from: "v1", to: "v2" });
    const train = r.breaking.filter((b) => [b.object, ...(b.aliases ?? [])].some((p) => p.endsWith(".train")));
    expect(train.map((b) => [b.object, [...(b.aliases ?? [])].sort()])).toEqual([["ds.engine.train.TrainEngine.train", ["ds.engine.infer.InferEngine.train", "ds.engine.infer.TrainEngine.train"]]]);
  });
});

describe("annotations", () => {
  it.each([
    ["str", "str | None", true],
    ["str", "Optional[str]", true],
    ["str", "typing.Optional[str]", true],
    ["Optional[str]", "str | None", true],
    ["Union[int, str]", "Union[int, str, bytes]", true],
    ["int | str", "Optional[Union[str, int]]", true],
    ["'Engine'", "Optional[Engine]", true],
    ["Union[int, str]", "int", false],
    ["str | None", "str", false],
    ["int", "float", false],
    ["List[int]", "List[Optional[int]]", false],
  ])("%s -> %s: the new annotation accepts every old value: %s", (old, now, wider) => {
    expect(accepts(now, old)).toBe(wider);
  });

  it("a widened parameter annotation or a narrowed return annotation is no break; the reverse stays a weak part", async () => {
    const r = await apiDiff({ repo, from: "v1", to: "v2" });
    const api = r.breaking.filter((b) => b.object.startsWith("ds.api."));
    expect(api.map((b) => [b.object, b.parts.map((p) => `${p.kind}:${p.name}>${p.to}${p.weak ? ":weak" : ""}`)])).toEqual([
      ["ds.api.parse", ["return-annotation-changed:return>str | None:weak"]],
      ["ds.api.save", ["annotation-changed:obj>int:weak"]],
    ]);
  });
});

describe("an object still importable at its old path", () => {
  it("is neither moved nor removed (imported from elsewhere in the project, or defined outside __all__)", async () => {
    const r = await apiDiff({ repo, from: "v1", to: "v2" });
    const all = r.breaking.flatMap((b) => [b.object, ...(b.aliases ?? [])]);
    expect(all).not.toContain("ds.io.Reader");
    expect(all).not.toContain("ds.flags.OFF");
    // A class dropped from __all__ but still defined keeps its members.
    expect(all.filter((p) => p.startsWith("ds.flags.Switch"))).toEqual([]);
    // The module that defined it is gone: that path breaks.
    expect(r.breaking.find((b) => b.object === "ds.io.reader")).toMatchObject({ kind: "object-moved", to: { path: "ds.core.reader" } });
  });
});
