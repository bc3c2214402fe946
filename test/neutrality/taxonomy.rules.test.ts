import { describe, expect, it } from "vitest";
import { scanFile } from "../../src/analyzers/neutrality/file-scan.js";
import { vendorOfPath } from "../../src/analyzers/neutrality/paths.js";
import { ATTRIBUTIONS, attributionLabel, SIGNALS } from "../../src/analyzers/neutrality/taxonomy.js";

/**
 * Rules of the vendor taxonomy (src/analyzers/neutrality/taxonomy.ts), one per signal: the signal is
 * recognised for its vendor or family on the lines that really name it, and its near look-alikes
 * (a longer word, a prefix glued on, another case, a neighbouring name) are no site at all. Every
 * line is scanned alone, as the only line of a file at `path`, so nothing else in the file resolves
 * a family: a family stays the family. The same rules on a built repository, through the analyzer:
 * taxonomy.repo.rules.test.ts (apart, so that a mutation run over these imports the scan alone).
 */
type Site = [signal: string, vendor: string];
const sitesOn = (path: string, line: string): Site[] => scanFile(path, line + "\n").scan.sites.map((s) => [s.signal, s.vendor]);

interface SignalRule {
  id: string;
  vendor: string;
  path: string;
  /** Lines that are exactly one site of this signal. */
  hits: string[];
  /** Lines that are no site at all, or (with the sites expected) another signal's. */
  lookalikes: (string | [line: string, sites: Site[]])[];
}

const PY = "pkg/mod.py";
const TEST = "tests/test_ops.py";
const SH = "scripts/run.sh";
const CPP = "lib/ops.cpp";
const CMAKE = "CMakeLists.txt";
const DOCKER = "docker/Dockerfile";
const REQ = "requirements.txt";
const SETUP = "setup.py";
const CI = ".github/workflows/ci.yml";
const DOCS = "docs/install.md";
const runsOn = (label: string) => `    runs-on: [self-hosted, ${label}]`;
const req = (name: string) => `install_requires = ["${name}"]`;

const RULES: SignalRule[] = [
  // --- Python API and imports (code with strings and comments blanked; case-sensitive) ---------------
  { id: "py.torch-cuda", vendor: "cuda-api", path: PY, hits: ["torch.cuda.synchronize()", "import torch.cuda", "s = torch.cuda"], lookalikes: ["n = torch.cudagraph_trees", "n = pytorch.cuda_ext", "n = Torch.Cuda.device_count()", "# torch.cuda.synchronize()"] },
  { id: "py.cuda-method", vendor: "cuda-api", path: PY, hits: ["model = model.cuda()", "t = t.cuda(0)"], lookalikes: ["g = model.cuda_graph()", "x = cuda(t)", "t = t.CUDA()"] },
  { id: "py.is-cuda", vendor: "cuda-api", path: PY, hits: ["ok = t.is_cuda", "if x.is_cuda and y: pass"], lookalikes: ["ok = t.is_cuda_alike", "ok = t.IS_CUDA", ["ok = t.is_cuda()", [["py.platform-is-cuda", "nvidia"]]]] },
  { id: "py.platform-is-cuda", vendor: "nvidia", path: PY, hits: ["ok = current_platform.is_cuda()", "ok = is_cuda( )"], lookalikes: ["ok = current_platform.is_cuda_alike()", "ok = this_is_cuda()", "ok = is_cuda(t)"] },
  { id: "py.torch-backends-cuda", vendor: "cuda-api", path: PY, hits: ["torch.backends.cudnn.benchmark = True", "torch.backends.cuda.matmul.allow_tf32 = True"], lookalikes: ["ok = torch.backends.cudagraphs", "c = torch.backends.cpu.get_cpu_capability()", "ok = torch.backends.openmp.is_available()"] },
  { id: "py.torch-version-cuda", vendor: "nvidia", path: PY, hits: ["v = torch.version.cuda"], lookalikes: ["v = torch.version.cudart", "v = torch.version.git_version"] },
  { id: "py.nvidia-libs", vendor: "nvidia", path: PY, hits: ["import pynvml", "import pycuda.driver as drv", "import tensorrt as trt", "from cuda.bindings import runtime", "import nvidia.dali", "from cutlass import Gemm", "import deep_gemm"], lookalikes: ["import pynvml_utils", "import nvidia", "from cuda import cudart", "important = pynvml", "import cutlassx"] },
  { id: "py.cuda-family-libs", vendor: "cuda-api", path: PY, hits: ["import cupy as cp", "from apex import amp", "from flash_attn import flash_attn_func", "import xformers.ops"], lookalikes: ["import cupyx", "from apex_utils import amp", "import flash_attention", "x = xformers.ops"] },
  { id: "py.torch-version-hip", vendor: "amd", path: PY, hits: ["v = torch.version.hip"], lookalikes: ["v = torch.version.hipify", "v = torch.version.HIP"] },
  { id: "py.is-rocm", vendor: "amd", path: PY, hits: ["x = is_rocm()", "x = current_platform.is_hip()", "x = IS_ROCM", "x = TEST_WITH_ROCM"], lookalikes: ["x = this_hip()", "x = this_is_rocm", "x = is_rocm_aiter_enabled()", "x = Is_Rocm", "x = IS_HIP", ["x = PYTORCH_TEST_WITH_ROCM", [["env.amd", "amd"]]]] },
  { id: "py.amd-libs", vendor: "amd", path: PY, hits: ["import amdsmi", "from pyrsmi import rocml", "import aiter as ops"], lookalikes: ["import aiterx", "from amdsmi_wrapper import x", "x = amdsmi.amdsmi_init()"] },
  { id: "py.torch-xpu", vendor: "intel-xpu", path: PY, hits: ["n = torch.xpu.device_count()", "t = t.xpu()"], lookalikes: ["t = t.xpu_tensor()", "n = torch.xpus", "t = t.XPU()"] },
  { id: "py.intel-xpu-libs", vendor: "intel-xpu", path: PY, hits: ["import intel_extension_for_pytorch as ipex", "import oneccl_bindings_for_pytorch", "import dpctl", "model = ipex.optimize(model)"], lookalikes: ["model = myipex.optimize(model)", "ipex = None", "import dpctl_ext", "from intel_extension import x"] },
  { id: "py.habana", vendor: "intel-gaudi", path: PY, hits: ["import habana_frameworks.torch.core as htcore", "from optimum.habana import GaudiConfig", "import vllm_gaudi"], lookalikes: ["import habana_frameworks_stub", "from optimum.intel import x", "import vllm_gaudi_ext"] },
  { id: "py.torch-hpu", vendor: "intel-gaudi", path: PY, hits: ["torch.hpu.synchronize()", "t = t.hpu()"], lookalikes: ["g = t.hpu_graph()", "n = torch.hpus", "t = t.HPU()"] },
  { id: "py.torch-npu", vendor: "huawei-ascend", path: PY, hits: ["x = torch_npu.npu_format_cast(t, 29)", "torch.npu.synchronize()", "t = t.npu()", "from vllm_ascend import x"], lookalikes: ["import torch_npu_ext", "t = t.npu_format_cast(x)", "import vllm_ascendx", "t = t.NPU()"] },
  { id: "py.torch-mps", vendor: "apple", path: PY, hits: ["torch.mps.synchronize()", "ok = torch.backends.mps.is_available()", "import mlx.core as mx", "import coremltools as ct", "from vllm_metal import x"], lookalikes: ["import mlxtend", "n = torch.mpsx", "import coremltools_ext", "x = torch.backends.MPS"] },
  { id: "py.torch-xla", vendor: "xla-api", path: PY, hits: ["import torch_xla", "d = xm.xla_device()"], lookalikes: ["d = xm.xla_device_hw(x)", "import torch_xla_utils", "d = xm.XLA_DEVICE()"] },
  { id: "py.tpu-libs", vendor: "google-tpu", path: PY, hits: ["import libtpu", "from tpu_inference import x"], lookalikes: ["import libtpu_utils", "from tpu_inference_ext import x", "x = libtpu"] },
  { id: "py.neuron-libs", vendor: "aws-neuron", path: PY, hits: ["import torch_neuronx", "import torch_neuron", "from neuronx_distributed import parallel_layers", "import neuronx_distributed_inference", "from transformers_neuronx import x", "import libneuronxla", "m = torch_neuronx.trace(m)"], lookalikes: ["import torch_neuronx_utils", "import neuronx_distributed_extra", "x = Torch_Neuronx"] },
  { id: "py.torch-mlu", vendor: "cambricon", path: PY, hits: ["torch.mlu.synchronize()", "t = t.mlu()", "x = torch_mlu.x"], lookalikes: ["t = t.mlu_x()", "import torch_mlu_ops", "t = t.MLU()"] },
  { id: "py.mkldnn", vendor: "cpu", path: PY, hits: ["ok = torch.backends.mkldnn.is_available()"], lookalikes: ["ok = torch._C._has_mkldnn", "ok = torch.backends.mkldnnx"] },
  // --- Device strings and distributed backends: the whole string literal, case as PyTorch spells it ----
  { id: "str.cuda", vendor: "cuda-api", path: PY, hits: ['d = "cuda"', "d = 'cuda:1'", 'd = "cuda:12"'], lookalikes: ['d = "cudax"', 'd = "cuda:x"', 'd = "cuda:"', 'd = "CUDA"', 'd = "my cuda"', "# 'cuda'"] },
  { id: "str.xpu", vendor: "intel-xpu", path: PY, hits: ["d = 'xpu'", 'd = "xpu:0"'], lookalikes: ['d = "xpus"', 'd = "XPU"', 'd = "xpu:"'] },
  { id: "str.hpu", vendor: "intel-gaudi", path: PY, hits: ['d = "hpu"', 'd = "hpu:1"'], lookalikes: ['d = "hpux"', 'd = "HPU"', 'd = "hpu:a"'] },
  { id: "str.npu", vendor: "huawei-ascend", path: PY, hits: ['d = "npu"', 'd = "npu:0"'], lookalikes: ['d = "snpu"', 'd = "NPU"', 'd = "npu0"'] },
  { id: "str.mps", vendor: "apple", path: PY, hits: ['d = "mps"', 'd = "mps:0"'], lookalikes: ['d = "mpsx"', 'd = "MPS"', 'd = "mps 0"'] },
  { id: "str.xla", vendor: "xla-api", path: PY, hits: ['d = "xla"', 'd = "xla:1"'], lookalikes: ['d = "xla_gpu"', 'd = "XLA"', 'd = "pjrt xla"'] },
  { id: "str.mlu", vendor: "cambricon", path: PY, hits: ['d = "mlu"', 'd = "mlu:3"'], lookalikes: ['d = "mlus"', 'd = "MLU"', 'd = "emlu"'] },
  { id: "dist.nccl", vendor: "cuda-api", path: PY, hits: ['dist.init_process_group(backend="nccl")'], lookalikes: ['b = "nccl2"', 'b = "NCCL"', 'b = "pynccl"'] },
  { id: "dist.rccl", vendor: "amd", path: PY, hits: ['b = "rccl"'], lookalikes: ['b = "rccl_x"', 'b = "RCCL"'] },
  { id: "dist.ccl", vendor: "intel-xpu", path: PY, hits: ['b = "xccl"', 'b = "ccl"', 'b = "oneccl"'], lookalikes: ['b = "torch_ccl"', 'b = "CCL"', ['b = "hccl"', [["dist.hccl", "hccl-api"]]], ['b = "cncl"', [["dist.cncl", "cambricon"]]]] },
  { id: "dist.hccl", vendor: "hccl-api", path: PY, hits: ['b = "hccl"'], lookalikes: ['b = "hccl_comm"', 'b = "HCCL"'] },
  { id: "dist.cncl", vendor: "cambricon", path: PY, hits: ['b = "cncl"'], lookalikes: ['b = "cnclx"', 'b = "CNCL"'] },
  // --- Environment variables: the whole name, upper case ------------------------------------------------
  { id: "env.cuda", vendor: "cuda-api", path: SH, hits: ["export CUDA_VISIBLE_DEVICES=0,1", "export CUDA_HOME=/usr/local/cuda", "CUDA_LAUNCH_BLOCKING=1 python x.py", "export NCCL_DEBUG=INFO", "export TORCH_CUDA_ARCH_LIST=8.0", "export PYTORCH_CUDA_ALLOC_CONF=expandable_segments:True"], lookalikes: ["export MY_CUDA_HOME=1", "export CUDA_VISIBLE_DEVICES_LIST=1", "export cuda_visible_devices=0", "export NCCL=1"] },
  { id: "env.nvidia", vendor: "nvidia", path: SH, hits: ["export NVIDIA_VISIBLE_DEVICES=all"], lookalikes: ["export NVIDIA_DRIVER_CAPABILITIES=all", "export NVIDIA_VISIBLE_DEVICES_X=1", "export nvidia_visible_devices=all"] },
  { id: "env.amd", vendor: "amd", path: SH, hits: ["export HIP_VISIBLE_DEVICES=0", "export ROCR_VISIBLE_DEVICES=0", "export ROCM_PATH=/opt/rocm", "export ROCM_HOME=/opt/rocm", "export PYTORCH_ROCM_ARCH=gfx942", "export MIOPEN_FIND_MODE=FAST", "export HSA_OVERRIDE_GFX_VERSION=11.0.0", "export PYTORCH_TEST_WITH_ROCM=1"], lookalikes: ["export HSA=1", "export ROCM_PATHS=1", "export MIOPEN=1", "export CHIP_VISIBLE_DEVICES=0", "export rocm_path=/opt/rocm"] },
  { id: "env.intel-xpu", vendor: "intel-xpu", path: SH, hits: ["export ONEAPI_DEVICE_SELECTOR=level_zero:0", "export ZE_AFFINITY_MASK=0", "export XPU_CCL_BACKEND=xccl"], lookalikes: ["export ZE_AFFINITY=1", "export MY_ONEAPI_DEVICE_SELECTOR=1", "export ze_affinity_mask=0"] },
  { id: "env.gaudi", vendor: "intel-gaudi", path: SH, hits: ["export HABANA_VISIBLE_MODULES=0,1", "export HABANA_VISIBLE_DEVICES=all", "export PT_HPU_LAZY_MODE=1"], lookalikes: ["export PT_HPU=1", "export HABANA_VISIBLE=1", "export pt_hpu_lazy_mode=1"] },
  { id: "env.ascend", vendor: "huawei-ascend", path: SH, hits: ["export ASCEND_RT_VISIBLE_DEVICES=0", "export ASCEND_VISIBLE_DEVICES=0", "export ASCEND_HOME_PATH=/usr/local/Ascend"], lookalikes: ["export MY_ASCEND_RT_VISIBLE_DEVICES=0", "export ASCEND_HOME=1", "export ascend_rt_visible_devices=0"] },
  { id: "env.tpu", vendor: "google-tpu", path: SH, hits: ["export TPU_VISIBLE_CHIPS=0", "export PJRT_DEVICE=TPU", "export VLLM_TPU_USING_PATHWAYS=1"], lookalikes: ["export PJRT_DEVICE=CPU", "export TPU_VISIBLE=0", "export MY_TPU_VISIBLE_CHIPS=0"] },
  { id: "env.neuron", vendor: "aws-neuron", path: SH, hits: ["export NEURON_RT_VISIBLE_CORES=0-1", "export NEURON_CC_FLAGS=--model-type=transformer"], lookalikes: ["export MY_NEURON_CC_FLAGS=1", "export NEURON_CC=1", "export neuron_rt_visible_cores=0"] },
  { id: "env.mlu", vendor: "cambricon", path: SH, hits: ["export MLU_VISIBLE_DEVICES=0"], lookalikes: ["export MY_MLU_VISIBLE_DEVICES=0", "export MLU_VISIBLE=0"] },
  { id: "env.mps", vendor: "apple", path: SH, hits: ["export PYTORCH_ENABLE_MPS_FALLBACK=1"], lookalikes: ["export PYTORCH_ENABLE_MPS=1", "export pytorch_enable_mps_fallback=1"] },
  // --- C/C++/CUDA/HIP source (comments blanked) -----------------------------------------------------------
  { id: "c.cuda", vendor: "cuda-api", path: CPP, hits: ["cudaMalloc(&p, n);", "auto s = at::cuda::getCurrentCUDAStream();", "#include <cuda_runtime.h>", '#include "cublas_v2.h"', "#include <cudnn.h>", "#include <nccl.h>", "#include <cub/cub.cuh>", "#include <thrust/sort.h>", "c10::cuda::CUDAGuard g(d);"], lookalikes: ["mycudaMalloc(&p, n);", "cudamalloc(&p, n);", "auto f = cudaMalloc;", "// cudaMalloc(&p, n);", "#include <mycuda.h>", "#include <cubic.h>"] },
  { id: "c.hip", vendor: "amd", path: CPP, hits: ["hipMalloc(&p, n);", "#include <hip/hip_runtime.h>", "#include <rocblas/rocblas.h>", "#include <miopen/miopen.h>", '#include "rccl/rccl.h"', "#ifdef USE_ROCM", "#if defined(__HIP_PLATFORM_AMD__)"], lookalikes: ["chipMalloc(&p, n);", "hipify(x);", "#ifdef USE_ROCM_SMI", "#include <hipster.h>", "// hipMalloc(&p, n);"] },
  { id: "c.sycl", vendor: "intel-xpu", path: CPP, hits: ["sycl::queue q;", "#include <sycl/sycl.hpp>"], lookalikes: ["mysycl::queue q;", "sycl_queue q;", "SYCL::queue q;"] },
  { id: "c.ascend", vendor: "huawei-ascend", path: CPP, hits: ['#include "acl/acl.h"', "#include <torch_npu/csrc/core/npu/NPUStream.h>", '#include "kernel_operator.h"', "AscendC::LocalTensor<half> t;"], lookalikes: ['#include "aclx.h"', '#include "kernel_operator_x.h"', "MyAscendC::LocalTensor<half> t;", "// AscendC::LocalTensor<half> t;"] },
  // --- Build files (text) ------------------------------------------------------------------------------------
  { id: "build.cuda", vendor: "cuda-api", path: CMAKE, hits: ["enable_language(CUDA)", "enable_language( CUDA)", "set(CMAKE_CUDA_STANDARD 17)", "option(USE_CUDA ON)", "option(USE_CUDNN ON)", "find_program(NVCC nvcc)"], lookalikes: ["enable_language(CXX)", "set(CMAKE_CUDA ON)", "option(USE_CUDAX ON)", "find_program(NVCC nvccx)", "option(use_cuda ON)"] },
  { id: "build.nvidia-image", vendor: "nvidia", path: DOCKER, hits: ["FROM nvcr.io/nvidia/pytorch:24.05-py3", "FROM nvidia/cuda:12.4.1-devel-ubuntu22.04", "RUN pip install torch --index-url https://download.pytorch.org/whl/cu121", "ARG TAG=cu118"], lookalikes: ["RUN pip install torch --index-url https://download.pytorch.org/whl/cpu", "ARG TAG=cu1210", "ARG TAG=acu121", "FROM nvidia/cudagl", ["FROM rocm/pytorch:latest", [["build.rocm", "amd"]]]] },
  { id: "build.rocm", vendor: "amd", path: CMAKE, hits: ["enable_language(HIP)", "set(CMAKE_CXX_COMPILER hipcc)", "option(USE_ROCM ON)", "option(USE_MIOPEN ON)", "# rocm/pytorch:latest", "# rocm/dev-ubuntu-22.04:6.2", "set(WHEEL rocm6.2)", "set(WHEEL rocm6)"], lookalikes: ["set(CMAKE_CXX_COMPILER hipccx)", "option(USE_ROCM_SMI ON)", "set(FLAVOR rocm)", "set(WHEEL rocm6x)", "option(USE_MIOPENX ON)"] },
  { id: "build.sycl", vendor: "intel-xpu", path: CMAKE, hits: ["option(USE_XPU ON)", "set(TORCH_XPU_ARCH_LIST pvc)", "# intel/oneapi-basekit:2024.2", "add(SyclExtension)"], lookalikes: ["option(USE_XPUS ON)", "# intel/openvino", "add(SyclExtensions)"] },
  { id: "build.gaudi", vendor: "intel-gaudi", path: DOCKER, hits: ["FROM vault.habana.ai/gaudi-docker/1.18.0/ubuntu22.04/habanalabs/pytorch-installer-2.4.0"], lookalikes: ["FROM vault-habana-ai/gaudi", "FROM vaultxhabana.ai/x"] },
  // --- Vendor packages: a requirement line that starts with the name (then a specifier, a marker or nothing) --
  { id: "pkg.nvidia", vendor: "nvidia", path: REQ, hits: ["nvidia-cublas-cu12==12.4", "nvidia_cudnn_cu11", "pynvml>=11", "nvidia-ml-py", "tensorrt-llm==0.12", "pycuda", "cupy-cuda12x"], lookalikes: ["cupy>=13", "nvidia-cublas", "numpy>=1.26", "# pynvml", "mypynvml"] },
  { id: "pkg.amd", vendor: "amd", path: REQ, hits: ["amdsmi", "pyrsmi==1.0", "pytorch-triton-rocm==3.1"], lookalikes: ["pytorch-triton==3.1", "amdsmi2", "# amdsmi"] },
  { id: "pkg.intel-xpu", vendor: "intel-xpu", path: REQ, hits: ["intel-extension-for-pytorch==2.3.110", "intel_extension_for_pytorch", "oneccl_bind_pt==2.3", "dpctl"], lookalikes: ["intel-openmp", "intel-extension-for-transformers", "dpctlx"] },
  { id: "pkg.intel-gaudi", vendor: "intel-gaudi", path: REQ, hits: ["habana-torch-plugin>=1.16", "optimum-habana", "vllm-gaudi"], lookalikes: ["optimum", "habana", "vllm"] },
  { id: "pkg.huawei-ascend", vendor: "huawei-ascend", path: REQ, hits: ["torch-npu==2.1.0", "torch_npu", "vllm-ascend"], lookalikes: ["torch==2.1.0", "torch-npux", "vllm"] },
  { id: "pkg.aws-neuron", vendor: "aws-neuron", path: REQ, hits: ["torch-neuronx", "neuronx-cc==2.15", "transformers-neuronx"], lookalikes: ["neuronx", "torch-neuron", "transformers"] },
  { id: "pkg.google-tpu", vendor: "google-tpu", path: REQ, hits: ["libtpu-nightly", "libtpu==0.0.2"], lookalikes: ["mylibtpu", "libtorch"] },
  { id: "pkg.cambricon", vendor: "cambricon", path: REQ, hits: ["torch_mlu", "torch-mlu>=1.0"], lookalikes: ["torch-mluops", "torch"] },
  { id: "pkg.apple", vendor: "apple", path: REQ, hits: ["mlx>=0.20", "coremltools"], lookalikes: ["mlxtend", "coremltoolsx"] },
  { id: "pkg-str.nvidia", vendor: "nvidia", path: SETUP, hits: [req("pynvml>=11"), req("nvidia-nccl-cu12")], lookalikes: [req("cupy"), req("see pynvml docs"), req("numpy")] },
  { id: "pkg-str.amd", vendor: "amd", path: SETUP, hits: [req("pytorch-triton-rocm"), req("amdsmi")], lookalikes: [req("pytorch-triton"), req("my-amdsmi")] },
  { id: "pkg-str.intel-xpu", vendor: "intel-xpu", path: SETUP, hits: [req("oneccl_bind_pt"), req("intel-extension-for-pytorch")], lookalikes: [req("intel-openmp"), req("oneccl_devel")] },
  { id: "pkg-str.intel-gaudi", vendor: "intel-gaudi", path: SETUP, hits: [req("optimum-habana"), req("habana_quantization_toolkit")], lookalikes: [req("optimum"), req("habana")] },
  { id: "pkg-str.huawei-ascend", vendor: "huawei-ascend", path: SETUP, hits: [req("torch_npu>=2.1"), req("vllm-ascend")], lookalikes: [req("torch>=2.1"), req("vllm")] },
  { id: "pkg-str.aws-neuron", vendor: "aws-neuron", path: SETUP, hits: [req("neuronx-cc"), req("torch-neuronx")], lookalikes: [req("neuronx"), req("neuron")] },
  { id: "pkg-str.google-tpu", vendor: "google-tpu", path: SETUP, hits: [req("libtpu"), req("libtpu-nightly")], lookalikes: [req("libtp"), req("jaxlib")] },
  { id: "pkg-str.cambricon", vendor: "cambricon", path: SETUP, hits: [req("torch-mlu"), req("torch_mlu")], lookalikes: [req("torch-mluops"), req("mlu-ops")] },
  { id: "pkg-str.apple", vendor: "apple", path: SETUP, hits: [req("coremltools"), req("mlx")], lookalikes: [req("mlxtend"), req("coreml")] },
  // --- Test gating (decorators and flags in tests; case-sensitive) -------------------------------------------
  { id: "test.cuda", vendor: "cuda-api", path: TEST, hits: ["@onlyCUDA", "@skipCUDAIfNoCudnn", "@dtypesIfCUDA(torch.half)", "@expectedFailureCUDA", "x = TEST_CUDA", "@requires_cuda", "@require_torch_gpu", "@requires_gpu"], lookalikes: ["@onlycuda", "x = NOT_TEST_CUDA", "@my_requires_cuda", "@requires_gpus", "@dtypesIfCUDAX"] },
  { id: "test.rocm", vendor: "amd", path: TEST, hits: ["@skipIfRocm", "@runOnRocm(MI300_ARCH)", "@skipIfRocmArch(MI300_ARCH)"], lookalikes: ["@skipIfRocmX", "@skipifrocm", "@runOnRocmArch"] },
  { id: "test.xpu", vendor: "intel-xpu", path: TEST, hits: ["@onlyXPU", "@skipIfXpu", "@skipXPUIf(True, 'x')", "x = TEST_XPU"], lookalikes: ["@onlyxpu", "@skipIfXpus", "x = TEST_XPUS"] },
  { id: "test.hpu", vendor: "intel-gaudi", path: TEST, hits: ["@onlyHPU", "@dtypesIfHPU(torch.bfloat16)", "@skipIfHpu", "@skipHPUIf(True, 'x')"], lookalikes: ["@onlyhpu", "@skipIfHpux", "@onlyHPUs"] },
  { id: "test.mps", vendor: "apple", path: TEST, hits: ["@onlyMPS", "@skipMPS", "@skipMPSVersionIfLessThan(14, 0)", "x = TEST_MPS", "@expectedFailureMPS"], lookalikes: ["@onlymps", "x = TEST_MPSX", "@expectedFailureMPSX"] },
  { id: "test.cpu", vendor: "cpu", path: TEST, hits: ["@onlyCPU", "@skipCPUIfNoLapack"], lookalikes: ["@onlycpu", "@skipCPU", "@onlyCPUs"] },
  // --- CI runner labels and queues (CI YAML only; any case) ----------------------------------------------------
  { id: "ci.nvidia", vendor: "nvidia", path: CI, hits: ["nvidia", "NVIDIA", "v100", "A100", "a10g", "a6000", "H100", "h200", "b200", "L4", "t4", "dgx"].map(runsOn), lookalikes: [...["t4g", "a1000", "h1000", "ubuntu-latest", "nvidiax", "cu131"].map(runsOn), [runsOn("cu121"), [["build.nvidia-image", "nvidia"], ["ci.nvidia", "nvidia"]]]] },
  { id: "ci.gpu", vendor: "cuda-api", path: CI, hits: ["gpu", "GPU", "gpu_queue", "gpu_1_queue", "linux.g5.4xlarge"].map(runsOn), lookalikes: ["vgpu", "multigpu", "cpu", "linux.g55", "gpu_queues"].map(runsOn) },
  { id: "ci.amd", vendor: "amd", path: CI, hits: ["amd", "AMD", "rocm", "mi250", "MI300", "gfx942", "gfx90a"].map(runsOn), lookalikes: ["linux-amd64", "arm64", "rocmx", "mi2500", "gfx"].map(runsOn) },
  { id: "ci.intel-xpu", vendor: "intel-xpu", path: CI, hits: ["xpu", "XPU", "max1100", "max1550", "arc", "arc770"].map(runsOn), lookalikes: ["archlinux", "search", "max1500", "xpus"].map(runsOn) },
  { id: "ci.gaudi", vendor: "intel-gaudi", path: CI, hits: ["gaudi", "Gaudi2", "gaudi3", "HPU"].map(runsOn), lookalikes: ["hpux", "gaudi10", "gaudiX"].map(runsOn) },
  { id: "ci.gaudi-flavor", vendor: "intel-gaudi", path: ".jenkins/test_config.yaml", hits: ["        flavor: g3.s", "  - flavour: 'g2'", '        flavor: "g1"', "flavor: g2"], lookalikes: ["        flavor: g5", "        flavor: g3 and more", "        FLAVOR: G2", "        notflavor: g2"] },
  { id: "ci.ascend", vendor: "huawei-ascend", path: CI, hits: ["ascend", "Ascend910", "NPU", "910b", "linux-arm64-npu-2"].map(runsOn), lookalikes: ["${{ inputs.runner }}", "snpu", "910", "910bx"].map(runsOn) },
  { id: "ci.tpu", vendor: "google-tpu", path: CI, hits: ["tpu", "TPU", "tpuv5e", "linux.google.tpuv7x.1", "tpu-v4"].map(runsOn), lookalikes: ["${{ needs.setup.outputs.runner }}", "gtpu", "tpuv"].map(runsOn) },
  { id: "ci.neuron", vendor: "aws-neuron", path: CI, hits: ["neuron", "Neuron", "inf2", "trn1", "TRN2"].map(runsOn), lookalikes: ["neurons", "trn10", "inf20"].map(runsOn) },
  { id: "ci.apple", vendor: "apple", path: CI, hits: ["macos-14", "macOS-14-xlarge", "macos-m1-stable", "mps", "MPS"].map(runsOn), lookalikes: ["macos", "macos14", "mpsx", "macos-mx"].map(runsOn) },
  // --- Docs (prose): the product names as written, not the English words they resemble ----------------------
  { id: "docs.nvidia", vendor: "nvidia", path: DOCS, hits: ["Install the NVIDIA driver first.", "NVIDIA's GPUs."], lookalikes: ["Run nvidia-smi.", "See NVIDIAs.", "The Nvidia way."] },
  { id: "docs.cuda", vendor: "cuda-api", path: DOCS, hits: ["You need CUDA 12.", "(CUDA)"], lookalikes: ["Call `torch.cuda.synchronize()`.", "The cudaMalloc call.", ["Set CUDA_HOME first.", [["env.cuda", "cuda-api"]]]] },
  { id: "docs.amd", vendor: "amd", path: DOCS, hits: ["ROCm 6.1 is supported.", "AMD GPUs.", "Instinct accelerators."], lookalikes: ["Trust your instinct.", "The ROCM stack.", "AMDs", "Instincts"] },
  { id: "docs.intel-xpu", vendor: "intel-xpu", path: DOCS, hits: ["Install oneAPI.", "On XPU.", "With IPEX."], lookalikes: ["The xpu device.", "OneAPI", "IPEXs"] },
  { id: "docs.gaudi", vendor: "intel-gaudi", path: DOCS, hits: ["On Gaudi.", "On Gaudi2 and Gaudi3.", "The Habana image.", "On HPU."], lookalikes: ["The HPUX port.", "Gaudi10", "A habana."] },
  { id: "docs.ascend", vendor: "huawei-ascend", path: DOCS, hits: ["Ascend is supported.", "On NPU.", "Install CANN."], lookalikes: ["Sorted in ascending order.", "We CANNOT do that.", "Prices ascend.", "The npu device."] },
  { id: "docs.apple", vendor: "apple", path: DOCS, hits: ["Through MPS.", "On Apple silicon.", "Metal kernels."], lookalikes: ["On bare metal.", "An apple a day.", "MPSX"] },
  { id: "docs.tpu", vendor: "google-tpu", path: DOCS, hits: ["On TPU.", "TPUs need libtpu."], lookalikes: ["Check the OUTPUT.", "The tpu device.", "TPUX"] },
  { id: "docs.neuron", vendor: "aws-neuron", path: DOCS, hits: ["With Neuron.", "Trainium runs it.", "Inferentia too."], lookalikes: ["Each neuron fires.", "Neurons in a layer.", "Trainiums"] },
  { id: "docs.mlu", vendor: "cambricon", path: DOCS, hits: ["Cambricon cards.", "MLU cards."], lookalikes: ["The MMLU benchmark.", "The mlu device.", "MLUs"] },
];

describe("taxonomy: every signal names its vendor on its own lines, and not on look-alikes", () => {
  it("the rules below cover every signal of the taxonomy once", () => {
    expect(RULES.map((r) => r.id).sort()).toEqual(SIGNALS.map((s) => s.id).sort());
  });

  it.each(RULES)("$id is $vendor's on the lines that name it; its look-alikes are not", ({ id, vendor, path, hits, lookalikes }) => {
    for (const line of hits) expect(sitesOn(path, line), line).toEqual([[id, vendor]]);
    for (const l of lookalikes) {
      const [line, sites] = typeof l === "string" ? [l, []] : l;
      expect(sitesOn(path, line), line).toEqual(sites);
    }
  });
});

describe("taxonomy: a signal is read only in the file kinds it applies to", () => {
  it.each([
    ["Python API in a shell script", SH, 'python -c "import torch; torch.cuda.synchronize(); import pynvml"'],
    ["C API in Python", PY, "cudaMalloc(p)"],
    ["Python API in C", CPP, "auto n = torch.cuda.device_count();"],
    ["build flags in the docs", DOCS, "Set USE_XPU, USE_CUDA or USE_ROCM, then run nvcc or hipcc."],
    ["build flags in a C source's comment-free text", CPP, 'const char* cc = "nvcc";'],
    ["CUDA's build flags in a YAML file", "configs/build.yaml", "USE_CUDA: 1"],
    ["Intel's build flags in a YAML file", "configs/build.yaml", "USE_XPU: 1"],
    ["a package name in Python code", PY, "pynvml.nvmlInit()"],
    ["package names in the docs", DOCS, "pip install mlx torch-npu pynvml"],
    ["package names in a shell script", SH, "pip install torch-npu pynvml"],
    ["runner labels in a CI shell script", ".buildkite/run.sh", "echo a100 nvidia gaudi2 mi300 tpu"],
    ["runner labels in a YAML file outside CI", "configs/hw.yaml", "device: [a100, mi300, gaudi2, tpu, trn1, xpu]"],
    ["vendor names in a shell script", SH, 'echo "NVIDIA or AMD ROCm, Gaudi, Ascend, TPU"'],
    ["vendor names in a Python comment", PY, "# NVIDIA, ROCm, Gaudi, Ascend, TPU, Neuron, Cambricon"],
    ["test decorators outside Python", SH, "echo @onlyCUDA @skipIfRocm"],
  ])("%s are no site", (_what, path, line) => {
    expect(sitesOn(path, line)).toEqual([]);
  });

  it.each([
    ["ROCm's build flags in a YAML file", "configs/build.yaml", "USE_ROCM: 1", [["build.rocm", "amd"]]],
    ["USE_ROCM in C: the HIP signal alone, not the build one", CPP, "#ifdef USE_ROCM", [["c.hip", "amd"]]],
    ["an environment variable in the docs", DOCS, "Set HIP_VISIBLE_DEVICES.", [["env.amd", "amd"]]],
    ["an environment variable in a Python string", PY, 'os.environ["ASCEND_RT_VISIBLE_DEVICES"] = "0"', [["env.ascend", "huawei-ascend"]]],
    ["an environment variable in a YAML file", "configs/env.yaml", "NEURON_RT_VISIBLE_CORES: 0-1", [["env.neuron", "aws-neuron"]]],
    ["an image in a YAML file", "configs/env.yaml", "image: vault.habana.ai/gaudi-docker/1.18.0", [["build.gaudi", "intel-gaudi"]]],
    ["CUDA's build flags in Python (setup.py)", SETUP, "ext_modules = [CUDAExtension('ops', ['ops.cu'])]", [["build.cuda", "cuda-api"]]],
    ["CUDA's build flags in a shell script", SH, "nvcc -O3 -o k k.cu", [["build.cuda", "cuda-api"]]],
    ["a BuildExtension line that names cuda", SETUP, "cmdclass = {'build_ext': BuildExtension} if use_cuda else {}", [["build.cuda", "cuda-api"]]],
    ["Intel's build flags in a Dockerfile", DOCKER, "FROM intel/oneapi-basekit:2024.2", [["build.sycl", "intel-xpu"]]],
    ["ROCm's wheel tag in a Dockerfile", DOCKER, "RUN pip install torch --index-url https://download.pytorch.org/whl/rocm6.2", [["build.rocm", "amd"]]],
    ["ROCm's image in a shell script", SH, "docker run rocm/pytorch:latest", [["build.rocm", "amd"]]],
  ])("%s is a site", (_what, path, line, sites) => {
    expect(sitesOn(path, line)).toEqual(sites);
  });

  it("C++ APIs (SYCL, Ascend C, ACL headers) in the docs or a shell script are no site", () => {
    expect(sitesOn(DOCS, "Create a `sycl::queue q;`, then `AscendC::LocalTensor<half> t;`.")).toEqual([]);
    expect(sitesOn(DOCS, "#include <acl/acl.h>")).toEqual([]);
    expect(sitesOn(SH, "grep -r 'sycl::queue' csrc")).toEqual([]);
    expect(sitesOn(SH, 'echo "#include <kernel_operator.h>" > k.cpp')).toEqual([]);
  });

  it("runner labels of every vendor in a CI shell script are no site (labels are read in CI YAML only)", () => {
    const script = ".buildkite/scripts/run.sh";
    expect(sitesOn(script, "echo gpu gpu_1_queue linux.g5 xpu max1550 ascend 910b npu trn1 inf2 neuron macos-14 mps")).toEqual([]);
    expect(sitesOn(script, "flavor: g2")).toEqual([]);
  });

  it("a BuildExtension line that does not name cuda is no site", () => {
    expect(sitesOn(SETUP, "cmdclass = {'build_ext': BuildExtension}")).toEqual([]);
  });
});

describe("taxonomy: same-file evidence resolves the hccl and xla families, and only evidence does", () => {
  const resolved = (text: string) => scanFile(PY, text).scan.sites.filter((s) => s.family !== undefined || s.vendor.endsWith("-api")).map((s) => [s.signal, s.vendor, s.resolvedBy ?? null]);

  it.each([
    ["hccl alone stays the family", 'b = "hccl"\n', [["dist.hccl", "hccl-api", null]]],
    ["hccl beside an 'hpu' device is Gaudi's", 'd = "hpu"\nb = "hccl"\n', [["dist.hccl", "intel-gaudi", "Gaudi imports or device in the same file"]]],
    ["hccl beside torch.hpu is Gaudi's", "n = torch.hpu.device_count()\nb = 'hccl'\n", [["dist.hccl", "intel-gaudi", "Gaudi imports or device in the same file"]]],
    ["hccl beside an 'npu' device is Ascend's", "d = 'npu'\nb = 'hccl'\n", [["dist.hccl", "huawei-ascend", "Ascend imports or device in the same file"]]],
    ["hccl beside torch_npu used (not imported) is Ascend's", "x = torch_npu.npu_format_cast(t, 2)\nb = 'hccl'\n", [["dist.hccl", "huawei-ascend", "Ascend imports or device in the same file"]]],
    ["hccl beside look-alike devices stays the family", 'd = "hpux"\ne = "snpu"\nb = "hccl"\n', [["dist.hccl", "hccl-api", null]]],
    ["xla alone stays the family", "import torch_xla\n", [["py.torch-xla", "xla-api", null]]],
    ["xla beside neuronx_distributed is Neuron's", "import neuronx_distributed\nimport torch_xla\n", [["py.torch-xla", "aws-neuron", "Neuron imports in the same file"]]],
    ["xla beside torch_neuron is Neuron's", "m = torch_neuron.trace(m)\nimport torch_xla\n", [["py.torch-xla", "aws-neuron", "Neuron imports in the same file"]]],
    ["xla beside a tpu name is TPU's", "import torch_xla\nkind = 'tpu'\n", [["py.torch-xla", "google-tpu", "TPU evidence in the same file"]]],
    ["xla beside libtpu used is TPU's", "import torch_xla\nv = libtpu.version\n", [["py.torch-xla", "google-tpu", "TPU evidence in the same file"]]],
    ["xla beside words holding 'tpu' stays the family", "import torch_xla\noutput = inputs\n", [["py.torch-xla", "xla-api", null]]],
    ["xla beside both Neuron and TPU evidence stays the family", "import torch_xla\nimport neuronx_distributed\nkind = 'tpu'\n", [["py.torch-xla", "xla-api", null]]],
  ])("%s", (_what, text, expected) => {
    expect(resolved(text)).toEqual(expected);
  });

  it("no same-file evidence resolves the CUDA family: torch.cuda beside a ROCm check elsewhere stays the family", () => {
    expect(resolved("def f():\n    return torch.version.hip\n\ndef g():\n    return torch.cuda.device_count()\n")).toEqual([["py.torch-cuda", "cuda-api", null]]);
  });
});

describe("taxonomy: a top-level import of a vendor-only module dedicates the file; other imports do not", () => {
  it.each([
    ["torch_npu", "huawei-ascend"],
    ["habana_frameworks", "intel-gaudi"],
    ["intel_extension_for_pytorch", "intel-xpu"],
    ["torch_neuronx", "aws-neuron"],
    ["torch_mlu", "cambricon"],
    ["libtpu", "google-tpu"],
    ["pynvml", "nvidia"],
    ["amdsmi", "amd"],
  ])("import %s dedicates the file to %s; a longer name, an indented import or an import from elsewhere does not", (module, vendor) => {
    const dedication = (text: string) => {
      const { scan } = scanFile("pkg/backend.py", text);
      return [scan.dedicatedTo, scan.because ?? null];
    };
    expect(dedication(`import ${module}\n`)).toEqual([vendor, `imports ${module}`]);
    expect(dedication(`from ${module}.sub import x\n`)).toEqual([vendor, `imports ${module}`]);
    expect(dedication(`import ${module}_ext\n`)).toEqual([null, null]);
    expect(dedication(`def f():\n    import ${module}\n`)).toEqual([null, null]);
    expect(dedication(`from pkg import ${module}\n`)).toEqual([null, null]);
  });

  it("imports of two vendors' modules dedicate the file to neither", () => {
    expect(scanFile("pkg/backend.py", "import torch_npu\nimport pynvml\n").scan.dedicatedTo).toBeNull();
  });
});

describe("taxonomy: path tokens and kernel languages name the vendor of a file", () => {
  it.each([
    ["cuda", "cuda-api"],
    ["cu", "cuda-api"],
    ["nv", "nvidia"],
    ["nvidia", "nvidia"],
    ["cutlass", "nvidia"],
    ["trt", "nvidia"],
    ["tensorrt", "nvidia"],
    ["rocm", "amd"],
    ["hip", "amd"],
    ["amd", "amd"],
    ["hipify", "amd"],
    ["xpu", "intel-xpu"],
    ["sycl", "intel-xpu"],
    ["ipex", "intel-xpu"],
    ["oneapi", "intel-xpu"],
    ["hpu", "intel-gaudi"],
    ["habana", "intel-gaudi"],
    ["gaudi", "intel-gaudi"],
    ["gaudi2", "intel-gaudi"],
    ["gaudi3", "intel-gaudi"],
    ["npu", "huawei-ascend"],
    ["ascend", "huawei-ascend"],
    ["cann", "huawei-ascend"],
    ["mps", "apple"],
    ["metal", "apple"],
    ["mlx", "apple"],
    ["tpu", "google-tpu"],
    ["xla", "xla-api"],
    ["neuron", "aws-neuron"],
    ["neuronx", "aws-neuron"],
    ["mlu", "cambricon"],
    ["cambricon", "cambricon"],
    ["cpu", "cpu"],
  ])("the token %s names %s, as a folder or a part of a file name, in any case; glued to other letters it names nothing", (token, vendor) => {
    expect(vendorOfPath(`pkg/${token}/ops.py`)?.vendor).toBe(vendor);
    expect(vendorOfPath(`pkg/ops_${token}.py`)?.vendor).toBe(vendor);
    expect(vendorOfPath(`pkg/${token.toUpperCase()}-ops.py`)?.vendor).toBe(vendor);
    expect(vendorOfPath(`pkg/${token}z_ops.py`)).toBeNull();
    expect(vendorOfPath(`pkg/my${token}/ops.py`)).toBeNull();
  });

  it.each([
    [".cu", "cuda-api"],
    [".cuh", "cuda-api"],
    [".ptx", "nvidia"],
    [".hip", "amd"],
    [".sycl", "intel-xpu"],
    [".metal", "apple"],
    [".mm", "apple"],
  ])("the extension %s is %s's kernel language; a longer extension is not", (ext, vendor) => {
    expect(vendorOfPath(`src/k${ext}`)).toEqual({ vendor, because: `${ext} file` });
    expect(vendorOfPath(`src/k${ext}x`)).toBeNull();
  });
});

describe("taxonomy: families are labelled with the vendors they stand for", () => {
  it.each([
    ["cuda-api", "cuda-api (NVIDIA or AMD)"],
    ["hccl-api", "hccl-api (Intel Gaudi or Huawei Ascend)"],
    ["xla-api", "xla-api (Google TPU or AWS Neuron)"],
    ["nvidia", "nvidia"],
    ["intel-xpu", "intel-xpu"],
    ["no-such-vendor", "no-such-vendor"],
  ])("%s reads %s", (attribution, label) => {
    expect(attributionLabel(attribution)).toBe(label);
  });

  it("the attributions are the ten vendors, then the three families", () => {
    expect(ATTRIBUTIONS).toEqual(["nvidia", "amd", "intel-xpu", "intel-gaudi", "apple", "google-tpu", "aws-neuron", "huawei-ascend", "cambricon", "cpu", "cuda-api", "hccl-api", "xla-api"]);
  });

  it("every signal says what it finds and where that knowledge comes from", () => {
    for (const s of SIGNALS) {
      expect(s.description.trim(), s.id).not.toBe("");
      expect(s.source, s.id).toMatch(/^https:\/\/|^shared\/research\/hardware-neutrality\.md §3$/);
    }
  });
});
