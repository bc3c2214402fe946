import { FAMILIES, KERNEL_EXTENSIONS, PATH_TOKENS, type Attribution, type FamilyId, type FileKind, type VendorId } from "./taxonomy.js";

/** The layers of shared/DESIGN.md §3.3 a file belongs to. */
export const LAYERS = ["code", "kernels", "tests", "ci", "docs", "build"] as const;
export type Layer = (typeof LAYERS)[number];

function ext(path: string): string {
  const base = path.slice(path.lastIndexOf("/") + 1);
  const dot = base.lastIndexOf(".");
  return dot > 0 ? base.slice(dot).toLowerCase() : "";
}

const C_LIKE = new Set([".c", ".cc", ".cpp", ".cxx", ".h", ".hh", ".hpp", ".hxx", ".cu", ".cuh", ".hip", ".sycl", ".metal", ".mm", ".inl", ".ipp"]);

/** How a file's lines are read (which signals apply, how comments and strings are told apart). */
export function fileKindOf(path: string): FileKind {
  const base = path.slice(path.lastIndexOf("/") + 1);
  const e = ext(path);
  if (e === ".py" || e === ".pyi") return "python";
  if (C_LIKE.has(e)) return "c";
  if (e === ".yml" || e === ".yaml") return "yaml";
  if (base === "CMakeLists.txt" || e === ".cmake") return "cmake";
  if (/^(?:requirements|constraints)[\w.-]*\.(?:txt|in)$/.test(base) || /(^|\/)requirements\/[^/]+\.txt$/.test(path)) return "requirements";
  if (/^(?:Dockerfile|Containerfile)/.test(base) || e === ".dockerfile") return "docker";
  if (e === ".sh" || e === ".bash") return "shell";
  if (e === ".md" || e === ".rst" || e === ".mdx" || e === ".adoc") return "docs";
  return "other";
}

const CI_PATH = /^(?:\.github\/workflows\/|\.github\/actions\/|\.buildkite\/|\.circleci\/|\.jenkins\/|\.ci\/|ci\/|\.gitlab-ci\.yml$|\.gitlab\/|Jenkinsfile|\.azure-pipelines\/|azure-pipelines\.yml$)/;
const TEST_PATH = /(?:^|\/)(?:tests?|testing|unit_tests?)\/|(?:^|\/)(?:test_[^/]*|[^/]*_tests?\.py|conftest\.py)$/;
const DOCS_PATH = /(?:^|\/)(?:docs?|documentation)\//;
const BUILD_PATH = /(?:^|\/)(?:setup\.py|setup\.cfg|pyproject\.toml|CMakeLists\.txt|Makefile|build\.sh|MANIFEST\.in)$|(?:^|\/)(?:cmake|docker|op_builder|requirements)\/|\.cmake$/;
const KERNEL_DIR = /(?:^|\/)(?:csrc|kernels?|op_kernel|ops\/csrc)\//;

/**
 * The layer of a file, from its path: CI configuration, tests, docs, build
 * files, kernels (device-code languages, and C/C++ sources under csrc/,
 * kernels/), else code. The first that applies wins, in that order.
 */
export function layerOf(path: string): Layer {
  if (CI_PATH.test(path)) return "ci";
  if (TEST_PATH.test(path)) return "tests";
  const kind = fileKindOf(path);
  if (DOCS_PATH.test(path) || kind === "docs") return "docs";
  if (BUILD_PATH.test(path) || kind === "requirements" || kind === "docker" || kind === "cmake") return "build";
  if (ext(path) in KERNEL_EXTENSIONS || (kind === "c" && KERNEL_DIR.test(path))) return "kernels";
  return "code";
}

/**
 * The vendor a file is dedicated to by its name: a kernel extension (.cu,
 * .hip, .metal...), or path segments whose tokens (split at / _ - .) name
 * exactly one vendor or family (`accelerator/hpu_accelerator.py`,
 * `requirements-rocm.txt`, `.github/workflows/nv-torch.yml`); a family named
 * beside one of its members is that member (`cuda_to_hip.py` is AMD's).
 * Null when no vendor or several are named.
 */
export function vendorOfPath(path: string): { vendor: Attribution; because: string } | null {
  const e = ext(path);
  const kernel = KERNEL_EXTENSIONS[e];
  if (kernel) {
    // A family's kernel under a member's folder is the member's: vLLM builds csrc/rocm/*.cu for ROCm only.
    const members: readonly string[] = kernel in FAMILIES ? FAMILIES[kernel as FamilyId] : [];
    const dirs = vendorOfPath(path.slice(0, path.lastIndexOf("/") + 1));
    if (dirs && members.includes(dirs.vendor)) return { vendor: dirs.vendor, because: `${e} file under ${dirs.because}` };
    return { vendor: kernel, because: `${e} file` };
  }
  const found = new Map<Attribution, string>();
  const segments = path.split("/");
  segments.forEach((segment, i) => {
    // A file extension is not a vendor token ("setup.cpu" is not a thing), unless it is the vendor
    // suffix of a build file: Dockerfile.rocm, Dockerfile.rocm_base, Dockerfile.hpu.
    const suffix = e.slice(1).split(/[_-]/)[0]!;
    const name = i === segments.length - 1 && e && !(suffix in PATH_TOKENS) ? segment.slice(0, -e.length) : segment;
    for (const token of name.toLowerCase().split(/[_.-]+/)) {
      const v = PATH_TOKENS[token];
      if (v && !found.has(v)) found.set(v, `'${token}' in ${segment}`);
    }
  });
  // A family and one of its members (nv-cuda.yml, cuda_to_hip.py): the member is the more precise name.
  for (const [family, members] of Object.entries(FAMILIES) as [FamilyId, readonly VendorId[]][]) {
    if (found.has(family) && members.some((m) => found.has(m))) found.delete(family);
  }
  if (found.size !== 1) return null;
  const [vendor, because] = [...found][0]!;
  return { vendor, because };
}
