#!/usr/bin/python3
"""Compare `steward api diff --json` with griffe's breaking-change finder on the same pair.

Usage (griffe 2.x from its source with PYTHONPATH=$GRIFFE/packages/griffelib/src, or griffe 0.25.5
from Debian's python3-griffe; two trees extracted with `git archive`, which keeps symlinks, since
`griffe check -a REF` needs a work tree):

    git --git-dir=$DS archive v0.14.0 deepspeed accelerator op_builder | tar -x -C old/
    git --git-dir=$DS archive v0.15.0 deepspeed accelerator op_builder | tar -x -C new/
    steward api diff --repo $DS v0.14.0 v0.15.0 --json > steward.json
    /usr/bin/python3 bench/api-griffe-compare.py old new deepspeed steward.json

griffe loads with inspection off, so nothing analysed is imported. Prints counts as JSON:
griffe records and objects (split into value-only changes and the rest), Steward findings and the
public paths they cover, which griffe objects Steward does not report, and which Steward findings
griffe does not. A griffe object counts as found when Steward reports it at that path or an alias,
or reports the removal of an enclosing class or module (whose members Steward does not list again).
"""
import json
import sys
import time

try:  # griffe 2.x (run from its source: PYTHONPATH=packages/griffelib/src)
    from griffe import GriffeLoader, find_breaking_changes

    def load(search, package):
        loader = GriffeLoader(search_paths=[search], allow_inspection=False)
        module = loader.load(package)
        # As `griffe check` does: aliases resolved inside the package, so re-exports compare.
        loader.resolve_aliases(implicit=False, external=None)
        return module
except ImportError:  # griffe 0.25 (Debian's python3-griffe)
    from griffe.diff import find_breaking_changes
    from griffe.loader import GriffeLoader

    def load(search, package):
        return GriffeLoader(search_paths=[search], allow_inspection=False).load_module(package)

old_dir, new_dir, package, steward_json = sys.argv[1:5]
t0 = time.time()
old = load(old_dir, package)
new = load(new_dir, package)
records = [(b.obj.path, b.kind.value) for b in find_breaking_changes(old, new)]
griffe_seconds = round(time.time() - t0, 2)

VALUE = "Attribute value was changed"
kinds = {}
for path, kind in records:
    kinds.setdefault(path, set()).add(kind)
beyond_values = {p for p, ks in kinds.items() if ks - {VALUE}}

s = json.load(open(steward_json))
paths = {}
for b in s["breaking"]:
    for p in [b["object"]] + b.get("aliases", []):
        paths[p] = b
removed = {p for p, b in paths.items() if b["kind"] in ("object-removed", "object-moved")}


def found(path):
    parts = path.split(".")
    return path in paths or any(".".join(parts[:i]) in removed for i in range(1, len(parts)))


missed = sorted(p for p in beyond_values if not found(p))
steward_only = sorted(b["object"] for b in s["breaking"] if not ({b["object"], *b.get("aliases", [])} & set(kinds)))
print(json.dumps({
    "griffe": {"seconds_in_process": griffe_seconds, "records": len(records), "objects": len(kinds),
               "value_change_only_objects": len(kinds) - len(beyond_values), "other_objects": len(beyond_values),
               "positional_moved_records": sum(1 for _, k in records if k == "Positional parameter was moved")},
    "steward": {"findings": len(s["breaking"]), "paths": len(paths), "announced": s["summary"]["announced"],
                "weak": s["summary"]["weak"]},
    "griffe_other_objects_found_by_steward": len(beyond_values) - len(missed),
    "griffe_objects_steward_misses": missed,
    "steward_findings_griffe_lacks": steward_only,
}, indent=1))
