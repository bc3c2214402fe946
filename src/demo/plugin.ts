import { text } from "./content.js";
import { npuDev } from "./people.js";
import { TrackedBuilder } from "./tracked.js";

/**
 * A hardware plugin package with its own history. It depends on upstream's
 * internals (a private function, a private extension module), which is what
 * makes plugins fragile when upstream refactors.
 */
export function buildNpuPlugin(): TrackedBuilder {
  const tb = new TrackedBuilder();
  const b = "main";
  tb.commit(b, "Initial NPU plugin for TensorForge", npuDev("2025-02-10"), (t) => {
    t.set("README.md", text(["# tensorforge-npu", "", "Ascend NPU support for TensorForge, as an out-of-tree plugin."]));
    t.set("requirements.txt", text(["tensorforge>=0.4,<0.6", "torch-npu>=2.1"]));
    t.set("setup.py", text(["from setuptools import setup", "", 'setup(name="tensorforge-npu", version="0.1.0", packages=["tensorforge_npu"], install_requires=["tensorforge>=0.4,<0.6", "torch-npu>=2.1"])']));
    t.set("tensorforge_npu/__init__.py", text(['"""Ascend NPU plugin."""', "", "from .accelerator import NPU_Accelerator"]));
    t.set(
      "tensorforge_npu/accelerator.py",
      text(["import torch_npu", "", "from tensorforge.accelerator.abstract_accelerator import TensorForgeAccelerator", "", "", "class NPU_Accelerator(TensorForgeAccelerator):", "    def device_name(self, device_index=None):", '        return "npu" if device_index is None else f"npu:{device_index}"', "", "    def synchronize(self, device_index=None):", "        return torch_npu.npu.synchronize()", "", "    def is_available(self):", "        return torch_npu.npu.is_available()"]),
    );
  });
  const v1 = tb.commit(b, "Partition parameters with upstream's ZeRO-3 helper", npuDev("2025-02-18"), (t) => {
    t.set("tensorforge_npu/zero.py", text(["import tensorforge._C  # upstream's private extension module", "from tensorforge.runtime.zero.stage3 import _partition_param", "", "", "def npu_partition(param, rank, world_size):", "    return _partition_param(param, rank, world_size).npu()"]));
  });
  tb.b.tag("v0.1.0", v1, { message: "tensorforge-npu 0.1.0", tagger: npuDev("2025-02-20") });
  tb.commit(b, "hccl backend", npuDev("2025-04-02"), (t) => {
    t.set("tensorforge_npu/comm.py", text(['BACKEND = "hccl"', "", "", "def init_process_group(rank, world_size):", "    import torch.distributed as dist", "    dist.init_process_group(BACKEND, rank=rank, world_size=world_size)"]));
    // Monkey-patches written against tensorforge 0.4 (the oldest release its requirement admits):
    // 0.5 renamed init_distributed's world_size to size, so the replacement installed over it is stale
    // (steward status, steward api impact); barrier is unchanged.
    t.set(
      "tensorforge_npu/patches.py",
      text([
        '"""Route upstream\'s process-group setup through HCCL (installed at import time)."""',
        "",
        "import torch.distributed as dist",
        "",
        "from tensorforge.runtime import comm",
        "",
        "",
        "def init_distributed(rank, world_size):",
        '    dist.init_process_group("hccl", rank=rank, world_size=world_size)',
        "",
        "",
        "def barrier():",
        "    dist.barrier()",
        "",
        "",
        "comm.init_distributed = init_distributed",
        "comm.barrier = barrier",
      ]),
    );
    // Written against tensorforge 0.4's init_distributed(rank, world_size): 0.5 renamed the keyword.
    t.set("tensorforge_npu/launch.py", text(["from tensorforge.runtime.comm import init_distributed", "", "", "def setup(rank, world_size):", "    init_distributed(rank, world_size=world_size)"]));
  });
  const v2 = tb.commit(b, "Release 0.2.0", npuDev("2025-05-08"), (t) => t.set("setup.py", t.get("setup.py")!.replace('version="0.1.0"', 'version="0.2.0"')));
  tb.b.tag("v0.2.0", v2, { message: "tensorforge-npu 0.2.0", tagger: npuDev("2025-05-10") });
  return tb;
}
