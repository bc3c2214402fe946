import type { FileDiff } from "../../git/diff.js";
import type { UpstreamChanges } from "./context.js";

/** Where the upstream tip keeps the content of a path the fork changed. */
export type UpstreamCopy =
  | { kind: "unchanged"; path: string; oid: string | null } // upstream did not touch it since the base
  | { kind: "changed"; path: string; oid: string } // modified, added, or moved (path differs)
  | { kind: "absent" }; // deleted upstream, or never there

/**
 * Finds upstream's copy of a fork-changed file. Files upstream renamed since
 * the base are followed to their new path (rename detection on base->upstream).
 */
export function upstreamCopy(file: FileDiff, changes: UpstreamChanges): UpstreamCopy {
  if (file.oldOid === null) {
    // New in the fork: upstream has it only if upstream added (or moved) a file to that path.
    const e = changes.byNewPath.get(file.path);
    return e?.newOid ? { kind: "changed", path: e.path, oid: e.newOid } : { kind: "absent" };
  }
  const e = changes.byBasePath.get(file.path);
  if (!e) return { kind: "unchanged", path: file.path, oid: file.oldOid };
  if (e.status === "D" || !e.newOid) return { kind: "absent" };
  // A fork that deleted the path asks whether upstream still has *that path*:
  // if upstream moved the file away, the path is gone there too (its content
  // lives on under the new path, where a fork rename shows as an added file).
  if (file.newOid === null && e.path !== file.path) return { kind: "absent" };
  return { kind: "changed", path: e.path, oid: e.newOid };
}
