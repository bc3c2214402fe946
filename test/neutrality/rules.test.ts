import { describe, expect, it } from "vitest";
import { scanFile } from "../../src/analyzers/neutrality/file-scan.js";

/** Family resolution: CUDA-family APIs are AMD's only with ROCm evidence in the same file, never without. */
const cudaSite = (text: string) => {
  const site = scanFile("pkg/mod.py", text).scan.sites.find((s) => s.signal === "py.torch-cuda")!;
  return [site.vendor, site.family ?? null, site.resolvedBy ?? null];
};

describe("neutrality: ROCm evidence resolves the CUDA family to AMD", () => {
  it.each(["torch.version.hip", "is_rocm()", "is_hip()", "IS_ROCM", "TEST_WITH_ROCM"])("%s in the same file: torch.cuda is AMD's", (check) => {
    expect(cudaSite(`if ${check}:\n    n = torch.cuda.device_count()\n`)).toEqual(["amd", "cuda-api", "a ROCm check in the same file"]);
  });

  it.each(["is_hipster()", "IS_ROCM_LEGACY", "this_is_rocm_like()", "torch.version.cuda"])("%s is no evidence: torch.cuda stays the CUDA family, unresolved", (lookalike) => {
    expect(cudaSite(`if ${lookalike}:\n    n = torch.cuda.device_count()\n`)).toEqual(["cuda-api", null, null]);
  });

  it("evidence only in a comment or a string does not resolve it", () => {
    expect(cudaSite(`# is_rocm()\nn = torch.cuda.device_count()\n`)).toEqual(["cuda-api", null, null]);
  });
});
