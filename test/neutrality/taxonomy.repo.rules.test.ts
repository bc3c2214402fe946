import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { neutrality } from "../../src/analyzers/neutrality/index.js";
import { HistoryBuilder } from "../../src/git/builder.js";
import { tempDir, up } from "../helpers/git.js";

/** Taxonomy rules (taxonomy.rules.test.ts) checked end to end: a built repository read by the neutrality analyzer. */
describe("taxonomy through the neutrality analyzer on a built repository", () => {
  it("look-alikes in code, docs, requirements and CI are no vendor's; the real names beside them are", async () => {
    const repo = join(tempDir("steward-taxonomy-"), "r");
    const b = new HistoryBuilder();
    b.commit({
      branch: "main",
      message: "c",
      author: up("2025-01-10T00:00:00Z"),
      files: {
        "pkg/plain.py": "import torch\nx = this_hip()\nn = torch.cuda.device_count()\n",
        "pkg/guarded.py": "import torch\nif is_hip():\n    n = torch.cuda.device_count()\n",
        "pkg/words.py": "def f(inputs):\n    output = mlxtend.fit(inputs)\n    return output\n",
        "docs/guide.md": "Sorted in ascending order.\nWe CANNOT run MMLU on bare metal.\nInstall ROCm.\n",
        "requirements.txt": "mlxtend\nnumpy>=1.26\nmlx>=0.20\n",
        ".github/workflows/ci.yml": "jobs:\n  a:\n    runs-on: linux-amd64\n  b:\n    runs-on: [self-hosted, MI300]\n  c:\n    runs-on: t4g.large\n",
      },
    });
    await b.write(repo);
    const r = await neutrality({ repo });
    const files = r.files.map((f) => [f.path, f.dedicatedTo, f.sites.map((s) => [s.line, s.signal, s.vendor])]).sort((x, y) => (String(x[0]) < String(y[0]) ? -1 : 1));
    expect(files).toEqual([
      [".github/workflows/ci.yml", null, [[5, "ci.amd", "amd"]]],
      ["docs/guide.md", null, [[3, "docs.amd", "amd"]]],
      ["pkg/guarded.py", null, [[2, "py.is-rocm", "amd"], [3, "py.torch-cuda", "amd"]]],
      ["pkg/plain.py", null, [[3, "py.torch-cuda", "cuda-api"]]],
      ["requirements.txt", null, [[3, "pkg.apple", "apple"]]],
    ]);
    expect(Object.keys(r.vendors).sort()).toEqual(["amd", "apple", "cuda-api"]);
  });
});
