import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { generateDemo } from "../../src/demo/index.js";
import { HistoryBuilder } from "../../src/git/builder.js";
import type { PluginContract } from "../../src/portfolio/contract.js";
import { openStoreReadOnly } from "../../src/store/store.js";
import { portfolioStatus, scanPortfolio } from "../../src/portfolio/scan.js";
import { writeReport } from "../../src/web/report.js";
import { steward } from "../helpers/cli.js";
import { tempDir, text, vendor } from "../helpers/git.js";

const root = tempDir();
const demo = join(root, "demo");

beforeAll(async () => {
  await generateDemo(demo);
  // A second plugin with no requirement on tensorforge, last changed between v0.4.0 and v0.5.0: it targets v0.4.0,
  // the newest release before its tip. It patches a method upstream keeps (ok) and the function 0.5 re-signs.
  const b = new HistoryBuilder();
  b.commit({
    branch: "main",
    message: "xpu plugin",
    author: vendor("2025-01-20T00:00:00Z"),
    files: {
      "xpu_plugin/__init__.py": text([
        "from tensorforge.runtime import comm",
        "from tensorforge.accelerator.cuda_accelerator import CUDA_Accelerator",
        "",
        "",
        "def init(rank, world_size):",
        "    return None",
        "",
        "",
        "comm.init_distributed = init",
        'setattr(CUDA_Accelerator, "device_count", lambda self: 1)',
        // Added by the plugin, in no release: not a break of any release.
        "comm.hccl_ready = True",
      ]),
    },
  });
  await b.write(join(demo, "plugins/xpu"));
  const cfg = join(demo, "steward.yaml");
  writeFileSync(cfg, readFileSync(cfg, "utf8").replace("\nidentities:", "  - name: xpu\n    repo: plugins/xpu\n    depends: [tensorforge]\n\nidentities:"));
  await scanPortfolio(demo);
});

async function stored(name: string): Promise<PluginContract> {
  const store = (await openStoreReadOnly(join(demo, "steward.db")))!;
  try {
    const row = await store.selectFrom("result").select("result").where("repository", "=", name).where("analyzer", "=", "contract").where("ok", "=", 1).executeTakeFirstOrThrow();
    return JSON.parse(row.result!) as PluginContract;
  } finally {
    await store.destroy();
  }
}

describe("steward scan: each plugin's contract against every release newer than the one it targets", () => {
  it("targets the oldest release the plugin's requirement admits, and stores the verdict per newer release", async () => {
    const r = await stored("tensorforge-npu");
    const x = r.projects[0]!;
    expect(x.target).toMatchObject({ ref: "refs/tags/v0.4.0", version: "0.4.0", why: "the oldest release tensorforge>=0.4,<0.6 (requirements.txt, setup.py) admits" });
    expect(x.patched).toBe(5);
    expect(x.releases.map((rel) => [rel.ref, rel.admitted, rel.stale])).toEqual([["refs/tags/v0.5.0", true, { removed: 0, moved: 0, signatureChanged: 1, notFound: 0 }]]);
    expect(x.releases[0]!.breaks).toEqual([
      { kind: "patch", target: "tensorforge.runtime.comm.init_distributed", file: "tensorforge_npu/patches.py", line: 16, status: "signature-changed", why: "(rank, world_size) at refs/tags/v0.4.0, (rank, size) at refs/tags/v0.5.0", signature: { from: "(rank, world_size)", to: "(rank, size)" } },
    ]);
  });

  it("without a requirement, targets the newest release before the plugin's tip", async () => {
    const x = (await stored("xpu")).projects[0]!;
    expect(x.target).toMatchObject({ ref: "refs/tags/v0.4.0", why: "no requirement on the project: the newest release before the plugin's tip" });
    expect(x.patches.map((p) => [p.target, p.kind, p.status])).toEqual([
      ["tensorforge.runtime.comm.init_distributed", "assign", "ok"],
      ["tensorforge.accelerator.cuda_accelerator.CUDA_Accelerator.device_count", "setattr", "ok"],
      ["tensorforge.runtime.comm.hccl_ready", "assign", "not-found"],
    ]);
    expect(x.releases.map((rel) => [rel.ref, rel.admitted, rel.breaks.map((b) => [b.target, b.status])])).toEqual([["refs/tags/v0.5.0", null, [["tensorforge.runtime.comm.init_distributed", "signature-changed"]]]]);
  });

  it("steward status and the plugin's page say what is stale since the release it targets", async () => {
    const st = await portfolioStatus(demo);
    expect(st.repositories.find((r) => r.name === "tensorforge-npu")!.headline).toMatchObject({ contractProject: "tensorforge", contractTarget: "refs/tags/v0.4.0", contractPatched: 5, contractNewest: "refs/tags/v0.5.0", contractRemoved: 0, contractMoved: 0, contractResigned: 1 });
    const r = steward(["status", demo]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("      contract: 5 patched upstream members of tensorforge, 0 removed and 1 re-signed in v0.5.0 since v0.4.0, the release it targets\n");
    const out = join(root, "site");
    await writeReport(demo, { out });
    const page = readFileSync(join(out, "plugin-tensorforge-npu.html"), "utf8");
    expect(page).toContain("<h2>What it patches</h2>");
    expect(page).toMatch(/<td>v0\.5\.0<\/td><td>patch<\/td><td class="mono">tensorforge\.runtime\.comm\.init_distributed<\/td><td class="bad">signature-changed <code>\(rank, world_size\)<\/code> → <code>\(rank, size\)<\/code><\/td><td class="mono">tensorforge_npu\/patches\.py:16<\/td>/);
  });
});
