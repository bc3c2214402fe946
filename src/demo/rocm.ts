import { insertAfter, replaceLine, text } from "./content.js";
import type { Tree } from "./tracked.js";

/**
 * The ROCm fork's work: small commits kept on top of upstream and rebased
 * (unlike Gaudi's squashed drops). Upstream later cherry-picks two of them
 * exactly and a third with an edit.
 */
export interface RocmCommit {
  subject: string;
  apply: (t: Tree) => void;
}

export const FUSED_ADAM_CU = "csrc/adam/fused_adam.cu";
export const CUDA_ACCEL = "tensorforge/accelerator/cuda_accelerator.py";

export const ROCM_COMMITS: RocmCommit[] = [
  {
    subject: "rocm: use hipBLASLt epilogue in fused Adam",
    apply: (t) => t.set(FUSED_ADAM_CU, insertAfter(t.get(FUSED_ADAM_CU)!, "#include <cuda_runtime.h>", ["#ifdef __HIP_PLATFORM_AMD__", "#include <hipblaslt/hipblaslt.h>", "#endif"])),
  },
  {
    subject: "rocm: detect gfx942 (MI300) in the CUDA accelerator",
    apply: (t) =>
      t.set(CUDA_ACCEL, insertAfter(t.get(CUDA_ACCEL)!, "def is_available(self):", ["        if torch.version.hip is not None and 'gfx942' in torch.cuda.get_device_properties(0).gcnArchName:", "            self._arch = 'gfx942'"])),
  },
  {
    subject: "rocm: larger default bucket on MI300",
    apply: (t) => t.set(CUDA_ACCEL, replaceLine(t.get(CUDA_ACCEL)!, "self._bucket_mb = 25", ["        self._bucket_mb = 200 if torch.version.hip else 25"])),
  },
  {
    subject: "rocm: skip flaky engine test on MI300",
    apply: (t) => t.set("tests/unit/test_engine.py", insertAfter(t.get("tests/unit/test_engine.py")!, "import pytest", ["", "pytestmark = pytest.mark.skipif(torch.version.hip is not None, reason='flaky on MI300 (ROCm 6.3)')"])),
  },
  {
    subject: "rocm: CI on MI300 runners",
    apply: (t) =>
      t.set(".github/workflows/rocm.yml", text(["name: rocm", "on: [push, pull_request]", "jobs:", "  unit:", "    runs-on: [self-hosted, linux-mi300-gpu-1]", "    steps:", "      - uses: actions/checkout@v4", "      - run: pytest tests/unit -x"])),
  },
  {
    subject: "rocm: honour HIP_VISIBLE_DEVICES",
    apply: (t) => t.set(CUDA_ACCEL, insertAfter(t.get(CUDA_ACCEL)!, "def device_count(self):", ["        if torch.version.hip and 'HIP_VISIBLE_DEVICES' in os.environ:", "            return len(os.environ['HIP_VISIBLE_DEVICES'].split(','))"])),
  },
];

/** What upstream merged of the ROCm work: commit 3 with an edit (a different bucket size). */
export function rocmBucketAsUpstreamTookIt(t: Tree): void {
  t.set(CUDA_ACCEL, replaceLine(t.get(CUDA_ACCEL)!, "self._bucket_mb = 25", ["        self._bucket_mb = 128 if torch.version.hip else 25"]));
}
