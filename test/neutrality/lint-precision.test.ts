import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { neutrality, neutralityLint } from "../../src/analyzers/neutrality/index.js";
import { HistoryBuilder } from "../../src/git/builder.js";
import { tempDir, up } from "../helpers/git.js";
import { expectMatchesSchema } from "../helpers/schema.js";

const root = tempDir();
const vllm = join(root, "vllm-like");
const forge = join(root, "forge");

/** A vLLM-shaped project: a Platform interface, generic code, tests gated by platform. */
const INTERFACE = ["class Platform:", "    device_type: str", '    dist_backend: str = ""', "", "    def get_device_capability(self, device_id=0): ...", "", "current_platform = Platform()", ""].join("\n");
const WORKER = [
  "import os",
  "import torch",
  "from vllm.platforms import current_platform",
  "",
  "def init(rank):",
  "    torch.cuda.set_device(rank)",
  "    cap = torch.cuda.get_device_capability()",
  "    torch.cuda.cudart().cudaProfilerStart()",
  '    os.environ["CUDA_VISIBLE_DEVICES"] = str(rank)',
  "    if current_platform.is_cuda():",
  "        pass",
  "    x = torch.cuda.current_stream(torch.ones(1).cuda())",
  "    if current_platform.is_rocm():",
  "        torch.cuda.synchronize()",
  "    torch.cuda.set_stream = patched_set_stream",
  "    same = torch.cuda.synchronize == other",
  "",
].join("\n");
const TEST = [
  '"""Skipped if current_platform.is_rocm(): a docstring naming the platform is prose."""',
  "import pytest, torch",
  "from vllm.platforms import current_platform",
  "",
  "@pytest.mark.skipif(",
  "    not current_platform.is_cuda(),",
  '    reason="CUDA only")',
  "def test_a():",
  '    x = torch.ones(1, device="cuda")',
  "",
  "def test_b():",
  "    if not current_platform.is_cuda():",
  '        pytest.skip("CUDA only")',
  "    x = torch.ones(1).cuda()",
  "",
].join("\n");

beforeAll(async () => {
  const b = new HistoryBuilder();
  const c1 = b.commit({ branch: "main", message: "base", author: up("2025-02-01T00:00:00Z"), files: { "vllm/platforms/__init__.py": "", "vllm/platforms/interface.py": INTERFACE, "vllm/worker.py": WORKER, "tests/test_worker.py": TEST } });
  b.tag("before-hook", c1);
  const c2 = b.commit({ branch: "main", parents: [c1], message: "add the torch.cuda hook", author: up("2025-02-02T00:00:00Z"), files: { "tools/pre_commit/check_torch_cuda.py": "import sys\n" } });
  b.tag("with-hook", c2);
  await b.write(vllm);
  const f = new HistoryBuilder();
  f.commit({
    branch: "main",
    message: "forge",
    author: up("2025-02-01T00:00:00Z"),
    files: {
      "forge/accelerator/real_accelerator.py": "def get_accelerator():\n    return None\n",
      "forge/accelerator/abstract_accelerator.py": "class ForgeAccelerator:\n    def synchronize(self): ...\n",
      "forge/engine.py": "import torch\n\ndef step():\n    torch.cuda.synchronize()\n",
      ".github/workflows/nv-tests.yml": "name: nv-tests\njobs:\n  unit:\n    runs-on: [self-hosted, nvidia]\n",
    },
  });
  await f.write(forge);
});

describe("neutrality lint precision", () => {
  it("one finding per line, suggestions only where the API exists, the hook cited only when the tree has it", async () => {
    const r = await neutralityLint({ repo: vllm, ref: "before-hook" });
    expect(r.pack.id).toBe("vllm");
    expect(r.findings.filter((f) => f.file === "vllm/worker.py").map((f) => [f.line, f.rule, f.vendor, f.suggestion ?? null])).toEqual([
      // torch.accelerator has set_device_index; the Platform interface has no set_device.
      [6, "torch-cuda-api", "cuda-api", "torch.accelerator.set_device_index(...)"],
      [7, "torch-cuda-api", "cuda-api", "current_platform.get_device_capability(...)"],
      // Neither the interface nor torch.accelerator has cudart: no suggestion rather than a made-up one.
      [8, "torch-cuda-api", "cuda-api", null],
      // The interface at this ref has no device_control_env_var.
      [9, "cuda-visible-devices", "cuda-api", null],
      // is_cuda() is NVIDIA's, and the line is one finding (vendor-branch), not also is-cuda.
      [10, "vendor-branch", "nvidia", "a Platform hook (e.g. get_attn_backend_cls, check_and_update_config) instead of is_cuda()/is_rocm() in generic code"],
      // torch.cuda and .cuda() on one line: one finding.
      [12, "torch-cuda-api", "cuda-api", "torch.accelerator.current_stream(...)"],
      [13, "vendor-branch", "amd", "a Platform hook (e.g. get_attn_backend_cls, check_and_update_config) instead of is_cuda()/is_rocm() in generic code"],
      // Inside the ROCm branch: AMD's, by the guard on line 13.
      [14, "torch-cuda-api", "amd", "torch.accelerator.synchronize(...)"],
      // Replacing torch's function is hard-coding too, but "use torch.accelerator.set_stream(...)" says nothing about what to do instead.
      [15, "torch-cuda-api", "cuda-api", null],
      // A comparison is no assignment: the suggestion stays.
      [16, "torch-cuda-api", "cuda-api", "torch.accelerator.synchronize(...)"],
    ]);
    // In the tests, the device string in a CUDA-only test is NVIDIA's; the skip lines are not findings.
    const tests = r.findings.filter((f) => f.file === "tests/test_worker.py").map((f) => [f.line, f.rule, f.vendor]);
    expect(tests).toEqual([
      [9, "cuda-device-string", "nvidia"],
      [14, "cuda-method", "nvidia"],
    ]);
    expect(r.testGating.map((g) => [g.file, g.line, g.rule, g.vendor])).toEqual([
      ["tests/test_worker.py", 6, "vendor-branch", "nvidia"],
      ["tests/test_worker.py", 12, "vendor-branch", "nvidia"],
    ]);
    await expectMatchesSchema("neutrality-lint", r);
    const hooked = await neutralityLint({ repo: vllm, ref: "with-hook" });
    expect(hooked.findings.find((f) => f.line === 7)!.suggestion).toBe("current_platform.get_device_capability(...) (vLLM's check_torch_cuda hook bans new torch.cuda calls)");
    expect(r.findings.some((f) => f.suggestion?.includes("check_torch_cuda"))).toBe(false);
  });

  it("the header names the abstraction where the project has it, or as configured", async () => {
    const detected = await neutralityLint({ repo: forge, ref: "main" });
    expect(detected.pack).toEqual({ id: "deepspeed", abstraction: "forge.accelerator.get_accelerator()" });
    expect(detected.findings.map((f) => f.suggestion)).toEqual(["get_accelerator().synchronize(...)"]);
    const configured = await neutralityLint({ repo: forge, ref: "main", pack: "deepspeed", abstraction: "get_accelerator()" });
    expect(configured.pack).toEqual({ id: "deepspeed", abstraction: "get_accelerator()" });
  });

  it("gaps: the CUDA family is not said to lack CI when NVIDIA has it", async () => {
    const r = await neutrality({ repo: forge, ref: "main" });
    expect(r.vendors.nvidia?.ci?.lines).toBeGreaterThan(0);
    expect(r.gaps.find((g) => g.vendor === "cuda-api")).toEqual({ vendor: "cuda-api", has: ["code"], lacks: ["tests", "docs"] });
  });
});
