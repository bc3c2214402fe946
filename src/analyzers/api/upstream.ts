import type { Repository } from "../../git/repository.js";
import type { Def, ModuleFacts } from "../../python/facts.js";
import { readModules } from "./surface.js";

/**
 * Every definition of the upstream packages at a ref, private ones included
 * (a plugin's patches and overrides reach internals the public surface
 * leaves out), looked up by dotted path the way Python resolves attributes:
 * through the module's imports (re-exports) and, for class members, through
 * the class's bases.
 */

interface Mod {
  dotted: string;
  file: string;
  facts: ModuleFacts;
  isPackage: boolean;
}

export interface Found {
  kind: "module" | "function" | "class" | "variable";
  /** The dotted path of the definition itself (a re-export resolves to where it is defined). */
  path: string;
  file: string;
  line: number;
  def?: Def;
  /** When found through a base class: the path of the member in that base. */
  inherited?: string;
}

export interface UpstreamIndex {
  ref: string;
  commit: string;
  packages: string[];
  packagesFrom: string;
  modules: Map<string, Mod>;
  warnings: string[];
  coverage: Awaited<ReturnType<typeof readModules>>["coverage"];
  lookup(path: string): Found | null;
  /** Definitions by their last name (for "moved"): built on first use. */
  byLeaf(): Map<string, Found[]>;
}

function resolveModule(from: Mod, module: string, level: number): string {
  if (level === 0) return module;
  const base = from.dotted.split(".");
  const up = from.isPackage ? level - 1 : level;
  return [...base.slice(0, base.length - up), ...(module ? module.split(".") : [])].join(".");
}

export async function upstreamIndex(repo: Repository, commit: string, ref: string, packages?: string[], opts: { fetchMissing?: boolean } = {}): Promise<UpstreamIndex> {
  const read = await readModules(repo, commit, ref, packages, opts);
  const modules = read.modules as Map<string, Mod>;

  const moduleFound = (m: Mod): Found => ({ kind: "module", path: m.dotted, file: m.file, line: 1 });
  const defFound = (d: Def, m: Mod, path: string, inherited?: string): Found => ({ kind: d.kind, path, file: m.file, line: d.line, def: d, ...(inherited ? { inherited } : {}) });

  /** A name bound in a module: its definition, an import (followed), a submodule, a star import. */
  const resolveName = (mod: Mod, name: string, depth: number): { found: Found; mod: Mod } | null => {
    if (depth > 10) return null;
    const d = mod.facts.defs.get(name);
    if (d?.alias !== undefined && d.alias !== name) {
      // `KVConnectorBase = KVConnectorBase_V1`: the name is that class (its members are what a subclass
      // overrides); a value that does not resolve to a definition stays a variable.
      const parts = d.alias.split(".");
      const head = resolveName(mod, parts[0]!, depth + 1);
      const r = head ? walk(head, parts.slice(1), depth + 1) : null;
      if (r && r.found.kind !== "variable") return r;
    }
    if (d) return { found: defFound(d, mod, `${mod.dotted}.${name}`), mod };
    const imp = [...mod.facts.imports].reverse().find((i) => i.alias === name && i.name !== "*");
    if (imp) {
      if (imp.name === null) {
        // `import a.b as x` binds x to a.b; `import a.b` binds a.
        const target = imp.alias === imp.module.split(".")[0] ? imp.alias : imp.module;
        const m = modules.get(target);
        return m ? { found: moduleFound(m), mod: m } : null;
      }
      const target = resolveModule(mod, imp.module, imp.level);
      const tm = modules.get(target);
      if (tm) {
        const r = resolveName(tm, imp.name, depth + 1);
        if (r) return r;
      }
      const sub = modules.get(`${target}.${imp.name}`);
      return sub ? { found: moduleFound(sub), mod: sub } : null;
    }
    const sub = modules.get(`${mod.dotted}.${name}`);
    if (sub) return { found: moduleFound(sub), mod: sub };
    for (const star of mod.facts.imports.filter((i) => i.name === "*")) {
      const tm = modules.get(resolveModule(mod, star.module, star.level));
      if (tm && tm !== mod) {
        const r = resolveName(tm, name, depth + 1);
        if (r) return r;
      }
    }
    return null;
  };

  /** Walks attribute names from a found object: module attributes, class members, inherited members. */
  const walk = (start: { found: Found; mod: Mod }, parts: string[], depth: number): { found: Found; mod: Mod } | null => {
    let cur = start;
    for (const part of parts) {
      if (cur.found.kind === "module") {
        const m = modules.get(cur.found.path)!;
        const r = resolveName(m, part, depth + 1);
        if (!r) return null;
        cur = r;
      } else if (cur.found.kind === "class") {
        const r = member(cur, part, depth + 1);
        if (!r) return null;
        cur = r;
      } else if (cur.found.kind === "variable") {
        // An attribute of a value (`installed_ops.get`, `CONFIG.flag`): statically, the value is as far as the path goes.
        return cur;
      } else return null;
    }
    return cur;
  };

  /** A class member, its own or through its bases (depth-limited; bases outside the packages are not followed). */
  const member = (cls: { found: Found; mod: Mod }, name: string, depth: number): { found: Found; mod: Mod } | null => {
    if (depth > 12) return null;
    const own = cls.found.def?.members?.get(name);
    if (own) return { found: defFound(own, cls.mod, `${cls.found.path}.${name}`), mod: cls.mod };
    for (const base of cls.found.def?.bases ?? []) {
      const parts = base.split(".");
      const head = resolveName(cls.mod, parts[0]!, depth + 1);
      const b = head ? walk(head, parts.slice(1), depth + 1) : null;
      if (!b || b.found.kind !== "class") continue;
      const r = member(b, name, depth + 1);
      if (r) return { found: { ...r.found, inherited: r.found.inherited ?? r.found.path }, mod: r.mod };
    }
    return null;
  };

  const lookup = (path: string): Found | null => {
    const parts = path.split(".");
    for (let i = parts.length; i > 0; i--) {
      const m = modules.get(parts.slice(0, i).join("."));
      if (!m) continue;
      return walk({ found: moduleFound(m), mod: m }, parts.slice(i), 0)?.found ?? null;
    }
    return null;
  };

  let leaves: Map<string, Found[]> | null = null;
  const byLeaf = () => {
    if (leaves) return leaves;
    leaves = new Map();
    const add = (leaf: string, f: Found) => {
      const list = leaves!.get(leaf);
      if (list) list.push(f);
      else leaves!.set(leaf, [f]);
    };
    const addDef = (d: Def, m: Mod, path: string) => {
      add(d.name, defFound(d, m, path));
      for (const [name, x] of d.members ?? []) addDef(x, m, `${path}.${name}`);
    };
    for (const m of modules.values()) {
      add(m.dotted.slice(m.dotted.lastIndexOf(".") + 1), moduleFound(m));
      for (const [name, d] of m.facts.defs) addDef(d, m, `${m.dotted}.${name}`);
    }
    return leaves;
  };

  return { ref, commit, packages: read.roots, packagesFrom: read.packagesFrom, modules, warnings: read.warnings, coverage: read.coverage, lookup, byLeaf };
}
