import type { Param } from "../../python/facts.js";
import type { ApiObject, Surface } from "./surface.js";

/**
 * Breaking changes between two surfaces: one finding per changed object,
 * listing its parts (no cascade of "moved" for every later parameter),
 * `**kwargs` forwarding taken into account, additions apart.
 */

export type BreakKind = "object-removed" | "object-moved" | "object-kind-changed" | "signature-changed" | "base-removed";

export type PartKind =
  | "parameter-removed"
  | "parameter-absorbed-by-kwargs"
  | "parameter-renamed"
  | "parameter-moved"
  | "parameter-kind-changed"
  | "required-parameter-added"
  | "default-removed"
  | "var-positional-removed"
  | "var-keyword-removed"
  | "default-changed"
  | "annotation-changed"
  | "return-annotation-changed"
  | "method-binding-changed"
  | "base-removed";

export interface Part {
  kind: PartKind;
  /** The parameter (or base class) concerned, as in the earlier release. */
  name: string;
  /** What it was, where that applies (the old default of a changed default). */
  from?: string;
  /** What it became, where that applies (new name, new kind, new position). */
  to?: string;
  /** Weaker than a break: old calls may still work (a keyword now absorbed by a forwarded **kwargs). */
  weak?: boolean;
}

export interface Finding {
  object: string;
  kind: BreakKind;
  parts: Part[];
  /** Where the object was (earlier release) and, if it still exists, where it is. */
  file: string;
  line: number;
  to?: { path?: string; file: string; line: number; kind?: string };
  /** Other public paths of the same definition with the same change (re-exports): one finding, not one per path. */
  aliases?: string[];
}

export interface Addition {
  object: string;
  kind: "object-added" | "parameter-added";
  parts: { name: string; kind: string }[];
  file: string;
  line: number;
}

const POSITIONAL = new Set(["positional-only", "positional-or-keyword"]);

/** The signature change parts of a function, or none. */
export function signatureParts(before: Param[], after: Param[], forwardsKwargs: boolean): { parts: Part[]; added: Param[] } {
  // Bound methods: self/cls are not part of what callers pass.
  const drop = (ps: Param[]) => (ps[0] && (ps[0].name === "self" || ps[0].name === "cls") ? ps.slice(1) : ps);
  const old = drop(before);
  const now = drop(after);
  const parts: Part[] = [];
  const byName = new Map(now.map((p) => [p.name, p]));
  const oldNames = new Set(old.map((p) => p.name));
  const renamedTo = new Set<string>();
  const hasVarKw = now.some((p) => p.kind === "var-keyword");
  for (const [i, p] of old.entries()) {
    if (p.kind === "var-positional" || p.kind === "var-keyword") {
      if (!now.some((q) => q.kind === p.kind)) parts.push({ kind: p.kind === "var-positional" ? "var-positional-removed" : "var-keyword-removed", name: p.name });
      continue;
    }
    const q = byName.get(p.name);
    if (!q) {
      // Renamed: the same slot now holds a new name of the same kind that the old signature did not have.
      const slot = now[i];
      if (slot && !oldNames.has(slot.name) && slot.kind === p.kind && !renamedTo.has(slot.name)) {
        renamedTo.add(slot.name);
        parts.push({ kind: "parameter-renamed", name: p.name, to: slot.name });
      } else if (hasVarKw && p.kind !== "positional-only") {
        parts.push({ kind: "parameter-absorbed-by-kwargs", name: p.name, ...(forwardsKwargs ? { weak: true } : {}), to: forwardsKwargs ? "**kwargs (forwarded)" : "**kwargs" });
      } else parts.push({ kind: "parameter-removed", name: p.name });
      continue;
    }
    if (q.kind !== p.kind && !(p.kind === "positional-only" && q.kind === "positional-or-keyword") && !(p.kind === "keyword-only" && q.kind === "positional-or-keyword")) {
      parts.push({ kind: "parameter-kind-changed", name: p.name, to: q.kind });
    }
    if (p.default !== null && q.default === null && q.kind !== "var-keyword") parts.push({ kind: "default-removed", name: p.name });
    // Calls still bind, but behave or type-check differently: weak parts.
    else if (p.default !== null && q.default !== null && norm(p.default) !== norm(q.default)) parts.push({ kind: "default-changed", name: p.name, from: p.default, to: q.default, weak: true });
    // A parameter that now accepts more (`str` -> `str | None`) breaks no caller: only a narrowed or different type is a part.
    if (p.annotation !== null && q.annotation !== null && !accepts(q.annotation, p.annotation)) parts.push({ kind: "annotation-changed", name: p.name, to: q.annotation, weak: true });
  }
  // Moved: the relative order of the positional parameters both releases have changed (insertions and removals alone move nothing).
  const commonOld = old.filter((p) => POSITIONAL.has(p.kind) && POSITIONAL.has(byName.get(p.name)?.kind ?? "")).map((p) => p.name);
  const commonNew = now.filter((p) => POSITIONAL.has(p.kind) && oldNames.has(p.name) && commonOld.includes(p.name)).map((p) => p.name);
  // The fewest moved: those outside a longest common subsequence of the two orders.
  const stay = lcs(commonOld, commonNew);
  for (const name of commonOld) if (!stay.has(name)) parts.push({ kind: "parameter-moved", name, to: `position ${now.findIndex((p) => p.name === name) + 1}` });
  // A new positional parameter inserted before existing ones shifts them: a positional caller now binds
  // its arguments to other parameters. One part for the whole shift, not one per shifted parameter.
  // A keyword-only parameter made positional in front of them is new to positional callers too.
  if (!parts.some((p) => p.kind === "parameter-moved")) {
    const oldPos = old.filter((p) => POSITIONAL.has(p.kind)).map((p) => p.name);
    const newPos = now.filter((p) => POSITIONAL.has(p.kind)).map((p) => p.name);
    const shifted = oldPos.filter((n, i) => newPos.indexOf(n) > i);
    if (shifted.length) {
      const first = shifted[0]!;
      const inserted = newPos.slice(0, newPos.indexOf(first)).filter((n) => !oldPos.includes(n));
      if (inserted.length) {
        parts.push({ kind: "parameter-moved", name: first, to: `position ${newPos.indexOf(first) + 1} (was ${oldPos.indexOf(first) + 1}): new ${inserted.map((n) => `'${n}'`).join(", ")} before it${shifted.length > 1 ? `; ${shifted.length - 1} later parameter(s) shift too` : ""}` });
      }
    }
  }
  const added: Param[] = [];
  for (const q of now) {
    if (oldNames.has(q.name) || renamedTo.has(q.name)) continue;
    if (q.kind === "var-positional" || q.kind === "var-keyword") {
      added.push(q);
      continue;
    }
    if (q.default === null) parts.push({ kind: "required-parameter-added", name: q.name, to: q.kind });
    else added.push(q);
  }
  return { parts, added };
}

/** Two parameter lists that are the same, part for part (signatureParts finds nothing between them). */
function sameParams(a: Param[], b: Param[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const p = a[i]!;
    const q = b[i]!;
    if (p.name !== q.name || p.kind !== q.kind || p.default !== q.default || p.annotation !== q.annotation) return false;
  }
  return true;
}

function sameStrings(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** Splits at top-level commas or pipes (not inside brackets or parentheses). */
function splitTop(code: string, sep: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let from = 0;
  for (let i = 0; i < code.length; i++) {
    const c = code[i];
    if (c === "[" || c === "(") depth++;
    else if (c === "]" || c === ")") depth--;
    else if (c === sep && depth === 0) {
      out.push(code.slice(from, i));
      from = i + 1;
    }
  }
  out.push(code.slice(from));
  return out.map((x) => x.trim()).filter(Boolean);
}

/**
 * The members of a type annotation read as a union: `X | None`,
 * `Optional[X]`, `Union[X, Y]` (also as `typing.` or `t.`), nested; a
 * string annotation is read inside its quotes; `NoneType` is `None`.
 */
export function unionMembers(annotation: string): Set<string> {
  const out = new Set<string>();
  const add = (t: string) => {
    const x = norm(t).replace(/^(["'])(.*)\1$/, "$2");
    const m = /^(?:typing\.|t\.)?(Optional|Union)\[(.*)\]$/.exec(x);
    if (m) {
      for (const part of splitTop(m[2]!, ",")) add(part);
      if (m[1] === "Optional") out.add("None");
      return;
    }
    const pipes = splitTop(x, "|");
    if (pipes.length > 1) for (const part of pipes) add(part);
    else out.add(x === "NoneType" || x === "type(None)" ? "None" : x);
  };
  add(annotation);
  return out;
}

/** Whether a value of every type `old` names is still accepted by `now` (the same union, or a wider one). */
export function accepts(now: string, old: string): boolean {
  if (norm(now) === norm(old)) return true;
  const wide = unionMembers(now);
  for (const t of unionMembers(old)) if (!wide.has(t)) return false;
  return true;
}

/** Code as written, without the whitespace and trailing commas that formatters change. */
function norm(code: string): string {
  // 'x' and "x" are the same Python string (only plain literals: no quote or escape inside).
  return code.replace(/'([^'"\\]*)'/g, '"$1"').replace(/\s+/g, "").replace(/,([)\]}])/g, "$1");
}

function lcs(a: string[], b: string[]): Set<string> {
  const dp = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--) for (let j = b.length - 1; j >= 0; j--) dp[i]![j] = a[i] === b[j] ? dp[i + 1]![j + 1]! + 1 : Math.max(dp[i + 1]![j]!, dp[i]![j + 1]!);
  const out = new Set<string>();
  for (let i = 0, j = 0; i < a.length && j < b.length; ) {
    if (a[i] === b[j]) {
      out.add(a[i]!);
      i++;
      j++;
    } else if (dp[i + 1]![j]! >= dp[i]![j + 1]!) i++;
    else j++;
  }
  return out;
}

const CALLABLE = new Set(["function", "method"]);

type Binding = "staticmethod" | "classmethod" | "instance method";

/** How a method binds its first argument, from its decorators. */
export function bindingOf(o: ApiObject): Binding {
  const d = o.decorators ?? [];
  if (d.some((x) => x === "staticmethod" || x.endsWith(".staticmethod"))) return "staticmethod";
  if (d.some((x) => x === "classmethod" || x.endsWith(".classmethod"))) return "classmethod";
  return "instance method";
}

/**
 * A method that changed how it binds. Calls through the class (`Cls.m(x)`) are
 * what static and class methods are for: they break when it becomes an
 * instance method. An instance method becoming static or a class method
 * breaks only `Cls.m(obj, ...)` calls, which are rare: weak. (Signatures are
 * compared without self/cls, so griffe's "self removed" plus a "moved" per
 * later parameter is one part here.)
 */
function bindingPart(o: ApiObject, n: ApiObject): Part | null {
  if (o.kind !== "method" || n.kind !== "method") return null;
  const [was, now] = [bindingOf(o), bindingOf(n)];
  if (was === now || (was !== "instance method" && now !== "instance method")) return null;
  if (now === "instance method") return { kind: "method-binding-changed", name: was, to: "instance method: calls through the class now miss the instance argument" };
  return { kind: "method-binding-changed", name: was, to: `${now}: calls through an instance still work; Class.method(obj, ...) passes one argument too many`, weak: true };
}

/**
 * A signature change whose every part is a changed default: every call binds
 * as before (the function may behave differently when the argument is left
 * out), so no caller breaks. Listed apart from the breaks, with its evidence.
 */
export function defaultsOnly(f: Finding): boolean {
  return f.kind === "signature-changed" && f.parts.length > 0 && f.parts.every((p) => p.kind === "default-changed");
}

/** Compares two surfaces: breaking findings, signature changes that break no call (defaults only), additions. */
export function diffSurfaces(from: Surface, to: Surface): { breaking: Finding[]; nonBreaking: Finding[]; additions: Addition[] } {
  const breaking: Finding[] = [];
  const additions: Addition[] = [];
  // Objects by their last name, for "moved" (one candidate only).
  const byLeaf = new Map<string, ApiObject[]>();
  // Paths new at `to`: where something may have moved, and the additions (one lookup each, not two).
  const fresh: ApiObject[] = [];
  for (const o of to.objects.values()) {
    // Only new paths can be where something moved.
    if (from.objects.has(o.path)) continue;
    fresh.push(o);
    const leaf = o.path.slice(o.path.lastIndexOf(".") + 1);
    // Pushed in place: a generated package has thousands of objects with the same leaf name (copying was quadratic).
    const list = byLeaf.get(leaf);
    if (list) list.push(o);
    else byLeaf.set(leaf, [o]);
  }
  // Paths are visited in sorted order, so the members of a removed class or module come right after
  // it ("a.b" < "a.b.c" < "a.b_c": "." sorts before every identifier character): one prefix to test.
  let removedParent: string | null = null;
  const underRemoved = (path: string) => removedParent !== null && path.startsWith(removedParent);
  /** Where a removed object went: the one new object of the same name and kind, if there is exactly one. */
  const movedTo = (path: string): ApiObject | null => {
    const o = from.objects.get(path);
    if (!o || to.objects.has(path)) return null;
    const leaf = path.slice(path.lastIndexOf(".") + 1);
    const candidates = (byLeaf.get(leaf) ?? []).filter((x) => x.kind === o.kind && !from.objects.has(x.path));
    return candidates.length === 1 ? candidates[0]! : null;
  };
  /** Whether a class at `to` still offers member `name` through a base class the surface knows (depth-limited). */
  const inherited = (cls: string, name: string, depth = 0): boolean => {
    if (depth > 6) return false;
    for (const base of to.objects.get(cls)?.bases ?? []) {
      if (to.objects.has(`${base}.${name}`) || inherited(base, name, depth + 1)) return true;
    }
    return false;
  };
  for (const [path, o] of [...from.objects].sort(([a], [b]) => (a < b ? -1 : 1))) {
    // Members of a removed class or module are one finding, not one per member.
    if (underRemoved(path)) continue;
    const n = to.objects.get(path);
    // A member a subclass stopped defining (or assigning) that its base class provides is still there for callers.
    if (!n && (o.kind === "method" || o.kind === "attribute" || o.kind === "property") && inherited(path.slice(0, path.lastIndexOf(".")), path.slice(path.lastIndexOf(".") + 1))) continue;
    // Still importable at its old path (a module that keeps importing it, or defines it outside its `__all__`): not removed, not moved.
    if (!n && to.importable.has(path) && from.objects.get(path.slice(0, path.lastIndexOf(".")))?.kind === "module") {
      // Its members go with it (a class kept but dropped from `__all__` keeps its methods).
      if (o.kind === "class" || o.kind === "module") removedParent = `${path}.`;
      continue;
    }
    if (!n) {
      const moved = movedTo(path);
      breaking.push({ object: path, kind: moved ? "object-moved" : "object-removed", parts: [], file: o.file, line: o.line, ...(moved ? { to: { path: moved.path, file: moved.file, line: moved.line } } : {}) });
      if (o.kind === "class" || o.kind === "module") removedParent = `${path}.`;
      continue;
    }
    if (n.kind !== o.kind && !(o.kind === "unresolved" || n.kind === "unresolved") && !(CALLABLE.has(o.kind) && CALLABLE.has(n.kind))) {
      breaking.push({ object: path, kind: "object-kind-changed", parts: [], file: o.file, line: o.line, to: { file: n.file, line: n.line, kind: n.kind } });
      continue;
    }
    // The same definition read from the same blob at both refs holds the same arrays: nothing to compare.
    if (o.params && n.params && (o.params !== n.params || o.returns !== n.returns || o.decorators !== n.decorators)) {
      // Most of these are the same signature read from a changed file (or inherited from one by many
      // subclasses: 7,054 of 7,287 on DeepSpeed v0.14.0 -> v0.15.0): nothing to compare part by part.
      const { parts, added } = sameParams(o.params, n.params) ? { parts: [] as Part[], added: [] as Param[] } : signatureParts(o.params, n.params, n.forwardsKwargs === true);
      // A return type that narrowed (`str | None` -> `str`) breaks no caller: callers handled every old case.
      if (o.returns && n.returns && o.returns !== n.returns && !accepts(o.returns, n.returns)) parts.push({ kind: "return-annotation-changed", name: "return", to: n.returns, weak: true });
      const binding = bindingPart(o, n);
      if (binding) parts.unshift(binding);
      if (parts.length) breaking.push({ object: path, kind: "signature-changed", parts, file: o.file, line: o.line, to: { file: n.file, line: n.line } });
      if (added.length) additions.push({ object: path, kind: "parameter-added", parts: added.map((p) => ({ name: p.name, kind: p.kind })), file: n.file, line: n.line });
    }
    // Bases written the same way at both refs: none gone.
    if (o.bases && n.bases && !sameStrings(o.bases, n.bases)) {
      // Bases are dotted names resolved through imports; one that moved but is still re-exported at
      // its old path is the same class (both paths lead to one definition).
      // A base class that moved is reported once, as moved, not again at every subclass.
      const defOf = (b: string) => to.objects.get(b)?.aliasOf ?? b;
      const now = new Set(n.bases.map(defOf));
      const same = (b: string) => {
        if (n.bases!.includes(b) || now.has(defOf(b))) return true;
        const m = movedTo(b);
        return m !== null && now.has(defOf(m.path));
      };
      // A base the class reaches through a new base of the package is still its base
      // (LinearLayer(nn.Module) -> LinearLayer(TensorParallel_Layer), which derives from nn.Module).
      const inheritedThrough = (b: string): boolean => {
        const seen = new Set<string>();
        const reaches = (cls: string, depth: number): boolean => {
          if (depth > 16 || seen.has(cls)) return false;
          seen.add(cls);
          return (to.objects.get(cls)?.bases ?? []).some((x) => x === b || defOf(x) === defOf(b) || reaches(defOf(x), depth + 1));
        };
        return n.bases!.some((x) => reaches(defOf(x), 0));
      };
      const gone = o.bases.filter((b) => b !== "object" && !same(b) && !inheritedThrough(b));
      if (gone.length) breaking.push({ object: path, kind: "base-removed", parts: gone.map((b) => ({ kind: "base-removed", name: b })), file: o.file, line: o.line, to: { file: n.file, line: n.line } });
    }
  }
  for (const n of fresh) {
    const path = n.path;
    // A member a subclass inherits is added once, where its base class defines it (when that path is public).
    if (n.inheritedFrom && n.aliasOf && to.objects.has(n.aliasOf)) continue;
    additions.push({ object: path, kind: "object-added", parts: [], file: n.file, line: n.line });
  }
  additions.sort((a, b) => (a.object < b.object ? -1 : 1));
  const grouped = groupAliases(breaking, (p) => from.objects.get(p)?.aliasOf ?? p);
  return { breaking: grouped.filter((f) => !defaultsOnly(f)), nonBreaking: grouped.filter(defaultsOnly), additions };
}

/**
 * One finding per changed definition: a change seen at several public paths
 * of one definition (re-exports, members reached through a re-exported
 * class or a subclass that inherits them) is reported once, with the other
 * paths as aliases. The finding's object is the definition's own path when
 * it is public, else the shortest path; a removal or move folds the same
 * way (each alias is still a path that breaks).
 */
function groupAliases(findings: Finding[], definitionOf: (path: string) => string): Finding[] {
  const groups = new Map<string, Finding[]>();
  for (const f of findings) {
    // The same definition (file and line) with the same change, whichever public path reaches it.
    const key = `${f.kind}\0${f.file}:${f.line}\0${JSON.stringify(f.parts)}\0${f.to?.path ?? ""}\0${f.to?.kind ?? ""}\0${definitionOf(f.object)}`;
    const group = groups.get(key);
    if (group) group.push(f);
    else groups.set(key, [f]);
  }
  const out: Finding[] = [];
  for (const g of groups.values()) {
    const own = (f: Finding) => (definitionOf(f.object) === f.object ? 0 : 1);
    const sorted = [...g].sort((a, b) => own(a) - own(b) || a.object.split(".").length - b.object.split(".").length || (a.object < b.object ? -1 : 1));
    out.push({ ...sorted[0]!, ...(sorted.length > 1 ? { aliases: sorted.slice(1).map((x) => x.object) } : {}) });
  }
  return out.sort((a, b) => (a.object < b.object ? -1 : 1));
}
