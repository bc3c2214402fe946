import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { neutrality, neutralityHistory, neutralityLint } from "../../src/analyzers/neutrality/index.js";
import { baselineOf } from "../../src/analyzers/neutrality/lint.js";
import { HistoryBuilder } from "../../src/git/builder.js";
import { copyWithoutBlobs, tempDir, up, vendor } from "../helpers/git.js";
import { expectMatchesSchema } from "../helpers/schema.js";

const root = tempDir();
const repo = join(root, "project");

/** A small DeepSpeed-shaped project: generic engine code with hard-coded CUDA, an accelerator abstraction, vendor back-ends, tests, CI, docs, a kernel. */
const ENGINE = [
  "import torch",
  "from accelerator import get_accelerator",
  "",
  "def step(model, batch):",
  "    torch.cuda.synchronize()",
  "    model = model.cuda()",
  '    x = batch.to(device="cuda")',
  '    torch.distributed.init_process_group(backend="nccl")',
  '    if get_accelerator().device_name() == "cuda":',
  "        torch.cuda.empty_cache()  #ignore-cuda",
  '    group = new_group(backend="nccl")  # steward: ignore[nccl-backend]',
  "    # torch.cuda.synchronize() would be wrong here",
  "    return model",
].join("\n");

const FILES: Record<string, string | Buffer> = {
  "pkg/engine.py": ENGINE + "\n",
  "pkg/utils.py": "def add(a, b):\n    return a + b\n",
  "accelerator/__init__.py": "from .real_accelerator import get_accelerator\n",
  // The interface the suggestions are checked against: no empty_cache, so that suggestion falls back to torch.accelerator.
  "accelerator/abstract_accelerator.py": ["import abc", "", "class DeepSpeedAccelerator(abc.ABC):", "    def device_name(self, device_index=None): ...", "    def synchronize(self, device_index=None): ...", "    def is_available(self): ...", "    def communication_backend_name(self): ...", "    def on_accelerator(self, tensor): ...", "    def visible_devices_envs(self): ...", ""].join("\n"),
  "accelerator/real_accelerator.py": 'def get_accelerator():\n    if torch.cuda.is_available():\n        return "cuda"\n    return "cpu"\n',
  "accelerator/cuda_accelerator.py": "import torch\n\nclass CUDA_Accelerator:\n    def synchronize(self):\n        return torch.cuda.synchronize()\n",
  "accelerator/hpu_accelerator.py": "import habana_frameworks.torch.hpu as hpu\n\nclass HPU_Accelerator:\n    def device_name(self):\n        return 'hpu'\n",
  "csrc/adam.cu": "__global__ void adam(float* p) {\n  p[0] = 1;\n}\n",
  "tests/test_engine.py": "import pytest, torch\n\n@pytest.mark.skipif(not torch.cuda.is_available(), reason='GPU')\ndef test_step():\n    assert True\n",
  ".github/workflows/nv-tests.yml": "name: nv-tests\njobs:\n  unit:\n    runs-on: [self-hosted, nvidia, v100]\n    steps:\n      - run: pytest\n",
  ".github/workflows/hpu-gaudi2.yml": "name: hpu-gaudi2\njobs:\n  unit:\n    runs-on: [self-hosted, gaudi2]\n    continue-on-error: true\n    steps:\n      - run: pytest\n",
  ".github/workflows/broken.yml": "jobs:\n  a: [unclosed\n",
  "docs/install.md": "# Install\n\nYou need CUDA 12 and an NVIDIA driver.\n",
  "docs/gaudi.md": "# Gaudi\n\nRun on Gaudi2.\nUse the Habana image.\n",
  "assets/logo.png": Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0, 0x63, 0x75, 0x64, 0x61]),
  "web/app.min.js": `var a="cuda";${"x=1;".repeat(6000)}\n`,
};

const XFAIL = ["hpu_xfail_tests = {", ...Array.from({ length: 40 }, (_, i) => `    "tests/test_engine.py::test_${i}": "fails on Gaudi",`), "}"].join("\n") + "\n";

beforeAll(async () => {
  const b = new HistoryBuilder();
  const c1 = b.commit({ branch: "main", message: "v1.0", author: up("2025-01-10T00:00:00Z"), files: FILES });
  b.tag("v1.0", c1);
  // The Gaudi fork's release adds a long xfail list to the shared test suite.
  const c2 = b.commit({ branch: "gaudi", parents: [c1], message: "Gaudi content drop", author: vendor("2025-03-01T00:00:00Z"), files: { "tests/known_failures.py": XFAIL } });
  b.tag("v1.1-gaudi", c2);
  await b.write(repo);
});

describe("steward neutrality on a repository", () => {
  it("measures each vendor's footprint per layer, with concentration, gaps and evidence", async () => {
    const r = await neutrality({ repo, ref: "v1.0" });
    expect(r.totals).toEqual({ files: 16, scanned: 13, skipped: { binary: 1, minified: 1, tooLarge: 0, missing: 0, unreadable: 1 } });
    expect(r.vendors).toEqual({
      // engine.py: torch.cuda (l5, l10), .cuda() (l6), "cuda" (l7, l9), nccl (l8, l11) on 7 lines; the abstraction: torch.cuda (l2), "cuda" (l3);
      // tests: the skipif line; cuda_accelerator.py dedicated (4 non-blank lines); csrc/adam.cu dedicated (3 lines); docs: CUDA (l3)
      "cuda-api": {
        code: { sites: 10, lines: 4 + 7 + 2, files: 3, dedicatedFiles: 1 },
        kernels: { sites: 0, lines: 3, files: 1, dedicatedFiles: 1 },
        tests: { sites: 1, lines: 1, files: 1, dedicatedFiles: 0 },
        docs: { sites: 1, lines: 1, files: 1, dedicatedFiles: 0 },
      },
      // hpu_accelerator.py (dedicated, 4 lines; sites: the habana_frameworks import, torch.hpu in it, the 'hpu' literal);
      // the hpu-gaudi2 workflow (dedicated, 7 lines, name + runner label, one soft-fail job); docs/gaudi.md (3 lines, 3 mentions)
      "intel-gaudi": {
        code: { sites: 3, lines: 4, files: 1, dedicatedFiles: 1 },
        ci: { sites: 2, lines: 7, files: 1, dedicatedFiles: 1, softFail: 1 },
        docs: { sites: 3, lines: 3, files: 1, dedicatedFiles: 1 },
      },
      // nv-tests.yml (dedicated by its nv- prefix: 6 lines; its runner label); the NVIDIA driver in docs/install.md
      nvidia: {
        ci: { sites: 1, lines: 6, files: 1, dedicatedFiles: 1 },
        docs: { sites: 1, lines: 1, files: 1, dedicatedFiles: 0 },
      },
    });
    // ci: Gaudi 7 lines, NVIDIA 6: (7/13)² + (6/13)² = 0.503; code: CUDA family 13, Gaudi 4: (13/17)² + (4/17)² = 0.6401
    expect(r.concentration.ci).toEqual({ hhi: 0.503, top: "intel-gaudi", topShare: 0.5385, lines: 13 });
    expect(r.concentration.code).toEqual({ hhi: 0.6401, top: "cuda-api", topShare: 0.7647, lines: 17 });
    expect(r.concentration.build).toEqual({ hhi: 0, top: null, topShare: 0, lines: 0 });
    // The CUDA family has no CI of its own, but NVIDIA, a member, has (nv-tests.yml): no gap for it.
    expect(r.gaps).toEqual([{ vendor: "intel-gaudi", has: ["code", "ci", "docs"], lacks: ["tests"] }]);
    const engine = r.files.find((f) => f.path === "pkg/engine.py")!;
    expect(engine.sites.map((s) => [s.line, s.signal])).toEqual([
      [5, "py.torch-cuda"],
      [6, "py.cuda-method"],
      [7, "str.cuda"],
      [8, "dist.nccl"],
      [9, "str.cuda"],
      [10, "py.torch-cuda"],
      [11, "dist.nccl"],
    ]);
    expect(r.warnings).toEqual([expect.stringMatching(/^1 CI file\(s\) are not valid YAML, counted as unreadable: \.github\/workflows\/broken\.yml \(/)]);
    await expectMatchesSchema("neutrality", r);
  });

  it("a fork that adds a long vendor xfail list shows that vendor's test-gating footprint", async () => {
    const before = await neutrality({ repo, ref: "v1.0" });
    const after = await neutrality({ repo, ref: "v1.1-gaudi" });
    expect(before.vendors["intel-gaudi"]?.tests).toBeUndefined();
    expect(after.vendors["intel-gaudi"]?.tests).toEqual({ sites: 40, lines: 40, files: 1, dedicatedFiles: 0 });
  });

  it("skips blobs missing from the object store, names them, and fetches nothing", async () => {
    const copy = copyWithoutBlobs(repo, join(root, "missing"), "v1.0", ["docs/gaudi.md"]);
    const r = await neutrality({ repo: copy, ref: "v1.0" });
    expect([r.totals.skipped.missing, r.vendors["intel-gaudi"]?.docs]).toEqual([1, undefined]);
    // 16 files, one of them binary by name (never read, so not wanted).
    expect([r.totals.files, r.coverage]).toEqual([16, { files: 15, missing: 1, missingPaths: ["docs/gaudi.md"], promisor: null, fetched: 0 }]);
    expect(r.warnings).toContain("INCOMPLETE: 1 of 15 files not read (blobs absent from this partial clone or object store): docs/gaudi.md");
  });

  it("skips files over --max-file-size and says so", async () => {
    const r = await neutrality({ repo, ref: "v1.0", maxFileBytes: 100 });
    expect(r.totals.skipped.tooLarge).toBeGreaterThan(0);
    expect(r.warnings).toContain(`${r.totals.skipped.tooLarge} file(s) over 100 bytes not scanned`);
  });
});

describe("steward neutrality lint", () => {
  it("finds hard-coded vendors in generic code, in the DeepSpeed pack's idiom, honouring its waivers", async () => {
    const r = await neutralityLint({ repo, ref: "v1.0" });
    expect(r.pack).toEqual({ id: "deepspeed", abstraction: "deepspeed.accelerator.get_accelerator()" });
    expect(r.findings.map((f) => [f.file, f.line, f.rule, f.waived, f.waiver ?? null, f.suggestion])).toEqual([
      ["pkg/engine.py", 5, "torch-cuda-api", false, null, "get_accelerator().synchronize(...)"],
      ["pkg/engine.py", 6, "cuda-method", false, null, ".to(get_accelerator().device_name())"],
      ["pkg/engine.py", 7, "cuda-device-string", false, null, "get_accelerator().device_name() (or device_name(index))"],
      ["pkg/engine.py", 8, "nccl-backend", false, null, "get_accelerator().communication_backend_name()"],
      ["pkg/engine.py", 9, "vendor-branch", false, null, "a capability method on the accelerator interface instead of comparing device_name() with a vendor"],
      // The accelerator interface has no empty_cache at this ref: the suggestion names torch's instead.
      ["pkg/engine.py", 10, "torch-cuda-api", true, "#ignore-cuda", "torch.accelerator.memory.empty_cache(...)"],
      ["pkg/engine.py", 11, "nccl-backend", true, "# steward: ignore[nccl-backend]", "get_accelerator().communication_backend_name()"],
    ]);
    // accelerator/ implements the abstraction and is exempt; the test's skipif line gates a test, it hard-codes nothing.
    expect(r.testGating).toEqual([{ rule: "torch-cuda-api", file: "tests/test_engine.py", line: 3, vendor: "cuda-api", snippet: "@pytest.mark.skipif(not torch.cuda.is_available(), reason='GPU')" }]);
    expect(r.failing).toBe(5);
    await expectMatchesSchema("neutrality-lint", r);
  });

  it("another pack words the fixes in its idiom, naming only APIs the project has; config waivers carry their reason", async () => {
    const r = await neutralityLint({ repo, ref: "v1.0", pack: "vllm", waivers: [{ path: "pkg/**", rule: "cuda-method", reason: "GPU-only engine, tracked in #12" }] });
    // This project has no vllm/platforms/interface.py: a suggestion naming current_platform.X is dropped, torch's stays.
    const byLine = (line: number) => r.findings.find((f) => f.file === "pkg/engine.py" && f.line === line)!;
    expect([byLine(7).rule, byLine(7).suggestion]).toEqual(["cuda-device-string", undefined]);
    expect([byLine(5).rule, byLine(5).suggestion]).toEqual(["torch-cuda-api", "torch.accelerator.synchronize(...)"]);
    // The vLLM pack does not know DeepSpeed's #ignore-cuda, and does not exempt accelerator/.
    expect(r.findings.filter((f) => f.line === 10 && f.file === "pkg/engine.py").map((f) => f.waived)).toEqual([false]);
    expect(r.findings.filter((f) => f.file === "accelerator/real_accelerator.py").map((f) => f.rule)).toEqual(["torch-cuda-api"]);
    expect([byLine(6).waived, byLine(6).waiver]).toEqual([true, "config: GPU-only engine, tracked in #12"]);
  });

  it("with a baseline only new findings fail", async () => {
    const first = await neutralityLint({ repo, ref: "v1.0" });
    const baseline = baselineOf(first.findings);
    expect(baseline.findings).toHaveLength(5);
    const again = await neutralityLint({ repo, ref: "v1.0", baseline });
    expect([again.failing, again.findings.filter((f) => f.baseline).length]).toEqual([0, 5]);
  });

  it("history: footprint and lint debt per ref, in date order", async () => {
    const h = await neutralityHistory({ repo, patterns: ["refs/tags/v*"] });
    expect(h.history.map((p) => [p.ref, p.vendors["intel-gaudi"], p.lintDebt])).toEqual([
      ["refs/tags/v1.0", 4 + 7 + 3, 5],
      ["refs/tags/v1.1-gaudi", 4 + 7 + 3 + 40, 5],
    ]);
    await expectMatchesSchema("neutrality-history", h);
  });
});

describe("steward neutrality CLI", () => {
  const cli = (...args: string[]) => spawnSync(process.execPath, [resolve("dist/cli/main.js"), ...args], { encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });

  it("text footprint, lint exit codes, SARIF, baselines", () => {
    const fp = cli("neutrality", "--repo", repo, "v1.0");
    expect(fp.status).toBe(0);
    expect(fp.stdout).toMatch(/cuda-api\s+13 \(10\)\s+3 \(0\)\s+1 \(1\)\s+-\s+1 \(1\)\s+-/);
    const lint = cli("neutrality", "lint", "--repo", repo, "v1.0");
    expect([lint.status, lint.stderr]).toEqual([1, ""]);
    expect(lint.stdout).toContain("pkg/engine.py:5: torch-cuda-api (cuda-api) torch.cuda.synchronize()\n    use get_accelerator().synchronize(...)");
    // The header's counts add up to the JSON's findings: 7 = 5 open + 2 waived; the skipif line is test gating, apart.
    expect(lint.stdout.split("\n")[0]).toMatch(/: 7 findings \(5 open, 2 waived\), 5 failing$/);
    expect(lint.stdout).toContain("\nTest gating, not findings: 1 skip line by vendor (cuda-api 1)\n");
    const sarif = cli("neutrality", "lint", "--repo", repo, "--format", "sarif", "v1.0");
    const log = JSON.parse(sarif.stdout);
    expect([log.version, log.runs[0].results.length, log.runs[0].results.filter((x: { suppressions?: unknown }) => x.suppressions).length]).toEqual(["2.1.0", 7, 2]);
    const file = join(root, "baseline.json");
    expect(cli("neutrality", "lint", "--repo", repo, "--write-baseline", file, "v1.0").status).toBe(0);
    expect(cli("neutrality", "lint", "--repo", repo, "--baseline", file, "v1.0").status).toBe(0);
  });

  it("a YAML pack: its suggestions are shown as written, the rules it leaves out are named as off", () => {
    const pack = join(root, "own-pack.yaml");
    writeFileSync(pack, "id: own\nname: Own\nabstraction: own.device()\nrules:\n  torch-cuda-api: use own.device().$1\n");
    const r = cli("neutrality", "lint", "--repo", repo, "--rules", pack, "v1.0");
    expect(r.status).toBe(1);
    expect(r.stdout).toContain("torch.cuda.synchronize()\n    use own.device().synchronize\n");
    expect(r.stdout).not.toContain("use use");
    expect(r.stdout).toMatch(/^! rule pack own gives no suggestion for cuda-method, .*vendor-branch: those rules are off$/m);
  });

  it.each([
    [["neutrality", "lint", "--repo", "REPO", "--rules", "DETECT", "v1.0"], /^steward: .*detect-pack\.yaml: detect: .*expected array/],
    [["neutrality", "--repo", "REPO", "no-such-ref"], /^steward: unknown ref in .*: no-such-ref\n$/],
    [["neutrality", "lint", "--repo", "REPO", "--rules", "nope", "v1.0"], /^steward: unknown rule pack 'nope' \(packs: deepspeed, vllm, pytorch, generic, or a YAML file\)\n$/],
    [["neutrality", "lint", "--repo", "REPO", "--waivers", "WAIVERS", "v1.0"], /^steward: .*waivers\.yaml: waivers\[0\]\.reason: /],
    [["neutrality", "lint", "--repo", "REPO", "--rules", "PACK", "v1.0"], /^steward: .*pack\.yaml: rules: unknown key 'no-such-rule'\n$/],
    [["neutrality", "--repo", "REPO", "--max-file-size", "-3", "v1.0"], /^steward: --max-file-size must be a positive number of bytes: -3\n$/],
    [["neutrality", "lint", "--repo", "REPO", "--baseline", "BASELINE", "v1.0"], /^steward: .*baseline-bad\.json: findings\[0\]\.count: /],
  ])("bad input %j: one line, exit 2", (args, message) => {
    writeFileSync(join(root, "waivers.yaml"), "waivers:\n  - path: tests/**\n");
    writeFileSync(join(root, "pack.yaml"), "id: mine\nname: Mine\nabstraction: x\nrules:\n  no-such-rule: y\n");
    writeFileSync(join(root, "detect-pack.yaml"), "id: mine\nname: Mine\nabstraction: x\nrules: {}\ndetect: setup.py\n");
    writeFileSync(join(root, "baseline-bad.json"), JSON.stringify({ schemaVersion: 1, findings: [{ rule: "cuda-method", file: "a.py", snippet: "x.cuda()", count: 0 }] }));
    const files: Record<string, string> = { REPO: repo, WAIVERS: join(root, "waivers.yaml"), PACK: join(root, "pack.yaml"), DETECT: join(root, "detect-pack.yaml"), BASELINE: join(root, "baseline-bad.json") };
    const r = cli(...args.map((a) => files[a] ?? a));
    expect([r.status, r.stdout]).toEqual([2, ""]);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
  });
});
