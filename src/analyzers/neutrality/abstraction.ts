import type { Repository } from "../../git/repository.js";
import { moduleFacts } from "../../python/facts.js";
import { pythonParser } from "../../python/parser.js";
import type { RulePack } from "./packs.js";

/**
 * What the project's device abstraction offers at the analysed ref, so a lint
 * suggestion names only APIs that exist: the members of the classes the
 * pack's interface file defines (DeepSpeed's accelerator/abstract_accelerator.py,
 * vLLM's vllm/platforms/interface.py), read with the same tree-sitter facts as
 * the API analyzer; and torch.accelerator, whose functions are PyTorch's
 * documented list (https://docs.pytorch.org/docs/stable/accelerator.html).
 */
export interface AbstractionApi {
  /** Per root expression of the pack (`get_accelerator()`, `current_platform`): its members, or null when the interface file is absent at the ref. */
  roots: Map<string, { members: Set<string> | null; file: string | null }>;
}

/** torch.accelerator's functions (PyTorch 2.9), and those under torch.accelerator.memory. */
const TORCH_ACCELERATOR = new Set(["device_count", "is_available", "current_accelerator", "set_device_index", "set_device_idx", "current_device_index", "current_device_idx", "set_stream", "current_stream", "synchronize", "device_index"]);
const TORCH_ACCELERATOR_MEMORY = new Set(["empty_cache", "get_memory_info", "max_memory_allocated", "max_memory_reserved", "memory_allocated", "memory_reserved", "memory_stats", "reset_accumulated_memory_stats", "reset_peak_memory_stats"]);
/** torch.cuda names whose torch.accelerator equivalent is spelled differently. */
const TORCH_RENAMED: Record<string, string> = { set_device: "set_device_index", current_device: "current_device_index", device: "device_index" };

/** The torch.accelerator function doing what torch.cuda.`name` does, or null when there is none. */
export function torchAcceleratorFor(name: string): string | null {
  const n = TORCH_RENAMED[name] ?? name;
  if (TORCH_ACCELERATOR.has(n)) return `torch.accelerator.${n}`;
  if (TORCH_ACCELERATOR_MEMORY.has(n)) return `torch.accelerator.memory.${n}`;
  return null;
}

/** Reads the pack's interface file (under `base`, the folder where the pack was detected) at the commit. */
export async function abstractionApi(repo: Repository, commit: string, pack: RulePack, base: string, paths: Set<string>): Promise<AbstractionApi> {
  const roots: AbstractionApi["roots"] = new Map();
  for (const api of pack.api ?? []) {
    const file = api.files.map((f) => base + f).find((f) => paths.has(f)) ?? api.files.find((f) => paths.has(f)) ?? null;
    let members: Set<string> | null = null;
    if (file && commit) {
      const entry = (await repo.listTree(commit, { filter: (p) => p === file }))[0];
      const buf = entry && !entry.missing ? await repo.readBlob(entry.oid) : null;
      if (buf) {
        const parser = await pythonParser();
        members = parser.read(buf.toString("utf8"), (root) => {
          const facts = moduleFacts(root);
          const names = new Set<string>();
          for (const d of facts.defs.values()) {
            names.add(d.name);
            for (const m of d.members?.keys() ?? []) names.add(m);
          }
          return names;
        });
      }
    }
    roots.set(api.root, { members, file });
  }
  return { roots };
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * The first alternative of a suggestion template (`A||B`) whose every named
 * API exists, with `$1` (the torch.cuda function) and `$T` (its
 * torch.accelerator equivalent) filled in; null when none does.
 */
export function verifiedSuggestion(template: string, capture: string, api: AbstractionApi | null): string | null {
  for (const alt of template.split("||")) {
    let text = alt.replace(/\$1/g, capture);
    if (text.includes("$T")) {
      const t = torchAcceleratorFor(capture);
      if (!t) continue;
      text = text.replace(/\$T/g, t);
    }
    if (namesExist(text, api)) return text.trim();
  }
  return null;
}

function namesExist(text: string, api: AbstractionApi | null): boolean {
  for (const m of text.matchAll(/\btorch\.accelerator\.(?:(memory)\.)?(\w+)/g)) {
    if (!(m[1] ? TORCH_ACCELERATOR_MEMORY : TORCH_ACCELERATOR).has(m[2]!)) return false;
  }
  for (const [root, { members }] of api?.roots ?? []) {
    for (const m of text.matchAll(new RegExp(`${escape(root)}\\.(\\w+)`, "g"))) if (!members?.has(m[1]!)) return false;
  }
  return true;
}
