import pc from "picocolors";
import type { DriftProgress } from "../index.js";

/**
 * Progress on stderr, only when stderr is a terminal (never in pipes, CI logs
 * or --json consumers' captures). One line, rewritten in place.
 */
export function progressReporter(enabled: boolean): { onProgress: (e: DriftProgress) => void; done: () => void } {
  if (!enabled || !process.stderr.isTTY) return { onProgress: () => undefined, done: () => undefined };
  let shown = false;
  const write = (s: string) => {
    const width = process.stderr.columns || 80;
    process.stderr.write("\r\x1b[2K" + pc.dim(s.slice(0, width - 1)));
    shown = true;
  };
  return {
    onProgress: (e) => write(e.kind === "ref" ? `[${e.index + 1}/${e.total}] ${e.ref}` : `${e.ref ? e.ref + ": " : ""}${e.stage}`),
    done: () => {
      if (shown) process.stderr.write("\r\x1b[2K");
    },
  };
}
