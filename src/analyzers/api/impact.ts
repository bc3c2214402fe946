import { InputError } from "../../errors.js";
import { Repository } from "../../git/repository.js";
import { coverageOf, describeCoverage, type Coverage } from "../../git/tree.js";
import { moduleFacts, type CallFact, type Param } from "../../python/facts.js";
import { pythonParser } from "../../python/parser.js";
import { bindingOf } from "./diff.js";
import { MAX_FILE_BYTES, type Surface } from "./surface.js";
import type { ApiBreak } from "./index.js";

export interface ImpactHit {
  /** The broken upstream object (its definition's path). */
  object: string;
  /** The path the downstream wrote, when it is another name for the object (a re-export, a subclass). */
  via?: string;
  file: string;
  line: number;
  use: "import" | "call";
  /** Does this use break? true / false (the call still binds) / "unknown" (*args or **kwargs at the call). */
  breaks: boolean | "unknown";
  why: string;
}

export interface DownstreamImpact {
  source: string;
  ref: string;
  commit: string;
  files: number;
  hits: ImpactHit[];
  /** Imports of the upstream's private names or modules (a `_` part): the coupling that breaks when internals move. */
  privateCoupling: { file: string; line: number; path: string }[];
  summary: { hits: number; breaking: number; objects: number; privateImports: number };
  /** Python files of the downstream, and those not read (absent blobs). */
  coverage: Coverage;
  warnings: string[];
}

/** `PATH[:REF]`, the ref after the last colon when what precedes it is a directory. */
export function parseDownstream(spec: string): { path: string; ref: string } {
  const i = spec.lastIndexOf(":");
  if (i > 0 && !/^[A-Za-z]:[\\/]/.test(spec)) return { path: spec.slice(0, i), ref: spec.slice(i + 1) || "HEAD" };
  return { path: spec, ref: "HEAD" };
}

/**
 * Does a call with this shape bind to the signature? Null when it does, else
 * why not. `self`/`cls` are bound by Python, except for an instance method
 * called through its class (`Cls.m(obj, x)`): then `explicitSelf`.
 */
export function bindFailure(call: CallFact, params: Param[], explicitSelf = false): string | null {
  const ps = !explicitSelf && params[0] && (params[0].name === "self" || params[0].name === "cls") ? params.slice(1) : params;
  const positional = ps.filter((p) => p.kind === "positional-only" || p.kind === "positional-or-keyword");
  const varPos = ps.some((p) => p.kind === "var-positional");
  const varKw = ps.some((p) => p.kind === "var-keyword");
  if (call.positional > positional.length && !varPos) return `${call.positional} positional arguments, the signature takes ${positional.length}`;
  const bound = new Set(positional.slice(0, call.positional).map((p) => p.name));
  for (const k of call.keywords) {
    const p = ps.find((x) => x.name === k);
    if (!p || p.kind === "positional-only" || p.kind === "var-positional" || p.kind === "var-keyword") {
      if (!varKw) return `keyword '${k}' is no longer accepted`;
      continue;
    }
    if (bound.has(k)) return `'${k}' given twice`;
    bound.add(k);
  }
  const missing = ps.filter((p) => p.default === null && (p.kind === "positional-only" || p.kind === "positional-or-keyword" || p.kind === "keyword-only") && !bound.has(p.name));
  if (missing.length) return `required ${missing.map((p) => `'${p.name}'`).join(", ")} not given`;
  return null;
}

/**
 * Which downstream lines the breaks hit: imports of a broken object, and
 * calls through imported names whose shape (positional count, keywords)
 * no longer binds to the new signature; plus every import of the
 * upstream's private names. Static: downstream code is parsed, never run;
 * calls on instances (`opt.step()`) cannot be resolved and are not claimed.
 */
export async function downstreamImpact(spec: string, breaks: ApiBreak[], before: Surface, after: Surface, opts: { fetchMissing?: boolean } = {}): Promise<DownstreamImpact> {
  const { path, ref } = parseDownstream(spec);
  const repo = await Repository.open(path);
  try {
    const commit = await repo.resolveCommit(ref);
    const files = await repo.listTree(commit, { filter: (p) => p.endsWith(".py") });
    if (!files.length) throw new InputError(`no Python files in ${spec}`);
    const fetched = opts.fetchMissing ? await repo.fetchMissing(files) : 0;
    const coverage = await coverageOf(repo.gitDir, files, fetched);
    if (coverage.missing === files.length) throw new InputError(`nothing to read in ${spec}: ${describeCoverage(coverage)}`);
    const parser = await pythonParser();
    const roots = new Set(after.packages.concat(before.packages));
    const broken = new Map<string, ApiBreak>();
    for (const b of breaks) for (const p of [b.object, ...(b.aliases ?? [])]) broken.set(p, b);
    const hits: ImpactHit[] = [];
    const privateCoupling: DownstreamImpact["privateCoupling"] = [];
    const warnings: string[] = coverage.missing ? [`${describeCoverage(coverage)}: ${coverage.missingPaths.slice(0, 5).join(", ")}${coverage.missing > 5 ? ", ..." : ""}`] : [];
    const decoder = new TextDecoder("utf-8", { fatal: true });
    for (const f of files) {
      if (f.missing) continue;
      if ((f.size ?? 0) > MAX_FILE_BYTES) {
        warnings.push(`${f.path}: too large; not read`);
        continue;
      }
      let text: string;
      try {
        text = decoder.decode((await repo.readBlob(f.oid)) ?? Buffer.alloc(0));
      } catch {
        warnings.push(`${f.path}: not UTF-8; not read`);
        continue;
      }
      const facts = parser.read(text, (root) => moduleFacts(root, { calls: true }));
      // Local names bound to upstream paths by this file's imports.
      const bound = new Map<string, string>();
      for (const i of facts.imports) {
        if (i.level > 0 || !roots.has(i.module.split(".")[0]!)) continue;
        const target = i.name === null ? (i.alias === i.module.split(".")[0] ? i.module.split(".")[0]! : i.module) : `${i.module}.${i.name}`;
        bound.set(i.alias, target);
        const full = i.name === null ? i.module : `${i.module}.${i.name}`;
        if (full.split(".").some((p) => p.startsWith("_") && !p.startsWith("__"))) privateCoupling.push({ file: f.path, line: i.line, path: full });
        const b = broken.get(full);
        if (b && (b.kind === "object-removed" || b.kind === "object-moved" || b.kind === "object-kind-changed")) {
          hits.push({ object: b.object, ...(full !== b.object ? { via: full } : {}), file: f.path, line: i.line, use: "import", breaks: b.kind !== "object-kind-changed", why: b.kind === "object-moved" ? `moved to ${b.to?.path}` : b.kind === "object-removed" ? "no longer importable" : `now a ${b.to?.kind}` });
        }
      }
      for (const c of facts.calls) {
        const head = c.callee.split(".")[0]!;
        const base = bound.get(head);
        if (!base) continue;
        const target = [base, ...c.callee.split(".").slice(1)].join(".");
        // A class call is a call of its __init__.
        for (const candidate of [target, `${target}.__init__`]) {
          const b = broken.get(candidate);
          if (!b) continue;
          if (b.kind !== "signature-changed") {
            hits.push({ object: b.object, ...(candidate !== b.object ? { via: candidate } : {}), file: f.path, line: c.line, use: "call", breaks: true, why: b.kind === "object-moved" ? `moved to ${b.to?.path}` : `${b.kind.replace(/-/g, " ")}` });
            continue;
          }
          const nowObject = after.objects.get(candidate);
          const now = nowObject?.params;
          // Calls resolved through imported names reach a method through its class, never an instance.
          const explicitSelf = nowObject?.kind === "method" && bindingOf(nowObject) === "instance method" && !candidate.endsWith(".__init__");
          const via = candidate !== b.object ? { via: candidate } : {};
          if (c.splat) hits.push({ object: b.object, ...via, file: f.path, line: c.line, use: "call", breaks: "unknown", why: "*args or **kwargs at the call" });
          else if (now) {
            const why = bindFailure(c, now, explicitSelf);
            hits.push({ object: b.object, ...via, file: f.path, line: c.line, use: "call", breaks: why !== null, why: why ?? "the call still binds to the new signature" });
          }
        }
      }
    }
    hits.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line));
    return {
      source: path,
      ref,
      commit,
      files: files.length,
      hits,
      privateCoupling,
      summary: { hits: hits.length, breaking: hits.filter((h) => h.breaks === true).length, objects: new Set(hits.map((h) => h.object)).size, privateImports: privateCoupling.length },
      coverage,
      warnings,
    };
  } finally {
    repo.close();
  }
}
