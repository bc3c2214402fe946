import { describe, expect, it } from "vitest";
import { InputError } from "../../src/errors.js";
import { scanFile } from "../../src/analyzers/neutrality/file-scan.js";
import { applyBaseline, baselineOf, choosePackAt, compilePack, globToRegExp, lintFile, type ConfigWaiver } from "../../src/analyzers/neutrality/lint.js";
import { PACKS, type RulePack } from "../../src/analyzers/neutrality/packs.js";
import type { LintFinding } from "../../src/analyzers/neutrality/types.js";

/**
 * The hard-coding lint on real file text (scanFile's lexing and guard resolution, the shipped
 * packs): which files and lines are linted, which rule and vendor a line gets, what waives it,
 * and how a baseline absorbs known findings.
 */
const pack = (id: string) => PACKS.find((p) => p.id === id)!;
const lint = (path: string, lines: string[], opts: { pack?: string; waivers?: ConfigWaiver[]; tree?: string[] } = {}) => {
  const { scan, text } = scanFile(path, lines.join("\n") + "\n");
  return lintFile(scan, text, compilePack(pack(opts.pack ?? "deepspeed"), opts.waivers ?? [], { api: null, treePaths: new Set(opts.tree ?? []) }));
};
const brief = (fs: LintFinding[]) => fs.map((f) => [f.line, f.rule, f.vendor, f.waived]);

describe("lint: globs of configuration waivers", () => {
  it.each([
    ["tests/**/x.py", ["tests/x.py", "tests/a/x.py", "tests/a/b/x.py"], ["x.py", "tests/a/y.py", "other/tests/x.py"]],
    ["pkg/*.py", ["pkg/a.py", "pkg/.py"], ["pkg/a/b.py", "pkg/a.pyc", "pkg/a.py/x"]],
    ["pkg/?.py", ["pkg/a.py"], ["pkg/ab.py", "pkg//.py", "pkg/.py"]],
    ["a.b+(c)|[d]$^{1}\\x", ["a.b+(c)|[d]$^{1}\\x"], ["axb+(c)|[d]$^{1}\\x", "a.bb(c)|[d]$^{1}\\x"]],
    ["vendor/", ["vendor/x.py", "vendor/a/b.py"], ["vendorx/a.py", "a/vendor/x.py"]],
    ["**", ["a", "a/b/c.py"], []],
    ["x.py", ["x.py"], ["a/x.py", "x.pyi", "xx.py"]],
    // `**` then anything but `/`: what follows is kept, character for character.
    ["**_cuda.py", ["x_cuda.py", "ops/x_cuda.py", "_cuda.py"], ["ops/xcuda.py", "ops/x_cuda.pyc", "cuda.py"]],
  ])("%s matches what it should and nothing else", (glob, yes, no) => {
    const re = globToRegExp(glob);
    for (const p of yes) expect(re.test(p), `${glob} ~ ${p}`).toBe(true);
    for (const p of no) expect(re.test(p), `${glob} !~ ${p}`).toBe(false);
  });
});

describe("lint: the pack and what it compiles", () => {
  it("an unknown pack id is refused naming the packs; an unknown waiver rule is refused naming the rules; known ones are accepted", () => {
    expect(() => choosePackAt("nope", new Set())).toThrow(InputError);
    expect(() => choosePackAt("nope", new Set())).toThrow("unknown rule pack 'nope' (packs: deepspeed, vllm, pytorch, generic, or a YAML file)");
    expect(() => compilePack(pack("vllm"), [{ path: "a/", rule: "no-such", reason: "r" }])).toThrow(/^waiver for unknown rule 'no-such' \(rules: torch-cuda-api, cuda-method, /);
    expect(compilePack(pack("vllm"), [{ path: "a/", rule: "nccl-backend", reason: "r" }, { path: "b/", reason: "all" }]).waivers.map((w) => [w.rule ?? null, w.reason])).toEqual([
      ["nccl-backend", "r"],
      [null, "all"],
    ]);
  });

  it("a named pack wins over markers; markers pick the pack, at the root or inside a package folder, by whole path segments", () => {
    expect(choosePackAt("pytorch", new Set(["vllm/platforms/interface.py"]))).toMatchObject({ pack: { id: "pytorch" }, base: "" });
    expect(choosePackAt(undefined, new Set(["vllm/platforms/interface.py"]))).toMatchObject({ pack: { id: "vllm" }, base: "" });
    expect(choosePackAt(undefined, new Set(["src/vllm/platforms/interface.py"]))).toMatchObject({ pack: { id: "vllm" }, base: "src/" });
    expect(choosePackAt(undefined, new Set(["srcvllm/platforms/interface.py", "a.py"]))).toMatchObject({ pack: { id: "generic" }, base: "" });
    expect(choosePackAt(undefined, new Set())).toMatchObject({ pack: { id: "generic" }, base: "" });
  });

  it("the DeepSpeed pack found inside another package names that package's accelerator; at the root or in deepspeed/ it keeps deepspeed's", () => {
    expect(choosePackAt(undefined, new Set(["tensorforge/core/accelerator/real_accelerator.py"])).pack.abstraction).toBe("tensorforge.core.accelerator.get_accelerator()");
    expect(choosePackAt(undefined, new Set(["accelerator/real_accelerator.py"])).pack.abstraction).toBe("deepspeed.accelerator.get_accelerator()");
    expect(choosePackAt(undefined, new Set(["deepspeed/accelerator/real_accelerator.py"])).pack.abstraction).toBe("deepspeed.accelerator.get_accelerator()");
    expect(choosePackAt(undefined, new Set(["vendored/deepspeed/accelerator/real_accelerator.py"]))).toMatchObject({ pack: { abstraction: "vendored.deepspeed.accelerator.get_accelerator()" }, base: "vendored/deepspeed/" });
  });

  it("the project's hook note is added to its rules' suggestions only when the tree has the hook", () => {
    const line = ["x = torch.cuda.current_device()", "y = t.cuda()", 'dist.init_process_group("nccl")'];
    const withHook = lint("pkg/a.py", line, { tree: ["scripts/check-torchcuda.py"] }).findings.map((f) => f.suggestion);
    expect(withHook).toEqual([
      "get_accelerator().current_device(...) (DeepSpeed's check-torchcuda hook bans these calls)",
      ".to(get_accelerator().device_name()) (DeepSpeed's check-torchcuda hook bans these calls)",
      "get_accelerator().communication_backend_name()",
    ]);
    const without = lint("pkg/a.py", line, { tree: ["scripts/other.py"] }).findings.map((f) => f.suggestion);
    expect(without).toEqual(["get_accelerator().current_device(...)", ".to(get_accelerator().device_name())", "get_accelerator().communication_backend_name()"]);
  });
});

describe("lint: a pack's own choices", () => {
  const lintWith = (p: RulePack, path: string, lines: string[], tree?: string[]) => {
    const { scan, text } = scanFile(path, lines.join("\n") + "\n");
    return lintFile(scan, text, compilePack(p, [], { api: null, ...(tree ? { treePaths: new Set(tree) } : {}) }));
  };
  it("a rule the pack does not word is off; the rules it words stay on", () => {
    const only = { ...pack("pytorch"), rules: { "torch-cuda-api": "$T(...)" } };
    expect(brief(lintWith(only, "pkg/a.py", ["y = t.cuda()", 'backend = "nccl"', "torch.cuda.synchronize()"]).findings)).toEqual([[3, "torch-cuda-api", "cuda-api", false]]);
  });
  it("the hook note is cited when the tree has any one of the hook's paths, and never when the tree is not known", () => {
    const hooked = { ...pack("pytorch"), hook: { paths: ["tools/a.py", "tools/b.py"], rules: ["cuda-method"], note: "the hook bans it" } };
    expect(compilePack(hooked, [], { treePaths: new Set(["tools/b.py"]) }).hook).toEqual({ rules: ["cuda-method"], note: "the hook bans it" });
    expect(compilePack(hooked, [], { treePaths: new Set(["tools/c.py"]) }).hook).toBeNull();
    expect(compilePack(hooked, [], {}).hook).toBeNull();
    expect(lintWith(hooked, "pkg/a.py", ["y = t.cuda()"], ["tools/a.py"]).findings.map((f) => f.suggestion)).toEqual([".to(torch.accelerator.current_accelerator()) (the hook bans it)"]);
  });
  it("a waiver comment listed under `*` waives every rule; one listed under a rule waives that rule only", () => {
    const star = { ...pack("pytorch"), waiverComments: { "*": ["# noqa: vendor"], "nccl-backend": ["# nccl-ok"] } };
    const r = lintWith(star, "pkg/a.py", ["y = t.cuda()  # noqa: vendor", 'backend = "nccl"  # noqa: vendor', 'backend = "nccl"  # nccl-ok', "z = t.cuda()  # nccl-ok"]).findings;
    expect(r.map((f) => [f.line, f.waived, f.waiver ?? null])).toEqual([
      [1, true, "# noqa: vendor"],
      [2, true, "# noqa: vendor"],
      [3, true, "# nccl-ok"],
      [4, false, null],
    ]);
  });
  it("only the DeepSpeed pack is renamed after the package it is found in: another pack inside a folder keeps its abstraction", () => {
    expect(choosePackAt(undefined, new Set(["src/vllm/platforms/interface.py"])).pack.abstraction).toBe("vllm.platforms.current_platform");
  });
});

describe("lint: which files are linted", () => {
  const body = ["import torch", "n = torch.cuda.device_count()"];
  it("generic code and tests are linted; docs, CI and build files are not", () => {
    expect(brief(lint("pkg/a.py", body).findings)).toEqual([[2, "torch-cuda-api", "cuda-api", false]]);
    expect(brief(lint("tests/test_a.py", body).findings)).toEqual([[2, "torch-cuda-api", "cuda-api", false]]);
    expect(lint("docs/conf.py", body)).toEqual({ findings: [], gating: [] });
    expect(lint("setup.py", body)).toEqual({ findings: [], gating: [] });
    expect(lint(".ci/run.py", body)).toEqual({ findings: [], gating: [] });
  });

  it("a file dedicated to a vendor, or a non-Python file, is not linted", () => {
    expect(lint("pkg/cuda_utils.py", body)).toEqual({ findings: [], gating: [] });
    expect(lint("pkg/a.sh", ["python -c 'torch.cuda.device_count()'"])).toEqual({ findings: [], gating: [] });
  });

  it("the pack's exempt folders are exempt at the root and inside a package, not as a name's suffix", () => {
    expect(lint("accelerator/x.py", body).findings).toEqual([]);
    expect(lint("pkg/accelerator/x.py", body).findings).toEqual([]);
    expect(brief(lint("myaccelerator/x.py", body).findings)).toEqual([[2, "torch-cuda-api", "cuda-api", false]]);
    expect(brief(lint("pkg/myaccelerator/x.py", body).findings)).toEqual([[2, "torch-cuda-api", "cuda-api", false]]);
  });
});

describe("lint: one finding a line, with the vendor the line names", () => {
  it("a line is linted where it is, the snippet is the trimmed line cut to 200 characters", () => {
    const long = `    y = torch.cuda.current_device()  # ${"z".repeat(300)}`;
    const r = lint("pkg/a.py", ["a = 1", "", long]).findings;
    expect(r.map((f) => [f.file, f.line, f.snippet])).toEqual([["pkg/a.py", 3, long.trim().slice(0, 200)]]);
  });

  it("a prose line (nothing but a string) does not trip a text rule; the same string in code does", () => {
    const r = lint("pkg/a.py", ['"CUDA_VISIBLE_DEVICES is read by the driver"', 'os.environ["CUDA_VISIBLE_DEVICES"] = "0"', "'nccl'", 'backend = "nccl"']).findings;
    expect(brief(r)).toEqual([
      [2, "cuda-visible-devices", "cuda-api", false],
      [4, "nccl-backend", "cuda-api", false],
    ]);
  });

  it("a vendor branch names the vendor it tests; is_cuda() is NVIDIA's, is_cuda_alike() the CUDA family's", () => {
    const r = lint("pkg/a.py", ["if current_platform.is_cuda():", "    pass", "if current_platform.is_rocm():", "    pass", 'if get_accelerator().device_name() == "hpu":', "    pass", 'if "npu" == get_accelerator().device_name():', "    pass", "if current_platform.is_cuda_alike():", "    pass", "if current_platform.is_cpu():", "    pass"], { pack: "vllm" }).findings;
    expect(r.map((f) => [f.line, f.vendor])).toEqual([
      [1, "nvidia"],
      [3, "amd"],
      [5, "intel-gaudi"],
      [7, "huawei-ascend"],
      [9, "cuda-api"],
      [11, "cpu"],
    ]);
  });

  it("a CUDA-family finding inside a ROCm guard is AMD's, beside it the family's", () => {
    const r = lint("pkg/a.py", ["if torch.version.hip:", "    torch.cuda.synchronize()", "torch.cuda.synchronize()"]).findings;
    expect(r.map((f) => [f.line, f.vendor])).toEqual([
      [2, "amd"],
      [3, "cuda-api"],
    ]);
  });

  it("a torch.cuda call beside another vendor's API on one line stays the CUDA family's (only a resolved CUDA-family site renames it)", () => {
    const r = lint("pkg/a.py", ["x = torch.cuda.current_device() if torch.hpu.is_available() else 0", "a = torch.xpu.device_count() + torch.cuda.device_count()"]).findings;
    expect(r.map((f) => [f.line, f.rule, f.vendor])).toEqual([
      [1, "torch-cuda-api", "cuda-api"],
      [2, "torch-cuda-api", "cuda-api"],
    ]);
  });

  it("a code rule reads code only: a torch.cuda call written inside a string is not one", () => {
    expect(lint("pkg/a.py", ['print("call torch.cuda.synchronize() first")', 'msg = "use t.cuda() here"']).findings).toEqual([]);
    expect(brief(lint("pkg/a.py", ['print("x"); torch.cuda.synchronize()']).findings)).toEqual([[1, "torch-cuda-api", "cuda-api", false]]);
  });

  it("the suggestion names the torch.cuda member whatever its length, one letter included", () => {
    expect(lint("pkg/a.py", ["torch.cuda.x()", "torch.cuda.synchronize()"]).findings.map((f) => f.suggestion)).toEqual(["get_accelerator().x(...)", "get_accelerator().synchronize(...)"]);
  });

  it("only a vendor branch takes its vendor from what it captured: torch.cuda.cpu is the CUDA API's", () => {
    expect(lint("pkg/a.py", ["torch.cuda.cpu()", "torch.cuda.hpu()"]).findings.map((f) => [f.rule, f.vendor])).toEqual([
      ["torch-cuda-api", "cuda-api"],
      ["torch-cuda-api", "cuda-api"],
    ]);
  });

  it("a text rule followed by `=` keeps its suggestion: only assigning to a torch.cuda function drops it", () => {
    const r = lint("pkg/a.py", ['env = "CUDA_VISIBLE_DEVICES=0 python run.py"', 'CUDA_VISIBLE_DEVICES = os.environ.get("X", "")']).findings;
    expect(r.map((f) => [f.line, f.rule, f.suggestion ?? null])).toEqual([
      [1, "cuda-visible-devices", "get_accelerator().visible_devices_envs()"],
      [2, "cuda-visible-devices", "get_accelerator().visible_devices_envs()"],
    ]);
  });

  it("replacing a torch.cuda function (`= patched`) has no suggestion; comparing it (`==`) keeps one", () => {
    const r = lint("pkg/a.py", ["torch.cuda.set_stream = patched", "same = torch.cuda.synchronize == other", "torch.cuda.synchronize  = patched", "torch.cuda.synchronize()"], { pack: "pytorch" }).findings;
    expect(r.map((f) => [f.line, f.suggestion ?? null])).toEqual([
      [1, null],
      [2, "torch.accelerator.synchronize(...)"],
      [3, null],
      [4, "torch.accelerator.synchronize(...)"],
    ]);
  });

  it("two rules on one line: the first unwaived in rule order is reported, else the first", () => {
    const both = "x = torch.cuda.current_stream(t.cuda())";
    expect(brief(lint("pkg/a.py", [both]).findings)).toEqual([[1, "torch-cuda-api", "cuda-api", false]]);
    expect(brief(lint("pkg/a.py", [`${both}  # steward: ignore[torch-cuda-api]`]).findings)).toEqual([[1, "cuda-method", "cuda-api", false]]);
    expect(brief(lint("pkg/a.py", [`${both}  # steward: ignore`]).findings)).toEqual([[1, "torch-cuda-api", "cuda-api", true]]);
  });

  it("test gating lines are returned apart with the chosen rule, never as findings", () => {
    const r = lint("tests/test_a.py", ["import pytest", "@pytest.mark.skipif(not current_platform.is_cuda(), reason='x')", "def test_a():", "    torch.cuda.synchronize()"], { pack: "vllm" });
    expect(r.gating).toEqual([{ rule: "vendor-branch", file: "tests/test_a.py", line: 2, vendor: "nvidia", snippet: "@pytest.mark.skipif(not current_platform.is_cuda(), reason='x')" }]);
    expect(r.findings.map((f) => [f.line, f.vendor])).toEqual([[4, "nvidia"]]);
  });
});

describe("lint: waivers", () => {
  it("`steward: ignore[...]` waives the rules it lists (spaces allowed) and no other", () => {
    const r = lint("pkg/a.py", ["a = torch.cuda.current_device()  # steward: ignore[cuda-method, torch-cuda-api]", "b = torch.cuda.current_device()  # steward:ignore[cuda-method]", "c = torch.cuda.current_device()  # steward: ignore[torch-cuda-api-x]"]).findings;
    expect(r.map((f) => [f.line, f.waived, f.waiver ?? null])).toEqual([
      [1, true, "# steward: ignore[cuda-method, torch-cuda-api]"],
      [2, false, null],
      [3, false, null],
    ]);
  });

  it("a pack's own waiver comment waives its rule only; in code or a string it waives nothing", () => {
    const r = lint("pkg/a.py", ["a = torch.cuda.current_device()  #ignore-cuda", "b = t.cuda()  # ignore-cuda", 'c = torch.cuda.current_device("#ignore-cuda")'], { pack: "deepspeed" }).findings;
    expect(r.map((f) => [f.line, f.rule, f.waived, f.waiver ?? null])).toEqual([
      [1, "torch-cuda-api", true, "#ignore-cuda"],
      [2, "cuda-method", false, null],
      [3, "torch-cuda-api", false, null],
    ]);
  });

  it("a configuration waiver applies to the paths its glob matches, for its rule (or every rule), with its reason", () => {
    const waivers = [
      { path: "pkg/legacy/**", rule: "torch-cuda-api", reason: "legacy" },
      { path: "tools/*.py", reason: "scripts" },
    ];
    const line = ["a = torch.cuda.current_device()", "b = t.cuda()"];
    expect(lint("pkg/legacy/x/y.py", line, { waivers }).findings.map((f) => [f.rule, f.waived, f.waiver ?? null])).toEqual([
      ["torch-cuda-api", true, "config: legacy"],
      ["cuda-method", false, null],
    ]);
    expect(lint("tools/run.py", line, { waivers }).findings.map((f) => f.waiver)).toEqual(["config: scripts", "config: scripts"]);
    expect(lint("tools/sub/run.py", line, { waivers }).findings.map((f) => f.waived)).toEqual([false, false]);
  });
});

describe("lint: a baseline absorbs as many findings as it counted, whatever their line", () => {
  const f = (file: string, snippet: string, rule = "torch-cuda-api", waived = false): LintFinding => ({ rule, file, line: 1, vendor: "cuda-api", snippet, waived });

  it("the baseline counts unwaived findings by rule, file and text (spaces folded), sorted by file then rule", () => {
    const b = baselineOf([f("b.py", "x  =  torch.cuda.a()"), f("b.py", "x = torch.cuda.a()"), f("b.py", "y", "cuda-method"), f("a.py", "z", "nccl-backend"), f("a.py", "z", "cuda-method"), f("a.py", "w", "cuda-method", true)]);
    expect(b).toEqual({
      schemaVersion: 1,
      findings: [
        { rule: "cuda-method", file: "a.py", snippet: "z", count: 1 },
        { rule: "nccl-backend", file: "a.py", snippet: "z", count: 1 },
        { rule: "cuda-method", file: "b.py", snippet: "y", count: 1 },
        { rule: "torch-cuda-api", file: "b.py", snippet: "x = torch.cuda.a()", count: 2 },
      ],
    });
  });

  it("baseline entries are sorted by file, then rule, whatever order they were found in; entries of one file and rule keep that order", () => {
    const b = baselineOf([f("b.py", "s1"), f("a.py", "s2", "nccl-backend"), f("c.py", "s3", "cuda-method"), f("a.py", "s4", "cuda-method"), f("b.py", "s5"), f("b.py", "s6", "cuda-method")]);
    expect(b.findings.map((e) => [e.file, e.rule, e.snippet])).toEqual([
      ["a.py", "cuda-method", "s4"],
      ["a.py", "nccl-backend", "s2"],
      ["b.py", "cuda-method", "s6"],
      ["b.py", "torch-cuda-api", "s1"],
      ["b.py", "torch-cuda-api", "s5"],
      ["c.py", "cuda-method", "s3"],
    ]);
  });

  it("a baseline entry of count n absorbs n matching findings, the n+1th is new; waived findings are left alone", () => {
    const found = [f("a.py", "x  = torch.cuda.a()"), f("a.py", "x = torch.cuda.a()"), f("a.py", "x = torch.cuda.a()"), f("a.py", "other"), f("a.py", "x = torch.cuda.a()", "torch-cuda-api", true)];
    applyBaseline(found, { schemaVersion: 1, findings: [{ rule: "torch-cuda-api", file: "a.py", snippet: "x = torch.cuda.a()", count: 1 }, { rule: "torch-cuda-api", file: "a.py", snippet: "x = torch.cuda.a()", count: 1 }] });
    expect(found.map((x) => x.baseline ?? null)).toEqual([true, true, false, false, null]);
  });

  it("an entry for another rule or another file absorbs nothing", () => {
    const found = [f("a.py", "x"), f("b.py", "x")];
    applyBaseline(found, { schemaVersion: 1, findings: [{ rule: "cuda-method", file: "a.py", snippet: "x", count: 5 }, { rule: "torch-cuda-api", file: "c.py", snippet: "x", count: 5 }] });
    expect(found.map((x) => x.baseline)).toEqual([false, false]);
  });
});
