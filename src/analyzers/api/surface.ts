import { InputError } from "../../errors.js";

/** A tree without a Python package to read: for a portfolio scan, the API analysis does not apply (a C++ or Rust project). */
export class NoPythonPackageError extends InputError {}
import type { Repository } from "../../git/repository.js";
import { coverageOf, describeCoverage, type Coverage, type TreeEntry } from "../../git/tree.js";
import { moduleFacts, type Def, type Deprecation, type ModuleFacts, type Param } from "../../python/facts.js";
import { pythonParser } from "../../python/parser.js";
import { followLinks } from "./links.js";
import { declaredRoots, fromPyproject, fromSetupPy, type Declaration, type PackageRoot } from "./packages.js";

/**
 * The public API of Python packages at a ref (shared/DESIGN.md §3.2), read
 * from git objects (no checkout) and parsed with tree-sitter (never run):
 * modules whose dotted path has no `_` part; in each, the names of `__all__`,
 * else its public top-level definitions and what it re-exports from its own
 * package; classes with public methods, `__init__`, properties, class and
 * instance attributes; full signatures; every object with file and line.
 */

export type ObjectKind = "module" | "function" | "class" | "method" | "property" | "attribute" | "variable" | "unresolved";

export interface ApiObject {
  path: string;
  kind: ObjectKind;
  file: string;
  line: number;
  params?: Param[];
  returns?: string;
  forwardsKwargs?: boolean;
  bases?: string[];
  decorators?: string[];
  /** For a re-export (or a member reached through a re-export or a subclass): the dotted path where the object is defined. */
  aliasOf?: string;
  /** A member a class inherits without defining it: the base class (its definition's path) that defines it. */
  inheritedFrom?: string;
  /** Deprecation markers on the object itself (its definition, decorators, docstring, warnings in its body). */
  deprecations: (Deprecation & { file: string })[];
}

export interface Surface {
  packages: string[];
  /** How the packages were chosen: `--package`, the packaging file and entry that declares them, or the layout. */
  packagesFrom: string;
  objects: Map<string, ApiObject>;
  /** Every `module.name` a public module binds at top level (definitions, imports, star imports): importable, exported or not. */
  importable: Set<string>;
  modules: number;
  /** Python files of the packages, and those not read because their blobs are absent. */
  coverage: Coverage;
  warnings: string[];
}

const NOT_API = /^(?:tests?|testing|examples?|benchmarks?|docs?|scripts?|tools?|build|dist|ci|setup|conftest)$/;
const NOT_API_FILE = /(?:^|\/)(?:test_[^/]*|[^/]*_test|conftest|setup)\.py$/;
export const MAX_FILE_BYTES = 1024 * 1024;

/**
 * Facts by blob id, least recently used first out: a history reuses the facts of every file a
 * release did not change, which needs the blobs of the last release or two, not all (20,000 held
 * facts took a 126-release DeepSpeed history to 670 MB).
 */
const FACTS = new Map<string, ModuleFacts>();
const FACTS_LIMIT = 6_000;
function remember(oid: string, f: ModuleFacts): void {
  if (FACTS.size >= FACTS_LIMIT) FACTS.delete(FACTS.keys().next().value!);
  FACTS.set(oid, f);
}

interface ModuleSource {
  dotted: string;
  file: string;
  facts: ModuleFacts;
  isPackage: boolean;
}

/**
 * Package roots at the ref: the named ones (NAME/, src/NAME/, NAME.py); else
 * what pyproject.toml or setup.py declares (read, not run); else every
 * top-level or src/ package that is not tests, docs, examples... Says which.
 */
async function packageRoots(files: TreeFile[], packages: string[] | undefined, ref: string, read: (f: TreeFile) => Promise<string | null>, setupOf: (s: string) => Declaration | null): Promise<{ roots: PackageRoot[]; from: string; warnings: string[] }> {
  const set = new Set(files.map((f) => f.path));
  if (packages?.length) {
    const roots = packages.map((name) => {
      const rel = name.replace(/\./g, "/");
      for (const dir of [rel, `src/${rel}`]) if (set.has(`${dir}/__init__.py`)) return { name, dir };
      for (const f of [`${rel}.py`, `src/${rel}.py`]) if (set.has(f)) return { name, dir: "", single: f };
      throw new InputError(`package ${name} not found at ${ref} (looked for ${rel}/__init__.py, src/${rel}/__init__.py, ${rel}.py)`);
    });
    return { roots, from: "--package", warnings: [] };
  }
  const warnings: string[] = [];
  const byPath = new Map(files.map((f) => [f.path, f]));
  const declarations: Declaration[] = [];
  const pyproject = byPath.get("pyproject.toml");
  const pyText = pyproject ? await read(pyproject) : null;
  const fromToml = pyText !== null ? fromPyproject(pyText) : null;
  const setupPy = byPath.get("setup.py");
  const setupText = setupPy ? await read(setupPy) : null;
  const fromSetup = setupText !== null ? setupOf(setupText) : null;
  // Explicit packaging configuration first; a bare project name only when setup.py says nothing.
  if (fromToml && !fromToml.byProjectName) declarations.push(fromToml);
  if (fromSetup) declarations.push(fromSetup);
  if (fromToml?.byProjectName) declarations.push(fromToml);
  for (const d of declarations) {
    const roots = declaredRoots(d, set).filter((r) => !d.find || (!NOT_API.test(r.name) && !r.name.startsWith("_")));
    if (roots.length) return { roots, from: d.source, warnings };
    if (!d.byProjectName) warnings.push(`${d.source}: no such package at ${ref}; packages found from the tree's layout instead`);
  }
  const roots: PackageRoot[] = [];
  for (const p of set) {
    const m = /^(?:(src)\/)?([A-Za-z_][\w]*)\/__init__\.py$/.exec(p);
    if (m && !NOT_API.test(m[2]!) && !m[2]!.startsWith("_")) roots.push({ name: m[2]!, dir: m[1] ? `src/${m[2]}` : m[2]! });
  }
  if (!roots.length) throw new NoPythonPackageError(`no Python package found at ${ref} (no packages declared in pyproject.toml or setup.py, no top-level or src/ directory with an __init__.py; name one with --package)`);
  return { roots: roots.sort((a, b) => (a.name < b.name ? -1 : 1)), from: "layout: top-level directories with an __init__.py", warnings };
}

type TreeFile = TreeEntry;

/** What the API model reads of a tree: Python files and the packaging files that say which are the packages. */
const API_FILE = (p: string) => p.endsWith(".py") || p === "pyproject.toml";

/** Reads and parses every module of the packages at `commit`. */
export async function readModules(repo: Repository, commit: string, ref: string, packages?: string[], opts: { fetchMissing?: boolean } = {}): Promise<{ modules: Map<string, ModuleSource>; roots: string[]; packagesFrom: string; warnings: string[]; coverage: Coverage }> {
  // Symlinks too, whatever their name: a linked directory inside a package is part of it.
  const listed = await repo.listTree(commit, { kinds: ["file", "symlink"], filter: (p, kind) => kind === "symlink" || API_FILE(p) });
  const files = listed.filter((e) => e.kind === "file");
  const links = listed.filter((e) => e.kind === "symlink");
  let fetched = 0;
  // The packaging files decide which modules are read: fetched first when absent (a few bytes).
  if (opts.fetchMissing) fetched += await repo.fetchMissing(files.filter((f) => f.path === "pyproject.toml" || f.path === "setup.py"));
  const parser = await pythonParser();
  const decoder = new TextDecoder("utf-8", { fatal: true });
  const metadata = async (f: TreeFile): Promise<string | null> => {
    if (f.missing || (f.size ?? 0) > MAX_FILE_BYTES) return null;
    const buf = await repo.readBlob(f.oid);
    try {
      return buf ? decoder.decode(buf) : null;
    } catch {
      return null;
    }
  };
  const { roots, from, warnings } = await packageRoots(files, packages, ref, metadata, (s) => parser.read(s, fromSetupPy));
  const wanted: { file: string; dotted: string; entry: TreeEntry; isPackage: boolean }[] = [];
  for (const root of roots) {
    // Links under the package (their targets are a few bytes each, fetched when absent and asked to).
    let reached: { path: string; real: string; entry: TreeEntry }[] = [];
    if (!root.single) {
      if (opts.fetchMissing) fetched += await repo.fetchMissing(links.filter((l) => l.path.startsWith(`${root.dir}/`)));
      const followed = await followLinks(root.dir, files, links, metadata);
      // Through a link, only regular packages (an __init__.py in every directory down from the
      // package): what find_packages ships; DeepSpeed's `ops/csrc` link leads to C++ sources and
      // test scripts that are not.
      const present = new Set([...files.map((f) => f.path), ...followed.files.map((f) => f.path)]);
      reached = followed.files.filter((f) => {
        for (let d = f.path.slice(0, f.path.lastIndexOf("/")); d.length > root.dir.length; d = d.slice(0, d.lastIndexOf("/"))) if (!present.has(`${d}/__init__.py`)) return false;
        return true;
      });
      warnings.push(...followed.warnings);
    }
    for (const { path, real, entry: f } of [...files.map((f) => ({ path: f.path, real: f.path, entry: f })), ...reached]) {
      if (root.single ? path !== root.single : !path.startsWith(`${root.dir}/`) || !path.endsWith(".py")) continue;
      const rel = root.single ? "" : path.slice(root.dir.length + 1, -3);
      const parts = rel ? rel.split("/") : [];
      if (parts.slice(0, -1).some((p) => NOT_API.test(p)) || NOT_API_FILE.test(path)) continue;
      const isPackage = parts.at(-1) === "__init__";
      const dotted = [root.name, ...(isPackage ? parts.slice(0, -1) : parts)].join(".");
      wanted.push({ file: real, dotted, entry: f, isPackage });
    }
  }
  if (opts.fetchMissing) fetched += await repo.fetchMissing(wanted.map((w) => w.entry));
  const coverage = await coverageOf(repo.gitDir, wanted.map((w) => ({ path: w.file, missing: w.entry.missing })), fetched);
  if (wanted.length > 0 && coverage.missing === wanted.length) throw new InputError(`nothing to read at ${ref}: ${describeCoverage(coverage)}`);
  if (coverage.missing) warnings.push(`${describeCoverage(coverage)}: ${coverage.missingPaths.slice(0, 5).join(", ")}${coverage.missing > 5 ? ", ..." : ""}`);
  const modules = new Map<string, ModuleSource>();
  // Every blob to parse is asked for at once: one write to cat-file, and git answers while the
  // parser works. One request per blob awaited in turn cost a round trip each (two context
  // switches: slow when other work holds the cores).
  const reads = new Map<string, Promise<Buffer | null>>();
  for (const { entry: f } of wanted) {
    if (!f.missing && (f.size ?? 0) <= MAX_FILE_BYTES && !FACTS.has(f.oid) && !reads.has(f.oid)) reads.set(f.oid, repo.readBlob(f.oid));
  }
  for (const { entry: f, ...w } of wanted) {
    if (f.missing) continue;
    if ((f.size ?? 0) > MAX_FILE_BYTES) {
      warnings.push(`${w.file}: ${f.size} bytes, over the ${MAX_FILE_BYTES}-byte limit for Python files; not read`);
      continue;
    }
    // A blob parses to the same facts at every ref: unchanged files are parsed once per run.
    let facts = FACTS.get(f.oid);
    if (facts) {
      // Most recently used goes last (a Map iterates in insertion order).
      FACTS.delete(f.oid);
      FACTS.set(f.oid, facts);
    } else {
      const buf = await (reads.get(f.oid) ?? repo.readBlob(f.oid));
      reads.delete(f.oid);
      if (!buf) continue;
      let text: string;
      try {
        text = decoder.decode(buf);
      } catch {
        warnings.push(`${w.file}: not UTF-8; not read`);
        continue;
      }
      facts = parser.read(text, (root) => moduleFacts(root));
      remember(f.oid, facts);
      // Back to the event loop between parses: the native binding frees a syntax tree only between
      // tasks, and with every blob already read no await would get there (peak memory 170 -> 290 MB
      // on the 600-module bench).
      await new Promise((r) => setImmediate(r));
    }
    if (facts.errors.length) warnings.push(`${w.file}:${facts.errors[0]}: syntax error${facts.errors.length > 1 ? ` (and ${facts.errors.length - 1} more)` : ""}; read what parses`);
    if (facts.python2.length) warnings.push(`${w.file}:${facts.python2[0]}: Python 2 syntax (print or exec statement); read what parses`);
    modules.set(w.dotted, { dotted: w.dotted, file: w.file, facts, isPackage: w.isPackage });
  }
  return { modules, roots: roots.map((r) => r.name), packagesFrom: from, warnings, coverage };
}

function isPublicModule(dotted: string): boolean {
  return !dotted.split(".").some((p) => p.startsWith("_"));
}

/** The module an import refers to, relative imports resolved against `from` (a package or a module). */
function resolveModule(from: ModuleSource, module: string, level: number): string {
  if (level === 0) return module;
  const base = from.dotted.split(".");
  const up = from.isPackage ? level - 1 : level;
  const prefix = base.slice(0, base.length - up);
  return [...prefix, ...(module ? module.split(".") : [])].join(".");
}

/** A definition found through a module's bindings: the def, the module that defines it, and its dotted path there. */
type Found = { def: Def; mod: ModuleSource } | { module: ModuleSource };

/** Whether `from MOD import *` binds `name`: MOD's `__all__` when it has one, else every name without a leading `_`. */
function starBinds(target: ModuleSource, name: string): boolean {
  return target.facts.all ? target.facts.all.includes(name) : !name.startsWith("_");
}

/**
 * Name resolution inside the packages at one ref: where a name bound in a
 * module is defined (through imports and star imports of the packages' own
 * modules), which names a module exports, and the classes a class inherits from.
 */
class Resolver {
  private exportsOf = new Map<string, string[]>();

  constructor(readonly modules: Map<string, ModuleSource>) {}

  /** Where a name bound in a module is defined: its def (and module), or a module; null when outside the packages. */
  resolve(mod: ModuleSource, name: string, depth = 0): Found | null {
    if (depth > 8) return null;
    const d = mod.facts.defs.get(name);
    if (d) return { def: d, mod };
    const imp = lastImport(mod, name);
    if (imp) {
      const target = resolveModule(mod, imp.module, imp.level);
      if (imp.name === null) {
        const m = this.modules.get(imp.module);
        return m ? { module: m } : null;
      }
      const tm = this.modules.get(target);
      if (tm) {
        const r = this.resolve(tm, imp.name, depth + 1);
        if (r) return r;
      }
      const sub = this.modules.get(`${target}.${imp.name}`);
      return sub ? { module: sub } : null;
    }
    // Star imports of the packages' own modules, last first (a later one rebinds the name).
    for (let i = mod.facts.imports.length - 1; i >= 0; i--) {
      const star = mod.facts.imports[i]!;
      if (star.name !== "*") continue;
      const tm = this.modules.get(resolveModule(mod, star.module, star.level));
      if (!tm || tm === mod || !starBinds(tm, name)) continue;
      const r = this.resolve(tm, name, depth + 1);
      if (r) return r;
      if (tm.isPackage && this.modules.has(`${tm.dotted}.${name}`) && tm.facts.all?.includes(name)) return { module: this.modules.get(`${tm.dotted}.${name}`)! };
    }
    return null;
  }

  /**
   * The names a module exports: its `__all__`, else its public top-level
   * definitions, the names it imports from a module of its own package (a
   * sibling, or for a package's __init__ one of its submodules), and what its
   * star imports of the packages' own modules bring (transitively; a cycle of
   * star imports stops where it closes).
   */
  exported(mod: ModuleSource, visiting: Set<string> = new Set()): string[] {
    const known = this.exportsOf.get(mod.dotted);
    if (known) return known;
    if (mod.facts.all) return mod.facts.all;
    const top = visiting.size === 0;
    visiting.add(mod.dotted);
    const names = [...mod.facts.defs.keys()].filter((n) => !n.startsWith("_"));
    const pkg = mod.isPackage ? mod.dotted : mod.dotted.slice(0, mod.dotted.lastIndexOf("."));
    for (const i of mod.facts.imports) {
      if (i.name === null || i.alias.startsWith("_")) continue;
      const target = resolveModule(mod, i.module, i.level);
      if (i.name === "*") {
        const tm = this.modules.get(target);
        if (tm && !visiting.has(tm.dotted)) names.push(...this.exported(tm, visiting).filter((n) => !n.startsWith("_") || tm.facts.all !== null));
      } else if (target.startsWith(`${pkg}.`) || (target === pkg && !mod.isPackage)) names.push(i.alias);
    }
    const out = [...new Set(names)];
    visiting.delete(mod.dotted);
    // A result cut short by a cycle is only right for the module the walk started from.
    if (top) this.exportsOf.set(mod.dotted, out);
    return out;
  }

  /** The class a base class expression names (`Base`, `mod.Base`, `Outer.Inner`), when it is defined in the packages. */
  classOf(mod: ModuleSource, expr: string): { def: Def; mod: ModuleSource; path: string } | null {
    const parts = expr.replace(/\[.*$/s, "").split(".");
    let r = this.resolve(mod, parts[0]!);
    let i = 1;
    while (r && "module" in r && i < parts.length) r = this.resolve(r.module, parts[i++]!);
    if (!r || "module" in r) return null;
    let def: Def | undefined = r.def;
    let path = `${r.mod.dotted}.${r.def.name}`;
    for (; i < parts.length && def; i++) {
      def = def.members?.get(parts[i]!);
      path += `.${parts[i]}`;
    }
    return def?.kind === "class" ? { def, mod: r.mod, path } : null;
  }
}

function lastImport(mod: ModuleSource, name: string) {
  for (let i = mod.facts.imports.length - 1; i >= 0; i--) {
    const imp = mod.facts.imports[i]!;
    if (imp.alias === name && imp.name !== "*") return imp;
  }
  return undefined;
}

/**
 * A base class expression as a dotted name, through the module's imports
 * (`nn.Module` after `from torch import nn` is `torch.nn.Module`), its own
 * classes (`Base` is `pkg.mod.Base`) or a star import of a module of the
 * packages (`from .. import *`): the same base written another way is not a
 * removed base. Builtins and what cannot be resolved stay as written.
 */
function qualifyBase(text: string, mod: ModuleSource, resolver: Resolver): string {
  const head = /^[A-Za-z_]\w*/.exec(text)?.[0];
  if (!head) return text;
  const rest = text.slice(head.length);
  if (mod.facts.defs.get(head)?.kind === "class") return `${mod.dotted}.${head}${rest}`;
  const imp = lastImport(mod, head);
  if (!imp) {
    const r = resolver.resolve(mod, head);
    return r && "def" in r ? `${r.mod.dotted}.${r.def.name}${rest}` : text;
  }
  if (imp.name === null) return `${imp.alias === imp.module.split(".")[0] ? head : imp.module}${rest}`;
  return `${resolveModule(mod, imp.module, imp.level)}.${imp.name}${rest}`;
}

/**
 * What an object takes from its definition whatever path reaches it: bases qualified through the
 * defining module, deprecations with their file. Kept per definition for one surface: a class is
 * reached through every re-export and subclass (DeepSpeed's config base through 131 paths), and
 * qualifying its bases again at each cost a resolution per base.
 */
interface DefParts {
  bases?: string[];
  deprecations: ApiObject["deprecations"];
}

function fromDef(path: string, d: Def, mod: ModuleSource, kind: ObjectKind, parts: DefParts, aliasOf?: string): ApiObject {
  return {
    path,
    kind,
    file: mod.file,
    line: d.line,
    ...(d.params ? { params: d.params } : {}),
    ...(d.returns ? { returns: d.returns } : {}),
    ...(d.forwardsKwargs ? { forwardsKwargs: true } : {}),
    ...(parts.bases ? { bases: parts.bases } : {}),
    ...(d.decorators.length ? { decorators: d.decorators } : {}),
    ...(aliasOf ? { aliasOf } : {}),
    deprecations: parts.deprecations,
  };
}

const NONE: ApiObject["deprecations"] = Object.freeze([]) as unknown as ApiObject["deprecations"];

/** A member of a class as the class offers it: defined by `mod` at `own`, inherited from `inheritedFrom` when not the class's own. */
interface Member {
  name: string;
  def: Def;
  mod: ModuleSource;
  own: string;
  inheritedFrom?: string;
}

/** How deep a chain of base classes is followed for inherited members. */
const MAX_BASES_DEPTH = 10;

/** The public surface of the packages, as dotted path -> object. */
export async function surfaceAt(repo: Repository, commit: string, ref: string, packages?: string[], opts: { fetchMissing?: boolean } = {}): Promise<Surface> {
  const { modules, roots, packagesFrom, warnings, coverage } = await readModules(repo, commit, ref, packages, opts);
  const objects = new Map<string, ApiObject>();
  const importable = new Set<string>();
  const resolver = new Resolver(modules);

  /** Bases and deprecations of a definition in its module, computed once per surface. */
  const partsCache = new Map<Def, Map<ModuleSource, DefParts>>();
  const partsOf = (d: Def, mod: ModuleSource): DefParts => {
    let byMod = partsCache.get(d);
    if (!byMod) partsCache.set(d, (byMod = new Map<ModuleSource, DefParts>()));
    let parts = byMod.get(mod);
    if (!parts) {
      const file = mod.file;
      parts = {
        ...(d.bases ? { bases: d.bases.map((b) => qualifyBase(b, mod, resolver)) } : {}),
        // Most objects have none: one shared empty list, not an allocation per object (tens of thousands per ref).
        deprecations: d.deprecations.length ? d.deprecations.map((x) => ({ ...x, file })) : NONE,
      };
      byMod.set(mod, parts);
    }
    return parts;
  };

  const memberObject = (path: string, e: Member): ApiObject => {
    const m = e.def;
    const kind: ObjectKind = m.property ? "property" : m.kind === "function" ? "method" : m.kind === "class" ? "class" : "attribute";
    const o = fromDef(path, m, e.mod, kind, partsOf(m, e.mod), e.own !== path ? e.own : undefined);
    if (e.inheritedFrom) o.inheritedFrom = e.inheritedFrom;
    return o;
  };

  /**
   * A class's public members: its own, then (in base order, depth first)
   * those it inherits from classes of the packages and does not define
   * itself — users call them through the subclass. The same for every path
   * that reaches the class, so resolved once per definition (`defPath`).
   */
  const membersCache = new Map<string, { def: Def; members: Member[] }>();
  const membersOf = (d: Def, mod: ModuleSource, defPath: string): Member[] => {
    const known = membersCache.get(defPath);
    if (known && known.def === d) return known.members;
    const members: Member[] = [];
    const seen = new Set<string>();
    for (const [name, m] of d.members ?? []) {
      seen.add(name);
      if (name.startsWith("_") && name !== "__init__") continue;
      members.push({ name, def: m, mod, own: `${defPath}.${name}` });
    }
    const visited = new Set<string>([defPath]);
    const inherit = (cls: Def, clsMod: ModuleSource, depth: number) => {
      if (depth > MAX_BASES_DEPTH) return;
      for (const b of cls.bases ?? []) {
        const base = resolver.classOf(clsMod, b);
        if (!base || visited.has(base.path)) continue;
        visited.add(base.path);
        for (const [name, m] of base.def.members ?? []) {
          if (seen.has(name)) continue;
          seen.add(name);
          if (name.startsWith("_") && name !== "__init__") continue;
          members.push({ name, def: m, mod: base.mod, own: `${base.path}.${name}`, inheritedFrom: base.path });
        }
        inherit(base.def, base.mod, depth + 1);
      }
    };
    inherit(d, mod, 0);
    membersCache.set(defPath, { def: d, members });
    return members;
  };

  /** A class's members at `path` (and the members of the classes among them). */
  const addClass = (path: string, d: Def, mod: ModuleSource, defPath: string) => {
    // Own members and their nested classes first, then inherited ones: the order objects were always added in.
    const members = membersOf(d, mod, defPath);
    for (const e of members) {
      const at = `${path}.${e.name}`;
      objects.set(at, memberObject(at, e));
      if (e.def.kind === "class") addClass(at, e.def, e.mod, e.own);
    }
  };

  for (const mod of [...modules.values()].sort((a, b) => (a.dotted < b.dotted ? -1 : 1))) {
    if (!isPublicModule(mod.dotted)) continue;
    objects.set(mod.dotted, { path: mod.dotted, kind: "module", file: mod.file, line: 1, deprecations: mod.facts.deprecations.map((x) => ({ ...x, file: mod.file })) });
    // Every name the module binds can be imported from it, exported or not (an old path kept by an import is not removed).
    for (const n of mod.facts.defs.keys()) importable.add(`${mod.dotted}.${n}`);
    for (const i of mod.facts.imports) {
      if (i.name !== "*") importable.add(`${mod.dotted}.${i.alias}`);
      else {
        const tm = modules.get(resolveModule(mod, i.module, i.level));
        if (tm) for (const n of resolver.exported(tm)) importable.add(`${mod.dotted}.${n}`);
      }
    }
    for (const name of resolver.exported(mod)) {
      const path = `${mod.dotted}.${name}`;
      if (objects.has(path) && objects.get(path)!.kind === "module") continue;
      const r = resolver.resolve(mod, name);
      if (!r) {
        objects.set(path, { path, kind: "unresolved", file: mod.file, line: 1, deprecations: [] });
        continue;
      }
      if ("module" in r) {
        // A submodule exported by name: the module object is its own entry.
        if (!objects.has(path)) objects.set(path, { path, kind: "module", file: r.module.file, line: 1, aliasOf: r.module.dotted, deprecations: r.module.facts.deprecations.map((x) => ({ ...x, file: r.module.file })) });
        continue;
      }
      const defined = `${r.mod.dotted}.${r.def.name}`;
      const kind: ObjectKind = r.def.kind === "function" ? "function" : r.def.kind === "class" ? "class" : "variable";
      objects.set(path, fromDef(path, r.def, r.mod, kind, partsOf(r.def, r.mod), defined !== path ? defined : undefined));
      if (r.def.kind === "class") addClass(path, r.def, r.mod, defined);
    }
  }
  return { packages: roots, packagesFrom, objects, importable, modules: modules.size, coverage, warnings };
}
