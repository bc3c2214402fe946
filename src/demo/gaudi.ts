import { insertAfter, pyModule, replaceLine, text } from "./content.js";
import type { Tree } from "./tracked.js";

/**
 * The Gaudi vendor's private changes, as transformations of an upstream tree.
 * Each release re-applies everything so far onto a newer (still stale) base
 * and ships it as one squashed "content drop", as HabanaAI/DeepSpeed does.
 */
export const HPU_ACCELERATOR_V1 = text([
  '"""HPU (Intel Gaudi) accelerator for TensorForge."""',
  "",
  "import habana_frameworks.torch.core as htcore",
  "import torch",
  "",
  "from .abstract_accelerator import TensorForgeAccelerator",
  "",
  "",
  "class HPU_Accelerator(TensorForgeAccelerator):",
  '    """Runs TensorForge on Gaudi through the habana_frameworks bridge."""',
  "",
  "    def __init__(self):",
  '        self._name = "hpu"',
  '        self._communication_backend_name = "hccl"',
  "",
  "    def device_name(self, device_index=None):",
  '        return "hpu" if device_index is None else f"hpu:{device_index}"',
  "",
  "    def synchronize(self, device_index=None):",
  "        htcore.mark_step()",
  "        return torch.hpu.synchronize()",
  "",
  "    def is_available(self):",
  "        return torch.hpu.is_available()",
]);

/** 1.2.0 extends the accelerator after upstream adopted 1.0's version. */
export const HPU_ACCELERATOR_V2 = insertAfter(HPU_ACCELERATOR_V1, '"""HPU (Intel Gaudi)', ["import os"]) + text([
  "",
  "    def lazy_mode(self):",
  '        return os.environ.get("PT_HPU_LAZY_MODE", "1") == "1"',
]);

/** Lines the fork adds to the generic engine; upstream later adopts them verbatim. */
export const ENGINE_HPU_LINES = [
  '    if get_accelerator().device_name() == "hpu":',
  "        htcore.mark_step()  # flush the lazy-mode graph before reducing",
];

/** Where the engine lines go (a line of upstream's first engine function). */
export const ENGINE_ANCHOR = "total_0 = sum(";

/** The partition line the fork patches and upstream later rewrites its own way. */
export const STAGE3_PARTITION = "    shard = param.numel() // world_size";
export const STAGE3_GAUDI = "    shard = math.ceil(param.numel() / world_size)  # HPU: pad to full shards";
export const STAGE3_UPSTREAM_REWRITE = ["    shard = _aligned_shard(param.numel(), world_size, align=64)", "    assert shard > 0, \"empty shard\""];

function xfailList(n: number): string[] {
  const out = ['"""Tests known to fail on HPU (skipped by conftest on Gaudi)."""', "", "hpu_xfail_tests = {"];
  for (let i = 0; i < n; i++) out.push(`    "unit/runtime/test_case_${i}.py::TestCase${i}::test_variant_${i % 7}": "Gaudi: not supported (SW-${1000 + i * 13})",`);
  out.push("}");
  return out;
}

function release10(t: Tree): void {
  t.set("tensorforge/accelerator/hpu_accelerator.py", HPU_ACCELERATOR_V1);
  t.set("tensorforge/ops/hpu/__init__.py", text(['"""HPU kernels."""', "from .fused_adam_hpu import fused_adam_hpu"]));
  t.set("tensorforge/ops/hpu/fused_adam_hpu.py", text(pyModule("fused_adam_hpu", 3, ["import habana_frameworks.torch.core as htcore"])));
  t.set("tests/unit/hpu/test_hpu_engine.py", text(pyModule("test_hpu_engine", 2, ["import pytest"])));
  t.set("tensorforge/runtime/engine.py", insertAfter(t.get("tensorforge/runtime/engine.py")!, ENGINE_ANCHOR, ENGINE_HPU_LINES));
  t.set("tensorforge/runtime/zero/stage3.py", replaceLine(t.get("tensorforge/runtime/zero/stage3.py")!, STAGE3_PARTITION, [STAGE3_GAUDI]));
  t.set("setup.py", insertAfter(t.get("setup.py")!, '"torch>=2.1"', ['        "habana-torch-plugin>=1.16",']));
  t.set("requirements/requirements.txt", t.get("requirements/requirements.txt")! + "habana-torch-plugin>=1.16\n");
}

function release11(t: Tree): void {
  release10(t);
  t.set("tests/unit/xfail_marker.py", text(xfailList(60)));
  t.set("tensorforge/ops/adam.py", insertAfter(t.get("tensorforge/ops/adam.py")!, "def multi_tensor_adam(", ["    if get_accelerator().device_name() == \"hpu\":", "        return fused_adam_hpu(params, lr)"]));
}

function release12(t: Tree): void {
  release11(t);
  t.set("tensorforge/accelerator/hpu_accelerator.py", HPU_ACCELERATOR_V2);
  t.set("tests/unit/xfail_marker.py", text(xfailList(95)));
  t.set(".github/workflows/hpu.yml", text(["name: hpu", "on: [push]", "jobs:", "  unit:", "    runs-on: [self-hosted, gaudi2]", "    steps:", "      - uses: actions/checkout@v4", "      - run: pytest tests/unit/hpu"]));
}

export interface GaudiRelease {
  branch: string;
  /** Upstream commit date the drop is based on (the base is the last upstream commit on or before it). */
  baseDay: string;
  dropDay: string;
  apply: (t: Tree) => void;
}

/** Three releases, each 4-5 months behind upstream when shipped. */
export const GAUDI_RELEASES: GaudiRelease[] = [
  { branch: "1.0.0", baseDay: "2024-03-01", dropDay: "2024-07-15", apply: release10 },
  { branch: "1.1.0", baseDay: "2024-06-25", dropDay: "2024-11-10", apply: release11 },
  { branch: "1.2.0", baseDay: "2024-12-01", dropDay: "2025-04-20", apply: release12 },
];
