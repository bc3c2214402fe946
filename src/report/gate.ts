import { sep } from "node:path";
import { sarifLog, sarifUri } from "./sarif.js";
import type { ClaimsResult, GateFinding, GateResult, PolicyResult } from "../index.js";
import { mdEscape } from "./format.js";

/** The gate's reporters: text, markdown for a pull-request comment, SARIF 2.1.0, JUnit XML. Pure functions of the result. */

const MARK = { pass: "✓", fail: "✗", waived: "~", error: "!" } as const;

function verdictLine(r: GateResult): string {
  const s = r.summary;
  const head = r.verdict === "pass" ? "PASS" : r.verdict === "fail" ? "FAIL" : "ERROR";
  const waiverNote = [s.expiredWaivers ? `${s.expiredWaivers} expired waiver${s.expiredWaivers > 1 ? "s" : ""}` : "", s.staleWaivers ? `${s.staleWaivers} stale waiver${s.staleWaivers > 1 ? "s" : ""}` : ""].filter(Boolean).join(", ");
  return `${head}: ${s.fail} failed, ${s.pass} passed, ${s.waived} waived, ${s.error} could not be judged${waiverNote ? `; ${waiverNote}` : ""}`;
}

function waiverHint(r: PolicyResult, f: GateFinding): string {
  return `{policy: ${r.policy}, repository: ${r.repository}, match: ${JSON.stringify(f.object ?? f.fingerprint)}, reason: "…", owner: "…", expires: YYYY-MM-DD}`;
}

function subject(r: GateResult): string {
  if (r.change) return `change ${r.change.base.ref}..${r.change.head.ref} of ${r.change.repository} (${r.change.changedFiles} files changed)`;
  return `portfolio ${r.config ?? ""}`.trimEnd();
}

/** Terminal text: the verdict, each failing policy with its reason and findings, then the rest in one line each. */
export function checkText(r: GateResult, opts: { limit: number }): string {
  const out: string[] = [`Steward check of ${subject(r)} on ${r.date}`, verdictLine(r), ""];
  const order = { fail: 0, error: 1, waived: 2, pass: 3 } as const;
  for (const p of [...r.results].sort((a, b) => order[a.status] - order[b.status])) {
    out.push(`${MARK[p.status]} ${p.policy.padEnd(26)} ${p.repository.padEnd(22)} ${p.summary}`);
    if (p.status === "fail" || p.status === "error") out.push(`    why this policy: ${p.reason}`);
    if (p.status === "fail") {
      const open = p.findings.filter((f) => f.waivedBy === undefined);
      for (const f of open.slice(0, opts.limit)) out.push(`    - ${f.message}`);
      if (open.length > opts.limit) out.push(`    ... ${open.length - opts.limit} more (--limit, --json)`);
      if (open[0]) out.push(`    waive in steward.yaml policies.waivers: ${waiverHint(p, open[0])}`);
    }
    if (p.status === "waived") {
      const used = [...new Set(p.findings.map((f) => f.waivedBy))].flatMap((i) => r.waivers.filter((w) => w.index === i));
      out.push(`    waived: ${used.map((w) => `waiver #${w.index} (${w.reason}; ${w.owner}, until ${w.expires})`).join(", ")}`);
    }
  }
  const notable = r.waivers.filter((w) => w.status !== "active");
  if (notable.length) {
    out.push("", "Waivers");
    for (const w of notable) out.push(`  ${w.status === "expired" ? "✗ expired" : "? stale  "} #${w.index} ${w.policy} ${w.repository} ${w.match}: ${w.status === "expired" ? `expired ${w.expires} (owner ${w.owner}); renew it or fix the findings` : "matches nothing; remove it"}`);
  }
  for (const w of r.warnings) out.push(`! ${w}`);
  return out.join("\n") + "\n";
}

/** Markdown for a pull-request comment: what failed, why, the evidence, and how to waive. */
export function checkMarkdown(r: GateResult, opts: { limit: number }): string {
  const icon = { pass: "✅", fail: "❌", waived: "⚪", error: "⚠️" } as const;
  const out: string[] = [`## Steward check: ${r.verdict === "pass" ? "✅ pass" : r.verdict === "fail" ? "❌ fail" : "⚠️ error"}`, "", `${mdEscape(subject(r))}, ${r.date}. ${verdictLine(r)}.`, ""];
  const failing = r.results.filter((p) => p.status === "fail" || p.status === "error");
  for (const p of failing) {
    out.push(`### ${icon[p.status]} \`${p.policy}\` on ${mdEscape(p.repository)}`, "", `**Why this policy:** ${mdEscape(p.reason)}`, "", `**Measured:** ${mdEscape(p.summary)}`, "");
    const open = p.findings.filter((f) => f.waivedBy === undefined);
    for (const f of open.slice(0, opts.limit)) out.push(`- ${mdEscape(f.message)}`);
    if (open.length > opts.limit) out.push(`- … ${open.length - opts.limit} more (see the JSON or SARIF output)`);
    if (open.length) {
      out.push("", "<details><summary>Evidence</summary>", "", "```json", JSON.stringify({ evidence: p.evidence, findings: open.slice(0, opts.limit).map((f) => ({ fingerprint: f.fingerprint, ...f.evidence })) }, null, 2), "```", "", "</details>", "");
      out.push("To waive (with a reason, an owner and an expiry), add to `steward.yaml`:", "", "```yaml", "policies:", "  waivers:", `    - policy: ${p.policy}`, `      repository: ${p.repository}`, `      match: ${JSON.stringify(open[0]!.object ?? open[0]!.fingerprint)}`, "      reason: …", "      owner: …", "      expires: YYYY-MM-DD", "```", "");
    }
  }
  const expired = r.waivers.filter((w) => w.status !== "active");
  if (expired.length) {
    out.push("### Waivers", "", "| # | status | policy | repository | match | owner | expires |", "|--:|---|---|---|---|---|---|");
    for (const w of expired) out.push(`| ${w.index} | ${w.status} | \`${w.policy}\` | ${mdEscape(w.repository)} | \`${mdEscape(w.match)}\` | ${mdEscape(w.owner)} | ${w.expires} |`);
    out.push("");
  }
  out.push("| | policy | repository | measured |", "|---|---|---|---|");
  for (const p of r.results) out.push(`| ${icon[p.status]} | \`${p.policy}\` | ${mdEscape(p.repository)} | ${mdEscape(p.summary)} |`);
  for (const w of r.warnings) out.push("", `> ${mdEscape(w)}`);
  return out.join("\n") + "\n";
}

/** Rule help shown by code scanning. */
const HELP: Record<string, string> = {
  "neutrality.lint": "Generic code hard-codes a hardware vendor where the project has a device-neutral abstraction. Use the abstraction, or waive with a reason.",
  "neutrality.concentration": "One vendor holds more of a layer's vendor-specific lines than the policy allows.",
  "api.unannounced": "A public API object broke without a deprecation marker in an earlier release. Deprecate first, remove later.",
  "api.grace": "A public API object was removed sooner after its first deprecation marker than the policy's minimum grace.",
  "api.bump": "The release's version change is smaller than its API changes call for (semantic versioning).",
  "drift.debtGrowth": "A fork's private patch (debt: lines not upstreamed) grew faster than the policy allows from one fork release to the next.",
  "drift.baseAge": "A fork's newest release sits on an upstream base older than the policy allows.",
  "community.elephantFactor": "Fewer organisations than the floor make half the commits (worst bound, rolling window).",
  "community.topShare": "One organisation may hold more of the commits than the ceiling (worst bound, rolling window).",
  "community.ownership": "Too much of the code is owned (CODEOWNERS) by a single organisation.",
  "deps.lag": "A dependent took longer than the ceiling to support a project release.",
  "deps.companions": "Declared companion releases are not co-installable.",
};

/** Waiver statuses as SARIF results of their own rule, so an expired one shows up in code scanning. */
const WAIVER_RULE = "steward.waiver";

/** A steward.yaml path is a file-system path: on Windows its separators become the URI's slashes. */
function configPath(file: string): string {
  return sep === "\\" ? file.split(sep).join("/") : file;
}

/** SARIF 2.1.0 (GitHub code scanning): one rule per policy, one result per finding, stable partialFingerprints, waived findings suppressed. */
export function checkSarif(r: GateResult, version: string): unknown {
  const ids = [...new Set(r.results.map((p) => p.policy))].sort();
  const hasWaivers = r.waivers.some((w) => w.status !== "active");
  const rules = [...ids, ...(hasWaivers ? [WAIVER_RULE] : [])];
  const location = (f: GateFinding | null, p: { definedAt?: { file: string; line: number } }) => {
    const loc = f?.path ? { uri: f.path, line: f.line ?? 1 } : p.definedAt ? { uri: configPath(p.definedAt.file), line: p.definedAt.line } : null;
    return loc ? [{ physicalLocation: { artifactLocation: { uri: sarifUri(loc.uri) }, region: { startLine: Math.max(1, loc.line) } } }] : [];
  };
  const results: unknown[] = [];
  for (const p of r.results) {
    const ruleIndex = rules.indexOf(p.policy);
    if (p.status === "error") {
      results.push({ ruleId: p.policy, ruleIndex, level: "error", kind: "fail", message: { text: `${p.repository}: could not judge: ${p.summary}` }, locations: location(null, p), partialFingerprints: { "steward/v1": `${p.policy}:${p.repository}:error` } });
      continue;
    }
    for (const f of p.findings) {
      const w = f.waivedBy !== undefined ? r.waivers.find((x) => x.index === f.waivedBy) : undefined;
      results.push({
        ruleId: p.policy,
        ruleIndex,
        level: "error",
        message: { text: `${p.repository}: ${f.message}. ${p.reason}` },
        locations: location(f, p),
        partialFingerprints: { "steward/v1": `${p.policy}:${p.repository}:${f.fingerprint}` },
        properties: { repository: p.repository, ...(f.ref ? { ref: f.ref } : {}), evidence: f.evidence },
        ...(w ? { suppressions: [{ kind: "external", status: "accepted", justification: `${w.reason} (owner ${w.owner}, expires ${w.expires})` }] } : {}),
      });
    }
  }
  for (const w of r.waivers.filter((x) => x.status !== "active")) {
    results.push({
      ruleId: WAIVER_RULE,
      ruleIndex: rules.indexOf(WAIVER_RULE),
      level: w.status === "expired" ? "error" : "note",
      message: { text: w.status === "expired" ? `waiver ${w.index} (${w.policy}, ${w.repository}, ${w.match}) expired on ${w.expires}; owner ${w.owner}` : `waiver ${w.index} (${w.policy}, ${w.repository}, ${w.match}) matches nothing: remove it` },
      locations: w.definedAt ? [{ physicalLocation: { artifactLocation: { uri: sarifUri(configPath(w.definedAt.file)) }, region: { startLine: w.definedAt.line } } }] : [],
      partialFingerprints: { "steward/v1": `waiver:${w.policy}:${w.repository}:${w.match}:${w.status}` },
    });
  }
  const ruleMeta = rules.map((id) => {
    const reason = r.results.find((p) => p.policy === id)?.reason;
    const help = id === WAIVER_RULE ? "A waiver in steward.yaml expired (the check fails until it is renewed or the findings fixed) or matches nothing (remove it)." : (HELP[id] ?? id);
    return {
      id,
      name: id.replace(/[^A-Za-z0-9]/g, ""),
      shortDescription: { text: help.split(". ")[0]!.replace(/\.$/, "") + "." },
      fullDescription: { text: help },
      help: { text: `${help}${reason ? ` Policy reason: ${reason}` : ""} Waive with policies.waivers in steward.yaml (policy, repository, match, reason, owner, expires).`, markdown: `${help}${reason ? `\n\n**Policy reason:** ${reason}` : ""}\n\nWaive with \`policies.waivers\` in \`steward.yaml\`: \`{policy, repository, match, reason, owner, expires}\`.` },
      helpUri: "https://github.com/steward/steward/blob/main/docs/gate.md",
      defaultConfiguration: { level: "error" },
    };
  });
  return sarifLog(
    { name: "steward-check", version, rules: ruleMeta },
    {
      automationDetails: { id: `steward-check/${r.mode}/` },
      properties: { verdict: r.verdict, date: r.date, ...(r.change ? { change: r.change } : {}) },
      results,
    },
  );
}

function xml(s: string): string {
  // Characters XML 1.0 cannot hold at all are dropped; the rest escaped.
   
  return s.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, "").replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/** JUnit XML: one test suite per policy, one test case per repository; failures and errors as JUnit reads them, waived as skipped. */
export function checkJunit(r: GateResult): string {
  const ids = [...new Set(r.results.map((p) => p.policy))].sort();
  const out = [`<?xml version="1.0" encoding="UTF-8"?>`, `<testsuites name="steward check" tests="${r.results.length + r.waivers.length}" failures="${r.summary.fail + r.summary.expiredWaivers}" errors="${r.summary.error}" skipped="${r.summary.waived}">`];
  for (const id of ids) {
    const ps = r.results.filter((p) => p.policy === id);
    out.push(`  <testsuite name="${xml(id)}" tests="${ps.length}" failures="${ps.filter((p) => p.status === "fail").length}" errors="${ps.filter((p) => p.status === "error").length}" skipped="${ps.filter((p) => p.status === "waived").length}">`);
    for (const p of ps) {
      out.push(`    <testcase classname="${xml(id)}" name="${xml(p.repository)}">`);
      const open = p.findings.filter((f) => f.waivedBy === undefined);
      if (p.status === "fail") out.push(`      <failure message="${xml(p.summary)}" type="${xml(id)}">${xml([`Why: ${p.reason}`, ...open.map((f) => f.message)].join("\n"))}</failure>`);
      if (p.status === "error") out.push(`      <error message="${xml(p.summary)}" type="${xml(id)}"/>`);
      if (p.status === "waived") out.push(`      <skipped message="${xml(`waived: ${p.summary}`)}"/>`);
      out.push(`      <system-out>${xml(JSON.stringify(p.evidence))}</system-out>`, `    </testcase>`);
    }
    out.push(`  </testsuite>`);
  }
  if (r.waivers.length) {
    out.push(`  <testsuite name="waivers" tests="${r.waivers.length}" failures="${r.summary.expiredWaivers}" errors="0" skipped="0">`);
    for (const w of r.waivers) {
      const body = w.status === "expired" ? `<failure message="${xml(`expired ${w.expires}`)}" type="expired">${xml(`${w.reason} (owner ${w.owner})`)}</failure>` : w.status === "stale" ? `<system-out>${xml("matches nothing: remove it")}</system-out>` : "";
      out.push(`    <testcase classname="waivers" name="${xml(`#${w.index} ${w.policy} ${w.repository} ${w.match}`)}">${body}</testcase>`);
    }
    out.push(`  </testsuite>`);
  }
  out.push(`</testsuites>`);
  return out.join("\n") + "\n";
}

/** `steward claims`: each claim verified (with evidence and date) or lapsed (since when, why). */
export function claimsText(r: ClaimsResult): string {
  const out = [`Claims of ${r.config} on ${r.date}: ${r.claims.filter((c) => c.status === "verified").length} verified, ${r.claims.filter((c) => c.status === "lapsed").length} lapsed`];
  for (const c of r.claims) {
    out.push(`  ${c.status === "verified" ? "✓ verified" : "✗ lapsed  "} ${c.project}: ${c.claim} (${c.status === "verified" ? "checked" : "since"} ${(c.status === "verified" ? c.checkedAt : c.since)?.slice(0, 10) ?? "never"})`);
    out.push(`      ${c.why}`);
  }
  return out.join("\n") + "\n";
}

