import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { apiDiff, apiSurface } from "../../src/analyzers/api/index.js";
import { HistoryBuilder } from "../../src/git/builder.js";
import { tempDir, text, up } from "../helpers/git.js";

/**
 * Instance attributes are every `self.x` a method assigns, however it is
 * written: reading only plain `self.x = ...` in __init__ made 26 false
 * "removed" on one release pair of an inference engine (issue 16).
 */
const root = tempDir();
const repo = join(root, "upstream");

const V1 = [
  "class Model:",
  "    def __init__(self, config):",
  "        self.embed = make_embed(config)",
  "        self.layers = make_layers(config)",
  "        self.head = make_head(config)",
  "        self.dtype = config.dtype",
  "        self.steps = 0",
  "        self.cache = None",
];

// The same attributes, assigned the ways real code moves to: tuple unpacking, annotation,
// augmented assignment, a setup method called from __init__, and `this` as the first parameter.
const V2 = [
  "class Model:",
  "    def __init__(self, config):",
  "        self.embed, self.layers, self.head = make_layers(config)",
  "        self.dtype: str = config.dtype",
  "        self._setup(config)",
  "",
  "    def _setup(this, config):",
  "        this.steps = 0",
  "        this.steps += 1",
  "",
  "    def reset(self):",
  "        [self.cache] = [None]",
  "",
  "class Base:",
  "    def setup(self):",
  "        self.norm = 1",
  "",
  "    def forward(self, x):",
  "        return x",
  "",
  "class Qwen(Base):",
  "    def setup(self):",
  "        self.norm = 2",
  "",
  "    def forward(self, x):",
  "        return x + 1",
];

// Really removed: `cache` is no longer assigned anywhere; a static method's `x.y = 1` is not an attribute.
const V3 = [
  "class Model:",
  "    def __init__(self, config):",
  "        self.embed, self.layers, self.head = make_layers(config)",
  "        self.dtype: str = config.dtype",
  "        self.steps = 0",
  "",
  "    def reset(self):",
  "        return None",
  "",
  "    @staticmethod",
  "    def patch(self):",
  "        self.cache = None",
  "",
  "class Base:",
  "    def setup(self):",
  "        self.norm = 1",
  "",
  "    def forward(self, x):",
  "        return x",
  "",
  "# Qwen now inherits setup, norm and forward: nothing a caller uses is gone.",
  "class Qwen(Base):",
  "    pass",
];

beforeAll(async () => {
  const b = new HistoryBuilder();
  const files = (body: string[]) => ({ "pkg/__init__.py": "", "pkg/model.py": text(body) });
  b.tag("v1", b.commit({ branch: "main", message: "v1", author: up("2024-01-01T00:00:00Z"), files: files(V1) }));
  b.tag("v2", b.commit({ branch: "main", message: "v2", author: up("2024-02-01T00:00:00Z"), files: files(V2) }));
  b.tag("v3", b.commit({ branch: "main", message: "v3", author: up("2024-03-01T00:00:00Z"), files: files(V3) }));
  await b.write(repo);
});

describe("instance attributes", () => {
  it("are found however they are assigned, in any method", async () => {
    const s = await apiSurface({ repo, ref: "v2" });
    const attrs = s.objects.filter((o) => o.path.startsWith("pkg.model.Model.") && o.kind === "attribute").map((o) => [o.path.slice("pkg.model.Model.".length), o.line]);
    expect(attrs).toEqual([
      ["cache", 12],
      ["dtype", 4],
      ["embed", 3],
      ["head", 3],
      ["layers", 3],
      ["steps", 8],
    ]);
  });

  it("moving an assignment into tuple unpacking, an annotation or another method is no break", async () => {
    const d = await apiDiff({ repo, from: "v1", to: "v2" });
    expect(d.breaking).toEqual([]);
  });

  it("an attribute no method assigns any more is removed (a static method's parameter is not self); members a base class still provides are not", async () => {
    const d = await apiDiff({ repo, from: "v2", to: "v3" });
    expect(d.breaking.map((b) => [b.object, b.kind])).toEqual([["pkg.model.Model.cache", "object-removed"]]);
  });
});
