import { findCoverages } from "../index.js";

function quote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, "'\\''")}'`;
}

/**
 * The headline a result computed on incomplete input leads with (empty when
 * everything was read): how many files were not read, where they would come
 * from, and the exact command that reads them.
 */
export function coverageHeadline(result: unknown, argv: readonly string[]): string {
  const list = findCoverages(result);
  const missing = list.reduce((n, c) => n + c.missing, 0);
  if (missing === 0) return "";
  const files = list.reduce((n, c) => n + c.files, 0);
  const promisor = list.find((c) => c.promisor)?.promisor ?? null;
  const paths = [...new Set(list.flatMap((c) => c.missingPaths))];
  const lines = [`INCOMPLETE: ${missing} of ${files} file${files === 1 ? "" : "s"} not read: their blobs are absent from this ${promisor ? "partial clone" : "object store"} (${paths.slice(0, 3).join(", ")}${paths.length > 3 ? ", ..." : ""}); every number below leaves them out.`];
  if (promisor) lines.push(`  to read them: steward ${[...argv.filter((a) => a !== "--fetch-missing"), "--fetch-missing"].map(quote).join(" ")}   (fetches from ${promisor.remote}: ${promisor.url})`);
  return lines.join("\n") + "\n\n";
}
