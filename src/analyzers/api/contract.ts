import { parse as parseToml } from "smol-toml";
import { InputError } from "../../errors.js";
import { Repository } from "../../git/repository.js";
import { coverageOf, describeCoverage, type Coverage } from "../../git/tree.js";
import { dottedName, moduleCouplings, setupEntryPoints, type ModuleCouplings } from "../../python/couplings.js";
import type { Param } from "../../python/facts.js";
import { pythonParser } from "../../python/parser.js";
import { signatureParts, type Part } from "./diff.js";
import { bindFailure, parseDownstream } from "./impact.js";
import { MAX_FILE_BYTES } from "./surface.js";
import type { Found, UpstreamIndex } from "./upstream.js";

/**
 * A plugin's contract with its upstream (issue: plugin contract radar):
 * every place a downstream couples to upstream code — imports, calls,
 * subclasses and the methods they override, monkey-patches, registrations —
 * each resolved to the upstream dotted path through the plugin's own
 * imports and aliases, with file and line. Read statically: the plugin is
 * parsed, never imported. Then a verdict per coupling against an upstream
 * range FROM..TO: does the target still exist, where, with which signature.
 */

export type CouplingStatus = "ok" | "removed" | "signature-changed" | "moved" | "private" | "not-found";
export type PatchKind = "assign" | "setattr" | "mock" | "decorator";

export interface Judgement {
  status: CouplingStatus;
  /** The target has a `_`-internal part: outside any API promise, whatever its status. */
  private: boolean;
  /** Why, in words (where it moved, what changed). */
  why?: string;
  /** moved: the definition's new path. */
  to?: string;
  /** signature-changed: the signature at FROM and at TO, and the parts that break callers or replacements. */
  signature?: { from: string; to: string; parts: Part[] };
}

interface Site {
  file: string;
  line: number;
}

export interface ImportCoupling extends Site, Partial<Judgement> {
  target: string;
}
export interface CallCoupling extends Site, Partial<Judgement> {
  target: string;
  /** When the signature changed: does this call's shape still bind (unknown with *args/**kwargs)? */
  binds?: boolean | "unknown";
}
export interface SubclassCoupling extends Site, Partial<Judgement> {
  base: string;
  class: string;
}
export interface OverrideCoupling extends Site, Partial<Judgement> {
  base: string;
  /** The class of the plugin that overrides. */
  class: string;
  method: string;
  /** The upstream member overridden (the base's own or one it inherits). */
  target: string;
}
export interface PatchCoupling extends Site, Partial<Judgement> {
  target: string;
  kind: PatchKind;
}
export interface RegistrationCoupling extends Site {
  kind: "entry-point" | "call";
  /** entry-point: the group upstream reads (`vllm.platform_plugins`); call: the upstream register function. */
  target: string;
  /** entry-point: `name = module:object` as declared. */
  spec?: string;
  status?: CouplingStatus;
  private?: boolean;
  why?: string;
}
export interface Unresolved extends Site {
  kind: PatchKind;
  expression: string;
  why: string;
}
export interface ThirdPartyPatch extends Site {
  target: string;
  /** The top-level module patched (torch, transformers). */
  module: string;
  kind: PatchKind;
}

export interface Couplings {
  imports: ImportCoupling[];
  calls: CallCoupling[];
  subclasses: SubclassCoupling[];
  /** Only once judged (the methods the upstream base really has). */
  overrides: OverrideCoupling[];
  patches: PatchCoupling[];
  registrations: RegistrationCoupling[];
  /** Patch sites whose target is computed at run time (`setattr(obj, name_var, f)`): listed, never guessed. */
  unresolved: Unresolved[];
  /** Patches of modules that are neither upstream nor the plugin's own (torch, transformers...). */
  thirdPartyPatches: ThirdPartyPatch[];
}

/** What extraction alone knows: the couplings, and the plugin classes with upstream bases and their methods. */
export interface ExtractedContract extends Omit<Couplings, "overrides" | "calls"> {
  /** Calls with their shape (positional count, keywords, splat), checked against a new signature when judged. */
  calls: (CallCoupling & { shape: { positional: number; keywords: string[]; splat: boolean } })[];
  source: string;
  ref: string;
  commit: string;
  files: number;
  classes: { class: string; base: string; file: string; line: number; methods: { name: string; line: number; params: Param[] }[] }[];
  coverage: Coverage;
  warnings: string[];
}

const isPrivate = (path: string) => path.split(".").some((p) => p.startsWith("_") && !/^__\w+__$/.test(p));

const MOCK_PATCH = new Set(["unittest.mock.patch", "mock.patch"]);
const MOCK_OBJECT = new Set(["unittest.mock.patch.object", "mock.patch.object"]);
/** Decorators that install the function they decorate somewhere else (`@patch_to(Engine)`, `@replace(mod, "f")`). */
const REPLACING_DECORATOR = /(?:^|_)(?:patch|patches|patch_to|replace|replaces|override|overrides|monkey\w*|hijack\w*)$/i;

/**
 * The contract of one downstream at a ref: every coupling to the upstream
 * packages `roots`. Syntax errors and non-UTF-8 files are handled as the
 * API analyzer does (read what parses; skip and say so).
 */
export async function extractContract(spec: string, roots: Set<string>, opts: { fetchMissing?: boolean } = {}): Promise<ExtractedContract> {
  const { path, ref } = parseDownstream(spec);
  const repo = await Repository.open(path);
  try {
    const commit = await repo.resolveCommit(ref);
    const all = await repo.listTree(commit, { filter: (p) => p.endsWith(".py") || p === "pyproject.toml" });
    const files = all.filter((f) => f.path.endsWith(".py"));
    if (!files.length) throw new InputError(`no Python files in ${spec}`);
    const fetched = opts.fetchMissing ? await repo.fetchMissing(all) : 0;
    const coverage = await coverageOf(repo.gitDir, files, fetched);
    if (coverage.missing === files.length) throw new InputError(`nothing to read in ${spec}: ${describeCoverage(coverage)}`);
    const warnings: string[] = coverage.missing ? [`${describeCoverage(coverage)}: ${coverage.missingPaths.slice(0, 5).join(", ")}${coverage.missing > 5 ? ", ..." : ""}`] : [];
    // The plugin's own top-level packages: patches of its own code are not couplings.
    const own = new Set(files.map((f) => f.path.replace(/^src\//, "").split("/")[0]!.replace(/\.py$/, "")));
    for (const r of roots) own.delete(r);
    const parser = await pythonParser();
    const decoder = new TextDecoder("utf-8", { fatal: true });
    const out: ExtractedContract = { source: path, ref, commit, files: files.length, imports: [], calls: [], subclasses: [], patches: [], registrations: [], unresolved: [], thirdPartyPatches: [], classes: [], coverage, warnings };
    const textOf = async (oid: string, p: string): Promise<string | null> => {
      try {
        return decoder.decode((await repo.readBlob(oid)) ?? Buffer.alloc(0));
      } catch {
        warnings.push(`${p}: not UTF-8; not read`);
        return null;
      }
    };
    for (const f of all) {
      if (f.missing) continue;
      if ((f.size ?? 0) > MAX_FILE_BYTES) {
        warnings.push(`${f.path}: too large; not read`);
        continue;
      }
      const text = await textOf(f.oid, f.path);
      if (text === null) continue;
      if (f.path === "pyproject.toml") {
        out.registrations.push(...pyprojectEntryPoints(text, roots, warnings));
        continue;
      }
      const c = parser.read(text, (root) => moduleCouplings(root));
      if (c.errors.length) warnings.push(`${f.path}:${c.errors[0]}: syntax error${c.errors.length > 1 ? ` (and ${c.errors.length - 1} more)` : ""}; read what parses`);
      fileCouplings(f.path, c, roots, own, out);
      if (f.path === "setup.py") {
        for (const e of parser.read(text, setupEntryPoints)) if (roots.has(e.group.split(/[._]/)[0]!)) out.registrations.push({ kind: "entry-point", target: e.group, spec: e.spec, file: f.path, line: e.line });
      }
    }
    return out;
  } finally {
    repo.close();
  }
}

/** `[project.entry-points."group"]` and `[tool.poetry.plugins."group"]` tables for upstream groups, with the line of each entry. */
function pyprojectEntryPoints(text: string, roots: Set<string>, warnings: string[]): RegistrationCoupling[] {
  let doc: Record<string, unknown>;
  try {
    doc = parseToml(text);
  } catch (e) {
    warnings.push(`pyproject.toml: not valid TOML (${e instanceof Error ? e.message.split("\n")[0] : String(e)}); entry points not read`);
    return [];
  }
  const project = doc.project as Record<string, unknown> | undefined;
  const poetry = (doc.tool as Record<string, Record<string, unknown>> | undefined)?.poetry;
  const out: RegistrationCoupling[] = [];
  const lines = text.split("\n");
  for (const tables of [project?.["entry-points"], poetry?.plugins]) {
    if (!tables || typeof tables !== "object") continue;
    for (const [group, entries] of Object.entries(tables as Record<string, unknown>)) {
      if (!roots.has(group.split(/[._]/)[0]!) || !entries || typeof entries !== "object") continue;
      const header = lines.findIndex((l) => /^\s*\[/.test(l) && l.includes(group));
      for (const [name, value] of Object.entries(entries as Record<string, unknown>)) {
        const at = lines.findIndex((l, i) => i > header && new RegExp(`^\\s*["']?${name.replace(/[.*+?^${}()|[\]\\-]/g, "\\$&")}["']?\\s*=`).test(l));
        out.push({ kind: "entry-point", target: group, spec: `${name} = ${String(value)}`, file: "pyproject.toml", line: at + 1 || header + 1 });
      }
    }
  }
  return out;
}

/** Resolves the couplings of one file through its imports and aliases. */
function fileCouplings(file: string, c: ModuleCouplings, roots: Set<string>, own: Set<string>, out: ExtractedContract): void {
  // Local names bound to absolute dotted paths (file-wide: imports inside functions count too).
  const bound = new Map<string, string>();
  for (const i of c.imports) {
    if (i.name === "*") continue;
    if (i.level > 0) {
      bound.set(i.alias, ".");
      continue;
    }
    bound.set(i.alias, i.name === null ? (i.alias === i.module.split(".")[0] ? i.alias : i.module) : `${i.module}.${i.name}`);
    if (roots.has(i.module.split(".")[0]!)) out.imports.push({ target: i.name === null ? i.module : `${i.module}.${i.name}`, file, line: i.line });
  }
  const resolve = (expr: string): string | null => {
    // Only names resolve: `tl.load(p).to` or `sys.modules["x"].Y` is not an upstream path.
    if (dottedName(expr) !== expr) return null;
    const parts = expr.split(".");
    const base = bound.get(parts[0]!);
    if (!base || base === ".") return null;
    return [base, ...parts.slice(1)].join(".");
  };
  for (const a of [...c.aliases].sort((x, y) => x.line - y.line)) {
    const r = resolve(a.value);
    if (r) bound.set(a.name, r);
  }
  const rootOf = (p: string) => p.split(".")[0]!;
  const where = (p: string): "upstream" | "own" | "external" => (roots.has(rootOf(p)) ? "upstream" : own.has(rootOf(p)) ? "own" : "external");
  const patch = (target: string, kind: PatchKind, line: number) => {
    const w = where(target);
    if (w === "upstream") out.patches.push({ target, kind, file, line });
    else if (w === "external") out.thirdPartyPatches.push({ target, module: rootOf(target), kind, file, line });
  };
  const dynamic = (object: string | null, kind: PatchKind, expression: string, line: number, why: string) => {
    // Only sites that patch upstream or third-party code: `setattr(self, k, v)` in the plugin's own classes is not a coupling.
    if (object !== null && where(object) !== "own") out.unresolved.push({ kind, expression, file, line, why });
  };
  const decoratorCallees = new Set(c.decorators.map((d) => `${d.line}\0${d.callee}`));
  for (const call of c.calls) {
    const callee = resolve(call.callee);
    const [first, second] = call.args;
    if (call.callee === "setattr" && !bound.has("setattr")) {
      const object = first ? resolve(first.text) : null;
      if (object === null) continue;
      if (second?.string) patch(`${object}.${second.string}`, "setattr", call.line);
      else dynamic(object, "setattr", `setattr(${first!.text}, ${second?.text ?? "?"}, ...)`, call.line, "the attribute name is computed at run time");
      continue;
    }
    const monkeypatch = /^monkeypatch\.setattr$/.test(call.callee) && !bound.has("monkeypatch");
    if ((callee && MOCK_PATCH.has(callee)) || (monkeypatch && first?.string)) {
      if (first?.string) patch(first.string, "mock", call.line);
      else if (first) dynamic("", "mock", `${call.callee}(${first.text}, ...)`, call.line, "the patched path is computed at run time");
      continue;
    }
    if ((callee && MOCK_OBJECT.has(callee)) || monkeypatch) {
      const object = first ? resolve(first.text) : null;
      if (object === null) continue;
      if (second?.string) patch(`${object}.${second.string}`, "mock", call.line);
      else dynamic(object, "mock", `${call.callee}(${first!.text}, ${second?.text ?? "?"}, ...)`, call.line, "the attribute name is computed at run time");
      continue;
    }
    if (!callee || where(callee) !== "upstream") continue;
    if (/^_?register/.test(callee.slice(callee.lastIndexOf(".") + 1))) {
      // A decorator call is listed once, by the decorator pass.
      if (!decoratorCallees.has(`${call.line}\0${call.callee}`)) out.registrations.push({ kind: "call", target: callee, file, line: call.line });
      continue;
    }
    out.calls.push({ target: callee, file, line: call.line, shape: { positional: call.positional, keywords: call.keywords, splat: call.splat } });
  }
  for (const a of c.assigns) {
    const head = a.target.split(".")[0]!;
    if (head === "self" || head === "cls") continue;
    const object = resolve(a.target.slice(0, a.target.lastIndexOf(".")));
    if (object !== null) patch(`${object}${a.target.slice(a.target.lastIndexOf("."))}`, "assign", a.line);
  }
  for (const d of c.decorators) {
    const callee = resolve(d.callee);
    const leaf = d.callee.slice(d.callee.lastIndexOf(".") + 1);
    if (callee && (MOCK_PATCH.has(callee) || MOCK_OBJECT.has(callee))) continue;
    if (callee && where(callee) === "upstream" && /^_?register/.test(leaf)) {
      out.registrations.push({ kind: "call", target: callee, file, line: d.line });
      continue;
    }
    if (!d.call || !REPLACING_DECORATOR.test(leaf) || !d.args[0]) continue;
    const object = resolve(d.args[0].text);
    if (object === null) continue;
    const name = d.args.slice(1).find((x) => x.string !== null)?.string ?? d.decorates;
    patch(`${object}.${name}`, "decorator", d.line);
  }
  for (const k of c.classes) {
    for (const b of k.bases) {
      const base = resolve(b);
      if (!base || where(base) !== "upstream") continue;
      out.subclasses.push({ base, class: k.name, file, line: k.line });
      out.classes.push({ class: k.name, base, file, line: k.line, methods: k.methods });
    }
  }
}

/** A parameter list that binds any call: `*args` and `**kwargs` (after self or cls), nothing required before them. */
function acceptsAnyCall(params: Param[]): boolean {
  const rest = params[0] && params[0].kind !== "var-positional" && params[0].kind !== "var-keyword" ? params.slice(1) : params;
  return rest.some((p) => p.kind === "var-positional") && rest.some((p) => p.kind === "var-keyword") && rest.every((p) => p.kind === "var-positional" || p.kind === "var-keyword" || p.default !== null);
}

/** A signature as Python writes it: `(self, lr, momentum=0.9)`. */
export function signatureText(params: Param[]): string {
  const out: string[] = [];
  let star = false;
  for (const [i, p] of params.entries()) {
    if (p.kind === "keyword-only" && !star) {
      out.push("*");
      star = true;
    }
    if (p.kind === "var-positional") star = true;
    out.push((p.kind === "var-positional" ? "*" : p.kind === "var-keyword" ? "**" : "") + p.name + (p.annotation ? `: ${p.annotation}` : "") + (p.default !== null ? (p.annotation ? " = " : "=") + p.default : ""));
    if (p.kind === "positional-only" && params[i + 1]?.kind !== "positional-only") out.push("/");
  }
  return `(${out.join(", ")})`;
}

type Use = "use" | "patch" | "override";

/**
 * The verdict on one upstream target between two indexes. A patch or an
 * override replaces a definition, so it is stale when the definition moved
 * (even if the old path still reaches it through a re-export or a base
 * class: upstream's own callers now use the new one) or when its signature
 * changed; a plain use (import, call, subclass) only needs the path to work.
 */
export function judge(target: string, from: UpstreamIndex, to: UpstreamIndex, use: Use): Judgement {
  const priv = isPrivate(target);
  const a = from.lookup(target);
  const b = to.lookup(target);
  const done = (j: Omit<Judgement, "private">): Judgement => ({ ...(j.status === "ok" && priv ? { ...j, status: "private" } : j), private: priv });
  if (!b) {
    if (!a) return done({ status: "not-found", why: from === to ? `not found in ${to.packages.join(", ")} at ${to.ref}` : `not found at ${from.ref} nor at ${to.ref}` });
    const moved = movedTo(a, from, to);
    if (moved) return done({ status: "moved", to: moved.path, why: `moved to ${moved.path} (${moved.file}:${moved.line})` });
    return done({ status: "removed", why: `${a.kind} defined at ${a.file}:${a.line} is gone at ${to.ref}` });
  }
  if (a && use !== "use" && a.path !== b.path && !memberOfSameClass(target, b, to)) {
    const how = b.inherited && !a.inherited ? `now inherited from ${b.inherited.slice(0, b.inherited.lastIndexOf("."))}` : `now defined as ${b.path}`;
    // An override of a member that moved to a base class still overrides it.
    if (!(use === "override" && b.inherited)) return done({ status: "moved", to: b.path, why: `${how} (${b.file}:${b.line}); a replacement at the old path misses it` });
  }
  const [pa, pb] = [a?.def?.params, b.def?.params];
  if (a && pa && pb && use !== "use") {
    const parts = signatureParts(pa, pb, b.def?.forwardsKwargs === true).parts.filter((p) => !p.weak);
    if (parts.length) return done({ status: "signature-changed", signature: { from: signatureText(pa), to: signatureText(pb), parts }, why: `${signatureText(pa)} at ${from.ref}, ${signatureText(pb)} at ${to.ref}` });
  }
  return done({ status: "ok" });
}

/**
 * Whether `target` (`mod.Cls.meth`) reaches, at TO, a member the class itself defines, through the
 * class object its old path still names: a class that moved but is re-exported (vLLM's
 * `vllm.config.ParallelConfig`, now defined in `vllm.config.parallel`) is the same object, so a
 * replacement set on it, or an override in a subclass of it, still lands on the member upstream calls.
 */
function memberOfSameClass(target: string, b: Found, to: UpstreamIndex): boolean {
  if (b.inherited) return false;
  const dot = target.lastIndexOf(".");
  const owner = to.lookup(target.slice(0, dot));
  return owner?.kind === "class" && b.path === `${owner.path}${target.slice(dot)}`;
}

/** Where a definition went: the one definition at TO of the same name and kind that FROM did not have. */
function movedTo(a: Found, from: UpstreamIndex, to: UpstreamIndex): Found | null {
  const leaf = a.path.slice(a.path.lastIndexOf(".") + 1);
  const candidates = (to.byLeaf().get(leaf) ?? []).filter((x) => x.kind === a.kind && from.lookup(x.path) === null);
  return candidates.length === 1 ? candidates[0]! : null;
}

/**
 * Which strings upstream's Python code mentions at a ref: an entry-point
 * group that no upstream file names any more is a registration nobody reads.
 */
export async function mentionedGroups(repo: Repository, commit: string, groups: string[]): Promise<Set<string>> {
  const found = new Set<string>();
  if (!groups.length) return found;
  const decoder = new TextDecoder("utf-8", { fatal: false });
  for (const f of await repo.listTree(commit, { filter: (p) => p.endsWith(".py") })) {
    if (f.missing || (f.size ?? 0) > MAX_FILE_BYTES) continue;
    const text = decoder.decode((await repo.readBlob(f.oid)) ?? Buffer.alloc(0));
    for (const g of groups) if (!found.has(g) && (text.includes(`"${g}"`) || text.includes(`'${g}'`))) found.add(g);
    if (found.size === groups.length) break;
  }
  return found;
}

export interface JudgedContract extends Couplings {
  summary: ContractSummary;
}

export interface ContractSummary {
  /** Distinct upstream paths the downstream couples to, and how many are private. */
  upstreamObjects: number;
  privateObjects: number;
  privateShare: number | null;
  imports: number;
  calls: number;
  subclasses: number;
  overrides: number;
  patches: number;
  registrations: number;
  unresolved: number;
  thirdPartyPatches: number;
  /** Patches, overrides and registrations by verdict; calls that no longer bind. */
  stale: { removed: number; moved: number; signatureChanged: number; notFound: number };
  breakingCalls: number;
}

/**
 * Judges every coupling of an extracted contract between FROM and TO
 * (the same index twice: the contract at one ref, statuses ok / private /
 * not-found). Overrides are the plugin methods its upstream base has.
 */
export function judgeContract(c: ExtractedContract, from: UpstreamIndex, to: UpstreamIndex, groups: { from: Set<string>; to: Set<string> }): JudgedContract {
  const imports = c.imports.map((x) => ({ ...x, ...judge(x.target, from, to, "use") }));
  const calls = c.calls.map((x) => {
    const j = judge(x.target, from, to, "use");
    const shape = x.shape;
    const out: CallCoupling = { target: x.target, file: x.file, line: x.line, ...j };
    // A call needs the path to work and its shape to bind to the new signature.
    const a = from.lookup(x.target);
    const b = to.lookup(x.target);
    const pa = a?.def?.params ?? (a?.kind === "class" ? a.def?.members?.get("__init__")?.params : undefined);
    const pb = b?.def?.params ?? (b?.kind === "class" ? b.def?.members?.get("__init__")?.params : undefined);
    if (shape && pa && pb && from !== to && signatureText(pa) !== signatureText(pb)) {
      const parts = signatureParts(pa, pb, b?.def?.forwardsKwargs === true).parts.filter((p) => !p.weak);
      if (parts.length) {
        // Reached through an imported name, a method is called through its class: self is passed explicitly.
        const owner = to.lookup(x.target.slice(0, x.target.lastIndexOf(".")));
        const explicitSelf = owner?.kind === "class" && b?.kind === "function" && !(b.def?.decorators ?? []).some((d) => /(?:^|\.)(?:staticmethod|classmethod)$/.test(d));
        const failure = shape.splat ? null : bindFailure({ callee: x.target, line: x.line, ...shape }, pb, explicitSelf);
        Object.assign(out, { status: "signature-changed", signature: { from: signatureText(pa), to: signatureText(pb), parts }, binds: shape.splat ? "unknown" : failure === null, why: shape.splat ? "*args or **kwargs at the call" : (failure ?? "the call still binds to the new signature") });
      }
    }
    return out;
  });
  const subclasses = c.subclasses.map((x) => ({ ...x, ...judge(x.base, from, to, "use") }));
  const overrides: OverrideCoupling[] = [];
  for (const k of c.classes) {
    for (const m of k.methods) {
      const target = `${k.base}.${m.name}`;
      const found = from.lookup(target) ?? to.lookup(target);
      if (!found || found.kind === "class" || found.kind === "module") continue;
      const j = judge(target, from, to, "override");
      // An override taking `*args, **kwargs` (and passing them on) accepts the old and the new signature alike:
      // re-signed upstream, it is not stale (vllm-ascend's ExternealDPEngineCoreProc.__init__).
      if (j.status === "signature-changed" && acceptsAnyCall(m.params)) {
        Object.assign(j, { status: j.private ? "private" : "ok", why: `re-signed upstream (${j.why ?? ""}), but the override takes *args and **kwargs: it accepts both` });
      }
      overrides.push({ base: k.base, class: k.class, method: m.name, target: found.path === target ? target : found.path, file: k.file, line: m.line, ...j });
    }
  }
  const patches = c.patches.map((x) => ({ ...x, ...judge(x.target, from, to, "patch") }));
  const registrations = c.registrations.map((x): RegistrationCoupling => {
    if (x.kind === "call") return { ...x, ...judge(x.target, from, to, "use") };
    const [was, is] = [groups.from.has(x.target), groups.to.has(x.target)];
    const status: CouplingStatus = is ? "ok" : was ? "removed" : "not-found";
    return { ...x, status, why: is ? `upstream names the group at ${to.ref}` : was ? `upstream named the group at ${from.ref}, no longer at ${to.ref}` : `no upstream Python file names the group at ${to.ref}` };
  });
  const targets = new Set([...imports, ...calls, ...patches].map((x) => x.target).concat(subclasses.map((x) => x.base), overrides.map((x) => x.target), registrations.filter((r) => r.kind === "call").map((r) => r.target)));
  const priv = [...targets].filter(isPrivate).length;
  const replaced = [...patches, ...overrides, ...registrations];
  const count = (s: CouplingStatus) => replaced.filter((x) => x.status === s).length;
  const sort = <T extends Site>(xs: T[]) => xs.sort((p, q) => (p.file < q.file ? -1 : p.file > q.file ? 1 : p.line - q.line));
  return {
    imports: sort(imports),
    calls: sort(calls),
    subclasses: sort(subclasses),
    overrides: sort(overrides),
    patches: sort(patches),
    registrations: sort(registrations),
    unresolved: sort([...c.unresolved]),
    thirdPartyPatches: sort([...c.thirdPartyPatches]),
    summary: {
      upstreamObjects: targets.size,
      privateObjects: priv,
      privateShare: targets.size ? Math.round((priv / targets.size) * 1000) / 1000 : null,
      imports: imports.length,
      calls: calls.length,
      subclasses: subclasses.length,
      overrides: overrides.length,
      patches: patches.length,
      registrations: registrations.length,
      unresolved: c.unresolved.length,
      thirdPartyPatches: c.thirdPartyPatches.length,
      stale: { removed: count("removed"), moved: count("moved"), signatureChanged: count("signature-changed"), notFound: count("not-found") },
      breakingCalls: calls.filter((x) => x.binds === false || (x.status === "removed" || x.status === "moved")).length,
    },
  };
}
