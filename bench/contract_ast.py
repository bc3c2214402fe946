#!/usr/bin/env python3
"""A second reading of a plugin's contract with its upstream, by Python's own `ast`.

The same rules as src/python/couplings.ts and src/analyzers/api/contract.ts, written
independently on another parser, to compare what each extracts (bench/contract-compare.mjs,
docs/api.md). The files are parsed, never imported or run.

Usage: contract_ast.py DIR ROOT[,ROOT...]   -> JSON on stdout
"""

import ast
import json
import os
import re
import sys
import tomllib

MOCK_PATCH = {"unittest.mock.patch", "mock.patch"}
MOCK_OBJECT = {"unittest.mock.patch.object", "mock.patch.object"}
REPLACING = re.compile(r"(?:^|_)(?:patch|patches|patch_to|replace|replaces|override|overrides|monkey\w*|hijack\w*)$", re.I)
REGISTER = re.compile(r"^_?register")


def dotted(node):
    """`a.b.c` for a Name/Attribute chain, else None."""
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
        return ".".join(reversed(parts))
    return None


def literal(node):
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def file_couplings(path, tree, roots, own, out):
    bound = {}
    for n in ast.walk(tree):
        if isinstance(n, ast.Import):
            for a in n.names:
                alias = a.asname or a.name.split(".")[0]
                bound[alias] = a.name if a.asname else alias
                if a.name.split(".")[0] in roots:
                    out["imports"].append([path, n.lineno, a.name])
        elif isinstance(n, ast.ImportFrom):
            for a in n.names:
                if a.name == "*":
                    continue
                alias = a.asname or a.name
                if n.level:
                    bound[alias] = "."
                    continue
                bound[alias] = f"{n.module}.{a.name}"
                if (n.module or "").split(".")[0] in roots:
                    out["imports"].append([path, n.lineno, f"{n.module}.{a.name}"])

    def resolve(expr):
        if expr is None:
            return None
        head, _, rest = expr.partition(".")
        base = bound.get(head)
        if not base or base == ".":
            return None
        return f"{base}.{rest}" if rest else base

    aliases = sorted((n for n in ast.walk(tree) if isinstance(n, ast.Assign) and len(n.targets) == 1 and isinstance(n.targets[0], ast.Name) and dotted(n.value)), key=lambda n: n.lineno)
    for a in aliases:
        r = resolve(dotted(a.value))
        if r:
            bound[a.targets[0].id] = r

    def where(p):
        root = p.split(".")[0]
        return "upstream" if root in roots else "own" if root in own else "external"

    def patch(target, kind, line):
        w = where(target)
        if w == "upstream":
            out["patches"].append([path, line, kind, target])
        elif w == "external":
            out["thirdPartyPatches"].append([path, line, kind, target])

    def dynamic(obj, kind, line):
        if obj is not None and where(obj) != "own":
            out["unresolved"].append([path, line, kind])

    decorator_calls = set()
    for n in ast.walk(tree):
        if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            for d in n.decorator_list:
                if isinstance(d, ast.Call):
                    decorator_calls.add((d.lineno, dotted(d.func)))

    for n in ast.walk(tree):
        if isinstance(n, ast.Call):
            name = dotted(n.func)
            callee = resolve(name)
            args = [a for a in n.args if not isinstance(a, ast.Starred)]
            first = args[0] if args else None
            second = args[1] if len(args) > 1 else None
            if name == "setattr" and "setattr" not in bound:
                obj = resolve(dotted(first)) if first is not None else None
                if obj is None:
                    continue
                if literal(second) is not None:
                    patch(f"{obj}.{literal(second)}", "setattr", n.lineno)
                else:
                    dynamic(obj, "setattr", n.lineno)
                continue
            monkeypatch = name == "monkeypatch.setattr" and "monkeypatch" not in bound
            if (callee in MOCK_PATCH) or (monkeypatch and literal(first) is not None):
                if literal(first) is not None:
                    patch(literal(first), "mock", n.lineno)
                elif first is not None:
                    dynamic("", "mock", n.lineno)
                continue
            if callee in MOCK_OBJECT or monkeypatch:
                obj = resolve(dotted(first)) if first is not None else None
                if obj is None:
                    continue
                if literal(second) is not None:
                    patch(f"{obj}.{literal(second)}", "mock", n.lineno)
                else:
                    dynamic(obj, "mock", n.lineno)
                continue
            if not callee or where(callee) != "upstream":
                continue
            if REGISTER.match(callee.rsplit(".", 1)[-1]):
                if (n.lineno, name) not in decorator_calls:
                    out["registrations"].append([path, n.lineno, "call", callee])
                continue
            out["calls"].append([path, n.lineno, callee])
        elif isinstance(n, ast.Assign):
            for t in n.targets:
                if isinstance(t, ast.Attribute):
                    expr = dotted(t)
                    if not expr or expr.split(".")[0] in ("self", "cls"):
                        continue
                    obj = resolve(expr.rsplit(".", 1)[0])
                    if obj is not None:
                        patch(f"{obj}.{t.attr}", "assign", n.lineno)
        elif isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            for d in n.decorator_list:
                func = d.func if isinstance(d, ast.Call) else d
                name = dotted(func)
                if name is None:
                    continue
                callee = resolve(name)
                if callee in MOCK_PATCH or callee in MOCK_OBJECT:
                    continue
                leaf = name.rsplit(".", 1)[-1]
                if callee and where(callee) == "upstream" and REGISTER.match(leaf):
                    out["registrations"].append([path, d.lineno, "call", callee])
                    continue
                if not isinstance(d, ast.Call) or not REPLACING.search(leaf) or not d.args:
                    continue
                obj = resolve(dotted(d.args[0]))
                if obj is None:
                    continue
                name_arg = next((literal(a) for a in d.args[1:] if literal(a) is not None), None)
                patch(f"{obj}.{name_arg or n.name}", "decorator", d.lineno)
            if isinstance(n, ast.ClassDef):
                for b in n.bases:
                    base = resolve(dotted(b))
                    if base and where(base) == "upstream":
                        out["subclasses"].append([path, n.lineno, base])


def entry_points_setup(tree, roots, out):
    for n in ast.walk(tree):
        if isinstance(n, ast.keyword) and n.arg == "entry_points" and isinstance(n.value, ast.Dict):
            for k, v in zip(n.value.keys, n.value.values):
                group = literal(k)
                if group is None or re.split(r"[._]", group)[0] not in roots:
                    continue
                items = v.elts if isinstance(v, (ast.List, ast.Tuple)) else [v]
                for item in items:
                    if literal(item) is not None:
                        out["registrations"].append(["setup.py", item.lineno, "entry-point", group])


def entry_points_pyproject(text, roots, out):
    doc = tomllib.loads(text)
    for tables in ((doc.get("project") or {}).get("entry-points"), ((doc.get("tool") or {}).get("poetry") or {}).get("plugins")):
        for group, entries in (tables or {}).items():
            if re.split(r"[._]", group)[0] in roots:
                for _ in entries:
                    out["registrations"].append(["pyproject.toml", 0, "entry-point", group])


def main():
    top, roots = sys.argv[1], set(sys.argv[2].split(","))
    out = {k: [] for k in ("imports", "calls", "subclasses", "patches", "registrations", "unresolved", "thirdPartyPatches")}
    out["skipped"] = []
    files = []
    for d, dirs, names in os.walk(top):
        dirs[:] = sorted(x for x in dirs if x != ".git")
        files += [os.path.relpath(os.path.join(d, n), top) for n in sorted(names) if n.endswith(".py")]
    own = {f.removeprefix("src/").split("/")[0].removesuffix(".py") for f in files} - roots
    for rel in files:
        try:
            with open(os.path.join(top, rel), encoding="utf-8") as fh:
                tree = ast.parse(fh.read(), rel)
        except (SyntaxError, UnicodeDecodeError, ValueError) as e:
            out["skipped"].append([rel, type(e).__name__])
            continue
        file_couplings(rel, tree, roots, own, out)
        if rel == "setup.py":
            entry_points_setup(tree, roots, out)
    if os.path.exists(os.path.join(top, "pyproject.toml")):
        with open(os.path.join(top, "pyproject.toml"), "rb") as fh:
            entry_points_pyproject(fh.read().decode("utf-8"), roots, out)
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
