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

/**
 * Progress of portfolio work (fetch, scan) on stderr when it is a terminal:
 * counts so far and what is running now, rewritten in place; failures are
 * printed as they happen so they stay visible after the line is cleared.
 */
export function portfolioProgress(enabled: boolean, verb: string): { start: (what: string) => void; finish: (what: string, state: string, done: number, total: number, error?: string) => void; done: () => void } {
  const tty = enabled && process.stderr.isTTY;
  const running = new Set<string>();
  const counts = new Map<string, number>();
  let last = "";
  const render = () => {
    if (!tty) return;
    const width = process.stderr.columns || 80;
    const tally = [...counts].map(([k, v]) => `${v} ${k}`).join(", ");
    const line = `${last} ${tally ? `(${tally}) ` : ""}${running.size ? `${verb}: ${[...running].join(", ")}` : ""}`;
    process.stderr.write("\r\x1b[2K" + pc.dim(line.slice(0, width - 1)));
  };
  return {
    start: (what) => {
      running.add(what);
      render();
    },
    finish: (what, state, done, total, error) => {
      running.delete(what);
      counts.set(state, (counts.get(state) ?? 0) + 1);
      last = `[${done}/${total}]`;
      if (tty && error) process.stderr.write(`\r\x1b[2K${pc.red("✗")} ${what}: ${error}\n`);
      render();
    },
    done: () => {
      if (tty) process.stderr.write("\r\x1b[2K");
    },
  };
}
