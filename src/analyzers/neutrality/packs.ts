import type { Attribution } from "./taxonomy.js";

/**
 * Portability lint rules and the packs that word them in each host
 * project's idiom, as data. A rule finds generic code that hard-codes a
 * vendor; a pack says which abstraction replaces it, which paths implement
 * the abstraction (and may name vendors), and which inline comments the
 * project already uses as waivers. Definitions and sources: docs/neutrality.md.
 */
export interface LintRule {
  id: string;
  description: string;
  /** Where the pattern is matched: `code` (strings and comments blanked) or `text` (comments removed, strings kept). */
  scope: "code" | "text";
  pattern: string;
  vendor: Attribution;
  source: string;
}

export interface RulePack {
  id: string;
  name: string;
  /** The device-neutral abstraction the fixes use. */
  abstraction: string;
  /** Folders where vendor code is the point (the abstraction's own implementation, vendor back-ends), at the root or inside a package. */
  exempt: string[];
  /** Inline comments that waive a finding on their line, per rule id (`*` = every rule). */
  waiverComments: Record<string, string[]>;
  /** Rule id -> suggestion template; `$1` is the rule's first capture (e.g. the torch.cuda function). A rule absent here is off. */
  rules: Record<string, string>;
  /** Files a project of this kind has (auto-detection). */
  detect: string[];
  source: string;
  /**
   * Where the abstraction's API is declared, per root expression used in the suggestions: a
   * suggestion naming `root.member` is shown only when that file, at the analysed ref, defines
   * the member (abstraction.ts). Paths are relative to the folder where the pack was detected.
   */
  api?: { root: string; files: string[] }[];
  /** The project's own hook against these calls: cited in the messages of `rules` only when the analysed tree has one of `paths`. */
  hook?: { paths: string[]; rules: string[]; note: string };
}

const DS_HOOK = "https://github.com/deepspeedai/DeepSpeed/blob/master/scripts/check-torchcuda.py";
const DS_ACCEL = "https://github.com/deepspeedai/DeepSpeed/blob/master/docs/_tutorials/accelerator-abstraction-interface.md";
const VLLM_HOOK = "https://github.com/vllm-project/vllm/blob/main/tools/pre_commit/check_torch_cuda.py";
const PT_ACCEL = "https://docs.pytorch.org/docs/stable/accelerator.html";

export const RULES: readonly LintRule[] = [
  { id: "torch-cuda-api", description: "a torch.cuda API called from generic code", scope: "code", pattern: String.raw`\btorch\.cuda\.([A-Za-z_]\w*)`, vendor: "cuda-api", source: DS_HOOK },
  { id: "cuda-method", description: "Tensor/Module .cuda() moves to CUDA whatever the machine has", scope: "code", pattern: String.raw`\.cuda\(\s*\)`, vendor: "cuda-api", source: DS_HOOK },
  { id: "is-cuda", description: "Tensor.is_cuda asks about one vendor", scope: "code", pattern: String.raw`\.is_cuda\b(?!\s*\()`, vendor: "cuda-api", source: DS_HOOK },
  {
    id: "cuda-device-string",
    description: "a 'cuda' device literal in generic code",
    scope: "text",
    pattern: String.raw`(?:\bdevice(?:_type)?\s*=\s*|torch\.device\(\s*|\.to\(\s*)(["'])cuda(?::\d+)?\1`,
    vendor: "cuda-api",
    source: "https://github.com/vllm-project/vllm/issues/2503",
  },
  { id: "nccl-backend", description: "the NCCL backend named in generic code (breaks XPU, Gaudi, Ascend runs)", scope: "text", pattern: String.raw`(["'])nccl\1`, vendor: "cuda-api", source: "https://github.com/huggingface/accelerate/issues/2864" },
  { id: "cuda-visible-devices", description: "CUDA_VISIBLE_DEVICES used as the device-selection variable", scope: "text", pattern: String.raw`\bCUDA_VISIBLE_DEVICES\b`, vendor: "cuda-api", source: "shared/research/hardware-neutrality.md §3 rule 4" },
  {
    id: "vendor-branch",
    description: "branching on the vendor through the abstraction (the abstraction should offer the capability instead)",
    scope: "text",
    pattern: String.raw`device_name\(\)\s*[!=]=\s*["'](cuda|hpu|xpu|npu|cpu|mps|mlu)["']|["'](cuda|hpu|xpu|npu|cpu|mps|mlu)["']\s*[!=]=\s*\w+(?:\(\))?\.device_name\(\)|current_platform\.is_(cuda|rocm|tpu|xpu|cpu|hpu|cuda_alike)\(\)|current_accelerator\(\)\.type\s*[!=]=\s*["'](cuda|xpu|mps|hpu|npu)["']`,
    vendor: "cuda-api",
    source: "shared/research/hardware-neutrality.md §1.3, §5 idea 3",
  },
];

/*
 * Suggestion templates: `$1` is the rule's capture (the torch.cuda function), `$T` its torch.accelerator
 * equivalent (abstraction.ts; an alternative needing `$T` is skipped when there is none), and `A||B` are
 * alternatives, the first whose named APIs exist at the analysed ref is shown (none: no suggestion).
 */

export const PACKS: readonly RulePack[] = [
  {
    id: "deepspeed",
    name: "DeepSpeed",
    abstraction: "deepspeed.accelerator.get_accelerator()",
    exempt: ["accelerator/", "op_builder/", "csrc/"],
    waiverComments: { "torch-cuda-api": ["#ignore-cuda", "# ignore-cuda"] },
    rules: {
      "torch-cuda-api": "get_accelerator().$1(...)||$T(...)",
      "cuda-method": ".to(get_accelerator().device_name())",
      "is-cuda": "get_accelerator().on_accelerator(tensor)",
      "cuda-device-string": "get_accelerator().device_name() (or device_name(index))",
      "nccl-backend": "get_accelerator().communication_backend_name()",
      "cuda-visible-devices": "get_accelerator().visible_devices_envs()",
      "vendor-branch": "a capability method on the accelerator interface instead of comparing device_name() with a vendor",
    },
    detect: ["accelerator/real_accelerator.py", "deepspeed/accelerator/real_accelerator.py"],
    source: DS_ACCEL,
    api: [{ root: "get_accelerator()", files: ["accelerator/abstract_accelerator.py"] }],
    hook: { paths: ["scripts/check-torchcuda.py"], rules: ["torch-cuda-api", "cuda-method", "is-cuda"], note: "DeepSpeed's check-torchcuda hook bans these calls" },
  },
  {
    id: "vllm",
    name: "vLLM",
    abstraction: "vllm.platforms.current_platform",
    exempt: ["vllm/platforms/", "benchmarks/", "csrc/"],
    waiverComments: {},
    rules: {
      "torch-cuda-api": "current_platform.$1(...)||$T(...)",
      "cuda-method": ".to(current_platform.device_type)",
      "is-cuda": "tensor.device.type == current_platform.device_type",
      "cuda-device-string": "current_platform.device_type",
      "nccl-backend": "current_platform.dist_backend",
      "cuda-visible-devices": "current_platform.device_control_env_var",
      "vendor-branch": "a Platform hook (e.g. get_attn_backend_cls, check_and_update_config) instead of is_cuda()/is_rocm() in generic code",
    },
    detect: ["vllm/platforms/__init__.py", "vllm/platforms/interface.py"],
    source: VLLM_HOOK,
    api: [{ root: "current_platform", files: ["vllm/platforms/interface.py"] }],
    hook: { paths: ["tools/pre_commit/check_torch_cuda.py", "tools/check_torch_cuda.py"], rules: ["torch-cuda-api"], note: "vLLM's check_torch_cuda hook bans new torch.cuda calls" },
  },
  {
    id: "pytorch",
    name: "PyTorch ecosystem",
    abstraction: "torch.accelerator",
    exempt: [],
    waiverComments: {},
    rules: {
      "torch-cuda-api": "$T(...)",
      "cuda-method": ".to(torch.accelerator.current_accelerator())",
      "is-cuda": "tensor.device.type == torch.accelerator.current_accelerator().type",
      "cuda-device-string": "torch.accelerator.current_accelerator()",
      "nccl-backend": "torch.distributed.get_default_backend_for_device(torch.accelerator.current_accelerator())",
      "cuda-visible-devices": "the accelerator runtime's own device selection (torch.accelerator.set_device_index)",
      "vendor-branch": "a device-generic code path (torch.accelerator) instead of branching on the accelerator type",
    },
    detect: ["torch/accelerator/__init__.py"],
    source: PT_ACCEL,
  },
  {
    id: "generic",
    name: "generic",
    abstraction: "the project's device abstraction (e.g. torch.accelerator)",
    exempt: [],
    waiverComments: {},
    rules: {
      "torch-cuda-api": "the device abstraction's $1 (e.g. $T)||the device abstraction's equivalent of torch.cuda.$1",
      "cuda-method": ".to(<device from the abstraction>)",
      "is-cuda": "compare tensor.device.type with the abstraction's device type",
      "cuda-device-string": "the device from the abstraction",
      "nccl-backend": "the backend the abstraction names for the device",
      "cuda-visible-devices": "the abstraction's device-selection variable",
      "vendor-branch": "a capability of the abstraction instead of a vendor check",
    },
    detect: [],
    source: PT_ACCEL,
  },
];

/** Every pack recognises Steward's own inline waiver: `# steward: ignore` or `# steward: ignore[rule-id, ...]`. */
export const STEWARD_WAIVER = /steward:\s*ignore(?:\[([\w,\s-]+)\])?/;
