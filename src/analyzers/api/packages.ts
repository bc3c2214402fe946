import { parse as parseToml } from "smol-toml";
import { eachNode, type SyntaxNode } from "../../python/parser.js";

/**
 * Which top-level packages a project ships, as its packaging metadata says
 * (read, never run): pyproject.toml (setuptools, poetry, hatch, flit, or the
 * project name) or setup.py (`packages=[...]`, `find_packages(where, include,
 * exclude)`, `package_dir={"": "src"}`, `py_modules`). The tree's layout
 * would also take helper packages that are never installed (DeepSpeed's
 * `op_builder` and `accelerator` beside `deepspeed`).
 */

export interface PackageRoot {
  name: string;
  /** Directory of the package (for a single-module package: ""). */
  dir: string;
  /** A single-module package: its file. */
  single?: string;
}

export interface Declaration {
  /** The file that declares it and how, e.g. `setup.py: find_packages(include=['deepspeed', 'deepspeed.*'])`. */
  source: string;
  /** Where packages live ("" or "src"). */
  where: string;
  /** Explicit dotted package names, or null when found by patterns. */
  names: string[] | null;
  /** Found by find_packages (every package under `where`, filtered by include and exclude). */
  find: boolean;
  /** fnmatch patterns over dotted names (find_packages include/exclude); empty include = all. */
  include: string[];
  exclude: string[];
  /** Single-module distributions (py_modules, flit module). */
  modules: string[];
  /** Directories named outright (hatch `packages = ["src/foo"]`). */
  dirs: string[];
  /** Only the project name is known: used when a package of that name exists. */
  byProjectName?: boolean;
}

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : typeof v === "string" ? [v] : [];
}

function table(v: unknown): Record<string, unknown> {
  return v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

const EMPTY = { names: null, find: false, include: [], exclude: [], modules: [], dirs: [] };

/** What pyproject.toml declares, or null when it says nothing about packages (or does not parse). */
export function fromPyproject(text: string): Declaration | null {
  let doc: Record<string, unknown>;
  try {
    doc = parseToml(text);
  } catch {
    return null;
  }
  const tool = table(doc.tool);
  const st = table(tool.setuptools);
  const where = strings(table(st["package-dir"])[""])[0] ?? "";
  if (Array.isArray(st.packages)) return { ...EMPTY, source: "pyproject.toml: [tool.setuptools] packages", where, names: strings(st.packages) };
  const find = table(table(st.packages).find);
  if (Object.keys(find).length) {
    return { ...EMPTY, source: "pyproject.toml: [tool.setuptools.packages.find]", find: true, where: strings(find.where)[0] ?? where, include: strings(find.include), exclude: strings(find.exclude) };
  }
  if (Array.isArray(st["py-modules"])) return { ...EMPTY, source: "pyproject.toml: [tool.setuptools] py-modules", where, modules: strings(st["py-modules"]) };
  const poetry = table(tool.poetry);
  if (Array.isArray(poetry.packages)) {
    const entries = poetry.packages.map(table);
    const from = strings(entries[0]?.from)[0] ?? "";
    return { ...EMPTY, source: "pyproject.toml: [tool.poetry] packages", where: from, names: entries.flatMap((e) => strings(e.include)).map((n) => n.replace(/\//g, ".").replace(/\.py$/, "")) };
  }
  const hatch = strings(table(table(table(table(tool.hatch).build).targets).wheel).packages);
  if (hatch.length) return { ...EMPTY, source: "pyproject.toml: [tool.hatch.build.targets.wheel] packages", where: "", dirs: hatch.map((d) => d.replace(/\/+$/, "")) };
  const flit = strings(table(table(tool.flit).module).name)[0];
  if (flit) return { ...EMPTY, source: "pyproject.toml: [tool.flit.module] name", where: "", names: [flit], modules: [flit] };
  const name = strings(table(doc.project).name)[0] ?? strings(poetry.name)[0];
  if (name) return { ...EMPTY, source: `pyproject.toml: project name ${name}`, where, names: [name.toLowerCase().replace(/[-.]+/g, "_")], byProjectName: true };
  return null;
}

function stringValue(n: SyntaxNode): string | null {
  if (n.type !== "string" || n.namedChildren.some((c) => c.type === "interpolation")) return null;
  return n.text.replace(/^[rRuU]?("""|'''|"|')/, "").replace(/("""|'''|"|')$/, "");
}

function stringList(n: SyntaxNode | null | undefined): string[] {
  if (!n) return [];
  const s = stringValue(n);
  if (s !== null) return [s];
  if (n.type !== "list" && n.type !== "tuple") return [];
  return n.namedChildren.map(stringValue).filter((x): x is string => x !== null);
}

function keywordArgs(call: SyntaxNode): Map<string, SyntaxNode> {
  const out = new Map<string, SyntaxNode>();
  for (const a of call.childForFieldName("arguments")?.namedChildren ?? []) {
    const name = a.type === "keyword_argument" ? a.childForFieldName("name")?.text : undefined;
    const value = a.childForFieldName("value");
    if (name && value) out.set(name, value);
  }
  return out;
}

const SETUP_NODES = new Set(["assignment", "call"]);

/** What setup.py's `setup(...)` call declares, or null when it names no packages in a form readable without running it. */
export function fromSetupPy(root: SyntaxNode): Declaration | null {
  // Top-level assignments, so `packages=pkgs` with `pkgs = find_packages(...)` above it is followed.
  const assigned = new Map<string, SyntaxNode>();
  let setup: SyntaxNode | null = null;
  // A cursor walk that makes node objects of assignments and calls only: visiting every node's
  // namedChildren made one for each of DeepSpeed setup.py's nodes (40 ms per ref).
  eachNode(root, SETUP_NODES, (n) => {
    if (n.type === "assignment") {
      const left = n.childForFieldName("left");
      const right = n.childForFieldName("right");
      if (left?.type === "identifier" && right) assigned.set(left.text, right);
    } else if (/^(?:setuptools\.)?setup$/.test(n.childForFieldName("function")?.text ?? "")) setup = n;
  });
  if (!setup) return null;
  const kw = keywordArgs(setup);
  const deref = (n: SyntaxNode | undefined) => (n?.type === "identifier" ? (assigned.get(n.text) ?? n) : n);
  const pkgDir = deref(kw.get("package_dir"));
  let where = "";
  for (const pair of pkgDir?.type === "dictionary" ? pkgDir.namedChildren : []) {
    const key = pair.childForFieldName("key");
    const value = pair.childForFieldName("value");
    if (pair.type === "pair" && key && value && stringValue(key) === "") where = stringValue(value) ?? "";
  }
  const packages = deref(kw.get("packages"));
  const modules = stringList(deref(kw.get("py_modules")));
  if (packages?.type === "list" || packages?.type === "tuple") {
    return { ...EMPTY, source: "setup.py: packages=[...]", where, names: stringList(packages), modules };
  }
  const fn = packages?.type === "call" ? (packages.childForFieldName("function")?.text ?? "") : "";
  if (packages && /(?:^|\.)find_(?:namespace_)?packages$/.test(fn)) {
    const args = keywordArgs(packages);
    const first = packages.childForFieldName("arguments")?.namedChildren[0];
    const whereArg = args.get("where") ?? (first && first.type !== "keyword_argument" ? first : undefined);
    return {
      ...EMPTY,
      source: `setup.py: ${packages.text.replace(/\s+/g, " ").slice(0, 160)}`,
      find: true,
      where: (whereArg && stringValue(whereArg)) ?? where,
      include: stringList(deref(args.get("include"))),
      exclude: stringList(deref(args.get("exclude"))),
      modules,
    };
  }
  if (modules.length) return { ...EMPTY, source: "setup.py: py_modules=[...]", where, modules };
  return null;
}

/** fnmatch as setuptools applies it to dotted package names (`*` matches dots too). */
function fnmatch(name: string, pattern: string): boolean {
  const re = pattern.replace(/[.+^${}()|\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".").replace(/\[!/g, "[^");
  return new RegExp(`^${re}$`).test(name);
}

const IDENT = /^[A-Za-z_]\w*$/;

/**
 * The top-level package roots a declaration selects among the files of the
 * tree (only roots: submodules follow their package), or none when what it
 * names does not exist at this ref.
 */
export function declaredRoots(d: Declaration, paths: Set<string>): PackageRoot[] {
  // "." and "./src/" mean the root and src.
  const where = d.where.replace(/^\.(?:\/+|$)/, "").replace(/\/+$/, "");
  const prefix = where ? `${where}/` : "";
  const roots = new Map<string, PackageRoot>();
  const add = (name: string) => {
    const top = name.split(".")[0]!;
    if (!IDENT.test(top) || roots.has(top)) return;
    if (paths.has(`${prefix}${top}/__init__.py`)) roots.set(top, { name: top, dir: `${prefix}${top}` });
    else if (paths.has(`${prefix}${top}.py`) && d.modules.includes(top)) roots.set(top, { name: top, dir: "", single: `${prefix}${top}.py` });
  };
  for (const n of d.names ?? []) add(n);
  for (const m of d.modules) add(m);
  for (const dir of d.dirs) if (paths.has(`${dir}/__init__.py`)) roots.set(dir.split("/").at(-1)!, { name: dir.split("/").at(-1)!, dir });
  if (d.find) {
    // find_packages: every top-level package under `where`, filtered by include and exclude.
    for (const p of paths) {
      if (!p.startsWith(prefix)) continue;
      const m = /^([A-Za-z_]\w*)\/__init__\.py$/.exec(p.slice(prefix.length));
      if (!m) continue;
      const top = m[1]!;
      // A top-level package is shipped when an include pattern takes it or one of its subpackages.
      const included = !d.include.length || d.include.some((i) => fnmatch(top, i) || fnmatch(top, i.split(".")[0]!));
      if (included && !d.exclude.some((e) => fnmatch(top, e))) roots.set(top, { name: top, dir: `${prefix}${top}` });
    }
  }
  return [...roots.values()].sort((a, b) => (a.name < b.name ? -1 : 1));
}
