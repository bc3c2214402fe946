import { paramsOf, type Param } from "./facts.js";
import type { SyntaxNode, TreeCursor } from "./parser.js";

/**
 * What a module does *to* other code, read from one tree-sitter parse: the
 * raw material of a plugin's contract with its upstream. Names are left as
 * written (`engine.Engine.step`); the contract resolves them through the
 * module's imports. Unlike facts.ts this walks every scope: plugins patch
 * inside functions (`def apply_patches(): from vllm import x; x.f = g`).
 */

export interface RawImport {
  /** Absolute module, or relative (level > 0). */
  module: string;
  level: number;
  /** `from m import name`: name; `import m`: null; `from m import *`: "*". */
  name: string | null;
  alias: string;
  line: number;
}

export interface RawCall {
  callee: string;
  line: number;
  positional: number;
  keywords: string[];
  splat: boolean;
  /** Positional arguments as written (whitespace removed), and which are string literals (their value). */
  args: { text: string; string: string | null }[];
}

export interface RawClass {
  name: string;
  line: number;
  bases: string[];
  /** With their parameters: an override taking `*args, **kwargs` accepts any signature upstream gives the member. */
  methods: { name: string; line: number; params: Param[] }[];
}

export interface RawAssign {
  /** The attribute assigned, as written: `engine.Engine.step`. */
  target: string;
  line: number;
}

export interface RawDecorator {
  /** The decorator's callee as written (`patch_to` in `@patch_to(Engine)`, or the whole name when it is not a call). */
  callee: string;
  call: boolean;
  args: { text: string; string: string | null }[];
  /** The function or class it decorates. */
  decorates: string;
  line: number;
}

export interface RawAlias {
  /** A module-level or local name bound to a dotted name: `Engine = engine.Engine`. */
  name: string;
  value: string;
  line: number;
}

export interface ModuleCouplings {
  imports: RawImport[];
  aliases: RawAlias[];
  calls: RawCall[];
  classes: RawClass[];
  assigns: RawAssign[];
  decorators: RawDecorator[];
  /** Lines with syntax errors. */
  errors: number[];
}

const DOTTED = /^[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*$/;

/** A dotted name as written, or null for any other expression. */
export function dottedName(text: string): string | null {
  const t = text.replace(/\s+/g, "");
  return DOTTED.test(t) ? t : null;
}

function lineOf(n: SyntaxNode): number {
  return n.startPosition.row + 1;
}

/** A plain string literal's value (implicitly concatenated parts joined, as Python does; no f-string interpolation), or null. */
function stringLiteral(n: SyntaxNode): string | null {
  if (n.type === "concatenated_string") {
    const parts = n.namedChildren.filter((c) => c.type !== "comment").map(stringLiteral);
    return parts.every((p) => p !== null) ? parts.join("") : null;
  }
  if (n.type !== "string") return null;
  if (n.namedChildren.some((c) => c.type === "interpolation")) return null;
  const m = /^[rRuU]?("""|'''|"|')([\s\S]*)\1$/.exec(n.text);
  return m ? m[2]! : null;
}

function argsOf(call: SyntaxNode): { positional: { text: string; string: string | null }[]; keywords: string[]; splat: boolean } {
  const positional: { text: string; string: string | null }[] = [];
  const keywords: string[] = [];
  let splat = false;
  for (const a of call.childForFieldName("arguments")?.namedChildren ?? []) {
    if (a.type === "keyword_argument") keywords.push(a.childForFieldName("name")?.text ?? "");
    else if (a.type === "list_splat" || a.type === "dictionary_splat") splat = true;
    else if (a.type !== "comment") positional.push({ text: a.text.replace(/\s+/g, ""), string: stringLiteral(a) });
  }
  return { positional, keywords, splat };
}

function importsOf(d: SyntaxNode, out: RawImport[]): void {
  const line = lineOf(d);
  if (d.type === "import_statement") {
    for (const c of d.namedChildren) {
      const name = c.type === "aliased_import" ? c.childForFieldName("name")!.text : c.text;
      const alias = c.type === "aliased_import" ? c.childForFieldName("alias")!.text : name.split(".")[0]!;
      out.push({ module: name, level: 0, name: null, alias, line });
    }
    return;
  }
  const mod = d.childForFieldName("module_name");
  const modText = mod?.text ?? "";
  const level = /^\.+/.exec(modText)?.[0].length ?? 0;
  const module = modText.replace(/^\.+/, "");
  // Node objects are not identical across accessor calls in the wasm binding: compare positions.
  const isModule = (c: SyntaxNode) => mod !== null && c.startPosition.row === mod.startPosition.row && c.startPosition.column === mod.startPosition.column;
  for (const c of d.namedChildren) {
    if (isModule(c)) continue;
    if (c.type === "wildcard_import") out.push({ module, level, name: "*", alias: "*", line });
    else if (c.type === "dotted_name" || c.type === "aliased_import") {
      const name = c.type === "aliased_import" ? c.childForFieldName("name")!.text : c.text;
      const alias = c.type === "aliased_import" ? c.childForFieldName("alias")!.text : name;
      out.push({ module, level, name, alias, line });
    }
  }
}

const WANTED = new Set(["import_statement", "import_from_statement", "call", "class_definition", "assignment", "decorator", "ERROR"]);

/** Every node of a wanted type in the whole tree, nested scopes included (a cursor walk: only matches become nodes). */
function eachNode(root: SyntaxNode, visit: (n: SyntaxNode) => void): void {
  const c: TreeCursor = root.walk();
  for (;;) {
    if (WANTED.has(c.nodeType)) visit(c.currentNode);
    if (c.gotoFirstChild()) continue;
    while (!c.gotoNextSibling()) if (!c.gotoParent()) return;
  }
}

/** The couplings a module's syntax shows. */
export function moduleCouplings(root: SyntaxNode): ModuleCouplings {
  const out: ModuleCouplings = { imports: [], aliases: [], calls: [], classes: [], assigns: [], decorators: [], errors: [] };
  eachNode(root, (n) => {
    switch (n.type) {
      case "ERROR":
        out.errors.push(lineOf(n));
        return;
      case "import_statement":
      case "import_from_statement":
        importsOf(n, out.imports);
        return;
      case "call": {
        const fn = n.childForFieldName("function");
        const callee = fn ? (dottedName(fn.text) ?? fn.text.replace(/\s+/g, "")) : "";
        const { positional, keywords, splat } = argsOf(n);
        out.calls.push({ callee, line: lineOf(n), positional: positional.length, keywords, splat, args: positional });
        return;
      }
      case "class_definition": {
        const body = n.childForFieldName("body");
        const methods: RawClass["methods"] = [];
        for (const stmt of body?.namedChildren ?? []) {
          const d = stmt.type === "decorated_definition" ? stmt.childForFieldName("definition") : stmt;
          if (d?.type === "function_definition") {
            const parameters = d.childForFieldName("parameters");
            methods.push({ name: d.childForFieldName("name")?.text ?? "", line: lineOf(d), params: parameters ? paramsOf(parameters) : [] });
          }
        }
        const bases = (n.childForFieldName("superclasses")?.namedChildren ?? []).filter((b) => b.type !== "keyword_argument" && b.type !== "comment").map((b) => b.text.replace(/\s+/g, ""));
        out.classes.push({ name: n.childForFieldName("name")?.text ?? "", line: lineOf(n), bases, methods });
        return;
      }
      case "assignment": {
        const left = n.childForFieldName("left");
        const right = n.childForFieldName("right");
        if (left?.type === "attribute") {
          const target = dottedName(left.text);
          if (target) out.assigns.push({ target, line: lineOf(n) });
        } else if (left?.type === "identifier" && right) {
          const value = dottedName(right.text);
          if (value) out.aliases.push({ name: left.text, value, line: lineOf(n) });
        }
        return;
      }
      case "decorator": {
        const expr = n.namedChildren.find((c) => c.type !== "comment");
        if (!expr) return;
        const def = n.parent?.childForFieldName("definition");
        const decorates = def?.childForFieldName("name")?.text ?? "";
        if (expr.type === "call") {
          const fn = expr.childForFieldName("function");
          const callee = fn ? dottedName(fn.text) : null;
          if (callee) out.decorators.push({ callee, call: true, args: argsOf(expr).positional, decorates, line: lineOf(n) });
        } else {
          const callee = dottedName(expr.text);
          if (callee) out.decorators.push({ callee, call: false, args: [], decorates, line: lineOf(n) });
        }
        return;
      }
    }
  });
  return out;
}

/**
 * Entry points a setup.py declares in a literal `entry_points={...}`
 * (read, not run): group -> "name = module:object" strings.
 */
export function setupEntryPoints(root: SyntaxNode): { group: string; spec: string; line: number }[] {
  const out: { group: string; spec: string; line: number }[] = [];
  const c = root.walk();
  const visit = (n: SyntaxNode) => {
    if (n.type !== "keyword_argument" || n.childForFieldName("name")?.text !== "entry_points") return;
    const value = n.childForFieldName("value");
    if (value?.type !== "dictionary") return;
    for (const pair of value.namedChildren.filter((p) => p.type === "pair")) {
      const key = pair.childForFieldName("key");
      const group = key ? stringLiteral(key) : null;
      const v = pair.childForFieldName("value");
      if (!group || !v) continue;
      const items = v.type === "list" || v.type === "tuple" ? v.namedChildren : [v];
      for (const item of items) {
        const spec = stringLiteral(item);
        if (spec !== null) for (const line of spec.split("\n").map((l) => l.trim()).filter(Boolean)) out.push({ group, spec: line, line: lineOf(item) });
      }
    }
  };
  for (;;) {
    if (c.nodeType === "keyword_argument") visit(c.currentNode);
    if (c.gotoFirstChild()) continue;
    while (!c.gotoNextSibling()) if (!c.gotoParent()) return out;
  }
}
