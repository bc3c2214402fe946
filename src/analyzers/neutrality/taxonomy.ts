/**
 * The vendor taxonomy, as data: one entry per vendor signal, each with its
 * id, vendor (or ambiguous family), the kind of evidence, where it is looked
 * for, and the source that says why it means that vendor. Adding a vendor or
 * a signal is one entry here plus a test (test/neutrality/taxonomy.test.ts
 * checks ids, patterns and sources). Definitions: docs/neutrality.md;
 * research: shared/research/hardware-neutrality.md §3.
 */

/** Vendor ids of shared/DESIGN.md §3.3. */
export const VENDORS = ["nvidia", "amd", "intel-xpu", "intel-gaudi", "apple", "google-tpu", "aws-neuron", "huawei-ascend", "cambricon", "cpu"] as const;
export type VendorId = (typeof VENDORS)[number];

/**
 * Ambiguous families: a signal shared by several vendors, resolved to one of
 * them only by evidence in the same file (see FAMILY_EVIDENCE), else reported
 * as the family.
 */
export const FAMILIES = {
  /** torch.cuda, "cuda", nccl: NVIDIA, and AMD's ROCm, which reuses them (PyTorch notes/hip). */
  "cuda-api": ["nvidia", "amd"],
  /** hccl: Habana's and Huawei's collective library share the name. */
  "hccl-api": ["intel-gaudi", "huawei-ascend"],
  /** torch_xla / "xla": TPU or AWS Neuron (both run through PJRT/XLA). */
  "xla-api": ["google-tpu", "aws-neuron"],
} as const satisfies Record<string, readonly VendorId[]>;
export type FamilyId = keyof typeof FAMILIES;
export type Attribution = VendorId | FamilyId;

const VENDOR_NAMES: Record<VendorId, string> = { nvidia: "NVIDIA", amd: "AMD", "intel-xpu": "Intel XPU", "intel-gaudi": "Intel Gaudi", apple: "Apple", "google-tpu": "Google TPU", "aws-neuron": "AWS Neuron", "huawei-ascend": "Huawei Ascend", cambricon: "Cambricon", cpu: "CPU" };

/** An attribution for a sentence: a family says which vendors it stands for (`cuda-api (NVIDIA or AMD)`). */
export function attributionLabel(a: string): string {
  const members = (FAMILIES as Record<string, readonly VendorId[]>)[a];
  return members ? `${a} (${members.map((m) => VENDOR_NAMES[m]).join(" or ")})` : a;
}

export const ATTRIBUTIONS: readonly Attribution[] = [...VENDORS, ...(Object.keys(FAMILIES) as FamilyId[])];

export type SignalKind = "file" | "import" | "api" | "devstr" | "dist" | "env" | "build" | "test" | "ci" | "docs";

/**
 * Where a signal's pattern is matched:
 * - `code`: Python code with strings and comments blanked (and C-like code without comments);
 * - `string`: the content of each Python string literal, whole (`^...$`);
 * - `text`: the line as written (YAML, CMake, Markdown, shell, requirements...).
 */
export type Scope = "code" | "string" | "text";

export interface Signal {
  id: string;
  vendor: Attribution;
  kind: SignalKind;
  scope: Scope;
  /** File kinds it applies to (see fileKindOf); empty = all. */
  in: readonly FileKind[];
  /** Regular expression source (JavaScript syntax); matched per line. */
  pattern: string;
  /** Case-insensitive? Default false: vendor APIs are case-sensitive. */
  ignoreCase?: boolean;
  description: string;
  source: string;
}

export type FileKind = "python" | "c" | "yaml" | "cmake" | "shell" | "docs" | "requirements" | "docker" | "other";

const PT_HIP = "https://docs.pytorch.org/docs/stable/notes/hip.html";
const RESEARCH = "shared/research/hardware-neutrality.md §3";
const DS_ACCEL = "https://github.com/deepspeedai/DeepSpeed/blob/master/docs/_tutorials/accelerator-abstraction-interface.md";
const RAY_ACCEL = "https://docs.ray.io/en/latest/ray-core/scheduling/accelerators.html";

const py = ["python"] as const;
const anyText = [] as const;

function s(id: string, vendor: Attribution, kind: SignalKind, scope: Scope, inKinds: readonly FileKind[], pattern: string, description: string, source = RESEARCH, ignoreCase = false): Signal {
  return { id, vendor, kind, scope, in: inKinds, pattern, description, source, ...(ignoreCase ? { ignoreCase } : {}) };
}

/** Distribution names that only one vendor's stack installs (PEP 503 names, '-' or '_'). */
const VENDOR_PACKAGES: [Attribution, string][] = [
  ["nvidia", String.raw`nvidia[-_][\w-]+[-_]cu1\d|pynvml|nvidia[-_]ml[-_]py|tensorrt[\w-]*|pycuda|cupy[-_]cuda\w*`],
  ["amd", String.raw`amdsmi|pyrsmi|pytorch[-_]triton[-_]rocm`],
  ["intel-xpu", String.raw`intel[-_]extension[-_]for[-_]pytorch|oneccl[-_]bind[\w-]*|dpctl`],
  ["intel-gaudi", String.raw`habana[-_][\w-]+|optimum[-_]habana|vllm[-_]gaudi`],
  ["huawei-ascend", String.raw`torch[-_]npu|vllm[-_]ascend`],
  ["aws-neuron", String.raw`torch[-_]neuronx|neuronx[-_][\w-]+|transformers[-_]neuronx`],
  ["google-tpu", String.raw`libtpu[\w-]*`],
  ["cambricon", String.raw`torch[-_]mlu`],
  ["apple", String.raw`mlx|coremltools`],
];

function packageSignals(): Signal[] {
  return VENDOR_PACKAGES.flatMap(([vendor, names]) => [
    s(`pkg.${vendor}`, vendor, "build", "text", ["requirements"], String.raw`^\s*(?:${names})\b`, `a ${vendor}-only package required`),
    s(`pkg-str.${vendor}`, vendor, "build", "string", py, String.raw`^(?:${names})\b`, `a ${vendor}-only package named in a requirement string (setup.py install_requires)`),
  ]);
}

export const SIGNALS: readonly Signal[] = [
  // --- Python imports and API calls -------------------------------------------------------
  s("py.torch-cuda", "cuda-api", "api", "code", py, String.raw`\btorch\.cuda\b`, "torch.cuda API (shared by ROCm builds)", PT_HIP),
  s("py.cuda-method", "cuda-api", "api", "code", py, String.raw`\.cuda\(`, "Tensor/Module .cuda()", DS_ACCEL),
  s("py.is-cuda", "cuda-api", "api", "code", py, String.raw`\.is_cuda\b(?!\s*\()`, "Tensor.is_cuda", DS_ACCEL),
  s("py.platform-is-cuda", "nvidia", "api", "code", py, String.raw`\bis_cuda\(\s*\)`, "a platform's is_cuda() (vLLM: true on NVIDIA only; is_cuda_alike() covers ROCm)", "https://github.com/vllm-project/vllm/blob/main/vllm/platforms/interface.py"),
  s("py.torch-backends-cuda", "cuda-api", "api", "code", py, String.raw`\btorch\.backends\.(?:cuda|cudnn)\b`, "torch.backends.cuda / cudnn"),
  s("py.torch-version-cuda", "nvidia", "api", "code", py, String.raw`\btorch\.version\.cuda\b`, "torch.version.cuda (None on ROCm builds: a CUDA-only check)", PT_HIP),
  s("py.nvidia-libs", "nvidia", "import", "code", py, String.raw`\b(?:import|from)\s+(?:pynvml|pycuda|tensorrt|cuda\.bindings|nvidia\.\w+|cutlass|deep_gemm)\b`, "NVIDIA-only Python libraries (vLLM's pre-commit list)"),
  s("py.cuda-family-libs", "cuda-api", "import", "code", py, String.raw`\b(?:import|from)\s+(?:cupy|apex|flash_attn|xformers)\b`, "CUDA-ecosystem libraries that also have ROCm builds"),
  s("py.torch-version-hip", "amd", "api", "code", py, String.raw`\btorch\.version\.hip\b`, "torch.version.hip: ROCm check", PT_HIP),
  s("py.is-rocm", "amd", "api", "code", py, String.raw`\b(?:is_rocm|is_hip|IS_ROCM|TEST_WITH_ROCM)\b`, "ROCm predicates (vLLM is_rocm(), PyTorch TEST_WITH_ROCM)"),
  s("py.amd-libs", "amd", "import", "code", py, String.raw`\b(?:import|from)\s+(?:amdsmi|pyrsmi|aiter)\b`, "AMD-only Python libraries"),
  s("py.torch-xpu", "intel-xpu", "api", "code", py, String.raw`\btorch\.xpu\b|\.xpu\(`, "torch.xpu API / .xpu()"),
  s("py.intel-xpu-libs", "intel-xpu", "import", "code", py, String.raw`\b(?:import|from)\s+(?:intel_extension_for_pytorch|oneccl_bindings_for_pytorch|dpctl)\b|\bipex\.`, "Intel XPU libraries (IPEX, oneCCL bindings)"),
  s("py.habana", "intel-gaudi", "import", "code", py, String.raw`\bhabana_frameworks\b|\boptimum\.habana\b|\bvllm_gaudi\b`, "Intel Gaudi (Habana) frameworks"),
  s("py.torch-hpu", "intel-gaudi", "api", "code", py, String.raw`\btorch\.hpu\b|\.hpu\(`, "torch.hpu API / .hpu()"),
  s("py.torch-npu", "huawei-ascend", "import", "code", py, String.raw`\btorch_npu\b|\btorch\.npu\b|\.npu\(|\bvllm_ascend\b`, "Ascend NPU (torch_npu, .npu())", "https://github.com/Ascend/pytorch"),
  s("py.torch-mps", "apple", "api", "code", py, String.raw`\btorch\.(?:backends\.)?mps\b|\b(?:import|from)\s+(?:mlx|coremltools|vllm_metal)\b`, "Apple MPS / MLX"),
  s("py.torch-xla", "xla-api", "import", "code", py, String.raw`\btorch_xla\b|\bxm\.xla_device\b`, "torch_xla (TPU or Neuron)"),
  s("py.tpu-libs", "google-tpu", "import", "code", py, String.raw`\b(?:import|from)\s+(?:libtpu|tpu_inference)\b`, "TPU-only libraries"),
  s("py.neuron-libs", "aws-neuron", "import", "code", py, String.raw`\b(?:torch_neuronx|torch_neuron|neuronx_distributed(?:_inference)?|transformers_neuronx|libneuronxla)\b`, "AWS Neuron SDK"),
  s("py.torch-mlu", "cambricon", "import", "code", py, String.raw`\btorch_mlu\b|\btorch\.mlu\b|\.mlu\(`, "Cambricon MLU"),
  s("py.mkldnn", "cpu", "api", "code", py, String.raw`\btorch\.backends\.mkldnn\b`, "CPU oneDNN backend"),
  // --- Device strings and distributed backends (Python string literals) ---------------------
  // Not "cpu" and "gloo": every accelerator moves tensors to the host and falls back to Gloo, so in
  // generic code they are no vendor's footprint (the CPU accelerator shows through its own files).
  s("str.cuda", "cuda-api", "devstr", "string", py, String.raw`^cuda(?::\d+)?$`, "device string 'cuda' (ROCm keeps it: 'rocm'/'hip' are not valid devices)", PT_HIP),
  s("str.xpu", "intel-xpu", "devstr", "string", py, String.raw`^xpu(?::\d+)?$`, "device string 'xpu'"),
  s("str.hpu", "intel-gaudi", "devstr", "string", py, String.raw`^hpu(?::\d+)?$`, "device string 'hpu'"),
  s("str.npu", "huawei-ascend", "devstr", "string", py, String.raw`^npu(?::\d+)?$`, "device string 'npu'"),
  s("str.mps", "apple", "devstr", "string", py, String.raw`^mps(?::\d+)?$`, "device string 'mps'"),
  s("str.xla", "xla-api", "devstr", "string", py, String.raw`^xla(?::\d+)?$`, "device string 'xla' (TPU or Neuron)"),
  s("str.mlu", "cambricon", "devstr", "string", py, String.raw`^mlu(?::\d+)?$`, "device string 'mlu'"),
  s("dist.nccl", "cuda-api", "dist", "string", py, String.raw`^nccl$`, "NCCL backend (RCCL answers to it on ROCm)", PT_HIP),
  s("dist.rccl", "amd", "dist", "string", py, String.raw`^rccl$`, "RCCL backend name"),
  s("dist.ccl", "intel-xpu", "dist", "string", py, String.raw`^(?:xccl|ccl|oneccl)$`, "oneCCL / XCCL backend"),
  s("dist.hccl", "hccl-api", "dist", "string", py, String.raw`^hccl$`, "HCCL backend (Gaudi or Ascend)"),
  s("dist.cncl", "cambricon", "dist", "string", py, String.raw`^cncl$`, "Cambricon CNCL backend"),
  // --- Environment variables (anywhere) -----------------------------------------------------
  s("env.cuda", "cuda-api", "env", "text", anyText, String.raw`\b(?:CUDA_VISIBLE_DEVICES|CUDA_HOME|CUDA_LAUNCH_BLOCKING|NCCL_[A-Z_]+|TORCH_CUDA_ARCH_LIST|PYTORCH_CUDA_ALLOC_CONF)\b`, "CUDA-family environment variables (MetaX and DeepSpeed's cpu/mps/hpu accelerators also use CUDA_VISIBLE_DEVICES)"),
  s("env.nvidia", "nvidia", "env", "text", anyText, String.raw`\bNVIDIA_VISIBLE_DEVICES\b`, "NVIDIA container runtime"),
  s("env.amd", "amd", "env", "text", anyText, String.raw`\b(?:HIP_VISIBLE_DEVICES|ROCR_VISIBLE_DEVICES|ROCM_PATH|ROCM_HOME|PYTORCH_ROCM_ARCH|MIOPEN_[A-Z_]+|HSA_[A-Z_]+|PYTORCH_TEST_WITH_ROCM)\b`, "ROCm environment variables", RAY_ACCEL),
  s("env.intel-xpu", "intel-xpu", "env", "text", anyText, String.raw`\b(?:ONEAPI_DEVICE_SELECTOR|ZE_AFFINITY_MASK|XPU_CCL_BACKEND)\b`, "Intel XPU environment variables", RAY_ACCEL),
  s("env.gaudi", "intel-gaudi", "env", "text", anyText, String.raw`\b(?:HABANA_VISIBLE_MODULES|HABANA_VISIBLE_DEVICES|PT_HPU_[A-Z_]+)\b`, "Gaudi environment variables", RAY_ACCEL),
  s("env.ascend", "huawei-ascend", "env", "text", anyText, String.raw`\b(?:ASCEND_RT_VISIBLE_DEVICES|ASCEND_VISIBLE_DEVICES|ASCEND_HOME_PATH)\b`, "Ascend environment variables", RAY_ACCEL),
  s("env.tpu", "google-tpu", "env", "text", anyText, String.raw`\b(?:TPU_VISIBLE_CHIPS|PJRT_DEVICE=TPU|VLLM_TPU_USING_PATHWAYS)\b`, "TPU environment variables", RAY_ACCEL),
  s("env.neuron", "aws-neuron", "env", "text", anyText, String.raw`\b(?:NEURON_RT_VISIBLE_CORES|NEURON_CC_FLAGS)\b`, "Neuron environment variables", RAY_ACCEL),
  s("env.mlu", "cambricon", "env", "text", anyText, String.raw`\bMLU_VISIBLE_DEVICES\b`, "Cambricon environment variable"),
  s("env.mps", "apple", "env", "text", anyText, String.raw`\bPYTORCH_ENABLE_MPS_FALLBACK\b`, "MPS fallback switch"),
  // --- C/C++/CUDA/HIP source -----------------------------------------------------------------
  s("c.cuda", "cuda-api", "api", "code", ["c"], String.raw`\bcuda[A-Z]\w*\(|\bat::cuda\b|#include\s*[<"](?:cuda|cuda_runtime|cublas\w*|cudnn|nccl|cub/|thrust/)|\bc10::cuda\b`, "CUDA runtime / libraries in C++"),
  s("c.hip", "amd", "api", "code", ["c"], String.raw`\bhip[A-Z]\w*\(|#include\s*[<"](?:hip/|rocblas|miopen|rccl)|\bUSE_ROCM\b|__HIP_PLATFORM_AMD__`, "HIP / ROCm in C++"),
  s("c.sycl", "intel-xpu", "api", "code", ["c"], String.raw`\bsycl::|#include\s*[<"]sycl`, "SYCL in C++"),
  s("c.ascend", "huawei-ascend", "api", "code", ["c"], String.raw`#include\s*[<"](?:acl/|torch_npu|kernel_operator\.h)|\bAscendC::`, "Ascend ACL / Ascend C"),
  // --- Build ----------------------------------------------------------------------------------
  s("build.cuda", "cuda-api", "build", "text", ["python", "cmake", "shell", "docker", "other"], String.raw`\bCUDAExtension\b|\bnvcc\b|enable_language\(\s*CUDA|\bCMAKE_CUDA_\w+|\bUSE_CUDA\b|\bUSE_CUDNN\b|\bBuildExtension\b.*cuda`, "CUDA build flags and extensions"),
  s("build.nvidia-image", "nvidia", "build", "text", anyText, String.raw`nvcr\.io/nvidia|nvidia/cuda:|\bcu1[12]\d\b`, "NVIDIA base images and CUDA wheel tags"),
  s("build.rocm", "amd", "build", "text", ["python", "cmake", "shell", "docker", "other", "yaml"], String.raw`enable_language\(\s*HIP|\bhipcc\b|\bUSE_ROCM\b|\bUSE_MIOPEN\b|rocm/(?:pytorch|dev)|\brocm\d+(?:\.\d+)*\b`, "ROCm build flags, images and wheel tags"),
  s("build.sycl", "intel-xpu", "build", "text", ["python", "cmake", "shell", "docker", "other"], String.raw`\bSyclExtension\b|\bUSE_XPU\b|\bTORCH_XPU_ARCH_LIST\b|intel/oneapi`, "SYCL/XPU build flags and images"),
  s("build.gaudi", "intel-gaudi", "build", "text", anyText, String.raw`vault\.habana\.ai`, "Habana container registry"),
  // --- Vendor packages required (requirements files, and requirement strings in setup.py) ------
  ...packageSignals(),
  // --- Test gating -----------------------------------------------------------------------------
  s("test.cuda", "cuda-api", "test", "code", py, String.raw`\b(?:onlyCUDA|skipCUDAIf\w*|dtypesIfCUDA|expectedFailureCUDA|TEST_CUDA|requires_cuda|require_torch_gpu|requires_gpu)\b`, "CUDA-only test decorators and flags (PyTorch, Hugging Face)"),
  s("test.rocm", "amd", "test", "code", py, String.raw`\b(?:skipIfRocm|skipCUDAIfRocm|runOnRocm|skipIfRocmArch)\b`, "ROCm test gating (PyTorch common_utils)"),
  s("test.xpu", "intel-xpu", "test", "code", py, String.raw`\b(?:onlyXPU|skipIfXpu|skipXPUIf\w*|TEST_XPU)\b`, "XPU test gating"),
  s("test.hpu", "intel-gaudi", "test", "code", py, String.raw`\b(?:onlyHPU|dtypesIfHPU|skipIfHpu|skipHPUIf\w*)\b`, "HPU test gating"),
  s("test.mps", "apple", "test", "code", py, String.raw`\b(?:onlyMPS|skipMPS\w*|TEST_MPS|expectedFailureMPS)\b`, "MPS test gating"),
  s("test.cpu", "cpu", "test", "code", py, String.raw`\b(?:onlyCPU|skipCPUIf\w*)\b`, "CPU-only test gating"),
  // --- CI: runner labels and queues (YAML) -------------------------------------------------------
  s("ci.nvidia", "nvidia", "ci", "text", ["yaml"], String.raw`\b(?:nvidia|v100|a100|a10g|a6000|h100|h200|b200|l4|t4|dgx|cu1[12]\d)\b`, "NVIDIA runner labels and queues", undefined, true),
  s("ci.gpu", "cuda-api", "ci", "text", ["yaml"], String.raw`\bgpu(?:_\d+)?_queue\b|\blinux\.g\d\b|\bgpu\b`, "generic 'gpu' runners (in practice CUDA-family machines)", undefined, true),
  s("ci.amd", "amd", "ci", "text", ["yaml"], String.raw`\b(?:amd|rocm|mi2\d\d|mi3\d\d|gfx\d+\w*)\b`, "AMD runner labels and queues", undefined, true),
  s("ci.intel-xpu", "intel-xpu", "ci", "text", ["yaml"], String.raw`\b(?:xpu|max1100|max1550|idc\.xpu|arc\d*)\b`, "Intel XPU runners", undefined, true),
  s("ci.gaudi", "intel-gaudi", "ci", "text", ["yaml"], String.raw`\b(?:gaudi\d?|hpu)\b`, "Gaudi runners", undefined, true),
  s("ci.gaudi-flavor", "intel-gaudi", "ci", "text", ["yaml"], String.raw`^\s*(?:-\s*)?flavou?r\s*:\s*["']?g[123](?:\.\w+)?["']?\s*$`, "Gaudi machine flavours of HabanaAI's Jenkins test matrices (g2 = Gaudi2, g3 = Gaudi3)", "https://github.com/HabanaAI/vllm-fork/tree/habana_main/.jenkins"),
  s("ci.ascend", "huawei-ascend", "ci", "text", ["yaml"], String.raw`\b(?:ascend\w*|npu|910b)\b`, "Ascend runners", undefined, true),
  s("ci.tpu", "google-tpu", "ci", "text", ["yaml"], String.raw`\btpu(?:v\d+\w*)?\b`, "TPU runners", undefined, true),
  s("ci.neuron", "aws-neuron", "ci", "text", ["yaml"], String.raw`\b(?:neuron|inf2|trn1|trn2)\b`, "Neuron runners", undefined, true),
  s("ci.apple", "apple", "ci", "text", ["yaml"], String.raw`\bmacos-\d+(?:-xlarge)?\b|\bmacos-m\d\b|\bmps\b`, "Apple silicon runners", undefined, true),
  // --- Docs (prose) ---------------------------------------------------------------------------------
  s("docs.nvidia", "nvidia", "docs", "text", ["docs"], String.raw`\bNVIDIA\b`, "NVIDIA named in the docs"),
  s("docs.cuda", "cuda-api", "docs", "text", ["docs"], String.raw`\bCUDA\b`, "CUDA named in the docs"),
  s("docs.amd", "amd", "docs", "text", ["docs"], String.raw`\b(?:ROCm|AMD|Instinct)\b`, "ROCm/AMD named in the docs"),
  s("docs.intel-xpu", "intel-xpu", "docs", "text", ["docs"], String.raw`\b(?:XPU|oneAPI|IPEX)\b`, "Intel XPU named in the docs"),
  s("docs.gaudi", "intel-gaudi", "docs", "text", ["docs"], String.raw`\b(?:Gaudi\d?|Habana|HPU)\b`, "Gaudi named in the docs"),
  s("docs.ascend", "huawei-ascend", "docs", "text", ["docs"], String.raw`\b(?:Ascend|NPU|CANN)\b`, "Ascend named in the docs"),
  s("docs.apple", "apple", "docs", "text", ["docs"], String.raw`\b(?:MPS|Apple silicon|Metal)\b`, "Apple named in the docs"),
  s("docs.tpu", "google-tpu", "docs", "text", ["docs"], String.raw`\bTPUs?\b`, "TPU named in the docs"),
  s("docs.neuron", "aws-neuron", "docs", "text", ["docs"], String.raw`\b(?:Neuron|Trainium|Inferentia)\b`, "AWS Neuron named in the docs"),
  s("docs.mlu", "cambricon", "docs", "text", ["docs"], String.raw`\b(?:Cambricon|MLU)\b`, "Cambricon named in the docs"),
];

/**
 * Evidence in the same file that resolves a family to one vendor
 * (research §3, ambiguity rules 1–3). Checked on the file's code (Python) or
 * text, and on its path.
 */
export const FAMILY_EVIDENCE: Record<FamilyId, { vendor: VendorId; pattern: string; description: string }[]> = {
  // Not by the same file: a file that checks for ROCm usually holds both paths. A CUDA-family site
  // is resolved by the guard around it (scopes.ts, Python) or by a file dedicated to one member.
  // In C/C++ `#ifdef USE_ROCM` guards the HIP path and decides nothing for the calls beside it.
  "cuda-api": [],
  "hccl-api": [
    { vendor: "intel-gaudi", pattern: String.raw`\bhabana_frameworks\b|\btorch\.hpu\b|["']hpu["']`, description: "Gaudi imports or device in the same file" },
    { vendor: "huawei-ascend", pattern: String.raw`\btorch_npu\b|\btorch\.npu\b|["']npu["']`, description: "Ascend imports or device in the same file" },
  ],
  "xla-api": [
    { vendor: "aws-neuron", pattern: String.raw`\btorch_neuronx\b|\bneuronx_distributed\b|\btorch_neuron\b`, description: "Neuron imports in the same file" },
    { vendor: "google-tpu", pattern: String.raw`\blibtpu\b|PJRT_DEVICE=TPU|\btpu\b`, description: "TPU evidence in the same file" },
  ],
};

/**
 * Path tokens that make a file or folder vendor-specific (a file or folder
 * dedicated to one vendor). Matched against the tokens of each path segment
 * split at `/ _ - .`; `cuda` names the CUDA family.
 */
export const PATH_TOKENS: Record<string, Attribution> = {
  cuda: "cuda-api",
  cu: "cuda-api",
  nv: "nvidia",
  nvidia: "nvidia",
  cutlass: "nvidia",
  trt: "nvidia",
  tensorrt: "nvidia",
  rocm: "amd",
  hip: "amd",
  amd: "amd",
  hipify: "amd",
  xpu: "intel-xpu",
  sycl: "intel-xpu",
  ipex: "intel-xpu",
  oneapi: "intel-xpu",
  hpu: "intel-gaudi",
  habana: "intel-gaudi",
  gaudi: "intel-gaudi",
  gaudi2: "intel-gaudi",
  gaudi3: "intel-gaudi",
  npu: "huawei-ascend",
  ascend: "huawei-ascend",
  cann: "huawei-ascend",
  mps: "apple",
  metal: "apple",
  mlx: "apple",
  tpu: "google-tpu",
  xla: "xla-api",
  neuron: "aws-neuron",
  neuronx: "aws-neuron",
  mlu: "cambricon",
  cambricon: "cambricon",
  cpu: "cpu",
};

/** File extensions that are one vendor's kernel language. */
export const KERNEL_EXTENSIONS: Record<string, Attribution> = {
  ".cu": "cuda-api",
  ".cuh": "cuda-api",
  ".ptx": "nvidia",
  ".hip": "amd",
  ".sycl": "intel-xpu",
  ".metal": "apple",
  ".mm": "apple",
};

/**
 * Python modules whose top-level import makes a file vendor-specific (a file
 * that cannot even be imported without that vendor's stack).
 */
export const VENDOR_MODULES: Record<string, VendorId> = {
  torch_npu: "huawei-ascend",
  habana_frameworks: "intel-gaudi",
  intel_extension_for_pytorch: "intel-xpu",
  torch_neuronx: "aws-neuron",
  torch_mlu: "cambricon",
  libtpu: "google-tpu",
  pynvml: "nvidia",
  amdsmi: "amd",
};
