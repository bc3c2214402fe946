import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { apiContract, apiImpact } from "../../src/analyzers/api/index.js";
import { HistoryBuilder } from "../../src/git/builder.js";
import { expectOneLineError, steward } from "../helpers/cli.js";
import { tempDir, text, up, vendor } from "../helpers/git.js";
import { expectMatchesSchema } from "../helpers/schema.js";

const root = tempDir();
const upstream = join(root, "upstream");
const plugin = join(root, "plugin");

const ENGINE_V1 = [
  "class Base:",
  "    def hook(self):",
  "        pass",
  "",
  "",
  "class Engine(Base):",
  "    def step(self, lr):",
  "        return lr",
  "",
  "    def backward(self, loss):",
  "        return loss",
  "",
  "    def configure(self, cfg):",
  "        return cfg",
  "",
  "    def _prepare(self, x):",
  "        return x",
  "",
  "    def keep(self):",
  "        pass",
  "",
  "",
  "def _partition(param, rank):",
  "    return param",
  "",
  "",
  "def register_device(name, cls):",
  "    pass",
];

// v2: backward removed, configure re-signed, _prepare moved up to Base, keep and step unchanged.
const ENGINE_V2 = [
  "class Base:",
  "    def hook(self):",
  "        pass",
  "",
  "    def _prepare(self, x):",
  "        return x",
  "",
  "",
  "class Engine(Base):",
  "    def step(self, lr):",
  "        return lr",
  "",
  "    def configure(self, cfg, strict):",
  "        return cfg",
  "",
  "    def keep(self):",
  "        pass",
  "",
  "",
  "def _partition(param, rank):",
  "    return param",
  "",
  "",
  "def register_device(name, cls):",
  "    pass",
];

const PLUGIN = [
  "from pkg import engine",
  "from pkg.engine import Engine, register_device",
  "from pkg.ops import adam as _adam",
  "import torch",
  "",
  "",
  "def _step(self, lr):",
  "    return lr",
  "",
  "",
  "def _backward(self, loss):",
  "    return loss",
  "",
  "",
  "def _configure(self, cfg):",
  "    return cfg",
  "",
  "",
  "def patch_to(cls):",
  "    return lambda f: setattr(cls, f.__name__, f)",
  "",
  "",
  "Engine.backward = _backward",
  "engine.Engine.configure = _configure",
  'setattr(Engine, "_prepare", lambda self, x: x)',
  "Engine.keep = lambda self: None",
  "_adam.fused_adam = lambda p, g: p",
  "torch.cuda.synchronize = lambda: None",
  'name = "step"',
  "setattr(Engine, name, _step)",
  "",
  "",
  "@patch_to(Engine)",
  "def keep(self):",
  "    pass",
  "",
  "",
  "class NpuEngine(Engine):",
  "    def step(self, lr):",
  "        return lr",
  "",
  "    def configure(self, cfg):",
  "        return cfg",
  "",
  "    def hook(self):",
  "        pass",
  "",
  "    def own_helper(self):",
  "        pass",
  "",
  "",
  'register_device("npu", NpuEngine)',
  "Engine.configure(NpuEngine(), {})",
];

const PLUGIN_TESTS = [
  "from unittest import mock",
  "",
  "from pkg.engine import Engine",
  "",
  "",
  '@mock.patch("pkg.engine._partition")',
  "def test_partition(m):",
  '    with mock.patch.object(Engine, "step"):',
  "        pass",
  '    with mock.patch("transformers.AutoModel.from_pretrained"):',
  "        pass",
  // Implicitly concatenated strings are one path, as Python reads them.
  '    with mock.patch("pkg.engine" ".Engine.keep"):',
  "        pass",
  // Only names resolve: the call of Engine is a coupling, `.step` of its result is not an upstream path.
  "    Engine(1).step(2)",
  // A member the plugin adds to an upstream class: found at neither ref, listed, never called stale.
  "    Engine.npu_extra = None",
  // An attribute of an upstream value: found as far as static reading goes (the value), not "not found".
  "    from pkg import config",
  '    config.FLAGS.get("x")',
];

beforeAll(async () => {
  const b = new HistoryBuilder();
  const v1 = b.commit({
    branch: "main",
    message: "v1",
    author: up("2024-01-01T00:00:00Z"),
    files: {
      "pkg/__init__.py": text(["from .engine import Engine"]),
      "pkg/engine.py": text(ENGINE_V1),
      "pkg/ops/__init__.py": "",
      "pkg/ops/adam.py": text(["def fused_adam(p, g):", "    return p"]),
      "pkg/plugins.py": text(["from importlib.metadata import entry_points", "", "", "def load():", '    return list(entry_points(group="pkg.plugins")) + list(entry_points(group="pkg.old_plugins"))']),
      "pkg/config.py": text(["FLAGS = {}"]),
    },
  });
  b.tag("v1", v1);
  const v2 = b.commit({
    branch: "main",
    message: "v2",
    author: up("2024-04-01T00:00:00Z"),
    files: {
      "pkg/engine.py": text(ENGINE_V2),
      "pkg/ops/adam.py": null,
      "pkg/kernels/__init__.py": "",
      "pkg/kernels/adam.py": text(["def fused_adam(p, g):", "    return p"]),
      "pkg/plugins.py": text(["from importlib.metadata import entry_points", "", "", "def load():", '    return list(entry_points(group="pkg.plugins"))']),
    },
  });
  b.tag("v2", v2);
  await b.write(upstream);

  const d = new HistoryBuilder();
  d.commit({
    branch: "main",
    message: "npu plugin",
    author: vendor("2024-02-01T00:00:00Z"),
    files: {
      "pyproject.toml": text([
        "[project]",
        'name = "npu-plugin"',
        "",
        '[project.entry-points."pkg.plugins"]',
        'npu = "npu_plugin:register"',
        "",
        '[project.entry-points."pkg.old_plugins"]',
        'npu = "npu_plugin:old"',
        "",
        "[project.entry-points.console_scripts]",
        'npu-run = "npu_plugin:main"',
      ]),
      "npu_plugin/__init__.py": text(PLUGIN),
      "tests/test_npu.py": text(PLUGIN_TESTS),
      "npu_plugin/broken.py": text(["from pkg.engine import Engine", "Engine.step = (", ""]),
      "npu_plugin/latin.py": Buffer.from("# caf\xe9\nfrom pkg.engine import Engine\nEngine.keep = None\n", "latin1"),
    },
  });
  await d.write(plugin);
});

describe("steward api impact: the plugin's contract judged between two releases", () => {
  it("says which patches, overrides and registrations v2 breaks, and how", async () => {
    const r = await apiImpact({ repo: upstream, from: "v1", to: "v2", downstreams: [plugin] });
    const d = r.downstreams[0]!;
    expect(d.patches.map((p) => [p.file, p.line, p.kind, p.target, p.status, p.to ?? null])).toEqual([
      ["npu_plugin/__init__.py", 23, "assign", "pkg.engine.Engine.backward", "removed", null],
      ["npu_plugin/__init__.py", 24, "assign", "pkg.engine.Engine.configure", "signature-changed", null],
      ["npu_plugin/__init__.py", 25, "setattr", "pkg.engine.Engine._prepare", "moved", "pkg.engine.Base._prepare"],
      ["npu_plugin/__init__.py", 26, "assign", "pkg.engine.Engine.keep", "ok", null],
      ["npu_plugin/__init__.py", 27, "assign", "pkg.ops.adam.fused_adam", "moved", "pkg.kernels.adam.fused_adam"],
      ["npu_plugin/__init__.py", 33, "decorator", "pkg.engine.Engine.keep", "ok", null],
      ["tests/test_npu.py", 6, "mock", "pkg.engine._partition", "private", null],
      ["tests/test_npu.py", 8, "mock", "pkg.engine.Engine.step", "ok", null],
      ["tests/test_npu.py", 12, "mock", "pkg.engine.Engine.keep", "ok", null],
      ["tests/test_npu.py", 15, "assign", "pkg.engine.Engine.npu_extra", "not-found", null],
    ]);
    expect(d.patches[1]!.signature).toEqual({ from: "(self, cfg)", to: "(self, cfg, strict)", parts: [{ kind: "required-parameter-added", name: "strict", to: "positional-or-keyword" }] });
    expect(d.patches[2]!.private).toBe(true);
    expect(d.overrides.map((o) => [o.class, o.method, o.target, o.line, o.status])).toEqual([
      ["NpuEngine", "step", "pkg.engine.Engine.step", 39, "ok"],
      ["NpuEngine", "configure", "pkg.engine.Engine.configure", 42, "signature-changed"],
      ["NpuEngine", "hook", "pkg.engine.Base.hook", 45, "ok"],
    ]);
    expect(d.registrations.map((x) => [x.kind, x.target, x.file, x.line, x.status])).toEqual([
      ["call", "pkg.engine.register_device", "npu_plugin/__init__.py", 52, "ok"],
      ["entry-point", "pkg.plugins", "pyproject.toml", 5, "ok"],
      ["entry-point", "pkg.old_plugins", "pyproject.toml", 8, "removed"],
    ]);
    expect(d.unresolved).toEqual([{ kind: "setattr", expression: "setattr(Engine, name, ...)", file: "npu_plugin/__init__.py", line: 30, why: "the attribute name is computed at run time" }]);
    expect(d.thirdPartyPatches.map((t) => [t.module, t.target, t.kind, t.file, t.line])).toEqual([
      ["torch", "torch.cuda.synchronize", "assign", "npu_plugin/__init__.py", 28],
      ["transformers", "transformers.AutoModel.from_pretrained", "mock", "tests/test_npu.py", 10],
    ]);
    expect(d.contract.stale).toEqual({ removed: 2, moved: 2, signatureChanged: 2, notFound: 1 });
    // A call through the class passes self itself: v2's new required `strict` is not given.
    expect(d.contract.breakingCalls).toBe(1);
    expect(d.warnings).toEqual(expect.arrayContaining([expect.stringMatching(/^npu_plugin\/broken\.py:\d+: syntax error/), "npu_plugin/latin.py: not UTF-8; not read"]));
    await expectMatchesSchema("api-impact", r);
  });

  it("leads the text report with what breaks", () => {
    const r = steward(["api", "impact", "--repo", upstream, "v1", "v2", "--downstream", plugin]);
    expect(r.code).toBe(0);
    const section = r.stdout.slice(r.stdout.indexOf("Downstream "));
    const lines = section.split("\n");
    expect(lines[1]).toMatch(/^  contract: 10 patches, 3 overrides, 3 registrations of upstream; 6 stale \(2 removed, 2 moved, 2 re-signed\); 1 found at neither ref$/);
    expect(lines[2]).toBe("  npu_plugin/__init__.py:23: patch (assign) of pkg.engine.Engine.backward: REMOVED");
    expect(section).toMatch(/npu_plugin\/__init__.py:24: patch \(assign\) of pkg.engine.Engine.configure: RE-SIGNED \(self, cfg\) -> \(self, cfg, strict\)/);
  });
});

describe("steward api contract", () => {
  it("lists the contract at one ref: every coupling resolved to an upstream path, and the private share", async () => {
    const c = await apiContract({ repo: upstream, ref: "v1", downstream: plugin });
    expect(c.summary).toMatchObject({ imports: 7, patches: 10, overrides: 3, subclasses: 1, registrations: 3, unresolved: 1, thirdPartyPatches: 2 });
    // Distinct upstream paths: the private ones are _partition and Engine._prepare.
    expect(c.summary.privateObjects).toBe(2);
    expect(c.summary.privateShare).toBe(Math.round((2 / c.summary.upstreamObjects) * 1000) / 1000);
    expect(c.patches.filter((p) => p.status !== "ok" && p.status !== "private").map((p) => [p.target, p.status])).toEqual([["pkg.engine.Engine.npu_extra", "not-found"]]);
    expect(c.calls).toEqual([
      { target: "pkg.engine.Engine.configure", file: "npu_plugin/__init__.py", line: 53, status: "ok", private: false },
      { target: "pkg.engine.Engine", file: "tests/test_npu.py", line: 14, status: "ok", private: false },
      { target: "pkg.config.FLAGS.get", file: "tests/test_npu.py", line: 17, status: "ok", private: false },
    ]);
    expect(c.subclasses).toEqual([{ base: "pkg.engine.Engine", class: "NpuEngine", file: "npu_plugin/__init__.py", line: 38, status: "ok", private: false }]);
    await expectMatchesSchema("api-contract", c);
  });

  it("at v2, what the plugin still reaches for is not found", async () => {
    const c = await apiContract({ repo: upstream, ref: "v2", downstream: plugin });
    expect(c.patches.filter((p) => p.status === "not-found").map((p) => p.target)).toEqual(["pkg.engine.Engine.backward", "pkg.ops.adam.fused_adam", "pkg.engine.Engine.npu_extra"]);
    expect(c.imports.find((i) => i.target === "pkg.ops.adam")).toMatchObject({ status: "not-found", line: 3 });
  });

  it("prints it from the CLI, as JSON that follows the schema", async () => {
    const t = steward(["api", "contract", "--repo", upstream, "v1", "--downstream", `${plugin}:main`]);
    expect(t.code).toBe(0);
    expect(t.stdout.split("\n")[0]).toMatch(/^Contract of .*plugin at main \(\w+\) with pkg at v1: \d+ upstream objects \(2 private, \d+\.\d%\): 7 imports, 3 calls, 1 subclass, 3 overrides, 10 patches, 3 registrations/);
    const j = steward(["api", "contract", "--repo", upstream, "v1", "--downstream", plugin, "--json", "--no-progress"]);
    expect(j.code).toBe(0);
    await expectMatchesSchema("api-contract", JSON.parse(j.stdout));
  });

  it.each([
    [["api", "contract", "--repo", "UP", "nope", "--downstream", "PLUGIN"], /^steward: unknown ref in .*: nope\n$/],
    [["api", "contract", "--repo", "UP", "v1", "--downstream", "PLUGIN:nope"], /^steward: unknown ref in .*: nope\n$/],
    [["api", "contract", "--repo", "UP", "v1", "--downstream", "PLUGIN:--output=x"], /^steward: ref must not start with '-': "--output=x"\n$/],
    [["api", "contract", "--repo", "UP", "v1", "--downstream", "PLUGIN/no-such-dir"], /^steward: repository path does not exist: .*no-such-dir\n$/],
    [["api", "contract", "--repo", "UP", "v1"], /^steward: required option '--downstream <spec>' not specified/],
    [["api", "contract", "--repo", "UP", "v1", "--downstream", "PLUGIN", "--downstream", "PLUGIN"], /^steward: .*--downstream is given twice/],
  ])("bad input %j: one line, exit 2", (args, message) => {
    const r = steward(args.map((a) => a.replace(/^UP/, upstream).replace(/^PLUGIN/, plugin)));
    expectOneLineError(r, message);
  });
});

// Verdicts that were wrong on vllm-ascend v0.9.1 against vLLM v0.9.1 -> 2025-08 (docs/api.md), rebuilt small:
// a class moved into a subpackage and re-exported at its old path, a base class name rebound to another
// class (`KVConnectorBase = KVConnectorBase_V1`), and an override that forwards *args and **kwargs.
describe("steward api impact: verdicts through re-exported classes, rebound names and forwarding overrides", () => {
  const up2 = join(root, "upstream-moves");
  const plugin2 = join(root, "plugin-moves");
  beforeAll(async () => {
    const b = new HistoryBuilder();
    b.tag(
      "v1",
      b.commit({
        branch: "main",
        message: "v1",
        author: up("2024-01-01T00:00:00Z"),
        files: {
          "pkg/__init__.py": "",
          "pkg/config.py": text(["class ParallelConfig:", "    def __post_init__(self):", "        pass", "", "    def port(self):", "        return 1"]),
          "pkg/kv/__init__.py": "",
          "pkg/kv/base.py": text(["class ConnectorBase:", "    def __init__(self, rank):", "        self.rank = rank", "", "    def send(self, x):", "        pass", "", "    def close(self):", "        pass"]),
          "pkg/core.py": text(["class Proc:", "    def __init__(self, cfg, on_head):", "        pass"]),
        },
      }),
    );
    b.tag(
      "v2",
      b.commit({
        branch: "main",
        message: "v2",
        author: up("2024-04-01T00:00:00Z"),
        files: {
          "pkg/config.py": null,
          "pkg/config/__init__.py": text(["from pkg.config.parallel import ParallelConfig", "", '__all__ = ["ParallelConfig"]']),
          "pkg/config/parallel.py": text(["class ParallelConfig:", "    def __post_init__(self):", "        pass", "", "    def port(self):", "        return 1"]),
          "pkg/kv/base.py": text(["from pkg.kv.v1 import ConnectorBaseV1", "", "ConnectorBase = ConnectorBaseV1"]),
          "pkg/kv/v1.py": text(["class ConnectorBaseV1:", "    def __init__(self, config, role):", "        pass", "", "    def close(self):", "        pass"]),
          "pkg/core.py": text(["class Proc:", "    def __init__(self, cfg, local_client):", "        pass"]),
        },
      }),
    );
    await b.write(up2);
    const d = new HistoryBuilder();
    d.commit({
      branch: "main",
      message: "plugin",
      author: vendor("2024-02-01T00:00:00Z"),
      files: {
        "npu/__init__.py": text([
          "from pkg.config import ParallelConfig",
          "from pkg.core import Proc",
          "from pkg.kv.base import ConnectorBase",
          "",
          "",
          "def _post_init(self):",
          "    pass",
          "",
          "",
          "ParallelConfig.__post_init__ = _post_init",
          "",
          "",
          "class NpuConnector(ConnectorBase):",
          "    def __init__(self, rank):",
          "        pass",
          "",
          "    def send(self, x):",
          "        pass",
          "",
          "    def close(self):",
          "        pass",
          "",
          "",
          "class NpuParallel(ParallelConfig):",
          "    def port(self):",
          "        return 2",
          "",
          "",
          "class ForwardingProc(Proc):",
          "    def __init__(self, *args, **kwargs):",
          "        super().__init__(*args, **kwargs)",
          "",
          "",
          "class StrictProc(Proc):",
          "    def __init__(self, cfg, on_head):",
          "        pass",
        ]),
      },
    });
    await d.write(plugin2);
  });

  it("judges each against what Python does with the replacement", async () => {
    const r = await apiImpact({ repo: up2, from: "v1", to: "v2", downstreams: [plugin2] });
    const d = r.downstreams[0]!;
    // Set on the class object the old path still names: it lands on the member upstream calls.
    expect(d.patches.map((p) => [p.line, p.target, p.status])).toEqual([[10, "pkg.config.ParallelConfig.__post_init__", "ok"]]);
    expect(d.overrides.map((o) => [o.class, o.method, o.status, o.to ?? null])).toEqual([
      // The base's name now means ConnectorBaseV1: its __init__ is re-signed, send is gone, close stays.
      ["NpuConnector", "__init__", "signature-changed", null],
      ["NpuConnector", "send", "removed", null],
      ["NpuConnector", "close", "ok", null],
      ["NpuParallel", "port", "ok", null],
      // *args and **kwargs passed on: the new signature binds as the old one did.
      ["ForwardingProc", "__init__", "ok", null],
      ["StrictProc", "__init__", "signature-changed", null],
    ]);
    expect(d.overrides[0]!.signature).toMatchObject({ from: "(self, rank)", to: "(self, config, role)" });
    expect(d.overrides[4]!.why).toMatch(/^re-signed upstream \(\(self, cfg, on_head\) at v1, \(self, cfg, local_client\) at v2\), but the override takes \*args and \*\*kwargs/);
    expect(d.contract.stale).toEqual({ removed: 1, moved: 0, signatureChanged: 2, notFound: 0 });
    await expectMatchesSchema("api-impact", r);
  });
});
