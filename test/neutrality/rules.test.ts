import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { scanFile } from "../../src/analyzers/neutrality/file-scan.js";
import { neutrality } from "../../src/analyzers/neutrality/index.js";
import { HistoryBuilder } from "../../src/git/builder.js";
import { tempDir, up } from "../helpers/git.js";

/**
 * Family resolution by scope: a CUDA-family site is AMD's inside a ROCm-guarded branch, NVIDIA's
 * inside a CUDA-only one, and stays the family elsewhere, even when the same file checks for ROCm.
 */
const sitesOf = (text: string, path = "pkg/mod.py") =>
  scanFile(path, text)
    .scan.sites.filter((s) => s.family === "cuda-api" || s.vendor === "cuda-api")
    .map((s) => [s.line, s.vendor, s.guardLine ?? null]);

describe("neutrality: the guard around a CUDA-family site resolves it", () => {
  it.each(["torch.version.hip", "current_platform.is_rocm()", "is_hip()", "IS_ROCM", "TEST_WITH_ROCM", "hip", "torch.version.hip is not None", "(is_rocm() and use_aiter)"])("inside `if %s:` torch.cuda is AMD's, with the guard line", (check) => {
    expect(sitesOf(`x = 1\nif ${check}:\n    n = torch.cuda.device_count()\n`)).toEqual([[3, "amd", 2]]);
  });

  it("the same file checking for ROCm elsewhere decides nothing (the old same-file rule)", () => {
    const text = ["def rocm_path():", "    if current_platform.is_rocm():", "        return 1", "", "def profile():", "    torch.cuda.cudart().cudaProfilerStart()", "    return torch.randn(4, device=\"cuda\")", ""].join("\n");
    expect(sitesOf(text)).toEqual([
      [6, "cuda-api", null],
      [7, "cuda-api", null],
    ]);
  });

  it("else of a ROCm test, a negated ROCm test, is_cuda() and torch.version.cuda are NVIDIA", () => {
    const text = [
      "if torch.version.hip:",
      "    a = torch.cuda.mem_get_info()",
      "else:",
      "    b = torch.cuda.mem_get_info()",
      "if not current_platform.is_rocm():",
      "    c = torch.cuda.mem_get_info()",
      "if current_platform.is_cuda():",
      '    d = "nccl"',
      "if torch.version.cuda is not None:",
      "    e = torch.cuda.mem_get_info()",
      "",
    ].join("\n");
    expect(sitesOf(text)).toEqual([
      [2, "amd", 1],
      [4, "nvidia", 1],
      [6, "nvidia", 5],
      [8, "nvidia", 7],
      [10, "nvidia", 9],
    ]);
  });

  it("an `or`, a negated is_cuda() and an unrelated test decide nothing", () => {
    const text = ["if is_rocm() or flag:", "    a = torch.cuda.mem_get_info()", "if not current_platform.is_cuda():", "    b = torch.cuda.mem_get_info()", "if is_rocm_aiter_enabled():", "    c = torch.cuda.mem_get_info()", ""].join("\n");
    expect(sitesOf(text)).toEqual([
      [2, "cuda-api", null],
      [4, "cuda-api", null],
      [6, "cuda-api", null],
    ]);
  });

  it("a test skipped off CUDA (decorator over several lines) is NVIDIA; @skipIfRocm too; a class mark covers its methods", () => {
    const text = [
      "@pytest.mark.parametrize('n', [1, 2])",
      "@pytest.mark.skipif(not current_platform.is_cuda(),",
      '                    reason="CUDA only")',
      "def test_a(n):",
      "    torch.cuda.synchronize()",
      "",
      "@skipIfRocm",
      "def test_b():",
      '    x = torch.ones(1, device="cuda")',
      "",
      "@pytest.mark.skipif(not current_platform.is_rocm(), reason='ROCm only')",
      "class TestRocm:",
      "    def test_c(self):",
      "        torch.cuda.synchronize()",
      "",
      "def test_d():",
      "    torch.cuda.synchronize()",
      "",
    ].join("\n");
    expect(sitesOf(text, "tests/test_ops.py")).toEqual([
      [5, "nvidia", 2],
      [9, "nvidia", 7],
      [14, "amd", 11],
      [17, "cuda-api", null],
    ]);
  });

  it("an early exit guards the rest of its block; pytestmark guards the module", () => {
    const early = ["def f():", "    if not current_platform.is_rocm():", "        return None", "    return torch.cuda.mem_get_info()", "", "def g():", "    return torch.cuda.mem_get_info()", ""].join("\n");
    expect(sitesOf(early)).toEqual([
      [4, "amd", 2],
      [7, "cuda-api", null],
    ]);
    const module = ["import pytest", "pytestmark = pytest.mark.skipif(current_platform.is_rocm(), reason='no ROCm')", "", "def test_x():", "    torch.cuda.synchronize()", ""].join("\n");
    expect(sitesOf(module, "tests/test_x.py")).toEqual([[5, "nvidia", 2]]);
    const skip = ["if not current_platform.is_rocm():", "    pytest.skip('ROCm only', allow_module_level=True)", "", "def test_y():", "    torch.cuda.synchronize()", ""].join("\n");
    expect(sitesOf(skip, "tests/test_y.py")).toEqual([[5, "amd", 1]]);
  });

  it("a guard in a comment or a string decides nothing; the resolution names the guard", () => {
    expect(sitesOf(`# if is_rocm():\nn = torch.cuda.device_count()\n`)).toEqual([[2, "cuda-api", null]]);
    expect(sitesOf(`if "is_rocm()":\n    n = torch.cuda.device_count()\n`)).toEqual([[2, "cuda-api", null]]);
    const site = scanFile("pkg/mod.py", "if current_platform.is_rocm():\n    n = torch.cuda.device_count()\n").scan.sites[1]!;
    expect([site.family, site.resolvedBy]).toEqual(["cuda-api", "a ROCm guard: if current_platform.is_rocm():"]);
  });
});

describe("neutrality: what names the member of a family on the line or in the file", () => {
  it("a module-private test (`_is_cuda()`, `_is_hip()`, as in vLLM's setup.py) guards like the public one; `is_cuda_alike()` does not", () => {
    const text = ["if _is_cuda():", "    k = torch.cuda.device_count()", "if _is_hip():", "    n = torch.cuda.device_count()", "if _is_cuda_alike():", "    m = torch.cuda.device_count()", ""].join("\n");
    expect(sitesOf(text, "setup.py")).toEqual([
      [2, "nvidia", 1],
      [4, "amd", 3],
      [6, "cuda-api", null],
    ]);
  });

  it("\"NVIDIA CUDA\" names the member; CUDA beside another vendor's name, or alone, stays the family", () => {
    const text = ['=== "NVIDIA CUDA"', "Build with CUDA or ROCm.", "NVIDIA GPUs and CUDA 12.", "Install CUDA 12.4.", ""].join("\n");
    const cuda = scanFile("docs/install.md", text).scan.sites.filter((s) => s.signal === "docs.cuda");
    expect(cuda.map((s) => [s.line, s.vendor, s.resolvedBy ?? null])).toEqual([
      [1, "nvidia", "the line says NVIDIA CUDA"],
      [2, "cuda-api", null],
      [3, "cuda-api", null],
      [4, "cuda-api", null],
    ]);
  });

  it("Intel's extension (IPEX) in a file dedicated to cpu is the CPU back-end's; in another file it stays Intel XPU's", () => {
    const req = "torch==2.7.0\nintel_extension_for_pytorch==2.7.0\n";
    const ipex = (path: string) => scanFile(path, req).scan.sites.filter((s) => s.signal === "pkg.intel-xpu").map((s) => [s.vendor, s.resolvedBy ?? null]);
    expect(ipex("requirements/cpu.txt")).toEqual([["cpu", "an Intel extension that serves CPUs too, in a file dedicated to cpu ('cpu' in cpu.txt)"]]);
    expect(ipex("requirements/common.txt")).toEqual([["intel-xpu", null]]);
    expect(ipex("requirements/xpu.txt")).toEqual([["intel-xpu", null]]);
  });

  it("the JSON result carries the guard line and what resolved each site", async () => {
    const repo = join(tempDir("steward-guard-json-"), "r");
    const b = new HistoryBuilder();
    b.commit({ branch: "main", message: "c", author: up("2025-01-10T00:00:00Z"), files: { "pkg/mod.py": "import torch\nif current_platform.is_rocm():\n    n = torch.cuda.device_count()\n" } });
    await b.write(repo);
    const r = await neutrality({ repo });
    const site = r.files.find((f) => f.path === "pkg/mod.py")!.sites.find((s) => s.line === 3 && s.signal === "py.torch-cuda")!;
    expect([site.vendor, site.family, site.resolvedBy, site.guardLine]).toEqual(["amd", "cuda-api", "a ROCm guard: if current_platform.is_rocm():", 2]);
  });
});
