import { eachDescendant, eachStatement, type SyntaxNode, type TreeCursor } from "./parser.js";

/**
 * Syntax facts of one Python module, from one tree-sitter parse: definitions
 * with signatures, classes with members, imports and re-exports, `__all__`,
 * deprecation markers, and call sites. One walk, many uses (the API surface,
 * the deprecation ledger, downstream impact).
 */

export type ParamKind = "positional-only" | "positional-or-keyword" | "var-positional" | "keyword-only" | "var-keyword";

export interface Param {
  name: string;
  kind: ParamKind;
  /** Default as written, or null when required. */
  default: string | null;
  annotation: string | null;
}

export type Marker = "warnings.warn" | "@deprecated" | "deprecate-helper" | "docstring-directive" | "docstring" | "logger-warning";

export interface Deprecation {
  marker: Marker;
  line: number;
  /** Parameter the marker is about, when it is about one parameter. */
  param?: string;
  message: string;
}

export interface Def {
  kind: "function" | "class" | "variable";
  name: string;
  line: number;
  decorators: string[];
  /** Functions and methods. */
  params?: Param[];
  /** Return annotation as written, if any. */
  returns?: string;
  /** A `**kwargs` parameter whose dict the body passes on (`f(**kwargs)`): removed keywords may still be accepted. */
  forwardsKwargs?: boolean;
  /** Classes: base class expressions as written. */
  bases?: string[];
  /** Classes: methods, properties, class and instance attributes. */
  members?: Map<string, Def>;
  deprecations: Deprecation[];
  /** Module-level variables assigned a plain dotted name (`Base = BaseV1`): the name, which static lookups may follow. */
  alias?: string;
  /** Methods decorated @property, and class attributes set to `property(...)` (a kind of attribute for callers). */
  property?: boolean;
}

export interface ImportFact {
  /** Absolute module, or relative ("." * level + module). */
  module: string;
  level: number;
  /** Imported name (for `from m import name`), or null for `import m`. */
  name: string | null;
  /** Local binding. */
  alias: string;
  line: number;
}

export interface CallFact {
  /** Callee as written (`torch.cuda.synchronize`, `engine.step`). */
  callee: string;
  line: number;
  positional: number;
  keywords: string[];
  /** Has *args or **kwargs at the call: its shape cannot be checked statically. */
  splat: boolean;
}

export interface ModuleFacts {
  defs: Map<string, Def>;
  /** Literal `__all__`, or null when absent or not a literal list/tuple. */
  all: string[] | null;
  imports: ImportFact[];
  calls: CallFact[];
  /** Module-level deprecation (a module docstring or a top-level warnings.warn). */
  deprecations: Deprecation[];
  /** Lines with syntax errors (tree-sitter ERROR / MISSING nodes). */
  errors: number[];
  /** Lines with Python 2 statements (print, exec), which the grammar accepts but Python 3 does not. */
  python2: number[];
}

const DEPRECATION_CATEGORY = /\b(?:DeprecationWarning|PendingDeprecationWarning|FutureWarning)\b/;

function lineOf(n: SyntaxNode): number {
  return n.startPosition.row + 1;
}

function stringValue(n: SyntaxNode): string {
  return stringText(n.text);
}

function stringText(text: string): string {
  // Concatenated and prefixed strings: the content parts.
  return text.replace(/^[rRbBuUfF]{0,2}("""|'''|"|')/, "").replace(/("""|'''|"|')$/, "");
}

/** Moves a cursor to the first named child of its node; false when there is none. */
function firstNamed(c: TreeCursor): boolean {
  if (!c.gotoFirstChild()) return false;
  while (!c.nodeIsNamed) if (!c.gotoNextSibling()) return false;
  return true;
}

function docstringOf(block: SyntaxNode | null): { text: string; line: number } | null {
  return block ? docstringAt(block.walk()) : null;
}

/**
 * The docstring of the block under the cursor, the cursor back on the block after. A cursor, not
 * firstNamedChild twice: every function has a body, and node objects are the cost.
 */
function docstringAt(c: TreeCursor): { text: string; line: number } | null {
  let depth = 0;
  let out: { text: string; line: number } | null = null;
  if (firstNamed(c)) {
    depth++;
    if (c.nodeType === "expression_statement") {
      const line = c.startPosition.row + 1;
      if (firstNamed(c)) {
        depth++;
        if ((c.nodeType as string) === "string") out = { text: stringText(c.nodeText), line };
      }
    }
  }
  for (; depth > 0; depth--) c.gotoParent();
  return out;
}

/**
 * Prose about the object itself ("X is deprecated", "will be removed", a line opening with
 * "Deprecated" as a notice: "Deprecated: use g", "Deprecated since 1.2"), not any mention of the
 * word ("allows deprecated fields") nor a heading about something else ("Deprecated Field kwargs:"
 * in DeepSpeed's config base class).
 */
const PROSE = /\b(?:is|are|has been|have been|will be|now) deprecated\b|^\s*deprecated\s*(?:[:.,;!(-]|$|since\b|in\b|as of\b|and\b|for\b)|\bwill be removed\b/im;

const indent = (l: string) => /^\s*/.exec(l)![0].length;

/**
 * The parameter a docstring line documents, when the line (or the entry it
 * continues) opens with a parameter name: `name: ...`, `name (int): ...`,
 * `name -- ...`, `:param name: ...`.
 */
function documentedParam(lines: string[], i: number, params: string[]): string | undefined {
  const head = (l: string) => params.find((p) => new RegExp(`^\\s*(?::param\\s+(?:[\\w.\\[\\], ]+\\s+)?)?\\**${p}\\s*(?:\\([^)]*\\))?\\s*(?::|--|-\\s)`).test(l));
  const own = head(lines[i]!);
  if (own) return own;
  // A continuation line: the entry it belongs to is the nearest line above that is indented less.
  for (let j = i - 1; j >= 0; j--) {
    if (!lines[j]!.trim()) continue;
    if (indent(lines[j]!) < indent(lines[i]!)) return head(lines[j]!);
  }
  return undefined;
}

/** Deprecation markers of a docstring; prose that documents one parameter is about that parameter only. */
function docstringDeprecation(doc: { text: string; line: number } | null, params: string[] = []): Deprecation[] {
  if (!doc) return [];
  if (/\.\.\s+deprecated::/.test(doc.text)) return [{ marker: "docstring-directive", line: doc.line, message: doc.text.trim().split("\n")[0]!.slice(0, 200) }];
  if (!PROSE.test(doc.text)) return [];
  const lines = doc.text.split("\n");
  const hits = lines.map((l, i) => (PROSE.test(l) ? i : -1)).filter((i) => i >= 0);
  // "will be\n removed" across lines: the text matched, no single line did; about the object.
  const about = hits.map((i) => documentedParam(lines, i, params));
  const param = about.length > 0 && about.every((p) => p !== undefined && p === about[0]) ? about[0] : undefined;
  const message = (hits.length ? lines[hits[0]!]! : lines[0]!).trim().slice(0, 200);
  return [{ marker: "docstring", line: doc.line + (hits[0] ?? 0), message, ...(param ? { param } : {}) }];
}

/** Fields of the node under the cursor, by field name (and its first named child without a field). */
function fieldsAt(c: TreeCursor): { fields: Map<string, string>; firstType: string; firstText: string } {
  const fields = new Map<string, string>();
  let firstType = "";
  let firstText = "";
  if (c.gotoFirstChild()) {
    do {
      const f = c.currentFieldName;
      if (f) fields.set(f, c.nodeText);
      else if (!firstType && c.nodeIsNamed) {
        firstType = c.nodeType;
        firstText = c.nodeText;
      }
    } while (c.gotoNextSibling());
    c.gotoParent();
  }
  return { fields, firstType, firstText };
}

/**
 * Parameters of a `parameters` node, kinds decided by `/` and `*` separators.
 * Read with a cursor: signatures are the most frequent thing read, and node
 * objects for every parameter part are what cost in the bindings.
 */
export function paramsOf(node: SyntaxNode): Param[] {
  return paramsAt(node.walk());
}

/** The parameters of the `parameters` node under the cursor; the cursor back on it after. */
function paramsAt(c: TreeCursor): Param[] {
  const out: Param[] = [];
  let sawStar = false;
  if (!c.gotoFirstChild()) return out;
  do {
    if (!c.nodeIsNamed) continue;
    const t = c.nodeType;
    if (t === "positional_separator") {
      for (const p of out) if (p.kind === "positional-or-keyword") p.kind = "positional-only";
      continue;
    }
    if (t === "keyword_separator") {
      sawStar = true;
      continue;
    }
    const plain = sawStar ? "keyword-only" : "positional-or-keyword";
    if (t === "identifier") out.push({ name: c.nodeText, kind: plain, default: null, annotation: null });
    else if (t === "default_parameter" || t === "typed_default_parameter") {
      const { fields } = fieldsAt(c);
      out.push({ name: fields.get("name") ?? "", kind: plain, default: fields.get("value") ?? "", annotation: t === "typed_default_parameter" ? (fields.get("type") ?? null) : null });
    } else if (t === "typed_parameter") {
      const { fields, firstType, firstText } = fieldsAt(c);
      const annotation = fields.get("type") ?? null;
      if (firstType === "list_splat_pattern") {
        out.push({ name: firstText.replace(/^\*/, ""), kind: "var-positional", default: null, annotation });
        sawStar = true;
      } else if (firstType === "dictionary_splat_pattern") out.push({ name: firstText.replace(/^\*\*/, ""), kind: "var-keyword", default: null, annotation });
      else out.push({ name: firstText, kind: plain, default: null, annotation });
    } else if (t === "list_splat_pattern") {
      out.push({ name: c.nodeText.replace(/^\*/, ""), kind: "var-positional", default: null, annotation: null });
      sawStar = true;
    } else if (t === "dictionary_splat_pattern") out.push({ name: c.nodeText.replace(/^\*\*/, ""), kind: "var-keyword", default: null, annotation: null });
  } while (c.gotoNextSibling());
  c.gotoParent();
  return out;
}

/** Dotted name of a callee expression (`a.b.c`), or its text. */
function calleeOf(n: SyntaxNode): string {
  return n.text.replace(/\s+/g, "");
}

interface Walk {
  calls: CallFact[];
  /** Collect call sites (downstream impact); the API surface does not need them. */
  wantCalls: boolean;
}

const CALL = new Set(["call"]);

/** Conditions of the `if` statements around a node, up to its function (what a warning is guarded by). */
function conditionsAround(n: SyntaxNode): string[] {
  const out: string[] = [];
  for (let p = n.parent; p && p.type !== "function_definition" && p.type !== "class_definition"; p = p.parent) {
    if (p.type === "if_statement") out.push(p.childForFieldName("condition")?.text ?? "");
  }
  return out;
}

/** Deprecation markers and kwargs forwarding found in a function body; call sites collected on the way. */
function scanBody(body: SyntaxNode | null, params: Param[], w: Walk, text: () => string = () => body?.text ?? ""): { deprecations: Deprecation[]; forwardsKwargs: boolean } {
  const deprecations: Deprecation[] = [];
  const kw = params.find((p) => p.kind === "var-keyword")?.name;
  let forwardsKwargs = false;
  if (!body) return { deprecations, forwardsKwargs };
  const names = new Set(params.map((p) => p.name).filter((n) => n !== "self" && n !== "cls"));
  // Walking a body costs: skip bodies that cannot hold a marker (each needs "deprecat" or FutureWarning
  // in its text) nor forward **kwargs, unless call sites are wanted.
  if (!w.wantCalls && !/deprecat|FutureWarning/i.test(text()) && !(kw && new RegExp(`\\*\\*\\s*${kw}\\b`).test(text()))) return { deprecations, forwardsKwargs };
  eachDescendant(body, CALL, (n) => {
    const fn = n.childForFieldName("function");
    const args = n.childForFieldName("arguments");
    const callee = fn ? calleeOf(fn) : "";
    let positional = 0;
    const keywords: string[] = [];
    let splat = false;
    for (const a of args?.namedChildren ?? []) {
      if (a.type === "keyword_argument") keywords.push(a.childForFieldName("name")?.text ?? "");
      else if (a.type === "list_splat" || a.type === "dictionary_splat") {
        splat = true;
        if (a.type === "dictionary_splat" && kw && a.firstNamedChild?.text === kw) forwardsKwargs = true;
      } else if (a.type !== "comment") positional++;
    }
    if (w.wantCalls) w.calls.push({ callee, line: lineOf(n), positional, keywords, splat });
    const text = args?.text ?? "";
    const message = (args?.namedChildren.find((a) => a.type === "string") ?? args?.firstNamedChild)?.text ?? "";
    let marker: Marker | null = null;
    if (/(^|\.)warn$/.test(callee) && /(^|\.)warnings\.warn$|^warn$/.test(callee) && DEPRECATION_CATEGORY.test(text)) marker = "warnings.warn";
    // Helpers that announce (deprecate(...), deprecate_kwarg(...), warn_deprecated(...)), not ones that
    // check something deprecated (DeepSpeed's _deprecated_fields_check in every config's __init__).
    else if (/(^|\.)_?(?:deprecated?|deprecate_\w+|warn_deprecat\w*|deprecation_warning)$/i.test(callee)) marker = "deprecate-helper";
    else if (/(^|\.)(?:logger|log|logging)\.(?:warning|warn)$/.test(callee) && /deprecat/i.test(text)) marker = "logger-warning";
    if (marker) {
      // About one parameter when guarded by a test of it, or when the message names it.
      const conditions = conditionsAround(n);
      const guarded = [...names].find((p) => conditions.some((c) => new RegExp(`\\b${p}\\b`).test(c)));
      const named = [...names].find((p) => new RegExp(`[\`'"]${p}[\`'"]|\\b${p}=|\\b${p}\\b`).test(message));
      const param = guarded ?? named;
      deprecations.push({ marker, line: lineOf(n), message: message.slice(0, 200), ...(param ? { param } : {}) });
    }
  });
  return { deprecations, forwardsKwargs };
}

const NO_DECORATORS: string[] = [];

/**
 * A statement's definition and its decorators (`@x` above a def makes a
 * decorated_definition holding both). One cursor pass: only the definition
 * becomes a node object.
 */
function definitionOf(stmt: SyntaxNode): { def: SyntaxNode | null; decorators: string[] } {
  if (stmt.type !== "decorated_definition") return { def: stmt, decorators: NO_DECORATORS };
  const decorators: string[] = [];
  let def: SyntaxNode | null = null;
  const c = stmt.walk();
  if (c.gotoFirstChild()) {
    do {
      if (c.nodeType === "decorator") decorators.push(c.nodeText.replace(/^@/, "").trim());
      else if (c.currentFieldName === "definition") def = c.currentNode;
    } while (c.gotoNextSibling());
  }
  return { def, decorators };
}

function decoratorDeprecations(decorators: string[], line: number): Deprecation[] {
  return decorators.filter((d) => /(^|\.)deprecated\b/.test(d)).map((d) => ({ marker: "@deprecated" as const, line, message: d.slice(0, 200) }));
}

/** A function's body node and its text, read once for the marker scan and the attribute scan. */
interface FunctionBody {
  node: SyntaxNode | null;
  text: string | null;
}

function bodyText(b: FunctionBody): string {
  return (b.text ??= b.node?.text ?? "");
}

function functionDef(n: SyntaxNode, w: Walk, decorators: string[], fb: FunctionBody = { node: null, text: null }): Def {
  // The fields in one cursor pass (each childForFieldName would make a node object).
  // One cursor for the fields, the parameters and the docstring.
  let name = "";
  let returns: string | undefined;
  let params: Param[] = [];
  let body: SyntaxNode | null = null;
  let doc: { text: string; line: number } | null = null;
  const c = n.walk();
  if (c.gotoFirstChild()) {
    do {
      const field = c.currentFieldName;
      if (field === "name") name = c.nodeText;
      else if (field === "parameters") params = paramsAt(c);
      else if (field === "body") {
        body = c.currentNode;
        doc = docstringAt(c);
      } else if (field === "return_type") returns = c.nodeText;
    } while (c.gotoNextSibling());
  }
  const line = lineOf(n);
  fb.node = body;
  const { deprecations, forwardsKwargs } = scanBody(body, params, w, () => bodyText(fb));
  return {
    kind: "function",
    name,
    line,
    decorators,
    params,
    ...(returns !== undefined ? { returns } : {}),
    ...(forwardsKwargs ? { forwardsKwargs } : {}),
    deprecations: [...decoratorDeprecations(decorators, line), ...docstringDeprecation(doc, params.map((p) => p.name)), ...deprecations],
    ...(decorators.some((d) => d === "property" || d.endsWith(".setter") || d === "cached_property" || d.endsWith(".cached_property")) ? { property: true } : {}),
  };
}

const ATTRIBUTE_ASSIGNMENT = new Set(["assignment", "augmented_assignment"]);

const TARGET_TEXT = new Map<string, RegExp>();
/** Text that may be an assignment to `self.NAME` (a superset: reads such as `f(self.a, b)` pass too). */
function targetText(selfName: string): RegExp {
  let re = TARGET_TEXT.get(selfName);
  if (!re) {
    // At a line's start, after other targets (`a, self.b =`, `x = self.b =`) and an opening bracket.
    re = new RegExp(`^[ \\t]*(?:[\\w.\\[\\]()*]+\\s*[,=]\\s*)*[(\\[]?\\s*${selfName}\\.[A-Za-z_]\\w*\\s*(?:[,:)\\]]|(?:[-+*/%@&|^]|//|\\*\\*|>>|<<)?=(?!=))`, "m");
    TARGET_TEXT.set(selfName, re);
  }
  return re;
}

/** Adds `self.NAME` targets assigned in a method's body as instance attributes (defined members win). */
function instanceAttributes(method: FunctionBody, selfName: string, members: Map<string, Def>): void {
  const body = method.node;
  // Cheap text test first: most method bodies assign nothing on self (a target opens a line, maybe
  // after other targets, and is followed by `=`, an augmented `+=`, an annotation's `:`, or `,` in an
  // unpacking, `)` or `]` closing one). On DeepSpeed v0.15.0 it lets 1,033 of 4,585 method bodies through, every
  // one that assigns.
  if (!body) return;
  const source = bodyText(method);
  if (!source.includes(`${selfName}.`) || !targetText(selfName).test(source)) return;
  const target = new RegExp(`^${selfName}\\.([A-Za-z_]\\w*)$`);
  const add = (t: SyntaxNode, at: SyntaxNode) => {
    const m = target.exec(t.text);
    if (m && !members.has(m[1]!)) members.set(m[1]!, { kind: "variable", name: m[1]!, line: lineOf(at), decorators: [], deprecations: [] });
  };
  eachStatement(body, ATTRIBUTE_ASSIGNMENT, (a) => {
    const left = a.childForFieldName("left");
    if (!left) return;
    if (left.type === "attribute") add(left, a);
    else if (left.type === "pattern_list" || left.type === "tuple_pattern" || left.type === "list_pattern") for (const t of left.namedChildren) add(t, a);
  });
}

/**
 * `property(fget, fset)` (or `builtins.property(...)`) as a class attribute's value: a property,
 * as `@property` is; callers read and set it the same way (DeepSpeed's optimizers define
 * `param_groups = property(_get_param_groups, _set_param_groups)`).
 */
function isPropertyCall(value: SyntaxNode | null): boolean {
  if (value?.type !== "call") return false;
  const fn = value.childForFieldName("function");
  return fn !== null && (fn.text === "property" || fn.text === "builtins.property");
}

/** Statements of a class body that can define a member: only these become node objects. */
const MEMBER_STATEMENTS = new Set(["function_definition", "decorated_definition", "class_definition", "expression_statement"]);

function classDef(n: SyntaxNode, w: Walk, decorators: string[]): Def {
  // The fields in one cursor pass, and of the body's statements only those that can define a member.
  let className: string | null = null;
  let superclasses: SyntaxNode | null = null;
  let body = false;
  let doc: { text: string; line: number } | null = null;
  const statements: SyntaxNode[] = [];
  const c = n.walk();
  if (c.gotoFirstChild()) {
    do {
      const field = c.currentFieldName;
      if (field === "name") className ??= c.nodeText;
      else if (field === "superclasses") superclasses ??= c.currentNode;
      else if (field === "body" && !body) {
        body = true;
        doc = docstringAt(c);
        if (c.gotoFirstChild()) {
          do if (MEMBER_STATEMENTS.has(c.nodeType)) statements.push(c.currentNode);
          while (c.gotoNextSibling());
          c.gotoParent();
        }
      }
    } while (c.gotoNextSibling());
  }
  const members = new Map<string, Def>();
  const line = lineOf(n);
  const assigning: { def: SyntaxNode; selfName: string; init: boolean; body: FunctionBody }[] = [];
  for (const stmt of statements) {
    const { def: d, decorators: decorated } = definitionOf(stmt);
    if (!d) continue;
    if (d.type === "function_definition") {
      const fb: FunctionBody = { node: null, text: null };
      const f = functionDef(d, w, decorated, fb);
      if (!members.has(f.name) || !f.decorators.some((x) => x.endsWith(".setter"))) members.set(f.name, f);
      const first = f.params?.[0];
      const selfName = first && first.kind !== "var-positional" && !f.decorators.includes("staticmethod") ? first.name : null;
      if (selfName) assigning.push({ def: d, selfName, init: f.name === "__init__", body: fb });
      // Class attributes set from a method through the class's own name (`Engine.cache = {}`).
      if (className) assigning.push({ def: d, selfName: className, init: false, body: fb });
    } else if (d.type === "class_definition") {
      const c = classDef(d, w, decorated);
      members.set(c.name, c);
    } else if (d.type === "expression_statement") {
      for (const a of d.namedChildren.filter((x) => x.type === "assignment")) {
        const left = a.childForFieldName("left");
        if (left?.type === "identifier") members.set(left.text, { kind: "variable", name: left.text, line: lineOf(a), decorators: [], deprecations: [], ...(isPropertyCall(a.childForFieldName("right")) ? { property: true } : {}) });
      }
    }
  }
  // Instance attributes: `self.x = ...` in any method, __init__'s first (its line wins), also
  // annotated (`self.x: T = ...`), augmented (`self.x += ...`) and unpacked (`self.a, self.b = ...`);
  // class attributes set through a classmethod's `cls` or the class's own name.
  for (const m of [...assigning.filter((a) => a.init), ...assigning.filter((a) => !a.init)]) instanceAttributes(m.body, m.selfName, members);
  const init = members.get("__init__");
  return {
    kind: "class",
    name: className ?? "",
    line,
    decorators,
    bases: (superclasses?.namedChildren ?? []).filter((b) => b.type !== "keyword_argument").map((b) => b.text),
    members,
    // A class is deprecated by its decorator, its docstring, or a warning in __init__ that is not about one parameter.
    // __init__'s own deprecation warning deprecates the class; helpers it calls (checking deprecated fields) do not.
    deprecations: [...decoratorDeprecations(decorators, line), ...docstringDeprecation(doc), ...(init?.deprecations.filter((x) => !x.param && (x.marker === "warnings.warn" || x.marker === "@deprecated")) ?? [])],
  };
}

function literalStrings(n: SyntaxNode | null): string[] | null {
  if (!n || (n.type !== "list" && n.type !== "tuple")) return null;
  const out: string[] = [];
  for (const c of n.namedChildren) {
    if (c.type !== "string") return null;
    out.push(stringValue(c));
  }
  return out;
}

/** The facts of one module's syntax tree. */
/** `if __name__ == "__main__":` (either side, either quote). */
function isMainGuard(d: SyntaxNode): boolean {
  const c = d.childForFieldName("condition");
  if (c?.type !== "comparison_operator" || c.namedChildren.length !== 2 || !c.children.some((x) => x.type === "==")) return false;
  const sides = c.namedChildren.map((x) => x.text.replace(/^(['"])(.*)\1$/, "$2"));
  return c.namedChildren.some((x) => x.type === "identifier" && x.text === "__name__") && sides.includes("__main__") && c.namedChildren.some((x) => x.type === "string");
}

export function moduleFacts(root: SyntaxNode, opts: { calls?: boolean } = {}): ModuleFacts {
  const w: Walk = { calls: [], wantCalls: opts.calls === true };
  const facts: ModuleFacts = { defs: new Map(), all: null, imports: [], calls: w.calls, deprecations: docstringDeprecation(docstringOf(root)), errors: [], python2: [] };
  // Only files with a line that looks like a print or exec statement are walked for them.
  const source = root.text;
  // A substring search first: the line-anchored pattern costs a scan per line start of every module.
  if ((source.includes("print ") || source.includes("exec ") || source.includes("print\t") || source.includes("exec\t")) && /^[ \t]*(?:print|exec)[ \t]+[^\s(=.,)]/m.test(source)) {
    const visit = (n: SyntaxNode) => {
      if (n.type === "print_statement" || n.type === "exec_statement") facts.python2.push(lineOf(n));
      else for (const c of n.namedChildren) visit(c);
    };
    visit(root);
  }
  if (root.hasError) {
    const visit = (n: SyntaxNode) => {
      if (n.type === "ERROR" || (n as SyntaxNode & { isMissing?: boolean }).isMissing) facts.errors.push(lineOf(n));
      else if (n.hasError) for (const c of n.children) visit(c);
    };
    visit(root);
  }
  const statements = (block: SyntaxNode) => {
    for (const stmt of block.namedChildren) {
      const { def: d, decorators } = definitionOf(stmt);
      if (!d) continue;
      if (d.type === "function_definition") {
        const f = functionDef(d, w, decorators);
        facts.defs.set(f.name, f);
      } else if (d.type === "class_definition") {
        const k = classDef(d, w, decorators);
        facts.defs.set(k.name, k);
      }
      else if (d.type === "import_statement") {
        for (const c of d.namedChildren) {
          const name = c.type === "aliased_import" ? c.childForFieldName("name")!.text : c.text;
          const alias = c.type === "aliased_import" ? c.childForFieldName("alias")!.text : name.split(".")[0]!;
          facts.imports.push({ module: name, level: 0, name: null, alias, line: lineOf(d) });
        }
      } else if (d.type === "import_from_statement") {
        const mod = d.childForFieldName("module_name");
        const modText = mod?.text ?? "";
        const level = /^\.+/.exec(modText)?.[0].length ?? 0;
        // Node objects are not identical across accessor calls in the wasm binding: compare positions.
        const isModule = (c: SyntaxNode) => mod !== null && c.startPosition.row === mod.startPosition.row && c.startPosition.column === mod.startPosition.column;
        const names = d.namedChildren.filter((c) => !isModule(c) && (c.type === "dotted_name" || c.type === "aliased_import" || c.type === "wildcard_import"));
        for (const c of names) {
          if (c.type === "wildcard_import") facts.imports.push({ module: modText.replace(/^\.+/, ""), level, name: "*", alias: "*", line: lineOf(d) });
          else {
            const name = c.type === "aliased_import" ? c.childForFieldName("name")!.text : c.text;
            const alias = c.type === "aliased_import" ? c.childForFieldName("alias")!.text : name;
            facts.imports.push({ module: modText.replace(/^\.+/, ""), level, name, alias, line: lineOf(d) });
          }
        }
      } else if (d.type === "expression_statement") {
        for (const a of d.namedChildren) {
          if (a.type === "assignment") {
            const left = a.childForFieldName("left");
            if (left?.type === "identifier") {
              if (left.text === "__all__") facts.all = literalStrings(a.childForFieldName("right"));
              else {
                const right = a.childForFieldName("right");
                const alias = right && (right.type === "identifier" || right.type === "attribute") ? right.text.replace(/\s+/g, "") : "";
                facts.defs.set(left.text, { kind: "variable", name: left.text, line: lineOf(a), decorators: [], deprecations: [], ...(/^[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*$/.test(alias) ? { alias } : {}) });
              }
            }
          } else if (a.type === "augmented_assignment" && a.childForFieldName("left")?.text === "__all__") {
            const more = literalStrings(a.childForFieldName("right"));
            if (facts.all && more) facts.all.push(...more);
          }
        }
        // Calls at module level; a module-level warnings.warn(..., DeprecationWarning) deprecates the module.
        facts.deprecations.push(...scanBody(d, [], w).deprecations);
      } else if (d.type === "if_statement" && isMainGuard(d)) {
        // `if __name__ == "__main__":` runs only as a script: nothing it defines is importable.
      } else if (d.type === "if_statement" || d.type === "try_statement" || d.type === "with_statement" || d.type === "for_statement" || d.type === "while_statement") {
        // Conditional imports and definitions (try: import x / except ImportError) still define names.
        const blocks = [d.childForFieldName("consequence"), d.childForFieldName("body"), ...d.namedChildren.filter((x) => /^(?:else|except|elif|finally)_clause$/.test(x.type)).map((x) => x.namedChildren.find((y) => y.type === "block") ?? null)];
        for (const b of blocks) if (b?.type === "block") statements(b);
      } else {
        scanBody(d, [], w);
      }
    }
  };
  statements(root);
  return facts;
}
