import { createRequire } from "node:module";

/**
 * The tree-sitter Python parser: the native binding (tree-sitter +
 * tree-sitter-python, prebuilt for the common platforms) when it loads, else
 * the WebAssembly build (web-tree-sitter with the grammar's .wasm), which
 * needs no compiler. STEWARD_TREE_SITTER=wasm forces the fallback (tests use
 * it). Python is only ever parsed, never imported or run.
 */

/** The part of a syntax node Steward reads; both bindings provide it. */
export interface SyntaxNode {
  type: string;
  text: string;
  startPosition: { row: number; column: number };
  endPosition: { row: number; column: number };
  namedChildren: SyntaxNode[];
  children: SyntaxNode[];
  firstNamedChild: SyntaxNode | null;
  parent: SyntaxNode | null;
  hasError: boolean;
  childForFieldName(name: string): SyntaxNode | null;
  walk(): TreeCursor;
}

/** A cursor over a subtree (both bindings): moving it creates no node objects. */
export interface TreeCursor {
  readonly nodeType: string;
  readonly nodeText: string;
  readonly nodeIsNamed: boolean;
  /** The field of the parent the current node fills (name, value, type...), or null. */
  readonly currentFieldName: string | null;
  readonly currentNode: SyntaxNode;
  readonly startPosition: { row: number; column: number };
  gotoFirstChild(): boolean;
  gotoNextSibling(): boolean;
  gotoParent(): boolean;
}

const SCOPES = new Set(["function_definition", "class_definition"]);

/**
 * Calls `visit` for each descendant of `n` (not `n` itself) whose type is in
 * `types`, entering a node only when `enters(type)` says so. A cursor walk:
 * only the matches become node objects, and making node objects is what costs
 * in the bindings (namedChildren builds them all).
 */
function walkMatching(n: SyntaxNode, types: ReadonlySet<string>, visit: (node: SyntaxNode) => void, enters: (type: string) => boolean): void {
  const c = n.walk();
  if (!c.gotoFirstChild()) return;
  let depth = 1;
  for (;;) {
    const t = c.nodeType;
    if (types.has(t)) visit(c.currentNode);
    if (enters(t) && c.gotoFirstChild()) {
      depth++;
      continue;
    }
    while (!c.gotoNextSibling()) {
      if (--depth === 0 || !c.gotoParent()) return;
    }
  }
}

const outsideScopes = (type: string) => !SCOPES.has(type);

/** Each descendant of `n` whose type is in `types`, without entering nested function or class definitions (their own scopes). */
export function eachDescendant(n: SyntaxNode, types: ReadonlySet<string>, visit: (node: SyntaxNode) => void): void {
  walkMatching(n, types, visit, outsideScopes);
}

const everywhere = () => true;

/** Each descendant of `n` whose type is in `types`, at any depth, in source order (a whole-tree search that makes node objects of the matches only). */
export function eachNode(n: SyntaxNode, types: ReadonlySet<string>, visit: (node: SyntaxNode) => void): void {
  walkMatching(n, types, visit, everywhere);
}

/** Nodes that hold statements (or, for an assignment, a chained assignment): the only ones `eachStatement` enters. */
const STATEMENT_HOLDERS = new Set([
  "block",
  "if_statement",
  "elif_clause",
  "else_clause",
  "for_statement",
  "while_statement",
  "try_statement",
  "except_clause",
  "except_group_clause",
  "finally_clause",
  "with_statement",
  "match_statement",
  "case_clause",
  "expression_statement",
  "assignment",
]);

const holdsStatements = (type: string) => STATEMENT_HOLDERS.has(type);

/**
 * Like `eachDescendant`, but enters only statements and the blocks of
 * compound statements, never an expression: what an assignment target needs
 * (assignments are statements; a chained `a = b = c` nests one in another),
 * at a fraction of the nodes (expressions are most of a body's nodes).
 */
export function eachStatement(n: SyntaxNode, types: ReadonlySet<string>, visit: (node: SyntaxNode) => void): void {
  walkMatching(n, types, visit, holdsStatements);
}

export interface PythonParser {
  /** Which binding parses: native or wasm. */
  binding: "native" | "wasm";
  parse(source: string): { rootNode: SyntaxNode };
  /**
   * Parses, hands the root to `use`, then frees the tree: the wasm binding's
   * trees live in WebAssembly memory until deleted (a history run grew to
   * 600 MB without it), the native binding's until garbage collection.
   */
  read<T>(source: string, use: (root: SyntaxNode) => T): T;
}

let loading: Promise<PythonParser> | null = null;

export function pythonParser(): Promise<PythonParser> {
  loading ??= loadParser(process.env.STEWARD_TREE_SITTER === "wasm" ? "wasm" : "native");
  return loading;
}

/** A parser of the preferred binding (native falls back to wasm when it cannot load). */
export async function loadParser(prefer: "native" | "wasm"): Promise<PythonParser> {
  if (prefer === "native") {
    try {
      const Parser = (await import("tree-sitter")).default;
      const Python = (await import("tree-sitter-python")).default;
      const p = new Parser();
      // tree-sitter-python's types describe the language loosely; the binding accepts it.
      p.setLanguage(Python as unknown as Parameters<typeof p.setLanguage>[0]);
      // The native binding reads large inputs through a callback in 32 KiB pieces unless told the size.
      const parse = (s: string): { rootNode: SyntaxNode } => p.parse(s, undefined, { bufferSize: Math.max(32 * 1024, Buffer.byteLength(s) * 2 + 1) });
      return { binding: "native", parse, read: (src, use) => use(parse(src).rootNode) };
    } catch {
      // fall through to WebAssembly
    }
  }
  const { Parser, Language } = await import("web-tree-sitter");
  await Parser.init();
  const require = createRequire(import.meta.url);
  const Python = await Language.load(require.resolve("tree-sitter-python/tree-sitter-python.wasm"));
  const p = new Parser();
  p.setLanguage(Python);
  const parse = (s: string) => {
    const tree = p.parse(s);
    if (!tree) throw new Error("tree-sitter (wasm) returned no tree");
    return tree;
  };
  return {
    binding: "wasm",
    parse: (s) => parse(s) as unknown as { rootNode: SyntaxNode },
    read: (src, use) => {
      const tree = parse(src);
      try {
        return use(tree.rootNode as unknown as SyntaxNode);
      } finally {
        tree.delete();
      }
    },
  };
}
