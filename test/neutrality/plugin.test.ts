import { spawnSync } from "node:child_process";
import { join, resolve } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { neutrality } from "../../src/analyzers/neutrality/index.js";
import { HistoryBuilder } from "../../src/git/builder.js";
import { tempDir, vendor } from "../helpers/git.js";
import { expectMatchesSchema } from "../helpers/schema.js";

const root = tempDir();
const repo = join(root, "vllm-ascend");

/** An Ascend plugin's shape: its own package names the vendor, and its tests import and patch it on most lines. */
const FILES: Record<string, string> = {
  "vllm_ascend/__init__.py": "def register():\n    return 'vllm_ascend.platform.NPUPlatform'\n",
  "vllm_ascend/platform.py": "import torch_npu\n\nclass NPUPlatform:\n    device_type = 'npu'\n",
  "tests/ut/test_worker.py": [
    "from unittest.mock import patch",
    "from vllm_ascend.platform import NPUPlatform",
    "import vllm_ascend.platform as platform",
    "",
    '@patch("vllm_ascend.platform.NPUPlatform.device_type")',
    "def test_worker(device_type):",
    "    torch.npu.synchronize()",
    "    assert NPUPlatform",
    "",
  ].join("\n"),
  // Offloading from the NPU to the host: named for the CPU, about Ascend.
  "tests/ut/test_cpu_offload.py": ["def test_offload():", "    x = t.npu()", "    torch.npu.synchronize()", ""].join("\n"),
  "docs/index.md": "# vLLM Ascend\n\nvLLM-Ascend runs vLLM on Ascend NPUs.\n",
  ".github/workflows/ci.yml": "jobs:\n  build:\n    name: Restore vllm-ascend cache\n    runs-on: linux-aarch64-a2-1\n",
  "tests/ut/test_cpu_backend.py": ["def test_cpu():", "    ok = torch.backends.mkldnn.is_available()", ""].join("\n"),
};

beforeAll(async () => {
  const b = new HistoryBuilder();
  b.commit({ branch: "main", message: "plugin", author: vendor("2025-05-01T00:00:00Z"), files: FILES });
  await b.write(repo);
});

describe("steward neutrality on a hardware plugin", () => {
  it("the plugin's own package is its identity, counted once; importing or patching itself is not a site", async () => {
    const r = await neutrality({ repo, ref: "main" });
    expect(r.identity).toEqual([{ package: "vllm_ascend", vendor: "huawei-ascend", path: "vllm_ascend/__init__.py" }]);
    const worker = r.files.find((f) => f.path === "tests/ut/test_worker.py")!;
    expect(worker.sites.map((s) => [s.line, s.signal])).toEqual([[7, "py.torch-npu"]]);
    // In the package itself the file is Ascend's by its folder; its self-references are no extra sites.
    const init = r.files.find((f) => f.path === "vllm_ascend/__init__.py")!;
    expect([init.dedicatedTo, init.sites]).toEqual(["huawei-ascend", []]);
    // Its product name in docs and CI is not a site either; the hardware named beside it is.
    expect(r.files.find((f) => f.path === "docs/index.md")!.sites.map((s) => [s.line, s.snippet])).toEqual([[3, "vLLM-Ascend runs vLLM on Ascend NPUs."]]);
    expect(r.files.find((f) => f.path === ".github/workflows/ci.yml")).toBeUndefined();
    await expectMatchesSchema("neutrality", r);
    const text = spawnSync(process.execPath, [resolve("dist/cli/main.js"), "neutrality", "--repo", repo, "main"], { encoding: "utf8" });
    expect(text.stdout.split("\n")[1]).toBe("Plugin identity: package vllm_ascend (vllm_ascend/__init__.py) serves huawei-ascend");
  });

  it("a test named for the CPU whose sites are all another vendor's is not dedicated to the CPU", async () => {
    const r = await neutrality({ repo, ref: "main" });
    const offload = r.files.find((f) => f.path === "tests/ut/test_cpu_offload.py")!;
    expect([offload.dedicatedTo, offload.sites.map((s) => s.vendor)]).toEqual([null, ["huawei-ascend", "huawei-ascend"]]);
    expect(r.files.find((f) => f.path === "tests/ut/test_cpu_backend.py")!.dedicatedTo).toBe("cpu");
    expect(r.vendors.cpu?.tests).toEqual({ sites: 1, lines: 2, files: 1, dedicatedFiles: 1 });
  });
});
