import { describe, expect, it } from "vitest";
import { scanFile } from "../../src/analyzers/neutrality/file-scan.js";
import { layerOf, vendorOfPath } from "../../src/analyzers/neutrality/paths.js";
import { lexPython } from "../../src/analyzers/neutrality/pylex.js";
import { ATTRIBUTIONS, SIGNALS } from "../../src/analyzers/neutrality/taxonomy.js";

/** One example per signal: a file path and a line that must produce exactly that signal's site. */
const EXAMPLES: Record<string, [path: string, line: string]> = {
  "py.torch-cuda": ["pkg/mod.py", "torch.cuda.synchronize()"],
  "py.cuda-method": ["pkg/mod.py", "model = model.cuda()"],
  "py.is-cuda": ["pkg/mod.py", "ok = t.is_cuda"],
  "py.platform-is-cuda": ["pkg/mod.py", "ok = current_platform.is_cuda()"],
  "py.torch-backends-cuda": ["pkg/mod.py", "torch.backends.cudnn.benchmark = True"],
  "py.torch-version-cuda": ["pkg/mod.py", "v = torch.version.cuda"],
  "py.nvidia-libs": ["pkg/mod.py", "import pynvml"],
  "py.cuda-family-libs": ["pkg/mod.py", "from flash_attn import flash_attn_func"],
  "py.torch-version-hip": ["pkg/mod.py", "hip = torch.version.hip"],
  "py.is-rocm": ["pkg/mod.py", "x = is_rocm()"],
  "py.amd-libs": ["pkg/mod.py", "import amdsmi"],
  "py.torch-xpu": ["pkg/mod.py", "n = torch.xpu.device_count()"],
  "py.intel-xpu-libs": ["pkg/mod.py", "import intel_extension_for_pytorch as ipex"],
  "py.habana": ["pkg/mod.py", "import habana_frameworks.torch.core as htcore"],
  "py.torch-hpu": ["pkg/mod.py", "n = torch.hpu.device_count()"],
  "py.torch-npu": ["pkg/mod.py", "x = t.npu()"],
  "py.torch-mps": ["pkg/mod.py", "ok = torch.backends.mps.is_available()"],
  "py.torch-xla": ["pkg/mod.py", "d = xm.xla_device()"],
  "py.tpu-libs": ["pkg/mod.py", "import libtpu"],
  "py.neuron-libs": ["pkg/mod.py", "import torch_neuronx"],
  "py.torch-mlu": ["pkg/mod.py", "x = t.mlu()"],
  "py.mkldnn": ["pkg/mod.py", "ok = torch.backends.mkldnn.is_available()"],
  "str.cuda": ["pkg/mod.py", 'd = "cuda:1"'],
  "str.xpu": ["pkg/mod.py", "d = 'xpu'"],
  "str.hpu": ["pkg/mod.py", 'd = "hpu"'],
  "str.npu": ["pkg/mod.py", 'd = "npu:0"'],
  "str.mps": ["pkg/mod.py", 'd = "mps"'],
  "str.xla": ["pkg/mod.py", 'd = "xla"'],
  "str.mlu": ["pkg/mod.py", 'd = "mlu"'],
  "dist.nccl": ["pkg/mod.py", 'dist.init_process_group(backend="nccl")'],
  "dist.rccl": ["pkg/mod.py", 'b = "rccl"'],
  "dist.ccl": ["pkg/mod.py", 'b = "xccl"'],
  "dist.hccl": ["pkg/mod.py", 'b = "hccl"'],
  "dist.cncl": ["pkg/mod.py", 'b = "cncl"'],
  "env.cuda": ["run.sh", "export CUDA_VISIBLE_DEVICES=0,1"],
  "env.nvidia": ["run.sh", "export NVIDIA_VISIBLE_DEVICES=all"],
  "env.amd": ["run.sh", "export HIP_VISIBLE_DEVICES=0"],
  "env.intel-xpu": ["run.sh", "export ZE_AFFINITY_MASK=0"],
  "env.gaudi": ["run.sh", "export HABANA_VISIBLE_MODULES=0,1"],
  "env.ascend": ["run.sh", "export ASCEND_RT_VISIBLE_DEVICES=0"],
  "env.tpu": ["run.sh", "export TPU_VISIBLE_CHIPS=0"],
  "env.neuron": ["run.sh", "export NEURON_RT_VISIBLE_CORES=0-1"],
  "env.mlu": ["run.sh", "export MLU_VISIBLE_DEVICES=0"],
  "env.mps": ["run.sh", "export PYTORCH_ENABLE_MPS_FALLBACK=1"],
  "c.cuda": ["lib/ops.cpp", "cudaMalloc(&p, n);"],
  "c.hip": ["lib/ops.cpp", "hipMalloc(&p, n);"],
  "c.sycl": ["lib/ops.cpp", "sycl::queue q;"],
  "c.ascend": ["lib/ops.cpp", '#include "acl/acl.h"'],
  "build.cuda": ["CMakeLists.txt", "enable_language(CUDA)"],
  "build.nvidia-image": ["Dockerfile", "FROM nvcr.io/nvidia/pytorch:24.05-py3"],
  "build.rocm": ["CMakeLists.txt", "enable_language(HIP)"],
  "build.sycl": ["setup.py", "ext = SyclExtension('ops', ['ops.sycl'])"],
  "build.gaudi": ["Dockerfile", "FROM vault.habana.ai/gaudi-docker/1.18.0/ubuntu22.04/habanalabs/pytorch-installer-2.4.0"],
  "pkg.nvidia": ["requirements-cuda.txt", "nvidia-cublas-cu12==12.4"],
  "pkg-str.nvidia": ["setup.py", 'install_requires = ["pynvml>=11"]'],
  "pkg.amd": ["requirements-rocm.txt", "amdsmi"],
  "pkg-str.amd": ["setup.py", 'install_requires = ["pytorch-triton-rocm"]'],
  "pkg.intel-xpu": ["requirements/xpu.txt", "intel-extension-for-pytorch==2.3.110"],
  "pkg-str.intel-xpu": ["setup.py", 'install_requires = ["oneccl_bind_pt"]'],
  "pkg.intel-gaudi": ["requirements.txt", "habana-torch-plugin>=1.16"],
  "pkg-str.intel-gaudi": ["setup.py", 'install_requires = ["optimum-habana"]'],
  "pkg.huawei-ascend": ["requirements.txt", "torch-npu==2.1.0"],
  "pkg-str.huawei-ascend": ["setup.py", 'install_requires = ["torch_npu>=2.1"]'],
  "pkg.aws-neuron": ["requirements.txt", "torch-neuronx"],
  "pkg-str.aws-neuron": ["setup.py", 'install_requires = ["neuronx-cc"]'],
  "pkg.google-tpu": ["requirements.txt", "libtpu-nightly"],
  "pkg-str.google-tpu": ["setup.py", 'install_requires = ["libtpu"]'],
  "pkg.cambricon": ["requirements.txt", "torch_mlu"],
  "pkg-str.cambricon": ["setup.py", 'install_requires = ["torch-mlu"]'],
  "pkg.apple": ["requirements.txt", "mlx>=0.20"],
  "pkg-str.apple": ["setup.py", 'install_requires = ["coremltools"]'],
  "test.cuda": ["tests/test_ops.py", "@onlyCUDA"],
  "test.rocm": ["tests/test_ops.py", "@skipIfRocm"],
  "test.xpu": ["tests/test_ops.py", "@onlyXPU"],
  "test.hpu": ["tests/test_ops.py", "@onlyHPU"],
  "test.mps": ["tests/test_ops.py", "@onlyMPS"],
  "test.cpu": ["tests/test_ops.py", "@onlyCPU"],
  "ci.nvidia": [".github/workflows/ci.yml", "    runs-on: [self-hosted, nvidia, v100]"],
  "ci.gpu": [".buildkite/pipeline.yml", "    queue: gpu_1_queue"],
  "ci.amd": [".github/workflows/ci.yml", "    runs-on: [self-hosted, amd, mi300]"],
  "ci.intel-xpu": [".github/workflows/ci.yml", "    runs-on: [self-hosted, intel, xpu]"],
  "ci.gaudi": [".github/workflows/ci.yml", "    runs-on: [self-hosted, intel, gaudi2]"],
  "ci.ascend": [".buildkite/pipeline.yml", "    queue: ascend_910b"],
  "ci.gaudi-flavor": [".jenkins/test_config.yaml", "        flavor: g3.s"],
  "ci.tpu": [".github/workflows/ci.yml", "    runs-on: linux.google.tpuv7x.1"],
  "ci.neuron": [".github/workflows/ci.yml", "    runs-on: [self-hosted, trn1]"],
  "ci.apple": [".github/workflows/ci.yml", "    runs-on: macos-m1-stable"],
  "docs.nvidia": ["docs/install.md", "Install the NVIDIA driver first."],
  "docs.cuda": ["docs/install.md", "You need CUDA 12."],
  "docs.amd": ["docs/install.md", "ROCm 6.1 is supported."],
  "docs.intel-xpu": ["docs/install.md", "Install oneAPI."],
  "docs.gaudi": ["docs/install.md", "On Gaudi2, use the Habana image."],
  "docs.ascend": ["docs/install.md", "Install CANN for Ascend."],
  "docs.apple": ["docs/install.md", "Apple silicon works through MPS."],
  "docs.tpu": ["docs/install.md", "TPUs need libtpu."],
  "docs.neuron": ["docs/install.md", "Trainium runs with Neuron."],
  "docs.mlu": ["docs/install.md", "Cambricon MLU cards."],
};

describe("vendor taxonomy", () => {
  it("every signal has an id, a vendor or family, a source, a valid pattern, and an example below", () => {
    const ids = SIGNALS.map((s) => s.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const s of SIGNALS) {
      expect(ATTRIBUTIONS, s.id).toContain(s.vendor);
      expect(s.source, s.id).not.toBe("");
      expect(() => new RegExp(s.pattern), s.id).not.toThrow();
    }
    expect(Object.keys(EXAMPLES).sort()).toEqual([...ids].sort());
  });

  it.each(Object.entries(EXAMPLES))("%s", (id, [path, line]) => {
    const sig = SIGNALS.find((s) => s.id === id)!;
    const { scan } = scanFile(path, line + "\n");
    const hit = scan.sites.find((s) => s.signal === id);
    expect(hit, JSON.stringify(scan.sites)).toBeDefined();
    // Families stay families without evidence in the file.
    expect(hit!.vendor).toBe(sig.vendor);
    expect(hit!.line).toBe(1);
  });

  it("code, strings and comments are told apart in Python", () => {
    const { scan } = scanFile(
      "pkg/mod.py",
      ["# torch.cuda in a comment", '"""torch.cuda in a docstring', '"cuda" in it too"""', 'msg = "run torch.cuda.synchronize() first"', 'x = f("cuda")  # "nccl"', "y = torch.cuda.current_device()"].join("\n"),
    );
    expect(scan.sites.map((s) => [s.line, s.signal])).toEqual([
      [5, "str.cuda"],
      [6, "py.torch-cuda"],
    ]);
  });
});

describe("ambiguity rules", () => {
  const vendorsOf = (path: string, text: string) => scanFile(path, text).scan.sites.map((s) => [s.signal, s.vendor, s.family ?? null, s.resolvedBy ?? null]);

  it.each([
    ["torch.cuda alone: the CUDA family", "x = torch.cuda.device_count()\n", [["py.torch-cuda", "cuda-api", null, null]]],
    [
      "torch.cuda beside torch.version.hip: AMD",
      "if torch.version.hip:\n    x = torch.cuda.device_count()\n",
      [
        ["py.torch-version-hip", "amd", null, null],
        ["py.torch-cuda", "amd", "cuda-api", "a ROCm guard: if torch.version.hip:"],
      ],
    ],
    ["nccl beside is_rocm(): AMD (RCCL)", 'if is_rocm():\n    b = "nccl"\n', [["py.is-rocm", "amd", null, null], ["dist.nccl", "amd", "cuda-api", "a ROCm guard: if is_rocm():"]]],
    ["hccl with Habana imports: Gaudi", 'import habana_frameworks.torch\nb = "hccl"\n', [["py.habana", "intel-gaudi", null, null], ["dist.hccl", "intel-gaudi", "hccl-api", "file dedicated to it"]]],
    ["hccl with torch.npu use: Ascend", 'x = torch.npu.device_count()\nb = "hccl"\n', [["py.torch-npu", "huawei-ascend", null, null], ["dist.hccl", "huawei-ascend", "hccl-api", "Ascend imports or device in the same file"]]],
    ["hccl with both: the family", 'x = torch.npu.device_count()\ny = torch.hpu.device_count()\nb = "hccl"\n', [["py.torch-npu", "huawei-ascend", null, null], ["py.torch-hpu", "intel-gaudi", null, null], ["dist.hccl", "hccl-api", null, null]]],
    ["xla with torch_neuronx: Neuron", "import torch_neuronx\nimport torch_xla\n", [["py.neuron-libs", "aws-neuron", null, null], ["py.torch-xla", "aws-neuron", "xla-api", "file dedicated to it"]]],
    ["xla with TPU evidence: TPU", 'import torch_xla\nos.environ["PJRT_DEVICE=TPU"]\n', [["py.torch-xla", "google-tpu", "xla-api", "TPU evidence in the same file"], ["env.tpu", "google-tpu", null, null]]],
  ])("%s", (_name, text, expected) => {
    expect(vendorsOf("pkg/mod.py", text)).toEqual(expected);
  });

  it("a file dedicated to AMD by name makes its torch.cuda AMD's", () => {
    expect(vendorsOf("pkg/rocm_utils.py", "x = torch.cuda.device_count()\n")).toEqual([["py.torch-cuda", "amd", "cuda-api", "file dedicated to it"]]);
  });
});

describe("layers and vendor-specific paths", () => {
  it.each([
    [".github/workflows/nv-torch.yml", "ci", "nvidia"],
    [".buildkite/hardware_tests/amd.yaml", "ci", "amd"],
    ["tests/unit/test_zero.py", "tests", null],
    ["tests/unit/hpu/test_hpu_ops.py", "tests", "intel-gaudi"],
    ["docs/install/gpu.rocm.md", "docs", "amd"],
    ["README.md", "docs", null],
    ["requirements/requirements-rocm.txt", "build", "amd"],
    ["op_builder/npu/fused_adam.py", "build", "huawei-ascend"],
    ["CMakeLists.txt", "build", null],
    ["csrc/adam/fused_adam.cu", "kernels", "cuda-api"],
    ["csrc/adam/fused_adam.cpp", "kernels", null],
    ["csrc/kernels/mps/op.metal", "kernels", "apple"],
    ["accelerator/cuda_accelerator.py", "code", "cuda-api"],
    ["accelerator/xpu_accelerator.py", "code", "intel-xpu"],
    ["tools/cuda_to_hip.py", "code", "amd"],
    ["pkg/engine.py", "code", null],
    ["pkg/cuda_xpu_bridge.py", "code", null],
  ])("%s: %s, %s", (path, layer, vendor) => {
    expect(layerOf(path)).toBe(layer);
    expect(vendorOfPath(path)?.vendor ?? null).toBe(vendor);
  });

  it("a top-level import of a vendor-only module dedicates a Python file", () => {
    const { scan } = scanFile("pkg/backend.py", "import torch_npu\n\nx = 1\n");
    expect([scan.dedicatedTo, scan.because, scan.lines]).toEqual(["huawei-ascend", "imports torch_npu", 2]);
  });
});

describe("test gating", () => {
  it("skip and xfail lines name the vendor they gate; a vendor's xfail list counts each entry", () => {
    const text = [
      "import pytest, torch",
      "@pytest.mark.skipif(not torch.cuda.is_available(), reason='needs a GPU')",
      "def test_a(): pass",
      "hpu_xfail_tests = {",
      '    "test_a": "fails on Gaudi",',
      '    "test_b": "fails on Gaudi",',
      "    # a comment line",
      '    "test_c": "fails on Gaudi",',
      "}",
      "def test_b(): pass",
    ].join("\n");
    const { scan } = scanFile("tests/test_ops.py", text);
    expect(scan.sites.map((s) => [s.line, s.signal, s.vendor, s.kind])).toEqual([
      [2, "py.torch-cuda", "cuda-api", "test"],
      [5, "test.vendor-list", "intel-gaudi", "test"],
      [6, "test.vendor-list", "intel-gaudi", "test"],
      [8, "test.vendor-list", "intel-gaudi", "test"],
    ]);
  });

  it("HabanaAI's shape: lists named by Gaudi generation, long keys with the reason on the next line, empty lists", () => {
    const text = [
      "hpu_lazy_xfail_tests = {}",
      "",
      "g1_lazy_xfail_tests = {",
      '    "unit/inference/test_inference.py::TestModelTask::test[bert-large-cased-fill-mask-fp32]":',
      '    "Xfail, due to SW-163097.",',
      '    "unit/runtime/test_ds_config_dict.py::test_batch_config": "Xfail, due to SW-1.",',
      "}",
      "gpu_xfail_tests = [",
      '    "unit/ops/test_adam.py::test_cpu_adam",',
      "]",
    ].join("\n");
    const { scan } = scanFile("tests/unit/xfail_marker.py", text);
    expect(scan.sites.map((s) => [s.line, s.vendor])).toEqual([
      [4, "intel-gaudi"],
      [6, "intel-gaudi"],
      [9, "cuda-api"],
    ]);
  });

  it("requires_grad_() is autograd, not a requires_* mark; a skip mark over several lines gates each of its lines", () => {
    const text = ['v = torch.randn(4, device="cuda").requires_grad_()', "@pytest.mark.skipif(", "    not torch.cuda.is_available(),", "    reason='GPU')", "def test_a(): pass", ""].join("\n");
    expect(scanFile("tests/test_attn.py", text).scan.sites.map((s) => [s.line, s.kind])).toEqual([
      [1, "devstr"],
      [3, "test"],
    ]);
  });

  it("a plain-text vendor xfail file is that vendor's test gating, one site per entry", () => {
    const { scan } = scanFile(".jenkins/xfail_gaudi.txt", "# known failures\ntests/a.py::test_1\n\ntests/b.py::test_2\n");
    expect([scan.layer, scan.dedicatedTo, scan.sites.map((s) => [s.line, s.vendor, s.kind])]).toEqual(["tests", "intel-gaudi", [[2, "intel-gaudi", "test"], [4, "intel-gaudi", "test"]]]);
  });
});

describe("CI files", () => {
  it("reads runner labels (also as a list under runs-on), counts soft-fail jobs, ignores other keys", () => {
    const yml = ["name: hpu-gaudi2", "jobs:", "  unit:", "    runs-on:", "      - self-hosted", "      - gaudi2", "    continue-on-error: true", "    steps:", "      - run: echo nvidia"].join("\n");
    const { scan } = scanFile(".github/workflows/tests.yml", yml);
    expect([scan.softFail, scan.sites.map((s) => [s.line, s.signal])]).toEqual([1, [[1, "ci.gaudi"], [6, "ci.gaudi"]]]);
  });

  it("a Jenkins-style test matrix: Gaudi flavours and PT_HPU_* variables in its commands are Gaudi's CI; other command lines are not read", () => {
    const yml = [
      "stages:",
      "  - name: test_gsm8k_small_models",
      "    steps:",
      "      - name: v0_gsm8k_small_g3_tp1",
      "        flavor: g3",
      "        command: >-",
      "          export PT_HPU_LAZY_MODE=1 &&",
      "          cd .jenkins/lm-eval-harness && bash run-tests.sh -c configs/models-small.txt -t 1",
      "      - name: v0_gsm8k_small_g2_tp2",
      "        flavor: g2.s",
      "        command: echo nvidia a100",
      "      - name: on_linux_g5",
      "        flavor: linux.g5",
    ].join("\n");
    const { scan } = scanFile(".jenkins/test_config.yaml", yml);
    expect([scan.layer, scan.dedicatedTo, scan.sites.map((s) => [s.line, s.signal, s.vendor])]).toEqual([
      "ci",
      null,
      [
        [5, "ci.gaudi-flavor", "intel-gaudi"],
        [7, "env.gaudi", "intel-gaudi"],
        [10, "ci.gaudi-flavor", "intel-gaudi"],
        // An AWS g5 runner is a GPU machine, not a Gaudi flavour.
        [13, "ci.gpu", "cuda-api"],
      ],
    ]);
  });

  it("a workflow named for skipping a vendor's tests counts its signals, not its every line", () => {
    const yml = ["name: Skip Gaudi Tests", "on:", "  issue_comment:", "jobs:", "  check:", "    runs-on: ubuntu-latest", "    if: contains(github.event.comment.body, '/skip-gaudi-tests')", "    steps:", "      - run: echo ok"].join("\n");
    const { scan } = scanFile(".github/workflows/skip_gaudi_tests.yml", yml);
    expect([scan.dedicatedTo, scan.sites.map((s) => [s.line, s.vendor])]).toEqual([null, [[1, "intel-gaudi"]]]);
    expect(scanFile(".github/workflows/hpu_gaudi_tests.yml", yml).scan.dedicatedTo).toBe("intel-gaudi");
  });

  it("a CI file that is not valid YAML is unreadable, not scanned", () => {
    const { scan } = scanFile(".github/workflows/bad.yml", "jobs:\n  a: [unclosed\n    runs-on: nvidia\n");
    expect(scan.unreadable).toMatch(/./);
    expect(scan.sites).toEqual([]);
  });
});

describe("the Python lexer", () => {
  it("keeps columns, handles prefixes, triple quotes, escapes and unterminated strings", () => {
    const lines = lexPython('a = rb"\\"x" + \'y\'  # c\ns = """one\ntwo"""\nz = "open\n');
    expect(lines.map((l) => [l.code, l.strings.map((s) => [s.value, s.whole]), l.comment])).toEqual([
      ['a = rb"   " + \' \'     ', [['\\"x', true], ["y", true]], " c"],
      ['s = """   ', [["one", false]], null],
      ['   """', [["two", false]], null],
      ['z = "    ', [["open", false]], null],
    ]);
  });
});

describe("kernels and build files by content and vendor suffix", () => {
  it.each([
    ["csrc/rocm/skinny_gemms.cu", "kernels", "amd"],
    ["csrc/quantization/fp8/amd/quant_utils.cuh", "kernels", "amd"],
    ["csrc/nvidia/gemm.cu", "kernels", "nvidia"],
    ["csrc/attention/attention.cu", "kernels", "cuda-api"],
    ["docker/Dockerfile.rocm", "build", "amd"],
    ["docker/Dockerfile.rocm_base", "build", "amd"],
    ["Dockerfile.hpu", "build", "intel-gaudi"],
    ["requirements-hpu.txt", "build", "intel-gaudi"],
    ["requirements/rocm-test.txt", "build", "amd"],
    ["docker/Dockerfile", "build", null],
    ["pkg/setup.cfg", "build", null],
  ])("%s: %s, %s", (path, layer, vendor) => {
    expect(layerOf(path)).toBe(layer);
    expect(vendorOfPath(path)?.vendor ?? null).toBe(vendor);
  });

  it("a .cu file that includes HIP headers outside any #if is AMD's; a dual file stays the family", () => {
    const hipOnly = ["#ifndef OPS_CUH", "#define OPS_CUH", "#include <hip/hip_runtime.h>", "#include <hip/hip_bf16.h>", "__global__ void k() {}", "#endif"].join("\n");
    const dual = ["#pragma once", "#ifndef USE_ROCM", "  #include <cuda_bf16.h>", "#else", "  #include <hip/hip_bf16.h>", "#endif"].join("\n");
    expect([scanFile("csrc/ops.cuh", hipOnly).scan.dedicatedTo, scanFile("csrc/ops.cuh", hipOnly).scan.because]).toEqual(["amd", ".cuh file, including HIP headers outside any #if"]);
    expect(scanFile("csrc/dual.cuh", dual).scan.dedicatedTo).toBe("cuda-api");
  });
});
