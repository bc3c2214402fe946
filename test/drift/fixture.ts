import { HistoryBuilder } from "../../src/git/builder.js";
import { lines, text, up, vendor } from "../helpers/git.js";

/**
 * One upstream and one fork built so that every classification rule has a
 * known answer. The fork ships one squashed "content drop" on base B; upstream
 * then adopts some of it verbatim, rewrites some, moves a file, and leaves the rest.
 */
export function engineBase(): string[] {
  const e = lines("engine", 40);
  e[9] = ")"; // line 10: a trivial line, also present upstream
  return e;
}

export const LATIN1_LINE = Buffer.from("caf\xe9 = 'cr\xe8me'  # latin-1, not UTF-8\n", "latin1");

export function buildFamily(): HistoryBuilder {
  const b = new HistoryBuilder();
  const engine = engineBase();
  const base = b.commit({
    branch: "main",
    message: "base",
    author: up("2024-01-01T00:00:00Z"),
    files: {
      "pkg/engine.py": text(engine),
      "pkg/util.py": text(lines("util", 30)),
      "pkg/old.py": text(lines("old", 20)),
      "pkg/moved.py": text(lines("moved", 20)),
      "docs/a b ü.md": text(lines("doc", 10)),
      "assets/logo.bin": Buffer.from([0, 1, 2, 3, 0, 255, 0]),
      "pkg/latin.py": Buffer.concat([Buffer.from("x = 1\n"), LATIN1_LINE, Buffer.from("y = 2\n")]),
    },
  });

  // The fork's squashed content drop.
  const forkEngine = [...engine];
  forkEngine[4] = "engine_5 = accelerator().compute('engine', 5)"; // line 5: upstream adopts it
  forkEngine[29] = "engine_30 = hpu_compute('engine', 30)"; // line 30: upstream rewrites it differently
  forkEngine.splice(35, 0, ")"); // after line 35: a lone ')' (trivial)
  forkEngine.splice(20, 0, "fork_private_a = 1", "fork_private_b = 2"); // after line 20: private
  const moved = lines("moved", 20);
  moved[2] = "moved_3 = vendor_only()";
  const docs = lines("doc", 10);
  docs[1] = "doc_2 = vendor docs";
  b.branch("fork", base);
  b.commit({
    branch: "fork",
    message: "Vendor content for 1.0",
    author: vendor("2024-03-01T00:00:00Z"),
    files: {
      "pkg/engine.py": text(forkEngine),
      "pkg/util.py": text([...lines("util", 30), "util_vendor_hook = install()"]),
      "pkg/old.py": null,
      "pkg/moved.py": text(moved),
      "pkg/hpu.py": text(lines("hpu", 12)),
      "pkg/private_new.py": text(lines("vendor_new", 8)),
      "docs/a b ü.md": text(docs),
      "assets/logo.bin": Buffer.from([0, 9, 9, 9, 0, 255, 0]),
      "pkg/latin.py": Buffer.concat([Buffer.from("x = 1\n"), Buffer.from("caf\xe9 = 'vendor'\n", "latin1"), Buffer.from("y = 2\n")]),
    },
  });

  // Upstream, after the base.
  const upEngine = [...engine];
  upEngine[4] = forkEngine[4]!;
  upEngine[29] = "engine_30 = generic_compute('engine', 30)";
  upEngine.splice(12, 0, ")"); // another lone ')' elsewhere: must not make the fork's ')' upstreamed
  b.commit({ branch: "main", message: "Adopt accelerator compute (#10)", author: up("2024-04-01T00:00:00Z"), files: { "pkg/engine.py": text(upEngine) } });
  b.commit({ branch: "main", message: "Add HPU support (#11)", author: up("2024-04-02T00:00:00Z"), files: { "pkg/hpu.py": text(lines("hpu", 12)) } });
  b.commit({
    branch: "main",
    message: "Remove old, move moved (#12)",
    author: up("2024-04-03T00:00:00Z"),
    files: { "pkg/old.py": null, "pkg/moved.py": null, "pkg/core/moved.py": text(lines("moved", 20)) },
  });
  return b;
}
