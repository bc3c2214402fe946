import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { scanFile } from "../../src/analyzers/neutrality/file-scan.js";
import { fcParams, onlyStewardErrors } from "../helpers/property.js";

/*
 * CI YAML as the neutrality scan reads it (file-scan.ts): GitHub Actions, Buildkite and
 * HabanaAI-style Jenkins test matrices, generated with runner labels (scalar, inline list, block
 * list, matrix variables), vendor environment variables, commands that merely mention a vendor,
 * and jobs allowed to fail. The expected sites and soft-fail count are written down while the
 * file is generated (a second, simple reading): one site per line and vendor where a runner
 * label, queue, flavour or matrix value names hardware, or an environment variable selects it;
 * none for a command that mentions a vendor; one soft fail per job allowed to fail.
 */

/** Runner labels that name exactly one vendor's hardware, and labels that name none. */
const LABELS: Record<string, string | null> = {
  h100: "nvidia",
  a100: "nvidia",
  "nvidia-l4": "nvidia",
  mi300: "amd",
  "amd-mi250": "amd",
  gaudi2: "intel-gaudi",
  hpu: "intel-gaudi",
  "ascend-910b": "huawei-ascend",
  "tpu-v5e": "google-tpu",
  trn1: "aws-neuron",
  max1550: "intel-xpu",
  "macos-14": "apple",
  gpu: "cuda-api",
  "ubuntu-latest": null,
  "self-hosted": null,
  "linux-x64": null,
  "cpu-large": null,
};
const ENV: Record<string, string | null> = {
  CUDA_VISIBLE_DEVICES: "cuda-api",
  NCCL_DEBUG: "cuda-api",
  HIP_VISIBLE_DEVICES: "amd",
  ROCM_PATH: "amd",
  HABANA_VISIBLE_DEVICES: "intel-gaudi",
  PT_HPU_LAZY_MODE: "intel-gaudi",
  ASCEND_RT_VISIBLE_DEVICES: "huawei-ascend",
  NEURON_RT_VISIBLE_CORES: "aws-neuron",
  ZE_AFFINITY_MASK: "intel-xpu",
  TPU_VISIBLE_CHIPS: "google-tpu",
  PYTHONPATH: null,
  HF_HOME: null,
};
/** Commands that name a vendor without saying which machine runs the job: never a site. */
const COMMANDS = ["pytest tests/", "pytest -k rocm tests/", "echo testing h100 kernels", "python bench.py --device hpu", "pip install -e .", "make -j8"];

const LABEL = fc.constantFrom(...Object.keys(LABELS));
const SOFT = fc.constantFrom("none", "continue-on-error: true", "continue-on-error: false", "soft_fail: true", "soft_fail: block");

interface Job {
  labels: string[];
  form: "scalar" | "inline" | "block" | "matrix-inline" | "matrix-block" | "include";
  env: string[];
  commands: { cmd: string; env: string | null }[];
  soft: string;
}
const JOB: fc.Arbitrary<Job> = fc.record({
  labels: fc.array(LABEL, { minLength: 1, maxLength: 3 }),
  form: fc.constantFrom("scalar", "inline", "block", "matrix-inline", "matrix-block", "include"),
  env: fc.uniqueArray(fc.constantFrom(...Object.keys(ENV)), { maxLength: 3 }),
  commands: fc.array(fc.record({ cmd: fc.constantFrom(...COMMANDS), env: fc.option(fc.constantFrom(...Object.keys(ENV)), { nil: null }) }), { minLength: 1, maxLength: 3 }),
  soft: SOFT,
});

/** A CI file being written: each line with the vendors it should be a site of. */
class Writer {
  lines: string[] = [];
  sites: string[] = [];
  soft = 0;
  line(text: string, vendors: (string | null | undefined)[] = []) {
    this.lines.push(text);
    for (const v of new Set(vendors.filter((x): x is string => !!x))) this.sites.push(`${this.lines.length}:${v}`);
  }
  softFail(indent: string, soft: string) {
    if (soft === "none") return;
    if (soft === "soft_fail: block") {
      this.line(`${indent}soft_fail:`);
      this.line(`${indent}  - exit_status: 1`);
    } else this.line(`${indent}${soft}`);
    if (!soft.endsWith("false")) this.soft++;
  }
  commands(indent: string, j: Job, key: string) {
    for (const c of j.commands) this.line(`${indent}${key}${c.env ? `${c.env}=1 ` : ""}${c.cmd}`, [c.env ? ENV[c.env] : null]);
  }
}
const vendorsOf = (labels: string[]) => labels.map((l) => LABELS[l]);

function githubActions(jobs: Job[], docStart: boolean): Writer {
  const w = new Writer();
  if (docStart) w.line("---");
  w.line("name: CI");
  w.line("on: [push, pull_request]");
  w.line("jobs:");
  jobs.forEach((j, i) => {
    w.line(`  job${i}:`);
    const list = `[${j.labels.join(", ")}]`;
    if (j.form === "scalar") w.line(`    runs-on: ${j.labels[0]}`, vendorsOf(j.labels.slice(0, 1)));
    else if (j.form === "inline") w.line(`    runs-on: ${list}`, vendorsOf(j.labels));
    else if (j.form === "block") {
      w.line("    runs-on:");
      for (const l of j.labels) w.line(`      - ${l}`, [LABELS[l]]);
    } else {
      w.line("    strategy:");
      w.line("      matrix:");
      if (j.form === "matrix-inline") w.line(`        machine_type: ${list}`, vendorsOf(j.labels));
      else if (j.form === "matrix-block") {
        w.line("        machine_type:");
        for (const l of j.labels) w.line(`          - ${l}`, [LABELS[l]]);
      } else {
        w.line("        include:");
        for (const l of j.labels) {
          w.line(`          - machine_type: ${l}`, [LABELS[l]]);
          w.line(`            python: "3.11"`);
        }
      }
      w.line("    runs-on: ${{ matrix.machine_type }}");
    }
    w.softFail("    ", j.soft);
    if (j.env.length) {
      w.line("    env:");
      for (const e of j.env) w.line(`      ${e}: "1"`, [ENV[e]]);
    }
    w.line("    steps:");
    w.line("      - uses: actions/checkout@v4");
    w.commands("      - run: ", j, "");
  });
  return w;
}

function buildkite(jobs: Job[]): Writer {
  const w = new Writer();
  w.line("steps:");
  jobs.forEach((j, i) => {
    w.line(`  - label: "step ${i}"`);
    w.line("    agents:");
    w.line(`      queue: ${j.labels[0]}`, vendorsOf(j.labels.slice(0, 1)));
    w.softFail("    ", j.soft);
    if (j.env.length) {
      w.line("    env:");
      for (const e of j.env) w.line(`      ${e}: 1`, [ENV[e]]);
    }
    w.line("    commands:");
    w.commands("      - ", j, "");
  });
  return w;
}

/** HabanaAI's .jenkins test matrices: `flavor: g2` is a Gaudi2 machine. */
function jenkins(jobs: Job[]): Writer {
  const w = new Writer();
  w.line("stages:");
  jobs.forEach((j, i) => {
    w.line(`  - name: stage${i}`);
    w.line("    steps:");
    w.line(`      - name: step${i}`);
    const flavor = j.labels[0]!.length % 2 === 0 ? "g2" : "g3";
    w.line(`        flavor: ${flavor}`, ["intel-gaudi"]);
    w.commands("        command: ", { ...j, commands: j.commands.slice(0, 1) }, "");
  });
  return w;
}

const CI_FILE = fc.oneof(
  fc.record({ kind: fc.constant("github" as const), jobs: fc.array(JOB, { minLength: 1, maxLength: 4 }), docStart: fc.boolean() }),
  fc.record({ kind: fc.constant("buildkite" as const), jobs: fc.array(JOB, { minLength: 1, maxLength: 4 }), docStart: fc.constant(false) }),
  fc.record({ kind: fc.constant("jenkins" as const), jobs: fc.array(JOB, { minLength: 1, maxLength: 3 }), docStart: fc.constant(false) }),
);
const PATHS = { github: ".github/workflows/ci.yml", buildkite: ".buildkite/test-pipeline.yaml", jenkins: ".jenkins/test_config.yaml" } as const;

describe("CI YAML: generated workflows give the sites and soft fails written into them", () => {
  it("runner labels (scalar, lists, matrix values), queues, flavours and environment variables; commands never", () => {
    fc.assert(
      fc.property(CI_FILE, ({ kind, jobs, docStart }) => {
        const w = kind === "github" ? githubActions(jobs, docStart) : kind === "buildkite" ? buildkite(jobs) : jenkins(jobs);
        const text = w.lines.join("\n") + "\n";
        expect(parseAllDocuments(text).flatMap((d) => ("errors" in d ? d.errors : []))).toEqual([]);
        const { scan } = scanFile(PATHS[kind], text);
        expect(scan.unreadable).toBeUndefined();
        expect(scan.layer).toBe("ci");
        expect(scan.dedicatedTo).toBeNull();
        expect(scan.sites.map((s) => `${s.line}:${s.vendor}`).sort()).toEqual([...w.sites].sort());
        for (const s of scan.sites) expect(s.snippet).toBe(w.lines[s.line - 1]!.trim());
        expect(scan.softFail).toBe(kind === "jenkins" ? 0 : w.soft);
        expect(scan.lines).toBe(w.lines.length);
      }),
      fcParams(),
    );
  });

  it("a workflow named for a vendor counts its jobs allowed to fail even when its text names no hardware", () => {
    fc.assert(
      fc.property(fc.array(SOFT, { minLength: 1, maxLength: 5 }), fc.constantFrom(".github/workflows/hpu-tests.yml", ".buildkite/rocm.yml"), (softs, path) => {
        const w = new Writer();
        w.line("steps:");
        softs.forEach((s, i) => {
          w.line(`  - label: step${i}`);
          w.line("    command: make test");
          w.softFail("    ", s);
        });
        const { scan } = scanFile(path, w.lines.join("\n") + "\n");
        expect(scan.dedicatedTo).not.toBeNull();
        expect(scan.softFail).toBe(w.soft);
      }),
      fcParams(),
    );
  });

  it("several YAML documents in one file are valid YAML, read like one", () => {
    const text = "steps:\n  - label: a\n    agents:\n      queue: mi300\n---\nsteps:\n  - label: b\n    agents:\n      queue: h100\n    soft_fail: true\n";
    const { scan } = scanFile(".buildkite/two.yml", text);
    expect(scan.unreadable).toBeUndefined();
    expect(scan.sites.map((s) => [s.line, s.vendor])).toEqual([
      [4, "amd"],
      [9, "nvidia"],
    ]);
    expect(scan.softFail).toBe(1);
  });
});

describe("CI YAML on any text", () => {
  const PIECE = fc.oneof(
    fc.string({ maxLength: 12 }),
    fc.constantFrom("jobs:\n", "  t:\n", "    runs-on: ", "runs-on:\n", "  - ", "h100", "mi300", "${{ matrix.x }}", "matrix:\n", "x: [", "]", "{", "}", "&a ", "*a", "*nowhere", "---\n", "...\n", "soft_fail:", "continue-on-error: true\n", "\t", "'", '"', "\n", "HIP_VISIBLE_DEVICES=1 ", "%YAML 1.2\n", "!!binary ", "? ", ": "),
  );
  it("never throws; unreadable exactly when the YAML has errors, and then no site", () => {
    fc.assert(
      fc.property(fc.array(PIECE, { maxLength: 25 }), fc.constantFrom(...Object.values(PATHS)), (pieces, path) => {
        const text = pieces.join("");
        const r = onlyStewardErrors(() => scanFile(path, text));
        expect(r).not.toBe("steward-error");
        const { scan } = r as ReturnType<typeof scanFile>;
        const errors = parseAllDocuments(text).flatMap((d) => ("errors" in d ? d.errors : []));
        expect(scan.unreadable !== undefined).toBe(errors.length > 0);
        if (scan.unreadable !== undefined) {
          expect(scan.unreadable).not.toContain("\n");
          expect([scan.sites, scan.softFail]).toEqual([[], 0]);
        }
        expect(scan.lines).toBe(text.split("\n").filter((l) => l.trim()).length);
      }),
      fcParams(),
    );
  });
});
