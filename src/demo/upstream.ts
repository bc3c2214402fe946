import type { CommitRef } from "../git/builder.js";
import { insertAfter, pyFunction, pyModule, prng, replaceLine, text } from "./content.js";
import { ENGINE_ANCHOR, ENGINE_HPU_LINES, HPU_ACCELERATOR_V1, STAGE3_PARTITION, STAGE3_UPSTREAM_REWRITE } from "./gaudi.js";
import { alice, bob, carol, dan, DAN_MOVES, danAtAmd, erin, frank, precommitBot } from "./people.js";
import { ROCM_COMMITS, rocmBucketAsUpstreamTookIt } from "./rocm.js";
import { type Tree, type TrackedBuilder } from "./tracked.js";

/**
 * Upstream "tensorforge": 18 months of history by several organisations,
 * five annotated releases, a pull request squash-merged as one commit, the
 * adoption of some Gaudi work, a rewrite of a region Gaudi patches, and
 * cherry-picks of ROCm commits. Built in date order, so stopping at `until`
 * gives a prefix with the same commit ids (a fork's stale copy of upstream).
 */
export const PR_BRANCH = "pr/123-fused-adam-multi-tensor";
export const RELEASES = [
  { tag: "v0.1.0", day: "2024-02-15" },
  { tag: "v0.2.0", day: "2024-05-15" },
  { tag: "v0.3.0", day: "2024-08-15" },
  { tag: "v0.4.0", day: "2024-11-15" },
  { tag: "v0.5.0", day: "2025-03-15" },
];

const STAGE3_EXTRA = [
  "def _partition_param(param, rank, world_size):",
  '    """Split one parameter into equal shards; return this rank\'s slice."""',
  STAGE3_PARTITION,
  "    start = rank * shard",
  "    return param.view(-1)[start:start + shard]",
  "",
];

const COMM_PY = [
  '"""Process groups for data and model parallelism."""',
  "",
  "import torch",
  "import torch.distributed as dist",
  "",
  "from tensorforge.accelerator import get_accelerator",
  "",
  "",
  "def init_distributed(rank, world_size):",
  '    dist.init_process_group(backend="nccl", rank=rank, world_size=world_size)',
  "    torch.cuda.set_device(rank)",
  "",
  "",
  "def barrier():",
  '    if get_accelerator().device_name() == "cuda":',
  "        torch.cuda.synchronize()  #ignore-cuda",
  "    dist.barrier()",
  "",
  "",
  "def all_reduce_legacy(tensor):",
  '    """Sum a tensor across ranks (the pre-0.3 API)."""',
  "    dist.all_reduce(tensor)",
  "    return tensor",
];

/**
 * The API story (docs/demo.md, steward api), riding on ordinary commits so that commit counts stay
 * as they were: all_reduce_legacy is deprecated before v0.3.0 and removed before v0.4.0 (announced,
 * one release of grace); init_distributed's `world_size` becomes `size` before v0.5.0 with no
 * warning (unannounced), which breaks the NPU plugin's keyword call.
 */
const API_STEPS: { after: string; change: (t: Tree) => void }[] = [
  {
    after: "2024-06-01",
    change: (t) =>
      t.set(
        "tensorforge/runtime/comm.py",
        t.get("tensorforge/runtime/comm.py")!.replace('    """Sum a tensor across ranks (the pre-0.3 API)."""\n', '    """Sum a tensor across ranks (the pre-0.3 API)."""\n    import warnings\n\n    warnings.warn("all_reduce_legacy is deprecated; use torch.distributed.all_reduce", DeprecationWarning)\n'),
      ),
  },
  { after: "2024-09-01", change: (t) => t.set("tensorforge/runtime/comm.py", t.get("tensorforge/runtime/comm.py")!.replace(/\n\n\ndef all_reduce_legacy[\s\S]*$/, "\n")) },
  {
    after: "2025-01-10",
    change: (t) => t.set("tensorforge/runtime/comm.py", t.get("tensorforge/runtime/comm.py")!.replace("def init_distributed(rank, world_size):", "def init_distributed(rank, size):").replace("world_size=world_size)", "world_size=size)")),
  },
];

const TEST_COMM_PY = [
  "import pytest",
  "import torch",
  "",
  "from tensorforge.runtime.comm import barrier",
  "",
  "",
  '@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA GPU")',
  "def test_barrier():",
  "    barrier()",
  "",
  "",
  '@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA GPU")',
  "def test_device_count():",
  "    assert torch.cuda.device_count() >= 1",
];

function initialTree(t: Tree): void {
  t.set("README.md", text(["# TensorForge", "", "A distributed training library with ZeRO partitioning and fused optimizers.", "", "Install: `pip install tensorforge`"]));
  t.set("setup.py", text(["from setuptools import find_packages, setup", "", "setup(", '    name="tensorforge",', '    version="0.1.0",', "    packages=find_packages(exclude=[\"tests*\"]),", "    install_requires=[", '        "torch>=2.1",', '        "numpy>=1.24",', "    ],", ")"]));
  t.set("requirements/requirements.txt", text(["torch>=2.1", "numpy>=1.24", "packaging>=23.0"]));
  t.set("tensorforge/__init__.py", text(['"""TensorForge."""', "", "from .runtime.engine import initialize", "", '__version__ = "0.1.0"']));
  t.set("tensorforge/accelerator/__init__.py", text(["from .real_accelerator import get_accelerator"]));
  t.set("tensorforge/accelerator/real_accelerator.py", text(['"""Chooses the accelerator at import time."""', "", "from .cuda_accelerator import CUDA_Accelerator", "", "_accelerator = None", "", "", "def get_accelerator():", "    global _accelerator", "    if _accelerator is None:", "        _accelerator = CUDA_Accelerator()", "    return _accelerator"]));
  t.set("tensorforge/accelerator/abstract_accelerator.py", text(['"""The device-neutral interface every accelerator implements."""', "", "import abc", "", "", "class TensorForgeAccelerator(abc.ABC):", "    @abc.abstractmethod", "    def device_name(self, device_index=None): ...", "", "    @abc.abstractmethod", "    def synchronize(self, device_index=None): ...", "", "    @abc.abstractmethod", "    def is_available(self): ..."]));
  t.set("tensorforge/accelerator/cuda_accelerator.py", text(['"""CUDA accelerator (also serves ROCm through torch.cuda)."""', "", "import os", "", "import torch", "", "from .abstract_accelerator import TensorForgeAccelerator", "", "", "class CUDA_Accelerator(TensorForgeAccelerator):", "    def __init__(self):", '        self._name = "cuda"', '        self._communication_backend_name = "nccl"', "        self._bucket_mb = 25", "", "    def device_name(self, device_index=None):", '        return "cuda" if device_index is None else f"cuda:{device_index}"', "", "    def synchronize(self, device_index=None):", "        return torch.cuda.synchronize(device_index)", "", "    def is_available(self):", "        return torch.cuda.is_available()", "", "    def device_count(self):", "        return torch.cuda.device_count()"]));
  t.set("tensorforge/runtime/__init__.py", "");
  t.set("tensorforge/runtime/engine.py", text([...pyModule("engine", 6, ["from tensorforge.accelerator import get_accelerator"]), "def initialize(model, config=None):", '    """Wrap a model in a TensorForge engine."""', "    return model"]));
  t.set("tensorforge/runtime/zero/__init__.py", "");
  t.set("tensorforge/runtime/zero/stage3.py", text([...pyModule("stage3", 8), ...STAGE3_EXTRA]));
  t.set("tensorforge/ops/__init__.py", "");
  t.set("tensorforge/ops/adam.py", text(pyModule("adam", 4)));
  t.set("csrc/adam/fused_adam.cu", text(["// Fused Adam kernel.", "#include <cuda_runtime.h>", "#include <torch/extension.h>", "", "__global__ void fused_adam_kernel(float* p, const float* g, float lr, int n) {", "  int i = blockIdx.x * blockDim.x + threadIdx.x;", "  if (i < n) p[i] -= lr * g[i];", "}"]));
  t.set("tests/unit/test_engine.py", text(pyModule("test_engine", 3, ["import pytest"])));
  t.set("docs/index.md", text(["# TensorForge documentation", "", "- [Getting started](getting-started.md)", "- [ZeRO](zero.md)"]));
  // Who may approve what: NVIDIA alone owns the kernels, Microsoft the runtime, docs a team.
  t.set(".github/CODEOWNERS", text(["# TensorForge owners", "*                          alice.chen@microsoft.com bob.okafor@nvidia.com", "/csrc/                     bob.okafor@nvidia.com", "/tensorforge/runtime/       alice.chen@microsoft.com", "/tensorforge/accelerator/   alice.chen@microsoft.com carol.diaz@amd.com dan.kowalski@intel.com", "/docs/                     @tensorforge/docs"]));
  // Hardware bias to find (docs/demo.md, steward neutrality): generic code that hard-codes CUDA and
  // NCCL beside the get_accelerator() abstraction, GPU-gated tests, CUDA-only install docs.
  t.set("tensorforge/runtime/comm.py", text(COMM_PY));
  t.set("tests/unit/test_comm.py", text(TEST_COMM_PY));
  t.set("docs/getting-started.md", text(["# Getting started", "", "TensorForge needs an NVIDIA GPU with CUDA 12.1 or newer.", "", "```sh", "pip install tensorforge", "CUDA_VISIBLE_DEVICES=0,1 torchrun --nproc-per-node 2 train.py", "```"]));
  t.set(".github/workflows/ci.yml", text(["name: ci", "on: [push, pull_request]", "jobs:", "  unit:", "    runs-on: [self-hosted, nvidia-a100]", "    steps:", "      - uses: actions/checkout@v4", "      - run: pytest tests/unit"]));
}

/** Files that ordinary upstream work touches (never the ones ROCm's cherry-picks need unchanged). */
const CHURN = [
  { path: "tensorforge/runtime/engine.py", stem: "engine" },
  { path: "tensorforge/runtime/zero/stage3.py", stem: "stage3" },
  { path: "tensorforge/ops/adam.py", stem: "adam" },
  { path: "tests/unit/test_engine.py", stem: "test_engine" },
];
const AUTHORS = [alice, bob, carol, dan, alice, frank, bob];

function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
}

interface Event {
  day: string;
  run: () => void;
}

export interface UpstreamFacts {
  /** Every main commit in order, with its day. */
  main: { day: string; ref: CommitRef }[];
  tip: CommitRef;
  /** The last main commit on or before `day`. */
  asOf(day: string): CommitRef;
}

export function buildUpstream(tb: TrackedBuilder, opts: { branch: string; until?: string; pullBranch?: boolean }): UpstreamFacts {
  const branch = opts.branch;
  const main: { day: string; ref: CommitRef }[] = [];
  const commit = (day: string, message: string, author: (d: string) => ReturnType<typeof alice>, change: (t: Tree) => void, committer?: ReturnType<typeof alice>) => {
    const ref = tb.commit(branch, message, author(day), change, committer ? { committer } : {});
    main.push({ day, ref });
    return ref;
  };
  const events: Event[] = [];
  events.push({ day: "2024-01-10", run: () => commit("2024-01-10", "Initial import of TensorForge", alice, initialTree) });

  // Ordinary work: every three weeks a function lands in one of the churn files.
  const applied = new Set<(typeof API_STEPS)[number]>();
  const rnd = prng("churn");
  for (let i = 0, day = "2024-01-25"; day <= "2025-06-28"; i++, day = addDays(day, 21)) {
    const c = CHURN[i % CHURN.length]!;
    const listed = AUTHORS[i % AUTHORS.length]!;
    // Dan commits from his AMD address after his move; every ninth change is the pre-commit bot's autofix.
    const who = i % 9 === 8 ? precommitBot : listed === dan && day >= DAN_MOVES ? danAtAmd : listed;
    const d = day;
    const subject = who === precommitBot ? `[pre-commit.ci] auto fixes in ${c.stem}` : `${c.stem}: add ${c.stem} step ${100 + i}`;
    // Pairs work together: every fifth change carries a co-author from another organisation.
    const trailer = i % 5 === 2 && who !== precommitBot ? `\n\nCo-authored-by: ${i % 2 ? "Carol Díaz <carol.diaz@amd.com>" : "Bob Okafor <bob.okafor@nvidia.com>"}` : "";
    events.push({
      day: d,
      run: () =>
        commit(d, subject + trailer, who, (t) => {
          t.set(c.path, t.get(c.path)! + text(pyFunction(c.stem, 100 + i, rnd)));
          for (const step of API_STEPS) if (d >= step.after && !applied.has(step)) {
            applied.add(step);
            step.change(t);
          }
        }),
    });
  }

  // PR #123: three commits on a branch, squash-merged as one.
  const multiTensor = ["def multi_tensor_adam(params, grads, lr=1e-3):", '    """Apply Adam to many tensors in one kernel launch."""', "    return [p - lr * g for p, g in zip(params, grads)]", ""];
  const testMulti = ["def test_multi_tensor_adam():", "    assert multi_tensor_adam([1.0], [0.5], lr=0.1) == [0.95]", ""];
  events.push({
    day: "2024-06-02",
    run: () => {
      if (!opts.pullBranch) return;
      tb.b.branch(PR_BRANCH, tb.b.tip(branch)!);
      tb.commit(PR_BRANCH, "fused adam: multi-tensor apply", frank("2024-06-03"), (t) => t.set("tensorforge/ops/adam.py", t.get("tensorforge/ops/adam.py")! + text(multiTensor.slice(0, 3)) + "\n"));
      tb.commit(PR_BRANCH, "fused adam: docstring and test", frank("2024-06-05"), (t) => {
        t.set("tests/unit/test_adam.py", text(["from tensorforge.ops.adam import multi_tensor_adam", "", ...testMulti]));
      });
      tb.commit(PR_BRANCH, "review: export from ops", frank("2024-06-08"), (t) => t.set("tensorforge/ops/__init__.py", text(["from .adam import multi_tensor_adam"])));
    },
  });
  // The squash: the PR's whole change as one commit on main (main moved on meanwhile).
  events.push({
    day: "2024-06-20",
    run: () =>
      commit(
        "2024-06-20",
        "Fused Adam: multi-tensor apply (#123)\n\n* fused adam: multi-tensor apply\n* fused adam: docstring and test\n* review: export from ops",
        frank,
        (t) => {
          t.set("tensorforge/ops/adam.py", t.get("tensorforge/ops/adam.py")! + text(multiTensor.slice(0, 3)) + "\n");
          t.set("tests/unit/test_adam.py", text(["from tensorforge.ops.adam import multi_tensor_adam", "", ...testMulti]));
          t.set("tensorforge/ops/__init__.py", text(["from .adam import multi_tensor_adam"]));
        },
        alice("2024-06-20"),
      ),
  });

  // Upstream adopts part of the Gaudi work verbatim...
  events.push({
    day: "2024-12-10",
    run: () =>
      commit("2024-12-10", "Add HPU accelerator and lazy-mode step in the engine (#210)\n\nReviewed-by: Alice Chen <alice.chen@microsoft.com>", erin, (t) => {
        t.set("tensorforge/accelerator/hpu_accelerator.py", HPU_ACCELERATOR_V1);
        // Gaudi CI joins upstream as a nightly job allowed to fail.
        t.set(".github/workflows/hpu-nightly.yml", text(["name: hpu-nightly", "on:", "  schedule:", '    - cron: "0 3 * * *"', "jobs:", "  unit:", "    runs-on: [self-hosted, gaudi2]", "    continue-on-error: true", "    steps:", "      - uses: actions/checkout@v4", "      - run: pytest tests/unit"]));
        t.set("tensorforge/runtime/engine.py", insertAfter(t.get("tensorforge/runtime/engine.py")!, ENGINE_ANCHOR, ENGINE_HPU_LINES));
      }),
  });
  // ...and rewrites a region Gaudi patches, its own way.
  events.push({
    day: "2025-01-15",
    run: () => commit("2025-01-15", "ZeRO-3: aligned partitioning (#231)", bob, (t) => t.set("tensorforge/runtime/zero/stage3.py", replaceLine(t.get("tensorforge/runtime/zero/stage3.py")!, STAGE3_PARTITION, STAGE3_UPSTREAM_REWRITE))),
  });
  // ROCm work reaches upstream: two exact cherry-picks, one with an edit.
  events.push({ day: "2025-04-10", run: () => commit("2025-04-10", `${ROCM_COMMITS[0]!.subject} (#260)`, carol, ROCM_COMMITS[0]!.apply) });
  events.push({ day: "2025-04-11", run: () => commit("2025-04-11", `${ROCM_COMMITS[1]!.subject} (#261)`, carol, ROCM_COMMITS[1]!.apply) });
  events.push({ day: "2025-04-12", run: () => commit("2025-04-12", "cuda accelerator: bucket size for MI300 (#262)", danAtAmd, rocmBucketAsUpstreamTookIt) });
  for (const r of RELEASES) {
    events.push({ day: r.day, run: () => tb.b.tag(r.tag, tb.b.tip(branch)!, { message: `TensorForge ${r.tag}`, tagger: alice(r.day) }) });
  }

  // Stable order: by day, then as listed (commits before tags of the same day).
  events
    .map((e, i) => ({ e, i }))
    .sort((a, b) => (a.e.day < b.e.day ? -1 : a.e.day > b.e.day ? 1 : a.i - b.i))
    .forEach(({ e }) => {
      if (!opts.until || e.day <= opts.until) e.run();
    });

  return {
    main,
    tip: main[main.length - 1]!.ref,
    asOf(day: string) {
      let found: CommitRef | null = null;
      for (const m of main) if (m.day <= day) found = m.ref;
      if (!found) throw new Error(`demo: no upstream commit on or before ${day}`);
      return found;
    },
  };
}
