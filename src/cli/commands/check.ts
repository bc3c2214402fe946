import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Command, CommanderError, Option } from "commander";
import { claimBadges, portfolioCheck, portfolioClaims, changeCheck, VERSION, type GateResult } from "../../index.js";
import { checkJunit, checkMarkdown, checkSarif, checkText, claimsText } from "../../report/gate.js";
import { portfolioProgress } from "../progress.js";

/** `steward check` (the gate) and `steward claims`. */

type CheckFormat = "text" | "json" | "markdown" | "sarif" | "junit";

function usage(message: string): never {
  throw new CommanderError(2, "steward.usage", message);
}

function dateOf(s: string | undefined): string | undefined {
  if (s === undefined) return undefined;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s) || Number.isNaN(Date.parse(`${s}T00:00:00Z`))) usage(`--date must be a day as YYYY-MM-DD: ${s}`);
  return s;
}

function render(r: GateResult, format: CheckFormat, limit: number): string {
  if (format === "json") return JSON.stringify(r, null, 2) + "\n";
  if (format === "markdown") return checkMarkdown(r, { limit });
  if (format === "sarif") return JSON.stringify(checkSarif(r, VERSION), null, 2) + "\n";
  if (format === "junit") return checkJunit(r);
  return checkText(r, { limit });
}

function scanProgress(enabled: boolean) {
  const progress = portfolioProgress(enabled, "scanning");
  return {
    progress,
    onProgress: (e: { kind: string; repository?: string; analyzer?: string; state?: string; done?: number; total?: number; error?: string }) => {
      if (e.kind === "start") progress.start(`${e.repository} ${e.analyzer}`);
      else if (e.kind === "task") progress.finish(`${e.repository} ${e.analyzer}`, e.state ?? "", e.done ?? 0, e.total ?? 0, e.error);
    },
  };
}

interface CheckOpts {
  repo?: string;
  base?: string;
  head?: string;
  config?: string;
  repository?: string;
  json?: boolean;
  format: CheckFormat;
  sarif?: string;
  limit: string;
  scan?: boolean;
  date?: string;
  progress?: boolean;
}

export function registerCheck(program: Command): void {
  program
    .command("check")
    .summary("the gate: judge the policies of steward.yaml (portfolio), or one change --base..--head (exit 1 if a policy fails)")
    .description(
      "Portfolio mode (steward check [CONFIG|DIR]): scans what is out of date, then judges every policy on the latest results, applies\n" +
        "the waivers and reports expired or stale ones. Change mode (--repo DIR --base REF --head REF [--config FILE]): judges one change\n" +
        "(a pull request): API breaks between base and head, new lint findings on changed lines, drift if the repository is a fork.\n" +
        "Exit 0 pass, 1 a policy failed or a waiver expired, 2 error (bad input, or evidence that could not be read).",
    )
    .argument("[config]", "steward.yaml, or a directory holding one (portfolio mode)")
    .option("--repo <dir>", "change mode: the repository of the change")
    .option("--base <ref>", "change mode: the base of the change (e.g. the pull request's target)")
    .option("--head <ref>", "change mode: the head of the change")
    .option("--config <file>", "change mode: steward.yaml with the policies (default: built-in policies)")
    .option("--repository <name>", "change mode: which repository of the config the change is in (default: the one at --repo)")
    .option("--json", "print the JSON result (docs/schema/check.schema.json); same as --format json")
    .addOption(new Option("--format <format>", "output format").choices(["text", "json", "markdown", "sarif", "junit"]).default("text"))
    .option("--sarif <file>", "also write SARIF 2.1.0 to this file (code scanning upload)")
    .option("--limit <n>", "findings shown per policy in text and markdown", "10")
    .option("--no-scan", "portfolio mode: judge the stored results as they are, without scanning first")
    .option("--date <day>", "compare waiver expiry dates with this day (YYYY-MM-DD) instead of today")
    .option("--no-progress", "do not show progress on stderr")
    .action(async (file: string | undefined, o: CheckOpts) => {
      const format: CheckFormat = o.json ? "json" : o.format;
      const limit = Number(o.limit);
      if (!Number.isInteger(limit) || limit < 1) usage(`--limit must be a positive integer: ${o.limit}`);
      const today = dateOf(o.date);
      const change = o.repo !== undefined || o.base !== undefined || o.head !== undefined;
      let r: GateResult;
      if (change) {
        if (file) usage("give either a config (portfolio mode) or --repo/--base/--head (change mode), not both; the change's policies come with --config");
        if (!o.base || !o.head) usage("change mode needs --base REF and --head REF");
        r = await changeCheck({ repo: o.repo ?? ".", base: o.base, head: o.head, ...(o.config ? { config: o.config } : {}), ...(o.repository ? { repository: o.repository } : {}), ...(today ? { today } : {}) });
      } else {
        if (o.config && file) usage("give the config once: as the argument or with --config");
        const { progress, onProgress } = scanProgress(o.progress !== false);
        try {
          r = await portfolioCheck(file ?? o.config ?? "steward.yaml", { ...(o.scan === false ? { scan: false } : {}), ...(today ? { today } : {}), onProgress });
        } finally {
          progress.done();
        }
      }
      if (o.sarif) writeFileSync(o.sarif, JSON.stringify(checkSarif(r, VERSION), null, 2) + "\n");
      process.stdout.write(render(r, format, limit));
      if (r.verdict === "error") process.exitCode = 2;
      else if (r.verdict === "fail") process.exitCode = 1;
    });

  program
    .command("claims")
    .summary("claims of steward.yaml re-proven from the scan's evidence: verified (evidence, date) or lapsed (since when, why)")
    .argument("[config]", "steward.yaml, or a directory holding one", "steward.yaml")
    .option("--json", "print JSON (docs/schema/claims.schema.json)")
    .option("--badges <dir>", "write a shields.io endpoint JSON per claim into DIR (grey when lapsed)")
    .option("--strict", "exit 1 when a claim has lapsed (a CI job that keeps claims honest)")
    .option("--no-scan", "use the stored results as they are, without scanning first")
    .option("--no-progress", "do not show progress on stderr")
    .action(async (file: string, o: { json?: boolean; badges?: string; strict?: boolean; scan?: boolean; progress?: boolean }) => {
      const { progress, onProgress } = scanProgress(o.progress !== false);
      let r;
      try {
        r = await portfolioClaims(file, { ...(o.scan === false ? { scan: false } : {}), onProgress });
      } finally {
        progress.done();
      }
      if (o.badges) {
        mkdirSync(o.badges, { recursive: true });
        for (const b of await claimBadges(r.claims)) writeFileSync(join(o.badges, b.file), JSON.stringify(b.badge) + "\n");
      }
      process.stdout.write(o.json ? JSON.stringify(r, null, 2) + "\n" : claimsText(r));
      if (o.strict && r.claims.some((c) => c.status === "lapsed")) process.exitCode = 1;
    });
}
